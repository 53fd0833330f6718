"""The secretariat's home page: what needs doing across the user's boards."""

from datetime import date, timedelta
from itertools import groupby

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from ..models import Action, AgendaItem, Issue, IssueLevel, Meeting
from .boards import board_list_for_user

HOME_UPCOMING_DAYS = 60
# Age bands for open issues on the secretariat's home page, in days since the issue was raised.
ISSUE_AGE_BANDS = [(0, 28, "Up to 4 weeks"), (29, 84, "4 to 12 weeks"), (85, None, "Over 12 weeks")]


def secretariat_home(*, user, today: date | None = None) -> dict:
    """The secretariat's home page: meetings in the next 60 days, planned meetings whose agenda items
    lack papers, open actions grouped by owner, and open issues counted by level and age band."""
    today = today or timezone.localdate()
    boards = board_list_for_user(user=user)
    item_without_papers = Exists(AgendaItem.objects.filter(meeting=OuterRef("pk"), papers=""))
    upcoming = list(
        Meeting.objects.filter(
            board__in=boards,
            status=Meeting.Status.PLANNED,
            date__gte=today,
            date__lte=today + timedelta(days=HOME_UPCOMING_DAYS),
        )
        .select_related("board")
        .annotate(lacks_papers=item_without_papers)
        .order_by("date", "time")
    )
    papers_missing = list(
        Meeting.objects.filter(board__in=boards, status=Meeting.Status.PLANNED, date__gte=today)
        .filter(item_without_papers)
        .select_related("board")
        .prefetch_related(Prefetch("agenda_items", queryset=AgendaItem.objects.filter(papers=""), to_attr="unpapered"))
        .order_by("date", "time")
    )
    actions = list(
        Action.objects.filter(agenda_item__meeting__board__in=boards, status=Action.Status.OPEN)
        .select_related("owner", "agenda_item__meeting__board")
        .order_by("owner__last_name", "owner__first_name", "owner_id", "due_on", "pk")
    )
    for action in actions:
        action.overdue = action.is_overdue(today)
    actions_by_owner = [(owner, list(group)) for owner, group in groupby(actions, key=lambda a: a.owner)]
    issues = Issue.objects.filter(board__in=boards, status=Issue.Status.OPEN).values_list("level", "raised_on")
    counts = {(level, band): 0 for level in IssueLevel.values for band in range(len(ISSUE_AGE_BANDS))}
    for level, raised_on in issues:
        age = (today - raised_on).days
        band = next(i for i, (low, high, _) in enumerate(ISSUE_AGE_BANDS) if high is None or age <= high)
        counts[(level, band)] += 1
    issues_by_level = [
        {
            "level": level,
            "label": label,
            "bands": [counts[(level, band)] for band in range(len(ISSUE_AGE_BANDS))],
            "total": sum(counts[(level, band)] for band in range(len(ISSUE_AGE_BANDS))),
        }
        for level, label in IssueLevel.choices
    ]
    return {
        "upcoming_meetings": upcoming,
        "papers_missing": papers_missing,
        "actions_by_owner": actions_by_owner,
        "issues_by_level": issues_by_level,
        "age_bands": [label for _, _, label in ISSUE_AGE_BANDS],
        "upcoming_days": HOME_UPCOMING_DAYS,
    }
