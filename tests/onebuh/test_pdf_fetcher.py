"""Issue 18: the PDF url_fetcher allowed any file:// path; now only the project's static files.
The same rule holds in the renderer child that lays out long documents (issue 16)."""

import io
import json
import subprocess
import sys

import pytest
from django.conf import settings
from pypdf import PdfReader

from onebuh.pdf import RENDERER
from onebuh.pdf_render import static_only_fetcher

STATIC = settings.BASE_DIR / "static"


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("DJANGO_SECRET_KEY=not-for-pdfs\n", encoding="utf-8")
    return path


def _attachments(reader) -> list[bytes]:
    """The files embedded in a rendered PDF (WeasyPrint attaches them as annotations)."""
    files = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            spec = annotation.get_object().get("/FS")
            if spec is not None:
                files.append(spec.get_object()["/EF"]["/F"].get_object().get_data())
    return files


def _embedded(html, fetcher) -> list[bytes]:
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=str(STATIC), url_fetcher=fetcher).write_pdf()
    return _attachments(PdfReader(io.BytesIO(pdf)))


def _child(tmp_path, *htmls, python_flags=()) -> subprocess.CompletedProcess:
    """The renderer script run as the worker runs it, on the given parts."""
    paths = []
    for index, html in enumerate(htmls):
        path = tmp_path / f"{index:05d}.html"
        path.write_text(html, encoding="utf-8")
        paths.append(f"{path}\n")
    return subprocess.run(
        [sys.executable, *python_flags, str(RENDERER), str(STATIC), str(tmp_path / "out.pdf")],
        input="".join(paths),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_server_file_is_not_embedded_in_a_pdf(secret):
    from weasyprint.urls import URLFetcher

    html = f'<p>Счёт</p><a rel="attachment" href="{secret.as_uri()}">приложение</a>'
    # The fetcher WeasyPrint would use by default embeds the file: the test can fail.
    assert _embedded(html, URLFetcher()) == [secret.read_bytes()]
    assert _embedded(html, static_only_fetcher(STATIC)) == []


def test_the_renderer_child_does_not_embed_a_server_file(secret, tmp_path):
    html = f'<p>Отчёт</p><a rel="attachment" href="{secret.as_uri()}">приложение</a>'
    css = next(STATIC.resolve().rglob("*.css"))
    allowed = f'<p>Отчёт</p><a rel="attachment" href="{css.as_uri()}">стиль</a>'
    answer = _child(tmp_path, html, allowed)
    assert answer.returncode == 0, answer.stderr
    # The static file is attached (the child does fetch what it may), the secret is not.
    assert _attachments(PdfReader(tmp_path / "out.pdf")) == [css.read_bytes()]
    assert "refuses" in answer.stderr


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
    static = STATIC.resolve()
    with pytest.raises(ValueError):
        static_only_fetcher(STATIC).fetch(url.format(static=static))


def test_a_static_file_and_data_urls_are_fetched():
    css = next(STATIC.resolve().rglob("*.css"))
    assert static_only_fetcher(STATIC).fetch(css.as_uri()).url.endswith(css.name)
    assert static_only_fetcher(STATIC).fetch("data:text/plain,ok")


def test_the_renderer_child_joins_its_parts_without_importing_django(tmp_path):
    answer = _child(
        tmp_path,
        "<p>Первая часть</p>",
        '<p>Вторая часть</p><p style="break-before: page">и её вторая страница</p>',
        python_flags=("-X", "importtime"),
    )
    assert answer.returncode == 0, answer.stderr
    reader = PdfReader(tmp_path / "out.pdf")
    assert [page.extract_text().strip() for page in reader.pages] == [
        "Первая часть",
        "Вторая часть",
        "и её вторая страница",
    ]
    figures = json.loads(answer.stdout.splitlines()[-1])
    assert figures["pages"] == 3
    assert figures["peak_rss"] > 0 and figures["join_peak_rss"] >= 0
    # -X importtime lists every module the child imported: WeasyPrint, and no Django or app.
    imported = {line.split("|")[-1].strip() for line in answer.stderr.splitlines() if "|" in line}
    assert "weasyprint" in imported
    assert not {name for name in imported if name.split(".")[0] in ("django", "onebuh", "pypdf")}
