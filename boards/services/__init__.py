"""Writes for Joint Boards: validated, atomic, kept in history with who made them, and refused to anyone the
board's rules do not allow (`permissions.py`); and the daily reminders the Celery beat sends (each exactly
once, guarded by a unique constraint)."""

from .boards import (
    BOARD_FIELDS,
    DEFAULT_RULE_FOR_KIND,
    board_create,
    board_member_add,
    board_member_remove,
    board_update,
)
from .errors import InvalidTransition
from .issues import (
    issue_escalate,
    issue_raise,
    issue_resolve,
)
from .meetings import (
    MEETING_FIELDS,
    MEETING_TRANSITIONS,
    action_add,
    action_status_set,
    agenda_item_add,
    agenda_item_minutes_record,
    agenda_item_move,
    agenda_item_update,
    attendance_record,
    attendance_register_record,
    issue_add_to_agenda,
    meeting_plan,
    meeting_status_set,
    meeting_update,
)
from .reminders import (
    ACTION_SECRETARIAT_AFTER_DAYS,
    action_reminders_send,
    issue_reminders_send,
)

__all__ = [
    "ACTION_SECRETARIAT_AFTER_DAYS",
    "BOARD_FIELDS",
    "DEFAULT_RULE_FOR_KIND",
    "MEETING_FIELDS",
    "MEETING_TRANSITIONS",
    "InvalidTransition",
    "action_add",
    "action_reminders_send",
    "action_status_set",
    "agenda_item_add",
    "agenda_item_minutes_record",
    "agenda_item_move",
    "agenda_item_update",
    "attendance_record",
    "attendance_register_record",
    "board_create",
    "board_member_add",
    "board_member_remove",
    "board_update",
    "issue_add_to_agenda",
    "issue_escalate",
    "issue_raise",
    "issue_reminders_send",
    "issue_resolve",
    "meeting_plan",
    "meeting_status_set",
    "meeting_update",
]
