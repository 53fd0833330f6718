"""The charge letter as a PDF: made once with reportlab, stored with the assessment, served as a download
under the letter page's access rules; and issued for every re-assessment the annual uprating applies."""

from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils.html import strip_tags
from reportlab.platypus import Paragraph, Table

from assessments import letters, services
from assessments.models import Assessment, ChargeLetter
from tests.pdfs import pdf_fonts, pdf_pages, pdf_text, words
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


@pytest.fixture(autouse=True)
def council_contact_details(council):
    council.address = "County Hall\nMarket Street\nNorthtown NT1 1AA"
    council.phone = "01632 960 000"
    council.email = "charging@northshire.example"
    council.save()


@pytest.fixture
def complete(draft, officer):
    """The conftest's draft (of Margaret O'Hara, above) completed: £300.00 − the £228.70 MIG = £71.30."""
    return services.assessment_complete(assessment=draft, by=officer)


@pytest.fixture
def richer(officer, council):
    """Below pension age, with disability benefits, savings between the limits and rent (2024/25)."""
    person = ClientFactory(organisation=council, first_name="Dylan", last_name="Hughes", date_of_birth=date(1970, 5, 1))
    draft = services.assessment_create(
        client=person, by=officer, effective_date=date(2024, 7, 1), weekly_care_cost=Decimal("300.00")
    )
    for kind, amount in (
        ("esa", "200.00"),
        ("pip_daily_living_enhanced", "108.55"),
        ("pip_mobility_enhanced", "75.75"),
    ):
        services.income_line_add(assessment=draft, by=officer, type=kind, amount=Decimal(amount))
    services.capital_line_add(assessment=draft, by=officer, type="savings", amount=Decimal("16000.00"))
    services.expense_line_add(assessment=draft, by=officer, kind="housing", type="rent", weekly=Decimal("20.00"))
    return services.assessment_complete(assessment=draft, by=officer)


def _story_text(story) -> str:
    parts = []
    for flowable in story:
        if isinstance(flowable, Paragraph):
            parts.append(flowable.getPlainText())
        elif isinstance(flowable, Table):
            parts.extend(cell.getPlainText() for row in flowable._cellvalues for cell in row)
    return "\n".join(parts)


def _html_text(html: str) -> str:
    return words(unescape(strip_tags(html.replace("<br>", "\n"))))


def test_letter_story_has_name_address_date_charge_breakdown_and_review(complete):
    text = _story_text(letters.letter_story(assessment=complete))
    assert "Margaret O'Hara" in text and "12 Mill Lane" in text and "NT1 2AB" in text
    assert "From 1 July 2024 you will pay £71.30 a week." in text
    # the breakdown, line by line: the pension counted in full and the MIG deducted
    assert "Your income: State Pension" in text and "£300.00" in text and "−£228.70" in text
    assert "You can ask us to review the charge" in text and "Northshire County Council" in text


def test_letter_speaks_to_the_client_in_plain_english(complete):
    letter = letters.letter_content(assessment=complete)
    reference = f"FA{complete.pk:06d}"
    # who it is from, to whom, when and our reference
    assert letter.recipient == ["Margaret O'Hara", "12 Mill Lane", "Northtown", "NT1 2AB"]
    assert letter.sender == [
        "Northshire County Council",
        "County Hall",
        "Market Street",
        "Northtown NT1 1AA",
        "Phone: 01632 960 000",
        "Email: charging@northshire.example",
        "",
        f"Date: {letters._date(complete.completed_at)}",
        f"Our reference: {reference}",
    ]
    assert letter.salutation == "Dear Margaret O'Hara,"  # no title recorded: the name as recorded
    assert letter.charge == "From 1 July 2024 you will pay £71.30 a week."
    # what they pay and why, a week at a time, in plain words
    assert [(row.label, row.amount) for row in letter.working] == [
        ("Your income: State Pension", "£300.00"),
        ("The amount you keep for everyday living (Minimum Income Guarantee)", "−£228.70"),
        ("Left over each week", "£71.30"),
        ("Your weekly charge", "£71.30"),
    ]
    assert letter.working[1].note == (
        "The law says you must keep at least this much each week after paying towards your care."
    )
    assert letter.capital == [] and letter.capital_text == []
    # how to ask for a review: by phone, e-mail or letter, within a month, quoting the reference
    assert letter.review[0].endswith(
        "To ask for a review, phone us on 01632 960 000, email charging@northshire.example or write to us at "
        f"the address at the top of this letter within one month of the date of this letter, and give your "
        f"reference, {reference}."
    )
    assert letter.signature == ["Yours sincerely,", complete.completed_by.get_full_name(), "Northshire County Council"]


def test_a_title_gives_a_formal_greeting(complete, client_record):
    client_record.title = "Mrs"
    client_record.save()
    complete.refresh_from_db()
    assert letters.letter_content(assessment=complete).salutation == "Dear Mrs O'Hara,"


# Words from the staff's side of the calculation that must not reach the client's letter.
JARGON = [
    "taper",
    "Taper",
    "tariff",
    "Tariff",
    "version",
    "Rates used",
    "MIG",
    "mig_",
    "disregard",
    "DRE",
    "protected income",
    "assessable",
    "Pension Credit age",
    "2024/25",
    "capital lower limit",
]


def test_the_html_letter_and_the_pdf_say_the_same_with_no_jargon(richer):
    letter = letters.letter_content(assessment=richer)
    html = _html_text(letters.letter_html(assessment=richer))
    text = pdf_text(letters.letter_pdf(assessment=richer))
    sentences = [
        *letter.sender,
        *letter.recipient,
        letter.title,
        letter.salutation,
        letter.opening,
        letter.charge,
        *letter.summary,
        letter.working_intro,
        *(part for row in letter.working + letter.capital for part in (row.label, row.amount, row.note)),
        *letter.capital_text,
        *letter.review,
        *letter.signature,
    ]
    for sentence in filter(None, sentences):
        assert words(sentence) in html, sentence
        assert words(sentence) in text, sentence
    for word in JARGON:
        assert word not in html and word not in text, word


def test_letter_explains_benefits_savings_housing_and_premiums(richer):
    letter = letters.letter_content(assessment=richer)
    # 2024/25 figures: ESA £200.00, PIP daily living enhanced £108.55 (night element £108.55 − £72.65 =
    # £35.90 not counted: no night care), PIP mobility enhanced £75.75 (not counted), savings £16,000
    # (£1 a week for each £250 or part above £14,250: £7.00), MIG aged 25 to Pension Credit age £110.60
    # + disability premium £48.80 + enhanced disability premium £23.85 = £183.25, rent £20.00.
    # 384.30 − 111.65 + 7.00 − 183.25 − 20.00 = £76.40.
    assert [(row.label, row.amount) for row in letter.working] == [
        ("Your income: Employment and Support Allowance", "£200.00"),
        ("Your income: PIP daily living (enhanced rate)", "£108.55"),
        ("Income we do not count: PIP daily living (enhanced rate)", "−£35.90"),
        ("Your income: PIP mobility (enhanced rate)", "£75.75"),
        ("Income we do not count: PIP mobility (enhanced rate)", "−£75.75"),
        ("What your savings count as", "£7.00"),
        ("The amount you keep for everyday living (Minimum Income Guarantee)", "−£183.25"),
        ("Your housing costs: Rent (after Housing Benefit)", "−£20.00"),
        ("Left over each week", "£76.40"),
        ("Your weekly charge", "£76.40"),
    ]
    notes = {row.label: row.note for row in letter.working}
    assert notes["Income we do not count: PIP daily living (enhanced rate)"] == (
        "We do not count the extra paid for care at night, because you do not get care at night."
    )
    assert notes["What your savings count as"] == (
        "Savings above £14,250 count as £1 a week for each £250, or part of £250."
    )
    assert notes["The amount you keep for everyday living (Minimum Income Guarantee)"] == (
        "The law says you must keep at least this much each week after paying towards your care. "
        "This includes £48.80 because you get a disability benefit. "
        "This includes £23.85 because you get the highest rate of a disability benefit."
    )
    assert [(row.label, row.amount) for row in letter.capital] == [("Savings", "£16,000.00"), ("Total", "£16,000.00")]
    assert letter.capital_text == [
        "Savings and other capital up to £14,250 are not counted. Above that, they count as £1 a week of income "
        "for each £250, or part of £250, up to £23,250: yours count as £7.00 a week."
    ]
    assert letter.charge == "From 1 July 2024 you will pay £76.40 a week."


def test_savings_over_the_upper_limit_mean_the_full_cost(officer, client_record):
    draft = services.assessment_create(
        client=client_record, by=officer, effective_date=date(2024, 7, 1), weekly_care_cost=Decimal("250.00")
    )
    services.capital_line_add(assessment=draft, by=officer, type="savings", amount=Decimal("30000.00"))
    services.capital_line_add(
        assessment=draft, by=officer, type="property", amount=Decimal("10000.00"), jointly_owned=True
    )
    letter = letters.letter_content(assessment=services.assessment_complete(assessment=draft, by=officer))
    assert letter.charge == "From 1 July 2024 you will pay £250.00 a week."
    assert letter.summary == [
        "This is because your savings and other capital are more than £23,250: you pay the full cost of your care."
    ]
    assert letter.working == []  # income does not matter when the full cost is paid
    assert [(row.label, row.amount) for row in letter.capital] == [
        ("Savings", "£30,000.00"),
        ("Property other than the home: half of it, as you own it jointly", "£5,000.00"),
        ("Total", "£35,000.00"),
    ]
    assert letter.capital_text == ["This is more than £23,250, so you pay the full cost of your care."]


def test_nothing_to_pay_is_said_plainly(officer, client_record):
    draft = services.assessment_create(
        client=client_record, by=officer, effective_date=date(2024, 7, 1), weekly_care_cost=Decimal("250.00")
    )
    services.income_line_add(assessment=draft, by=officer, type="state_pension", amount=Decimal("200.00"))
    letter = letters.letter_content(assessment=services.assessment_complete(assessment=draft, by=officer))
    assert letter.charge == "From 1 July 2024 you will pay nothing towards your care (£0.00 a week)."
    assert letter.working[-2:] == [
        letters.Row("Left over each week", "£0.00"),
        letters.Row("Your weekly charge", "£0.00"),
    ]


def test_without_a_phone_or_address_the_letter_says_whom_to_contact(complete, council):
    council.address = council.phone = council.email = ""
    council.save()
    complete.refresh_from_db()
    letter = letters.letter_content(assessment=complete)
    assert letter.sender[:2] == ["Northshire County Council", ""]
    assert "To ask for a review, contact Northshire County Council within one month" in letter.review[0]


@pytest.mark.parametrize(
    ("title", "first_name", "last_name", "greeting"),
    [
        ("Mr", "Łukasz", "Wiśniewski-Ó'Briain", "Dear Mr Wiśniewski-Ó'Briain,"),
        ("", "Llŷr", "ap Siôn", "Dear Llŷr ap Siôn,"),
        ("", "Γιώργος", "Παπαδόπουλος", "Dear Γιώργος Παπαδόπουλος,"),
        ("Пані", "Олена", "Шевченко", "Dear Пані Шевченко,"),
    ],
)
def test_pdf_holds_names_in_any_script_as_typed(officer, council, title, first_name, last_name, greeting):
    # given a client whose name and address are written in Latin Extended, Greek or Cyrillic letters
    person = ClientFactory(
        organisation=council,
        title=title,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date(1950, 1, 1),
        address_line_1="Tŷ Llŷr, 3 Ffordd Ŵy",
        town="Łódź",
        postcode="NT1 2AB",
    )
    draft = services.assessment_create(
        client=person, by=officer, effective_date=date(2024, 7, 1), weekly_care_cost=Decimal("250.00")
    )
    services.income_line_add(assessment=draft, by=officer, type="state_pension", amount=Decimal("300.00"))
    # when the charge letter is made
    content = letters.letter_pdf(assessment=services.assessment_complete(assessment=draft, by=officer))
    # then its text layer holds the name, greeting and address exactly as typed, from the embedded font
    text = pdf_text(content)
    full_name = f"{first_name} {last_name}"
    assert full_name in text and greeting in text
    assert "Tŷ Llŷr, 3 Ffordd Ŵy" in text and "Łódź" in text
    assert "■" not in text
    assert pdf_fonts(content) == {"NotoSans-Regular": True, "NotoSans-Bold": True}
    # and every page is numbered
    pages = pdf_pages(content)
    for number, page in enumerate(pages, start=1):
        assert words(page).endswith(f"Page {number} of {len(pages)}")


def test_uncompressed_pdf_carries_the_text(complete):
    pdf = letters.letter_pdf(assessment=complete, compress=False)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Margaret O'Hara" in text and "From 1 July 2024 you will pay £71.30 a week." in text
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
