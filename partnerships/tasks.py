from celery import shared_task

from .services import agreement_review_reminders_send, contact_verification_requests_send

RETRY = {"autoretry_for": (ConnectionError, TimeoutError), "retry_backoff": True, "max_retries": 5}


@shared_task(acks_late=True, **RETRY)
def agreement_review_reminders_send_task() -> int:
    """Daily: remind key contacts of agreements due for review in 30 days and on the day (each once)."""
    return agreement_review_reminders_send()


@shared_task(acks_late=True, **RETRY)
def contact_verification_requests_send_task() -> int:
    """Daily: ask owners to confirm directory entries not confirmed for 6 months (each once)."""
    return contact_verification_requests_send()
