"""The client timeline with referrals and visits: what the user's organisation may see, newest first."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, prefetch_related_objects

from core.access import organisation_of

from .models import Client, Consent, Referral, ReferralEvent, Visit
from .selectors import TimelineEvent, _sort_key, client_timeline
from .selectors_referrals import referral_list_for_user, visit_list_for_user

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
    officers = get_user_model().objects.select_related("membership__organisation").order_by("last_name", "pk")
    visits = list(
        visit_list_for_user(user=user)
        .filter(client_id=client.pk)
        .select_related("booked_by__membership__organisation")
        .prefetch_related(None)
        .prefetch_related(Prefetch("officers", queryset=officers))
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


def client_timeline_with_referrals(*, client: Client, user) -> list[TimelineEvent]:
    """The client's timeline (record, consent) plus each referral step and visit the user may see,
    newest first, in a number of queries that does not grow with the number of referrals or visits."""
    # The consents and who recorded them in two queries, unless the caller already fetched them.
    consents = Consent.objects.select_related("recorded_by", "withdrawn_by").prefetch_related("organisations")
    prefetch_related_objects([client], Prefetch("consents", queryset=consents))
    events = client_timeline(client=client)
    if organisation_of(user) is None:
        return events
    events += _referral_events(client=client, user=user)
    events += _visit_events(client=client, user=user)
    events.sort(key=lambda event: _sort_key(event.when), reverse=True)
    return events
