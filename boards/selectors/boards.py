"""Reads for Joint Boards, scoped to what the user's organisation may see.

A user sees boards their organisation belongs to; a fraud-scope board only its own members see. Its
meetings, agenda items, actions and issues follow the board, so another organisation gets a 404.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from core.access import organisation_of, roles_of
from partnerships.models import Role

from ..compliance import board_compliance
from ..models import Board, BoardMember, BoardOrganisation, Meeting


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


def board_member_list_for_user(*, user) -> QuerySet[BoardMember]:
    return BoardMember.objects.filter(board__in=board_list_for_user(user=user)).select_related("board", "person")


def board_secretariat(*, board: Board) -> list:
    """Who is told about the board's overdue actions and issues: its named secretariat; without one, its
    co-chairs (seed 001, appendix 1: "Joint chairs to provide secretariat support to the Board")."""
    people = list(
        get_user_model().objects.filter(
            is_active=True, board_memberships__board_id=board.pk, board_memberships__role=BoardMember.Role.SECRETARIAT
        )
    )
    return people or [chair for chair in (board.co_chair_a, board.co_chair_b) if chair.is_active]
