"""The supervising office's consolidated workbook (openpyxl, write-only mode).

Sheets: "Tổng hợp" — one row per commune: framework version (flagged when not the current
one), completion overall and per dimension, rank, overdue tasks, disclosure compliance,
last package and report state, with a totals row; "Xếp hạng" — the ranking; "Xu hướng" —
completion per quarter and per year; "Chỉ số" — the province's index results and targets;
then one sheet per commune with its checklist. Frozen header rows, filters, A4 landscape,
header rows repeated on print, fit to width. Plain data in, no database access here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from papi_desktop.reports.xlsx.cells import clean_text, guard_cell, safe_row

SUMMARY_SHEET = "Tổng hợp"
HEADER_ROW = 6
PAPER_A4 = "9"
DATE_FORMAT = "DD/MM/YYYY"
PCT_FORMAT = "0.0"
STATE_TEXT = {
    "draft": "Chưa gửi",
    "submitted": "Đã gửi, chờ duyệt",
    "accepted": "Đã chấp nhận",
    "returned": "Trả lại",
    "reopened": "Xã mở lại",
}
STATUS_TEXT = {"todo": "Chưa làm", "doing": "Đang làm", "review": "Chờ duyệt", "done": "Xong"}
RESULT_TEXT = {
    "met": "Đạt",
    "partial": "Đạt một phần",
    "not_met": "Không đạt",
    "na": "Không áp dụng",
    "unassessed": "Chưa đánh giá",
}
SUMMARY_FIXED = (
    ("STT", 5), ("Mã xã", 8), ("Xã/phường", 26), ("Phiên bản khung", 9),
    ("Hoàn thành (%)", 11), ("Đã xong", 8), ("Phải làm", 8),
)  # fmt: skip
SUMMARY_TAIL = (
    ("Xếp hạng", 8), ("Nhiệm vụ quá hạn", 10), ("Công khai", 9), ("Công khai đúng hạn", 10),
    ("Công khai trễ hạn", 10), ("Công khai còn thiếu", 10), ("Gỡ trước hạn", 8),
    ("Gói USB gần nhất", 12), ("Số ngày", 7), ("Báo cáo năm", 16), ("Ghi chú", 30),
)  # fmt: skip
OFFICE_SHEET = "Cơ quan giám sát"
OFFICE_TITLE = "KẾT QUẢ THỰC HIỆN CỦA CƠ QUAN GIÁM SÁT"
OFFICE_COLUMNS = (
    ("Mã nhiệm vụ", 11), ("Chỉ số", 7), ("Nhiệm vụ", 60), ("Kỳ", 9), ("Hạn", 12),
    ("Trạng thái", 11), ("Kết quả", 13), ("Ngày hoàn thành", 13), ("Quá hạn", 8),
    ("Minh chứng", 9), ("Ghi chú, lý do", 40),
)  # fmt: skip
CHECKLIST_COLUMNS = (
    ("Mã nhiệm vụ", 11), ("Chỉ số", 7), ("Nhiệm vụ", 60), ("Kỳ", 9), ("Hạn", 12),
    ("Trạng thái", 11), ("Kết quả", 13), ("Ngày hoàn thành", 13), ("Quá hạn", 8),
    ("Ghi chú, lý do", 40),
)  # fmt: skip


@dataclass
class ConsolidatedWorkbookData:
    """What the workbook shows (``district.consolidated`` plus each commune's checklist)."""

    office: str
    province: str
    year: int
    cutoff: date
    issued_on: date
    framework_version: int
    framework_title: str
    dimensions: list[tuple[str, str]]  # (code, short name)
    communes: list[dict[str, Any]]  # overview rows, in display order
    ranking: list[dict[str, Any]]
    quarters: list[dict[str, Any]]
    years: list[dict[str, Any]]
    scores: list[dict[str, Any]]
    checklists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # ``office_tasks.office_results``: the supervising office's own checklist and figures.
    office_tasks: dict[str, Any] | None = None


_nfc = clean_text


def _append(ws: Any, values: list[Any]) -> None:
    """Append a row; text that looks like a formula is written as text (see cells.py)."""
    ws.append(safe_row(ws, values))


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def sheet_title(code: str, name: str, used: set[str]) -> str:
    """A unique sheet name of at most 31 characters without []:*?/\\."""
    base = re.sub(r"[\[\]:*?/\\]", " ", f"{code} {name}")[:31].strip()
    title, n = base, 2
    while title.casefold() in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.casefold())
    return title


def build_consolidated_workbook(
    data: ConsolidatedWorkbookData,
    path: Path,
    *,
    check: Callable[[float], None] | None = None,
) -> Path:
    """Write the workbook atomically (temporary file, then rename)."""
    from openpyxl import Workbook
    from openpyxl.cell import Cell, WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = Workbook(write_only=True)
    bold = Font(name="Times New Roman", bold=True, size=11)
    normal = Font(name="Times New Roman", size=11)
    italic = Font(name="Times New Roman", italic=True, size=10)
    title_font = Font(name="Times New Roman", bold=True, size=14)
    flag_font = Font(name="Times New Roman", size=11, color="C62828", bold=True)
    thin = Side(style="thin", color="000000")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="E6E6E6")
    flag_fill = PatternFill("solid", fgColor="FDECEA")
    wrap = Alignment(wrap_text=True, vertical="top")
    head_align = Alignment(wrap_text=True, horizontal="center", vertical="center")

    # Setting a style object on a cell hashes it every time (most of the run time for
    # ~150,000 cells); each combination is registered once and its style array copied.
    style_arrays: dict[tuple, Any] = {}

    def cell(ws, value, font=normal, fmt=None, fill=None, border=grid, align=None):
        key = (id(font), fmt, id(fill), id(border), id(align))
        array = style_arrays.get(key)
        if array is None:
            proto = WriteOnlyCell(ws)
            proto.font = font
            if border is not None:
                proto.border = border
            if fmt:
                proto.number_format = fmt
            if fill is not None:
                proto.fill = fill
            if align is not None:
                proto.alignment = align
            array = style_arrays[key] = proto._style
        return guard_cell(Cell(ws, row=1, column=1, value=_nfc(value), style_array=array))

    def setup(ws, widths: Sequence[int], header_row: int) -> None:
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = f"A{header_row + 1}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = PAPER_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"{header_row}:{header_row}"

    def heading(ws, title: str, lines: Sequence[str], header_row: int) -> None:
        _append(ws, [cell(ws, title, title_font, border=None)])
        for line in lines:
            _append(ws, [cell(ws, line, italic, border=None)])
        for _ in range(header_row - 2 - len(lines)):
            _append(ws, [])

    dims = data.dimensions
    trace = (
        f"{data.office} — năm {data.year}, tính đến ngày {data.cutoff:%d/%m/%Y} — "
        f"bộ khung hiện hành phiên bản {data.framework_version}"
    )
    # -- summary -----------------------------------------------------------------------
    ws = wb.create_sheet(SUMMARY_SHEET)
    headers = list(SUMMARY_FIXED) + [(f"CSND {c} (%)", 8) for c, _ in dims] + list(SUMMARY_TAIL)
    setup(ws, [w for _, w in headers], HEADER_ROW)
    others = [r for r in data.communes if not r["framework_current"]]
    notes = [
        trace,
        f"Ngày lập: {data.issued_on:%d/%m/%Y}. Tỷ lệ hoàn thành = đã xong / (tổng − không áp dụng), các kỳ đã đến hạn.",
    ]
    if others:
        notes.append(
            f"Lưu ý: {len(others)} xã/phường đang dùng phiên bản bộ khung khác phiên bản "
            f"{data.framework_version}; số liệu của các xã này tính theo phiên bản của xã "
            "(đánh dấu đỏ)."
        )
    heading(
        ws, f"TỔNG HỢP KẾT QUẢ THỰC HIỆN BỘ KHUNG NHIỆM VỤ PAPI NĂM {data.year}", notes, HEADER_ROW
    )
    _append(ws, [cell(ws, h, bold, fill=head_fill, align=head_align) for h, _ in headers])
    for i, r in enumerate(data.communes, start=1):
        flagged = not r["framework_current"]
        note = []
        if flagged:
            note.append(f"Bộ khung phiên bản {r['framework_version']} (khác phiên bản hiện hành)")
        if r["stale"]:
            note.append("Quá 35 ngày chưa gửi gói USB")
        values: list[Any] = [
            cell(ws, i),
            cell(ws, r["unit"]),
            cell(ws, r["name"], align=wrap),
            cell(
                ws,
                r["framework_version"],
                flag_font if flagged else normal,
                fill=flag_fill if flagged else None,
            ),
            cell(ws, r["completion"], fmt=PCT_FORMAT),
            cell(ws, r["done"]),
            cell(ws, r["applicable"]),
        ]
        for code, _ in dims:
            values.append(cell(ws, r["dimensions"][code]["completion"], fmt=PCT_FORMAT))
        values += [
            cell(ws, r["rank"]),
            cell(ws, r["overdue_tasks"]),
            cell(ws, r["disclosures"]),
            cell(ws, r["disclosures_on_time"]),
            cell(ws, r["late_disclosures"]),
            cell(ws, r["missing_disclosures"]),
            cell(ws, r["early_takedowns"]),
            cell(ws, _d(r["last_package_at"]), fmt=DATE_FORMAT),
            cell(ws, r["package_age_days"], flag_font if r["stale"] else normal),
            cell(ws, STATE_TEXT[r["submission"]]),
            cell(ws, "; ".join(note), align=wrap),
        ]
        _append(ws, values)
    done = sum(r["done"] for r in data.communes)
    appl = sum(r["applicable"] for r in data.communes)
    total_row: list[Any] = [
        cell(ws, ""), cell(ws, ""), cell(ws, "Toàn tỉnh", bold), cell(ws, ""),
        cell(ws, round(100.0 * done / appl, 1) if appl else None, bold, PCT_FORMAT),
        cell(ws, done, bold), cell(ws, appl, bold),
    ]  # fmt: skip
    for code, _ in dims:
        dd = sum(r["dimensions"][code]["done"] for r in data.communes)
        da = sum(r["dimensions"][code]["applicable"] for r in data.communes)
        total_row.append(cell(ws, round(100.0 * dd / da, 1) if da else None, bold, PCT_FORMAT))
    total_row += [
        cell(ws, ""),
        cell(ws, sum(r["overdue_tasks"] for r in data.communes), bold),
        cell(ws, sum(r["disclosures"] for r in data.communes), bold),
        cell(ws, sum(r["disclosures_on_time"] for r in data.communes), bold),
        cell(ws, sum(r["late_disclosures"] for r in data.communes), bold),
        cell(ws, sum(r["missing_disclosures"] for r in data.communes), bold),
        cell(ws, sum(r["early_takedowns"] for r in data.communes), bold),
        cell(ws, ""), cell(ws, ""), cell(ws, ""), cell(ws, ""),
    ]  # fmt: skip
    _append(ws, total_row)
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + len(data.communes)}"
    _append(ws, [])
    _append(
        ws,
        [
            cell(
                ws,
                "Chỉ số nội dung (CSND): " + "; ".join(f"{c}. {n}" for c, n in dims),
                italic,
                border=None,
            )
        ],
    )
    if check:
        check(0.1)

    # -- ranking ----------------------------------------------------------------------
    ws = wb.create_sheet("Xếp hạng")
    cols = (("Hạng", 7), ("Mã xã", 8), ("Xã/phường", 30), ("Hoàn thành (%)", 12),
            ("Nhiệm vụ quá hạn", 12), ("Phiên bản khung", 10))  # fmt: skip
    setup(ws, [w for _, w in cols], 4)
    heading(ws, f"XẾP HẠNG MỨC ĐỘ HOÀN THÀNH NĂM {data.year}", [trace], 4)
    _append(ws, [cell(ws, h, bold, fill=head_fill, align=head_align) for h, _ in cols])
    for r in data.ranking:
        _append(ws, [cell(ws, r["rank"]), cell(ws, r["unit"]), cell(ws, r["name"]),
                   cell(ws, r["completion"], fmt=PCT_FORMAT), cell(ws, r["overdue_tasks"]),
                   cell(ws, r["framework_version"])])  # fmt: skip

    # -- trends -----------------------------------------------------------------------
    ws = wb.create_sheet("Xu hướng")
    cols = (("Kỳ", 16), ("Đã xong", 10), ("Phải làm", 10), ("Hoàn thành (%)", 12))
    setup(ws, [w for _, w in cols], 4)
    heading(ws, "XU HƯỚNG HOÀN THÀNH THEO KỲ", [trace], 4)
    _append(ws, [cell(ws, h, bold, fill=head_fill, align=head_align) for h, _ in cols])
    for q in data.quarters:
        _append(ws, [cell(ws, f"Quý {q['quarter']}/{data.year}"), cell(ws, q["done"]),
                   cell(ws, q["applicable"]), cell(ws, q["completion"], fmt=PCT_FORMAT)])  # fmt: skip
    for y in data.years:
        _append(ws, [cell(ws, f"Năm {y['year']}"), cell(ws, y["done"]), cell(ws, y["applicable"]),
                   cell(ws, y["completion"], fmt=PCT_FORMAT)])  # fmt: skip

    # -- index scores -----------------------------------------------------------------
    ws = wb.create_sheet("Chỉ số")
    cols = [("Chỉ số", 10), ("Năm", 7), ("Điểm tổng hợp", 10), ("Thứ hạng", 8), ("Trên tổng số", 8),
            ("Nhóm", 16), ("Mục tiêu", 9), ("Đạt mục tiêu", 9)] + [(f"CSND {i}", 8) for i in range(1, 9)]  # fmt: skip
    setup(ws, [w for _, w in cols], 4)
    heading(ws, "KẾT QUẢ CHỈ SỐ CỦA TỈNH VÀ MỤC TIÊU", [f"{data.province}"], 4)
    _append(ws, [cell(ws, h, bold, fill=head_fill, align=head_align) for h, _ in cols])
    group_text = {
        "high": "Cao nhất",
        "high_avg": "Trung bình cao",
        "low_avg": "Trung bình thấp",
        "low": "Thấp nhất",
    }
    for e in data.scores:
        group = group_text.get(e["group"], "")
        if group and e["group_estimated"]:
            group += " (ước tính)"
        met = {True: "Đạt", False: "Chưa đạt", None: ""}[e["target_met"]]
        _append(ws,
            [cell(ws, e["index"]), cell(ws, e["year"]), cell(ws, e["total"], fmt="0.00"),
             cell(ws, e["rank"]), cell(ws, e["of"]), cell(ws, group),
             cell(ws, e["target"], fmt="0.00"), cell(ws, met)]
            + [cell(ws, e["dimensions"].get(str(i)), fmt="0.00") for i in range(1, 9)]
        )  # fmt: skip
    if check:
        check(0.2)

    # -- the office's own checklist --------------------------------------------------------
    o = data.office_tasks
    if o is not None:
        ws = wb.create_sheet(OFFICE_SHEET)
        setup(ws, [w for _, w in OFFICE_COLUMNS], 5)
        pct = "—" if o["completion"] is None else f"{o['completion']} %"
        heading(
            ws,
            f"{OFFICE_TITLE} — {data.office.upper()} — NĂM {data.year}",
            [f"Nhiệm vụ đến hạn: {o['counted']}; đã xong: {o['done']}/{o['applicable']} "
             f"({pct}); quá hạn: {o['overdue']}.",
             f"Số liệu đến ngày {data.cutoff:%d/%m/%Y}; bộ khung phiên bản "
             f"{data.framework_version}."],
            5,
        )  # fmt: skip
        _append(
            ws, [cell(ws, h, bold, fill=head_fill, align=head_align) for h, _ in OFFICE_COLUMNS]
        )
        for t in o["rows"]:
            _append(ws,
                [cell(ws, t["code"]), cell(ws, t["dimension"]), cell(ws, t["title"], align=wrap),
                 cell(ws, t["period"]), cell(ws, _d(t["due"]), fmt=DATE_FORMAT),
                 cell(ws, STATUS_TEXT.get(t["status"], t["status"])),
                 cell(ws, RESULT_TEXT.get(t["result"], t["result"])),
                 cell(ws, _d(t["done_on"]), fmt=DATE_FORMAT),
                 cell(ws, "Quá hạn", flag_font, fill=flag_fill) if t["overdue"] else cell(ws, None),
                 cell(ws, t.get("evidence", 0)),
                 cell(ws, t["note"] or t["na_reason"] or None, align=wrap)]
            )  # fmt: skip

    # -- one sheet per commune -----------------------------------------------------------
    used = {SUMMARY_SHEET.casefold(), "xếp hạng", "xu hướng", "chỉ số", OFFICE_SHEET.casefold()}
    n = max(1, len(data.communes))
    for k, r in enumerate(data.communes):
        ws = wb.create_sheet(sheet_title(r["unit"], r["name"], used))
        setup(ws, [w for _, w in CHECKLIST_COLUMNS], 5)
        version_note = f"Bộ khung phiên bản {r['framework_version']}" + (
            "" if r["framework_current"] else " (KHÁC phiên bản hiện hành)"
        )
        heading(
            ws,
            f"{r['name']} ({r['unit']}) — năm {data.year}",
            [f"Hoàn thành: {'—' if r['completion'] is None else str(r['completion']) + ' %'}; "
             f"quá hạn: {r['overdue_tasks']}; công khai trễ hạn: {r['late_disclosures']}; "
             f"còn thiếu: {r['missing_disclosures']}. {version_note}.",
             f"Báo cáo năm: {STATE_TEXT[r['submission']]}"],
            5,
        )  # fmt: skip
        _append(
            ws, [cell(ws, h, bold, fill=head_fill, align=head_align) for h, _ in CHECKLIST_COLUMNS]
        )
        # The body is plain values (no per-cell font or border: a styled cell costs twice
        # as much to write, and 100 communes make ~150,000 of them); the grid is printed
        # with the sheet's gridlines instead. Dates and the overdue flag keep their style.
        ws.print_options.gridLines = True
        for t in data.checklists.get(r["unit"], []):
            _append(ws,
                [t["code"], t["dimension"], _nfc(t["title"]), t["period"],
                 cell(ws, _d(t["due"]), fmt=DATE_FORMAT, border=None),
                 STATUS_TEXT.get(t["status"], t["status"]),
                 RESULT_TEXT.get(t["result"], t["result"]),
                 cell(ws, _d(t["done_on"]), fmt=DATE_FORMAT, border=None) if t["done_on"] else None,
                 cell(ws, "Quá hạn", flag_font, border=None) if t["overdue"] else None,
                 _nfc(t["note"] or t["na_reason"]) or None]
            )  # fmt: skip
        if check:
            check(0.2 + 0.75 * (k + 1) / n)

    from papi_desktop.reports.files import save_workbook

    save_workbook(wb, path)
    if check:
        check(1.0)
    return path
