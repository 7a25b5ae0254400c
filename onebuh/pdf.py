"""One way to make a PDF: a template under templates/pdf/ rendered by WeasyPrint."""

import functools
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template: str, context: dict | None = None) -> bytes:
    # The one deliberate function-level import besides AppConfig.ready (ARCHITECTURE.md
    # "Imports"): WeasyPrint loads Pango at import time (about 2 s), which only PDF paths need,
    # and every process imports this module through the admin.
    from weasyprint import HTML  # noqa: PLC0415

    context = {"operator": settings.ONEBUH_OPERATOR, **(context or {})}
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, context)
    # Stylesheets and fonts come from the repository's static folder, never from the network.
    base_url = str(settings.BASE_DIR / "static")
    return HTML(string=html, base_url=base_url, url_fetcher=static_only_fetcher()).write_pdf()


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
