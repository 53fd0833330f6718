"""Calendar-month arithmetic: "the same day n months later", as rules written in months mean it."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` later (earlier when negative); the month's last day when it is shorter
    (31 January + 1 month = 28 or 29 February; 31 March - 1 month = 28 or 29 February)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
