"""The customer's own storage for copies of backups (issue 16): add, change, check, delete."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from subscribers.access import manager_required
from subscribers.models import SubscriberStatus

from ..access import (
    active_subscriber_required,
    backup_copies_visible_to,
    backup_copy_for_manager,
    backup_target_for_manager,
    backup_targets_visible_to,
)
from ..forms import BackupTargetForm
from ..models import MAX_TARGETS
from ..services.targets import (
    backup_copy_retry,
    target_add,
    target_check,
    target_delete,
    target_probe,
    target_update,
)
from .common import run


def _form_errors(form, error) -> None:
    """A service's ValidationError onto the form (a field's, or the whole form's)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            name = "bucket_name" if field == "bucket" else field
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _values(data: dict) -> dict:
    fields = ("endpoint_url", "bucket_name", "region", "prefix", "access_key", "secret_key")
    return {name: data[name] for name in fields}


def _probe_or_refuse(values: dict, *, target=None) -> None:
    """Wrong keys, bucket or address: the form says why in Russian and nothing is saved."""
    problem = target_probe(target=target, **values)
    if problem:
        raise ValidationError(
            _("The storage did not accept these settings, nothing is saved: %(reason)s")
            % {"reason": problem}
        )


@manager_required
def index(request):
    membership = request.membership
    targets = list(backup_targets_visible_to(membership=membership))
    form = BackupTargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = _values(form.cleaned_data)
        try:
            _probe_or_refuse(values)
            target = target_add(
                subscriber=membership.subscriber, actor=request.user, probed=True, **values
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("The storage is added: a test file was written to the bucket and deleted."),
            )
            return redirect("infobases:backup_target", target.pk)
    recent = (
        backup_copies_visible_to(membership=membership)
        .select_related("backup__infobase", "target")
        .order_by("-created_at", "-id")[:20]
    )
    return render(
        request,
        "infobases/backup_targets.html",
        {
            "targets": targets,
            "form": form,
            "can_add": len(targets) < MAX_TARGETS,
            "copies": recent,
            "copy_retry_next": "targets",
            "suspended": membership.subscriber.status != SubscriberStatus.ACTIVE,
        },
    )


@manager_required
def detail(request, pk):
    target = backup_target_for_manager(membership=request.membership, pk=pk)
    initial = {
        "endpoint_url": target.endpoint_url,
        "bucket_name": target.bucket,
        "region": target.region,
        "prefix": target.prefix,
        "enabled": target.enabled,
    }
    form = BackupTargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = _values(form.cleaned_data)
        enabled = form.cleaned_data["enabled"]
        try:
            # Switching a storage off needs no working bucket (its keys may be revoked).
            if enabled:
                _probe_or_refuse(values, target=target)
            target_update(
                target=target, actor=request.user, enabled=enabled, probed=enabled, **values
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The storage settings are saved."))
            return redirect("infobases:backup_target", target.pk)
    return render(request, "infobases/backup_target.html", {"target": target, "form": form})


@require_POST
@manager_required
def check(request, pk):
    target = backup_target_for_manager(membership=request.membership, pk=pk)
    problem = target_check(target=target)
    if problem:
        messages.error(request, _("The check failed: %(reason)s") % {"reason": problem})
    else:
        messages.success(
            request, _("The connection works: a test file was written to the bucket and deleted.")
        )
    return redirect("infobases:backup_target", target.pk)


@require_POST
@manager_required
def delete(request, pk):
    target = backup_target_for_manager(membership=request.membership, pk=pk)
    run(
        request,
        lambda: target_delete(target=target, actor=request.user),
        _("The storage is deleted. Copies already made stay in your bucket."),
    )
    return redirect("infobases:backup_targets")


@require_POST
@manager_required
@active_subscriber_required
def copy_retry(request, pk):
    """«Скопировать ещё раз» for a failed copy, on the backups page and the storages page."""
    copy = backup_copy_for_manager(membership=request.membership, pk=pk)
    run(
        request,
        lambda: backup_copy_retry(copy=copy, actor=request.user),
        _("The copy is queued again; its status is shown here."),
    )
    back = request.POST.get("next")
    if back == "targets":
        return redirect("infobases:backup_targets")
    return redirect("infobases:backups")
