"""Pages for surplus notices: issuing the written notice (the letter and its PDF), then scheduling the
recovery once the notice period has passed, or withdrawing the notice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from core.access import has_role
from core.forms import apply_service_errors
from partnerships.models import Role

from .. import services
from ..forms import SurplusNoticeForm, SurplusNoticeWithdrawForm
from ..models import CardBalance, QuarterlyReturn, SurplusNotice
from ..selectors import agreement_list_for_user, quarterly_return_surplus_list_for_user, surplus_notice_list_for_user
from .access import FINANCE_ROLES, finance_required


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
@finance_required(Role.FINANCE_OFFICER)
def surplus_notice_create_view(request, pk):
    """Issue the written notice for a surplus shown by a card balance (?balance=) or a quarterly return (?return=)."""
    agreement = get_object_or_404(agreement_list_for_user(user=request.user), pk=pk)
    source = {}
    if request.GET.get("balance"):
        source["card_balance"] = get_object_or_404(CardBalance, agreement=agreement, pk=request.GET["balance"])
    elif request.GET.get("return"):
        source["quarterly_return"] = get_object_or_404(QuarterlyReturn, agreement=agreement, pk=request.GET["return"])
    else:
        raise Http404("Choose the balance that shows the surplus.")
    found = next(iter(source.values()))
    form = SurplusNoticeForm(request.POST or None, initial={"amount": found.surplus})
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.surplus_notice_issue(
                agreement=agreement, by=request.user, amount=form.cleaned_data["amount"], **source
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Notice issued: print the letter or download the PDF and send it.")
            return redirect(notice)
    return render(
        request,
        "directpayments/surplus_notice_form.html",
        {
            "form": form,
            "agreement": agreement,
            "found": found,
            "notice_days": services.notice_days(),
            "recoverable_from": services.recoverable_from(timezone.localdate()),
        },
    )


@login_required
@finance_required(*FINANCE_ROLES)
def surplus_notice_detail_view(request, pk):
    """The notice as issued: the printable letter, the dates, and what can be done next."""
    notice = get_object_or_404(surplus_notice_list_for_user(user=request.user), pk=pk)
    today = timezone.localdate()
    is_officer = has_role(request.user, Role.FINANCE_OFFICER)
    return render(
        request,
        "directpayments/surplus_notice_detail.html",
        {
            "notice": notice,
            "today": today,
            "is_officer": is_officer,
            "can_schedule": is_officer and notice.can_schedule_on(today),
            "withdraw_form": SurplusNoticeWithdrawForm() if is_officer else None,
        },
    )


@login_required
@finance_required(*FINANCE_ROLES)
def surplus_notice_pdf_view(request, pk):
    notice = get_object_or_404(surplus_notice_list_for_user(user=request.user), pk=pk)
    if not notice.letter_pdf:
        raise Http404("This notice has no PDF.")
    return FileResponse(
        notice.letter_pdf.open("rb"),
        as_attachment=True,
        filename=f"surplus-notice-{slugify(notice.agreement.client.last_name)}-{notice.issued_on:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
@finance_required(Role.FINANCE_OFFICER)
def surplus_notice_schedule_view(request, pk):
    notice = get_object_or_404(surplus_notice_list_for_user(user=request.user), pk=pk)
    try:
        services.surplus_recovery_schedule(notice_id=notice.pk, by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, "Recovery scheduled: the next payment run will take it off the payment.")
    return redirect(notice)


@login_required
@require_POST
@finance_required(Role.FINANCE_OFFICER)
def surplus_notice_withdraw_view(request, pk):
    notice = get_object_or_404(surplus_notice_list_for_user(user=request.user), pk=pk)
    form = SurplusNoticeWithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.surplus_notice_withdraw(notice_id=notice.pk, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Notice withdrawn: nothing will be recovered.")
            return redirect(notice)
    today = timezone.localdate()
    return render(
        request,
        "directpayments/surplus_notice_detail.html",
        {
            "notice": notice,
            "today": today,
            "is_officer": True,
            "can_schedule": notice.can_schedule_on(today),
            "withdraw_form": form,
        },
        status=400,
    )


@login_required
@finance_required(*FINANCE_ROLES)
def surplus_notice_list_view(request):
    """Notices given: those whose notice period has passed first, ready for their recovery to be scheduled."""
    today = timezone.localdate()
    waiting = list(
        surplus_notice_list_for_user(user=request.user)
        .filter(status=SurplusNotice.Status.ISSUED)
        .order_by("recoverable_from", "pk")[:500]
    )
    done = list(
        surplus_notice_list_for_user(user=request.user)
        .exclude(status=SurplusNotice.Status.ISSUED)
        .order_by("-issued_on", "-pk")[:100]
    )
    return render(
        request,
        "directpayments/surplus_notice_list.html",
        {
            "waiting": waiting,
            "done": done,
            "today": today,
            "quarterly_surpluses": list(quarterly_return_surplus_list_for_user(user=request.user)[:500]),
        },
    )
