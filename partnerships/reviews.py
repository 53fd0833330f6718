"""Interim and annual partnership reviews (report 693 §2.2): the period a review's key indicators cover.
Pure rules, no queries."""

from datetime import date, timedelta

from core.months import add_months

from .models import PartnershipReview

# An interim review looks back 6 months, an annual review 12.
REVIEW_MONTHS = {PartnershipReview.Kind.INTERIM: 6, PartnershipReview.Kind.ANNUAL: 12}


def review_period(*, kind: str, today: date) -> tuple[date, date]:
    """The first and last days a review of `kind` done `today` covers: the last 6 or 12 months to today
    (an annual review on 1 December 2026 covers 2 December 2025 to 1 December 2026)."""
    return add_months(today + timedelta(days=1), -REVIEW_MONTHS[kind]), today
