"""The PDF renderer a worker runs as a child process for long documents (issue 16).

Run as a script, never as `-m onebuh.pdf_render` (the package's __init__ loads Celery and Django):

    python onebuh/pdf_render.py STATIC_DIR OUT.pdf < part paths, one a line

It imports WeasyPrint and the standard library only, so its memory is WeasyPrint's and one
part's layout, not Django's with every app. Each line of stdin names an HTML file (a part the
worker rendered with its templates); the part is laid out with one FontConfiguration shared by
all parts, written beside it as a PDF, and its HTML removed. At the end of stdin the part PDFs
are joined into OUT.pdf by qpdf, which copies pages without holding the document in Python.
The last line of stdout is JSON: the page count and the peak resident memory (bytes) of this
process and of qpdf. Any failure exits non-zero with the reason on stderr.

`static_only_fetcher` is also what the worker's in-process small documents use (onebuh/pdf.py).
"""

import contextlib
import json
import logging
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher


class StaticOnlyFetcher(URLFetcher):
    """Only the files under `static` (and inline data: URLs): not the network, and not any
    other file of the server — a `file:///etc/…` or `../` in rendered text must not end up
    inside a PDF (issue 18)."""

    def __init__(self, static: str | Path, **kwargs):
        super().__init__(**kwargs)
        self.static = Path(static).resolve()

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parsed = urlparse(url)
        path = Path(unquote(parsed.path)).resolve()
        if (
            parsed.scheme != "file"
            or parsed.netloc not in ("", "localhost")
            or not path.is_relative_to(self.static)
            or not path.is_file()
        ):
            raise ValueError(f"PDF rendering refuses {url}: only static files are allowed.")
        return super().fetch(path.as_uri(), headers)


def static_only_fetcher(static: str | Path) -> StaticOnlyFetcher:
    return StaticOnlyFetcher(static, allowed_protocols=("file", "data"))


def peak_rss(status_file: str = "/proc/self/status") -> int:
    """A process's peak resident size in bytes (VmHWM; this one's by default)."""
    with open(status_file, encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def render(static: str, out: str, paths) -> dict:
    fonts = FontConfiguration()
    fetcher = static_only_fetcher(static)
    parts, pages = [], 0
    for line in paths:
        if not line.strip():
            continue
        html = Path(line.strip())
        document = HTML(
            filename=str(html), encoding="utf-8", base_url=static, url_fetcher=fetcher
        ).render(font_config=fonts)
        pages += len(document.pages)
        pdf = html.with_suffix(".pdf")
        document.write_pdf(target=str(pdf))
        del document
        html.unlink()
        parts.append(str(pdf))
    if not parts:
        raise ValueError("no parts to render")
    return {"pages": pages, "peak_rss": peak_rss(), "join_peak_rss": join(parts, out)}


def join(parts: list[str], out: str) -> int:
    """The part PDFs joined into `out` by qpdf; returns qpdf's peak resident size (bytes),
    read from its VmHWM while it runs (a child's ru_maxrss would count this process's memory
    at the fork)."""
    # qpdf is a Debian package (scripts/ensure_sysdeps.sh, Dockerfile). Its messages go to a
    # file: a pipe nobody reads while this process polls could fill and stop it.
    with tempfile.TemporaryFile() as errors:
        qpdf = subprocess.Popen(  # noqa: S603 (fixed program, paths this process wrote)
            ["qpdf", "--empty", "--pages", *parts, "--", out],  # noqa: S607
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        peak = 0
        while qpdf.poll() is None:
            with contextlib.suppress(OSError, ValueError):  # it may exit between the two
                peak = max(peak, peak_rss(f"/proc/{qpdf.pid}/status"))
            time.sleep(0.02)
        # qpdf exits 3 when it succeeded with warnings.
        if qpdf.returncode not in (0, 3):
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace")
            raise RuntimeError(f"qpdf exited with {qpdf.returncode}: {message}")
    return peak


def main(argv: list[str]) -> int:
    # WeasyPrint's warnings (a refused URL, an unknown CSS property) on stderr, which the
    # worker logs; not its per-step progress lines.
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    if len(argv) != 3:
        sys.stderr.write("usage: pdf_render.py STATIC_DIR OUT.pdf < part paths\n")
        return 2
    result = render(argv[1], argv[2], sys.stdin)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
