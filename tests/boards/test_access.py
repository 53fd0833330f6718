"""Who sees and who runs a board: fraud-scope boards are for their members only; a board's own
secretariat and co-chairs run it, not every board secretary."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from boards import services
from boards.models import Board, BoardMember, Meeting
from core.models import Notification
from partnerships.models import Role
from tests.boards.factories import ActionFactory, AgendaItemFactory, BoardFactory, IssueFactory, MeetingFactory
from tests.partnerships.factories import OrganisationFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fraud(la_chair):
    """A fraud-scope board co-chaired by la_chair, with a meeting, an item, an action and an issue."""
    board = BoardFactory(title="Northshire Fraud Board", scope=Board.Scope.FRAUD, co_chair_b=la_chair)
    meeting = MeetingFactory(board=board, date=date(2026, 3, 10))
    item = AgendaItemFactory(meeting=meeting, position=1, title="Fraud referrals", papers="boards/papers/x.pdf")
    action = ActionFactory(agenda_item=item, owner=la_chair, description="Fraud action")
    issue = IssueFactory(board=board, title="Fraud issue", raised_by=la_chair)
    return {"board": board, "meeting": meeting, "item": item, "action": action, "issue": issue}


RESTRICTED = [
    ("boards:board-detail", "board"),
    ("boards:issue-create", "board"),
    ("boards:meeting-detail", "meeting"),
    ("boards:meeting-agenda-print", "meeting"),
    ("boards:meeting-agenda-pdf", "meeting"),
    ("boards:meeting-minutes-print", "meeting"),
    ("boards:meeting-minutes-pdf", "meeting"),
    ("boards:agenda-item-papers", "item"),
    ("boards:issue-detail", "issue"),
]
LISTS = ["boards:board-list", "boards:issue-list", "boards:board-index", "boards:home"]


@pytest.mark.parametrize("who", ["colleague", "stranger"])
@pytest.mark.parametrize(("name", "key"), RESTRICTED)
def test_a_fraud_boards_items_are_404_to_non_members(client, fraud, council, user_with_roles, who, name, key):
    # a council colleague who is not a member of the board, and a user of an organisation not on it
    organisation = council if who == "colleague" else OrganisationFactory(name="Southshire DC", kind="district_council")
    client.force_login(user_with_roles(organisation, Role.BOARD_SECRETARY, Role.PARTNERSHIP_MANAGER))
    assert client.get(reverse(name, args=[fraud[key].pk])).status_code == 404


@pytest.mark.parametrize("who", ["colleague", "stranger"])
def test_a_fraud_board_is_left_out_of_every_list_of_a_non_member(client, fraud, council, user_with_roles, who):
    organisation = council if who == "colleague" else OrganisationFactory(name="Southshire DC", kind="district_council")
    client.force_login(user_with_roles(organisation, Role.BOARD_SECRETARY))
    for name in LISTS:
        body = client.get(reverse(name)).content.decode()
        assert "Northshire Fraud Board" not in body and "Fraud issue" not in body, name
    rows = list(csv.reader(io.StringIO(client.get(reverse("boards:board-index-csv")).content.decode())))
    assert len(rows) == 1  # the header only


def test_a_fraud_boards_member_sees_its_items(client, fraud, la_chair):
    client.force_login(la_chair)
    for name, key in RESTRICTED:
        if name == "boards:agenda-item-papers":
            continue  # the file is not on disk here; tests/boards/test_papers.py downloads real papers
        assert client.get(reverse(name, args=[fraud[key].pk])).status_code == 200, name
    assert "Fraud action" in client.get(reverse("boards:my-actions")).content.decode()
    assert "Northshire Fraud Board" in client.get(reverse("boards:board-index")).content.decode()


# --- The board's secretariat ---------------------------------------------------------------------


def test_setting_up_a_board_makes_its_creator_the_secretariat(client, secretary, la_chair, other_secretary):
    jcp = OrganisationFactory(name="Northshire Jobcentre Plus", kind="jobcentre_plus")
    jcp_chair = StaffUserFactory(membership__organisation=jcp)
    client.force_login(secretary)
    page = client.get(reverse("boards:board-create")).content.decode()
    assert f'<option value="{secretary.pk}" selected>' in page
    response = client.post(
        reverse("boards:board-create"),
        {
            "title": "Northshire Joint Board",
            "kind": Board.Kind.JCP_LA,
            "district": "Northshire",
            "scope": Board.Scope.JOINT,
            "organisations": [jcp.pk, la_chair.membership.organisation_id],
            "co_chair_a": jcp_chair.pk,
            "co_chair_b": la_chair.pk,
            "secretariat": secretary.pk,
            "established_on_0": "1",
            "established_on_1": "4",
            "established_on_2": "2025",
            "terms_of_reference": "To meet.",
        },
    )
    assert response.status_code == 302
    board = Board.objects.get(title="Northshire Joint Board")
    assert BoardMember.objects.get(board=board, person=secretary).role == BoardMember.Role.SECRETARIAT
    assert client.get(reverse("boards:meeting-create", args=[board.pk])).status_code == 200
    # another board secretary of the council reads the board but does not run it
    client.force_login(other_secretary)
    assert client.get(board.get_absolute_url()).status_code == 200
    assert client.get(reverse("boards:meeting-create", args=[board.pk])).status_code == 403


def test_a_co_chair_named_as_secretariat_stays_a_co_chair(secretary, la_chair, council):
    jcp = OrganisationFactory(name="Northshire Jobcentre Plus", kind="jobcentre_plus")
    board = services.board_create(
        by=secretary,
        organisations=[jcp, council],
        co_chair_a=StaffUserFactory(membership__organisation=jcp),
        co_chair_b=la_chair,
        secretariat=[la_chair, secretary],
        title="Northshire Joint Board",
        kind=Board.Kind.JCP_LA,
        district="Northshire",
        scope=Board.Scope.JOINT,
        established_on=date(2025, 4, 1),
    )
    roles = dict(board.members.values_list("person_id", "role"))
    assert roles[la_chair.pk] == BoardMember.Role.CO_CHAIR and roles[secretary.pk] == BoardMember.Role.SECRETARIAT
    assert len(roles) == 3


def test_a_board_without_a_secretariat_reminds_its_co_chairs(la_chair):
    # given a board with no named secretariat and an action two weeks overdue
    board = BoardFactory(co_chair_b=la_chair)
    item = AgendaItemFactory(meeting=MeetingFactory(board=board), position=1)
    ActionFactory(agenda_item=item, owner=la_chair, due_on=date(2026, 4, 1))
    # when the daily reminders run
    sent = services.action_reminders_send(today=date(2026, 4, 15))
    # then the owner is told, and the co-chairs as the secretariat
    assert sent == 2
    assert Notification.objects.filter(recipient=board.co_chair_a).count() == 1
    assert Notification.objects.filter(recipient=la_chair).count() == 2


def test_review_of_actions_lists_open_actions_of_earlier_meetings_only(client, plain_member, board):
    # given actions from an earlier and a later meeting, one of them done
    earlier = MeetingFactory(board=board, date=date(2026, 1, 10), status=Meeting.Status.HELD)
    ActionFactory(agenda_item=AgendaItemFactory(meeting=earlier, position=1), description="Send the figures")
    ActionFactory(agenda_item=AgendaItemFactory(meeting=earlier, position=2), description="Already done", status="done")
    meeting = MeetingFactory(board=board, date=date(2026, 3, 10))
    later = MeetingFactory(board=board, date=date(2026, 6, 10))
    ActionFactory(agenda_item=AgendaItemFactory(meeting=later, position=1), description="Later action")
    client.force_login(plain_member)
    agenda = client.get(reverse("boards:meeting-agenda-print", args=[meeting.pk])).content.decode()
    review = agenda[agenda.index('data-testid="review-actions"') :]
    assert "Send the figures" in review
    assert "Already done" not in review and "Later action" not in review
