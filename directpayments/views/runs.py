"""Pages for payment runs: the list, preparing a month, a run with its lines and exceptions, the actions
that move it through `draft → submitted → approved → exported → paid`, its export files and its report."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import has_role, organisation_of
from partnerships.models import Role

from .. import runs, services
from ..exports import accounts_payable_csv, bacs_file
from ..models import PaymentRun
from ..selectors import (
    payment_run_exceptions,
    payment_run_export_lines,
    payment_run_lines_with_returns,
    payment_run_list_for_user,
    payment_run_report,
    payment_run_totals,
)
from .access import FINANCE_ROLES, finance_required


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
    lines, returned_count = payment_run_lines_with_returns(run=run)
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
            "can_download": run.is_settled,
            # dpa: payments the bank returned (recorded once the run is paid)
            "can_record_returns": run.status == S.PAID and is_officer,
            "returned_count": returned_count,
        },
    )


def _transition(request, run: PaymentRun, *, service, roles, done: str):
    """An action on the user's run: their role (403), the service (its refusal said in the page's
    banner), then back to the run."""
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


@login_required
@require_POST
@finance_required(*FINANCE_ROLES)
def payment_run_approve_view(request, pk):
    """Approve a submitted run: a finance approver who neither prepared nor submitted it (the service
    refuses anyone else: four eyes)."""
    run = get_object_or_404(payment_run_list_for_user(user=request.user), pk=pk)
    return _transition(
        request, run, service=services.payment_run_approve, roles=(Role.FINANCE_APPROVER,), done="Approved."
    )


# The other actions on a run (approval has its own view, above): service, roles allowed, message when done.
ACTIONS = {
    "submit": (services.payment_run_submit, (Role.FINANCE_OFFICER,), "Submitted for approval."),
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
    return _transition(request, run, service=service, roles=roles, done=done)


def _download(request, pk, *, content_type, suffix, render_file):
    run = get_object_or_404(payment_run_list_for_user(user=request.user), pk=pk)
    if not run.is_settled:
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


@login_required
@finance_required(*FINANCE_ROLES)
def run_report_view(request, pk):
    """The run on one printable page: totals, counts by account type and kind, exceptions, every line."""
    run = get_object_or_404(payment_run_list_for_user(user=request.user), pk=pk)
    return render(request, "directpayments/paymentrun_report.html", {"report": payment_run_report(run=run)})
