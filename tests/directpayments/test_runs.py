"""Worked examples of the payment rule: net weekly × days payable ÷ 7, rounded half-up to the penny once."""

from datetime import date
from decimal import Decimal

import pytest

from directpayments.runs import Period, amount_for_days, days_payable, month_amount, net_weekly


def test_whole_month_of_30_days():
    # £100 a week × 30 ÷ 7 = 428.5714… → £428.57
    assert month_amount(
        month=date(2026, 4, 1), budget=Decimal("100.00"), contribution=Decimal("0"), agreement=Period(date(2026, 1, 1))
    ) == (Decimal("100.00"), 30, Decimal("428.57"))


def test_whole_month_of_31_days():
    # £100 × 31 ÷ 7 = 442.857… → £442.86
    assert amount_for_days(weekly=Decimal("100.00"), days=31) == Decimal("442.86")


def test_starter_on_the_17th_of_a_30_day_month():
    # Starts 17 April 2026: 17th to 30th is 14 days; £123.45 × 14 ÷ 7 = £246.90 exactly
    weekly, days, amount = month_amount(
        month=date(2026, 4, 1),
        budget=Decimal("150.00"),
        contribution=Decimal("26.55"),
        agreement=Period(date(2026, 4, 17)),
    )
    assert (weekly, days, amount) == (Decimal("123.45"), 14, Decimal("246.90"))


def test_leaver_mid_month():
    # Ends 10 June 2026: 1st to 10th is 10 days; £87.50 × 10 ÷ 7 = 125.00
    assert month_amount(
        month=date(2026, 6, 1),
        budget=Decimal("87.50"),
        contribution=Decimal("0"),
        agreement=Period(date(2025, 1, 1), date(2026, 6, 10)),
    ) == (Decimal("87.50"), 10, Decimal("125.00"))


def test_suspension_spanning_month_end():
    # Suspended 25 May to 4 June 2026 inclusive.
    agreement = Period(date(2026, 1, 1))
    suspension = [Period(date(2026, 5, 25), date(2026, 6, 4))]
    # May: 31 − 7 (25th–31st) = 24 days; £95 × 24 ÷ 7 = 325.714… → £325.71
    assert month_amount(
        month=date(2026, 5, 1),
        budget=Decimal("95"),
        contribution=Decimal("0"),
        agreement=agreement,
        suspensions=suspension,
    )[1:] == (24, Decimal("325.71"))
    # June: 30 − 4 (1st–4th) = 26 days; £95 × 26 ÷ 7 = 352.857… → £352.86
    assert month_amount(
        month=date(2026, 6, 1),
        budget=Decimal("95"),
        contribution=Decimal("0"),
        agreement=agreement,
        suspensions=suspension,
    )[1:] == (26, Decimal("352.86"))


def test_open_suspension_covers_rest_of_month_and_overlaps_count_once():
    agreement = Period(date(2026, 1, 1))
    suspensions = [Period(date(2026, 4, 21)), Period(date(2026, 4, 25), date(2026, 4, 27))]
    assert days_payable(month=date(2026, 4, 1), agreement=agreement, suspensions=suspensions) == 20


def test_february_in_a_leap_year():
    # February 2028 has 29 days; £70 × 29 ÷ 7 = £290.00 exactly; 2027 has 28: £280.00
    assert month_amount(
        month=date(2028, 2, 1), budget=Decimal("70"), contribution=Decimal("0"), agreement=Period(date(2027, 1, 1))
    )[1:] == (29, Decimal("290.00"))
    assert month_amount(
        month=date(2027, 2, 1), budget=Decimal("70"), contribution=Decimal("0"), agreement=Period(date(2027, 1, 1))
    )[1:] == (28, Decimal("280.00"))


def test_half_penny_rounds_up_once():
    # £0.735 × 1 ÷ 7 = 0.105 exactly → £0.11 (half-up, not banker's 0.10)
    assert amount_for_days(weekly=Decimal("0.735"), days=1) == Decimal("0.11")
    # £1.19 × 2 ÷ 7 = 0.34 exactly
    assert amount_for_days(weekly=Decimal("1.19"), days=2) == Decimal("0.34")


def test_contribution_above_budget_gives_zero():
    assert net_weekly(budget=Decimal("80.00"), contribution=Decimal("95.20")) == Decimal("0.00")
    assert month_amount(
        month=date(2026, 4, 1), budget=Decimal("80"), contribution=Decimal("95.20"), agreement=Period(date(2026, 1, 1))
    ) == (Decimal("0.00"), 30, Decimal("0.00"))


def test_agreement_outside_the_month_has_no_days():
    assert days_payable(month=date(2026, 4, 1), agreement=Period(date(2026, 5, 1))) == 0
    assert days_payable(month=date(2026, 4, 1), agreement=Period(date(2025, 5, 1), date(2026, 3, 31))) == 0


def test_negative_days_refused():
    with pytest.raises(ValueError):
        amount_for_days(weekly=Decimal("1"), days=-1)
