from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfobasesConfig(AppConfig):
    name = "infobases"
    verbose_name = _("1C applications")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Release
        from .selectors import releases_changed

        post_save.connect(releases_changed, sender=Release, dispatch_uid="releases_changed_save")
        post_delete.connect(
            releases_changed, sender=Release, dispatch_uid="releases_changed_delete"
        )

        # The lower apps' call points (onebuh/signals.py): billing's suspension, resume, purge
        # and tariff checks, subscribers' member changes and dashboard.
        from billing import signals as billing_signals
        from subscribers import signals as subscribers_signals

        from . import receivers

        for signal, receiver in (
            (billing_signals.subscribers_blocked, receivers.block_on_suspension),
            (billing_signals.subscribers_unblocked, receivers.unblock_on_resume),
            (billing_signals.subscribers_purging, receivers.purge_data),
            (billing_signals.usage_requested, receivers.tariff_usage),
            (billing_signals.held_data_requested, receivers.held_data),
            (subscribers_signals.memberships_removing, receivers.end_member_access),
            (subscribers_signals.memberships_lowered, receivers.lower_member_access),
            (subscribers_signals.first_steps_requested, receivers.first_steps),
        ):
            signal.connect(receiver, dispatch_uid=f"infobases.{receiver.__name__}")
