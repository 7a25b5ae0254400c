"""Attachment limits shared by the panel form, the email importer and the staff reply."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
# Screenshots, documents, logs, archives and 1C's own report and processing files.
ALLOWED_EXTENSIONS = frozenset(
    [
        "png",
        "jpg",
        "jpeg",
        "gif",
        "webp",
        "bmp",
        "pdf",
        "txt",
        "log",
        "csv",
        "xml",
        "json",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "odt",
        "ods",
        "zip",
        "7z",
        "rar",
        "mxl",
        "epf",
        "erf",
    ]
)


def attachment_problem(*, name: str, size: int) -> str | None:
    """Why this file is refused, in Russian, or None if it is acceptable."""
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in ALLOWED_EXTENSIONS:
        return _("The file «%(name)s» has a type that is not accepted.") % {"name": name}
    if size > MAX_ATTACHMENT_BYTES:
        return _("The file «%(name)s» is larger than %(limit)s.") % {
            "name": name,
            "limit": filesizeformat(MAX_ATTACHMENT_BYTES),
        }
    return None


def validate_attachments(files) -> None:
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            _("At most %(count)d files can be attached.") % {"count": MAX_ATTACHMENTS}
        )
    problems = [attachment_problem(name=f.name, size=f.size) for f in files]
    problems = [p for p in problems if p]
    if problems:
        raise ValidationError(problems)
