"""Inspection visits (kiểm tra) of the supervising office to a commune.

The office plans a visit (``plan``), prints a checklist pre-filled from what the commune's
packages brought (``checklist``), records what the team finds item by item (``record``) and
closes the visit (``close``), then prints the minutes. The visit and its findings are the
office's rows; they carry the commune's ``unit_code`` so they travel in that commune's
package only. The commune answers a finding with a fix (``fix``): its own row, with
evidence, which returns by USB. ``list_inspections`` gives both sides the same view.

An item is a framework task in one period (``D1.1-01@2026``, ``D2.3-03@2026-Q1``) or one
disclosure record (``CK:`` and the first 8 characters of its id), the keys the printed
checklist shows in its first column.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from papi_desktop.domain.dates import format_date, parse_date
from papi_desktop.domain.periods import Period
from papi_desktop.domain.text import nfc
from papi_desktop.errors import UserError
from papi_desktop.services.context import AppContext
from papi_desktop.store import rows
from papi_desktop.store.attachments import guess_mime, store_file

SCOPES = ("tasks", "disclosures")
FINDINGS = ("ok", "issue", "not_seen")
FINDING_LABELS = {
    "ok": {"vi": "Đạt", "en": "Satisfactory"},
    "issue": {"vi": "Có tồn tại", "en": "Issue found"},
    "not_seen": {"vi": "Chưa kiểm tra được", "en": "Not seen"},
}
STATE_LABELS = {
    "planned": {"vi": "Đã lên kế hoạch", "en": "Planned"},
    "open": {"vi": "Đang kiểm tra", "en": "In progress"},
    "closed": {"vi": "Đã kết thúc", "en": "Closed"},
}
STALE_DAYS = 35
MAX_NOTE = 2000
MAX_TEAM = 20
DISCLOSURE_PREFIX = "CK:"


def _fmt(iso_text: str | None) -> str:
    """``dd/mm/yyyy`` of a stored ISO date, "" for none."""
    return format_date(date.fromisoformat(iso_text[:10])) if iso_text else ""


def _date(value: str | date | None, what_vi: str, what_en: str) -> date:
    if value in (None, ""):
        raise UserError(f"Thiếu {what_vi}.", f"The {what_en} is missing.")
    try:
        return value if isinstance(value, date) else parse_date(str(value))
    except UserError:
        raise
    except ValueError as exc:
        raise UserError(
            f"{what_vi.capitalize()} “{value}” không hợp lệ; nhập ngày/tháng/năm, ví dụ 15/03/2026.",
            f"The {what_en} “{value}” is not a valid date; use dd/mm/yyyy, e.g. 15/03/2026.",
        ) from exc


def _note(text: str | None) -> str:
    value = nfc(text or "").strip()
    if len(value) > MAX_NOTE:
        raise UserError(
            f"Ghi chú dài {len(value)} ký tự; tối đa {MAX_NOTE}.",
            f"The note has {len(value)} characters; at most {MAX_NOTE}.",
        )
    return value


def _names(text: str | list[str] | None) -> list[str]:
    parts = text if isinstance(text, list) else (text or "").replace("\n", ";").split(";")
    names = [nfc(p).strip() for p in parts if nfc(p).strip()]
    if len(names) > MAX_TEAM:
        raise UserError(
            f"Tối đa {MAX_TEAM} người trong đoàn.", f"At most {MAX_TEAM} people in a team."
        )
    return names


def _unit_name(ctx: AppContext, unit: str) -> str:
    row = ctx.db.one("SELECT name FROM admin_unit WHERE level = 'commune' AND code = ?", (unit,))
    return row["name"] if row else unit


def _known_unit(ctx: AppContext, unit: str) -> str:
    unit = (unit or "").strip()
    if unit.isdigit() and len(unit) < 5:
        unit = unit.zfill(5)
    site = ctx.require_site("district")
    row = ctx.db.one(
        "SELECT code, province_code FROM admin_unit WHERE level = 'commune' AND code = ?", (unit,)
    )
    if row is None or (site.province_code and row["province_code"] != site.province_code):
        raise UserError(
            f"Không có xã/phường mã “{unit}” trong tỉnh. Xem danh sách: papi-desktop communes list",
            f"No commune with code “{unit}” in this province. See: papi-desktop communes list",
        )
    # A commune that never sent a package can still be visited: its checklist is blank.
    return unit


def _inspection(ctx: AppContext, inspection_id: str) -> dict[str, Any]:
    key = (inspection_id or "").strip()
    found = (
        ctx.db.query(
            "SELECT * FROM inspection WHERE deleted = 0 AND id LIKE ? ORDER BY visit_on",
            (key + "%",),
        )
        if len(key) >= 4
        else []
    )
    site = ctx.require_site()
    if site.is_commune:
        found = [r for r in found if r["unit_code"] == site.unit_code]
    if len(found) != 1:
        raise UserError(
            f"Không tìm thấy đợt kiểm tra “{inspection_id}”"
            + (" (mã trùng nhiều đợt; nhập thêm ký tự)" if len(found) > 1 else "")
            + ". Xem danh sách: papi-desktop inspections list",
            f"No inspection “{inspection_id}”"
            + (" (several match; type more characters)" if len(found) > 1 else "")
            + ". See: papi-desktop inspections list",
        )
    out = dict(found[0])
    out["team"] = json.loads(out["team"] or "[]")
    out["scope"] = json.loads(out["scope"] or "[]")
    out["commune_reps"] = json.loads(out["commune_reps"] or "[]")
    return out


# -- planning ---------------------------------------------------------------------------------


def plan(
    ctx: AppContext,
    unit: str,
    on: str | date,
    team: str | list[str],
    scope: str | list[str] | None = None,
    *,
    year: int | None = None,
) -> str:
    """Plan a visit to ``unit`` on ``on``; return the new inspection's id."""
    unit = _known_unit(ctx, unit)
    day = _date(on, "ngày kiểm tra", "inspection date")
    members = _names(team)
    if not members:
        raise UserError(
            'Hãy ghi tên thành viên đoàn kiểm tra (--team "Họ tên; Họ tên").',
            'Name the members of the inspection team (--team "Name; Name").',
        )
    chosen = scope if isinstance(scope, list) else (scope or "tasks,disclosures").split(",")
    chosen = [s.strip() for s in chosen if s.strip()]
    bad = [s for s in chosen if s not in SCOPES]
    if bad or not chosen:
        raise UserError(
            f"Phạm vi “{', '.join(bad) or '—'}” không hợp lệ; chọn tasks, disclosures.",
            f"Unknown scope “{', '.join(bad) or '—'}”; use tasks, disclosures.",
        )
    today = ctx.today()
    if day < today.replace(year=today.year - 1):
        raise UserError(
            f"Ngày kiểm tra {day:%d/%m/%Y} đã quá một năm; hãy nhập ngày của đợt kiểm tra.",
            f"The inspection date {day:%d/%m/%Y} is over a year ago.",
        )
    if day > today + timedelta(days=366):
        raise UserError(
            f"Ngày kiểm tra {day:%d/%m/%Y} còn hơn một năm nữa; hãy kiểm tra lại năm.",
            f"The inspection date {day:%d/%m/%Y} is over a year ahead; check the year.",
        )
    the_year = year or day.year
    if the_year not in (day.year - 1, day.year):
        raise UserError(
            f"Năm được kiểm tra {the_year} không khớp ngày kiểm tra {day:%d/%m/%Y}: chỉ kiểm "
            f"tra năm {day.year} hoặc năm trước đó ({day.year - 1}).",
            f"The year inspected, {the_year}, does not fit the visit on {day:%d/%m/%Y}: only "
            f"{day.year} or the year before ({day.year - 1}).",
        )
    rid = str(uuid.uuid4())
    with ctx.db.transaction():
        rows.insert(
            ctx.db,
            "inspection",
            {
                "unit_code": unit,
                "year": the_year,
                "visit_on": day.isoformat(),
                "team": json.dumps(members, ensure_ascii=False),
                "scope": json.dumps(chosen),
                "state": "planned",
            },
            row_id=rid,
        )
    return rid


# -- what the team checks -------------------------------------------------------------------


def _evidence_counts(ctx: AppContext, table: str, ids: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        marks = ",".join("?" for _ in chunk)
        for r in ctx.db.query(
            f"SELECT record_id, count(*) FROM attachment WHERE deleted = 0 AND record_table = ? "
            f"AND record_id IN ({marks}) GROUP BY record_id",
            (table, *chunk),
        ):
            counts[r[0]] = r[1]
    return counts


def _task_lines(ctx: AppContext, insp: dict[str, Any]) -> list[dict[str, Any]]:
    """One line per framework task for the year (``CODE@YEAR``), summarising the periods
    due by the visit; a task with a single period is that period's line. Each period is
    also an item of its own (``CODE@PERIOD``) under the key ``periods``."""
    from papi_desktop.services import district, tasks

    unit, year = insp["unit_code"], int(insp["year"])
    visit = insp["visit_on"]
    if ctx.require_site().is_district:
        found = district.unit_checklist(ctx, unit, year)
    else:
        found = tasks.list_results(ctx, year=year)
    evidence = _evidence_counts(
        ctx, "task_result", [r["result_id"] for r in found if r.get("result_id")]
    )
    by_code: dict[str, list[dict[str, Any]]] = {}
    for r in found:
        by_code.setdefault(r["code"], []).append(r)
    out = []
    for code, periods in by_code.items():
        first = periods[0]
        # Periods due before the commune started tracking are not asked for (issue 12).
        counted = [r for r in periods if r["due"] <= visit and not r.get("before_tracking")]
        due = counted or periods[:1]
        done = sum(1 for r in counted if r["status"] == "done")
        line = {
            "kind": "task",
            "evidence": sum(evidence.get(r.get("result_id") or "", 0) for r in periods),
            "detail": "",
            "periods": [f"{code}@{r['period']}" for r in periods],
        }
        if len(periods) == 1:
            line.update(item=f"{code}@{first['period']}", label=f"{code} {first['title']}",
                        due=first["due"], status=first["status"], result=first["result"])  # fmt: skip
        else:
            line.update(
                item=f"{code}@{year}",
                label=f"{code} {first['title']}",
                due=due[-1]["due"],
                status="summary",
                result="",
                detail=(
                    f"{done}/{len(counted)} kỳ đến hạn đã hoàn thành"
                    if counted
                    else "chưa có kỳ nào đến hạn"
                ),
            )
        out.append(line)
    return out


def items_of(ctx: AppContext, insp: dict[str, Any]) -> list[dict[str, Any]]:
    """The checklist lines of a visit, pre-filled with what this PC holds of the commune."""
    from papi_desktop.services import disclosures

    out: list[dict[str, Any]] = []
    unit, year = insp["unit_code"], int(insp["year"])
    site = ctx.require_site()
    if "tasks" in insp["scope"]:
        out += _task_lines(ctx, insp)
    if "disclosures" in insp["scope"]:
        found = (
            disclosures.list_items(ctx, year=year, unit=unit)
            if site.is_district
            else disclosures.list_items(ctx, year=year)
        )
        evidence = _evidence_counts(ctx, "disclosure", [d["id"] for d in found])
        for d in found:
            periods: dict[str, list[str]] = {}
            for p in d["places"]:
                when = (
                    f"{_fmt(p['posted_on'])[:5]}–{_fmt(p['ends_on'])[:5] or '…'}"
                    if p["posted_on"]
                    else "chưa niêm yết"
                )
                periods.setdefault(when, []).append(p["place"])
            places = "; ".join(f"{when}: {', '.join(names)}" for when, names in periods.items())
            out.append(
                {
                    "item": DISCLOSURE_PREFIX + d["id"][:8],
                    "kind": "disclosure",
                    "label": d["title"],
                    "due": d["post_deadline"],
                    "status": d["status"],
                    "result": "",
                    "evidence": evidence.get(d["id"], 0),
                    "detail": places,
                }
            )
    return out


def package_age(ctx: AppContext, unit: str) -> int | None:
    """Days since the commune's newest package reached this office (None: never)."""
    from papi_desktop.services import district

    stamp = district.last_packages(ctx, [unit]).get(unit)
    if not stamp:
        return None
    return (ctx.today() - date.fromisoformat(stamp[:10])).days


def checklist(ctx: AppContext, inspection_id: str) -> dict[str, Any]:
    """Everything the printed checklist shows: the visit, its lines and the package age."""
    insp = _inspection(ctx, inspection_id)
    age = package_age(ctx, insp["unit_code"]) if ctx.require_site().is_district else None
    findings = {f["item"]: f for f in _findings(ctx, insp["id"])}
    lines = items_of(ctx, insp)
    for line in lines:
        f = findings.get(line["item"])
        line["finding"] = f["finding"] if f else None
        line["finding_note"] = f["note"] if f else ""
        line["fix_by"] = f["fix_by"] if f else None
    warning = None
    if age is None or age > STALE_DAYS:
        warning = {
            "vi": (
                "Chưa nhận được gói dữ liệu nào của xã: cột tình trạng để trống."
                if age is None
                else f"Dữ liệu điền sẵn lấy từ gói USB cách đây {age} ngày (quá {STALE_DAYS} "
                "ngày): hãy đối chiếu tại xã."
            ),
            "en": (
                "No package from this commune yet: the status columns are empty."
                if age is None
                else f"Pre-filled data comes from a USB package {age} days old (over "
                f"{STALE_DAYS} days): check it on site."
            ),
        }
    return {
        **insp,
        "unit_name": _unit_name(ctx, insp["unit_code"]),
        "package_age_days": age,
        "warning": warning,
        "lines": lines,
    }


# -- findings ---------------------------------------------------------------------------------


def _findings(ctx: AppContext, inspection_id: str) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in ctx.db.query(
            "SELECT f.*, x.fixed_on, x.note AS fix_note, x.id AS fix_id "
            "FROM inspection_finding f LEFT JOIN inspection_fix x "
            "ON x.finding_id = f.id AND x.unit_code = f.unit_code AND x.deleted = 0 "
            "WHERE f.inspection_id = ? AND f.deleted = 0 ORDER BY f.rowid",
            (inspection_id,),
        )
    ]


def _finding_id(inspection_id: str, item: str) -> str:
    # Deterministic, so the same finding recorded twice (a restored PC) meets one row.
    return str(uuid.uuid5(uuid.UUID(inspection_id), item))


def _resolve_item(ctx: AppContext, insp: dict[str, Any], item: str) -> dict[str, Any]:
    key = nfc(item or "").strip()
    if key.upper().startswith(DISCLOSURE_PREFIX):
        key = DISCLOSURE_PREFIX + key[len(DISCLOSURE_PREFIX) :].lower()
    main = items_of(ctx, insp)
    lines: dict[str, dict[str, Any]] = {}
    for line in main:
        lines[line["item"]] = line
        for period_key in line.get("periods", []):
            period = Period.parse(period_key.split("@", 1)[1]).label_vi
            lines.setdefault(
                period_key, {**line, "item": period_key, "label": f"{line['label']} ({period})"}
            )
    if key in lines:
        return lines[key]
    if "@" not in key:
        # A bare task code means the task's line on the checklist (the year, or its period).
        for line in main:
            if line["kind"] == "task" and line["item"].split("@", 1)[0] == key:
                return line
    raise UserError(
        f"Mục “{item}” không có trong phiếu kiểm tra của đợt này (năm {insp['year']}). "
        "Mã mục in ở cột đầu của phiếu, ví dụ D1.1-01@2026 hoặc CK:1a2b3c4d.",
        f"Item “{item}” is not on this inspection's checklist ({insp['year']}). Item keys "
        "are in the first column of the checklist, e.g. D1.1-01@2026 or CK:1a2b3c4d.",
    )


def record(
    ctx: AppContext,
    inspection_id: str,
    item: str,
    finding: str,
    note: str | None = None,
    fix_by: str | date | None = None,
) -> dict[str, Any]:
    """Record (or correct) what the team found for one item; returns the finding."""
    ctx.require_site("district")
    insp = _inspection(ctx, inspection_id)
    if insp["state"] == "closed":
        raise UserError(
            f"Đợt kiểm tra ngày {_fmt(insp['visit_on'])} đã kết thúc; không ghi thêm "
            "kết quả. Nếu cần, hãy lập đợt kiểm tra mới.",
            f"The inspection of {_fmt(insp['visit_on'])} is closed; no more findings.",
        )
    visit = date.fromisoformat(insp["visit_on"])
    if ctx.today() < visit:
        raise UserError(
            f"Đợt kiểm tra diễn ra ngày {visit:%d/%m/%Y}; chỉ ghi kết quả từ ngày đó.",
            f"The visit is on {visit:%d/%m/%Y}; findings can be recorded from that day.",
        )
    if finding not in FINDINGS:
        raise UserError(
            f"Kết quả “{finding}” không hợp lệ; chọn ok, issue, not_seen.",
            f"Unknown finding “{finding}”; use ok, issue or not_seen.",
        )
    text = _note(note)
    due = _date(fix_by, "hạn khắc phục", "fix-by date") if fix_by not in (None, "") else None
    if finding == "issue" and not text:
        raise UserError(
            'Ghi rõ tồn tại cần khắc phục (--note "…").',
            'Describe the issue to fix (--note "…").',
        )
    if due is not None and finding != "issue":
        raise UserError(
            "Chỉ đặt hạn khắc phục (--fix-by) cho mục “có tồn tại” (issue).",
            "A fix-by date (--fix-by) only goes with an issue.",
        )
    if due is not None and due > visit + timedelta(days=2 * 366):
        raise UserError(
            f"Hạn khắc phục {due:%d/%m/%Y} quá xa (hơn hai năm sau ngày kiểm tra); hãy kiểm tra "
            "lại năm.",
            f"The fix-by date {due:%d/%m/%Y} is over two years after the visit; check the year.",
        )
    if due is not None and due < visit:
        raise UserError(
            f"Hạn khắc phục {due:%d/%m/%Y} trước ngày kiểm tra {visit:%d/%m/%Y}.",
            f"The fix-by date {due:%d/%m/%Y} is before the visit on {visit:%d/%m/%Y}.",
        )
    line = _resolve_item(ctx, insp, item)
    fid = _finding_id(insp["id"], line["item"])
    values = {
        "finding": finding,
        "note": text,
        "fix_by": due.isoformat() if due else None,
        "item_label": line["label"],
    }
    with ctx.db.transaction():
        existing = ctx.db.one("SELECT deleted FROM inspection_finding WHERE id = ?", (fid,))
        if existing is None:
            rows.insert(
                ctx.db,
                "inspection_finding",
                {"inspection_id": insp["id"], "unit_code": insp["unit_code"],
                 "item": line["item"], **values},
                row_id=fid,
            )  # fmt: skip
        else:
            if existing["deleted"]:
                rows.restore(ctx.db, "inspection_finding", fid)
            rows.update(ctx.db, "inspection_finding", fid, values)
        if insp["state"] == "planned":
            rows.update(ctx.db, "inspection", insp["id"], {"state": "open"})
    return {"id": fid, "item": line["item"], **values}


def close(
    ctx: AppContext,
    inspection_id: str,
    *,
    on: str | date | None = None,
    commune_reps: str | list[str] | None = None,
    conclusion: str | None = None,
) -> dict[str, Any]:
    """Close the visit (no more findings); the minutes can then be printed."""
    ctx.require_site("district")
    insp = _inspection(ctx, inspection_id)
    if insp["state"] == "closed":
        raise UserError(
            f"Đợt kiểm tra này đã kết thúc ngày {_fmt(insp['closed_on'])}.",
            f"This inspection was closed on {_fmt(insp['closed_on'])}.",
        )
    if not _findings(ctx, insp["id"]):
        raise UserError(
            "Chưa ghi kết quả nào cho đợt kiểm tra này; hãy ghi kết quả trước khi kết thúc "
            "(papi-desktop inspections record …).",
            "No finding recorded yet; record findings before closing.",
        )
    visit = date.fromisoformat(insp["visit_on"])
    day = _date(on, "ngày kết thúc", "closing date") if on not in (None, "") else ctx.today()
    if day < visit or day > ctx.today():
        raise UserError(
            f"Ngày kết thúc {day:%d/%m/%Y} phải từ ngày kiểm tra {visit:%d/%m/%Y} đến hôm nay.",
            f"The closing date {day:%d/%m/%Y} must be between the visit "
            f"({visit:%d/%m/%Y}) and today.",
        )
    values = {
        "state": "closed",
        "closed_on": day.isoformat(),
        "commune_reps": json.dumps(_names(commune_reps), ensure_ascii=False),
        "conclusion": _note(conclusion),
    }
    with ctx.db.transaction():
        rows.update(ctx.db, "inspection", insp["id"], values)
    return _inspection(ctx, insp["id"])


# -- the commune's answer ---------------------------------------------------------------------


def fix(
    ctx: AppContext,
    inspection_id: str,
    item: str,
    on: str | date,
    note: str | None = None,
    evidence: list[Path] | None = None,
) -> dict[str, Any]:
    """The commune records that it fixed what a finding asked, with evidence."""
    site = ctx.require_site("commune")
    insp = _inspection(ctx, inspection_id)
    key = nfc(item or "").strip()
    if key.upper().startswith(DISCLOSURE_PREFIX):
        key = DISCLOSURE_PREFIX + key[len(DISCLOSURE_PREFIX) :].lower()
    findings = [f for f in _findings(ctx, insp["id"]) if f["unit_code"] == site.unit_code]
    match = [f for f in findings if f["item"] == key or f["item"].split("@")[0] == key]
    if len(match) != 1 or match[0]["finding"] != "issue":
        raise UserError(
            f"Đợt kiểm tra này không có tồn tại nào ở mục “{item}” cần khắc phục. Xem các mục: "
            "papi-desktop inspections list",
            f"This inspection has no issue to fix at “{item}”. See: papi-desktop inspections list",
        )
    finding = match[0]
    day = _date(on, "ngày khắc phục", "fix date")
    visit = date.fromisoformat(insp["visit_on"])
    if day < visit or day > ctx.today():
        raise UserError(
            f"Ngày khắc phục {day:%d/%m/%Y} phải từ ngày kiểm tra {visit:%d/%m/%Y} đến hôm nay.",
            f"The fix date {day:%d/%m/%Y} must be between the visit ({visit:%d/%m/%Y}) and today.",
        )
    text = _note(note)
    files = [Path(f) for f in (evidence or [])]
    for f in files:
        if not f.is_file():
            raise UserError(
                f"Không tìm thấy tệp minh chứng: {f}. Không có gì được lưu.",
                f"Evidence file not found: {f}. Nothing was saved.",
            )
    stored = [(f, *store_file(ctx.paths.attachments, f)) for f in files]
    fix_id = str(uuid.uuid5(uuid.UUID(finding["id"]), "fix"))
    with ctx.db.transaction():
        existing = ctx.db.one("SELECT deleted FROM inspection_fix WHERE id = ?", (fix_id,))
        values = {"fixed_on": day.isoformat(), "note": text}
        if existing is None:
            rows.insert(
                ctx.db,
                "inspection_fix",
                {"finding_id": finding["id"], "unit_code": site.unit_code, **values},
                row_id=fix_id,
            )
        else:
            if existing["deleted"]:
                rows.restore(ctx.db, "inspection_fix", fix_id)
            rows.update(ctx.db, "inspection_fix", fix_id, values)
        for f, sha, size in stored:
            rows.insert(
                ctx.db,
                "attachment",
                {"sha256": sha, "file_name": nfc(f.name), "mime": guess_mime(f.name),
                 "size": size, "evidence_date": day.isoformat(),
                 "record_table": "inspection_fix", "record_id": fix_id},
            )  # fmt: skip
    return {"id": fix_id, "item": finding["item"], "fixed_on": day.isoformat(), "note": text}


# -- lists ------------------------------------------------------------------------------------


def list_inspections(ctx: AppContext, unit: str | None = None) -> list[dict[str, Any]]:
    """Every visit (the commune sees its own), newest first, with its findings counted."""
    site = ctx.require_site()
    where, params = ["deleted = 0"], []
    if site.is_commune:
        where.append("unit_code = ?")
        params.append(site.unit_code)
    elif unit:
        where.append("unit_code = ?")
        params.append(_known_unit(ctx, unit))
    today = ctx.today()
    out = []
    for r in ctx.db.query(
        f"SELECT * FROM inspection WHERE {' AND '.join(where)} ORDER BY visit_on DESC, id",
        params,
    ):
        findings = _findings(ctx, r["id"])
        issues = [f for f in findings if f["finding"] == "issue"]
        fixed = [f for f in issues if f["fixed_on"]]
        overdue = [
            f for f in issues if not f["fixed_on"] and f["fix_by"] and f["fix_by"] < str(today)
        ]
        entry = {
            "id": r["id"],
            "unit": r["unit_code"],
            "name": _unit_name(ctx, r["unit_code"]),
            "on": r["visit_on"],
            "year": r["year"],
            "team": json.loads(r["team"] or "[]"),
            "state": r["state"],
            "issues": len(issues),
            "fixed": len(fixed),
            "overdue_fixes": len(overdue),
        }
        if site.is_commune:
            entry["findings"] = [
                {"item": f["item"], "label": f["item_label"], "finding": f["finding"],
                 "note": f["note"], "fix_by": f["fix_by"], "fixed_on": f["fixed_on"]}
                for f in findings
            ]  # fmt: skip
        out.append(entry)
    return out


def open_fixes(ctx: AppContext) -> list[dict[str, Any]]:
    """The commune's issues still to fix, soonest deadline first (home page)."""
    site = ctx.require_site()
    if not site.is_commune:
        return []
    today = ctx.today()
    out = []
    for insp in list_inspections(ctx):
        for f in insp.get("findings", []):
            if f["finding"] == "issue" and not f["fixed_on"]:
                out.append(
                    {**f, "inspection": insp["id"], "visit_on": insp["on"],
                     "overdue": bool(f["fix_by"] and f["fix_by"] < str(today))}
                )  # fmt: skip
    return sorted(out, key=lambda f: (f["fix_by"] or "9999", f["item"]))
