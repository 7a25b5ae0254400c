"""The support form inside the 1C application (4.2), authenticated by a per-infobase token.

    POST /api/1c/tickets/   Authorization: Token <token>
    {"category": "technical", "subject": "...", "text": "...", "user": "Иванов", "release": "3.0.150.1"}

A wrong or revoked token answers 401 and stores nothing. Errors have the API's one shape
(api.exceptions, the project's EXCEPTION_HANDLER): {"error": {"code", "message", "fields"}}.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import authentication, exceptions, permissions, serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from onebuh.limits import (
    RateLimited,
    limit_hit,
    throttled,
    token_failure_record,
    token_failures_check,
)

from .models import Category, Channel, OneCFormToken
from .services import onec_token_authenticate, ticket_open


class OneCFormTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace")
        scheme, _sep, raw = header.partition(" ")
        if scheme != self.keyword:
            return None
        token_failures_check(request)
        token = onec_token_authenticate(raw=raw.strip())
        if token is None:
            token_failure_record(request)
            raise exceptions.AuthenticationFailed(_("The token is wrong or revoked."))
        return (None, token)

    def authenticate_header(self, request):
        return self.keyword


class OneCFormTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token in the OpenAPI schema."""

    target_class = OneCFormTokenAuthentication
    name = "OneCFormToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(
                _(
                    "The infobase's token of the 1C form, issued on the panel's Support page: "
                    "Authorization: Token <token>."
                )
            ),
        }


class HasOneCFormToken(permissions.BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, OneCFormToken)


class TicketCreateApi(APIView):
    authentication_classes = [OneCFormTokenAuthentication]
    permission_classes = [HasOneCFormToken]
    renderer_classes = [JSONRenderer]
    not_authenticated_message = _("Present the form's token: Authorization: Token <token>.")

    class InputSerializer(serializers.Serializer):
        category = serializers.ChoiceField(choices=Category.choices, default=Category.TECHNICAL)
        subject = serializers.CharField(max_length=255)
        text = serializers.CharField(max_length=100_000)
        user = serializers.CharField(max_length=255, required=False, allow_blank=True)
        release = serializers.CharField(max_length=100, required=False, allow_blank=True)

    class OutputSerializer(serializers.Serializer):
        number = serializers.IntegerField(source="pk", help_text=_("The ticket number."))
        status = serializers.CharField()
        reaction_due_at = serializers.DateTimeField(help_text=_("The promised reaction time."))

    @extend_schema(
        request=InputSerializer,
        responses={201: OutputSerializer},
        summary=_("Open a ticket from the 1C form"),
        description=_(
            "The support form inside the 1C application (4.2) opens a ticket about the "
            "token's infobase, with the 1C user's name and the configuration's release. "
            "A wrong or revoked token answers 401 and stores nothing; one token opens at most "
            "a few tickets a minute (429)."
        ),
    )
    def post(self, request):
        token: OneCFormToken = request.auth
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            # Issue 18: one token opened 60 tickets in 1 s.
            limit_hit("ticket_1c_token", token.pk)
        except RateLimited as error:
            raise throttled(error) from error
        # A refusal of the service is a 400 (or a 409) in the error shape (api.exceptions).
        ticket = ticket_open(
            subscriber=token.subscriber,
            opened_by=None,
            channel=Channel.ONEC_FORM,
            category=values["category"],
            subject=values["subject"],
            text=values["text"],
            infobase=token.infobase,
            onec_user=values.get("user", ""),
            onec_release=values.get("release", ""),
        )
        return Response(self.OutputSerializer(ticket).data, status=status.HTTP_201_CREATED)
