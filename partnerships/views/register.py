"""Views: the partnerships register. Everyone in a member organisation reads; partnership managers write."""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.access import has_role, organisation_of, organisation_required, role_required
from core.forms import apply_service_errors
from core.pagination import page_of, query_string_without_page

from .. import forms, selectors, services
from ..models import Agreement, Role


def _partnership_or_404(request, pk):
    return get_object_or_404(selectors.partnership_list_for_user(user=request.user), pk=pk)


def _agreement_or_404(request, pk):
    return get_object_or_404(selectors.agreement_list_for_user(user=request.user), pk=pk)


def _can_manage(user) -> bool:
    return has_role(user, Role.PARTNERSHIP_MANAGER)


# --- Partnerships ------------------------------------------------------------------------------


@login_required
@organisation_required
def partnership_list_view(request):
    partnerships = selectors.partnership_list_for_user(user=request.user)
    form = forms.PartnershipFilterForm(request.GET or None, partnerships=partnerships)
    if form.is_valid():
        data = form.cleaned_data
        partnerships = selectors.partnership_filter(
            partnerships=partnerships,
            organisation=data["organisation"],
            kind=data["kind"],
            status=data["status"],
            review_due=data["review_due"],
        )
    query_string = query_string_without_page(request)
    return render(
        request,
        "partnerships/partnership_list.html",
        {
            "filter_form": form,
            "page": page_of(request, partnerships),
            "query_string": query_string,
            "is_filtered": bool(query_string),
            "can_manage": _can_manage(request.user),
        },
    )


@login_required
@organisation_required
def partnership_detail_view(request, pk):
    partnership = _partnership_or_404(request, pk)
    return render(
        request,
        "partnerships/partnership_detail.html",
        {
            "partnership": partnership,
            "members": partnership.members.all(),
            "agreements": partnership.agreements.all(),
            "outcomes": partnership.outcomes.select_related("recorded_by"),
            "actions": partnership.action_plan_items.select_related("owner"),
            "reviews": partnership.reviews.select_related("reviewed_by"),
            "can_manage": _can_manage(request.user),
        },
    )


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
def partnership_create_view(request):
    organisation = organisation_of(request.user)
    form = forms.PartnershipForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_create(
                by=request.user,
                organisations=list(form.cleaned_data["organisations"]),
                key_contacts=form.key_contact_map(),
                **{name: form.cleaned_data[name] for name in services.PARTNERSHIP_FIELDS},
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{partnership.name} has been added.")
            return redirect(partnership)
    return render(request, "partnerships/partnership_form.html", {"form": form, "partnership": None})


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
def partnership_edit_view(request, pk):
    partnership = _partnership_or_404(request, pk)
    form = forms.PartnershipForm(request.POST or None, instance=partnership, organisation=organisation_of(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_update(
                partnership=partnership,
                by=request.user,
                organisations=list(form.cleaned_data["organisations"]),
                key_contacts=form.key_contact_map(),
                **{name: form.cleaned_data[name] for name in services.PARTNERSHIP_FIELDS},
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The partnership has been updated.")
            return redirect(partnership)
    return render(request, "partnerships/partnership_form.html", {"form": form, "partnership": partnership})


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
def outcome_create_view(request, pk):
    partnership = _partnership_or_404(request, pk)
    form = forms.OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_outcome_add(
                partnership=partnership,
                by=request.user,
                description=form.cleaned_data["description"],
                recorded_on=form.cleaned_data["recorded_on"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The outcome has been recorded.")
            return redirect(partnership)
    return render(request, "partnerships/outcome_form.html", {"form": form, "partnership": partnership})


# --- Agreements --------------------------------------------------------------------------------


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
def agreement_create_view(request, pk):
    partnership = _partnership_or_404(request, pk)
    form = forms.AgreementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(
                partnership=partnership,
                by=request.user,
                document=form.cleaned_data["document"],
                **{name: form.cleaned_data[name] for name in forms.AGREEMENT_FIELDS},
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{agreement.title} has been added.")
            return redirect(agreement)
    return render(
        request, "partnerships/agreement_form.html", {"form": form, "partnership": partnership, "agreement": None}
    )


@login_required
@organisation_required
def agreement_detail_view(request, pk):
    agreement = _agreement_or_404(request, pk)
    is_sla = agreement.kind == Agreement.Kind.SLA
    return render(
        request,
        "partnerships/agreement_detail.html",
        {
            "agreement": agreement,
            "partnership": agreement.partnership,
            "is_sla": is_sla,
            "service_levels": agreement.service_levels.all() if is_sla else [],
            "routing_rules": agreement.routing_rules.select_related("receiving_organisation").order_by(
                "receiving_organisation__name"
            ),
            "document_name": os.path.basename(agreement.document.name) if agreement.document else "",
            "can_manage": _can_manage(request.user),
        },
    )


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
def agreement_edit_view(request, pk):
    agreement = _agreement_or_404(request, pk)
    form = forms.AgreementForm(request.POST or None, request.FILES or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_update(
                agreement=agreement,
                by=request.user,
                document=form.cleaned_data["document"],
                **{name: form.cleaned_data[name] for name in forms.AGREEMENT_FIELDS},
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The agreement has been updated.")
            return redirect(agreement)
    return render(
        request,
        "partnerships/agreement_form.html",
        {"form": form, "partnership": agreement.partnership, "agreement": agreement},
    )


@login_required
@organisation_required
def agreement_document_view(request, pk):
    agreement = _agreement_or_404(request, pk)
    if not agreement.document:
        raise Http404("This agreement has no document")
    try:
        handle = agreement.document.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The document file is missing") from exc
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(agreement.document.name))


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
def service_level_create_view(request, pk):
    agreement = _agreement_or_404(request, pk)
    initial = {}
    if request.method == "GET" and request.GET.get("referral_type"):
        level = agreement.service_levels.filter(referral_type=request.GET["referral_type"]).first()
        if level is not None:
            initial = {
                "referral_type": level.referral_type,
                "acknowledge_working_days": level.acknowledge_working_days,
                "complete_working_days": level.complete_working_days,
            }
    form = forms.ServiceLevelForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            level = services.service_level_set(agreement=agreement, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"The service level for {level.get_referral_type_display()} has been saved.")
            return redirect(agreement)
    return render(request, "partnerships/service_level_form.html", {"form": form, "agreement": agreement})


@login_required
@require_POST
@role_required(Role.PARTNERSHIP_MANAGER)
def service_level_delete_view(request, pk, level_pk):
    agreement = _agreement_or_404(request, pk)
    level = get_object_or_404(agreement.service_levels.all(), pk=level_pk)
    label = level.get_referral_type_display()
    services.service_level_remove(level=level, by=request.user)
    messages.success(request, f"The service level for {label} has been removed.")
    return redirect(agreement)


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
def routing_rule_set_view(request, pk):
    agreement = _agreement_or_404(request, pk)
    initial = {}
    if request.method == "GET" and request.GET.get("organisation", "").isdigit():
        rule = agreement.routing_rules.filter(receiving_organisation_id=int(request.GET["organisation"])).first()
        if rule is not None:
            initial = {
                "receiving_organisation": rule.receiving_organisation_id,
                "referral_types": rule.referral_types,
                "minimum_age": rule.minimum_age,
                "maximum_age": rule.maximum_age,
            }
    form = forms.RoutingRuleForm(request.POST or None, agreement=agreement, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rule = services.routing_rule_set(agreement=agreement, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"The routing rule for {rule.receiving_organisation.name} has been saved.")
            return redirect(agreement)
    return render(request, "partnerships/routing_rule_form.html", {"form": form, "agreement": agreement})
