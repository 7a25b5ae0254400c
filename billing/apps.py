from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self):
        from subscribers.signals import first_steps_requested

        from . import receivers

        # The dashboard's tariff step (onebuh/signals.py).
        first_steps_requested.connect(receivers.first_steps, dispatch_uid="billing.first_steps")
