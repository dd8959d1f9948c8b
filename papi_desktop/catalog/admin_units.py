"""The list of administrative units: 34 provinces and their communes after the 2025 reform.

The app ships ``data/admin_units.json`` (made by ``scripts/gen_admin_units.py`` from the
National Statistics Office list). A newer list can be imported offline from our own JSON
format or from the NSO "danh mục hành chính" export as .csv or .xlsx. ``search`` finds
communes by name without caring about tones or case, e.g. "ninh hoa khanh hoa".

Everything here is pure: no database, no UI.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from papi_desktop.domain.text import fold
from papi_desktop.errors import UserError
from papi_desktop.import_guard import (
    Limits,
    check_file,
    csv_rows,
    open_workbook,
    read_csv_text,
    refuse_unsafe_text,
    sheet_rows,
)

CATALOG_ID = "admin-units"
PROVINCE_TYPES = ("tinh", "thanh-pho-trung-uong")
COMMUNE_TYPES = ("xa", "phuong", "dac-khu")
PROVINCE_CODE_WIDTH = 2
COMMUNE_CODE_WIDTH = 5

# The header row of an NSO export may sit below a few title rows.
_HEADER_SEARCH_ROWS = 30
# The NSO list held about 10,600 communes before the 2025 merger and 3,321 after it.
UNIT_LIST_LIMITS = Limits(
    max_bytes=20 * 1024 * 1024,
    max_rows=20_000,
    max_columns=40,
    what_vi="danh sách đơn vị hành chính",
    what_en="the unit list",
)
_MAX_SHOWN_HEADERS = 12


@dataclass(frozen=True)
class AdminUnitList:
    """A complete unit list; treat the lists as read-only (``search`` caches an index on them)."""

    version: str
    source: str
    provinces: list[dict]
    communes: list[dict]
    _index: list[tuple[str, ...]] | None = field(
        default=None, init=False, repr=False, compare=False
    )


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


# --- shipped list and our own JSON format ----------------------------------------------------


def load_shipped() -> AdminUnitList:
    """Load the list that ships with the app."""
    text = resources.files("papi_desktop.catalog").joinpath("data/admin_units.json")
    data = json.loads(text.read_text(encoding="utf-8"))
    return _from_catalog_dict(data, "admin_units.json", version=None)


def _from_catalog_dict(data: Any, file_name: str, version: str | None) -> AdminUnitList:
    if not isinstance(data, dict) or data.get("catalog") != CATALOG_ID:
        raise UserError(
            f'Tệp "{file_name}" không phải danh sách đơn vị hành chính của PAPI Desktop '
            f'(thiếu "catalog": "{CATALOG_ID}"). Hãy chọn đúng tệp JSON danh sách, '
            "hoặc tệp .csv / .xlsx tải từ danhmuchanhchinh.nso.gov.vn.",
            f'"{file_name}" is not a PAPI Desktop unit list (no "catalog": "{CATALOG_ID}"). '
            "Choose the right JSON list, or a .csv / .xlsx export from danhmuchanhchinh.nso.gov.vn.",
        )
    missing = [
        key
        for key, kind in (("version", str), ("provinces", list), ("communes", list))
        if not isinstance(data.get(key), kind)
    ]
    if missing:
        names = ", ".join(missing)
        raise UserError(
            f'Tệp "{file_name}" thiếu hoặc sai trường: {names}. Hãy tạo lại tệp bằng '
            "scripts/gen_admin_units.py hoặc dùng bản xuất của NSO.",
            f'"{file_name}" is missing or has a wrong field: {names}. Regenerate it with '
            "scripts/gen_admin_units.py or use the NSO export.",
        )
    provinces: list[dict] = []
    for i, row in enumerate(data["provinces"]):
        where_vi, where_en = f"tỉnh thứ {i + 1}", f"province entry {i + 1}"
        row = _require_dict(row, file_name, where_vi, where_en)
        code = _parse_code(row.get("code"), PROVINCE_CODE_WIDTH, "mã tỉnh", where_vi, where_en)
        name = _require_name(row.get("name"), "tên tỉnh", where_vi, where_en)
        kind = row.get("type")
        if kind not in PROVINCE_TYPES:
            kind = _province_type_from_name(name, where_vi, where_en)
        provinces.append({"code": code, "name": name, "type": kind})
    communes: list[dict] = []
    for i, row in enumerate(data["communes"]):
        where_vi, where_en = f"xã thứ {i + 1}", f"commune entry {i + 1}"
        row = _require_dict(row, file_name, where_vi, where_en)
        code = _parse_code(row.get("code"), COMMUNE_CODE_WIDTH, "mã xã", where_vi, where_en)
        name = _require_name(row.get("name"), "tên xã", where_vi, where_en)
        province_code = _parse_code(
            row.get("province_code"), PROVINCE_CODE_WIDTH, "mã tỉnh", where_vi, where_en
        )
        kind = row.get("type")
        if kind not in COMMUNE_TYPES:
            kind = _commune_type(None, name, where_vi, where_en)
        communes.append({"code": code, "name": name, "type": kind, "province_code": province_code})
    return _finish(
        version or _clean(data["version"]),
        _clean(str(data.get("source") or file_name)),
        provinces,
        communes,
        [f"tỉnh thứ {i + 1}" for i in range(len(provinces))],
        [f"xã thứ {i + 1}" for i in range(len(communes))],
        file_name,
    )


def _require_dict(row: Any, file_name: str, where_vi: str, where_en: str) -> dict:
    if not isinstance(row, dict):
        raise UserError(
            f'Tệp "{file_name}": {where_vi} không đúng dạng (cần một đối tượng JSON).',
            f'"{file_name}": {where_en} has the wrong shape (a JSON object is needed).',
        )
    return row


# --- NSO export (.csv / .xlsx) ---------------------------------------------------------------


def parse_unit_list_file(
    path: Path, version: str | None = None, *, today: dt.date | None = None
) -> AdminUnitList:
    """Read a newer unit list: our JSON format, or the NSO export as .csv or .xlsx.

    ``version`` names the list (e.g. "2026-10-01"); without it a JSON file keeps its own
    version and a CSV/xlsx file is named for ``today`` (the app's one clock, never the PC's
    file dates). Bad input raises ``UserError``.
    """
    path = Path(path)
    if not path.is_file():
        raise UserError(
            f'Không tìm thấy tệp "{path}". Hãy chọn lại tệp danh sách.',
            f'File "{path}" not found. Choose the list file again.',
        )
    suffix = path.suffix.lower()
    if suffix in (".json", ".csv", ".xlsx") and path.stat().st_size > 0:
        check_file(path, (".json", ".csv", ".xlsx"), UNIT_LIST_LIMITS)
    if suffix not in (".json", ".csv", ".xlsx"):
        raise UserError(
            f'Tệp "{path.name}" có dạng "{suffix or "không có đuôi"}" không đọc được. '
            "Hãy dùng tệp .xlsx hoặc .csv tải từ danhmuchanhchinh.nso.gov.vn, hoặc tệp .json "
            "của PAPI Desktop (tệp .xls cũ: mở bằng Excel rồi lưu lại thành .xlsx).",
            f'"{path.name}" has type "{suffix or "no extension"}", which cannot be read. Use an '
            ".xlsx or .csv export from danhmuchanhchinh.nso.gov.vn, or a PAPI Desktop .json file "
            "(for an old .xls file: open it in Excel and save it as .xlsx).",
        )
    if path.stat().st_size == 0:
        raise _empty_file(path.name)
    if suffix == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            where_vi = where_en = ""
            if isinstance(exc, json.JSONDecodeError):
                where_vi = f" (lỗi ở dòng {exc.lineno}, cột {exc.colno})"
                where_en = f" (error at line {exc.lineno}, column {exc.colno})"
            raise UserError(
                f'Tệp "{path.name}" không phải JSON hợp lệ{where_vi}. Hãy tạo lại hoặc tải lại tệp.',
                f'"{path.name}" is not valid JSON{where_en}. Regenerate or download it again.',
            ) from exc
        return _from_catalog_dict(data, path.name, version=_clean(version) if version else None)
    rows = _read_csv_rows(path) if suffix == ".csv" else _read_xlsx_rows(path)
    if version is None:
        version = today.isoformat() if today else ""
    return _from_table(rows, path.name, _clean(version))


def _empty_file(file_name: str) -> UserError:
    return UserError(
        f'Tệp "{file_name}" trống, không có đơn vị hành chính nào. Hãy tải lại danh sách đầy đủ.',
        f'"{file_name}" is empty: it holds no administrative units. Download the full list again.',
    )


def _read_csv_rows(path: Path) -> list[tuple[int, list[Any]]]:
    # Excel's plain "CSV" on a Vietnamese Windows uses the ANSI code page 1258.
    text = read_csv_text(path)
    # Title rows above the header have no delimiters, so count over the first lines.
    head = "\n".join(text.splitlines()[:_HEADER_SEARCH_ROWS])
    delimiter = max(",;\t", key=head.count)
    return list(enumerate(csv_rows(text, delimiter, path, UNIT_LIST_LIMITS), 1))


def _read_xlsx_rows(path: Path) -> list[tuple[int, list[Any]]]:
    wb = open_workbook(path, UNIT_LIST_LIMITS, formulas=True)
    try:
        best: list[tuple[int, list[Any]]] = []
        for ws in wb.worksheets:
            rows = list(enumerate(sheet_rows(ws, path, UNIT_LIST_LIMITS), 1))
            if _find_header(rows) is not None:
                return rows
            if not best and any(_non_blank(values) for _, values in rows):
                best = rows
        return best
    finally:
        wb.close()


def _non_blank(values: Sequence[Any]) -> bool:
    return any(_cell_text(v) for v in values)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _clean(str(value))


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def _is_province_code(key: str) -> bool:
    return key.startswith("ma") and ("tinh" in key or key[2:] in ("tp", "ttp"))


def _is_province_name(key: str) -> bool:
    return key.removeprefix("ten").startswith("tinh")


def _is_commune_code(key: str) -> bool:
    return key.startswith("ma") and key[2:].startswith(("xa", "phuong", "px"))


def _is_commune_name(key: str) -> bool:
    return key.removeprefix("ten").startswith(("xa", "phuong"))


def _is_level(key: str) -> bool:
    return key in ("cap", "capdonvi", "caphanhchinh", "loai", "loaidonvi", "loaihinh")


_ROLES = {
    "province_code": _is_province_code,
    "province_name": _is_province_name,
    "commune_code": _is_commune_code,
    "commune_name": _is_commune_name,
    "level": _is_level,
}
_REQUIRED = {
    "province_code": ("Mã tỉnh/TP", "province code"),
    "province_name": ("Tỉnh / Thành phố", "province name"),
    "commune_code": ("Mã xã", "commune code"),
    "commune_name": ("Tên xã", "commune name"),
}


def _match_header(values: Sequence[Any]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, value in enumerate(values):
        key = _header_key(_cell_text(value))
        if not key:
            continue
        for role, test in _ROLES.items():
            if role not in columns and test(key):
                columns[role] = index
                break
    return columns


def _find_header(rows: list[tuple[int, list[Any]]]) -> tuple[int, dict[str, int]] | None:
    for position, (_, values) in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        columns = _match_header(values)
        if all(role in columns for role in _REQUIRED):
            return position, columns
    return None


def _from_table(rows: list[tuple[int, list[Any]]], file_name: str, version: str) -> AdminUnitList:
    if not any(_non_blank(values) for _, values in rows):
        raise _empty_file(file_name)
    found = _find_header(rows)
    if found is None:
        # Report against the row that looks most like a header.
        first = max(
            (values for _, values in rows[:_HEADER_SEARCH_ROWS]),
            key=lambda values: (len(_match_header(values)), len([v for v in values if v])),
        )
        have = _match_header(first)
        missing = [names for role, names in _REQUIRED.items() if role not in have]
        headers = [_cell_text(v) for v in first if _cell_text(v)][:_MAX_SHOWN_HEADERS]
        shown = ", ".join(f'"{h}"' for h in headers)
        raise UserError(
            f'Tệp "{file_name}" thiếu cột: {", ".join(vi for vi, _ in missing)}. '
            f"Dòng tiêu đề có: {shown}. Cần ít nhất mã và tên tỉnh, mã và tên xã; "
            "hãy tải lại danh mục từ danhmuchanhchinh.nso.gov.vn hoặc sửa tên cột.",
            f'"{file_name}" is missing columns: {", ".join(en for _, en in missing)} '
            f"({', '.join(vi for vi, _ in missing)}). The header row has: {shown}. At least "
            "province code and name and commune code and name are needed; download the list "
            "again from danhmuchanhchinh.nso.gov.vn or fix the column names.",
        )
    header_position, columns = found

    def cell(values: list[Any], role: str) -> Any:
        index = columns.get(role)
        return values[index] if index is not None and index < len(values) else None

    provinces: dict[str, dict] = {}
    province_rows: dict[str, str] = {}
    communes: list[dict] = []
    commune_rows: list[str] = []
    for number, values in rows[header_position + 1 :]:
        if not _non_blank(values):
            continue
        where_vi, where_en = f"dòng {number}", f"row {number}"
        p_code = _parse_code(
            cell(values, "province_code"), PROVINCE_CODE_WIDTH, "mã tỉnh", where_vi, where_en
        )
        p_name = _require_name(cell(values, "province_name"), "tên tỉnh", where_vi, where_en)
        c_code = _parse_code(
            cell(values, "commune_code"), COMMUNE_CODE_WIDTH, "mã xã", where_vi, where_en
        )
        c_name = _require_name(cell(values, "commune_name"), "tên xã", where_vi, where_en)
        c_type = _commune_type(_cell_text(cell(values, "level")), c_name, where_vi, where_en)
        known = provinces.get(p_code)
        if known is None:
            provinces[p_code] = {
                "code": p_code,
                "name": p_name,
                "type": _province_type_from_name(p_name, where_vi, where_en),
            }
            province_rows[p_code] = where_vi
        elif known["name"] != p_name:
            raise UserError(
                f'Tệp "{file_name}", {where_vi}: mã tỉnh {p_code} ghi là "{p_name}" nhưng ở '
                f'{province_rows[p_code]} là "{known["name"]}". Hãy sửa cho thống nhất.',
                f'"{file_name}", {where_en}: province code {p_code} is "{p_name}" here but '
                f'"{known["name"]}" at {_en(province_rows[p_code])}. '
                "Make them agree.",
            )
        communes.append({"code": c_code, "name": c_name, "type": c_type, "province_code": p_code})
        commune_rows.append(where_vi)
    if not communes:
        raise _empty_file(file_name)
    return _finish(
        version,
        file_name,
        list(provinces.values()),
        communes,
        list(province_rows.values()),
        commune_rows,
        file_name,
    )


# --- shared checks -------------------------------------------------------------------------


def _parse_code(value: Any, width: int, label: str, where_vi: str, where_en: str) -> str:
    label_en = "province code" if label == "mã tỉnh" else "commune code"
    text = _cell_text(value)
    if not text:
        raise UserError(
            f"{where_vi.capitalize()}: {label} trống. Mỗi dòng cần có {label}; hãy điền "
            "hoặc xoá dòng đó.",
            f"{where_en.capitalize()}: the {label_en} is empty. Every row needs one; fill it "
            "in or delete the row.",
        )
    if not text.isascii() or not text.isdigit():
        raise UserError(
            f'{where_vi.capitalize()}: {label} "{text}" không phải là số. Mã phải gồm các chữ '
            "số, ví dụ 01 hoặc 00004.",
            f'{where_en.capitalize()}: the {label_en} "{text}" is not a number. Codes are '
            "digits only, e.g. 01 or 00004.",
        )
    if len(text) > width:
        raise UserError(
            f'{where_vi.capitalize()}: {label} "{text}" dài hơn {width} chữ số, không phải mã '
            "của Cục Thống kê. Hãy dùng danh mục từ danhmuchanhchinh.nso.gov.vn.",
            f'{where_en.capitalize()}: the {label_en} "{text}" has more than {width} digits, so '
            "it is not a National Statistics Office code. Use the danhmuchanhchinh.nso.gov.vn list.",
        )
    return text.zfill(width)


def _require_name(value: Any, label: str, where_vi: str, where_en: str) -> str:
    label_en = "province name" if label == "tên tỉnh" else "commune name"
    refuse_unsafe_text(value, where_vi, where_en, label, label_en)
    name = _cell_text(value)
    if not name:
        raise UserError(
            f"{where_vi.capitalize()}: {label} trống. Hãy điền tên hoặc xoá dòng đó.",
            f"{where_en.capitalize()}: the {label_en} is empty. Fill it in or delete the row.",
        )
    return name


def _province_type_from_name(name: str, where_vi: str, where_en: str) -> str:
    folded = fold(name)
    if folded.startswith("tinh "):
        return "tinh"
    if folded.startswith("thanh pho "):
        return "thanh-pho-trung-uong"
    raise UserError(
        f'{where_vi.capitalize()}: tên tỉnh "{name}" phải bắt đầu bằng "Tỉnh" hoặc "Thành phố" '
        "như trong danh mục của Cục Thống kê.",
        f'{where_en.capitalize()}: the province name "{name}" must start with "Tỉnh" or '
        '"Thành phố", as in the National Statistics Office list.',
    )


_COMMUNE_TYPE_WORDS = (("dac khu", "dac-khu"), ("phuong", "phuong"), ("xa", "xa"))


def _commune_type(level: str | None, name: str, where_vi: str, where_en: str) -> str:
    for text in (level or "", name):
        folded = fold(text)
        for word, kind in _COMMUNE_TYPE_WORDS:
            if folded == word or folded.startswith(word + " "):
                return kind
    raise UserError(
        f'{where_vi.capitalize()}: không biết "{name}" là xã, phường hay đặc khu. Hãy điền cột '
        '"Cấp" (Xã / Phường / Đặc khu) hoặc để tên bắt đầu bằng Xã, Phường hay Đặc khu.',
        f'{where_en.capitalize()}: cannot tell whether "{name}" is a xã, phường or đặc khu. Fill '
        'in the "Cấp" column (Xã / Phường / Đặc khu) or start the name with Xã, Phường or Đặc khu.',
    )


def _first_duplicate(codes: Iterable[str], places: Sequence[str]) -> tuple[str, str, str] | None:
    seen: dict[str, str] = {}
    for code, place in zip(codes, places, strict=True):
        if code in seen:
            return code, seen[code], place
        seen[code] = place
    return None


def _finish(
    version: str,
    source: str,
    provinces: list[dict],
    communes: list[dict],
    province_places: Sequence[str],
    commune_places: Sequence[str],
    file_name: str,
) -> AdminUnitList:
    if not version:
        raise UserError(
            f'Tệp "{file_name}" không ghi phiên bản danh sách. Hãy nhập phiên bản, ví dụ 2026-10-01.',
            f'"{file_name}" has no list version. Give one, e.g. 2026-10-01.',
        )
    if not communes:
        raise _empty_file(file_name)
    for rows, places, label_vi, label_en in (
        (provinces, province_places, "mã tỉnh", "province code"),
        (communes, commune_places, "mã xã", "commune code"),
    ):
        duplicate = _first_duplicate((row["code"] for row in rows), places)
        if duplicate:
            code, first, second = duplicate
            raise UserError(
                f'Tệp "{file_name}": {label_vi} {code} bị trùng ({first} và {second}). '
                "Mỗi mã chỉ được xuất hiện một lần; hãy tải lại danh mục gốc.",
                f'"{file_name}": {label_en} {code} appears twice ({_en(first)} and '
                f"{_en(second)}). Each code may appear only once; download the original list again.",
            )
    province_codes = {row["code"] for row in provinces}
    for row, place in zip(communes, commune_places, strict=True):
        if row["province_code"] not in province_codes:
            raise UserError(
                f'Tệp "{file_name}", {place}: "{row["name"]}" thuộc mã tỉnh '
                f"{row['province_code']} nhưng danh sách không có tỉnh này.",
                f'"{file_name}", {_en(place)}: "{row["name"]}" belongs to province code '
                f"{row['province_code']}, which is not in the list.",
            )
    return AdminUnitList(
        version=version,
        source=source,
        provinces=sorted(provinces, key=lambda row: row["code"]),
        communes=sorted(communes, key=lambda row: row["code"]),
    )


def _en(place_vi: str) -> str:
    return (
        place_vi.replace("dòng", "row")
        .replace("tỉnh thứ", "province entry")
        .replace("xã thứ", "commune entry")
    )


# --- search --------------------------------------------------------------------------------


_TYPE_PREFIXES = ("thanh pho ", "tinh ", "dac khu ", "phuong ", "xa ")


def _search_fold(text: str) -> str:
    return fold(text.replace(",", " "))


def _without_type(folded: str) -> str:
    for prefix in _TYPE_PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


def _build_index(units: AdminUnitList) -> list[tuple[str, ...]]:
    province_forms: dict[str, tuple[str, str]] = {}
    for province in units.provinces:
        full = _search_fold(province["name"])
        province_forms[province["code"]] = (full, _without_type(full))
    index = []
    for commune in units.communes:
        full = _search_fold(commune["name"])
        bare = _without_type(full)
        p_full, p_bare = province_forms.get(commune["province_code"], ("", ""))
        combined = [f"{a} {b}" for a in (full, bare) for b in (p_full, p_bare) if b]
        index.append((full, bare, *combined))
    return index


def _match_rank(query: str, word_start: str, forms: Sequence[str]) -> int | None:
    if query in forms:
        return 0
    if any(form.startswith(query) or word_start in form for form in forms):
        return 2
    if any(query in form for form in forms):
        return 4
    return None


def search(units: AdminUnitList, text: str, limit: int = 20) -> list[dict]:
    """Find communes by name, ignoring tones and case; "commune, province" also works.

    Exact matches come first, then names where the text starts a word, then any substring.
    """
    query = _search_fold(text)
    if not query or limit <= 0:
        return []
    if units._index is None or len(units._index) != len(units.communes):
        object.__setattr__(units, "_index", _build_index(units))
    assert units._index is not None
    province_names = {p["code"]: p["name"] for p in units.provinces}
    word_start = " " + query
    ranked: list[tuple[int, str, str, dict]] = []
    for commune, forms in zip(units.communes, units._index, strict=True):
        rank = _match_rank(query, word_start, forms[:2])
        if rank is None:
            rank = _match_rank(query, word_start, forms[2:])
            if rank is None:
                continue
            rank += 1  # a match that needs the province name ranks just below the name alone
        ranked.append((rank, forms[1], commune["code"], commune))
    ranked.sort(key=lambda item: item[:3])
    return [
        {
            "code": commune["code"],
            "name": commune["name"],
            "type": commune["type"],
            "province_code": commune["province_code"],
            "province_name": province_names.get(commune["province_code"], ""),
        }
        for *_, commune in ranked[:limit]
    ]
