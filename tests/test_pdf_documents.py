"""Every PDF document built from realistic Vietnamese sample data, read back with poppler."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from papi_desktop.errors import UserError
from papi_desktop.reports.charts import figure_png_bytes, progress_by_dimension_figure
from papi_desktop.reports.pdf.disclosures import (
    build_disclosure_checklist,
    build_disclosure_register,
    period_text,
)
from papi_desktop.reports.pdf.framework import build_framework_sheet, build_task_checklist
from papi_desktop.reports.pdf.posting import build_posting_minutes, build_posting_notice
from papi_desktop.reports.pdf.report import build_progress_report, percent_text
from tests import pdf_samples as samples
from tests.test_pdf_layout import flat, needs_poppler, page_size_pts, pdf_fonts, pdf_info, pdf_text

COMMON = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "ỦY BAN NHÂN DÂN",
    "XÃ NINH HÒA",
    "PAPI Desktop · Xã Ninh Hòa, tỉnh Khánh Hòa",
)

# name -> (builder, data factory, strings the document must contain, landscape)
DOCUMENTS = {
    "notice": (
        build_posting_notice,
        lambda: samples.posting_notice(0),
        (
            "Số: 05/TB-UBND",
            "Ninh Hòa, ngày 05 tháng 01 năm 2026",
            "THÔNG BÁO",
            "Về việc niêm yết công khai danh sách hộ nghèo, hộ cận nghèo năm 2026",
            "Căn cứ Luật Thực hiện dân chủ ở cơ sở ngày 10 tháng 11 năm 2022;",
            "Nhà văn hóa thôn Ninh Ích: từ ngày 06/01/2026 đến hết ngày 04/02/2026",
            "đến hết ngày 04/02/2026, tổ chức, cá nhân có ý kiến",
            "Lê Thị Hồng Nhung",
            "TM. ỦY BAN NHÂN DÂN",
            "Nguyễn Văn Thành",
            "Nơi nhận:",
            "- Lưu: VT, VHXH.",
        ),
        False,
    ),
    "minutes_start": (
        build_posting_minutes,
        lambda: samples.posting_minutes("start"),
        (
            "Số: 06/BB-UBND",
            "BIÊN BẢN",
            "Niêm yết công khai danh sách hộ nghèo, hộ cận nghèo năm 2026",
            "07 giờ 30 phút, ngày 06 tháng 01 năm 2026",
            "Ông/Bà Phạm Văn Lộc - Phó Chủ tịch, Ủy ban MTTQ Việt Nam xã",
            "Từ ngày 06/01/2026 đến hết ngày 04/02/2026 (30 ngày)",
            "06 lần, trong 03 ngày liên tục",
            "08 giờ 15 phút, ngày 06 tháng 01 năm 2026",
            "03 bản",
            "NGƯỜI CHỨNG KIẾN",
            "Đỗ Thị Mai",
            "Nơi nhận:",
        ),
        False,
    ),
    "minutes_end": (
        build_posting_minutes,
        lambda: samples.posting_minutes("end"),
        (
            "Số: 09/BB-UBND",
            "Kết thúc niêm yết công khai danh sách hộ nghèo",
            "Thời gian niêm yết thực tế",
            "niêm yết lại tại Nhà văn hóa thôn Mỹ Lợi",
            "Tổng số: 01 ý kiến",
            "Trần Thị Ánh Tuyết",
        ),
        False,
    ),
    "register": (
        build_disclosure_register,
        samples.disclosure_register,
        (
            "Số: 02/DM-UBND",
            "Ninh Hòa, ngày 02 tháng 4 năm 2026",
            "DANH MỤC CÁC NỘI DUNG ĐÃ CÔNG KHAI",
            "Quý I năm 2026",
            "NQ số 25/NQ-HĐND",
            "08/01/2026",
            "06/02/2026",
            "từ 15/01/2026",
            "Nguyễn Văn Thành",
            "Nơi nhận:",
        ),
        True,
    ),
    "framework": (
        build_framework_sheet,
        samples.framework_sheet,
        (
            "Số: 07/KH-UBND",
            "Ninh Hòa, ngày 15 tháng 01 năm 2026",
            "KHUNG NHIỆM VỤ NÂNG CAO CHỈ SỐ PAPI NĂM 2026",
            "(Phiên bản 3)",
            "2. Công khai, minh bạch trong việc ra quyết định ở địa phương",
            "Đơn vị phối hợp",
            "Tổ chức đối thoại của Chủ tịch UBND xã với Nhân dân",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "Trần Thị Ánh Tuyết",
            "Nơi nhận:",
        ),
        True,
    ),
    "task_checklist": (
        build_task_checklist,
        lambda: samples.task_checklist(True),
        (
            "Ninh Hòa, ngày 31 tháng 3 năm 2026",
            "PHIẾU THEO DÕI",
            "Theo dõi thực hiện Khung nhiệm vụ PAPI năm 2026",
            "Hoàn thành",
            "8. Quản trị điện tử",
            "05/02/2026",
            "Chờ quyết định phê duyệt",
            "Lê Thị Hồng Nhung",
        ),
        True,
    ),
    "disclosure_checklist": (
        build_disclosure_checklist,
        lambda: samples.disclosure_checklist(True),
        (
            "Ninh Hòa, ngày 31 tháng 3 năm 2026",
            "Thực hiện công khai thông tin năm 2026",
            "Hạn niêm yết",
            "19/01/2026",
            "Đã niêm yết",
            "Chưa đến hạn",
        ),
        True,
    ),
    "report": (
        build_progress_report,
        samples.progress_report,
        (
            "Số: 15/BC-UBND",
            "Ninh Hòa, ngày 03 tháng 4 năm 2026",
            "BÁO CÁO",
            "Kết quả thực hiện Khung nhiệm vụ nâng cao Chỉ số PAPI năm 2026 trong quý I năm 2026",
            "đã hoàn thành: 23, đạt tỷ lệ 76,7%",
            "Lùi sang tháng 4 do trùng lịch bầu cử",
            "đúng hạn 2, trễ hạn 1, chưa công khai 1",  # the workbook's words too
            "phiên bản 3",
            "Nguyễn Văn Thành",
            "Nơi nhận:",
        ),
        False,
    ),
}


@needs_poppler
@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_document_prints_its_content(tmp_path: Path, name: str) -> None:
    builder, factory, expected, landscape = DOCUMENTS[name]
    path = builder(factory(), tmp_path / f"{name}.pdf")
    text = flat(pdf_text(path))
    for item in (*COMMON, *expected):
        assert item in text, item
    # Issued documents carry a number line; the two checklists are internal working
    # papers (no symbol in NĐ 30 Phụ lục III), so they have none.
    assert ("Số:" in text) == (name not in ("task_checklist", "disclosure_checklist")), name
    faces = pdf_fonts(path)
    assert all(emb == "yes" for _, emb in faces), faces
    assert not any("Helvetica" in f for f, _ in faces)
    w, h = page_size_pts(path)
    assert (round(w), round(h)) == ((842, 595) if landscape else (595, 842))


@needs_poppler
def test_minutes_have_no_place_date_line_and_report_no_opinions(tmp_path: Path) -> None:
    data = dataclasses.replace(
        samples.posting_minutes("end"), opinions_count=0, opinions_summary="", reposts=[]
    )
    text = flat(pdf_text(build_posting_minutes(data, tmp_path / "m.pdf")))
    assert "Ninh Hòa, ngày" not in text
    assert "Không có ý kiến." in text
    assert "Không có; tài liệu được niêm yết liên tục" in text
    start = flat(
        pdf_text(build_posting_minutes(samples.posting_minutes("start"), tmp_path / "s.pdf"))
    )
    assert "Ý kiến phản ánh" not in start


def test_minutes_reject_unknown_kind(tmp_path: Path) -> None:
    data = dataclasses.replace(samples.posting_minutes("start"), kind="middle")
    with pytest.raises(UserError):
        build_posting_minutes(data, tmp_path / "m.pdf")
    assert not (tmp_path / "m.pdf").exists()


def test_notice_needs_a_place(tmp_path: Path) -> None:
    data = dataclasses.replace(samples.posting_notice(0), places=[])
    with pytest.raises(UserError):
        build_posting_notice(data, tmp_path / "n.pdf")


@needs_poppler
def test_notice_with_1000_rows_spans_pages_with_repeated_header(tmp_path: Path) -> None:
    seen: list[float] = []
    path = build_posting_notice(samples.posting_notice(1000), tmp_path / "n.pdf", seen.append)
    pages = int(pdf_info(path)["Pages"])
    assert pages >= 20
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    assert "1" not in [ln.strip() for ln in pdf_text(path, 1, layout=True).splitlines()]
    assert pdf_text(path, 2, layout=True).split()[0] == "2"
    # the list starts on its own page; its header repeats on the next one and the last one
    table_pages = [p for p in range(1, pages + 1) if "Họ và tên chủ hộ" in pdf_text(path, p)]
    assert len(table_pages) == pages - table_pages[0] + 1 >= 20
    assert "(Kèm theo Thông báo số 05/TB-UBND ngày 05/01/2026" in flat(pdf_text(path))
    last = flat(pdf_text(path, pages))
    assert "1000 Phạm" in last or "1000" in last.split()


@needs_poppler
def test_landscape_annex_after_portrait_notice(tmp_path: Path) -> None:
    data = samples.posting_notice(60)
    table = dataclasses.replace(data.content_table, landscape=True)
    path = build_posting_notice(dataclasses.replace(data, content_table=table), tmp_path / "n.pdf")
    out = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "99", str(path)], capture_output=True, text=True, check=True
    ).stdout
    sizes = [
        ln.split(":", 1)[1].split()[:3]
        for ln in out.splitlines()
        if ln.startswith("Page") and " size:" in ln
    ]
    assert round(float(sizes[0][0])) == 595  # notice: portrait
    assert round(float(sizes[-1][0])) == 842  # annex: landscape


@needs_poppler
def test_blank_checklists_leave_results_empty(tmp_path: Path) -> None:
    blank = flat(pdf_text(build_task_checklist(samples.task_checklist(False), tmp_path / "t.pdf")))
    assert "Tổ chức đối thoại của" in blank
    assert "05/02/2026" not in blank
    assert "Chờ quyết định phê duyệt" not in blank
    assert "ngày ..... tháng ..... năm" in blank
    disc = flat(
        pdf_text(
            build_disclosure_checklist(samples.disclosure_checklist(False), tmp_path / "d.pdf")
        )
    )
    assert "19/01/2026" in disc  # the legal deadline is printed on the blank sheet too
    assert "Chưa đến hạn" not in disc


def test_task_checklist_rejects_unknown_status(tmp_path: Path) -> None:
    data = samples.task_checklist(True)
    group = data.groups[0]
    bad = dataclasses.replace(group.tasks[0], status="finished")
    data.groups[0] = dataclasses.replace(group, tasks=(bad, *group.tasks[1:]))
    with pytest.raises(UserError):
        build_task_checklist(data, tmp_path / "t.pdf")


@needs_poppler
def test_report_contains_chart_image_and_dash_for_no_tasks(tmp_path: Path) -> None:
    path = build_progress_report(samples.progress_report(), tmp_path / "r.pdf")
    text = flat(pdf_text(path))
    assert "Quản trị môi trường 0 0 —" in text
    if shutil.which("pdfimages"):
        listing = subprocess.run(
            ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
        ).stdout.splitlines()
        assert len(listing) >= 3  # two header lines + at least one image


def test_small_formatters() -> None:
    assert percent_text(None) == "—"
    assert percent_text(100 * 23 / 30) == "76,7"
    assert period_text(date(2026, 1, 6), date(2026, 2, 4)) == "06/01/2026 -\n04/02/2026"
    assert period_text(date(2026, 1, 6), None) == "từ 06/01/2026"
    assert period_text(None, None) == ""


def test_progress_chart_figure() -> None:
    fig = progress_by_dimension_figure(
        ["Công khai, minh bạch", "Quản trị môi trường", "Thủ tục hành chính công"],
        [83.3, None, 120.0],
        "Tiến độ",
    )
    ax = fig.axes[0]
    widths = [bar.get_width() for bar in ax.patches]
    assert widths == [83.3, 0.0, 100.0]  # clipped to 0–100
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["83 %", "—", "120 %"]
    top = max(ax.get_yticklabels(), key=lambda t: t.get_position()[1])
    assert top.get_text() == "Công khai, minh bạch"  # first dimension at the top
    png = figure_png_bytes(fig, dpi=50)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(ValueError):
        progress_by_dimension_figure(["a"], [1.0, 2.0], "x")


def test_charts_do_not_import_pyplot() -> None:
    code = (
        "import sys\n"
        "from papi_desktop.reports.charts import progress_by_dimension_figure, figure_png_bytes\n"
        "figure_png_bytes(progress_by_dimension_figure(['a'], [50.0], 't'), dpi=30)\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ---- permanent postings, period units, opinions, quarter, task codes -------------------


def _open_places(start: date, note: str | None = None) -> list:
    from papi_desktop.reports.pdf.models import PostingPlace

    extra = (note,) if note is not None else ()
    return [
        PostingPlace("Bộ phận Một cửa", start, None, *extra),
        PostingPlace("Trụ sở Ủy ban nhân dân xã Ninh Hòa", start, None, *extra),
    ]


@needs_poppler
def test_permanent_posting_notice_has_no_end_date(tmp_path: Path) -> None:
    data = dataclasses.replace(
        samples.posting_notice(0),
        title="danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của xã",
        places=_open_places(date(2026, 1, 16)),
        comment_until=None,
    )
    text = flat(pdf_text(build_posting_notice(data, tmp_path / "n.pdf")))
    assert (
        "Bộ phận Một cửa, Trụ sở Ủy ban nhân dân xã Ninh Hòa: niêm yết thường xuyên từ ngày "
        "16/01/2026 (không có ngày kết thúc; cập nhật khi có thay đổi)." in text
    )
    assert "đến hết ngày" not in text
    assert "Trong thời gian niêm yết, tổ chức, cá nhân có ý kiến phản ánh" in text


@needs_poppler
def test_permanent_posting_start_minutes_print_the_types_wording(tmp_path: Path) -> None:
    note = "giữ trong suốt kỳ quy hoạch, kế hoạch sử dụng đất; cập nhật khi có thay đổi"
    data = dataclasses.replace(
        samples.posting_minutes("start"),
        places=_open_places(date(2026, 10, 5), note),
        period_start=date(2026, 10, 5),
        period_end=None,
        period_days=None,
    )
    text = flat(pdf_text(build_posting_minutes(data, tmp_path / "m.pdf")))
    assert (
        "3. Thời gian niêm yết Niêm yết thường xuyên từ ngày 05/10/2026 (giữ trong suốt kỳ "
        "quy hoạch, kế hoạch sử dụng đất; cập nhật khi có thay đổi)." in text
    )
    assert "đến hết ngày" not in text


@needs_poppler
def test_posting_period_prints_its_unit(tmp_path: Path) -> None:
    from papi_desktop.reports.pdf.models import PostingPlace

    # 3 working days from Thursday 12/11/2026 end on Tuesday 17/11: 5 calendar days later
    places = [PostingPlace("Nhà văn hóa thôn Phú Thọ", date(2026, 11, 12), date(2026, 11, 17))]
    minutes = dataclasses.replace(
        samples.posting_minutes("start"),
        places=places,
        period_start=date(2026, 11, 12),
        period_end=date(2026, 11, 17),
        period_days=3,
        period_unit="working",
    )
    text = flat(pdf_text(build_posting_minutes(minutes, tmp_path / "m.pdf")))
    assert "Từ ngày 12/11/2026 đến hết ngày 17/11/2026 (03 ngày làm việc)." in text
    notice = dataclasses.replace(
        samples.posting_notice(0), places=places, period_days=3, period_unit="working"
    )
    text = flat(pdf_text(build_posting_notice(notice, tmp_path / "n.pdf")))
    assert "Phú Thọ: từ ngày 12/11/2026 đến hết ngày 17/11/2026 (03 ngày làm việc)." in text
    notice = dataclasses.replace(samples.posting_notice(0), period_days=30)
    text = flat(pdf_text(build_posting_notice(notice, tmp_path / "n30.pdf")))
    assert "Ninh Ích: từ ngày 06/01/2026 đến hết ngày 04/02/2026 (30 ngày)." in text
    with pytest.raises(UserError):
        build_posting_minutes(
            dataclasses.replace(minutes, period_unit="weeks"), tmp_path / "bad.pdf"
        )


@needs_poppler
@pytest.mark.parametrize(
    "count,summary,expected",
    [
        (0, "", "6. Ý kiến phản ánh, góp ý nhận được Không có ý kiến."),
        (
            2,
            "Đề nghị bổ sung hộ ông Bùi Văn Quý",
            "Tổng số: 02 ý kiến. Nội dung: Đề nghị bổ sung hộ ông Bùi Văn Quý.",
        ),
        (2, "", "Tổng số: 02 ý kiến (chưa ghi tóm tắt nội dung)."),
        (
            2,
            "- Đề nghị bổ sung hộ ông Quý\n- Hỏi về tiêu chí thu nhập",
            "Tổng số: 02 ý kiến. Nội dung: - Đề nghị bổ sung hộ ông Quý; "
            "- Hỏi về tiêu chí thu nhập.",
        ),
    ],
)
def test_end_minutes_print_the_opinions_count_and_summary(
    tmp_path: Path, count: int, summary: str, expected: str
) -> None:
    data = dataclasses.replace(
        samples.posting_minutes("end"), opinions_count=count, opinions_summary=summary
    )
    text = flat(pdf_text(build_posting_minutes(data, tmp_path / "m.pdf")))
    assert expected in text


@needs_poppler
def test_disclosure_checklist_of_a_quarter_is_titled_with_it(tmp_path: Path) -> None:
    data = dataclasses.replace(samples.disclosure_checklist(True), quarter=4)
    text = flat(pdf_text(build_disclosure_checklist(data, tmp_path / "d.pdf")))
    assert "DANH MỤC THEO DÕI Thực hiện công khai thông tin Quý 4 năm 2026" in text
    assert "thông tin năm 2026" not in text
    year = flat(
        pdf_text(build_disclosure_checklist(samples.disclosure_checklist(True), tmp_path / "y.pdf"))
    )
    assert "Thực hiện công khai thông tin năm 2026" in year
    with pytest.raises(UserError):
        build_disclosure_checklist(dataclasses.replace(data, quarter=5), tmp_path / "x.pdf")


def _long_codes(groups: list) -> list:
    """The sample groups with task codes like the catalogue's ("D1.1-01")."""
    out = []
    for g in groups:
        tasks = tuple(
            dataclasses.replace(t, code=f"D{g.code}.{k}-{k:02d}")
            for k, t in enumerate(g.tasks, start=1)
        )
        out.append(dataclasses.replace(g, tasks=tasks))
    return out


@needs_poppler
def test_task_codes_never_wrap(tmp_path: Path) -> None:
    sheet = samples.framework_sheet()
    sheet.dimensions = _long_codes(sheet.dimensions)
    path = build_framework_sheet(sheet, tmp_path / "f.pdf")
    words = pdf_text(path, layout=True).split()
    codes = [t.code for d in sheet.dimensions for t in d.tasks]
    assert "D8.1-01" in codes
    assert [c for c in codes if c not in words] == []
    check = samples.task_checklist(True)
    check.groups = _long_codes(check.groups)
    words = pdf_text(build_task_checklist(check, tmp_path / "c.pdf"), layout=True).split()
    assert [t.code for g in check.groups for t in g.tasks if t.code not in words] == []


# ---- page breaks, wrapping, alignment, legal references ---------------------------------


def _pages(path: Path) -> list[str]:
    text = pdf_text(path)
    return [flat(page) for page in text.split("\f") if page.strip()]


@needs_poppler
def test_signature_never_stands_alone_on_a_page(tmp_path: Path) -> None:
    """Whatever the length of the notice, the signer's name is on the page of the closing
    sentence, and so is "Nơi nhận"."""
    base = samples.posting_notice()
    moved = 0
    for extra in range(0, 26, 2):
        places = base.places + [
            dataclasses.replace(base.places[0], name=f"Nhà văn hóa tổ dân phố số {i}")
            for i in range(extra)
        ]
        bullets = [f"Kênh thông báo bổ sung số {i}" for i in range(extra % 5)]
        data = dataclasses.replace(
            base, places=places, other_channels=base.other_channels + bullets
        )
        path = build_posting_notice(data, tmp_path / f"n{extra}.pdf")
        pages = _pages(path)
        signed = [p for p in pages if "Nguyễn Văn Thành" in p]
        assert len(signed) == 1
        assert "tham gia ý kiến./." in signed[0] and "Nơi nhận:" in signed[0]
        moved += len(pages) > 1 and "tham gia ý kiến./." not in pages[0]
    assert moved  # some lengths really pushed the closing block to page 2


@needs_poppler
def test_register_keeps_its_closing_sentence_with_the_signature(tmp_path: Path) -> None:
    data = samples.disclosure_register()
    data = dataclasses.replace(data, entries=data.entries * 3)
    pages = _pages(build_disclosure_register(data, tmp_path / "dm.pdf"))
    signed = next(p for p in pages if "Nơi nhận:" in p)
    assert "nội dung đã công khai trong quý I năm 2026./." in signed


@needs_poppler
def test_table_cells_wrap_at_spaces_only(tmp_path: Path) -> None:
    data = samples.disclosure_checklist(True)
    items = [
        dataclasses.replace(i, legal_basis="Luật 10/2022/QH15 Điều 11; NĐ 73/2026/NĐ-CP Điều 37")
        for i in data.items
    ]
    path = build_disclosure_checklist(dataclasses.replace(data, items=items), tmp_path / "c.pdf")
    words = pdf_text(path).split()
    assert words.count("10/2022/QH15") == len(items) and "73/2026/NĐ-CP" in words
    report = samples.progress_report()
    codes = [dataclasses.replace(t, code="D2.1-03 (Quý\u00a01/2026)") for t in report.unfinished]
    path = build_progress_report(dataclasses.replace(report, unfinished=codes), tmp_path / "r.pdf")
    text = pdf_text(path)
    assert "D2.1-03" in text.split() and text.count("1/2026)") >= len(codes)


def test_short_labelled_lines_are_left_aligned(tmp_path: Path) -> None:
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT

    from papi_desktop.reports.pdf.layout import Decree30Document

    doc = Decree30Document(tmp_path / "x.pdf", samples.Trace("Xã A", "Năm 2026"))
    short = doc.para("Bà Lê Thị Hồng Nhung, điện thoại: 0258 3845 112.", label="5. Người liên hệ:")
    assert short.style.alignment == TA_LEFT
    long = doc.para("Trong thời gian niêm yết, tổ chức, cá nhân có ý kiến " * 6, label="4. Ý kiến:")
    assert long.style.alignment == TA_JUSTIFY
    assert doc.para("Văn bản thường.").style.alignment == TA_JUSTIFY


@needs_poppler
def test_legal_bases_print_abbreviations_in_full(tmp_path: Path) -> None:
    from papi_desktop.reports.pdf.legal import expand_reference

    assert expand_reference("Căn cứ QĐ 24/2021/QĐ-TTg") == "Căn cứ Quyết định số 24/2021/QĐ-TTg"
    assert expand_reference("Căn cứ NĐ 59/2023") == "Căn cứ Nghị định số 59/2023/NĐ-CP"
    assert expand_reference("Căn cứ Luật Đất đai 2024 Điều 87") == (
        "Căn cứ Luật Đất đai năm 2024 Điều 87"
    )
    assert expand_reference("Căn cứ Nghị quyết số 15/NQ-HĐND") == "Căn cứ Nghị quyết số 15/NQ-HĐND"
    data = dataclasses.replace(
        samples.posting_notice(),
        legal_bases=[
            "Căn cứ Luật 10/2022/QH15 Điều 11",
            "Căn cứ TT 26/2026/TT-BTC Điều 26",
            "Căn cứ NQ 254/2025/QH15 Điều 3",
        ],
    )
    text = flat(pdf_text(build_posting_notice(data, tmp_path / "tb.pdf")))
    assert "Căn cứ Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 Điều 11;" in text
    assert "Căn cứ Thông tư số 26/2026/TT-BTC Điều 26;" in text
    assert "Căn cứ Nghị quyết số 254/2025/QH15 Điều 3." in text


@needs_poppler
def test_planned_places_print_as_expected_dates(tmp_path: Path) -> None:
    base = samples.posting_notice()
    places = [base.places[0]] + [dataclasses.replace(p, planned=True) for p in base.places[1:]]
    text = flat(pdf_text(build_posting_notice(dataclasses.replace(base, places=places),
                                              tmp_path / "tb.pdf")))  # fmt: skip
    assert "Trụ sở Ủy ban nhân dân xã Ninh Hòa: từ ngày 06/01/2026" in text
    assert "Nhà văn hóa thôn Ninh Ích: dự kiến từ ngày 06/01/2026" in text


def _body_lines(path: Path) -> list[list[str]]:
    """Per page, the non-empty lines of ``pdftotext -layout`` without the page number at
    the top and the grey trace line at the foot."""
    pages = pdf_text(path, layout=True).split("\f")
    out = []
    for number, page in enumerate(pages, start=1):
        lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
        if not lines:
            continue
        if number > 1 and lines[0] == str(number):
            lines = lines[1:]
        out.append([ln for ln in lines if not ln.startswith("PAPI Desktop ·")])
    return out


def _many_places(count: int, staggered: bool) -> list:
    """``count`` places; ``staggered`` posts them over three days (the minutes then print a
    table with each place's dates, the notice one line per group of places)."""
    places = []
    for i in range(count):
        start = date(2026, 1, 6 + (i % 3 if staggered else 0))
        end = date(2026, 2, 4 + (i % 3 if staggered else 0))
        name = "Trụ sở Ủy ban nhân dân xã Ninh Hòa" if i == 0 else f"Nhà văn hóa thôn số {i}"
        places.append(samples.PostingPlace(name, start, end, days=30))
    return places


def _assert_no_short_page(pages: list[list[str]], closing: str, signer_lines: list[str]) -> None:
    for number, lines in enumerate(pages, start=1):
        assert len(lines) >= 4, (number, lines)
    last = pages[-1]
    joined = " ".join(last)
    for text in signer_lines:
        assert text in joined, text
    for text in signer_lines[-2:]:  # printed only in the signer block
        assert all(text not in " ".join(p) for p in pages[:-1]), text
    at = next(i for i, ln in enumerate(last) if ln.startswith(closing))
    if len(pages) > 1:
        # the signature's page carries at least three lines of the body before the closing
        assert at >= 3, last[: at + 1]


@needs_poppler
@pytest.mark.parametrize("count", [9, 30])
@pytest.mark.parametrize("staggered", [True, False])
@pytest.mark.parametrize("kind", ["start", "end"])
def test_minutes_of_many_places_have_no_near_empty_page(
    tmp_path: Path, count: int, staggered: bool, kind: str
) -> None:
    data = dataclasses.replace(samples.posting_minutes(kind), places=_many_places(count, staggered))
    path = build_posting_minutes(data, tmp_path / "m.pdf")
    pages = _body_lines(path)
    _assert_no_short_page(
        pages,
        "Biên bản kết thúc vào lúc",
        ["Đỗ Thị Mai", "(Ký, ghi rõ họ tên)", "Nơi nhận:"],
    )
    if count == 9 and kind == "start":
        assert len(pages) <= 2
    if staggered:
        text = flat(pdf_text(path))
        assert f"Nhà văn hóa thôn số {count - 1}" in text
        if len(pages) > 1 and count == 30:
            # the per-place table split across pages repeats its header
            assert sum("Địa điểm niêm yết" in " ".join(p) for p in pages) >= 2


@needs_poppler
@pytest.mark.parametrize("count", [9, 30])
@pytest.mark.parametrize("staggered", [True, False])
def test_notice_of_many_places_has_no_near_empty_page(
    tmp_path: Path, count: int, staggered: bool
) -> None:
    data = dataclasses.replace(samples.posting_notice(), places=_many_places(count, staggered))
    path = build_posting_notice(data, tmp_path / "n.pdf")
    pages = _body_lines(path)
    _assert_no_short_page(
        pages,
        "Ủy ban nhân dân xã Ninh Hòa thông báo để",
        ["TM. ỦY BAN NHÂN DÂN", "Nguyễn Văn Thành", "Nơi nhận:"],
    )


@needs_poppler
def test_a_pasted_url_wraps_inside_its_cell(tmp_path: Path) -> None:
    # A note with a long URL (and a word with no spaces) in the table of unfinished tasks:
    # every word stays inside the page's right margin (15 mm), nothing runs off the page.
    import re

    from papi_desktop.reports.pdf.layout import MM

    url = ("https://dichvucong.khanhhoa.gov.vn/portal/p/home/thong-ke-ho-so-tre-han-"
           "xa-phuong-ninh-hoa-quy-4-nam-2026-chi-tiet.html")  # fmt: skip
    report = samples.progress_report()
    unfinished = [
        dataclasses.replace(t, reason=f"Xem {url} và {'Hồsơtrễhạnchưaxửlý' * 4}")
        for t in report.unfinished
    ]
    path = build_progress_report(
        dataclasses.replace(report, unfinished=unfinished), tmp_path / "r.pdf"
    )
    boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                           text=True, check=True).stdout  # fmt: skip
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes))
    assert right <= width - 15 * MM + 1, (right, width)
    text = pdf_text(path)
    assert "dichvucong.khanhhoa.gov.vn" in text.replace("\n", "").replace(" ", "")


@needs_poppler
def test_a_section_heading_never_ends_a_page(tmp_path: Path) -> None:
    # Grow the table of unfinished tasks one row at a time, so that the next section's
    # heading ("III. …") falls at every height of page 1 and 2; it must always have at least
    # a line of its section under it on the same page.
    import re

    report = samples.progress_report()
    heading = re.compile(r"^(I|II|III|IV|V|VI)\. [A-ZÀ-ỸĐ]")
    base = report.unfinished[0]
    checked = 0
    for n in range(10, 40):
        rows = [dataclasses.replace(base, code=f"D1.1-{i:02d}") for i in range(1, n + 1)]
        path = build_progress_report(
            dataclasses.replace(report, unfinished=rows), tmp_path / f"r{n}.pdf"
        )
        pages = [p for p in pdf_text(path).split("\f") if p.strip()]
        for page in pages[:-1]:
            lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
            body = [ln for ln in lines if not ln.startswith("PAPI Desktop")]
            body = [ln for ln in body if not re.fullmatch(r"\d+", ln)]  # page numbers
            assert not heading.match(body[-1]), (n, body[-3:])
            checked += 1
    assert checked >= 10
