"""The PAPI task framework checklist: periods, results, evidence, history."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from papi_desktop.domain.dates import parse_date
from papi_desktop.domain.obligations import ObligationSchedule
from papi_desktop.domain.periods import (
    RESULT_LABELS,
    STATUS_LABELS,
    TASK_RESULTS,
    TASK_STATUSES,
    DueRule,
    Period,
    before_tracking,
    is_overdue,
    periods_in_year,
)
from papi_desktop.domain.subdimensions import OTHER, filed_under, load_criteria
from papi_desktop.domain.task_levels import (
    COMMUNE,
    OFFICE,
    OFFICE_TRACKING_SETTING,
    OFFICE_UNIT,
    side_of,
)
from papi_desktop.domain.text import fold, nfc
from papi_desktop.errors import UserError
from papi_desktop.services.context import AppContext
from papi_desktop.store import rows
from papi_desktop.store.attachments import guess_mime, store_file

# The index of every checklist command that does not name one: PAPI, so command lines
# written before other indices existed keep their meaning.
DEFAULT_INDEX = "PAPI"


@dataclass(frozen=True)
class TaskDef:
    id: str
    code: str
    # the one sub-dimension the task is filed under in the tree ("" = directly under its
    # dimension); ``criteria`` are all of its sub-dimensions, possibly across dimensions
    criterion_code: str
    dimension: str  # "" (``OTHER``): under no dimension, shown as "Khác"
    title_vi: str
    title_en: str
    level: str
    lead_role: str
    partners: list[str]
    due_rule: DueRule
    output_vi: str
    disclosure_type: str | None
    search_key: str
    # The periods and due dates: the disclosure type's yearly plan when the task refers to a
    # type that has one (``ObligationSchedule``), else the task's own ``due_rule``.
    schedule: DueRule | ObligationSchedule
    criteria: tuple[str, ...] = ()


def _type_plans(ctx: AppContext) -> dict[str, list[dict[str, Any]]]:
    return {
        r["code"]: json.loads(r["plan"] or "[]")
        for r in ctx.db.query("SELECT code, plan FROM disclosure_type WHERE deleted = 0")
    }


def task_schedule(
    due_rule: DueRule,
    disclosure_type: str | None,
    plans: dict[str, list[dict[str, Any]]],
    cal: Any,
) -> DueRule | ObligationSchedule:
    """The one schedule of a task: its disclosure type's plan entries when it has any."""
    if disclosure_type:
        sched = ObligationSchedule.of(disclosure_type, plans.get(disclosure_type, []), cal)
        if sched is not None:
            return sched
    return due_rule


def active_indices(ctx: AppContext) -> list[str]:
    """The indices with a current checklist framework on this PC, PAPI first. The Tasks
    and Xã/phường pages offer a choice of index only when there is more than one."""
    found = [
        r[0]
        for r in ctx.db.query(
            "SELECT DISTINCT index_name FROM framework WHERE is_current = 1 AND deleted = 0 "
            "ORDER BY index_name"
        )
    ]
    return sorted(found, key=lambda i: (i != DEFAULT_INDEX, i))


def check_index(ctx: AppContext, index: str | None) -> str:
    """``index`` as stored (any case, default PAPI) when it has a checklist framework here;
    else one plain line naming the indices there are."""
    wanted = (index or DEFAULT_INDEX).strip()
    active = active_indices(ctx)
    for name in active:
        if name.casefold() == wanted.casefold():
            return name
    if wanted.casefold() == DEFAULT_INDEX.casefold():
        current_framework(ctx, DEFAULT_INDEX)  # its own message: no framework received yet
    shown = ", ".join(active) or "—"
    raise UserError(
        f"Chưa có bộ khung nhiệm vụ của chỉ số “{wanted}” trên máy này; các chỉ số có bộ "
        f"khung: {shown}.",
        f"No task framework of the index “{wanted}” on this PC; indices with a framework: {shown}.",
    )


def current_framework(ctx: AppContext, index: str = DEFAULT_INDEX) -> dict[str, Any]:
    row = ctx.db.one(
        "SELECT * FROM framework WHERE is_current = 1 AND deleted = 0 AND index_name = ? "
        "ORDER BY fw_version DESC LIMIT 1",
        (index,),
    )
    if row is None:
        raise UserError(
            f"Chưa có bộ khung nhiệm vụ {index}. Hãy nhận bộ khung từ cơ quan giám sát qua USB.",
            f"No {index} task framework yet. Receive it from the supervising office by USB.",
        )
    return dict(row)


def framework_tasks(
    ctx: AppContext,
    framework_id: str | None = None,
    level: str | None = COMMUNE,
    index: str = DEFAULT_INDEX,
) -> list[TaskDef]:
    """The active tasks of a framework (default: the current one of ``index``) for one
    checklist: ``level="commune"`` the commune's (its villages' tasks included),
    ``"office"`` the supervising office's own, ``None`` every task (the framework workbook)."""
    fid = framework_id or current_framework(ctx, index)["id"]
    plans = _type_plans(ctx)
    cal = ctx.calendar()
    out = []
    for r in ctx.db.query(
        "SELECT * FROM task WHERE framework_id = ? AND deleted = 0 AND retired = 0 "
        "ORDER BY sort_order, code",
        (fid,),
    ):
        if level is not None and side_of(r["level"]) != level:
            continue
        due_rule = DueRule.parse(r["due_rule"])
        subs = tuple(load_criteria(r["criteria"]))
        out.append(
            TaskDef(
                id=r["id"],
                code=r["code"],
                criterion_code=filed_under(r["dimension"], subs),
                dimension=r["dimension"] or OTHER,
                title_vi=r["title_vi"],
                title_en=r["title_en"],
                level=r["level"],
                lead_role=r["lead_role"],
                partners=json.loads(r["partners"] or "[]"),
                due_rule=due_rule,
                output_vi=r["output_vi"],
                disclosure_type=r["disclosure_type"],
                search_key=r["search_key"],
                schedule=task_schedule(due_rule, r["disclosure_type"], plans, cal),
                criteria=subs,
            )
        )
    return out


def criteria(ctx: AppContext, index: str = DEFAULT_INDEX) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in ctx.db.query(
            "SELECT code, parent_code, level, name_vi, name_en, short_vi, short_en, confidence "
            "FROM criterion WHERE index_name = ? AND deleted = 0 ORDER BY sort_order",
            (index,),
        )
    ]


def own_unit(ctx: AppContext) -> tuple[str, str]:
    """(unit code, checklist level) of this PC's own checklist: the commune's code and
    ``commune``, or ``OFFICE_UNIT`` and ``office`` on the supervising office's PC."""
    site = ctx.require_site()
    if site.is_commune:
        return site.unit_code, COMMUNE
    return OFFICE_UNIT, OFFICE


def office_tracking_from(ctx: AppContext) -> date | None:
    """The day the office's own checklist starts (periods due before are not overdue)."""
    text = ctx.db.get_setting(OFFICE_TRACKING_SETTING)
    return date.fromisoformat(text) if text else None


def commune_units_with_results(ctx: AppContext) -> list[str]:
    """Codes of the communes with task results here (never the office's own key)."""
    return [
        r[0]
        for r in ctx.db.query(
            "SELECT DISTINCT unit_code FROM task_result WHERE deleted = 0 AND unit_code != ? "
            "ORDER BY unit_code",
            (OFFICE_UNIT,),
        )
    ]


def _units_in_scope(ctx: AppContext, unit: str | None) -> list[str]:
    site = ctx.require_site()
    if site.is_commune:
        if unit and unit != site.unit_code:
            raise UserError(
                f"Máy này chỉ có dữ liệu của {site.unit_name} (mã {site.unit_code}).",
                f"This PC only holds data of {site.unit_name} ({site.unit_code}).",
            )
        return [site.unit_code]
    if unit:
        if unit != OFFICE_UNIT:
            _check_office_unit(ctx, unit)
        return [unit]
    return commune_units_with_results(ctx)


def _check_office_unit(ctx: AppContext, unit: str) -> None:
    """At the office, a commune's checklist exists once its data has come here; an unknown
    code, or a commune that has sent nothing, would show every task "overdue"."""
    from papi_desktop.services import district

    if unit in district.enrolled_units(ctx):
        return
    names = district.unit_names(ctx, [unit])
    site = ctx.require_site()
    if names.get(unit, unit) == unit:
        raise UserError(
            f"Không có xã/phường mã “{unit}” trong danh mục. Tìm mã bằng: papi-desktop units "
            "search TÊN",
            f"No commune with the code “{unit}”. Find the code with: papi-desktop units search "
            "NAME",
        )
    raise UserError(
        f"Chưa có dữ liệu của {names[unit]} (mã {unit}) trên máy {site.unit_name}: chưa nhận "
        "gói USB nào của xã/phường này.",
        f"No data of {names[unit]} ({unit}) on this PC yet: no USB package received from it.",
    )


def list_results(
    ctx: AppContext,
    *,
    year: int | None = None,
    status: str | None = None,
    dimension: str | None = None,
    unit: str | None = None,
    overdue_only: bool = False,
    search: str | None = None,
    period: str | None = None,
    index: str = DEFAULT_INDEX,
) -> list[dict[str, Any]]:
    """One row per unit, task and period of ``year`` on the checklist of ``index``, with the
    saved answer or the defaults."""
    today = ctx.today()
    year = year or today.year
    if not 1900 < year < 2200:
        raise UserError(f"Năm {year} không hợp lệ.", f"Invalid year {year}.")
    if status and status not in TASK_STATUSES:
        raise UserError(
            f"Trạng thái “{status}” không hợp lệ; chọn một trong: {', '.join(TASK_STATUSES)}.",
            f"Unknown status “{status}”; use one of: {', '.join(TASK_STATUSES)}.",
        )
    fw = current_framework(ctx, index)
    if dimension:
        _check_dimension(ctx, index, dimension)
    units = _units_in_scope(ctx, unit)
    level = OFFICE if units == [OFFICE_UNIT] else COMMUNE
    tasks = framework_tasks(ctx, fw["id"], level)
    if dimension:
        tasks = [t for t in tasks if t.dimension == dimension]
    if search:
        q = fold(search)
        tasks = [t for t in tasks if all(w in t.search_key for w in q.split())]
    marks = ",".join("?" for _ in units)
    saved: dict[tuple[str, str, str], Any] = {}
    if units:
        for r in ctx.db.query(
            "SELECT id, unit_code, task_code, period, status, result, na_reason, done_on, note, "
            "follow_up, framework_version, updated_at, updated_by FROM task_result "
            f"WHERE deleted = 0 AND unit_code IN ({marks}) AND substr(period, 1, 4) = ?",
            (*units, str(year)),
        ):
            saved[(r["unit_code"], r["task_code"], r["period"])] = r
    schedule = {t.code: periods_in_year(t.schedule, year) for t in tasks}
    from papi_desktop.services.units import tracking_dates

    tracking = tracking_dates(ctx)
    if OFFICE_UNIT in units:
        tracking[OFFICE_UNIT] = office_tracking_from(ctx)
    cal = ctx.calendar()
    out: list[dict[str, Any]] = []
    for u in units:
        tracked_from = tracking.get(u)
        for t in tasks:
            for p, due in schedule[t.code]:
                pstr = str(p)
                if period and pstr != period:
                    continue
                r = saved.get((u, t.code, pstr))
                st = r["status"] if r else "todo"
                res = r["result"] if r else "unassessed"
                early = before_tracking(due, tracked_from)
                late = not early and is_overdue(due, st, res, today)
                if status and st != status:
                    continue
                if overdue_only and not late:
                    continue
                out.append(
                    {
                        "code": t.code,
                        "title": t.title_vi,
                        "title_en": t.title_en,
                        "dimension": t.dimension,
                        "criterion": t.criterion_code,
                        "criteria": list(t.criteria),
                        "index": index,
                        "period": pstr,
                        "status": st,
                        "result": res,
                        "due": due.isoformat(),
                        "overdue": late,
                        "before_tracking": early,
                        # A date from the type's plan moved over days off not yet official.
                        "provisional": isinstance(t.schedule, ObligationSchedule)
                        and cal.is_provisional(due),
                        "unit": u,
                        "done_on": r["done_on"] if r else None,
                        "note": r["note"] if r else "",
                        "na_reason": r["na_reason"] if r else "",
                        "follow_up": bool(r["follow_up"]) if r else False,
                        "lead_role": t.lead_role,
                        "disclosure_type": t.disclosure_type,
                        "due_rule": t.schedule.label_vi,
                        "due_rule_en": t.schedule.label_en,
                        "framework_version": fw["fw_version"],
                        "result_id": r["id"] if r else None,
                    }
                )
    return out


def _check_dimension(ctx: AppContext, index: str, dimension: str) -> None:
    dims = [c["code"] for c in criteria(ctx, index) if c["level"] == "dimension"]
    if dimension not in dims:
        shown = ", ".join(dims)
        raise UserError(
            f"Chỉ số nội dung “{dimension}” không hợp lệ; chọn một trong: {shown}.",
            f"Unknown dimension “{dimension}”; use one of: {shown}.",
        )


def task_by_code(
    ctx: AppContext, code: str, level: str = COMMUNE, index: str = DEFAULT_INDEX
) -> TaskDef:
    """A task of the current framework of ``index`` on the ``level`` checklist, by code
    (any case)."""
    code = (code or "").strip()
    for t in framework_tasks(ctx, level=level, index=index):
        if t.code.casefold() == code.casefold():
            return t
    flag = "" if index == DEFAULT_INDEX else f' --index "{index}"'
    if level == OFFICE:
        if any(t.code.casefold() == code.casefold() for t in framework_tasks(ctx, index=index)):
            raise UserError(
                f"Nhiệm vụ {code} là nhiệm vụ của xã: chỉ làm trên máy của xã. Máy cơ quan giám "
                "sát chỉ ghi kết quả nhiệm vụ của cơ quan (xem: papi-desktop tasks list --unit "
                "office).",
                f"Task {code} is a commune task: only a commune's PC records it. The office's PC "
                "records its own tasks only (see: papi-desktop tasks list --unit office).",
            )
        raise UserError(
            f"Không có nhiệm vụ mã “{code}” trong danh mục nhiệm vụ của cơ quan giám sát. "
            "Xem danh sách mã bằng: papi-desktop tasks list --unit office",
            f"No task with code “{code}” on the supervising office's checklist. "
            "See: papi-desktop tasks list --unit office",
        )
    raise UserError(
        f"Không có nhiệm vụ mã “{code}” trong bộ khung hiện hành. "
        f"Xem danh sách mã bằng: papi-desktop tasks list{flag}",
        f"No task with code “{code}” in the current framework. See: papi-desktop tasks list{flag}",
    )


# Results are recorded for the years the Tasks page offers: this year, next year (planning
# ahead) and six years back; "2031-05" is a typo for "2026-05", not a plan.
YEARS_BACK, YEARS_AHEAD = 6, 1


def answer_years(ctx: AppContext) -> list[int]:
    """The years a result may be recorded for, newest first (the Tasks page's year list)."""
    this = ctx.today().year
    return list(range(this + YEARS_AHEAD, this - YEARS_BACK - 1, -1))


def check_answer_year(ctx: AppContext, period: Period) -> None:
    """Refuse a period whose year is outside ``answer_years`` (one line, both languages)."""
    years = answer_years(ctx)
    if period.year not in years:
        raise UserError(
            f"Kỳ “{period}” thuộc năm {period.year}, ngoài các năm được ghi kết quả "
            f"({years[-1]}–{years[0]}). Kiểm tra lại năm của kỳ.",
            f"Period “{period}” is in {period.year}, outside the years results are kept for "
            f"({years[-1]}–{years[0]}). Check the year of the period.",
        )


def valid_periods(task: TaskDef, year: int) -> list[str]:
    return [str(p) for p, _ in periods_in_year(task.schedule, year)]


def _check_done_on(ctx: AppContext, done_on: str | date | None, p: Period) -> date | None:
    """The done date, refused when empty-but-given, in the future or before the period."""
    if done_on is None:
        return None
    if isinstance(done_on, str) and not done_on.strip():
        raise UserError(
            "Ngày hoàn thành để trống. Hãy nhập ngày đã làm xong (ngày/tháng/năm), "
            "hoặc bỏ hẳn --done-on.",
            "The done date is empty. Enter the day it was done (dd/mm/yyyy), or leave out "
            "--done-on.",
        )
    done_date = parse_date(done_on)
    if done_date > ctx.today():
        raise UserError(
            f"Ngày hoàn thành {done_date:%d/%m/%Y} ở tương lai. Hãy nhập ngày đã làm xong.",
            f"Done date {done_date:%d/%m/%Y} is in the future.",
        )
    if done_date < p.start:
        raise UserError(
            f"Ngày hoàn thành {done_date:%d/%m/%Y} trước khi kỳ {p} bắt đầu "
            f"({p.start:%d/%m/%Y}). Hãy nhập ngày trong kỳ hoặc sau đó.",
            f"Done date {done_date:%d/%m/%Y} is before the period {p} starts "
            f"({p.start:%d/%m/%Y}). Enter a day within the period or later.",
        )
    return done_date


# Results that say work was assessed as (partly) achieved cannot sit on a task not started.
_RESULTS_NEEDING_WORK = ("met", "partial")


def _check_status_result(
    ctx: AppContext, unit: str, code: str, p: Period, status: str, result: str | None
) -> None:
    if status != "todo":
        return
    effective = result
    if effective is None:
        row = ctx.db.one(
            "SELECT result FROM task_result WHERE unit_code = ? AND task_code = ? AND period = ? "
            "AND deleted = 0",
            (unit, code, str(p)),
        )
        effective = row["result"] if row else None
    if effective in _RESULTS_NEEDING_WORK:
        label_vi, label_en = RESULT_LABELS[effective]["vi"], RESULT_LABELS[effective]["en"]
        raise UserError(
            f"Kết quả “{label_vi}” không đi cùng trạng thái “Chưa làm” (todo). Hãy chọn trạng "
            "thái Đang làm, Chờ duyệt hoặc Đã xong (doing, review, done), hoặc kết quả "
            "“Chưa đánh giá” (unassessed).",
            f"A “{label_en}” result cannot go with the status “To do” (todo). Choose the status "
            "doing, review or done, or the result “Not assessed” (unassessed).",
        )


def set_result(
    ctx: AppContext,
    code: str,
    period: str,
    *,
    status: str,
    result: str | None = None,
    done_on: str | date | None = None,
    note: str | None = None,
    na_reason: str | None = None,
    follow_up: bool | None = None,
    evidence: list[Path] | None = None,
    index: str = DEFAULT_INDEX,
) -> str:
    """Record this PC's own answer for one task and period; return the result row id: a
    commune's for its checklist, the supervising office's for the office's own tasks.

    Everything is validated first; then one transaction writes the result, the evidence
    links and the audit entries.
    """
    unit, level = own_unit(ctx)
    task = task_by_code(ctx, code, level, index)
    p = Period.parse(period)
    check_answer_year(ctx, p)
    from papi_desktop.services import review

    if level == COMMUNE:
        # The office's own checklist is not submitted for review, so it is never locked.
        review.ensure_period_open(ctx, unit, p.year)
    allowed = valid_periods(task, p.year)
    if str(p) not in allowed:
        shown = ", ".join(allowed[:12]) or "—"
        raise UserError(
            f"Nhiệm vụ {task.code} ({task.schedule.label_vi}) không có kỳ “{period}”. "
            f"Các kỳ của năm {p.year}: {shown}.",
            f"Task {task.code} ({task.schedule.label_en}) has no period “{period}”. "
            f"Periods of {p.year}: {shown}.",
        )
    if status not in TASK_STATUSES:
        raise UserError(
            f"Trạng thái “{status}” không hợp lệ; chọn: todo, doing, review, done.",
            f"Unknown status “{status}”; use todo, doing, review or done.",
        )
    if result is not None and result not in TASK_RESULTS:
        raise UserError(
            f"Kết quả “{result}” không hợp lệ; chọn: met, partial, not_met, na, unassessed.",
            f"Unknown result “{result}”; use met, partial, not_met, na or unassessed.",
        )
    done_date = _check_done_on(ctx, done_on, p)
    _check_status_result(ctx, unit, task.code, p, status, result)
    note_c = nfc(note) if note is not None else None
    reason = nfc(na_reason) if na_reason is not None else None
    if result == "na" and not (reason or note_c):
        raise UserError(
            'Chọn “không áp dụng” thì phải ghi lý do (--note "lý do …").',
            'A “not applicable” result needs a reason (--note "reason …").',
        )
    files = [Path(f) for f in (evidence or [])]
    for f in files:
        if not f.is_file():
            raise UserError(
                f"Không tìm thấy tệp minh chứng: {f}. Không có gì được lưu.",
                f"Evidence file not found: {f}. Nothing was saved.",
            )
    stored = [(f, *store_file(ctx.paths.attachments, f)) for f in files]
    if status == "done" and done_date is None:
        done_date = ctx.today()
    fw_version = current_framework(ctx, index)["fw_version"]
    with ctx.db.transaction():
        existing = ctx.db.one(
            "SELECT id, deleted FROM task_result WHERE unit_code = ? AND task_code = ? AND period = ?",
            (unit, task.code, str(p)),
        )
        values: dict[str, Any] = {"status": status, "framework_version": fw_version}
        if result is not None:
            values["result"] = result
        if done_date is not None:
            values["done_on"] = done_date.isoformat()
        if note_c is not None:
            values["note"] = note_c
        if result == "na":
            values["na_reason"] = reason or note_c or ""
        elif reason is not None:
            values["na_reason"] = reason
        if follow_up is not None:
            values["follow_up"] = 1 if follow_up else 0
        if existing:
            rid = existing["id"]
            if existing["deleted"]:
                rows.restore(ctx.db, "task_result", rid)
            rows.update(ctx.db, "task_result", rid, values)
        else:
            rid = rows.insert(
                ctx.db,
                "task_result",
                {"unit_code": unit, "task_code": task.code, "period": str(p), **values},
            )
        for f, sha, size in stored:
            # the result's own history says which file came (and, later, which went)
            rows.write_audit(ctx.db, "task_result", rid, "evidence", None, nfc(f.name))
            rows.insert(
                ctx.db,
                "attachment",
                {
                    "sha256": sha,
                    "file_name": nfc(f.name),
                    "mime": guess_mime(f.name),
                    "size": size,
                    "evidence_date": (done_date or ctx.today()).isoformat(),
                    "record_table": "task_result",
                    "record_id": rid,
                },
            )
    return rid


def attachments_of(ctx: AppContext, table: str, record_id: str) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in ctx.db.query(
            "SELECT id, sha256, file_name, mime, size, evidence_date, updated_at FROM attachment "
            "WHERE record_table = ? AND record_id = ? AND deleted = 0 ORDER BY updated_at",
            (table, record_id),
        )
    ]


def remove_attachment(ctx: AppContext, attachment_id: str) -> dict[str, Any]:
    """Remove a saved evidence file from its task result (kept, restorable, and logged in
    the result's history). Refused once the year's report is accepted (reopen it first)."""
    site = ctx.require_site("commune")
    att = ctx.db.one(
        "SELECT a.id, a.file_name, a.record_id, r.unit_code, r.period FROM attachment a "
        "JOIN task_result r ON r.id = a.record_id "
        "WHERE a.id = ? AND a.record_table = 'task_result' AND a.deleted = 0",
        (attachment_id,),
    )
    if att is None or att["unit_code"] != site.unit_code:
        raise UserError(
            "Không có tệp minh chứng này (có thể đã bỏ rồi).",
            "No such evidence file (it may have been removed already).",
        )
    from papi_desktop.services import review

    review.ensure_period_open(ctx, site.unit_code, Period.parse(att["period"]).year)
    with ctx.db.transaction():
        rows.tombstone(ctx.db, "attachment", att["id"])
        rows.write_audit(
            ctx.db, "task_result", att["record_id"], "evidence", att["file_name"], None
        )
    return {"file_name": att["file_name"], "result_id": att["record_id"]}


def result_history(ctx: AppContext, result_id: str) -> list[dict[str, Any]]:
    return rows.history(ctx.db, "task_result", result_id)


def status_label(status: str, lang: str = "vi") -> str:
    return STATUS_LABELS[status][lang]


def result_label(result: str, lang: str = "vi") -> str:
    return RESULT_LABELS[result][lang]
