"""Views for finance officers changing agreements (edit, suspend, resume, end, suspension corrections)
and keeping the register of personal assistants. Scoping is by selector (another organisation's record
is a 404); roles by `finance_required` (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.access import has_role, organisation_of
from core.forms import apply_service_errors
from partnerships.models import Role

from . import assistants, services
from .forms import (
    AgreementEndForm,
    AgreementForm,
    AgreementResumeForm,
    AgreementSuspendForm,
    PersonalAssistantForm,
    SuspensionCancelForm,
    SuspensionShortenForm,
)
from .models import Agreement, Suspension
from .selectors import agreement_list_for_user, personal_assistant_choices, personal_assistant_list_for_user
from .views import FINANCE_ROLES, finance_required, may_open_assessment


def _agreement_for(request, pk) -> Agreement:
    return get_object_or_404(agreement_list_for_user(user=request.user), pk=pk)


@login_required
@finance_required(Role.FINANCE_OFFICER)
def agreement_update_view(request, pk):
    agreement = _agreement_for(request, pk)
    choices = personal_assistant_choices(agreement=agreement, organisation=organisation_of(request.user))
    source = services.agreement_contribution_source(client=agreement.client)
    form = AgreementForm(
        request.POST or None,
        instance=agreement,
        assistants=choices,
        contribution_known=True,
        contribution_from=source,
        contribution_link=may_open_assessment(request.user, source),
    )
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name in services.AGREEMENT_EDITABLE}
        try:
            services.agreement_update(
                agreement_id=agreement.pk,
                by=request.user,
                personal_assistants=form.cleaned_data["personal_assistants"],
                contribution_by_hand=form.cleaned_data.get("contribution_by_hand", False),
                contribution_by_hand_reason=form.cleaned_data.get("contribution_by_hand_reason", ""),
                **data,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Agreement changed.")
            return redirect("directpayments:agreement-detail", pk=agreement.pk)
    return render(
        request, "directpayments/agreement_form.html", {"form": form, "agreement": agreement, "editing": True}
    )


ACTIONS = {
    # name: (form, service call, title, done message)
    "suspend": (
        AgreementSuspendForm,
        lambda agreement, by, data: services.agreement_suspend(agreement_id=agreement.pk, by=by, **data),
        "Suspend payments",
        "Payments suspended.",
    ),
    "resume": (
        AgreementResumeForm,
        lambda agreement, by, data: services.agreement_resume(agreement_id=agreement.pk, by=by, **data),
        "Resume payments",
        "Payments resumed. Days already paid for are paid as arrears by the next run.",
    ),
    "end": (
        AgreementEndForm,
        lambda agreement, by, data: services.agreement_end(agreement_id=agreement.pk, by=by, **data),
        "End the agreement",
        "Agreement ended.",
    ),
}


@login_required
@finance_required(Role.FINANCE_OFFICER)
def agreement_change_view(request, pk, action):
    """Suspend (from a date, with a reason), resume (from a date) or end (on a date) an agreement."""
    agreement = _agreement_for(request, pk)
    form_class, call, title, done = ACTIONS[action]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call(agreement, request.user, form.cleaned_data)
        except services.InvalidTransition as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(agreement)
    return render(
        request, "directpayments/agreement_change_form.html", {"form": form, "agreement": agreement, "title": title}
    )


def _suspension_for(request, pk) -> Suspension:
    return get_object_or_404(
        Suspension.objects.filter(agreement__in=agreement_list_for_user(user=request.user)).select_related(
            "agreement__client"
        ),
        pk=pk,
    )


@login_required
@finance_required(Role.FINANCE_OFFICER)
def suspension_cancel_view(request, pk):
    suspension = _suspension_for(request, pk)
    form = SuspensionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.suspension_cancel(suspension_id=suspension.pk, by=request.user, **form.cleaned_data)
        except services.InvalidTransition as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Suspension cancelled. Days of months already paid are paid by the next run.")
            return redirect(suspension.agreement)
    return render(
        request,
        "directpayments/agreement_change_form.html",
        {"form": form, "agreement": suspension.agreement, "suspension": suspension, "title": "Cancel a suspension"},
    )


@login_required
@finance_required(Role.FINANCE_OFFICER)
def suspension_shorten_view(request, pk):
    suspension = _suspension_for(request, pk)
    form = SuspensionShortenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.suspension_shorten(suspension_id=suspension.pk, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Suspension changed. Days of months already paid are paid by the next run.")
            return redirect(suspension.agreement)
    return render(
        request,
        "directpayments/agreement_change_form.html",
        {
            "form": form,
            "agreement": suspension.agreement,
            "suspension": suspension,
            "title": "Change when a suspension ends",
        },
    )


# --- personal assistants -------------------------------------------------------------------------


@login_required
@finance_required(*FINANCE_ROLES)
def personal_assistant_list_view(request):
    return render(
        request,
        "directpayments/personalassistant_list.html",
        {
            "assistants": list(
                personal_assistant_list_for_user(user=request.user).order_by("-is_active", "name")[:500]
            ),
            "today": timezone.localdate(),
            "can_edit": has_role(request.user, Role.FINANCE_OFFICER),
        },
    )


@login_required
@finance_required(Role.FINANCE_OFFICER)
def personal_assistant_create_view(request):
    form = PersonalAssistantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assistants.personal_assistant_create(
                organisation=organisation_of(request.user), by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Personal assistant added to the register.")
            return redirect("directpayments:pa-list")
    return render(request, "directpayments/personalassistant_form.html", {"form": form})


@login_required
@finance_required(Role.FINANCE_OFFICER)
def personal_assistant_update_view(request, pk):
    assistant = get_object_or_404(personal_assistant_list_for_user(user=request.user), pk=pk)
    form = PersonalAssistantForm(request.POST or None, instance=assistant)
    if request.method == "POST" and form.is_valid():
        try:
            assistants.personal_assistant_update(assistant_id=assistant.pk, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Personal assistant changed.")
            return redirect("directpayments:pa-list")
    return render(request, "directpayments/personalassistant_form.html", {"form": form, "assistant": assistant})
