"""Every boards write service checks its own rule (README: a board secretary sets up a board; after that only
its named secretariat and co-chairs change its records; the owner of an action may mark it done), so a
Celery task or a future API meets the same refusal as the pages' 403."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from boards import services
from boards.models import Action, AgendaItem, Attendance, Board, BoardMember, Issue, IssueEscalation, Meeting
from partnerships.models import Role
from tests.boards.factories import ActionFactory, AgendaItemFactory
from tests.partnerships.factories import OrganisationFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

REFUSED = "Only the board's secretariat and co-chairs can change its records."


@pytest.fixture
def records(board_records, la_chair):
    """The board's records, and a member of staff of the council who is not on the board yet."""
    return {**board_records, "newcomer": StaffUserFactory(membership__organisation=la_chair.membership.organisation)}


# Each boards write service, called as `by`; each entry also says how to read back what it would change.
WRITES = {
    "board_member_add": lambda r, by: services.board_member_add(
        board=r["board"], person=r["newcomer"], role=BoardMember.Role.MEMBER, by=by
    ),
    "board_member_remove": lambda r, by: services.board_member_remove(member=r["member"], by=by),
    "board_update": lambda r, by: services.board_update(
        board=r["board"], by=by, co_chair_a=r["board"].co_chair_a, co_chair_b=r["board"].co_chair_b, title="Renamed"
    ),
    "meeting_plan": lambda r, by: services.meeting_plan(
        board=r["board"], by=by, date=date(2026, 6, 9), place="Northshire County Hall"
    ),
    "meeting_update": lambda r, by: services.meeting_update(meeting=r["meeting"], by=by, place="Town Hall"),
    "meeting_status_set": lambda r, by: services.meeting_status_set(
        meeting_id=r["meeting"].pk, to=Meeting.Status.CANCELLED, by=by
    ),
    "agenda_item_add": lambda r, by: services.agenda_item_add(meeting=r["meeting"], by=by, title="Fraud referrals"),
    "agenda_item_update": lambda r, by: services.agenda_item_update(item=r["item"], by=by, title="Renamed item"),
    "agenda_item_move": lambda r, by: services.agenda_item_move(item_id=r["item"].pk, direction="down", by=by),
    "agenda_item_minutes_record": lambda r, by: services.agenda_item_minutes_record(
        item=r["item"], by=by, minutes="Discussed."
    ),
    "issue_add_to_agenda": lambda r, by: services.issue_add_to_agenda(issue=r["issue"], meeting=r["meeting"], by=by),
    "attendance_record": lambda r, by: services.attendance_record(
        meeting=r["meeting"], person=r["board"].co_chair_a, status=Attendance.Status.PRESENT, by=by
    ),
    "attendance_register_record": lambda r, by: services.attendance_register_record(
        meeting=r["meeting"], statuses=[(r["board"].co_chair_a, Attendance.Status.PRESENT)], by=by
    ),
    "action_add": lambda r, by: services.action_add(
        item=r["item"], by=by, description="Send the figures", owner=r["board"].co_chair_a, due_on=date(2026, 4, 1)
    ),
    "action_status_set": lambda r, by: services.action_status_set(
        action_id=r["action"].pk, to=Action.Status.DONE, by=by
    ),
    "issue_escalate": lambda r, by: services.issue_escalate(
        issue_id=r["issue"].pk, to_level=2, reason="No answer", lower_level_attempt="Two e-mails", by=by
    ),
    "issue_resolve": lambda r, by: services.issue_resolve(issue_id=r["issue"].pk, outcome="Claims now on time", by=by),
}


def _state(r) -> dict:
    """Everything the writes above could change, read fresh from the database."""
    return {
        "board": Board.objects.filter(pk=r["board"].pk).values("title", "co_chair_a", "co_chair_b").get(),
        "members": sorted(BoardMember.objects.filter(board=r["board"]).values_list("person_id", "role")),
        "meetings": sorted(Meeting.objects.filter(board=r["board"]).values_list("pk", "status", "place")),
        "items": sorted(
            AgendaItem.objects.filter(meeting__board=r["board"]).values_list("title", "position", "minutes")
        ),
        "attendance": Attendance.objects.filter(meeting__board=r["board"]).count(),
        "actions": sorted(Action.objects.filter(agenda_item__meeting__board=r["board"]).values_list("pk", "status")),
        "issues": sorted(Issue.objects.filter(board=r["board"]).values_list("pk", "status", "level")),
        "escalations": IssueEscalation.objects.count(),
    }


@pytest.mark.parametrize("who", ["plain_member", "other_secretary"])
@pytest.mark.parametrize("service", sorted(WRITES))
def test_a_user_not_on_the_secretariat_is_refused_by_every_write_and_nothing_changes(request, records, service, who):
    # given a member of the board, or another board secretary of a member organisation, neither on its
    # secretariat nor a co-chair (the plain member owns no action here)
    by = request.getfixturevalue(who)
    AgendaItemFactory(meeting=records["meeting"], position=2, title="Any other business")
    before = _state(records)
    # when they call the service directly
    with pytest.raises(PermissionDenied) as refused:
        WRITES[service](records, by)
    # then it is refused with the rule in plain words, and nothing was written
    assert str(refused.value) == REFUSED
    assert _state(records) == before


@pytest.mark.parametrize("service", sorted(WRITES))
def test_the_secretariat_may_make_every_write(records, secretary, service):
    AgendaItemFactory(meeting=records["meeting"], position=2, title="Any other business")
    before = _state(records)
    WRITES[service](records, secretary)
    assert _state(records) != before


def test_the_owner_of_an_action_may_mark_it_done_without_running_the_board(records, plain_member):
    # given an action owned by an ordinary member of the board
    action = ActionFactory(agenda_item=records["item"], owner=plain_member, description="Book the room")
    # when the owner marks it done
    services.action_status_set(action_id=action.pk, to=Action.Status.DONE, by=plain_member)
    # then it is done; another member's action stays theirs
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    with pytest.raises(PermissionDenied):
        services.action_status_set(action_id=records["action"].pk, to=Action.Status.DONE, by=plain_member)


def test_only_a_board_secretary_may_set_up_a_board(la_chair, council, secretary):
    jcp = OrganisationFactory(name="Northshire Jobcentre Plus", kind="jobcentre_plus")
    fields = {
        "organisations": [jcp, council],
        "co_chair_a": StaffUserFactory(membership__organisation=jcp),
        "co_chair_b": la_chair,
        "title": "Northshire Joint Board",
        "kind": Board.Kind.JCP_LA,
        "district": "Northshire",
        "established_on": date(2025, 4, 1),
    }
    # a partnership manager (a co-chair to be) is refused
    with pytest.raises(PermissionDenied) as refused:
        services.board_create(by=la_chair, **fields)
    assert str(refused.value) == "Only a board secretary can set up a board."
    assert not Board.objects.filter(title="Northshire Joint Board").exists()
    # a board secretary sets it up
    assert services.board_create(by=secretary, **fields).title == "Northshire Joint Board"


def test_only_staff_of_the_boards_organisations_may_raise_an_issue_on_it(records, user_with_roles, plain_member):
    stranger = user_with_roles(OrganisationFactory(name="Southshire DC", kind="district_council"), Role.BOARD_SECRETARY)
    issue = {
        "title": "Claims delayed",
        "category": "processing_delay",
        "description": "New claims take 20 days.",
        "lowest_level_attempt": "E-mailed the benefit centre.",
    }
    with pytest.raises(PermissionDenied) as refused:
        services.issue_raise(board=records["board"], by=stranger, **issue)
    assert str(refused.value) == "Only staff of the board's organisations can raise an issue on it."
    assert not Issue.objects.filter(title="Claims delayed").exists()
    # an ordinary member of the board (staff of a member organisation) raises it at level 1
    assert services.issue_raise(board=records["board"], by=plain_member, **issue).level == 1
