"""Pages for the register of personal assistants that agreements employ or hire."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.access import has_role, organisation_of
from core.forms import apply_service_errors
from partnerships.models import Role

from .. import services
from ..forms import PersonalAssistantForm
from ..selectors import personal_assistant_list_for_user
from .access import FINANCE_ROLES, finance_required


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
            services.personal_assistant_create(
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
            services.personal_assistant_update(assistant_id=assistant.pk, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Personal assistant changed.")
            return redirect("directpayments:pa-list")
    return render(request, "directpayments/personalassistant_form.html", {"form": form, "assistant": assistant})
