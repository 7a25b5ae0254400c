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
        UNVERIFIED = "unverified", _("Ticket opened, sender not confirmed")
        APPENDED = "appended", _("Added to a ticket")
        AUTOMATIC = "automatic", _("Dropped: automatic or mailing list")
        UNKNOWN_SENDER = "unknown_sender", _("Unknown sender, pointed to the panel")
        BOUND = "bound", _("1C-Connect client bound to a member")
        REJECTED = "rejected", _("Rejected")
        # Could not be imported: kept raw with its error for staff to retry or discard.
        QUARANTINED = "quarantined", _("Quarantined: could not be imported")
        DISCARDED = "discarded", _("Discarded by staff")

    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    external_id = models.CharField(_("message id"), max_length=500)
    sender = models.CharField(_("sender"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.SET_NULL, null=True, blank=True
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    # Why a robot's mail was dropped, or how the sender was (not) authenticated.
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    # Quarantine: the message as it came and why it could not be imported.
    raw = models.BinaryField(_("raw message"), null=True, blank=True, editable=False)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="inbound_message_once"),
        ]
        indexes = [
            # The admin's quarantine queue.
            models.Index(
                fields=["received_at"],
                name="inbound_quarantine_idx",
                condition=models.Q(outcome="quarantined"),
            ),
        ]

    def __str__(self):
        return f"{self.source}: {self.external_id}"


class UnknownSenderReply(models.Model):
    """At most one "write from the panel" reply a day to an address (no backscatter floods)."""

    address = models.EmailField(_("address"))
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("reply to an unknown sender")
        verbose_name_plural = _("replies to unknown senders")
        constraints = [
            models.UniqueConstraint(fields=["address", "day"], name="unknown_sender_reply_daily"),
        ]

    def __str__(self):
        return f"{self.address} {self.day}"


class ConnectClient(models.Model):
    """A 1C-Connect client (a person in 1C-Connect, by its id there). What it says about itself
    (email, БИН) proves nothing: it acts as a member only once bound — by a one-time code the
    member got in the panel, or by staff confirmation in the admin."""

    class BoundVia(models.TextChoices):
        CODE = "code", _("One-time code from the panel")
        STAFF = "staff", _("Confirmed by staff")

    external_id = models.CharField(_("1C-Connect client id"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=255, blank=True)
    email = models.CharField(_("declared email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    tax_number = models.CharField(_("declared БИН/ИИН"), max_length=12, blank=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bound member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="connect_clients",
    )
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="connect_clients",
    )
    bound_via = models.CharField(_("bound by"), max_length=10, choices=BoundVia.choices, blank=True)
    bound_at = models.DateTimeField(_("bound at"), null=True, blank=True)
    bound_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("first seen at"), default=timezone.now)

    class Meta:
        verbose_name = _("1C-Connect client")
        verbose_name_plural = _("1C-Connect clients")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="connect_client_bound_whole",
                condition=models.Q(member__isnull=True, subscriber__isnull=True, bound_at=None)
                | models.Q(member__isnull=False, subscriber__isnull=False, bound_at__isnull=False),
            ),
        ]

    def __str__(self):
        return self.name or self.external_id

    @property
    def is_bound(self) -> bool:
        return self.member_id is not None


class ConnectBindingCode(models.Model):
    """A one-time code a member sees in the panel and sends in the 1C-Connect chat."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="+"
    )
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("1C-Connect binding code")
        verbose_name_plural = _("1C-Connect binding codes")

    def __str__(self):
        return f"{self.member} {self.created_at:%d.%m.%Y %H:%M}"


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
