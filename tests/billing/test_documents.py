"""Invoices and acts read back with pypdf: requisites, amount in words, VAT, the act's totals."""

import io
from decimal import Decimal

from django.urls import reverse
from pypdf import PdfReader

from billing.documents import act_pdf, amount_in_words, invoice_pdf
from billing.services import payment_record


def _text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_amount_in_words():
    assert amount_in_words(Decimal("30000.50")) == "Тридцать тысяч тенге 50 тиын"
    assert amount_in_words(Decimal("1.00")) == "Один тенге 00 тиын"


def test_the_invoice_carries_the_requisites_the_words_and_no_vat(charged, settings):
    settings.ONEBUH_OPERATOR = {**settings.ONEBUH_OPERATOR, "vat_rate": ""}
    text = _text(invoice_pdf(invoice=charged))
    for part in ("KZ566010002000012345", "HSBKKZKX", "000740001307", "17", "859"):
        assert part in text
    assert "Тридцать тысяч тенге 00 тиын" in text
    assert "Без НДС" in text


def test_the_invoice_shows_vat_at_the_operators_rate(charged, settings):
    settings.ONEBUH_OPERATOR = {**settings.ONEBUH_OPERATOR, "vat_rate": "12"}
    text = _text(invoice_pdf(invoice=charged))
    assert "НДС 12%" in text
    assert "3 214,29" in text.replace("\u00a0", " ")  # 30 000 × 12 / 112


def test_the_act_of_a_paid_month(client, owner, charged, subscriber):
    client.force_login(owner)
    url = reverse("billing:act_pdf", args=[charged.pk])
    assert client.get(url).status_code == 404  # not paid yet
    payment_record(
        subscriber=subscriber, amount=Decimal("30000.00"), method="bank_transfer", external_id="1"
    )
    response = client.get(url)
    assert response.status_code == 200
    text = _text(response.content)
    assert "Р-1" in text
    assert "АКТ ВЫПОЛНЕННЫХ РАБОТ" in text.upper()
    assert "30 000,00" in text.replace("\u00a0", " ")
    assert "Тридцать тысяч тенге 00 тиын" in text
    assert subscriber.bin in text
    charged.refresh_from_db()
    assert _text(act_pdf(invoice=charged))


def test_staff_download_the_act(staff_client, staff_accountant, charged, subscriber):
    payment_record(
        subscriber=subscriber, amount=Decimal("30000.00"), method="bank_transfer", external_id="1"
    )
    client = staff_client(staff_accountant)
    response = client.get(reverse("admin:billing_invoice_act", args=[charged.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_the_billing_page_shows_how_long_the_money_lasts(client, owner, charged, subscriber):
    payment_record(
        subscriber=subscriber, amount=Decimal("90000.00"), method="bank_transfer", external_id="1"
    )
    client.force_login(owner)
    page = client.get(reverse("billing:index")).content.decode()
    # November is paid; 60 000 ₸ pay December and January.
    assert "31.01.2027" in page


def test_prices_are_public_and_linked_from_login_and_signup(client, tariff):
    page = client.get("/prices/")
    assert page.status_code == 200
    assert tariff.name in page.content.decode()
    for url in (reverse("account_login"), reverse("account_signup")):
        assert 'href="/prices/"' in client.get(url).content.decode()
