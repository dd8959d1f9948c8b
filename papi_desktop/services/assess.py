"""Self-assessment and appraisal of a scored index (PAR INDEX at commune level, …).

Every year a commune scores each criterion of the current framework with evidence
(``set_score``) and submits the year (``submit``); the supervising office appraises each
score (``appraise``) and ranks the communes by the appraised total (``results``). The
commune owns ``self_score`` and ``assess_submission`` rows, the office owns ``appraisal``
rows; all carry ``unit_code`` so the USB sync sends each commune only its own rows.

The office may return (reopen) a submitted year (``assess_reopen``): an office-owned
``assess_return`` row naming the version of the submission it returned. The commune then
edits (its submission row becomes 'reopened') and submits again, which supersedes it.

Totals: the self total counts the commune's scores; the appraised total counts the
office's appraisals (survey-based criteria are scored only by the office).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from papi_desktop.domain import scoring
from papi_desktop.domain.dates import MAX_YEAR, MIN_YEAR
from papi_desktop.domain.scoring import fmt_points as fmt_points  # for the window
from papi_desktop.domain.text import nfc
from papi_desktop.errors import UserError
from papi_desktop.services import assess_framework
from papi_desktop.services.context import AppContext
from papi_desktop.store import rows
from papi_desktop.store.attachments import guess_mime, store_file
from papi_desktop.store.rows import deterministic_id

STATES = ("not_started", "draft", "submitted", "returned", "appraising", "appraised")
STATE_VI = {
    "not_started": "chưa chấm",
    "draft": "đang tự chấm",
    "submitted": "đã gửi, chờ thẩm định",
    "returned": "bị trả lại để sửa, chờ xã gửi lại",
    "appraising": "đang thẩm định",
    "appraised": "đã thẩm định",
}
ITEM_STATE_VI = {
    "empty": "chưa chấm",
    "scored": "đã tự chấm",
    "survey": "theo khảo sát",
    "submitted": "đã gửi",
    "appraised": "đã thẩm định",
}


def check_year(year: int) -> int:
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise UserError(
            f"Năm {year} không hợp lệ (từ {MIN_YEAR} đến {MAX_YEAR}).",
            f"Year {year} is out of range ({MIN_YEAR}–{MAX_YEAR}).",
        )
    return int(year)


def _score_id(unit: str, index: str, year: int, code: str) -> str:
    return deterministic_id("self_score", unit, index, year, code)


def _appraisal_id(unit: str, index: str, year: int, code: str) -> str:
    return deterministic_id("appraisal", unit, index, year, code)


def _leaf(fw: dict[str, Any], code: str) -> scoring.Node:
    node = fw["nodes"].get((code or "").strip())
    if node is None:
        raise UserError(
            f"Không có tiêu chí “{code}” trong bộ tiêu chí {fw['index_name']} phiên bản "
            f"{fw['fw_version']}. Xem mã bằng: papi-desktop assess list --index "
            f"{fw['index_name']} --year NĂM",
            f"No criterion “{code}” in {fw['index_name']} version {fw['fw_version']}; see "
            "assess list.",
        )
    if node.children:
        raise UserError(
            f"“{node.code}” có các mục con ({', '.join(node.children)}); chấm điểm từng mục con, "
            "điểm của nó là tổng các mục con.",
            f"“{node.code}” has sub-items ({', '.join(node.children)}); score each of them.",
        )
    return node


def year_framework(ctx: AppContext, unit: str, index: str, year: int) -> dict[str, Any]:
    """The criteria a commune's year is scored on: the version it submitted, else the
    version of its first scores of the year, else the current one. A version published
    in the middle of a year applies from the next year the commune starts."""
    v = ctx.db.scalar(
        "SELECT framework_version FROM assess_submission WHERE unit_code = ? AND "
        "index_name = ? AND year = ? AND deleted = 0",
        (unit, index, year),
    )
    if v is None:
        v = ctx.db.scalar(
            "SELECT min(framework_version) FROM self_score WHERE unit_code = ? AND "
            "index_name = ? AND year = ? AND deleted = 0",
            (unit, index, year),
        )
    return assess_framework.current(ctx, index, v)


def _submission(ctx: AppContext, unit: str, index: str, year: int) -> dict[str, Any] | None:
    row = ctx.db.one(
        "SELECT * FROM assess_submission WHERE unit_code = ? AND index_name = ? AND year = ? "
        "AND deleted = 0",
        (unit, index, year),
    )
    return dict(row) if row else None


def return_of(
    ctx: AppContext, unit: str, index: str, year: int, sub: dict[str, Any] | None
) -> dict[str, Any] | None:
    """The office's return of this submission (with its comment), while it stands: the
    commune has not submitted again since."""
    if sub is None:
        return None
    row = ctx.db.one(
        "SELECT * FROM assess_return WHERE unit_code = ? AND index_name = ? AND year = ? "
        "AND deleted = 0",
        (unit, index, year),
    )
    ret = dict(row) if row else None
    return ret if _returned(sub, ret) else None


def _returned(sub: dict[str, Any] | None, ret: dict[str, Any] | None) -> bool:
    if sub is None or ret is None:
        return False
    return sub["state"] == "reopened" or ret["submission_version"] == sub["version"]


def _points(ctx: AppContext, table: str, unit: str | None, index: str, year: int):
    sql = (
        f"SELECT unit_code, code, points, id, "
        f"{'note' if table == 'self_score' else 'comment'} AS text FROM {table} "
        "WHERE index_name = ? AND year = ? AND deleted = 0"
    )
    params: list[Any] = [index, year]
    if unit is not None:
        sql += " AND unit_code = ?"
        params.append(unit)
    return ctx.db.query(sql, params)


def scorecard(ctx: AppContext, unit: str, index: str, year: int) -> dict[str, Any]:
    """One commune's year: every node of the framework with max, self and appraised points
    (sums for fields and criteria with sub-criteria), evidence, comments and state."""
    index = assess_framework.check_index(index)
    year = check_year(year)
    fw = year_framework(ctx, unit, index, year)
    nodes, order = fw["nodes"], fw["order"]
    own = {r["code"]: r for r in _points(ctx, "self_score", unit, index, year)}
    appr = {r["code"]: r for r in _points(ctx, "appraisal", unit, index, year)}
    evidence: dict[str, list[str]] = {}
    ids = {r["id"]: r["code"] for r in own.values()}
    if ids:
        for a in ctx.db.query(
            "SELECT a.record_id, a.file_name FROM attachment a JOIN self_score s "
            "ON s.id = a.record_id WHERE a.record_table = 'self_score' AND a.deleted = 0 "
            "AND s.unit_code = ? AND s.index_name = ? AND s.year = ? ORDER BY a.updated_at",
            (unit, index, year),
        ):
            evidence.setdefault(ids[a["record_id"]], []).append(a["file_name"])
    self_pts = scoring.roll_up(nodes, order, {c: r["points"] for c, r in own.items()})
    appr_pts = scoring.roll_up(nodes, order, {c: r["points"] for c, r in appr.items()})
    sub = _submission(ctx, unit, index, year)
    returned = return_of(ctx, unit, index, year, sub)
    submitted = sub is not None and sub["state"] == "submitted" and returned is None
    items = []
    for code in order:
        n = nodes[code]
        leaf = not n.children
        if not leaf:
            state = ""
        elif code in appr:
            state = "appraised"
        elif n.method == "survey":
            state = "survey"
        elif submitted:
            state = "submitted"
        else:
            state = "scored" if own.get(code) and own[code]["points"] is not None else "empty"
        items.append(
            {
                "code": code,
                "level": n.level,
                "parent": n.parent,
                "title": n.title,
                "max_points": n.max_points,
                "method": n.method,
                "decimals": n.decimals,
                "scorable": leaf,
                "self_points": self_pts[code],
                "appraised_points": appr_pts[code],
                "evidence_count": len(evidence.get(code, []))
                if leaf
                else sum(len(evidence.get(c, [])) for c in order if _under(nodes, c, code)),
                "evidence": evidence.get(code, []),
                "note": own[code]["text"] if code in own else "",
                "comment": appr[code]["text"] if code in appr else "",
                "guidance": n.guidance,
                "evidence_required": n.evidence,
                "due": n.due_text,
                "state": state,
            }
        )
    leaves = [c for c in order if not nodes[c].children]
    return {
        "unit": unit,
        "index": index,
        "year": year,
        "framework_version": fw["fw_version"],
        "framework_title": fw["title_vi"],
        "sample": bool(fw["sample"]),
        "max_total": fw["total_points"],
        "self_total": _sum(own[c]["points"] for c in leaves if c in own),
        "appraised_total": _sum(appr[c]["points"] for c in leaves if c in appr),
        "state": _state(sub, len(leaves), len(own), len(appr), returned is not None),
        "submission": sub,
        "returned": returned,
        "items": items,
    }


def _under(nodes: dict[str, scoring.Node], code: str, ancestor: str) -> bool:
    p = nodes[code].parent
    while p:
        if p == ancestor:
            return True
        p = nodes[p].parent
    return False


def _sum(values) -> float | None:
    got = [v for v in values if v is not None]
    return round(sum(got), 4) if got else None


def _state(
    sub: dict[str, Any] | None, leaves: int, scored: int, appraised: int, returned: bool = False
) -> str:
    if returned:
        return "returned"
    if appraised and appraised >= leaves:
        return "appraised"
    if appraised:
        return "appraising"
    if sub is not None and sub["state"] == "submitted":
        return "submitted"
    return "draft" if scored else "not_started"


def list_items(ctx: AppContext, index: str, year: int) -> dict[str, Any]:
    """This commune's scorecard (``assess list``)."""
    site = ctx.require_site("commune")
    return scorecard(ctx, site.unit_code, index, year)


def set_score(
    ctx: AppContext,
    code: str,
    index: str,
    year: int,
    points: str | float,
    *,
    note: str | None = None,
    evidence: list[str | Path] | None = None,
) -> dict[str, Any]:
    """Record (or change) this commune's self-score of one criterion, with evidence files."""
    site = ctx.require_site("commune")
    index = assess_framework.check_index(index)
    year = check_year(year)
    fw = year_framework(ctx, site.unit_code, index, year)
    node = _leaf(fw, code)
    if node.method == "survey":
        raise UserError(
            f"Tiêu chí {node.code} chấm theo kết quả khảo sát; cơ quan giám sát nhập điểm, xã "
            "không tự chấm.",
            f"Criterion {node.code} is scored from the survey by the office, not by the commune.",
        )
    value, _ = scoring.check_points(points, node.max_points, node.decimals, node.code)
    sub = _submission(ctx, site.unit_code, index, year)
    returned = return_of(ctx, site.unit_code, index, year, sub)
    if sub is not None and sub["state"] == "submitted" and returned is None:
        raise UserError(
            f"Năm {year} đã gửi kết quả tự chấm {index}; không sửa điểm được nữa "
            "(trừ khi cơ quan giám sát trả lại để sửa).",
            f"The {index} self-assessment of {year} was submitted; scores can no longer change.",
        )
    files = [Path(f) for f in (evidence or [])]
    for f in files:
        if not f.is_file():
            raise UserError(
                f"Không tìm thấy tệp tài liệu kiểm chứng: {f}. Không có gì được lưu.",
                f"Evidence file not found: {f}. Nothing was saved.",
            )
    stored = [(f, *store_file(ctx.paths.attachments, f)) for f in files]
    rid = _score_id(site.unit_code, index, year, node.code)
    values: dict[str, Any] = {"points": value, "framework_version": fw["fw_version"]}
    if note is not None:
        values["note"] = nfc(note).strip()
    with ctx.db.transaction():
        if returned is not None and sub is not None and sub["state"] == "submitted":
            rows.update(ctx.db, "assess_submission", sub["id"], {"state": "reopened"})
        existing = ctx.db.one("SELECT deleted FROM self_score WHERE id = ?", (rid,))
        if existing is None:
            rows.insert(
                ctx.db,
                "self_score",
                {
                    "unit_code": site.unit_code,
                    "index_name": index,
                    "year": year,
                    "code": node.code,
                    **values,
                },
                row_id=rid,
            )
        else:
            if existing["deleted"]:
                rows.restore(ctx.db, "self_score", rid)
            rows.update(ctx.db, "self_score", rid, values)
        for f, sha, size in stored:
            rows.insert(
                ctx.db,
                "attachment",
                {
                    "sha256": sha,
                    "file_name": nfc(f.name),
                    "mime": guess_mime(f.name),
                    "size": size,
                    "evidence_date": ctx.today().isoformat(),
                    "record_table": "self_score",
                    "record_id": rid,
                },
            )
    return {"code": node.code, "points": value, "max_points": node.max_points,
            "evidence_added": len(stored)}  # fmt: skip


def submit(ctx: AppContext, index: str, year: int) -> dict[str, Any]:
    """Submit this commune's self-assessment of ``year``: every self-scored criterion must
    have points; afterwards the scores are locked and the office can appraise them."""
    site = ctx.require_site("commune")
    card = scorecard(ctx, site.unit_code, index, year)
    missing = [i["code"] for i in card["items"]
               if i["scorable"] and i["method"] == "self" and i["self_points"] is None]  # fmt: skip
    if missing:
        shown = ", ".join(missing[:8]) + (" …" if len(missing) > 8 else "")
        raise UserError(
            f"Chưa gửi được: còn {len(missing)} tiêu chí chưa tự chấm ({shown}).",
            f"Not submitted: {len(missing)} criteria have no score yet ({shown}).",
        )
    sub = card["submission"]
    if sub is not None and sub["state"] == "submitted" and card["returned"] is None:
        raise UserError(
            f"Năm {card['year']} đã gửi kết quả tự chấm {card['index']} rồi.",
            f"The {card['index']} self-assessment of {card['year']} was already submitted.",
        )
    values = {"state": "submitted", "framework_version": card["framework_version"],
              "self_total": card["self_total"] or 0.0, "acted_at": ctx.clock.now_iso(),
              "acted_by": site.user_name}  # fmt: skip
    rid = deterministic_id("assess_submission", site.unit_code, card["index"], card["year"])
    with ctx.db.transaction():
        if sub is None:
            rows.insert(
                ctx.db,
                "assess_submission",
                {
                    "unit_code": site.unit_code,
                    "index_name": card["index"],
                    "year": card["year"],
                    **values,
                },
                row_id=rid,
            )
        else:
            if sub["state"] == "submitted":  # returned, sent back unchanged: a new round
                rows.update(ctx.db, "assess_submission", sub["id"], {"state": "reopened"})
            rows.update(ctx.db, "assess_submission", sub["id"], values)
    return {"unit": site.unit_code, "index": card["index"], "year": card["year"],
            "self_total": values["self_total"], "max_total": card["max_total"]}  # fmt: skip


def appraise(
    ctx: AppContext,
    unit: str,
    code: str,
    index: str,
    year: int,
    points: str | float,
    *,
    comment: str | None = None,
) -> dict[str, Any]:
    """(Office) appraise one criterion of a commune's submitted self-assessment."""
    site = ctx.require_site("district")
    index = assess_framework.check_index(index)
    year = check_year(year)
    from papi_desktop.services.units import unit_code

    unit = unit_code(unit)
    name = ctx.db.scalar(
        "SELECT name FROM admin_unit WHERE level = 'commune' AND code = ?", (unit,)
    )
    if name is None:
        raise UserError(f"Không có xã/phường mã “{unit}”.", f"No commune with code “{unit}”.")
    fw = year_framework(ctx, unit, index, year)
    node = _leaf(fw, code)
    value, _ = scoring.check_points(points, node.max_points, node.decimals, node.code)
    sub = _submission(ctx, unit, index, year)
    if return_of(ctx, unit, index, year, sub) is not None:
        raise UserError(
            f"Đã trả lại kết quả tự chấm {index} năm {year} cho {name} sửa; chờ xã gửi lại "
            "rồi mới thẩm định.",
            f"The {index} {year} self-assessment was returned to {name}; wait for it to be "
            "submitted again.",
        )
    if sub is None or sub["state"] != "submitted":
        raise UserError(
            f"{name} chưa gửi kết quả tự chấm {index} năm {year}; chưa thẩm định được. "
            "Chờ gói USB có bản gửi của xã.",
            f"{name} has not submitted its {index} self-assessment for {year}; nothing to "
            "appraise yet.",
        )
    rid = _appraisal_id(unit, index, year, node.code)
    values: dict[str, Any] = {"points": value, "acted_at": ctx.clock.now_iso(),
                              "acted_by": site.user_name}  # fmt: skip
    if comment is not None:
        values["comment"] = nfc(comment).strip()
    with ctx.db.transaction():
        existing = ctx.db.one("SELECT deleted FROM appraisal WHERE id = ?", (rid,))
        if existing is None:
            rows.insert(
                ctx.db,
                "appraisal",
                {
                    "unit_code": unit,
                    "index_name": index,
                    "year": year,
                    "code": node.code,
                    **values,
                },
                row_id=rid,
            )
        else:
            if existing["deleted"]:
                rows.restore(ctx.db, "appraisal", rid)
            rows.update(ctx.db, "appraisal", rid, values)
    return {"unit": unit, "code": node.code, "points": value, "max_points": node.max_points}


def _shape(fw: dict[str, Any]) -> tuple[list[str], dict[str, str], list[str]]:
    """(leaves, the field of each leaf, fields) of a framework."""
    nodes, order = fw["nodes"], fw["order"]
    leaves = [c for c in order if not nodes[c].children]
    field_of = {}
    for c in leaves:
        top = c
        while nodes[top].parent:
            top = nodes[top].parent
        field_of[c] = top
    return leaves, field_of, [c for c in order if nodes[c].level == "field"]


def results(ctx: AppContext, index: str, year: int) -> dict[str, Any]:
    """(Office) per commune: self and appraised totals, maximum, rank (competition ranking
    by the appraised total), state; and the totals per field for the workbook. Each commune
    counts on the criteria version its year is scored on (``year_framework``)."""
    site = ctx.require_site("district")
    index = assess_framework.check_index(index)
    year = check_year(year)
    fw = assess_framework.current(ctx, index)
    nodes = fw["nodes"]
    shapes: dict[int, tuple[dict[str, Any], tuple]] = {fw["fw_version"]: (fw, _shape(fw))}
    fields = _shape(fw)[2]
    units: dict[str, dict[str, Any]] = {}
    for u in _units(ctx, site, index, year):
        units[u["code"]] = {"unit": u["code"], "name": u["name"], "self": {}, "appr": {}}
    for table, key in (("self_score", "self"), ("appraisal", "appr")):
        for r in _points(ctx, table, None, index, year):
            if r["unit_code"] in units and r["points"] is not None:
                units[r["unit_code"]][key][r["code"]] = r["points"]
    subs = {
        r["unit_code"]: dict(r)
        for r in ctx.db.query(
            "SELECT * FROM assess_submission WHERE index_name = ? AND year = ? AND deleted = 0",
            (index, year),
        )
    }
    returns = {
        r["unit_code"]: dict(r)
        for r in ctx.db.query(
            "SELECT * FROM assess_return WHERE index_name = ? AND year = ? AND deleted = 0",
            (index, year),
        )
    }
    first = {
        r[0]: r[1]
        for r in ctx.db.query(
            "SELECT unit_code, min(framework_version) FROM self_score WHERE index_name = ? "
            "AND year = ? AND deleted = 0 GROUP BY unit_code",
            (index, year),
        )
    }
    out = []
    for code, u in units.items():
        version = subs[code]["framework_version"] if code in subs else first.get(code)
        version = fw["fw_version"] if version is None else version
        if version not in shapes:
            other = assess_framework.current(ctx, index, version)
            shapes[version] = (other, _shape(other))
        ufw, (leaves, field_of, _) = shapes[version]
        own = {c: v for c, v in u["self"].items() if c in field_of}
        appr = {c: v for c, v in u["appr"].items() if c in field_of}
        per_field = {}
        for f in fields:
            per_field[f] = (
                _sum(v for c, v in own.items() if field_of[c] == f),
                _sum(v for c, v in appr.items() if field_of[c] == f),
            )
        out.append(
            {
                "unit": code,
                "name": u["name"],
                "self_total": _sum(own.values()),
                "appraised_total": _sum(appr.values()),
                "max_total": ufw["total_points"],
                "rank": None,
                "state": _state(
                    subs.get(code),
                    len(leaves),
                    len(own),
                    len(appr),
                    _returned(subs.get(code), returns.get(code)),
                ),
                "appraised_items": len(appr),
                "items": len(leaves),
                "framework_version": ufw["fw_version"],
                "fields": per_field,
            }
        )
    ranks = scoring.competition_rank({r["unit"]: r["appraised_total"] for r in out})
    for r in out:
        r["rank"] = ranks[r["unit"]]
    out.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["unit"]))
    return {
        "index": index,
        "year": year,
        "framework_version": fw["fw_version"],
        "framework_title": fw["title_vi"],
        "sample": bool(fw["sample"]),
        "max_total": fw["total_points"],
        "fields": [(f, nodes[f].title, nodes[f].max_points) for f in fields],
        "communes": out,
        "province_index": province_index(ctx, index, year),
    }


def province_index(ctx: AppContext, index: str, year: int) -> dict[str, Any] | None:
    """The province's published result of the national index (``scores``: "PAR INDEX") for
    ``year``, or the latest earlier one; shown beside the communes' appraised totals."""
    from papi_desktop.services import scores

    name = {"PAR": "PAR INDEX"}.get(index, index)
    found = [e for e in scores.list_scores(ctx, name) if e["year"] <= year and e["total"]]
    if not found:
        return None
    e = found[-1]
    return {"index": name, "year": e["year"], "total": e["total"], "rank": e["rank"],
            "of": e["of"]}  # fmt: skip


def province_index_text(info: dict[str, Any] | None) -> str:
    """ "PAR INDEX của tỉnh năm 2025: 85,3 điểm, hạng 12/63" ("" when none is recorded)."""
    if not info:
        return ""
    rank = f", hạng {info['rank']}/{info['of']}" if info["rank"] and info["of"] else ""
    return (f"{info['index']} của tỉnh năm {info['year']} (Bộ Nội vụ công bố): "
            f"{scoring.fmt_points(info['total'])} điểm{rank}.")  # fmt: skip


def _units(ctx: AppContext, site: Any, index: str, year: int) -> list[dict[str, Any]]:
    """The communes shown: those of the office's province that have any row of the year,
    plus every enrolled commune."""
    codes = {
        r[0]
        for r in ctx.db.query(
            "SELECT unit_code FROM self_score WHERE index_name = ? AND year = ? AND deleted = 0 "
            "UNION SELECT unit_code FROM assess_submission WHERE index_name = ? AND year = ? "
            "UNION SELECT unit_code FROM appraisal WHERE index_name = ? AND year = ? "
            "UNION SELECT unit_code FROM sync_peer WHERE role = 'commune' AND status = 'trusted'",
            (index, year, index, year, index, year),
        )
        if r[0]
    }
    if not codes:
        return []
    marks = ",".join("?" for _ in codes)
    return [
        {"code": r["code"], "name": r["name"]}
        for r in ctx.db.query(
            f"SELECT code, name FROM admin_unit WHERE level = 'commune' AND code IN ({marks}) "
            "ORDER BY code",
            sorted(codes),
        )
    ]
