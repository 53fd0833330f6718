"""Running a meeting: reordering the agenda and taking the register in one go."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from boards import services
from boards.models import Attendance, BoardMember, Meeting
from partnerships.models import Role
from tests.boards.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(board, secretary):
    meeting = MeetingFactory(board=board, date=date(2026, 6, 10))
    for title in ["Apologies", "Performance", "Fraud referrals", "Any other business"]:
        services.agenda_item_add(meeting=meeting, by=secretary, title=title)
    return meeting


def _order(meeting):
    return [(item.position, item.title) for item in meeting.agenda_items.order_by("position")]


def test_moving_an_item_swaps_it_with_its_neighbour(agenda, secretary):
    fraud = agenda.agenda_items.get(title="Fraud referrals")
    services.agenda_item_move(item_id=fraud.pk, direction="up", by=secretary)
    assert _order(agenda) == [(1, "Apologies"), (2, "Fraud referrals"), (3, "Performance"), (4, "Any other business")]
    services.agenda_item_move(item_id=fraud.pk, direction="down", by=secretary)
    services.agenda_item_move(item_id=fraud.pk, direction="down", by=secretary)
    assert _order(agenda) == [(1, "Apologies"), (2, "Performance"), (3, "Any other business"), (4, "Fraud referrals")]
    assert fraud.history.first().history_user == secretary


def test_the_first_item_cannot_go_up_nor_the_last_down(agenda, secretary):
    before = _order(agenda)
    services.agenda_item_move(item_id=agenda.agenda_items.get(position=1).pk, direction="up", by=secretary)
    services.agenda_item_move(item_id=agenda.agenda_items.get(position=4).pk, direction="down", by=secretary)
    assert _order(agenda) == before


def test_a_held_meetings_agenda_keeps_its_order(board, secretary):
    held = MeetingFactory(board=board, date=date(2026, 1, 10), status=Meeting.Status.HELD)
    AgendaItemFactory(meeting=held, position=1, title="First")
    second = AgendaItemFactory(meeting=held, position=2, title="Second")
    with pytest.raises(ValidationError, match="held meeting"):
        services.agenda_item_move(item_id=second.pk, direction="up", by=secretary)
    assert _order(held) == [(1, "First"), (2, "Second")]


def test_the_secretariat_moves_items_on_the_meeting_page_and_the_printed_agenda_follows(
    client, agenda, secretary, plain_member
):
    last = agenda.agenda_items.get(title="Any other business")
    client.force_login(secretary)
    page = client.get(agenda.get_absolute_url()).content.decode()
    assert page.count("Move up<") == 3 and page.count("Move down<") == 3
    response = client.post(reverse("boards:agenda-item-move", args=[last.pk]), {"direction": "up"})
    assert response.status_code == 302
    printed = client.get(reverse("boards:meeting-agenda-print", args=[agenda.pk])).content.decode()
    assert printed.index("Any other business") < printed.index("Fraud referrals")
    client.force_login(plain_member)
    assert client.post(reverse("boards:agenda-item-move", args=[last.pk]), {"direction": "up"}).status_code == 403
    assert "Move up" not in client.get(agenda.get_absolute_url()).content.decode()


def test_the_register_records_every_member_in_one_go(client, board, secretary, la_chair, council, user_with_roles):
    # given a meeting and a third member who sent apologies earlier
    meeting = MeetingFactory(board=board, date=date(2026, 3, 10))
    member = user_with_roles(council, Role.PARTNERSHIP_MANAGER)
    BoardMember.objects.create(board=board, person=member, organisation=council)
    Attendance.objects.create(meeting=meeting, person=member, status=Attendance.Status.APOLOGIES)
    client.force_login(secretary)
    url = reverse("boards:attendance-record", args=[meeting.pk])
    page = client.get(url).content.decode()
    # the register lists every member (two co-chairs, the secretariat, the member), with what was recorded
    assert page.count('type="radio"') == 4 * 3
    assert re.search(rf'name="person_{member.pk}"[^>]*value="apologies"\s*checked', page)
    # when the secretariat records who came
    response = client.post(
        url,
        {
            f"person_{board.co_chair_a_id}": "present",
            f"person_{la_chair.pk}": "present",
            f"person_{secretary.pk}": "present",
            f"person_{member.pk}": "absent",
        },
    )
    # then
    assert response.status_code == 302
    recorded = dict(meeting.attendances.values_list("person_id", "status"))
    assert recorded == {
        board.co_chair_a_id: "present",
        la_chair.pk: "present",
        secretary.pk: "present",
        member.pk: "absent",
    }
    minutes = client.get(reverse("boards:meeting-minutes-print", args=[meeting.pk])).content.decode()
    present = minutes[minutes.index('data-testid="present"') :]
    assert escape(la_chair.get_full_name()) in present.split("</p>")[0]


def test_the_register_leaves_out_non_members_and_cancelled_meetings(board, secretary, outsider):
    meeting = MeetingFactory(board=board, date=date(2026, 3, 10))
    with pytest.raises(ValidationError, match="not a member"):
        services.attendance_register_record(meeting=meeting, statuses=[(outsider, "present")], by=secretary)
    cancelled = MeetingFactory(board=board, date=date(2026, 3, 11), status=Meeting.Status.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled"):
        services.attendance_register_record(meeting=cancelled, statuses=[(board.co_chair_a, "present")], by=secretary)
    assert not Attendance.objects.exists()
