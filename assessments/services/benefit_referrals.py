"""Benefit maximisation: one click turns a flag on an assessment into a referral sent to the right partner."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from core.access import organisation_of
from referrals.models import Referral

from ..models import Assessment
from ..selectors import benefit_flags, benefit_partner_for

OPEN_REFERRAL = (
    Referral.Status.DRAFT,
    Referral.Status.SENT,
    Referral.Status.ACCEPTED,
    Referral.Status.IN_PROGRESS,
)


def benefit_flag_refer(*, assessment: Assessment, code: str, by) -> tuple[Referral, bool]:
    """Refer the client for the benefit a flag on their assessment points to, to the partner that deals with
    it, and send it (the consent and routing checks of `referral_send` apply: if either refuses, nothing is
    kept and the ValidationError says why). A referral of that type already open is returned instead of a
    second one. Returns (referral, created)."""
    # Imported here: referrals.services imports assessments.tasks, which imports these services.
    from referrals.services import referral_create_and_send

    flag = next((flag for flag in benefit_flags(assessment=assessment) if flag.code == code), None)
    if flag is None:
        raise ValidationError("That benefit is not flagged on this assessment.")
    sender = organisation_of(by)
    existing = (
        Referral.objects.filter(
            client=assessment.client, from_organisation=sender, referral_type=code, status__in=OPEN_REFERRAL
        )
        .order_by("-pk")
        .first()
    )
    if existing is not None:
        return existing, False
    today = timezone.localdate()
    partner = benefit_partner_for(code=code, sender=sender, client_age=assessment.client.age_on(today), on=today)
    if partner is None:
        raise ValidationError(f"No partner organisation takes {flag.title} referrals from {sender.name}.")
    referral = referral_create_and_send(
        client=assessment.client,
        by=by,
        to_organisation=partner,
        referral_type=code,
        reason=f"Benefit check on the financial assessment from {assessment.effective_date:%-d %B %Y}: {flag.reason}",
    )
    return referral, True
