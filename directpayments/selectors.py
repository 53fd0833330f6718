"""Direct payments reads, scoped to the user's organisation (another organisation's records are a 404)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.urls import reverse

from core.access import organisation_of

from . import runs
from .models import Adjustment, Agreement, CardBalance, PaymentLine, PaymentRun, Review

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
    agreement_id: int
    client_name: str
    detail: str

    @property
    def url(self) -> str:
        return reverse("directpayments:agreement-detail", args=[self.agreement_id])


# Plain joins (not correlated subqueries): the regular lines with something to see, and why.
EXCEPTIONS_SQL = """
SELECT l.agreement_id, l.days, l.amount, p.amount, s.agreement_id IS NOT NULL,
       a.start_date, a.end_date, a.supplier_number, c.first_name, c.middle_names, c.last_name
FROM directpayments_paymentline l
JOIN directpayments_agreement a ON a.id = l.agreement_id
JOIN referrals_client c ON c.id = a.client_id
LEFT JOIN directpayments_paymentline p
  ON p.agreement_id = l.agreement_id AND p.period = %(previous)s AND p.kind = 'regular' AND p.is_live
LEFT JOIN (SELECT DISTINCT agreement_id FROM directpayments_suspension
           WHERE starts_on <= %(last)s AND (ends_on IS NULL OR ends_on >= %(first)s)) s
  ON s.agreement_id = l.agreement_id
WHERE l.run_id = %(run)s AND l.kind = 'regular'
  AND (a.start_date BETWEEN %(first)s AND %(last)s OR a.end_date BETWEEN %(first)s AND %(last)s
       OR s.agreement_id IS NOT NULL OR p.amount <> l.amount OR a.supplier_number = '')
ORDER BY c.last_name, l.agreement_id, l.id
"""


def payment_run_exceptions(*, run: PaymentRun) -> list[RunException]:
    """What finance should look at before approving: starters, leavers, suspended, amounts changed since
    last month, missing supplier numbers. One query that returns only the lines with something to see,
    as plain values, so 50,000 lines cost no more queries than 5."""
    first, last = runs.month_start(run.month), runs.month_end(run.month)
    with connection.cursor() as cursor:
        cursor.execute(
            EXCEPTIONS_SQL,
            {"run": run.pk, "first": first, "last": last, "previous": runs.previous_month(run.month)},
        )
        rows = cursor.fetchall()
    found = []
    for agreement_id, days, amount, previous_amount, is_suspended, start, end, supplier, *names in rows:
        name = " ".join(part for part in names if part)
        if first <= start <= last:
            found.append(RunException("Starter", agreement_id, name, f"Starts {start:%-d %B %Y}"))
        if end and first <= end <= last:
            found.append(RunException("Leaver", agreement_id, name, f"Ends {end:%-d %B %Y}"))
        if is_suspended:
            found.append(RunException("Suspended", agreement_id, name, f"Paid for {days} days"))
        if previous_amount is not None and previous_amount != amount:
            found.append(RunException("Amount changed", agreement_id, name, f"Last month £{previous_amount:,.2f}"))
        if not supplier:
            found.append(RunException("No supplier number", agreement_id, name, "Accounts payable cannot pay this"))
    return found


# --- monitoring and the finance home page ----------------------------------------------------------


def review_overdue_list_for_user(*, user, today: date) -> QuerySet[Review]:
    """Reviews of the organisation's live agreements not done by their due date, oldest first."""
    organisation = organisation_of(user)
    if organisation is None:
        return Review.objects.none()
    return (
        Review.objects.filter(agreement__client__organisation=organisation, completed_on__isnull=True, due_on__lt=today)
        .exclude(agreement__status__in=[Agreement.Status.SETUP, Agreement.Status.ENDED])
        .select_related("agreement__client")
        .order_by("due_on", "pk")
    )


def card_surplus_list_for_user(*, user) -> QuerySet[CardBalance]:
    """Each prepaid card's latest balance, where it is above the contingency allowed, largest first."""
    organisation = organisation_of(user)
    if organisation is None:
        return CardBalance.objects.none()
    latest = CardBalance.objects.filter(agreement=OuterRef("agreement")).order_by("-balance_on", "-pk").values("pk")[:1]
    return (
        CardBalance.objects.filter(agreement__client__organisation=organisation, pk=Subquery(latest), surplus__gt=0)
        .exclude(agreement__status=Agreement.Status.ENDED)
        .select_related("agreement__client")
        .order_by("-surplus", "pk")
    )


def adjustment_list(*, agreement: Agreement) -> QuerySet[Adjustment]:
    return agreement.adjustments.select_related("run", "carried_from").order_by("-takes_effect_on", "-pk")


@dataclass
class FinanceHome:
    current_run: PaymentRun | None
    last_run: PaymentRun | None
    totals: list[dict]
    overdue_reviews: list[Review]
    overdue_count: int
    surpluses: list[CardBalance]
    surplus_count: int
    surplus_total: Decimal


def finance_home_for_user(*, user, today: date, limit: int = 10) -> FinanceHome:
    """The finance home page in a fixed number of queries: this month's and last month's runs, the
    current run's totals by account type, overdue reviews and card surpluses."""
    this_month = runs.month_start(today)
    run_list = {
        run.month: run
        for run in payment_run_list_for_user(user=user)
        .filter(month__in=[this_month, runs.previous_month(this_month)])
        .exclude(status=PaymentRun.Status.CANCELLED)
    }
    current, last = run_list.get(this_month), run_list.get(runs.previous_month(this_month))
    overdue = review_overdue_list_for_user(user=user, today=today)
    surpluses = card_surplus_list_for_user(user=user)
    surplus_summary = surpluses.order_by().aggregate(count=Count("pk"), total=Sum("surplus", default=ZERO))
    return FinanceHome(
        current_run=current,
        last_run=last,
        totals=[
            {**row, "label": Agreement.AccountType(row["agreement__account_type"]).label}
            for row in (payment_run_totals(run=current) if current else [])
        ],
        overdue_reviews=list(overdue[:limit]),
        overdue_count=overdue.count(),
        surpluses=list(surpluses[:limit]),
        surplus_count=surplus_summary["count"],
        surplus_total=surplus_summary["total"],
    )
