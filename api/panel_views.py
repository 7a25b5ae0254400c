"""The panel's API tokens page: create (the token is shown once) and revoke."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from subscribers.access import member_required
from subscribers.audit import client_ip

from .access import token_for_member, tokens_visible_to
from .forms import TokenForm
from .services import api_token_create, api_token_revoke


@member_required
def index(request):
    membership = request.membership
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = api_token_create(
                membership=membership,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The token is created. Copy it now: it is shown only once.")
            )
            form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "raw_token": raw,
            "tokens": tokens_visible_to(membership=membership),
            "api_base": request.build_absolute_uri(reverse("v1_api:me")).removesuffix("me/"),
            "docs_url": reverse("api_public:swagger"),
        },
    )


@require_POST
@member_required
def revoke(request, pk):
    token = token_for_member(membership=request.membership, pk=pk)
    try:
        api_token_revoke(token=token, actor=request.user, ip=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The token is revoked: requests with it are refused now."))
    return redirect("apitokens:index")
