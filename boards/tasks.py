from celery import shared_task

from .services import action_reminders_send, issue_reminders_send

RETRY = {"autoretry_for": (ConnectionError, TimeoutError), "retry_backoff": True, "max_retries": 5}


@shared_task(acks_late=True, **RETRY)
def board_action_reminders_send_task() -> int:
    """Daily: remind owners of overdue board actions, then the secretariat a week later (each once)."""
    return action_reminders_send()


@shared_task(acks_late=True, **RETRY)
def board_issue_reminders_send_task() -> int:
    """Daily: remind the originator and secretariat of issues past their level's target (once per level)."""
    return issue_reminders_send()
