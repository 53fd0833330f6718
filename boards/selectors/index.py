"""Seed 001, appendix 3: the Index of Joint Boards, one row per board the user may see."""

from django.db.models import Prefetch

from ..models import BoardMember, Meeting
from .boards import board_list_for_user

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
