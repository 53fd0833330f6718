"""Agenda papers: content checked against the type (renamed files refused), downloads scoped to the board."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from boards import services
from boards.models import Board
from boards.papers import papers_content_error
from partnerships.models import Role
from tests.boards.factories import AgendaItemFactory, BoardFactory, MeetingFactory

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n% board papers\n"
ZIP_BYTES = b"PK\x03\x04\x14\x00\x06\x00rest-of-a-docx"
OLE_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest-of-a-doc"


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("papers.pdf", PDF_BYTES),
        ("papers.docx", ZIP_BYTES),
        ("papers.odt", ZIP_BYTES),
        ("papers.doc", OLE_BYTES),
        ("figures.xlsx", ZIP_BYTES),
        ("notes.txt", b"Clearance times by month\n"),
        ("figures.csv", b"month,days\n2026-01,21\n"),
    ],
)
def test_content_matching_the_type_is_accepted(name, head):
    assert papers_content_error(name=name, head=head) is None


@pytest.mark.parametrize(
    ("name", "head", "what"),
    [
        ("papers.pdf", b"MZ\x90\x00 an executable", "a PDF"),
        ("papers.pdf", ZIP_BYTES, "a PDF"),
        ("papers.docx", PDF_BYTES, "a Word document"),
        ("papers.doc", ZIP_BYTES, "a Word document"),
        ("papers.odt", OLE_BYTES, "an OpenDocument text file"),
        ("notes.txt", PDF_BYTES, "a text file"),
        ("notes.txt", b"MZ\x00\x00binary", "a text file"),
    ],
)
def test_a_renamed_file_is_refused_with_a_clear_error(name, head, what):
    error = papers_content_error(name=name, head=head)
    assert error == f"The selected file is not {what}: it may have been renamed. Upload the original file."


def test_service_refuses_a_renamed_file_and_saves_nothing(board, secretary, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = MeetingFactory(board=board)
    upload = SimpleUploadedFile("papers.pdf", b"MZ\x90\x00", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.agenda_item_add(meeting=meeting, by=secretary, title="Performance", papers=upload)
    assert "may have been renamed" in exc.value.message_dict["papers"][0]
    assert meeting.agenda_items.count() == 0


def test_the_upload_page_shows_the_renamed_file_error(client, board, secretary, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = MeetingFactory(board=board)
    client.force_login(secretary)
    upload = SimpleUploadedFile("papers.docx", PDF_BYTES, content_type="application/octet-stream")
    response = client.post(
        reverse("boards:agenda-item-create", args=[meeting.pk]), {"title": "Performance", "papers": upload}
    )
    assert response.status_code == 200
    assert "The selected file is not a Word document" in response.content.decode()


@pytest.fixture
def item_with_papers(board, secretary, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = MeetingFactory(board=board)
    upload = SimpleUploadedFile("performance.pdf", PDF_BYTES, content_type="application/pdf")
    return services.agenda_item_add(meeting=meeting, by=secretary, title="Performance", papers=upload)


def test_a_member_organisation_downloads_the_papers_as_an_attachment(client, la_chair, item_with_papers):
    client.force_login(la_chair)
    response = client.get(reverse("boards:agenda-item-papers", args=[item_with_papers.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "performance" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_another_organisation_gets_404_for_the_papers(client, other_organisation, user_with_roles, item_with_papers):
    client.force_login(user_with_roles(other_organisation, Role.BOARD_SECRETARY))
    assert client.get(reverse("boards:agenda-item-papers", args=[item_with_papers.pk])).status_code == 404


def test_an_item_without_papers_is_404(client, la_chair, board):
    item = AgendaItemFactory(meeting=MeetingFactory(board=board))
    client.force_login(la_chair)
    assert client.get(reverse("boards:agenda-item-papers", args=[item.pk])).status_code == 404


def test_fraud_board_papers_go_to_its_members_only(client, council, la_chair, user_with_roles, settings, tmp_path):
    # given a fraud-scope board with papers; a colleague at the council is not a member
    settings.MEDIA_ROOT = tmp_path
    fraud = BoardFactory(title="Fraud board", scope=Board.Scope.FRAUD, co_chair_b=la_chair)
    upload = SimpleUploadedFile("fraud.pdf", PDF_BYTES, content_type="application/pdf")
    item = services.agenda_item_add(meeting=MeetingFactory(board=fraud), by=la_chair, title="Cases", papers=upload)
    url = reverse("boards:agenda-item-papers", args=[item.pk])
    # then the colleague gets a 404 and the member the file
    client.force_login(user_with_roles(council, Role.BOARD_SECRETARY))
    assert client.get(url).status_code == 404
    client.force_login(la_chair)
    assert client.get(url).status_code == 200


def test_meeting_page_links_to_the_papers(client, la_chair, item_with_papers):
    client.force_login(la_chair)
    body = client.get(item_with_papers.meeting.get_absolute_url()).content.decode()
    assert reverse("boards:agenda-item-papers", args=[item_with_papers.pk]) in body
