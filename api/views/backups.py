"""Backups (1.2, 2.4): list, an on-demand copy, an expiring download link, restore."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from infobases import services, storage
from infobases.access import (
    backup_for_download,
    backup_for_download_link,
    backup_for_manager,
    infobase_for_manager,
)
from infobases.models import BackupKind, BackupStatus
from infobases.selectors import backup_list

from ..permissions import IsManager, ManagerWrites
from .base import LOCATION, STORAGE_REDIRECT, ApiView, FileApiView, TextField, nested
from .infobases import InfobaseOutput

DOWNLOAD_RESPONSES = {
    (200, "application/octet-stream"): OpenApiResponse(
        OpenApiTypes.BINARY, description=_("The .dt file.")
    ),
    302: STORAGE_REDIRECT,
}
InfobaseRef = nested("InfobaseRef", id=serializers.IntegerField(), name=TextField())


class BackupOutput(serializers.Serializer):
    id = serializers.IntegerField()
    infobase = InfobaseRef()
    kind = serializers.ChoiceField(choices=BackupKind.choices)
    status = serializers.ChoiceField(choices=BackupStatus.choices)
    size_bytes = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    keep_until = serializers.DateTimeField(allow_null=True)


class BackupListApi(ApiView):
    permission_classes = [ManagerWrites]

    class FilterSerializer(serializers.Serializer):
        infobase = serializers.IntegerField(required=False, min_value=1)
        kind = serializers.ChoiceField(choices=BackupKind.choices, required=False)
        status = serializers.ChoiceField(choices=BackupStatus.choices, required=False)

    class InputSerializer(serializers.Serializer):
        infobase = serializers.IntegerField(min_value=1)

    @extend_schema(
        parameters=[FilterSerializer],
        responses=BackupOutput(many=True),
        summary=_("Backups"),
        description=_(
            "The copies of the subscriber's infobases, newest first: daily, on demand, before "
            "an update or a restore, and the final copy of a deleted infobase; filter by "
            "infobase, kind or state."
        ),
    )
    def get(self, request):
        filters = self.filters(self.FilterSerializer)
        backups = backup_list(membership=self.membership)
        if "infobase" in filters:
            backups = backups.filter(infobase_id=filters["infobase"])
        if "kind" in filters:
            backups = backups.filter(kind=filters["kind"])
        if "status" in filters:
            backups = backups.filter(status=filters["status"])
        return self.paginated(backups, BackupOutput)

    @extend_schema(
        request=InputSerializer,
        responses={201: BackupOutput},
        summary=_("Make a backup now"),
        description=_(
            "Queues an on-demand copy of a ready infobase (owners and administrators); the "
            "infobase is locked while the dump runs. The answer has the state queued; "
            "409 when the infobase is not ready."
        ),
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        infobase = infobase_for_manager(
            membership=self.membership, pk=data.validated_data["infobase"]
        )
        backup = services.backup_request(infobase=infobase, actor=request.user)
        return Response(BackupOutput(backup).data, status=status.HTTP_201_CREATED)


class BackupLinkApi(ApiView):
    class OutputSerializer(serializers.Serializer):
        url = serializers.URLField()
        expires_at = serializers.DateTimeField()

    @extend_schema(
        responses=OutputSerializer,
        summary=_("A download link of a backup"),
        description=_(
            "A link to the copy's .dt file that works only for the member who asked for it "
            "and expires at expires_at. The copy must be finished."
        ),
    )
    def get(self, request, pk):
        backup = backup_for_download(membership=self.membership, pk=pk)
        token = services.backup_download_token(backup=backup, user=request.user)
        lifetime = timedelta(seconds=settings.ONEBUH_INFOBASES_DOWNLOAD_LINK_SECONDS)
        url = request.build_absolute_uri(reverse("v1_api:backup_file", args=[token]))
        return Response({"url": url, "expires_at": timezone.now() + lifetime})


class BackupFileApi(FileApiView):
    """The link works only for the person it was made for, and checks the right again."""

    extra_errors = {410: _("The link has expired: ask for a new one.")}

    @extend_schema(
        responses=DOWNLOAD_RESPONSES,
        parameters=[LOCATION],
        summary=_("Download a backup's .dt file"),
        description=_(
            "The file of the copy, by the link from download-link, for the member it was "
            "made for. With object storage the answer is a redirect (302) to a short-lived "
            "link of the storage."
        ),
    )
    def get(self, request, token):
        try:
            backup = backup_for_download_link(
                membership=self.membership, user=request.user, token=token
            )
        except signing.SignatureExpired as error:
            gone = exceptions.APIException(_("The download link has expired. Ask for a new one."))
            gone.status_code, gone.default_code = status.HTTP_410_GONE, "link_expired"
            raise gone from error
        return storage.backup_file_response(backup)


class BackupRestoreApi(ApiView):
    permission_classes = [IsManager]

    class InputSerializer(serializers.Serializer):
        into = serializers.ChoiceField(choices=[("same", "same"), ("new", "new")])
        name = TextField(max_length=100, required=False, allow_blank=True)

    @extend_schema(
        request=InputSerializer,
        responses={202: InfobaseOutput},
        summary=_("Restore a backup"),
        description=_(
            "Restores the copy into the same infobase (after a safety copy of its current "
            "state) or, with into=new, into a new infobase named name. Owners and "
            "administrators. 409 when the copy is not finished, or the infobase is busy or "
            "deleted (restore into a new one then)."
        ),
    )
    def post(self, request, pk):
        backup = backup_for_manager(membership=self.membership, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        infobase = services.backup_restore(
            backup=backup,
            actor=request.user,
            into_new=data.validated_data["into"] == "new",
            name=data.validated_data.get("name", ""),
        )
        return Response(InfobaseOutput(infobase).data, status=status.HTTP_202_ACCEPTED)
