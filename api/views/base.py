"""The base of every /api/v1/ view: authentication, permissions, throttles, errors, pages.

Views are thin (STYLE.md, HackSoft): nested Input/Output serializers, objects through the
apps' access helpers, writes through the apps' services; a service's ValidationError becomes
a 400 with its Russian message."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from ..access import membership_of
from ..authentication import ApiTokenAuthentication
from ..pagination import ApiPagination
from ..permissions import IsMember
from ..throttling import IpRateThrottle, TokenRateThrottle


class ApiView(APIView):
    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    permission_classes = [IsMember]
    throttle_classes = [IpRateThrottle, TokenRateThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    # Lists document and use it (drf-spectacular reads it for the page parameters and shape).
    pagination_class = ApiPagination

    @property
    def membership(self):
        return membership_of(self.request)

    def filters(self, serializer_class) -> dict:
        """The list's query parameters, validated (a wrong value is a 400, not an empty list)."""
        # A plain dict, not the QueryDict: "?status=" is then a wrong value, not a missing one.
        serializer = serializer_class(data=self.request.query_params.dict())
        serializer.is_valid(raise_exception=True)
        return {k: v for k, v in serializer.validated_data.items() if v not in (None, "")}

    def paginated(self, items, serializer_class):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(items, self.request, view=self)
        return paginator.get_paginated_response(serializer_class(page, many=True).data)


# A stored file is streamed from the file system, or the answer is a redirect to object storage.
STORAGE_REDIRECT = OpenApiResponse(description=_("Object storage: the file is at Location."))
LOCATION = OpenApiParameter(
    "Location",
    OpenApiTypes.URI,
    OpenApiParameter.HEADER,
    response=[302],
    description=_("A short-lived link to the file."),
)


class FileApiView(ApiView):
    """Views that answer with a file: errors stay JSON whatever the client's Accept says."""

    def perform_content_negotiation(self, request, force=False):
        return (JSONRenderer(), JSONRenderer.media_type)


class _TextOnly:
    """JSON input: a string field takes a string (DRF would quietly turn 3660 into "3660")."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError(_("Give text here, not a number or a list."))
        return super().to_internal_value(data)


class TextField(_TextOnly, serializers.CharField):
    pass


class CodeField(_TextOnly, serializers.SlugField):
    pass


def nested(class_name: str, /, **fields) -> type[serializers.Serializer]:
    """A small inline output serializer (e.g. the infobase named in a backup)."""
    return type(class_name, (serializers.Serializer,), fields)


class NotFoundApi(ApiView):
    """Any other path under /api/v1/ answers 404 in the API's error shape, not an HTML page."""

    authentication_classes = []
    permission_classes = []
    schema = None  # not an operation of the API

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise Http404
