"""Boards and their members: two co-chairs from different lead organisations."""

from django.core.exceptions import ValidationError
from django.db import transaction

from core.access import organisation_of
from core.audit import save_with_history

from ..models import (
    Board,
    BoardMember,
    BoardOrganisation,
)
from .permissions import board_manager_check, board_setup_check

BOARD_FIELDS = ["title", "kind", "district", "scope", "terms_of_reference", "established_on", "erm_contact", "comments"]
DEFAULT_RULE_FOR_KIND = {
    Board.Kind.JCP_LA: Board.MeetingRule.TWO_IN_12_MONTHS,
    Board.Kind.MANAGEMENT: Board.MeetingRule.QUARTERLY,
    Board.Kind.FORUM: Board.MeetingRule.NONE,
}


def _check_co_chairs(*, co_chair_a, co_chair_b, organisations) -> None:
    org_a, org_b = organisation_of(co_chair_a), organisation_of(co_chair_b)
    if org_a is None or org_b is None:
        raise ValidationError({"co_chair_b": "Both co-chairs must be staff of an organisation"})
    if org_a == org_b:
        raise ValidationError({"co_chair_b": "The co-chairs must come from different lead organisations"})
    missing = {org_a, org_b} - set(organisations)
    if missing:
        raise ValidationError({"organisations": "The co-chairs' organisations must be members of the board"})


@transaction.atomic
def board_create(
    *, by, organisations, co_chair_a, co_chair_b, meeting_rule: str = "", secretariat=(), **fields
) -> Board:
    """Set up a board (board secretaries only): two co-chairs from different lead organisations, and its
    secretariat (who run its pages with the co-chairs); the frequency rule defaults from the kind."""
    board_setup_check(by=by)
    organisations = list(dict.fromkeys(organisations))
    _check_co_chairs(co_chair_a=co_chair_a, co_chair_b=co_chair_b, organisations=organisations)
    board = Board(co_chair_a=co_chair_a, co_chair_b=co_chair_b, **fields)
    board.meeting_rule = meeting_rule or DEFAULT_RULE_FOR_KIND.get(board.kind, Board.MeetingRule.NONE)
    save_with_history(board, by=by)
    for organisation in organisations:
        BoardOrganisation.objects.create(board=board, organisation=organisation)
    for chair in (co_chair_a, co_chair_b):
        _member_add(board=board, person=chair, role=BoardMember.Role.CO_CHAIR, by=by)
    for person in dict.fromkeys(p for p in secretariat if p is not None):
        if person not in (co_chair_a, co_chair_b):  # a co-chair already supports the secretariat
            _member_add(board=board, person=person, role=BoardMember.Role.SECRETARIAT, by=by)
    return board


def _member_add(*, board: Board, person, role: str, by) -> BoardMember:
    organisation = organisation_of(person)
    if organisation is None:
        raise ValidationError({"person": "This person is not staff of an organisation"})
    if BoardMember.objects.filter(board=board, person=person).exists():
        raise ValidationError({"person": "This person is already a member of the board"})
    BoardOrganisation.objects.get_or_create(board=board, organisation=organisation)
    return save_with_history(BoardMember(board=board, person=person, organisation=organisation, role=role), by=by)


@transaction.atomic
def board_member_add(*, board: Board, person, role: str, by) -> BoardMember:
    """Add a person to a board; their organisation joins the board if it was not already on it."""
    board_manager_check(board=board, by=by)
    return _member_add(board=board, person=person, role=role, by=by)


def _make_co_chair(*, board: Board, person, by) -> None:
    organisation = organisation_of(person)
    BoardOrganisation.objects.get_or_create(board=board, organisation=organisation)
    member = BoardMember.objects.filter(board=board, person=person).first()
    if member is None:
        member = BoardMember(board=board, person=person, organisation=organisation)
    member.role = BoardMember.Role.CO_CHAIR
    save_with_history(member, by=by)


@transaction.atomic
def board_update(*, board: Board, by, co_chair_a, co_chair_b, **fields) -> Board:
    """Change a board's details; the co-chairs must still come from two different lead organisations.
    A new co-chair joins the board (with their organisation); a replaced one stays on as a member."""
    board = Board.objects.select_for_update().get(pk=board.pk)
    board_manager_check(board=board, by=by)
    org_a, org_b = organisation_of(co_chair_a), organisation_of(co_chair_b)
    _check_co_chairs(co_chair_a=co_chair_a, co_chair_b=co_chair_b, organisations=[org_a, org_b])
    old_chairs = {board.co_chair_a_id, board.co_chair_b_id}
    for name, value in fields.items():
        setattr(board, name, value)
    board.co_chair_a, board.co_chair_b = co_chair_a, co_chair_b
    save_with_history(board, by=by)
    for chair in (co_chair_a, co_chair_b):
        _make_co_chair(board=board, person=chair, by=by)
    for member in BoardMember.objects.filter(board=board, person_id__in=old_chairs - {co_chair_a.pk, co_chair_b.pk}):
        member.role = BoardMember.Role.MEMBER
        save_with_history(member, by=by)
    return board


@transaction.atomic
def board_member_remove(*, member: BoardMember, by) -> None:
    """Remove a person from a board; a co-chair cannot be removed (change the co-chairs first)."""
    board = member.board
    board_manager_check(board=board, by=by)
    if member.person_id in (board.co_chair_a_id, board.co_chair_b_id):
        raise ValidationError("A co-chair cannot be removed. Change the board's co-chairs first.")
    member._history_user = by
    member.delete()
