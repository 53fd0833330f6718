"""A benefit award recorded on a referral outcome prepares a draft re-assessment."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ..models import Assessment, RatesYear
from ..selectors import rates_for_date
from .assessments import assessment_reassess, income_line_add

# A benefit awarded through a referral -> (income type at the higher rate, which is also the rates field
# holding that rate, and the income type below it; None when the benefit has one type).
AWARD_INCOME = {
    "attendance_allowance": ("attendance_allowance_higher", "attendance_allowance_lower"),
    "dla_pip": ("pip_daily_living_enhanced", "pip_daily_living_standard"),
    "pension_credit": ("pension_credit_guarantee", None),
}


def _award_income_type(*, benefit: str, weekly_amount: Decimal, rates: RatesYear | None) -> str | None:
    mapping = AWARD_INCOME.get(benefit)
    if mapping is None:
        return None
    higher_type, lower_type = mapping
    if lower_type is None:
        return higher_type
    higher_rate = getattr(rates, higher_type, None) if rates else None
    # An award at (or above) the higher rate is the higher rate; anything less, the lower rate.
    return higher_type if higher_rate is not None and weekly_amount >= higher_rate else lower_type


@transaction.atomic
def assessment_reassess_for_award(*, outcome, by) -> Assessment | None:
    """When a referral outcome records an award (AA, PIP, Pension Credit), prepare a draft re-assessment of
    the client's latest complete assessment by the referring council, with that income from the award's
    effective date. Running it twice changes nothing. Returns the draft, or None if nothing applies."""
    if outcome.decision != "awarded" or outcome.benefit not in AWARD_INCOME or outcome.weekly_amount <= 0:
        return None
    referral = outcome.referral
    current = (
        Assessment.objects.filter(
            client_id=referral.client_id,
            organisation_id=referral.from_organisation_id,
            status=Assessment.Status.COMPLETE,
        )
        .order_by("-effective_date", "-pk")
        .first()
    )
    if current is None:
        return None
    effective = max(outcome.effective_date or timezone.localdate(), current.effective_date)
    draft = assessment_reassess(assessment=current, by=by, effective_date=effective)
    income_type = _award_income_type(
        benefit=outcome.benefit, weekly_amount=outcome.weekly_amount, rates=rates_for_date(on=draft.effective_date)
    )
    description = f"Awarded through referral {referral.reference}"
    if not draft.income_lines.filter(description=description, type=income_type).exists():
        income_line_add(
            assessment=draft,
            by=by,
            type=income_type,
            amount=outcome.weekly_amount,
            period="week",
            description=description,
        )
    return draft
