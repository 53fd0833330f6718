"""Reads for referrals and visits, scoped to the user's organisation: a referral is seen by the
organisation that sent it and the one it was sent to; a visit by the booking organisation and the
organisations of its officers."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from statistics import median

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from core.access import organisation_of
from core.working_days import working_days_between

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
