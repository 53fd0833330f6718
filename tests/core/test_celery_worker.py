"""A task really goes through the Redis broker to a worker started here (not eager)."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from config.celery import app
from core.tasks import ping_task

pytestmark = pytest.mark.worker


@pytest.fixture
def redis_celery():
    assert settings.REDIS_URL.startswith("redis://"), "make test sets REDIS_URL to the real Redis"
    app.conf.update(
        broker_url=settings.REDIS_URL,
        result_backend=settings.REDIS_URL,
        task_always_eager=False,
    )
    try:
        yield app
    finally:
        app.conf.update(task_always_eager=settings.CELERY_TASK_ALWAYS_EAGER)


def test_task_round_trips_through_redis_and_a_real_worker(redis_celery):
    with start_worker(redis_celery, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = ping_task.delay(value="joint team")
        assert result.get(timeout=20) == "pong: joint team"
    assert result.backend.__class__.__name__ == "RedisBackend"
