"""One error shape for every /api/v1/ answer that is not a success:

    {"error": {"code": "not_found", "message": "<Russian>", "fields": {"name": ["…"]}}}

`code` is stable for programs, `message` is for people; a 429 also carries `retry_after` (seconds)
beside the Retry-After header. A service's refusal is a 400 (`invalid`) when the input is wrong and
a 409 (`conflict`) when the object's state does not allow the action now (onebuh.errors)."""

import math
from datetime import timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.views import exception_handler

from onebuh.errors import is_conflict
from onebuh.limits import RateLimited

NON_FIELD_KEYS = ("non_field_errors", "__all__")


def _flatten(detail, prefix="") -> dict[str, list[str]]:
    """DRF's nested error details as {"field" or "field.sub": [messages]}."""
    fields: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for sub, messages in _flatten(value, name).items():
                fields.setdefault(sub, []).extend(messages)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                for sub, messages in _flatten(value, f"{prefix}.{index}").items():
                    fields.setdefault(sub, []).extend(messages)
            else:
                fields.setdefault(prefix, []).append(str(value))
    else:
        fields.setdefault(prefix, []).append(str(detail))
    return fields


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _from_django(error: DjangoValidationError) -> exceptions.APIException:
    """A service's refusal (django ValidationError) as DRF's, keeping its fields."""
    if is_conflict(error):
        return ConflictError(" ".join(error.messages))
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError(error.message_dict)
    return exceptions.ValidationError({"non_field_errors": error.messages})


def _validation_body(exc: exceptions.ValidationError) -> dict:
    fields = _flatten(exc.detail if isinstance(exc.detail, dict) else {"": exc.detail})
    general = []
    for key in (*NON_FIELD_KEYS, ""):
        general.extend(fields.pop(key, []))
    message = " ".join(general) or _("Check the data: some fields are wrong.")
    return {"code": "invalid", "message": message, "fields": fields}


def _throttled_message(wait: float) -> str:
    seconds = max(1, math.ceil(wait))
    at = timezone.localtime() + timedelta(seconds=seconds)
    return ngettext(
        "Too many requests. Try again in %(seconds)d second (after %(time)s).",
        "Too many requests. Try again in %(seconds)d seconds (after %(time)s).",
        seconds,
    ) % {"seconds": seconds, "time": at.strftime("%H:%M:%S")}


MESSAGES = {
    "not_authenticated": lambda view: (
        getattr(view, "not_authenticated_message", None)
        or _("Sign in or present an API token: Authorization: Bearer <token>.")
    ),
    "not_found": lambda view: _("Not found."),
    "method_not_allowed": lambda view: _("This method is not allowed here."),
    "unsupported_media_type": lambda view: _("Send the request body as JSON."),
    "parse_error": lambda view: _("The request body is not valid JSON."),
    "not_acceptable": lambda view: _("The API answers in JSON only."),
}


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = _from_django(exc)
    if isinstance(exc, RateLimited):  # a service's limit (onebuh/limits.py): a 429 as DRF's
        exc = exceptions.Throttled(wait=exc.retry_after)
    response = exception_handler(exc, context)
    if response is None:
        return None  # A bug: Django's 500 handling and logging take over.
    if isinstance(exc, exceptions.ValidationError):
        body = _validation_body(exc)
    else:
        code = (
            getattr(exc, "default_code", "error")
            if isinstance(exc, exceptions.APIException)
            else "error"
        )
        if response.status_code == status.HTTP_404_NOT_FOUND:
            code = "not_found"
        elif response.status_code == status.HTTP_403_FORBIDDEN:
            code = "permission_denied"
        message_for = MESSAGES.get(code)
        if isinstance(exc, exceptions.Throttled):
            message = _throttled_message(exc.wait or 1)
        elif message_for is not None:
            message = str(message_for(context.get("view")))
        else:
            detail = getattr(exc, "detail", "")
            message = str(detail) if not isinstance(detail, dict | list) else _("Request refused.")
        body = {"code": code, "message": message, "fields": {}}
        if isinstance(exc, exceptions.Throttled):
            body["retry_after"] = max(1, math.ceil(exc.wait or 1))
            response["Retry-After"] = str(body["retry_after"])
    response.data = {"error": body}
    return response
