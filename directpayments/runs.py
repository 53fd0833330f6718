"""Payment-run arithmetic: pure functions, no ORM.

THE RULE (issue 7, stated once here and tested with worked examples):

    net weekly   = max(0, weekly personal budget − weekly assessed contribution)
    days payable = days of the month on which the agreement runs (start date to end date, both
                   inclusive) and is not suspended (suspension start to suspension end, both inclusive)
    month amount = net weekly × days payable ÷ 7, rounded half-up to the penny ONCE, per line

So a whole 30-day month of £100 a week is £428.57 and a 31-day month £442.86; starters, leavers and
suspensions inside the month are paid for their days only.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.money import ZERO, to_money

DAYS_IN_WEEK = Decimal(7)


@dataclass(frozen=True)
class Period:
    """A closed range of days, `end` None meaning open-ended."""

    start: date
    end: date | None = None


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day: date) -> date:
    return month_end(day) + timedelta(days=1)


def previous_month(day: date) -> date:
    return month_start(month_start(day) - timedelta(days=1))


def net_weekly(*, budget: Decimal, contribution: Decimal) -> Decimal:
    """Budget less the assessed contribution, never below zero."""
    return max(ZERO, to_money(budget) - to_money(contribution))


def _clip(period: Period, first: date, last: date) -> tuple[date, date] | None:
    start = max(period.start, first)
    end = last if period.end is None else min(period.end, last)
    return (start, end) if start <= end else None


def days_payable(*, month: date, agreement: Period, suspensions: Iterable[Period] = ()) -> int:
    """Days of `month` inside the agreement and outside every suspension (overlaps counted once)."""
    first, last = month_start(month), month_end(month)
    active = _clip(agreement, first, last)
    if active is None:
        return 0
    suspended: set[date] = set()
    for suspension in suspensions:
        clipped = _clip(suspension, active[0], active[1])
        if clipped:
            suspended.update(clipped[0] + timedelta(days=n) for n in range((clipped[1] - clipped[0]).days + 1))
    return (active[1] - active[0]).days + 1 - len(suspended)


def amount_for_days(*, weekly: Decimal, days: int) -> Decimal:
    """Net weekly × days ÷ 7, rounded half-up to the penny once."""
    if days < 0:
        raise ValueError("days cannot be negative")
    return to_money(Decimal(weekly) * days / DAYS_IN_WEEK)


def month_amount(
    *,
    month: date,
    budget: Decimal,
    contribution: Decimal,
    agreement: Period,
    suspensions: Iterable[Period] = (),
) -> tuple[Decimal, int, Decimal]:
    """(net weekly, days payable, amount) for one agreement in one month."""
    weekly = net_weekly(budget=budget, contribution=contribution)
    days = days_payable(month=month, agreement=agreement, suspensions=suspensions)
    return weekly, days, amount_for_days(weekly=weekly, days=days)
