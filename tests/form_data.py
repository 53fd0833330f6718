"""What a browser posts for a form field the tests fill in (shared by every app's view tests)."""

from datetime import date


def govuk_date_fields(prefix: str, day: date) -> dict:
    """A GOV.UK date input's three boxes (day, month, year) for the field `prefix`."""
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}
