"""The subscriber's profile (2.2 data), its members and invitations, and who is calling."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from subscribers.access import (
    get_for_member,
    invitation_for_manager,
    invitations_open_visible_to,
    member_for_manager,
    members_visible_to,
)
from subscribers.forms import SubscriberForm
from subscribers.models import MemberRole
from subscribers.services import (
    SUBSCRIBER_DATA_FIELDS,
    invitation_create,
    invitation_revoke,
    membership_change_role,
    membership_remove,
    subscriber_update_details,
)

from ..models import ApiToken
from ..permissions import IsManager, ManagerWrites
from .base import ApiView, TextField

INVITABLE_ROLES = [(v, label) for v, label in MemberRole.choices if v != MemberRole.OWNER]


class MeApi(ApiView):
    class OutputSerializer(serializers.Serializer):
        email = serializers.EmailField(source="user.email")
        full_name = TextField(source="user.full_name")
        member_id = serializers.IntegerField(source="pk")
        role = serializers.ChoiceField(choices=MemberRole.choices)
        subscriber_id = serializers.IntegerField()
        can_manage = serializers.BooleanField()
        can_see_billing = serializers.BooleanField()
        token_scope = TextField(allow_null=True)

    @extend_schema(
        responses=OutputSerializer,
        summary=_("Who is calling"),
        description=_(
            "The member the token belongs to: email, name, role, subscriber, what the role "
            "allows and the token's scope (read or write; null for the panel's session)."
        ),
    )
    def get(self, request):
        membership = self.membership
        membership.token_scope = request.auth.scope if isinstance(request.auth, ApiToken) else None
        return Response(self.OutputSerializer(membership).data)


class SubscriberApi(ApiView):
    permission_classes = [ManagerWrites]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        legal_form = TextField()
        display_name = TextField()
        name = TextField()
        iin = TextField()
        bin = TextField()
        main_activity = TextField()
        person_full_name = TextField()
        address = TextField()
        responsible_full_name = TextField()
        responsible_email = serializers.EmailField()
        responsible_phone = TextField()
        status = TextField()
        suspension_reason = TextField()
        created_at = serializers.DateTimeField()

    class InputSerializer(serializers.Serializer):
        """Any of the registration fields; the legal form cannot change (2.2)."""

        name = TextField(required=False, allow_blank=True, max_length=255)
        iin = TextField(required=False, allow_blank=True, max_length=12)
        bin = TextField(required=False, allow_blank=True, max_length=12)
        main_activity = TextField(required=False, allow_blank=True, max_length=255)
        person_full_name = TextField(required=False, allow_blank=True, max_length=255)
        address = TextField(required=False, allow_blank=True, max_length=500)
        responsible_full_name = TextField(required=False, max_length=255)
        responsible_email = serializers.EmailField(required=False)
        responsible_phone = TextField(required=False, max_length=32)

    @extend_schema(
        responses=OutputSerializer,
        summary=_("The subscriber's registration data"),
        description=_(
            "The data given at registration (2.2): legal form, name, БИН or ИИН, address, "
            "the responsible person; and the subscriber's state."
        ),
    )
    def get(self, request):
        return Response(self.OutputSerializer(self.membership.subscriber).data)

    @extend_schema(
        request=InputSerializer,
        responses=OutputSerializer,
        summary=_("Update the registration data"),
        description=_(
            "A partial update: only the fields given change, checked as in the panel (what "
            "each legal form must give, 2.2); the legal form itself cannot change. An empty "
            "object changes nothing. Owners and administrators."
        ),
    )
    def patch(self, request):
        subscriber = self.membership.subscriber
        given = self.InputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        if not given.validated_data:
            return Response(self.OutputSerializer(subscriber).data)
        # The panel's form checks what each legal form must give (2.2) and normalises the phone.
        current = {field: getattr(subscriber, field) for field in SUBSCRIBER_DATA_FIELDS}
        form = SubscriberForm(data={**current, **given.validated_data}, instance=subscriber)
        if not form.is_valid():
            raise serializers.ValidationError(_form_errors(form))
        subscriber = subscriber_update_details(
            subscriber=subscriber, data=form.cleaned_data, actor=request.user
        )
        return Response(self.OutputSerializer(subscriber).data)


def _form_errors(form) -> dict:
    errors = {field: list(messages) for field, messages in form.errors.items()}
    errors["non_field_errors"] = errors.pop("__all__", [])
    return errors


class MemberOutput(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField(source="user.email")
    full_name = TextField(source="user.full_name")
    role = serializers.ChoiceField(choices=MemberRole.choices)
    created_at = serializers.DateTimeField()


class MemberListApi(ApiView):
    class FilterSerializer(serializers.Serializer):
        role = serializers.ChoiceField(choices=MemberRole.choices, required=False)
        search = TextField(required=False, max_length=100)

    @extend_schema(
        parameters=[FilterSerializer],
        responses=MemberOutput(many=True),
        summary=_("Members"),
        description=_(
            "The subscriber's members with their roles; filter by role or by words of the "
            "email or name."
        ),
    )
    def get(self, request):
        filters = self.filters(self.FilterSerializer)
        members = members_visible_to(membership=self.membership)
        if "role" in filters:
            members = members.filter(role=filters["role"])
        if "search" in filters:
            word = filters["search"]
            members = members.filter(
                Q(user__email__icontains=word) | Q(user__full_name__icontains=word)
            )
        return self.paginated(members.order_by("created_at", "pk"), MemberOutput)


class MemberDetailApi(ApiView):
    permission_classes = [ManagerWrites]

    class InputSerializer(serializers.Serializer):
        role = serializers.ChoiceField(choices=INVITABLE_ROLES)

    @extend_schema(
        responses=MemberOutput,
        summary=_("A member"),
        description=_("One member of the subscriber: email, name, role."),
    )
    def get(self, request, pk):
        member = get_for_member(
            members_visible_to(membership=self.membership), membership=self.membership, pk=pk
        )
        return Response(MemberOutput(member).data)

    @extend_schema(
        request=InputSerializer,
        responses=MemberOutput,
        summary=_("Change a member's role"),
        description=_(
            "A partial update: an empty object changes nothing. A member lowered from "
            "administrator keeps only a plain user's rights in 1C; the owner's role cannot "
            "change. Owners and administrators."
        ),
    )
    def patch(self, request, pk):
        member = member_for_manager(membership=self.membership, pk=pk)
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        if "role" in data.validated_data:
            member = membership_change_role(
                membership=member, role=data.validated_data["role"], actor=request.user
            )
        return Response(MemberOutput(member).data)

    @extend_schema(
        responses={204: None},
        summary=_("Remove a member"),
        description=_(
            "Removes the member from the subscriber: their access to infobases, 1C users and "
            "API tokens end. The owner cannot be removed."
        ),
    )
    def delete(self, request, pk):
        member = member_for_manager(membership=self.membership, pk=pk)
        membership_remove(membership=member, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=MemberRole.choices)
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


class InvitationListApi(ApiView):
    permission_classes = [IsManager]

    class InputSerializer(serializers.Serializer):
        email = serializers.EmailField()
        role = serializers.ChoiceField(choices=INVITABLE_ROLES)

    @extend_schema(
        responses=InvitationOutput(many=True),
        summary=_("Open invitations"),
        description=_("Invitations not yet accepted or revoked, newest first."),
    )
    def get(self, request):
        invitations = invitations_open_visible_to(membership=self.membership).order_by(
            "-created_at", "-pk"
        )
        return self.paginated(invitations, InvitationOutput)

    @extend_schema(
        request=InputSerializer,
        responses={201: InvitationOutput},
        summary=_("Invite a person"),
        description=_(
            "Sends an invitation by email with a role (not owner). 409 when the person is "
            "already a member or an invitation to that email is waiting."
        ),
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = invitation_create(
            subscriber=self.membership.subscriber, invited_by=request.user, **data.validated_data
        )
        return Response(InvitationOutput(invitation).data, status=status.HTTP_201_CREATED)


class InvitationDetailApi(ApiView):
    permission_classes = [IsManager]

    @extend_schema(
        responses={204: None},
        summary=_("Revoke an invitation"),
        description=_("The invitation's link stops working."),
    )
    def delete(self, request, pk):
        invitation = invitation_for_manager(membership=self.membership, pk=pk)
        invitation_revoke(invitation=invitation, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
