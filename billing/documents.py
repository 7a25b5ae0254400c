"""The PDFs: invoices and reconciliation statements, rendered on download (never stored)."""

from django.http import HttpResponse

from onebuh.pdf import render_pdf

from .models import Invoice, ReconciliationStatement
from .selectors import ledger_for_statement


def invoice_pdf(*, invoice: Invoice) -> bytes:
    return render_pdf("pdf/invoice.html", {"invoice": invoice, "subscriber": invoice.subscriber})


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
