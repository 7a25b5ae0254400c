"""Support tickets (4.2, 6): list, open, the conversation, reply, close, rate, attachments."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from infobases.access import infobase_for_member
from onebuh.limits import limit_hit
from support.access import attachment_for_member, ticket_for_member
from support.attachments import CONTENT_TYPES, attachment_response
from support.models import Category, Channel, MessageAuthor, TicketStatus
from support.selectors import quota_usage, tickets_for_member
from support.services import ticket_close, ticket_open, ticket_rate, ticket_reply

from .base import LOCATION, STORAGE_REDIRECT, ApiView, FileApiView, TextField

# Every type an attachment is served as; a .json file is any JSON, the others raw bytes.
ATTACHMENT_RESPONSES = {
    (200, content_type): OpenApiResponse(
        OpenApiTypes.ANY if content_type == "application/json" else OpenApiTypes.BINARY,
        description=_("The file."),
    )
    for content_type in sorted(set(CONTENT_TYPES.values()))
} | {302: STORAGE_REDIRECT}


class TicketOutput(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The ticket number, [ONEbuh #id]."))
    subject = TextField()
    category = serializers.ChoiceField(choices=Category.choices)
    status = serializers.ChoiceField(choices=TicketStatus.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    infobase = serializers.IntegerField(source="infobase_id", allow_null=True)
    opened_at = serializers.DateTimeField()
    reaction_due_at = serializers.DateTimeField(help_text=_("The promised reaction time (6)."))
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

    @extend_schema(
        parameters=[FilterSerializer],
        responses=TicketOutput(many=True),
        summary=_("Tickets"),
        description=_(
            "The subscriber's support tickets from every channel, newest first, with the "
            "promised reaction time; filter by state, category and opening time."
        ),
    )
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
        summary=_("Open a ticket"),
        description=_(
            "Opens a ticket in the panel's ticket system (4.2), optionally about one "
            "infobase. Methodological and individual requests count against the month's "
            "quota (see /tickets/quotas/). The answer has the promised reaction time."
        ),
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

    @extend_schema(
        responses=OutputSerializer(many=True),
        summary=_("This month's ticket quotas"),
        description=_(
            "For each category with a monthly quota (4.4, 6.4): how many tickets were opened "
            "this month, the limit and how many are left."
        ),
    )
    def get(self, request):
        usage = quota_usage(subscriber=self.membership.subscriber).values()
        return self.paginated(list(usage), self.OutputSerializer)


class TicketDetailApi(ApiView):
    @extend_schema(
        responses=TicketDetailOutput,
        summary=_("A ticket and its conversation"),
        description=_(
            "The ticket with its public messages and their attachments (download them from "
            "/attachments/{id}/); staff's internal notes are not shown."
        ),
    )
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

    @extend_schema(
        request=InputSerializer,
        responses={201: MessageOutput},
        summary=_("Reply in a ticket"),
        description=_(
            "Adds the member's message to the conversation; a ticket waiting for the "
            "subscriber or closed goes back into work. 409 when support on it was refused."
        ),
    )
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
    @extend_schema(
        request=None,
        responses=TicketOutput,
        summary=_("Close a ticket"),
        description=_(
            "Closes the ticket when the question is settled; 409 when it is already closed."
        ),
    )
    def post(self, request, pk):
        ticket = ticket_for_member(membership=self.membership, pk=pk)
        ticket = ticket_close(ticket=ticket, actor=request.user)
        return Response(TicketOutput(ticket).data)


class TicketRatingApi(ApiView):
    class InputSerializer(serializers.Serializer):
        rating = serializers.IntegerField(min_value=1, max_value=5)
        comment = TextField(required=False, allow_blank=True, max_length=4000)

    @extend_schema(
        request=InputSerializer,
        responses=TicketOutput,
        summary=_("Rate the answer"),
        description=_(
            "A rating from 1 to 5 with an optional comment, once support has answered "
            "(409 before that); a new rating replaces the old one."
        ),
    )
    def post(self, request, pk):
        ticket = ticket_for_member(membership=self.membership, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = ticket_rate(ticket=ticket, actor=request.user, **data.validated_data)
        return Response(TicketOutput(ticket).data)


class AttachmentApi(FileApiView):
    @extend_schema(
        responses=ATTACHMENT_RESPONSES,
        parameters=[LOCATION],
        summary=_("Download an attachment"),
        description=_(
            "The file attached to a public message of a ticket, served as its own type (a "
            ".pdf as application/pdf, a .png as image/png, …; 1C's .mxl, .epf and .erf as "
            "application/octet-stream). With object storage the answer is a redirect (302) "
            "to a short-lived link of the storage."
        ),
    )
    def get(self, request, pk):
        attachment = attachment_for_member(membership=self.membership, pk=pk)
        return attachment_response(attachment)
