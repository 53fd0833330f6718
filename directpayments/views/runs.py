"""Views for finance staff: agreements, payment runs, their actions and export files."""

from datetime import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments.selectors import can_see_assessments
from core.access import has_role, organisation_of, role_required
from core.forms import apply_service_errors
from partnerships.models import MANAGER_ROLES, Organisation, Role
from referrals.selectors import client_list_held_by_user

from . import runs, services
from .exports import accounts_payable_csv, bacs_file
from .forms import AdjustmentForm, AgreementForm, BalanceImportForm, ReviewCompleteForm, contribution_source_html
from .models import Adjustment, PaymentRun, Review
from .monitoring import card_balances_import, review_complete
from .selectors import (
    adjustment_list,
    agreement_history,
    agreement_list_for_user,
    card_balance_list,
    card_surplus_list_for_user,
    finance_home_for_user,
    payment_run_exceptions,
    payment_run_export_lines,
    payment_run_lines,
    payment_run_list_for_user,
    payment_run_totals,
    personal_assistant_choices,
    quarterly_return_list,
    review_overdue_list_for_user,
)

FINANCE_ROLES = (Role.FINANCE_OFFICER, Role.FINANCE_APPROVER)
EXPORTABLE = (PaymentRun.Status.EXPORTED, PaymentRun.Status.PAID)


def finance_required(*roles: str):
    """403 unless the user holds one of `roles` in a council: direct payments are the council's
    (adult social care) business, so a finance role in a partner organisation sees nothing here."""

    def decorator(view):
        guarded = role_required(*roles)(view)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            organisation = organisation_of(request.user)
            if organisation is not None and organisation.kind != Organisation.Kind.COUNCIL:
                raise PermissionDenied("Direct payments are for council finance staff.")
            return guarded(request, *args, **kwargs)

        return wrapped

    return decorator


@login_required
@finance_required(*FINANCE_ROLES)
def agreement_list_view(request):
    agreements = agreement_list_for_user(user=request.user).order_by("client__last_name", "pk")[:500]
    return render(
        request,
        "directpayments/agreement_list.html",
        {"agreements": agreements, "can_create": has_role(request.user, Role.FINANCE_OFFICER)},
    )


def may_open_assessment(user, assessment) -> bool:
    """Link to a financial assessment only for those who may see it (the council's casework staff)."""
    organisation = organisation_of(user)
    return (
        assessment is not None
        and organisation is not None
        and assessment.organisation_id == organisation.pk
        and can_see_assessments(user)
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


@login_required
@finance_required(*FINANCE_ROLES)
def run_list_view(request):
    today = timezone.localdate()
    return render(
        request,
        "directpayments/paymentrun_list.html",
        {
            "runs": list(payment_run_list_for_user(user=request.user)[:60]),
            "this_month": runs.month_start(today),
            "next_month": runs.next_month(today),
            "can_prepare": has_role(request.user, Role.FINANCE_OFFICER),
        },
    )


@login_required
@require_POST
@finance_required(Role.FINANCE_OFFICER)
def run_prepare_view(request):
    try:
        month = runs.month_start(datetime.strptime(request.POST.get("month", ""), "%Y-%m").date())
    except ValueError:
        messages.error(request, "Choose a month.")
        return redirect("directpayments:run-list")
    run = services.payment_run_prepare(organisation=organisation_of(request.user), month=month, by=request.user)
    if run.status == PaymentRun.Status.DRAFT:
        messages.success(request, f"The {month:%B %Y} run has been calculated.")
    else:
        messages.info(request, f"The {month:%B %Y} run is {run.get_status_display().lower()}, so it was not changed.")
    return redirect(run)


@login_required
@finance_required(*FINANCE_ROLES)
def run_detail_view(request, pk):
    run = get_object_or_404(payment_run_list_for_user(user=request.user), pk=pk)
    lines = list(payment_run_lines(run=run))
    user = request.user
    is_officer, is_approver = has_role(user, Role.FINANCE_OFFICER), has_role(user, Role.FINANCE_APPROVER)
    S = PaymentRun.Status
    return render(
        request,
        "directpayments/paymentrun_detail.html",
        {
            "run": run,
            "lines": lines,
            "totals": payment_run_totals(run=run),
            "exceptions": payment_run_exceptions(run=run),
            "events": list(run.events.select_related("actor")),
            "actions": [
                (name, label)
                for name, label, allowed in (
                    ("recalculate", "Recalculate", run.status == S.DRAFT and is_officer),
                    ("submit", "Submit for approval", run.status == S.DRAFT and is_officer),
                    ("approve", "Approve", run.status == S.SUBMITTED and is_approver),
                    ("return", "Send back to draft", run.status == S.SUBMITTED and (is_officer or is_approver)),
                    ("export", "Export for payment", run.status == S.APPROVED and is_officer),
                    ("paid", "Mark as paid", run.status == S.EXPORTED and (is_officer or is_approver)),
                    ("cancel", "Cancel run", run.status in (S.DRAFT, S.SUBMITTED, S.APPROVED) and is_officer),
                )
                if allowed
            ],
            "can_download": run.status in EXPORTABLE,
            # dpa: payments the bank returned (recorded once the run is paid)
            "can_record_returns": run.status == S.PAID and is_officer,
            "returned_count": _mark_returned(run, lines),
        },
    )


def _mark_returned(run, lines) -> int:
    """Set `line.returned` (the bank's return of that agreement's payment, or None); how many were returned."""
    returned = {r.agreement_id: r for r in run.returned_payments.all()}
    for line in lines:
        line.returned = returned.get(line.agreement_id)
    return len(returned)


ACTIONS = {
    "submit": (services.payment_run_submit, (Role.FINANCE_OFFICER,), "Submitted for approval."),
    "approve": (services.payment_run_approve, (Role.FINANCE_APPROVER,), "Approved."),
    "return": (services.payment_run_return, FINANCE_ROLES, "Sent back to draft."),
    "export": (services.payment_run_export, (Role.FINANCE_OFFICER,), "Exported: download the files below."),
    "paid": (services.payment_run_mark_paid, FINANCE_ROLES, "Marked as paid."),
    "cancel": (services.payment_run_cancel, (Role.FINANCE_OFFICER,), "Run cancelled."),
}


@login_required
@require_POST
@finance_required(*FINANCE_ROLES)
def run_action_view(request, pk, action):
    run = get_object_or_404(payment_run_list_for_user(user=request.user), pk=pk)
    if action == "recalculate":
        if not has_role(request.user, Role.FINANCE_OFFICER):
            return HttpResponse("Your role does not allow this.", status=403)
        run = services.payment_run_prepare(organisation=run.organisation, month=run.month, by=request.user)
        messages.success(request, "Recalculated." if run.status == PaymentRun.Status.DRAFT else "Not changed.")
        return redirect(run)
    if action not in ACTIONS:
        return HttpResponse(status=404)
    service, roles, done = ACTIONS[action]
    if not has_role(request.user, *roles):
        return HttpResponse("Your role does not allow this.", status=403)
    try:
        with transaction.atomic():
            service(run_id=run.pk, by=request.user)
    except services.InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(run)


def _download(request, pk, *, content_type, suffix, render_file):
    run = get_object_or_404(payment_run_list_for_user(user=request.user), pk=pk)
    if run.status not in EXPORTABLE:
        messages.error(request, "Export the approved run before downloading its files.")
        return redirect(run)
    response = HttpResponse(render_file(payment_run_export_lines(run=run)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="direct-payments-{run.month:%Y-%m}.{suffix}"'
    return response


@login_required
@finance_required(*FINANCE_ROLES)
def run_csv_view(request, pk):
    return _download(request, pk, content_type="text/csv", suffix="csv", render_file=accounts_payable_csv)


@login_required
@finance_required(*FINANCE_ROLES)
def run_bacs_view(request, pk):
    return _download(request, pk, content_type="text/plain", suffix="txt", render_file=bacs_file)


# --- adjustments, balances, reviews, home ---------------------------------------------------------


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


@login_required
@finance_required(Role.FINANCE_OFFICER)
def balance_import_view(request):
    form = BalanceImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = card_balances_import(
                organisation=organisation_of(request.user),
                content=upload.read(),
                by=request.user,
                filename=upload.name,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "directpayments/cardbalance_import.html", {"form": form, "result": result})


@login_required
@finance_required(*FINANCE_ROLES)
def surplus_list_view(request):
    return render(
        request,
        "directpayments/cardbalance_surplus_list.html",
        {"surpluses": list(card_surplus_list_for_user(user=request.user)[:500])},
    )


@login_required
@finance_required(*FINANCE_ROLES)
def review_overdue_list_view(request):
    reviews = review_overdue_list_for_user(user=request.user, today=timezone.localdate())
    return render(
        request,
        "directpayments/review_overdue_list.html",
        {"reviews": list(reviews[:500]), "today": timezone.localdate()},
    )


@login_required
@finance_required(Role.FINANCE_OFFICER)
def review_complete_view(request, pk):
    review = get_object_or_404(
        Review.objects.filter(agreement__in=agreement_list_for_user(user=request.user)).select_related(
            "agreement__client"
        ),
        pk=pk,
    )
    form = ReviewCompleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review_complete(review_id=review.pk, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Review recorded.")
            return redirect(review.agreement)
    return render(request, "directpayments/review_form.html", {"form": form, "review": review})


@login_required
@finance_required(*FINANCE_ROLES)
def finance_home_view(request):
    home = finance_home_for_user(user=request.user, today=timezone.localdate())
    return render(
        request,
        "directpayments/finance_home.html",
        {"home": home, "runs": [("This month's run", home.current_run), ("Last month's run", home.last_run)]},
    )
