"""OpenAPI of the portal's API (/api/v1/ and the 1C form's /api/1c/), in Russian.

`ApiAutoSchema` is the default schema class of every DRF view (settings REST_FRAMEWORK): it adds
the error answers an operation can give, in the one error shape of api.exceptions, so clients
(and schemathesis) can rely on them without each view listing them; it names components after
the views and puts each operation under a Russian tag. `postprocess_schema` gives the document
its Russian title, description and tag descriptions. The texts are English msgids with Russian
translations (api/locale): the schema is generated in the request's language, Russian."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.throttling import SimpleRateThrottle

from .permissions import IsMember


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=_(
            "For programs: invalid, not_authenticated, authentication_failed, "
            "permission_denied, not_found, conflict, unsupported_media_type, throttled, …"
        )
    )
    message = serializers.CharField(help_text=_("For people, in Russian."))
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("The wrong fields and what is wrong with each (400 only; else empty)."),
    )
    retry_after = serializers.IntegerField(
        required=False, help_text=_("Seconds to wait before the next request (429 only).")
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


# Every error answer the API gives, with what it means; the landing page (/api/) lists them too.
ERRORS = {
    400: _("The request is invalid: the message says what to fix, fields names the fields."),
    401: _("No credentials, or the token is wrong or revoked."),
    403: _("The member's role or the token's scope does not allow this."),
    404: _("No such object for this subscriber (another subscriber's ids are not found either)."),
    409: _(
        "The object's current state does not allow this now: it is busy or not ready, the "
        "action is already done, the ticket is closed, a limit of the tariff or the month's "
        "ticket quota is used, or the service is suspended."
    ),
    415: _("The type of the request body is not accepted: send JSON."),
    429: _("Too many requests: Retry-After (and retry_after) says in how many seconds to retry."),
}
WRITES = ("POST", "PUT", "PATCH", "DELETE")

# One tag per part of the API, in the order of the documentation pages: the path's first segment
# after /api/v1/ (or /api/) -> (tag, description).
TAGS = {
    "me": (_("Profile"), _("Who is calling: the member, the role and the token's scope.")),
    "subscriber": (_("Subscriber"), _("The subscriber's registration data (2.2).")),
    "members": (_("Members"), _("The subscriber's members and their roles.")),
    "invitations": (_("Invitations"), _("Invitations of new members.")),
    "solutions": (_("Solutions"), _("The catalog of 1C solutions to create infobases from.")),
    "infobases": (
        _("Infobases"),
        _("The subscriber's 1C infobases: create, rename, delete; live 1C sessions."),
    ),
    "access": (_("Access"), _("Which member works in which infobase, and with which rights.")),
    "backups": (_("Backups"), _("Copies of the infobases: make, download, restore.")),
    "tickets": (
        _("Tickets"),
        _("Support tickets: open, read the conversation, reply, close, rate; the quotas."),
    ),
    "invoices": (_("Invoices"), _("Invoices and their PDFs.")),
    "ledger": (
        _("Personal account"),
        _("The personal account: its movements, balances, debt and tariff."),
    ),
    "compensation": (_("Compensation"), _("Compensation claims for downtime (9.1–9.3).")),
    "status": (_("Service status"), _("The public service status; no token needed.")),
    "1c": (
        _("1C support form"),
        _(
            "The support form inside the 1C application: opens tickets with its infobase's "
            "token (Authorization: Token …, issued on the panel's Support page)."
        ),
    ),
}
TAG_OF_SEGMENT = {"attachments": "tickets", "balances": "ledger"}


def _requires_credentials(view) -> bool:
    return bool(view.authentication_classes) and not all(
        issubclass(permission, AllowAny) for permission in view.permission_classes
    )


def _for_members(view) -> bool:
    return any(issubclass(permission, IsMember) for permission in view.permission_classes)


class ApiAutoSchema(AutoSchema):
    def error_codes(self) -> list[int]:
        """The errors this operation can answer (the view adds its own in `extra_errors`)."""
        member = _for_members(self.view)
        has_body = self.method in ("POST", "PUT", "PATCH") and bool(self.get_request_serializer())
        takes_input = has_body or "{" in self.path or bool(self.get_override_parameters())
        codes = {429}
        if member or takes_input:
            codes.add(400)
        if _requires_credentials(self.view):
            codes.add(401)
        if member:
            codes |= {403, 404}
        elif "{" in self.path:
            codes.add(404)
        if _requires_credentials(self.view) and self.method in WRITES:
            codes.add(409)  # a service's Conflict: the object's state, a limit or a quota
        if has_body:
            codes.add(415)
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = {code: ERRORS[code] for code in self.error_codes()}
        errors |= getattr(self.view, "extra_errors", {})
        for code, description in sorted(errors.items()):
            response = self._get_response_for_code(
                OpenApiResponse(ErrorSerializer, description=description), str(code)
            )
            if code == 429:
                response["headers"] = {
                    "Retry-After": {
                        "description": str(_("Seconds to wait.")),
                        "schema": {"type": "integer"},
                    }
                }
            responses.setdefault(str(code), response)
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
        # /api/v1/infobases/… -> "infobases", /api/1c/tickets/ -> "1c": one Russian tag each.
        path = self._tokenize_path()
        segment = path[1] if path[:1] == ["v1"] and len(path) > 1 else path[0]
        key = TAG_OF_SEGMENT.get(segment, segment)
        return [str(TAGS[key][0])] if key in TAGS else [segment]

    def get_auth(self):
        if not _requires_credentials(self.view):
            return []
        return super().get_auth()


def rate_limit_texts() -> list[str]:
    """The API's rate limits as they are configured, in words ("120 запросов в минуту")."""
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    texts = []
    for scope, who in (("api_token", _("per token")), ("api_ip", _("per client address"))):
        count, seconds = SimpleRateThrottle.parse_rate(None, rates[scope])
        texts.append(f"{_requests_per(count, seconds)} {who}")
    return texts


def _requests_per(count: int, seconds: int) -> str:
    if seconds == 1:
        text = ngettext("%(count)d request a second", "%(count)d requests a second", count)
    elif seconds == 60:
        text = ngettext("%(count)d request a minute", "%(count)d requests a minute", count)
    elif seconds == 3600:
        text = ngettext("%(count)d request an hour", "%(count)d requests an hour", count)
    else:
        text = ngettext("%(count)d request a day", "%(count)d requests a day", count)
    return text % {"count": count}


def schema_description() -> str:
    """The document's description (Markdown, shown on top of Swagger UI and Redoc)."""
    parts = [
        _(
            "The ONEbuh control panel for your programs: the subscriber's data, members and "
            "invitations, infobases, access, sessions, backups, tickets, invoices, the personal "
            "account and compensation claims. The panel's rules apply: a token acts with its "
            "member's role."
        ),
        _(
            "**Token.** Create a personal token on the panel's [API tokens](/api-tokens/) page "
            "and send it with every request: `Authorization: Bearer obk_…`. A read-only token "
            "cannot change anything."
        ),
        _(
            '**Errors** are JSON: `{"error": {"code": "…", "message": "…", "fields": {…}}}` — '
            "`code` for programs, `message` in Russian for people, `fields` for the wrong fields."
        ),
        _("**Limits:** %(limits)s; over a limit the answer is 429 with `Retry-After`.")
        % {"limits": ", ".join(rate_limit_texts())},
        _("**Lists** are paged: `page` and `page_size` (at most 200)."),
        _("How to start: [the API page](/api/)."),
    ]
    return "\n\n".join(str(part) for part in parts)


SUCCESS = {
    "200": _("Done."),
    "201": _("Created."),
    "202": _("Accepted: it is done in the background."),
    "204": _("Done; the answer has no body."),
}


def postprocess_schema(result, generator, request, public):
    """Russian title, description, tags (in TAGS' order, each with its description) and the
    success answers' descriptions that the views leave empty."""
    result["info"]["title"] = str(_("ONEbuh API"))
    result["info"]["description"] = schema_description()
    for operations in result["paths"].values():
        for operation in operations.values():
            for code, response in operation["responses"].items():
                if code in SUCCESS and response.get("description") in ("", "No response body"):
                    response["description"] = str(SUCCESS[code])
    used = {tag for path in result["paths"].values() for op in path.values() for tag in op["tags"]}
    result["tags"] = [
        {"name": str(name), "description": str(description)}
        for name, description in TAGS.values()
        if str(name) in used
    ]
    return result
