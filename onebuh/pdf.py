"""One way to make a PDF: a template under templates/pdf/ rendered by WeasyPrint.

A one-page document (an invoice, an act, a statement) is laid out in the calling process; a long
one (`write_pdf_in_parts`, the compensation report) in a child process that never imports Django
(onebuh/pdf_render.py), so the worker stays a Django process of its usual size and the child
holds only WeasyPrint and one part's layout.
"""

import json
import logging
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from onebuh.files import scratch_dir

logger = logging.getLogger(__name__)

RENDERER = Path(__file__).resolve().with_name("pdf_render.py")
# The whole child's run: 100,000 register lines take about 2.5 minutes. Below the soft time
# limit of the task that builds a report (`outbox.deliver`, 600 s), so a stuck child is ended
# with this error rather than by Celery (which ends the child too: see write_pdf_in_parts).
RENDER_TIMEOUT = 540


class PdfRenderError(RuntimeError):
    """The renderer child failed (its stderr is the message) or ran out of time."""


def _static() -> str:
    # Stylesheets and fonts come from the repository's static folder, never from the network.
    return str(settings.BASE_DIR / "static")


def _source(template: str, context: dict | None) -> str:
    context = {"operator": settings.ONEBUH_OPERATOR, **(context or {})}
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(template, context)


def render_pdf(template: str, context: dict | None = None) -> bytes:
    """A short document in this process: a child's start (Python and WeasyPrint, about a
    second) would double a one-page invoice's time, and one page's layout is a few MiB."""
    # The deliberate function-level imports besides AppConfig.ready (ARCHITECTURE.md, "Rules
    # the build keeps", Imports): WeasyPrint loads Pango at import time (about 2 s), which only
    # PDF paths need, and every process imports this module through the admin.
    from weasyprint import HTML  # noqa: PLC0415

    from onebuh.pdf_render import static_only_fetcher  # noqa: PLC0415 (WeasyPrint, above)

    html = HTML(
        string=_source(template, context),
        base_url=_static(),
        url_fetcher=static_only_fetcher(_static()),
    )
    return html.write_pdf()


def write_pdf_in_parts(
    parts: Iterable[tuple[str, dict]], out: BinaryIO, *, timeout: float = RENDER_TIMEOUT
) -> dict:
    """A long document rendered part by part and joined into `out`; returns the renderer's
    figures: `pages`, and `peak_rss` / `join_peak_rss` (bytes) of the child and of its join.

    WeasyPrint holds a whole laid-out document in memory (about 26 MiB per thousand register
    lines), so a big report is several small documents. This process renders each part's HTML
    with Django's templates into a scratch file and passes its path to the renderer child
    (onebuh/pdf_render.py, without Django) as soon as it is written, so neither holds more than
    one part; the child lays each out, writes its PDF, and at the end joins them with qpdf,
    and the joined file is copied into `out`. The caller numbers the pages across parts.
    """
    deadline = time.monotonic() + timeout
    with tempfile.TemporaryDirectory(prefix="pdf-parts-", dir=scratch_dir()) as name:
        folder = Path(name)
        joined = folder / "document.pdf"
        # The child's output goes to files: a pipe it fills while this process writes would
        # block both.
        with (
            open(folder / "stdout", "w+b") as stdout,
            open(folder / "stderr", "w+b") as stderr,
        ):
            child = subprocess.Popen(  # noqa: S603 (this interpreter, the repository's script)
                [sys.executable, str(RENDERER), _static(), str(joined)],
                stdin=subprocess.PIPE,
                stdout=stdout,
                stderr=stderr,
            )
            try:
                _feed(child, parts, folder, deadline)
                child.wait(timeout=max(deadline - time.monotonic(), 0))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
                raise PdfRenderError(f"PDF renderer ran out of {timeout:.0f} s") from None
            except BaseException:
                child.kill()
                child.wait()
                raise
            stderr.seek(0)
            errors = stderr.read().decode("utf-8", "replace").strip()
            if child.returncode != 0:
                raise PdfRenderError(f"PDF renderer exited with {child.returncode}: {errors}")
            if errors:
                logger.warning("PDF renderer: %s", errors)
            stdout.seek(0)
            figures = json.loads(stdout.read().decode().strip().splitlines()[-1])
        with open(joined, "rb") as source:
            while chunk := source.read(1024 * 1024):
                out.write(chunk)
        return figures


def _feed(child, parts, folder: Path, deadline: float) -> None:
    """Each part's HTML into a scratch file, its path to the child at once; then end of input."""
    try:
        for index, (template, context) in enumerate(parts):
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(child.args, 0)
            path = folder / f"{index:05d}.html"
            path.write_text(_source(template, context), encoding="utf-8")
            child.stdin.write(f"{path}\n".encode())
            child.stdin.flush()
        child.stdin.close()
    except (BrokenPipeError, ConnectionResetError):
        # The child has died: its exit code and stderr say why (read by the caller).
        pass
