"""The issues log: raised at level 1, escalated one level at a time with a reason, resolved with the originator told."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.notifications import notify
from core.working_days import add_working_days
from partnerships.models import Contact

from ..models import DEFAULT_LEVEL_TARGET_WORKING_DAYS as _DEFAULT_TARGETS
from ..models import (
    Board,
    Issue,
    IssueEscalation,
    IssueLevel,
)
from ._shared import InvalidTransition, _person_organisation, _save

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


def issue_contacts_for_resolution(*, issue: Issue):
    """Contacts who may be told an issue's outcome: active contacts of the board's organisations, and the
    contact the issue was referred to."""
    on_board = Q(is_active=True, organisation__board_memberships__board_id=issue.board_id)
    if issue.referred_to_id:
        on_board |= Q(pk=issue.referred_to_id)
    return (
        Contact.objects.filter(on_board)
        .distinct()
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


@transaction.atomic
def issue_resolve(
    *,
    issue_id: int,
    outcome: str,
    by,
    communicated_contacts=(),
    communication_notes: str = "",
    today: date | None = None,
) -> Issue:
    """Resolve an issue: record the outcome and which partner contacts it was communicated to; the
    originator is told (in the app and by e-mail)."""
    issue = Issue.objects.select_for_update().select_related("raised_by").get(pk=issue_id)
    if issue.status != Issue.Status.OPEN:
        raise InvalidTransition("This issue is already resolved.")
    if not outcome.strip():
        raise ValidationError({"outcome": "Enter the outcome"})
    contacts = list(communicated_contacts)
    allowed = set(issue_contacts_for_resolution(issue=issue).values_list("pk", flat=True))
    if any(contact.pk not in allowed for contact in contacts):
        raise ValidationError(
            {"communicated_contacts": "Choose contacts of the board's organisations or the contact it was referred to"}
        )
    issue.status = Issue.Status.RESOLVED
    issue.outcome = outcome
    issue.communication_notes = communication_notes
    issue.resolved_on = today or timezone.localdate()
    issue.resolved_by = by
    _save(issue, by=by)
    if contacts:
        issue.communicated_contacts.set(contacts)  # kept in history: one more row, naming the contacts
    told = "".join(f"\n- {contact}" for contact in contacts)
    notify(
        recipients=[issue.raised_by],
        title=f"Issue resolved: {issue.title}",
        body=f"The issue you raised on {issue.raised_on.day} {issue.raised_on:%B %Y} has been resolved "
        f"at level {issue.level} ({issue.get_level_display()}).\n\nOutcome: {outcome}"
        + (f"\n\nAlso told:{told}" if told else ""),
        url=reverse("boards:issue-detail", args=[issue.pk]),
    )
    return issue
