"""The set-based INSERT ... SELECT must give the amounts of the Python rule (runs.py) to the penny."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from directpayments.models import Agreement, PaymentLine, PaymentRun, Suspension
from directpayments.services import insert_regular_lines
from tests.referrals.factories import ClientFactory

from .factories import AgreementFactory
from .python_rule import build_lines

pytestmark = pytest.mark.django_db
MONTHS = [date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1), date(2027, 2, 1), date(2028, 2, 1)]


def _agreement(council, start, end=None, budget="100.00", contribution="0.00", status=Agreement.Status.ACTIVE):
    return AgreementFactory(
        client=ClientFactory(organisation=council),
        start_date=start,
        end_date=end,
        weekly_budget=Decimal(budget),
        weekly_contribution=Decimal(contribution),
        status=status,
    )


def _edge_cases(council):
    _agreement(council, date(2026, 4, 17), budget="150.00", contribution="26.55")  # starter on the 17th
    _agreement(council, date(2025, 1, 1), date(2026, 6, 10), budget="87.50")  # leaver mid-June
    spanning = _agreement(council, date(2026, 1, 1), budget="95.00")
    Suspension.objects.create(agreement=spanning, starts_on=date(2026, 5, 25), ends_on=date(2026, 6, 4), reason="x")
    overlapping = _agreement(council, date(2026, 1, 1), budget="33.33")
    Suspension.objects.create(agreement=overlapping, starts_on=date(2026, 4, 21), reason="open")
    Suspension.objects.create(agreement=overlapping, starts_on=date(2026, 4, 25), ends_on=date(2026, 4, 27), reason="y")
    _agreement(council, date(2027, 1, 1), budget="70.00")  # February 2027 and leap 2028
    _agreement(council, date(2026, 1, 1), budget="80.00", contribution="95.20")  # contribution above budget
    _agreement(council, date(2026, 4, 30), date(2026, 4, 30), budget="0.07")  # one day, under a penny
    _agreement(council, date(2026, 4, 30), date(2026, 4, 30), budget="0.04")  # one day, £0.005… → £0.01
    _agreement(council, date(2026, 1, 1), budget="999.99", status=Agreement.Status.SETUP)  # not yet paid
    _agreement(council, date(2026, 1, 1), date(2026, 3, 31))  # ended before April


def _random_cases(council, count=60):
    rng = random.Random(7)
    for _ in range(count):
        start = date(2026, 1, 1) + timedelta(days=rng.randrange(0, 900))
        end = start + timedelta(days=rng.randrange(0, 400)) if rng.random() < 0.5 else None
        budget = Decimal(rng.randrange(0, 150_000)) / 100
        contribution = Decimal(rng.randrange(0, 40_000)) / 100
        agreement = _agreement(council, start, end, budget=str(budget), contribution=str(contribution))
        for _ in range(rng.randrange(0, 3)):
            starts = start + timedelta(days=rng.randrange(0, 300))
            ends = starts + timedelta(days=rng.randrange(0, 60)) if rng.random() < 0.7 else None
            Suspension.objects.create(agreement=agreement, starts_on=starts, ends_on=ends, reason="r")


@pytest.mark.parametrize("cases", [_edge_cases, _random_cases])
def test_sql_amounts_equal_the_python_rule(council, cases):
    cases(council)
    months = MONTHS + [date(2026, m, 1) for m in (7, 9, 12)] + [date(2027, m, 1) for m in (3, 8)]
    for month in months:
        run = PaymentRun.objects.create(organisation=council, month=month)
        python = {(line.agreement_id, line.net_weekly, line.days, line.amount) for line in build_lines(run=run)}
        insert_regular_lines(run=run)
        sql = set(PaymentLine.objects.filter(run=run).values_list("agreement_id", "net_weekly", "days", "amount"))
        assert sql == python, month
        run.lines.update(is_live=False)
        run.status = PaymentRun.Status.CANCELLED
        run.save()


def test_edge_case_figures(council):
    _edge_cases(council)
    run = PaymentRun.objects.create(organisation=council, month=date(2026, 4, 1))
    insert_regular_lines(run=run)
    amounts = sorted(run.lines.values_list("days", "amount"))
    # starter 14 days £246.90; leaver 30 days of £87.50 = £375.00; spanning whole April £407.14;
    # overlapping suspensions leave 20 days of £33.33 = £95.23; £0.04 × 1 ÷ 7 = 0.0057 → £0.01;
    # £0.07 × 1 ÷ 7 = £0.01; contribution above budget and the set-up agreement pay nothing.
    assert amounts == [
        (1, Decimal("0.01")),
        (1, Decimal("0.01")),
        (14, Decimal("246.90")),
        (20, Decimal("95.23")),
        (30, Decimal("375.00")),
        (30, Decimal("407.14")),
    ]
