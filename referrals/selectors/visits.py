"""Reads for visits: a visit is seen by the organisation that booked it and the organisations of its
officers."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from core.access import organisation_of

from ..models import Client, Referral, Visit
from .referrals import referral_list_for_user


def start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


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


def visit_officers_prefetch() -> Prefetch:
    """A visit's officers with their organisations, by surname: for the names shown beside a visit."""
    officers = get_user_model().objects.select_related("membership__organisation").order_by("last_name", "pk")
    return Prefetch("officers", queryset=officers)


def visit_list_with_people_for_user(*, user) -> QuerySet[Visit]:
    """The user's visible visits, with officers' organisations and the referrals the user may see."""
    return (
        visit_list_for_user(user=user)
        .select_related("client__organisation")
        .prefetch_related(None)
        .prefetch_related(
            visit_officers_prefetch(),
            Prefetch("referrals", queryset=referral_list_for_user(user=user).order_by("sent_at", "pk")),
        )
    )


def visit_not_recorded_q(*, today: date) -> Q:
    """Visits still planned although their day has passed: the officer has not recorded them."""
    return Q(status=Visit.Status.PLANNED, starts_at__lt=start_of_day(today))


def visit_list_not_recorded_for_officer(*, user, today: date) -> QuerySet[Visit]:
    """The officer's visits from before today still to be recorded, oldest first."""
    return (
        visit_list_with_people_for_user(user=user)
        .filter(visit_not_recorded_q(today=today), officers=user)
        .order_by("starts_at", "pk")
    )


def visit_list_for_officer_week(*, user, monday: date) -> list[Visit]:
    """The officer's visits in the week (Monday to Sunday) starting `monday`, in time order."""
    return list(
        visit_list_with_people_for_user(user=user)
        .filter(officers=user, starts_at__gte=start_of_day(monday), starts_at__lt=start_of_day(monday + timedelta(7)))
        .order_by("starts_at", "pk")
    )


def visit_rows(visits, user) -> list[dict]:
    """Each visit with the other officers on it (not the user), as the visit tables show them."""
    return [
        {"visit": visit, "others": [officer for officer in visit.officers.all() if officer.pk != user.pk]}
        for visit in visits
    ]


def visit_officer_candidates(*, client: Client, user, keep=()) -> QuerySet:
    """Who may go on a visit: active staff of the booker's organisation, the client's record holder and
    the partners the client has been referred to (in referrals the booker can see), plus anyone in `keep`."""
    organisation = organisation_of(user)
    partner_ids = set()
    for from_id, to_id in (
        referral_list_for_user(user=user)
        .filter(client_id=client.pk)
        .exclude(status=Referral.Status.DRAFT)
        .values_list("from_organisation_id", "to_organisation_id")
    ):
        partner_ids.update((from_id, to_id))
    organisation_ids = {organisation.pk, client.organisation_id, *partner_ids}
    return (
        get_user_model()
        .objects.filter(
            Q(is_active=True, membership__is_active=True, membership__organisation_id__in=organisation_ids)
            | Q(pk__in=[officer.pk for officer in keep])
        )
        .select_related("membership__organisation")
        .order_by("membership__organisation__name", "last_name", "first_name", "pk")
    )


def visit_referral_candidates(*, client: Client, user, visit: Visit | None = None) -> QuerySet[Referral]:
    """The referrals a visit may serve: the client's open referrals the user can see, plus those the
    visit already serves, in the order they were sent."""
    wanted = Q(status__in=Referral.OPEN_STATUSES)
    if visit is not None:
        wanted |= Q(pk__in=visit.referrals.values("pk"))
    return (
        referral_list_for_user(user=user)
        .filter(wanted, client_id=client.pk)
        .exclude(status=Referral.Status.DRAFT)
        .select_related("to_organisation")
        .order_by("sent_at", "pk")
    )
