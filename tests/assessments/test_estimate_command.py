"""`manage.py estimate_charge`: the published worked examples to the penny, and bad input."""

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from assessments import services

pytestmark = pytest.mark.django_db

# A copy of ../shared/charging/examples.json (inputs and sources of the two published examples).
EXAMPLES = json.loads((Path(__file__).resolve().parent / "charging_examples.json").read_text())


def _run(document, tmp_path) -> dict:
    path = tmp_path / "input.json"
    path.write_text(json.dumps(document))
    out = io.StringIO()
    call_command("estimate_charge", str(path), stdout=out)
    return json.loads(out.getvalue())


def _run_failing(text: str, tmp_path, capsys=None) -> dict:
    path = tmp_path / "input.json"
    path.write_text(text)
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("estimate_charge", str(path), stdout=out)
    assert exit_info.value.code == 2
    return json.loads(out.getvalue())


def _example(name_start: str) -> dict:
    return next(example["input"] for example in EXAMPLES if example["name"].startswith(name_start))


def test_knowsley_example_reproduced_to_the_penny(tmp_path):
    # Source: knowsley.gov.uk, adult social care, examples of financial assessments for care provided in
    # your home: Knowsley MBC example 1 (2024/25), aged 22, supported accommodation.
    result = _run(_example("Knowsley"), tmp_path)
    assert result["total_income"] == "352.26"
    assert result["disregarded"] == "111.65"
    assert result["mig"] == "160.30"
    assert result["dre"] == "12.60"
    assert result["housing"] == "0.00"
    assert result["weekly_charge"] == "67.71"
    assert result["rates_year"] == "2024/25"
    assert result["full_cost"] is False and result["capped_at_care_cost"] is False


def test_devon_example_reproduced_to_the_penny(tmp_path):
    # Source: devon.gov.uk, adult social care factsheet, examples of common financial assessments:
    # Devon CC example 1 (2023/24), aged 37, privately rented flat.
    result = _run(_example("Devon"), tmp_path)
    assert result["total_income"] == "354.10"
    assert result["disregarded"] == "26.90"
    assert result["mig"] == "171.75"
    assert result["housing"] == "17.27"
    assert result["dre"] == "28.08"
    assert result["weekly_charge"] == "110.10"
    assert result["rates_year"] == "2023/24"


def test_output_has_every_field_and_lines(tmp_path):
    result = _run(_example("Devon"), tmp_path)
    for key in (
        "weekly_charge",
        "full_cost",
        "capped_at_care_cost",
        "rates_year",
        "total_income",
        "disregarded",
        "tariff_income",
        "mig",
        "housing",
        "dre",
        "assessable_income",
        "taper_percent",
        "lines",
    ):
        assert key in result
    assert {"label", "amount", "treatment"} <= set(result["lines"][0])


def test_standard_input(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(_example("Knowsley"))))
    out = io.StringIO()
    call_command("estimate_charge", "-", stdout=out)
    assert json.loads(out.getvalue())["weekly_charge"] == "67.71"


def _base(**changes):
    document = {
        "assessment_date": "2024-07-01",
        "age": 70,
        "couple": False,
        "weekly_care_cost": "500.00",
        "night_care_provided": False,
        "income": [{"type": "state_pension", "weekly": "300.00"}],
        "capital": [],
        "housing": [],
        "dre": [],
    }
    document.update(changes)
    return document


def test_tariff_income_through_the_command(tmp_path):
    at_16000 = _run(_base(capital=[{"type": "savings", "amount": "16000.00", "jointly_owned": False}]), tmp_path)
    at_16001 = _run(_base(capital=[{"type": "savings", "amount": "16001.00", "jointly_owned": False}]), tmp_path)
    assert at_16000["tariff_income"] == "7.00"
    assert at_16001["tariff_income"] == "8.00"
    assert at_16001["weekly_charge"] == "79.30"  # 300.00 + 8.00 − 228.70 (2024/25 pension-age MIG)


def test_capital_upper_limit_through_the_command(tmp_path):
    result = _run(_base(capital=[{"type": "investments", "amount": "23250.01"}]), tmp_path)
    assert result["full_cost"] is True and result["weekly_charge"] == "500.00"


def test_care_cost_cap_through_the_command(tmp_path):
    result = _run(_base(weekly_care_cost="45.00"), tmp_path)
    assert result["capped_at_care_cost"] is True and result["weekly_charge"] == "45.00"


def test_joint_capital_through_the_command(tmp_path):
    result = _run(
        _base(mig_weekly="228.70", capital=[{"type": "savings", "amount": "32000.00", "jointly_owned": True}]),
        tmp_path,
    )
    assert result["tariff_income"] == "7.00"  # half of £32,000 is £16,000
    assert result["full_cost"] is False


def test_period_conversion_through_the_command(tmp_path):
    result = _run(_base(income=[{"type": "private_pension", "amount": "1300.00", "period": "month"}]), tmp_path)
    assert result["total_income"] == "300.00"  # 1300 × 12 ÷ 52


def test_missing_rate_is_refused_in_plain_words(tmp_path):
    errors = _run_failing(json.dumps(_base(couple=True)), tmp_path)["errors"]
    assert errors["rates"] == (
        "The council has not yet entered the Minimum Income Guarantee for each member of a couple over State "
        "Pension age for 2024/25. Ask a finance lead to enter the 2024/25 rates."
    )
    assert "mig_" not in errors["rates"]


def test_unknown_year_is_refused(tmp_path):
    errors = _run_failing(json.dumps(_base(assessment_date="2019-07-01")), tmp_path)["errors"]
    assert "2019/20" in errors["assessment_date"]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("not json", "input"),
        ("[]", "input"),
        (json.dumps(_base(weekly_care_cost=12.5)), "weekly_care_cost"),
        (json.dumps(_base(weekly_care_cost="twelve")), "weekly_care_cost"),
        (json.dumps(_base(income=[{"type": "lottery", "weekly": "1.00"}])), "income[0].type"),
        (json.dumps(_base(income=[{"type": "esa", "amount": "1.00", "period": "fortnight"}])), "income[0].period"),
        (json.dumps(_base(age="old")), "age"),
        (json.dumps(_base(assessment_date="2024-02-30")), "assessment_date"),
        (json.dumps(_base(policy={"taper_percent": "120"})), "policy.taper_percent"),
        (json.dumps(_base(policy={"colour": "red"})), "policy.colour"),
    ],
)
def test_bad_input_exits_2_with_errors(text, field, tmp_path):
    assert field in _run_failing(text, tmp_path)["errors"]


def test_unreadable_file_exits_2(tmp_path):
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("estimate_charge", str(tmp_path / "missing.json"), stdout=out)
    assert exit_info.value.code == 2
    assert "file" in json.loads(out.getvalue())["errors"]


def test_a_year_with_rates_not_yet_confirmed_is_refused_in_plain_words(tmp_path):
    services.rates_year_start(start_year=2026, by=None, percentages={}, source="copied")
    with time_machine.travel(date(2026, 11, 27), tick=False):
        errors = _run_failing(json.dumps(_base(assessment_date="2026-11-27")), tmp_path)["errors"]
    assert errors == {
        "assessment_date": "The council has entered the rates for 2026/27, but a finance lead has not yet "
        "confirmed them. Ask a finance lead to check and confirm this year's rates."
    }


def test_demonstration_rates_are_named_in_the_output(tmp_path):
    rates = services.rates_year_start(
        start_year=2026,
        by=None,
        percentages={},
        source="demonstration",
        figures={"mig_single_pension_age": Decimal("246.40")},
        is_demonstration=True,
    )
    services.rates_year_confirm(rates=rates, by=None)
    result = _run(_base(assessment_date="2026-11-27", income=[{"type": "state_pension", "weekly": "300.00"}]), tmp_path)
    assert result["weekly_charge"] == "53.60"  # 300.00 − 246.40
    assert result["rates_year"] == "2026/27"
    assert result["rates_note"] == "demonstration figures — not for live use"
