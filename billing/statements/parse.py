"""Which reader a statement file needs: the 1C client-bank exchange format or MT940."""

import re

from django.utils.translation import gettext as _

from .common import ParsedStatement, StatementError, decode
from .mt940 import parse_mt940
from .onec import parse_1c


def parse_statement(raw: bytes) -> ParsedStatement:
    if not raw.strip():
        raise StatementError(_("The file is empty."))
    try:
        text = decode(raw)
    except UnicodeDecodeError as error:
        raise StatementError(_("The file is neither UTF-8 nor Windows-1251 text.")) from error
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = text.lstrip("\ufeff").lstrip().split("\n", 1)[0].strip()
    if first == "1CClientBankExchange":
        return parse_1c(text)
    if first.startswith((":20:", "{1:", ":940:")) or re.match(r"^:\d\d[A-Z]?:", first):
        return parse_mt940(text)
    raise StatementError(
        _("Unknown format: expected a 1CClientBankExchange file or an MT940 statement."), 1
    )
