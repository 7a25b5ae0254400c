from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = _("Support")

    def ready(self):
        from infobases.signals import placement_requested

        from . import receivers

        # A placement request opens its ticket (onebuh/signals.py).
        placement_requested.connect(
            receivers.open_placement_ticket, dispatch_uid="support.open_placement_ticket"
        )
