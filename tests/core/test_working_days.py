from datetime import date

import pytest

from core.working_days import add_working_days, is_working_day, working_days_between


@pytest.mark.parametrize(
    "start, days, expected, why",
    [
        (date(2026, 11, 23), 2, date(2026, 11, 25), "Monday + 2 is Wednesday"),
        (date(2026, 11, 27), 1, date(2026, 11, 30), "Friday + 1 skips the weekend"),
        (date(2026, 12, 24), 1, date(2026, 12, 29), "Christmas Day (Fri) and Boxing Day substitute (Mon 28th)"),
        (date(2026, 4, 2), 1, date(2026, 4, 7), "Good Friday 3 April and Easter Monday 6 April 2026"),
        (date(2026, 5, 22), 1, date(2026, 5, 26), "Spring bank holiday, Monday 25 May 2026"),
        (date(2026, 8, 28), 1, date(2026, 9, 1), "Summer bank holiday, Monday 31 August 2026 (England and Wales)"),
        (date(2026, 11, 21), 0, date(2026, 11, 23), "0 days from a Saturday is the next working day"),
        (date(2026, 11, 23), 20, date(2026, 12, 21), "the default 20-day completion target"),
    ],
)
def test_add_working_days_skips_weekends_and_england_and_wales_bank_holidays(start, days, expected, why):
    assert add_working_days(start, days) == expected, why


def test_scottish_only_holidays_are_working_days_in_england():
    assert is_working_day(date(2026, 1, 2))  # 2 January is a bank holiday in Scotland only
    assert is_working_day(date(2026, 11, 30))  # St Andrew's Day


def test_working_days_between():
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 31)) == 3  # 29, 30, 31
    assert working_days_between(date(2026, 12, 31), date(2026, 12, 24)) == 0


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 11, 23), -1)
