"""Backups (1.2, 2.4): list, an on-demand copy, an expiring download link, restore."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
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
from .base import ApiView, FileApiView, TextField, nested
from .infobases import InfobaseOutput

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

    @extend_schema(parameters=[FilterSerializer], responses=BackupOutput(many=True))
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
        summary="Make a copy now (the infobase is locked while the dump runs)",
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

    @extend_schema(responses=OutputSerializer, summary="A download link that expires")
    def get(self, request, pk):
        backup = backup_for_download(membership=self.membership, pk=pk)
        token = services.backup_download_token(backup=backup, user=request.user)
        lifetime = timedelta(seconds=settings.ONEBUH_INFOBASES_DOWNLOAD_LINK_SECONDS)
        url = request.build_absolute_uri(reverse("v1_api:backup_file", args=[token]))
        return Response({"url": url, "expires_at": timezone.now() + lifetime})


class BackupFileApi(FileApiView):
    """The link works only for the person it was made for, and checks the right again."""

    extra_errors = {410: "The link has expired: ask for a new one."}

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
        summary="Download the .dt file",
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
        summary="Restore into the same infobase (after a safety copy) or into a new one",
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
