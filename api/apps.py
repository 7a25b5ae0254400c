from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Public API")

    def ready(self):
        from billing.signals import subscribers_purged
        from subscribers.signals import memberships_removing, password_changed

        # Registers the OpenAPI description of the token authentication.
        from . import (
            authentication,  # noqa: F401
            receivers,
        )

        # What ends access below ends the API tokens too (onebuh/signals.py).
        for signal, receiver in (
            (memberships_removing, receivers.revoke_on_member_removal),
            (password_changed, receivers.revoke_on_password_change),
            (subscribers_purged, receivers.revoke_on_purge),
        ):
            signal.connect(receiver, dispatch_uid=f"api.{receiver.__name__}")
