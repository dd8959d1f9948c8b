"""Frameworks of scored indices (PAR INDEX at commune level, …): the Excel template, reading
and checking a filled one, publishing it (office) or importing it (a commune with no office),
the shipped SAMPLE, and the current framework of an index.

PAPI keeps its checklist framework in ``framework``/``task`` (services.framework_io); a
scored index lives beside it in ``scored_framework``/``scored_criterion``, versioned the
same way (a new version only when it is higher than the last; the office owns it and it
goes down to the communes in the next USB packages).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from papi_desktop.domain import scoring
from papi_desktop.domain.due_words import parse_due
from papi_desktop.domain.text import nfc
from papi_desktop.errors import UserError
from papi_desktop.import_guard import Limits, check_file, malformed, open_workbook, sheet_rows
from papi_desktop.services.context import AppContext
from papi_desktop.store import rows
from papi_desktop.store.rows import deterministic_id

SCORED_INDICES = ("PAR",)
MAX_ROWS = 1000
SCORED_LIMITS = Limits(
    max_bytes=2 * 1024 * 1024,
    max_rows=MAX_ROWS,
    max_columns=9,
    what_vi="bộ tiêu chí chấm điểm",
    what_en="a scored criteria workbook",
)
SAMPLE_FILE = "par_sample.json"
_METHODS = {"tự chấm": "self", "tu cham": "self", "self": "self", "": "self",
            "khảo sát": "survey", "khao sat": "survey", "survey": "survey"}  # fmt: skip


def check_index(index: str | None) -> str:
    """The scored index code (upper case) or UserError."""
    code = (index or "").strip().upper()
    if code not in SCORED_INDICES:
        raise UserError(
            f"Chỉ số “{index}” không phải chỉ số chấm điểm; dùng: {', '.join(SCORED_INDICES)}.",
            f"“{index}” is not a scored index; use: {', '.join(SCORED_INDICES)}.",
        )
    return code


@dataclass
class ParsedScored:
    source: str
    index: str = ""
    version: int | None = None
    title: str = ""
    issuer: str = ""
    decision_no: str = ""
    decision_date: str | None = None
    total_points: float | None = None
    sample: bool = False
    note: str = ""
    nodes: dict[str, scoring.Node] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


# -- the sample and the template -------------------------------------------------------------
def sample_document() -> dict[str, Any]:
    text = resources.files("papi_desktop.catalog").joinpath("data", SAMPLE_FILE).read_text("utf-8")
    return json.loads(text)


def sample_rows() -> list[dict[str, Any]]:
    """The SAMPLE framework as template rows (field, criteria, sub-criteria in order)."""
    out: list[dict[str, Any]] = []

    def walk(node: dict[str, Any], parent: str) -> None:
        out.append({**node, "parent": parent})
        for child in node.get("children", ()):
            walk(child, node["code"])

    for f in sample_document()["fields"]:
        walk(f, "")
    return out


def _latest_version(ctx: AppContext, index: str) -> int | None:
    """The highest version of ``index`` this site could use (see ``_owners``)."""
    owners = _owners(ctx)
    marks = ",".join("?" for _ in owners)
    return ctx.db.scalar(
        f"SELECT max(fw_version) FROM scored_framework WHERE index_name = ? AND deleted = 0 "
        f"AND owner_site IN ({marks})",
        (index, *owners),
    )


def _owners(ctx: AppContext) -> list[str]:
    """Whose criteria count here, preferred first: the office its own; a commune its
    supervising office's, then (no office yet, or none published) the ones it imported.
    A commune's own criteria that reached the office in a package never become the
    office's."""
    from papi_desktop.services import sync

    site = ctx.require_site()
    if site.is_district:
        return [site.id]
    office = sync.supervisor(ctx)
    return [office["site_id"], site.id] if office else [site.id]


def write_template(ctx: AppContext, path: Path, index: str, *, sample: bool = False) -> Path:
    """The blank template of ``index`` (or prefilled with the shipped SAMPLE)."""
    from papi_desktop.reports.xlsx.assess import build_template

    index = check_index(index)
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UserError("Tệp mẫu phải có đuôi .xlsx.", "The template must be an .xlsx file.")
    latest = _latest_version(ctx, index)
    meta: dict[str, Any] = {"index": index, "version": (latest or 0) + 1, "total_points": 100}
    body: list[dict[str, Any]] = []
    if sample:
        doc = sample_document()
        meta.update(title=doc["title"], sample=True, note=doc["note"],
                    total_points=doc["total_points"])  # fmt: skip
        body = sample_rows()
    return build_template(path, meta, body)


def export_current(ctx: AppContext, path: Path, index: str) -> Path:
    """The current criteria of ``index`` in the template, offered as the next version: the
    way to change them is to edit this file and publish it again."""
    from papi_desktop.reports.xlsx.assess import build_template
    from papi_desktop.services.reports import check_output

    path = check_output(Path(path), (".xlsx",))
    fw = current(ctx, index)
    meta = {
        "index": fw["index_name"], "version": (_latest_version(ctx, fw["index_name"]) or 0) + 1,
        "title": fw["title_vi"], "issuer": fw["issuer_vi"], "decision_no": fw["decision_no"],
        "decision_date": _dmy(fw["decision_date"]), "total_points": fw["total_points"],
        "sample": bool(fw["sample"]), "note": fw["note_vi"],
    }  # fmt: skip
    body = [
        {"code": c["code"], "parent": c["parent_code"], "title": c["title_vi"],
         "max_points": c["max_points"], "method": c["method"], "decimals": c["decimals"],
         "guidance": c["guidance_vi"], "evidence": c["evidence_vi"], "due": c["due_text"]}
        for c in fw["criteria"]
    ]  # fmt: skip
    return build_template(path, meta, body)


def _dmy(iso: str | None) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if iso else ""


# -- reading ----------------------------------------------------------------------------------
def _open(path: Path) -> Any:
    """The workbook through the shared import guard (size, zip, macros, DTDs, rows)."""
    check_file(path, (".xlsx",), SCORED_LIMITS)
    return open_workbook(path, SCORED_LIMITS)


def is_scored_workbook(path: Path) -> bool:
    """True when ``path`` is a scored-index template (its criteria sheet is there); False for
    anything else, including a broken file (the PAPI reader then gives its own message)."""
    from papi_desktop.reports.xlsx.assess import SHEET

    try:
        wb = _open(Path(path))
    except UserError:
        return False
    try:
        return SHEET in wb.sheetnames
    finally:
        wb.close()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return (nfc(str(value)) or "").strip()


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).strip().replace(",", "."))
    except ValueError:
        return float("nan")


def _date(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if hasattr(value, "date"):
        return value.date().isoformat()
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", _text(value))
    if not m:
        return "?"
    try:
        return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
    except ValueError:
        return "?"


def read_workbook(path: Path) -> ParsedScored:
    """Read a filled template read-only; row problems go to ``errors`` (with row numbers)."""
    from papi_desktop.reports.xlsx.assess import META_KEYS, SHEET

    path = Path(path)
    parsed = ParsedScored(source=path.name)
    wb = _open(path)
    try:
        if SHEET not in wb.sheetnames:
            raise UserError(
                f"Tệp “{path.name}” không có trang “{SHEET}”. Hãy dùng mẫu tạo bằng: "
                "papi-desktop framework template --index PAR -o MAU.xlsx",
                f"“{path.name}” has no sheet “{SHEET}”; use framework template --index PAR.",
            )
        grid = [
            list(row[:9]) + [None] * (9 - len(row[:9]))
            for row in sheet_rows(wb[SHEET], path, SCORED_LIMITS)
        ]
    except UserError:
        raise
    except Exception as exc:
        raise malformed(path) from exc
    finally:
        wb.close()
    labels = {label: key for key, label in META_KEYS}
    meta: dict[str, Any] = {}
    header = None
    for i, row in enumerate(grid, start=1):
        first = _text(row[0])
        if first in labels:
            meta[labels[first]] = row[2]
        elif first == "Mã" and header is None:
            header = i
            break
    if header is None:
        raise UserError(
            f"Tệp “{path.name}” thiếu dòng tiêu đề bảng (ô “Mã”). Hãy dùng mẫu: "
            "papi-desktop framework template --index PAR -o MAU.xlsx",
            f"“{path.name}” has no table header row (“Mã”).",
        )
    _read_meta(parsed, meta)
    nodes: list[scoring.Node] = []
    for r, row in enumerate(grid[header:], start=header + 1):
        code = _text(row[0])
        if not any(_text(v) for v in row):
            continue
        if not code:
            parsed.errors.append(f"Dòng {r}: thiếu mã.")
            continue
        mx = _number(row[3])
        if mx is not None and mx != mx:  # NaN: not a number
            parsed.errors.append(f"Dòng {r}: điểm tối đa “{_text(row[3])}” không phải là số.")
            mx = 0.0
        method = _METHODS.get(_text(row[4]).lower())
        if method is None:
            parsed.errors.append(
                f"Dòng {r}: cách chấm “{_text(row[4])}” phải là “tự chấm” hoặc “khảo sát”."
            )
            method = "self"
        dec_text = _text(row[5])
        decimals = 1 if not dec_text else (int(dec_text) if dec_text.isdigit() else -1)
        due_text, due_code = _text(row[8]), ""
        if due_text:
            try:
                due_code = str(parse_due(due_text))
            except UserError as exc:
                parsed.errors.append(f"Dòng {r}: {exc.message_vi}")
        nodes.append(
            scoring.Node(
                code=code,
                title=_text(row[2]),
                max_points=mx,
                parent=_text(row[1]),
                method=method,
                decimals=decimals,
                guidance=_text(row[6]),
                evidence=_text(row[7]),
                due_rule=due_code,
                due_text=due_text,
                row=r,
            )
        )
        if not _text(row[2]):
            parsed.errors.append(f"Dòng {r}: thiếu tên của “{code}”.")
    by_code, errs = scoring.build_tree(nodes)
    parsed.errors += errs
    parsed.nodes = by_code
    parsed.order = [n.code for n in nodes if by_code.get(n.code) is n]
    if not parsed.errors:
        parsed.errors += scoring.check_tree(by_code, parsed.total_points)
    return parsed


def _read_meta(parsed: ParsedScored, meta: dict[str, Any]) -> None:
    index = _text(meta.get("index")).upper()
    if index not in SCORED_INDICES:
        parsed.errors.append(
            f"Ô “Chỉ số (mã)” phải là một trong: {', '.join(SCORED_INDICES)} (đang là “{index}”)."
        )
    parsed.index = index
    v = _text(meta.get("version"))
    if v:
        if v.isdigit() and int(v) >= 1:
            parsed.version = int(v)
        else:
            parsed.errors.append(f"Ô “Phiên bản” phải là số nguyên dương (đang là “{v}”).")
    parsed.title = _text(meta.get("title"))
    if not parsed.title:
        parsed.errors.append("Ô “Tên bộ tiêu chí” chưa điền.")
    parsed.issuer = _text(meta.get("issuer"))
    parsed.decision_no = _text(meta.get("decision_no"))
    parsed.decision_date = _date(meta.get("decision_date"))
    if parsed.decision_date == "?":
        parsed.errors.append("Ô “Ngày quyết định” phải viết dd/mm/yyyy.")
        parsed.decision_date = None
    total = _number(meta.get("total_points"))
    if total is None or total != total or total <= 0:
        parsed.errors.append("Ô “Tổng điểm” phải là một số lớn hơn 0 (thường là 100).")
        total = None
    parsed.total_points = total
    parsed.sample = _text(meta.get("sample")).lower() in ("có", "co", "x", "yes", "1")
    parsed.note = _text(meta.get("note"))


# -- checking and applying --------------------------------------------------------------------
def summarize(ctx: AppContext, parsed: ParsedScored) -> dict[str, Any]:
    """The dry-run summary, or one UserError giving the first error (with its row) and how
    many more there are."""
    errors = list(parsed.errors)
    latest = _latest_version(ctx, parsed.index) if parsed.index else None
    if parsed.version is not None and latest is not None and parsed.version <= latest:
        errors.append(
            f"Phiên bản {parsed.version} không mới hơn phiên bản đã có ({latest}); ghi phiên "
            f"bản lớn hơn {latest}."
        )
    if errors:
        more = f" (và {len(errors) - 1} lỗi khác)" if len(errors) > 1 else ""
        raise UserError(
            f"Bộ tiêu chí “{parsed.source}” chưa đúng, chưa ghi gì: {errors[0]}{more}",
            f"The criteria workbook “{parsed.source}” has errors, nothing written: "
            f"{errors[0]}{more}",
        )
    nodes = parsed.nodes
    version = parsed.version or (latest or 0) + 1
    return {
        "index": parsed.index,
        "old_version": latest,
        "new_version": version,
        "title": parsed.title,
        "sample": parsed.sample,
        "total_points": parsed.total_points,
        "fields": sum(1 for c in parsed.order if nodes[c].level == "field"),
        "criteria": sum(1 for c in parsed.order if nodes[c].level == "criterion"),
        "sub_criteria": sum(1 for c in parsed.order if nodes[c].level == "sub"),
        "scored_items": len(scoring.leaves(nodes, parsed.order)),
        "survey_items": sum(
            1 for c in scoring.leaves(nodes, parsed.order) if nodes[c].method == "survey"
        ),
        "due_rules": [
            {
                "code": c,
                "text": nodes[c].due_text,
                "rule": nodes[c].due_rule,
                "meaning": parse_due(nodes[c].due_rule).label_vi,
            }
            for c in parsed.order
            if nodes[c].due_rule
        ],
    }


def apply(ctx: AppContext, parsed: ParsedScored, version: int) -> str:
    """Write ``parsed`` as version ``version`` of its index and make it current."""
    fid = deterministic_id("scored_framework", ctx.db.site_id, parsed.index, version)
    with ctx.db.transaction():
        for old in ctx.db.query(
            "SELECT id FROM scored_framework WHERE index_name = ? AND is_current = 1 "
            "AND owner_site = ?",
            (parsed.index, ctx.db.site_id),
        ):
            rows.update(ctx.db, "scored_framework", old["id"], {"is_current": 0})
        rows.insert(
            ctx.db,
            "scored_framework",
            {
                "index_name": parsed.index,
                "fw_version": version,
                "title_vi": parsed.title,
                "issuer_vi": parsed.issuer,
                "decision_no": parsed.decision_no,
                "decision_date": parsed.decision_date,
                "total_points": parsed.total_points,
                "sample": 1 if parsed.sample else 0,
                "note_vi": parsed.note,
                "is_current": 1,
            },
            row_id=fid,
        )
        for n, code in enumerate(parsed.order):
            node = parsed.nodes[code]
            rows.insert(
                ctx.db,
                "scored_criterion",
                {
                    "framework_id": fid,
                    "code": code,
                    "parent_code": node.parent,
                    "level": node.level,
                    "title_vi": node.title,
                    "max_points": node.max_points,
                    "method": node.method,
                    "decimals": node.decimals,
                    "guidance_vi": node.guidance,
                    "evidence_vi": node.evidence,
                    "due_rule": node.due_rule,
                    "due_text": node.due_text,
                    "sort_order": n,
                },
                row_id=deterministic_id("scored_criterion", fid, code),
                audit=False,
            )
    return fid


def publish(ctx: AppContext, path: Path, *, dry_run: bool = False) -> dict[str, Any]:
    """(Office) publish a criteria workbook as the next version of its index."""
    ctx.require_site("district")
    return _load(ctx, Path(path), dry_run)


def import_local(ctx: AppContext, path: Path, *, dry_run: bool = False) -> dict[str, Any]:
    """(A commune with no supervising office) use a criteria workbook of its province."""
    from papi_desktop.services import sync

    ctx.require_site("commune")
    if sync.supervisor(ctx) is not None:
        raise UserError(
            "Xã/phường này đã có cơ quan giám sát: bộ tiêu chí chấm điểm do cơ quan ban hành và "
            "gửi xuống qua USB. Không nạp tại xã.",
            "This commune has a supervising office: it publishes the scoring criteria and "
            "sends them by USB. Not imported here.",
        )
    return _load(ctx, Path(path), dry_run)


def _load(ctx: AppContext, path: Path, dry_run: bool) -> dict[str, Any]:
    parsed = read_workbook(path)
    summary = summarize(ctx, parsed)
    if not dry_run:
        summary["framework_id"] = apply(ctx, parsed, summary["new_version"])
    summary["dry_run"] = dry_run
    return summary


def install_sample(ctx: AppContext) -> str:
    """Make the shipped SAMPLE the current PAR framework (demos and training only)."""
    doc = sample_document()
    parsed = ParsedScored(source=SAMPLE_FILE, index=doc["index"], title=doc["title"],
                          total_points=float(doc["total_points"]), sample=True, note=doc["note"])  # fmt: skip
    nodes = [
        scoring.Node(
            code=r["code"],
            title=r["title"],
            max_points=float(r["max_points"]),
            parent=r["parent"],
            method=r.get("method", "self"),
            decimals=r.get("decimals", 1),
            guidance=r.get("guidance", ""),
            evidence=r.get("evidence", ""),
            due_text=r.get("due", ""),
            due_rule=str(parse_due(r["due"])) if r.get("due") else "",
        )
        for r in sample_rows()
    ]
    parsed.nodes, errors = scoring.build_tree(nodes)
    parsed.order = [n.code for n in nodes]
    parsed.errors = errors + scoring.check_tree(parsed.nodes, parsed.total_points)
    summary = summarize(ctx, parsed)
    return apply(ctx, parsed, summary["new_version"])


def describe(summary: dict[str, Any], lang: str = "vi") -> str:
    s = summary
    if lang == "en":
        lines = [
            f"{s['index']} criteria “{s['title']}” version {s['new_version']} "
            f"(current: {s['old_version'] or 'none'}): {s['fields']} fields, {s['criteria']} "
            f"criteria, {s['sub_criteria']} sub-criteria, {s['total_points']:g} points; "
            f"{s['scored_items']} items scored ({s['survey_items']} by survey)."
        ]
    else:
        lines = [
            f"Bộ tiêu chí {s['index']} “{s['title']}” phiên bản {s['new_version']} "
            f"(đang dùng: {s['old_version'] or 'chưa có'}): {s['fields']} lĩnh vực, "
            f"{s['criteria']} tiêu chí, {s['sub_criteria']} tiêu chí thành phần, "
            f"{scoring.fmt_points(s['total_points'])} điểm; {s['scored_items']} mục chấm điểm "
            f"({s['survey_items']} mục theo khảo sát)."
        ]
    if s["sample"]:
        lines.append(
            "SAMPLE: for reference only; the province issues its own criteria."
            if lang == "en"
            else "MẪU THAM KHẢO: tỉnh ban hành bộ tiêu chí riêng; không phải văn bản chính thức."
        )
    for d in s["due_rules"]:
        lines.append(f"  {d['code']}: “{d['text']}” → {d['rule']} ({d['meaning']})")
    return "\n".join(lines)


# -- the current framework --------------------------------------------------------------------
def current(ctx: AppContext, index: str, version: int | None = None) -> dict[str, Any]:
    """The current framework of ``index`` (or its version ``version`` when that is here)
    with its criteria (``criteria``: rows in order, ``nodes``: the tree), or UserError when
    none is loaded."""
    index = check_index(index)
    owners = _owners(ctx)
    marks = ",".join("?" for _ in owners)
    fw = None
    if version is not None:
        fw = ctx.db.one(
            f"SELECT * FROM scored_framework WHERE index_name = ? AND deleted = 0 "
            f"AND owner_site IN ({marks}) AND fw_version = ? ORDER BY owner_site = ? DESC "
            "LIMIT 1",
            (index, *owners, version, owners[0]),
        )
    if fw is None:
        fw = ctx.db.one(
            f"SELECT * FROM scored_framework WHERE index_name = ? AND deleted = 0 "
            f"AND owner_site IN ({marks}) ORDER BY owner_site = ? DESC, is_current DESC, "
            "fw_version DESC LIMIT 1",
            (index, *owners, owners[0]),
        )
    if fw is None:
        raise UserError(
            f"Chưa có bộ tiêu chí chấm điểm {index} trên máy này. Cơ quan giám sát ban hành bằng "
            f"“framework publish”; xã chưa có cơ quan giám sát nạp bằng “framework import” (mẫu: "
            f"papi-desktop framework template --index {index} --sample -o mau.xlsx).",
            f"No {index} scoring criteria here yet. The office publishes them with “framework "
            "publish”; a commune with no office uses “framework import”.",
        )
    crit = [
        dict(r)
        for r in ctx.db.query(
            "SELECT * FROM scored_criterion WHERE framework_id = ? AND deleted = 0 "
            "ORDER BY sort_order",
            (fw["id"],),
        )
    ]
    nodes, errors = scoring.build_tree(
        scoring.Node(
            code=c["code"],
            title=c["title_vi"],
            max_points=c["max_points"],
            parent=c["parent_code"],
            method=c["method"],
            decimals=c["decimals"],
            guidance=c["guidance_vi"],
            evidence=c["evidence_vi"],
            due_rule=c["due_rule"],
            due_text=c["due_text"],
        )
        for c in crit
    )
    if errors:  # rows received by USB that no workbook check would have let through
        raise UserError(
            f"Bộ tiêu chí {index} phiên bản {fw['fw_version']} trên máy này bị hỏng "
            f"({errors[0]}). Hãy báo cơ quan giám sát ban hành lại.",
            f"The {index} criteria version {fw['fw_version']} here are damaged; ask the "
            "office to publish them again.",
        )
    return {**dict(fw), "criteria": crit, "nodes": nodes, "order": [c["code"] for c in crit]}
