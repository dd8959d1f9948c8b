"""The province's published index results per year, and its targets.

PAPI (aggregate 8–80 and eight dimensions 1–10), and the same way other indices such as
PAR INDEX, SIPAS or PCI: score, rank "of N", performance group and target. One ``score``
row per index, province, year and dimension ('' is the aggregate); rows belong to the
supervising office and travel down to the communes in its packages.

The performance group is the published one when given; otherwise it is estimated from the
rank by quartiles (top ⌈N/4⌉, bottom ⌈N/4⌉), marked as estimated, because the official
groups are cut on scores (papi.md §1.4).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from papi_desktop.domain.text import fold, nfc
from papi_desktop.errors import UserError
from papi_desktop.import_guard import Limits, check_file, open_workbook, sheet_rows
from papi_desktop.services.context import AppContext
from papi_desktop.store import rows

INDICES = ("PAPI", "PAR INDEX", "SIPAS", "PCI")
GROUPS = ("high", "high_avg", "low_avg", "low")
GROUP_LABELS = {
    "high": {"vi": "Cao nhất", "en": "High"},
    "high_avg": {"vi": "Trung bình cao", "en": "High-average"},
    "low_avg": {"vi": "Trung bình thấp", "en": "Low-average"},
    "low": {"vi": "Thấp nhất", "en": "Low"},
}
_GROUP_WORDS = {
    "high": "high",
    "cao": "high",
    "cao nhat": "high",
    "high_avg": "high_avg",
    "high-average": "high_avg",
    "trung binh cao": "high_avg",
    "low_avg": "low_avg",
    "low-average": "low_avg",
    "trung binh thap": "low_avg",
    "low": "low",
    "thap": "low",
    "thap nhat": "low",
}
PAPI_DIMENSION_RANGE = (1.0, 10.0)
PAPI_TOTAL_RANGE = (8.0, 80.0)
MAX_IMPORT_ROWS = 5000
MAX_IMPORT_BYTES = 10 * 1024 * 1024
SCORE_LIMITS = Limits(
    max_bytes=MAX_IMPORT_BYTES,
    max_rows=MAX_IMPORT_ROWS,
    max_columns=20,
    what_vi="bảng kết quả chỉ số",
    what_en="a score sheet",
)


def normalise_index(name: str | None) -> str:
    raw = nfc(name or "PAPI").strip()
    key = fold(raw).replace(" ", "").replace("-", "").replace("_", "")
    for known in INDICES:
        if key == known.lower().replace(" ", ""):
            return known
    if not raw or len(raw) > 40:
        raise UserError(f"Tên chỉ số “{raw}” không hợp lệ.", f"Invalid index name “{raw}”.")
    return raw.upper()


def normalise_group(text: str | None) -> str:
    if text is None or not str(text).strip():
        return ""
    key = fold(str(text)).strip().replace("nhom ", "").replace("“", "").replace("”", "")
    key = key.replace('"', "").strip()
    if key in _GROUP_WORDS:
        return _GROUP_WORDS[key]
    raise UserError(
        f"Nhóm “{text}” không hợp lệ; dùng: cao nhất, trung bình cao, trung bình thấp, thấp nhất "
        "(hoặc high, high_avg, low_avg, low).",
        f"Unknown group “{text}”; use high, high_avg, low_avg or low.",
    )


def estimated_group(rank: int | None, of_n: int | None) -> str:
    """Quartile group from a rank: top ⌈N/4⌉ high, bottom ⌈N/4⌉ low, the rest split at N/2."""
    if not rank or not of_n:
        return ""
    quarter = math.ceil(of_n / 4)
    if rank <= quarter:
        return "high"
    if rank > of_n - quarter:
        return "low"
    if rank <= math.ceil(of_n / 2):
        return "high_avg"
    return "low_avg"


def _dimension_code(text: Any) -> str:
    raw = nfc(str(text if text is not None else "")).strip()
    folded = fold(raw)
    if folded in ("", "tong hop", "tong", "aggregate", "total", "chi so tong hop"):
        return ""
    for prefix in ("chi so noi dung", "noi dung", "dimension", "d"):
        if folded.startswith(prefix):
            rest = folded[len(prefix) :].strip(" .:")
            if rest.isdigit():
                return str(int(rest))
    if folded.isdigit() or (folded.replace(".", "", 1).isdigit()):
        return folded
    raise UserError(
        f"Nội dung “{raw}” không hợp lệ: ghi “Tổng hợp” hoặc số chỉ số nội dung (1–8).",
        f"Unknown dimension “{raw}”: write “Tổng hợp”/aggregate or a dimension number (1–8).",
    )


def _number(value: Any, what_vi: str, what_en: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # 43,44 written the Vietnamese way
    try:
        return float(text)
    except ValueError:
        raise UserError(
            f"{what_vi} “{value}” không phải là số.", f"{what_en} “{value}” is not a number."
        ) from None


def _check_score(index: str, dimension: str, value: float | None) -> None:
    if value is None or index != "PAPI":
        if value is not None and value < 0:
            raise UserError(f"Điểm {value} không hợp lệ.", f"Invalid score {value}.")
        return
    lo, hi = PAPI_TOTAL_RANGE if dimension == "" else PAPI_DIMENSION_RANGE
    if not lo <= value <= hi:
        what = "tổng hợp" if dimension == "" else f"chỉ số nội dung {dimension}"
        raise UserError(
            f"Điểm PAPI {what} {value:g} nằm ngoài thang điểm {lo:g}–{hi:g}.",
            f"PAPI {'aggregate' if dimension == '' else 'dimension ' + dimension} score "
            f"{value:g} is outside the {lo:g}–{hi:g} scale.",
        )


def _check_rank(rank: int | None, of_n: int | None) -> None:
    if rank is None and of_n is None:
        return
    if rank is None or of_n is None:
        raise UserError(
            "Thứ hạng cần cả hai số: --rank R --of N (ví dụ 16 trên 61).",
            "A rank needs both numbers: --rank R --of N (e.g. 16 of 61).",
        )
    if not 1 <= rank <= of_n <= 100:
        raise UserError(f"Thứ hạng {rank}/{of_n} không hợp lệ.", f"Invalid rank {rank}/{of_n}.")


def _check_year(year: Any) -> int:
    try:
        y = int(year)
    except (TypeError, ValueError):
        raise UserError(f"Năm “{year}” không hợp lệ.", f"Invalid year “{year}”.") from None
    if not 2009 <= y <= 2100:
        raise UserError(
            f"Năm {y} không hợp lệ (PAPI có từ năm 2009).", f"Invalid year {y} (PAPI began 2009)."
        )
    return y


def _upsert(ctx: AppContext, province: str, values: dict[str, Any]) -> str:
    """Insert or update one score row; return 'new', 'updated' or 'same'."""
    key = (values["index_name"], province, values["year"], values["dimension"])
    rid = rows.deterministic_id("score", *key)
    existing = ctx.db.one("SELECT * FROM score WHERE id = ?", (rid,))
    if existing is None:
        rows.insert(ctx.db, "score", {"province_code": province, **values}, row_id=rid)
        return "new"
    changes = {k: v for k, v in values.items() if v is not None or k in ("score", "target")}
    # Keep what is known: a later call that only sets the target keeps the score, and vice versa.
    for k in ("score", "rank", "of_n", "target"):
        if changes.get(k) is None:
            changes.pop(k, None)
    if not changes.get("perf_group"):
        changes.pop("perf_group", None)
    if existing["deleted"]:
        rows.restore(ctx.db, "score", rid)
    return "updated" if rows.update(ctx.db, "score", rid, changes) else "same"


def add(
    ctx: AppContext,
    year: int,
    *,
    total: float | None = None,
    rank: int | None = None,
    of_n: int | None = None,
    group: str | None = None,
    target: float | None = None,
    dimensions: dict[str, float] | None = None,
    index: str = "PAPI",
    source: str = "",
    note: str = "",
) -> dict[str, int]:
    """Record an index result of the office's province: the aggregate (score, rank of N,
    group, target) and any dimension scores. Returns counts of new / updated rows."""
    site = ctx.require_site("district")
    index = normalise_index(index)
    year = _check_year(year)
    _check_rank(rank, of_n)
    perf = normalise_group(group)
    if total is None and target is None and rank is None and not dimensions and not perf:
        raise UserError(
            "Chưa có số liệu nào: hãy ghi --total, --target, --rank/--of hoặc --dimension/--score.",
            "Nothing to record: give --total, --target, --rank/--of or --dimension/--score.",
        )
    _check_score(index, "", total)
    dims: dict[str, float] = {}
    for d, s in (dimensions or {}).items():
        code = _dimension_code(d)
        if code == "":
            raise UserError(
                "Điểm tổng hợp ghi bằng --total, không ghi bằng --dimension.",
                "Give the aggregate with --total, not --dimension.",
            )
        if index == "PAPI" and code not in {str(i) for i in range(1, 9)}:
            raise UserError(
                f"PAPI có 8 chỉ số nội dung (1–8); không có “{d}”.",
                f"PAPI has 8 dimensions (1–8); there is no “{d}”.",
            )
        _check_score(index, code, s)
        dims[code] = float(s)
    counts = {"new": 0, "updated": 0, "same": 0}
    province = site.province_code or ""
    with ctx.db.transaction():
        if total is not None or target is not None or rank is not None or perf:
            outcome = _upsert(
                ctx,
                province,
                {
                    "index_name": index,
                    "year": year,
                    "dimension": "",
                    "score": total,
                    "rank": rank,
                    "of_n": of_n,
                    "perf_group": perf,
                    "target": target,
                    "source": nfc(source) or "",
                    "note": nfc(note) or "",
                },
            )
            counts[outcome] += 1
        for code, s in dims.items():
            outcome = _upsert(
                ctx,
                province,
                {
                    "index_name": index,
                    "year": year,
                    "dimension": code,
                    "score": s,
                    "rank": None,
                    "of_n": None,
                    "perf_group": "",
                    "target": None,
                    "source": nfc(source) or "",
                    "note": "",
                },
            )
            counts[outcome] += 1
    return counts


def list_scores(ctx: AppContext, index: str | None = None) -> list[dict[str, Any]]:
    """One entry per index and year, oldest first: aggregate, rank, group (published or
    estimated), target and whether it was met, and the dimension scores."""
    site = ctx.require_site()
    where, params = ["deleted = 0"], []
    if index:
        where.append("index_name = ?")
        params.append(normalise_index(index))
    if site.province_code:
        where.append("province_code IN (?, '')")
        params.append(site.province_code)
    entries: dict[tuple[str, int], dict[str, Any]] = {}
    for r in ctx.db.query(
        f"SELECT * FROM score WHERE {' AND '.join(where)} ORDER BY index_name, year, dimension",
        params,
    ):
        e = entries.setdefault(
            (r["index_name"], r["year"]),
            {
                "index": r["index_name"],
                "year": r["year"],
                "total": None,
                "rank": None,
                "of": None,
                "group": "",
                "group_estimated": False,
                "target": None,
                "target_met": None,
                "dimensions": {},
                "source": "",
                "note": "",
            },
        )
        if r["dimension"] == "":
            group = r["perf_group"]
            estimated = False
            if not group:
                group = estimated_group(r["rank"], r["of_n"])
                estimated = bool(group)
            e.update(
                total=r["score"],
                rank=r["rank"],
                of=r["of_n"],
                group=group,
                group_estimated=estimated,
                target=r["target"],
                source=r["source"],
                note=r["note"],
            )
            if r["score"] is not None and r["target"] is not None:
                e["target_met"] = r["score"] >= r["target"] - 1e-9
        else:
            e["dimensions"][r["dimension"]] = r["score"]
    out = sorted(entries.values(), key=lambda e: (e["index"] != "PAPI", e["index"], e["year"]))
    for e in out:
        prev = next(
            (
                p
                for p in reversed(out)
                if p["index"] == e["index"] and p["year"] < e["year"] and p["total"] is not None
            ),
            None,
        )
        e["change"] = (
            round(e["total"] - prev["total"], 4)
            if prev is not None and e["total"] is not None
            else None
        )
    return out


def weakest_dimensions(entry: dict[str, Any], n: int = 3) -> list[tuple[str, float]]:
    """The ``n`` lowest dimension scores of one year: where the work should go first."""
    dims = [(d, s) for d, s in entry.get("dimensions", {}).items() if s is not None]
    return sorted(dims, key=lambda x: (x[1], x[0]))[:n]


# -- import from Excel ---------------------------------------------------------------------

HEADERS = {
    "index": ("chi so", "index", "bo chi so"),
    "year": ("nam", "year"),
    "dimension": ("noi dung", "chi so noi dung", "dimension", "linh vuc"),
    "score": ("diem", "diem so", "score"),
    "rank": ("thu hang", "xep hang", "hang", "rank"),
    "of": ("tren tong so", "tong so", "so tinh", "of", "out of"),
    "group": ("nhom", "nhom diem", "group"),
    "target": ("muc tieu", "target"),
    "source": ("nguon", "source"),
    "note": ("ghi chu", "note"),
}


def _header_map(row: tuple[Any, ...]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in enumerate(row):
        key = fold(nfc(str(cell)) if cell is not None else "").strip().rstrip(":")
        for field, names in HEADERS.items():
            if key in names and field not in found:
                found[field] = i
    return found


def read_scores_workbook(path: Path) -> list[dict[str, Any]]:
    """Rows of a simple score sheet (first sheet; a header row with Năm, Nội dung, Điểm and
    optionally Chỉ số, Thứ hạng, Trên tổng số, Nhóm, Mục tiêu, Nguồn, Ghi chú). Every row is
    checked; all errors are reported together with their row numbers."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UserError(
            f"Tệp “{path.name}” không phải sổ Excel .xlsx (không nhận .xls, .xlsm).",
            f"“{path.name}” is not an .xlsx workbook (.xls and .xlsm are refused).",
        )
    check_file(path, (".xlsx",), SCORE_LIMITS)
    wb = open_workbook(path, SCORE_LIMITS)
    try:
        ws = wb.worksheets[0]
        it = sheet_rows(ws, path, SCORE_LIMITS)
        header: dict[str, int] = {}
        header_row = 0
        for n, row in enumerate(it, start=1):
            header = _header_map(row)
            if {"year", "score"} <= header.keys() or {"year", "target"} <= header.keys():
                header_row = n
                break
            if n >= 10:
                break
        if not header_row:
            raise UserError(
                f"Không thấy dòng tiêu đề trong “{path.name}”: cần các cột Năm, Nội dung, Điểm "
                "(và tùy chọn Chỉ số, Thứ hạng, Trên tổng số, Nhóm, Mục tiêu).",
                f"No header row in “{path.name}”: it needs columns Năm/Year, Nội dung/Dimension, "
                "Điểm/Score (optionally Index, Rank, Of, Group, Target).",
            )
        parsed: list[dict[str, Any]] = []
        errors: list[tuple[str, str]] = []
        for n, row in enumerate(it, start=header_row + 1):
            if n - header_row > MAX_IMPORT_ROWS:
                raise UserError(
                    f"Quá nhiều dòng (tối đa {MAX_IMPORT_ROWS}).",
                    f"Too many rows (at most {MAX_IMPORT_ROWS}).",
                )

            def cell(field: str, row: tuple[Any, ...] = row) -> Any:
                i = header.get(field)
                return row[i] if i is not None and i < len(row) else None

            if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                continue
            try:
                index = normalise_index(cell("index") or "PAPI")
                year = _check_year(cell("year"))
                dim = _dimension_code(cell("dimension"))
                score = _number(cell("score"), "Điểm", "Score")
                rank_f = _number(cell("rank"), "Thứ hạng", "Rank")
                of_f = _number(cell("of"), "Tổng số", "Of")
                rank = int(rank_f) if rank_f is not None else None
                of_n = int(of_f) if of_f is not None else None
                target = _number(cell("target"), "Mục tiêu", "Target")
                group = normalise_group(cell("group"))
                if dim and index == "PAPI" and dim not in {str(i) for i in range(1, 9)}:
                    raise UserError(
                        f"PAPI không có chỉ số nội dung “{dim}”.",
                        f"PAPI has no dimension “{dim}”.",
                    )
                _check_rank(rank, of_n)
                _check_score(index, dim, score)
                if score is None and target is None:
                    raise UserError("thiếu điểm hoặc mục tiêu", "no score or target")
            except UserError as exc:
                errors.append((f"Dòng {n}: {exc.message('vi')}", f"Row {n}: {exc.message('en')}"))
                continue
            parsed.append(
                {
                    "row": n,
                    "index": index,
                    "year": year,
                    "dimension": dim,
                    "score": score,
                    "rank": rank if not dim else None,
                    "of": of_n if not dim else None,
                    "group": group if not dim else "",
                    "target": target if not dim else None,
                    "source": nfc(str(cell("source") or "")).strip(),
                    "note": nfc(str(cell("note") or "")).strip(),
                }
            )
        seen: dict[tuple, int] = {}
        for p in parsed:
            key = (p["index"], p["year"], p["dimension"])
            if key in seen:
                what = f"{p['index']} {p['year']} {p['dimension'] or ''}".strip()
                errors.append(
                    (
                        f"Dòng {p['row']}: trùng với dòng {seen[key]} ({what}).",
                        f"Row {p['row']}: repeats row {seen[key]} ({what}).",
                    )
                )
            seen[key] = p["row"]
        if errors:
            # One line: the first errors, and how many more there are.
            shown_vi = " ".join(vi for vi, _ in errors[:10])
            shown_en = " ".join(en for _, en in errors[:10])
            more_vi = f" … và {len(errors) - 10} lỗi khác." if len(errors) > 10 else ""
            more_en = f" … and {len(errors) - 10} more." if len(errors) > 10 else ""
            raise UserError(
                f"Tệp “{path.name}” có {len(errors)} lỗi; chưa nhập gì: {shown_vi}{more_vi}",
                f"“{path.name}” has {len(errors)} error(s); nothing was imported: "
                f"{shown_en}{more_en}",
            )
        if not parsed:
            raise UserError(
                f"Tệp “{path.name}” không có dòng số liệu nào.", f"“{path.name}” has no data rows."
            )
        return parsed
    finally:
        wb.close()


def import_scores(ctx: AppContext, path: Path, *, dry_run: bool = False) -> dict[str, Any]:
    """Import a score sheet: all rows or nothing. ``dry_run`` reports what would change."""
    site = ctx.require_site("district")
    parsed = read_scores_workbook(Path(path))
    province = site.province_code or ""
    summary = {"new": 0, "updated": 0, "same": 0, "rows": len(parsed), "dry_run": dry_run}
    try:
        with ctx.db.transaction():
            for p in parsed:
                outcome = _upsert(
                    ctx,
                    province,
                    {
                        "index_name": p["index"],
                        "year": p["year"],
                        "dimension": p["dimension"],
                        "score": p["score"],
                        "rank": p["rank"],
                        "of_n": p["of"],
                        "perf_group": p["group"],
                        "target": p["target"],
                        "source": p["source"],
                        "note": p["note"],
                    },
                )
                summary[outcome] += 1
            if dry_run:
                raise _DryRun()
    except _DryRun:
        pass
    return summary


class _DryRun(Exception):
    """Raised inside the import transaction to roll a dry run back."""
