"""billing's answers to the signals of the apps below it (connected in BillingConfig.ready)."""

from .selectors import tariff_value


def first_steps(sender, **kwargs) -> dict:
    """The dashboard's "choose a tariff" step (subscribers/signals.py): the tariff in force."""
    return {"has_tariff": tariff_value("pk")}
