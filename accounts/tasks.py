from celery import shared_task

from .services import accounts_review


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=29 * 60)
def accounts_review_task() -> dict:
    """Close accounts the organisation's provider no longer accepts, and those unused for 90 days."""
    return accounts_review()
