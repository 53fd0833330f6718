"""Every Joint Boards page costs the same number of queries with one row as with ten."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards import services
from boards.models import Attendance, BoardMember, Meeting
from tests.boards.factories import ActionFactory, AgendaItemFactory, BoardFactory, IssueFactory, MeetingFactory
from tests.partnerships.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 3, 1)):
        yield


def _queries(client, url) -> int:
    client.get(url)  # warm the session and the role cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _rows(client, url, marker) -> int:
    return client.get(url).content.decode().count(marker)


def _board_with_records(title, chair, n):
    """A board with n held meetings, each with an item, an action by the council chair and an issue."""
    board = BoardFactory(title=title, co_chair_b=chair, established_on=date(2020, 1, 1))
    ContactFactory(organisation=chair.membership.organisation)
    for i in range(n):
        meeting = MeetingFactory(board=board, date=date(2025, 1, 1 + i), status=Meeting.Status.HELD)
        item = AgendaItemFactory(meeting=meeting, position=1)
        ActionFactory(agenda_item=item, owner=chair, description=f"Action {title} {i}")
        IssueFactory(board=board, title=f"Issue {title} {i}", raised_by=chair, level=1 + i % 5)
        MeetingFactory(board=board, date=date(2026, 3, 10 + i))
    return board


@pytest.mark.parametrize(
    ("url_name", "marker"),
    [
        ("boards:board-list", 'data-testid="falling-short"'),
        ("boards:issue-list", "Issue Board"),
        ("boards:my-actions", "Action Board"),
        ("boards:home", "Action Board"),
        ("boards:board-index", "Board "),
    ],
)
def test_list_pages_cost_the_same_with_one_row_as_with_ten(client, la_chair, url_name, marker):
    # given one board with one of everything
    _board_with_records("Board 0", la_chair, 1)
    client.force_login(la_chair)
    url = reverse(url_name)
    one = _queries(client, url)
    rows_before = _rows(client, url, marker)
    # when there are ten boards, each with more meetings, actions and issues
    for n in range(1, 10):
        _board_with_records(f"Board {n}", la_chair, 1)
    # then the page shows more rows for the same number of queries
    assert _queries(client, url) == one
    assert _rows(client, url, marker) > rows_before


def test_index_csv_costs_the_same_with_one_board_as_with_ten(client, la_chair):
    _board_with_records("Board 0", la_chair, 1)
    client.force_login(la_chair)
    url = reverse("boards:board-index-csv")
    one = _queries(client, url)
    for n in range(1, 10):
        _board_with_records(f"Board {n}", la_chair, 1)
    assert _queries(client, url) == one
    assert client.get(url).content.decode().count("\n") == 11  # header and ten boards


def test_issue_page_costs_the_same_with_one_step_as_with_ten(client, secretary, board, la_chair):
    jcp = board.co_chair_a.membership.organisation
    issue = IssueFactory(board=board, raised_by=la_chair)
    AgendaItemFactory(meeting=MeetingFactory(board=board, date=date(2026, 3, 20)), position=1, issue=issue)
    client.force_login(secretary)
    one = _queries(client, issue.get_absolute_url())
    # ten meetings that discussed it, and resolved with ten contacts told
    for n in range(2, 11):
        AgendaItemFactory(meeting=MeetingFactory(board=board, date=date(2026, 4, n)), position=1, issue=issue)
    contacts = [ContactFactory(organisation=jcp) for _ in range(10)]
    for to_level in (2, 3, 4, 5):
        services.issue_escalate(issue_id=issue.pk, to_level=to_level, reason="r", lower_level_attempt="t", by=secretary)
    services.issue_resolve(issue_id=issue.pk, outcome="Fixed", communicated_contacts=contacts, by=secretary)
    # a resolved issue offers no planned meetings (one query fewer), so it is at most the same
    assert _queries(client, issue.get_absolute_url()) <= one
    body = client.get(issue.get_absolute_url()).content.decode()
    assert body.count("Meeting on ") == 10
    assert all(reverse("partnerships:contact-detail", args=[contact.pk]) in body for contact in contacts)


def test_meeting_page_costs_the_same_with_one_attendee_as_with_ten(client, secretary, board, council, user_with_roles):
    meeting = MeetingFactory(board=board, date=date(2026, 3, 10))
    Attendance.objects.create(meeting=meeting, person=board.co_chair_a, status=Attendance.Status.PRESENT)
    client.force_login(secretary)
    one = _queries(client, meeting.get_absolute_url())
    for _ in range(9):
        person = user_with_roles(council)
        BoardMember.objects.create(board=board, person=person, organisation=council)
        Attendance.objects.create(meeting=meeting, person=person, status=Attendance.Status.APOLOGIES)
    assert _queries(client, meeting.get_absolute_url()) == one
    assert client.get(meeting.get_absolute_url()).content.decode().count("Apologies</dd>") == 9
