"""How long an issue may stay at each level of the route (seed 001, appendix 2) and the date it should be
resolved by. Pure rules on the issue's level and the day it reached it; no queries."""

from datetime import date

from django.conf import settings

from core.working_days import add_working_days

from .models import DEFAULT_LEVEL_TARGET_WORKING_DAYS


def level_target_working_days(level: int) -> int:
    """Working days an issue may stay at `level` (the setting BOARDS_ISSUE_LEVEL_TARGET_DAYS overrides)."""
    targets = getattr(settings, "BOARDS_ISSUE_LEVEL_TARGET_DAYS", None) or DEFAULT_LEVEL_TARGET_WORKING_DAYS
    return targets[int(level)]


def issue_target_date(issue) -> date:
    """The date the issue should be resolved by at its current level (working days from reaching it)."""
    return add_working_days(issue.level_since, level_target_working_days(issue.level))
