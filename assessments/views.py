"""Pages for financial assessments: council visiting officers and team managers only; another
organisation's assessment is a 404 by construction (selectors scope every read)."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from core.access import organisation_of, role_required
from core.forms import apply_service_errors
from partnerships.models import CASEWORK_ROLES, Role
from referrals.selectors import client_list_for_user, visit_list_for_user

from . import charging, rate_cells, services
from .benefits import benefit_flags
from .estimate import EstimateRequest
from .forms import (
    AssessmentFilterForm,
    AssessmentForm,
    CapitalLineForm,
    DreLineForm,
    EstimateForm,
    HousingLineForm,
    IncomeLineForm,
    ReassessForm,
)
from .models import Assessment
from .selectors import (
    assessment_get_with_lines,
    assessment_history_for_client,
    assessment_list_filtered,
    benefit_partner_for,
    can_see_assessments,
    rates_for_date,
    rates_not_ready,
)
from .tasks import uprating_prepare_task

PAGE_SIZE = 25
ASSESSMENT_FIELDS = (
    "effective_date",
    "weekly_care_cost",
    "is_couple",
    "partner_name",
    "night_care_provided",
    "use_flat_rate_dre",
    "has_unpaid_carer",
    "receives_council_tax_support",
)


def _council_only(request) -> None:
    if not can_see_assessments(request.user):
        raise PermissionDenied("Only council visiting officers and team managers see financial assessments.")


def _assessment_or_404(request, pk) -> Assessment:
    _council_only(request)
    try:
        return assessment_get_with_lines(user=request.user, pk=pk)
    except Assessment.DoesNotExist as exc:
        raise Http404("No such assessment") from exc


def _current_result(assessment: Assessment):
    """(result dict, problem, rates): the stored result and its rates once complete, else worked out from
    the lines now with the rates in force (None, with the reason in plain words, when it cannot be)."""
    if assessment.status != Assessment.Status.DRAFT:
        return assessment.result, "", assessment.rates
    try:
        result, rates, _policy = services.assessment_calculate(assessment=assessment)
    except charging.ChargingError as exc:
        return None, str(exc), rates_for_date(on=assessment.effective_date)
    return result.as_dict(), "", rates


@login_required
@role_required(*CASEWORK_ROLES)
def assessment_list_view(request):
    _council_only(request)
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
    _council_only(request)
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
                **{name: form.cleaned_data[name] for name in ASSESSMENT_FIELDS},
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
    assessment = _assessment_or_404(request, pk)
    if not assessment.is_editable:
        messages.error(request, "This assessment is complete. Start a re-assessment to change it.")
        return redirect(assessment)
    form = AssessmentForm(
        request.POST or None,
        initial={name: getattr(assessment, name) for name in ASSESSMENT_FIELDS},
        button="Save changes",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_update(
                assessment=assessment, by=request.user, **{name: form.cleaned_data[name] for name in ASSESSMENT_FIELDS}
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
    assessment = _assessment_or_404(request, pk)
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
    result, problem, rates = _current_result(assessment)
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
    assessment = _assessment_or_404(request, pk)
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
    assessment = _assessment_or_404(request, pk)
    result, problem, rates = _current_result(assessment)
    return render(
        request,
        "assessments/assessment_result.html",
        {
            "demo_rates": rates,
            "assessment": assessment,
            "client": assessment.client,
            "result": result,
            "problem": problem,
            "flags": _flags_with_partners(request, assessment),
        },
    )


def _flags_with_partners(request, assessment: Assessment) -> list[tuple]:
    """Each benefit flag with the partner one click refers it to (None: choose one on the referral form)."""
    today = timezone.localdate()
    sender = organisation_of(request.user)
    age = assessment.client.age_on(today)
    return [
        (flag, benefit_partner_for(code=flag.code, sender=sender, client_age=age, on=today))
        for flag in benefit_flags(assessment=assessment)
    ]


@login_required
@role_required(*CASEWORK_ROLES)
@require_POST
def benefit_flag_refer_view(request, pk, code):
    """One click: refer the client to the right partner for a benefit flagged on the assessment."""
    assessment = _assessment_or_404(request, pk)
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
    assessment = _assessment_or_404(request, pk)
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
    assessment = _assessment_or_404(request, pk)
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
    _council_only(request)
    client = get_object_or_404(client_list_for_user(user=request.user), pk=client_pk)
    assessments = assessment_history_for_client(user=request.user, client=client)
    return render(request, "assessments/client_charge_history.html", {"client": client, "assessments": assessments})


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def estimate_view(request):
    """Public: estimate what you might pay, with this year's confirmed rates and the council's policy.
    Sent by POST (nothing typed reaches the address bar, history or logs; a GET always shows the empty
    form) and stores nothing. Where the rates do not allow an estimate, the page says so in plain words."""
    today = timezone.localdate()
    rates = rates_for_date(on=today)
    form = EstimateForm(request.POST) if request.method == "POST" else EstimateForm()
    result, problem = None, ""
    if rates is not None and form.is_bound and form.is_valid():
        try:
            result, _rates = services.charge_estimate(
                request=EstimateRequest(assessment_date=today, data=form.charge_input(), policy_overrides={})
            )
            result = result.as_dict()
        except charging.RatesNotReady as exc:
            problem = exc.public_message()
        except charging.ChargingError:
            problem = "We cannot work out an estimate from these answers. Check them, or contact adult social care."
    return render(
        request,
        "assessments/estimate.html",
        {
            "form": form,
            "result": result,
            "problem": problem,
            "rates": rates,
            "unavailable": "" if rates else rates_not_ready(on=today).public_message(),
            "cannot_estimate_for": [
                people for name, people in rate_cells.MIG_PEOPLE.items() if rates and getattr(rates, name) is None
            ],
            "care_cost_given": form.is_bound and bool(form.data.get("weekly_care_cost")),
        },
    )


def _issued_letter(request, pk):
    """(assessment, letter): the letter is issued (HTML and PDF stored) the first time it is asked for;
    a draft has no letter yet (None)."""
    assessment = _assessment_or_404(request, pk)
    if assessment.status == Assessment.Status.DRAFT:
        return assessment, None
    return assessment, services.charge_letter_issue(assessment=assessment, by=request.user)


@login_required
@role_required(*CASEWORK_ROLES)
def assessment_letter_view(request, pk):
    """A printable charge letter for a complete assessment."""
    assessment, letter = _issued_letter(request, pk)
    if letter is None:
        messages.error(request, "Complete the assessment before printing the letter.")
        return redirect(assessment)
    return render(
        request,
        "assessments/assessment_letter.html",
        {"assessment": assessment, "client": assessment.client, "letter": letter},
    )


@login_required
@role_required(*CASEWORK_ROLES)
def assessment_letter_pdf_view(request, pk):
    """The charge letter as a PDF download: the stored file, made once when the letter was issued."""
    assessment, letter = _issued_letter(request, pk)
    if letter is None:
        messages.error(request, "Complete the assessment before downloading the letter.")
        return redirect(assessment)
    return FileResponse(
        letter.pdf.open("rb"),
        as_attachment=True,
        filename=f"charge-letter-{slugify(assessment.client.last_name)}-{assessment.effective_date:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )


UPRATING_ROLES = (Role.TEAM_MANAGER,)  # the admin role counts as every role


@login_required
@role_required(*UPRATING_ROLES)
def uprating_view(request, start_year):
    """Annual uprating for the user's council: prepare the drafts (a Celery task), preview old and new
    charges (CSV too), then apply them all from 6 April."""
    _council_only(request)
    organisation = organisation_of(request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "prepare":
            transaction.on_commit(
                lambda: uprating_prepare_task.delay(
                    organisation_id=organisation.pk, start_year=start_year, by_id=request.user.pk
                )
            )
            messages.success(request, "Preparing the re-assessments. Refresh this page in a minute to see them.")
        elif action == "apply":
            done, problems = services.uprating_apply(organisation=organisation, start_year=start_year, by=request.user)
            messages.success(request, f"{done} new charges apply from 6 April {start_year}.")
            for problem in problems:
                messages.error(request, problem)
        return redirect("assessments:uprating", start_year=start_year)
    rows = services.uprating_preview(organisation=organisation, start_year=start_year)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="uprating-{start_year}.csv"'
        writer = csv.writer(response)
        writer.writerow(["Client", "Effective date", "Old charge", "New charge", "Difference"])
        for row in rows:
            writer.writerow(
                [row.assessment.client.full_name, row.assessment.effective_date, row.old, row.new, row.difference]
            )
        return response
    return render(
        request,
        "assessments/uprating.html",
        {"rows": rows, "start_year": start_year, "year": charging.financial_year_label(start_year)},
    )
