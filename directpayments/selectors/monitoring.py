"""Reads for monitoring, scoped to the user's organisation: overdue reviews, card balances and quarterly
returns above the contingency allowed, returns due, and the surplus notices given."""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value

from core.access import organisation_of

from ..due_dates import last_completed_quarter, quarter_end
from ..models import Agreement, CardBalance, QuarterlyReturn, Review, SurplusNotice
from .agreements import agreement_list_for_user


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


def review_list_for_user(*, user) -> QuerySet[Review]:
    """Reviews of the agreements the user's organisation holds, with the agreement and its client."""
    return Review.objects.filter(agreement__in=agreement_list_for_user(user=user)).select_related("agreement__client")


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


def card_balance_list(*, agreement: Agreement) -> QuerySet[CardBalance]:
    """An agreement's card balances, latest first, each with the live notice given for its surplus, if any."""
    return agreement.card_balances.annotate(
        notice_id=Subquery(_live_notice.filter(card_balance=OuterRef("pk")).values("pk")[:1])
    ).order_by("-balance_on", "-pk")


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


def quarterly_return_list(*, agreement: Agreement) -> QuerySet[QuarterlyReturn]:
    """An agreement's quarterly returns, latest quarter first, each with the live notice for its surplus."""
    return agreement.quarterly_returns.annotate(
        notice_id=Subquery(_live_notice.filter(quarterly_return=OuterRef("pk")).values("pk")[:1])
    ).order_by("-quarter_start", "-pk")


def quarterly_return_for(*, agreement: Agreement, quarter: date) -> QuarterlyReturn | None:
    """The return already recorded for the agreement's quarter starting on `quarter`, if any."""
    return QuarterlyReturn.objects.filter(agreement=agreement, quarter_start=quarter).first()
