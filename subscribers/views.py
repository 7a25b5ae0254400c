from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .access import (
    invitation_for_manager,
    invitations_open_visible_to,
    manager_required,
    member_for_manager,
    member_required,
    members_visible_to,
    membership_of_user,
)
from .adapters import INVITATION_SESSION_KEY
from .audit import client_ip
from .forms import InvitationForm, MemberRoleForm, SubscriberForm
from .middleware import TERMS_BANNER_SESSION_KEY
from .models import Invitation, TermsVersion
from .selectors import CURRENT_SUBSCRIBER_SESSION_KEY, first_steps, state_history
from .services import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_change_role,
    membership_remove,
    subscriber_register,
    subscriber_update_details,
    terms_dismiss_banner,
)


@member_required
def dashboard(request):
    subscriber = request.membership.subscriber
    members = list(members_visible_to(membership=request.membership))
    state_changes = state_history(subscriber=subscriber)
    steps = (
        first_steps(subscriber=subscriber, member_count=len(members))
        if request.membership.can_manage
        else None
    )
    return render(
        request,
        "subscribers/dashboard.html",
        {
            "subscriber": subscriber,
            "members": members,
            "state_changes": state_changes,
            "first_steps": steps,
        },
    )


@login_required
def register(request):
    """The second step after sign-up: the subscriber's registration data (2.2)."""
    if request.membership is not None and request.method == "GET" and "new" not in request.GET:
        return redirect("subscribers:dashboard")
    form = SubscriberForm(request.POST or None, initial={"responsible_email": request.user.email})
    if request.method == "POST" and form.is_valid():
        subscriber = subscriber_register(
            owner=request.user, data=form.cleaned_data, ip=client_ip(request)
        )
        request.session[CURRENT_SUBSCRIBER_SESSION_KEY] = subscriber.pk
        messages.success(request, _("The subscriber is registered. Welcome to ONEbuh!"))
        return redirect("subscribers:dashboard")
    return render(request, "subscribers/register.html", {"form": form})


@member_required
def profile(request):
    subscriber = request.membership.subscriber
    form = None
    if request.membership.can_manage:
        form = SubscriberForm(request.POST or None, instance=subscriber)
        if request.method == "POST" and form.is_valid():
            subscriber_update_details(
                subscriber=subscriber, data=form.cleaned_data, actor=request.user
            )
            messages.success(request, _("The registration data is saved."))
            return redirect("subscribers:profile")
    return render(request, "subscribers/profile.html", {"subscriber": subscriber, "form": form})


@member_required
def members(request):
    membership = request.membership
    invite_form = InvitationForm(request.POST or None) if membership.can_manage else None
    if request.method == "POST":
        if invite_form is None:
            raise Http404
        if invite_form.is_valid():
            try:
                invitation_create(
                    subscriber=membership.subscriber,
                    email=invite_form.cleaned_data["email"],
                    role=invite_form.cleaned_data["role"],
                    invited_by=request.user,
                )
            except ValidationError as error:
                invite_form.add_error("email", error)
            else:
                messages.success(request, _("The invitation is sent."))
                return redirect("subscribers:members")
    member_list = members_visible_to(membership=membership)
    invitations = invitations_open_visible_to(membership=membership)
    return render(
        request,
        "subscribers/members.html",
        {
            "member_list": member_list,
            "invitations": invitations,
            "invite_form": invite_form,
            "role_form": MemberRoleForm(),
        },
    )


@manager_required
@require_POST
def member_role(request, pk):
    member = member_for_manager(membership=request.membership, pk=pk)
    form = MemberRoleForm(request.POST)
    if form.is_valid():
        try:
            membership_change_role(
                membership=member, role=form.cleaned_data["role"], actor=request.user
            )
            messages.success(request, _("The role is changed."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Choose a role from the list."))
    return redirect("subscribers:members")


@manager_required
@require_POST
def member_remove(request, pk):
    member = member_for_manager(membership=request.membership, pk=pk)
    try:
        membership_remove(membership=member, actor=request.user)
        messages.success(request, _("The member is removed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("subscribers:members")


@manager_required
@require_POST
def invitation_cancel(request, pk):
    invitation = invitation_for_manager(membership=request.membership, pk=pk)
    invitation_revoke(invitation=invitation, actor=request.user)
    messages.success(request, _("The invitation is revoked."))
    return redirect("subscribers:members")


def invitation_accept_view(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("subscriber"), token=token)
    if not invitation.is_open():
        return render(request, "subscribers/invitation_invalid.html", status=410)
    if not request.user.is_authenticated:
        # The link itself proves the address: allauth then skips the verification email.

        request.session[INVITATION_SESSION_KEY] = token
        get_adapter(request).stash_verified_email(request, invitation.email)
        return render(request, "subscribers/invitation_welcome.html", {"invitation": invitation})
    request.session.pop(INVITATION_SESSION_KEY, None)
    if request.method == "POST":
        try:
            invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("subscribers:dashboard")
        request.session[CURRENT_SUBSCRIBER_SESSION_KEY] = invitation.subscriber_id
        messages.success(request, _("You have joined %(name)s.") % {"name": invitation.subscriber})
        return redirect("subscribers:dashboard")
    return render(request, "subscribers/invitation_accept.html", {"invitation": invitation})


@login_required
@require_POST
def switch_subscriber(request):
    membership = membership_of_user(user=request.user, subscriber_id=request.POST.get("subscriber"))
    request.session[CURRENT_SUBSCRIBER_SESSION_KEY] = membership.subscriber_id
    return redirect("subscribers:dashboard")


def terms_detail(request, pk):
    """Published terms are public: anyone may read any version."""
    terms = get_object_or_404(TermsVersion, pk=pk)
    return render(request, "subscribers/terms_detail.html", {"terms": terms})


def terms_latest(request):
    terms = TermsVersion.objects.order_by("-published_at", "-pk").first()
    if terms is None:
        raise Http404
    return redirect(terms)


@login_required
@require_POST
def terms_banner_dismiss(request, pk):
    terms = get_object_or_404(TermsVersion, pk=pk)
    terms_dismiss_banner(user=request.user, terms=terms)
    request.session[TERMS_BANNER_SESSION_KEY] = False
    return redirect(request.POST.get("next") or "subscribers:dashboard")


@member_required
def coming_soon(request, section):
    return render(request, "subscribers/coming_soon.html", {"section": section})
