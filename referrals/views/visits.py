"""Views: visits (book, see, change, record, my visits)."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.access import has_role, organisation_of, organisation_required, role_required
from core.forms import apply_service_errors
from partnerships.models import CASEWORK_ROLES

from ..forms import MyVisitsFilterForm, VisitForm, VisitRecordForm
from ..selectors import (
    client_list_for_user,
    visit_list_for_officer_week,
    visit_list_not_recorded_for_officer,
    visit_list_with_people_for_user,
    visit_rows,
)
from ..services import visit_book, visit_record, visit_update, visit_user_may_change


def _visit_or_404(request, pk):
    return get_object_or_404(visit_list_with_people_for_user(user=request.user), pk=pk)


def _changeable_visit_or_404(request, pk):
    """404 if the user cannot see the visit at all; 403 if they can see but not change it."""
    visit = _visit_or_404(request, pk)
    if not visit_user_may_change(visit=visit, user=request.user):
        raise PermissionDenied("Only the officers on the visit or the organisation that booked it can change it.")
    return visit


def _organisations_of(officers) -> list:
    seen = {}
    for officer in officers:
        membership = getattr(officer, "membership", None)
        if membership is not None:
            seen.setdefault(membership.organisation_id, membership.organisation)
    return list(seen.values())


def _service_arguments(form) -> dict:
    data = form.cleaned_data
    return {
        "starts_at": data["starts_at"],
        "kind": data["kind"],
        "place": data["place"],
        "officers": list(data["officers"]),
        "purposes": data["purposes"],
        "referrals": list(data.get("referrals") or []),
        "notes": data["notes"],
    }


@login_required
@role_required(*CASEWORK_ROLES)
def visit_create_view(request, pk):
    client = get_object_or_404(client_list_for_user(user=request.user), pk=pk)
    form = VisitForm(request.POST or None, client=client, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            visit = visit_book(client=client, by=request.user, **_service_arguments(form))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{visit.get_kind_display()} booked.")
            return redirect(visit)
    return render(request, "referrals/visit_form.html", {"form": form, "client": client, "visit": None})


@login_required
@organisation_required
def visit_detail_view(request, pk):
    visit = _visit_or_404(request, pk)
    officers = list(visit.officers.all())
    organisations = _organisations_of(officers)
    return render(
        request,
        "referrals/visit_detail.html",
        {
            "visit": visit,
            "client": visit.client,
            "officers": officers,
            "is_joint": len(organisations) > 1,
            "purpose_labels": [label for code, label in visit.Purpose.choices if code in visit.purposes],
            "referrals": list(visit.referrals.all()),
            "can_change": visit.status == visit.Status.PLANNED
            and visit_user_may_change(visit=visit, user=request.user),
            # The financial assessment information collected on a visit starts the council's assessment.
            "can_assess": has_role(request.user, *CASEWORK_ROLES)
            and organisation_of(request.user).kind in ("council", "district_council")
            and visit.client.organisation_id == organisation_of(request.user).pk,
        },
    )


@login_required
@organisation_required
def visit_edit_view(request, pk):
    visit = _changeable_visit_or_404(request, pk)
    if visit.status != visit.Status.PLANNED:
        messages.info(request, "This visit has been recorded, so it can no longer be changed.")
        return redirect(visit)
    form = VisitForm(request.POST or None, client=visit.client, user=request.user, visit=visit)
    if request.method == "POST" and form.is_valid():
        try:
            visit = visit_update(visit_id=visit.pk, by=request.user, **_service_arguments(form))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The visit has been changed.")
            return redirect(visit)
    return render(request, "referrals/visit_form.html", {"form": form, "client": visit.client, "visit": visit})


@login_required
@organisation_required
def visit_record_view(request, pk):
    visit = _changeable_visit_or_404(request, pk)
    if visit.status != visit.Status.PLANNED:
        messages.info(request, f"This visit has already been recorded as {visit.get_status_display().lower()}.")
        return redirect(visit)
    form = VisitRecordForm(request.POST or None, visit=visit)
    if request.method == "POST" and form.is_valid():
        try:
            visit = visit_record(
                visit_id=visit.pk, by=request.user, notes=form.cleaned_data["notes"], status=form.cleaned_data["status"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"The visit has been recorded as {visit.get_status_display().lower()}.")
            return redirect(visit)
    return render(request, "referrals/visit_record_form.html", {"form": form, "visit": visit, "client": visit.client})


def _week_start(text: str | None, today: date) -> date:
    try:
        day = date.fromisoformat(text) if text else today
    except ValueError:
        day = today
    return day - timedelta(days=day.weekday())


@login_required
@organisation_required
def visit_mine_view(request):
    """The signed-in officer's visits today and in a week (Monday to Sunday), or (show=not_recorded) their
    visits from before today still to be recorded; in a fixed number of queries."""
    today = timezone.localdate()
    filter_form = MyVisitsFilterForm(request.GET)
    if filter_form.is_valid() and filter_form.cleaned_data["show"] == MyVisitsFilterForm.NOT_RECORDED:
        visits = visit_list_not_recorded_for_officer(user=request.user, today=today)
        return render(
            request,
            "referrals/visit_mine_not_recorded.html",
            {"today": today, "rows": visit_rows(visits, request.user)},
        )
    monday = _week_start(request.GET.get("week"), today)
    visits = visit_list_for_officer_week(user=request.user, monday=monday)
    is_this_week = monday <= today < monday + timedelta(days=7)
    todays = [visit for visit in visits if timezone.localtime(visit.starts_at).date() == today]
    return render(
        request,
        "referrals/visit_mine.html",
        {
            "today": today,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "is_this_week": is_this_week,
            "today_rows": visit_rows(todays, request.user) if is_this_week else [],
            "week_rows": visit_rows(visits, request.user),
            "previous_week": monday - timedelta(days=7),
            "next_week": monday + timedelta(days=7),
        },
    )
