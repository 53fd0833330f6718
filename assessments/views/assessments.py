"""Pages for financial assessments: council visiting officers and team managers only; another
organisation's assessment is a 404 by construction (selectors scope every read)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import organisation_of, role_required
from core.forms import apply_service_errors
from partnerships.models import CASEWORK_ROLES
from referrals.selectors import client_list_for_user, visit_list_for_user

from .. import services
from ..forms import (
    AssessmentFilterForm,
    AssessmentForm,
    CapitalLineForm,
    DreLineForm,
    HousingLineForm,
    IncomeLineForm,
    ReassessForm,
)
from ..selectors import assessment_history_for_client, assessment_list_filtered, benefit_flags_with_partners
from .access import assessment_or_404, council_only

PAGE_SIZE = 25


@login_required
@role_required(*CASEWORK_ROLES)
def assessment_list_view(request):
    council_only(request)
    form = AssessmentFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    assessments = assessment_list_filtered(user=request.user, **{name: filters.get(name, "") for name in form.fields})
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(assessments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/assessment_list.html",
        {"page": page, "filter_form": form, "query_string": query.urlencode(), "is_filtered": bool(query)},
    )


@login_required
@role_required(*CASEWORK_ROLES)
def assessment_create_view(request, client_pk):
    council_only(request)
    client = get_object_or_404(client_list_for_user(user=request.user), pk=client_pk)
    visit = None
    initial = {"use_flat_rate_dre": True}
    if request.GET.get("visit"):
        # Started from a visit: only a visit the user can see, to this client.
        try:
            visit_pk = int(request.GET["visit"])
        except ValueError as exc:
            raise Http404("No such visit") from exc
        visit = get_object_or_404(visit_list_for_user(user=request.user).filter(client=client), pk=visit_pk)
        initial["effective_date"] = timezone.localdate(visit.starts_at)
    form = AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_create(
                client=client,
                by=request.user,
                visit=visit,
                **{name: form.cleaned_data[name] for name in services.ASSESSMENT_FIELDS},
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Assessment started. Add the income, capital and costs.")
            return redirect(assessment)
    return render(
        request,
        "assessments/assessment_form.html",
        {"form": form, "client": client, "assessment": None, "visit": visit},
    )


@login_required
@role_required(*CASEWORK_ROLES)
def assessment_edit_view(request, pk):
    assessment = assessment_or_404(request, pk)
    if not assessment.is_editable:
        messages.error(request, "This assessment is complete. Start a re-assessment to change it.")
        return redirect(assessment)
    form = AssessmentForm(
        request.POST or None,
        initial={name: getattr(assessment, name) for name in services.ASSESSMENT_FIELDS},
        button="Save changes",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_update(
                assessment=assessment,
                by=request.user,
                **{name: form.cleaned_data[name] for name in services.ASSESSMENT_FIELDS},
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect(assessment)
    return render(
        request,
        "assessments/assessment_form.html",
        {"form": form, "client": assessment.client, "assessment": assessment},
    )


LINE_FORMS = {"income": IncomeLineForm, "capital": CapitalLineForm, "housing": HousingLineForm, "dre": DreLineForm}


def _add_line(*, assessment, by, kind: str, data: dict) -> None:
    if kind == "income":
        services.income_line_add(assessment=assessment, by=by, **data)
    elif kind == "capital":
        services.capital_line_add(assessment=assessment, by=by, **data)
    elif kind == "housing":
        services.expense_line_add(assessment=assessment, by=by, kind="housing", **data)
    else:
        services.expense_line_add(assessment=assessment, by=by, kind="dre", **data)


@login_required
@role_required(*CASEWORK_ROLES)
def assessment_detail_view(request, pk):
    """The assessment with its lines, forms to add more, and the charge as it stands."""
    assessment = assessment_or_404(request, pk)
    forms_by_kind = {kind: form_class() for kind, form_class in LINE_FORMS.items()}
    failed = None
    if request.method == "POST":
        kind = request.GET.get("kind")
        if kind not in LINE_FORMS:
            raise Http404("No such kind of line")
        form = LINE_FORMS[kind](request.POST)
        forms_by_kind[kind] = form
        if form.is_valid():
            try:
                _add_line(assessment=assessment, by=request.user, kind=kind, data=form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return redirect(f"{assessment.get_absolute_url()}#result")
        failed = form
    result, problem, rates = services.assessment_current_result(assessment=assessment)
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "demo_rates": rates,
            "assessment": assessment,
            "client": assessment.client,
            "line_forms": forms_by_kind,
            "form": failed,
            "result": result,
            "problem": problem,
            "change": services.assessment_change_in_charge(assessment=assessment),
            "expenses_housing": [line for line in assessment.expense_lines.all() if line.kind == "housing"],
            "expenses_dre": [line for line in assessment.expense_lines.all() if line.kind == "dre"],
        },
    )


@login_required
@role_required(*CASEWORK_ROLES)
@require_POST
def assessment_line_remove_view(request, pk, kind, line_id):
    assessment = assessment_or_404(request, pk)
    if kind not in services.LINE_MODELS:
        raise Http404("No such kind of line")
    try:
        services.assessment_line_remove(assessment=assessment, by=request.user, kind=kind, line_id=line_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except services.LINE_MODELS[kind].DoesNotExist as exc:
        raise Http404("No such line") from exc
    return redirect(assessment)


@login_required
@role_required(*CASEWORK_ROLES)
def assessment_result_view(request, pk):
    """The charge with its line-by-line breakdown and the benefit checks."""
    assessment = assessment_or_404(request, pk)
    result, problem, rates = services.assessment_current_result(assessment=assessment)
    return render(
        request,
        "assessments/assessment_result.html",
        {
            "demo_rates": rates,
            "assessment": assessment,
            "client": assessment.client,
            "result": result,
            "problem": problem,
            "flags": benefit_flags_with_partners(
                assessment=assessment, sender=organisation_of(request.user), on=timezone.localdate()
            ),
        },
    )


@login_required
@role_required(*CASEWORK_ROLES)
@require_POST
def benefit_flag_refer_view(request, pk, code):
    """One click: refer the client to the right partner for a benefit flagged on the assessment."""
    assessment = assessment_or_404(request, pk)
    try:
        referral, created = services.benefit_flag_refer(assessment=assessment, code=code, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages) + " Complete the referral form instead.")
        return redirect(f"{reverse('referrals:referral-create', args=[assessment.client_id])}?referral_type={code}")
    if created:
        messages.success(request, f"Referral {referral.reference} sent to {referral.to_organisation.name}.")
    else:
        messages.info(request, f"Referral {referral.reference} for this is already open.")
    return redirect(referral)


@login_required
@role_required(*CASEWORK_ROLES)
@require_POST
def assessment_complete_view(request, pk):
    assessment = assessment_or_404(request, pk)
    try:
        services.assessment_complete(assessment=assessment, by=request.user)
    except services.InvalidTransition as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Assessment complete. The charge is saved and can no longer change.")
        return redirect("assessments:assessment-result", pk=assessment.pk)
    return redirect(assessment)


@login_required
@role_required(*CASEWORK_ROLES)
def assessment_reassess_view(request, pk):
    assessment = assessment_or_404(request, pk)
    form = ReassessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.assessment_reassess(
                assessment=assessment, by=request.user, effective_date=form.cleaned_data["effective_date"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Re-assessment started from the last assessment's details.")
            return redirect(draft)
    return render(request, "assessments/assessment_reassess.html", {"form": form, "assessment": assessment})


@login_required
@role_required(*CASEWORK_ROLES)
def client_charge_history_view(request, client_pk):
    """Every charge for a client, newest first."""
    council_only(request)
    client = get_object_or_404(client_list_for_user(user=request.user), pk=client_pk)
    assessments = assessment_history_for_client(user=request.user, client=client)
    return render(request, "assessments/client_charge_history.html", {"client": client, "assessments": assessments})
