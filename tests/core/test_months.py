from datetime import date

import pytest

from core.months import add_months


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # February is shorter
        (date(2026, 11, 30), 3, date(2027, 2, 28)),  # across the new year, to a shorter month
        (date(2026, 3, 31), -12, date(2025, 3, 31)),
        (date(2026, 12, 1), -12, date(2025, 12, 1)),  # an annual review's period
        (date(2026, 12, 1), -6, date(2026, 6, 1)),  # an interim review's period
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2024, 2, 29), -12, date(2023, 2, 28)),  # no 29 February in 2023
        (date(2026, 1, 15), -6, date(2025, 7, 15)),  # back across the new year
    ],
)
def test_add_months_keeps_the_day_or_clamps_to_the_end_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected
