"""Who may change a board's records, checked by every boards write service itself (the views check too, for
the 403 page; a Celery task or a future API calling a service meets the same rule).

A board secretary (of any organisation) may set up a board; after that only its named secretariat and
its co-chairs (or an administrator) change its members, meetings, agenda, minutes, attendance, actions and
issues (seed 001, appendix 1: "Joint chairs to provide secretariat support to the Board"). Any member of
staff of a board's organisations may raise an issue on it, and the owner of an action may close it.
"""

from django.core.exceptions import PermissionDenied

from core.access import has_role, organisation_of
from partnerships.models import Role

from ..models import Action, Board
from ..selectors import board_list_for_user, board_managed_by

NOT_A_MANAGER = "Only the board's secretariat and co-chairs can change its records."
NOT_A_SECRETARY = "Only a board secretary can set up a board."
NOT_ON_THE_BOARD = "Only staff of the board's organisations can raise an issue on it."


def board_setup_check(*, by) -> None:
    """Refuse anyone who is not a board secretary of an organisation."""
    if organisation_of(by) is None or not has_role(by, Role.BOARD_SECRETARY):
        raise PermissionDenied(NOT_A_SECRETARY)


def board_manager_check(*, board: Board, by) -> None:
    """Refuse anyone who is not on the board's secretariat or a co-chair (or an administrator)."""
    if not board_managed_by(user=by, board=board):
        raise PermissionDenied(NOT_A_MANAGER)


def action_status_check(*, action: Action, board: Board, by) -> None:
    """The owner of an action may close or reopen it; otherwise the board's secretariat and co-chairs."""
    if organisation_of(by) is not None and action.owner_id == by.pk:
        return
    board_manager_check(board=board, by=by)


def issue_raise_check(*, board: Board, by) -> None:
    """Refuse anyone who may not see the board (staff of its organisations; fraud boards: its members)."""
    if not board_list_for_user(user=by).filter(pk=board.pk).exists():
        raise PermissionDenied(NOT_ON_THE_BOARD)
