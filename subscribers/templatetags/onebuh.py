import re

from django import template

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """'+77011234567' → '+7 701 123 45 67'."""
    match = re.fullmatch(r"\+7(\d{3})(\d{3})(\d{2})(\d{2})", value or "")
    return "+7 {} {} {} {}".format(*match.groups()) if match else value
