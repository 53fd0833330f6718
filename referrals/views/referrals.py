"""Views: referrals (refer a client, inbox, outbox, detail and actions, outcome, partner feedback)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, DecimalField, Exists, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import organisation_of, organisation_required
from core.forms import apply_service_errors
from partnerships.models import Agreement, Organisation, Partnership, PartnershipMember, ReferralType, RoutingRule
from partnerships.selectors import routing_rule_evaluate

from ..forms_referrals import (
    ReferralAssignForm,
    ReferralFilterForm,
    ReferralForm,
    ReferralOutcomeForm,
    ReferralRejectForm,
    ReferralWithdrawForm,
)
from ..models import BenefitOutcome, Referral
from ..selectors import client_list_for_user
from ..selectors_referrals import (
    OPEN_STATUSES,
    partner_feedback_for_quarter,
    partner_track_records,
    referral_due_q,
    referral_inbox_for_user,
    referral_list_for_user,
    referral_officer_q,
    referral_outbox_for_user,
    referral_team_q,
)
from ..services.referrals import (
    RECEIVER_MOVES,
    SENDER_MOVES,
    TRANSITIONS,
    BenefitResult,
    InvalidTransition,
    referral_accept,
    referral_assign,
    referral_close,
    referral_complete,
    referral_create,
    referral_reject,
    referral_send,
    referral_start,
    referral_withdraw,
)

PAGE_SIZE = 25
Status = Referral.Status
AWARDED = BenefitOutcome.Decision.AWARDED


def _referral_or_404(request, pk) -> Referral:
    return get_object_or_404(referral_list_for_user(user=request.user), pk=pk)


# --- Refer a client ---------------------------------------------------------------------------


@dataclass
class RoutingLimits:
    """What routing rules say about each destination for this client, whatever the referral type."""

    refused: list[tuple[Organisation, str]] = field(default_factory=list)  # not offered, and why
    limited: list[tuple[Organisation, str]] = field(default_factory=list)  # offered for some types only


def _routing_limits(*, sender: Organisation, client_age: int, on: date) -> RoutingLimits:
    """One query for every routing rule in force between the sender and any receiver, as routing_check
    applies them: a receiver is refused when no rule accepts a client of this age."""
    in_force = Agreement.objects.filter(
        is_current=True,
        signed_on__isnull=False,
        signed_on__lte=on,
        partnership__status=Partnership.Status.ACTIVE,
        partnership__members__organisation=sender,
    )
    receiver_is_member = PartnershipMember.objects.filter(
        partnership=OuterRef("agreement__partnership"), organisation=OuterRef("receiving_organisation")
    )
    rules = (
        RoutingRule.objects.filter(agreement__in=in_force, receiving_organisation__is_active=True)
        .filter(Exists(receiver_is_member))
        .select_related("receiving_organisation")
        .order_by("receiving_organisation__name", "pk")
    )
    by_receiver: dict[int, list[RoutingRule]] = defaultdict(list)
    for rule in rules:
        by_receiver[rule.receiving_organisation_id].append(rule)
    limits = RoutingLimits()
    for receiver_rules in by_receiver.values():
        organisation = receiver_rules[0].receiving_organisation
        decisions = [
            routing_rule_evaluate(
                rule=rule,
                referral_type=rule.referral_types[0] if rule.referral_types else ReferralType.BENEFIT_CHECK,
                client_age=client_age,
            )
            for rule in receiver_rules
        ]
        accepting = [decision.rule for decision in decisions if decision.accepted]
        if not accepting:
            limits.refused.append((organisation, decisions[0].reason))
        elif all(rule.referral_types for rule in accepting):
            labels = sorted({label for rule in accepting for label in rule.referral_type_labels})
            limits.limited.append((organisation, f"{organisation.name} only takes: {', '.join(labels)}."))
    return limits


@login_required
@organisation_required
def referral_create_view(request, pk):
    client = get_object_or_404(client_list_for_user(user=request.user), pk=pk)
    today = timezone.localdate()
    sender = organisation_of(request.user)
    limits = _routing_limits(sender=sender, client_age=client.age_on(today), on=today)
    refused_ids = {organisation.pk for organisation, _ in limits.refused}
    organisations = [
        organisation
        for organisation in Organisation.objects.filter(is_active=True).order_by("name")
        if organisation.pk not in refused_ids
    ]
    consents = [
        consent
        for consent in client.consents.prefetch_related("organisations").order_by("-given_on", "-pk")
        if consent.is_active_on(today)
    ]
    # A benefit-maximisation flag links here with ?referral_type=... to preselect the type.
    wanted = request.GET.get("referral_type", "")
    form = ReferralForm(
        request.POST or None,
        initial={"referral_type": wanted} if wanted in ReferralType.values else None,
        organisations=organisations,
        track_records=partner_track_records(organisations=organisations, today=today),
        consents=consents,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # One transaction: a send refused by the consent gate or routing leaves no draft behind.
            with transaction.atomic():
                draft = referral_create(
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
                referral = referral_send(referral_id=draft.pk, by=request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except InvalidTransition as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Referral {referral.reference} sent")
            return redirect(referral)
    return render(request, "referrals/referral_form.html", {"form": form, "client": client, "limits": limits})


# --- Inbox and outbox -------------------------------------------------------------------------


def _filtered(request, referrals, *, box: str):
    form = ReferralFilterForm(request.GET or None, box=box, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["status"] == ReferralFilterForm.OPEN:
            referrals = referrals.filter(status__in=OPEN_STATUSES)
        elif data["status"]:
            referrals = referrals.filter(status=data["status"])
        if data["referral_type"]:
            referrals = referrals.filter(referral_type=data["referral_type"])
        if data["priority"]:
            referrals = referrals.filter(priority=data["priority"])
        if data["due"]:
            referrals = referrals.filter(referral_due_q(due=data["due"], today=timezone.localdate()))
        if data["officer"]:
            referrals = referrals.filter(referral_officer_q(box=box, officer=data["officer"], user=request.user))
        if data.get("team"):
            referrals = referrals.filter(referral_team_q(box=box, user=request.user))
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
    awards = BenefitOutcome.objects.filter(referral=OuterRef("pk"), decision=AWARDED).values("referral")
    referrals = referral_outbox_for_user(user=request.user).annotate(
        awards=Coalesce(Subquery(awards.annotate(n=Count("pk")).values("n")), 0),
        awarded_weekly=Coalesce(
            Subquery(awards.annotate(total=Sum("weekly_amount")).values("total")),
            Decimal("0.00"),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        ),
    )
    context = _filtered(request, referrals, box="outbox")
    return render(request, "referrals/referral_outbox.html", {**context, "box": "outbox"})


# --- Detail and actions -----------------------------------------------------------------------


def _actions_for(referral: Referral, organisation) -> set[str]:
    """The actions the user's side may take now: names of the action URLs."""
    allowed = TRANSITIONS.get(referral.status, set())
    is_receiver = organisation is not None and organisation.pk == referral.to_organisation_id
    is_sender = organisation is not None and organisation.pk == referral.from_organisation_id
    moves = (RECEIVER_MOVES if is_receiver else set()) | (SENDER_MOVES if is_sender else set())
    names = {
        Status.ACCEPTED: "accept",
        Status.REJECTED: "reject",
        Status.IN_PROGRESS: "start",
        Status.COMPLETED: "outcome",
        Status.WITHDRAWN: "withdraw",
        Status.CLOSED: "close",
    }
    actions = {name for status, name in names.items() if status in allowed and status in moves}
    if is_receiver and referral.is_open:
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
            "withdraw_form": ReferralWithdrawForm() if "withdraw" in actions else None,
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


@login_required
@organisation_required
def referral_reject_view(request, pk):
    referral = _referral_or_404(request, pk)
    if request.method != "POST" and (refused := _refuse_unless_allowed(request, referral, "reject", "reject")):
        return refused
    form = ReferralRejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral_reject(referral_id=referral.pk, by=request.user, reason=form.cleaned_data["reason"])
        except InvalidTransition as exc:
            messages.error(request, str(exc))
            return redirect(referral)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Referral {referral} rejected")
            return redirect(referral)
    return render(request, "referrals/referral_reject_form.html", {"form": form, "referral": referral})


@login_required
@organisation_required
def referral_assign_view(request, pk):
    referral = _referral_or_404(request, pk)
    if request.method != "POST" and (refused := _refuse_unless_allowed(request, referral, "assign", "assign")):
        return refused
    form = ReferralAssignForm(request.POST or None, referral=referral)
    if request.method == "POST" and form.is_valid():
        officer = form.cleaned_data["officer"]
        try:
            referral_assign(referral_id=referral.pk, by=request.user, officer=officer)
        except InvalidTransition as exc:
            messages.error(request, str(exc))
            return redirect(referral)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Referral {referral} assigned to {officer.get_full_name() or officer.username}")
            return redirect(referral)
    return render(request, "referrals/referral_assign_form.html", {"form": form, "referral": referral})


@login_required
@organisation_required
def referral_outcome_view(request, pk):
    referral = _referral_or_404(request, pk)
    if request.method != "POST" and (
        refused := _refuse_unless_allowed(request, referral, "outcome", "record the outcome of")
    ):
        return refused
    form = ReferralOutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral_complete(
                referral_id=referral.pk,
                by=request.user,
                successful=data["successful"],
                reason=data["outcome_reason"],
                notes=data["notes"],
                benefits=[BenefitResult(**row) for row in form.benefit_rows()],
            )
        except InvalidTransition as exc:
            messages.error(request, str(exc))
            return redirect(referral)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Outcome of referral {referral} recorded")
            return redirect(referral)
    return render(request, "referrals/referral_outcome_form.html", {"form": form, "referral": referral})


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


urlpatterns = [
    path("<int:pk>/refer/", referral_create_view, name="referral-create"),
    path("referrals/inbox/", referral_inbox_view, name="referral-inbox"),
    path("referrals/outbox/", referral_outbox_view, name="referral-outbox"),
    path("referrals/feedback/", partner_feedback_view, name="partner-feedback"),
    path("referrals/<int:pk>/", referral_detail_view, name="referral-detail"),
    path("referrals/<int:pk>/accept/", referral_accept_view, name="referral-accept"),
    path("referrals/<int:pk>/reject/", referral_reject_view, name="referral-reject"),
    path("referrals/<int:pk>/assign/", referral_assign_view, name="referral-assign"),
    path("referrals/<int:pk>/start/", referral_start_view, name="referral-start"),
    path("referrals/<int:pk>/outcome/", referral_outcome_view, name="referral-outcome"),
    path("referrals/<int:pk>/withdraw/", referral_withdraw_view, name="referral-withdraw"),
    path("referrals/<int:pk>/close/", referral_close_view, name="referral-close"),
]
