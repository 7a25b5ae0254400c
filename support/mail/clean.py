"""Normalising what the world sends before it is stored: text, header values, file names.

PostgreSQL refuses NUL in text; other control characters break the admin and exports; lengths
are the columns'. A file name is reduced to a safe base name: a name with "/" or "C:\\…" must not
become folders in storage, nor "..\\x.pdf" a path outside it.
"""

import hashlib
import re
import unicodedata

# C0 controls except tab and newline, DEL, C1 controls; NUL first of all.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_FILENAME_BAD = re.compile(r'[<>:"|?*\x00-\x1f\x7f]')
FILENAME_MAX = 100


def clean_text(value, *, limit: int | None = None) -> str:
    """Multi-line text: CRLF → LF, control characters other than tab and newline removed."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text).strip()
    return text[:limit] if limit else text


def clean_line(value, *, limit: int) -> str:
    """A one-line value (a name, a subject): every control character removed, spaces folded."""
    text = _LINE_CONTROL.sub(" ", str(value or ""))
    return " ".join(text.split())[:limit]


def clean_message_id(value: str, *, limit: int = 500) -> str:
    """A Message-ID that fits its column; an over-long one is replaced by its digest rather than
    cut, so two distinct long ids never collide."""
    value = clean_line(value, limit=10_000).replace(" ", "")
    if len(value) <= limit:
        return value
    return f"<{hashlib.sha256(value.encode()).hexdigest()}@long-message-id>"


def content_digest(raw: bytes) -> str:
    """Names a message that has no usable Message-ID by its content, line endings aside (a mail
    server may store bare LF as CRLF), so the same message is recognised through either door."""
    return hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest()


def safe_filename(name, *, fallback: str = "attachment") -> str:
    """The base name only (after the last / or \\), no control or reserved characters, no
    leading dots, at most FILENAME_MAX characters with the extension kept."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = _FILENAME_BAD.sub("_", name).strip().lstrip(".").strip()
    if not name:
        return fallback
    if len(name) > FILENAME_MAX:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: FILENAME_MAX - len(extension) - 1] + "." + extension
        else:
            name = name[:FILENAME_MAX]
    return name
