"""The weekly charge for care at home: Care Act 2014 and the Care and Support (Charging and Assessment of
Resources) Regulations 2014. Pure functions on plain dataclasses; no ORM; Decimal only.

Rules, in the order the calculation applies them:

1. Each income line is converted to a weekly amount, then rounded to the penny (half up), as an award
   letter would show it: week × 1, two_weeks ÷ 2, four_weeks ÷ 4, month × 12 ÷ 52, year ÷ 52.
2. Disregards: earnings, DLA/PIP mobility, Housing Benefit and Winter Fuel Payment in full; war pensions
   in full (policy, default on); Pension Credit savings credit up to the year's savings-credit disregard
   (single or couple), or in full under a `full` policy; the night element (the higher less the lower
   care rate of AA, PIP daily living or DLA care) when no night care is provided and the policy says so.
3. Capital: jointly owned capital counts half. Over the upper limit the person pays the full cost of the
   care. Between the limits tariff income is £1 a week for every £250 or part of £250 (rounded up).
4. Minimum Income Guarantee (MIG): an explicit amount, or the year's amount for the age band (18–24,
   25 to Pension Credit age, Pension Credit age) single or couple, plus premiums. Below Pension Credit
   age, unless premiums are given: any AA, DLA care or PIP daily living gives the disability premium;
   PIP daily living enhanced or DLA care highest adds the enhanced disability premium; Carer's
   Allowance gives the carer premium (at any age). The legacy Fairer Charging basis instead protects
   Pension Credit guarantee credit (half the couple rate for a member of a couple) plus a buffer %,
   then adds the same premiums.
5. Assessable income = max(0, income − disregards + tariff − MIG − housing − DRE). DRE is the itemised
   total, or the policy's flat rate when no items are given.
6. Charge = assessable × taper %, rounded to the penny half up; never above the weekly cost of the
   care nor the policy's maximum weekly charge; nothing is charged when it is below the minimum charge.
   With capital over the upper limit the charge is the cost of the care (still capped by the maximum).

A calculation that needs a rate the year does not have raises `MissingRate`, which says in plain words
(`rate_cells`) which figure is missing: we refuse rather than guess.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, Decimal

from core.money import ZERO, to_money

from . import rate_cells

HUNDRED = Decimal("100")
TARIFF_STEP = Decimal("250")

INCOME_TYPES = {
    "state_pension": "State Pension",
    "private_pension": "Private pension",
    "pension_credit_guarantee": "Pension Credit guarantee credit",
    "pension_credit_savings": "Pension Credit savings credit",
    "attendance_allowance_higher": "Attendance Allowance (higher rate)",
    "attendance_allowance_lower": "Attendance Allowance (lower rate)",
    "dla_care_highest": "DLA care (highest rate)",
    "dla_care_middle": "DLA care (middle rate)",
    "dla_care_lowest": "DLA care (lowest rate)",
    "dla_mobility_higher": "DLA mobility (higher rate)",
    "dla_mobility_lower": "DLA mobility (lower rate)",
    "pip_daily_living_enhanced": "PIP daily living (enhanced rate)",
    "pip_daily_living_standard": "PIP daily living (standard rate)",
    "pip_mobility_enhanced": "PIP mobility (enhanced rate)",
    "pip_mobility_standard": "PIP mobility (standard rate)",
    "esa": "Employment and Support Allowance",
    "universal_credit": "Universal Credit",
    "carers_allowance": "Carer's Allowance",
    "earnings": "Earnings",
    "housing_benefit": "Housing Benefit",
    "war_pension": "War pension",
    "winter_fuel_payment": "Winter Fuel Payment",
    "other": "Other income",
}
PERIODS = {
    "week": "a week",
    "two_weeks": "every 2 weeks",
    "four_weeks": "every 4 weeks",
    "month": "a calendar month",
    "year": "a year",
}
CAPITAL_TYPES = {
    "savings": "Savings",
    "investments": "Investments",
    "property": "Property other than the home",
    "other": "Other capital",
}
HOUSING_TYPES = {
    "rent": "Rent (net of Housing Benefit)",
    "rent_top_up": "Rent top-up",
    "mortgage": "Mortgage",
    "council_tax": "Council tax (net of support)",
    "buildings_insurance": "Buildings insurance",
    "contents_insurance": "Contents insurance",
    "ground_rent": "Ground rent",
    "service_charge": "Service charge",
    "other": "Other housing cost",
}
PREMIUMS = ("disability", "enhanced_disability", "carer")

FULLY_DISREGARDED = {
    "earnings": "earnings are disregarded",
    "dla_mobility_higher": "mobility benefits are disregarded",
    "dla_mobility_lower": "mobility benefits are disregarded",
    "pip_mobility_enhanced": "mobility benefits are disregarded",
    "pip_mobility_standard": "mobility benefits are disregarded",
    "housing_benefit": "Housing Benefit is disregarded",
    "winter_fuel_payment": "Winter Fuel Payment is disregarded",
}
# Higher-rate care benefit -> (rates field for the higher rate, rates field for the lower rate).
NIGHT_ELEMENT = {
    "attendance_allowance_higher": ("attendance_allowance_higher", "attendance_allowance_lower"),
    "pip_daily_living_enhanced": ("pip_daily_living_enhanced", "pip_daily_living_standard"),
    "dla_care_highest": ("dla_care_highest", "dla_care_middle"),
}
DISABILITY_BENEFITS = {
    "attendance_allowance_higher",
    "attendance_allowance_lower",
    "dla_care_highest",
    "dla_care_middle",
    "dla_care_lowest",
    "pip_daily_living_enhanced",
    "pip_daily_living_standard",
}
ENHANCED_BENEFITS = {"pip_daily_living_enhanced", "dla_care_highest"}


class ChargingError(Exception):
    """The engine cannot work out a charge from what it was given."""


class RatesNotReady(ChargingError):
    """The year's rates are not there to charge with: none entered, none confirmed, or a cell the
    calculation needs is empty. Refused rather than guessed; the message names what is missing in plain
    words (never a cell's code name) and who can put it right."""

    reason = "no_rates"

    def __init__(self, *, year: str, reason: str | None = None, field_name: str | None = None, this_year=False):
        self.year = year
        self.reason = reason or self.reason
        self.field_name = field_name
        self.this_year = this_year
        super().__init__(self.staff_message())

    def staff_message(self) -> str:
        return rate_cells.staff_message(
            reason=self.reason, year=self.year, field_name=self.field_name, this_year=self.this_year
        )

    def public_message(self) -> str:
        return rate_cells.public_message(reason=self.reason, year=self.year, field_name=self.field_name)


class MissingRate(RatesNotReady):
    """A rate the calculation needs is empty for the year (not entered, or not verified)."""

    reason = "missing_cell"

    def __init__(self, *, field_name: str, year: str, this_year: bool = False):
        super().__init__(year=year, field_name=field_name, this_year=this_year)


@dataclass(frozen=True)
class Rates:
    """One financial year's figures (6 April to 5 April). None means not entered (not verified)."""

    year: str  # "2024/25"
    version: int = 1
    pension_credit_age: int = 66
    mig_single_18_24: Decimal | None = None
    mig_single_25_to_pension_age: Decimal | None = None
    mig_single_pension_age: Decimal | None = None
    mig_couple_working_age: Decimal | None = None
    mig_couple_pension_age: Decimal | None = None
    disability_premium: Decimal | None = None
    enhanced_disability_premium: Decimal | None = None
    carer_premium: Decimal | None = None
    disability_premium_couple: Decimal | None = None
    enhanced_disability_premium_couple: Decimal | None = None
    attendance_allowance_higher: Decimal | None = None
    attendance_allowance_lower: Decimal | None = None
    pip_daily_living_enhanced: Decimal | None = None
    pip_daily_living_standard: Decimal | None = None
    dla_care_highest: Decimal | None = None
    dla_care_middle: Decimal | None = None
    savings_credit_disregard_single: Decimal | None = None
    savings_credit_disregard_couple: Decimal | None = None
    guarantee_credit_single: Decimal | None = None
    guarantee_credit_couple: Decimal | None = None
    capital_lower: Decimal | None = Decimal("14250.00")
    capital_upper: Decimal | None = Decimal("23250.00")

    def need(self, name: str) -> Decimal:
        value = getattr(self, name)
        if value is None:
            raise MissingRate(field_name=name, year=self.year)
        return Decimal(value)


@dataclass(frozen=True)
class Policy:
    """The council's charging policy. Capital limits here, when set, override the year's."""

    taper_percent: Decimal = Decimal("100")
    disregard_night_element: bool = True
    mig_basis: str = "statutory"  # or "guarantee_credit_plus_buffer"
    buffer_percent: Decimal = Decimal("25")
    dre_flat_weekly: Decimal = Decimal("0.00")
    savings_credit_disregard: str = "statutory"  # or "full"
    disregard_war_pension: bool = True
    capital_lower: Decimal | None = None
    capital_upper: Decimal | None = None
    minimum_charge: Decimal = Decimal("0.00")
    maximum_weekly_charge: Decimal | None = None


@dataclass(frozen=True)
class IncomeLine:
    type: str
    amount: Decimal
    period: str = "week"
    label: str = ""


@dataclass(frozen=True)
class CapitalLine:
    type: str
    amount: Decimal
    jointly_owned: bool = False
    label: str = ""


@dataclass(frozen=True)
class ExpenseLine:
    type: str  # a housing type, or the DRE item's description
    weekly: Decimal
    label: str = ""


@dataclass(frozen=True)
class ChargeInput:
    age: int
    weekly_care_cost: Decimal
    couple: bool = False
    night_care_provided: bool = False
    income: tuple[IncomeLine, ...] = ()
    capital: tuple[CapitalLine, ...] = ()
    housing: tuple[ExpenseLine, ...] = ()
    dre: tuple[ExpenseLine, ...] | None = None  # None: the policy's flat rate
    mig_weekly: Decimal | None = None
    premiums: frozenset[str] | None = None  # None: inferred from benefits


@dataclass(frozen=True)
class BreakdownLine:
    label: str
    amount: Decimal
    treatment: str

    def as_dict(self) -> dict:
        return {"label": self.label, "amount": str(self.amount), "treatment": self.treatment}


@dataclass(frozen=True)
class ChargeResult:
    weekly_charge: Decimal
    full_cost: bool
    capped_at_care_cost: bool
    rates_year: str
    rates_version: int
    total_income: Decimal
    disregarded: Decimal
    capital: Decimal
    tariff_income: Decimal
    mig: Decimal
    housing: Decimal
    dre: Decimal
    assessable_income: Decimal
    taper_percent: Decimal
    lines: tuple[BreakdownLine, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return {
            "weekly_charge": str(self.weekly_charge),
            "full_cost": self.full_cost,
            "capped_at_care_cost": self.capped_at_care_cost,
            "rates_year": self.rates_year,
            "rates_version": self.rates_version,
            "total_income": str(self.total_income),
            "disregarded": str(self.disregarded),
            "capital": str(self.capital),
            "tariff_income": str(self.tariff_income),
            "mig": str(self.mig),
            "housing": str(self.housing),
            "dre": str(self.dre),
            "assessable_income": str(self.assessable_income),
            "taper_percent": str(self.taper_percent),
            "lines": [line.as_dict() for line in self.lines],
        }


def financial_year_start(on: date) -> int:
    """The calendar year in which the financial year containing `on` began (years start on 6 April)."""
    return on.year if on >= date(on.year, 4, 6) else on.year - 1


def financial_year_label(start_year: int) -> str:
    return f"{start_year}/{str(start_year + 1)[-2:]}"


def weekly_amount(amount: Decimal, period: str) -> Decimal:
    """Convert to a weekly amount, rounded to the penny: month × 12 ÷ 52, year ÷ 52, four_weeks ÷ 4,
    two_weeks ÷ 2."""
    amount = Decimal(amount)
    if period == "week":
        return to_money(amount)
    if period == "two_weeks":
        return to_money(amount / 2)
    if period == "four_weeks":
        return to_money(amount / 4)
    if period == "month":
        return to_money(amount * 12 / 52)
    if period == "year":
        return to_money(amount / 52)
    raise ChargingError(f"Unknown period {period!r}")


def tariff_income(capital: Decimal, *, lower: Decimal, upper: Decimal) -> Decimal:
    """£1 a week for every £250 or part of £250 above the lower limit, up to the upper limit."""
    if capital <= lower:
        return to_money(0)
    counted = min(capital, upper) - lower
    return to_money((counted / TARIFF_STEP).to_integral_value(rounding=ROUND_CEILING))


def inferred_premiums(income_types: set[str]) -> frozenset[str]:
    """Premiums shown by the benefits received (applied below Pension Credit age, carer at any age)."""
    premiums = set()
    if income_types & DISABILITY_BENEFITS:
        premiums.add("disability")
    if income_types & ENHANCED_BENEFITS:
        premiums.add("enhanced_disability")
    if "carers_allowance" in income_types:
        premiums.add("carer")
    return frozenset(premiums)


def _income_lines(data: ChargeInput, rates: Rates, policy: Policy) -> tuple[Decimal, Decimal, list[BreakdownLine]]:
    total = disregarded = ZERO
    lines = []
    for item in data.income:
        label = item.label or INCOME_TYPES.get(item.type, item.type)
        weekly = weekly_amount(item.amount, item.period)
        total += weekly
        if item.period != "week":
            conversion = f"{item.amount} {PERIODS[item.period]} is {weekly} a week"
            lines.append(BreakdownLine(label, weekly, f"income: {conversion}"))
        else:
            lines.append(BreakdownLine(label, weekly, "income"))
        if item.type in FULLY_DISREGARDED:
            off, why = weekly, FULLY_DISREGARDED[item.type]
        elif item.type == "war_pension" and policy.disregard_war_pension:
            off, why = weekly, "war pensions are disregarded"
        elif item.type == "pension_credit_savings":
            if policy.savings_credit_disregard == "full":
                off, why = weekly, "savings credit is disregarded in full (council policy)"
            else:
                limit = rates.need(
                    "savings_credit_disregard_couple" if data.couple else "savings_credit_disregard_single"
                )
                off, why = min(weekly, limit), f"savings credit disregarded up to {limit}"
        elif item.type in NIGHT_ELEMENT and policy.disregard_night_element and not data.night_care_provided:
            higher, lower = (rates.need(name) for name in NIGHT_ELEMENT[item.type])
            off = min(weekly, higher - lower)
            why = f"night element ({higher} − {lower}) disregarded: no night care"
        else:
            off, why = ZERO, ""
        if off:
            disregarded += off
            lines.append(BreakdownLine(f"{label}: disregarded", -off, f"disregard: {why}"))
    return total, disregarded, lines


def _mig(data: ChargeInput, rates: Rates, policy: Policy) -> tuple[Decimal, list[BreakdownLine]]:
    if data.mig_weekly is not None:
        mig = to_money(data.mig_weekly)
        return mig, [BreakdownLine("Minimum Income Guarantee (given)", -mig, "protected income")]
    pension_age = data.age >= rates.pension_credit_age
    lines = []
    if policy.mig_basis == "guarantee_credit_plus_buffer":
        if data.couple:
            base = rates.need("guarantee_credit_couple") / 2
            name = "half the couple guarantee credit"
        else:
            base = rates.need("guarantee_credit_single")
            name = "guarantee credit"
        base = to_money(base * (HUNDRED + Decimal(policy.buffer_percent)) / HUNDRED)
        lines.append(BreakdownLine(f"MIG: {name} plus {policy.buffer_percent}% buffer", -base, "protected income"))
    else:
        if data.couple:
            field_name = "mig_couple_pension_age" if pension_age else "mig_couple_working_age"
        elif pension_age:
            field_name = "mig_single_pension_age"
        elif data.age < 25:
            field_name = "mig_single_18_24"
        else:
            field_name = "mig_single_25_to_pension_age"
        base = rates.need(field_name)
        lines.append(BreakdownLine(rate_cells.title(field_name), -base, "protected income"))
    premiums = data.premiums
    if premiums is None:
        premiums = inferred_premiums({item.type for item in data.income})
        if pension_age:
            premiums = premiums & {"carer"}
    mig = base
    for premium in PREMIUMS:
        if premium not in premiums:
            continue
        name = f"{premium}_premium"
        if data.couple and premium != "carer":
            name += "_couple"
        amount = rates.need(name)
        mig += amount
        lines.append(
            BreakdownLine(f"Minimum Income Guarantee: {rate_cells.label(name)}", -amount, "protected income: premium")
        )
    return to_money(mig), lines


def calculate_charge(data: ChargeInput, *, rates: Rates, policy: Policy) -> ChargeResult:
    """The weekly charge for care at home with its line-by-line breakdown (rules in the module docstring)."""
    care_cost = to_money(data.weekly_care_cost)
    if care_cost < 0:
        raise ChargingError("The weekly cost of care cannot be negative")
    lower = Decimal(policy.capital_lower) if policy.capital_lower is not None else rates.need("capital_lower")
    upper = Decimal(policy.capital_upper) if policy.capital_upper is not None else rates.need("capital_upper")
    if lower > upper:
        raise ChargingError("The capital lower limit is above the upper limit")
    taper = Decimal(policy.taper_percent)
    lines: list[BreakdownLine] = []

    capital = ZERO
    for item in data.capital:
        label = item.label or CAPITAL_TYPES.get(item.type, item.type)
        amount = Decimal(item.amount)
        if item.jointly_owned:
            amount = amount / 2
            lines.append(BreakdownLine(f"{label} (jointly owned)", to_money(amount), "capital: half counted"))
        else:
            lines.append(BreakdownLine(label, to_money(amount), "capital"))
        capital += amount
    maximum = to_money(policy.maximum_weekly_charge) if policy.maximum_weekly_charge is not None else None

    if capital > upper:
        charge = care_cost if maximum is None else min(care_cost, maximum)
        lines.append(BreakdownLine("Capital over the upper limit", to_money(capital), f"full cost: over {upper}"))
        lines.append(BreakdownLine("Weekly charge", charge, "full cost of care"))
        return ChargeResult(
            weekly_charge=charge,
            full_cost=True,
            capped_at_care_cost=False,
            rates_year=rates.year,
            rates_version=rates.version,
            total_income=ZERO,
            disregarded=ZERO,
            capital=to_money(capital),
            tariff_income=ZERO,
            mig=ZERO,
            housing=ZERO,
            dre=ZERO,
            assessable_income=ZERO,
            taper_percent=taper,
            lines=tuple(lines),
        )

    total, disregarded, income_lines = _income_lines(data, rates, policy)
    lines.extend(income_lines)
    tariff = tariff_income(capital, lower=lower, upper=upper)
    if tariff:
        lines.append(BreakdownLine("Tariff income", tariff, f"£1 a week for every £250 or part above {lower}"))
    mig, mig_lines = _mig(data, rates, policy)
    lines.extend(mig_lines)
    housing = to_money(sum((Decimal(item.weekly) for item in data.housing), ZERO))
    for item in data.housing:
        label = item.label or HOUSING_TYPES.get(item.type, item.type)
        lines.append(BreakdownLine(label, -to_money(item.weekly), "housing cost"))
    if data.dre is None:
        dre = to_money(policy.dre_flat_weekly)
        if dre:
            lines.append(BreakdownLine("Disability-related expenditure (flat rate)", -dre, "DRE"))
    else:
        dre = to_money(sum((Decimal(item.weekly) for item in data.dre), ZERO))
        for item in data.dre:
            lines.append(BreakdownLine(item.label or item.type, -to_money(item.weekly), "DRE"))

    assessable = max(ZERO, total - disregarded + tariff - mig - housing - dre)
    lines.append(BreakdownLine("Income available for charging", assessable, "assessable income"))
    charge = to_money(assessable * taper / HUNDRED)
    if taper != HUNDRED:
        lines.append(BreakdownLine(f"{taper}% of available income", charge, "taper"))
    capped = False
    if charge > care_cost:
        charge, capped = care_cost, True
        lines.append(BreakdownLine("Capped at the weekly cost of care", care_cost, "cap"))
    if maximum is not None and charge > maximum:
        charge = maximum
        lines.append(BreakdownLine("Capped at the council's maximum weekly charge", maximum, "cap"))
    if charge < to_money(policy.minimum_charge):
        lines.append(BreakdownLine(f"Below the minimum charge of {to_money(policy.minimum_charge)}", ZERO, "nil"))
        charge = ZERO
    lines.append(BreakdownLine("Weekly charge", charge, "charge"))
    return ChargeResult(
        weekly_charge=charge,
        full_cost=False,
        capped_at_care_cost=capped,
        rates_year=rates.year,
        rates_version=rates.version,
        total_income=total,
        disregarded=disregarded,
        capital=to_money(capital),
        tariff_income=tariff,
        mig=mig,
        housing=housing,
        dre=dre,
        assessable_income=to_money(assessable),
        taper_percent=taper,
        lines=tuple(lines),
    )
