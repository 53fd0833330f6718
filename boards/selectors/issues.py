"""Reads for the issues log, scoped through the boards the user may see."""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from partnerships.models import Contact

from ..issue_targets import issue_target_date
from ..models import AgendaItem, Issue, Meeting
from .boards import board_list_for_user


def issue_list_for_user(*, user) -> QuerySet[Issue]:
    return Issue.objects.filter(board__in=board_list_for_user(user=user)).select_related(
        "board", "raised_by", "raised_by_organisation", "referred_to__organisation", "resolved_by"
    )


def issues_with_targets(*, issues, today: date | None = None) -> list[Issue]:
    """Issues with `target_date` and `is_overdue` set for display."""
    today = today or timezone.localdate()
    issues = list(issues)
    for issue in issues:
        issue.target_date = issue_target_date(issue) if issue.status == Issue.Status.OPEN else None
        issue.is_overdue = issue.target_date is not None and issue.target_date < today
    return issues


def issue_meetings(*, issue: Issue) -> list[AgendaItem]:
    """The agenda items (with their meetings) at which the issue was, or will be, discussed."""
    return list(issue.agenda_items.select_related("meeting").order_by("meeting__date", "position"))


def planned_meetings_for_issue(*, issue: Issue) -> QuerySet[Meeting]:
    """Planned meetings of the issue's board it is not yet on the agenda of."""
    return (
        Meeting.objects.filter(board_id=issue.board_id, status=Meeting.Status.PLANNED)
        .exclude(agenda_items__issue=issue)
        .order_by("date", "time")
    )


def issue_contacts_for_resolution(*, issue: Issue):
    """Contacts who may be told an issue's outcome: active contacts of the board's organisations, and the
    contact the issue was referred to."""
    on_board = Q(is_active=True, organisation__board_memberships__board_id=issue.board_id)
    if issue.referred_to_id:
        on_board |= Q(pk=issue.referred_to_id)
    return (
        Contact.objects.filter(on_board)
        .distinct()
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )
