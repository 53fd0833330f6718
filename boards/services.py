"""Writes for Joint Boards: validated, atomic, kept in history with who made them; and the daily
reminders the Celery beat sends (each exactly once, guarded by a unique constraint)."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.access import organisation_of
from core.notifications import notify
from core.working_days import add_working_days
from partnerships.models import Organisation

from .models import DEFAULT_LEVEL_TARGET_WORKING_DAYS as _DEFAULT_TARGETS
from .models import (
    PAPER_MAX_BYTES,
    Action,
    ActionReminder,
    AgendaItem,
    Attendance,
    Board,
    BoardMember,
    BoardOrganisation,
    Issue,
    IssueEscalation,
    IssueLevel,
    IssueReminder,
    Meeting,
)

logger = logging.getLogger(__name__)

BOARD_FIELDS = ["title", "kind", "district", "scope", "terms_of_reference", "established_on", "erm_contact", "comments"]
MEETING_FIELDS = ["date", "time", "place", "video_link"]
# Days an action may be overdue before the secretariat is told as well as the owner.
ACTION_SECRETARIAT_AFTER_DAYS = 7

MEETING_TRANSITIONS = {
    Meeting.Status.PLANNED: {Meeting.Status.HELD, Meeting.Status.CANCELLED},
    Meeting.Status.CANCELLED: {Meeting.Status.PLANNED},
    Meeting.Status.HELD: set(),
}
DEFAULT_RULE_FOR_KIND = {
    Board.Kind.JCP_LA: Board.MeetingRule.TWO_IN_12_MONTHS,
    Board.Kind.MANAGEMENT: Board.MeetingRule.QUARTERLY,
    Board.Kind.FORUM: Board.MeetingRule.NONE,
}


class InvalidTransition(Exception):
    """A status change the pipeline does not allow."""


def _save(instance, *, by, exclude=None):
    instance.full_clean(exclude=exclude)
    instance._history_user = by
    instance.save()
    return instance


def _person_organisation(person) -> Organisation | None:
    return organisation_of(person)


# --- Boards ------------------------------------------------------------------------------------


def _check_co_chairs(*, co_chair_a, co_chair_b, organisations) -> None:
    org_a, org_b = _person_organisation(co_chair_a), _person_organisation(co_chair_b)
    if org_a is None or org_b is None:
        raise ValidationError({"co_chair_b": "Both co-chairs must be staff of an organisation"})
    if org_a == org_b:
        raise ValidationError({"co_chair_b": "The co-chairs must come from different lead organisations"})
    missing = {org_a, org_b} - set(organisations)
    if missing:
        raise ValidationError({"organisations": "The co-chairs' organisations must be members of the board"})


@transaction.atomic
def board_create(*, by, organisations, co_chair_a, co_chair_b, meeting_rule: str = "", **fields) -> Board:
    """Set up a board: two co-chairs from different lead organisations; the rule defaults from the kind."""
    organisations = list(dict.fromkeys(organisations))
    _check_co_chairs(co_chair_a=co_chair_a, co_chair_b=co_chair_b, organisations=organisations)
    board = Board(co_chair_a=co_chair_a, co_chair_b=co_chair_b, **fields)
    board.meeting_rule = meeting_rule or DEFAULT_RULE_FOR_KIND.get(board.kind, Board.MeetingRule.NONE)
    _save(board, by=by)
    for organisation in organisations:
        BoardOrganisation.objects.create(board=board, organisation=organisation)
    for chair in (co_chair_a, co_chair_b):
        board_member_add(board=board, person=chair, role=BoardMember.Role.CO_CHAIR, by=by)
    return board


@transaction.atomic
def board_member_add(*, board: Board, person, role: str, by) -> BoardMember:
    """Add a person to a board; their organisation joins the board if it was not already on it."""
    organisation = _person_organisation(person)
    if organisation is None:
        raise ValidationError({"person": "This person is not staff of an organisation"})
    if BoardMember.objects.filter(board=board, person=person).exists():
        raise ValidationError({"person": "This person is already a member of the board"})
    BoardOrganisation.objects.get_or_create(board=board, organisation=organisation)
    return _save(BoardMember(board=board, person=person, organisation=organisation, role=role), by=by)


# --- Meetings ----------------------------------------------------------------------------------


@transaction.atomic
def meeting_plan(*, board: Board, by, **fields) -> Meeting:
    """Plan a meeting of the board, with a place or a video link."""
    return _save(Meeting(board=board, status=Meeting.Status.PLANNED, **fields), by=by)


@transaction.atomic
def meeting_status_set(*, meeting_id: int, to: str, by, today: date | None = None) -> Meeting:
    """The one place a meeting's status changes: planned → held or cancelled; cancelled → planned.
    A meeting cannot be marked held before its date."""
    today = today or timezone.localdate()
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    if to not in MEETING_TRANSITIONS.get(meeting.status, set()):
        raise InvalidTransition(f"A {meeting.get_status_display().lower()} meeting cannot become {to}.")
    if to == Meeting.Status.HELD and meeting.date > today:
        raise InvalidTransition("A meeting cannot be marked held before its date.")
    meeting.status = to
    meeting._history_user = by
    meeting.save(update_fields=["status", "updated_at"])
    return meeting


def _check_papers(papers) -> None:
    if papers and papers.size > PAPER_MAX_BYTES:
        raise ValidationError({"papers": "The papers must be smaller than 10 MB"})


@transaction.atomic
def agenda_item_add(*, meeting: Meeting, by, title: str, presenter: str = "", papers=None, issue=None) -> AgendaItem:
    """Add an item at the end of the meeting's agenda; papers are checked for type and size."""
    if issue is not None and issue.board_id != meeting.board_id:
        raise ValidationError({"issue": "The issue must be on this board's log"})
    _check_papers(papers)
    Meeting.objects.select_for_update().get(pk=meeting.pk)  # serialise positions within a meeting
    last = meeting.agenda_items.order_by("-position").values_list("position", flat=True).first() or 0
    item = AgendaItem(meeting=meeting, position=last + 1, title=title, presenter=presenter, issue=issue)
    if papers:
        item.papers = papers
    return _save(item, by=by)


@transaction.atomic
def agenda_item_minutes_record(*, item: AgendaItem, by, minutes: str, decisions: str = "") -> AgendaItem:
    """Record the minutes and decisions for one agenda item (not for a cancelled meeting)."""
    if item.meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("A cancelled meeting has no minutes")
    item.minutes, item.decisions = minutes, decisions
    return _save(item, by=by)


@transaction.atomic
def attendance_record(*, meeting: Meeting, person, status: str, by) -> Attendance:
    """Record (or change) whether a person was present, sent apologies or was absent."""
    attendance = Attendance.objects.filter(meeting=meeting, person=person).first() or Attendance(
        meeting=meeting, person=person
    )
    attendance.status = status
    return _save(attendance, by=by)


# --- Actions -----------------------------------------------------------------------------------


@transaction.atomic
def action_add(*, item: AgendaItem, by, description: str, owner, due_on: date) -> Action:
    """Record an action against an agenda item; the owner must be a member of the board."""
    if not BoardMember.objects.filter(board_id=item.meeting.board_id, person=owner).exists():
        raise ValidationError({"owner": "The owner must be a member of the board"})
    return _save(Action(agenda_item=item, description=description, owner=owner, due_on=due_on), by=by)


@transaction.atomic
def action_status_set(*, action_id: int, to: str, by) -> Action:
    """Close (done or dropped) or reopen an action."""
    action = Action.objects.select_for_update().get(pk=action_id)
    if to not in Action.Status.values or to == action.status:
        raise InvalidTransition(f"An {action.get_status_display().lower()} action cannot become {to}.")
    action.status = to
    action._history_user = by
    action.save(update_fields=["status", "updated_at"])
    return action


# --- Issues log --------------------------------------------------------------------------------


def level_target_working_days(level: int) -> int:
    targets = getattr(settings, "BOARDS_ISSUE_LEVEL_TARGET_DAYS", None) or _DEFAULT_TARGETS
    return targets[int(level)]


def issue_target_date(issue: Issue) -> date:
    """The date the issue should be resolved by at its current level (working days from reaching it)."""
    return add_working_days(issue.level_since, level_target_working_days(issue.level))


@transaction.atomic
def issue_raise(
    *,
    board: Board,
    by,
    title: str,
    category: str,
    description: str,
    lowest_level_attempt: str,
    referred_to=None,
    today: date | None = None,
) -> Issue:
    """A partner raises an issue. Every issue starts at level 1 (the operational contact) and must say
    what was tried at the lowest operational level."""
    organisation = _person_organisation(by)
    if organisation is None:
        raise ValidationError("Only staff of an organisation can raise an issue")
    today = today or timezone.localdate()
    issue = Issue(
        board=board,
        title=title,
        category=category,
        description=description,
        lowest_level_attempt=lowest_level_attempt,
        referred_to=referred_to,
        raised_by=by,
        raised_by_organisation=organisation,
        raised_on=today,
        level=IssueLevel.OPERATIONAL,
        level_since=today,
    )
    return _save(issue, by=by)


@transaction.atomic
def issue_escalate(
    *, issue_id: int, to_level: int, reason: str, lower_level_attempt: str, by, today: date | None = None
) -> Issue:
    """Move an open issue up exactly one level, recording who, when and why; the lower level must have
    been attempted and a reason given."""
    issue = Issue.objects.select_for_update().get(pk=issue_id)
    if issue.status != Issue.Status.OPEN:
        raise InvalidTransition("A resolved issue cannot be escalated.")
    if issue.level >= IssueLevel.NATIONAL:
        raise InvalidTransition("The issue is already at the national level, the last on the route.")
    if int(to_level) != issue.level + 1:
        raise InvalidTransition(
            f"An issue at level {issue.level} can only be escalated to level {issue.level + 1}, one level at a time."
        )
    errors = {}
    if not reason.strip():
        errors["reason"] = "Enter why the issue needs escalating"
    if not lower_level_attempt.strip():
        errors["lower_level_attempt"] = "Enter what was done at the lower level to resolve it"
    if errors:
        raise ValidationError(errors)
    IssueEscalation.objects.create(
        issue=issue,
        from_level=issue.level,
        to_level=to_level,
        reason=reason,
        lower_level_attempt=lower_level_attempt,
        escalated_by=by,
    )
    issue.level = int(to_level)
    issue.level_since = today or timezone.localdate()
    return _save(issue, by=by)


@transaction.atomic
def issue_resolve(*, issue_id: int, outcome: str, communicated_to: str, by, today: date | None = None) -> Issue:
    """Resolve an issue: record the outcome and who it was communicated to; the originator is told."""
    issue = Issue.objects.select_for_update().select_related("raised_by").get(pk=issue_id)
    if issue.status != Issue.Status.OPEN:
        raise InvalidTransition("This issue is already resolved.")
    if not outcome.strip():
        raise ValidationError({"outcome": "Enter the outcome"})
    issue.status = Issue.Status.RESOLVED
    issue.outcome = outcome
    issue.communicated_to = communicated_to
    issue.resolved_on = today or timezone.localdate()
    issue.resolved_by = by
    _save(issue, by=by)
    notify(
        recipients=[issue.raised_by],
        title=f"Issue resolved: {issue.title}",
        body=f"The issue you raised on {issue.raised_on.day} {issue.raised_on:%B %Y} has been resolved "
        f"at level {issue.level} ({issue.get_level_display()}).\n\nOutcome: {outcome}",
        url=reverse("boards:issue-detail", args=[issue.pk]),
    )
    return issue


# --- Reminders (Celery beat, daily) ----------------------------------------------------------


def _claim_once(model, **fields) -> bool:
    """Insert the row that records a reminder; False if it was already there (sent before)."""
    try:
        with transaction.atomic():
            model.objects.create(**fields)
    except IntegrityError:
        return False
    return True


def _secretariat(board_id: int):
    return list(
        get_user_model().objects.filter(
            is_active=True, board_memberships__board_id=board_id, board_memberships__role=BoardMember.Role.SECRETARIAT
        )
    )


def action_reminders_send(*, today: date | None = None) -> int:
    """Remind the owner of an overdue open action, then (a week later) the secretariat; each once per
    due date. Safe to run twice or concurrently: the reminder row is claimed before anyone is told."""
    today = today or timezone.localdate()
    overdue = Action.objects.filter(status=Action.Status.OPEN, due_on__lt=today).select_related(
        "owner", "agenda_item__meeting__board"
    )
    sent = 0
    for action in overdue:
        levels = [ActionReminder.Level.OWNER]
        if action.due_on <= today - timedelta(days=ACTION_SECRETARIAT_AFTER_DAYS):
            levels.append(ActionReminder.Level.SECRETARIAT)
        board = action.agenda_item.meeting.board
        for level in levels:
            with transaction.atomic():
                if not _claim_once(ActionReminder, action=action, level=level, due_on=action.due_on):
                    continue
                recipients = [action.owner] if level == ActionReminder.Level.OWNER else _secretariat(board.pk)
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
    for issue in Issue.objects.filter(status=Issue.Status.OPEN).select_related("raised_by", "board"):
        target = issue_target_date(issue)
        if target >= today:
            continue
        with transaction.atomic():
            if not _claim_once(IssueReminder, issue=issue, level=issue.level):
                continue
            notify(
                recipients=[issue.raised_by, *_secretariat(issue.board_id)],
                title=f"Issue past its target: {issue.title}",
                body=f"{issue.board.title}: the issue is at level {issue.level} ({issue.get_level_display()}) "
                f"and was due to be resolved by {target.day} {target:%B %Y}. Resolve it or escalate it.",
                url=reverse("boards:issue-detail", args=[issue.pk]),
            )
            sent += 1
    logger.info("board issue reminders sent: %s", sent)
    return sent
