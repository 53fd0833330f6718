"""The client timeline: what has happened to a client, as far as the user's organisation may see it."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from core.access import organisation_of
from core.audit import history_entries

from ..models import Client, Consent, Referral, ReferralEvent, Visit
from .referrals import referral_list_for_user
from .visits import visit_list_for_user, visit_officers_prefetch


@dataclass(frozen=True)
class TimelineEvent:
    when: datetime | date
    title: str
    detail: str
    who: str


def _sort_key(value) -> datetime:
    """Dated events (consent withdrawn on a day) sort at the end of their day."""
    if isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime(value.year, value.month, value.day, 23, 59))


def _record_events(*, client: Client) -> list[TimelineEvent]:
    """The client record created and changed, consent given and withdrawn."""
    events: list[TimelineEvent] = []
    for entry in history_entries(client.history.all(), label="Client record"):
        if entry.action == "Created":
            events.append(TimelineEvent(entry.when, "Client record created", "", entry.who))
        elif entry.changes:
            fields = ", ".join(change.field.lower() for change in entry.changes)
            events.append(TimelineEvent(entry.when, "Client details changed", f"Changed: {fields}", entry.who))
    for consent in client.consents.all():
        organisations = ", ".join(org.display_name for org in consent.organisations.all())
        who = consent.recorded_by.get_full_name() or consent.recorded_by.username
        events.append(
            TimelineEvent(
                consent.recorded_at,
                "Consent recorded",
                f"{consent.get_method_display()} consent to share with {organisations}",
                who,
            )
        )
        if consent.withdrawn_on:
            by = consent.withdrawn_by
            events.append(
                TimelineEvent(
                    consent.withdrawn_on,
                    "Consent withdrawn",
                    consent.withdrawal_reason,
                    (by.get_full_name() or by.username) if by else "",
                )
            )
    return events


# What a referral's move to each status is called on the timeline (after "Referral REF-…").
_REFERRAL_VERBS = {
    Referral.Status.ACCEPTED: "accepted",
    Referral.Status.REJECTED: "rejected",
    Referral.Status.IN_PROGRESS: "started",
    Referral.Status.COMPLETED: "completed",
    Referral.Status.CLOSED: "closed",
    Referral.Status.WITHDRAWN: "withdrawn",
}


def _who(user) -> str:
    """'Jane Smith, The Pension Service': on a shared timeline the organisation matters."""
    if user is None:
        return ""
    name = user.get_full_name() or user.username
    membership = getattr(user, "membership", None)
    return f"{name}, {membership.organisation.display_name}" if membership else name


def _referral_title(event: ReferralEvent) -> str:
    referral = event.referral
    if event.to_status == Referral.Status.DRAFT:
        return f"Referral to {referral.to_organisation.name} started as a draft"
    reference = referral.reference or "draft"
    if event.to_status == Referral.Status.SENT:
        return f"Referral {reference} sent to {referral.to_organisation.name}"
    return f"Referral {reference} {_REFERRAL_VERBS.get(event.to_status, event.get_to_status_display().lower())}"


def _referral_events(*, client: Client, user) -> list[TimelineEvent]:
    """One event per step of each of the client's referrals the user can see, in one query. The
    receiving side does not see the sender's drafting."""
    organisation = organisation_of(user)
    events = (
        ReferralEvent.objects.filter(referral__in=referral_list_for_user(user=user).filter(client_id=client.pk))
        .select_related("referral__to_organisation", "actor__membership__organisation")
        .order_by("at", "pk")
    )
    return [
        TimelineEvent(event.at, _referral_title(event), event.note, _who(event.actor))
        for event in events
        if not (event.to_status == Referral.Status.DRAFT and event.referral.from_organisation_id != organisation.pk)
    ]


def _visit_events(*, client: Client, user) -> list[TimelineEvent]:
    """One event per visit the user can see, dated when it starts: booked by, or recorded by (from
    the visit's history, one query for all visits)."""
    visits = list(
        visit_list_for_user(user=user)
        .filter(client_id=client.pk)
        .select_related("booked_by__membership__organisation")
        .prefetch_related(None)
        .prefetch_related(visit_officers_prefetch())
    )
    recorded_by = {}
    for row in (
        Visit.history.filter(
            id__in=[visit.pk for visit in visits], status__in=[Visit.Status.DONE, Visit.Status.CANCELLED]
        )
        .select_related("history_user__membership__organisation")
        .order_by("history_date", "history_id")
    ):
        recorded_by.setdefault((row.id, row.status), row.history_user)
    labels = dict(Visit.Purpose.choices)
    events = []
    for visit in visits:
        who = recorded_by.get((visit.pk, visit.status)) if visit.status != Visit.Status.PLANNED else visit.booked_by
        names = ", ".join(officer.get_full_name() or officer.username for officer in visit.officers.all())
        purposes = ", ".join(labels.get(code, code) for code in visit.purposes)
        detail = f"With {names}. For: {purposes}."
        if visit.status != Visit.Status.PLANNED and visit.notes:
            detail = f"{detail} {visit.notes}"
        title = f"{visit.get_kind_display()} {visit.get_status_display().lower()}"
        events.append(TimelineEvent(visit.starts_at, title, detail, _who(who or visit.booked_by)))
    return events


def client_timeline(*, client: Client, user) -> list[TimelineEvent]:
    """What has happened to the client, newest first: record created and changed, consent given and
    withdrawn, and each referral step and visit the user's organisation may see, in a number of
    queries that does not grow with the number of referrals or visits."""
    # The consents and who recorded them in two queries, unless the caller already fetched them.
    consents = Consent.objects.select_related("recorded_by", "withdrawn_by").prefetch_related("organisations")
    prefetch_related_objects([client], Prefetch("consents", queryset=consents))
    events = _record_events(client=client)
    if organisation_of(user) is not None:
        events += _referral_events(client=client, user=user)
        events += _visit_events(client=client, user=user)
    events.sort(key=lambda event: _sort_key(event.when), reverse=True)
    return events
