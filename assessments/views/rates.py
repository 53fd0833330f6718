"""Pages for each financial year's rates. Council finance leads (finance approvers, and administrators)
start a year by uprating last year's figures, change figures one by one with their sources, and confirm
the year; council casework and finance staff may read them. The rates are national figures, the same for
every council, so there is no organisation to scope by: the role and council checks are the guard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import role_required
from core.forms import apply_service_errors

from .. import charging, rate_cells, services
from ..forms import RatesConfirmForm, RatesFiguresForm, RatesYearStartForm
from ..models import RatesYear
from ..selectors import (
    FINANCE_LEAD_ROLES,
    RATES_READER_ROLES,
    can_manage_rates,
    can_read_rates,
    rates_figure_rows,
    rates_year_history,
    rates_year_previous,
    rates_year_rows,
    rates_year_startable,
    rates_year_versions,
)


def _readers_only(request) -> None:
    if not can_read_rates(request.user):
        raise PermissionDenied("Only council staff see the rates.")


def _finance_leads_only(request) -> None:
    if not can_manage_rates(request.user):
        raise PermissionDenied("Only a council's finance leads change the rates.")


@login_required
@role_required(*RATES_READER_ROLES)
def rates_list_view(request):
    """Every financial year's rates: the version in force, any version waiting, what is missing."""
    _readers_only(request)
    startable = rates_year_startable(today=timezone.localdate()) if can_manage_rates(request.user) else []
    return render(
        request,
        "assessments/rates_list.html",
        {"rows": rates_year_rows(), "startable": startable, "can_manage": can_manage_rates(request.user)},
    )


@login_required
@role_required(*FINANCE_LEAD_ROLES)
def rates_start_view(request):
    """Start this financial year or the next: last year's figures uprated by the published percentages."""
    _finance_leads_only(request)
    years = rates_year_startable(today=timezone.localdate())
    if not years:
        messages.info(request, "This year's and next year's rates have both been started.")
        return redirect("assessments:rates-list")
    form = RatesYearStartForm(request.POST or None, years=years)
    if request.method == "POST" and form.is_valid():
        try:
            rates = services.rates_year_start(
                start_year=form.cleaned_data["start_year"],
                by=request.user,
                percentages=form.percentages(),
                rounding=form.cleaned_data["rounding"],
                source=form.cleaned_data["source"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"The {rates.label} rates are started. Check each figure and its source, then confirm them.",
            )
            return redirect(rates)
    previous = [(charging.financial_year_label(year), rates_year_previous(start_year=year)) for year in years]
    return render(request, "assessments/rates_start.html", {"form": form, "previous": previous})


@login_required
@role_required(*RATES_READER_ROLES)
def rates_detail_view(request, pk):
    """One version of a year's rates: each figure beside last year's, its source, its history."""
    _readers_only(request)
    rates = get_object_or_404(RatesYear.objects.select_related("confirmed_by"), pk=pk)
    previous = rates_year_previous(start_year=rates.start_year)
    versions = list(rates_year_versions(start_year=rates.start_year))
    is_latest = versions[0].pk == rates.pk
    return render(
        request,
        "assessments/rates_detail.html",
        {
            "rates": rates,
            "previous": previous,
            "figure_rows": rates_figure_rows(rates=rates, previous=previous),
            "missing": [rate_cells.label(name) for name in rates.missing_cells],
            "versions": versions,
            "is_latest": is_latest,
            "is_used": services.rates_is_used(rates=rates),
            "history": rates_year_history(rates=rates),
            "can_manage": can_manage_rates(request.user),
            "confirm_form": RatesConfirmForm() if not rates.is_confirmed and is_latest else None,
        },
    )


@login_required
@role_required(*FINANCE_LEAD_ROLES)
def rates_edit_view(request, pk):
    """Change a draft's figures one by one, each with where it comes from."""
    _finance_leads_only(request)
    rates = get_object_or_404(RatesYear, pk=pk)
    if rates.is_confirmed:
        messages.error(request, "These rates are confirmed and cannot change. Make a correction instead.")
        return redirect(rates)
    form = RatesFiguresForm(request.POST or None, rates=rates)
    if request.method == "POST" and form.is_valid():
        try:
            services.rates_update(rates=rates, by=request.user, sources=form.sources(), **form.figures())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"The {rates.label} figures are saved. Confirm them when every one is right.")
            return redirect(rates)
    return render(request, "assessments/rates_edit.html", {"rates": rates, "form": form})


@login_required
@role_required(*FINANCE_LEAD_ROLES)
@require_POST
def rates_confirm_view(request, pk):
    """Confirm a draft: assessments and estimates for its year use it from now on."""
    _finance_leads_only(request)
    rates = get_object_or_404(RatesYear, pk=pk)
    form = RatesConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["checked"][0])
        return redirect(f"{rates.get_absolute_url()}#confirm")
    try:
        services.rates_year_confirm(rates=rates, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The {rates.label} rates are confirmed. Assessments for {rates.label} use them.")
    return redirect(rates)


@login_required
@role_required(*FINANCE_LEAD_ROLES)
@require_POST
def rates_correct_view(request, pk):
    """Copy a confirmed version into a new draft to correct; the confirmed one stays in force until then."""
    _finance_leads_only(request)
    rates = get_object_or_404(RatesYear, pk=pk)
    try:
        corrected = services.rates_correct(rates=rates, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(rates)
    messages.success(
        request,
        f"Version {corrected.version} of the {corrected.label} rates is ready to correct. Version "
        f"{rates.version} stays in use until you confirm it.",
    )
    return redirect("assessments:rates-edit", pk=corrected.pk)
