"""Validation and normalisation of UK identifiers: National Insurance number, NHS number, postcode."""

import re

from django.core.exceptions import ValidationError

# NINO: two prefix letters, six digits, suffix A–D (HMRC NIM39110). The first letter is never D, F,
# I, Q, U or V; the second never D, F, I, O, Q, U or V; BG, GB, KN, NK, NT, TN and ZZ are not allocated.
_NINO_RE = re.compile(r"^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]$")


def normalise_nino(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def validate_nino(value: str) -> None:
    if not _NINO_RE.match(normalise_nino(value)):
        raise ValidationError(
            "Enter a National Insurance number in the correct format, like QQ 12 34 56 C "
            "(two letters, six numbers, then A, B, C or D)",
            code="invalid_nino",
        )


def format_nino(value: str) -> str:
    """Show a NINO in the usual groups: AB 12 34 56 C."""
    nino = normalise_nino(value)
    if len(nino) != 9:
        return nino
    return f"{nino[:2]} {nino[2:4]} {nino[4:6]} {nino[6:8]} {nino[8]}"


def normalise_nhs_number(value: str) -> str:
    return re.sub(r"[\s-]+", "", value or "")


def validate_nhs_number(value: str) -> None:
    """Ten digits whose last is the modulus 11 check digit of the first nine (weights 10 down to 2).

    A remainder giving a check digit of 10 means the number is never issued, so it is invalid.
    """
    number = normalise_nhs_number(value)
    if not re.fullmatch(r"[0-9]{10}", number):
        raise ValidationError("Enter an NHS number with 10 digits, like 943 476 5919", code="invalid_nhs_number")
    total = sum(int(digit) * weight for digit, weight in zip(number[:9], range(10, 1, -1), strict=True))
    check = 11 - (total % 11)
    if check == 11:
        check = 0
    if check == 10 or check != int(number[9]):
        raise ValidationError("Enter a valid NHS number: the check digit does not match", code="invalid_nhs_number")


def format_nhs_number(value: str) -> str:
    number = normalise_nhs_number(value)
    return f"{number[:3]} {number[3:6]} {number[6:]}" if len(number) == 10 else number


# UK postcode (BS 7666 shape): outward code, a space, inward code; plus the special GIR 0AA.
_POSTCODE_RE = re.compile(
    r"^(GIR0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def normalise_postcode(value: str) -> str:
    """Upper case with one space before the inward code: 'ne16bs' becomes 'NE1 6BS'."""
    compact = re.sub(r"\s+", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def validate_postcode(value: str) -> None:
    if not _POSTCODE_RE.match(re.sub(r"\s+", "", value or "").upper()):
        raise ValidationError("Enter a real UK postcode, like NE1 6BS", code="invalid_postcode")
