import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from referrals.validators import (
    format_nino,
    normalise_postcode,
    validate_nhs_number,
    validate_nino,
    validate_postcode,
)


@pytest.mark.parametrize("nino", ["AB123456C", "ab 12 34 56 c", "JH246810B", "CE987654A", "ZX000001D", "OA123456A"])
def test_valid_national_insurance_numbers_are_accepted(nino):
    validate_nino(nino)


@pytest.mark.parametrize(
    "nino, why",
    [
        ("QQ123456C", "Q is never a first letter"),
        ("DA123456A", "D is never a first letter"),
        ("AO123456A", "O is never a second letter"),
        ("BG123456A", "BG is not allocated"),
        ("GB123456A", "GB is not allocated"),
        ("NK123456A", "NK is not allocated"),
        ("TN123456A", "TN is not allocated"),
        ("ZZ123456A", "ZZ is not allocated"),
        ("AB123456E", "suffix must be A to D"),
        ("AB12345C", "five digits"),
        ("AB1234567C", "seven digits"),
        ("A1234567C", "one letter"),
        ("", "empty"),
    ],
)
def test_invalid_national_insurance_numbers_are_refused(nino, why):
    with pytest.raises(ValidationError) as excinfo:
        validate_nino(nino)
    assert "National Insurance number" in excinfo.value.messages[0], why


def test_nino_is_shown_in_groups():
    assert format_nino("ab123456c") == "AB 12 34 56 C"


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "943-476-5919", "4010232137"])
def test_valid_nhs_numbers_pass_the_modulus_11_check(number):
    validate_nhs_number(number)


@pytest.mark.parametrize(
    "number",
    [
        "9434765918",  # check digit should be 9
        "943476591",  # nine digits
        "94347659190",  # eleven digits
        "943476591A",
        "1000000010",  # the first nine digits give check digit 10: never issued
    ],
)
def test_invalid_nhs_numbers_are_refused(number):
    with pytest.raises(ValidationError):
        validate_nhs_number(number)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_nhs_number_check_digit_property(first_nine):
    # given nine digits, the one check digit that is right (if any) is accepted and every other refused
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True))
    expected = (11 - total % 11) % 11
    for check in range(10):
        number = f"{first_nine}{check}"
        if expected != 10 and check == expected:
            validate_nhs_number(number)
        else:
            with pytest.raises(ValidationError):
                validate_nhs_number(number)


@pytest.mark.parametrize(
    "postcode, normalised",
    [
        ("NE1 6BS", "NE1 6BS"),
        ("ne16bs", "NE1 6BS"),
        ("SW1A 1AA", "SW1A 1AA"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("W1A 0AX", "W1A 0AX"),
        ("EC1A 1BB", "EC1A 1BB"),
    ],
)
def test_real_uk_postcodes_are_accepted_and_normalised(postcode, normalised):
    validate_postcode(postcode)
    assert normalise_postcode(postcode) == normalised


@pytest.mark.parametrize("postcode", ["NE1", "12345", "QE1 6BS", "NE1 6BC", "NE1 CBS", "NE1 6B", "SW1A1AAA", ""])
def test_bad_postcodes_are_refused(postcode):
    with pytest.raises(ValidationError) as excinfo:
        validate_postcode(postcode)
    assert excinfo.value.messages == ["Enter a real UK postcode, like NE1 6BS"]
