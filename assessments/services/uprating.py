"""Annual uprating: every April benefit rates and the MIG change. First a finance lead starts next year's
rates from this year's, uprated by the published percentages (`rates_year_start`), checks them figure by
figure and confirms them. Then prepare a draft re-assessment from 6 April for every client's current
complete assessment, with each known benefit line moved from last year's rate to the new one; preview
old and new charges; then apply them all. Preparing twice creates no duplicates (one re-assessment per
assessment, lines uprated once)."""

import logging
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.money import PENNY, format_money

from .. import charging, rate_cells
from ..models import Assessment, RatesYear
from ..selectors import rates_for_date, rates_not_ready, rates_year_previous
from .assessments import assessment_complete, assessment_reassess, charge_letter_issue
from .calculation import assessment_change_in_charge

logger = logging.getLogger(__name__)

# Income types whose weekly rate the rates table holds under the same name: the disability benefits.
UPRATED_TYPES = rate_cells.cells_in(rate_cells.DISABILITY_BENEFITS)

HUNDRED = Decimal("100")
# How an uprated figure is rounded: to the nearest penny, or to the nearest 5p (as most published weekly
# benefit rates are), halves up in both cases.
ROUNDING = {"penny": Decimal("0.01"), "five_pence": Decimal("0.05")}
ROUNDING_WORDS = {"penny": "the nearest penny", "five_pence": "the nearest 5p"}


def uprate_figure(value: Decimal, *, percent: Decimal, rounding: str = "penny") -> Decimal:
    """`value` raised by `percent` per cent, rounded half up to the nearest penny or 5p, once, at the end:
    112.50 up 3.8% is 116.775, which is 116.78 to the penny and 116.80 to the 5p."""
    raw = Decimal(value) * (HUNDRED + Decimal(percent)) / HUNDRED
    step = ROUNDING[rounding]
    return ((raw / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step).quantize(PENNY)


@transaction.atomic
def rates_year_start(
    *,
    start_year: int,
    by,
    percentages: dict[str, Decimal | None],
    source: str,
    rounding: str = "penny",
    figures: dict[str, Decimal] | None = None,
    figure_sources: dict[str, str] | None = None,
    is_demonstration: bool = False,
) -> RatesYear:
    """Start a financial year's rates as a draft to check and confirm: copy each of the previous year's
    figures (its confirmed version, else its latest draft), raise each group of cells by that group's
    published uprating percentage (blank: carried over unchanged), round as stated, and record where each
    figure came from. `figures` sets cells by hand instead (each with its `figure_sources` entry, else
    `source`). A year started from demonstration figures is flagged as one. Refused if the year already
    has rates."""
    already = ValidationError(
        f"The {charging.financial_year_label(start_year)} rates have already been started. Change them from the "
        "rates page."
    )
    if RatesYear.objects.filter(start_year=start_year).exists():
        raise already
    if not source.strip():
        raise ValidationError({"source": "Enter where the uprating comes from"})
    previous = rates_year_previous(start_year=start_year)
    figures = figures or {}
    source = source.strip()
    values, cell_sources = {}, {}
    for name, (group, _label) in rate_cells.CELLS.items():
        if name in figures:
            values[name] = figures[name]
            cell_sources[name] = (figure_sources or {}).get(name) or source
            continue
        old = getattr(previous, name) if previous else None
        if old is None:
            values[name] = None  # nothing to carry over: entered by hand before confirming
            continue
        percent = percentages.get(group)
        if percent:
            values[name] = uprate_figure(old, percent=percent, rounding=rounding)
            cell_sources[name] = (
                f"{previous.label} figure {format_money(old)} uprated by {percent}% and rounded to "
                f"{ROUNDING_WORDS[rounding]}: {source}"
            )
        else:
            values[name] = old
            cell_sources[name] = f"{previous.label} figure {format_money(old)} carried over unchanged: {source}"
    summary = ", ".join(f"{rate_cells.GROUPS[group]} {percent}%" for group, percent in percentages.items() if percent)
    rates = RatesYear(
        start_year=start_year,
        version=1,
        status=RatesYear.Status.DRAFT,
        # figures worked out from demonstration figures are demonstration figures too
        is_demonstration=is_demonstration or bool(previous and previous.is_demonstration),
        pension_credit_age=previous.pension_credit_age if previous else 66,
        source=(
            f"{source}\nStarted from the {previous.label} figures (version {previous.version})"
            f"{': uprated ' + summary if summary else ', unchanged'}."
            if previous
            else source
        ),
        cell_sources=cell_sources,
        **values,
    )
    rates.full_clean(validate_constraints=False)
    rates._history_user = by
    try:
        with transaction.atomic():
            rates.save()
    except IntegrityError as exc:  # started by someone else at the same moment
        raise already from exc
    logger.info("Rates %s started by %s from %s", rates.label, by, previous)
    return rates


@dataclass(frozen=True)
class UpratingRow:
    assessment: Assessment
    old: Decimal | None
    new: Decimal | None
    difference: Decimal | None


def _year_start(start_year: int) -> date:
    return date(start_year, 4, 6)


def uprating_prepare(*, organisation, start_year: int, by) -> list[Assessment]:
    """Prepare the uprated draft re-assessments for `start_year` (idempotent); returns the drafts."""
    new_rates = rates_for_date(on=_year_start(start_year))
    old_rates = rates_for_date(on=date(start_year, 4, 5))
    if new_rates is None:
        raise ValidationError(rates_not_ready(on=_year_start(start_year)).staff_message())
    if old_rates is None:
        raise ValidationError(rates_not_ready(on=date(start_year, 4, 5)).staff_message())
    current = Assessment.objects.filter(
        organisation=organisation, status=Assessment.Status.COMPLETE, effective_date__lt=_year_start(start_year)
    ).order_by("pk")
    drafts = []
    for assessment in current:
        with transaction.atomic():
            draft = assessment_reassess(assessment=assessment, by=by, effective_date=_year_start(start_year))
            if draft.effective_date != _year_start(start_year):
                continue  # a re-assessment for another reason is already under way: leave it to the officer
            for line in draft.income_lines.select_for_update().filter(type__in=UPRATED_TYPES, period="week"):
                old, new = getattr(old_rates, line.type), getattr(new_rates, line.type)
                if old is not None and new is not None and line.amount == old:
                    line.amount = new
                    line._history_user = by
                    line.save(update_fields=["amount"])
            drafts.append(draft)
    logger.info("Uprating %s for %s: %d drafts", start_year, organisation, len(drafts))
    return drafts


def uprating_preview(*, organisation, start_year: int) -> list[UpratingRow]:
    """Old charge, new charge and difference for each uprated draft."""
    drafts = (
        Assessment.objects.filter(
            organisation=organisation,
            status=Assessment.Status.DRAFT,
            effective_date=_year_start(start_year),
            supersedes__isnull=False,
        )
        .select_related("client", "supersedes")
        .prefetch_related("income_lines", "capital_lines", "expense_lines")
        .order_by("client__last_name", "pk")
    )
    rows = []
    for draft in drafts:
        change = assessment_change_in_charge(assessment=draft) or {}
        rows.append(UpratingRow(draft, change.get("old"), change.get("new"), change.get("difference")))
    return rows


def uprating_apply(*, organisation, start_year: int, by) -> tuple[int, list[str]]:
    """Complete every uprated draft from 6 April and issue its charge letter (HTML and PDF, stored with
    it); returns how many, and why any could not be completed. Each draft and its letter go together or
    not at all; applying again finds no drafts left, so nothing is completed or issued twice."""
    done, problems = 0, []
    for row in uprating_preview(organisation=organisation, start_year=start_year):
        try:
            with transaction.atomic():
                completed = assessment_complete(assessment=row.assessment, by=by)
                charge_letter_issue(assessment=completed, by=by)
        except ValidationError as exc:
            problems.append(f"{row.assessment.client}: {' '.join(exc.messages)}")
        else:
            done += 1
    return done, problems
