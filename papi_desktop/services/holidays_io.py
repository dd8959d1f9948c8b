"""The days-off calendar: where it came from, how far it goes, and importing a year's list
from an Excel workbook (for a commune with no supervising office to publish it by USB).

A workbook replaces the whole list of every year it covers: the official notice of a year
lists all its days off, so a day of that year missing from the file is removed. Days of
years the file does not cover are never touched, and the answer says per year what is
added, changed and removed. The file goes through the same guards as every other import
(``import_guard``: size, macros, damaged packages, formula-like text). The file is
checked completely before anything is written; one bad row refuses the whole file and
names the row.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from papi_desktop.domain.calendar import HOLIDAY_KINDS
from papi_desktop.domain.dates import format_date, parse_date
from papi_desktop.domain.text import fold, nfc
from papi_desktop.errors import UserError
from papi_desktop.import_guard import (
    Limits,
    check_file,
    open_workbook,
    refuse_unsafe_text,
    sheet_rows,
)
from papi_desktop.services.context import AppContext
from papi_desktop.store import rows

MAX_ROWS = 400  # a year has at most about 25 rows; several years fit easily
HOLIDAY_LIMITS = Limits(
    max_bytes=5_000_000,
    max_rows=MAX_ROWS,
    max_columns=20,
    what_vi="danh sách ngày nghỉ",
    what_en="a days-off list",
)
_TEXT_FIELDS = (
    ("name_vi", "tên ngày nghỉ", "day-off name"),
    ("name_en", "tên tiếng Anh", "English name"),
    ("legal_basis", "căn cứ", "legal basis"),
)

# Column headings accepted (folded, so "Ngày", "ngay", "NGÀY" all match).
_HEADINGS = {
    "day": ("ngay", "date", "day"),
    "kind": ("loai", "kind", "type"),
    "name_vi": ("ten", "ten ngay nghi", "name_vi", "ten (tieng viet)"),
    "name_en": ("name", "name_en", "ten tieng anh", "english name"),
    "legal_basis": ("can cu", "legal_basis", "legal basis", "van ban"),
    "provisional": ("tam tinh", "provisional", "du kien"),
}
_KIND_WORDS = {
    "holiday": ("holiday", "ngay le", "le"),
    "tet": ("tet", "nghi tet", "tet nguyen dan"),
    "compensatory": ("compensatory", "nghi bu"),
    "swap-off": ("swap-off", "nghi hoan doi", "hoan doi"),
    "swap-work": ("swap-work", "lam bu", "di lam bu"),
}
_YES = ("co", "x", "yes", "1", "true", "tam tinh", "du kien")
_NO = ("", "khong", "no", "0", "false")


def _refuse(vi: str, en: str) -> UserError:
    return UserError(vi + " Không có gì được thay đổi.", en + " Nothing was changed.")


def _kind(text: str, row: int) -> str:
    key = fold(text).strip()
    for kind, words in _KIND_WORDS.items():
        if key in words:
            return kind
    raise _refuse(
        f"Dòng {row}: loại ngày “{text}” không hợp lệ; dùng: {', '.join(HOLIDAY_KINDS)}"
        " (hoặc: ngày lễ, nghỉ Tết, nghỉ bù, nghỉ hoán đổi, làm bù).",
        f"Row {row}: unknown kind “{text}”; use one of: {', '.join(HOLIDAY_KINDS)}.",
    )


def _day(value: Any, row: int) -> date:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        day = value
    else:
        try:
            day = parse_date(str(value or "").strip())
        except UserError:
            raise _refuse(
                f"Dòng {row}: ngày “{value}” không đọc được; viết dd/mm/yyyy.",
                f"Row {row}: cannot read the date “{value}”; write dd/mm/yyyy.",
            ) from None
    if not 2000 <= day.year <= 2100:
        raise _refuse(
            f"Dòng {row}: năm {day.year} nằm ngoài khoảng 2000–2100.",
            f"Row {row}: year {day.year} is outside 2000–2100.",
        )
    return day


def read_holidays_xlsx(path: Path) -> list[dict[str, Any]]:
    """The rows of a days-off workbook (first sheet, headings on the first row)."""
    path = Path(path)
    check_file(path, (".xlsx",), HOLIDAY_LIMITS)
    wb = open_workbook(path, HOLIDAY_LIMITS, formulas=True)
    try:
        ws = wb.worksheets[0]
        lines = iter(sheet_rows(ws, path, HOLIDAY_LIMITS))
        header = next(lines, None) or ()
        columns: dict[str, int] = {}
        for i, cell in enumerate(header):
            key = fold(str(cell or "")).strip()
            for field, names in _HEADINGS.items():
                if key in names and field not in columns:
                    columns[field] = i
        if "day" not in columns or "kind" not in columns or "name_vi" not in columns:
            raise _refuse(
                f"Tệp {path.name} thiếu cột: dòng đầu phải có các cột Ngày, Loại, Tên"
                " (có thể thêm Name, Căn cứ, Tạm tính).",
                f"{path.name} lacks columns: the first row must name Ngày, Loại, Tên"
                " (optionally Name, Căn cứ, Tạm tính).",
            )
        out: list[dict[str, Any]] = []
        seen: dict[date, int] = {}
        for n, line in enumerate(lines, start=2):

            def get(field: str, line: tuple = line) -> Any:
                i = columns.get(field)
                return line[i] if i is not None and i < len(line) else None

            if all(v in (None, "") for v in line):
                continue
            if len(out) >= MAX_ROWS:
                raise _refuse(
                    f"Tệp có hơn {MAX_ROWS} dòng ngày nghỉ; hãy kiểm tra lại tệp.",
                    f"The file has more than {MAX_ROWS} rows; check it.",
                )
            day = _day(get("day"), n)
            if day in seen:
                raise _refuse(
                    f"Dòng {n}: ngày {format_date(day)} đã có ở dòng {seen[day]}.",
                    f"Row {n}: {format_date(day)} is already on row {seen[day]}.",
                )
            seen[day] = n
            kind = _kind(str(get("kind") or ""), n)
            for field, label_vi, label_en in _TEXT_FIELDS:
                refuse_unsafe_text(get(field), f"dòng {n}", f"row {n}", label_vi, label_en)
            name = nfc(str(get("name_vi") or "").strip())
            if not name or len(name) > 200:
                raise _refuse(
                    f"Dòng {n}: thiếu tên ngày nghỉ (hoặc tên dài quá 200 ký tự).",
                    f"Row {n}: the name is missing (or longer than 200 characters).",
                )
            if kind == "swap-work" and day.weekday() != 5:
                raise _refuse(
                    f"Dòng {n}: ngày làm bù {format_date(day)} không phải thứ Bảy.",
                    f"Row {n}: the make-up working day {format_date(day)} is not a Saturday.",
                )
            prov = fold(str(get("provisional") or "")).strip()
            if prov not in _YES and prov not in _NO:
                raise _refuse(
                    f"Dòng {n}: cột Tạm tính chỉ nhận “có” hoặc để trống.",
                    f"Row {n}: the Provisional column takes “yes” or nothing.",
                )
            out.append(
                {
                    "day": day.isoformat(),
                    "kind": kind,
                    "name_vi": name,
                    "name_en": nfc(str(get("name_en") or "").strip())[:200],
                    "legal_basis": nfc(str(get("legal_basis") or "").strip())[:300],
                    "provisional": 1 if prov in _YES else 0,
                }
            )
    finally:
        wb.close()
    if not out:
        raise _refuse(
            f"Tệp {path.name} không có dòng ngày nghỉ nào.", f"{path.name} has no days-off rows."
        )
    return out


_COMPARED = ("kind", "name_vi", "name_en", "legal_basis", "provisional")


def import_holidays(
    ctx: AppContext, path: Path, *, dry_run: bool = False, allow_remove: bool = False
) -> dict[str, Any]:
    """Replace the days off of every year the workbook covers (other years are not touched);
    return what changed (``added``, ``changed``, ``removed``, ``unchanged`` lists of ISO
    days, in all and in ``per_year``). ``dry_run`` computes the same answer and writes
    nothing. A file that keeps fewer than half of a year's days off here (one row typed for
    2027 would drop Tết) is refused unless ``allow_remove``: it is a partial list, not the
    year's list."""
    ctx.require_site()
    found = read_holidays_xlsx(path)
    years = sorted({int(r["day"][:4]) for r in found})
    source = f"xlsx:{Path(path).name}"
    existing = {
        r["day"]: r
        for r in ctx.db.query(
            f"SELECT * FROM holiday WHERE substr(day, 1, 4) IN ({','.join('?' for _ in years)})",
            [str(y) for y in years],
        )
    }
    report: dict[str, Any] = {
        "years": years, "added": [], "changed": [], "removed": [], "unchanged": [],
        "dry_run": dry_run, "source": source,
    }  # fmt: skip
    wanted = {r["day"]: r for r in found}
    plan: list[tuple[str, str | None, dict[str, Any]]] = []
    for day, values in wanted.items():
        old = existing.get(day)
        if old is None:
            report["added"].append(day)
            plan.append(("insert", None, values))
        elif old["deleted"]:
            report["added"].append(day)
            plan.append(("restore", old["id"], values))
        elif any(old[k] != values[k] for k in _COMPARED):
            report["changed"].append(day)
            plan.append(("update", old["id"], values))
        else:
            report["unchanged"].append(day)
    for day, old in existing.items():
        if day not in wanted and not old["deleted"]:
            report["removed"].append(day)
            plan.append(("remove", old["id"], {}))
    report["per_year"] = [
        {
            "year": year,
            **{
                key: [d for d in report[key] if d.startswith(f"{year}-")]
                for key in ("added", "changed", "removed", "unchanged")
            },
        }
        for year in years
    ]
    if dry_run or not plan:
        return report
    if not allow_remove:
        for y in report["per_year"]:
            kept = len(y["added"]) + len(y["changed"]) + len(y["unchanged"])
            if y["removed"] and len(y["removed"]) > kept:
                raise UserError(
                    f"Tệp chỉ giữ {kept} ngày nghỉ của năm {y['year']}, máy này đang có "
                    f"{len(y['removed']) + len(y['changed']) + len(y['unchanged'])}: nạp sẽ bỏ "
                    f"{len(y['removed'])} ngày (kể cả Tết nếu có). Chưa ghi gì. Nếu tệp là danh "
                    "sách đầy đủ của năm đó, thêm --allow-remove; xem trước bằng --dry-run.",
                    f"The file keeps only {kept} days off of {y['year']}: importing would "
                    f"remove {len(y['removed'])} days (Tết included, if any). Nothing written. "
                    "If the file is that year's whole list, add --allow-remove; preview with "
                    "--dry-run.",
                )
    with ctx.db.transaction():
        for action, rid, values in plan:
            if action == "insert":
                rows.insert(ctx.db, "holiday", {**values, "source": source, "confidence": ""})
            elif action == "restore":
                rows.restore(ctx.db, "holiday", rid)
                rows.update(ctx.db, "holiday", rid, {**values, "source": source})
            elif action == "update":
                rows.update(ctx.db, "holiday", rid, {**values, "source": source})
            else:
                rows.tombstone(ctx.db, "holiday", rid)
    ctx.invalidate_calendar()
    return report


def calendar_versions(ctx: AppContext) -> list[dict[str, Any]]:
    """Per year: how many days off, whether provisional, where they came from (the
    catalogue shipped with the app, a workbook, this PC's user, or the office that
    published them by USB), and when and by whom they were last changed."""
    me = ctx.db.site_id
    peers = {
        r["site_id"]: r["unit_name"] or r["unit_code"] or r["site_id"][:8]
        for r in ctx.db.query("SELECT site_id, unit_name, unit_code FROM sync_peer")
    }
    out: dict[int, dict[str, Any]] = {}
    for r in ctx.db.query(
        "SELECT day, provisional, source, owner_site, updated_at, updated_by FROM holiday "
        "WHERE deleted = 0 ORDER BY day"
    ):
        y = int(r["day"][:4])
        v = out.setdefault(
            y,
            {"year": y, "days": 0, "provisional": False, "sources": set(), "publishers": set(),
             "updated_at": "", "updated_by": ""},
        )  # fmt: skip
        v["days"] += 1
        v["provisional"] = v["provisional"] or bool(r["provisional"])
        src = r["source"] or ""
        # Rows shipped with the app carry their legal source; a workbook or the user marks it.
        v["sources"].add(src if src.startswith("xlsx:") or src == "user" else "catalog")
        if r["owner_site"] == me:
            who = "this PC"
        elif r["owner_site"] in peers:
            who = peers[r["owner_site"]]
        else:
            who = r["owner_site"] or ""
        v["publishers"].add(who)
        if r["updated_at"] > v["updated_at"]:
            v["updated_at"], v["updated_by"] = r["updated_at"], r["updated_by"]
    catalog = ctx.db.one("SELECT version, loaded_at FROM catalog_version WHERE name = 'holidays'")
    result = []
    for y in sorted(out):
        v = out[y]
        v["sources"] = sorted(v["sources"])
        v["publishers"] = sorted(v["publishers"])
        v["catalog_version"] = catalog["version"] if catalog else ""
        result.append(v)
    return result
