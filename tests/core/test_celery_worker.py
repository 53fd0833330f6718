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
    app.control.purge()  # start from an empty queue: nothing left over from another run
    try:
        yield app
    finally:
        app.conf.update(task_always_eager=settings.CELERY_TASK_ALWAYS_EAGER)


def test_task_round_trips_through_redis_and_a_real_worker(redis_celery):
    with start_worker(redis_celery, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = ping_task.delay(value="joint team")
        assert result.get(timeout=20) == "pong: joint team"
    assert result.backend.__class__.__name__ == "RedisBackend"


@pytest.mark.django_db(transaction=True)
def test_escalation_task_runs_on_a_real_worker(redis_celery, council, user_with_roles):
    from datetime import date

    import time_machine

    from partnerships.models import Role
    from referrals.models import ReferralEscalation
    from referrals.services.referrals import referral_create, referral_send
    from referrals.tasks import referral_escalation_scan_task
    from tests.referrals.factories import ClientFactory

    # given a referral within the council sent on Monday 2 November, due to be acknowledged by the 4th
    officer = user_with_roles(council, Role.VISITING_OFFICER, Role.TEAM_MANAGER)
    referral = referral_create(
        client=ClientFactory(organisation=council),
        by=officer,
        to_organisation=council,
        referral_type="fairer_charging",
        reason="New care package",
    )
    referral_send(referral_id=referral.pk, by=officer, on=date(2026, 11, 2))
    # when the beat's task is run by a worker through Redis on 23 November
    with (
        time_machine.travel(date(2026, 11, 23)),
        start_worker(redis_celery, pool="solo", perform_ping_check=False, shutdown_timeout=10),
    ):
        result = referral_escalation_scan_task.delay().get(timeout=30)
    # then it escalated once, to level 1
    assert result == {"escalated": 1, "notifications": 1}
    assert list(ReferralEscalation.objects.values_list("referral_id", "level")) == [(referral.pk, 1)]
