"""Reconciliation after payment: payments the bank returned, paying them again, and arrears.

- A **returned payment** is an agreement's whole payment in a paid run that the bank sent back. It is
  recorded by hand or from the bank's returns file, once per run and agreement (`dp_returned_once_per_run`).
- The next draft run built for a later month **re-issues** it as a `reissue` line; the database allows
  one live re-issue per returned payment (`dp_line_reissued_once`), so it is never paid twice, and a
  cancelled run's re-issue is picked up again by the next run, so it is never dropped.
- **Arrears**: when days of a settled month (its run exported or paid) become payable after the event —
  a suspension cancelled, its end moved earlier, a backdated resume, wider agreement dates — the
  agreement is marked (`Agreement.arrears_check_from`). Each draft run then compares, for every settled
  month from the mark, what is due now (the rule of `runs.py`, at the weekly rate that month was paid
  at) with what live regular and arrears lines already pay, and adds an `arrears` line for the days
  missing: amount = due − paid, so the month ends up paid exactly as if the days had never been taken
  out, no more, no less. Arrears lines carry the month they pay for as their `period`.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.csvfiles import read_csv
from core.money import parse_money

from .. import runs
from ..models import Agreement, PaymentLine, PaymentRun, ReturnedPayment, ReturnsImport
from ..selectors import payments_in_run

ZERO = Decimal("0.00")
ADVISORY_LOCK_CLASS = 7007  # pg_advisory_xact_lock(class, organisation): one run at a time adds these lines
REFERENCE = re.compile(r"^DP0*(\d+)\s*([A-Z]{3}\d{2})$", re.IGNORECASE)
IDENTIFIERS = ("reference", "agreement", "vendor_number")


# --- returned payments ------------------------------------------------------------------------------


def _paid_run_locked(run_id: int) -> PaymentRun:
    run = PaymentRun.objects.select_for_update().get(pk=run_id)
    if run.status != PaymentRun.Status.PAID:
        raise ValidationError("Record returned payments once the run has been marked paid.")
    return run


@transaction.atomic
def returned_payment_record(*, run_id: int, agreement_id: int, reason: str, by) -> ReturnedPayment:
    """Record that the bank returned an agreement's payment in a paid run; the next run pays it again."""
    run = _paid_run_locked(run_id)
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason the bank gave for returning the payment"})
    amount = payments_in_run(run=run).get(agreement_id, ZERO)
    if amount <= 0:
        raise ValidationError("Nothing was paid to this agreement in this run.")
    if run.returned_payments.filter(agreement_id=agreement_id).exists():
        raise ValidationError("This payment has already been recorded as returned.")
    returned = ReturnedPayment(run=run, agreement_id=agreement_id, amount=amount, reason=reason.strip(), recorded_by=by)
    returned.full_clean()
    returned._history_user = by
    returned.save()
    return returned


@dataclass
class ReturnsImportResult:
    saved: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    record: ReturnsImport | None = None


def _read_returns(content: bytes | str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and numbered rows of a returns file, or ValidationError for a file that cannot be read."""
    try:
        header, rows = read_csv(content)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    if not {"amount", "reason"} <= set(header) or not set(IDENTIFIERS) & set(header):
        raise ValidationError(
            {"file": "The first line must be the header: reference (or agreement, or vendor_number), amount, reason"}
        )
    return header, rows


def _find_agreement(values: dict, *, run: PaymentRun, paid: dict, by_vendor: dict) -> tuple[int | None, str]:
    """The agreement a returns row is about, or None and why not."""
    reference = values.get("reference", "").strip()
    if reference:
        match = REFERENCE.match(reference)
        if not match:
            example = f"DP000042 {run.month:%b%y}".upper()
            return None, f"{reference} is not a direct payment reference, like {example}"
        if match.group(2).upper() != f"{run.month:%b%y}".upper():
            return None, f"The reference {reference} is not for {run.month:%B %Y}"
        agreement_id = int(match.group(1))
    elif values.get("agreement", "").strip():
        text = values["agreement"].strip().upper().removeprefix("DP")
        if not text.isdigit():
            return None, f"{values['agreement']} is not an agreement number"
        agreement_id = int(text)
    elif values.get("vendor_number", "").strip():
        matches = by_vendor.get(values["vendor_number"].strip(), [])
        if len(matches) != 1:
            return None, (
                f"No payment in this run has the vendor number {values['vendor_number'].strip()}"
                if not matches
                else f"More than one payment has the vendor number {values['vendor_number'].strip()}: use the reference"
            )
        agreement_id = matches[0]
    else:
        return None, "Give the payment reference, agreement number or vendor number"
    if paid.get(agreement_id, ZERO) <= 0:
        return None, f"No payment in this run matches {reference or values.get('agreement', '').strip()}"
    return agreement_id, ""


def returns_import(*, run_id: int, content: bytes | str, by, filename: str = "") -> ReturnsImportResult:
    """Record the payments a bank returns file lists for a paid run. Good rows are kept and bad rows reported
    by line number; a file that cannot be read (not text, no header) imports nothing."""
    header, rows = _read_returns(content)
    result = ReturnsImportResult()
    with transaction.atomic():
        run = _paid_run_locked(run_id)
        paid = payments_in_run(run=run)
        by_vendor: dict[str, list[int]] = defaultdict(list)
        for agreement_id, vendor in Agreement.objects.filter(pk__in=paid).values_list("pk", "supplier_number"):
            if vendor and paid[agreement_id] > 0:
                by_vendor[vendor].append(agreement_id)
        taken = set(run.returned_payments.values_list("agreement_id", flat=True))
        new, read = [], 0
        for number, row in rows:
            read += 1
            if len(row) != len(header):
                result.errors.append((number, f"Expected {len(header)} columns, found {len(row)}"))
                continue
            values = dict(zip(header, row, strict=True))
            agreement_id, problem = _find_agreement(values, run=run, paid=paid, by_vendor=by_vendor)
            if agreement_id is None:
                result.errors.append((number, problem))
                continue
            try:
                amount = parse_money(values["amount"])
            except (InvalidOperation, ValueError):
                result.errors.append((number, f"{values['amount']} is not an amount of money, like 123.45"))
                continue
            if amount != paid[agreement_id]:
                result.errors.append((number, f"The amount £{amount:,.2f} is not the £{paid[agreement_id]:,.2f} paid"))
                continue
            reason = values["reason"].strip()
            if not reason:
                result.errors.append((number, "Give the reason the bank returned the payment"))
                continue
            if agreement_id in taken:
                result.errors.append((number, "This payment is already recorded as returned"))
                continue
            taken.add(agreement_id)
            new.append(
                ReturnedPayment(run=run, agreement_id=agreement_id, amount=amount, reason=reason[:200], recorded_by=by)
            )
        record = ReturnsImport.objects.create(
            run=run,
            filename=filename[:200],
            rows_read=read,
            rows_saved=len(new),
            errors=result.errors,
            uploaded_by=by,
        )
        for returned in new:
            returned.source = record
        bulk_create_with_history(new, ReturnedPayment, default_user=by)
    result.saved, result.record = len(new), record
    return result


# --- what a draft run adds: re-issues and arrears ---------------------------------------------------


def add_to_draft_run(*, run: PaymentRun) -> None:
    """Add re-issues of returned payments and arrears to a draft run whose own re-issue and arrears lines
    have just been deleted. One run of an organisation at a time does this (advisory lock), so two drafts
    built at once cannot both pay the same thing."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_CLASS, run.organisation_id])
    _reissues_add(run=run)
    _arrears_add(run=run)


def _reissues_add(*, run: PaymentRun) -> None:
    waiting = (
        ReturnedPayment.objects.filter(run__organisation_id=run.organisation_id, run__month__lt=run.month)
        .exclude(reissue_lines__is_live=True)
        .select_related("run")
        .order_by("pk")
    )
    PaymentLine.objects.bulk_create(
        [
            PaymentLine(
                run=run,
                agreement_id=returned.agreement_id,
                period=run.month,
                kind=PaymentLine.Kind.REISSUE,
                amount=returned.amount,
                returned_payment=returned,
                note=f"Re-issue of the {returned.run.month:%B %Y} payment returned: {returned.reason}"[:200],
            )
            for returned in waiting
        ]
    )


def _month_range(first: date, stop: date) -> list[date]:
    months, month = [], runs.month_start(first)
    while month < stop:
        months.append(month)
        month = runs.next_month(month)
    return months


def _rate_when_settled(agreement: Agreement, settled_at) -> Decimal:
    """The net weekly rate the agreement had when a month with no line for it was settled."""
    if settled_at is not None:
        then = agreement.history.filter(history_date__lte=settled_at).order_by("-history_date").first()
        if then is not None:
            return runs.net_weekly(budget=then.weekly_budget, contribution=then.weekly_contribution)
    return runs.net_weekly(budget=agreement.weekly_budget, contribution=agreement.weekly_contribution)


def _arrears_add(*, run: PaymentRun) -> None:
    candidates = list(
        Agreement.objects.filter(
            client__organisation_id=run.organisation_id,
            arrears_check_from__isnull=False,
            arrears_check_from__lt=run.month,
        )
        .exclude(status=Agreement.Status.SETUP)
        .prefetch_related("suspensions")
        .order_by("pk")
    )
    if not candidates:
        return
    earliest = min(runs.month_start(agreement.arrears_check_from) for agreement in candidates)
    settled, pending = {}, set()
    for month, status, prepared_at in (
        PaymentRun.objects.filter(organisation_id=run.organisation_id, month__gte=earliest, month__lt=run.month)
        .exclude(status=PaymentRun.Status.CANCELLED)
        .values_list("month", "status", "prepared_at")
    ):
        if status in PaymentRun.SETTLED_STATUSES:
            settled[month] = prepared_at or timezone.make_aware(datetime.combine(runs.month_end(month), time.max))
        else:
            pending.add(month)  # a run not yet final for that month: it (or a later check) settles it
    paid: dict[tuple[int, date], dict] = defaultdict(lambda: {"days": 0, "amount": ZERO, "weekly": None, "final": True})
    for line in PaymentLine.objects.filter(
        agreement_id__in=[agreement.pk for agreement in candidates],
        period__gte=earliest,
        period__lt=run.month,
        is_live=True,
        kind__in=[PaymentLine.Kind.REGULAR, PaymentLine.Kind.ARREARS],
    ).values("agreement_id", "period", "kind", "days", "amount", "net_weekly", "run__status"):
        seen = paid[(line["agreement_id"], line["period"])]
        seen["days"] += line["days"]
        seen["amount"] += line["amount"]
        if line["kind"] == PaymentLine.Kind.REGULAR:
            seen["weekly"] = line["net_weekly"]
        if line["run__status"] not in PaymentRun.SETTLED_STATUSES:
            seen["final"] = False  # counted as paid, but it could still be cancelled: check again later
    lines, settled_agreements = [], []
    for agreement in candidates:
        months = _month_range(agreement.arrears_check_from, run.month)
        # Months with no run at all need nothing: a run built for them later pays them in full.
        all_final = not pending.intersection(months)
        suspensions = [runs.Period(s.starts_on, s.ends_on) for s in agreement.suspensions.all()]
        for month in months:
            if month not in settled:
                continue
            seen = paid[(agreement.pk, month)]
            all_final = all_final and seen["final"]
            weekly = seen["weekly"]
            if weekly is None:
                weekly = _rate_when_settled(agreement, settled[month])
            days = runs.days_payable(
                month=month, agreement=runs.Period(agreement.start_date, agreement.end_date), suspensions=suspensions
            )
            missing_days = days - seen["days"]
            missing = runs.amount_for_days(weekly=weekly, days=days) - seen["amount"]
            if missing_days > 0 and missing > 0:
                all_final = False  # paid by this draft: look again once it is settled
                lines.append(
                    PaymentLine(
                        run=run,
                        agreement=agreement,
                        period=month,
                        kind=PaymentLine.Kind.ARREARS,
                        net_weekly=weekly,
                        days=missing_days,
                        amount=missing,
                        note=f"Arrears for {month:%B %Y}: {missing_days} day{'s' if missing_days != 1 else ''} "
                        "now payable",
                    )
                )
        if all_final:
            settled_agreements.append(agreement)
    PaymentLine.objects.bulk_create(lines)
    if settled_agreements:
        # Only if nobody has moved the mark meanwhile (a suspension cancelled while this run was built).
        condition = Q()
        for agreement in settled_agreements:
            condition |= Q(pk=agreement.pk, arrears_check_from=agreement.arrears_check_from)
        Agreement.objects.filter(condition).update(arrears_check_from=None)


def arrears_mark(*, agreement: Agreement, from_day: date) -> None:
    """Ask the next runs to check settled months from `from_day` for days now payable (caller holds the
    agreement's row lock)."""
    if agreement.arrears_check_from is None or from_day < agreement.arrears_check_from:
        agreement.arrears_check_from = from_day
        Agreement.objects.filter(pk=agreement.pk).update(arrears_check_from=from_day)
