"""The 1C client-bank exchange format (`1CClientBankExchange`), versions 1.02 and 1.03, with the
fields Kazakh banks add (ИИК, БИК, БИН/ИИН, КНП, КОд, КБе).

Key=value lines: a header, `СекцияРасчСчет`…`КонецРасчСчет` per account, then one
`СекцияДокумент=<kind>`…`КонецДокумента` per payment, and `КонецФайла`."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .common import MAX_AMOUNT, TAX_ID, ParsedStatement, StatementError, StatementLineData

VERSIONS = {"1.02", "1.03"}
PAYER_ACCOUNT = ("ПлательщикИИК", "ПлательщикСчет", "ПлательщикРасчСчет")
PAYEE_ACCOUNT = ("ПолучательИИК", "ПолучательСчет", "ПолучательРасчСчет")
PAYER_TAX_ID = ("ПлательщикБИН", "ПлательщикИИН", "ПлательщикБИН_ИИН", "ПлательщикИНН")
PAYER_NAME = ("Плательщик", "Плательщик1")
SECTION_ENDS = {"КонецРасчСчет", "КонецДокумента", "КонецФайла"}
LINE_LIMIT = 2000


def _date(value: str, line_no: int, name: str) -> datetime.date:
    try:
        day, month, year = value.strip().split(".")
        if len(year) != 4:
            raise ValueError(value)
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise StatementError(
            _("%(field)s is not a date (ДД.ММ.ГГГГ): «%(value)s».")
            % {"field": name, "value": value[:40]},
            line_no,
        ) from None


def _amount(value: str, line_no: int) -> Decimal:
    text = re.sub(r"[\s\u00a0]", "", value).replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise StatementError(
            _("Сумма is not a number: «%(value)s».") % {"value": value[:40]}, line_no
        ) from None
    if not amount.is_finite() or amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise StatementError(
            _("Сумма must have at most two decimal places and fit the ledger: «%(value)s».")
            % {"value": value[:40]},
            line_no,
        )
    return amount


def _first(fields: dict, names) -> tuple[str, int | None]:
    for name in names:
        if fields.get(name, ("", None))[0].strip():
            return fields[name]
    return "", None


def parse_1c(text: str) -> ParsedStatement:
    lines = text.split("\n")
    accounts: list[str] = []
    header: dict[str, str] = {}
    documents: list[tuple[int, dict]] = []
    current: dict | None = None  # the fields of the document being read, with their line numbers
    start = 0
    in_account = False
    ended = False
    for index, raw_line in enumerate(lines[1:], start=2):
        line = raw_line.strip()
        if not line:
            continue
        if ended:
            raise StatementError(_("Text after КонецФайла."), index)
        if len(line) > LINE_LIMIT:
            raise StatementError(_("The line is too long."), index)
        if line in SECTION_ENDS:
            if line == "КонецДокумента":
                if current is None:
                    raise StatementError(_("КонецДокумента without СекцияДокумент."), index)
                documents.append((start, current))
                current = None
            elif line == "КонецРасчСчет":
                if not in_account:
                    raise StatementError(_("КонецРасчСчет without СекцияРасчСчет."), index)
                in_account = False
            else:
                if current is not None:
                    raise StatementError(_("The document is not closed by КонецДокумента."), index)
                ended = True
            continue
        if line == "СекцияРасчСчет":
            in_account = True
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise StatementError(
                _("Expected «Name=value»: «%(text)s».") % {"text": line[:60]}, index
            )
        key = key.strip()
        if key == "СекцияДокумент":
            if current is not None:
                raise StatementError(_("The previous document is not closed."), index)
            current, start = {"__kind": (value.strip(), index)}, index
        elif current is not None:
            if key in current and key.startswith("НазначениеПлатежа"):
                value = current[key][0] + " " + value
            current[key] = (value, index)
        elif in_account:
            if key == "РасчСчет" and value.strip():
                accounts.append(value.strip().upper())
        else:
            header[key] = value.strip()
            if key == "РасчСчет" and value.strip():
                accounts.append(value.strip().upper())
    if current is not None:
        raise StatementError(_("The document is not closed by КонецДокумента."), start)
    if not ended:
        raise StatementError(_("The file is cut short: КонецФайла is missing."), len(lines))
    version = header.get("ВерсияФормата", "")
    if version not in VERSIONS:
        raise StatementError(
            _("Format version «%(version)s» is not supported (1.02 and 1.03 are).")
            % {"version": version}
        )
    own = set(accounts)
    parsed = [_document(start, fields, own) for start, fields in documents]
    period = (
        _date(header["ДатаНачала"], 0, "ДатаНачала") if header.get("ДатаНачала") else None,
        _date(header["ДатаКонца"], 0, "ДатаКонца") if header.get("ДатаКонца") else None,
    )
    return ParsedStatement("1c", sorted(own), parsed, period)


def _document(start: int, fields: dict, own: set[str]) -> StatementLineData:
    def required(name):
        value, line_no = fields.get(name, ("", None))
        if not value.strip():
            raise StatementError(_("The document has no %(field)s.") % {"field": name}, start)
        return value.strip(), line_no

    number, _line = required("Номер")
    date_text, date_line = required("Дата")
    amount_text, amount_line = required("Сумма")
    date = _date(date_text, date_line, "Дата")
    amount = _amount(amount_text, amount_line)
    payer_account = _first(fields, PAYER_ACCOUNT)[0].strip().upper()
    payee_account = _first(fields, PAYEE_ACCOUNT)[0].strip().upper()
    received_text, received_line = fields.get("ДатаПоступило", ("", None))
    received_on = (
        _date(received_text, received_line, "ДатаПоступило") if received_text.strip() else None
    )
    if payee_account in own:
        is_credit, account = True, payee_account
    elif payer_account in own:
        is_credit, account = False, payer_account
    else:
        is_credit, account = received_on is not None, payee_account
    tax_id = _first(fields, PAYER_TAX_ID)[0].strip()
    # 1.03 has one НазначениеПлатежа; older exports split it into НазначениеПлатежа1…6.
    purpose = fields.get("НазначениеПлатежа", ("", None))[0] or " ".join(
        fields[key][0] for key in sorted(fields) if key.startswith("НазначениеПлатежа")
    )
    return StatementLineData(
        line_no=start,
        number=number[:100],
        date=date,
        amount=amount,
        is_credit=is_credit,
        account=account,
        payer_name=_first(fields, PAYER_NAME)[0].strip(),
        payer_tax_id=tax_id if TAX_ID.match(tax_id) else "",
        payer_account=payer_account,
        purpose=purpose.strip(),
        received_on=received_on,
        details={
            key: fields[key][0].strip()
            for key in ("КНП", "КОд", "КБе", "ПлательщикБИК", "ПолучательБИК", "__kind")
            if key in fields
        },
    )
