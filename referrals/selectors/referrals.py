"""Reads for referrals, scoped to the user's organisation: a referral is seen by the organisation that
sent it and, once sent, by the one it was sent to. Also what is open, due, whose and which team's:
shared by the inbox and outbox filters and the home page."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, Count, DateField, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, When
from django.db.models.functions import Coalesce

from core.access import membership_of, organisation_of
from partnerships.models import Organisation

from ..models import BenefitOutcome, Referral

Status = Referral.Status


def referral_received_q(organisation: Organisation) -> Q:
    """What the organisation has received: referrals sent to it (a draft is the sender's alone)."""
    return Q(to_organisation=organisation) & ~Q(status=Status.DRAFT)


def referral_sent_q(organisation: Organisation) -> Q:
    """What the organisation has made, drafts included."""
    return Q(from_organisation=organisation)


def referral_list_for_user(*, user) -> QuerySet[Referral]:
    organisation = organisation_of(user)
    if organisation is None:
        return Referral.objects.none()
    return Referral.objects.filter(referral_sent_q(organisation) | referral_received_q(organisation)).select_related(
        "client", "from_organisation", "from_team", "from_officer", "to_organisation", "to_team", "assigned_officer"
    )


def referral_inbox_for_user(*, user) -> QuerySet[Referral]:
    """Referrals sent to the user's organisation (not drafts)."""
    return referral_list_for_user(user=user).filter(referral_received_q(organisation_of(user)))


def referral_outbox_for_user(*, user) -> QuerySet[Referral]:
    """Referrals the user's organisation made, drafts included."""
    return referral_list_for_user(user=user).filter(referral_sent_q(organisation_of(user)))


def referral_outbox_with_awards_for_user(*, user) -> QuerySet[Referral]:
    """The outbox, each referral with the number of benefits awarded on it (`awards`) and the £ a week
    they bring (`awarded_weekly`), counted in the same query."""
    awards = BenefitOutcome.objects.filter(referral=OuterRef("pk"), decision=BenefitOutcome.Decision.AWARDED).values(
        "referral"
    )
    return referral_outbox_for_user(user=user).annotate(
        awards=Coalesce(Subquery(awards.annotate(n=Count("pk")).values("n")), 0),
        awarded_weekly=Coalesce(
            Subquery(awards.annotate(total=Sum("weekly_amount")).values("total")),
            Decimal("0.00"),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        ),
    )


# --- What is open, due, whose and which team's ---------------------------------------------------

# The date an open referral is next due: acknowledge by while it is sent, complete by once accepted.
NEXT_DUE = Case(
    When(status=Status.SENT, then=F("acknowledge_by")),
    When(status__in=Referral.IN_HAND_STATUSES, then=F("complete_by")),
    default=None,
    output_field=DateField(),
)
OPEN_Q = Q(status__in=Referral.OPEN_STATUSES)
UNASSIGNED_Q = Q(status__in=Referral.OPEN_STATUSES, assigned_officer__isnull=True)


def week_end(today: date) -> date:
    """The Sunday that ends the week (Monday to Sunday) containing `today`."""
    return today + timedelta(days=6 - today.weekday())


def _next_due(lookup: str, value) -> Q:
    return Q(status=Status.SENT, **{f"acknowledge_by__{lookup}": value}) | Q(
        status__in=Referral.IN_HAND_STATUSES, **{f"complete_by__{lookup}": value}
    )


def referral_due_q(*, due: str, today: date) -> Q:
    """Open referrals by the date they are next due: 'overdue' (before today), 'today', or 'week'
    (from today to Sunday; today's included). Only open referrals are ever due."""
    if due == "overdue":
        return _next_due("lt", today)
    if due == "today":
        return _next_due("exact", today)
    if due == "week":
        return _next_due("range", (today, week_end(today)))
    raise ValueError(f"Unknown due filter: {due}")


def referral_officer_q(*, box: str, officer: str, user) -> Q:
    """'me': received referrals assigned to the user, or sent ones the user sent; 'none': received
    referrals assigned to nobody."""
    if officer == "me":
        return Q(assigned_officer=user) if box == "inbox" else Q(from_officer=user)
    if officer == "none" and box == "inbox":
        return Q(assigned_officer__isnull=True)
    return Q()


def referral_team_q(*, box: str, user) -> Q:
    """The user's team's referrals: received for the team or for no particular team (its managers
    answer those, as escalation does), or sent by the team. No team: the whole organisation."""
    membership = membership_of(user)
    team_id = membership.team_id if membership else None
    if team_id is None:
        return Q()
    if box == "inbox":
        return Q(to_team_id=team_id) | Q(to_team__isnull=True)
    return Q(from_team_id=team_id)


# The inbox and outbox filter's "open" status: any of Referral.OPEN_STATUSES.
OPEN = "open"


def referral_filter(
    *,
    referrals: QuerySet[Referral],
    box: str,
    user,
    today: date,
    status: str = "",
    referral_type: str = "",
    priority: str = "",
    due: str = "",
    officer: str = "",
    team: str = "",
) -> QuerySet[Referral]:
    """Narrow the inbox or outbox by the filters chosen; an empty filter keeps everything."""
    if status == OPEN:
        referrals = referrals.filter(OPEN_Q)
    elif status:
        referrals = referrals.filter(status=status)
    if referral_type:
        referrals = referrals.filter(referral_type=referral_type)
    if priority:
        referrals = referrals.filter(priority=priority)
    if due:
        referrals = referrals.filter(referral_due_q(due=due, today=today))
    if officer:
        referrals = referrals.filter(referral_officer_q(box=box, officer=officer, user=user))
    if team:
        referrals = referrals.filter(referral_team_q(box=box, user=user))
    return referrals


def referral_soonest_due(referrals: QuerySet[Referral], limit: int) -> list[Referral]:
    """The first `limit` referrals by the date they are next due, most overdue first."""
    return list(referrals.annotate(next_due=NEXT_DUE).order_by("next_due", "pk")[:limit])
