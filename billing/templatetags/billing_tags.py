from decimal import Decimal

from django import template

from billing.providers import active_provider
from billing.selectors import account_summary, purge_date_for, tariff_for_subscriber

register = template.Library()
NBSP = "\u00a0"


@register.filter
def kzt(value, mode: str = "") -> str:
    """12 345,67 ₸ with no-break spaces (also before ₸, so it never wraps alone); |kzt:"abs"
    drops the sign where the words already say who owes whom."""
    if value in (None, ""):
        return ""
    amount = abs(Decimal(value)) if mode == "abs" else Decimal(value)
    text = f"{abs(amount):,.2f}".replace(",", NBSP).replace(".", ",")
    return f"{'−' if amount < 0 else ''}{text}{NBSP}₸"


@register.simple_tag
def billing_summary(membership) -> dict:
    """The dashboard card and the suspended banner: tariff, balances, debt, purge date."""
    if not membership:
        return {}
    subscriber = membership.subscriber
    account = account_summary(subscriber=subscriber)  # the sums in one query
    summary = {
        "tariff": tariff_for_subscriber(subscriber=subscriber),
        "debt": account["debt"],
        "purge_date": purge_date_for(subscriber=subscriber),
        "account": subscriber.pk,
    }
    if membership.can_see_billing:
        summary["money"], summary["bonus"] = account["money"], account["bonus"]
    return summary


@register.simple_tag
def online_payment_available() -> bool:
    """Whether the "Оплатить" buttons lead anywhere (a provider is configured)."""
    return active_provider() is not None
