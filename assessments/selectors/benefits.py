"""Reads for benefit maximisation: the benefits flagged on a stored assessment (the rules themselves are
`assessments/benefits.py`) and the partner organisation each flag is referred to."""

from datetime import date
from decimal import Decimal

from partnerships.models import Organisation
from partnerships.selectors import routing_check

from .. import charging
from ..benefits import BenefitFacts, BenefitFlag, benefit_flags_for
from ..models import Assessment
from .rates import rates_for_date

# Which kind of partner deals with each benefit flag, in order of preference.
BENEFIT_PARTNER_KINDS = {
    "attendance_allowance": (Organisation.Kind.PENSION_SERVICE,),
    "pension_credit": (Organisation.Kind.PENSION_SERVICE,),
    "carers_allowance": (Organisation.Kind.JOBCENTRE_PLUS, Organisation.Kind.PENSION_SERVICE),
    "dla_pip": (Organisation.Kind.JOBCENTRE_PLUS,),
    "housing_benefit": (Organisation.Kind.DISTRICT_COUNCIL,),  # Council Tax Support: the billing council
}


def benefit_partner_for(*, code: str, sender: Organisation, client_age: int, on: date) -> Organisation | None:
    """The partner a benefit flag is referred to: the first active organisation of the right kind (in order
    of preference, then by name) that the sender's routing rules let take this referral; None if none."""
    kinds = BENEFIT_PARTNER_KINDS.get(code, ())
    candidates = sorted(
        Organisation.objects.filter(is_active=True, kind__in=kinds).exclude(pk=sender.pk),
        key=lambda organisation: (kinds.index(organisation.kind), organisation.name),
    )
    for organisation in candidates:
        if routing_check(
            sender=sender, receiver=organisation, referral_type=code, client_age=client_age, on=on
        ).accepted:
            return organisation
    return None


def benefit_flags(*, assessment: Assessment) -> list[BenefitFlag]:
    """The flags for a stored assessment, from its lines and its year's rates."""
    rates = assessment.rates or rates_for_date(on=assessment.effective_date)
    age = assessment.client.age_on(assessment.effective_date)
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


def benefit_flags_with_partners(
    *, assessment: Assessment, sender: Organisation, on: date
) -> list[tuple[BenefitFlag, Organisation | None]]:
    """Each benefit flag with the partner one click refers it to (None: choose one on the referral form)."""
    age = assessment.client.age_on(on)
    return [
        (flag, benefit_partner_for(code=flag.code, sender=sender, client_age=age, on=on))
        for flag in benefit_flags(assessment=assessment)
    ]
