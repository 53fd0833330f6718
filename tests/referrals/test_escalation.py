import logging
import os
import subprocess
import sys
import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from core.models import Notification
from partnerships.models import Role
from referrals.models import Referral, ReferralEscalation
from referrals.services import referral_accept, referral_escalation_scan
from referrals.tasks import referral_escalation_scan_task
from tests.partnerships.factories import OrganisationFactory, TeamFactory
from tests.referrals.factories import SENT_ON, ClientFactory, referral_sent


@pytest.fixture
def people(council, user_with_roles):
    pension = OrganisationFactory(name="The Pension Service")
    team = TeamFactory(organisation=pension, name="Visiting team")
    other_team = TeamFactory(organisation=pension, name="Benefit centre")
    team_manager = user_with_roles(pension, Role.TEAM_MANAGER)
    team_manager.membership.team = team
    team_manager.membership.save()
    other_team_manager = user_with_roles(pension, Role.TEAM_MANAGER)
    other_team_manager.membership.team = other_team
    other_team_manager.membership.save()
    return {
        "pension": pension,
        "team": team,
        "officer": user_with_roles(council, Role.VISITING_OFFICER),
        "team_manager": team_manager,
        "other_team_manager": other_team_manager,
        "pension_pm": user_with_roles(pension, Role.PARTNERSHIP_MANAGER),
        "council_pm": user_with_roles(council, Role.PARTNERSHIP_MANAGER),
    }


def _sent_referral(people, council):
    client = ClientFactory(organisation=council)
    return referral_sent(client, people["officer"], people["pension"], to_team=people["team"], on=SENT_ON)


def _titles(user):
    return list(
        Notification.objects.filter(recipient=user, title__contains="escalation").values_list("title", flat=True)
    )


@pytest.mark.django_db
def test_overdue_acknowledgement_escalates_one_level_a_day_to_the_right_people(people, council):
    referral = _sent_referral(people, council)
    ref = referral.reference
    Notification.objects.all().delete()
    # not overdue on the due date itself
    assert referral_escalation_scan(today=date(2026, 11, 25)).total == 0
    # day 1 overdue: level 1, the receiving team's manager (not the other team's)
    summary = referral_escalation_scan(today=date(2026, 11, 26))
    assert summary.escalated == {("acknowledge", 1): 1}
    assert _titles(people["team_manager"]) == [f"Overdue referral {ref}: escalation level 1"]
    assert _titles(people["other_team_manager"]) == []
    # the same day again: nothing new
    assert referral_escalation_scan(today=date(2026, 11, 26)).total == 0
    # next day: level 2, the receiving organisation's partnership manager
    assert referral_escalation_scan(today=date(2026, 11, 27)).escalated == {("acknowledge", 2): 1}
    assert _titles(people["pension_pm"]) == [f"Overdue referral {ref}: escalation level 2"]
    # then level 3: the sender's partnership manager (until boards exist)
    assert referral_escalation_scan(today=date(2026, 11, 30)).escalated == {("acknowledge", 3): 1}
    assert _titles(people["council_pm"]) == [f"Overdue referral {ref}: escalation level 3"]
    # and no further
    assert referral_escalation_scan(today=date(2026, 12, 1)).total == 0
    assert max(referral.escalations.values_list("level", flat=True)) == 3
    assert Notification.objects.filter(title__contains="escalation").count() == 3


@pytest.mark.django_db
def test_acknowledged_referrals_stop_and_completion_escalates_separately(people, council):
    referral = _sent_referral(people, council)
    referral_escalation_scan(today=date(2026, 11, 26))  # acknowledge level 1
    referral_accept(referral_id=referral.pk, by=people["team_manager"])
    assert referral_escalation_scan(today=date(2026, 11, 27)).total == 0  # acknowledged now, not yet due
    summary = referral_escalation_scan(today=date(2026, 12, 22))  # complete-by was Monday 21 December
    assert summary.escalated == {("complete", 1): 1}
    assert set(ReferralEscalation.objects.values_list("stage", "level")) == {("acknowledge", 1), ("complete", 1)}


@pytest.mark.django_db
def test_closed_and_withdrawn_referrals_are_never_escalated(people, council):
    referral = _sent_referral(people, council)
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.WITHDRAWN)
    assert referral_escalation_scan(today=date(2027, 1, 30)).total == 0


@pytest.mark.django_db
def test_scan_queries_do_not_grow_with_the_number_of_overdue_referrals(people, council, django_assert_max_num_queries):
    for _ in range(15):
        _sent_referral(people, council)
    with django_assert_max_num_queries(12):
        summary = referral_escalation_scan(today=date(2026, 11, 26))
    assert summary.total == 15


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_escalate_each_referral_once(people, council):
    referrals = [_sent_referral(people, council) for _ in range(20)]
    Notification.objects.all().delete()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def scan():
        try:
            barrier.wait(timeout=10)
            summary = referral_escalation_scan(today=date(2026, 11, 26))
            results.append(summary.total)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sum(results) == 20  # between them, each referral escalated exactly once
    assert ReferralEscalation.objects.filter(level=1).count() == len(referrals)
    assert Notification.objects.filter(title__contains="escalation level 1").count() == len(referrals)


@pytest.mark.django_db
def test_level_3_raises_an_issue_on_a_joint_board_both_organisations_sit_on(people, council):
    from boards.models import BoardOrganisation, Issue
    from tests.boards.factories import BoardFactory

    # given a Joint Board with the council and the Pension Service on it
    board = BoardFactory()
    for organisation in (council, people["pension"]):
        BoardOrganisation.objects.get_or_create(board=board, organisation=organisation)
    referral = _sent_referral(people, council)
    for day in (26, 27):
        referral_escalation_scan(today=date(2026, 11, day))
    # when level 3 is reached
    summary = referral_escalation_scan(today=date(2026, 11, 30))
    # then the board's issues log has it, at level 1, raised by the referring officer
    issue = Issue.objects.get()
    assert summary.escalated == {("acknowledge", 3): 1}
    assert (issue.board, issue.level, issue.category) == (board, 1, "processing_delay")
    assert issue.title == f"Overdue referral {referral.reference} to The Pension Service"
    assert (issue.raised_by, issue.raised_by_organisation) == (people["officer"], council)
    assert issue.history.count() == 1
    # and the sender's partnership manager is not told separately
    assert _titles(people["council_pm"]) == []


@pytest.mark.django_db
def test_scan_logs_a_summary(people, council, caplog):
    for _ in range(2):
        _sent_referral(people, council)
    with caplog.at_level(logging.INFO, logger="referrals.services.escalation"):
        referral_escalation_scan(today=date(2026, 11, 26))
        referral_escalation_scan(today=date(2026, 11, 26))
    assert [record.getMessage() for record in caplog.records] == [
        "referral escalation: 2 escalated (acknowledge level 1: 2), 2 notifications",
        "referral escalation: nothing overdue to escalate",
    ]


@pytest.mark.django_db
def test_the_daily_task_scans_as_of_today(people, council):
    _sent_referral(people, council)
    with time_machine.travel(datetime(2026, 11, 26, 7, 0, tzinfo=ZoneInfo("Europe/London")), tick=False):
        result = referral_escalation_scan_task.delay().get()
    assert result == {"escalated": 1, "notifications": 1}


def test_escalation_scan_is_on_the_beat_schedule_at_the_configured_time():
    # given ESCALATION_SCAN_HOUR/MINUTE in the environment, when settings are read in a fresh process
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "entry = settings.CELERY_BEAT_SCHEDULE['referral-escalation-scan']; "
        "print(entry['task'], sorted(entry['schedule'].hour), sorted(entry['schedule'].minute))"
    )
    env = {**os.environ, "ESCALATION_SCAN_HOUR": "5", "ESCALATION_SCAN_MINUTE": "45"}
    output = subprocess.run(  # noqa: S603 - our own interpreter running a fixed snippet
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=settings.BASE_DIR
    ).stdout
    # then the daily scan runs at that time, and the task name is one the worker knows
    assert output.split() == ["referrals.tasks.referral_escalation_scan_task", "[5]", "[45]"]
    assert "referrals.tasks.referral_escalation_scan_task" in celery_app.tasks
