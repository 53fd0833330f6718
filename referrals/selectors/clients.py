"""Reads for clients and consent, always scoped to what the user's organisation may see."""

import re
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from core.access import organisation_of
from core.audit import history_entries

from ..models import Client, Consent, Referral
from ..validators import normalise_nino, normalise_postcode


def client_list_for_user(*, user) -> QuerySet[Client]:
    """Clients the user's organisation holds, or that have been referred to it (a sent referral,
    which the consent gate only lets through under consent or a recorded legal basis); none for a
    user with no organisation."""
    organisation = organisation_of(user)
    if organisation is None:
        return Client.objects.none()
    referred = Referral.objects.filter(client=OuterRef("pk"), to_organisation=organisation).exclude(
        status=Referral.Status.DRAFT
    )
    return Client.objects.filter(Q(organisation=organisation) | Exists(referred)).select_related("organisation")


def client_list_held_by_user(*, user) -> QuerySet[Client]:
    """Clients whose record the user's organisation holds: only the holder changes details or consent."""
    organisation = organisation_of(user)
    if organisation is None:
        return Client.objects.none()
    return Client.objects.filter(organisation=organisation).select_related("organisation")


_DATE_PATTERNS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d")
_NINO_LIKE = re.compile(r"^[A-Z]{2}[0-9]{6}[A-D]?$")
_POSTCODE_LIKE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?(?: ?[0-9][A-Z]{0,2})?$")


def _as_date(text: str) -> date | None:
    for pattern in _DATE_PATTERNS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def client_search(*, user, query: str) -> QuerySet[Client]:
    """Search the user's clients by name, NINO, postcode or date of birth, guessing which was typed.

    A date finds that date of birth; a NINO (with or without suffix) finds that number; something
    shaped like a postcode matches postcodes that start with it; anything else matches every word
    against first, middle, last and preferred names.
    """
    clients = client_list_for_user(user=user)
    text = " ".join((query or "").split())
    if not text:
        return clients
    born = _as_date(text)
    if born:
        return clients.filter(date_of_birth=born)
    compact = normalise_nino(text)
    if _NINO_LIKE.match(compact):
        return clients.filter(nino__startswith=compact)
    upper = text.upper()
    if _POSTCODE_LIKE.match(upper) and any(ch.isdigit() for ch in upper):
        postcode = normalise_postcode(upper) if " " not in upper and len(upper) >= 5 else upper
        return clients.filter(postcode__startswith=postcode)
    for word in text.split():
        clients = clients.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(middle_names__icontains=word)
            | Q(preferred_name__icontains=word)
        )
    return clients


def client_possible_duplicates(
    *, user, first_name: str, last_name: str, date_of_birth: date | None, nino: str = "", exclude_pk: int | None = None
) -> list[Client]:
    """Clients the user can see who may be the same person: the same NINO, or the same name and DOB."""
    match = Q()
    if nino:
        match |= Q(nino=normalise_nino(nino))
    if first_name and last_name and date_of_birth:
        match |= Q(
            first_name__iexact=first_name.strip(), last_name__iexact=last_name.strip(), date_of_birth=date_of_birth
        )
    if not match:
        return []
    clients = client_list_for_user(user=user).filter(match)
    if exclude_pk:
        clients = clients.exclude(pk=exclude_pk)
    return list(clients[:10])


def consent_get_for_user(*, user, pk: int) -> Consent:
    """A consent of a client the user can see; Consent.DoesNotExist otherwise."""
    return Consent.objects.select_related("client").get(pk=pk, client__in=client_list_held_by_user(user=user))


def client_get_with_consents(*, user, pk: int) -> Client:
    """One client the user can see, with consents (and who recorded them) in three queries."""
    consents = Consent.objects.select_related("recorded_by", "withdrawn_by").prefetch_related("organisations")
    return (
        client_list_for_user(user=user)
        .select_related("created_by")
        .prefetch_related(Prefetch("consents", queryset=consents))
        .get(pk=pk)
    )


def client_history(*, client: Client) -> list:
    """Every change to the client and their consents: who, when, and each field's old and new value."""
    entries = history_entries(client.history.all(), label="Client record")
    entries += history_entries(
        Consent.history.filter(client_id=client.pk),
        label="Consent",
        value_labels={"purposes": dict(Consent.Purpose.choices)},
    )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries
