import re
from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()
NBSP = "\u00a0"


@register.filter
def phone(value: str) -> str:
    """'+77011234567' → '+7 701 123 45 67'."""
    match = re.fullmatch(r"\+7(\d{3})(\d{3})(\d{2})(\d{2})", value or "")
    return "+7 {} {} {} {}".format(*match.groups()) if match else value


@register.filter
def tenge(value) -> str:
    """Decimal('1234567.5') → '1 234 567,50 ₸' with no-break spaces (never a float)."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "−" if amount < 0 else ""
    whole, fraction = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + NBSP.join(groups) + "," + fraction + NBSP + "₸"
