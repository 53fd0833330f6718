"""What every Joint Boards view shares: who may write (for the 403 page; the services check the same rules)
and lookups that are a 404 for other organisations."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.access import has_role
from partnerships.models import Role

from .. import selectors
from ..models import Board
from ..services.permissions import NOT_A_MANAGER

SECRETARY = Role.BOARD_SECRETARY


def can_set_up_boards(user) -> bool:
    """Board secretaries (of any organisation) may set up a board; running it is for its secretariat."""
    return has_role(user, SECRETARY)


def can_manage(request, board) -> bool:
    """The board's secretariat and co-chairs run its pages (cached for the request)."""
    cache = request.__dict__.setdefault("_boards_managed", {})
    if board.pk not in cache:
        cache[board.pk] = selectors.board_managed_by(user=request.user, board=board)
    return cache[board.pk]


def require_manager(request, board) -> None:
    """403 unless the user is on the board's secretariat or a co-chair (another organisation has had a 404)."""
    if not can_manage(request, board):
        raise PermissionDenied(NOT_A_MANAGER)


def board_or_404(request, pk):
    try:
        return selectors.board_detail_for_user(user=request.user, pk=pk)
    except Board.DoesNotExist as exc:
        raise Http404("No such board") from exc


def meeting_or_404(request, pk):
    return get_object_or_404(selectors.meeting_list_for_user(user=request.user), pk=pk)


def item_or_404(request, pk):
    return get_object_or_404(selectors.agenda_item_list_for_user(user=request.user), pk=pk)


def issue_or_404(request, pk):
    return get_object_or_404(selectors.issue_list_for_user(user=request.user), pk=pk)
