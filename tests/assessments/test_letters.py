"""The charge letter as a PDF: made once with reportlab, stored with the assessment, served as a download
under the letter page's access rules; and issued for every re-assessment the annual uprating applies."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from reportlab.platypus import Paragraph, Table

from assessments import letters, services
from assessments.models import Assessment, ChargeLetter
from tests.referrals.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_record(council):
    return ClientFactory(
        organisation=council,
        first_name="Margaret",
        last_name="O'Hara",
        date_of_birth=date(1950, 1, 1),
        address_line_1="12 Mill Lane",
        town="Northtown",
        postcode="NT1 2AB",
    )


@pytest.fixture
def complete(client_record, officer):
    draft = services.assessment_create(
        client=client_record, by=officer, effective_date=date(2024, 7, 1), weekly_care_cost=Decimal("250.00")
    )
    services.income_line_add(assessment=draft, by=officer, type="state_pension", amount=Decimal("300.00"))
    return services.assessment_complete(assessment=draft, by=officer)


def _story_text(story) -> str:
    parts = []
    for flowable in story:
        if isinstance(flowable, Paragraph):
            parts.append(flowable.getPlainText())
        elif isinstance(flowable, Table):
            parts.extend(cell.getPlainText() for row in flowable._cellvalues for cell in row)
    return "\n".join(parts)


def test_letter_story_has_name_address_date_charge_breakdown_and_review(complete):
    text = _story_text(letters.letter_story(assessment=complete))
    assert "Margaret O'Hara" in text and "12 Mill Lane" in text and "NT1 2AB" in text
    assert "From 1 July 2024 you will pay" in text and "£71.30 a week" in text
    # the breakdown, line by line: the pension counted in full and the MIG deducted
    assert "State Pension" in text and "£300.00" in text and "£228.70" in text
    assert "ask us to review the charge" in text and "Northshire County Council" in text


def test_uncompressed_pdf_carries_the_text(complete):
    pdf = letters.letter_pdf(assessment=complete, compress=False)
    assert pdf.startswith(b"%PDF")
    assert b"Margaret O" in pdf and b"71.30 a week" in pdf
    # invariant: the same letter gives the same bytes
    assert letters.letter_pdf(assessment=complete, compress=False) == pdf


def test_pdf_download_is_stored_once_and_reused(client, officer, complete):
    client.force_login(officer)
    url = reverse("assessments:assessment-letter-pdf", args=[complete.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;") and ".pdf" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    letter = ChargeLetter.objects.get(assessment=complete)
    assert letter.pdf.name.startswith("letters/") and letter.pdf.read() == body
    letter.pdf.close()
    # a second download (or the printable page) serves the stored file; nothing is made again
    stored_name = letter.pdf.name
    again = b"".join(client.get(url).streaming_content)
    assert client.get(reverse("assessments:assessment-letter", args=[complete.pk])).status_code == 200
    letter.refresh_from_db()
    assert again == body and letter.pdf.name == stored_name and ChargeLetter.objects.count() == 1


def test_service_returns_the_stored_letter_unchanged(officer, manager, complete):
    first = services.charge_letter_issue(assessment=complete, by=officer)
    second = services.charge_letter_issue(assessment=complete, by=manager)
    assert first.pk == second.pk and second.pdf.name == first.pdf.name and second.created_by == officer


def test_letter_issued_before_pdfs_gets_its_pdf_once(officer, complete):
    services.charge_letter_store(assessment=complete, html="<p>Issued wording</p>", by=officer)
    letter = services.charge_letter_issue(assessment=complete, by=officer)
    assert letter.html == "<p>Issued wording</p>" and letter.pdf.name.startswith("letters/")


def test_draft_has_no_pdf_yet(client, officer, client_record):
    draft = services.assessment_create(client=client_record, by=officer, effective_date=date(2024, 7, 1))
    client.force_login(officer)
    response = client.get(reverse("assessments:assessment-letter-pdf", args=[draft.pk]))
    assert response.status_code == 302 and response.url == draft.get_absolute_url()
    assert not ChargeLetter.objects.exists()


def test_pdf_is_404_for_another_organisation(client, outsider, complete):
    client.force_login(outsider)
    assert client.get(reverse("assessments:assessment-letter-pdf", args=[complete.pk])).status_code == 404
    assert not ChargeLetter.objects.exists()


def test_pdf_is_403_for_a_non_casework_role(client, finance_user, complete):
    client.force_login(finance_user)
    assert client.get(reverse("assessments:assessment-letter-pdf", args=[complete.pk])).status_code == 403


def test_applying_the_uprating_issues_one_stored_letter_per_reassessment(council, officer, manager):
    # given two clients with complete 2023/24 assessments
    old = []
    for name in ("Ada", "Bert"):
        person = ClientFactory(organisation=council, first_name=name, date_of_birth=date(1950, 1, 1))
        draft = services.assessment_create(
            client=person, by=officer, effective_date=date(2023, 7, 3), weekly_care_cost=Decimal("500.00")
        )
        services.income_line_add(assessment=draft, by=officer, type="state_pension", amount=Decimal("300.00"))
        old.append(services.assessment_complete(assessment=draft, by=officer))
    services.uprating_prepare(organisation=council, start_year=2024, by=manager)
    # when the 2024/25 uprating is applied, twice
    assert services.uprating_apply(organisation=council, start_year=2024, by=manager) == (2, [])
    assert services.uprating_apply(organisation=council, start_year=2024, by=manager) == (0, [])
    # then each re-assessment has exactly one letter, with its PDF stored; the old ones have none
    reassessments = Assessment.objects.filter(supersedes__in=old)
    assert reassessments.count() == 2
    assert ChargeLetter.objects.count() == 2
    for reassessment in reassessments:
        assert reassessment.status == Assessment.Status.COMPLETE
        letter = reassessment.letter
        assert letter.created_by == manager and letter.pdf.name.startswith("letters/")
        with letter.pdf.open("rb") as handle:
            assert handle.read(4) == b"%PDF"
        assert "6 April 2024" in letter.html
