"""The framework workbook: the Excel template a province fills in to issue its PAPI task
framework, and the same layout filled with an existing framework (export).

Sheet "Khung nhiệm vụ": the framework's details (index, version, title, issuer, decision,
years) in column B of rows 3–9, then the task table from row ``TASK_HEADER_ROW``. Only the
input cells are unlocked and the sheet is protected, so the layout cannot be broken by
accident. Drop-down lists (dimensions, sub-dimension codes, levels, roles, due-rule kinds)
live on the hidden sheet "DanhMuc" and are referenced through defined names, because
Excel caps a literal list at 255 characters. The importer reads this exact layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from papi_desktop.domain.task_levels import LEVEL_LABELS
from papi_desktop.domain.task_levels import LEVELS as LEVEL_CODES
from papi_desktop.reports.xlsx.cells import clean_text, set_value

SHEET = "Khung nhiệm vụ"
LIST_SHEET = "DanhMuc"
PROTECT_PASSWORD = "papi"  # prevents accidents only; Excel's sheet password is not security
TEMPLATE_MARK = "PAPI-DESKTOP-FRAMEWORK-1"  # cell A1 comment text / format id (row 1, col Z)
META_ROWS = (
    ("index", "Chỉ số (PAPI, PAR INDEX, SIPAS…)"),
    ("version", "Phiên bản (số nguyên, lớn hơn phiên bản đang dùng)"),
    ("title", "Tên bộ khung nhiệm vụ"),
    ("issuer", "Cơ quan ban hành"),
    ("decision_no", "Số quyết định ban hành"),
    ("decision_date", "Ngày quyết định (dd/mm/yyyy)"),
    ("years", "Năm áp dụng (vd. 2026 hoặc 2026-2030)"),
)
META_FIRST_ROW = 3
TASK_HEADER_ROW = META_FIRST_ROW + len(META_ROWS) + 2  # 12
TASK_COLUMNS = (
    ("code", "Mã nhiệm vụ (*)", 12),
    ("dimension", "Chỉ số nội dung (để trống: lấy theo nội dung thành phần, hoặc “Khác”)", 26),
    ("criterion", "Mã nội dung thành phần (một hoặc nhiều, cách nhau bằng dấu ; vd. 1.1; 2.3; "
     "để trống nếu không thuộc)", 14),
    ("title", "Nhiệm vụ (*)", 60),
    ("level", "Cấp thực hiện (xã / cơ quan giám sát)", 18),
    ("lead", "Đơn vị chủ trì", 30),
    ("partners", "Đơn vị phối hợp (cách nhau bằng dấu ;)", 30),
    ("due_rule", "Thời hạn (*) (viết bằng chữ như “15 ngày sau khi kết thúc quý”, “trước 15/12”, "
     "“hằng tháng”, “thường xuyên”; hoặc mã monthly, quarterly, yearly:MM-DD, "
     "date:YYYY-MM-DD, quarterly+15d)", 24),
    ("output", "Sản phẩm", 36),
    ("disclosure_type", "Mã loại công khai (nếu có; loại có kế hoạch năm thì hạn theo kế hoạch)",
     18),
    ("title_en", "Task (English, optional)", 30),
)  # fmt: skip
INPUT_ROWS = 500
# "Cấp thực hiện" as the drop-down shows it; the import also reads the codes and old words
# (``domain.task_levels.parse_level``).
LEVELS = tuple(LEVEL_LABELS[k]["vi"] for k in LEVEL_CODES)
DUE_KINDS = (
    "monthly", "quarterly", "half-yearly", "yearly", "yearly:12-31", "standing",
    "date:2026-12-31", "quarterly+15d",
)  # fmt: skip


@dataclass
class FrameworkLists:
    """Values of the drop-down lists."""

    dimensions: list[str]  # "1 - Tham gia của người dân ở cấp cơ sở"
    criteria: list[str]  # "1.1"
    roles: list[str]
    levels: tuple[str, ...] = LEVELS
    due_kinds: tuple[str, ...] = DUE_KINDS
    # Disclosure type codes; a task naming a type with a yearly plan is due on the plan's
    # dates (one source of truth), whatever its own due rule says.
    disclosure_types: list[str] = field(default_factory=list)


@dataclass
class FrameworkSheet:
    """A framework to write into the layout (export); empty for the blank template."""

    meta: dict[str, str] = field(default_factory=dict)
    tasks: list[dict[str, str]] = field(default_factory=list)


_nfc = clean_text


def build_framework_workbook(
    lists: FrameworkLists, path: Path, sheet: FrameworkSheet | None = None
) -> Path:
    """Write the template (or an export when ``sheet`` has tasks) atomically to ``path``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = sheet or FrameworkSheet()
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    bold = Font(name="Times New Roman", bold=True, size=12)
    normal = Font(name="Times New Roman", size=11)
    thin = Side(style="thin", color="999999")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    input_fill = PatternFill("solid", fgColor="FFFDE7")
    head_fill = PatternFill("solid", fgColor="E6E6E6")
    unlocked = Protection(locked=False)

    ws["A1"] = "BỘ KHUNG NHIỆM VỤ CẢI THIỆN CHỈ SỐ — MẪU NHẬP CỦA PAPI DESKTOP"
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=14)
    ws["A2"] = (
        "Chỉ nhập vào các ô nền vàng. Cột có dấu (*) là bắt buộc. Mỗi nhiệm vụ một dòng; "
        "mã nhiệm vụ không được trùng. Nhập xong, dùng: papi-desktop framework import TỆP.xlsx "
        "--dry-run để kiểm tra trước khi nạp."
    )
    ws["A2"].font = Font(name="Times New Roman", italic=True, size=10)
    ws.cell(row=1, column=26, value=TEMPLATE_MARK).font = Font(color="FFFFFF", size=6)
    for i, (key, label) in enumerate(META_ROWS):
        r = META_FIRST_ROW + i
        ws.cell(row=r, column=1, value=label).font = bold
        c = set_value(ws.cell(row=r, column=4), _nfc(sheet.meta.get(key, "")) or None)
        c.font, c.fill, c.border, c.protection = normal, input_fill, grid, unlocked
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
    for j, (_, header, width) in enumerate(TASK_COLUMNS, start=1):
        c = ws.cell(row=TASK_HEADER_ROW, column=j, value=header)
        c.font, c.fill, c.border = bold, head_fill, grid
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.row_dimensions[TASK_HEADER_ROW].height = 60
    keys = [k for k, _, _ in TASK_COLUMNS]
    first = TASK_HEADER_ROW + 1
    last = first + max(INPUT_ROWS, len(sheet.tasks) + 100) - 1
    wrap = Alignment(wrap_text=True, vertical="top")
    for r in range(first, last + 1):
        task = sheet.tasks[r - first] if r - first < len(sheet.tasks) else None
        for j, key in enumerate(keys, start=1):
            c = set_value(ws.cell(row=r, column=j), task.get(key) if task else None)
            c.protection, c.fill, c.border, c.alignment = unlocked, input_fill, grid, wrap
            c.number_format = "@"  # text: keeps codes like "1.10" and "01"
    ws.freeze_panes = ws.cell(row=first, column=2)

    # Hidden list sheet and defined names for the drop-downs.
    ls = wb.create_sheet(LIST_SHEET)
    ls.sheet_state = "hidden"
    columns = (
        ("DS_ChiSo", lists.dimensions),
        ("DS_NoiDung", lists.criteria),
        ("DS_Cap", list(lists.levels)),
        ("DS_VaiTro", lists.roles),
        ("DS_Han", list(lists.due_kinds)),
        ("DS_LoaiCK", lists.disclosure_types),
    )
    name_of: dict[str, str] = {}
    for j, (name, values) in enumerate(columns, start=1):
        letter = get_column_letter(j)
        ls.cell(row=1, column=j, value=name)
        for i, v in enumerate(values or [""], start=2):
            set_value(ls.cell(row=i, column=j), v)
        ref = f"{quote_sheetname(LIST_SHEET)}!${letter}$2:${letter}${max(2, len(values) + 1)}"
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
        name_of[name] = ref
    span = f"{first}:{{c}}{last}"

    def column_range(key: str) -> str:
        letter = get_column_letter(keys.index(key) + 1)
        return f"{letter}{span.format(c=letter)}"

    strict = [
        ("level", "DS_Cap", "Chọn cấp thực hiện: xã, thôn, tổ dân phố hoặc cơ quan giám sát."),
    ]
    for key, name, message in strict:
        dv = DataValidation(type="list", formula1=f"={name}", allow_blank=True)
        dv.error, dv.errorTitle, dv.showErrorMessage = message, "Giá trị không hợp lệ", True
        dv.add(column_range(key))
        ws.add_data_validation(dv)
    # Suggestions only: a role or due rule outside the list is allowed (checked on import).
    for key, name, message in (
        ("dimension", "DS_ChiSo", "Chỉ số nội dung sẽ được kiểm tra khi nạp."),
        (
            "criterion",
            "DS_NoiDung",
            "Mã nội dung thành phần sẽ được kiểm tra khi nạp; nhiều mã thì cách nhau bằng dấu ;"
            " (vd. 1.1; 2.3).",
        ),
        ("lead", "DS_VaiTro", "Vai trò không có trong danh sách; vẫn nhận nếu bạn chắc chắn."),
        ("due_rule", "DS_Han", "Quy tắc thời hạn sẽ được kiểm tra khi nạp."),
        (
            "disclosure_type",
            "DS_LoaiCK",
            "Mã loại công khai sẽ được kiểm tra khi nạp; loại có"
            " kế hoạch năm thì hạn của nhiệm vụ lấy theo kế hoạch đó.",
        ),
    ):
        dv = DataValidation(type="list", formula1=f"={name}", allow_blank=True)
        dv.error, dv.errorTitle, dv.errorStyle = message, "Lưu ý", "information"
        dv.showErrorMessage = True
        dv.add(column_range(key))
        ws.add_data_validation(dv)
    dv = DataValidation(type="whole", operator="between", formula1="1", formula2="100000")
    dv.error, dv.errorTitle, dv.showErrorMessage = (
        "Phiên bản là một số nguyên dương.",
        "Giá trị không hợp lệ",
        True,
    )
    dv.add(f"D{META_FIRST_ROW + 1}")
    ws.add_data_validation(dv)

    ws.protection.sheet = True
    ws.protection.password = PROTECT_PASSWORD
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{TASK_HEADER_ROW}:{TASK_HEADER_ROW}"

    path = Path(path)
    from papi_desktop.reports.files import save_workbook

    save_workbook(wb, path)
    return path
