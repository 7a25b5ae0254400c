"""OpenAPI of /api/v1/: every operation documents the error answers it can give, in the one
error shape of api.exceptions, so clients (and schemathesis) can rely on them."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from .permissions import IsMember


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="not_found, invalid, permission_denied, throttled, …")
    message = serializers.CharField(help_text="For people, in Russian.")
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    retry_after = serializers.IntegerField(required=False, help_text="Seconds (429 only).")


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


ERRORS = {
    400: "The request is invalid or the service refused it (see message and fields).",
    401: "No credentials, or the token is wrong or revoked.",
    403: "The member's role or the token's scope does not allow this.",
    404: "No such object for this subscriber (another subscriber's ids are not found either).",
    429: "Too many requests; Retry-After says when to try again.",
}
BODY_ERRORS = {415: "The body is not JSON."}


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERRORS)
        if self.method in ("POST", "PUT", "PATCH"):
            errors |= BODY_ERRORS
        errors |= getattr(self.view, "extra_errors", {})
        public = not any(
            issubclass(permission, IsMember) for permission in self.view.permission_classes
        )
        if public:
            errors = {code: text for code, text in errors.items() if code in (400, 404, 429)}
        for code, description in errors.items():
            responses.setdefault(
                str(code),
                self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), str(code)
                ),
            )
        return responses

    def get_serializer_name(self, serializer, direction):
        # Views nest their Input/Output serializers (HackSoft): name the component after the
        # view, e.g. InfobaseListApi.InputSerializer -> "InfobaseListInput".
        qualname = serializer.__class__.__qualname__
        if "." in qualname:
            outer, inner = qualname.rsplit(".", 2)[-2:]
            return outer.removesuffix("Api") + inner
        return super().get_serializer_name(serializer, direction)

    def get_tags(self):
        # /api/v1/infobases/… -> "infobases": one section per resource on the docs page.
        path = self._tokenize_path()
        return path[1:2] if path[:1] == ["v1"] and len(path) > 1 else path[:1]

    def get_auth(self):
        if not any(issubclass(p, IsMember) for p in self.view.permission_classes):
            return []
        return super().get_auth()
