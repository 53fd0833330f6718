"""The written notice of a direct payment surplus, in plain English: how much, how it was worked out, when
it will be recovered and how to disagree.

`letter_content` decides the words once; the HTML letter (shown and printed in the browser) and the PDF
(`core.pdf`, as the charge letter is) are both laid out from them, so the two always say the same.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from reportlab.platypus import Paragraph

from core import pdf
from core.money import format_money
from core.templatetags.jointcase import govuk_date

from .models import Agreement, SurplusNotice


@dataclass(frozen=True)
class Letter:
    """The letter's words, from which both the HTML and the PDF are laid out (so they never differ)."""

    sender: str
    sender_lines: list[str]  # the council's name, address, phone and e-mail
    addressee: str
    address: list[str]
    date: str
    reference: str
    title: str
    amount: str
    paragraphs: list[str]
    dispute: list[str]
    signature: list[str]


def letter_content(notice: SurplusNotice) -> Letter:
    """What the notice says: the surplus and how it was worked out, the date of the notice, the date
    from which it will be recovered, and how to disagree."""
    agreement = notice.agreement
    client = agreement.client
    council = client.organisation
    organisation = council.name
    where = {
        Agreement.AccountType.PREPAID_CARD: "your direct payment card",
        Agreement.AccountType.BANK_ACCOUNT: "your direct payment bank account",
    }.get(agreement.account_type, "your direct payment account")
    surplus = notice.balance - notice.allowed
    found = (
        f"On {govuk_date(notice.balance_on)} {where} held {format_money(notice.balance)}. That is "
        f"{format_money(surplus)} more than you may keep."
    )
    if notice.amount != surplus:
        found += f" We will recover {format_money(notice.amount)} of it."
    by = notice.issued_by
    starts = govuk_date(notice.recoverable_from)
    return Letter(
        sender=organisation,
        sender_lines=[
            organisation,
            *(line.strip() for line in council.address.splitlines() if line.strip()),
            *([f"Phone: {council.phone}"] if council.phone else []),
            *([f"Email: {council.email}"] if council.email else []),
        ],
        addressee=agreement.nominated_person or client.full_name,
        address=[*([client.full_name] if agreement.nominated_person else []), *client.address_lines],
        date=govuk_date(notice.issued_on),
        reference=f"Direct payment DP{agreement.pk:06d}",
        title="We will recover money you have not spent from your direct payment",
        amount=format_money(notice.amount),
        paragraphs=[
            f"Dear {agreement.nominated_person or client.full_name},",
            "Your direct payment is for the care and support in your support plan. You may keep up to "
            f"{agreement.contingency_weeks} weeks of payments ({format_money(notice.allowed)}) for unexpected "
            "costs. Anything above that is a surplus, which we take back.",
            found,
            f"From {starts} we will take {format_money(notice.amount)} off your direct payments, starting with "
            f"the payment for the first month that begins on or after {starts}. If one payment is smaller than "
            "this, we take what we can and the rest from the next payments: a payment never goes below nothing. "
            f"We will take nothing before {starts}, {notice.notice_days} days after the date of this letter.",
        ],
        dispute=[
            f"If you think this is wrong, for example because the money is already owed for care you have had "
            f"(wages, invoices or bills not yet paid), contact {organisation} before {starts} and tell us why. "
            "Send copies of any invoices, timesheets or statements.",
            "We will not take the money while we look at it again, and we will write to you with our decision. "
            "You can ask someone to help you, such as a family member, a carer or an advice service.",
        ],
        signature=["Yours sincerely,", (by.get_full_name() or by.username), f"Direct payments, {organisation}"],
    )


def letter_html(notice: SurplusNotice) -> str:
    """The letter's body as shown on the printable page (kept word for word once issued)."""
    return render_to_string("directpayments/includes/_surplus_notice_letter.html", {"letter": letter_content(notice)})


def letter_story(letter: Letter) -> list:
    """The letter's flowables, in reading order (the PDF is this story laid out on A4)."""
    s = pdf.styles()
    story = [
        pdf.address_block(
            recipient=[letter.addressee, *letter.address],
            sender=[*letter.sender_lines, "", f"Date: {letter.date}", letter.reference],
        ),
        Paragraph(pdf.text(letter.title), s.title),
        Paragraph(f"Surplus to recover: {pdf.text(letter.amount)}", s.lead),
    ]
    story += [Paragraph(pdf.text(paragraph), s.body) for paragraph in letter.paragraphs]
    story.append(Paragraph("If you disagree", s.heading))
    story += [Paragraph(pdf.text(paragraph), s.body) for paragraph in letter.dispute[:-1]]
    story.append(pdf.signature(letter.signature, last_paragraph=letter.dispute[-1]))
    return story


def letter_pdf(notice: SurplusNotice, *, compress: bool = True) -> bytes:
    """The letter as an A4 PDF (`core.pdf`); `compress=False` writes the page streams uncompressed and the
    bytes repeatable (tests)."""
    letter = letter_content(notice)
    return pdf.render(
        letter_story(letter),
        title=f"Surplus notice for {letter.addressee}",
        organisation=letter.sender,
        footer=f"Notice of a direct payment surplus · {letter.addressee} · {letter.reference}",
        compress=compress,
    )
