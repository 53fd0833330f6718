"""Direct payments monitoring writes: prepaid-card balances and surpluses, quarterly returns for bank
accounts, reviews and their reminders.

Surplus = card balance − contingency limit in weeks × net weekly payment; positive means more money in
the account than the agreement allows, to be recovered after written notice (`notices.py`). When a
quarterly return or a review is due is worked out by `directpayments/due_dates.py`.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.csvfiles import read_csv
from core.money import parse_money, to_money
from core.notifications import notify
from partnerships.models import Organisation

from .. import runs
from ..due_dates import first_annual_due, next_annual_due, quarter_end, quarter_start, six_week_due
from ..models import Agreement, BalanceImport, CardBalance, QuarterlyReturn, Review, ReviewReminder
from ..selectors import finance_officer_list

logger = logging.getLogger(__name__)

BALANCE_HEADER = ["card_reference", "balance", "date"]
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
MAX_BALANCE = Decimal("1000000.00")


# --- prepaid-card balances -------------------------------------------------------------------------


def surplus_for(*, balance: Decimal, contingency_weeks: int, weekly: Decimal) -> tuple[Decimal, Decimal]:
    """(contingency allowed, surplus): allowed = weeks × net weekly; surplus = balance − allowed."""
    allowed = to_money(Decimal(contingency_weeks) * weekly)
    return allowed, to_money(balance) - allowed


@dataclass
class BalanceImportResult:
    saved: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    record: BalanceImport | None = None


def _parse_date(text: str) -> date:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _read_rows(content: bytes | str) -> list[tuple[int, list[str]]]:
    """The data rows with their line numbers; ValidationError (nothing saved) for a file that is not a
    CSV of card balances at all."""
    header, rows = read_csv(content)
    if header != BALANCE_HEADER:
        raise ValidationError("The first line must be the header card_reference,balance,date.")
    return rows


@transaction.atomic
def card_balances_import(
    *, organisation: Organisation, content: bytes | str, by, filename: str = "", on: date | None = None
) -> BalanceImportResult:
    """Import prepaid-card balances (card_reference,balance,date). A broken file (not CSV, wrong header)
    saves nothing; otherwise good rows are saved (a second balance for the same card and day replaces
    the first) and bad rows are reported by line number with the reason."""
    rows = _read_rows(content)
    today = on or timezone.localdate()
    cards = {
        agreement.card_reference.strip().upper(): agreement
        for agreement in Agreement.objects.filter(
            client__organisation=organisation, account_type=Agreement.AccountType.PREPAID_CARD
        ).exclude(card_reference="")
    }
    result, good, seen = BalanceImportResult(), {}, {}
    for line, row in rows:
        if len(row) != 3:
            result.errors.append((line, f"Expected 3 values (card reference, balance, date), found {len(row)}"))
            continue
        reference, balance_text, date_text = (cell.strip() for cell in row)
        agreement = cards.get(reference.upper())
        if not reference:
            result.errors.append((line, "The card reference is missing"))
            continue
        if agreement is None:
            result.errors.append((line, f"No prepaid card agreement has the card reference {reference}"))
            continue
        try:
            balance = parse_money(balance_text)
        except InvalidOperation:
            result.errors.append((line, f"The balance {balance_text!r} is not an amount of money"))
            continue
        if not (-MAX_BALANCE < balance < MAX_BALANCE):
            result.errors.append((line, f"The balance {balance_text} is not believable"))
            continue
        try:
            balance_on = _parse_date(date_text)
        except ValueError:
            result.errors.append((line, f"The date {date_text!r} is not a date like 2026-04-30 or 30/04/2026"))
            continue
        if balance_on > today:
            result.errors.append((line, f"The date {balance_on:%-d %B %Y} is in the future"))
            continue
        key = (agreement.pk, balance_on)
        if key in seen:
            result.errors.append((line, f"The same card and date as line {seen[key]}"))
            continue
        seen[key] = line
        weekly = runs.net_weekly(budget=agreement.weekly_budget, contribution=agreement.weekly_contribution)
        allowed, surplus = surplus_for(balance=balance, contingency_weeks=agreement.contingency_weeks, weekly=weekly)
        good[key] = CardBalance(
            agreement=agreement, balance_on=balance_on, balance=balance, allowed=allowed, surplus=surplus
        )
    record = BalanceImport.objects.create(
        organisation=organisation,
        filename=filename[:200],
        rows_read=len(rows),
        rows_saved=len(good),
        errors=[list(error) for error in result.errors],
        uploaded_by=by,
    )
    for balance in good.values():
        balance.source = record
    CardBalance.objects.bulk_create(
        list(good.values()),
        update_conflicts=True,
        unique_fields=["agreement", "balance_on"],
        update_fields=["balance", "allowed", "surplus", "source"],
    )
    result.saved, result.record = len(good), record
    return result


# --- quarterly returns for bank accounts ------------------------------------------------------------


@transaction.atomic
def quarterly_return_record(
    *,
    agreement: Agreement,
    quarter: date,
    balance: Decimal,
    amount_spent: Decimal,
    evidence_received: bool,
    notes: str = "",
    by,
) -> QuarterlyReturn:
    """Record (or correct) a bank-account agreement's return for an ended quarter. The surplus is worked
    out as for a prepaid card, from the agreement as it stands: balance − contingency weeks × net weekly.
    A second return for the same quarter updates the first (evidence often arrives later); history keeps both."""
    if agreement.account_type != Agreement.AccountType.BANK_ACCOUNT:
        raise ValidationError("Quarterly returns are for agreements paid into the person's own bank account.")
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)  # one writer per agreement at a time
    start = quarter_start(quarter)
    if start != quarter:
        raise ValidationError({"quarter": "Choose a quarter starting 1 January, 1 April, 1 July or 1 October"})
    today = timezone.localdate()
    if quarter_end(start) >= today:
        raise ValidationError({"quarter": f"The quarter ending {quarter_end(start):%-d %B %Y} has not ended yet"})
    if agreement.start_date > quarter_end(start) or (agreement.end_date and agreement.end_date < start):
        raise ValidationError({"quarter": "The agreement was not running in that quarter"})
    balance, amount_spent = to_money(balance), to_money(amount_spent)
    if amount_spent < 0:
        raise ValidationError({"amount_spent": "The amount spent cannot be less than £0.00"})
    weekly = runs.net_weekly(budget=agreement.weekly_budget, contribution=agreement.weekly_contribution)
    allowed, surplus = surplus_for(balance=balance, contingency_weeks=agreement.contingency_weeks, weekly=weekly)
    record = QuarterlyReturn.objects.select_for_update().filter(
        agreement=agreement, quarter_start=start
    ).first() or QuarterlyReturn(agreement=agreement, quarter_start=start)
    record.balance, record.amount_spent, record.evidence_received = balance, amount_spent, evidence_received
    record.notes, record.allowed, record.surplus = notes.strip(), allowed, surplus
    record.recorded_by, record.recorded_at = by, timezone.now()
    record.full_clean(validate_constraints=False)
    record._history_user = by
    record.save()
    return record


# --- reviews ---------------------------------------------------------------------------------------


def reviews_schedule(*, agreement: Agreement) -> list[Review]:
    """Create the reviews an agreement is owed and does not have yet (the 6-week check once, an annual
    review always waiting); safe to call twice."""
    created = []
    kinds = set(agreement.reviews.values_list("kind", flat=True))
    start = agreement.start_date
    if Review.Kind.SIX_WEEK not in kinds:
        created.append(Review(agreement=agreement, kind=Review.Kind.SIX_WEEK, due_on=six_week_due(start)))
    if Review.Kind.ANNUAL not in kinds:
        created.append(Review(agreement=agreement, kind=Review.Kind.ANNUAL, due_on=first_annual_due(start)))
    return Review.objects.bulk_create(created, ignore_conflicts=True)


@transaction.atomic
def review_complete(*, review_id: int, by, completed_on: date, notes: str = "") -> Review:
    """Record a review done; an annual review done schedules the next one 12 months on."""
    review = Review.objects.select_for_update().get(pk=review_id)
    if review.completed_on is not None:
        raise ValidationError("This review has already been recorded.")
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "A review cannot be recorded in the future"})
    review.completed_on, review.completed_by, review.notes = completed_on, by, notes
    review._history_user = by
    review.save()
    if review.kind == Review.Kind.ANNUAL and review.agreement.status != Agreement.Status.ENDED:
        Review.objects.create(agreement=review.agreement, kind=Review.Kind.ANNUAL, due_on=next_annual_due(completed_on))
    return review


def review_reminders_send(*, today: date | None = None) -> int:
    """Tell the organisation's finance officers of each overdue review of a live agreement, once per
    agreement, kind and due date: the reminder row is claimed (unique) before anyone is told, so
    running twice or at once sends nothing more."""
    today = today or timezone.localdate()
    overdue = (
        Review.objects.filter(completed_on__isnull=True, due_on__lt=today)
        .exclude(agreement__status__in=[Agreement.Status.SETUP, Agreement.Status.ENDED])
        .select_related("agreement__client")
        .order_by("agreement__client__organisation_id", "due_on", "pk")
    )
    officers: dict[int, list] = {}
    sent = 0
    for review in overdue:
        agreement = review.agreement
        with transaction.atomic():
            try:
                with transaction.atomic():
                    ReviewReminder.objects.create(agreement=agreement, kind=review.kind, due_on=review.due_on)
            except IntegrityError:
                continue
            organisation_id = agreement.client.organisation_id
            if organisation_id not in officers:
                officers[organisation_id] = finance_officer_list(organisation_id=organisation_id)
            notify(
                recipients=officers[organisation_id],
                title=f"Direct payment review overdue: {agreement.client.full_name}",
                body=f"The {review.get_kind_display().lower()} was due on {review.due_on:%-d %B %Y}. "
                "Record it in JointCase when it is done.",
                url=reverse("directpayments:agreement-detail", args=[agreement.pk]),
            )
            sent += 1
    logger.info("direct payment review reminders sent: %s", sent)
    return sent
