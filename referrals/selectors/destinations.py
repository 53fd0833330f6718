"""Where a client may be referred: the organisations offered, what routing rules say about each, each
one's track record as a receiver, and the client's consents in force."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median

from django.utils import timezone

from core.access import organisation_of
from core.working_days import working_days_between
from partnerships.models import Organisation
from partnerships.selectors import RoutingLimits, routing_limits

from ..models import Client, Consent, Referral


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
class ReferralDestinations:
    """What the refer form offers for one client on one day."""

    organisations: list[Organisation]  # active, and not refused by a routing rule
    limits: RoutingLimits
    track_records: dict[int, TrackRecord]
    consents: list[Consent]  # the client's consents in force, newest first


def referral_destinations_for(*, client: Client, user, today: date) -> ReferralDestinations:
    """The organisations the user's organisation may refer the client to today (routing rules that
    refuse a client of this age take a receiver off the list, with the reason), each with its track
    record, and the client's consents in force to choose from."""
    limits = routing_limits(sender=organisation_of(user), client_age=client.age_on(today), on=today)
    refused_ids = {organisation.pk for organisation, _ in limits.refused}
    organisations = [
        organisation
        for organisation in Organisation.objects.filter(is_active=True).order_by("name")
        if organisation.pk not in refused_ids
    ]
    consents = [
        consent
        for consent in client.consents.prefetch_related("organisations").order_by("-given_on", "-pk")
        if consent.is_active_on(today)
    ]
    return ReferralDestinations(
        organisations=organisations,
        limits=limits,
        track_records=partner_track_records(organisations=organisations, today=today),
        consents=consents,
    )
