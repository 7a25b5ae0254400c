"""The subscriber's 1C applications in the panel (1.2): list, add, details, access, sessions."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from subscribers.access import manager_required, member_required

from .. import connect, services
from ..access import (
    access_for_manager,
    active_subscriber_required,
    infobase_for_manager,
    infobase_for_member,
    member_for_access,
)
from ..badges import infobase_rows
from ..forms import AccessForm, InfobaseAddForm, LockForm, RenameForm
from ..models import Solution
from ..selectors import (
    access_matrix,
    backup_list,
    infobase_list,
    infobase_sessions,
    own_access,
    own_login,
    placement_rows,
    recent_operations,
)
from .common import run


@member_required
def index(request):
    membership = request.membership
    infobases = infobase_list(membership=membership)
    return render(
        request,
        "infobases/index.html",
        {
            "infobases": infobases,
            "rows": infobase_rows(infobases),
            "placements": placement_rows(membership=membership),
        },
    )


@manager_required
@active_subscriber_required
def add(request):
    form = InfobaseAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        infobase, ok = run(
            request,
            lambda: services.infobase_create(
                subscriber=request.membership.subscriber,
                actor=request.user,
                **form.cleaned_data,
            ),
            _("The infobase is being created; it will be ready in a few minutes."),
        )
        if ok:
            return redirect(infobase)
    solutions = Solution.objects.filter(is_published=True)
    return render(request, "infobases/add.html", {"form": form, "solutions": solutions})


@member_required
def detail(request, pk):
    membership = request.membership
    infobase = infobase_for_member(membership=membership, pk=pk)
    sessions, sessions_error = infobase_sessions(infobase=infobase)
    own = own_access(membership=membership, infobase=infobase)
    login = own.login if own else None
    for row in sessions:
        row["can_end"] = membership.can_manage or (login and row["session"].user == login)
    return render(
        request,
        "infobases/detail.html",
        {
            "infobase": infobase,
            "web_url": connect.web_url(infobase),
            "thin_client_connstr": connect.connection_string(infobase),
            "own_access": own,
            "own_password_waiting": bool(own and own.password_sealed)
            and own.password_reveal_until > timezone.now(),
            "sessions": sessions,
            "sessions_error": sessions_error,
            "operations": recent_operations(infobase=infobase),
            "backups": backup_list(membership=membership, infobase=infobase)[:5],
            "lock_active": infobase.lock_active(),
            "rename_form": RenameForm(initial={"name": infobase.name}),
            "lock_form": LockForm(),
            "accesses": infobase.accesses.select_related("membership__user")
            if membership.can_manage
            else [],
        },
    )


@require_POST
@manager_required
@active_subscriber_required
def rename(request, pk):
    infobase = infobase_for_manager(membership=request.membership, pk=pk)
    form = RenameForm(request.POST)
    if form.is_valid():
        run(
            request,
            lambda: services.infobase_rename(
                infobase=infobase, name=form.cleaned_data["name"], actor=request.user
            ),
            _("The infobase is renamed."),
        )
    else:
        messages.error(request, _("Give the infobase a name."))
    return redirect(infobase)


@require_POST
@manager_required
@active_subscriber_required
def delete(request, pk):
    infobase = infobase_for_manager(membership=request.membership, pk=pk)
    _result, ok = run(
        request,
        lambda: services.infobase_delete(infobase=infobase, actor=request.user),
        _("The infobase will be deleted after a final backup, which is kept for 30 days."),
    )
    return redirect("infobases:index" if ok else infobase)


@require_POST
@member_required
@active_subscriber_required
def session_end(request, pk, session_id):
    membership = request.membership
    infobase = infobase_for_member(membership=membership, pk=pk)
    if not membership.can_manage:
        # An ordinary user may end only their own sessions: ask the cluster whose it is.
        sessions, _error = infobase_sessions(infobase=infobase)
        login = own_login(membership=membership, infobase=infobase)
        if not any(r["session"].id == session_id and r["session"].user == login for r in sessions):
            messages.error(request, _("You can end only your own sessions."))
            return redirect(infobase)
    run(
        request,
        lambda: services.session_end(infobase=infobase, session_id=session_id, actor=request.user),
        _("The session will be ended in a moment; its licence is freed."),
    )
    return redirect(infobase)


@require_POST
@manager_required
@active_subscriber_required
def lock(request, pk):
    infobase = infobase_for_manager(membership=request.membership, pk=pk)
    if "clear" in request.POST:
        run(
            request,
            lambda: services.lock_clear(infobase=infobase, actor=request.user),
            _("The session lock is cleared."),
        )
        return redirect(infobase)
    form = LockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the lock's dates."))
        return redirect(infobase)
    run(
        request,
        lambda: services.lock_set(
            infobase=infobase,
            starts=form.cleaned_data["starts"],
            ends=form.cleaned_data["ends"],
            message=form.cleaned_data["message"],
            actor=request.user,
        ),
        _("The session lock is set."),
    )
    return redirect(infobase)


@manager_required
def access(request):
    matrix = access_matrix(membership=request.membership)
    return render(
        request, "infobases/access.html", {**matrix, "roles": AccessForm().fields["role"].choices}
    )


@require_POST
@manager_required
@active_subscriber_required
def access_set(request):
    form = AccessForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role: full rights or user."))
        return redirect("infobases:access")
    infobase = infobase_for_manager(membership=request.membership, pk=form.cleaned_data["infobase"])
    member = member_for_access(membership=request.membership, pk=form.cleaned_data["member"])
    run(
        request,
        lambda: services.access_set(
            infobase=infobase, membership=member, role=form.cleaned_data["role"], actor=request.user
        ),
        _(
            "Access is saved. A new user gets the 1C login by email and sees the password "
            "once in the panel."
        ),
    )
    return redirect("infobases:access")


@require_POST
@manager_required
@active_subscriber_required
def access_revoke(request, pk):
    grant = access_for_manager(membership=request.membership, pk=pk)
    run(
        request,
        lambda: services.access_revoke(access=grant, actor=request.user),
        _("Access is revoked."),
    )
    return redirect("infobases:access")
