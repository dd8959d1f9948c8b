"""Workbooks of a scored index (PAR INDEX at commune level): the criteria template a
province fills in, the commune's self-assessment table and the office's appraisal
workbook (communes × fields, self vs appraised, ranking).

Plain data in, no database access. Every value goes through ``reports.xlsx.cells``: text
that starts like a formula (a title, a comment typed by a user) stays text.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from papi_desktop.reports.xlsx.cells import clean_text, guard_cell

SHEET = "Bộ tiêu chí chấm điểm"
TABLE_HEADER_ROW = 12
META_KEYS = (
    ("index", "Chỉ số (mã)"),
    ("version", "Phiên bản"),
    ("title", "Tên bộ tiêu chí"),
    ("issuer", "Cơ quan ban hành"),
    ("decision_no", "Số quyết định"),
    ("decision_date", "Ngày quyết định (dd/mm/yyyy)"),
    ("total_points", "Tổng điểm"),
    ("sample", "Mẫu tham khảo (có/không)"),
    ("note", "Ghi chú"),
)
META_FIRST_ROW = 2
COLUMNS = (
    ("Mã", 9),
    ("Thuộc (mã cha)", 10),
    ("Tên lĩnh vực / tiêu chí / tiêu chí thành phần", 55),
    ("Điểm tối đa", 9),
    ("Cách chấm (tự chấm/khảo sát)", 12),
    ("Số chữ số thập phân", 9),
    ("Hướng dẫn chấm", 50),
    ("Tài liệu kiểm chứng", 35),
    ("Hạn (ví dụ: 15 ngày sau khi kết thúc quý; trước 15/12)", 26),
)
METHOD_TEXT = {"self": "tự chấm", "survey": "khảo sát"}
LEVEL_TEXT = {"field": "Lĩnh vực", "criterion": "Tiêu chí", "sub": "Tiêu chí thành phần"}
STATE_TEXT = {
    "not_started": "Chưa chấm",
    "draft": "Đang tự chấm",
    "submitted": "Đã gửi, chờ thẩm định",
    "appraising": "Đang thẩm định",
    "appraised": "Đã thẩm định",
}
SAMPLE_BANNER = "MẪU THAM KHẢO — tỉnh ban hành bộ tiêu chí riêng; không phải văn bản chính thức."


def put(cell: Any, value: Any) -> Any:
    """Store ``value`` in ``cell``; text stays text even when it starts like a formula."""
    cell.value = clean_text(value)
    return guard_cell(cell)


def _atomic_save(wb: Any, path: Path) -> Path:
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


class _Styles:
    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="000000")
        self.grid = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.bold = Font(name="Times New Roman", bold=True, size=11)
        self.normal = Font(name="Times New Roman", size=11)
        self.italic = Font(name="Times New Roman", italic=True, size=10)
        self.title = Font(name="Times New Roman", bold=True, size=14)
        self.warn = Font(name="Times New Roman", bold=True, size=11, color="C62828")
        self.head_fill = PatternFill("solid", fgColor="E6E6E6")
        self.field_fill = PatternFill("solid", fgColor="F2F2F2")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.center = Alignment(wrap_text=True, horizontal="center", vertical="center")


def _page(ws: Any, widths: Sequence[int], header_row: int, landscape: bool = True) -> None:
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = f"A{header_row + 1}"
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = "9"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"


def _height(values: Sequence[Any], widths: Sequence[float]) -> float | None:
    """A row height that shows every wrapped line (LibreOffice does not grow rows written
    by openpyxl); None when one line is enough."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        if isinstance(value, str) and value:
            per = max(1, int(width * 1.25))  # characters per line, Times 11 pt
            lines = max(lines, sum(max(1, -(-len(p) // per)) for p in value.split("\n")))
    return 15.0 * lines if lines > 1 else None


def _write(ws: Any, row: int, values: Sequence[Any], font: Any, st: _Styles, **style: Any) -> None:
    widths = style.get("widths")
    height = _height(values, widths) if widths else None
    if height:
        ws.row_dimensions[row].height = height
    for col, value in enumerate(values, start=1):
        c = put(ws.cell(row=row, column=col), value)
        c.font = font
        c.border = st.grid
        c.alignment = style.get("align", st.wrap)
        if style.get("fill") is not None:
            c.fill = style["fill"]
        if isinstance(value, float):
            c.number_format = "0.##"


def build_template(path: Path, meta: dict[str, Any], rows: Sequence[dict[str, Any]]) -> Path:
    """The criteria template: the header block (index, version, title, …) then one row
    per field / criterion / sub-criterion (``rows`` prefilled, e.g. from the sample)."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    st = _Styles()
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    put(
        ws.cell(row=1, column=1),
        "BỘ TIÊU CHÍ CHẤM ĐIỂM CHỈ SỐ (LĨNH VỰC → TIÊU CHÍ → TIÊU CHÍ THÀNH PHẦN)",
    )
    ws.cell(row=1, column=1).font = st.title
    for i, (key, label) in enumerate(META_KEYS):
        r = META_FIRST_ROW + i
        put(ws.cell(row=r, column=1), label).font = st.bold
        value = meta.get(key, "")
        if key == "sample":
            value = "có" if value else "không"
        put(ws.cell(row=r, column=3), value).font = st.normal
    if meta.get("sample"):
        put(ws.cell(row=TABLE_HEADER_ROW - 1, column=1), SAMPLE_BANNER).font = st.warn
    _write(ws, TABLE_HEADER_ROW, [h for h, _ in COLUMNS], st.bold, st, fill=st.head_fill,
           align=st.center, widths=[w for _, w in COLUMNS])  # fmt: skip
    for i, r in enumerate(rows, start=TABLE_HEADER_ROW + 1):
        values = [
            r["code"], r.get("parent", ""), r["title"], r.get("max_points"),
            METHOD_TEXT.get(r.get("method", "self"), "tự chấm"), r.get("decimals", 1),
            r.get("guidance", ""), r.get("evidence", ""), r.get("due", ""),
        ]  # fmt: skip
        field_row = not r.get("parent")
        _write(ws, i, values, st.bold if field_row else st.normal, st,
               fill=st.field_fill if field_row else None, widths=[w for _, w in COLUMNS])  # fmt: skip
    _page(ws, [w for _, w in COLUMNS], TABLE_HEADER_ROW)
    dv = DataValidation(type="list", formula1='"tự chấm,khảo sát"', allow_blank=True)
    dv.add(f"E{TABLE_HEADER_ROW + 1}:E{TABLE_HEADER_ROW + 500}")
    ws.add_data_validation(dv)
    dv = DataValidation(type="whole", operator="between", formula1="0", formula2="2")
    dv.add(f"F{TABLE_HEADER_ROW + 1}:F{TABLE_HEADER_ROW + 500}")
    ws.add_data_validation(dv)
    return _atomic_save(wb, path)


def build_self_assessment(data: dict[str, Any], path: Path) -> Path:
    """The commune's self-assessment table: every criterion with its maximum, self-score,
    note and evidence files; field rows carry their sums; the last row the total."""
    from openpyxl import Workbook

    st = _Styles()
    wb = Workbook()
    ws = wb.active
    ws.title = "Tự chấm điểm"
    header_row = 7
    lines = [
        f"{data['unit_name']} — {data['province']} — năm {data['year']}",
        f"Bộ tiêu chí: {data['framework_title']} (phiên bản {data['framework_version']})",
        f"Trạng thái: {data['state_text']}. Ngày lập: {data['issued_on']:%d/%m/%Y}.",
    ]
    put(
        ws.cell(row=1, column=1),
        f"BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ {data['index']} NĂM {data['year']}",
    )
    ws.cell(row=1, column=1).font = st.title
    for i, line in enumerate(lines, start=2):
        put(ws.cell(row=i, column=1), line).font = st.italic
    if data.get("sample"):
        put(ws.cell(row=5, column=1), SAMPLE_BANNER).font = st.warn
    heads = ("Mã", "Cấp", "Nội dung", "Điểm tối đa", "Điểm tự chấm", "Giải trình",
             "Tài liệu kiểm chứng")  # fmt: skip
    self_widths = (8, 14, 55, 9, 9, 35, 35)
    _write(ws, header_row, heads, st.bold, st, fill=st.head_fill, align=st.center,
           widths=self_widths)  # fmt: skip
    r = header_row
    for row in data["rows"]:
        r += 1
        is_field = row["level"] == "field"
        values = [
            row["code"], LEVEL_TEXT[row["level"]], row["title"], row["max_points"],
            row["self_points"], row.get("note", ""), "\n".join(row.get("evidence", [])),
        ]  # fmt: skip
        _write(ws, r, values, st.bold if is_field else st.normal, st,
               fill=st.field_fill if is_field else None, widths=self_widths)  # fmt: skip
    r += 1
    _write(ws, r, ["", "", "TỔNG CỘNG", data["max_total"], data["self_total"], "", ""], st.bold,
           st, fill=st.head_fill)  # fmt: skip
    _page(ws, self_widths, header_row)
    return _atomic_save(wb, path)


def build_appraisal(data: dict[str, Any], path: Path) -> Path:
    """The office's appraisal workbook: sheet "Tổng hợp" (communes × fields, self and
    appraised points, totals, rank, state) and sheet "Xếp hạng" (by appraised total)."""
    from openpyxl import Workbook

    st = _Styles()
    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    header_row = 7
    fields = data["fields"]
    put(ws.cell(row=1, column=1),
        f"KẾT QUẢ THẨM ĐỊNH CHỈ SỐ {data['index']} CẤP XÃ NĂM {data['year']}").font = st.title  # fmt: skip
    notes = [
        f"{data['office']} — bộ tiêu chí: {data['framework_title']} (phiên bản "
        f"{data['framework_version']}, tổng {data['max_total']:g} điểm).",
        f"Ngày lập: {data['issued_on']:%d/%m/%Y}. Xếp hạng theo tổng điểm thẩm định; bằng "
        "điểm thì cùng hạng.",
    ]
    if data.get("province_text"):
        notes.append(data["province_text"])
    for i, line in enumerate(notes, start=2):
        put(ws.cell(row=i, column=1), line).font = st.italic
    if data.get("sample"):
        put(ws.cell(row=5, column=1), SAMPLE_BANNER).font = st.warn
    heads: list[str] = ["STT", "Mã xã", "Xã/phường"]
    widths = [5, 8, 26]
    for code, _title, mx in fields:
        heads += [f"LV {code} tự chấm (/{mx:g})", f"LV {code} thẩm định (/{mx:g})"]
        widths += [9, 9]
    heads += ["Tổng tự chấm", "Tổng thẩm định", "Điểm tối đa", "Xếp hạng", "Trạng thái"]
    widths += [10, 10, 9, 8, 20]
    _write(ws, header_row, heads, st.bold, st, fill=st.head_fill, align=st.center,
           widths=widths)  # fmt: skip
    for i, c in enumerate(data["communes"], start=1):
        values: list[Any] = [i, c["unit"], c["name"]]
        for code, _, _ in fields:
            s, a = c["fields"].get(code, (None, None))
            values += [s, a]
        values += [c["self_total"], c["appraised_total"], c["max_total"], c["rank"],
                   STATE_TEXT.get(c["state"], c["state"])]  # fmt: skip
        _write(ws, header_row + i, values, st.normal, st, widths=widths)
    _page(ws, widths, header_row)
    legend = "; ".join(f"LV {code}: {title}" for code, title, _ in fields)
    put(ws.cell(row=6, column=1), legend).font = st.italic

    rk = wb.create_sheet("Xếp hạng")
    _write(rk, 1, ("Hạng", "Mã xã", "Xã/phường", "Tổng thẩm định", "Tổng tự chấm",
                   "Chênh lệch"), st.bold, st, fill=st.head_fill, align=st.center)  # fmt: skip
    ranked = sorted(
        (c for c in data["communes"] if c["rank"] is not None), key=lambda c: (c["rank"], c["unit"])
    )
    for i, c in enumerate(ranked, start=2):
        diff = None
        if c["self_total"] is not None and c["appraised_total"] is not None:
            diff = round(c["appraised_total"] - c["self_total"], 4)
        _write(rk, i, (c["rank"], c["unit"], c["name"], c["appraised_total"], c["self_total"],
                       diff), st.normal, st)  # fmt: skip
    _page(rk, (7, 8, 30, 12, 12, 10), 1, landscape=False)
    return _atomic_save(wb, path)
