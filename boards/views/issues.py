"""Views: the issues log (raise, escalate one level at a time, resolve, put on an agenda)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.access import organisation_required
from core.forms import apply_service_errors

from .. import forms, selectors, services
from ..models import Issue
from .access import board_or_404, can_manage, issue_or_404, require_manager
from .pages import form_page

# --- Issues log --------------------------------------------------------------------------------


@login_required
@organisation_required
def issue_list_view(request):
    issues = selectors.issues_with_targets(issues=selectors.issue_list_for_user(user=request.user))
    return render(request, "boards/issue_list.html", {"issues": issues})


@login_required
@organisation_required
def issue_create_view(request, pk):
    """Any member of staff of a board's organisation may raise an issue (a partner raises it)."""
    board = board_or_404(request, pk)
    form = forms.IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_raise(board=board, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The issue has been raised at level 1.")
            return redirect(issue)
    return form_page(request, form, title="Raise an issue", caption=board.title, back=board.get_absolute_url())


@login_required
@organisation_required
def issue_detail_view(request, pk):
    issue = selectors.issues_with_targets(issues=[issue_or_404(request, pk)])[0]
    can_write = can_manage(request, issue.board) and issue.status == Issue.Status.OPEN
    planned = selectors.planned_meetings_for_issue(issue=issue) if can_write else None
    agenda_form = forms.IssueAgendaForm(meetings=planned) if planned is not None and planned.exists() else None
    return render(
        request,
        "boards/issue_detail.html",
        {
            "issue": issue,
            "escalations": issue.escalations.select_related("escalated_by"),
            "communicated_contacts": issue.communicated_contacts.select_related("organisation").order_by("name"),
            "discussed_at": selectors.issue_meetings(issue=issue),
            "agenda_form": agenda_form,
            "can_write": can_write,
            "can_escalate": can_write and issue.level < 5,
        },
    )


@login_required
@organisation_required
@require_POST
def issue_add_to_agenda_view(request, pk):
    issue = issue_or_404(request, pk)
    require_manager(request, issue.board)
    form = forms.IssueAgendaForm(request.POST, meetings=selectors.planned_meetings_for_issue(issue=issue))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("meeting", ["Select a planned meeting"])))
        return redirect(issue)
    meeting = form.cleaned_data["meeting"]
    try:
        services.issue_add_to_agenda(issue=issue, meeting=meeting, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(issue)
    messages.success(
        request, f"The issue has been put on the agenda of the meeting on {meeting.date.day} {meeting.date:%B %Y}."
    )
    return redirect(meeting)


@login_required
@organisation_required
def issue_escalate_view(request, pk):
    issue = issue_or_404(request, pk)
    require_manager(request, issue.board)
    form = forms.EscalateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_escalate(
                issue_id=issue.pk,
                to_level=issue.level + 1,
                reason=form.cleaned_data["reason"],
                lower_level_attempt=form.cleaned_data["lower_level_attempt"],
                by=request.user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except services.InvalidTransition as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The issue has been escalated to level {issue.level + 1}.")
            return redirect(issue)
    return form_page(
        request, form, title=f"Escalate to level {issue.level + 1}", caption=issue.title, back=issue.get_absolute_url()
    )


@login_required
@organisation_required
def issue_resolve_view(request, pk):
    issue = issue_or_404(request, pk)
    require_manager(request, issue.board)
    form = forms.ResolveForm(
        request.POST or None,
        contacts=selectors.issue_contacts_for_resolution(issue=issue),
        originator=issue.raised_by.get_full_name() or issue.raised_by.username,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_resolve(
                issue_id=issue.pk,
                outcome=form.cleaned_data["outcome"],
                communicated_contacts=form.cleaned_data["communicated_contacts"],
                communication_notes=form.cleaned_data["communication_notes"],
                by=request.user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except services.InvalidTransition as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The issue has been resolved and the originator told.")
            return redirect(issue)
    return form_page(request, form, title="Resolve the issue", caption=issue.title, back=issue.get_absolute_url())
