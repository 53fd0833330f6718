"""Reads for the contacts directory (open to every signed-in member of staff) and the accreditation register
(seen by the officer's organisation and the accrediting one)."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.access import organisation_of

from ..models import Accreditation, Contact, Organisation, Partnership, Role
from ..models.register import CONTACT_STALE_AFTER


def contact_list(
    *,
    query: str = "",
    organisation: Organisation | None = None,
    function: str = "",
    stale_only: bool = False,
    on: date | None = None,
) -> QuerySet[Contact]:
    """The contacts directory (every member of staff may read it): search by name, organisation,
    function, job title, phone or e-mail; optionally only stale entries."""
    contacts = Contact.objects.filter(is_active=True).select_related("organisation", "owner")
    for word in (query or "").split():
        contacts = contacts.filter(
            Q(name__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(organisation__short_name__icontains=word)
            | Q(job_title__icontains=word)
            | Q(function__icontains=word.replace(" ", "_"))
            | Q(email__icontains=word)
            | Q(phone__icontains=word)
        )
    if organisation is not None:
        contacts = contacts.filter(organisation=organisation)
    if function:
        contacts = contacts.filter(function=function)
    if stale_only:
        contacts = contacts.filter(last_verified_on__lt=(on or timezone.localdate()) - CONTACT_STALE_AFTER)
    return contacts


def organisations_partnered_with(*, organisation: Organisation) -> QuerySet[Organisation]:
    """The organisation itself and every organisation it shares a partnership with (any status)."""
    partnerships = Partnership.objects.filter(members__organisation=organisation)
    return Organisation.objects.filter(
        Q(pk=organisation.pk) | Q(partnership_memberships__partnership__in=partnerships)
    ).distinct()


def contact_list_editable_by(*, user) -> QuerySet[Contact]:
    """Contacts a partnership manager may change: their own organisation's and its partners'."""
    organisation = organisation_of(user)
    if organisation is None:
        return Contact.objects.none()
    return Contact.objects.filter(organisation__in=organisations_partnered_with(organisation=organisation))


def accreditation_list_for_user(*, user, expired_only: bool = False, on: date | None = None) -> QuerySet[Accreditation]:
    """Accreditations of the user's organisation's officers, or given by the user's organisation; optionally
    only those expired (before `on`, today by default)."""
    organisation = organisation_of(user)
    if organisation is None:
        return Accreditation.objects.none()
    accreditations = Accreditation.objects.filter(
        Q(officer__membership__organisation=organisation) | Q(accrediting_organisation=organisation)
    ).select_related("officer", "officer__membership__organisation", "accrediting_organisation", "agreement")
    if expired_only:
        accreditations = accreditations.filter(expires_on__lt=on or timezone.localdate())
    return accreditations


def active_staff_of(*, organisations) -> QuerySet:
    """Staff who still work for one of `organisations` (active accounts), for an officer or owner select."""
    return (
        get_user_model()
        .objects.filter(is_active=True, membership__is_active=True, membership__organisation__in=organisations)
        .select_related("membership__organisation")
        .order_by("first_name", "last_name", "username")
    )


def partnership_managers_of(*, organisation: Organisation) -> list:
    """The organisation's active partnership managers (told when nobody else is named)."""
    return list(
        get_user_model().objects.filter(
            is_active=True,
            membership__organisation=organisation,
            membership__is_active=True,
            groups__name=Role.PARTNERSHIP_MANAGER,
        )
    )


CONTACT_EXPORT_HEADER = [
    "Name",
    "Function",
    "Organisation",
    "Job title",
    "Phone",
    "Email",
    "Single point of contact",
    "Last confirmed",
]


def contact_export_rows(*, contacts: QuerySet[Contact]):
    """The directory as spreadsheet rows, header first, read in chunks (for a streamed CSV file)."""
    yield CONTACT_EXPORT_HEADER
    for contact in contacts.iterator(chunk_size=500):
        yield [
            contact.name,
            contact.get_function_display(),
            contact.organisation.name,
            contact.job_title,
            contact.phone,
            contact.email,
            "Yes" if contact.is_single_point_of_contact else "No",
            contact.last_verified_on.isoformat(),
        ]
