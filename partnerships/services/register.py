"""Writes for the partnerships register: validated, atomic, kept in history with who made them;
and the reminders the Celery beat sends (each exactly once, guarded by a unique constraint)."""

import logging
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.claims import claim_once
from core.notifications import notify

from .models import (
    Accreditation,
    ActionPlanItem,
    Agreement,
    AgreementReminder,
    Contact,
    ContactVerificationRequest,
    Organisation,
    Partnership,
    PartnershipMember,
    PartnershipOutcome,
    PartnershipReview,
    Role,
    RoutingRule,
    ServiceLevel,
)
from .models.register import (
    AGREEMENT_DOCUMENT_EXTENSIONS,
    AGREEMENT_DOCUMENT_MAX_BYTES,
    AGREEMENT_REMINDER_DAYS_BEFORE,
    CONTACT_STALE_AFTER,
)

logger = logging.getLogger(__name__)

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


def _save(instance, *, by, exclude=None):
    instance.full_clean(exclude=exclude)
    instance._history_user = by
    instance.save()
    return instance


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
    partnership = _save(Partnership(created_by=by, **fields), by=by)
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
    _save(partnership, by=by)
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
    return _save(outcome, by=by)


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
    return _save(agreement, by=by)


@transaction.atomic
def agreement_update(*, agreement: Agreement, by, document=None, **fields) -> Agreement:
    """Change an agreement; a new document replaces the old one (history keeps the old name)."""
    agreement_document_validate(document)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    for name, value in fields.items():
        setattr(agreement, name, value)
    if document:
        agreement.document = document
    return _save(agreement, by=by)


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
    return _save(level, by=by)


@transaction.atomic
def service_level_remove(*, level: ServiceLevel, by) -> None:
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
    return _save(rule, by=by)


@transaction.atomic
def contact_create(*, by, **fields) -> Contact:
    """Add a named contact to the directory; it counts as confirmed today unless a date is given."""
    fields.setdefault("last_verified_on", timezone.localdate())
    fields.setdefault("owner", by)
    return _save(Contact(**fields), by=by)


@transaction.atomic
def contact_update(*, contact: Contact, by, **fields) -> Contact:
    """Change a contact; changing it counts as confirming it is correct today."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.last_verified_on = timezone.localdate()
    return _save(contact, by=by)


@transaction.atomic
def contact_verify(*, contact: Contact, by) -> Contact:
    """Confirm a directory entry is still correct today."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    contact.last_verified_on = timezone.localdate()
    return _save(contact, by=by)


@transaction.atomic
def accreditation_create(*, by, **fields) -> Accreditation:
    """Record that an officer is accredited to do another organisation's work until a date."""
    accreditation = Accreditation(**fields)
    officer_membership = getattr(accreditation.officer, "membership", None)
    if officer_membership and officer_membership.organisation_id == accreditation.accrediting_organisation_id:
        raise ValidationError(
            {"accrediting_organisation": "An accreditation is for another organisation's work, not the officer's own"}
        )
    return _save(accreditation, by=by)


@transaction.atomic
def accreditation_update(*, accreditation: Accreditation, by, **fields) -> Accreditation:
    accreditation = Accreditation.objects.select_for_update().get(pk=accreditation.pk)
    for name, value in fields.items():
        setattr(accreditation, name, value)
    return _save(accreditation, by=by)


@transaction.atomic
def action_plan_item_create(*, by, **fields) -> ActionPlanItem:
    """Add an action to a local action plan (for a partnership or a district)."""
    item = ActionPlanItem(**fields)
    if item.partnership_id is None and not item.district:
        raise ValidationError({"district": "Choose a partnership or enter the district the action is for"})
    return _save(item, by=by)


@transaction.atomic
def action_plan_item_update(*, item: ActionPlanItem, by, **fields) -> ActionPlanItem:
    item = ActionPlanItem.objects.select_for_update().get(pk=item.pk)
    for name, value in fields.items():
        setattr(item, name, value)
    return _save(item, by=by)


@transaction.atomic
def partnership_review_create(*, partnership: Partnership, by, **fields) -> PartnershipReview:
    """Record an interim or annual review with its key indicators."""
    fields.setdefault("reviewed_on", timezone.localdate())
    review = PartnershipReview(partnership=partnership, reviewed_by=by, **fields)
    return _save(review, by=by)


# --- Reminders (Celery beat, daily) ----------------------------------------------------------


def _partnership_recipients(partnership: Partnership):
    """Who hears about an agreement review: the key contacts' own accounts, else the partnership
    managers of each member organisation."""
    users = []
    for member in partnership.members.select_related("key_contact__user", "organisation"):
        contact = member.key_contact
        if contact is not None and contact.user is not None:
            users.append(contact.user)
        else:
            users.extend(_partnership_managers(member.organisation))
    return users


def _partnership_managers(organisation: Organisation):
    return list(
        get_user_model().objects.filter(
            is_active=True,
            membership__organisation=organisation,
            membership__is_active=True,
            groups__name=Role.PARTNERSHIP_MANAGER,
        )
    )


def agreement_review_reminders_send(*, today: date | None = None) -> int:
    """Remind key contacts of agreements due for review in 30 days, and on the day; each once.

    Safe to run twice or concurrently: the reminder row is claimed under a unique constraint before
    anyone is told. A missed day is caught up (before-reminders go any time in the last 30 days).
    """
    today = today or timezone.localdate()
    horizon = today + timedelta(days=AGREEMENT_REMINDER_DAYS_BEFORE)
    agreements = Agreement.objects.filter(
        is_current=True, review_due_on__isnull=False, review_due_on__lte=horizon
    ).select_related("partnership")
    sent = 0
    for agreement in agreements:
        kind = AgreementReminder.Kind.DUE if agreement.review_due_on <= today else AgreementReminder.Kind.BEFORE
        if agreement.review_due_on < today - timedelta(days=7):
            continue  # long overdue: shown as flagged on the pages, not re-announced
        with transaction.atomic():
            if not claim_once(
                AgreementReminder, agreement=agreement, kind=kind, review_due_on=agreement.review_due_on
            ):
                continue
            when = f"{agreement.review_due_on.day} {agreement.review_due_on:%B %Y}"
            title = (
                f"{agreement.title} is due for review today"
                if kind == AgreementReminder.Kind.DUE
                else f"{agreement.title} is due for review on {when}"
            )
            notify(
                recipients=_partnership_recipients(agreement.partnership),
                title=title,
                body=f"Partnership: {agreement.partnership.name}. Review the agreement with your partners and "
                "record the new version and review date in JointCase.",
                url=reverse("partnerships:agreement-detail", args=[agreement.pk]),
            )
            sent += 1
    logger.info("agreement review reminders sent: %s", sent)
    return sent


def contact_verification_requests_send(*, today: date | None = None) -> int:
    """Ask the owner of each stale directory entry (not confirmed for 6 months) to confirm it, once."""
    today = today or timezone.localdate()
    stale = Contact.objects.filter(is_active=True, last_verified_on__lt=today - CONTACT_STALE_AFTER).select_related(
        "owner", "organisation"
    )
    sent = 0
    for contact in stale:
        with transaction.atomic():
            if not claim_once(ContactVerificationRequest, contact=contact, for_verified_on=contact.last_verified_on):
                continue
            owners = [contact.owner] if contact.owner is not None else _partnership_managers(contact.organisation)
            notify(
                recipients=owners,
                title=f"Please confirm the directory entry for {contact.name}",
                body=f"{contact.name} ({contact.get_function_display()}, {contact.organisation.name}) was last "
                "confirmed more than 6 months ago. Check the details and confirm or change them.",
                url=reverse("partnerships:contact-detail", args=[contact.pk]),
            )
            sent += 1
    logger.info("contact verification requests sent: %s", sent)
    return sent
