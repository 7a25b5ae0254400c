"""Kazakhstan identification numbers (2.2 of the terms): ИИН for people, БИН for legal entities.

Both are 12 digits whose last digit is a control digit: weights 1..11 mod 11; if that gives 10,
a second pass with weights 3..11, 1, 2; if it gives 10 again, the number is invalid.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_WEIGHTS = tuple(range(1, 12))
SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
TWELVE_DIGITS = re.compile(r"^\d{12}$")
# The 7th digit of an ИИН: century of birth and sex (1/2: 19th, 3/4: 20th, 5/6: 21st century).
IIN_CENTURY = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}
# The 5th digit of a БИН: resident legal entity, non-resident, individual entrepreneur (joint).
BIN_ENTITY_TYPES = {"4", "5", "6"}
# The 6th digit of a БИН: head office, branch, representative office, peasant farm.
BIN_ENTITY_KINDS = {"0", "1", "2", "3"}


def control_digit(first_eleven: str) -> int | None:
    """The 12th digit for these 11 digits, or None when no valid number starts with them."""
    digits = [int(ch) for ch in first_eleven]
    for weights in (FIRST_WEIGHTS, SECOND_WEIGHTS):
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def _check_format_and_control(value: str, label: str) -> str:
    value = (value or "").strip()
    if not TWELVE_DIGITS.match(value):
        raise ValidationError(
            _("%(label)s must consist of exactly 12 digits."),
            code="format",
            params={"label": label},
        )
    expected = control_digit(value[:11])
    if expected is None or expected != int(value[11]):
        raise ValidationError(
            _("%(label)s has a wrong control digit: check the number."),
            code="control_digit",
            params={"label": label},
        )
    return value


def validate_iin(value: str) -> None:
    value = _check_format_and_control(value, "ИИН")
    century = IIN_CENTURY.get(value[6])
    if century is None:
        raise ValidationError(
            _("ИИН has a wrong 7th digit (century of birth and sex)."), code="century"
        )
    try:
        date(century + int(value[0:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        raise ValidationError(
            _("ИИН must start with a real date of birth (YYMMDD)."), code="birth_date"
        ) from None


def validate_bin(value: str) -> None:
    value = _check_format_and_control(value, "БИН")
    if not 1 <= int(value[2:4]) <= 12:
        raise ValidationError(
            _("БИН must start with the year and month of registration (YYMM)."), code="month"
        )
    if value[4] not in BIN_ENTITY_TYPES:
        raise ValidationError(_("БИН has a wrong 5th digit (type of entity)."), code="entity_type")
    if value[5] not in BIN_ENTITY_KINDS:
        raise ValidationError(_("БИН has a wrong 6th digit (kind of entity)."), code="entity_kind")


PHONE_RE = re.compile(r"^\+7\d{10}$")


def normalize_phone(value: str) -> str:
    """Bring '+7 (701) 123-45-67', '87011234567' and the like to '+77011234567'."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) == 11 and digits[0] in "78":
        return "+7" + digits[1:]
    return value.strip()


def validate_mobile_phone(value: str) -> None:
    if not PHONE_RE.match(value or ""):
        raise ValidationError(
            _("Enter a Kazakhstan mobile number in the form +7 XXX XXX XX XX."), code="phone"
        )


def with_control_digit(first_eleven: str) -> str | None:
    """The full 12-digit number for these 11 digits, or None if no valid number starts so."""
    digit = control_digit(first_eleven)
    return None if digit is None else f"{first_eleven}{digit}"
