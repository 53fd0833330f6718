"""The referral lifecycle: draft → sent → accepted | rejected → in_progress → completed → closed,
and withdrawn. Every status change goes through `_transition`, which locks the row, refuses an
illegal edge, records who and when, and tells the other side after commit."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.tasks import assessment_reassess_for_award_task
from core.access import organisation_of
from core.money import to_money
from core.notifications import notify
from core.working_days import add_working_days
from partnerships.models import Organisation, ReferralType, Role, Team
from partnerships.selectors import routing_check, service_level_for

from ..models import PURPOSE_FOR_REFERRAL_TYPE, BenefitOutcome, Client, Consent, Referral, ReferralEvent

Status = Referral.Status

TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.SENT, Status.WITHDRAWN},
    Status.SENT: {Status.ACCEPTED, Status.REJECTED, Status.WITHDRAWN},
    Status.ACCEPTED: {Status.IN_PROGRESS, Status.COMPLETED, Status.WITHDRAWN},
    Status.IN_PROGRESS: {Status.COMPLETED, Status.WITHDRAWN},
    Status.REJECTED: {Status.CLOSED},
    Status.COMPLETED: {Status.CLOSED},
    Status.CLOSED: set(),
    Status.WITHDRAWN: set(),
}
# Which side may make each move: the sender's organisation or the receiving one.
SENDER_MOVES = {Status.SENT, Status.WITHDRAWN, Status.CLOSED}
RECEIVER_MOVES = {Status.ACCEPTED, Status.REJECTED, Status.IN_PROGRESS, Status.COMPLETED}


class InvalidTransition(Exception):
    """A status change the lifecycle does not allow; nothing was changed."""


def _labels(status: str) -> str:
    return str(Status(status).label).lower()


def consent_covering(*, client: Client, organisation: Organisation, referral_type: str, on: date) -> Consent | None:
    """The client's consent in force on the day that lets information go to `organisation` for
    the purpose this referral type needs, if any."""
    purpose = PURPOSE_FOR_REFERRAL_TYPE[referral_type]
    for consent in client.consents.prefetch_related("organisations"):
        if consent.covers(organisation=organisation, purpose=purpose, on=on):
            return consent
    return None


def _check_consent(referral: Referral, *, on: date) -> None:
    """The consent gate: outside the sender's organisation a referral needs consent covering the
    receiver, or (a safeguarding alert only) a recorded legal basis."""
    if referral.to_organisation_id == referral.from_organisation_id:
        return
    if referral.referral_type == ReferralType.SAFEGUARDING and referral.legal_basis.strip():
        return
    purpose = PURPOSE_FOR_REFERRAL_TYPE[referral.referral_type]
    if referral.consent is not None and referral.consent.client_id == referral.client_id:
        if referral.consent.covers(organisation=referral.to_organisation, purpose=purpose, on=on):
            return
        raise ValidationError(
            {
                "consent": f"The consent chosen does not cover sharing with {referral.to_organisation.name} for "
                f"{Consent.Purpose(purpose).label.lower()} (it may have been withdrawn or have expired)"
            }
        )
    found = consent_covering(
        client=referral.client, organisation=referral.to_organisation, referral_type=referral.referral_type, on=on
    )
    if found is None:
        hint = (
            " For a safeguarding alert, record the legal basis instead."
            if (referral.referral_type == ReferralType.SAFEGUARDING)
            else ""
        )
        raise ValidationError(
            {
                "consent": f"{referral.client.full_name} has not given consent to share with "
                f"{referral.to_organisation.name} for {Consent.Purpose(purpose).label.lower()}. "
                f"Record their consent first.{hint}"
            }
        )
    referral.consent = found


def _team_members(*, organisation_id: int, team_id: int | None, role: str):
    users = get_user_model().objects.filter(
        is_active=True, membership__is_active=True, membership__organisation_id=organisation_id, groups__name=role
    )
    if team_id is not None:
        in_team = users.filter(membership__team_id=team_id)
        if in_team.exists():
            return list(in_team)
    return list(users)


def _receivers(referral: Referral):
    """Who hears about a new or withdrawn referral: the receiving team's managers, else officers."""
    people = _team_members(
        organisation_id=referral.to_organisation_id, team_id=referral.to_team_id, role=Role.TEAM_MANAGER
    )
    return people or _team_members(
        organisation_id=referral.to_organisation_id, team_id=referral.to_team_id, role=Role.VISITING_OFFICER
    )


@transaction.atomic
def referral_create(
    *,
    client: Client,
    by,
    to_organisation: Organisation,
    referral_type: str,
    reason: str,
    priority: str = Referral.Priority.ROUTINE,
    to_team: Team | None = None,
    consent: Consent | None = None,
    legal_basis: str = "",
) -> Referral:
    """Start a draft referral of a client to another organisation (or team)."""
    membership = by.membership
    if to_team is not None and to_team.organisation_id != to_organisation.pk:
        raise ValidationError({"to_team": "The team must belong to the organisation you are referring to"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for the referral"})
    referral = Referral(
        client=client,
        from_organisation=membership.organisation,
        from_team=membership.team,
        from_officer=by,
        to_organisation=to_organisation,
        to_team=to_team,
        referral_type=referral_type,
        priority=priority,
        reason=reason.strip(),
        consent=consent,
        legal_basis=legal_basis.strip(),
    )
    referral.full_clean(exclude=["reference"])
    referral.save()
    ReferralEvent.objects.create(referral=referral, from_status="", to_status=Status.DRAFT, actor=by)
    return referral


@transaction.atomic
def referral_create_and_send(*, by, **draft) -> Referral:
    """Refer a client in one step (`draft` as for `referral_create`): the draft and its sending are one
    transaction, so a send refused by the consent gate or routing leaves no draft behind."""
    referral = referral_create(by=by, **draft)
    return referral_send(referral_id=referral.pk, by=by)


@transaction.atomic
def referral_send(*, referral_id: int, by, on: date | None = None) -> Referral:
    """Send a draft: check consent and routing, set the reference and the SLA due dates in working days."""
    day = on or timezone.localdate()
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("client", "to_organisation", "consent")
        .get(pk=referral_id)
    )
    _check_side(referral, to=Status.SENT, by=by)
    if referral.status not in TRANSITIONS or Status.SENT not in TRANSITIONS[referral.status]:
        raise InvalidTransition(f"A {_labels(referral.status)} referral cannot be sent.")
    _check_consent(referral, on=day)
    decision = routing_check(
        sender=referral.from_organisation,
        receiver=referral.to_organisation,
        referral_type=referral.referral_type,
        client_age=referral.client.age_on(day),
        on=day,
    )
    if not decision.accepted:
        raise ValidationError({"to_organisation": decision.reason})
    terms = service_level_for(
        sender=referral.from_organisation,
        receiver=referral.to_organisation,
        referral_type=referral.referral_type,
        on=day,
    )
    referral.acknowledge_by = add_working_days(day, terms.acknowledge_working_days)
    referral.complete_by = add_working_days(day, terms.complete_working_days)
    referral.sent_at = timezone.now()
    referral.reference = f"REF-{day.year}-{referral.pk:06d}"
    _move(referral, to=Status.SENT, by=by, note=f"Due dates from {terms.source}")
    notify(
        recipients=_receivers(referral),
        title=f"New {referral.get_priority_display().lower()} referral {referral.reference}",
        body=f"{referral.get_referral_type_display()} for {referral.client.full_name} from "
        f"{referral.from_organisation.name}. Acknowledge by {referral.acknowledge_by:%-d %B %Y}.",
        url=referral.get_absolute_url(),
    )
    return referral


def referral_moves_for(*, referral: Referral, organisation: Organisation | None) -> set[str]:
    """The statuses the organisation may move the referral to now: what the lifecycle allows next, and
    of that what its side (sender or receiver) makes."""
    allowed = TRANSITIONS.get(referral.status, set())
    moves = set()
    if organisation is not None and organisation.pk == referral.from_organisation_id:
        moves |= SENDER_MOVES
    if organisation is not None and organisation.pk == referral.to_organisation_id:
        moves |= RECEIVER_MOVES
    return allowed & moves


def referral_may_assign(*, referral: Referral, organisation: Organisation | None) -> bool:
    """Only the receiving organisation assigns, and only while the referral is open."""
    return organisation is not None and organisation.pk == referral.to_organisation_id and referral.is_open


def _check_side(referral: Referral, *, to: str, by) -> None:
    organisation = organisation_of(by)
    if to in SENDER_MOVES and (organisation is None or organisation.pk != referral.from_organisation_id):
        raise InvalidTransition("Only the organisation that made the referral can do that.")
    if to in RECEIVER_MOVES and (organisation is None or organisation.pk != referral.to_organisation_id):
        raise InvalidTransition("Only the organisation the referral was sent to can do that.")


def _move(referral: Referral, *, to: str, by, note: str = "") -> None:
    ReferralEvent.objects.create(referral=referral, from_status=referral.status, to_status=to, actor=by, note=note)
    referral.status = to
    referral.save()


@transaction.atomic
def _transition(*, referral_id: int, to: str, by, note: str = "", **changes) -> Referral:
    """The one guarded setter for a referral's status (after `referral_send`)."""
    referral = Referral.objects.select_for_update().get(pk=referral_id)
    if to not in TRANSITIONS.get(referral.status, set()):
        raise InvalidTransition(f"A {_labels(referral.status)} referral cannot be {_labels(to)}.")
    _check_side(referral, to=to, by=by)
    for name, value in changes.items():
        setattr(referral, name, value)
    _move(referral, to=to, by=by, note=note)
    if to in RECEIVER_MOVES:
        who = by.get_full_name() or by.username
        notify(
            recipients=[referral.from_officer],
            title=f"Referral {referral.reference} {_labels(to)}",
            body=f"{who} of {referral.to_organisation.name} marked the referral for {referral.client.full_name} "
            f"as {_labels(to)}.{(' ' + note) if note else ''}",
            url=referral.get_absolute_url(),
        )
    elif to == Status.WITHDRAWN and referral.sent_at is not None:
        notify(
            recipients=_receivers(referral),
            title=f"Referral {referral.reference} withdrawn",
            body=f"{referral.from_organisation.name} withdrew the referral for "
            f"{referral.client.full_name}. {note}".strip(),
            url=referral.get_absolute_url(),
        )
    return referral


def referral_accept(*, referral_id: int, by) -> Referral:
    """The receiving organisation acknowledges and accepts the referral."""
    return _transition(referral_id=referral_id, to=Status.ACCEPTED, by=by, acknowledged_at=timezone.now())


def referral_reject(*, referral_id: int, by, reason: str) -> Referral:
    """The receiving organisation declines the referral, saying why."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the referral is rejected"})
    return _transition(
        referral_id=referral_id,
        to=Status.REJECTED,
        by=by,
        note=reason.strip(),
        acknowledged_at=timezone.now(),
        rejection_reason=reason.strip(),
    )


def referral_start(*, referral_id: int, by) -> Referral:
    """Work on the referral has begun."""
    return _transition(referral_id=referral_id, to=Status.IN_PROGRESS, by=by)


@dataclass(frozen=True)
class BenefitResult:
    benefit: str
    decision: str
    weekly_amount: Decimal = Decimal("0.00")
    effective_date: date | None = None
    arrears: Decimal = Decimal("0.00")


@transaction.atomic
def referral_complete(
    *,
    referral_id: int,
    by,
    successful: bool,
    reason: str = "",
    notes: str = "",
    benefits: list[BenefitResult] = (),
) -> Referral:
    """Record the outcome: success or a coded reason, and the decision on each benefit claimed."""
    if not successful and reason not in Referral.OutcomeReason.values:
        raise ValidationError({"outcome_reason": "Choose why the referral did not succeed"})
    referral = _transition(
        referral_id=referral_id,
        to=Status.COMPLETED,
        by=by,
        note=notes,
        completed_at=timezone.now(),
        outcome_successful=successful,
        outcome_reason="" if successful else reason,
        outcome_notes=notes,
    )
    for result in benefits:
        outcome = BenefitOutcome(
            referral=referral,
            benefit=result.benefit,
            decision=result.decision,
            weekly_amount=to_money(result.weekly_amount),
            effective_date=result.effective_date,
            arrears=to_money(result.arrears),
            recorded_by=by,
        )
        outcome.full_clean()
        outcome._history_user = by
        outcome.save()
        if outcome.decision == BenefitOutcome.Decision.AWARDED:
            # An award changes the client's income: the council's charge is re-assessed (after commit,
            # so a problem there never loses the outcome just recorded).
            transaction.on_commit(
                lambda outcome_id=outcome.pk: assessment_reassess_for_award_task.delay(outcome_id=outcome_id)
            )
    return referral


def referral_close(*, referral_id: int, by) -> Referral:
    """The sender has seen the outcome (or the rejection) and closes the referral."""
    return _transition(referral_id=referral_id, to=Status.CLOSED, by=by)


def referral_withdraw(*, referral_id: int, by, reason: str = "") -> Referral:
    """The sender no longer needs the referral."""
    return _transition(referral_id=referral_id, to=Status.WITHDRAWN, by=by, note=reason.strip())


@transaction.atomic
def referral_assign(*, referral_id: int, by, officer) -> Referral:
    """The receiving organisation gives the referral to one of its officers (status unchanged)."""
    referral = Referral.objects.select_for_update().get(pk=referral_id)
    if not referral.is_open:
        raise InvalidTransition(f"A {_labels(referral.status)} referral cannot be assigned.")
    if organisation_of(by) is None or organisation_of(by).pk != referral.to_organisation_id:
        raise InvalidTransition("Only the organisation the referral was sent to can assign it.")
    if organisation_of(officer) is None or organisation_of(officer).pk != referral.to_organisation_id:
        raise ValidationError({"officer": "Choose an officer of your own organisation"})
    referral.assigned_officer = officer
    referral.save(update_fields=["assigned_officer", "updated_at"])
    name = officer.get_full_name() or officer.username
    ReferralEvent.objects.create(
        referral=referral, from_status=referral.status, to_status=referral.status, actor=by, note=f"Assigned to {name}"
    )
    if officer != by:
        notify(
            recipients=[officer],
            title=f"Referral {referral.reference} assigned to you",
            body=f"{referral.get_referral_type_display()} for {referral.client.full_name}.",
            url=referral.get_absolute_url(),
        )
    return referral
