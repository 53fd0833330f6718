"""Visits: book a home or drop-in visit with one or more officers (possibly from several
organisations: a joint visit), change it while it is planned, and record it as done or cancelled.
Every write keeps who and when in the visit's history (django-simple-history)."""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.access import has_role, organisation_of
from core.notifications import notify
from partnerships.models import CASEWORK_ROLES

from ..models import Client, Referral, Visit
from ..selectors.clients import client_list_for_user
from ..selectors.referrals import referral_list_for_user

Status = Visit.Status

# How a planned visit may end; a recorded visit is final.
TRANSITIONS: dict[str, set[str]] = {
    Status.PLANNED: {Status.DONE, Status.CANCELLED},
    Status.DONE: set(),
    Status.CANCELLED: set(),
}


def visit_user_may_change(*, visit: Visit, user) -> bool:
    """Officers on the visit, and caseworkers of the organisation that booked it, may change or record it."""
    organisation = organisation_of(user)
    if organisation is None:
        return False
    if any(officer.pk == user.pk for officer in visit.officers.all()):
        return True
    return visit.organisation_id == organisation.pk and has_role(user, *CASEWORK_ROLES)


def _name(user) -> str:
    return user.get_full_name() or user.username


def _active_officers(officers: Iterable) -> list:
    """The officers, checked to be active staff; at least one."""
    wanted = {officer.pk: officer for officer in officers if officer is not None}
    if not wanted:
        raise ValidationError({"officers": "Select at least one officer"})
    active = set(
        get_user_model()
        .objects.filter(pk__in=wanted, is_active=True, membership__is_active=True)
        .values_list("pk", flat=True)
    )
    gone = [_name(officer) for pk, officer in wanted.items() if pk not in active]
    if gone:
        raise ValidationError(
            {"officers": f"{', '.join(sorted(gone))} cannot go on visits: their account is no longer active"}
        )
    return list(wanted.values())


def _clean_purposes(purposes: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(purposes))
    if not codes:
        raise ValidationError({"purposes": "Select at least one purpose"})
    unknown = [code for code in codes if code not in Visit.Purpose.values]
    if unknown:
        raise ValidationError({"purposes": f"Unknown purpose: {', '.join(unknown)}"})
    return codes


def _served_referrals(*, client: Client, by, referrals: Iterable[Referral]) -> list[Referral]:
    """The referrals a visit serves: the same client's, and ones the booker can see."""
    wanted = {referral.pk for referral in referrals}
    if not wanted:
        return []
    found = list(referral_list_for_user(user=by).filter(pk__in=wanted, client_id=client.pk))
    if len(found) != len(wanted):
        raise ValidationError({"referrals": f"A referral chosen is not one of {client.full_name}'s referrals"})
    return found


def _check_starts_at(starts_at: datetime) -> None:
    if starts_at is None or timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": "Enter the date and time of the visit"})


def _notify_added(*, visit: Visit, by, officers: Iterable, changed: bool = False) -> None:
    when = timezone.localtime(visit.starts_at)
    hour = when.hour % 12 or 12
    time_text = f"{when.day} {when:%B %Y} at {hour}:{when:%M}{'am' if when.hour < 12 else 'pm'}"
    notify(
        recipients=[officer for officer in officers if officer.pk != by.pk],
        title=f"{visit.get_kind_display()} {'changed' if changed else 'booked'} for {visit.client.full_name}",
        body=f"{_name(by)} of {visit.organisation.name} has "
        f"{'changed a visit you are on' if changed else 'booked you on a visit'}: {time_text}, "
        f"{visit.place or 'at the client’s home'}.",
        url=visit.get_absolute_url(),
    )


@transaction.atomic
def visit_book(
    *,
    client: Client,
    by,
    starts_at: datetime,
    kind: str,
    place: str,
    officers: Iterable,
    purposes: Iterable[str],
    referrals: Iterable[Referral] = (),
    notes: str = "",
) -> Visit:
    """Book a visit for the booker's organisation; the other officers on it are told."""
    organisation = organisation_of(by)
    if organisation is None:
        raise ValidationError("Your account is not linked to an organisation, so you cannot book visits")
    if not client_list_for_user(user=by).filter(pk=client.pk).exists():
        raise ValidationError("You cannot book a visit for this client")
    _check_starts_at(starts_at)
    people = _active_officers(officers)
    codes = _clean_purposes(purposes)
    served = _served_referrals(client=client, by=by, referrals=referrals)
    visit = Visit(
        client=client,
        organisation=organisation,
        kind=kind,
        starts_at=starts_at,
        place=(place or "").strip(),
        purposes=codes,
        notes=(notes or "").strip(),
        status=Status.PLANNED,
        booked_by=by,
    )
    visit.full_clean()
    visit._history_user = by
    visit.save()
    visit.officers.set(people)
    visit.referrals.set(served)
    _notify_added(visit=visit, by=by, officers=people)
    return visit


def _locked_planned_visit(*, visit_id: int, by) -> Visit:
    visit = Visit.objects.select_for_update(of=("self",)).select_related("client", "organisation").get(pk=visit_id)
    if not visit_user_may_change(visit=visit, user=by):
        raise ValidationError("Only the officers on the visit or the organisation that booked it can change it")
    return visit


@transaction.atomic
def visit_update(
    *,
    visit_id: int,
    by,
    starts_at: datetime,
    kind: str,
    place: str,
    officers: Iterable,
    purposes: Iterable[str],
    referrals: Iterable[Referral] = (),
    notes: str = "",
) -> Visit:
    """Change a planned visit; officers newly added are told, and so are the others if the time changed."""
    visit = _locked_planned_visit(visit_id=visit_id, by=by)
    if visit.status != Status.PLANNED:
        raise ValidationError(f"This visit has been recorded as {visit.get_status_display().lower()}: it cannot change")
    _check_starts_at(starts_at)
    people = _active_officers(officers)
    codes = _clean_purposes(purposes)
    served = _served_referrals(client=visit.client, by=by, referrals=referrals)
    before = {officer.pk for officer in visit.officers.all()}
    moved = visit.starts_at != starts_at or visit.place != (place or "").strip()
    visit.kind = kind
    visit.starts_at = starts_at
    visit.place = (place or "").strip()
    visit.purposes = codes
    visit.notes = (notes or "").strip()
    visit.full_clean()
    visit._history_user = by
    visit.save()
    visit.officers.set(people)
    # Keep links to referrals the changer cannot see (another partner's): they are not theirs to remove.
    hidden = list(visit.referrals.exclude(pk__in=referral_list_for_user(user=by).values("pk")))
    visit.referrals.set([*served, *hidden])
    added = [officer for officer in people if officer.pk not in before]
    _notify_added(visit=visit, by=by, officers=added)
    if moved:
        _notify_added(
            visit=visit, by=by, officers=[officer for officer in people if officer.pk in before], changed=True
        )
    return visit


@transaction.atomic
def visit_record(*, visit_id: int, by, notes: str, status: str) -> Visit:
    """Record a planned visit as done or cancelled, with notes (the one place a visit's status changes)."""
    visit = _locked_planned_visit(visit_id=visit_id, by=by)
    if status not in TRANSITIONS.get(visit.status, set()):
        if visit.status != Status.PLANNED:
            raise ValidationError(f"This visit has already been recorded as {visit.get_status_display().lower()}")
        raise ValidationError({"status": "Select whether the visit took place or was cancelled"})
    notes = (notes or "").strip()
    if not notes:
        message = "Say why the visit was cancelled" if status == Status.CANCELLED else "Enter notes about what happened"
        raise ValidationError({"notes": message})
    visit.status = status
    visit.notes = notes
    visit.full_clean()
    visit._history_user = by
    visit.save()
    return visit
