"""The issues log: raised at level 1, escalated one level at a time with a reason, resolved with the originator told."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.access import organisation_of
from core.audit import save_with_history
from core.notifications import notify

from ..models import (
    Board,
    Issue,
    IssueEscalation,
    IssueLevel,
)
from ..selectors import issue_contacts_for_resolution
from .errors import InvalidTransition
from .permissions import board_manager_check, issue_raise_check

# --- Issues log --------------------------------------------------------------------------------


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
    what was tried at the lowest operational level. Only staff of the board's organisations may raise one."""
    organisation = organisation_of(by)
    if organisation is None:
        raise ValidationError("Only staff of an organisation can raise an issue")
    issue_raise_check(board=board, by=by)
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
    return save_with_history(issue, by=by)


@transaction.atomic
def issue_escalate(
    *, issue_id: int, to_level: int, reason: str, lower_level_attempt: str, by, today: date | None = None
) -> Issue:
    """Move an open issue up exactly one level, recording who, when and why; the lower level must have
    been attempted and a reason given."""
    issue = Issue.objects.select_for_update(of=("self",)).select_related("board").get(pk=issue_id)
    board_manager_check(board=issue.board, by=by)
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
    return save_with_history(issue, by=by)


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
    issue = Issue.objects.select_for_update(of=("self",)).select_related("raised_by", "board").get(pk=issue_id)
    board_manager_check(board=issue.board, by=by)
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
    save_with_history(issue, by=by)
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
