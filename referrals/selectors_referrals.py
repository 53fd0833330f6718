"""Reads for referrals and visits, scoped to the user's organisation: a referral is seen by the
organisation that sent it and the one it was sent to; a visit by the booking organisation and the
organisations of its officers."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from core.access import organisation_of

from .models import Referral, Visit


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
