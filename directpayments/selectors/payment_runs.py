"""Direct payments reads, scoped to the user's organisation (another organisation's records are a 404)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.urls import reverse

from core.access import organisation_of

from . import runs
from .models import Adjustment, Agreement, CardBalance, PaymentLine, PaymentRun, QuarterlyReturn, Review, SurplusNotice

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


# Who is paid, read straight from the line's agreement and client (the order `NetPayment` takes them).
PAYEE_FIELDS = (
    "agreement__supplier_number",
    "agreement__account_type",
    "agreement__sort_code",
    "agreement__account_number",
    "agreement__account_name",
    "agreement__client__first_name",
    "agreement__client__middle_names",
    "agreement__client__last_name",
)


def payment_run_export_lines(*, run: PaymentRun) -> list:
    """The run's payments for the files, one per agreement (its lines summed, the latest period), as
    plain values in one grouped query: 50,000 agreements load in a fraction of a second, where model
    instances with their agreement and client took seconds. Same order as `payment_run_lines`."""
    from .exports import NetPayment, NetPayments, Payee

    rows = (
        run.lines.values("agreement_id", *PAYEE_FIELDS)
        .annotate(total=Sum("amount"), latest=Max("period"))
        .order_by("agreement__client__last_name", "agreement_id")
        .values_list("agreement_id", "latest", "total", *PAYEE_FIELDS)
    )
    return NetPayments(
        NetPayment(
            agreement_id=agreement_id,
            period=period,
            amount=total,
            agreement=Payee(
                supplier, account_type, sort_code, account_number, account_name, " ".join(filter(None, names))
            ),
        )
        for agreement_id, period, total, supplier, account_type, sort_code, account_number, account_name, *names in rows
    )


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
SELECT l.agreement_id, l.days, l.net_weekly, p.net_weekly, s.agreement_id IS NOT NULL,
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
       OR s.agreement_id IS NOT NULL OR p.net_weekly <> l.net_weekly OR a.supplier_number = '')
ORDER BY c.last_name, l.agreement_id, l.id
"""


def payment_run_exceptions(*, run: PaymentRun) -> list[RunException]:
    """What finance should look at before approving: starters, leavers, suspended, weekly amounts changed since
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
    for agreement_id, days, weekly, previous_weekly, is_suspended, start, end, supplier, *names in rows:
        name = " ".join(part for part in names if part)
        if first <= start <= last:
            found.append(RunException("Starter", agreement_id, name, f"Starts {start:%-d %B %Y}"))
        if end and first <= end <= last:
            found.append(RunException("Leaver", agreement_id, name, f"Ends {end:%-d %B %Y}"))
        if is_suspended:
            found.append(RunException("Suspended", agreement_id, name, f"Paid for {days} days"))
        # The weekly rate, not the month's amount: a 31-day month after a 30-day one is not news.
        if previous_weekly is not None and previous_weekly != weekly:
            detail = f"£{previous_weekly:,.2f} a week last month, £{weekly:,.2f} now"
            found.append(RunException("Weekly amount changed", agreement_id, name, detail))
        if not supplier:
            found.append(RunException("No supplier number", agreement_id, name, "Accounts payable cannot pay this"))
    # Money paid again or late: re-issues of returned payments and arrears (few lines, one query).
    labels = {PaymentLine.Kind.REISSUE: "Re-issued", PaymentLine.Kind.ARREARS: "Arrears"}
    for line in (
        run.lines.filter(kind__in=list(labels))
        .select_related("agreement__client")
        .order_by("agreement__client__last_name", "agreement_id", "pk")
    ):
        found.append(RunException(labels[line.kind], line.agreement_id, line.agreement.client.full_name, line.note))
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


# The notice given (and not withdrawn) for a surplus, if any: the page links to it instead of offering another.
_live_notice = SurplusNotice.objects.exclude(status=SurplusNotice.Status.WITHDRAWN).order_by("-pk")


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
        .annotate(notice_id=Subquery(_live_notice.filter(card_balance=OuterRef("pk")).values("pk")[:1]))
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
    take_up: "TakeUp | None" = None
    quarterly_returns_due: int = 0


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
        take_up=direct_payment_take_up_for_user(user=user, today=today),
        quarterly_returns_due=quarterly_return_due_list_for_user(user=user, today=today).count(),
    )


# --- surplus notices, quarterly returns, take-up -----------------------------------------------------


def surplus_notice_list_for_user(*, user) -> QuerySet[SurplusNotice]:
    """The organisation's surplus notices, newest first."""
    organisation = organisation_of(user)
    if organisation is None:
        return SurplusNotice.objects.none()
    return SurplusNotice.objects.filter(agreement__client__organisation=organisation).select_related(
        "agreement__client", "issued_by", "adjustment__run"
    )


def quarterly_return_surplus_list_for_user(*, user) -> QuerySet[QuarterlyReturn]:
    """Each bank account's latest quarterly return, where its balance is above the contingency allowed."""
    organisation = organisation_of(user)
    if organisation is None:
        return QuarterlyReturn.objects.none()
    latest = QuarterlyReturn.objects.filter(agreement=OuterRef("agreement")).order_by("-quarter_start", "-pk")
    latest = latest.values("pk")[:1]
    return (
        QuarterlyReturn.objects.filter(agreement__client__organisation=organisation, pk=Subquery(latest), surplus__gt=0)
        .exclude(agreement__status=Agreement.Status.ENDED)
        .select_related("agreement__client")
        .annotate(notice_id=Subquery(_live_notice.filter(quarterly_return=OuterRef("pk")).values("pk")[:1]))
        .order_by("-surplus", "pk")
    )


def quarterly_return_due_list_for_user(*, user, today: date) -> QuerySet[Agreement]:
    """Bank-account agreements running in the last completed quarter whose return for it has not come
    in, or came in without its evidence (`return_id` and `evidence_received` tell which), by client name."""
    from .monitoring import last_completed_quarter, quarter_end

    start = last_completed_quarter(today)
    returns = QuarterlyReturn.objects.filter(agreement=OuterRef("pk"), quarter_start=start)
    return (
        agreement_list_for_user(user=user)
        .filter(account_type=Agreement.AccountType.BANK_ACCOUNT, start_date__lte=quarter_end(start))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .exclude(status=Agreement.Status.SETUP)
        .exclude(Exists(returns.filter(evidence_received=True)))
        .annotate(return_id=Subquery(returns.values("pk")[:1]), quarter_start=Value(start))
        .order_by("client__last_name", "client__first_name", "pk")
    )


TAKE_UP_TARGET_PERCENT = Decimal("30")  # seed 003: "ideally at a figure of around 30%"


@dataclass(frozen=True)
class TakeUp:
    with_direct_payment: int
    with_community_services: int
    target_percent: Decimal = TAKE_UP_TARGET_PERCENT

    @property
    def percent(self) -> Decimal | None:
        if not self.with_community_services:
            return None
        return (Decimal(100) * self.with_direct_payment / self.with_community_services).quantize(Decimal("0.1"))

    @property
    def meets_target(self) -> bool:
        return self.percent is not None and self.percent >= self.target_percent


def direct_payment_take_up_for_user(*, user, today: date) -> TakeUp | None:
    """Take-up = clients with a live direct payment ÷ clients with community services, in one query.

    "Live direct payment": an agreement that is active or suspended and not ended by `today`.
    "Community services": JointCase has no care-package record, so a client counts when their current
    (complete) financial assessment for care at home has a weekly cost of care above £0.00 — or when they
    have a live direct payment, which is itself a community service (so take-up never exceeds 100%)."""
    from assessments.models import Assessment
    from referrals.models import Client

    organisation = organisation_of(user)
    if organisation is None:
        return None
    live_agreement = Agreement.objects.filter(
        client=OuterRef("pk"), status__in=[Agreement.Status.ACTIVE, Agreement.Status.SUSPENDED]
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    care_at_home = Assessment.objects.filter(
        client=OuterRef("pk"), status=Assessment.Status.COMPLETE, weekly_care_cost__gt=0
    )
    counts = (
        Client.objects.filter(organisation=organisation)
        .annotate(has_dp=Exists(live_agreement), has_care=Exists(care_at_home))
        .aggregate(
            dp=Count("pk", filter=Q(has_dp=True)),
            services=Count("pk", filter=Q(has_dp=True) | Q(has_care=True)),
        )
    )
    return TakeUp(with_direct_payment=counts["dp"], with_community_services=counts["services"])


def card_balance_list(*, agreement: Agreement) -> QuerySet[CardBalance]:
    """An agreement's card balances, latest first, each with the live notice given for its surplus, if any."""
    return agreement.card_balances.annotate(
        notice_id=Subquery(_live_notice.filter(card_balance=OuterRef("pk")).values("pk")[:1])
    ).order_by("-balance_on", "-pk")


def quarterly_return_list(*, agreement: Agreement) -> QuerySet[QuarterlyReturn]:
    """An agreement's quarterly returns, latest quarter first, each with the live notice for its surplus."""
    return agreement.quarterly_returns.annotate(
        notice_id=Subquery(_live_notice.filter(quarterly_return=OuterRef("pk")).values("pk")[:1])
    ).order_by("-quarter_start", "-pk")


# --- agreement history, personal assistants, run report (helper dpa) -------------------------------


def agreement_history(*, agreement: Agreement) -> list:
    """Every change to an agreement and its suspensions (personal assistants included): who, when, old → new.

    The personal assistants are diffed here from one query over their history table, as simple-history's
    own m2m diff costs two queries per version."""
    from dataclasses import replace

    from core.audit import FieldChange, history_entries

    from .models import PersonalAssistant, Suspension

    entries = history_entries(agreement.history.all(), label="Agreement", skip=("updated_at", "personal_assistants"))
    assistant_changes = _assistant_changes(agreement, PersonalAssistant, FieldChange)
    entries = [
        replace(entry, changes=(*entry.changes, assistant_changes[entry.when]))
        if entry.when in assistant_changes
        else entry
        for entry in entries
    ]
    entries = [entry for entry in entries if entry.changes or entry.action != "Changed"]
    entries += history_entries(Suspension.history.filter(agreement_id=agreement.pk), label="Suspension")
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def _assistant_changes(agreement: Agreement, assistant_model, field_change) -> dict:
    """{version's history date: FieldChange} for the versions whose personal assistants differ from the last."""
    historical_m2m = next(
        rel.related_model
        for rel in Agreement.history.model._meta.related_objects
        if rel.name.endswith("personal_assistants")
    )
    chosen: dict[int, set[int]] = {}
    for history_id, assistant_id in historical_m2m.objects.filter(history__id=agreement.pk).values_list(
        "history_id", "personalassistant_id"
    ):
        chosen.setdefault(history_id, set()).add(assistant_id)
    versions = list(agreement.history.order_by("history_date", "history_id").values_list("history_id", "history_date"))
    names = dict(
        assistant_model._base_manager.filter(pk__in={pk for ids in chosen.values() for pk in ids}).values_list(
            "pk", "name"
        )
    )

    def show(ids: set[int]) -> str:
        return "; ".join(sorted(names.get(pk, f"#{pk}") for pk in ids)) or "(blank)"

    changes, before = {}, set()
    for history_id, when in versions:
        now = chosen.get(history_id, set())
        if now != before:
            changes[when] = field_change(field="Personal assistants", old=show(before), new=show(now))
        before = now
    return changes


def personal_assistant_list_for_user(*, user) -> QuerySet:
    """The user's organisation's register of personal assistants, with how many agreements use each."""
    from .models import PersonalAssistant

    organisation = organisation_of(user)
    if organisation is None:
        return PersonalAssistant.objects.none()
    return PersonalAssistant.objects.filter(organisation=organisation).annotate(agreement_count=Count("agreements"))


def personal_assistant_choices(*, agreement: Agreement | None, organisation) -> QuerySet:
    """Personal assistants an agreement may use: those on the register, plus any it already has."""
    from .models import PersonalAssistant

    chosen = Q(is_active=True)
    if agreement is not None and agreement.pk:
        chosen |= Q(pk__in=agreement.personal_assistants.values("pk"))
    return PersonalAssistant.objects.filter(organisation=organisation).filter(chosen).order_by("name", "pk")


@dataclass
class RunReport:
    run: PaymentRun
    totals: list[dict]
    kinds: list[dict]
    exceptions: list
    lines: list[PaymentLine]
    returned: list
    line_count: int
    total: Decimal


def payment_run_report(*, run: PaymentRun) -> RunReport:
    """A printable account of a run, in a fixed number of queries: totals and counts by account type and
    by kind of line, the exceptions, every line and the payments the bank returned."""
    totals = [
        {**row, "label": Agreement.AccountType(row["agreement__account_type"]).label}
        for row in payment_run_totals(run=run)
    ]
    kinds = [
        {**row, "label": PaymentLine.Kind(row["kind"]).label}
        for row in run.lines.values("kind")
        .annotate(count=Count("pk"), total=Sum("amount", default=ZERO))
        .order_by("kind")
    ]
    return RunReport(
        run=run,
        totals=totals,
        kinds=kinds,
        exceptions=payment_run_exceptions(run=run),
        lines=list(payment_run_lines(run=run)),
        returned=list(run.returned_payments.select_related("agreement__client", "recorded_by").order_by("pk")),
        line_count=sum(row["count"] for row in totals),
        total=sum((row["total"] for row in totals), ZERO),
    )
