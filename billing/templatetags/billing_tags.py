from django import template

from billing.money import kzt
from billing.providers import active_provider
from billing.selectors import account_summary, purge_date_for

register = template.Library()


register.filter("kzt", kzt)


@register.simple_tag
def billing_summary(membership) -> dict:
    """The dashboard card and the suspended banner: tariff, balances, debt, purge date."""
    if not membership:
        return {}
    subscriber = membership.subscriber
    account = account_summary(subscriber=subscriber)  # the sums and the tariff in one query
    summary = {
        "tariff": account["tariff"],
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
