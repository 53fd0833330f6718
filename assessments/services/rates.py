"""Writes for the yearly rates. A version is a draft until a finance lead confirms it; a confirmed version
never changes (a correction is a new version, to check and confirm in turn), and a version a completed
assessment has used never changes whatever its status. Starting a year by uprating is in `uprating.py`."""

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.notifications import notify

from .. import charging, rate_cells
from ..models import Assessment, RatesReminder, RatesYear
from ..selectors import finance_leads, rates_year_state

logger = logging.getLogger(__name__)

NOT_COPIED = {"id", "version", "created_at", "status", "confirmed_at", "confirmed_by"}


def rates_is_used(*, rates: RatesYear) -> bool:
    return rates.assessments.exclude(status=Assessment.Status.DRAFT).exists()


def _refuse_if_fixed(rates: RatesYear) -> None:
    if rates_is_used(rates=rates):
        raise ValidationError(
            f"The {rates.label} rates (version {rates.version}) have been used by a completed assessment and "
            "cannot change. Make a correction, which creates a new version."
        )
    if rates.is_confirmed:
        raise ValidationError(
            f"The {rates.label} rates (version {rates.version}) are confirmed and cannot change. Make a "
            "correction, which copies them into a new version to check and confirm."
        )


@transaction.atomic
def rates_update(*, rates: RatesYear, by, sources: dict[str, str] | None = None, **fields) -> RatesYear:
    """Change a draft's figures (and where each comes from); refused once confirmed or used (correct
    instead). `sources` maps a cell to its source; a blank source keeps the one recorded."""
    rates = RatesYear.objects.select_for_update().get(pk=rates.pk)
    _refuse_if_fixed(rates)
    allowed = {f.name for f in RatesYear._meta.concrete_fields} - NOT_COPIED - {"is_demonstration", "cell_sources"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be changed here")
        setattr(rates, name, value)
    if sources:
        cell_sources = dict(rates.cell_sources)
        for name, text in sources.items():
            if name not in rate_cells.CELLS:
                raise ValueError(f"{name} is not a rates cell")
            if text.strip():
                cell_sources[name] = text.strip()
        rates.cell_sources = cell_sources
    rates.full_clean()
    rates._history_user = by
    rates.save()
    return rates


@transaction.atomic
def rates_correct(*, rates: RatesYear, by, **fields) -> RatesYear:
    """Make a new draft version of a year's figures with the corrections; it is used for charging once a
    finance lead confirms it (until then the confirmed version stays in force)."""
    latest = RatesYear.objects.select_for_update().filter(start_year=rates.start_year).order_by("-version").first()
    if not latest.is_confirmed:
        raise ValidationError(
            f"Version {latest.version} of the {latest.label} rates is already waiting to be checked and "
            "confirmed. Change that version instead."
        )
    names = [f.name for f in RatesYear._meta.concrete_fields if f.name not in NOT_COPIED]
    values = {name: getattr(rates, name) for name in names}
    values.update(fields)
    corrected = RatesYear(version=latest.version + 1, status=RatesYear.Status.DRAFT, **values)
    corrected.full_clean()
    corrected._history_user = by
    corrected.save()
    return corrected


@transaction.atomic
def rates_year_confirm(*, rates: RatesYear, by) -> RatesYear:
    """Confirm a draft version: from now on assessments and estimates for its year use it. Only the
    latest version of a year can be confirmed, and only once (the one place that sets the status)."""
    rates = RatesYear.objects.select_for_update().get(pk=rates.pk)
    if rates.is_confirmed:
        raise ValidationError(f"The {rates.label} rates (version {rates.version}) are already confirmed.")
    newer = RatesYear.objects.filter(start_year=rates.start_year, version__gt=rates.version).exists()
    if newer:
        raise ValidationError(
            f"There is a newer version of the {rates.label} rates. Check and confirm that one instead."
        )
    rates.status = RatesYear.Status.CONFIRMED
    rates.confirmed_at = timezone.now()
    rates.confirmed_by = by
    rates.full_clean()
    rates._history_user = by
    rates.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    logger.info("Rates %s version %s confirmed by %s", rates.label, rates.version, by)
    return rates


REMINDER_MONTHS = (2, 3)


def rates_reminders_send(*, today: date | None = None) -> int:
    """In February and March, tell each council finance lead (in the app and by e-mail) that next
    financial year's rates are not entered, or entered and not confirmed. Each person is told once a
    month for each of those states (a unique row per person, year, month and state), so the daily job
    can run twice or at once; nothing is sent once the year is confirmed. Returns how many were told."""
    today = today or timezone.localdate()
    if today.month not in REMINDER_MONTHS:
        return 0
    start_year = charging.financial_year_start(today) + 1
    state = rates_year_state(start_year=start_year)
    if state == "confirmed":
        return 0
    year = charging.financial_year_label(start_year)
    starts = f"6 April {start_year}"
    if state == "missing":
        title = f"Enter the {year} rates before {starts}"
        body = (
            f"The council has not yet entered the rates for {year}. From {starts} no financial assessment can "
            f"be completed until they are entered and confirmed. Start the year from the rates page: copy this "
            f"year's figures, apply the published uprating, check each figure and its source, and confirm."
        )
    else:
        title = f"Confirm the {year} rates before {starts}"
        body = (
            f"The rates for {year} have been entered but not yet confirmed. From {starts} no financial "
            f"assessment can be completed until a finance lead checks and confirms them."
        )
    month = today.replace(day=1)
    told = 0
    for person in finance_leads():
        with transaction.atomic():
            _reminder, created = RatesReminder.objects.get_or_create(
                recipient=person, start_year=start_year, month=month, state=state
            )
            if created:
                notify(recipients=[person], title=title, body=body, url=reverse("assessments:rates-list"))
                told += 1
    logger.info("Rates reminders for %s (%s): %d sent", year, state, told)
    return told
