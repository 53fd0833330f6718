"""Printable agenda and minutes (council-style papers with print CSS) and their PDF versions."""

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from boards.models import Attendance, BoardMember, Meeting
from partnerships.models import Role
from tests.boards.factories import ActionFactory, AgendaItemFactory, IssueFactory, MeetingFactory
from tests.pdfs import pdf_fonts, pdf_pages, pdf_text, words

pytestmark = pytest.mark.django_db

PAGES = ["boards:meeting-agenda-print", "boards:meeting-minutes-print"]
PDFS = ["boards:meeting-agenda-pdf", "boards:meeting-minutes-pdf"]


@pytest.fixture
def minuted_meeting(board, la_chair, council, user_with_roles):
    """A held meeting with five minuted items, each with two actions, and attendance recorded."""
    meeting = MeetingFactory(
        board=board, date=date(2026, 3, 10), time=time(14, 30), place="Committee Room 2, County Hall"
    )
    meeting.status = Meeting.Status.HELD
    meeting.save()
    for position in range(1, 6):
        item = AgendaItemFactory(
            meeting=meeting,
            position=position,
            title=f"Item title {position}",
            presenter=f"Presenter {position}",
            minutes=f"Minutes of item {position}.",
            decisions=f"Decision {position}.",
        )
        ActionFactory(agenda_item=item, description=f"Action {position}a", due_on=date(2026, 4, position))
        ActionFactory(agenda_item=item, description=f"Action {position}b", owner=la_chair)
    Attendance.objects.create(meeting=meeting, person=board.co_chair_a, status=Attendance.Status.PRESENT)
    Attendance.objects.create(meeting=meeting, person=la_chair, status=Attendance.Status.PRESENT)
    absent = user_with_roles(council, Role.PARTNERSHIP_MANAGER)
    BoardMember.objects.create(board=board, person=absent, organisation=council)
    Attendance.objects.create(meeting=meeting, person=absent, status=Attendance.Status.APOLOGIES)
    meeting.apologies_name = absent.get_full_name()
    return meeting


def test_printable_agenda_looks_like_council_papers(client, la_chair, minuted_meeting):
    client.force_login(la_chair)
    response = client.get(reverse("boards:meeting-agenda-print", args=[minuted_meeting.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Northshire JCP/LA Joint Board" in body and "Agenda" in body
    assert "10 March 2026 at 14:30" in body and "Committee Room 2, County Hall" in body
    assert body.count('data-testid="agenda-line"') == 5
    assert "Item title 1" in body and "Presenter 5" in body
    # the print stylesheet hides the service header and navigation
    assert "@media print" in body and ".moj-header" in body and ".govuk-service-navigation" in body


def test_printable_minutes_show_attendance_minutes_decisions_and_actions(client, la_chair, minuted_meeting):
    client.force_login(la_chair)
    body = client.get(reverse("boards:meeting-minutes-print", args=[minuted_meeting.pk])).content.decode()
    assert "Minutes" in body and "10 March 2026" in body
    assert escape(la_chair.get_full_name()) in body.split('data-testid="present"')[1].split("</p>")[0]
    assert escape(minuted_meeting.apologies_name) in body.split('data-testid="apologies"')[1].split("</p>")[0]
    assert body.count('data-testid="minutes-item"') == 5
    assert "Minutes of item 3." in body and "Decision 3." in body
    assert "Action 3a" in body and "3 April 2026" in body
    assert "@media print" in body


@pytest.mark.parametrize("name", PAGES + PDFS)
def test_papers_render_in_a_constant_number_of_queries(
    client, board, la_chair, minuted_meeting, name, django_assert_max_num_queries
):
    # given a second meeting with a single item and action
    small = MeetingFactory(board=board, date=date(2026, 6, 1))
    ActionFactory(agenda_item=AgendaItemFactory(meeting=small, position=1))
    client.force_login(la_chair)
    client.get(reverse(name, args=[small.pk]))  # warm the session and role caches alike for both
    with CaptureQueriesContext(connection) as one_item:
        client.get(reverse(name, args=[small.pk]))
    # then five items, ten actions and three attendances take no more queries than one item
    with django_assert_max_num_queries(len(one_item)):
        assert client.get(reverse(name, args=[minuted_meeting.pk])).status_code == 200
    with django_assert_max_num_queries(11):
        client.get(reverse(name, args=[minuted_meeting.pk]))


@pytest.mark.parametrize("name", PDFS)
def test_pdfs_are_attachments_starting_with_the_pdf_signature(client, la_chair, minuted_meeting, name):
    client.force_login(la_chair)
    response = client.get(reverse(name, args=[minuted_meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")


def test_pdf_of_an_empty_agenda(client, la_chair, board):
    meeting = MeetingFactory(board=board, place="", video_link="https://meet.example.org/board")
    client.force_login(la_chair)
    response = client.get(reverse("boards:meeting-agenda-pdf", args=[meeting.pk]))
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("name", PAGES + PDFS)
def test_another_organisation_gets_404_for_the_papers(
    client, other_organisation, user_with_roles, minuted_meeting, name
):
    client.force_login(user_with_roles(other_organisation, Role.BOARD_SECRETARY))
    assert client.get(reverse(name, args=[minuted_meeting.pk])).status_code == 404


def test_printed_agenda_reviews_open_actions_and_minutes_link_the_issue(client, la_chair, board, minuted_meeting):
    # given the next meeting, with an issue from the log on its agenda
    issue = IssueFactory(board=board, title="New claims delayed")
    following = MeetingFactory(board=board, date=date(2026, 6, 9))
    AgendaItemFactory(meeting=following, position=1, title="Issues log", issue=issue, minutes="Escalate it.")
    client.force_login(la_chair)
    # then its printed agenda lists the open actions from the earlier meeting
    agenda = client.get(reverse("boards:meeting-agenda-print", args=[following.pk])).content.decode()
    assert 'data-testid="review-actions"' in agenda and "Action 1a" in agenda and "10 March 2026" in agenda
    # and its printed minutes link back to the issue
    minutes = client.get(reverse("boards:meeting-minutes-print", args=[following.pk])).content.decode()
    assert issue.get_absolute_url() in minutes
    pdf = client.get(reverse("boards:meeting-agenda-pdf", args=[following.pk])).content
    assert pdf.startswith(b"%PDF")


def test_pdf_papers_hold_names_in_any_script_as_typed(client, board, la_chair, minuted_meeting):
    # given an item presented and an action owned by people whose names are not in Latin-1
    item = minuted_meeting.agenda_items.get(position=2)
    item.title, item.presenter = "Adroddiad Llŷr: Γιώργος Παπαδόπουλος", "Олена Шевченко"
    item.minutes = "Łukasz Wiśniewski-Ó'Briain reported on Erdős Ștefan's claim."
    item.save()
    la_chair.first_name, la_chair.last_name = "Łukasz", "Wiśniewski-Ó'Briain"
    la_chair.save()
    client.force_login(la_chair)
    # when the agenda and the minutes are downloaded
    agenda = client.get(reverse("boards:meeting-agenda-pdf", args=[minuted_meeting.pk])).content
    minutes = client.get(reverse("boards:meeting-minutes-pdf", args=[minuted_meeting.pk])).content
    # then their text layers hold the names as typed, from the embedded font
    agenda_text = pdf_text(agenda)
    assert "Adroddiad Llŷr: Γιώργος Παπαδόπουλος" in agenda_text and "Олена Шевченко" in agenda_text
    minutes_text = pdf_text(minutes)
    assert "2. Adroddiad Llŷr: Γιώργος Παπαδόπουλος Presented by Олена Шевченко" in minutes_text
    assert "Łukasz Wiśniewski-Ó'Briain reported on Erdős Ștefan's claim." in minutes_text
    assert "Present: " in minutes_text and "Łukasz Wiśniewski-Ó'Briain" in minutes_text.split("Apologies:")[0]
    for content in (agenda, minutes):
        assert pdf_fonts(content) == {"NotoSans-Regular": True, "NotoSans-Bold": True}
        pages = pdf_pages(content)
        for number, page in enumerate(pages, start=1):
            # the board's name heads every page, and each page is numbered
            assert "Northshire JCP/LA Joint Board" in page
            assert words(page).endswith(f"of the meeting on 10 March 2026 Page {number} of {len(pages)}")
    assert len(pdf_pages(minutes)) == 2  # five minuted items with ten actions run to a second page
