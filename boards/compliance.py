"""The meeting-frequency rule (seed 001: "a minimum of two Joint Board meetings must be held every 12
months"; management boards meet quarterly). Pure functions, no ORM.

A board falls short on `today` when the rule's window ending today holds too few meetings that were
held (planned and cancelled ones do not count). A new board is given one full window from the date it
was established before it can fall short.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from core.months import add_months

TWO_IN_12_MONTHS = "two_in_12_months"
QUARTERLY = "quarterly"
DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class Compliance:
    falling_short: bool
    due_soon: bool
    next_meeting_due_by: date | None
    held_in_window: int


def board_compliance(*, rule: str, established_on: date, held_dates, today: date) -> Compliance:
    """Whether a board meets its frequency rule on `today`, and the date the next meeting is needed by.

    Two in 12 months: another meeting is needed by 12 months after the second most recent held
    meeting (after that only one would remain in the window). Quarterly: by 3 months after the last.
    """
    held = sorted((d for d in held_dates if d <= today), reverse=True)
    if rule == TWO_IN_12_MONTHS:
        window_start = add_months(today, -12)
        anchor = held[1] if len(held) >= 2 else established_on
        due_by = add_months(anchor, 12)
    elif rule == QUARTERLY:
        window_start = add_months(today, -3)
        anchor = held[0] if held else established_on
        due_by = add_months(anchor, 3)
    else:
        return Compliance(falling_short=False, due_soon=False, next_meeting_due_by=None, held_in_window=len(held))
    in_window = sum(1 for d in held if d > window_start)
    falling_short = today >= due_by
    due_soon = not falling_short and due_by <= today + timedelta(days=DUE_SOON_DAYS)
    return Compliance(
        falling_short=falling_short, due_soon=due_soon, next_meeting_due_by=due_by, held_in_window=in_window
    )
