"""Benefit maximisation rules."""

from decimal import Decimal

import pytest

from assessments.benefits import BenefitFacts, benefit_flags_for


def _codes(**changes):
    facts = {
        "age": 70,
        "pension_credit_age": 66,
        "income_types": frozenset({"state_pension", "attendance_allowance_higher", "pension_credit_guarantee"}),
        "weekly_income": Decimal("300.00"),
        "guarantee_credit": Decimal("218.15"),
    }
    facts.update(changes)
    return [flag.code for flag in benefit_flags_for(BenefitFacts(**facts))]


def test_nothing_flagged_when_everything_is_claimed():
    assert _codes() == []


def test_pension_age_without_attendance_allowance():
    assert _codes(income_types=frozenset({"state_pension", "pension_credit_guarantee"})) == ["attendance_allowance"]


@pytest.mark.parametrize(("income", "flagged"), [("200.00", True), ("218.15", False)])
def test_pension_age_low_income_without_pension_credit(income, flagged):
    codes = _codes(
        income_types=frozenset({"state_pension", "attendance_allowance_lower"}), weekly_income=Decimal(income)
    )
    assert ("pension_credit" in codes) is flagged


def test_pension_credit_rule_skipped_without_the_rate():
    assert "pension_credit" not in _codes(income_types=frozenset(), weekly_income=Decimal("0"), guarantee_credit=None)


def test_carer_without_carers_allowance():
    assert "carers_allowance" in _codes(has_unpaid_carer=True)
    assert "carers_allowance" not in _codes(
        has_unpaid_carer=True, income_types=frozenset({"carers_allowance", "attendance_allowance_higher"})
    )


def test_under_pension_age_without_pip():
    assert _codes(age=40, income_types=frozenset({"esa"})) == ["dla_pip"]
    assert _codes(age=40, income_types=frozenset({"esa", "pip_daily_living_standard"})) == []


def test_council_tax_without_support():
    assert "housing_benefit" in _codes(pays_council_tax=True)
    assert "housing_benefit" not in _codes(pays_council_tax=True, receives_council_tax_support=True)
