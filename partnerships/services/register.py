"""Writes for the partnerships register: partnerships and their members, outcomes, agreements, and the
service levels and routing rules an agreement sets."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import save_with_history

from ..models import (
    Agreement,
    Organisation,
    Partnership,
    PartnershipMember,
    PartnershipOutcome,
    RoutingRule,
    ServiceLevel,
)
from ..models.register import AGREEMENT_DOCUMENT_EXTENSIONS, AGREEMENT_DOCUMENT_MAX_BYTES

PARTNERSHIP_FIELDS = [
    "name",
    "kind",
    "is_formal",
    "scope",
    "level",
    "district",
    "purpose",
    "objectives",
    "activities",
    "customer_groups",
    "risks",
    "start_date",
    "next_review_date",
    "status",
]


def _set_members(*, partnership: Partnership, organisations, key_contacts: dict | None, by) -> None:
    organisations = list(dict.fromkeys(organisations))
    if len(organisations) < 2:
        raise ValidationError({"organisations": "A partnership needs at least two organisations"})
    key_contacts = key_contacts or {}
    for organisation_pk, contact in key_contacts.items():
        if contact is not None and contact.organisation_id != organisation_pk:
            raise ValidationError({"organisations": f"{contact.name} does not work for that organisation"})
    PartnershipMember.objects.filter(partnership=partnership).exclude(organisation__in=organisations).delete()
    for organisation in organisations:
        member, _ = PartnershipMember.objects.get_or_create(partnership=partnership, organisation=organisation)
        contact = key_contacts.get(organisation.pk, member.key_contact)
        if member.key_contact != contact:
            member.key_contact = contact
            member._history_user = by
            member.save(update_fields=["key_contact"])


@transaction.atomic
def partnership_create(*, by, organisations, key_contacts: dict | None = None, **fields) -> Partnership:
    """Record a partnership of two or more organisations, with a key contact for each if known."""
    partnership = save_with_history(Partnership(created_by=by, **fields), by=by)
    _set_members(partnership=partnership, organisations=organisations, key_contacts=key_contacts, by=by)
    return partnership


@transaction.atomic
def partnership_update(
    *, partnership: Partnership, by, organisations=None, key_contacts: dict | None = None, **fields
) -> Partnership:
    """Change a partnership; its members too when `organisations` is given (still two or more)."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    for name, value in fields.items():
        setattr(partnership, name, value)
    save_with_history(partnership, by=by)
    if organisations is not None:
        _set_members(partnership=partnership, organisations=organisations, key_contacts=key_contacts, by=by)
    return partnership


@transaction.atomic
def partnership_outcome_add(*, partnership: Partnership, by, description: str, recorded_on: date | None = None):
    """Record an outcome the partnership achieved."""
    outcome = PartnershipOutcome(
        partnership=partnership,
        description=description,
        recorded_on=recorded_on or timezone.localdate(),
        recorded_by=by,
    )
    return save_with_history(outcome, by=by)


def agreement_document_validate(document) -> None:
    """Only PDF, Word or OpenDocument files up to 10 MB may be uploaded as an agreement."""
    if not document:
        return
    extension = document.name.rsplit(".", 1)[-1].lower() if "." in document.name else ""
    if extension not in AGREEMENT_DOCUMENT_EXTENSIONS:
        raise ValidationError(
            {"document": "The document must be a PDF, Word (.doc, .docx), OpenDocument (.odt) or RTF file"}
        )
    if document.size > AGREEMENT_DOCUMENT_MAX_BYTES:
        raise ValidationError({"document": "The document must be smaller than 10 MB"})
    content_type = getattr(document, "content_type", "") or ""
    if content_type.startswith(("image/", "text/html", "application/x-")):
        raise ValidationError({"document": "The document must be a PDF, Word, OpenDocument or RTF file"})


@transaction.atomic
def agreement_create(*, partnership: Partnership, by, document=None, **fields) -> Agreement:
    """Attach an agreement (MoU, SLA, ...) to a partnership, with its signed document if there is one."""
    agreement_document_validate(document)
    agreement = Agreement(partnership=partnership, **fields)
    if document:
        agreement.document = document
    return save_with_history(agreement, by=by)


@transaction.atomic
def agreement_update(*, agreement: Agreement, by, document=None, **fields) -> Agreement:
    """Change an agreement; a new document replaces the old one (history keeps the old name)."""
    agreement_document_validate(document)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    for name, value in fields.items():
        setattr(agreement, name, value)
    if document:
        agreement.document = document
    return save_with_history(agreement, by=by)


@transaction.atomic
def service_level_set(
    *, agreement: Agreement, by, referral_type: str, acknowledge_working_days: int, complete_working_days: int
) -> ServiceLevel:
    """Set an SLA's working days to acknowledge and complete one referral type (replacing any set)."""
    if agreement.kind != Agreement.Kind.SLA:
        raise ValidationError("Service levels can only be set on a service level agreement")
    if complete_working_days < acknowledge_working_days:
        raise ValidationError({"complete_working_days": "Days to complete must be at least the days to acknowledge"})
    level = ServiceLevel.objects.filter(agreement=agreement, referral_type=referral_type).first() or ServiceLevel(
        agreement=agreement, referral_type=referral_type
    )
    level.acknowledge_working_days = acknowledge_working_days
    level.complete_working_days = complete_working_days
    return save_with_history(level, by=by)


@transaction.atomic
def service_level_remove(*, level: ServiceLevel, by) -> None:
    """Remove one referral type's service level from an SLA (another SLA in force, or the defaults, apply)."""
    level._history_user = by
    level.delete()


@transaction.atomic
def routing_rule_set(
    *,
    agreement: Agreement,
    by,
    receiving_organisation: Organisation,
    referral_types: list[str],
    minimum_age: int | None = None,
    maximum_age: int | None = None,
) -> RoutingRule:
    """Say what `receiving_organisation` accepts under the agreement (replacing any rule it had)."""
    if not agreement.partnership.members.filter(organisation=receiving_organisation).exists():
        raise ValidationError({"receiving_organisation": "The organisation must be in the partnership"})
    if minimum_age is not None and maximum_age is not None and maximum_age < minimum_age:
        raise ValidationError({"maximum_age": "The maximum age must be at least the minimum age"})
    rule = RoutingRule.objects.filter(agreement=agreement, receiving_organisation=receiving_organisation).first()
    rule = rule or RoutingRule(agreement=agreement, receiving_organisation=receiving_organisation)
    rule.referral_types = sorted(set(referral_types))
    rule.minimum_age, rule.maximum_age = minimum_age, maximum_age
    return save_with_history(rule, by=by)
