"""Editing a board, a meeting and an agenda item; removing a member; putting an issue on an agenda."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from boards import services
from boards.models import AgendaItem, Board, BoardMember, Meeting
from partnerships.models import Role
from tests.boards.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


EDIT_URLS = [
    ("boards:board-edit", "board"),
    ("boards:meeting-edit", "meeting"),
    ("boards:agenda-item-edit", "item"),
    ("boards:board-member-remove", "member"),
    ("boards:issue-add-to-agenda", "issue"),
]


@pytest.mark.parametrize("who", ["plain_member", "other_secretary"])
@pytest.mark.parametrize(("name", "key"), EDIT_URLS)
def test_anyone_but_the_boards_secretariat_and_co_chairs_gets_403(client, request, board_records, name, key, who):
    # a plain member, and a board secretary of a member organisation who is not this board's secretariat
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse(name, args=[board_records[key].pk]), {}).status_code == 403


@pytest.mark.parametrize(("name", "key"), EDIT_URLS)
def test_another_organisations_secretary_gets_404(
    client, other_organisation, user_with_roles, board_records, name, key
):
    client.force_login(user_with_roles(other_organisation, Role.BOARD_SECRETARY))
    assert client.post(reverse(name, args=[board_records[key].pk]), {}).status_code == 404


# --- Board ---------------------------------------------------------------------------------------


def _board_data(board, **overrides):
    data = {
        "title": board.title,
        "district": board.district,
        "scope": board.scope,
        "terms_of_reference": board.terms_of_reference,
        "meeting_rule": board.meeting_rule,
        "erm_contact": "",
        "comments": "",
        "co_chair_a": board.co_chair_a_id,
        "co_chair_b": board.co_chair_b_id,
    }
    return {**data, **overrides}


def test_secretary_edits_the_board(client, secretary, board):
    client.force_login(secretary)
    url = reverse("boards:board-edit", args=[board.pk])
    page = client.get(url).content.decode()
    assert f'<option value="{board.co_chair_b_id}" selected>' in page
    response = client.post(
        url,
        _board_data(
            board,
            title="Northshire Fraud and Admin Board",
            district="Northshire and Dales",
            scope=Board.Scope.FRAUD,
            terms_of_reference="To meet and agree.",
            meeting_rule=Board.MeetingRule.QUARTERLY,
        ),
    )
    assert response.status_code == 302
    board.refresh_from_db()
    assert (board.title, board.district, board.scope, board.meeting_rule) == (
        "Northshire Fraud and Admin Board",
        "Northshire and Dales",
        Board.Scope.FRAUD,
        Board.MeetingRule.QUARTERLY,
    )
    assert board.terms_of_reference == "To meet and agree."
    assert board.history.first().history_user == secretary


def test_co_chairs_from_the_same_organisation_are_refused_on_edit(client, secretary, board, council, user_with_roles):
    colleague = user_with_roles(council, Role.PARTNERSHIP_MANAGER)
    client.force_login(secretary)
    response = client.post(
        reverse("boards:board-edit", args=[board.pk]),
        _board_data(board, co_chair_a=board.co_chair_b_id, co_chair_b=colleague.pk),
    )
    assert response.status_code == 200
    assert "The co-chairs must come from different lead organisations" in response.content.decode()
    board.refresh_from_db()
    assert board.co_chair_a.membership.organisation.kind == "jobcentre_plus"


def test_changing_a_co_chair_makes_them_a_member_and_the_old_one_a_member(board, secretary, council, user_with_roles):
    new_chair = user_with_roles(council, Role.PARTNERSHIP_MANAGER)
    old_chair = board.co_chair_b
    services.board_update(board=board, by=secretary, co_chair_a=board.co_chair_a, co_chair_b=new_chair)
    assert BoardMember.objects.get(board=board, person=new_chair).role == BoardMember.Role.CO_CHAIR
    assert BoardMember.objects.get(board=board, person=old_chair).role == BoardMember.Role.MEMBER


# --- Members -------------------------------------------------------------------------------------


def test_secretary_removes_a_member(client, secretary, board_records):
    client.force_login(secretary)
    page = client.get(board_records["board"].get_absolute_url()).content.decode()
    assert reverse("boards:board-member-remove", args=[board_records["member"].pk]) in page
    response = client.post(reverse("boards:board-member-remove", args=[board_records["member"].pk]))
    assert response.status_code == 302
    assert not BoardMember.objects.filter(pk=board_records["member"].pk).exists()


def test_a_co_chair_cannot_be_removed(client, secretary, board):
    chair = BoardMember.objects.get(board=board, person=board.co_chair_b)
    client.force_login(secretary)
    client.post(reverse("boards:board-member-remove", args=[chair.pk]))
    assert BoardMember.objects.filter(pk=chair.pk).exists()
    with pytest.raises(ValidationError):
        services.board_member_remove(member=chair, by=secretary)


# --- Meeting and agenda item ---------------------------------------------------------------------


def test_secretary_edits_the_meeting(client, secretary, board_records):
    meeting = board_records["meeting"]
    client.force_login(secretary)
    url = reverse("boards:meeting-edit", args=[meeting.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "date_0": "17",
            "date_1": "6",
            "date_2": "2026",
            "time": "10:00",
            "place": "",
            "video_link": "https://meet.example.org/northshire",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.date, meeting.time, meeting.place) == (date(2026, 6, 17), time(10, 0), "")
    assert meeting.video_link == "https://meet.example.org/northshire"


def test_a_meeting_needs_a_place_or_a_video_link_on_edit(client, secretary, board_records):
    client.force_login(secretary)
    response = client.post(
        reverse("boards:meeting-edit", args=[board_records["meeting"].pk]),
        {"date_0": "17", "date_1": "6", "date_2": "2026"},
    )
    assert response.status_code == 200 and "Enter a place or a video link" in response.content.decode()


def test_a_held_meeting_cannot_be_changed(board, secretary):
    meeting = MeetingFactory(board=board, date=date(2025, 1, 1), status=Meeting.Status.HELD)
    with pytest.raises(ValidationError):
        services.meeting_update(meeting=meeting, by=secretary, date=date(2025, 2, 1))


def test_secretary_edits_an_agenda_item_and_replaces_its_papers(client, secretary, board_records, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = board_records["item"]
    client.force_login(secretary)
    url = reverse("boards:agenda-item-edit", args=[item.pk])
    assert client.get(url).status_code == 200
    papers = SimpleUploadedFile("report.docx", b"PK\x03\x04docx", content_type="application/octet-stream")
    response = client.post(url, {"title": "Performance report", "presenter": "Pat Lee", "papers": papers})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.presenter) == ("Performance report", "Pat Lee")
    assert item.papers.name.endswith(".docx")
    client.post(url, {"title": "Performance report", "remove_papers": "on"})
    item.refresh_from_db()
    assert not item.papers


def test_a_renamed_file_is_refused_on_edit(client, secretary, board_records, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(secretary)
    papers = SimpleUploadedFile("report.pdf", b"\xd0\xcf\x11\xe0doc", content_type="application/pdf")
    response = client.post(
        reverse("boards:agenda-item-edit", args=[board_records["item"].pk]), {"title": "Report", "papers": papers}
    )
    assert response.status_code == 200 and "may have been renamed" in response.content.decode()


# --- Issue on a meeting's agenda -----------------------------------------------------------------


def test_secretary_puts_the_issue_on_a_planned_meetings_agenda(client, secretary, board_records):
    issue, meeting = board_records["issue"], board_records["meeting"]
    client.force_login(secretary)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert 'data-testid="issue-agenda-form"' in page and "Not yet on a meeting" in page
    response = client.post(reverse("boards:issue-add-to-agenda", args=[issue.pk]), {"meeting": meeting.pk})
    assert response.status_code == 302
    item = AgendaItem.objects.get(issue=issue)
    assert (item.meeting, item.position, item.title) == (meeting, 2, f"Issue: {issue.title}")
    page = client.get(issue.get_absolute_url()).content.decode()
    assert 'data-testid="issue-meetings"' in page and "10 June 2026" in page


def test_an_issue_goes_on_a_meeting_once(client, secretary, board_records):
    issue, meeting = board_records["issue"], board_records["meeting"]
    services.issue_add_to_agenda(issue=issue, meeting=meeting, by=secretary)
    client.force_login(secretary)
    client.post(reverse("boards:issue-add-to-agenda", args=[issue.pk]), {"meeting": meeting.pk})
    assert AgendaItem.objects.filter(issue=issue).count() == 1


def test_an_issue_cannot_go_on_a_held_meeting_or_another_boards(secretary, board_records, la_chair):
    issue = board_records["issue"]
    held = MeetingFactory(board=board_records["board"], date=date(2025, 1, 1), status=Meeting.Status.HELD)
    with pytest.raises(ValidationError):
        services.issue_add_to_agenda(issue=issue, meeting=held, by=secretary)
    elsewhere = MeetingFactory()
    with pytest.raises(ValidationError):
        services.issue_add_to_agenda(issue=issue, meeting=elsewhere, by=secretary)


def test_the_issue_page_lists_the_meetings_it_was_discussed_at(client, plain_member, board_records):
    held = MeetingFactory(board=board_records["board"], date=date(2025, 11, 4), status=Meeting.Status.HELD)
    AgendaItemFactory(meeting=held, position=1, issue=board_records["issue"], minutes="Agreed to escalate.")
    client.force_login(plain_member)
    body = client.get(board_records["issue"].get_absolute_url()).content.decode()
    assert "4 November 2025" in body and "minuted" in body
    assert 'data-testid="issue-agenda-form"' not in body  # readers get no button
