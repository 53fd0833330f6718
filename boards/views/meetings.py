"""Views: meetings, agenda items and their papers, attendance, minutes, actions, and the printed papers."""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.access import organisation_required
from core.forms import apply_service_errors

from .. import forms, meeting_pdfs, selectors, services
from ..models import Meeting
from .access import board_or_404, can_manage, item_or_404, meeting_or_404, require_manager
from .pages import form_page

# --- Meetings ----------------------------------------------------------------------------------


@login_required
@organisation_required
def meeting_create_view(request, pk):
    board = board_or_404(request, pk)
    require_manager(request, board)
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_plan(board=board, by=request.user, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The meeting has been planned.")
            return redirect(meeting)
    return form_page(request, form, title="Plan a meeting", caption=board.title, back=board.get_absolute_url())


@login_required
@organisation_required
def meeting_edit_view(request, pk):
    meeting = meeting_or_404(request, pk)
    require_manager(request, meeting.board)
    initial = {name: getattr(meeting, name) for name in services.MEETING_FIELDS}
    form = forms.MeetingForm(request.POST or None, initial=initial, submit="Save changes")
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The meeting has been updated.")
            return redirect(meeting)
    return form_page(request, form, title="Change the meeting", caption=str(meeting), back=meeting.get_absolute_url())


def _meeting_papers_context(request, pk):
    meeting = meeting_or_404(request, pk)
    items, attendances, review = selectors.meeting_detail(meeting=meeting)
    return {
        "meeting": meeting,
        "board": meeting.board,
        "items": items,
        "attendances": attendances,
        "review_actions": review,
        "present": [a for a in attendances if a.status == "present"],
        "apologies": [a for a in attendances if a.status == "apologies"],
    }


@login_required
@organisation_required
def meeting_agenda_print_view(request, pk):
    return render(request, "boards/meeting_agenda_print.html", _meeting_papers_context(request, pk))


@login_required
@organisation_required
def meeting_minutes_print_view(request, pk):
    return render(request, "boards/meeting_minutes_print.html", _meeting_papers_context(request, pk))


def _pdf_response(content: bytes, *, meeting, what: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="board-{meeting.board_id}-{what}-{meeting.date:%Y-%m-%d}.pdf"'
    )
    return response


@login_required
@organisation_required
def meeting_agenda_pdf_view(request, pk):
    context = _meeting_papers_context(request, pk)
    content = meeting_pdfs.agenda_pdf(
        meeting=context["meeting"], items=context["items"], review=context["review_actions"]
    )
    return _pdf_response(content, meeting=context["meeting"], what="agenda")


@login_required
@organisation_required
def meeting_minutes_pdf_view(request, pk):
    context = _meeting_papers_context(request, pk)
    content = meeting_pdfs.minutes_pdf(
        meeting=context["meeting"], items=context["items"], attendances=context["attendances"]
    )
    return _pdf_response(content, meeting=context["meeting"], what="minutes")


@login_required
@organisation_required
def meeting_detail_view(request, pk):
    meeting = meeting_or_404(request, pk)
    items, attendances, review = selectors.meeting_detail(meeting=meeting)
    return render(
        request,
        "boards/meeting_detail.html",
        {
            "meeting": meeting,
            "board": meeting.board,
            "items": items,
            "attendances": attendances,
            "review_actions": review,
            "can_write": can_manage(request, meeting.board),
            "statuses": Meeting.Status,
        },
    )


@login_required
@organisation_required
@require_POST
def meeting_status_view(request, pk):
    meeting = meeting_or_404(request, pk)
    require_manager(request, meeting.board)
    try:
        services.meeting_status_set(meeting_id=meeting.pk, to=request.POST.get("status", ""), by=request.user)
    except services.InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The meeting's status has been changed.")
    return redirect(meeting)


@login_required
@organisation_required
def agenda_item_create_view(request, pk):
    meeting = meeting_or_404(request, pk)
    require_manager(request, meeting.board)
    form = forms.AgendaItemForm(request.POST or None, request.FILES or None, board=meeting.board)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_add(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The item has been added to the agenda.")
            return redirect(meeting)
    return form_page(request, form, title="Add an agenda item", caption=str(meeting), back=meeting.get_absolute_url())


@login_required
@organisation_required
def agenda_item_edit_view(request, pk):
    item = item_or_404(request, pk)
    require_manager(request, item.meeting.board)
    form = forms.AgendaItemEditForm(
        request.POST or None, request.FILES or None, initial={"title": item.title, "presenter": item.presenter}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_update(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The agenda item has been updated.")
            return redirect(item.meeting)
    return form_page(
        request,
        form,
        title=f"Change item {item.position}",
        caption=str(item.meeting),
        back=item.meeting.get_absolute_url(),
    )


@login_required
@organisation_required
@require_POST
def agenda_item_move_view(request, pk):
    item = item_or_404(request, pk)
    require_manager(request, item.meeting.board)
    try:
        services.agenda_item_move(item_id=item.pk, direction=request.POST.get("direction", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(item.meeting)


@login_required
@organisation_required
def agenda_item_papers_view(request, pk):
    """Stream an item's papers as a download, only to users who may see the board (else 404)."""
    item = item_or_404(request, pk)
    if not item.papers:
        raise Http404("This item has no papers")
    try:
        handle = item.papers.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The papers file is missing") from exc
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(item.papers.name))


@login_required
@organisation_required
def minutes_view(request, pk):
    item = item_or_404(request, pk)
    require_manager(request, item.meeting.board)
    form = forms.MinutesForm(request.POST or None, initial={"minutes": item.minutes, "decisions": item.decisions})
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_minutes_record(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The minutes have been saved.")
            return redirect(item.meeting)
    return form_page(
        request, form, title=f"Minutes: {item.title}", caption=str(item.meeting), back=item.meeting.get_absolute_url()
    )


@login_required
@organisation_required
def attendance_view(request, pk):
    """The register: every member of the board with present, apologies or absent."""
    meeting = meeting_or_404(request, pk)
    require_manager(request, meeting.board)
    form = forms.AttendanceRegisterForm(
        request.POST or None,
        members=meeting.board.members.select_related("person", "organisation"),
        recorded=dict(meeting.attendances.values_list("person_id", "status")),
    )
    if request.method == "POST" and form.is_valid():
        try:
            count = services.attendance_register_record(meeting=meeting, statuses=form.statuses(), by=request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Attendance has been recorded for {count} people.")
            return redirect(meeting)
    return form_page(request, form, title="Record attendance", caption=str(meeting), back=meeting.get_absolute_url())


@login_required
@organisation_required
def action_create_view(request, pk):
    item = item_or_404(request, pk)
    require_manager(request, item.meeting.board)
    form = forms.ActionForm(request.POST or None, board=item.meeting.board)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_add(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The action has been recorded.")
            return redirect(item.meeting)
    return form_page(
        request,
        form,
        title=f"Add an action: {item.title}",
        caption=str(item.meeting),
        back=item.meeting.get_absolute_url(),
    )


@login_required
@organisation_required
@require_POST
def action_status_view(request, pk):
    action = get_object_or_404(selectors.action_list_for_user(user=request.user), pk=pk)
    if action.owner_id != request.user.pk:  # the owner may close their own action
        require_manager(request, action.agenda_item.meeting.board)
    form = forms.ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.action_status_set(action_id=action.pk, to=form.cleaned_data["status"], by=request.user)
        except services.InvalidTransition as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "The action has been updated.")
    if request.POST.get("back") == "my-actions":
        return redirect("boards:my-actions")
    return redirect(action.agenda_item.meeting)


@login_required
@organisation_required
def my_actions_view(request):
    return render(request, "boards/my_actions.html", {"actions": selectors.my_open_actions(user=request.user)})
