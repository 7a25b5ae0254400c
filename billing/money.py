"""How an amount of tenge is written for people (pages, PDFs, reports, the admin)."""

from decimal import Decimal

NBSP = "\u00a0"


def kzt(value, mode: str = "") -> str:
    """12 345,67 ₸ with no-break spaces (also before ₸, so it never wraps alone); mode "abs"
    drops the sign where the words already say who owes whom."""
    if value in (None, ""):
        return ""
    amount = abs(Decimal(value)) if mode == "abs" else Decimal(value)
    text = f"{abs(amount):,.2f}".replace(",", NBSP).replace(".", ",")
    return f"{'−' if amount < 0 else ''}{text}{NBSP}₸"
