"""Recovering a direct payment surplus: the written notice to the person, then the recovery.

The rule (issue 7, seed 004 "maximise retrieval of direct payments surpluses"): a surplus — balance
less the contingency limit in weeks × net weekly payment, from a prepaid-card balance or a bank
account's quarterly return — is recovered only after the person has been given written notice, and
not before the notice period (DIRECT_PAYMENTS_SURPLUS_NOTICE_DAYS, 28 days by default) has passed:

    issued_on          the date of the letter (today when it is issued; never back-dated)
    recoverable_from   issued_on + notice days (a database check keeps the two in step)

From `recoverable_from` on, finance schedule the recovery: a surplus-recovery adjustment taking effect
that day, so the first draft run for a month starting on or after it takes it off the payment — never
below nothing for the month, the rest carried forward (`services._adjustments_apply`). Scheduling
earlier is refused by the service and by the database (`dp_surplus_notice_not_before_period`).

The letter is made once, when the notice is issued, and stored word for word: the HTML shown on the
printable page and an A4 PDF (laid out by `core.pdf`, as the charge letter is).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from reportlab.platypus import Paragraph

from core import pdf
from core.money import format_money, to_money

from .models import Adjustment, Agreement, CardBalance, QuarterlyReturn, SurplusNotice
from .services import adjustment_create


def notice_days() -> int:
    """Days of written notice before a surplus may be recovered (28 unless the council says otherwise)."""
    return getattr(settings, "DIRECT_PAYMENTS_SURPLUS_NOTICE_DAYS", 28)


def recoverable_from(issued_on: date, days: int | None = None) -> date:
    """The first day a surplus may be taken: the notice's date plus the notice period."""
    return issued_on + timedelta(days=notice_days() if days is None else days)


def _long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


# --- the letter --------------------------------------------------------------------------------------


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
        f"On {_long_date(notice.balance_on)} {where} held {format_money(notice.balance)}. That is "
        f"{format_money(surplus)} more than you may keep."
    )
    if notice.amount != surplus:
        found += f" We will recover {format_money(notice.amount)} of it."
    by = notice.issued_by
    starts = _long_date(notice.recoverable_from)
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
        date=_long_date(notice.issued_on),
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


# --- services -----------------------------------------------------------------------------------------


@transaction.atomic
def surplus_notice_issue(
    *,
    agreement: Agreement,
    by,
    card_balance: CardBalance | None = None,
    quarterly_return: QuarterlyReturn | None = None,
    amount: Decimal | None = None,
) -> SurplusNotice:
    """Give written notice that a surplus (from a card balance or a quarterly return of this agreement)
    will be recovered: dated today, recoverable from today + the notice period. The letter is made and
    stored now. One live notice per surplus; the amount is the surplus unless a smaller one is given."""
    if (card_balance is None) == (quarterly_return is None):
        raise ValidationError("Choose the card balance or the quarterly return that shows the surplus.")
    source = card_balance or quarterly_return
    if source.agreement_id != agreement.pk:
        raise ValidationError("That balance belongs to another agreement.")
    agreement = Agreement.objects.select_for_update().select_related("client__organisation").get(pk=agreement.pk)
    if agreement.status in (Agreement.Status.SETUP, Agreement.Status.ENDED):
        raise ValidationError(
            "A surplus can only be recovered through the payments of a live agreement. This one is "
            f"{agreement.get_status_display().lower()}: ask for the money back by invoice instead."
        )
    if source.surplus <= 0:
        raise ValidationError("That balance is not above the contingency allowed, so there is nothing to recover.")
    amount = source.surplus if amount is None else to_money(amount)
    if amount <= 0:
        raise ValidationError({"amount": "Enter an amount more than £0.00"})
    if amount > source.surplus:
        raise ValidationError({"amount": f"Enter no more than the surplus, {format_money(source.surplus)}"})
    today = timezone.localdate()
    days = notice_days()
    balance_on = source.balance_on if card_balance else quarterly_return.quarter_end
    notice = SurplusNotice(
        agreement=agreement,
        card_balance=card_balance,
        quarterly_return=quarterly_return,
        amount=amount,
        balance=source.balance,
        balance_on=balance_on,
        allowed=source.allowed,
        issued_on=today,
        notice_days=days,
        recoverable_from=recoverable_from(today, days),
        issued_by=by,
    )
    notice.letter_html = letter_html(notice)
    notice.full_clean(exclude=["letter_pdf"], validate_constraints=False)
    notice._history_user = by
    pdf_name = f"surplus-notice-{agreement.pk}-{today:%Y-%m-%d}.pdf"  # the storage makes it unique
    try:
        with transaction.atomic():
            notice.letter_pdf.save(pdf_name, ContentFile(letter_pdf(notice)), save=True)
    except IntegrityError as exc:
        raise ValidationError("Notice of this surplus has already been given.") from exc
    return notice


@transaction.atomic
def surplus_recovery_schedule(*, notice_id: int, by) -> SurplusNotice:
    """Once the notice period has passed, schedule the recovery: a surplus-recovery adjustment for the
    notice's amount taking effect today, so the next run for a month starting on or after today takes it
    (never below nothing, the rest carried forward). Refused before `recoverable_from`, and refused twice."""
    notice = SurplusNotice.objects.select_for_update().select_related("agreement").get(pk=notice_id)
    if notice.status != SurplusNotice.Status.ISSUED:
        raise ValidationError(f"This notice is {notice.get_status_display().lower()}: there is nothing to schedule.")
    today = timezone.localdate()
    if today < notice.recoverable_from:
        raise ValidationError(
            f"Notice was given on {_long_date(notice.issued_on)}, so the surplus cannot be recovered until "
            f"{_long_date(notice.recoverable_from)} ({notice.notice_days} days' notice)."
        )
    notice.adjustment = adjustment_create(
        agreement=notice.agreement,
        kind=Adjustment.Kind.RECOVERY,
        amount=notice.amount,
        reason=f"Surplus, notice given {_long_date(notice.issued_on)}",
        takes_effect_on=today,
        by=by,
    )
    notice.status, notice.scheduled_on, notice.scheduled_by = SurplusNotice.Status.SCHEDULED, today, by
    notice._history_user = by
    notice.save(update_fields=["adjustment", "status", "scheduled_on", "scheduled_by"])
    return notice


@transaction.atomic
def surplus_notice_withdraw(*, notice_id: int, by, reason: str) -> SurplusNotice:
    """Withdraw a notice not yet acted on (the person showed the money is owed, or paid it back): nothing
    is recovered, and a new notice may be given for the same surplus."""
    notice = SurplusNotice.objects.select_for_update().get(pk=notice_id)
    if notice.status != SurplusNotice.Status.ISSUED:
        raise ValidationError(f"This notice is {notice.get_status_display().lower()}, so it cannot be withdrawn.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the notice is withdrawn"})
    notice.status, notice.withdrawn_reason = SurplusNotice.Status.WITHDRAWN, reason.strip()[:200]
    notice._history_user = by
    notice.save(update_fields=["status", "withdrawn_reason"])
    return notice
