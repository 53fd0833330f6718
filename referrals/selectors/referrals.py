"""Reads for referrals and visits, scoped to the user's organisation: a referral is seen by the
organisation that sent it and the one it was sent to; a visit by the booking organisation and the
organisations of its officers."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from statistics import median

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, DateField, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum, When
from django.utils import timezone

from core.access import membership_of, organisation_of
from core.working_days import working_days_between
from partnerships.models import Organisation

from .models import BenefitOutcome, Referral, Visit


def referral_list_for_user(*, user) -> QuerySet[Referral]:
    organisation = organisation_of(user)
    if organisation is None:
        return Referral.objects.none()
    return Referral.objects.filter(
        Q(from_organisation=organisation) | (Q(to_organisation=organisation) & ~Q(status=Referral.Status.DRAFT))
    ).select_related(
        "client", "from_organisation", "from_team", "from_officer", "to_organisation", "to_team", "assigned_officer"
    )


def referral_inbox_for_user(*, user) -> QuerySet[Referral]:
    """Referrals sent to the user's organisation (not drafts)."""
    organisation = organisation_of(user)
    return referral_list_for_user(user=user).filter(to_organisation=organisation).exclude(status=Referral.Status.DRAFT)


def referral_outbox_for_user(*, user) -> QuerySet[Referral]:
    """Referrals the user's organisation made, drafts included."""
    return referral_list_for_user(user=user).filter(from_organisation=organisation_of(user))


def visit_list_for_user(*, user) -> QuerySet[Visit]:
    organisation = organisation_of(user)
    if organisation is None:
        return Visit.objects.none()
    officers_here = get_user_model().objects.filter(visits=OuterRef("pk"), membership__organisation=organisation)
    return (
        Visit.objects.filter(Q(organisation=organisation) | Exists(officers_here))
        .select_related("client", "organisation", "booked_by")
        .prefetch_related("officers")
    )


@dataclass(frozen=True)
class TrackRecord:
    """A receiving partner's record over a window: how fast it acknowledges, how much it accepts."""

    received: int
    acknowledged: int
    accepted: int
    median_working_days_to_acknowledge: float | None

    @property
    def accepted_percent(self) -> int | None:
        return round(100 * self.accepted / self.acknowledged) if self.acknowledged else None

    @property
    def summary(self) -> str:
        if not self.acknowledged:
            return "No referrals answered in the last 90 days"
        days = self.median_working_days_to_acknowledge
        shown = f"{days:g}" if days is not None else "?"
        return f"Usually replies in {shown} working day{'s' if days != 1 else ''}, {self.accepted_percent}% accepted"


def partner_track_records(*, organisations, days: int = 90, today: date | None = None) -> dict[int, TrackRecord]:
    """Each organisation's record as a receiver over the last `days` days, in one query."""
    today = today or timezone.localdate()
    since = timezone.make_aware(datetime.combine(today - timedelta(days=days), time.min))
    ids = [organisation.pk for organisation in organisations]
    rows = Referral.objects.filter(to_organisation_id__in=ids, sent_at__gte=since).values_list(
        "to_organisation_id", "sent_at", "acknowledged_at", "rejection_reason"
    )
    grouped: dict[int, list] = defaultdict(list)
    for organisation_id, sent_at, acknowledged_at, rejection_reason in rows:
        grouped[organisation_id].append((sent_at, acknowledged_at, rejection_reason))
    records = {}
    for organisation_id in ids:
        items = grouped.get(organisation_id, [])
        answered = [(sent, ack, rejected) for sent, ack, rejected in items if ack is not None]
        delays = [working_days_between(timezone.localdate(sent), timezone.localdate(ack)) for sent, ack, _ in answered]
        records[organisation_id] = TrackRecord(
            received=len(items),
            acknowledged=len(answered),
            accepted=sum(1 for _, _, rejected in answered if not rejected),
            median_working_days_to_acknowledge=median(delays) if delays else None,
        )
    return records


@dataclass(frozen=True)
class PartnershipReferralFigures:
    """Key indicators for a partnership review, from the referrals themselves."""

    sent: int
    received: int
    awards: int
    weekly_gained: Decimal


def partnership_referral_figures(*, organisation, partner_ids, start: date, end: date) -> PartnershipReferralFigures:
    """Referrals `organisation` sent to and received from its partners, sent between `start` and `end`
    (inclusive), and the benefit awards on them with the £ a week gained: two queries."""
    partner_ids = [pk for pk in partner_ids if pk != organisation.pk]
    between = Referral.objects.filter(sent_at__date__gte=start, sent_at__date__lte=end).filter(
        Q(from_organisation=organisation, to_organisation_id__in=partner_ids)
        | Q(to_organisation=organisation, from_organisation_id__in=partner_ids)
    )
    counts = between.aggregate(
        sent=Count("pk", filter=Q(from_organisation=organisation)),
        received=Count("pk", filter=Q(to_organisation=organisation)),
    )
    awards = BenefitOutcome.objects.filter(referral__in=between, decision=BenefitOutcome.Decision.AWARDED).aggregate(
        n=Count("pk"), weekly=Sum("weekly_amount", default=Decimal("0.00"))
    )
    return PartnershipReferralFigures(
        sent=counts["sent"], received=counts["received"], awards=awards["n"], weekly_gained=awards["weekly"]
    )


# --- Partner feedback for the quarter -----------------------------------------------------------


def quarter_of(today: date) -> tuple[date, date]:
    """The calendar quarter containing `today`: (first day, first day of the next quarter)."""
    first_month = 3 * ((today.month - 1) // 3) + 1
    start = date(today.year, first_month, 1)
    end = date(today.year + 1, 1, 1) if first_month == 10 else date(today.year, first_month + 3, 1)
    return start, end


@dataclass
class OnTime:
    """How many referrals were due (answered, or past their date) and how many were answered in time."""

    due: int = 0
    in_time: int = 0

    def count(self, *, done_at, due_by: date | None, today: date, still_possible: bool) -> None:
        if due_by is None:
            return
        if done_at is not None:
            self.due += 1
            self.in_time += timezone.localdate(done_at) <= due_by
        elif still_possible and due_by < today:
            self.due += 1

    @property
    def percent(self) -> int | None:
        return round(100 * self.in_time / self.due) if self.due else None


@dataclass
class PartnerFeedback:
    organisation: Organisation
    sent: int = 0
    received: int = 0
    acknowledged: OnTime = field(default_factory=OnTime)  # how the partner answered what we sent
    completed: OnTime = field(default_factory=OnTime)
    awards: int = 0
    weekly_gained: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class QuarterFeedback:
    """The partner feedback page's figures: per partner, in total, and how we answered ourselves."""

    start: date
    last_day: date
    partners: list[PartnerFeedback]
    our_acknowledged: OnTime
    our_completed: OnTime

    @property
    def totals(self) -> dict:
        return {
            "sent": sum(row.sent for row in self.partners),
            "received": sum(row.received for row in self.partners),
            "awards": sum(row.awards for row in self.partners),
            "weekly_gained": sum((row.weekly_gained for row in self.partners), Decimal("0.00")),
        }


def partner_feedback_for_quarter(*, user, organisation: Organisation, today: date) -> QuarterFeedback:
    """This quarter's figures per partner in three queries: referrals, awards, organisation names."""
    Status = Referral.Status
    start, end = quarter_of(today)
    since = timezone.make_aware(datetime.combine(start, time.min))
    until = timezone.make_aware(datetime.combine(end, time.min))
    referrals = referral_list_for_user(user=user).filter(sent_at__gte=since, sent_at__lt=until)
    rows = referrals.values_list(
        "from_organisation_id",
        "to_organisation_id",
        "status",
        "acknowledge_by",
        "acknowledged_at",
        "complete_by",
        "completed_at",
    )
    partners: dict[int, PartnerFeedback] = {}
    our_acknowledged, our_completed = OnTime(), OnTime()
    closed_early = {Status.REJECTED, Status.WITHDRAWN}
    for from_id, to_id, status, acknowledge_by, acknowledged_at, complete_by, completed_at in rows:
        we_sent = from_id == organisation.pk
        partner_id = to_id if we_sent else from_id
        row = partners.setdefault(partner_id, PartnerFeedback(organisation=None))
        acknowledged, completed = (row.acknowledged, row.completed) if we_sent else (our_acknowledged, our_completed)
        if we_sent:
            row.sent += 1
        if to_id == organisation.pk:
            row.received += 1
        if not we_sent or to_id != organisation.pk:
            acknowledged.count(
                done_at=acknowledged_at, due_by=acknowledge_by, today=today, still_possible=status != Status.WITHDRAWN
            )
            completed.count(
                done_at=completed_at, due_by=complete_by, today=today, still_possible=status not in closed_early
            )
    awards = (
        BenefitOutcome.objects.filter(
            referral__in=referrals.filter(from_organisation=organisation).values("pk"),
            decision=BenefitOutcome.Decision.AWARDED,
        )
        .values("referral__to_organisation_id")
        .annotate(awards=Count("pk"), weekly=Sum("weekly_amount", default=Decimal("0.00")))
    )
    for award in awards:
        row = partners.setdefault(award["referral__to_organisation_id"], PartnerFeedback(organisation=None))
        row.awards, row.weekly_gained = award["awards"], award["weekly"]
    for partner in Organisation.objects.filter(pk__in=partners):
        partners[partner.pk].organisation = partner
    return QuarterFeedback(
        start=start,
        last_day=end - timedelta(days=1),
        partners=sorted(partners.values(), key=lambda row: row.organisation.name),
        our_acknowledged=our_acknowledged,
        our_completed=our_completed,
    )


# --- What is open, due, whose and which team's: shared by the lists' filters and the home page ---------

OPEN_STATUSES = (Referral.Status.SENT, Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS)
IN_HAND_STATUSES = (Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS)
# The date an open referral is next due: acknowledge by while it is sent, complete by once accepted.
NEXT_DUE = Case(
    When(status=Referral.Status.SENT, then=F("acknowledge_by")),
    When(status__in=IN_HAND_STATUSES, then=F("complete_by")),
    default=None,
    output_field=DateField(),
)


def week_end(today: date) -> date:
    """The Sunday that ends the week (Monday to Sunday) containing `today`."""
    return today + timedelta(days=6 - today.weekday())


def _next_due(lookup: str, value) -> Q:
    return Q(status=Referral.Status.SENT, **{f"acknowledge_by__{lookup}": value}) | Q(
        status__in=IN_HAND_STATUSES, **{f"complete_by__{lookup}": value}
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


def _received_q(organisation: Organisation) -> Q:
    """What referral_inbox_for_user holds."""
    return Q(to_organisation=organisation) & ~Q(status=Referral.Status.DRAFT)


def _sent_q(organisation: Organisation) -> Q:
    """What referral_outbox_for_user holds."""
    return Q(from_organisation=organisation)


def _soonest_due(referrals: QuerySet[Referral], limit: int) -> list[Referral]:
    return list(referrals.annotate(next_due=NEXT_DUE).order_by("next_due", "pk")[:limit])


# --- Home page: one section per role, each counted in a fixed number of queries -------------------

HOME_LIST_LENGTH = 10
_OPEN = Q(status__in=OPEN_STATUSES)
_UNASSIGNED = Q(status__in=OPEN_STATUSES, assigned_officer__isnull=True)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def visit_not_recorded_q(*, today: date) -> Q:
    """Visits still planned although their day has passed: the officer has not recorded them."""
    return Q(status=Visit.Status.PLANNED, starts_at__lt=_start_of(today))


def officer_home_for_user(*, user, today: date) -> dict | None:
    """A visiting officer's day: their visits today and this week (Monday to Sunday, as 'My visits'
    shows them) and those not yet recorded; the open referrals they sent or are assigned, with how
    many are overdue, and the soonest due. Five queries whatever the numbers."""
    organisation = organisation_of(user)
    if organisation is None:
        return None
    monday = today - timedelta(days=today.weekday())
    today_q = Q(starts_at__gte=_start_of(today), starts_at__lt=_start_of(today + timedelta(days=1)))
    mine = visit_list_for_user(user=user).filter(officers=user)
    visits = mine.aggregate(
        today=Count("pk", filter=today_q),
        week=Count("pk", filter=Q(starts_at__gte=_start_of(monday), starts_at__lt=_start_of(monday + timedelta(7)))),
        not_recorded=Count("pk", filter=visit_not_recorded_q(today=today)),
    )
    officers = get_user_model().objects.select_related("membership__organisation").order_by("last_name", "pk")
    todays = list(
        mine.filter(today_q)
        .select_related("client")
        .prefetch_related(None)
        .prefetch_related(Prefetch("officers", queryset=officers))
        .order_by("starts_at", "pk")
    )
    sent = _sent_q(organisation) & Q(from_officer=user)
    assigned = _received_q(organisation) & Q(assigned_officer=user)
    overdue = referral_due_q(due="overdue", today=today)
    referrals = Referral.objects.filter(sent | assigned).aggregate(
        sent_open=Count("pk", filter=sent & _OPEN),
        sent_overdue=Count("pk", filter=sent & overdue),
        assigned_open=Count("pk", filter=assigned & _OPEN),
        assigned_overdue=Count("pk", filter=assigned & overdue),
    )
    return {
        "visits": visits,
        "todays_visits": [
            {"visit": visit, "others": [officer for officer in visit.officers.all() if officer.pk != user.pk]}
            for visit in todays
        ],
        "referrals": referrals,
        "open_referrals": _soonest_due(
            referral_list_for_user(user=user).filter(_OPEN & (sent | assigned)), HOME_LIST_LENGTH
        ),
        "overdue_total": referrals["sent_overdue"] + referrals["assigned_overdue"] + visits["not_recorded"],
        "monday": monday,
        "sunday": week_end(today),
    }


def inbox_home_for_user(*, user, today: date) -> dict | None:
    """A partner organisation's officer: the referrals their organisation has received and not yet
    finished, counted by status and by the date they are next due. One query."""
    organisation = organisation_of(user)
    if organisation is None or organisation.kind in ("council", "district_council"):
        return None
    counts = referral_inbox_for_user(user=user).aggregate(
        open=Count("pk", filter=_OPEN),
        sent=Count("pk", filter=Q(status=Referral.Status.SENT)),
        accepted=Count("pk", filter=Q(status=Referral.Status.ACCEPTED)),
        in_progress=Count("pk", filter=Q(status=Referral.Status.IN_PROGRESS)),
        overdue=Count("pk", filter=referral_due_q(due="overdue", today=today)),
        due_today=Count("pk", filter=referral_due_q(due="today", today=today)),
        due_week=Count("pk", filter=referral_due_q(due="week", today=today)),
        unassigned=Count("pk", filter=_UNASSIGNED),
    )
    return {"organisation": organisation, "counts": counts, "sunday": week_end(today)}


def team_home_for_user(*, user, today: date) -> dict | None:
    """A team manager: the team's received referrals that are overdue or assigned to nobody, and the
    referrals the team sent that the partner has let go overdue. Three queries."""
    organisation = organisation_of(user)
    if organisation is None:
        return None
    received = _received_q(organisation) & referral_team_q(box="inbox", user=user)
    sent = _sent_q(organisation) & referral_team_q(box="outbox", user=user)
    overdue = referral_due_q(due="overdue", today=today)
    counts = Referral.objects.filter(received | sent).aggregate(
        received_overdue=Count("pk", filter=received & overdue),
        unassigned=Count("pk", filter=received & _UNASSIGNED),
        sent_overdue=Count("pk", filter=sent & overdue),
    )
    referrals = referral_list_for_user(user=user)
    membership = membership_of(user)
    return {
        "team": membership.team if membership else None,
        "counts": counts,
        "overdue": _soonest_due(referrals.filter(received & overdue), HOME_LIST_LENGTH),
        "unassigned": _soonest_due(referrals.filter(received & _UNASSIGNED), HOME_LIST_LENGTH),
    }


def partnership_home_for_user(*, user, today: date) -> dict | None:
    """A partnership manager, until the partnership dashboards arrive: this quarter's partner feedback
    figures (as the partner feedback page counts them) and the organisation's overdue referrals, both
    ways. Six queries."""
    organisation = organisation_of(user)
    if organisation is None:
        return None
    received, sent = _received_q(organisation), _sent_q(organisation)
    overdue = referral_due_q(due="overdue", today=today)
    counts = Referral.objects.filter(received | sent).aggregate(
        received_overdue=Count("pk", filter=received & overdue),
        sent_overdue=Count("pk", filter=sent & overdue),
    )
    referrals = referral_list_for_user(user=user)
    feedback = partner_feedback_for_quarter(user=user, organisation=organisation, today=today)
    return {
        "organisation": organisation,
        "counts": counts,
        "received_overdue": _soonest_due(referrals.filter(received & overdue), HOME_LIST_LENGTH),
        "sent_overdue": _soonest_due(referrals.filter(sent & overdue), HOME_LIST_LENGTH),
        "feedback": feedback,
    }
