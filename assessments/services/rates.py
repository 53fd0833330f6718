"""Writes for the yearly rates: a version a completed assessment has used never changes."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Assessment, RatesYear


def rates_is_used(*, rates: RatesYear) -> bool:
    return rates.assessments.exclude(status=Assessment.Status.DRAFT).exists()


@transaction.atomic
def rates_update(*, rates: RatesYear, by, **fields) -> RatesYear:
    """Change a year's figures, refused once a completed assessment has used them (correct instead)."""
    rates = RatesYear.objects.select_for_update().get(pk=rates.pk)
    if rates_is_used(rates=rates):
        raise ValidationError(
            f"The {rates.label} rates (version {rates.version}) have been used by a completed assessment and "
            "cannot change. Make a correction, which creates a new version."
        )
    for name, value in fields.items():
        setattr(rates, name, value)
    rates.full_clean()
    rates._history_user = by
    rates.save()
    return rates


@transaction.atomic
def rates_correct(*, rates: RatesYear, by, **fields) -> RatesYear:
    """Make a new version of a year's figures with the corrections; new assessments use the new version."""
    latest = RatesYear.objects.select_for_update().filter(start_year=rates.start_year).order_by("-version").first()
    names = [f.name for f in RatesYear._meta.concrete_fields if f.name not in {"id", "version", "created_at"}]
    values = {name: getattr(rates, name) for name in names}
    values.update(fields)
    corrected = RatesYear(version=latest.version + 1, **values)
    corrected.full_clean()
    corrected._history_user = by
    corrected.save()
    return corrected
