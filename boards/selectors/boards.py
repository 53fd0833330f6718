"""Reads for Joint Boards, scoped to what the user's organisation may see.

A user sees boards their organisation belongs to; a fraud-scope board only its own members see. Its
meetings, agenda items, actions and issues follow the board, so another organisation gets a 404.
"""

from datetime import date, timedelta
from itertools import groupby

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from core.access import organisation_of, roles_of
from partnerships.models import Role

from .compliance import board_compliance
from .models import Action, AgendaItem, Board, BoardMember, BoardOrganisation, Issue, IssueLevel, Meeting
from .services import issue_target_date


def board_list_for_user(*, user) -> QuerySet[Board]:
    """Boards the user's organisation belongs to (fraud boards: only if the user is a member)."""
    organisation = organisation_of(user)
    if organisation is None:
        return Board.objects.none()
    org_member = Exists(BoardOrganisation.objects.filter(board=OuterRef("pk"), organisation=organisation))
    person_member = Exists(BoardMember.objects.filter(board=OuterRef("pk"), person=user))
    return Board.objects.filter((org_member & ~Q(scope=Board.Scope.FRAUD)) | person_member)


def board_managed_by(*, user, board: Board) -> bool:
    """Whether the user runs the board's pages: its named secretariat and its co-chairs (seed 001,
    appendix 1: "Joint chairs to provide secretariat support to the Board"), or an administrator. The
    board secretary role alone is not enough: it lets a user set up boards, not run other boards."""
    if not getattr(user, "is_authenticated", False) or organisation_of(user) is None:
        return False
    if user.pk in (board.co_chair_a_id, board.co_chair_b_id) or Role.ADMIN in roles_of(user):
        return True
    return BoardMember.objects.filter(board_id=board.pk, person=user, role=BoardMember.Role.SECRETARIAT).exists()


def board_list_with_compliance(*, user, today: date | None = None) -> list[Board]:
    """The board list: each board with its co-chairs, organisations and compliance (`board.compliance`),
    in a fixed number of queries."""
    today = today or timezone.localdate()
    held = Meeting.objects.filter(status=Meeting.Status.HELD).only("id", "board_id", "date")
    upcoming = Meeting.objects.filter(status=Meeting.Status.PLANNED, date__gte=today).order_by("date")
    boards = list(
        board_list_for_user(user=user)
        .select_related("co_chair_a", "co_chair_b")
        .prefetch_related(
            "organisations",
            Prefetch("meetings", queryset=held, to_attr="held_meetings"),
            Prefetch("meetings", queryset=upcoming, to_attr="upcoming_meetings"),
        )
        .order_by("title")
    )
    for board in boards:
        _attach_compliance(board, today)
    return boards


def _attach_compliance(board: Board, today: date) -> None:
    board.compliance = board_compliance(
        rule=board.meeting_rule,
        established_on=board.established_on,
        held_dates=[m.date for m in board.held_meetings],
        today=today,
    )
    board.next_meeting = board.upcoming_meetings[0] if board.upcoming_meetings else None


def board_detail_for_user(*, user, pk: int, today: date | None = None) -> Board:
    """One board the user may see, with compliance; raises Board.DoesNotExist otherwise."""
    today = today or timezone.localdate()
    held = Meeting.objects.filter(status=Meeting.Status.HELD).only("id", "board_id", "date")
    upcoming = Meeting.objects.filter(status=Meeting.Status.PLANNED, date__gte=today).order_by("date")
    board = (
        board_list_for_user(user=user)
        .select_related("co_chair_a", "co_chair_b", "erm_contact")
        .prefetch_related(
            Prefetch("meetings", queryset=held, to_attr="held_meetings"),
            Prefetch("meetings", queryset=upcoming, to_attr="upcoming_meetings"),
        )
        .get(pk=pk)
    )
    _attach_compliance(board, today)
    return board


def meeting_list_for_user(*, user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(board__in=board_list_for_user(user=user)).select_related("board")


def agenda_item_list_for_user(*, user) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(meeting__board__in=board_list_for_user(user=user)).select_related("meeting__board")


def board_member_list_for_user(*, user) -> QuerySet[BoardMember]:
    return BoardMember.objects.filter(board__in=board_list_for_user(user=user)).select_related("board", "person")


def action_list_for_user(*, user) -> QuerySet[Action]:
    return Action.objects.filter(agenda_item__meeting__board__in=board_list_for_user(user=user)).select_related(
        "owner", "agenda_item__meeting__board"
    )


def my_open_actions(*, user) -> QuerySet[Action]:
    return action_list_for_user(user=user).filter(owner=user, status=Action.Status.OPEN)


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


def meeting_detail(*, meeting: Meeting):
    """A meeting's agenda (with actions and issues), attendance and open actions from earlier meetings; for
    the meeting page and its printed agenda and minutes."""
    items = list(
        meeting.agenda_items.select_related("issue").prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("owner"))
        )
    )
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


INDEX_HEADER = [
    "Board title",
    "Jobcentre Plus district office",
    "Local authority joint board members",
    "Jobcentre Plus chair",
    "Local authority chair",
    "District ERM name",
    "District ERM telephone",
    "District ERM e-mail",
    "Date of first joint board meeting",
    "Scope",
    "Jobcentre Plus secretariat",
    "Local authority secretariat",
    "Comments",
]

LA_KINDS = {"council", "district_council"}


def _name(user) -> str:
    return user.get_full_name() or user.username


def board_index_rows(*, user) -> list[list[str]]:
    """Seed 001, appendix 3: one row of the Index of Joint Boards for every board the user may see."""
    first_meetings = Meeting.objects.exclude(status=Meeting.Status.CANCELLED).order_by("date")
    members = BoardMember.objects.select_related("person", "organisation")
    boards = (
        board_list_for_user(user=user)
        .select_related("co_chair_a__membership__organisation", "co_chair_b__membership__organisation", "erm_contact")
        .prefetch_related(
            Prefetch("meetings", queryset=first_meetings, to_attr="dated_meetings"),
            Prefetch("members", queryset=members, to_attr="all_members"),
        )
        .order_by("title")
    )
    rows = []
    for board in boards:
        jcp_chair = la_chair = ""
        for chair in (board.co_chair_a, board.co_chair_b):
            kind = chair.membership.organisation.kind
            if kind == "jobcentre_plus" and not jcp_chair:
                jcp_chair = _name(chair)
            elif kind in LA_KINDS and not la_chair:
                la_chair = _name(chair)
        la_members = [m for m in board.all_members if m.organisation.kind in LA_KINDS]
        secretariat = [m for m in board.all_members if m.role == BoardMember.Role.SECRETARIAT]
        erm = board.erm_contact

        def contacts(people):
            return "; ".join(
                f"{_name(m.person)} <{m.person.email}>" if m.person.email else _name(m.person) for m in people
            )

        first = board.dated_meetings[0].date.isoformat() if board.dated_meetings else ""
        rows.append(
            [
                board.title,
                board.district,
                "; ".join(f"{_name(m.person)} ({m.organisation.display_name})" for m in la_members),
                jcp_chair,
                la_chair,
                erm.name if erm else "",
                erm.phone if erm else "",
                erm.email if erm else "",
                first,
                board.get_scope_display(),
                contacts(m for m in secretariat if m.organisation.kind == "jobcentre_plus"),
                contacts(m for m in secretariat if m.organisation.kind in LA_KINDS),
                board.comments,
            ]
        )
    return rows
