"""The charging engine on its own: pure functions, no database."""

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import charging
from assessments.charging import CapitalLine, ChargeInput, ExpenseLine, IncomeLine, Policy, Rates

D = Decimal

RATES_2024 = Rates(
    year="2024/25",
    mig_single_18_24=D("87.65"),
    mig_single_25_to_pension_age=D("110.60"),
    mig_single_pension_age=D("228.70"),
    disability_premium=D("48.80"),
    enhanced_disability_premium=D("23.85"),
    carer_premium=D("52.35"),
    attendance_allowance_higher=D("108.55"),
    attendance_allowance_lower=D("72.65"),
    pip_daily_living_enhanced=D("108.55"),
    pip_daily_living_standard=D("72.65"),
    dla_care_highest=D("108.55"),
    dla_care_middle=D("72.65"),
    savings_credit_disregard_single=D("6.95"),
    savings_credit_disregard_couple=D("10.40"),
    guarantee_credit_single=D("218.15"),
    guarantee_credit_couple=D("332.95"),
)
NO_DRE = ()


def _charge(policy=None, **fields):
    fields.setdefault("age", 70)
    fields.setdefault("weekly_care_cost", D("1000.00"))
    fields.setdefault("dre", NO_DRE)
    return charging.calculate_charge(ChargeInput(**fields), rates=RATES_2024, policy=policy or Policy())


def _pension(amount="300.00"):
    return (IncomeLine("state_pension", D(amount)),)


# --- tariff income ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("capital", "tariff"),
    [
        ("14250.00", "0.00"),
        ("14250.01", "1.00"),  # part of £250 counts as a whole £250
        ("16000.00", "7.00"),  # README: £16,000 gives £7
        ("16001.00", "8.00"),  # README: £16,001 gives £8
        ("23250.00", "36.00"),  # at the upper limit: (23,250 − 14,250) ÷ 250
    ],
)
def test_tariff_income_rounds_each_part_of_250_up(capital, tariff):
    assert charging.tariff_income(D(capital), lower=D("14250"), upper=D("23250")) == D(tariff)


def test_tariff_income_is_added_to_income():
    # given £16,001 savings: tariff £8 on top of £300 pension less the £228.70 MIG
    result = _charge(income=_pension(), capital=(CapitalLine("savings", D("16001.00")),))
    # then
    assert result.tariff_income == D("8.00")
    assert result.weekly_charge == D("79.30")  # 300.00 + 8.00 − 228.70


def test_capital_at_the_upper_limit_is_still_assessed():
    result = _charge(income=_pension(), capital=(CapitalLine("savings", D("23250.00")),))
    assert not result.full_cost
    assert result.weekly_charge == D("107.30")  # 300.00 + 36.00 − 228.70


def test_capital_over_the_upper_limit_pays_the_full_cost():
    result = _charge(income=_pension(), capital=(CapitalLine("savings", D("23250.01")),), weekly_care_cost=D("412.50"))
    assert result.full_cost
    assert result.weekly_charge == D("412.50")


def test_full_cost_is_still_limited_by_a_maximum_charge():
    result = _charge(
        policy=Policy(maximum_weekly_charge=D("300.00")),
        capital=(CapitalLine("investments", D("50000")),),
        weekly_care_cost=D("412.50"),
    )
    assert result.full_cost and result.weekly_charge == D("300.00")


def test_joint_capital_is_halved():
    # given £32,000 held jointly: £16,000 counts, tariff £7, not full cost
    result = _charge(
        couple=True,
        mig_weekly=D("200.00"),
        income=_pension(),
        capital=(CapitalLine("savings", D("32000.00"), jointly_owned=True),),
    )
    assert not result.full_cost
    assert result.capital == D("16000.00")
    assert result.tariff_income == D("7.00")
    assert result.weekly_charge == D("107.00")


def test_joint_capital_over_twice_the_limit_is_full_cost():
    result = _charge(mig_weekly=D("0"), capital=(CapitalLine("property", D("46500.02"), jointly_owned=True),))
    assert result.full_cost


def test_council_capital_limits_override_the_statute():
    result = _charge(
        policy=Policy(capital_upper=D("30000")), income=_pension(), capital=(CapitalLine("savings", D("25000")),)
    )
    assert not result.full_cost and result.tariff_income == D("43.00")  # 10,750 ÷ 250 = 43


# --- period conversion --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "period", "weekly"),
    [
        ("100.00", "week", "100.00"),
        ("200.00", "two_weeks", "100.00"),
        ("400.00", "four_weeks", "100.00"),
        ("1000.00", "month", "230.77"),  # 1000 × 12 ÷ 52 = 230.769…
        ("5200.00", "year", "100.00"),
        ("100.01", "two_weeks", "50.01"),  # 50.005 rounds half up
    ],
)
def test_period_conversion(amount, period, weekly):
    assert charging.weekly_amount(D(amount), period) == D(weekly)


def test_monthly_pension_is_converted_before_charging():
    result = _charge(income=(IncomeLine("private_pension", D("1300.00"), "month"),), mig_weekly=D("200"))
    assert result.total_income == D("300.00")  # 1300 × 12 ÷ 52
    assert result.weekly_charge == D("100.00")


# --- disregards ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        "earnings",
        "dla_mobility_higher",
        "dla_mobility_lower",
        "pip_mobility_enhanced",
        "pip_mobility_standard",
        "housing_benefit",
        "winter_fuel_payment",
        "war_pension",
    ],
)
def test_fully_disregarded_income(kind):
    result = _charge(income=(*_pension(), IncomeLine(kind, D("50.00"))))
    assert result.total_income == D("350.00")
    assert result.disregarded == D("50.00")
    assert result.weekly_charge == D("71.30")


def test_war_pension_counted_when_policy_says_so():
    result = _charge(policy=Policy(disregard_war_pension=False), income=(IncomeLine("war_pension", D("250.00")),))
    assert result.disregarded == D("0.00")


@pytest.mark.parametrize(
    ("kind", "rate"),
    [
        ("attendance_allowance_higher", "108.55"),
        ("pip_daily_living_enhanced", "108.55"),
        ("dla_care_highest", "108.55"),
    ],
)
def test_night_element_disregarded_without_night_care(kind, rate):
    income = (*_pension(), IncomeLine(kind, D(rate)))
    without = _charge(income=income, night_care_provided=False)
    with_night_care = _charge(income=income, night_care_provided=True)
    policy_off = _charge(income=income, night_care_provided=False, policy=Policy(disregard_night_element=False))
    assert without.disregarded == D("35.90")  # 108.55 − 72.65 (README, 2024/25)
    assert with_night_care.disregarded == D("0.00")
    assert policy_off.disregarded == D("0.00")
    assert with_night_care.weekly_charge - without.weekly_charge == D("35.90")


def test_savings_credit_disregard_statutory_and_full():
    income = (*_pension(), IncomeLine("pension_credit_savings", D("10.00")))
    assert _charge(income=income).disregarded == D("6.95")  # single, 2024/25
    assert _charge(income=income, couple=True, mig_weekly=D("228.70")).disregarded == D("10.00")  # couple 10.40
    assert _charge(income=income, policy=Policy(savings_credit_disregard="full")).disregarded == D("10.00")


# --- MIG ---------------------------------------------------------------------------------------------


def test_mig_with_premiums_inferred_below_pension_age():
    result = _charge(age=30, income=(IncomeLine("pip_daily_living_enhanced", D("108.55")),))
    assert result.mig == D("183.25")  # 110.60 + 48.80 + 23.85


def test_no_disability_premiums_at_pension_age_but_carer_premium():
    result = _charge(age=70, income=(IncomeLine("attendance_allowance_higher", D("108.55")),))
    assert result.mig == D("228.70")
    carer = _charge(age=70, income=(IncomeLine("carers_allowance", D("81.90")),))
    assert carer.mig == D("281.05")  # 228.70 + 52.35


def test_explicit_premiums_replace_inferred_ones():
    result = _charge(age=30, premiums=frozenset({"disability"}), income=(IncomeLine("esa", D("200")),))
    assert result.mig == D("159.40")  # 110.60 + 48.80


def test_legacy_guarantee_credit_plus_buffer_basis():
    policy = Policy(mig_basis="guarantee_credit_plus_buffer", buffer_percent=D("25"))
    result = _charge(policy=policy, income=_pension("400.00"))
    assert result.mig == D("272.69")  # 218.15 × 1.25 = 272.6875, rounded half up
    assert result.weekly_charge == D("127.31")


def test_missing_rate_is_refused_saying_which_figure_in_plain_words():
    with pytest.raises(charging.MissingRate) as refused:
        _charge(couple=True, income=_pension())
    assert refused.value.field_name == "mig_couple_pension_age"
    assert str(refused.value) == (
        "The council has not yet entered the Minimum Income Guarantee for each member of a couple over State "
        "Pension age for 2024/25. Ask a finance lead to enter the 2024/25 rates."
    )


def test_missing_night_element_rate_is_refused_only_when_the_night_element_is_needed():
    rates = dataclasses.replace(RATES_2024, attendance_allowance_lower=None)
    aa_higher = IncomeLine("attendance_allowance_higher", D("108.55"))
    data = ChargeInput(age=70, weekly_care_cost=D("500"), income=(aa_higher,))
    with pytest.raises(charging.MissingRate) as refused:
        charging.calculate_charge(data, rates=rates, policy=Policy())
    assert str(refused.value) == (
        "The council has not yet entered the lower rate of Attendance Allowance for 2024/25. "
        "Ask a finance lead to enter the 2024/25 rates."
    )
    # with night care provided (or a policy that counts it) the rate is not needed
    with_night_care = dataclasses.replace(data, night_care_provided=True)
    assert charging.calculate_charge(with_night_care, rates=rates, policy=Policy()).disregarded == D("0.00")
    assert charging.calculate_charge(data, rates=rates, policy=Policy(disregard_night_element=False)).mig == D("228.70")


# Couple figures below are made up for the test (no public source was found for the statutory couple
# amounts, so the seeded rates leave them empty): they check which cells a couple's MIG is made of.
COUPLE_RATES = dataclasses.replace(
    RATES_2024,
    mig_couple_working_age=D("80.00"),
    mig_couple_pension_age=D("170.00"),
    disability_premium_couple=D("30.00"),
    enhanced_disability_premium_couple=D("15.00"),
)


def test_couple_mig_uses_the_couple_cells_and_couple_premiums():
    def mig(**fields):
        data = ChargeInput(weekly_care_cost=D("500"), couple=True, dre=(), **fields)
        return charging.calculate_charge(data, rates=COUPLE_RATES, policy=Policy()).mig

    assert mig(age=70, income=_pension()) == D("170.00")
    # below Pension Credit age: couple premiums (PIP enhanced gives both); the carer premium is per person
    pip = IncomeLine("pip_daily_living_enhanced", D("108.55"))
    assert mig(age=40, income=(pip,)) == D("125.00")  # 80.00 + 30.00 + 15.00
    assert mig(age=40, income=(pip, IncomeLine("carers_allowance", D("81.90")))) == D("177.35")  # + 52.35


def test_couple_savings_credit_disregard_uses_the_couple_limit():
    income = (*_pension(), IncomeLine("pension_credit_savings", D("15.00")))
    data = ChargeInput(age=70, weekly_care_cost=D("500"), couple=True, income=income, dre=())
    result = charging.calculate_charge(data, rates=COUPLE_RATES, policy=Policy())
    assert result.disregarded == D("10.40")  # 2024/25 couple limit
    assert result.weekly_charge == D("134.60")  # 315.00 − 10.40 − 170.00


def test_legacy_buffer_basis_for_a_member_of_a_couple_protects_half_the_couple_guarantee_credit():
    policy = Policy(mig_basis="guarantee_credit_plus_buffer", buffer_percent=D("25"))
    result = _charge(policy=policy, couple=True, income=_pension())
    assert result.mig == D("208.09")  # 332.95 ÷ 2 × 1.25 = 208.09375, rounded half up
    assert result.weekly_charge == D("91.91")
    assert result.lines[1].label == "MIG: half the couple guarantee credit plus 25% buffer"


def test_legacy_buffer_basis_adds_premiums_below_pension_age():
    policy = Policy(mig_basis="guarantee_credit_plus_buffer", buffer_percent=D("30"))
    result = _charge(policy=policy, age=40, income=(IncomeLine("pip_daily_living_standard", D("72.65")),))
    assert result.mig == D("332.40")  # 218.15 × 1.30 = 283.595 → 283.60, + 48.80 disability premium
    assert result.weekly_charge == D("0.00")


# --- housing, DRE, taper, caps -----------------------------------------------------------------------------


def test_housing_and_itemised_dre_are_deducted():
    result = _charge(
        income=_pension(),
        housing=(ExpenseLine("rent", D("20.00")), ExpenseLine("council_tax", D("5.00"))),
        dre=(ExpenseLine("heating", D("10.00"), label="extra heating"),),
    )
    assert (result.housing, result.dre) == (D("25.00"), D("10.00"))
    assert result.weekly_charge == D("36.30")


def test_flat_rate_dre_when_no_items_are_given():
    result = _charge(policy=Policy(dre_flat_weekly=D("17.00")), income=_pension(), dre=None)
    assert result.dre == D("17.00")


@pytest.mark.parametrize(
    ("pension", "assessable", "charge"),
    [
        ("228.75", "0.05", "0.05"),  # 4.5p
        ("328.75", "100.05", "90.05"),  # 90.045
        ("228.85", "0.15", "0.14"),  # 13.5p → 14p
        ("228.71", "0.01", "0.01"),  # 0.9p
    ],
)
def test_taper_90_percent_rounds_the_half_penny_up(pension, assessable, charge):
    result = _charge(policy=Policy(taper_percent=D("90")), income=_pension(pension))
    assert (result.assessable_income, result.weekly_charge) == (D(assessable), D(charge))


def test_taper_rounds_half_a_penny_up():
    # given 5p available (228.75 − 228.70): 90% is 4.5p, which rounds half up to 5p
    result = _charge(policy=Policy(taper_percent=D("90")), income=_pension("228.75"))
    assert result.assessable_income == D("0.05")
    assert result.weekly_charge == D("0.05")


def test_taper_90_percent():
    result = _charge(policy=Policy(taper_percent=D("90")), income=_pension("328.70"))
    assert result.weekly_charge == D("90.00")


def test_capped_at_care_cost():
    result = _charge(income=_pension("500.00"), weekly_care_cost=D("120.00"))
    assert result.capped_at_care_cost
    assert result.weekly_charge == D("120.00")


def test_maximum_weekly_charge():
    result = _charge(policy=Policy(maximum_weekly_charge=D("50.00")), income=_pension())
    assert result.weekly_charge == D("50.00")


def test_minimum_charge():
    below = _charge(policy=Policy(minimum_charge=D("2.00")), income=_pension("230.69"))
    at = _charge(policy=Policy(minimum_charge=D("2.00")), income=_pension("230.70"))
    assert below.weekly_charge == D("0.00")
    assert at.weekly_charge == D("2.00")


def test_income_below_mig_charges_nothing():
    result = _charge(income=_pension("100.00"))
    assert result.weekly_charge == D("0.00") and result.assessable_income == D("0.00")


# --- properties -----------------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=2000, places=2, allow_nan=False, allow_infinity=False)
income_type = st.sampled_from(sorted(charging.INCOME_TYPES))


@st.composite
def charge_inputs(draw):
    return ChargeInput(
        age=draw(st.integers(min_value=18, max_value=100)),
        weekly_care_cost=draw(money),
        night_care_provided=draw(st.booleans()),
        income=tuple(
            IncomeLine(draw(income_type), draw(money), draw(st.sampled_from(sorted(charging.PERIODS))))
            for _ in range(draw(st.integers(0, 5)))
        ),
        capital=tuple(
            CapitalLine("savings", draw(st.decimals(min_value=0, max_value=30000, places=2)), draw(st.booleans()))
            for _ in range(draw(st.integers(0, 2)))
        ),
        housing=tuple(ExpenseLine("rent", draw(money)) for _ in range(draw(st.integers(0, 2)))),
        dre=draw(st.none() | st.just(()) | st.tuples(st.builds(ExpenseLine, st.just("laundry"), money))),
    )


policies = st.builds(
    Policy,
    taper_percent=st.decimals(min_value=0, max_value=100, places=2),
    disregard_night_element=st.booleans(),
    mig_basis=st.sampled_from(["statutory", "guarantee_credit_plus_buffer"]),
    buffer_percent=st.decimals(min_value=0, max_value=50, places=2),
    dre_flat_weekly=st.decimals(min_value=0, max_value=30, places=2),
    savings_credit_disregard=st.sampled_from(["statutory", "full"]),
    disregard_war_pension=st.booleans(),
    minimum_charge=st.decimals(min_value=0, max_value=5, places=2),
    maximum_weekly_charge=st.none() | st.decimals(min_value=0, max_value=1000, places=2),
)


@given(charge_inputs(), policies)
def test_charge_never_negative_nor_above_care_cost(data, policy):
    result = charging.calculate_charge(data, rates=RATES_2024, policy=policy)
    assert D("0") <= result.weekly_charge <= data.weekly_care_cost
    if policy.maximum_weekly_charge is not None:
        assert result.weekly_charge <= policy.maximum_weekly_charge
    assert result.weekly_charge == result.weekly_charge.quantize(D("0.01"))  # whole pennies


@given(charge_inputs(), policies, st.data())
def test_charge_never_rises_when_an_income_line_falls(data, policy, draw):
    if not data.income:
        return
    index = draw.draw(st.integers(0, len(data.income) - 1))
    line = data.income[index]
    lower = draw.draw(st.decimals(min_value=0, max_value=line.amount, places=2))
    fallen = ChargeInput(
        **{
            **data.__dict__,
            "income": tuple(
                IncomeLine(item.type, lower, item.period) if i == index else item for i, item in enumerate(data.income)
            ),
        }
    )
    before = charging.calculate_charge(data, rates=RATES_2024, policy=policy)
    after = charging.calculate_charge(fallen, rates=RATES_2024, policy=policy)
    assert after.weekly_charge <= before.weekly_charge
