"""Writes for the contacts directory and the accreditation register."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import save_with_history

from ..models import Accreditation, Contact


@transaction.atomic
def contact_create(*, by, **fields) -> Contact:
    """Add a named contact to the directory; it counts as confirmed today unless a date is given."""
    fields.setdefault("last_verified_on", timezone.localdate())
    fields.setdefault("owner", by)
    return save_with_history(Contact(**fields), by=by)


@transaction.atomic
def contact_update(*, contact: Contact, by, **fields) -> Contact:
    """Change a contact; changing it counts as confirming it is correct today."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.last_verified_on = timezone.localdate()
    return save_with_history(contact, by=by)


@transaction.atomic
def contact_verify(*, contact: Contact, by) -> Contact:
    """Confirm a directory entry is still correct today."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    contact.last_verified_on = timezone.localdate()
    return save_with_history(contact, by=by)


@transaction.atomic
def accreditation_create(*, by, **fields) -> Accreditation:
    """Record that an officer is accredited to do another organisation's work until a date."""
    accreditation = Accreditation(**fields)
    officer_membership = getattr(accreditation.officer, "membership", None)
    if officer_membership and officer_membership.organisation_id == accreditation.accrediting_organisation_id:
        raise ValidationError(
            {"accrediting_organisation": "An accreditation is for another organisation's work, not the officer's own"}
        )
    return save_with_history(accreditation, by=by)


@transaction.atomic
def accreditation_update(*, accreditation: Accreditation, by, **fields) -> Accreditation:
    """Change an accreditation (renewed training, a new expiry date, notes)."""
    accreditation = Accreditation.objects.select_for_update().get(pk=accreditation.pk)
    for name, value in fields.items():
        setattr(accreditation, name, value)
    return save_with_history(accreditation, by=by)
