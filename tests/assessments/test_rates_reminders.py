"""The February and March reminder that next year's rates are missing or unconfirmed: the right people,
the right months, each once (a month, and once more when the year moves from missing to unconfirmed)."""

from datetime import date

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.core import mail

from assessments import services
from assessments.models import RatesReminder, RatesYear
from assessments.tasks import rates_reminders_send_task
from config.celery import app
from core.models import Notification
from partnerships.models import Role
from tests.partnerships.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(council, user_with_roles):
    """Who is told (council finance approvers and administrators) and who is not."""
    approver = user_with_roles(council, Role.FINANCE_APPROVER)
    administrator = user_with_roles(council, Role.ADMIN)
    left = user_with_roles(council, Role.FINANCE_APPROVER)
    left.is_active = False
    left.save()
    others = [
        user_with_roles(council, Role.FINANCE_OFFICER),
        user_with_roles(council, Role.VISITING_OFFICER),
        user_with_roles(OrganisationFactory(kind="pension_service"), Role.FINANCE_APPROVER, Role.ADMIN),
        left,
    ]
    return {"told": [approver, administrator], "not_told": others}


def _run(day: date, capture) -> int:
    with time_machine.travel(day, tick=False), capture(execute=True):
        return rates_reminders_send_task()


def _titles(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person).order_by("pk").values_list("title", flat=True))


def test_finance_leads_are_told_once_a_month_in_february_and_march(people, django_capture_on_commit_callbacks):
    approver, administrator = people["told"]
    # nothing in January, even though 2027/28 has no rates
    assert _run(date(2027, 1, 31), django_capture_on_commit_callbacks) == 0
    # 1 February: each finance lead is told, in the app and by e-mail
    assert _run(date(2027, 2, 1), django_capture_on_commit_callbacks) == 2
    assert _titles(approver) == _titles(administrator) == ["Enter the 2027/28 rates before 6 April 2027"]
    assert sorted(message.to[0] for message in mail.outbox) == sorted([approver.email, administrator.email])
    assert "The council has not yet entered the rates for 2027/28." in mail.outbox[0].body
    assert "/assessments/rates/" in mail.outbox[0].body
    for person in people["not_told"]:
        assert _titles(person) == []
    # the job runs every day: the same day again, and later in February, tells nobody again
    assert _run(date(2027, 2, 1), django_capture_on_commit_callbacks) == 0
    assert _run(date(2027, 2, 16), django_capture_on_commit_callbacks) == 0
    # the year is started but not confirmed: each is told once that it needs confirming
    services.rates_year_start(start_year=2027, by=approver, percentages={}, source="copied")
    assert _run(date(2027, 2, 17), django_capture_on_commit_callbacks) == 2
    assert _run(date(2027, 2, 18), django_capture_on_commit_callbacks) == 0
    # March is a new month: told again
    assert _run(date(2027, 3, 1), django_capture_on_commit_callbacks) == 2
    assert _titles(approver) == [
        "Enter the 2027/28 rates before 6 April 2027",
        "Confirm the 2027/28 rates before 6 April 2027",
        "Confirm the 2027/28 rates before 6 April 2027",
    ]
    # once confirmed, nobody is told
    services.rates_year_confirm(rates=RatesYear.objects.get(start_year=2027), by=approver)
    assert _run(date(2027, 3, 2), django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 6
    assert RatesReminder.objects.count() == 6


def test_no_reminder_outside_february_and_march(people, django_capture_on_commit_callbacks):
    for day in (date(2027, 4, 1), date(2026, 12, 1), date(2026, 11, 27)):
        assert _run(day, django_capture_on_commit_callbacks) == 0
    assert Notification.objects.count() == 0


def test_the_beat_schedule_runs_it_each_morning_in_february_and_march():
    entry = settings.CELERY_BEAT_SCHEDULE["assessments-rates-reminders"]
    assert entry["task"] == "assessments.tasks.rates_reminders_send_task"
    assert entry["task"] in app.tasks
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.month_of_year == {2, 3} and schedule.hour == {8} and schedule.minute == {5}
    assert len(schedule.day_of_month) == 31
