"""Annual uprating: every April benefit rates and the MIG change. Once next year's rates are entered,
prepare a draft re-assessment from 6 April for every client's current complete assessment, with each
known benefit line moved from last year's rate to the new one; preview old and new charges; then apply
them all. Preparing twice creates no duplicates (one re-assessment per assessment, lines uprated once)."""

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import charging
from ..models import Assessment
from ..selectors import rates_for_date
from .assessments import assessment_complete, assessment_reassess, charge_letter_issue
from .calculation import assessment_change_in_charge

logger = logging.getLogger(__name__)

# Income types whose weekly rate the rates table holds under the same name.
UPRATED_TYPES = (
    "attendance_allowance_higher",
    "attendance_allowance_lower",
    "pip_daily_living_enhanced",
    "pip_daily_living_standard",
    "pip_mobility_enhanced",
    "pip_mobility_standard",
    "dla_care_highest",
    "dla_care_middle",
    "dla_care_lowest",
)


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
    if new_rates is None or old_rates is None:
        raise ValidationError(f"Enter the {charging.financial_year_label(start_year)} rates before uprating.")
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
