"""The meeting-frequency rule with worked dates (seed 001: at least 2 meetings in any 12 months)."""

from datetime import date

import pytest

from boards.compliance import QUARTERLY, TWO_IN_12_MONTHS, board_compliance

ESTABLISHED = date(2024, 1, 1)


def two_in_12(held, today):
    return board_compliance(rule=TWO_IN_12_MONTHS, established_on=ESTABLISHED, held_dates=held, today=today)


def test_one_meeting_in_the_last_12_months_falls_short():
    result = two_in_12([date(2025, 6, 1)], today=date(2026, 3, 1))
    assert result.falling_short
    assert result.held_in_window == 1


def test_two_meetings_in_the_last_12_months_is_fine_until_the_older_leaves_the_window():
    held = [date(2025, 6, 1), date(2025, 11, 15)]
    # given two meetings, the next is needed by 12 months after the older one: 1 June 2026
    fine = two_in_12(held, today=date(2026, 3, 1))
    assert not fine.falling_short and not fine.due_soon
    assert fine.next_meeting_due_by == date(2026, 6, 1)
    assert fine.held_in_window == 2
    # 22 days before: due soon
    assert two_in_12(held, today=date(2026, 5, 10)).due_soon
    # on 1 June 2026 the window (1 June 2025, 1 June 2026] holds only the November meeting
    short = two_in_12(held, today=date(2026, 6, 1))
    assert short.falling_short and short.held_in_window == 1


def test_a_new_board_has_a_full_window_before_it_can_fall_short():
    result = board_compliance(
        rule=TWO_IN_12_MONTHS, established_on=date(2026, 1, 1), held_dates=[], today=date(2026, 3, 1)
    )
    assert not result.falling_short
    assert result.next_meeting_due_by == date(2027, 1, 1)


def test_future_dates_do_not_count_as_held():
    assert two_in_12([date(2025, 6, 1), date(2026, 4, 1)], today=date(2026, 3, 1)).falling_short


@pytest.mark.parametrize(
    ("today", "falling_short"),
    [(date(2026, 4, 14), False), (date(2026, 4, 15), True), (date(2026, 7, 1), True)],
)
def test_quarterly_needs_a_meeting_within_3_months_of_the_last(today, falling_short):
    result = board_compliance(rule=QUARTERLY, established_on=ESTABLISHED, held_dates=[date(2026, 1, 15)], today=today)
    assert result.falling_short is falling_short
    assert result.next_meeting_due_by == date(2026, 4, 15)


def test_no_rule_never_falls_short():
    result = board_compliance(rule="none", established_on=ESTABLISHED, held_dates=[], today=date(2030, 1, 1))
    assert not result.falling_short and result.next_meeting_due_by is None
