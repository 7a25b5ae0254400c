"""Channel bookkeeping: email Message-IDs, inbound message log, 1C form tokens (4.2)."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subscribers.models import Subscriber

from .tickets import Ticket


class MailDirection(models.TextChoices):
    INBOUND = "in", _("Inbound")
    OUTBOUND = "out", _("Outbound")


class TicketMailId(models.Model):
    """The Message-ID of every email of a ticket, ours and theirs: replies thread by these."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="mail_ids"
    )
    message_id = models.CharField(_("Message-ID"), max_length=500, unique=True)
    direction = models.CharField(_("direction"), max_length=3, choices=MailDirection.choices)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("email Message-ID")
        verbose_name_plural = _("email Message-IDs")

    def __str__(self):
        return self.message_id


class InboundMessage(models.Model):
    """Every inbound email and 1C-Connect message once: a replay finds its row and does nothing."""

    class Source(models.TextChoices):
        EMAIL = "email", _("Email")
        CONNECT = "connect", _("1C-Connect")

    class Outcome(models.TextChoices):
        OPENED = "opened", _("Ticket opened")
        APPENDED = "appended", _("Added to a ticket")
        AUTOMATIC = "automatic", _("Dropped: automatic or mailing list")
        UNKNOWN_SENDER = "unknown_sender", _("Unknown sender, pointed to the panel")
        REJECTED = "rejected", _("Rejected")

    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    external_id = models.CharField(_("message id"), max_length=500)
    sender = models.CharField(_("sender"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.SET_NULL, null=True, blank=True
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="inbound_message_once"),
        ]

    def __str__(self):
        return f"{self.source}: {self.external_id}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class OneCFormToken(models.Model):
    """The secret the 1C application's support form presents; issued per infobase, revocable."""

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="onec_form_tokens",
    )
    infobase = models.ForeignKey(
        "infobases.Infobase",
        verbose_name=_("infobase"),
        on_delete=models.CASCADE,
        related_name="onec_form_tokens",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("token begins with"), max_length=8, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("1C form token")
        verbose_name_plural = _("1C form tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.infobase} ({self.prefix}…)"
