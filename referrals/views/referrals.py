"""Views: referrals (refer a client, inbox, outbox, detail and actions, outcome, partner feedback)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import organisation_of, organisation_required
from core.forms import apply_service_errors
from partnerships.models import ReferralType

from ..forms import (
    ReferralAssignForm,
    ReferralFilterForm,
    ReferralForm,
    ReferralOutcomeForm,
    ReferralRejectForm,
    ReferralWithdrawForm,
)
from ..models import Referral
from ..selectors import (
    client_list_for_user,
    partner_feedback_for_quarter,
    referral_destinations_for,
    referral_filter,
    referral_inbox_for_user,
    referral_list_for_user,
    referral_outbox_with_awards_for_user,
)
from ..services import (
    BenefitResult,
    InvalidTransition,
    referral_accept,
    referral_assign,
    referral_close,
    referral_complete,
    referral_create_and_send,
    referral_may_assign,
    referral_moves_for,
    referral_reject,
    referral_start,
    referral_withdraw,
)

PAGE_SIZE = 25
Status = Referral.Status


def _referral_or_404(request, pk) -> Referral:
    return get_object_or_404(referral_list_for_user(user=request.user), pk=pk)


# --- Refer a client ---------------------------------------------------------------------------


@login_required
@organisation_required
def referral_create_view(request, pk):
    client = get_object_or_404(client_list_for_user(user=request.user), pk=pk)
    destinations = referral_destinations_for(client=client, user=request.user, today=timezone.localdate())
    # A benefit-maximisation flag links here with ?referral_type=... to preselect the type.
    wanted = request.GET.get("referral_type", "")
    form = ReferralForm(
        request.POST or None,
        initial={"referral_type": wanted} if wanted in ReferralType.values else None,
        organisations=destinations.organisations,
        track_records=destinations.track_records,
        consents=destinations.consents,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = referral_create_and_send(
                client=client,
                by=request.user,
                to_organisation=data["to_organisation"],
                to_team=data["to_team"],
                referral_type=data["referral_type"],
                priority=data["priority"],
                reason=data["reason"],
                consent=data["consent"],
                legal_basis=data["legal_basis"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except InvalidTransition as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Referral {referral.reference} sent")
            return redirect(referral)
    return render(
        request, "referrals/referral_form.html", {"form": form, "client": client, "limits": destinations.limits}
    )


# --- Inbox and outbox -------------------------------------------------------------------------


def _filtered(request, referrals, *, box: str):
    form = ReferralFilterForm(request.GET or None, box=box, user=request.user)
    if form.is_valid():
        referrals = referral_filter(
            referrals=referrals, box=box, user=request.user, today=timezone.localdate(), **form.cleaned_data
        )
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"filter_form": form, "page": page, "query_string": query.urlencode(), "is_filtered": bool(query)}


@login_required
@organisation_required
def referral_inbox_view(request):
    context = _filtered(request, referral_inbox_for_user(user=request.user), box="inbox")
    return render(request, "referrals/referral_inbox.html", {**context, "box": "inbox"})


@login_required
@organisation_required
def referral_outbox_view(request):
    context = _filtered(request, referral_outbox_with_awards_for_user(user=request.user), box="outbox")
    return render(request, "referrals/referral_outbox.html", {**context, "box": "outbox"})


# --- Detail and actions -----------------------------------------------------------------------


# The action pages and buttons, by the status each moves the referral to.
_ACTION_FOR_STATUS = {
    Status.ACCEPTED: "accept",
    Status.REJECTED: "reject",
    Status.IN_PROGRESS: "start",
    Status.COMPLETED: "outcome",
    Status.WITHDRAWN: "withdraw",
    Status.CLOSED: "close",
}


def _actions_for(referral: Referral, organisation) -> set[str]:
    """The actions the user's side may take now: names of the action URLs."""
    moves = referral_moves_for(referral=referral, organisation=organisation)
    actions = {name for status, name in _ACTION_FOR_STATUS.items() if status in moves}
    if referral_may_assign(referral=referral, organisation=organisation):
        actions.add("assign")
    return actions


@login_required
@organisation_required
def referral_detail_view(request, pk):
    referral = _referral_or_404(request, pk)
    actions = _actions_for(referral, organisation_of(request.user))
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "consent": referral.consent,
            "events": referral.events.select_related("actor"),
            "benefits": list(referral.benefit_outcomes.all()),
            "actions": actions,
            "withdraw_form": ReferralWithdrawForm(referral=referral) if "withdraw" in actions else None,
        },
    )


def _refuse_unless_allowed(request, referral: Referral, action: str, what: str):
    """For the action pages (GET): say so and go back when this side cannot take the action now."""
    if action in _actions_for(referral, organisation_of(request.user)):
        return None
    messages.error(
        request, f"You cannot {what} referral {referral} now: it is {referral.get_status_display().lower()}."
    )
    return redirect(referral)


def _one_click(service, done: str):
    """A POST-only action with no form: call the service, report the result, back to the referral."""

    @login_required
    @organisation_required
    @require_POST
    def view(request, pk):
        referral = _referral_or_404(request, pk)
        try:
            service(referral_id=referral.pk, by=request.user)
        except InvalidTransition as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Referral {referral} {done}")
        return redirect(referral)

    view.__name__ = f"{service.__name__}_view"
    return view


referral_accept_view = _one_click(referral_accept, "accepted")
referral_start_view = _one_click(referral_start, "marked as in progress")
referral_close_view = _one_click(referral_close, "closed")


@login_required
@organisation_required
@require_POST
def referral_withdraw_view(request, pk):
    referral = _referral_or_404(request, pk)
    form = ReferralWithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        referral_withdraw(referral_id=referral.pk, by=request.user, reason=reason)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Referral {referral} withdrawn")
    return redirect(referral)


def _action_with_form(request, pk, *, action: str, what: str, make_form, act, template: str):
    """An action page with a form: GET shows it (or says the action is not open now and goes back); a
    valid POST calls `act(referral, form)`, which returns the success message, and goes back to the referral."""
    referral = _referral_or_404(request, pk)
    if request.method != "POST" and (refused := _refuse_unless_allowed(request, referral, action, what)):
        return refused
    form = make_form(request.POST or None, referral)
    if request.method == "POST" and form.is_valid():
        try:
            done = act(referral, form)
        except InvalidTransition as exc:
            messages.error(request, str(exc))
            return redirect(referral)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(referral)
    return render(request, template, {"form": form, "referral": referral})


@login_required
@organisation_required
def referral_reject_view(request, pk):
    def reject(referral, form) -> str:
        referral_reject(referral_id=referral.pk, by=request.user, reason=form.cleaned_data["reason"])
        return f"Referral {referral} rejected"

    return _action_with_form(
        request,
        pk,
        action="reject",
        what="reject",
        make_form=lambda data, referral: ReferralRejectForm(data),
        act=reject,
        template="referrals/referral_reject_form.html",
    )


@login_required
@organisation_required
def referral_assign_view(request, pk):
    def assign(referral, form) -> str:
        officer = form.cleaned_data["officer"]
        referral_assign(referral_id=referral.pk, by=request.user, officer=officer)
        return f"Referral {referral} assigned to {officer.get_full_name() or officer.username}"

    return _action_with_form(
        request,
        pk,
        action="assign",
        what="assign",
        make_form=lambda data, referral: ReferralAssignForm(data, referral=referral),
        act=assign,
        template="referrals/referral_assign_form.html",
    )


@login_required
@organisation_required
def referral_outcome_view(request, pk):
    def record(referral, form) -> str:
        data = form.cleaned_data
        referral_complete(
            referral_id=referral.pk,
            by=request.user,
            successful=data["successful"],
            reason=data["outcome_reason"],
            notes=data["notes"],
            benefits=[BenefitResult(**row) for row in form.benefit_rows()],
        )
        return f"Outcome of referral {referral} recorded"

    return _action_with_form(
        request,
        pk,
        action="outcome",
        what="record the outcome of",
        make_form=lambda data, referral: ReferralOutcomeForm(data),
        act=record,
        template="referrals/referral_outcome_form.html",
    )


# --- Partner feedback ---------------------------------------------------------------------------


@login_required
@organisation_required
def partner_feedback_view(request):
    organisation = organisation_of(request.user)
    feedback = partner_feedback_for_quarter(user=request.user, organisation=organisation, today=timezone.localdate())
    return render(
        request,
        "referrals/partner_feedback.html",
        {
            "organisation": organisation,
            "quarter_start": feedback.start,
            "quarter_end": feedback.last_day,
            "partners": feedback.partners,
            "totals": feedback.totals,
            "our_acknowledged": feedback.our_acknowledged,
            "our_completed": feedback.our_completed,
        },
    )
