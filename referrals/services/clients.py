"""Writes for clients and consent: validated, atomic, and kept in history with who made them."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from partnerships.models import Organisation

from ..models import Client, Consent
from ..validators import normalise_nhs_number, normalise_nino, normalise_postcode


def _save(client: Client, *, by) -> Client:
    """Normalise the identifiers, validate, and save with `by` as the author in the change history."""
    client.nino = normalise_nino(client.nino)
    client.nhs_number = normalise_nhs_number(client.nhs_number)
    client.postcode = normalise_postcode(client.postcode)
    client.full_clean()
    client._history_user = by
    client.save()
    return client


@transaction.atomic
def client_create(*, by, organisation: Organisation, **fields) -> Client:
    """Create a client held by `organisation`; the change history records `by` as the author."""
    return _save(Client(organisation=organisation, created_by=by, **fields), by=by)


@transaction.atomic
def client_update(*, client: Client, by, **fields) -> Client:
    """Change a client's details; history keeps the old and new value of each changed field."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    for name, value in fields.items():
        setattr(client, name, value)
    return _save(client, by=by)


@transaction.atomic
def consent_record(
    *,
    client: Client,
    by,
    organisations,
    purposes: list[str],
    method: str,
    given_on: date,
    given_by: str = Consent.GivenBy.CLIENT,
    given_by_name: str = "",
    expires_on: date | None = None,
    notes: str = "",
) -> Consent:
    """Record the client's consent to share with `organisations` for `purposes`."""
    organisations = list(organisations)
    if not organisations:
        raise ValidationError({"organisations": "Select at least one organisation"})
    unknown = set(purposes) - set(Consent.Purpose.values)
    if not purposes or unknown:
        raise ValidationError({"purposes": "Select at least one purpose from the list"})
    consent = Consent(
        client=client,
        purposes=sorted(set(purposes)),
        method=method,
        given_by=given_by,
        given_by_name=given_by_name,
        given_on=given_on,
        expires_on=expires_on,
        notes=notes,
        recorded_by=by,
    )
    consent.full_clean()
    consent._history_user = by
    consent.save()
    consent.organisations.set(organisations)
    return consent


class ConsentAlreadyWithdrawn(ValidationError):
    pass


@transaction.atomic
def consent_withdraw(*, consent: Consent, by, withdrawn_on: date, reason: str) -> Consent:
    """Withdraw consent from a date; information may not be shared under it from then on."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ConsentAlreadyWithdrawn(f"This consent was already withdrawn on {consent.withdrawn_on:%-d %B %Y}.")
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": "Date withdrawn must be on or after the date consent was given"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why consent was withdrawn"})
    consent.withdrawn_on = withdrawn_on
    consent.withdrawn_by = by
    consent.withdrawal_reason = reason.strip()
    consent._history_user = by
    consent.save()
    return consent
