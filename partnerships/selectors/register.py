"""Reads for the partnerships register: the partnerships the user's organisation is a member of, and
their agreements; who hears about an agreement's review."""

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from core.access import organisation_of

from ..models import Agreement, Organisation, Partnership, PartnershipMember
from .directory import partnership_managers_of


def partnership_list_for_user(*, user) -> QuerySet[Partnership]:
    """Partnerships the user's organisation belongs to, with members and key contacts prefetched."""
    organisation = organisation_of(user)
    if organisation is None:
        return Partnership.objects.none()
    members = PartnershipMember.objects.select_related("organisation", "key_contact")
    return (
        Partnership.objects.filter(
            Exists(PartnershipMember.objects.filter(partnership=OuterRef("pk"), organisation=organisation))
        )
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("name")
    )


def partnership_filter(
    *,
    partnerships: QuerySet[Partnership],
    organisation: Organisation | None = None,
    kind: str = "",
    status: str = "",
    review_due: bool = False,
    on: date | None = None,
) -> QuerySet[Partnership]:
    """Filter the partnerships list by member organisation, type, status and whether a review is due."""
    if organisation is not None:
        partnerships = partnerships.filter(
            Exists(PartnershipMember.objects.filter(partnership=OuterRef("pk"), organisation=organisation))
        )
    if kind:
        partnerships = partnerships.filter(kind=kind)
    if status:
        partnerships = partnerships.filter(status=status)
    if review_due:
        partnerships = partnerships.filter(next_review_date__lte=on or timezone.localdate())
    return partnerships


def agreement_list_for_user(*, user) -> QuerySet[Agreement]:
    return Agreement.objects.filter(partnership__in=partnership_list_for_user(user=user)).select_related("partnership")


def agreement_review_recipients(*, partnership: Partnership) -> list:
    """Who hears about an agreement review: the key contacts' own accounts, else the partnership managers
    of each member organisation."""
    users = []
    for member in partnership.members.select_related("key_contact__user", "organisation"):
        contact = member.key_contact
        if contact is not None and contact.user is not None:
            users.append(contact.user)
        else:
            users.extend(partnership_managers_of(organisation=member.organisation))
    return users
