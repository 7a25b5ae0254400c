"""The PDFs: invoices, acts of completed work (АВР, form Р-1) and reconciliation statements,
rendered on download (never stored)."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.http import HttpResponse
from num2words import num2words

from onebuh.pdf import render_pdf

from .models import Invoice, ReconciliationStatement
from .selectors import ledger_for_statement


def amount_in_words(amount: Decimal) -> str:
    """ "Тридцать тысяч тенге 50 тиын", as Kazakh payment documents write it."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    tenge = int(amount)
    tiyn = int((amount - tenge) * 100)
    words = num2words(tenge, lang="ru")
    return f"{words[:1].upper()}{words[1:]} тенге {tiyn:02d} тиын"


def vat_of(amount: Decimal) -> tuple[str, Decimal | None]:
    """The VAT included in `amount` at the operator's rate, or (empty, None) for "без НДС"."""
    rate = (settings.ONEBUH_OPERATOR.get("vat_rate") or "").strip()
    if not rate:
        return "", None
    percent = Decimal(rate)
    vat = (Decimal(amount) * percent / (100 + percent)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return rate, vat


def _money_context(total: Decimal) -> dict:
    rate, vat = vat_of(total)
    return {"in_words": amount_in_words(total), "vat_rate": rate, "vat": vat}


def invoice_pdf(*, invoice: Invoice) -> bytes:
    return render_pdf(
        "pdf/invoice.html",
        {"invoice": invoice, "subscriber": invoice.subscriber, **_money_context(invoice.total)},
    )


def act_pdf(*, invoice: Invoice) -> bytes:
    """АВР (form Р-1) for a paid monthly period: the service of that month, its price and VAT."""
    return render_pdf(
        "pdf/act.html",
        {"invoice": invoice, "subscriber": invoice.subscriber, **_money_context(invoice.total)},
    )


def statement_pdf(*, statement: ReconciliationStatement) -> bytes:
    entries = ledger_for_statement(
        subscriber=statement.subscriber, up_to_id=statement.last_entry_id
    )
    return render_pdf(
        "pdf/reconciliation.html",
        {
            "statement": statement,
            "subscriber": statement.subscriber,
            "entries": entries,
            "charged": -sum((e.money for e in entries if e.money < 0), start=0),
            "received": sum((e.money for e in entries if e.money > 0), start=0),
        },
    )


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
