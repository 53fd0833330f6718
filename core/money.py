"""Money is Decimal with two places, never float.

Rounding rule: amounts are quantised to the penny with ROUND_HALF_UP (half a penny rounds away from
zero), once, at a stated boundary (the end of a calculation, never in the middle).
"""

from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")


def to_money(value: Decimal | int | str) -> Decimal:
    """Return `value` as a Decimal rounded half-up to the penny; floats are refused."""
    if isinstance(value, float):
        raise TypeError("money must be Decimal, int or str, never float")
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def pence_to_money(pence: int) -> Decimal:
    """Turn a whole number of pence from outside (a bank file, a card balance) into pounds."""
    return to_money(Decimal(pence) / 100)


def money_to_pence(amount: Decimal) -> int:
    """Turn an amount of money into whole pence for a payment file."""
    return int(to_money(amount) * 100)


def format_money(amount: Decimal | None) -> str:
    """Show money as users read it: £1,234.56, and −£5.00 for a negative amount."""
    if amount is None:
        return ""
    amount = to_money(amount)
    sign = "−" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def parse_money(text: str) -> Decimal:
    """Money typed by a person or written by another system: '£1,234.5' → Decimal('1234.50').
    Raises decimal.InvalidOperation for text that is not an amount of money."""
    return to_money(text.strip().replace("£", "").replace(",", ""))
