"""Backups in the panel: list, on-demand copy, signed expiring download, restore (1.2, 2.4)."""

from django.contrib import messages
from django.core import signing
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from subscribers.access import manager_required, member_required
from subscribers.models import SubscriberStatus

from .. import services, storage
from ..access import (
    active_subscriber_required,
    backup_for_download,
    backup_for_download_link,
    backup_for_manager,
    infobase_for_manager,
    registration_numbers_visible_to,
)
from ..forms import RestoreForm
from ..selectors import backup_list
from .common import run


@member_required
def index(request):
    membership = request.membership
    return render(
        request,
        "infobases/backups.html",
        {
            "backups": backup_list(membership=membership).prefetch_related("copies__target")[:300],
            "suspended": membership.subscriber.status != SubscriberStatus.ACTIVE,
            "restore_form": RestoreForm(),
        },
    )


@require_POST
@manager_required
@active_subscriber_required
def create(request, pk):
    infobase = infobase_for_manager(membership=request.membership, pk=pk)
    run(
        request,
        lambda: services.backup_request(infobase=infobase, actor=request.user),
        _("The backup is queued. While the dump runs, the infobase is locked for users."),
    )
    return redirect(infobase)


@member_required
def download(request, pk):
    """Check the right now and hand out a link that expires; the link checks it again."""
    backup = backup_for_download(membership=request.membership, pk=pk)
    token = services.backup_download_token(backup=backup, user=request.user)
    return redirect(reverse("infobases:backup_file", args=[token]))


@member_required
def download_file(request, token):
    try:
        backup = backup_for_download_link(
            membership=request.membership, user=request.user, token=token
        )
    except signing.SignatureExpired:
        messages.error(request, _("The download link has expired. Ask for a new one."))
        return redirect("infobases:backups")
    return storage.backup_file_response(backup)


@require_POST
@manager_required
@active_subscriber_required
def restore(request, pk):
    backup = backup_for_manager(membership=request.membership, pk=pk)
    form = RestoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose where to restore the copy."))
        return redirect("infobases:backups")
    into_new = form.cleaned_data["into"] == "new"
    if not into_new and form.cleaned_data["confirm"] != backup.infobase_id:
        # Restoring over a base replaces its data: only the button that named it may do that.
        messages.error(
            request,
            _("Confirm that the copy replaces the data of «%(name)s».")
            % {"name": backup.infobase.name},
        )
        return redirect("infobases:backups")
    infobase, ok = run(
        request,
        lambda: services.backup_restore(
            backup=backup, actor=request.user, into_new=into_new, name=form.cleaned_data["name"]
        ),
        _("A new infobase is being created from the copy.")
        if into_new
        else _("The infobase will be restored after a safety backup of its current state."),
    )
    return redirect(infobase if ok else "infobases:backups")


@member_required
def licences(request):
    """2.3: the registration numbers the rights holder assigned to the subscriber's users."""
    membership = request.membership
    numbers = registration_numbers_visible_to(
        membership=membership, user=request.user
    ).select_related("solution")
    return render(request, "infobases/licences.html", {"numbers": numbers})
