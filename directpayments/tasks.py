"""Celery tasks for direct payments: thin, idempotent, safe to run twice or at once."""

import logging

from celery import shared_task
from django.utils import timezone

from partnerships.models import Organisation

from . import runs
from .models import Agreement
from .services import payment_run_prepare, review_reminders_send

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def payment_run_draft_next_month_task() -> dict:
    """Monthly: draft (or recalculate, while still draft) next month's run for every organisation with
    agreements; a run already submitted or beyond is left alone, so running twice changes nothing."""
    month = runs.next_month(timezone.localdate())
    organisation_ids = (
        Agreement.objects.exclude(status=Agreement.Status.SETUP)
        .values_list("client__organisation_id", flat=True)
        .distinct()
        .order_by("client__organisation_id")
    )
    drafted = {}
    for organisation in Organisation.objects.filter(pk__in=list(organisation_ids)).order_by("pk"):
        run = payment_run_prepare(organisation=organisation, month=month, by=None)
        drafted[organisation.pk] = run.pk
        logger.info("Direct payments run %s for %s, %s: %s", run.pk, organisation, f"{month:%B %Y}", run.status)
    return {"month": month.isoformat(), "runs": drafted}


@shared_task(acks_late=True, autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def review_reminders_send_task() -> int:
    """Daily: remind finance officers of overdue direct payment reviews, once per agreement, kind and due date."""
    return review_reminders_send()
