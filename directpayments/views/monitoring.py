"""Pages for monitoring: prepaid-card balances and surpluses, reviews, and quarterly returns for bank
accounts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.access import has_role, organisation_of
from core.forms import apply_service_errors
from partnerships.models import Role

from .. import services
from ..due_dates import last_completed_quarter, quarter_end, quarters_offered
from ..forms import BalanceImportForm, QuarterlyReturnForm, ReviewCompleteForm
from ..selectors import (
    agreement_list_for_user,
    card_surplus_list_for_user,
    quarterly_return_due_list_for_user,
    quarterly_return_for,
    review_list_for_user,
    review_overdue_list_for_user,
)
from .access import FINANCE_ROLES, finance_required

QUARTERS_OFFERED = 4


@login_required
@finance_required(Role.FINANCE_OFFICER)
def balance_import_view(request):
    form = BalanceImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.card_balances_import(
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
    review = get_object_or_404(review_list_for_user(user=request.user), pk=pk)
    form = ReviewCompleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_complete(review_id=review.pk, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Review recorded.")
            return redirect(review.agreement)
    return render(request, "directpayments/review_form.html", {"form": form, "review": review})


@login_required
@finance_required(Role.FINANCE_OFFICER)
def quarterly_return_record_view(request, pk):
    """Record a bank-account agreement's quarterly return (balance, spent, evidence) for an ended quarter."""
    agreement = get_object_or_404(agreement_list_for_user(user=request.user), pk=pk)
    today = timezone.localdate()
    quarters = quarters_offered(today, QUARTERS_OFFERED)
    chosen = next((q for q in quarters if q.isoformat() == request.GET.get("quarter")), quarters[0])
    existing = quarterly_return_for(agreement=agreement, quarter=chosen)
    initial = {"quarter": chosen.isoformat()}
    if existing:
        initial.update(
            balance=existing.balance,
            amount_spent=existing.amount_spent,
            evidence_received=existing.evidence_received,
            notes=existing.notes,
        )
    form = QuarterlyReturnForm(request.POST or None, quarters=quarters, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.quarterly_return_record(agreement=agreement, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if record.is_surplus:
                messages.warning(
                    request, f"Return recorded. The balance is £{record.surplus:,.2f} above the contingency allowed."
                )
            else:
                messages.success(request, "Return recorded.")
            return redirect(agreement)
    return render(
        request,
        "directpayments/quarterly_return_form.html",
        {"form": form, "agreement": agreement, "existing": existing},
    )


@login_required
@finance_required(*FINANCE_ROLES)
def quarterly_return_due_list_view(request):
    """Bank-account agreements whose return for the last completed quarter has not come in (or lacks evidence)."""
    today = timezone.localdate()
    start = last_completed_quarter(today)
    return render(
        request,
        "directpayments/quarterly_return_due_list.html",
        {
            "agreements": list(quarterly_return_due_list_for_user(user=request.user, today=today)[:500]),
            "quarter_start": start,
            "quarter_end": quarter_end(start),
            "is_officer": has_role(request.user, Role.FINANCE_OFFICER),
        },
    )
