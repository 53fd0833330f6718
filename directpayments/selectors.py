"""Direct payments reads, scoped to the user's organisation (another organisation's records are a 404)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from core.access import organisation_of

from . import runs
from .models import Agreement, PaymentLine, PaymentRun, Suspension

ZERO = Decimal("0.00")


def agreement_list_for_user(*, user) -> QuerySet[Agreement]:
    """Agreements for clients the user's organisation holds; none without an organisation."""
    organisation = organisation_of(user)
    if organisation is None:
        return Agreement.objects.none()
    return Agreement.objects.filter(client__organisation=organisation).select_related("client")


def payment_run_list_for_user(*, user) -> QuerySet[PaymentRun]:
    """The user's organisation's payment runs, with line counts and totals."""
    organisation = organisation_of(user)
    if organisation is None:
        return PaymentRun.objects.none()
    return (
        PaymentRun.objects.filter(organisation=organisation)
        .select_related("prepared_by", "submitted_by", "approved_by")
        .annotate(line_count=Count("lines"), total=Sum("lines__amount", default=ZERO))
    )


def payment_run_lines(*, run: PaymentRun) -> QuerySet[PaymentLine]:
    return run.lines.select_related("agreement__client").order_by("agreement__client__last_name", "agreement_id", "pk")


def payment_run_totals(*, run: PaymentRun) -> list[dict]:
    """Count and total by account type, in one query."""
    return list(
        run.lines.values("agreement__account_type")
        .annotate(count=Count("pk"), total=Sum("amount", default=ZERO))
        .order_by("agreement__account_type")
    )


@dataclass(frozen=True)
class RunException:
    kind: str
    line: PaymentLine | None
    agreement: Agreement
    detail: str


def payment_run_exceptions(*, run: PaymentRun, lines: list[PaymentLine] | None = None) -> list[RunException]:
    """What finance should look at before approving: starters, leavers, suspended, changed amounts,
    missing supplier numbers. A fixed number of queries whatever the size of the run."""
    if lines is None:
        lines = list(payment_run_lines(run=run))
    first, last = runs.month_start(run.month), runs.month_end(run.month)
    previous = dict(
        PaymentLine.objects.filter(
            period=runs.previous_month(run.month),
            kind=PaymentLine.Kind.REGULAR,
            is_live=True,
            run__organisation=run.organisation,
        ).values_list("agreement_id", "amount")
    )
    suspended_ids = set(
        Suspension.objects.filter(agreement__payment_lines__run=run, starts_on__lte=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        .values_list("agreement_id", flat=True)
    )
    found = []
    for line in lines:
        if line.kind != PaymentLine.Kind.REGULAR:
            continue
        agreement = line.agreement
        if first <= agreement.start_date <= last:
            found.append(RunException("Starter", line, agreement, f"Starts {agreement.start_date:%-d %B %Y}"))
        if agreement.end_date and first <= agreement.end_date <= last:
            found.append(RunException("Leaver", line, agreement, f"Ends {agreement.end_date:%-d %B %Y}"))
        if agreement.pk in suspended_ids:
            found.append(RunException("Suspended", line, agreement, f"Paid for {line.days} days"))
        if agreement.pk in previous and previous[agreement.pk] != line.amount:
            found.append(RunException("Amount changed", line, agreement, f"Last month £{previous[agreement.pk]:,.2f}"))
        if not agreement.supplier_number:
            found.append(RunException("No supplier number", line, agreement, "Accounts payable cannot pay this"))
    return found
