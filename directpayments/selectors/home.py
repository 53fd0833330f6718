"""The finance home page: this month's and last month's runs, overdue reviews, card surpluses, returns due
and the take-up of direct payments, in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum

from assessments.models import Assessment
from core.access import organisation_of
from referrals.models import Client

from .. import runs
from ..models import Agreement, CardBalance, PaymentRun, Review
from .monitoring import card_surplus_list_for_user, quarterly_return_due_list_for_user, review_overdue_list_for_user
from .payment_runs import ZERO, payment_run_list_for_user, payment_run_totals

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


def direct_payment_take_up_for_user(*, user, today: date) -> TakeUp | None:
    """Take-up = clients with a live direct payment ÷ clients with community services, in one query.

    "Live direct payment": an agreement that is active or suspended and not ended by `today`.
    "Community services": JointCase has no care-package record, so a client counts when their current
    (complete) financial assessment for care at home has a weekly cost of care above £0.00 — or when they
    have a live direct payment, which is itself a community service (so take-up never exceeds 100%)."""
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
