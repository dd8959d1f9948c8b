"""Decree 30 page layout: fonts, heading, page numbers, footer, tables, NFC, atomic write.

PDFs are read back with poppler's pdftotext / pdffonts / pdfinfo (skipped when missing).
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from papi_desktop.reports.pdf import fonts
from papi_desktop.reports.pdf.layout import (
    Decree30Document,
    GroupRow,
    number_line,
    place_date_line,
    roman,
)
from papi_desktop.reports.pdf.models import Letterhead, Signer, TableColumn, Trace

POPPLER = all(shutil.which(b) for b in ("pdftotext", "pdffonts", "pdfinfo"))
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext) not installed")

LETTERHEAD = Letterhead(("ỦY BAN NHÂN DÂN", "XÃ NINH HÒA"), "Ninh Hòa")
TRACE = Trace("Xã Ninh Hòa, tỉnh Khánh Hòa", "Năm 2026", 3)


def pdf_text(path: Path, page: int | None = None, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    out = subprocess.run([*args, str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_fonts(path: Path) -> list[tuple[str, str]]:
    """(name, emb) per font from pdffonts."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    rows = []
    for line in out.stdout.splitlines()[2:]:
        parts = line.split()
        # name type [type2] encoding emb sub uni object id: emb is the 5th field from the end
        rows.append((parts[0], parts[-5]))
    return rows


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    info = {}
    for line in out.stdout.splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def page_size_pts(path: Path) -> tuple[float, float]:
    size = pdf_info(path)["Page size"].split()
    return float(size[0]), float(size[2])


def build_letter(path: Path, paragraphs: int = 40, **kw) -> Path:
    doc = Decree30Document(path, TRACE, title="Thông báo thử", **kw)
    story = doc.heading(LETTERHEAD, 5, "TB-UBND", date(2026, 1, 5))
    story += doc.doc_title("THÔNG BÁO", "Về việc niêm yết công khai danh sách hộ nghèo")
    story += doc.legal_bases(["Căn cứ Luật Thực hiện dân chủ ở cơ sở;", "Căn cứ Nghị định 59."])
    for i in range(paragraphs):
        story.append(doc.para(f"Đoạn văn thứ {i + 1} của thông báo, nội dung niêm yết công khai."))
    story.append(doc.signature_block(Signer("Nguyễn Văn Thành"), ["Đảng ủy xã"], "Lưu: VT"))
    return doc.build(story)


def test_font_family_registered_once_and_default_font_replaced() -> None:
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics

    first = fonts.register_fonts()
    assert fonts.register_fonts() is first
    assert rl_config.canvas_basefontname == fonts.FAMILY
    for face in (fonts.FAMILY, fonts.BOLD, fonts.ITALIC, fonts.BOLD_ITALIC):
        assert pdfmetrics.getFont(face) is not None
    assert first.source in ("times", "liberation", "dejavu")
    assert all(Path(f).is_file() for f in first.files)
    assert fonts.money_unit() == ("₫" if first.has_dong_sign else "đồng")


def test_number_and_place_date_lines() -> None:
    assert number_line(5, "TB-UBND") == "Số: 05/TB-UBND"
    assert number_line(123, "BB-UBND") == "Số: 123/BB-UBND"
    assert number_line(None, "BC-UBND").endswith("/BC-UBND")
    assert place_date_line("Ninh Hòa", date(2026, 1, 5)) == "Ninh Hòa, ngày 05 tháng 01 năm 2026"
    assert place_date_line("Ninh Hòa", date(2026, 3, 15)) == "Ninh Hòa, ngày 15 tháng 3 năm 2026"
    assert place_date_line("Ninh Hòa", None).startswith("Ninh Hòa, ngày .")
    assert [roman(n) for n in (1, 2, 3, 4, 9, 14)] == ["I", "II", "III", "IV", "IX", "XIV"]


@needs_poppler
def test_letter_has_decree_30_cells_and_embedded_fonts_only(tmp_path: Path) -> None:
    path = build_letter(tmp_path / "letter.pdf")
    text = flat(pdf_text(path))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN",
        "XÃ NINH HÒA",
        "Số: 05/TB-UBND",
        "Ninh Hòa, ngày 05 tháng 01 năm 2026",
        "THÔNG BÁO",
        "Về việc niêm yết công khai danh sách hộ nghèo",
        "Căn cứ Luật Thực hiện dân chủ ở cơ sở;",
        "Căn cứ Nghị định 59.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nguyễn Văn Thành",
        "Nơi nhận:",
        "- Đảng ủy xã;",
        "- Lưu: VT.",
    ):
        assert expected in text, expected
    faces = pdf_fonts(path)
    assert faces, "no fonts listed"
    assert all(emb == "yes" for _, emb in faces), faces
    assert not any("Helvetica" in name for name, _ in faces), faces


@needs_poppler
def test_a4_portrait_and_landscape(tmp_path: Path) -> None:
    w, h = page_size_pts(build_letter(tmp_path / "p.pdf", paragraphs=2))
    assert (round(w), round(h)) == (595, 842)
    w, h = page_size_pts(build_letter(tmp_path / "l.pdf", paragraphs=2, landscape=True))
    assert (round(w), round(h)) == (842, 595)


@needs_poppler
def test_page_numbers_from_page_two_and_footer_on_every_page(tmp_path: Path) -> None:
    path = build_letter(tmp_path / "long.pdf", paragraphs=60)
    pages = int(pdf_info(path)["Pages"])
    assert pages >= 3
    footer = "PAPI Desktop · Xã Ninh Hòa, tỉnh Khánh Hòa · Năm 2026 · Khung nhiệm vụ v3"
    for page in range(1, pages + 1):
        lines = [ln.strip() for ln in pdf_text(path, page, layout=True).splitlines() if ln.strip()]
        assert footer in flat(" ".join(lines)), page
        if page == 1:
            assert "1" not in lines
            assert lines[0].startswith("ỦY BAN NHÂN DÂN")
        else:
            assert lines[0] == str(page)


@needs_poppler
def test_long_table_repeats_header_and_keeps_rows(tmp_path: Path) -> None:
    doc = Decree30Document(tmp_path / "t.pdf", TRACE)
    columns = (
        TableColumn("STT", 12, "CENTER"),
        TableColumn("Họ và tên chủ hộ", 60),
        TableColumn("Ghi chú", 93),
    )
    rows: list = [GroupRow("1. Thôn Phú Thọ")]
    rows += [(str(i), f"Hộ ông Trần Văn Số {i}", "") for i in range(1, 301)]
    rows.append(("301", "Hộ bà Lê Thị Dài", "Ghi chú rất dài " * 20))
    path = doc.build([doc.table(columns, rows)])
    pages = int(pdf_info(path)["Pages"])
    assert pages >= 5
    for page in (1, 2, pages):
        assert "Họ và tên chủ hộ" in pdf_text(path, page), page
    text = flat(pdf_text(path))
    assert "1. Thôn Phú Thọ" in text
    assert "Hộ ông Trần Văn Số 300" in text
    assert text.count("Ghi chú rất dài") == 20  # the long cell wrapped, nothing was cut


@needs_poppler
def test_decomposed_input_is_printed_as_nfc(tmp_path: Path) -> None:
    name = "Trần Thị Ánh Tuyết"
    nfd_name = unicodedata.normalize("NFD", name)
    assert nfd_name != name
    body = tuple(unicodedata.normalize("NFD", x) for x in LETTERHEAD.issuing_body)
    doc = Decree30Document(tmp_path / "nfd.pdf", TRACE)
    story = doc.heading(
        Letterhead(body, unicodedata.normalize("NFD", "Ninh Hòa")), 1, "TB-UBND", date(2026, 2, 1)
    )
    story.append(doc.para(unicodedata.normalize("NFD", "Hộ nghèo <đặc biệt> & cận nghèo")))
    story.append(doc.signature_block(Signer(nfd_name), [nfd_name]))
    text = pdf_text(doc.build(story))
    assert name in text
    assert nfd_name not in text
    assert "XÃ NINH HÒA" in text
    assert "Ninh Hòa, ngày 01 tháng 02 năm 2026" in text
    assert "Hộ nghèo <đặc biệt> & cận nghèo" in flat(text)  # escaped, not parsed as markup


def test_build_reports_progress_and_leaves_no_partial_file(tmp_path: Path) -> None:
    seen: list[float] = []
    path = build_letter(
        tmp_path / "out" / "p.pdf", paragraphs=50, progress=seen.append, expected_pages=3
    )
    assert path.is_file() and path.read_bytes().startswith(b"%PDF")
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)
    assert len(seen) >= 4  # start, pages, end
    assert [p.name for p in path.parent.iterdir()] == ["p.pdf"]


def test_failed_build_leaves_no_file(tmp_path: Path) -> None:
    from reportlab.platypus import Flowable

    class Broken(Flowable):
        def wrap(self, aw, ah):
            raise RuntimeError("boom")

    doc = Decree30Document(tmp_path / "x.pdf", TRACE)
    with pytest.raises(RuntimeError):
        doc.build([Broken()])
    assert list(tmp_path.iterdir()) == []


def test_liberation_serif_is_preferred_only_when_it_covers_vietnamese() -> None:
    from papi_desktop.reports.pdf import fonts

    letters = fonts.vietnamese_letters()
    assert len(letters) == 146 and "ự" in letters and "Ỹ" in letters and "đ" in letters
    # DejaVu (the last fallback) covers every letter; a missing file covers none
    assert all(fonts.missing_letters(f) == "" for f in fonts._dejavu_files())
    assert fonts.missing_letters(Path("/nonexistent.ttf")) == letters
    found = fonts._liberation_candidates()
    for family in found:
        assert [f.name for f in family] == list(fonts._LIBERATION_FILES)
        assert not any(fonts.missing_letters(f) for f in family)
    family = fonts.register_fonts()
    if not fonts._times_candidates() and found:
        assert family.source == "liberation" and family.files == found[0]


def _word_top(path: Path, word: str) -> float:
    """The y of the first ``word`` on page 1 (pdftotext -bbox), in points from the top."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    for line in out.splitlines():
        if line.strip().startswith("<word") and line.strip().endswith(f">{word}</word>"):
            return float(line.split('yMin="')[1].split('"')[0])
    raise AssertionError(f"{word} not on page 1")


@needs_poppler
def test_end_of_letter_never_leaves_a_near_empty_page(tmp_path: Path) -> None:
    """For every length around a page break, the signature's page holds at least three lines
    of body text besides the signature; the longest letter that fits on one page does so by
    leaving less room for the signature."""
    one_page = []
    for paragraphs in range(8, 40):
        path = build_letter(tmp_path / f"l{paragraphs}.pdf", paragraphs=paragraphs)
        pages = int(pdf_info(path)["Pages"])
        last = [ln.strip() for ln in pdf_text(path, pages, layout=True).splitlines()]
        last = [ln for ln in last if ln and ln != str(pages) and "PAPI Desktop" not in ln]
        assert "Nguyễn Văn Thành" in " ".join(last), paragraphs
        body = [ln for ln in last if ln.startswith("Đoạn văn thứ")]
        if pages > 1:
            assert len(body) >= 3, (paragraphs, last)
        else:
            one_page.append(path)
    assert len(one_page) >= 4

    def sign_space(path: Path) -> float:
        return _word_top(path, "Nguyễn") - _word_top(path, "TỊCH")

    assert sign_space(one_page[-1]) < sign_space(one_page[0]) - 10


def test_a_long_body_name_breaks_before_its_level_not_inside_the_place_name():
    from papi_desktop.reports.pdf.fonts import BOLD, FAMILY, register_fonts
    from papi_desktop.reports.pdf.layout import MM, text_width, unit_lines

    register_fonts()

    parent = "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA"
    narrow = text_width(parent, FAMILY, 12) - 5
    assert unit_lines(parent, FAMILY, 12, narrow) == "ỦY BAN NHÂN DÂN<br/>TỈNH KHÁNH HÒA"
    assert unit_lines(parent, FAMILY, 12, 200 * MM) == parent  # fits: one line
    title = "ĐẠI DIỆN UBND PHƯỜNG NINH HÒA"
    two = unit_lines(title, BOLD, 13, text_width(title, BOLD, 13) - 5)
    assert two.split("<br/>")[1] == "PHƯỜNG NINH HÒA"
