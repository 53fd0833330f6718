"""The daily reminders the Celery beat sends, each exactly once (guarded by a unique constraint)."""

import logging
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.claims import claim_once
from core.notifications import notify

from ..issue_targets import issue_target_date
from ..models import (
    Action,
    ActionReminder,
    Issue,
    IssueReminder,
)
from ..selectors import board_secretariat

# Days an action may be overdue before the secretariat is told as well as the owner.
ACTION_SECRETARIAT_AFTER_DAYS = 7

logger = logging.getLogger(__name__)

# --- Reminders (Celery beat, daily) ----------------------------------------------------------


def action_reminders_send(*, today: date | None = None) -> int:
    """Remind the owner of an overdue open action, then (a week later) the secretariat; each once per
    due date. Safe to run twice or concurrently: the reminder row is claimed before anyone is told."""
    today = today or timezone.localdate()
    overdue = Action.objects.filter(status=Action.Status.OPEN, due_on__lt=today).select_related(
        "owner", "agenda_item__meeting__board__co_chair_a", "agenda_item__meeting__board__co_chair_b"
    )
    sent = 0
    for action in overdue:
        levels = [ActionReminder.Level.OWNER]
        if action.due_on <= today - timedelta(days=ACTION_SECRETARIAT_AFTER_DAYS):
            levels.append(ActionReminder.Level.SECRETARIAT)
        board = action.agenda_item.meeting.board
        for level in levels:
            with transaction.atomic():
                if not claim_once(ActionReminder, action=action, level=level, due_on=action.due_on):
                    continue
                recipients = [action.owner] if level == ActionReminder.Level.OWNER else board_secretariat(board=board)
                notify(
                    recipients=recipients,
                    title=f"Board action overdue: {action}",
                    body=f"{board.title}: this action was due on {action.due_on.day} {action.due_on:%B %Y}. "
                    "Update it in JointCase when it is done.",
                    url=reverse("boards:meeting-detail", args=[action.agenda_item.meeting_id]),
                )
                sent += 1
    logger.info("board action reminders sent: %s", sent)
    return sent


def issue_reminders_send(*, today: date | None = None) -> int:
    """Remind the secretariat and the originator of an open issue past its level's target; once per level."""
    today = today or timezone.localdate()
    sent = 0
    for issue in Issue.objects.filter(status=Issue.Status.OPEN).select_related(
        "raised_by", "board__co_chair_a", "board__co_chair_b"
    ):
        target = issue_target_date(issue)
        if target >= today:
            continue
        with transaction.atomic():
            if not claim_once(IssueReminder, issue=issue, level=issue.level):
                continue
            notify(
                recipients=[issue.raised_by, *board_secretariat(board=issue.board)],
                title=f"Issue past its target: {issue.title}",
                body=f"{issue.board.title}: the issue is at level {issue.level} ({issue.get_level_display()}) "
                f"and was due to be resolved by {target.day} {target:%B %Y}. Resolve it or escalate it.",
                url=reverse("boards:issue-detail", args=[issue.pk]),
            )
            sent += 1
    logger.info("board issue reminders sent: %s", sent)
    return sent
