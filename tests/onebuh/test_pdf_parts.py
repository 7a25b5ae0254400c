"""Long PDFs are laid out by a child process without Django (issue 16): its failures and
its time limit surface in the worker."""

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from pypdf import PdfReader

from onebuh import pdf

PART = ("pdf/compensation_report.html", {"pages": [["строка"]], "first_page": 1})


def _script(tmp_path, body: str):
    path = tmp_path / "renderer.py"
    path.write_text(body, encoding="utf-8")
    return path


def test_parts_are_joined_in_order_into_one_document():
    out = io.BytesIO()
    figures = pdf.write_pdf_in_parts([PART, PART, PART], out)
    assert figures["pages"] == 3
    assert len(PdfReader(out).pages) == 3
    # The child's own peak is WeasyPrint's and one part's, far below a Django process.
    assert 0 < figures["peak_rss"] < 150 * 1024 * 1024


def test_a_failing_renderer_raises_with_its_stderr(tmp_path, monkeypatch):
    script = _script(tmp_path, "import sys\nsys.stderr.write('нет шрифта')\nsys.exit(3)\n")
    monkeypatch.setattr(pdf, "RENDERER", script)
    with pytest.raises(pdf.PdfRenderError, match="exited with 3: нет шрифта"):
        pdf.write_pdf_in_parts([PART, PART], io.BytesIO())


def test_a_renderer_that_dies_while_parts_come_raises(tmp_path, monkeypatch):
    script = _script(tmp_path, "import sys\nsys.stdin.readline()\nsys.exit(1)\n")
    monkeypatch.setattr(pdf, "RENDERER", script)
    with pytest.raises(pdf.PdfRenderError, match="exited with 1"):
        pdf.write_pdf_in_parts([PART] * 50, io.BytesIO())


def test_a_renderer_that_hangs_is_stopped_at_the_timeout(tmp_path, monkeypatch):
    script = _script(tmp_path, "import sys, time\nsys.stdin.read()\ntime.sleep(60)\n")
    monkeypatch.setattr(pdf, "RENDERER", script)
    with pytest.raises(pdf.PdfRenderError, match="ran out of 1 s"):
        pdf.write_pdf_in_parts([PART], io.BytesIO(), timeout=1)


WORKER = """
import io, sys
from datetime import date
import django
django.setup()
from operations.reporting import Report, write_pdf_report
pages = write_pdf_report(Report(month=date(2025, 12, 1), rows=[], total_amount=0, total_hours=0,
                                subscribers=0), io.BytesIO())
print(pages, sorted({name.split(".")[0] for name in sys.modules} & {"weasyprint", "pypdf"}))
"""


def test_a_worker_builds_a_report_pdf_without_loading_weasyprint_or_pypdf():
    # A fresh Django process (this one has both from other tests): the layout and the join
    # are the child's, so the worker keeps neither in its memory.
    answer = subprocess.run(
        [sys.executable, "-c", WORKER],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "onebuh.settings.test"},
        cwd=settings.BASE_DIR,
    )
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.split() == ["1", "[]"]
