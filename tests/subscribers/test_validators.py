import pytest
from django.core.exceptions import ValidationError

from subscribers.validators import (
    control_digit,
    normalize_phone,
    validate_bin,
    validate_iin,
    validate_mobile_phone,
    with_control_digit,
)

# Numbers computed by hand with the official algorithm (see the module docstring).
VALID_IIN = "880314300128"  # 1988-03-14, 20th century (3), serial 0012, control 8
VALID_BIN = "150340001236"  # 2015-03, resident legal entity (4), head office (0)


def test_hand_checked_numbers_are_valid():
    validate_iin(VALID_IIN)
    validate_bin(VALID_BIN)


def test_control_digit_first_pass():
    # 8*1+8*2+0*3+3*4+1*5+4*6+3*7+0*8+0*9+1*10+2*11 = 118; 118 mod 11 = 8
    assert control_digit("88031430012") == 8


def test_control_digit_falls_back_to_second_weights_when_first_gives_ten():
    stem = next(
        f"{n:011d}"
        for n in range(10**10, 10**10 + 5000)
        if sum(int(d) * w for d, w in zip(f"{n:011d}", range(1, 12), strict=True)) % 11 == 10
        and sum(
            int(d) * w
            for d, w in zip(f"{n:011d}", (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2), strict=True)
        )
        % 11
        != 10
    )
    second = (
        sum(int(d) * w for d, w in zip(stem, (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2), strict=True)) % 11
    )
    assert control_digit(stem) == second


def test_no_valid_number_when_both_passes_give_ten():
    stem = next(
        f"{n:011d}"
        for n in range(10**10, 10**10 + 200000)
        if sum(int(d) * w for d, w in zip(f"{n:011d}", range(1, 12), strict=True)) % 11 == 10
        and sum(
            int(d) * w
            for d, w in zip(f"{n:011d}", (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2), strict=True)
        )
        % 11
        == 10
    )
    assert control_digit(stem) is None
    assert with_control_digit(stem) is None
    for last in "0123456789":
        with pytest.raises(ValidationError):
            validate_bin(stem + last)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "format"),
        ("88031430012", "format"),  # 11 digits
        ("8803143001266", "format"),  # 13 digits
        ("88031430012a", "format"),
        ("880314300129", "control_digit"),  # last digit off by one
        ("880314300120", "control_digit"),
    ],
)
def test_iin_rejects_wrong_format_and_control_digit(value, code):
    with pytest.raises(ValidationError) as error:
        validate_iin(value)
    assert error.value.code == code


def test_iin_rejects_impossible_birth_date():
    number = with_control_digit("88133230012")  # month 13
    assert number is not None
    with pytest.raises(ValidationError) as error:
        validate_iin(number)
    assert error.value.code == "birth_date"


def test_iin_rejects_unknown_century_digit():
    number = next(n for n in (with_control_digit(f"8803147{s:04d}") for s in range(50)) if n)
    with pytest.raises(ValidationError) as error:
        validate_iin(number)
    assert error.value.code == "century"


def test_iin_february_29_only_in_leap_years():
    leap = next(n for n in (with_control_digit(f"0002295{s:04d}") for s in range(50)) if n)
    validate_iin(leap)  # 2000-02-29 exists
    not_leap = next(n for n in (with_control_digit(f"0102295{s:04d}") for s in range(50)) if n)
    with pytest.raises(ValidationError):
        validate_iin(not_leap)  # 2001-02-29 does not


@pytest.mark.parametrize(
    ("stem", "code"),
    [
        ("15134000123", "month"),  # month 13
        ("15004000123", "month"),  # month 00
        ("15031000123", "entity_type"),  # 5th digit 1 is not a legal entity type
        ("15034700123", "entity_kind"),  # 6th digit 7 is not a kind
    ],
)
def test_bin_structure(stem, code):
    number = with_control_digit(stem) or with_control_digit(stem[:-1] + "4")
    assert number is not None
    with pytest.raises(ValidationError) as error:
        validate_bin(number)
    assert error.value.code == code


def test_bin_control_digit_is_checked():
    with pytest.raises(ValidationError) as error:
        validate_bin(VALID_BIN[:-1] + str((int(VALID_BIN[-1]) + 1) % 10))
    assert error.value.code == "control_digit"


def test_error_messages_are_russian():
    with pytest.raises(ValidationError) as error:
        validate_bin("123")
    assert "12 цифр" in error.value.messages[0]


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("+7 (701) 123-45-67", "+77011234567"),
        ("87011234567", "+77011234567"),
        ("7011234567", "7011234567"),
    ],
)
def test_phone_normalization(raw, normal):
    assert normalize_phone(raw) == normal


def test_mobile_phone_validation():
    validate_mobile_phone("+77011234567")
    with pytest.raises(ValidationError):
        validate_mobile_phone("+7701123456")
