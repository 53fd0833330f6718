from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.money import format_money, money_to_pence, pence_to_money, to_money


@pytest.mark.parametrize(
    "value, expected",
    [("1.005", "1.01"), ("1.004", "1.00"), ("-1.005", "-1.01"), (3, "3.00"), (Decimal("67.705"), "67.71")],
)
def test_to_money_rounds_half_up_to_the_penny(value, expected):
    assert to_money(value) == Decimal(expected)


def test_floats_are_refused():
    with pytest.raises(TypeError):
        to_money(0.1)


def test_format_money():
    assert format_money(Decimal("1234.5")) == "£1,234.50"
    assert format_money(Decimal("-5")) == "−£5.00"


@given(st.integers(min_value=-(10**11), max_value=10**11))
def test_pence_round_trip(pence):
    assert money_to_pence(pence_to_money(pence)) == pence
