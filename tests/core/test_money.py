from decimal import Decimal, InvalidOperation

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.money import format_money, money_to_pence, parse_money, pence_to_money, to_money


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [("£1,234.5", "1234.50"), (" 12.345 ", "12.35"), ("-0.5", "-0.50"), ("1,000", "1000.00")],
)
def test_parse_money_reads_what_people_and_banks_write(text, expected):
    assert parse_money(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "twelve", "£", "1.2.3"])
def test_parse_money_refuses_what_is_not_money(text):
    with pytest.raises(InvalidOperation):
        parse_money(text)
