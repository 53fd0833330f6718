"""Reads for Joint Boards, scoped to what the user's organisation may see (see `boards.py`)."""

from .boards import (
    board_detail_for_user,
    board_list_for_user,
    board_list_with_compliance,
    board_managed_by,
    board_member_list_for_user,
    board_secretariat,
)
from .home import HOME_UPCOMING_DAYS, ISSUE_AGE_BANDS, secretariat_home
from .index import INDEX_HEADER, board_index_rows
from .issues import (
    issue_contacts_for_resolution,
    issue_list_for_user,
    issue_meetings,
    issues_with_targets,
    planned_meetings_for_issue,
)
from .meetings import (
    action_list_for_user,
    agenda_item_list_for_user,
    meeting_detail,
    meeting_list_for_user,
    my_open_actions,
)

__all__ = [
    "HOME_UPCOMING_DAYS",
    "INDEX_HEADER",
    "ISSUE_AGE_BANDS",
    "action_list_for_user",
    "agenda_item_list_for_user",
    "board_detail_for_user",
    "board_index_rows",
    "board_list_for_user",
    "board_list_with_compliance",
    "board_managed_by",
    "board_member_list_for_user",
    "board_secretariat",
    "issue_contacts_for_resolution",
    "issue_list_for_user",
    "issue_meetings",
    "issues_with_targets",
    "meeting_detail",
    "meeting_list_for_user",
    "my_open_actions",
    "planned_meetings_for_issue",
    "secretariat_home",
]
