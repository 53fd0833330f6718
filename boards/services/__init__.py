"""Writes for Joint Boards: validated, atomic, kept in history with who made them; and the daily
reminders the Celery beat sends (each exactly once, guarded by a unique constraint)."""

from ._shared import (
    ACTION_SECRETARIAT_AFTER_DAYS,
    BOARD_FIELDS,
    DEFAULT_RULE_FOR_KIND,
    MEETING_FIELDS,
    MEETING_TRANSITIONS,
    InvalidTransition,
)
from .boards import (
    board_create,
    board_member_add,
    board_member_remove,
    board_update,
)
from .issues import (
    issue_contacts_for_resolution,
    issue_escalate,
    issue_raise,
    issue_resolve,
    issue_target_date,
    level_target_working_days,
)
from .meetings import (
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
    "issue_contacts_for_resolution",
    "issue_escalate",
    "issue_raise",
    "issue_reminders_send",
    "issue_resolve",
    "issue_target_date",
    "level_target_working_days",
    "meeting_plan",
    "meeting_status_set",
    "meeting_update",
]
