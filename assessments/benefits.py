"""Benefit maximisation: rules that flag likely unclaimed entitlement on an assessment.

Everyone assessed has care needs (that is why they are assessed), so the care-needs condition holds.
- At Pension Credit age with no Attendance Allowance (nor DLA care / PIP daily living): Attendance Allowance.
- At Pension Credit age, counted weekly income below the guarantee credit and no Pension Credit: Pension Credit.
- An unpaid carer and no Carer's Allowance in the household's income lines: Carer's Allowance (for the carer).
- Below Pension Credit age with no PIP daily living (nor DLA care): PIP.
- A council tax bill with no Council Tax Support: Council Tax Support.

Pure rules on plain facts (no database); `assessments.selectors.benefit_flags` gathers the facts of a
stored assessment.
"""

from dataclasses import dataclass
from decimal import Decimal

from . import charging

CARE_BENEFITS = charging.DISABILITY_BENEFITS
PENSION_CREDIT = {"pension_credit_guarantee", "pension_credit_savings"}


@dataclass(frozen=True)
class BenefitFacts:
    age: int
    pension_credit_age: int
    income_types: frozenset[str]
    weekly_income: Decimal
    guarantee_credit: Decimal | None  # None: the year's figure is not entered, so that rule is skipped
    has_unpaid_carer: bool = False
    pays_council_tax: bool = False
    receives_council_tax_support: bool = False


@dataclass(frozen=True)
class BenefitFlag:
    code: str  # a partnerships.ReferralType value
    title: str
    reason: str


def benefit_flags_for(facts: BenefitFacts) -> list[BenefitFlag]:
    """The likely unclaimed benefits for these facts (rules in the module docstring)."""
    flags = []
    pension_age = facts.age >= facts.pension_credit_age
    has_care_benefit = bool(facts.income_types & CARE_BENEFITS)
    if pension_age and not has_care_benefit:
        flags.append(
            BenefitFlag(
                "attendance_allowance",
                "Attendance Allowance",
                "Over Pension Credit age with care needs and no Attendance Allowance.",
            )
        )
    if (
        pension_age
        and facts.guarantee_credit is not None
        and facts.weekly_income < facts.guarantee_credit
        and not facts.income_types & PENSION_CREDIT
    ):
        flags.append(
            BenefitFlag(
                "pension_credit",
                "Pension Credit",
                f"Weekly income £{facts.weekly_income} is below the guarantee credit of £{facts.guarantee_credit} "
                "and no Pension Credit is received.",
            )
        )
    if facts.has_unpaid_carer and "carers_allowance" not in facts.income_types:
        flags.append(
            BenefitFlag("carers_allowance", "Carer's Allowance", "An unpaid carer is not getting Carer's Allowance.")
        )
    if not pension_age and not has_care_benefit:
        flags.append(
            BenefitFlag(
                "dla_pip", "Personal Independence Payment", "Under Pension Credit age with care needs and no PIP."
            )
        )
    if facts.pays_council_tax and not facts.receives_council_tax_support:
        flags.append(
            BenefitFlag("housing_benefit", "Council Tax Support", "Pays council tax and gets no Council Tax Support.")
        )
    return flags
