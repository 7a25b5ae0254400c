"""Issue 18: the PDF url_fetcher allowed any file:// path; now only the project's static files."""

import io

import pytest
from django.conf import settings
from pypdf import PdfReader

from onebuh.pdf import _local_only_fetcher


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("DJANGO_SECRET_KEY=not-for-pdfs\n", encoding="utf-8")
    return path


def _pdf(html, fetcher):
    from weasyprint import HTML

    base = str(settings.BASE_DIR / "static")
    return PdfReader(io.BytesIO(HTML(string=html, base_url=base, url_fetcher=fetcher).write_pdf()))


def test_a_server_file_is_not_embedded_in_a_pdf(secret):
    from weasyprint.urls import default_url_fetcher

    html = f'<p>Счёт</p><a rel="attachment" href="{secret.as_uri()}">приложение</a>'
    # The fetcher WeasyPrint would use by default embeds the file: the test can fail.
    assert "secret.txt" in _pdf(html, default_url_fetcher).attachments
    assert _pdf(html, _local_only_fetcher).attachments == {}


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://{static}/../onebuh/settings/base.py",
        "file://evil.example/share/x.css",
        "https://example.com/x.css",
        "ftp://example.com/x.css",
    ],
)
def test_only_static_files_are_fetched(url):
    static = (settings.BASE_DIR / "static").resolve()
    with pytest.raises(ValueError):
        _local_only_fetcher(url.format(static=static))


def test_a_static_file_and_data_urls_are_fetched():
    css = next((settings.BASE_DIR / "static").resolve().rglob("*.css"))
    assert _local_only_fetcher(css.as_uri())
    assert _local_only_fetcher("data:text/plain,ok")
