from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..audit_actions import audit_action_label
from .subscriber import Subscriber


class AuditEntry(models.Model):
    """Who did what to which subscriber, when and why. Written only by subscribers.audit."""

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_is_staff = models.BooleanField(_("by staff"), default=False)
    action = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("object type"), max_length=64, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=255, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [
            # Admin's per-subscriber history, newest first.
            models.Index(fields=["subscriber", "-at"], name="audit_subscriber_at_idx"),
            # Admin's filter by action.
            models.Index(fields=["action", "-at"], name="audit_action_at_idx"),
        ]

    def __str__(self):
        return f"{timezone.localtime(self.at):%d.%m.%Y %H:%M} {audit_action_label(self.action)}"
