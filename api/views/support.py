"""Support tickets (4.2, 6): list, open, the conversation, reply, close, rate, attachments."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from infobases.access import infobase_for_member
from onebuh.limits import limit_hit
from support.access import attachment_for_member, ticket_for_member
from support.models import Category, Channel, MessageAuthor, TicketStatus
from support.selectors import quota_usage, tickets_for_member
from support.services import ticket_close, ticket_open, ticket_rate, ticket_reply

from .base import ApiView, FileApiView, TextField


class TicketOutput(serializers.Serializer):
    id = serializers.IntegerField(help_text="The ticket number, [ONEbuh #id].")
    subject = TextField()
    category = serializers.ChoiceField(choices=Category.choices)
    status = serializers.ChoiceField(choices=TicketStatus.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    infobase = serializers.IntegerField(source="infobase_id", allow_null=True)
    opened_at = serializers.DateTimeField()
    reaction_due_at = serializers.DateTimeField(help_text="The promised reaction time (6).")
    reacted_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    rating = serializers.IntegerField(allow_null=True)


class AttachmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = TextField()
    size = serializers.IntegerField()


class MessageOutput(serializers.Serializer):
    id = serializers.IntegerField()
    author_side = serializers.ChoiceField(choices=MessageAuthor.choices)
    author = TextField(source="author.display_name", allow_null=True, default=None)
    body = TextField()
    created_at = serializers.DateTimeField()
    attachments = AttachmentOutput(many=True)


class TicketDetailOutput(TicketOutput):
    messages = MessageOutput(many=True, source="public_messages")


class TicketListApi(ApiView):
    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=TicketStatus.choices, required=False)
        category = serializers.ChoiceField(choices=Category.choices, required=False)
        opened_from = serializers.DateTimeField(required=False)
        opened_to = serializers.DateTimeField(required=False)

    class InputSerializer(serializers.Serializer):
        category = serializers.ChoiceField(choices=Category.choices)
        subject = TextField(max_length=255)
        text = TextField(max_length=100_000)
        infobase = serializers.IntegerField(required=False, allow_null=True, min_value=1)

    @extend_schema(parameters=[FilterSerializer], responses=TicketOutput(many=True))
    def get(self, request):
        filters = self.filters(self.FilterSerializer)
        tickets = tickets_for_member(membership=self.membership)
        if "status" in filters:
            tickets = tickets.filter(status=filters["status"])
        if "category" in filters:
            tickets = tickets.filter(category=filters["category"])
        if "opened_from" in filters:
            tickets = tickets.filter(opened_at__gte=filters["opened_from"])
        if "opened_to" in filters:
            tickets = tickets.filter(opened_at__lt=filters["opened_to"])
        return self.paginated(tickets.order_by("-opened_at", "-pk"), TicketOutput)

    @extend_schema(
        request=InputSerializer,
        responses={201: TicketOutput},
        summary="Open a ticket (methodological and individual ones count against the quota)",
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        infobase = None
        if values.get("infobase"):
            infobase = infobase_for_member(membership=self.membership, pk=values["infobase"])
        limit_hit("ticket_member", request.user.pk)  # as the panel's form (issue 18)
        ticket = ticket_open(
            subscriber=self.membership.subscriber,
            opened_by=request.user,
            channel=Channel.WEB,  # 4.2: the ticket system of the control panel
            category=values["category"],
            subject=values["subject"],
            text=values["text"],
            infobase=infobase,
        )
        return Response(TicketOutput(ticket).data, status=status.HTTP_201_CREATED)


class QuotaApi(ApiView):
    class OutputSerializer(serializers.Serializer):
        category = serializers.ChoiceField(choices=Category.choices)
        used = serializers.IntegerField()
        limit = serializers.IntegerField()
        left = serializers.IntegerField()

    @extend_schema(responses=OutputSerializer(many=True), summary="This month's quotas (4.4, 6.4)")
    def get(self, request):
        usage = quota_usage(subscriber=self.membership.subscriber).values()
        return self.paginated(list(usage), self.OutputSerializer)


class TicketDetailApi(ApiView):
    @extend_schema(responses=TicketDetailOutput, summary="A ticket and its conversation")
    def get(self, request, pk):
        ticket = ticket_for_member(membership=self.membership, pk=pk)
        # Internal notes of staff are never shown to the subscriber.
        ticket.public_messages = (
            ticket.messages.filter(is_internal=False)
            .select_related("author")
            .prefetch_related("attachments")
        )
        return Response(TicketDetailOutput(ticket).data)


class TicketReplyApi(ApiView):
    class InputSerializer(serializers.Serializer):
        text = TextField(max_length=100_000)

    @extend_schema(request=InputSerializer, responses={201: MessageOutput}, summary="Reply")
    def post(self, request, pk):
        ticket = ticket_for_member(membership=self.membership, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = ticket_reply(
            ticket=ticket,
            author=request.user,
            text=data.validated_data["text"],
            from_subscriber=True,
        )
        return Response(MessageOutput(message).data, status=status.HTTP_201_CREATED)


class TicketCloseApi(ApiView):
    @extend_schema(request=None, responses=TicketOutput, summary="Close the ticket")
    def post(self, request, pk):
        ticket = ticket_for_member(membership=self.membership, pk=pk)
        ticket = ticket_close(ticket=ticket, actor=request.user)
        return Response(TicketOutput(ticket).data)


class TicketRatingApi(ApiView):
    class InputSerializer(serializers.Serializer):
        rating = serializers.IntegerField(min_value=1, max_value=5)
        comment = TextField(required=False, allow_blank=True, max_length=4000)

    @extend_schema(request=InputSerializer, responses=TicketOutput, summary="Rate the answer")
    def post(self, request, pk):
        ticket = ticket_for_member(membership=self.membership, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = ticket_rate(ticket=ticket, actor=request.user, **data.validated_data)
        return Response(TicketOutput(ticket).data)


class AttachmentApi(FileApiView):
    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
        summary="Download an attachment of a public message",
    )
    def get(self, request, pk):
        attachment = attachment_for_member(membership=self.membership, pk=pk)
        return FileResponse(
            attachment.file.open("rb"), as_attachment=True, filename=attachment.name
        )
