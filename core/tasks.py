from celery import shared_task

from .notification_emails import notification_emails_send


@shared_task(name="core.ping")
def ping_task(*, value: str) -> str:
    """Echo `value` back: proves a worker is consuming from the broker (health checks and tests)."""
    return f"pong: {value}"


@shared_task(name="core.notification_emails_send", autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def notification_emails_send_task(*, notification_ids: list[int]) -> int:
    """Send the e-mail copies of notifications made in bulk (a retry may send a copy twice; the
    in-app notification itself is never duplicated)."""
    return notification_emails_send(notification_ids=notification_ids)
