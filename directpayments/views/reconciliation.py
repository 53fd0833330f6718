"""Pages for reconciling a paid run: payments the bank returned, recorded by hand or from its file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from core.forms import apply_service_errors
from partnerships.models import Role

from .. import services
from ..forms import ReturnedPaymentForm, ReturnsImportForm
from ..models import PaymentRun
from ..selectors import payment_run_list_for_user, payments_in_run
from .access import finance_required


def _run_for(request, pk) -> PaymentRun:
    return get_object_or_404(payment_run_list_for_user(user=request.user), pk=pk)


@login_required
@finance_required(Role.FINANCE_OFFICER)
def returned_payment_create_view(request, pk, agreement_pk):
    """Record one agreement's payment in a paid run as returned by the bank, with the bank's reason."""
    run = _run_for(request, pk)
    line = get_object_or_404(run.lines.select_related("agreement__client"), agreement_id=agreement_pk, kind="regular")
    amount = payments_in_run(run=run).get(agreement_pk)
    form = ReturnedPaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.returned_payment_record(
                run_id=run.pk, agreement_id=agreement_pk, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Payment recorded as returned: the next run pays it again.")
            return redirect(run)
    return render(
        request,
        "directpayments/returnedpayment_form.html",
        {"form": form, "run": run, "agreement": line.agreement, "amount": amount},
    )


@login_required
@finance_required(Role.FINANCE_OFFICER)
def returns_import_view(request, pk):
    """Import the bank's returns file for a paid run: good rows kept, bad rows listed by line number."""
    run = _run_for(request, pk)
    form = ReturnsImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.returns_import(
                run_id=run.pk, content=upload.read(), by=request.user, filename=upload.name
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "directpayments/returns_import.html", {"form": form, "run": run, "result": result})
