from celery import shared_task


@shared_task(name="core.ping")
def ping_task(*, value: str) -> str:
    """Echo `value` back: proves a worker is consuming from the broker (health checks and tests)."""
    return f"pong: {value}"
