"""Infobases (1.2): the catalog to choose from, list, create, rename, delete, sessions, access."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from infobases import services
from infobases.access import (
    access_for_manager,
    accesses_visible_to,
    infobase_for_manager,
    infobase_for_member,
    member_for_access,
)
from infobases.models import AccessRole, InfobaseStatus
from infobases.selectors import (
    infobase_list,
    infobase_sessions,
    session_owned_by,
    solution_published,
    solutions_published,
)

from ..permissions import IsManager, ManagerWrites
from .base import ApiView, CodeField, TextField, nested

SolutionRef = nested(
    "SolutionRef",
    code=TextField(),
    name=TextField(),
)


class SolutionListApi(ApiView):
    class OutputSerializer(serializers.Serializer):
        code = TextField()
        name = TextField()
        description = TextField()
        has_demo_data = serializers.SerializerMethodField()

        def get_has_demo_data(self, solution) -> bool:
            return bool(solution.demo_template)

    @extend_schema(
        responses=OutputSerializer(many=True),
        summary=_("The catalog of 1C solutions"),
        description=_(
            "The 1C solutions an infobase can be created from (its code goes into "
            "POST /api/v1/infobases/), and whether a solution has demo data."
        ),
    )
    def get(self, request):
        return self.paginated(solutions_published(), self.OutputSerializer)


class InfobaseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = TextField()
    ref = TextField(help_text=_("The name on the cluster and in the web address."))
    status = serializers.ChoiceField(choices=InfobaseStatus.choices)
    status_message = TextField()
    solution = SolutionRef()
    release = TextField(source="release.version", allow_null=True, default=None)
    with_demo_data = serializers.BooleanField()
    blocked = serializers.SerializerMethodField()
    size_bytes = serializers.IntegerField()
    web_url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_blocked(self, infobase) -> bool:
        return infobase.blocked_at is not None

    def get_web_url(self, infobase) -> str:
        return f"{settings.ONEBUH_INFOBASES_WEB_URL}/{infobase.ref}/"


class InfobaseListOutput(InfobaseOutput):
    last_backup_at = serializers.DateTimeField(allow_null=True)


class InfobaseListApi(ApiView):
    permission_classes = [ManagerWrites]

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=InfobaseStatus.choices, required=False)
        solution = CodeField(required=False, help_text=_("A solution's code."))

    class InputSerializer(serializers.Serializer):
        solution = CodeField(help_text=_("A solution's code from /solutions/."))
        name = TextField(max_length=100)
        with_demo_data = serializers.BooleanField(default=False)

    @extend_schema(
        parameters=[FilterSerializer],
        responses=InfobaseListOutput(many=True),
        summary=_("The subscriber's infobases"),
        description=_(
            "Every infobase of the subscriber with its state, solution, release, size, web "
            "address and the time of its last backup; filter by state or solution."
        ),
    )
    def get(self, request):
        filters = self.filters(self.FilterSerializer)
        # A subscriber has a few infobases (the tariff's limit): the selector gives them all.
        infobases = [
            ib
            for ib in infobase_list(membership=self.membership)
            if filters.get("status", ib.status) == ib.status
            and filters.get("solution", ib.solution.code) == ib.solution.code
        ]
        return self.paginated(infobases, InfobaseListOutput)

    @extend_schema(
        request=InputSerializer,
        responses={201: InfobaseOutput},
        summary=_("Add an infobase"),
        description=_(
            "Creates an infobase from a solution of the catalog, empty or with demo data "
            "(owners and administrators). It is created in the background: the answer has the "
            "state creating, then ready. The tariff's limit of infobases applies (409 when "
            "it is used). The one who creates it gets full access."
        ),
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        solution = solution_published(code=values["solution"])
        infobase = services.infobase_create(
            subscriber=self.membership.subscriber,
            solution=solution,
            name=values["name"],
            with_demo_data=values["with_demo_data"],
            actor=request.user,
        )
        return Response(InfobaseOutput(infobase).data, status=status.HTTP_201_CREATED)


class InfobaseDetailApi(ApiView):
    permission_classes = [ManagerWrites]

    class InputSerializer(serializers.Serializer):
        name = TextField(max_length=100)

    @extend_schema(
        responses=InfobaseOutput,
        summary=_("An infobase"),
        description=_("One infobase of the subscriber: its state, solution, size and address."),
    )
    def get(self, request, pk):
        return Response(InfobaseOutput(infobase_for_member(membership=self.membership, pk=pk)).data)

    @extend_schema(
        request=InputSerializer,
        responses=InfobaseOutput,
        summary=_("Rename an infobase"),
        description=_(
            "A partial update: only the fields given change; an empty object changes nothing "
            "and answers the infobase as it is. Owners and administrators."
        ),
    )
    def patch(self, request, pk):
        infobase = infobase_for_manager(membership=self.membership, pk=pk)
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        if "name" in data.validated_data:
            infobase = services.infobase_rename(
                infobase=infobase, name=data.validated_data["name"], actor=request.user
            )
        return Response(InfobaseOutput(infobase).data)

    @extend_schema(
        responses={202: InfobaseOutput},
        summary=_("Delete an infobase"),
        description=_(
            "Deletes the infobase after a final backup that is kept for 30 days (1.2); the "
            "answer has the state deleting. Everyone's access to it ends. 409 while it is "
            "being created or deleted."
        ),
    )
    def delete(self, request, pk):
        infobase = infobase_for_manager(membership=self.membership, pk=pk)
        infobase = services.infobase_delete(infobase=infobase, actor=request.user)
        return Response(InfobaseOutput(infobase).data, status=status.HTTP_202_ACCEPTED)


class SessionOutput(serializers.Serializer):
    id = TextField()
    user = TextField()
    client = TextField()
    client_name = TextField()
    host = TextField()
    started_at = serializers.DateTimeField(allow_null=True)
    last_active_at = serializers.DateTimeField(allow_null=True)


class SessionListApi(ApiView):
    extra_errors = {503: _("The 1C cluster could not be asked for the sessions; try later.")}

    @extend_schema(
        responses=SessionOutput(many=True),
        summary=_("Live 1C sessions"),
        description=_(
            "Who works in the infobase now: the 1C user, the client application, the computer "
            "and when the session started and was last active."
        ),
    )
    def get(self, request, pk):
        infobase = infobase_for_member(membership=self.membership, pk=pk)
        rows, error = infobase_sessions(infobase=infobase)
        if error:
            return Response(
                {"error": {"code": "cluster_unavailable", "message": error, "fields": {}}},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        sessions = [{**row["session"].__dict__, "client_name": row["client_name"]} for row in rows]
        return self.paginated(sessions, SessionOutput)


class SessionEndApi(ApiView):
    @extend_schema(
        request=None,
        responses={202: None},
        summary=_("End a 1C session"),
        description=_(
            "Asks the 1C cluster to end the session (it ends in a few seconds). A plain user "
            "may end only their own sessions; owners and administrators any."
        ),
    )
    def post(self, request, pk, session_id):
        membership = self.membership
        infobase = infobase_for_member(membership=membership, pk=pk)
        # As in the panel: a plain user ends only their own sessions.
        if not membership.can_manage and not session_owned_by(
            membership=membership, infobase=infobase, session_id=session_id
        ):
            raise serializers.ValidationError(
                {"session_id": [_("You can end only your own sessions.")]}
            )
        services.session_end(infobase=infobase, session_id=session_id, actor=request.user)
        return Response(status=status.HTTP_202_ACCEPTED)


class AccessOutput(serializers.Serializer):
    id = serializers.IntegerField()
    infobase = serializers.IntegerField(source="infobase_id")
    member = serializers.IntegerField(source="membership_id")
    email = serializers.EmailField(source="membership.user.email")
    role = serializers.ChoiceField(choices=AccessRole.choices)
    login = TextField()
    granted_at = serializers.DateTimeField()


class AccessListApi(ApiView):
    permission_classes = [IsManager]

    class FilterSerializer(serializers.Serializer):
        infobase = serializers.IntegerField(required=False, min_value=1)
        member = serializers.IntegerField(required=False, min_value=1)

    class InputSerializer(serializers.Serializer):
        infobase = serializers.IntegerField(min_value=1)
        member = serializers.IntegerField(min_value=1)
        role = serializers.ChoiceField(choices=AccessRole.choices)

    @extend_schema(
        parameters=[FilterSerializer],
        responses=AccessOutput(many=True),
        summary=_("Who has access to which infobase"),
        description=_(
            "The grants of access to the subscriber's infobases with their 1C login and role; "
            "filter by infobase or member. Owners and administrators."
        ),
    )
    def get(self, request):
        filters = self.filters(self.FilterSerializer)
        grants = accesses_visible_to(membership=self.membership).select_related("membership__user")
        if "infobase" in filters:
            grants = grants.filter(infobase_id=filters["infobase"])
        if "member" in filters:
            grants = grants.filter(membership_id=filters["member"])
        return self.paginated(grants.order_by("infobase_id", "login"), AccessOutput)

    @extend_schema(
        request=InputSerializer,
        responses={200: AccessOutput},
        summary=_("Grant access or change its role"),
        description=_(
            "Gives a member access to an infobase with full rights or as a user, or changes "
            "the role of an existing grant. The tariff's number of 1C users applies (409 when "
            "all are taken). The member sets or reveals the 1C password in the panel; no "
            "password is ever mailed."
        ),
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        infobase = infobase_for_manager(membership=self.membership, pk=values["infobase"])
        member = member_for_access(membership=self.membership, pk=values["member"])
        grant = services.access_set(
            infobase=infobase, membership=member, role=values["role"], actor=request.user
        )
        return Response(AccessOutput(grant).data)


class AccessDetailApi(ApiView):
    permission_classes = [IsManager]

    @extend_schema(
        responses={204: None},
        summary=_("Revoke access"),
        description=_("Ends the member's access to the infobase and removes the 1C user."),
    )
    def delete(self, request, pk):
        grant = access_for_manager(membership=self.membership, pk=pk)
        services.access_revoke(access=grant, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
