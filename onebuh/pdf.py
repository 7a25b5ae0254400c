"""One way to make a PDF: a template under templates/pdf/ rendered by WeasyPrint."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template: str, context: dict | None = None) -> bytes:
    # Imported here: WeasyPrint loads Pango at import time, which only PDF paths need.
    from weasyprint import HTML

    context = {"operator": settings.ONEBUH_OPERATOR, **(context or {})}
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, context)
    # Stylesheets and fonts come from the repository's static folder, never from the network.
    base_url = str(settings.BASE_DIR / "static")
    return HTML(string=html, base_url=base_url, url_fetcher=_local_only_fetcher).write_pdf()


def _local_only_fetcher(url: str, *args, **kwargs):
    from weasyprint.urls import default_url_fetcher

    if not url.startswith(("file://", "data:")):
        raise ValueError(f"PDF rendering refuses to fetch {url}: only local files are allowed.")
    return default_url_fetcher(url, *args, **kwargs)
