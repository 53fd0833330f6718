"""What every Joint Boards view shares: who may write, and lookups that are a 404 for other organisations."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from core.access import has_role
from partnerships.models import Role

from .. import selectors
from ..models import Board

SECRETARY = Role.BOARD_SECRETARY


def _can_write(user) -> bool:
    return has_role(user, SECRETARY)


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
