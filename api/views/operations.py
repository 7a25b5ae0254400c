"""Compensation claims (9.1–9.3) and the public service status."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from operations.access import claim_for_member, claims_visible_to
from operations.models import ClaimStatus, RejectReason
from operations.services import claim_file
from operations.status import status_overview

from ..permissions import CanSeeBilling
from .base import ApiView, TextField


def _minutes(value: timedelta | None) -> int | None:
    return None if value is None else int(value.total_seconds()) // 60


class ClaimOutput(serializers.Serializer):
    id = serializers.IntegerField()
    ticket = serializers.IntegerField(source="ticket_id")
    downtime_date = serializers.DateField()
    claimed_minutes = serializers.SerializerMethodField()
    description = TextField()
    status = serializers.ChoiceField(choices=ClaimStatus.choices)
    approved_minutes = serializers.SerializerMethodField()
    reject_reason = serializers.ChoiceField(choices=[*RejectReason.choices, ("", "")])
    decision_note = TextField()
    credited = serializers.DecimalField(
        max_digits=14, decimal_places=2, source="credit.amount", allow_null=True, default=None
    )
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)

    def get_claimed_minutes(self, claim) -> int:
        return _minutes(claim.claimed_downtime)

    def get_approved_minutes(self, claim) -> int | None:
        return _minutes(claim.approved_downtime)


class ClaimListApi(ApiView):
    permission_classes = [CanSeeBilling]

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=ClaimStatus.choices, required=False)

    class InputSerializer(serializers.Serializer):
        downtime_date = serializers.DateField()
        hours = serializers.IntegerField(min_value=0, max_value=24, default=0)
        minutes = serializers.IntegerField(min_value=0, max_value=59, default=0)
        description = TextField(required=False, allow_blank=True, max_length=4000)

    @extend_schema(
        parameters=[FilterSerializer],
        responses=ClaimOutput(many=True),
        summary=_("Compensation claims"),
        description=_(
            "The subscriber's claims for downtime, newest first, with the decision and the "
            "credited bonus; filter by state."
        ),
    )
    def get(self, request):
        filters = self.filters(self.FilterSerializer)
        claims = claims_visible_to(membership=self.membership).select_related("credit")
        if "status" in filters:
            claims = claims.filter(status=filters["status"])
        return self.paginated(claims.order_by("-created_at", "-pk"), ClaimOutput)

    @extend_schema(
        request=InputSerializer,
        responses={201: ClaimOutput},
        summary=_("Claim compensation"),
        description=_(
            "Claims compensation for a day's downtime (9.1): the date, how long the service "
            "was down and what happened. It is filed as a ticket; the operator decides and "
            "credits a bonus (9.2, 9.3). One open claim per date (409 for a second)."
        ),
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        claim = claim_file(
            subscriber=self.membership.subscriber,
            opened_by=request.user,
            downtime_date=values["downtime_date"],
            claimed_downtime=timedelta(hours=values["hours"], minutes=values["minutes"]),
            description=values.get("description", ""),
        )
        return Response(ClaimOutput(claim).data, status=status.HTTP_201_CREATED)


class ClaimDetailApi(ApiView):
    permission_classes = [CanSeeBilling]

    @extend_schema(
        responses=ClaimOutput,
        summary=_("A compensation claim"),
        description=_("One claim with its state, the approved downtime and the credited bonus."),
    )
    def get(self, request, pk):
        return Response(ClaimOutput(claim_for_member(membership=self.membership, pk=pk)).data)


class ComponentOutput(serializers.Serializer):
    code = TextField()
    label = TextField()
    state = TextField()
    state_label = TextField()
    uptime = serializers.FloatField(help_text=_("Percent over the last 90 days."))


class EventOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = TextField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True)


class StatusApi(ApiView):
    """The public status page's data: no sign-in needed (counted per IP address)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer):
        overall = TextField()
        overall_label = TextField()
        components = ComponentOutput(many=True)
        ongoing_incidents = EventOutput(many=True)
        ongoing_works = EventOutput(many=True)
        upcoming_works = EventOutput(many=True)

    @extend_schema(
        responses=OutputSerializer,
        summary=_("Service status"),
        description=_(
            "The data of the public /status/ page: the state of each component, ongoing "
            "incidents and technical works, the works planned. No token is needed."
        ),
    )
    def get(self, request):
        return Response(self.OutputSerializer(status_overview()).data)
