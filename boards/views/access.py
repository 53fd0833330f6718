"""What every Joint Boards view shares: who may write, and lookups that are a 404 for other organisations."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from core.access import has_role
from partnerships.models import Role

from .. import selectors
from ..models import Board

SECRETARY = Role.BOARD_SECRETARY


def _can_set_up_boards(user) -> bool:
    """Board secretaries (of any organisation) may set up a board; running it is for its secretariat."""
    return has_role(user, SECRETARY)


def _can_manage(request, board) -> bool:
    """The board's secretariat and co-chairs run its pages (cached for the request)."""
    cache = request.__dict__.setdefault("_boards_managed", {})
    if board.pk not in cache:
        cache[board.pk] = selectors.board_managed_by(user=request.user, board=board)
    return cache[board.pk]


def _require_manager(request, board) -> None:
    """403 unless the user is on the board's secretariat or a co-chair (another organisation has had a 404)."""
    if not _can_manage(request, board):
        raise PermissionDenied("Only the board's secretariat and co-chairs can change its records.")


def _board_or_404(request, pk):
    try:
        return selectors.board_detail_for_user(user=request.user, pk=pk)
    except Board.DoesNotExist as exc:
        raise Http404("No such board") from exc


def _meeting_or_404(request, pk):
    return get_object_or_404(selectors.meeting_list_for_user(user=request.user), pk=pk)


def _item_or_404(request, pk):
    return get_object_or_404(selectors.agenda_item_list_for_user(user=request.user), pk=pk)


def _issue_or_404(request, pk):
    return get_object_or_404(selectors.issue_list_for_user(user=request.user), pk=pk)


def _form_page(request, form, *, title, caption, back):
    return render(request, "boards/form.html", {"form": form, "title": title, "caption": caption, "back": back})
