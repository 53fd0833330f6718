import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards.models import Attendance, Board, BoardMember, Issue, Meeting
from boards.selectors import INDEX_HEADER
from partnerships.models import Role
from tests.boards.factories import ActionFactory, AgendaItemFactory, BoardFactory, IssueFactory, MeetingFactory
from tests.partnerships.factories import ContactFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(board):
    meeting = MeetingFactory(board=board, date=date(2025, 10, 1), status=Meeting.Status.HELD)
    item = AgendaItemFactory(meeting=meeting, position=1)
    action = ActionFactory(agenda_item=item)
    issue = IssueFactory(board=board)
    return {"board": board, "meeting": meeting, "item": item, "action": action, "issue": issue}


READ_URLS = [
    ("boards:board-detail", "board"),
    ("boards:meeting-detail", "meeting"),
    ("boards:issue-detail", "issue"),
]
WRITE_URLS = [
    ("boards:board-member-add", "board"),
    ("boards:meeting-create", "board"),
    ("boards:meeting-status", "meeting"),
    ("boards:agenda-item-create", "meeting"),
    ("boards:attendance-record", "meeting"),
    ("boards:minutes-record", "item"),
    ("boards:action-create", "item"),
    ("boards:action-status", "action"),
    ("boards:issue-escalate", "issue"),
    ("boards:issue-resolve", "issue"),
]


@pytest.mark.parametrize(("name", "key"), [*READ_URLS, ("boards:issue-create", "board")])
def test_member_organisation_reads(client, la_chair, records, name, key):
    client.force_login(la_chair)
    assert client.get(reverse(name, args=[records[key].pk])).status_code == 200


@pytest.mark.parametrize(("name", "key"), [*READ_URLS, *WRITE_URLS, ("boards:issue-create", "board")])
def test_another_organisation_gets_404_on_every_detail_and_action_url(
    client, other_organisation, user_with_roles, records, name, key
):
    client.force_login(user_with_roles(other_organisation, Role.BOARD_SECRETARY))
    url = reverse(name, args=[records[key].pk])
    assert client.get(url).status_code in (404, 405)
    assert client.post(url, {"status": "held"}).status_code == 404


@pytest.mark.parametrize("who", ["plain_member", "other_secretary"])
@pytest.mark.parametrize(("name", "key"), WRITE_URLS)
def test_only_the_boards_secretariat_and_co_chairs_write(client, request, records, name, key, who):
    # a plain member, and a board secretary of a member organisation who is not this board's secretariat
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse(name, args=[records[key].pk]), {"status": "held"}).status_code == 403
    if name not in ("boards:meeting-status", "boards:action-status"):
        assert client.get(reverse(name, args=[records[key].pk])).status_code == 403


def test_a_plain_member_cannot_set_up_a_board(client, plain_member):
    client.force_login(plain_member)
    assert client.get(reverse("boards:board-create")).status_code == 403


@pytest.mark.parametrize("who", ["secretary", "la_chair"])
def test_the_boards_secretariat_and_co_chairs_see_write_pages(client, request, records, who):
    client.force_login(request.getfixturevalue(who))
    for name, key in WRITE_URLS:
        if name in ("boards:meeting-status", "boards:action-status"):
            continue
        assert client.get(reverse(name, args=[records[key].pk])).status_code == 200, name


def test_write_buttons_show_only_to_those_who_run_the_board(client, records, secretary, plain_member, other_secretary):
    meeting_url, board_url = records["meeting"].get_absolute_url(), records["board"].get_absolute_url()
    add_item = reverse("boards:agenda-item-create", args=[records["meeting"].pk])
    plan = reverse("boards:meeting-create", args=[records["board"].pk])
    client.force_login(secretary)
    assert add_item in client.get(meeting_url).content.decode() and plan in client.get(board_url).content.decode()
    for reader in (plain_member, other_secretary):
        client.force_login(reader)
        assert add_item not in client.get(meeting_url).content.decode()
        assert plan not in client.get(board_url).content.decode()


def test_a_co_chair_records_minutes(client, la_chair, records):
    client.force_login(la_chair)
    response = client.post(
        reverse("boards:minutes-record", args=[records["item"].pk]), {"minutes": "Clearance times improved."}
    )
    assert response.status_code == 302
    records["item"].refresh_from_db()
    assert records["item"].minutes == "Clearance times improved."


def test_the_action_owner_marks_their_own_action_done_from_my_actions(client, plain_member, records):
    action = records["action"]
    action.owner = plain_member
    action.save()
    client.force_login(plain_member)
    page = client.get(reverse("boards:my-actions")).content.decode()
    assert reverse("boards:action-status", args=[action.pk]) in page
    response = client.post(reverse("boards:action-status", args=[action.pk]), {"status": "done", "back": "my-actions"})
    assert response.status_code == 302 and response["Location"] == reverse("boards:my-actions")
    action.refresh_from_db()
    assert action.status == "done"
    assert "You have no open actions." in client.get(reverse("boards:my-actions")).content.decode()


def test_a_plain_member_cannot_close_someone_elses_action(client, plain_member, records):
    client.force_login(plain_member)
    assert (
        client.post(reverse("boards:action-status", args=[records["action"].pk]), {"status": "done"}).status_code == 403
    )
    records["action"].refresh_from_db()
    assert records["action"].status == "open"


def test_fraud_board_is_visible_to_its_members_only(client, council, la_chair, user_with_roles):
    fraud = BoardFactory(title="Fraud board", scope=Board.Scope.FRAUD, co_chair_b=la_chair)
    colleague = user_with_roles(council, Role.PARTNERSHIP_MANAGER)
    client.force_login(colleague)
    assert client.get(fraud.get_absolute_url()).status_code == 404
    client.force_login(la_chair)
    assert client.get(fraud.get_absolute_url()).status_code == 200


def test_board_list_flags_falling_short_with_bounded_queries(client, la_chair, django_assert_max_num_queries):
    for n in range(5):
        board = BoardFactory(title=f"Board {n}", co_chair_b=la_chair, established_on=date(2020, 1, 1))
        MeetingFactory(board=board, date=date(2025, 1, 1), status=Meeting.Status.HELD)
    client.force_login(la_chair)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("boards:board-list"))
    assert response.content.decode().count('data-testid="falling-short"') == 5


def test_issue_list_shows_level_target_and_overdue_with_bounded_queries(
    client, board, la_chair, django_assert_max_num_queries
):
    for _ in range(5):
        IssueFactory(board=board, level_since=date(2025, 1, 6))
    client.force_login(la_chair)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("boards:issue-list"))
    body = response.content.decode()
    assert "1. Operational contact" in body and "13 January 2025" in body and "Overdue" in body


def test_meeting_page_shows_agenda_attendance_minutes_and_actions(client, secretary, records):
    item = records["item"]
    item.minutes = "Clearance times improved."
    item.save()
    client.force_login(secretary)
    body = client.get(records["meeting"].get_absolute_url()).content.decode()
    assert "1. Performance against the SLA" in body and "Clearance times improved." in body
    assert "Send the clearance-time figures" in body


def test_secretary_plans_a_meeting_and_adds_an_item(client, secretary, board):
    client.force_login(secretary)
    response = client.post(
        reverse("boards:meeting-create", args=[board.pk]),
        {"date_0": "10", "date_1": "6", "date_2": "2026", "place": "County Hall", "time": "14:30"},
    )
    meeting = Meeting.objects.get(board=board)
    assert response.status_code == 302 and meeting.status == Meeting.Status.PLANNED
    client.post(reverse("boards:agenda-item-create", args=[meeting.pk]), {"title": "Performance"})
    assert meeting.agenda_items.get().position == 1


def test_escalate_and_resolve_through_the_pages(client, secretary, records, board, other_organisation):
    issue = records["issue"]
    jcp = board.co_chair_a.membership.organisation
    bpm = ContactFactory(organisation=jcp, name="Robin Shaw", function="benefit_processing_manager")
    stranger = ContactFactory(organisation=other_organisation, name="Alex Far")
    client.force_login(secretary)
    url = reverse("boards:issue-escalate", args=[issue.pk])
    assert client.post(url, {"reason": "Still late", "lower_level_attempt": "Calls"}).status_code == 200  # no confirm
    client.post(url, {"reason": "Still late", "lower_level_attempt": "Calls", "confirmed": "on"})
    issue.refresh_from_db()
    assert issue.level == 2
    # the resolve page offers the contacts of the board's organisations, not others
    resolve_url = reverse("boards:issue-resolve", args=[issue.pk])
    form = client.get(resolve_url).content.decode()
    assert "Robin Shaw" in form and "Alex Far" not in form
    assert f"communicated to the originator, {issue.raised_by.get_full_name()}" in form
    refused = client.post(resolve_url, {"outcome": "Fixed", "communicated_contacts": [stranger.pk], "confirmed": "on"})
    assert refused.status_code == 200 and "Choose contacts from the list" in refused.content.decode()
    response = client.post(
        resolve_url,
        {"outcome": "Fixed", "communicated_contacts": [bpm.pk], "communication_notes": "By phone", "confirmed": "on"},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == Issue.Status.RESOLVED and list(issue.communicated_contacts.all()) == [bpm]
    page = client.get(issue.get_absolute_url()).content.decode()
    told = page[page.index('data-testid="communicated-to"') :]
    assert "Robin Shaw" in told and "By phone" in told and reverse("partnerships:contact-detail", args=[bpm.pk]) in told


def test_index_of_joint_boards_csv(client, la_chair, board, secretary):
    # given an ERM, a secretariat colleague and a first meeting
    board.erm_contact = ContactFactory(name="Pat Erm", phone="0191 496 0001", email="pat.erm@example.org")
    board.comments = "Combined fraud and admin meetings."
    board.save()  # `secretary` is on the board's secretariat (conftest)
    MeetingFactory(board=board, date=date(2025, 5, 1), status=Meeting.Status.HELD)
    MeetingFactory(board=board, date=date(2025, 4, 1), status=Meeting.Status.CANCELLED)
    client.force_login(la_chair)
    # when
    response = client.get(reverse("boards:board-index-csv"))
    # then
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == INDEX_HEADER
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Board title"] == "Northshire JCP/LA Joint Board"
    assert row["Jobcentre Plus district office"] == "Northshire"
    assert row["Jobcentre Plus chair"] == board.co_chair_a.get_full_name()
    assert row["Local authority chair"] == la_chair.get_full_name()
    assert la_chair.get_full_name() in row["Local authority joint board members"]
    assert row["District ERM name"] == "Pat Erm" and row["District ERM e-mail"] == "pat.erm@example.org"
    assert row["Date of first joint board meeting"] == "2025-05-01"
    assert row["Scope"] == "Joint (fraud and admin)"
    assert secretary.email in row["Local authority secretariat"]
    assert row["Comments"] == "Combined fraud and admin meetings."
    assert len(rows) == 2


def test_printable_index_of_joint_boards(client, la_chair, board, other_organisation, django_assert_max_num_queries):
    # given a second board the council is on, and one it is not on
    BoardFactory(title="Aardale Joint Board", co_chair_b=la_chair)
    BoardFactory(title="Southshire Board", co_chair_b=StaffUserFactory(membership__organisation=other_organisation))
    client.force_login(la_chair)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("boards:board-index"))
    body = response.content.decode()
    assert response.status_code == 200
    for column in INDEX_HEADER:
        assert f">{column}</th>" in body
    assert body.index("Aardale Joint Board") < body.index("Northshire JCP/LA Joint Board")
    assert "Southshire Board" not in body
    assert "@media print" in body and reverse("boards:board-index-csv") in body


def _grow_board(board, la_chair, n):
    for i in range(n):
        meeting = MeetingFactory(board=board, date=date(2025, 1, 1 + i), status=Meeting.Status.HELD)
        item = AgendaItemFactory(meeting=meeting, position=1)
        ActionFactory(agenda_item=item)
        IssueFactory(board=board)


def test_board_detail_renders_in_a_constant_number_of_queries(
    client, la_chair, board, council, user_with_roles, django_assert_max_num_queries
):
    _grow_board(board, la_chair, 1)
    client.force_login(la_chair)
    client.get(board.get_absolute_url())
    with CaptureQueriesContext(connection) as baseline:
        client.get(board.get_absolute_url())
    _grow_board(board, la_chair, 5)
    for _ in range(4):
        colleague = user_with_roles(council, Role.PARTNERSHIP_MANAGER)
        BoardMember.objects.create(board=board, person=colleague, organisation=council)
    with django_assert_max_num_queries(len(baseline)):
        response = client.get(board.get_absolute_url())
    assert response.content.decode().count('<tr class="govuk-table__row"><td') >= 12
    assert len(baseline) <= 12


def test_meeting_page_renders_in_a_constant_number_of_queries(
    client, secretary, board, la_chair, django_assert_max_num_queries
):
    meeting = MeetingFactory(board=board, date=date(2026, 3, 10))
    earlier = MeetingFactory(board=board, date=date(2026, 1, 10), status=Meeting.Status.HELD)
    ActionFactory(agenda_item=AgendaItemFactory(meeting=earlier, position=1))
    ActionFactory(agenda_item=AgendaItemFactory(meeting=meeting, position=1, issue=IssueFactory(board=board)))
    client.force_login(secretary)
    client.get(meeting.get_absolute_url())
    with CaptureQueriesContext(connection) as baseline:
        client.get(meeting.get_absolute_url())
    for position in range(2, 7):
        item = AgendaItemFactory(meeting=meeting, position=position, issue=IssueFactory(board=board))
        ActionFactory(agenda_item=item)
        ActionFactory(agenda_item=item, owner=la_chair)
        ActionFactory(agenda_item=AgendaItemFactory(meeting=earlier, position=position))
    for person in (board.co_chair_a, la_chair):
        Attendance.objects.create(meeting=meeting, person=person, status=Attendance.Status.PRESENT)
    with django_assert_max_num_queries(len(baseline)):
        response = client.get(meeting.get_absolute_url())
    assert response.content.decode().count('data-testid="agenda-item"') == 6
    assert len(baseline) <= 14
