"""Views: Joint Boards. Staff of a member organisation read; the board secretariat writes."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import has_role, organisation_required, role_required
from core.forms import apply_service_errors
from partnerships.models import Role

from . import selectors, services
from .forms import (
    ActionForm,
    ActionStatusForm,
    AgendaItemForm,
    AttendanceForm,
    BoardForm,
    BoardMemberForm,
    EscalateForm,
    IssueForm,
    MeetingForm,
    MinutesForm,
    ResolveForm,
)
from .models import Board, Issue, Meeting

SECRETARY = Role.BOARD_SECRETARY


def _can_write(user) -> bool:
    return has_role(user, SECRETARY)


def _board_or_404(request, pk):
    try:
        return selectors.board_detail_for_user(user=request.user, pk=pk)
    except Board.DoesNotExist as exc:
        raise Http404("No such board") from exc


def _meeting_or_404(request, pk):
    return get_object_or_404(selectors.meeting_list_for_user(user=request.user), pk=pk)


def _item_or_404(request, pk):
    return get_object_or_404(selectors.agenda_item_list_for_user(user=request.user), pk=pk)


def _issue_or_404(request, pk):
    return get_object_or_404(selectors.issue_list_for_user(user=request.user), pk=pk)


def _form_page(request, form, *, title, caption, back):
    return render(request, "boards/form.html", {"form": form, "title": title, "caption": caption, "back": back})


# --- Boards ------------------------------------------------------------------------------------


@login_required
@organisation_required
def board_list_view(request):
    return render(
        request,
        "boards/board_list.html",
        {"boards": selectors.board_list_with_compliance(user=request.user), "can_write": _can_write(request.user)},
    )


@login_required
@organisation_required
def board_detail_view(request, pk):
    board = _board_or_404(request, pk)
    return render(
        request,
        "boards/board_detail.html",
        {
            "board": board,
            "organisations": board.organisations.order_by("name"),
            "members": board.members.select_related("person", "organisation"),
            "meetings": board.meetings.all(),
            "can_write": _can_write(request.user),
        },
    )


@login_required
@role_required(SECRETARY)
def board_create_view(request):
    form = BoardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            board = services.board_create(
                by=request.user,
                organisations=list(data["organisations"]),
                co_chair_a=data["co_chair_a"],
                co_chair_b=data["co_chair_b"],
                **{name: data[name] for name in services.BOARD_FIELDS},
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{board.title} has been set up.")
            return redirect(board)
    return _form_page(request, form, title="Set up a board", caption="Joint Boards", back=reverse("boards:board-list"))


@login_required
@role_required(SECRETARY)
def board_member_add_view(request, pk):
    board = _board_or_404(request, pk)
    form = BoardMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.board_member_add(board=board, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The member has been added.")
            return redirect(board)
    return _form_page(request, form, title="Add a member", caption=board.title, back=board.get_absolute_url())


@login_required
@organisation_required
def board_index_csv_view(request):
    """Seed 001, appendix 3: the Index of Joint Boards as CSV."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="joint-boards-index-{timezone.localdate():%Y-%m-%d}.csv"'
    writer = csv.writer(response)
    writer.writerow(selectors.INDEX_HEADER)
    writer.writerows(selectors.board_index_rows(user=request.user))
    return response


# --- Meetings ----------------------------------------------------------------------------------


@login_required
@role_required(SECRETARY)
def meeting_create_view(request, pk):
    board = _board_or_404(request, pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_plan(board=board, by=request.user, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The meeting has been planned.")
            return redirect(meeting)
    return _form_page(request, form, title="Plan a meeting", caption=board.title, back=board.get_absolute_url())


@login_required
@organisation_required
def meeting_detail_view(request, pk):
    meeting = _meeting_or_404(request, pk)
    items, attendances, review = selectors.meeting_detail(meeting=meeting)
    today = timezone.localdate()
    for item in items:
        for action in item.actions.all():
            action.overdue = action.is_overdue(today)
    return render(
        request,
        "boards/meeting_detail.html",
        {
            "meeting": meeting,
            "board": meeting.board,
            "items": items,
            "attendances": attendances,
            "review_actions": review,
            "can_write": _can_write(request.user),
            "statuses": Meeting.Status,
        },
    )


@login_required
@role_required(SECRETARY)
@require_POST
def meeting_status_view(request, pk):
    meeting = _meeting_or_404(request, pk)
    try:
        services.meeting_status_set(meeting_id=meeting.pk, to=request.POST.get("status", ""), by=request.user)
    except services.InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The meeting's status has been changed.")
    return redirect(meeting)


@login_required
@role_required(SECRETARY)
def agenda_item_create_view(request, pk):
    meeting = _meeting_or_404(request, pk)
    form = AgendaItemForm(request.POST or None, request.FILES or None, board=meeting.board)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_add(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The item has been added to the agenda.")
            return redirect(meeting)
    return _form_page(request, form, title="Add an agenda item", caption=str(meeting), back=meeting.get_absolute_url())


@login_required
@role_required(SECRETARY)
def minutes_view(request, pk):
    item = _item_or_404(request, pk)
    form = MinutesForm(request.POST or None, initial={"minutes": item.minutes, "decisions": item.decisions})
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_minutes_record(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The minutes have been saved.")
            return redirect(item.meeting)
    return _form_page(
        request, form, title=f"Minutes: {item.title}", caption=str(item.meeting), back=item.meeting.get_absolute_url()
    )


@login_required
@role_required(SECRETARY)
def attendance_view(request, pk):
    meeting = _meeting_or_404(request, pk)
    form = AttendanceForm(request.POST or None, board=meeting.board)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Attendance has been recorded.")
            return redirect(meeting)
    return _form_page(request, form, title="Record attendance", caption=str(meeting), back=meeting.get_absolute_url())


@login_required
@role_required(SECRETARY)
def action_create_view(request, pk):
    item = _item_or_404(request, pk)
    form = ActionForm(request.POST or None, board=item.meeting.board)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_add(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The action has been recorded.")
            return redirect(item.meeting)
    return _form_page(
        request,
        form,
        title=f"Add an action: {item.title}",
        caption=str(item.meeting),
        back=item.meeting.get_absolute_url(),
    )


@login_required
@role_required(SECRETARY)
@require_POST
def action_status_view(request, pk):
    action = get_object_or_404(selectors.action_list_for_user(user=request.user), pk=pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.action_status_set(action_id=action.pk, to=form.cleaned_data["status"], by=request.user)
        except services.InvalidTransition as exc:
            messages.error(request, str(exc))
    return redirect(action.agenda_item.meeting)


@login_required
@organisation_required
def my_actions_view(request):
    today = timezone.localdate()
    actions = list(selectors.my_open_actions(user=request.user))
    for action in actions:
        action.overdue = action.is_overdue(today)
    return render(request, "boards/my_actions.html", {"actions": actions})


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
    board = _board_or_404(request, pk)
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_raise(board=board, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The issue has been raised at level 1.")
            return redirect(issue)
    return _form_page(request, form, title="Raise an issue", caption=board.title, back=board.get_absolute_url())


@login_required
@organisation_required
def issue_detail_view(request, pk):
    issue = selectors.issues_with_targets(issues=[_issue_or_404(request, pk)])[0]
    can_write = _can_write(request.user) and issue.status == Issue.Status.OPEN
    return render(
        request,
        "boards/issue_detail.html",
        {
            "issue": issue,
            "escalations": issue.escalations.select_related("escalated_by"),
            "can_write": can_write,
            "can_escalate": can_write and issue.level < 5,
        },
    )


@login_required
@role_required(SECRETARY)
def issue_escalate_view(request, pk):
    issue = _issue_or_404(request, pk)
    form = EscalateForm(request.POST or None)
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
    return _form_page(
        request, form, title=f"Escalate to level {issue.level + 1}", caption=issue.title, back=issue.get_absolute_url()
    )


@login_required
@role_required(SECRETARY)
def issue_resolve_view(request, pk):
    issue = _issue_or_404(request, pk)
    form = ResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_resolve(
                issue_id=issue.pk,
                outcome=form.cleaned_data["outcome"],
                communicated_to=form.cleaned_data["communicated_to"],
                by=request.user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except services.InvalidTransition as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The issue has been resolved and the originator told.")
            return redirect(issue)
    return _form_page(request, form, title="Resolve the issue", caption=issue.title, back=issue.get_absolute_url())
