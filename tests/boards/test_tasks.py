from datetime import date

import pytest

from boards import services
from boards.models import ActionReminder, IssueReminder
from boards.tasks import board_action_reminders_send_task, board_issue_reminders_send_task
from core.models import Notification
from tests.boards.factories import ActionFactory, AgendaItemFactory, IssueFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(board, secretary):
    # `secretary` is the board's secretariat (tests/boards/conftest.py)
    item = AgendaItemFactory(meeting=MeetingFactory(board=board), position=1)
    return ActionFactory(agenda_item=item, owner=board.co_chair_a, due_on=date(2026, 4, 1))


def test_overdue_action_reminds_the_owner_once_then_the_secretariat_once(action, secretary):
    # not overdue on the due date
    assert services.action_reminders_send(today=date(2026, 4, 1)) == 0
    # the day after: the owner, once
    assert services.action_reminders_send(today=date(2026, 4, 2)) == 1
    assert services.action_reminders_send(today=date(2026, 4, 3)) == 0
    assert Notification.objects.filter(recipient=action.owner).count() == 1
    # a week overdue: the secretariat, once
    assert services.action_reminders_send(today=date(2026, 4, 8)) == 1
    assert services.action_reminders_send(today=date(2026, 4, 9)) == 0
    assert Notification.objects.filter(recipient=secretary).count() == 1
    assert set(ActionReminder.objects.values_list("level", flat=True)) == {"owner", "secretariat"}


def test_a_new_due_date_earns_a_new_reminder(action):
    services.action_reminders_send(today=date(2026, 4, 2))
    action.due_on = date(2026, 4, 20)
    action.save()
    assert services.action_reminders_send(today=date(2026, 4, 21)) == 1


def test_done_actions_are_not_reminded(action, secretary):
    services.action_status_set(action_id=action.pk, to="done", by=secretary)
    assert services.action_reminders_send(today=date(2026, 5, 1)) == 0


def test_issue_past_its_target_is_reminded_once_per_level(board, secretary):
    # level 1 since Monday 2 March 2026: 5 working days, target Monday 9 March
    issue = IssueFactory(board=board, level_since=date(2026, 3, 2))
    assert services.issue_reminders_send(today=date(2026, 3, 9)) == 0
    assert services.issue_reminders_send(today=date(2026, 3, 10)) == 1
    assert services.issue_reminders_send(today=date(2026, 3, 11)) == 0
    assert Notification.objects.filter(recipient=issue.raised_by).count() == 1
    # escalated to level 2 on 11 March: 10 working days, target 25 March
    services.issue_escalate(
        issue_id=issue.pk, to_level=2, reason="r", lower_level_attempt="t", by=secretary, today=date(2026, 3, 11)
    )
    assert services.issue_reminders_send(today=date(2026, 3, 25)) == 0
    assert services.issue_reminders_send(today=date(2026, 3, 26)) == 1
    assert list(IssueReminder.objects.order_by("level").values_list("level", flat=True)) == [1, 2]


def test_tasks_call_the_services(action, board, time_machine):
    time_machine.move_to("2026-04-10 09:00:00+01:00")
    IssueFactory(board=board, level_since=date(2026, 3, 2))
    assert board_action_reminders_send_task() == 2
    assert board_issue_reminders_send_task() == 1
    assert board_action_reminders_send_task() == 0
    assert board_issue_reminders_send_task() == 0
