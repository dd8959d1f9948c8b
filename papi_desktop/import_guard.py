"""One guard for every spreadsheet a user gives the program (.xlsx and .csv).

The unit list (``units import``), the days off (``holidays import``), the task framework
(``framework import/publish``), index scores (``scores import``) and posting-notice content
lists all read files that come from outside. Whatever is in them, the reader gets one plain line naming what is wrong and the
limit that applies ("tối đa 20.000 dòng"), never a traceback, and nothing is written.

Checks, cheapest first, so that a huge file is refused in well under a second:
- the file exists, has an accepted extension, is not empty and not larger than the limit;
- an .xlsx is a readable zip (not truncated), holds no macros, does not unpack to more
  than the limit, and none of its XML parts declares a DOCTYPE/ENTITY (Excel never writes
  one; "billion laughs" entity bombs need one). openpyxl itself must parse with defusedxml;
  if that was switched off (``OPENPYXL_DEFUSEDXML=False``) nothing is read;
- the sheet's declared size (its ``<dimension>``) is within the row and column limits,
  before any row is read; rows are then read in openpyxl's read-only (streaming) mode and
  counted, for files that do not declare their size or lie about it;
- a .csv is text, its rows and columns are counted while reading, and over-long fields are
  refused.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from papi_desktop.errors import UserError

# Excel writes no DTD; one in any part of an .xlsx is an attack or a broken file.
_XML_HEAD_BYTES = 4096
_MAX_ZIP_ENTRIES = 2000


@dataclass(frozen=True)
class Limits:
    """What one kind of import accepts; ``what_vi``/``what_en`` name the list in messages."""

    max_bytes: int
    max_rows: int
    max_columns: int
    what_vi: str
    what_en: str
    max_unpacked_bytes: int = 0  # 0: ten times max_bytes
    max_field_chars: int = 100_000

    @property
    def unpacked_limit(self) -> int:
        return self.max_unpacked_bytes or 10 * self.max_bytes


def _n(value: int) -> str:
    """1234567 -> "1.234.567" (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


def _size(nbytes: int) -> str:
    if nbytes >= 1024 * 1024:
        return f"{nbytes / (1024 * 1024):.0f} MB"
    return f"{max(1, nbytes // 1024)} KB"


def malformed(path: Path) -> UserError:
    """The file is not a readable .xlsx (not a zip, truncated, damaged or renamed)."""
    return UserError(
        f"Tệp “{path.name}” không phải sổ Excel .xlsx hợp lệ (bị hỏng, tải về chưa hết hoặc "
        "đổi đuôi). Hãy mở bằng Excel, lưu lại dạng .xlsx rồi chọn lại.",
        f"“{path.name}” is not a valid .xlsx workbook (damaged, incompletely downloaded or "
        "renamed). Open it in Excel, save it as .xlsx and choose it again.",
    )


def too_many_rows(path: Path, limits: Limits, found: int | None = None) -> UserError:
    seen_vi = f" ({_n(found)} dòng)" if found else ""
    seen_en = f" ({_n(found)} rows)" if found else ""
    return UserError(
        f"Tệp “{path.name}” quá nhiều dòng{seen_vi}: {limits.what_vi} tối đa "
        f"{_n(limits.max_rows)} dòng. Hãy bỏ bớt dòng hoặc tách thành nhiều tệp.",
        f"“{path.name}” has too many rows{seen_en}: {limits.what_en} takes at most "
        f"{_n(limits.max_rows)} rows. Remove rows or split the file.",
    )


def too_many_columns(path: Path, limits: Limits, found: int | None = None) -> UserError:
    seen_vi = f" ({found} cột)" if found else ""
    seen_en = f" ({found} columns)" if found else ""
    return UserError(
        f"Tệp “{path.name}” quá nhiều cột{seen_vi}: {limits.what_vi} tối đa "
        f"{limits.max_columns} cột. Hãy xóa các cột thừa rồi chọn lại.",
        f"“{path.name}” has too many columns{seen_en}: {limits.what_en} takes at most "
        f"{limits.max_columns} columns. Delete the extra columns and choose it again.",
    )


def check_file(path: Path, suffixes: tuple[str, ...], limits: Limits) -> str:
    """Existence, extension, emptiness and size; returns the lower-case suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in suffixes:
        shown = " hoặc ".join(suffixes)
        raise UserError(
            f"Không đọc được tệp “{path.name}”: chỉ nhận tệp {shown}.",
            f"Cannot read “{path.name}”: only {' or '.join(suffixes)} files are accepted.",
        )
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp: {path}", f"File not found: {path}")
    size = path.stat().st_size
    if size == 0:
        raise UserError(
            f"Tệp “{path.name}” rỗng (0 byte). Hãy chọn lại tệp đầy đủ.",
            f"“{path.name}” is empty (0 bytes). Choose the complete file.",
        )
    if size > limits.max_bytes:
        raise UserError(
            f"Tệp “{path.name}” quá lớn ({_size(size)}): {limits.what_vi} tối đa "
            f"{_size(limits.max_bytes)}. Hãy bỏ bớt dòng hoặc tách thành nhiều tệp.",
            f"“{path.name}” is too large ({_size(size)}): {limits.what_en} takes at most "
            f"{_size(limits.max_bytes)}. Remove rows or split the file.",
        )
    return suffix


def _require_defusedxml() -> None:
    import openpyxl

    if not getattr(openpyxl, "DEFUSEDXML", False):
        raise UserError(
            "Chương trình không đọc tệp Excel vì thiếu lớp bảo vệ XML (defusedxml) hoặc lớp này "
            "bị tắt (OPENPYXL_DEFUSEDXML). Hãy cài lại PAPI Desktop.",
            "Excel files are not read: the XML protection (defusedxml) is missing or switched "
            "off (OPENPYXL_DEFUSEDXML). Reinstall PAPI Desktop.",
        )


def check_xlsx_package(path: Path, limits: Limits) -> None:
    """The zip-level checks of an .xlsx, before openpyxl parses anything."""
    _require_defusedxml()
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > _MAX_ZIP_ENTRIES:
                raise malformed(path)
            names = {i.filename for i in infos}
            if "xl/vbaProject.bin" in names:
                raise UserError(
                    f"Tệp “{path.name}” có chứa macro nên không được nhận. Hãy lưu lại dạng "
                    ".xlsx không có macro.",
                    f"“{path.name}” contains macros and is refused. Save it as a plain .xlsx.",
                )
            if "xl/workbook.xml" not in names:
                raise malformed(path)
            unpacked = sum(i.file_size for i in infos)
            if unpacked > limits.unpacked_limit:
                raise UserError(
                    f"Tệp “{path.name}” giải nén ra quá lớn ({_size(unpacked)}; tối đa "
                    f"{_size(limits.unpacked_limit)} cho {limits.what_vi}). Không đọc tệp này.",
                    f"“{path.name}” unpacks to too much data ({_size(unpacked)}; at most "
                    f"{_size(limits.unpacked_limit)} for {limits.what_en}). Not read.",
                )
            sheets = _worksheet_parts(zf, names)
            for info in infos:
                if info.filename.startswith("xl/media/") or info.is_dir():
                    continue  # pictures; every other part may be XML, whatever its name
                with zf.open(info) as part:
                    head = part.read(_XML_HEAD_BYTES)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise UserError(
                            f"Tệp “{path.name}” chứa khai báo XML không được phép "
                            "(DOCTYPE/ENTITY) mà Excel không bao giờ tạo ra. Không đọc tệp này; "
                            "hãy xin tệp gốc.",
                            f"“{path.name}” contains an XML declaration (DOCTYPE/ENTITY) that "
                            "Excel never writes. It is not read; ask for the original file.",
                        )
                    if info.filename in sheets:
                        _check_sheet_part(part, head, path, limits)
    except UserError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise malformed(path) from exc
    except Exception as exc:  # zlib errors of a damaged member, and the like
        raise malformed(path) from exc


_OVERRIDE = re.compile(rb"<(?:\w+:)?Override\b[^>]*>")
_PART_NAME = re.compile(rb'PartName="/?([^"]+)"')
_SHEET_TYPE = b"spreadsheetml.worksheet+xml"


def _worksheet_parts(zf: zipfile.ZipFile, names: set[str]) -> set[str]:
    """The parts that hold worksheets: the usual folder, and any part the package's content
    types declare as a worksheet (a renamed part would otherwise escape the size check)."""
    sheets = {n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    if "[Content_Types].xml" in names:
        info = zf.getinfo("[Content_Types].xml")
        if info.file_size > _XML_HEAD_BYTES * 256:
            raise ValueError("content types too large")
        for m in _OVERRIDE.finditer(zf.read(info)):
            name = _PART_NAME.search(m.group(0))
            if name and _SHEET_TYPE in m.group(0):
                sheets.add(name.group(1).decode("utf-8", "replace"))
    return sheets


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?\"")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData[\s>/]")
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _check_sheet_part(part: Any, head: bytes, path: Path, limits: Limits) -> None:
    """Refuse a sheet over the row or column limit from its declared size or, when it
    declares none (openpyxl would then parse the whole sheet just to size it), by counting
    its rows in the compressed stream, which takes well under a second for a million rows."""
    data_at = _SHEET_DATA.search(head)
    dim = _DIMENSION.search(head, 0, data_at.start() if data_at else len(head))
    if dim is not None and (dim.group(2) or dim.group(4)):
        rows = int(dim.group(4) or dim.group(2))
        cols = _column_number(dim.group(3) or dim.group(1) or b"A")
        if rows > limits.max_rows + _HEADER_ALLOWANCE:
            raise too_many_rows(path, limits, rows)
        if cols > limits.max_columns + _COLUMN_ALLOWANCE:
            raise too_many_columns(path, limits, cols)
        return
    limit = limits.max_rows + _HEADER_ALLOWANCE
    count, buf = 0, head
    while True:
        chunk = part.read(1 << 20)
        # A row tag is shorter than 16 bytes: one starting in the last 16 bytes of the
        # buffer may be cut, so it is counted with the next chunk instead.
        cut = len(buf) - 16 if chunk else len(buf)
        count += sum(1 for m in _ROW.finditer(buf) if m.start() < cut)
        if count > limit:
            break
        if not chunk:
            return
        buf = buf[max(cut, 0) :] + chunk
    raise too_many_rows(path, limits)


def open_workbook(path: Path, limits: Limits, *, formulas: bool = False) -> Any:
    """Check the package, then open it with openpyxl read-only: the values Excel last
    computed, or with ``formulas`` the text of a formula cell ("=A1+1") so that the reader
    can refuse it by name instead of reading an empty cell.
    The caller closes the workbook (``wb.close()``)."""
    check_xlsx_package(path, limits)
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=not formulas)
    except Exception as exc:  # openpyxl / defusedxml errors of a damaged or hostile file
        raise malformed(path) from exc


def check_sheet_size(ws: Any, path: Path, limits: Limits) -> None:
    """Refuse a sheet whose declared size is over the limits (nothing is read yet)."""
    try:
        max_row, max_col = ws.max_row, ws.max_column
    except Exception as exc:
        raise malformed(path) from exc
    if max_row is not None and max_row > limits.max_rows + _HEADER_ALLOWANCE:
        raise too_many_rows(path, limits, max_row)
    if max_col is not None and max_col > limits.max_columns + _COLUMN_ALLOWANCE:
        raise too_many_columns(path, limits, max_col)


# Title rows above the header and blank trailing columns do not count against the limits.
_HEADER_ALLOWANCE = 50
_COLUMN_ALLOWANCE = 20


def sheet_rows(ws: Any, path: Path, limits: Limits) -> Iterator[list[Any]]:
    """The rows of ``ws`` as lists (at most ``max_columns + allowance`` cells each), after the
    size check; stops with a refusal as soon as there are too many rows."""
    check_sheet_size(ws, path, limits)
    width = limits.max_columns + _COLUMN_ALLOWANCE
    count = 0
    try:
        # The declared width was checked above; a sheet that declares none is cut here.
        for row in ws.iter_rows(values_only=True):
            count += 1
            if count > limits.max_rows + _HEADER_ALLOWANCE:
                raise too_many_rows(path, limits)
            yield list(row[:width])
    except UserError:
        raise
    except Exception as exc:  # malformed sheet XML
        raise malformed(path) from exc


def read_csv_text(path: Path) -> str:
    """The text of a .csv: UTF-8 (with or without BOM), else Vietnamese Windows cp1258."""
    raw = Path(path).read_bytes()
    if b"\x00" in raw[:4096]:
        raise UserError(
            f"Tệp “{path.name}” không phải tệp văn bản CSV (có thể là tệp Excel bị đổi đuôi).",
            f"“{path.name}” is not a CSV text file (maybe a renamed Excel file).",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1258", errors="replace")


def csv_rows(text: str, delimiter: str, path: Path, limits: Limits) -> list[list[str]]:
    """Rows of CSV text with the row, column and field-length limits."""
    old = csv.field_size_limit()
    csv.field_size_limit(limits.max_field_chars)
    out: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(out) >= limits.max_rows + _HEADER_ALLOWANCE:
                raise too_many_rows(path, limits)
            if len(row) > limits.max_columns + _COLUMN_ALLOWANCE and any(
                c.strip() for c in row[limits.max_columns + _COLUMN_ALLOWANCE :]
            ):
                raise too_many_columns(path, limits, len(row))
            out.append(row[: limits.max_columns + _COLUMN_ALLOWANCE])
    except csv.Error as exc:
        raise UserError(
            f"Tệp CSV “{path.name}” sai định dạng hoặc có ô quá dài (tối đa "
            f"{_n(limits.max_field_chars)} ký tự một ô).",
            f"The CSV file “{path.name}” is malformed or has an over-long cell (at most "
            f"{_n(limits.max_field_chars)} characters per cell).",
        ) from exc
    finally:
        csv.field_size_limit(old)
    return out


# Text starting with these is taken for a formula by Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@")


def refuse_unsafe_text(
    value: Any, where_vi: str, where_en: str, label_vi: str, label_en: str
) -> None:
    """Refuse a name read from a file that a spreadsheet would take for a formula (it would
    turn live in every workbook the app exports) or that holds control characters (tabs,
    line breaks, invisible codes). ``where_*`` is e.g. "dòng 7" / "row 7"."""
    if not isinstance(value, str):
        return
    text = value.strip(" ")
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise UserError(
            f"{where_vi.capitalize()}: {label_vi} có ký tự điều khiển (tab, xuống dòng hoặc ký tự "
            "ẩn). Hãy gõ lại tên trên một dòng rồi chọn lại tệp.",
            f"{where_en.capitalize()}: the {label_en} holds control characters (a tab, a line "
            "break or an invisible code). Type the name again on one line and choose the file again.",
        )
    if text.startswith(FORMULA_STARTS):
        raise UserError(
            f"{where_vi.capitalize()}: {label_vi} “{text[:40]}” trông như công thức Excel (bắt "
            "đầu bằng =, +, - hoặc @). Hãy sửa lại tên cho đúng rồi chọn lại tệp.",
            f"{where_en.capitalize()}: the {label_en} “{text[:40]}” looks like an Excel formula "
            "(it starts with =, +, - or @). Correct the name and choose the file again.",
        )
