"""Reads for meetings, their agenda items and actions, scoped through the boards the user may see."""

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ..models import Action, AgendaItem, Meeting
from .boards import board_list_for_user


def meeting_list_for_user(*, user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(board__in=board_list_for_user(user=user)).select_related("board")


def agenda_item_list_for_user(*, user) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(meeting__board__in=board_list_for_user(user=user)).select_related("meeting__board")


def action_list_for_user(*, user) -> QuerySet[Action]:
    return Action.objects.filter(agenda_item__meeting__board__in=board_list_for_user(user=user)).select_related(
        "owner", "agenda_item__meeting__board"
    )


def my_open_actions(*, user, today: date | None = None) -> list[Action]:
    """The user's own open actions on the boards they may see, each with `overdue` set for display."""
    today = today or timezone.localdate()
    actions = list(action_list_for_user(user=user).filter(owner=user, status=Action.Status.OPEN))
    for action in actions:
        action.overdue = action.is_overdue(today)
    return actions


def meeting_detail(*, meeting: Meeting, today: date | None = None):
    """A meeting's agenda (with actions and issues, each action with `overdue` set), attendance and open
    actions from earlier meetings; for the meeting page and its printed agenda and minutes."""
    today = today or timezone.localdate()
    items = list(
        meeting.agenda_items.select_related("issue").prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("owner"))
        )
    )
    for item in items:
        for action in item.actions.all():
            action.overdue = action.is_overdue(today)
    attendances = list(meeting.attendances.select_related("person"))
    # "Review of actions": the open actions raised at the board's earlier meetings.
    review = list(
        Action.objects.filter(
            agenda_item__meeting__board_id=meeting.board_id,
            agenda_item__meeting__date__lt=meeting.date,
            status=Action.Status.OPEN,
        ).select_related("owner", "agenda_item__meeting")
    )
    return items, attendances, review
