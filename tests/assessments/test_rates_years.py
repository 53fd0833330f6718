"""A financial year's rates: started from last year's by the published uprating (exact figures), each
figure with its source, confirmed before use; refusals in plain words when a year's rates are missing,
unconfirmed or lack a figure; an assessment dated today completing for a pensioner."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from assessments import charging, services
from assessments.models import Assessment, RatesYear
from assessments.selectors import rates_for_date, rates_year_history
from tests.referrals.factories import ClientFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 27)  # in financial year 2026/27 (6 April 2026 to 5 April 2027)
SOURCE = "DWP, Benefit and pension rates 2026 to 2027"
# The published uprating for 2026/27 as a finance lead would type it, one percentage per group.
PERCENTAGES = {
    "mig": Decimal("1.7"),
    "premiums": Decimal("1.7"),
    "disability_benefits": Decimal("3.8"),
    "pension_credit": Decimal("4.8"),
    "capital": None,  # the capital limits stay the same
}


def _start_2026(by, **kwargs):
    return services.rates_year_start(start_year=2026, by=by, percentages=PERCENTAGES, source=SOURCE, **kwargs)


@pytest.fixture
def pensioner(council):
    return ClientFactory(organisation=council, date_of_birth=date(1948, 5, 1))  # 78 on 27 November 2026


def test_uprating_rounds_once_half_up_to_the_penny_or_the_5p():
    # 112.50 × 1.038 = 116.775: half up to the penny is 116.78; 116.775 ÷ 0.05 = 2335.5, half up 2336 × 0.05
    assert services.uprate_figure(Decimal("112.50"), percent=Decimal("3.8")) == Decimal("116.78")
    assert services.uprate_figure(Decimal("112.50"), percent=Decimal("3.8"), rounding="five_pence") == Decimal("116.80")
    # 346.60 × 1.048 = 363.2368: 363.24 to the penny, 363.25 to the 5p (7264.736 → 7265 × 0.05)
    assert services.uprate_figure(Decimal("346.60"), percent=Decimal("4.8")) == Decimal("363.24")
    assert services.uprate_figure(Decimal("346.60"), percent=Decimal("4.8"), rounding="five_pence") == Decimal("363.25")


def test_a_new_year_copies_last_years_figures_uprated_by_group_with_each_source(officer):
    # given the 2025/26 rates in force (version 2, from the migrations' public sources)
    # when a finance lead starts 2026/27 with the published percentages, rounding to the penny (half up)
    rates = _start_2026(officer)
    # then every figure is last year's times (100 + the group's percentage) ÷ 100, rounded once to the penny
    expected = {
        "mig_single_18_24": "90.67",  # 89.15 × 1.017 = 90.66555
        "mig_single_25_to_pension_age": "114.41",  # 112.50 × 1.017 = 114.4125
        "disability_premium": "50.49",  # 49.65 × 1.017 = 50.49405
        "enhanced_disability_premium": "24.66",  # 24.25 × 1.017 = 24.66225
        "attendance_allowance_higher": "114.60",  # 110.40 × 1.038 = 114.5952
        "attendance_allowance_lower": "76.71",  # 73.90 × 1.038 = 76.7082
        "pip_daily_living_enhanced": "114.60",
        "pip_daily_living_standard": "76.71",
        "pip_mobility_enhanced": "79.98",  # 77.05 × 1.038 = 79.9779
        "pip_mobility_standard": "30.31",  # 29.20 × 1.038 = 30.3096
        "dla_care_highest": "114.60",
        "dla_care_middle": "76.71",
        "dla_care_lowest": "30.31",
        "guarantee_credit_single": "238.00",  # 227.10 × 1.048 = 238.0008
        "guarantee_credit_couple": "363.24",  # 346.60 × 1.048 = 363.2368
        "capital_lower": "14250.00",  # no uprating: carried over
        "capital_upper": "23250.00",
    }
    for name, figure in expected.items():
        assert getattr(rates, name) == Decimal(figure), name
    # a figure last year did not have stays empty, to be entered by hand
    assert rates.mig_single_pension_age is None and rates.carer_premium is None
    assert rates.missing_cells == [
        "mig_single_pension_age",
        "mig_couple_working_age",
        "mig_couple_pension_age",
        "carer_premium",
        "disability_premium_couple",
        "enhanced_disability_premium_couple",
        "child_premium",
        "savings_credit_disregard_single",
        "savings_credit_disregard_couple",
    ]
    assert rates.cell_sources["mig_single_18_24"] == (
        "2025/26 figure £89.15 uprated by 1.7% and rounded to the nearest penny: " + SOURCE
    )
    assert rates.cell_sources["capital_upper"] == "2025/26 figure £23,250.00 carried over unchanged: " + SOURCE
    assert "mig_single_pension_age" not in rates.cell_sources
    assert (rates.version, rates.status, rates.is_demonstration) == (1, RatesYear.Status.DRAFT, False)
    # and a draft is never used for charging
    assert rates_for_date(on=TODAY) is None


def test_rounding_to_the_5p_when_asked(officer):
    rates = _start_2026(officer, rounding="five_pence")
    assert rates.mig_single_18_24 == Decimal("90.65")  # 90.66555 ÷ 0.05 = 1813.311 → 1813 × 0.05
    assert rates.attendance_allowance_lower == Decimal("76.70")  # 76.7082 ÷ 0.05 = 1534.164 → 1534 × 0.05
    assert rates.cell_sources["attendance_allowance_lower"].startswith(
        "2025/26 figure £73.90 uprated by 3.8% and rounded to the nearest 5p"
    )


def test_a_year_is_started_once(officer):
    _start_2026(officer)
    with pytest.raises(ValidationError, match="already been started"):
        _start_2026(officer)
    assert RatesYear.objects.filter(start_year=2026).count() == 1


def test_figures_change_with_their_source_until_confirmed_then_never(officer):
    rates = _start_2026(officer)
    services.rates_update(
        rates=rates,
        by=officer,
        mig_single_pension_age=Decimal("241.30"),
        sources={"mig_single_pension_age": "DHSC local authority circular, annex A"},
    )
    rates.refresh_from_db()
    assert rates.cell_sources["mig_single_pension_age"] == "DHSC local authority circular, annex A"
    confirmed = services.rates_year_confirm(rates=rates, by=officer)
    assert confirmed.status == RatesYear.Status.CONFIRMED and confirmed.confirmed_by == officer
    assert rates_for_date(on=TODAY) == confirmed
    with pytest.raises(ValidationError, match="are confirmed and cannot change"):
        services.rates_update(rates=confirmed, by=officer, mig_single_pension_age=Decimal("1.00"))
    with pytest.raises(ValidationError, match="already confirmed"):
        services.rates_year_confirm(rates=confirmed, by=officer)
    # the history says who changed which figure, from what to what
    history = rates_year_history(rates=confirmed)
    assert [change["what"] for change in history] == [
        ["Status: Confirmed"],
        [
            "Minimum Income Guarantee for people over State Pension age: empty to £241.30",
            "Sources of figures updated",
        ],
        ["Created"],
    ]
    assert {change["who"] for change in history} == {officer}


def test_a_correction_is_a_new_draft_and_the_confirmed_version_stays_in_force(officer):
    rates = services.rates_year_confirm(rates=_start_2026(officer), by=officer)
    correction = services.rates_correct(rates=rates, by=officer)
    assert (correction.version, correction.status) == (2, RatesYear.Status.DRAFT)
    assert correction.cell_sources == rates.cell_sources
    assert rates_for_date(on=TODAY) == rates
    with pytest.raises(ValidationError, match="already waiting"):
        services.rates_correct(rates=rates, by=officer)
    # a draft with a newer version beside it (added in the Django admin, say) cannot be confirmed
    older_draft = RatesYear.objects.create(start_year=2030, version=1)
    RatesYear.objects.create(start_year=2030, version=2)
    with pytest.raises(ValidationError, match="newer version"):
        services.rates_year_confirm(rates=older_draft, by=officer)


# --- refusals in plain words ------------------------------------------------------------------------


def _draft_today(client_record, officer) -> Assessment:
    draft = services.assessment_create(
        client=client_record, by=officer, effective_date=TODAY, weekly_care_cost=Decimal("300.00")
    )
    services.income_line_add(assessment=draft, by=officer, type="state_pension", amount=Decimal("230.25"))
    return draft


def _refusal(draft, officer) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        services.assessment_complete(assessment=draft, by=officer)
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.DRAFT
    return refused.value.messages


@time_machine.travel(TODAY, tick=False)
def test_completing_with_no_rates_for_the_year_is_refused_in_plain_words(pensioner, officer):
    assert _refusal(_draft_today(pensioner, officer), officer) == [
        "The council has not yet entered the rates for 2026/27. Ask a finance lead to enter this year's rates."
    ]


@time_machine.travel(TODAY, tick=False)
def test_completing_with_unconfirmed_rates_is_refused_in_plain_words(pensioner, officer):
    _start_2026(officer, figures={"mig_single_pension_age": Decimal("241.30")})
    assert _refusal(_draft_today(pensioner, officer), officer) == [
        "The council has entered the rates for 2026/27, but a finance lead has not yet confirmed them. "
        "Ask a finance lead to check and confirm this year's rates."
    ]


@time_machine.travel(TODAY, tick=False)
def test_completing_without_the_pension_age_mig_is_refused_in_plain_words(pensioner, officer):
    services.rates_year_confirm(rates=_start_2026(officer), by=officer)
    messages = _refusal(_draft_today(pensioner, officer), officer)
    assert messages == [
        "The council has not yet entered the Minimum Income Guarantee for people over State Pension age for "
        "2026/27. Ask a finance lead to enter this year's rates."
    ]
    assert "mig_" not in messages[0]


def test_every_cell_has_plain_words_and_none_shows_a_code_name():
    from assessments import rate_cells

    names = [f.name for f in RatesYear._meta.concrete_fields if f.get_internal_type() == "DecimalField"]
    assert sorted(names) == sorted(rate_cells.CELLS)
    for name in rate_cells.CELLS:
        error = charging.MissingRate(field_name=name, year="2026/27", this_year=True)
        assert name not in str(error) and "_" not in str(error)
        assert name not in error.public_message() and "_" not in error.public_message()


@time_machine.travel(TODAY, tick=False)
def test_an_assessment_dated_today_completes_for_a_pensioner(pensioner, officer):
    # given 2026/27 uprated from 2025/26, the pension-age MIG entered by hand, and confirmed
    rates = _start_2026(officer, figures={"mig_single_pension_age": Decimal("241.30")})
    services.rates_year_confirm(rates=rates, by=officer)
    # and a 78-year-old with State Pension 230.25 and a private pension of 180.00 a month, no night care,
    # Attendance Allowance at the higher rate and £16,001 in savings
    draft = _draft_today(pensioner, officer)
    services.income_line_add(
        assessment=draft, by=officer, type="private_pension", amount=Decimal("180.00"), period="month"
    )
    services.income_line_add(assessment=draft, by=officer, type="attendance_allowance_higher", amount=Decimal("114.60"))
    services.capital_line_add(assessment=draft, by=officer, type="savings", amount=Decimal("16001.00"))
    # when the officer completes it
    done = services.assessment_complete(assessment=draft, by=officer)
    # then: income 230.25 + 41.54 (180 × 12 ÷ 52 = 41.538) + 114.60 = 386.39; night element
    # 114.60 − 76.71 = 37.89 disregarded; tariff £8 (16,001 − 14,250 = 1,751 → 7.004 → 8); MIG 241.30
    # (no disability premium over State Pension age); 386.39 − 37.89 + 8.00 − 241.30 = 115.20
    assert done.status == Assessment.Status.COMPLETE
    assert done.rates == rates
    assert done.weekly_charge == Decimal("115.20")
    assert done.result["mig"] == "241.30" and done.result["disregarded"] == "37.89"
    assert {
        "label": "Minimum Income Guarantee for people over State Pension age",
        "amount": "-241.30",
        "treatment": "protected income",
    } in done.result["lines"]


def test_a_year_started_from_demonstration_figures_is_flagged_as_demonstration(officer):
    demo = services.rates_year_start(
        start_year=2026, by=officer, percentages={}, source="demonstration", is_demonstration=True
    )
    services.rates_year_confirm(rates=demo, by=officer)
    following = services.rates_year_start(
        start_year=2027, by=officer, percentages={"mig": Decimal("2")}, source="published uprating"
    )
    assert following.is_demonstration
    assert following.mig_single_18_24 == Decimal("90.93")  # 89.15 × 1.02 = 90.933
