"""Word copies (issue 13 item 6): every Decree-30 document saved as .docx through the CLI
opens in LibreOffice (headless), has the decree's page, font, heading and signature, and
says what the PDF says (pdftotext of both, whitespace ignored; a table header the PDF
repeats on more pages may occur more often)."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("soffice") is None,
    reason="poppler-utils or LibreOffice missing",
)


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """Every document as .pdf and .docx from the same demo data, and the .docx files
    converted to PDF by LibreOffice in one headless run."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PAPI_DESKTOP_TODAY", "2026-11-20")
        mp.setenv("PAPI_DESKTOP_DATA", str(tmp_path_factory.mktemp("default-data")))
        mp.setenv("XDG_DOCUMENTS_DIR", str(tmp_path_factory.mktemp("docs")))
        yield _make_documents(tmp_path_factory)


def _make_documents(tmp_path_factory):
    from papi_desktop.cli import main as cli_main

    root = tmp_path_factory.mktemp("word")
    data = root / "data"
    data.mkdir()

    def cli(*args: str) -> int:
        return cli_main(["--data-dir", str(data), *args])

    assert cli("demo") == 0  # an empty folder becomes the demo commune
    from papi_desktop.services import disclosures
    from papi_desktop.services.context import AppContext

    with AppContext(data) as ctx:
        items = disclosures.list_items(ctx)
    done = next(i["id"] for i in items if i["status"] == "complete" and len(i["places"]) > 1)
    posting = next(i["id"] for i in items if i["status"] == "posting")
    out = root / "out"
    out.mkdir()
    commands = {
        "notice": ["report", "posting-notice", posting],
        "start": ["report", "minutes", done, "--kind", "start"],
        "end": ["report", "minutes", done, "--kind", "end"],
        "register": ["report", "register", "--quarter", "2026Q3"],
        "framework": ["report", "framework"],
        "checklist": ["report", "checklist", "--year", "2026"],
        "plan": ["report", "disclosure-checklist", "--year", "2026", "--quarter", "4"],
        "progress": ["report", "progress", "--year", "2026"],
    }
    for name, args in commands.items():
        for suffix in (".pdf", ".docx"):
            assert cli(*args, "-o", str(out / f"{name}{suffix}")) == 0, (name, suffix)
    conv = root / "conv"
    docx = sorted(str(p) for p in out.glob("*.docx"))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{root}/lo", "--headless", "--convert-to",
         "pdf", "--outdir", str(conv), *docx],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return out, conv, list(commands)


def _lines(pdf: Path) -> tuple[list[str], int]:
    """The lines of ``pdf`` without page numbers and the trace line, and its pages."""
    raw = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [
        s.strip().replace("\u2011", "-")
        for s in raw.splitlines()
        if s.strip() and not s.strip().isdigit() and not s.strip().startswith("PAPI Desktop ·")
    ]
    return lines, raw.count("\f") or 1


def _text(pdf: Path) -> tuple[str, int]:
    """The text of ``pdf`` without whitespace (see ``_lines``) and its number of pages."""
    lines, pages = _lines(pdf)
    return "".join("".join(lines).split()), pages


def _words(pdf: Path) -> list[str]:
    return " ".join(_lines(pdf)[0]).split()


def _header_rows(path: Path) -> Counter:
    """Characters of the table header rows Word repeats on each page."""
    from docx import Document
    from docx.oxml.ns import qn

    out: Counter = Counter()
    for table in Document(str(path)).tables:
        for row in table.rows:
            if row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None:
                text = "".join(c.text for c in row.cells)
                out.update("".join(text.split()))
    return out


def test_every_docx_opens_in_libreoffice_and_says_what_the_pdf_says(documents):
    out, conv, names = documents
    for name in names:
        converted = conv / f"{name}.pdf"
        assert converted.is_file(), f"LibreOffice could not open {name}.docx"
        pdf_text, pdf_pages = _text(out / f"{name}.pdf")
        word_text, word_pages = _text(converted)
        assert len(word_text) > 300, name
        if pdf_text == word_text:
            continue
        a, b = Counter(pdf_text), Counter(word_text)
        header = _header_rows(out / f"{name}.docx")
        pages = max(pdf_pages, word_pages)
        # the only difference allowed: a table header row printed on a different number of
        # pages ("☐"/"☒" are drawn boxes in the PDF, characters in Word)
        for diff in (a - b, b - a):
            extra = {c: n for c, n in diff.items() if c not in "☐☒" and n > header[c] * pages}
            assert not extra, f"{name}: text differs: {extra}"
        # and every word of the Word copy is in the PDF, in one piece (the other way round
        # a token joined by no-break spaces may be wrapped differently inside a table cell)
        missing = [w for w in _words(converted) if w not in pdf_text and w not in "☐☒"]
        assert not missing, f"{name}: only in Word: {missing[:10]}"


def test_docx_has_the_decree_page_heading_and_signature(documents):
    from docx import Document
    from docx.shared import Mm

    out, _conv, _names = documents
    notice = Document(str(out / "notice.docx"))
    section = notice.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    assert notice.styles["Normal"].font.name == "Times New Roman"
    normal = notice.styles["Normal"].font.size.pt
    sizes = {
        r.font.size.pt if r.font.size else normal
        for p in notice.paragraphs
        for r in p.runs
        if r.text
    }
    assert 13 in sizes and 14 in sizes and all(11 <= s <= 14 for s in sizes)
    heading = notice.tables[0]
    assert len(heading.columns) == 2
    assert "ỦY BAN NHÂN DÂN" in heading.cell(0, 0).text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in heading.cell(0, 1).text
    assert "Độc lập - Tự do - Hạnh phúc" in heading.cell(0, 1).text.replace("\u2011", "-")
    assert "/TB" in heading.cell(1, 0).text and "ngày" in heading.cell(1, 1).text
    signature = notice.tables[-1]
    assert "Nơi nhận:" in signature.cell(0, 0).text
    assert "CHỦ TỊCH" in signature.cell(0, 1).text
    # the trace line is the footer and the page number the header from page 2 on
    assert "PAPI Desktop" in section.footer.paragraphs[0].text
    assert section.different_first_page_header_footer
    # landscape documents stay landscape
    framework = Document(str(out / "framework.docx")).sections[0]
    assert framework.page_width > framework.page_height
    # minutes: one signature column per participant
    minutes = Document(str(out / "end.docx"))
    cells = [c.text for table in minutes.tables[-3:] for c in table.rows[0].cells]
    assert any("NGƯỜI CHỨNG KIẾN" in c and "(Ký, ghi rõ họ tên)" in c for c in cells)


def test_cli_refuses_other_formats_and_existing_files(cli, data_dir, tmp_path):
    assert cli("init", "--role", "commune", "--unit-code", "22528", "--user", "An").code == 0
    r = cli("report", "framework", "-o", str(tmp_path / "x.doc"))
    assert r.code == 2 and "phải có đuôi .pdf, .docx" in r.err
    target = tmp_path / "kh.docx"
    target.write_bytes(b"keep me")
    r = cli("report", "framework", "-o", str(target))
    assert r.code == 2 and "--overwrite" in r.err and len(r.err.strip().splitlines()) == 1
    assert target.read_bytes() == b"keep me"
    r = cli("report", "framework", "-o", str(target), "--overwrite")
    assert r.code == 0 and target.read_bytes()[:2] == b"PK"


# Child order that ECMA-376 requires in the properties we write (Word refuses a file, or
# "repairs" it, when they are out of order; LibreOffice does not mind).
ORDER = {
    "pPr": ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
            "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
            "spacing", "ind", "contextualSpacing", "jc", "rPr", "sectPr"],
    "tblPr": ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
              "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
              "shd", "tblLayout", "tblCellMar", "tblLook"],
    "tcPr": ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap",
             "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark"],
}  # fmt: skip


def test_docx_properties_are_in_schema_order(documents):
    import zipfile

    from lxml import etree

    out, _conv, names = documents
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for name in names:
        with zipfile.ZipFile(out / f"{name}.docx") as z:
            root = etree.fromstring(z.read("word/document.xml"))
        for parent, order in ORDER.items():
            for props in root.iter(f"{w}{parent}"):
                tags = [c.tag.replace(w, "") for c in props]
                known = [t for t in tags if t in order]
                assert known == sorted(known, key=order.index), (name, parent, tags)
                assert len(set(tags)) == len(tags), (name, parent, tags)


def test_word_writer_keeps_markup_boxes_groups_and_a_landscape_annex(tmp_path):
    """The writer on a story made by hand: bold/italic/line breaks, a KeepTogether group,
    drawn check boxes, a landscape annex after a page break, the signature block."""
    from docx import Document
    from reportlab.platypus import KeepTogether

    from papi_desktop.reports.pdf.layout import LANDSCAPE, Decree30Document
    from papi_desktop.reports.pdf.models import Letterhead, Signer, TableColumn, Trace

    path = tmp_path / "thu.docx"
    doc = Decree30Document(path, Trace("Xã Thử", "Năm 2026"), title="Thử")
    head = Letterhead(("ỦY BAN NHÂN DÂN", "XÃ THỬ"), "Thử")
    story = [*doc.heading(head, None, "TB-UBND", date(2026, 3, 2))]
    story += doc.doc_title("THÔNG BÁO", "Về việc thử & kiểm tra <Word>")
    story.append(doc.para("Nội dung có nhãn.", label="1. Nhãn:"))
    story.append(
        KeepTogether([doc.section("2. Nhóm giữ cùng trang"), doc.para("Dòng trong nhóm.")])
    )
    columns = [TableColumn("STT", 12, "CENTER"), TableColumn("Tên", 60), TableColumn("Xong", 15)]
    story.append(
        doc.table(
            columns,
            [("1", "Một\nhai dòng", doc.check_box(True)), ("2", "Hai", doc.check_box(False))],
        )
    )
    story.append(doc.signature_block(Signer("Nguyễn Văn Ký"), ["Như trên"], "Lưu: VT."))
    story += doc.switch_to(LANDSCAPE)
    story.append(doc.para("Phụ lục khổ ngang."))
    doc.build(story)

    word = Document(str(path))
    text = "\n".join(p.text for p in word.paragraphs)
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "Về việc thử & kiểm tra <Word>" in text
    label = next(p for p in word.paragraphs if p.text.startswith("1. Nhãn:"))
    assert label.runs[0].bold and not label.runs[-1].bold
    assert "2. Nhóm giữ cùng trang" in text and "Dòng trong nhóm." in text
    assert "Một\nhai dòng" in cells and "☒" in cells and "☐" in cells
    assert any("NGUYỄN VĂN KÝ" in c.upper() and "CHỦ TỊCH" in c for c in cells)
    assert "ngày 02 tháng 3 năm 2026" in " ".join(cells)
    first, annex = word.sections[0], word.sections[-1]
    assert first.page_width < first.page_height and annex.page_width > annex.page_height
    assert "Phụ lục khổ ngang." in text
