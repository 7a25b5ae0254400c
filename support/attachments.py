"""Attachment limits shared by the panel form, the email importer and the staff reply."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onebuh.uploads import content_matches, read_head

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
        # A forward as attachment (message/rfc822) from the email channel.
        "eml",
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
