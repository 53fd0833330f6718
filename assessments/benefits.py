"""Benefit maximisation: rules that flag likely unclaimed entitlement on an assessment.

Everyone assessed has care needs (that is why they are assessed), so the care-needs condition holds.
- At Pension Credit age with no Attendance Allowance (nor DLA care / PIP daily living): Attendance Allowance.
- At Pension Credit age, counted weekly income below the guarantee credit and no Pension Credit: Pension Credit.
- An unpaid carer and no Carer's Allowance in the household's income lines: Carer's Allowance (for the carer).
- Below Pension Credit age with no PIP daily living (nor DLA care): PIP.
- A council tax bill with no Council Tax Support: Council Tax Support.
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


def benefit_flags(*, assessment) -> list[BenefitFlag]:
    """The flags for a stored assessment, from its lines and its year's rates."""
    from .selectors import rates_for_date  # avoid an import cycle at module load

    rates = assessment.rates or rates_for_date(on=assessment.effective_date)
    born = assessment.client.date_of_birth
    on = assessment.effective_date
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    income = list(assessment.income_lines.all())
    guarantee = None
    if rates is not None:
        guarantee = (
            rates.guarantee_credit_couple / 2 if assessment.is_couple and rates.guarantee_credit_couple else None
        )
        if not assessment.is_couple:
            guarantee = rates.guarantee_credit_single
    counted = sum(
        (
            charging.weekly_amount(line.amount, line.period)
            for line in income
            if line.type not in charging.FULLY_DISREGARDED
        ),
        Decimal("0.00"),
    )
    return benefit_flags_for(
        BenefitFacts(
            age=age,
            pension_credit_age=rates.pension_credit_age if rates else 66,
            income_types=frozenset(line.type for line in income),
            weekly_income=counted,
            guarantee_credit=guarantee,
            has_unpaid_carer=assessment.has_unpaid_carer,
            pays_council_tax=any(
                line.kind == "housing" and line.type == "council_tax" for line in assessment.expense_lines.all()
            ),
            receives_council_tax_support=assessment.receives_council_tax_support,
        )
    )
