"""Meetings, agenda items and their papers, attendance, minutes and actions."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import save_with_history

from ..models import (
    PAPER_MAX_BYTES,
    Action,
    AgendaItem,
    Attendance,
    Board,
    BoardMember,
    Issue,
    Meeting,
)
from ..papers import papers_content_error, read_head
from .errors import InvalidTransition
from .permissions import action_status_check, board_manager_check

MEETING_FIELDS = ["date", "time", "place", "video_link"]
MEETING_TRANSITIONS = {
    Meeting.Status.PLANNED: {Meeting.Status.HELD, Meeting.Status.CANCELLED},
    Meeting.Status.CANCELLED: {Meeting.Status.PLANNED},
    Meeting.Status.HELD: set(),
}

# --- Meetings ----------------------------------------------------------------------------------


@transaction.atomic
def meeting_plan(*, board: Board, by, **fields) -> Meeting:
    """Plan a meeting of the board, with a place or a video link."""
    board_manager_check(board=board, by=by)
    return save_with_history(Meeting(board=board, status=Meeting.Status.PLANNED, **fields), by=by)


@transaction.atomic
def meeting_update(*, meeting: Meeting, by, **fields) -> Meeting:
    """Change a meeting's date, time, place or video link; a held meeting's details are the record and stay."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("board").get(pk=meeting.pk)
    board_manager_check(board=meeting.board, by=by)
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError("A held meeting cannot be changed")
    for name in MEETING_FIELDS:
        if name in fields:
            setattr(meeting, name, fields[name])
    return save_with_history(meeting, by=by)


@transaction.atomic
def meeting_status_set(*, meeting_id: int, to: str, by, today: date | None = None) -> Meeting:
    """The one place a meeting's status changes: planned → held or cancelled; cancelled → planned.
    A meeting cannot be marked held before its date."""
    today = today or timezone.localdate()
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("board").get(pk=meeting_id)
    board_manager_check(board=meeting.board, by=by)
    if to not in MEETING_TRANSITIONS.get(meeting.status, set()):
        raise InvalidTransition(f"A {meeting.get_status_display().lower()} meeting cannot become {to}.")
    if to == Meeting.Status.HELD and meeting.date > today:
        raise InvalidTransition("A meeting cannot be marked held before its date.")
    meeting.status = to
    meeting._history_user = by
    meeting.save(update_fields=["status", "updated_at"])
    return meeting


def _check_papers(papers) -> None:
    """Papers are checked for size and for content matching their type (a renamed file is refused)."""
    if not papers:
        return
    if papers.size > PAPER_MAX_BYTES:
        raise ValidationError({"papers": "The papers must be smaller than 10 MB"})
    error = papers_content_error(name=papers.name, head=read_head(papers))
    if error:
        raise ValidationError({"papers": error})


@transaction.atomic
def agenda_item_add(*, meeting: Meeting, by, title: str, presenter: str = "", papers=None, issue=None) -> AgendaItem:
    """Add an item at the end of the meeting's agenda; papers are checked for type and size."""
    board_manager_check(board=meeting.board, by=by)
    return _agenda_item_append(meeting=meeting, by=by, title=title, presenter=presenter, papers=papers, issue=issue)


def _agenda_item_append(
    *, meeting: Meeting, by, title: str, presenter: str = "", papers=None, issue=None
) -> AgendaItem:
    if issue is not None and issue.board_id != meeting.board_id:
        raise ValidationError({"issue": "The issue must be on this board's log"})
    _check_papers(papers)
    Meeting.objects.select_for_update().get(pk=meeting.pk)  # serialise positions within a meeting
    last = meeting.agenda_items.order_by("-position").values_list("position", flat=True).first() or 0
    item = AgendaItem(meeting=meeting, position=last + 1, title=title, presenter=presenter, issue=issue)
    if papers:
        item.papers = papers
    return save_with_history(item, by=by)


@transaction.atomic
def agenda_item_update(
    *, item: AgendaItem, by, title: str, presenter: str = "", papers=None, remove_papers: bool = False
) -> AgendaItem:
    """Change an agenda item's title, presenter or papers (new papers are checked like the first ones)."""
    board_manager_check(board=item.meeting.board, by=by)
    _check_papers(papers)
    item.title, item.presenter = title, presenter
    if papers:
        item.papers = papers
    elif remove_papers:
        item.papers = ""
    return save_with_history(item, by=by)


@transaction.atomic
def agenda_item_move(*, item_id: int, direction: str, by) -> AgendaItem:
    """Swap an item with the one above ("up") or below ("down") on its meeting's agenda. A held meeting's
    agenda is the record and keeps its order."""
    item = AgendaItem.objects.select_related("meeting__board").get(pk=item_id)
    board_manager_check(board=item.meeting.board, by=by)
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)  # serialise positions within a meeting
    item.refresh_from_db(fields=["position"])
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError("A held meeting's agenda cannot be reordered")
    if direction not in ("up", "down"):
        raise ValidationError("Choose up or down")
    others = meeting.agenda_items.exclude(pk=item.pk)
    neighbour = (
        others.filter(position__lt=item.position).order_by("-position")
        if direction == "up"
        else others.filter(position__gt=item.position).order_by("position")
    ).first()
    if neighbour is None:
        return item  # already first (or last): nothing to do
    mine, theirs = item.position, neighbour.position
    # Positions are unique within a meeting: park the item at 0 (never used) while the two swap.
    AgendaItem.objects.filter(pk=item.pk).update(position=0)
    neighbour.position = mine
    save_with_history(neighbour, by=by)
    item.position = theirs
    return save_with_history(item, by=by)


@transaction.atomic
def issue_add_to_agenda(*, issue: Issue, meeting: Meeting, by) -> AgendaItem:
    """Put an open issue on a planned meeting of its board's agenda (once per meeting)."""
    board_manager_check(board=issue.board, by=by)
    if issue.status != Issue.Status.OPEN:
        raise ValidationError("A resolved issue cannot be put on an agenda")
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError({"meeting": "Choose a planned meeting"})
    if meeting.agenda_items.filter(issue=issue).exists():
        raise ValidationError({"meeting": "The issue is already on that meeting's agenda"})
    return _agenda_item_append(meeting=meeting, by=by, title=f"Issue: {issue.title}", issue=issue)


@transaction.atomic
def agenda_item_minutes_record(*, item: AgendaItem, by, minutes: str, decisions: str = "") -> AgendaItem:
    """Record the minutes and decisions for one agenda item (not for a cancelled meeting)."""
    board_manager_check(board=item.meeting.board, by=by)
    if item.meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("A cancelled meeting has no minutes")
    item.minutes, item.decisions = minutes, decisions
    return save_with_history(item, by=by)


@transaction.atomic
def attendance_record(*, meeting: Meeting, person, status: str, by) -> Attendance:
    """Record (or change) whether a person was present, sent apologies or was absent."""
    board_manager_check(board=meeting.board, by=by)
    return _attendance_save(meeting=meeting, person=person, status=status, by=by)


def _attendance_save(*, meeting: Meeting, person, status: str, by) -> Attendance:
    attendance = Attendance.objects.filter(meeting=meeting, person=person).first() or Attendance(
        meeting=meeting, person=person
    )
    attendance.status = status
    return save_with_history(attendance, by=by)


@transaction.atomic
def attendance_register_record(*, meeting: Meeting, statuses, by) -> int:
    """Record the register for a meeting in one go: (person, status) for each member; others are left as
    they were. A cancelled meeting has no register."""
    board_manager_check(board=meeting.board, by=by)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("A cancelled meeting has no attendance")
    members = set(BoardMember.objects.filter(board_id=meeting.board_id).values_list("person_id", flat=True))
    recorded = 0
    for person, status in statuses:
        if person.pk not in members:
            raise ValidationError(f"{person.get_full_name() or person.username} is not a member of the board")
        _attendance_save(meeting=meeting, person=person, status=status, by=by)
        recorded += 1
    return recorded


# --- Actions -----------------------------------------------------------------------------------


@transaction.atomic
def action_add(*, item: AgendaItem, by, description: str, owner, due_on: date) -> Action:
    """Record an action against an agenda item; the owner must be a member of the board."""
    board_manager_check(board=item.meeting.board, by=by)
    if not BoardMember.objects.filter(board_id=item.meeting.board_id, person=owner).exists():
        raise ValidationError({"owner": "The owner must be a member of the board"})
    return save_with_history(Action(agenda_item=item, description=description, owner=owner, due_on=due_on), by=by)


@transaction.atomic
def action_status_set(*, action_id: int, to: str, by) -> Action:
    """Close (done or dropped) or reopen an action: its owner, or the board's secretariat and co-chairs."""
    action = (
        Action.objects.select_for_update(of=("self",)).select_related("agenda_item__meeting__board").get(pk=action_id)
    )
    action_status_check(action=action, board=action.agenda_item.meeting.board, by=by)
    if to not in Action.Status.values or to == action.status:
        raise InvalidTransition(f"An {action.get_status_display().lower()} action cannot become {to}.")
    action.status = to
    action._history_user = by
    action.save(update_fields=["status", "updated_at"])
    return action
