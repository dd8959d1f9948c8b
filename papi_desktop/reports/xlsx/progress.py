"""The commune's report workbook to the supervising office (openpyxl, write-only mode).

Sheets: "Báo cáo" — the official layout (heading, title, unit/period/framework line, a
task table with a frozen header row, auto-filter, date formats, A4 landscape, header row
repeated on every printed page, fit to one page wide); "Tổng hợp" — progress by dimension
and the year's disclosures; "Dữ liệu" — one row per task and period with ids and codes,
for machine re-import. Plain data in, no database access here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from papi_desktop.domain.labels import OUTCOME_LABELS
from papi_desktop.reports.xlsx.cells import clean_text, guard_cell, safe_row

DATE_FORMAT = "DD/MM/YYYY"
ISO_DATE_FORMAT = "YYYY-MM-DD"  # data sheet: unambiguous for machines
PERCENT_FORMAT = "0%"
DATA_SHEET = "Dữ liệu"
DATA_COLUMNS = (
    "result_id", "unit_code", "task_code", "dimension", "criterion", "period", "status",
    "result", "due", "done_on", "overdue", "note", "framework_version",
)  # fmt: skip
OFFICIAL_COLUMNS = (
    ("STT", 6), ("Mã nhiệm vụ", 11), ("Chỉ số", 7), ("Nhiệm vụ", 60), ("Kỳ", 14),
    ("Đơn vị chủ trì", 26), ("Hạn", 12), ("Trạng thái", 13), ("Kết quả", 14),
    ("Ngày hoàn thành", 13), ("Quá hạn", 9), ("Ghi chú, lý do", 40),
)  # fmt: skip
HEADER_ROW = 7
PAPER_A4 = "9"  # OOXML paper size code of A4
# The same words as the PDF of the same report (one label table).
STATUS_TEXT = {k: v["vi"] for k, v in OUTCOME_LABELS.items()}


@dataclass(frozen=True)
class ResultRow:
    """One task in one period, with its codes (data sheet) and labels (official sheet)."""

    result_id: str
    unit_code: str
    task_code: str
    dimension: str
    criterion: str
    title: str
    period: str
    period_label: str
    lead: str
    due: date
    status: str
    status_label: str
    result: str
    result_label: str
    done_on: date | None
    overdue: bool
    note: str
    framework_version: int | str


@dataclass
class ProgressWorkbookData:
    unit_code: str
    unit_name: str
    province_name: str
    year: int
    cutoff: date
    framework_title: str
    framework_version: int | str
    dimensions: list[tuple[str, str, int, int]]  # code, name, done, applicable
    rows: list[ResultRow]
    disclosures: list[tuple[str, date | None, date | None, str, str]] = field(default_factory=list)
    issued_on: date | None = None
    # The supervising office's own report: "ỦY BAN NHÂN DÂN TỈNH …" over its name, its
    # own title, and no disclosure table.
    parent_body: str = "ỦY BAN NHÂN DÂN"
    issuing_body: str | None = None
    title: str | None = None
    disclosure_section: bool = True


_nfc = clean_text


def _append(ws: Any, values: list[Any]) -> None:
    """Append a row; text that looks like a formula is written as text (see cells.py)."""
    ws.append(safe_row(ws, values))


def build_progress_workbook(
    data: ProgressWorkbookData, path: Path, check: Callable[[float], None] | None = None
) -> Path:
    """Write the workbook to ``path`` atomically (temporary file, then rename).

    ``check(fraction)`` is called now and then; it reports progress and may raise to
    cancel the build (nothing is written then).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = Workbook(write_only=True)
    bold = Font(name="Times New Roman", bold=True, size=12)
    normal = Font(name="Times New Roman", size=11)
    italic = Font(name="Times New Roman", italic=True, size=11)
    title_font = Font(name="Times New Roman", bold=True, size=14)
    thin = Side(style="thin", color="000000")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="E6E6E6")
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="top", wrap_text=True)
    head_align = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def cell(ws, value, font=normal, align=None, border=None, fmt=None, fill=None):
        c = guard_cell(WriteOnlyCell(ws, value=_nfc(value)))
        c.font = font
        if align is not None:
            c.alignment = align
        if border is not None:
            c.border = border
        if fmt is not None:
            c.number_format = fmt
        if fill is not None:
            c.fill = fill
        return c

    unit_upper = _nfc(data.issuing_body or data.unit_name).upper()
    ncols = len(OFFICIAL_COLUMNS)
    last_col = get_column_letter(ncols)
    period_text = f"Năm {data.year} (số liệu đến ngày {data.cutoff:%d/%m/%Y})"
    trace_line = (
        f"Đơn vị: {data.unit_name}"
        + (f", {data.province_name}" if data.province_name else "")
        + f" (mã {data.unit_code}) · Kỳ báo cáo: {period_text} · "
        f"Khung nhiệm vụ phiên bản {data.framework_version}"
    )

    # ---- official sheet ------------------------------------------------------------
    ws = wb.create_sheet("Báo cáo")
    for i, (_, width) in enumerate(OFFICIAL_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    # Decree 30 margins in inches: left 30 mm, right 15 mm, top/bottom 20 mm.
    ws.page_margins.left, ws.page_margins.right = 30 / 25.4, 15 / 25.4
    ws.page_margins.top, ws.page_margins.bottom = 20 / 25.4, 20 / 25.4
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.oddHeader.center.text = "&P"
    ws.oddFooter.center.text = _nfc(trace_line)
    ws.oddFooter.center.size = 8
    ws.merged_cells.add("A1:D1")
    ws.merged_cells.add("A2:D2")
    ws.merged_cells.add(f"F1:{last_col}1")
    ws.merged_cells.add(f"F2:{last_col}2")
    ws.merged_cells.add(f"A4:{last_col}4")
    ws.merged_cells.add(f"A5:{last_col}5")
    head = Alignment(horizontal="center")
    _append(ws,
        [cell(ws, _nfc(data.parent_body), bold, head), None, None, None, None,
         cell(ws, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold, head)]
    )  # fmt: skip
    _append(ws,
        [cell(ws, unit_upper, bold, head), None, None, None, None,
         cell(ws, "Độc lập - Tự do - Hạnh phúc", bold, head)]
    )  # fmt: skip
    _append(ws, [])
    _append(
        ws,
        [
            cell(
                ws,
                _nfc(data.title).upper()
                if data.title
                else f"BÁO CÁO KẾT QUẢ THỰC HIỆN {data.framework_title.upper()} NĂM {data.year}",
                title_font,
                Alignment(horizontal="center", wrap_text=True),
            )
        ],
    )
    _append(ws, [cell(ws, trace_line, italic, Alignment(horizontal="center", wrap_text=True))])
    _append(ws, [])
    _append(ws, [cell(ws, h, bold, head_align, grid, fill=head_fill) for h, _ in OFFICIAL_COLUMNS])
    for n, r in enumerate(data.rows, start=1):
        if check is not None and n % 200 == 0:
            check(0.8 * n / len(data.rows))
        _append(
            ws,
            [
                cell(ws, n, align=centre, border=grid),
                cell(ws, r.task_code, align=centre, border=grid),
                cell(ws, r.criterion, align=centre, border=grid),
                cell(ws, r.title, align=wrap, border=grid),
                cell(ws, r.period_label, align=centre, border=grid),
                cell(ws, r.lead, align=wrap, border=grid),
                cell(ws, r.due, align=centre, border=grid, fmt=DATE_FORMAT),
                cell(ws, r.status_label, align=centre, border=grid),
                cell(ws, r.result_label, align=centre, border=grid),
                cell(ws, r.done_on, align=centre, border=grid, fmt=DATE_FORMAT),
                cell(ws, "Quá hạn" if r.overdue else "", align=centre, border=grid),
                cell(ws, r.note, align=wrap, border=grid),
            ],
        )
    last_row = HEADER_ROW + max(1, len(data.rows))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{last_row}"
    ws.print_area = f"A1:{last_col}{last_row}"

    # ---- summary sheet -----------------------------------------------------------------
    ss = wb.create_sheet("Tổng hợp")
    for letter, width in zip("ABCDEF", (8, 50, 14, 16, 12, 30), strict=True):
        ss.column_dimensions[letter].width = width
    ss.page_setup.orientation = "landscape"
    ss.page_setup.paperSize = PAPER_A4
    ss.page_setup.fitToWidth = 1
    ss.page_setup.fitToHeight = 0
    ss.sheet_properties.pageSetUpPr.fitToPage = True
    ss.oddFooter.center.text = _nfc(trace_line)
    _append(ss, [cell(ss, "KẾT QUẢ THEO CHỈ SỐ NỘI DUNG", bold)])
    _append(ss, [cell(ss, trace_line, italic)])
    _append(ss,
        [cell(ss, h, bold, head_align, grid, fill=head_fill)
         for h in ("Chỉ số", "Tên chỉ số nội dung", "Đã hoàn thành", "Số nhiệm vụ áp dụng", "Tỷ lệ")]
    )  # fmt: skip
    total_done = total_app = 0
    for code, name, done, applicable in data.dimensions:
        total_done += done
        total_app += applicable
        _append(ss,
            [
                cell(ss, code, align=centre, border=grid),
                cell(ss, name, align=wrap, border=grid),
                cell(ss, done, align=centre, border=grid, fmt="0"),
                cell(ss, applicable, align=centre, border=grid, fmt="0"),
                cell(ss, done / applicable if applicable else None, align=centre, border=grid,
                     fmt=PERCENT_FORMAT),
            ]
        )  # fmt: skip
    _append(ss,
        [
            cell(ss, "", border=grid),
            cell(ss, "Tổng cộng", bold, border=grid),
            cell(ss, total_done, bold, centre, grid, "0"),
            cell(ss, total_app, bold, centre, grid, "0"),
            cell(ss, total_done / total_app if total_app else None, bold, centre, grid,
                 PERCENT_FORMAT),
        ]
    )  # fmt: skip
    if data.disclosure_section:
        _append(ss, [])
        _append(ss, [cell(ss, "CÔNG KHAI THEO KẾ HOẠCH", bold)])
        _append(ss,
            [cell(ss, h, bold, head_align, grid, fill=head_fill)
             for h in ("STT", "Nội dung công khai", "Hạn niêm yết", "Ngày niêm yết", "Đánh giá",
                       "Ghi chú")]
        )  # fmt: skip
    for n, (title, deadline, posted, status, note) in enumerate(data.disclosures, start=1):
        _append(
            ss,
            [
                cell(ss, n, align=centre, border=grid),
                cell(ss, title, align=wrap, border=grid),
                cell(ss, deadline, align=centre, border=grid, fmt=DATE_FORMAT),
                cell(ss, posted, align=centre, border=grid, fmt=DATE_FORMAT),
                cell(ss, STATUS_TEXT.get(status, status), align=centre, border=grid),
                cell(ss, note, align=wrap, border=grid),
            ],
        )

    # ---- data sheet for machine re-import --------------------------------------------
    ds = wb.create_sheet(DATA_SHEET)
    ds.freeze_panes = "A2"
    for i, width in enumerate((38, 10, 11, 10, 10, 10, 9, 11, 12, 12, 8, 40, 10), start=1):
        ds.column_dimensions[get_column_letter(i)].width = width
    _append(ds, [cell(ds, h, bold) for h in DATA_COLUMNS])
    for r in data.rows:
        _append(
            ds,
            [
                r.result_id,
                r.unit_code,
                r.task_code,
                r.dimension,
                r.criterion,
                r.period,
                r.status,
                r.result,
                cell(ds, r.due, fmt=ISO_DATE_FORMAT),
                cell(ds, r.done_on, fmt=ISO_DATE_FORMAT),
                1 if r.overdue else 0,
                _nfc(r.note),
                r.framework_version,
            ],
        )
    ds.auto_filter.ref = f"A1:{get_column_letter(len(DATA_COLUMNS))}{1 + max(1, len(data.rows))}"

    if check is not None:
        check(0.9)
    from papi_desktop.reports.files import save_workbook

    save_workbook(wb, path)
    return path
