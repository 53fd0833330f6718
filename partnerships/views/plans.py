"""Views: the audit and gap analysis, local action plans, and interim and annual partnership reviews."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from core.access import has_role, organisation_of, organisation_required, role_required
from core.forms import apply_service_errors
from core.pagination import page_of, query_string_without_page

# Up the stack (partnerships sits below referrals): the review's figures come from referrals. Left for the
# cross-app seam step of issue 12, which removes every import that runs up the stack.
from referrals.selectors import partnership_referral_figures

from .. import forms, selectors, services
from ..models import PartnershipReview, Role
from ..reviews import REVIEW_MONTHS, review_period

PRINT_BASE_TEMPLATE = "partnerships/includes/_plans_print_base.html"


@login_required
@organisation_required
def gap_analysis_view(request):
    form = forms.GapFilterForm(request.GET or None)
    district = form.cleaned_data["district"].strip() if form.is_valid() else ""
    analysis = selectors.gap_analysis(user=request.user, district=district)
    return render(
        request,
        "partnerships/gap_analysis.html",
        {"filter_form": form, "district": district, "analysis": analysis},
    )


# --- Local action plan -----------------------------------------------------------------------


def _action_plan_form(request, *, instance=None):
    # "Add an action" on a partnership page passes ?partnership=<pk> to preselect it.
    initial = (
        {"partnership": request.GET["partnership"]} if instance is None and request.GET.get("partnership") else None
    )
    return forms.ActionPlanItemForm(
        request.POST or None,
        instance=instance,
        initial=initial,
        partnerships=selectors.partnership_list_for_user(user=request.user),
        owners=selectors.active_staff_of(organisations=[organisation_of(request.user)]),
    )


@login_required
@organisation_required
def action_plan_list_view(request):
    form = forms.ActionPlanFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page = page_of(request, selectors.action_plan_list_for_user(user=request.user, status=status))
    today = timezone.localdate()
    rows = [{"item": item, "is_overdue": item.is_overdue_on(today)} for item in page]
    return render(
        request,
        "partnerships/actionplan_list.html",
        {
            "filter_form": form,
            "page": page,
            "rows": rows,
            "query_string": query_string_without_page(request),
            "can_edit": has_role(request.user, Role.PARTNERSHIP_MANAGER),
        },
    )


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
def action_plan_create_view(request):
    form = _action_plan_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_plan_item_create(
                by=request.user, **{name: form.cleaned_data[name] for name in forms.ACTION_PLAN_FIELDS}
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The action has been added to the plan.")
            return redirect("partnerships:actionplan-list")
    return render(request, "partnerships/actionplan_form.html", {"form": form, "item": None})


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
def action_plan_edit_view(request, pk):
    item = get_object_or_404(selectors.action_plan_list_for_user(user=request.user), pk=pk)
    form = _action_plan_form(request, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_plan_item_update(
                item=item, by=request.user, **{name: form.cleaned_data[name] for name in forms.ACTION_PLAN_FIELDS}
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The action has been updated.")
            return redirect("partnerships:actionplan-list")
    return render(request, "partnerships/actionplan_form.html", {"form": form, "item": item})


# --- Interim and annual reviews --------------------------------------------------------------


def _review_initial(*, partnership, organisation, kind: str) -> tuple[dict, dict]:
    """The key indicators for the review's period, from JointCase's referrals between the user's
    organisation and the partnership's other members."""
    start, end = review_period(kind=kind, today=timezone.localdate())
    figures = partnership_referral_figures(
        organisation=organisation,
        partner_ids=partnership.members.values_list("organisation_id", flat=True),
        start=start,
        end=end,
    )
    initial = {
        "kind": kind,
        "period_start": start,
        "period_end": end,
        "referrals_sent": figures.sent,
        "referrals_received": figures.received,
        "awards": figures.awards,
        "weekly_amount_gained": figures.weekly_gained,
    }
    return initial, {"start": start, "end": end, "kind": kind}


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
def review_create_view(request, pk):
    partnership = get_object_or_404(selectors.partnership_list_for_user(user=request.user), pk=pk)
    kind = request.GET.get("kind")
    kind = kind if kind in REVIEW_MONTHS else PartnershipReview.Kind.ANNUAL
    initial, filled = _review_initial(partnership=partnership, organisation=organisation_of(request.user), kind=kind)
    form = forms.PartnershipReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.partnership_review_create(
                partnership=partnership,
                by=request.user,
                **{name: form.cleaned_data[name] for name in forms.REVIEW_FIELDS},
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"The {review.get_kind_display().lower()} has been saved.")
            return redirect(review)
    return render(
        request,
        "partnerships/review_form.html",
        {"form": form, "partnership": partnership, "filled": filled, "kinds": PartnershipReview.Kind},
    )


@login_required
@organisation_required
def review_detail_view(request, pk):
    review = get_object_or_404(selectors.review_list_for_user(user=request.user), pk=pk)
    printable = request.GET.get("print") == "1"
    return render(
        request,
        "partnerships/review_detail.html",
        {
            "review": review,
            "partnership": review.partnership,
            "printable": printable,
            "base_template": PRINT_BASE_TEMPLATE if printable else "base.html",
            "print_url": f"{reverse('partnerships:review-detail', args=[review.pk])}?print=1",
        },
    )
