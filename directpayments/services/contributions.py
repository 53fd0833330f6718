"""The assessed contribution of a direct payment agreement.

The weekly contribution is the charge of the client's current complete financial assessment by the
council holding the client (`contribution_assessment` records which one), or, when there is none or
a finance officer ticks "enter the contribution by hand" and gives a reason, a figure typed by hand.
Lock order, to avoid deadlocks with `assessments.services.assessment_complete`: the assessment first,
then the agreement.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.models import Assessment
from assessments.selectors import current_charge_for_client
from core.money import ZERO, format_money
from core.notifications import notify
from referrals.models import Client

from .. import runs
from ..models import Agreement
from ..selectors import finance_officer_list


def agreement_contribution_source(*, client: Client) -> Assessment | None:
    """The assessment a new agreement for `client` would take its contribution from (None: by hand)."""
    return current_charge_for_client(client=client, organisation=client.organisation_id)


def contribution_assessment_locked(client: Client) -> Assessment | None:
    """The client's current complete assessment, locked until the transaction ends. A re-assessment
    completing at the same moment either waits for this transaction (and then updates the agreement
    through `agreement_contributions_follow_assessment`) or commits first (then the lock finds the old
    assessment superseded, and the new one is read again)."""
    for _attempt in range(3):
        current = agreement_contribution_source(client=client)
        if current is None:
            return None
        locked = Assessment.objects.select_for_update().filter(pk=current.pk, status=Assessment.Status.COMPLETE).first()
        if locked is not None:
            return locked
    raise ValidationError("The client's financial assessment is changing at this moment. Try again.")


def contribution_set(
    agreement: Agreement, *, assessment: Assessment | None, by_hand: bool, reason: str, given: Decimal | None
) -> None:
    """Take the contribution from `assessment`, or the `given` figure when there is no assessment or
    `by_hand` is ticked (then, if there is an assessment, a reason is required)."""
    reason = (reason or "").strip()
    if assessment is not None and not by_hand:
        if given is not None and given != assessment.weekly_charge:
            raise ValidationError(
                {
                    "weekly_contribution": f"The client's financial assessment sets the contribution at "
                    f"{format_money(assessment.weekly_charge)} a week. To use another figure, tick "
                    "'Enter the contribution by hand' and give the reason"
                }
            )
        agreement.weekly_contribution = assessment.weekly_charge
        agreement.contribution_assessment = assessment
        agreement.contribution_by_hand_reason = ""
        return
    if given is None:
        if by_hand:
            raise ValidationError({"weekly_contribution": "Enter the weekly assessed contribution"})
        given = agreement.weekly_contribution if agreement.pk else ZERO  # unchanged, or none yet
    if assessment is not None and not reason:
        raise ValidationError(
            {"contribution_by_hand_reason": "Give the reason for not using the financial assessment's charge"}
        )
    agreement.weekly_contribution = given
    agreement.contribution_assessment = None
    agreement.contribution_by_hand_reason = reason


LIVE_AGREEMENT_STATUSES = (Agreement.Status.SETUP, Agreement.Status.ACTIVE, Agreement.Status.SUSPENDED)


def agreement_contributions_follow_assessment(*, assessment: Assessment, by) -> list[Agreement]:
    """When `assessment` completes (a first assessment, or a re-assessment after a benefit award or the
    annual uprating), each live agreement of the client whose contribution came from an assessment takes
    the new weekly charge, in history with `by` as the user; the council's finance officers are told the
    old and new amounts and the date the charge applies from. Agreements entered by hand are left alone.
    Called by `assessments.services.assessment_complete` inside its transaction (no signal), after the
    superseded assessment is locked, so it sees an agreement set up from that assessment a moment ago.

    Not pro-rata: a charge effective from the middle of a month is not split by days. The agreement's
    contribution changes now, and the next draft payment run (or a recalculated draft) pays the new net
    amount for its whole month; months already paid are not recalculated."""
    if assessment.status != Assessment.Status.COMPLETE:
        return []
    current = current_charge_for_client(client=assessment.client_id, organisation=assessment.organisation_id)
    if current is None or current.pk != assessment.pk:
        return []  # an assessment from a later date still sets the charge
    agreements = list(
        Agreement.objects.select_for_update(of=("self",))
        .filter(
            client_id=assessment.client_id,
            client__organisation_id=assessment.organisation_id,
            status__in=LIVE_AGREEMENT_STATUSES,
            contribution_assessment__isnull=False,
        )
        .exclude(contribution_assessment=assessment)
        .select_related("client")
        .order_by("pk")
    )
    if not agreements:
        return agreements
    officers = finance_officer_list(organisation_id=assessment.organisation_id)
    completed_on = timezone.localdate(assessment.completed_at) if assessment.completed_at else timezone.localdate()
    for agreement in agreements:
        old = agreement.weekly_contribution
        agreement.weekly_contribution = assessment.weekly_charge
        agreement.contribution_assessment = assessment
        agreement.full_clean()
        agreement._history_user = by
        agreement._change_reason = f"Financial assessment completed on {completed_on:%-d %B %Y}"
        agreement.save()
        net_weekly = runs.net_weekly(budget=agreement.weekly_budget, contribution=agreement.weekly_contribution)
        notify(
            recipients=officers,
            title=f"Direct payment contribution changed: {agreement.client.full_name}",
            body=f"A financial assessment completed on {completed_on:%-d %B %Y} changes the weekly assessed "
            f"contribution from {format_money(old)} to {format_money(assessment.weekly_charge)}, effective "
            f"from {assessment.effective_date:%-d %B %Y}. The net weekly payment is now "
            f"{format_money(net_weekly)}. The next draft payment run uses the new "
            "contribution; months already paid are not recalculated.",
            url=agreement.get_absolute_url(),
        )
    return agreements
