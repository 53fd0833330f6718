"""When direct payments monitoring is due: the calendar quarter a bank account's return covers, and the
dates of the reviews. Pure date rules, no database.

Quarterly returns (seed 003: "individuals were asked to submit information quarterly") cover calendar
quarters (January, April, July, October); a return is due once its quarter has ended. Reviews: a
light-touch check 6 weeks after the start (DIRECT_PAYMENTS_LIGHT_TOUCH_WEEKS), the annual review first
due 6 months after the start (the statutory "within the first 6 months") and then 12 months after each
one done (regulations: "at intervals of no more than 12 months").
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings


def quarter_start(day: date) -> date:
    """The first day of the calendar quarter holding `day`."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def last_completed_quarter(today: date) -> date:
    """The first day of the latest quarter that has ended by `today` (on 1 April 2026: 1 January 2026)."""
    return quarter_start(quarter_start(today) - timedelta(days=1))


def quarter_end(start: date) -> date:
    return start + relativedelta(months=3, days=-1)


def quarters_offered(today: date, count: int) -> list[date]:
    """The first days of the last `count` quarters that have ended by `today`, latest first."""
    quarters = [last_completed_quarter(today)]
    while len(quarters) < count:
        quarters.append(last_completed_quarter(quarters[-1]))
    return quarters


def light_touch_weeks() -> int:
    return getattr(settings, "DIRECT_PAYMENTS_LIGHT_TOUCH_WEEKS", 6)


def six_week_due(start: date) -> date:
    """The light-touch check: 6 weeks (configurable) after the start."""
    return start + timedelta(weeks=light_touch_weeks())


def first_annual_due(start: date) -> date:
    """The first review: within 6 months of the start (a day that does not exist becomes the month's last)."""
    return start + relativedelta(months=6)


def next_annual_due(done_on: date) -> date:
    """Every later review: no more than 12 months after the last one done (29 February → 28 February)."""
    return done_on + relativedelta(months=12)
