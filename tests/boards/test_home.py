"""The secretariat's home page: upcoming meetings, papers missing, open actions by owner, issues by level and age."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards.models import Action, Board, Meeting
from boards.selectors import secretariat_home
from tests.boards.factories import ActionFactory, AgendaItemFactory, BoardFactory, IssueFactory, MeetingFactory
from tests.partnerships.factories import StaffUserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 1)


@pytest.fixture
def workload(board, la_chair):
    soon = MeetingFactory(board=board, date=date(2026, 3, 20), place="County Hall")
    AgendaItemFactory(meeting=soon, position=1, title="Performance", papers="boards/papers/2026/performance.pdf")
    AgendaItemFactory(meeting=soon, position=2, title="Fraud referrals")  # no papers
    MeetingFactory(board=board, date=date(2026, 6, 1), place="Too far off")  # beyond 60 days
    MeetingFactory(board=board, date=date(2026, 3, 25), place="Called off", status=Meeting.Status.CANCELLED)
    held = MeetingFactory(board=board, date=date(2026, 1, 10), status=Meeting.Status.HELD)
    item = AgendaItemFactory(meeting=held, position=1)
    ActionFactory(agenda_item=item, description="Send the figures", due_on=date(2026, 2, 1))
    ActionFactory(agenda_item=item, description="Book the room", owner=la_chair, due_on=date(2026, 4, 1))
    ActionFactory(agenda_item=item, description="Done already", status=Action.Status.DONE)
    IssueFactory(board=board, raised_on=date(2026, 2, 20), level=1)
    IssueFactory(board=board, raised_on=date(2025, 11, 1), level=2)
    IssueFactory(board=board, raised_on=date(2025, 11, 1), level=2, status="resolved", outcome="Fixed",
                 resolved_on=date(2026, 1, 1))  # fmt: skip
    return {"soon": soon}


def test_home_gathers_what_needs_doing(la_chair, workload):
    home = secretariat_home(user=la_chair, today=TODAY)
    assert [m.place for m in home["upcoming_meetings"]] == ["County Hall"]
    assert home["upcoming_meetings"][0].lacks_papers is True
    assert [m.pk for m in home["papers_missing"]] == [workload["soon"].pk]
    assert [i.title for i in home["papers_missing"][0].unpapered] == ["Fraud referrals"]
    by_owner = {owner.pk: [a.description for a in actions] for owner, actions in home["actions_by_owner"]}
    assert by_owner[la_chair.pk] == ["Book the room"]
    assert "Send the figures" in next(v for k, v in by_owner.items() if k != la_chair.pk)
    levels = {row["level"]: row for row in home["issues_by_level"]}
    assert levels[1]["bands"] == [1, 0, 0] and levels[2]["bands"] == [0, 0, 1]  # 120 days old: over 12 weeks
    assert levels[2]["total"] == 1 and levels[5]["total"] == 0


def test_home_leaves_out_boards_the_user_cannot_see(la_chair, other_organisation):
    # given a board of the other organisation and Jobcentre Plus, which the council is not on
    elsewhere = BoardFactory(
        title="Elsewhere", co_chair_b=StaffUserFactory(membership__organisation=other_organisation)
    )
    MeetingFactory(board=elsewhere, date=date(2026, 3, 5))
    IssueFactory(board=elsewhere)
    home = secretariat_home(user=la_chair, today=TODAY)
    assert home["upcoming_meetings"] == [] and sum(row["total"] for row in home["issues_by_level"]) == 0


@time_machine.travel(date(2026, 3, 1))
def test_home_page_renders_in_a_constant_number_of_queries(
    client, la_chair, workload, board, django_assert_max_num_queries
):
    client.force_login(la_chair)
    client.get(reverse("boards:home"))
    with CaptureQueriesContext(connection) as baseline:
        small = client.get(reverse("boards:home"))
    # more of everything, on more boards, costs no more queries
    for n in range(4):
        other = BoardFactory(title=f"Board {n}", co_chair_b=la_chair, scope=Board.Scope.JOINT)
        meeting = MeetingFactory(board=other, date=date(2026, 3, 10 + n))
        item = AgendaItemFactory(meeting=meeting, position=1)
        ActionFactory(agenda_item=item)
        IssueFactory(board=other, level=3)
    with django_assert_max_num_queries(len(baseline)):
        response = client.get(reverse("boards:home"))
    assert len(baseline) <= 11
    body = response.content.decode()
    assert small.status_code == response.status_code == 200
    assert "County Hall" in body and "Papers missing" in body and "Book the room" in body
    assert 'data-testid="level-3-total">4<' in body


def test_home_needs_an_organisation(client, django_user_model):
    client.force_login(django_user_model.objects.create_user(username="no-organisation", password="x"))
    assert client.get(reverse("boards:home")).status_code == 403
