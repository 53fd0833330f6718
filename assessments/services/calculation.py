"""The engine with the stored rates and policy: estimates, and the charge for an assessment as it stands."""

import dataclasses
from datetime import date

from django.utils import timezone

from .. import charging
from ..estimate import EstimateInputError, EstimateRequest, parse_estimate
from ..models import Assessment, ChargingPolicy, ExpenseLine, RatesYear
from ..selectors import policy_for_date, rates_for_date, rates_not_ready


def _engine_rates_and_policy(*, on: date, overrides: dict | None = None):
    rates = rates_for_date(on=on)
    if rates is None:
        raise rates_not_ready(on=on)
    policy = policy_for_date(on=on)
    engine_policy = policy.to_policy() if policy else charging.Policy()
    if overrides:
        engine_policy = dataclasses.replace(engine_policy, **overrides)
    return rates, policy, engine_policy


def _calculate(data: charging.ChargeInput, *, rates: RatesYear, policy: charging.Policy) -> charging.ChargeResult:
    """The engine with a stored year's figures; a missing figure is refused in plain words, telling staff
    whether it is this year's rates they should ask for."""
    try:
        return charging.calculate_charge(data, rates=rates.to_rates(), policy=policy)
    except charging.MissingRate as exc:
        this_year = rates.start_year == charging.financial_year_start(timezone.localdate())
        raise charging.MissingRate(field_name=exc.field_name, year=exc.year, this_year=this_year) from exc


def charge_estimate(*, request: EstimateRequest) -> tuple[charging.ChargeResult, RatesYear]:
    """Work out a charge from an estimate request with the rates in force on its date and the council's
    policy; stores nothing. Raises charging.RatesNotReady when the year's rates cannot be used."""
    rates, _policy, engine_policy = _engine_rates_and_policy(
        on=request.assessment_date, overrides=request.policy_overrides
    )
    return _calculate(request.data, rates=rates, policy=engine_policy), rates


def charge_estimate_from_document(document) -> dict:
    """The `estimate_charge` command's work: JSON in, JSON-ready dict out; raises EstimateInputError."""
    request = parse_estimate(document)
    try:
        result, rates = charge_estimate(request=request)
    except charging.MissingRate as exc:
        raise EstimateInputError({"rates": str(exc)}) from exc
    except charging.RatesNotReady as exc:  # no rates in force for the year of the assessment date
        raise EstimateInputError({"assessment_date": str(exc)}) from exc
    except charging.ChargingError as exc:
        raise EstimateInputError({"input": str(exc)}) from exc
    output = result.as_dict()
    if rates.is_demonstration:
        output["rates_note"] = "demonstration figures — not for live use"
    return output


def assessment_charge_input(*, assessment: Assessment) -> charging.ChargeInput:
    """The engine input for an assessment's lines."""
    expenses = list(assessment.expense_lines.all())
    dre = None
    if not assessment.use_flat_rate_dre:
        dre = tuple(
            charging.ExpenseLine(type="dre", weekly=line.weekly, label=line.description)
            for line in expenses
            if line.kind == ExpenseLine.Kind.DRE
        )
    return charging.ChargeInput(
        age=assessment.client.age_on(assessment.effective_date),
        weekly_care_cost=assessment.weekly_care_cost,
        couple=assessment.is_couple,
        night_care_provided=assessment.night_care_provided,
        income=tuple(
            charging.IncomeLine(type=line.type, amount=line.amount, period=line.period, label=line.description)
            for line in assessment.income_lines.all()
        ),
        capital=tuple(
            charging.CapitalLine(
                type=line.type, amount=line.amount, jointly_owned=line.jointly_owned, label=line.description
            )
            for line in assessment.capital_lines.all()
        ),
        housing=tuple(
            charging.ExpenseLine(type=line.type, weekly=line.weekly, label=line.description)
            for line in expenses
            if line.kind == ExpenseLine.Kind.HOUSING
        ),
        dre=dre,
    )


def assessment_calculate(*, assessment: Assessment) -> tuple[charging.ChargeResult, RatesYear, ChargingPolicy | None]:
    """The charge for an assessment as its lines stand now; raises charging.ChargingError if it cannot."""
    if assessment.status != Assessment.Status.DRAFT and assessment.result:
        raise charging.ChargingError("A completed assessment keeps its stored result")
    rates, policy, engine_policy = _engine_rates_and_policy(on=assessment.effective_date)
    result = _calculate(assessment_charge_input(assessment=assessment), rates=rates, policy=engine_policy)
    return result, rates, policy


def assessment_current_result(*, assessment: Assessment) -> tuple[dict | None, str, RatesYear | None]:
    """(result, problem, rates) for the assessment's pages: the stored result and its rates once complete;
    for a draft, the charge worked out from the lines now with the rates in force, or (None, the reason in
    plain words, the rates of its date) when it cannot be."""
    if assessment.status != Assessment.Status.DRAFT:
        return assessment.result, "", assessment.rates
    try:
        result, rates, _policy = assessment_calculate(assessment=assessment)
    except charging.ChargingError as exc:
        return None, str(exc), rates_for_date(on=assessment.effective_date)
    return result.as_dict(), "", rates


def assessment_change_in_charge(*, assessment: Assessment) -> dict | None:
    """For a re-assessment: the old charge, the new charge (worked out now if still a draft) and the
    difference a week. None when there is nothing to compare."""
    previous = assessment.supersedes
    if previous is None or previous.weekly_charge is None:
        return None
    if assessment.weekly_charge is not None:
        new = assessment.weekly_charge
    else:
        try:
            new = assessment_calculate(assessment=assessment)[0].weekly_charge
        except charging.ChargingError:
            return None
    return {"old": previous.weekly_charge, "new": new, "difference": new - previous.weekly_charge}
