"""Recovering a direct payment surplus: the written notice to the person, then the recovery.

The rule (issue 7, seed 004 "maximise retrieval of direct payments surpluses"): a surplus — balance
less the contingency limit in weeks × net weekly payment, from a prepaid-card balance or a bank
account's quarterly return — is recovered only after the person has been given written notice, and
not before the notice period (DIRECT_PAYMENTS_SURPLUS_NOTICE_DAYS, 28 days by default) has passed:

    issued_on          the date of the letter (today when it is issued; never back-dated)
    recoverable_from   issued_on + notice days (a database check keeps the two in step)

From `recoverable_from` on, finance schedule the recovery: a surplus-recovery adjustment taking effect
that day, so the first draft run for a month starting on or after it takes it off the payment — never
below nothing for the month, the rest carried forward (`adjustments.adjustments_apply`). Scheduling
earlier is refused by the service and by the database (`dp_surplus_notice_not_before_period`).

The letter (`directpayments/letters.py`) is made once, when the notice is issued, and stored word for
word: the HTML shown on the printable page and an A4 PDF.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.money import format_money, to_money
from core.templatetags.jointcase import govuk_date

from ..letters import letter_html, letter_pdf
from ..models import Adjustment, Agreement, CardBalance, QuarterlyReturn, SurplusNotice
from .adjustments import adjustment_create


def notice_days() -> int:
    """Days of written notice before a surplus may be recovered (28 unless the council says otherwise)."""
    return getattr(settings, "DIRECT_PAYMENTS_SURPLUS_NOTICE_DAYS", 28)


def recoverable_from(issued_on: date, days: int | None = None) -> date:
    """The first day a surplus may be taken: the notice's date plus the notice period."""
    return issued_on + timedelta(days=notice_days() if days is None else days)


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
            f"Notice was given on {govuk_date(notice.issued_on)}, so the surplus cannot be recovered until "
            f"{govuk_date(notice.recoverable_from)} ({notice.notice_days} days' notice)."
        )
    notice.adjustment = adjustment_create(
        agreement=notice.agreement,
        kind=Adjustment.Kind.RECOVERY,
        amount=notice.amount,
        reason=f"Surplus, notice given {govuk_date(notice.issued_on)}",
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
