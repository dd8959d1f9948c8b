"""Content tables for posting notices: a list (e.g. the poor-household list) read from a
user's .xlsx or .csv file, previewed, mapped to printed columns and checked row by row.

User workbooks are only ever read (openpyxl read-only mode, closed afterwards, never
re-saved); .xls and macro workbooks are refused, as are oversized or malformed files.
Every text cell is NFC-normalised. Dates come back from Excel as ``datetime`` and are
printed dd/mm/yyyy; whole numbers stored as floats print without ".0".
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from papi_desktop.errors import UserError
from papi_desktop.import_guard import (
    Limits,
    check_file,
    csv_rows,
    malformed,
    open_workbook,
    read_csv_text,
    sheet_rows,
)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 30
MAX_CELL_CHARS = 500
# Frame widths of the Decree 30 page in millimetres (A4 minus 30 mm left, 15 mm right).
PORTRAIT_WIDTH_MM = 165.0
LANDSCAPE_WIDTH_MM = 252.0
# Narrower than this a column holds about four letters a line: a list is not readable.
MIN_COLUMN_MM = 14.0
MAX_PRINT_COLUMNS = int(LANDSCAPE_WIDTH_MM // MIN_COLUMN_MM)  # 18 on an A4 landscape page

_REFUSED = {
    ".xls": (
        "Tệp .xls (Excel 97–2003) không được hỗ trợ. Hãy mở tệp trong Excel và lưu lại "
        "dạng .xlsx (Sổ làm việc Excel) hoặc .csv (UTF-8).",
        "Old .xls files are not supported. Save the file as .xlsx or .csv (UTF-8) first.",
    ),
    ".xlsm": (
        "Tệp .xlsm có chứa macro nên không được nhận. Hãy lưu lại dạng .xlsx không có macro.",
        "Macro workbooks (.xlsm) are refused. Save the file as a plain .xlsx first.",
    ),
}


@dataclass
class RowError:
    """A problem in one row of the source file (row numbers as the user sees them)."""

    row: int
    message_vi: str
    message_en: str

    def __str__(self) -> str:
        return f"Dòng {self.row}: {self.message_vi}"


@dataclass
class RawTable:
    """What was read from the file: the header row and the data rows as text."""

    source: str
    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int]  # the file's row number of each data row
    skipped_empty: int = 0
    warnings: list[str] = field(default_factory=list)

    def preview(self, n: int = 20) -> list[list[str]]:
        """The header row followed by the first ``n`` data rows (for a preview grid)."""
        return [list(self.headers)] + [list(r) for r in self.rows[:n]]


@dataclass(frozen=True)
class MappedColumn:
    """One printed column: which source column it takes, its printed header and width."""

    source: int  # index into RawTable.headers
    header: str
    width_mm: float
    align: str = "LEFT"
    required: bool = False


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def cell_text(value: Any) -> str:
    """A cell value as printed text: dates dd/mm/yyyy, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:g}"
    return _nfc(str(value)).strip()


CONTENT_LIMITS = Limits(
    max_bytes=MAX_FILE_BYTES,
    max_rows=MAX_ROWS,
    max_columns=MAX_COLUMNS,
    what_vi="danh sách kèm thông báo",
    what_en="a content list",
)


def _check_file(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in _REFUSED:
        raise UserError(*_REFUSED[suffix])
    return check_file(path, (".xlsx", ".csv"), CONTENT_LIMITS)


def _read_xlsx(path: Path) -> tuple[list[list[Any]], list[str]]:
    import warnings

    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wb = open_workbook(path, CONTENT_LIMITS)
        try:
            if not wb.worksheets:
                raise malformed(path)
            out = [
                row[: MAX_COLUMNS + 1] for row in sheet_rows(wb.worksheets[0], path, CONTENT_LIMITS)
            ]
        finally:
            wb.close()
    if caught:
        notes.append("Một số định dạng của tệp Excel đã được bỏ qua (chỉ đọc dữ liệu trong ô).")
    return out, notes


def _read_csv(path: Path) -> list[list[Any]]:
    text = read_csv_text(path)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    return [row[: MAX_COLUMNS + 1] for row in csv_rows(text, delimiter, path, CONTENT_LIMITS)]


def read_table(path: Path) -> RawTable:
    """Read the first sheet of an .xlsx (or a .csv): first non-empty row = headers."""
    path = Path(path)
    suffix = _check_file(path)
    notes: list[str] = []
    if suffix == ".xlsx":
        grid, notes = _read_xlsx(path)
    else:
        grid = _read_csv(path)
    texts = [[cell_text(v) for v in row] for row in grid]
    header_at = next((i for i, r in enumerate(texts) if any(r)), None)
    if header_at is None:
        raise UserError(f"Tệp “{path.name}” không có dữ liệu.", f"“{path.name}” contains no data.")
    headers = texts[header_at]
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise UserError(
            f"Danh sách có quá nhiều cột ({len(headers)}; tối đa {MAX_COLUMNS}).",
            f"Too many columns ({len(headers)}; max {MAX_COLUMNS}).",
        )
    rows, numbers, empty = [], [], 0
    for i in range(header_at + 1, len(texts)):
        r = texts[i]
        if not any(r):
            empty += 1
            continue
        rows.append(r)
        numbers.append(i + 1)
    if not rows:
        raise UserError(
            f"Tệp “{path.name}” chỉ có dòng tiêu đề, không có dòng dữ liệu.",
            f"“{path.name}” has a header row but no data rows.",
        )
    headers = [h or f"Cột {j + 1}" for j, h in enumerate(headers)]
    return RawTable(path.name, headers, rows, numbers, empty, notes)


def _fold_header(text: str) -> str:
    from papi_desktop.domain.text import fold

    return fold(text)


_CENTRED = ("stt", "so thu tu", "tt", "so khau", "nam sinh", "ngay", "phan loai", "ma")


def choose_columns(table: RawTable, spec: str | list[str] | None) -> list[int] | None:
    """Column indexes from what the user typed: numbers from 1 or header names, separated
    by commas ("1,2,5" or "STT,Họ tên"). None when nothing was chosen (print every column)."""
    if spec is None:
        return None
    parts = spec.split(",") if isinstance(spec, str) else list(spec)
    wanted = [p.strip() for p in parts if p and p.strip()]
    if not wanted:
        raise UserError(
            "Chưa chọn cột nào để in (--columns 1,2,5 hoặc tên cột).",
            "No column chosen to print (--columns 1,2,5 or column names).",
        )
    by_name = {_fold_header(h): j for j, h in enumerate(table.headers)}
    out: list[int] = []
    for w in wanted:
        j = int(w) - 1 if w.isdigit() else by_name.get(_fold_header(w), -1)
        if not 0 <= j < len(table.headers):
            shown = ", ".join(f"{i + 1}={h}" for i, h in enumerate(table.headers[:40]))
            raise UserError(
                f"Không có cột “{w}” trong “{table.source}”. Các cột: {shown}.",
                f"There is no column “{w}” in “{table.source}”. Columns: {shown}.",
            )
        if j not in out:
            out.append(j)
    return out


def auto_mapping(table: RawTable, columns: list[int] | None = None) -> list[MappedColumn]:
    """Every named column (or the ``columns`` chosen), as wide as its longest text needs
    (about 2.3 mm a character at 11 pt, capped), stretched to fill the page; lists wider
    than a portrait page print on landscape pages. A "STT" column and short numeric
    columns are centred."""
    chosen = list(range(len(table.headers))) if columns is None else columns
    lengths = []
    for j, h in enumerate(table.headers):
        longest = max(
            [min(len(h), 14)] + [len(r[j]) if j < len(r) else 0 for r in table.rows[:2000]]
        )
        lengths.append(float(max(longest, 3)))
    natural = [min(2.3 * n + 4.0, 90.0) for n in lengths]
    used = [natural[j] for j in chosen]
    frame = LANDSCAPE_WIDTH_MM if needs_landscape(used) else PORTRAIT_WIDTH_MM
    scale = frame / (sum(used) or 1.0)
    out = []
    for j in chosen:
        h = table.headers[j]
        key = _fold_header(h)
        numeric = all(
            (r[j] if j < len(r) else "").replace(".", "").replace(",", "").isdigit()
            for r in table.rows[:200]
            if j < len(r) and r[j]
        )
        centred = key in _CENTRED or key.startswith("ngay") or (numeric and lengths[j] <= 12)
        out.append(
            MappedColumn(j, h, round(natural[j] * scale, 1), "CENTER" if centred else "LEFT")
        )
    return out


def needs_landscape(widths_mm: list[float]) -> bool:
    """Lists wider than a portrait page (or with more than 8 columns) print landscape."""
    return len(widths_mm) > 8 or sum(widths_mm) > PORTRAIT_WIDTH_MM


def check_rows(table: RawTable, mapping: list[MappedColumn]) -> list[RowError]:
    """Row-level problems: values beyond the header, over-long cells, missing required."""
    errors: list[RowError] = []
    n_headers = len(table.headers)
    for number, r in zip(table.row_numbers, table.rows, strict=True):
        extra = [v for v in r[n_headers:] if v]
        if extra:
            errors.append(
                RowError(
                    number,
                    f"có giá trị ở cột không có tiêu đề (“{extra[0][:30]}”)",
                    f"has a value in a column without a header (“{extra[0][:30]}”)",
                )
            )
        for col in mapping:
            value = r[col.source] if col.source < len(r) else ""
            if col.required and not value:
                errors.append(
                    RowError(
                        number,
                        f"thiếu giá trị ở cột “{col.header}”",
                        f"missing a value in column “{col.header}”",
                    )
                )
            if len(value) > MAX_CELL_CHARS:
                errors.append(
                    RowError(
                        number,
                        f"ô ở cột “{col.header}” quá dài ({len(value)} ký tự; tối đa "
                        f"{MAX_CELL_CHARS})",
                        f"cell in column “{col.header}” is too long ({len(value)} chars)",
                    )
                )
    return errors


def _check_mapping(table: RawTable, mapping: list[MappedColumn]) -> None:
    if not mapping:
        raise UserError("Chưa chọn cột nào để in.", "No column selected for printing.")
    if len(mapping) > MAX_PRINT_COLUMNS:
        raise UserError(
            f"Danh sách “{table.source}” có {len(mapping)} cột; trang A4 (khổ ngang) chỉ vừa "
            f"tối đa {MAX_PRINT_COLUMNS} cột. Hãy chọn các cột cần in (dòng lệnh: "
            "--columns 1,2,5 hoặc tên cột).",
            f"The list “{table.source}” has {len(mapping)} columns; at most "
            f"{MAX_PRINT_COLUMNS} columns fit on A4 (landscape). Choose the columns to print "
            "(command line: --columns 1,2,5 or column names).",
        )
    for col in mapping:
        if not 0 <= col.source < len(table.headers):
            raise UserError(
                f"Cột nguồn số {col.source + 1} không có trong tệp “{table.source}”.",
                f"Source column {col.source + 1} does not exist in “{table.source}”.",
            )
        if col.width_mm <= 0:
            raise UserError(
                f"Độ rộng cột “{col.header}” phải lớn hơn 0.",
                f"Width of “{col.header}” must be positive.",
            )


def to_content_table(
    table: RawTable, mapping: list[MappedColumn] | None = None, title: str = ""
) -> tuple[Any, list[RowError]]:
    """Build the PDF model's ``ContentTable`` from ``table``; return it with row errors."""
    from papi_desktop.reports.pdf.models import ContentTable, TableColumn

    mapping = mapping if mapping is not None else auto_mapping(table)
    _check_mapping(table, mapping)
    errors = check_rows(table, mapping)
    columns = tuple(TableColumn(_nfc(c.header), c.width_mm, c.align) for c in mapping)
    rows = [tuple(r[c.source] if c.source < len(r) else "" for c in mapping) for r in table.rows]
    landscape = sum(c.width_mm for c in mapping) > PORTRAIT_WIDTH_MM + 0.5
    return ContentTable(columns, rows, _nfc(title), landscape), errors


def load_content_table(
    path: Path,
    mapping: list[MappedColumn] | None = None,
    title: str = "",
    columns: str | list[str] | None = None,
) -> Any:
    """Read, map and check a list file; refuse it (listing the rows) if any row is wrong.
    ``columns`` chooses the printed columns (see ``choose_columns``) when no ``mapping``."""
    table = read_table(Path(path))
    if mapping is None and columns is not None:
        mapping = auto_mapping(table, choose_columns(table, columns))
    content, errors = to_content_table(table, mapping, title)
    if errors:
        shown = "; ".join(str(e) for e in errors[:10])
        more = f" (và {len(errors) - 10} lỗi khác)" if len(errors) > 10 else ""
        more_en = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise UserError(
            f"Danh sách “{table.source}” có {len(errors)} lỗi, chưa in: {shown}{more}.",
            f"The list “{table.source}” has {len(errors)} errors: "
            + "; ".join(f"row {e.row}: {e.message_en}" for e in errors[:10])
            + more_en
            + ".",
        )
    return content
