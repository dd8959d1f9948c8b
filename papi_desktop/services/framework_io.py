"""Task frameworks in and out of Excel: the blank template, the export of the current
framework, and the import of a filled template (also used by the supervising office's
``framework publish``).

Import is three clean steps: ``read_framework_workbook(path)`` reads the file read-only
and checks each row on its own (missing text, bad due rule, duplicate code…);
``diff_framework(ctx, parsed)`` checks it against the catalogue and the current framework
(unknown dimension or sub-dimension code, same-or-older version) and says what would
change — it raises one ``UserError`` listing every error with its row number;
``apply_framework(ctx, parsed)`` writes the new framework in one transaction. Nothing is
written unless every row is valid. An upgrade keeps the answers of unchanged task codes
(results are keyed by task code), adds new tasks as not assessed and keeps the tasks that
disappeared as retired (read-only) rows.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from papi_desktop.domain.dates import parse_date
from papi_desktop.domain.periods import DueRule
from papi_desktop.domain.subdimensions import (
    OTHER,
    dump_criteria,
    join_codes,
    split_codes,
)
from papi_desktop.domain.task_levels import (
    accepted_words_vi,
    level_label,
    normal_level,
    parse_level,
)
from papi_desktop.domain.text import fold, nfc
from papi_desktop.errors import UserError
from papi_desktop.import_guard import Limits, check_file, open_workbook, sheet_rows
from papi_desktop.services import framework_checks, tasks
from papi_desktop.services.context import AppContext
from papi_desktop.store import rows
from papi_desktop.store.rows import deterministic_id

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TASKS = 2000
FRAMEWORK_LIMITS = Limits(
    max_bytes=MAX_FILE_BYTES,
    max_rows=MAX_TASKS + 100,  # a template has 100 blank input rows below the tasks
    max_columns=26,  # the template's columns and its hidden mark in column Z
    what_vi="bộ khung nhiệm vụ",
    what_en="a task framework",
)
RETIRED_COPY = ("code", "criterion_code", "dimension", "criteria", "title_vi", "title_en", "level", "lead_role", "partners",
                "due_rule", "output_vi", "output_en", "disclosure_type", "search_key")  # fmt: skip
CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,31}")
COMPARED = ("criterion", "title", "level", "lead", "partners", "due_rule", "output",
            "disclosure_type")  # fmt: skip


@dataclass(frozen=True)
class ParsedTask:
    row: int
    code: str
    dimension: str  # "" when the cell is empty (taken from the sub-dimensions, or "Khác")
    criteria: tuple[str, ...]  # the sub-dimension codes, possibly none
    title: str
    level: str
    lead: str
    partners: tuple[str, ...]
    due_rule: str
    output: str
    disclosure_type: str | None
    title_en: str = ""
    due_text: str = ""  # the cell as written, when in words rather than a rule code
    dimension_name: str = ""  # "Tên" of a "N - Tên" cell (a new index's catalogue)


@dataclass
class ParsedFramework:
    """A framework read from a workbook, with the row-level errors found while reading."""

    source: str
    index: str
    version: int | None
    title: str
    issuer: str
    decision_no: str
    decision_date: date | None
    years: str
    tasks: list[ParsedTask] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


# Versions count publications (1, 2, 3…); a larger number is a typo and would not fit the
# database's integer.
MAX_FW_VERSION = 9999


class FrameworkErrors(UserError):
    """Every problem found in a framework workbook (``errors``: one message per problem,
    with its row number); the message lists them all on one line."""

    def __init__(self, source: str, errors: list[str]) -> None:
        self.errors = errors
        joined = " ".join(e if e.endswith(".") else e + "." for e in errors)
        super().__init__(
            f"Không nạp bộ khung từ “{source}”: có {len(errors)} lỗi, chưa ghi gì. {joined}",
            f"Framework “{source}” not imported: {len(errors)} errors, nothing written. {joined}",
        )


# -- template and export ---------------------------------------------------------------


def _lists(ctx: AppContext, index: str = tasks.DEFAULT_INDEX):
    from papi_desktop.reports.xlsx.framework_template import FrameworkLists

    crit = tasks.criteria(ctx, index)
    roles: dict[str, None] = {}
    try:
        for t in tasks.framework_tasks(ctx, level=None, index=index):
            roles.setdefault(t.lead_role, None)
    except UserError:
        pass
    return FrameworkLists(
        dimensions=[f"{c['code']} - {c['name_vi']}" for c in crit if c["level"] == "dimension"],
        criteria=[c["code"] for c in crit if c["level"] == "subdimension"],
        roles=[r for r in roles if r],
        disclosure_types=[
            r[0]
            for r in ctx.db.query(
                "SELECT code FROM disclosure_type WHERE deleted = 0 ORDER BY code"
            )
        ],
    )


def _check_xlsx_output(path: Path) -> Path:
    from papi_desktop.services.reports import check_output

    return check_output(Path(path), (".xlsx",))


def write_template(ctx: AppContext, path: Path, index: str = tasks.DEFAULT_INDEX) -> Path:
    """The blank framework template of a checklist index with its drop-down lists."""
    from papi_desktop.reports.xlsx.framework_template import (
        FrameworkSheet,
        build_framework_workbook,
    )

    index = framework_checks.resolve_index(ctx, index)
    path = _check_xlsx_output(path)
    fw = None
    try:
        fw = tasks.current_framework(ctx, index)
    except UserError:
        pass
    meta = {"index": index, "version": str(fw["fw_version"] + 1) if fw else "1"}
    return build_framework_workbook(_lists(ctx, index), path, FrameworkSheet(meta=meta))


def export_framework(ctx: AppContext, path: Path, index: str = tasks.DEFAULT_INDEX) -> Path:
    """The current framework of a checklist index in the template layout, so a province can
    start from it."""
    from papi_desktop.reports.xlsx.framework_template import (
        FrameworkSheet,
        build_framework_workbook,
    )

    index = tasks.check_index(ctx, index)
    path = _check_xlsx_output(path)
    fw = tasks.current_framework(ctx, index)
    crit = tasks.criteria(ctx, index)
    dims = {c["code"]: c["name_vi"] for c in crit if c["level"] == "dimension"}
    rows_out = []
    for t in tasks.framework_tasks(ctx, fw["id"], level=None):
        rows_out.append(
            {
                "code": t.code,
                "dimension": f"{t.dimension} - {dims.get(t.dimension, '')}" if t.dimension else "",
                "criterion": join_codes(t.criteria),
                "title": t.title_vi,
                "level": level_label(t.level),
                "lead": t.lead_role,
                "partners": "; ".join(t.partners),
                "due_rule": str(t.due_rule),
                "output": t.output_vi,
                "disclosure_type": t.disclosure_type or "",
                "title_en": t.title_en,
            }
        )
    meta = {
        "index": fw["index_name"],
        "version": str(fw["fw_version"]),
        "title": fw["title_vi"],
        "issuer": fw["issuer_vi"],
        "decision_no": fw["decision_no"] or "",
        "decision_date": _dmy(fw["decision_date"]),
        "years": fw["years"],
    }
    return build_framework_workbook(
        _lists(ctx, index), path, FrameworkSheet(meta=meta, tasks=rows_out)
    )


def _dmy(iso_text: str | None) -> str:
    return date.fromisoformat(iso_text).strftime("%d/%m/%Y") if iso_text else ""


# -- reading ----------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return (nfc(str(value)) or "").strip()


def _open_checks(path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise UserError(
            "Tệp .xls (Excel 97–2003) không được hỗ trợ. Hãy lưu lại dạng .xlsx từ mẫu "
            "“papi-desktop framework template”.",
            "Old .xls files are not supported; save as .xlsx from the template.",
        )
    if suffix == ".xlsm":
        raise UserError(
            "Tệp .xlsm có chứa macro nên không được nhận. Hãy lưu lại dạng .xlsx.",
            "Macro workbooks (.xlsm) are refused; save as .xlsx.",
        )
    if suffix != ".xlsx":
        raise UserError(
            f"Tệp “{path.name}” không phải sổ Excel .xlsx.", f"“{path.name}” is not an .xlsx file."
        )
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp: {path}", f"File not found: {path}")
    check_file(path, (".xlsx",), FRAMEWORK_LIMITS)


def _malformed(path: Path) -> UserError:
    return UserError(
        f"Tệp “{path.name}” không phải sổ Excel hợp lệ (có thể bị hỏng hoặc đổi đuôi). "
        "Hãy mở bằng Excel và lưu lại dạng .xlsx.",
        f"“{path.name}” is not a valid .xlsx workbook (damaged or renamed).",
    )


def _read_grid(path: Path) -> list[list[Any]]:
    from papi_desktop.reports.xlsx.framework_template import SHEET

    wb = open_workbook(path, FRAMEWORK_LIMITS)
    try:
        if SHEET not in wb.sheetnames:
            raise UserError(
                f"Tệp “{path.name}” không có trang “{SHEET}”. Hãy dùng mẫu tạo bằng: "
                "papi-desktop framework template -o MAU.xlsx",
                f"“{path.name}” has no sheet “{SHEET}”; use the template from "
                "papi-desktop framework template.",
            )
        return [row[:20] for row in sheet_rows(wb[SHEET], path, FRAMEWORK_LIMITS)]
    finally:
        wb.close()


def read_framework_workbook(path: Path) -> ParsedFramework:
    """Read a filled template read-only; row-level problems go to ``parsed.errors``."""
    from papi_desktop.reports.xlsx.framework_template import (
        META_FIRST_ROW,
        META_ROWS,
        TASK_COLUMNS,
        TASK_HEADER_ROW,
    )

    path = Path(path)
    _open_checks(path)
    grid = _read_grid(path)

    def at(r: int, c: int) -> Any:
        row = grid[r - 1] if r - 1 < len(grid) else []
        return row[c - 1] if c - 1 < len(row) else None

    errors: list[str] = []
    meta: dict[str, Any] = {}
    for i, (key, _label) in enumerate(META_ROWS):
        meta[key] = at(META_FIRST_ROW + i, 4)
    header = _text(at(TASK_HEADER_ROW, 1))
    if header != TASK_COLUMNS[0][1]:
        raise UserError(
            f"Tệp “{path.name}” không đúng mẫu bộ khung nhiệm vụ (không thấy dòng tiêu đề ở dòng "
            f"{TASK_HEADER_ROW}). Hãy dùng mẫu tạo bằng: papi-desktop framework template",
            f"“{path.name}” does not follow the framework template layout.",
        )
    version: int | None = None
    raw_version = meta["version"]
    row_v = META_FIRST_ROW + 1
    try:
        version = int(_text(raw_version))
        if not 1 <= version <= MAX_FW_VERSION:
            raise ValueError
    except ValueError:
        errors.append(
            f"Dòng {row_v}: phiên bản “{_text(raw_version)}” phải là số nguyên từ 1 đến "
            f"{MAX_FW_VERSION} (mỗi lần ban hành tăng 1)."
        )
        version = None
    index = _text(meta["index"]) or tasks.DEFAULT_INDEX
    title = _text(meta["title"])
    if not title:
        errors.append(f"Dòng {META_FIRST_ROW + 2}: thiếu tên bộ khung nhiệm vụ.")
    decision_date = None
    raw_date = meta["decision_date"]
    if raw_date not in (None, ""):
        try:
            decision_date = (
                raw_date.date() if isinstance(raw_date, datetime) else parse_date(_text(raw_date))
            )
        except UserError:
            errors.append(
                f"Dòng {META_FIRST_ROW + 5}: ngày quyết định “{_text(raw_date)}” không hợp lệ "
                "(viết dd/mm/yyyy)."
            )
    keys = [k for k, _, _ in TASK_COLUMNS]
    parsed: list[ParsedTask] = []
    seen: dict[str, int] = {}
    for r in range(TASK_HEADER_ROW + 1, len(grid) + 1):
        values = {k: _text(at(r, j)) for j, k in enumerate(keys, start=1)}
        if not any(values.values()):
            continue
        row_errors = []
        code = values["code"]
        if not code:
            row_errors.append("thiếu mã nhiệm vụ")
        elif not CODE_RE.fullmatch(code):
            row_errors.append(
                f"mã nhiệm vụ “{code}” chỉ gồm chữ không dấu, số, dấu chấm, gạch (tối đa 32 ký tự)"
            )
        elif code.casefold() in seen:
            row_errors.append(f"mã nhiệm vụ “{code}” trùng với dòng {seen[code.casefold()]}")
        else:
            seen[code.casefold()] = r
        if not values["title"]:
            row_errors.append("thiếu nội dung nhiệm vụ")
        elif len(values["title"]) > 1000:
            row_errors.append("nội dung nhiệm vụ quá dài (tối đa 1.000 ký tự)")
        dim_code, _, dim_name = values["dimension"].partition("-")
        dimension = dim_code.strip().rstrip(".")
        due = values["due_rule"]
        due_text = ""
        if not due:
            row_errors.append("thiếu thời hạn")
        else:
            try:
                due, due_text = framework_checks.due_rule(due)
            except UserError as exc:
                row_errors.append(exc.message_vi.rstrip("."))
        level = parse_level(values["level"])
        if level is None:
            row_errors.append(
                f"cấp thực hiện “{values['level']}” không hợp lệ (chọn: {accepted_words_vi()})"
            )
            level = ""
        for message in row_errors:
            errors.append(f"Dòng {r}: {message}.")
        if row_errors:
            continue
        parsed.append(
            ParsedTask(
                row=r,
                code=code,
                dimension=dimension,
                criteria=tuple(split_codes(values["criterion"])),
                title=values["title"],
                level=level,
                lead=values["lead"],
                partners=tuple(p.strip() for p in values["partners"].split(";") if p.strip()),
                due_rule=due,
                output=values["output"],
                disclosure_type=values["disclosure_type"] or None,
                title_en=values["title_en"],
                due_text=due_text,
                dimension_name=dim_name.strip(),
            )
        )
    if not parsed and not errors:
        errors.append("Bộ khung chưa có nhiệm vụ nào.")
    if len(parsed) > MAX_TASKS:
        errors.append(f"Bộ khung có quá nhiều nhiệm vụ (tối đa {MAX_TASKS}).")
    return ParsedFramework(
        source=path.name,
        index=index,
        version=version,
        title=title,
        issuer=_text(meta["issuer"]),
        decision_no=_text(meta["decision_no"]),
        decision_date=decision_date,
        years=_text(meta["years"]),
        tasks=parsed,
        errors=errors,
    )


# -- checking against the database ------------------------------------------------------


def _latest_version(ctx: AppContext, index: str) -> int | None:
    return ctx.db.scalar(
        "SELECT max(fw_version) FROM framework WHERE index_name = ? AND deleted = 0", (index,)
    )


def _row_of(t: Any) -> dict[str, Any]:
    return {
        "dimension": t.dimension,
        "criterion": tuple(t.criteria),
        "title": t.title_vi,
        "level": normal_level(t.level),
        "lead": t.lead_role,
        "partners": tuple(t.partners),
        "due_rule": str(t.due_rule),
        "output": t.output_vi,
        "disclosure_type": t.disclosure_type or None,
    }


def _parsed_row(t: ParsedTask, dimension: str) -> dict[str, Any]:
    return {
        "dimension": dimension,
        "criterion": t.criteria,
        "title": t.title,
        "level": t.level,
        "lead": t.lead,
        "partners": t.partners,
        "due_rule": t.due_rule,
        "output": t.output,
        "disclosure_type": t.disclosure_type,
    }


def diff_framework(ctx: AppContext, parsed: ParsedFramework) -> dict[str, Any]:
    """Validate ``parsed`` against the catalogue and the current framework; return the
    dry-run summary, or raise one ``UserError`` listing every error with its row."""
    parsed.index = framework_checks.resolve_index(ctx, parsed.index)
    errors = list(parsed.errors)
    crit = {
        c["code"]: c
        for c in ctx.db.query(
            "SELECT code, parent_code, level FROM criterion WHERE index_name = ? AND deleted = 0",
            (parsed.index,),
        )
    }
    # An index with no catalogue here (a province's own checklist, e.g. SIPAS) takes its
    # dimensions and sub-dimensions from the workbook itself (``new_catalogue``).
    new_catalogue = {} if crit else framework_checks.catalogue_from(parsed)
    crit = crit or new_catalogue
    types = {r[0] for r in ctx.db.query("SELECT code FROM disclosure_type WHERE deleted = 0")}
    taken = framework_checks.codes_of_other_indices(ctx, parsed.index)
    dims: dict[str, str] = {}
    for t in parsed.tasks:
        errors.extend(f"Dòng {t.row}: {m}." for m in framework_checks.placement_errors(t, crit))
        dims[t.code] = framework_checks.dimension(t, crit)
        other = taken.get(t.code.casefold())
        if other:
            errors.append(
                f"Dòng {t.row}: mã nhiệm vụ “{t.code}” đã dùng trong bộ khung {other}; kết quả "
                f"ghi theo mã nhiệm vụ nên hãy đặt mã khác (vd. {parsed.index}-{t.code})."
            )
        if t.disclosure_type and t.disclosure_type not in types:
            errors.append(
                f"Dòng {t.row}: mã loại công khai “{t.disclosure_type}” không có trong danh mục."
            )
    latest = _latest_version(ctx, parsed.index)
    if parsed.version is not None and latest is not None and parsed.version <= latest:
        errors.append(
            f"Phiên bản {parsed.version} không mới hơn phiên bản đã có ({latest}); chỉ nạp được "
            f"bộ khung có phiên bản lớn hơn {latest}."
        )
    if errors:
        errors.sort(key=_row_key)
        raise FrameworkErrors(parsed.source, errors)
    current = None
    old: dict[str, Any] = {}
    try:
        current = tasks.current_framework(ctx, parsed.index)
        old = {t.code: t for t in tasks.framework_tasks(ctx, current["id"], level=None)}
    except UserError:
        pass
    new = {t.code: t for t in parsed.tasks}
    added = [c for c in new if c not in old]
    retired = [c for c in old if c not in new]
    changed = [c for c in new if c in old and _row_of(old[c]) != _parsed_row(new[c], dims[c])]
    unchanged = [c for c in new if c in old and c not in changed]
    kept = 0
    if old:
        keep = [c for c in new if c in old]
        for i in range(0, len(keep), 900):
            chunk = keep[i : i + 900]
            kept += ctx.db.scalar(
                f"SELECT count(*) FROM task_result WHERE deleted = 0 AND task_code IN "
                f"({','.join('?' for _ in chunk)})",
                chunk,
            )
    return {
        "index": parsed.index,
        "old_version": current["fw_version"] if current else None,
        "new_version": parsed.version,
        "title": parsed.title,
        "tasks": len(parsed.tasks),
        "added": added,
        "changed": changed,
        "unchanged": unchanged,
        "retired": retired,
        "results_kept": kept,
        "dimensions": dims,
        "new_catalogue": [
            {
                "code": c["code"],
                "level": c["level"],
                "name": c["name_vi"],
                "parent": c["parent_code"],
            }
            for c in new_catalogue.values()
        ],
        "under_other": [t.code for t in parsed.tasks if dims[t.code] == OTHER],
        "several_subdimensions": [t.code for t in parsed.tasks if len(t.criteria) > 1],
        "due_words": [
            {
                "code": t.code,
                "text": t.due_text,
                "rule": t.due_rule,
                "meaning": DueRule.parse(t.due_rule).label_vi,
                "meaning_en": DueRule.parse(t.due_rule).label_en,
            }
            for t in parsed.tasks
            if t.due_text
        ],
    }


def _row_key(message: str) -> tuple[int, str]:
    m = re.match(r"Dòng (\d+)", message)
    return (int(m[1]) if m else 0, message)


def describe_summary(summary: dict[str, Any], lang: str = "vi") -> str:
    """The dry-run summary as a few lines for the user."""
    old = summary["old_version"]
    if lang == "en":
        lines = [
            f"Framework {summary['index']} version {summary['new_version']}"
            + (f" (replaces version {old})" if old is not None else "")
            + f": {summary['tasks']} tasks.",
            f"New: {len(summary['added'])}; changed: {len(summary['changed'])}; unchanged: "
            f"{len(summary['unchanged'])}; retired: {len(summary['retired'])}.",
            f"Answers kept: {summary['results_kept']}.",
        ]
    else:
        lines = [
            f"Bộ khung {summary['index']} phiên bản {summary['new_version']}"
            + (f" (thay phiên bản {old})" if old is not None else "")
            + f": {summary['tasks']} nhiệm vụ.",
            f"Thêm mới: {len(summary['added'])}; thay đổi: {len(summary['changed'])}; giữ nguyên: "
            f"{len(summary['unchanged'])}; thôi áp dụng: {len(summary['retired'])}.",
            f"Kết quả đã nhập được giữ lại: {summary['results_kept']}.",
        ]
    for label_vi, label_en, key in (
        ("Thêm mới", "New", "added"),
        ("Thay đổi", "Changed", "changed"),
        ("Thôi áp dụng", "Retired", "retired"),
    ):
        codes = summary[key]
        if codes:
            shown = ", ".join(codes[:20]) + (" …" if len(codes) > 20 else "")
            lines.append(f"  {label_en if lang == 'en' else label_vi}: {shown}")
    lines.extend(framework_checks.placement_lines(summary, lang))
    for d in summary.get("due_words", []):
        meaning = d["meaning_en"] if lang == "en" else d["meaning"]
        lines.append(f"  {d['code']}: “{d['text']}” → {meaning} ({d['rule']})")
    return "\n".join(lines)


def apply_framework(ctx: AppContext, parsed: ParsedFramework) -> str:
    """Validate, then write the new framework as the current one; return its id."""
    from papi_desktop.catalog.loaders import framework_id

    summary = diff_framework(ctx, parsed)
    level = "commune"
    fid = framework_id(parsed.index, level, parsed.version)
    old_rows: dict[str, Any] = {}
    with ctx.db.transaction():
        for n, c in enumerate(summary["new_catalogue"]):
            rows.insert(
                ctx.db,
                "criterion",
                {"index_name": parsed.index, "code": c["code"], "level": c["level"],
                 "parent_code": c["parent"], "name_vi": c["name"], "sort_order": n},
                row_id=deterministic_id("criterion", parsed.index, c["code"]),
            )  # fmt: skip
        for r in ctx.db.query(
            "SELECT id FROM framework WHERE index_name = ? AND is_current = 1 AND deleted = 0",
            (parsed.index,),
        ):
            rows.update(ctx.db, "framework", r["id"], {"is_current": 0})
            for t in ctx.db.query(
                "SELECT * FROM task WHERE framework_id = ? AND deleted = 0 ORDER BY sort_order",
                (r["id"],),
            ):
                old_rows.setdefault(t["code"], dict(t))
        rows.insert(
            ctx.db,
            "framework",
            {
                "index_name": parsed.index,
                "level": level,
                "fw_version": parsed.version,
                "title_vi": parsed.title,
                "title_en": "",
                "issuer_vi": parsed.issuer,
                "decision_no": parsed.decision_no or None,
                "decision_date": parsed.decision_date.isoformat() if parsed.decision_date else None,
                "years": parsed.years,
                "note_vi": f"Nạp từ tệp {parsed.source}",
                "is_current": 1,
            },
            row_id=fid,
        )
        order = 0
        for order, t in enumerate(parsed.tasks):
            rows.insert(
                ctx.db,
                "task",
                {
                    "framework_id": fid,
                    "code": t.code,
                    "criterion_code": t.criteria[0] if t.criteria else "",
                    "dimension": summary["dimensions"][t.code],
                    "criteria": dump_criteria(t.criteria),
                    "title_vi": t.title,
                    "title_en": t.title_en,
                    "level": t.level,
                    "lead_role": t.lead,
                    "partners": json.dumps(list(t.partners), ensure_ascii=False),
                    "due_rule": t.due_rule,
                    "output_vi": t.output,
                    "output_en": "",
                    "disclosure_type": t.disclosure_type,
                    "sort_order": order,
                    "retired": 0,
                    "search_key": fold(f"{t.code} {t.title}"),
                },
                row_id=deterministic_id("task", fid, t.code),
            )
        # Codes no longer in the framework stay as retired rows: their answers remain
        # visible but read-only (set_result only accepts the framework's active tasks).
        for n, code in enumerate(summary["retired"], start=order + 1):
            old = old_rows[code]
            values = {k: old[k] for k in RETIRED_COPY}
            rows.insert(
                ctx.db,
                "task",
                {**values, "framework_id": fid, "sort_order": n, "retired": 1},
                row_id=deterministic_id("task", fid, code),
            )
    return fid


def import_framework(
    ctx: AppContext,
    path: Path,
    *,
    dry_run: bool = False,
    allow_retire: bool = False,
    index: str | None = None,
) -> dict[str, Any]:
    """Read, check and (unless ``dry_run``) apply a framework workbook; return the summary.

    The same guard as the supervising office's ``framework publish``: a version that
    retires tasks of the current one (e.g. the blank template with a few tasks typed in) is
    refused unless ``allow_retire``; nothing is written and the ``UserError`` gives the
    counts and the advice to start from ``framework export``."""
    parsed = read_framework_workbook(Path(path))
    if index and index.strip().casefold() != parsed.index.casefold():
        raise UserError(
            f"Tệp “{parsed.source}” là bộ khung của chỉ số “{parsed.index}”, không phải "
            f"“{index.strip()}”. Hãy sửa ô Chỉ số trong tệp hoặc bỏ --index; chưa ghi gì.",
            f"“{parsed.source}” is a framework of the index “{parsed.index}”, not "
            f"“{index.strip()}”. Fix the Index cell or drop --index; nothing written.",
        )
    summary = diff_framework(ctx, parsed)
    if not dry_run:
        _refuse_beside_an_office(ctx)
        if summary["retired"] and not allow_retire:
            site = ctx.site
            raise retire_refusal(summary, every_commune=bool(site and site.is_district))
        summary["framework_id"] = apply_framework(ctx, parsed)
    summary["dry_run"] = dry_run
    return summary


def _refuse_beside_an_office(ctx: AppContext) -> None:
    """A commune that takes its framework from a supervising office does not load one of its
    own: the office's next framework would meet this PC's rows under the same version and
    every package from the office would be refused from then on."""
    from papi_desktop.store import sync_state

    site = ctx.site
    if site is None or site.is_district:
        return
    office = sync_state.trusted_office(ctx.db)
    if office is None:
        return
    name = office.get("unit_name") or office.get("name") or "cơ quan giám sát"
    raise UserError(
        f"Xã/phường này nhận bộ khung nhiệm vụ từ {name} qua USB; không nạp bộ khung riêng "
        "(bộ khung mới do cơ quan giám sát ban hành bằng framework publish rồi gửi xuống). "
        "Chưa ghi gì. Muốn xem tệp chứa gì: thêm --dry-run.",
        f"This commune receives its task framework from {name} by USB; it does not load one "
        "of its own (the office publishes a new one with framework publish and sends it). "
        "Nothing written. To see what the file holds, add --dry-run.",
    )


def retire_refusal(summary: dict[str, Any], *, every_commune: bool) -> UserError:
    """The one-line refusal of a version that retires tasks without ``--allow-retire``."""
    a, c, r = len(summary["added"]), len(summary["changed"]), len(summary["retired"])
    total = r + len(summary["changed"]) + len(summary["unchanged"])
    where_vi = "ở mọi xã/phường" if every_commune else "ở xã/phường này"
    where_en = "every commune uses" if every_commune else "this commune uses"
    verb_vi = "Chưa ban hành" if every_commune else "Chưa nạp"
    verb_en = "Not published" if every_commune else "Not imported"
    return UserError(
        f"{verb_vi}, chưa ghi gì: phiên bản {summary['new_version']} thêm {a}, thay đổi "
        f"{c} và cho thôi áp dụng {r}/{total} nhiệm vụ đang dùng {where_vi}. Hãy bắt đầu "
        "từ bộ khung hiện hành (papi-desktop framework export -o khung.xlsx), sửa trên tệp đó "
        "rồi làm lại; nếu đúng là muốn cho thôi áp dụng các nhiệm vụ này, thêm --allow-retire.",
        f"{verb_en}, nothing written: version {summary['new_version']} adds {a}, changes "
        f"{c} and retires {r} of the {total} tasks {where_en}. Start from the current "
        "framework (papi-desktop framework export -o khung.xlsx), edit that file and try "
        "again; if retiring these tasks is intended, add --allow-retire.",
    )
