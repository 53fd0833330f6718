"""Turn an `estimate_charge` JSON document into engine input, collecting every problem by field.

Money must arrive as decimal strings (or whole numbers); floats are refused, since 0.1 + 0.2 is not 0.3.
"""

import dataclasses
from datetime import date
from decimal import Decimal, InvalidOperation

from . import charging

POLICY_FIELDS = {
    "taper_percent": "decimal",
    "disregard_night_element": "bool",
    "mig_basis": ("statutory", "guarantee_credit_plus_buffer"),
    "buffer_percent": "decimal",
    "dre_flat_weekly": "decimal",
    "savings_credit_disregard": ("statutory", "full"),
    "capital_lower": "decimal",
    "capital_upper": "decimal",
    "minimum_charge": "decimal",
    "maximum_weekly_charge": "decimal_or_null",
}


class EstimateInputError(Exception):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{key}: {value}" for key, value in errors.items()))


@dataclasses.dataclass(frozen=True)
class EstimateRequest:
    assessment_date: date
    data: charging.ChargeInput
    policy_overrides: dict


class _Parser:
    def __init__(self):
        self.errors: dict[str, str] = {}

    def error(self, key: str, message: str):
        self.errors.setdefault(key, message)

    def money(self, value, key: str, *, allow_negative: bool = False) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.error(key, 'Enter an amount as a decimal string, such as "12.50"')
            return None
        try:
            amount = Decimal(str(value).strip().replace(",", "").lstrip("£"))
        except InvalidOperation:
            self.error(key, 'Enter an amount as a decimal string, such as "12.50"')
            return None
        if not amount.is_finite():
            self.error(key, "Enter a real amount")
            return None
        if amount < 0 and not allow_negative:
            self.error(key, "The amount cannot be negative")
            return None
        if amount > Decimal("10000000000"):
            self.error(key, "The amount is too large")
            return None
        return amount

    def boolean(self, value, key: str, default: bool = False) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(key, "Must be true or false")
            return default
        return value

    def choice(self, value, key: str, choices) -> str | None:
        if value not in choices:
            self.error(key, f"Must be one of: {', '.join(choices)}")
            return None
        return value

    def items(self, document: dict, key: str) -> list:
        value = document.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.error(key, "Must be a list of objects")
            return []
        return value


def _age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _parse_date(parser: _Parser, value, key: str) -> date | None:
    if not isinstance(value, str):
        parser.error(key, "Enter a date as YYYY-MM-DD")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        parser.error(key, "Enter a real date as YYYY-MM-DD")
        return None


def parse_estimate(document) -> EstimateRequest:
    """Validate an estimate document; raise `EstimateInputError` with every problem found."""
    parser = _Parser()
    if not isinstance(document, dict):
        raise EstimateInputError({"input": "Must be a JSON object"})

    assessment_date = None
    if "assessment_date" in document:
        assessment_date = _parse_date(parser, document["assessment_date"], "assessment_date")
    else:
        parser.error("assessment_date", "Enter the assessment date")

    age = None
    if "age" in document:
        if (
            isinstance(document["age"], bool)
            or not isinstance(document["age"], int)
            or not 18 <= document["age"] <= 130
        ):
            parser.error("age", "Age must be a whole number from 18 to 130")
        else:
            age = document["age"]
    elif "date_of_birth" in document:
        born = _parse_date(parser, document["date_of_birth"], "date_of_birth")
        if born and assessment_date:
            age = _age_on(born, assessment_date)
            if age < 18:
                parser.error("date_of_birth", "Adult social care charging applies from age 18")
    else:
        parser.error("age", "Enter the age or the date of birth")

    couple = parser.boolean(document.get("couple"), "couple")
    night = parser.boolean(document.get("night_care_provided"), "night_care_provided")
    care_cost = None
    if "weekly_care_cost" in document:
        care_cost = parser.money(document["weekly_care_cost"], "weekly_care_cost")
    else:
        parser.error("weekly_care_cost", "Enter the weekly cost of care")

    income = []
    for index, item in enumerate(parser.items(document, "income")):
        key = f"income[{index}]"
        kind = parser.choice(item.get("type"), f"{key}.type", list(charging.INCOME_TYPES))
        if "weekly" in item:
            amount, period = parser.money(item["weekly"], f"{key}.weekly"), "week"
        elif "amount" in item:
            amount = parser.money(item["amount"], f"{key}.amount")
            period = parser.choice(item.get("period"), f"{key}.period", list(charging.PERIODS))
        else:
            parser.error(key, "Give weekly, or amount and period")
            continue
        if kind and amount is not None and period:
            income.append(charging.IncomeLine(type=kind, amount=amount, period=period))

    capital = []
    for index, item in enumerate(parser.items(document, "capital")):
        key = f"capital[{index}]"
        kind = parser.choice(item.get("type"), f"{key}.type", list(charging.CAPITAL_TYPES))
        amount = parser.money(item.get("amount"), f"{key}.amount")
        joint = parser.boolean(item.get("jointly_owned"), f"{key}.jointly_owned")
        if kind and amount is not None:
            capital.append(charging.CapitalLine(type=kind, amount=amount, jointly_owned=joint))

    housing = []
    for index, item in enumerate(parser.items(document, "housing")):
        key = f"housing[{index}]"
        kind = parser.choice(item.get("type"), f"{key}.type", list(charging.HOUSING_TYPES))
        amount = parser.money(item.get("weekly"), f"{key}.weekly")
        if kind and amount is not None:
            housing.append(charging.ExpenseLine(type=kind, weekly=amount))

    dre = None
    if document.get("dre") is not None:
        dre = []
        for index, item in enumerate(parser.items(document, "dre")):
            key = f"dre[{index}]"
            label = item.get("item")
            if not isinstance(label, str) or not label.strip():
                parser.error(f"{key}.item", "Describe the item")
                label = ""
            amount = parser.money(item.get("weekly"), f"{key}.weekly")
            if amount is not None:
                dre.append(charging.ExpenseLine(type=label.strip(), weekly=amount, label=label.strip()))
        dre = tuple(dre)

    mig = None
    if document.get("mig_weekly") is not None:
        mig = parser.money(document["mig_weekly"], "mig_weekly")

    premiums = None
    if document.get("premiums") is not None:
        value = document["premiums"]
        if not isinstance(value, list) or any(p not in charging.PREMIUMS for p in value):
            parser.error("premiums", f"Must be a list drawn from: {', '.join(charging.PREMIUMS)}")
        else:
            premiums = frozenset(value)

    overrides = {}
    policy = document.get("policy") or {}
    if not isinstance(policy, dict):
        parser.error("policy", "Must be an object")
        policy = {}
    for name, value in policy.items():
        key = f"policy.{name}"
        kind = POLICY_FIELDS.get(name)
        if kind is None:
            parser.error(key, "Unknown policy field")
        elif kind == "bool":
            overrides[name] = parser.boolean(value, key)
        elif isinstance(kind, tuple):
            if parser.choice(value, key, kind):
                overrides[name] = value
        elif kind == "decimal_or_null" and value is None:
            overrides[name] = None
        else:
            amount = parser.money(value, key)
            if amount is not None:
                if name == "taper_percent" and amount > 100:
                    parser.error(key, "The taper cannot be more than 100%")
                overrides[name] = amount

    if parser.errors:
        raise EstimateInputError(parser.errors)
    data = charging.ChargeInput(
        age=age,
        weekly_care_cost=care_cost,
        couple=couple,
        night_care_provided=night,
        income=tuple(income),
        capital=tuple(capital),
        housing=tuple(housing),
        dre=dre,
        mig_weekly=mig,
        premiums=premiums,
    )
    return EstimateRequest(assessment_date=assessment_date, data=data, policy_overrides=overrides)
