"""No PDF carries an unembedded font: ``pdffonts`` must show "yes" in the emb column of every
font, also when ``reportlab.platypus`` was imported before the fonts were registered (that
order used to put reportlab's default Helvetica in every table cell)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler not installed")

BUILD = """
import sys
import reportlab.platypus  # imported first, as a caller of the builders may do
from pathlib import Path
from tests import pdf_samples as s
from papi_desktop.reports.pdf.posting import build_posting_notice
from papi_desktop.reports.pdf.report import build_progress_report
out = Path(sys.argv[1])
build_posting_notice(s.posting_notice(), out / "notice.pdf")
build_progress_report(s.progress_report(), out / "progress.pdf")
"""


def unembedded(pdf: Path) -> list[str]:
    """The ``pdffonts`` lines of fonts not embedded (emb column other than "yes")."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()  # fmt: skip
    assert lines[0].split()[:1] == ["name"], lines
    # Columns from the right: emb sub uni object-id generation (the type may hold spaces).
    return [line for line in lines[2:] if line.split()[-5] != "yes"]


def test_unembedded_detects_a_standard_font(tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(tmp_path / "h.pdf"))
    c.setFont("Helvetica", 12)
    c.drawString(100, 100, "Helvetica")
    c.save()
    assert any("Helvetica" in line for line in unembedded(tmp_path / "h.pdf"))


def test_documents_embed_every_font_whatever_was_imported_first(tmp_path):
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", BUILD, str(tmp_path)], cwd=root, check=True,
                   capture_output=True, timeout=300)  # fmt: skip
    for name in ("notice.pdf", "progress.pdf"):
        assert unembedded(tmp_path / name) == [], name
