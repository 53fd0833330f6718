"""Figures on referrals between partners: this quarter's partner feedback (sent, received, answered on
time, benefits awarded) and a partnership review's key indicators."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from partnerships.models import Organisation

from ..models import BenefitOutcome, Referral
from .referrals import referral_list_for_user


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
