"""Issue 18: the PDF url_fetcher allowed any file:// path; now only the project's static files."""

import io

import pytest
from django.conf import settings
from pypdf import PdfReader

from onebuh.pdf import static_only_fetcher


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("DJANGO_SECRET_KEY=not-for-pdfs\n", encoding="utf-8")
    return path


def _embedded(html, fetcher) -> list[bytes]:
    """The files embedded in the rendered PDF (WeasyPrint attaches them as annotations)."""
    from weasyprint import HTML

    base = str(settings.BASE_DIR / "static")
    reader = PdfReader(
        io.BytesIO(HTML(string=html, base_url=base, url_fetcher=fetcher).write_pdf())
    )
    files = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            spec = annotation.get_object().get("/FS")
            if spec is not None:
                files.append(spec.get_object()["/EF"]["/F"].get_object().get_data())
    return files


def test_a_server_file_is_not_embedded_in_a_pdf(secret):
    from weasyprint.urls import URLFetcher

    html = f'<p>Счёт</p><a rel="attachment" href="{secret.as_uri()}">приложение</a>'
    # The fetcher WeasyPrint would use by default embeds the file: the test can fail.
    assert _embedded(html, URLFetcher()) == [secret.read_bytes()]
    assert _embedded(html, static_only_fetcher()) == []


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
        static_only_fetcher().fetch(url.format(static=static))


def test_a_static_file_and_data_urls_are_fetched():
    css = next((settings.BASE_DIR / "static").resolve().rglob("*.css"))
    assert static_only_fetcher().fetch(css.as_uri()).url.endswith(css.name)
    assert static_only_fetcher().fetch("data:text/plain,ok")
