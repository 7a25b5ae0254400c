"""SWIFT MT940 as Kazakh banks export it, read with the `mt-940` library: `:25:` the account,
`:60F:`/`:62F:` the balances, per movement `:61:` (date, C/D, amount, reference) and `:86:` (the
payer and the purpose, free text or `/ORDP/…/REMI/…` subfields)."""

import re
from decimal import Decimal

import mt940
from django.utils.translation import gettext as _

from .common import MAX_AMOUNT, ParsedStatement, StatementError, StatementLineData

TAG = re.compile(r"^:(\d\d[A-Z]?):")
TAX_ID_IN_TEXT = re.compile(r"(?:БИН|ИИН|BIN|IIN|ИНН)\W{0,3}(\d{12})(?!\d)", re.IGNORECASE)
BARE_TAX_ID = re.compile(r"(?<!\d)(\d{12})(?!\d)")
SUBFIELD = re.compile(r"/(ORDP|NAME|REMI|BENM)/([^/]*)")
NO_REFERENCE = {"", "NONREF"}


def _line_of(text: str, fragment: str) -> int | None:
    position = text.find(fragment) if fragment else -1
    return text.count("\n", 0, position) + 1 if position >= 0 else None


def _check_lines(text: str) -> list[int]:
    """Every line is a tag, a continuation of the one before, or a block marker; returns the
    line numbers of the `:61:` tags, in order (the library does not keep them)."""
    movements = []
    seen_tag = False
    for index, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        match = TAG.match(stripped)
        if match:
            seen_tag = True
            if match.group(1) == "61":
                movements.append(index)
        elif stripped in {"", "-", "-}"} or stripped.startswith(("{", "}")):
            continue
        elif not seen_tag:
            raise StatementError(_("Expected an MT940 tag such as «:20:»."), index)
    return movements


def parse_mt940(text: str) -> ParsedStatement:
    movement_lines = _check_lines(text)
    transactions = mt940.models.Transactions()
    try:
        transactions.parse(text)
    except (RuntimeError, ValueError, KeyError) as error:
        fragment = error.args[2] if len(error.args) > 2 and isinstance(error.args[2], str) else ""
        raise StatementError(
            _("The MT940 tag cannot be read: «%(text)s».") % {"text": fragment[:60]},
            _line_of(text, fragment),
        ) from None
    account = str(transactions.data.get("account_identification") or "").strip().upper()
    if not account:
        raise StatementError(_("The statement has no account (:25:)."))
    lines = []
    for line_no, transaction in zip(movement_lines, transactions, strict=False):
        lines.append(_movement(line_no, transaction.data, account))
    if len(lines) != len(movement_lines):
        raise StatementError(_("A movement (:61:) cannot be read."), movement_lines[len(lines)])
    opening = transactions.data.get("final_opening_balance")
    closing = transactions.data.get("final_closing_balance")
    period = (opening.date if opening else None, closing.date if closing else None)
    return ParsedStatement("mt940", [account], lines, period)


def _movement(line_no: int, data: dict, account: str) -> StatementLineData:
    amount = abs(Decimal(str(data["amount"].amount)))
    if amount > MAX_AMOUNT:
        raise StatementError(_("The amount does not fit the ledger."), line_no)
    details = " ".join(str(data.get("transaction_details") or "").split())
    subfields = {key: value.strip() for key, value in SUBFIELD.findall(details)}
    tax = TAX_ID_IN_TEXT.search(details) or BARE_TAX_ID.search(details)
    reference = str(data.get("customer_reference") or "").strip()
    if reference.upper() in NO_REFERENCE:
        reference = str(data.get("bank_reference") or "").strip()
    date = data["date"]
    return StatementLineData(
        line_no=line_no,
        number=reference[:100] or f"{date:%Y%m%d}-{line_no}",
        date=date,
        amount=amount,
        is_credit=data.get("status") in ("C", "RD"),
        account=account,
        payer_name=subfields.get("ORDP") or subfields.get("NAME", ""),
        payer_tax_id=tax.group(1) if tax else "",
        purpose=subfields.get("REMI") or details,
        received_on=data.get("entry_date") or date,
        currency=str(data.get("currency") or "KZT"),
        details={"86": details[:500]},
    )
