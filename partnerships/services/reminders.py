"""The reminders the Celery beat sends each day, each exactly once (the reminder row is claimed under a
unique constraint before anyone is told): agreements due for review, and stale directory entries."""

import logging
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.claims import claim_once
from core.notifications import notify

from ..models import Agreement, AgreementReminder, Contact, ContactVerificationRequest
from ..models.register import AGREEMENT_REMINDER_DAYS_BEFORE, CONTACT_STALE_AFTER
from ..selectors import agreement_review_recipients, partnership_managers_of

logger = logging.getLogger(__name__)


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
            if not claim_once(AgreementReminder, agreement=agreement, kind=kind, review_due_on=agreement.review_due_on):
                continue
            when = f"{agreement.review_due_on.day} {agreement.review_due_on:%B %Y}"
            title = (
                f"{agreement.title} is due for review today"
                if kind == AgreementReminder.Kind.DUE
                else f"{agreement.title} is due for review on {when}"
            )
            notify(
                recipients=agreement_review_recipients(partnership=agreement.partnership),
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
            owners = (
                [contact.owner]
                if contact.owner is not None
                else partnership_managers_of(organisation=contact.organisation)
            )
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
