"""Attachment limits shared by the panel form, the email importer and the staff reply."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onebuh import files
from onebuh.uploads import content_matches, read_head

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
# Screenshots, documents, logs, archives and 1C's own report and processing files, each served
# with its type (not the platform's mimetypes guess, so the API's schema can list them all).
CONTENT_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "bmp": "image/bmp",
    "pdf": "application/pdf",
    "txt": "text/plain",
    "log": "text/plain",
    "csv": "text/csv",
    "xml": "application/xml",
    "json": "application/json",
    # A forward as attachment (message/rfc822) from the email channel.
    "eml": "message/rfc822",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "zip": "application/zip",
    "7z": "application/x-7z-compressed",
    "rar": "application/vnd.rar",
    # 1C's spreadsheet document, external processing and report: 1C's own binary formats.
    "mxl": "application/octet-stream",
    "epf": "application/octet-stream",
    "erf": "application/octet-stream",
}
ALLOWED_EXTENSIONS = frozenset(CONTENT_TYPES)


def attachment_content_type(name: str) -> str:
    """The type an attachment is served as (one of CONTENT_TYPES' values)."""
    extension = PurePath(name).suffix.lower().lstrip(".")
    return CONTENT_TYPES.get(extension, files.OCTET_STREAM)


def attachment_response(attachment):
    """The download of a stored attachment; the caller has checked the right to it."""
    return files.download_response(
        alias="default",
        name=attachment.file.name,
        filename=attachment.name,
        content_type=attachment_content_type(attachment.name),
    )


def attachment_problem(*, name: str, size: int, head: bytes | None = None) -> str | None:
    """Why this file is refused, in Russian, or None if it is acceptable.

    `head`: the file's first bytes; its content must be of the kind its name claims (the client's
    Content-Type and the name alone prove nothing)."""
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in ALLOWED_EXTENSIONS:
        return _("The file «%(name)s» has a type that is not accepted.") % {"name": name}
    if size > MAX_ATTACHMENT_BYTES:
        return _("The file «%(name)s» is larger than %(limit)s.") % {
            "name": name,
            "limit": filesizeformat(MAX_ATTACHMENT_BYTES),
        }
    if head is not None and not content_matches(extension, head):
        return _("The content of the file «%(name)s» is not a .%(extension)s file.") % {
            "name": name,
            "extension": extension,
        }
    return None


def validate_attachments(files) -> None:
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            ngettext(
                "At most %(count)d file can be attached.",
                "At most %(count)d files can be attached.",
                MAX_ATTACHMENTS,
            )
            % {"count": MAX_ATTACHMENTS}
        )
    problems = [attachment_problem(name=f.name, size=f.size, head=read_head(f)) for f in files]
    problems = [p for p in problems if p]
    if problems:
        raise ValidationError(problems)
