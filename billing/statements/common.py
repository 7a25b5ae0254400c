"""What both statement formats read into, and the choice of the reader."""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

# A tax number (БИН/ИИН) has 12 digits.
TAX_ID = re.compile(r"^\d{12}$")
# What the ledger can hold: 14 digits, 2 of them after the point.
MAX_AMOUNT = Decimal("999999999999.99")


class StatementError(ValueError):
    """The file cannot be read; the message is in Russian and names the line."""

    def __init__(self, message: str, line_no: int | None = None):
        if line_no is not None:
            message = _("Line %(line)s: %(message)s") % {"line": line_no, "message": message}
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class StatementLineData:
    line_no: int
    number: str
    date: datetime.date
    amount: Decimal
    is_credit: bool
    account: str  # the operator-side account this movement is on
    payer_name: str = ""
    payer_tax_id: str = ""
    payer_account: str = ""
    purpose: str = ""
    received_on: datetime.date | None = None
    currency: str = "KZT"
    details: dict = field(default_factory=dict, compare=False)


@dataclass
class ParsedStatement:
    file_format: str
    accounts: list[str]
    lines: list[StatementLineData]
    period: tuple[datetime.date | None, datetime.date | None] = (None, None)


def decode(raw: bytes) -> str:
    """UTF-8 (with or without a BOM) when the bytes are valid UTF-8, else Windows-1251, which is
    what `Кодировка=Windows` means; `Кодировка=DOS` files are CP866."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    head = raw[:2000].decode("cp1251", errors="replace")
    if re.search(r"^Кодировка=DOS\s*$", head, re.MULTILINE):
        return raw.decode("cp866")
    return raw.decode("cp1251", errors="strict")


def clean_text(value: str, limit: int) -> str:
    """Control characters out (NUL cannot be stored), whitespace folded, length cut."""
    value = "".join(ch if ch.isprintable() else " " for ch in value)
    return " ".join(value.split())[:limit]
