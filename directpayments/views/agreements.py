"""Pages for direct payment agreements: the list, setting one up, an agreement with everything about it,
activating it, changing its terms, suspending, resuming or ending it, correcting a suspension, and a
one-off payment. Scoping is by selector (another organisation's record is a 404); roles by
`finance_required` (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import has_role, organisation_of
from core.forms import apply_service_errors
from partnerships.models import MANAGER_ROLES, Role
from referrals.selectors import client_list_held_by_user

from .. import services
from ..forms import (
    AdjustmentForm,
    AgreementEndForm,
    AgreementForm,
    AgreementResumeForm,
    AgreementSuspendForm,
    SuspensionCancelForm,
    SuspensionShortenForm,
    contribution_source_html,
)
from ..models import Adjustment, Agreement
from ..selectors import (
    adjustment_list,
    agreement_history,
    agreement_list_for_user,
    card_balance_list,
    personal_assistant_choices,
    quarterly_return_list,
    suspension_list_for_user,
)
from .access import FINANCE_ROLES, finance_required, may_open_assessment


@login_required
@finance_required(*FINANCE_ROLES)
def agreement_list_view(request):
    agreements = agreement_list_for_user(user=request.user).order_by("client__last_name", "pk")[:500]
    return render(
        request,
        "directpayments/agreement_list.html",
        {"agreements": agreements, "can_create": has_role(request.user, Role.FINANCE_OFFICER)},
    )


@login_required
@finance_required(Role.FINANCE_OFFICER)
def agreement_create_view(request):
    """Set up an agreement; opened from the client's page (`?client=<pk>`) the client is fixed and the
    page shows where the contribution comes from (their financial assessment, or by hand if none)."""
    clients = client_list_held_by_user(user=request.user)
    client = source = None
    if request.GET.get("client"):
        client = get_object_or_404(clients, pk=request.GET["client"] if request.GET["client"].isdigit() else 0)
        clients = clients.filter(pk=client.pk)
        source = services.agreement_contribution_source(client=client)
    form = AgreementForm(
        request.POST or None,
        initial={"client": client} if client else None,
        clients=clients,
        assistants=personal_assistant_choices(agreement=None, organisation=organisation_of(request.user)),
        contribution_known=client is not None,
        contribution_from=source,
        contribution_link=may_open_assessment(request.user, source),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        client = data.pop("client")
        data["contribution_by_hand"] = data.pop("contribution_by_hand", False)
        try:
            agreement = services.agreement_create(client=client, by=request.user, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Agreement set up. Activate it when it is ready to be paid.")
            return redirect(agreement)
    return render(request, "directpayments/agreement_form.html", {"form": form, "client": client})


@login_required
@finance_required(*FINANCE_ROLES)
def agreement_detail_view(request, pk):
    agreement = get_object_or_404(
        agreement_list_for_user(user=request.user).select_related("contribution_assessment"), pk=pk
    )
    is_card = agreement.account_type == agreement.AccountType.PREPAID_CARD
    is_bank = agreement.account_type == agreement.AccountType.BANK_ACCOUNT
    return render(
        request,
        "directpayments/agreement_detail.html",
        {
            "agreement": agreement,
            "net_weekly": services.agreement_net_weekly(agreement),
            "contribution_source": contribution_source_html(
                agreement.contribution_assessment,
                link=may_open_assessment(request.user, agreement.contribution_assessment),
            ),
            "suspensions": list(agreement.suspensions.all()),
            "lines": list(agreement.payment_lines.select_related("run").order_by("-period", "pk")[:24]),
            "adjustments": list(adjustment_list(agreement=agreement)[:24]),
            "reviews": list(agreement.reviews.order_by("-due_on", "-pk")[:12]),
            "balances": list(card_balance_list(agreement=agreement)[:6]) if is_card else [],
            "quarterly_returns": list(quarterly_return_list(agreement=agreement)[:8]) if is_bank else [],
            "surplus_notices": list(agreement.surplus_notices.select_related("adjustment__run")[:12]),
            "is_officer": has_role(request.user, Role.FINANCE_OFFICER),
            "today": timezone.localdate(),
            "can_activate": agreement.status == agreement.Status.SETUP and has_role(request.user, Role.FINANCE_OFFICER),
            # dpa: personal assistants, what may be changed, and the change history (managers and approvers)
            "assistants": list(agreement.personal_assistants.order_by("name")),
            "changes": _agreement_changes(agreement, request.user),
            "history": (
                agreement_history(agreement=agreement)
                if has_role(request.user, Role.FINANCE_APPROVER, *MANAGER_ROLES)
                else None
            ),
        },
    )


def _agreement_changes(agreement, user) -> list[tuple[str, str]]:
    """(URL name, label) of the changes a finance officer may make to the agreement as it stands."""
    if not has_role(user, Role.FINANCE_OFFICER):
        return []
    status = agreement.status
    return [
        (name, label)
        for name, label, allowed in (
            ("directpayments:agreement-update", "Change the agreement", True),
            ("directpayments:agreement-suspend", "Suspend payments", status == agreement.Status.ACTIVE),
            ("directpayments:agreement-resume", "Resume payments", status == agreement.Status.SUSPENDED),
            ("directpayments:agreement-end", "End the agreement", status != agreement.Status.ENDED),
        )
        if allowed
    ]


@login_required
@require_POST
@finance_required(Role.FINANCE_OFFICER)
def agreement_activate_view(request, pk):
    agreement = get_object_or_404(agreement_list_for_user(user=request.user), pk=pk)
    try:
        services.agreement_activate(agreement_id=agreement.pk, by=request.user)
    except (services.InvalidTransition, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, "Agreement activated: it will be paid from its start date.")
    return redirect(agreement)


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


def _suspension_for(request, pk):
    return get_object_or_404(suspension_list_for_user(user=request.user), pk=pk)


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


@login_required
@finance_required(Role.FINANCE_OFFICER)
def adjustment_create_view(request, pk):
    agreement = get_object_or_404(agreement_list_for_user(user=request.user), pk=pk)
    form = AdjustmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.adjustment_create(
                agreement=agreement, by=request.user, kind=Adjustment.Kind.ONE_OFF, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "One-off payment added: the next draft run for its month will include it.")
            return redirect(agreement)
    return render(request, "directpayments/adjustment_form.html", {"form": form, "agreement": agreement})
