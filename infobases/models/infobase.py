"""Infobases of subscribers, members' access to them, and the cluster operations behind them."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subscribers.models import Membership, Subscriber

from .catalog import Release, Solution


class InfobaseStatus(models.TextChoices):
    CREATING = "creating", _("Being created")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    DELETING = "deleting", _("Being deleted")
    DELETED = "deleted", _("Deleted")


class Infobase(models.Model):
    """A 1C infobase of a subscriber, kept on the operator's cluster (1.2)."""

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="infobases"
    )
    solution = models.ForeignKey(
        Solution, verbose_name=_("solution"), on_delete=models.PROTECT, related_name="infobases"
    )
    release = models.ForeignKey(
        Release,
        verbose_name=_("release"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="infobases",
    )
    name = models.CharField(_("name"), max_length=100)
    # The name on the cluster, in the web publication and in the thin-client connection string.
    ref = models.SlugField(_("name on the cluster"), max_length=63, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=InfobaseStatus.choices, default=InfobaseStatus.CREATING
    )
    status_message = models.TextField(_("status message"), blank=True)
    with_demo_data = models.BooleanField(_("with demo data"), default=False)
    is_typical = models.BooleanField(
        _("typical (unmodified)"),
        default=True,
        help_text=_("Only typical infobases are updated to new releases by the operator (7)."),
    )
    # 3.5: set while the subscriber is suspended; the cluster denies sessions and unpublishes.
    blocked_at = models.DateTimeField(_("blocked at"), null=True, blank=True)
    size_bytes = models.BigIntegerField(_("size, bytes"), default=0)
    lock_from = models.DateTimeField(_("sessions locked from"), null=True, blank=True)
    lock_to = models.DateTimeField(_("sessions locked until"), null=True, blank=True)
    lock_message = models.CharField(_("lock message"), max_length=255, blank=True)
    # Lets the subscriber's administrator in while the lock is on (rac --permission-code).
    lock_code = models.CharField(_("permission code"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("infobase")
        verbose_name_plural = _("infobases")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                name="infobase_deleted_has_time",
                condition=Q(status=InfobaseStatus.DELETED, deleted_at__isnull=False)
                | (~Q(status=InfobaseStatus.DELETED) & Q(deleted_at__isnull=True)),
            ),
            models.CheckConstraint(
                name="infobase_lock_period_order",
                condition=Q(lock_to__isnull=True)
                | Q(lock_from__isnull=True)
                | Q(lock_to__gt=models.F("lock_from")),
            ),
        ]
        indexes = [
            # The panel list and the tariff count: a subscriber's infobases that are not deleted.
            models.Index(fields=["subscriber", "status"], name="infobase_sub_status_idx"),
            # Updates and notices: the infobases of a solution.
            models.Index(fields=["solution", "status"], name="infobase_solution_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("infobases:detail", args=[self.pk])

    @property
    def is_ready(self) -> bool:
        return self.status == InfobaseStatus.READY and self.blocked_at is None

    @property
    def is_live(self) -> bool:
        return self.status not in (InfobaseStatus.DELETING, InfobaseStatus.DELETED)

    def lock_active(self, now=None) -> bool:
        """Whether the subscriber's session lock is in force right now."""
        if self.lock_from is None:
            return False
        now = now or timezone.now()
        return self.lock_from <= now and (self.lock_to is None or now < self.lock_to)


class AccessRole(models.TextChoices):
    FULL = "full", _("Full rights")
    USER = "user", _("User")


class InfobaseAccess(models.Model):
    """A member's user account in an infobase (2.4: only the subscriber's own people)."""

    infobase = models.ForeignKey(
        Infobase, verbose_name=_("infobase"), on_delete=models.CASCADE, related_name="accesses"
    )
    membership = models.ForeignKey(
        Membership, verbose_name=_("member"), on_delete=models.CASCADE, related_name="ib_accesses"
    )
    role = models.CharField(_("role"), max_length=10, choices=AccessRole.choices)
    login = models.CharField(_("1C login"), max_length=150)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    # No 1C password is ever mailed (issue 14): a generated one waits here, sealed with the
    # server's key (infobases/passwords.py), for its one-time reveal in the panel until it
    # expires; the reveal empties it. A password the member sets is never kept.
    password_sealed = models.TextField(_("password waiting for its reveal"), blank=True)
    password_reveal_until = models.DateTimeField(_("reveal possible until"), null=True, blank=True)
    password_set_at = models.DateTimeField(_("password set or seen at"), null=True, blank=True)

    class Meta:
        verbose_name = _("infobase access")
        verbose_name_plural = _("infobase access")
        ordering = ["infobase", "login"]
        constraints = [
            models.UniqueConstraint(fields=["infobase", "membership"], name="access_once"),
            models.UniqueConstraint(fields=["infobase", "login"], name="access_unique_login"),
        ]

    def __str__(self):
        return f"{self.login} → {self.infobase}"


class OperationKind(models.TextChoices):
    CREATE = "create", _("Create")
    LOAD = "load", _("Create from a dump")
    DROP = "drop", _("Delete (with a final backup)")
    PURGE = "purge", _("Drop without a backup (3.6)")
    BLOCK = "block", _("Block")
    UNBLOCK = "unblock", _("Unblock")
    USER_SET = "user_set", _("Add or change an infobase user")
    USER_REMOVE = "user_remove", _("Remove an infobase user")
    SESSION_END = "session_end", _("End a session")
    LOCK_SET = "lock_set", _("Set a session lock")
    LOCK_CLEAR = "lock_clear", _("Clear the session lock")
    BACKUP = "backup", _("Backup")
    RESTORE = "restore", _("Restore from a backup")
    UPDATE = "update", _("Update to a release")


class OperationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Operation(models.Model):
    """One call of the provisioning layer, run by a Celery task. Its id makes a retry safe."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="ib_operations",
    )
    # Kept after the infobase row is purged: the driver works from `ref` in params.
    infobase = models.ForeignKey(
        Infobase,
        verbose_name=_("infobase"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="operations",
    )
    kind = models.CharField(_("operation"), max_length=20, choices=OperationKind.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OperationStatus.choices, default=OperationStatus.QUEUED
    )
    message = models.TextField(_("message"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # A worker that dies mid-call leaves it running: after this many attempts the reaper marks
    # it failed instead of queueing it again (infobases/services/dispatch.py).
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=3)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    # Sent to a worker in the chunk `dispatch_token`; queued with it null = not sent yet.
    dispatched_at = models.DateTimeField(_("sent to a worker at"), null=True, blank=True)
    dispatch_token = models.UUIDField(null=True, blank=True, editable=False)
    # The worker holding it (its chunk waiting, or it running) renews this while it lives.
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("cluster operation")
        verbose_name_plural = _("cluster operations")
        ordering = ["-created_at"]
        indexes = [
            # The infobase page's recent operations.
            models.Index(fields=["infobase", "-created_at"], name="operation_ib_idx"),
            # The admin's and the watchdog's view of what is not finished.
            models.Index(
                fields=["status", "created_at"],
                condition=Q(status__in=["queued", "running", "failed"]),
                name="operation_open_idx",
            ),
            # The dispatcher: operations not sent yet, in order.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(status="queued", dispatched_at__isnull=True),
                name="operation_undispatched_idx",
            ),
            # The reaper and the in-flight count: leases of sent and running operations.
            models.Index(
                fields=["lease_until"],
                condition=Q(status__in=["queued", "running"], lease_until__isnull=False),
                name="operation_lease_idx",
            ),
            # A chunk's own operations.
            models.Index(
                fields=["dispatch_token"],
                condition=Q(dispatch_token__isnull=False),
                name="operation_chunk_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.params.get('ref', '')}"
