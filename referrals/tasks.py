from celery import shared_task

from .services import referral_escalation_scan


@shared_task(acks_late=True, autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def referral_escalation_scan_task() -> dict:
    """Daily: escalate every overdue referral one level and tell that level's people (idempotent)."""
    summary = referral_escalation_scan()
    return {"escalated": summary.total, "notifications": summary.notifications}
