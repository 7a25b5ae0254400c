"""Uploads: size limits enforced while the body streams in, and content sniffing.

Two guards stop an oversize upload before it is stored:
- `UploadLimitMiddleware` refuses a request whose declared Content-Length passes the view's limit
  without reading its body (413 with a Russian message);
- `LimitedUploadHandler`, first in FILE_UPLOAD_HANDLERS, counts each file's bytes as they arrive
  and stops the upload the moment one passes the limit — before the handlers after it write the
  chunk to memory or a temporary file (whatever they wrote so far is deleted when they close).

A view that takes bigger or smaller uploads than the default says so with `@upload_limits(...)`.
`content_matches(extension, head)` checks the file's first bytes, never the name or the client's
Content-Type, against what a file of that extension starts with.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

Size = int | Callable[[], int]
REFUSAL_ATTRIBUTE = "upload_refused"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


@dataclass(frozen=True)
class UploadLimits:
    request_bytes: int  # the whole body, files and fields
    file_bytes: int  # each file


def default_limits() -> UploadLimits:
    return UploadLimits(
        request_bytes=settings.ONEBUH_UPLOAD_REQUEST_MAX_BYTES,
        file_bytes=settings.ONEBUH_UPLOAD_FILE_MAX_BYTES,
    )


def upload_limits(*, request_bytes: Size, file_bytes: Size):
    """View decorator: this view's own limits. Callables are read per request (settings)."""

    def decorate(view):
        # Decorators stacked above this one copy the attribute (functools.wraps).
        view.upload_limits = (request_bytes, file_bytes)
        return view

    return decorate


def limits_for(view) -> UploadLimits:
    declared = getattr(view, "upload_limits", None)
    if declared is None:
        return default_limits()
    request_bytes, file_bytes = (value() if callable(value) else value for value in declared)
    return UploadLimits(request_bytes=request_bytes, file_bytes=file_bytes)


def _too_big(limit: int) -> str:
    return _("The upload is too large: at most %(limit)s can be sent at once.") % {
        "limit": filesizeformat(limit)
    }


def _file_too_big(name: str, limit: int) -> str:
    return _("The file «%(name)s» is larger than %(limit)s; nothing was saved.") % {
        "name": name,
        "limit": filesizeformat(limit),
    }


class LimitedUploadHandler(FileUploadHandler):
    """Counts each file's bytes and stops the upload when one passes the view's limit."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limits = getattr(request, "upload_limits", None) or default_limits()
        self.received = 0

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.received = 0
        if self.content_length and self.content_length > self.limits.file_bytes:
            self._refuse()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limits.file_bytes:
            self._refuse()
        return raw_data

    def file_complete(self, file_size):
        return None  # the handlers after this one build the file

    def _refuse(self):
        if self.request is not None:
            setattr(
                self.request,
                REFUSAL_ATTRIBUTE,
                _file_too_big(self.file_name or "", self.limits.file_bytes),
            )
        # Django closes (and so deletes) the partial file of the handlers after this one.
        raise StopUpload(connection_reset=False)


def _refusal_response(request, message: str):
    wants_json = request.path.startswith("/api/") or "json" in request.headers.get("Accept", "")
    if wants_json:
        return JsonResponse({"detail": message}, status=413)
    context = {
        "title": _("The upload is too large"),
        "message": message,
        "back": _("Back to the form"),
    }
    return render(request, "413.html", context, status=413)


class UploadLimitMiddleware:
    """Before CsrfViewMiddleware: the view's limits apply before anything reads the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in BODY_METHODS:
            return None
        limits = request.upload_limits = limits_for(view_func)
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limits.request_bytes:
            # Refused on the declared length alone: the body is never read.
            return _refusal_response(request, _too_big(limits.request_bytes))
        if request.content_type == "multipart/form-data" and not getattr(
            view_func, "csrf_exempt", False
        ):
            # Parse now (CSRF would do it next anyway) so a refused file answers here, with its
            # message, instead of reaching the view as a missing field.
            try:
                request.POST  # noqa: B018
            except (MultiPartParserError, UnreadablePostError):
                return None  # a malformed body is CSRF's and the view's concern, as before
            message = getattr(request, REFUSAL_ATTRIBUTE, None)
            if message:
                return _refusal_response(request, message)
        return None


# What a file of each extension starts with. Office Open XML and OpenDocument files are zip
# archives; old Office files are OLE2 compound files; 1C's external processing (.epf, .erf) and
# dumps are 1C containers. Text formats have no signature: they must simply not be binary.
ZIP = (b"PK\x03\x04", b"PK\x05\x06")
OLE2 = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
ONEC_CONTAINER = (b"\xff\xff\xff\x7f",)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "bmp": (b"BM",),
    "pdf": (b"%PDF-",),
    "zip": ZIP,
    "docx": ZIP,
    "xlsx": ZIP,
    "odt": ZIP,
    "ods": ZIP,
    "7z": (b"7z\xbc\xaf\x27\x1c",),
    "rar": (b"Rar!\x1a\x07",),
    "doc": OLE2,
    "xls": OLE2,
    "epf": ONEC_CONTAINER,
    "erf": ONEC_CONTAINER,
}
# "eml": a forwarded message kept as a file (support mail, message/rfc822).
TEXT_EXTENSIONS = frozenset({"txt", "log", "csv", "xml", "json", "eml"})
# A 1C spreadsheet document: a 1C container, the 7.7 binary format, or 8.x's text format.
MXL_SIGNATURES = (*ONEC_CONTAINER, b"MOXCEL")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SNIFF_BYTES = 8192


def looks_like_text(head: bytes) -> bool:
    return head.startswith(UTF16_BOMS) or b"\x00" not in head


def content_matches(extension: str, head: bytes) -> bool:
    """Whether the first bytes of a file are those of a file of this extension."""
    extension = extension.lower().lstrip(".")
    if extension == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if extension == "mxl":
        return head.startswith(MXL_SIGNATURES) or looks_like_text(head)
    if extension in TEXT_EXTENSIONS:
        return looks_like_text(head)
    signatures = SIGNATURES.get(extension)
    return bool(signatures) and head.startswith(signatures)


def read_head(upload) -> bytes:
    """The first bytes of an uploaded file (or ContentFile), leaving it at the start."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head
