"""One way to make a PDF: a template under templates/pdf/ rendered by WeasyPrint."""

import functools
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfWriter

from onebuh.files import scratch_dir


def _html(template: str, context: dict | None):
    # The deliberate function-level imports besides AppConfig.ready (ARCHITECTURE.md, "Rules
    # the build keeps", Imports): WeasyPrint loads Pango at import time (about 2 s), which only
    # PDF paths need, and every process imports this module through the admin.
    from weasyprint import HTML  # noqa: PLC0415

    context = {"operator": settings.ONEBUH_OPERATOR, **(context or {})}
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, context)
    # Stylesheets and fonts come from the repository's static folder, never from the network.
    base_url = str(settings.BASE_DIR / "static")
    return HTML(string=html, base_url=base_url, url_fetcher=static_only_fetcher())


def render_pdf(template: str, context: dict | None = None) -> bytes:
    return _html(template, context).write_pdf()


def write_pdf_in_parts(parts: Iterable[tuple[str, dict]], out: BinaryIO) -> int:
    """A long document rendered part by part and joined into `out`; returns its page count.

    WeasyPrint holds a whole laid-out document in memory (about 26 MiB per thousand register
    lines), so a big report is rendered as several small documents, each written to a scratch
    file and dropped before the next, then joined page by page with pypdf: the memory a worker
    needs is one part's, whatever the length. The caller numbers the pages across parts.
    """
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415 (WeasyPrint, above)

    # One font configuration for every part: each new one keeps its Pango font map for the
    # life of the process (about 1 MiB a part otherwise).
    fonts = FontConfiguration()
    with tempfile.TemporaryDirectory(prefix="pdf-parts-", dir=scratch_dir()) as folder:
        paths = []
        for index, (template, context) in enumerate(parts):
            path = Path(folder) / f"{index:05d}.pdf"
            _html(template, context).write_pdf(target=str(path), font_config=fonts)
            paths.append(path)
        writer = PdfWriter()
        for path in paths:
            writer.append(str(path))
        writer.write(out)
        return len(writer.pages)


@functools.cache
def _fetcher_class():
    # Built on first use: importing WeasyPrint loads Pango, which only PDF paths need.
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    class StaticOnlyFetcher(URLFetcher):
        """Only the project's static files (and inline data: URLs): not the network, and not
        any other file of the server — a `file:///etc/…` or `../` in rendered text must not
        end up inside a PDF (issue 18)."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parsed = urlparse(url)
            path = Path(unquote(parsed.path)).resolve()
            static = Path(settings.BASE_DIR / "static").resolve()
            if (
                parsed.scheme != "file"
                or parsed.netloc not in ("", "localhost")
                or not path.is_relative_to(static)
                or not path.is_file()
            ):
                raise ValueError(f"PDF rendering refuses {url}: only static files are allowed.")
            return super().fetch(path.as_uri(), headers)

    return StaticOnlyFetcher


def static_only_fetcher():
    return _fetcher_class()(allowed_protocols=("file", "data"))
