"""The member's own 1C account (issue 14): the password page (set, one-time reveal, reset)
and the thin client's .v8i files."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from subscribers.access import member_required

from .. import connect
from ..access import (
    active_subscriber_required,
    infobase_for_member,
    infobases_visible_to,
    own_access_for_member,
)
from ..forms import PasswordSetForm
from ..services.passwords import (
    access_password_reset,
    access_password_reveal,
    access_password_set,
)
from .common import run


def _page(request, access, form):
    return render(
        request,
        "infobases/password.html",
        {
            "access": access,
            "infobase": access.infobase,
            "form": form,
            "reveal_waiting": bool(access.password_sealed)
            and access.password_reveal_until is not None
            and access.password_reveal_until > timezone.now(),
            "web_url": connect.web_url(access.infobase),
        },
    )


@never_cache
@member_required
def password(request, pk):
    access = own_access_for_member(membership=request.membership, pk=pk)
    form = PasswordSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _result, ok = run(
            request,
            lambda: access_password_set(
                access=access, password=form.cleaned_data["password1"], actor=request.user
            ),
            _("The password is set. Sign in to 1C with it in a minute."),
        )
        if ok:
            return redirect(access.infobase)
    return _page(request, access, form)


@never_cache
@require_POST
@member_required
def password_reveal(request, pk):
    """Shown once, answered to a POST (never a link a browser or a mail scanner may prefetch),
    never cached; a second reveal finds nothing."""
    access = own_access_for_member(membership=request.membership, pk=pk)
    secret, ok = run(request, lambda: access_password_reveal(access=access, actor=request.user))
    if not ok:
        return redirect("infobases:password", pk=pk)
    return render(
        request,
        "infobases/password_reveal.html",
        {
            "access": access,
            "infobase": access.infobase,
            "password": secret,
            "web_url": connect.web_url(access.infobase),
        },
    )


@require_POST
@member_required
@active_subscriber_required
def password_reset(request, pk):
    access = own_access_for_member(membership=request.membership, pk=pk)
    run(
        request,
        lambda: access_password_reset(access=access, actor=request.user),
        _("A new password is made. Show it now: it can be seen only once."),
    )
    return redirect("infobases:password", pk=pk)


def _v8i_response(infobases, filename: str) -> HttpResponse:
    response = HttpResponse(connect.v8i(infobases), content_type="application/x-v8i")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@member_required
def v8i_one(request, pk):
    infobase = infobase_for_member(membership=request.membership, pk=pk)
    return _v8i_response([infobase], f"onebuh-{infobase.ref}.v8i")


@member_required
def v8i_all(request):
    infobases = (
        infobases_visible_to(membership=request.membership)
        .filter(status__in=["creating", "ready"])
        .order_by("name", "pk")
    )
    return _v8i_response(list(infobases), "onebuh.v8i")
