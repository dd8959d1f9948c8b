"""What needs doing now, for the home page ("Tổng quan"): overdue tasks, tasks due soon,
postings that must start, postings ending soon (time for the end-of-posting minutes),
expected disclosures still missing this quarter, and progress per PAPI dimension.

Each line carries where it opens: ``("tasks", {"code", "period"})`` or
``("disclosures", {"id"})``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from papi_desktop.domain.dates import format_date, quarter_bounds, quarter_of
from papi_desktop.domain.progress import Progress, progress_by

# The supervising office's chart colours, re-exported for the window's canvases so the
# screen and the PDF report use one scale (reports.district_charts is light to import).
from papi_desktop.reports.district_charts import HEAT_NONE as HEAT_NONE
from papi_desktop.reports.district_charts import NO_VALUE as NO_VALUE
from papi_desktop.reports.district_charts import completion_colour as completion_colour
from papi_desktop.reports.district_charts import heat_colour as heat_colour
from papi_desktop.services import disclosures, tasks
from papi_desktop.services.context import AppContext

TASKS_DUE_DAYS = 14
POST_START_DAYS = 3
POST_END_DAYS = 7


@dataclass
class Line:
    """One thing to do. ``page`` and ``select`` say which item it opens."""

    kind: str
    text_vi: str
    text_en: str
    when: date | None
    page: str
    select: dict[str, Any]
    unit: str | None = None
    # Shown on two lines when given: what it is (``head``), then when and which period.
    head_vi: str = ""
    head_en: str = ""
    sub_vi: str = ""
    sub_en: str = ""
    urgent: bool = False  # red instead of the section's colour (an old quarter's gap)

    def text(self, lang: str = "vi") -> str:
        return self.text_en if lang == "en" else self.text_vi

    def lines(self, lang: str = "vi") -> tuple[str, str]:
        """(what, when) for a two-line display; ("text", "") for one-line items."""
        head = self.head_en if lang == "en" else self.head_vi
        if not head:
            return self.text(lang), ""
        return head, self.sub_en if lang == "en" else self.sub_vi


@dataclass
class DimensionProgress:
    code: str
    label_vi: str
    label_en: str
    progress: Progress


@dataclass
class Dashboard:
    today: date
    returned_reports: list[Line] = field(default_factory=list)
    inspection_fixes: list[Line] = field(default_factory=list)
    communes: list[Line] = field(default_factory=list)
    overdue_tasks: list[Line] = field(default_factory=list)
    tasks_due_soon: list[Line] = field(default_factory=list)
    postings_to_start: list[Line] = field(default_factory=list)
    postings_ending: list[Line] = field(default_factory=list)
    missing_disclosures: list[Line] = field(default_factory=list)
    progress: list[DimensionProgress] = field(default_factory=list)

    # The commune: what to post or take down first, then tasks, then the plan's gaps.
    SECTIONS = (
        (
            "returned_reports",
            "Báo cáo bị cơ quan giám sát trả lại",
            "Reports returned by the supervising office",
        ),
        (
            "inspection_fixes",
            "Tồn tại phải khắc phục sau kiểm tra",
            "Issues to fix after an inspection",
        ),
        (
            "postings_to_start",
            "Cần niêm yết ngay (quá hạn hoặc còn ≤ 3 ngày)",
            "Post now (overdue or ≤ 3 days left)",
        ),
        (
            "postings_ending",
            "Sắp hết niêm yết trong 7 ngày — chuẩn bị gỡ và biên bản kết thúc",
            "Postings ending within 7 days — take down and prepare the minutes",
        ),
        ("overdue_tasks", "Nhiệm vụ quá hạn", "Overdue tasks"),
        ("tasks_due_soon", "Nhiệm vụ đến hạn trong 14 ngày", "Tasks due within 14 days"),
        (
            "missing_disclosures",
            "Nội dung phải công khai còn thiếu",
            "Expected disclosures still missing",
        ),
    )
    # The supervising office: one line per commune that needs attention, ranked.
    OFFICE_SECTIONS = (
        (
            "communes",
            "Xã/phường cần chú ý (xếp theo mức cần xử lý)",
            "Communes needing attention (most urgent first)",
        ),
        # The office's own checklist (``office_home.own_task_lines``).
        ("overdue_tasks", "Nhiệm vụ của cơ quan quá hạn", "The office's overdue tasks"),
        (
            "tasks_due_soon",
            "Nhiệm vụ của cơ quan đến hạn trong 14 ngày",
            "The office's tasks due within 14 days",
        ),
    )
    office: bool = False

    def sections(self) -> list[tuple[str, str, str, list[Line]]]:
        chosen = self.OFFICE_SECTIONS if self.office else self.SECTIONS
        return [(k, vi, en, getattr(self, k)) for k, vi, en in chosen]

    @property
    def total(self) -> int:
        return sum(len(lines) for _k, _vi, _en, lines in self.sections())


def _task_line(kind: str, r: dict[str, Any], today: date, who: str = "") -> Line:
    """A home-page line that leads with what tells lines apart (when, which period, and on
    a supervising office which commune), so a cut at the end only shortens the title."""
    from papi_desktop.domain.periods import Period

    due = date.fromisoformat(r["due"])
    days = (due - today).days
    if days < 0:
        when_vi, when_en = f"Quá hạn {-days} ngày", f"{-days} days overdue"
    elif days == 0:
        when_vi, when_en = "Hạn hôm nay", "Due today"
    else:
        when_vi, when_en = f"Còn {days} ngày", f"{days} days left"
    period = Period.parse(r["period"])
    return Line(
        head_vi=f"{r['code']} {r['title']}",
        head_en=f"{r['code']} {r.get('title_en') or r['title']}",
        sub_vi=f"{who}{when_vi} (hạn {format_date(due)}) · {period.label_vi}",
        sub_en=f"{who}{when_en} (due {format_date(due)}) · {period.label_en}",
        kind=kind,
        text_vi=f"{who}{when_vi} (hạn {format_date(due)}) · {period.label_vi} · "
        f"{r['code']} {r['title']}",
        text_en=f"{who}{when_en} (due {format_date(due)}) · {period.label_en} · "
        f"{r['code']} {r.get('title_en') or r['title']}",
        when=due,
        page="tasks",
        select={"code": r["code"], "period": r["period"], "unit": r["unit"]},
        unit=r["unit"],
    )


def _task_lines(ctx: AppContext, d: Dashboard) -> None:
    today = d.today
    rows = tasks.list_results(ctx, year=today.year)
    if today.month == 1:  # last year's December and yearly tasks can still be overdue
        rows = tasks.list_results(ctx, year=today.year - 1, overdue_only=True) + rows
    horizon = today + timedelta(days=TASKS_DUE_DAYS)
    names: dict[str, str] = {}
    site = ctx.site
    if site is not None and site.is_district:
        from papi_desktop.services import units

        for code in {r["unit"] for r in rows}:
            c = units.commune(ctx, code)
            names[code] = f"{c['name'] if c else code} · "
    for r in rows:
        who = names.get(r["unit"], "")
        if r["overdue"]:
            d.overdue_tasks.append(_task_line("overdue_task", r, today, who))
        elif r["status"] != "done" and r["result"] != "na":
            due = date.fromisoformat(r["due"])
            if today <= due <= horizon:
                d.tasks_due_soon.append(_task_line("task_due", r, today, who))
    d.overdue_tasks.sort(key=lambda x: (x.when, x.select["code"]))
    d.tasks_due_soon.sort(key=lambda x: (x.when, x.select["code"]))
    counted = [
        (r["dimension"], r["status"], r["result"])
        for r in rows
        if r["due"][:4] == str(today.year)
        and not r["before_tracking"]
        and (date.fromisoformat(r["due"]) <= today or r["status"] == "done")
    ]
    by_dim = progress_by(counted)
    for c in tasks.criteria(ctx):
        if c["level"] != "dimension":
            continue
        p = by_dim.get(c["code"], Progress(0, 0, 0))
        d.progress.append(
            DimensionProgress(
                c["code"],
                f"{c['code']}. {c['short_vi'] or c['name_vi']}",
                f"{c['code']}. {c['short_en'] or c['name_en']}",
                p,
            )
        )


def _disclosure_lines(ctx: AppContext, d: Dashboard) -> None:
    today = d.today
    start_horizon = today + timedelta(days=POST_START_DAYS)
    end_horizon = today + timedelta(days=POST_END_DAYS)
    # Items of this year and last year (or without a date yet): older ones are finished.
    items = disclosures.list_items(ctx, year=today.year)
    seen = {i["id"] for i in items}
    items += [i for i in disclosures.list_items(ctx, year=today.year - 1) if i["id"] not in seen]
    for item in items:
        name = item["title"] or item["type_name"]
        deadline = date.fromisoformat(item["post_deadline"]) if item["post_deadline"] else None
        # Each place is judged: a place still to post makes the item a line even when the
        # other places are up.
        waiting = [p["place"] for p in item["places"] if p["judgement"] in ("due", "late")]
        if item["status"] == "overdue_post" or (
            (item["status"] == "to_post" or waiting)
            and deadline is not None
            and deadline <= start_horizon
        ):
            late = any(p["judgement"] == "late" for p in item["places"]) or (
                deadline is not None and deadline < today and not item["places"]
            )
            if waiting and len(waiting) < len(item["places"]):
                name = f"{name} ({', '.join(waiting)})"
            d.postings_to_start.append(
                Line(
                    kind="posting_to_start",
                    text_vi=f"{name} — hạn niêm yết {format_date(deadline)}"
                    + (" (đã quá hạn)" if late else ""),
                    text_en=f"{name} — post by {format_date(deadline)}"
                    + (" (overdue)" if late else ""),
                    when=deadline,
                    page="disclosures",
                    select={"id": item["id"]},
                    unit=item["unit"],
                )
            )
        ending = [
            (date.fromisoformat(p["ends_on"]), p["place"])
            for p in item["places"]
            if p["ends_on"]
            and p["judgement"] == "posting"
            and today <= date.fromisoformat(p["ends_on"]) <= end_horizon
        ]
        if ending:
            end, _place = min(ending)
            places = ", ".join(sorted({pl for _e, pl in ending}))
            d.postings_ending.append(
                Line(
                    kind="posting_ending",
                    text_vi=f"{name} — hết niêm yết {format_date(end)} tại {places}",
                    text_en=f"{name} — posting ends {format_date(end)} at {places}",
                    when=end,
                    page="disclosures",
                    select={"id": item["id"]},
                    unit=item["unit"],
                )
            )
    d.postings_to_start.sort(key=lambda x: (x.when or date.max, x.text_vi))
    d.postings_ending.sort(key=lambda x: (x.when, x.text_vi))


def _missing_lines(ctx: AppContext, d: Dashboard) -> None:
    if ctx.require_site().is_commune:
        found = disclosures.missing_this_quarter(ctx)
        names: dict[str, str] = {}
    else:
        # The office: every enrolled commune's expected disclosures, generated plan or not.
        from papi_desktop.services import district

        q_end = quarter_bounds(d.today.year, quarter_of(d.today))[1]
        found = [
            p
            for p in plan_lines(ctx, d.today.year)
            if p["state"] in disclosures.OPEN_PLAN_STATES and date.fromisoformat(p["due"]) <= q_end
        ]
        names = district.unit_names(ctx, {p["unit"] for p in found})
    quarter_start = quarter_bounds(d.today.year, quarter_of(d.today))[0]
    for p in found:
        due = date.fromisoformat(p["due"])
        late = due < d.today
        select = {"id": p["disclosure_id"]} if p.get("disclosure_id") else {"plan": p["id"]}
        select["type"] = p["type"]
        who = f"{names[p['unit']]}: " if p["unit"] in names else ""
        d.missing_disclosures.append(
            Line(
                urgent=due < quarter_start,
                kind="missing_disclosure",
                text_vi=f"{who}{p['label'] or p['type_name']} — hạn {format_date(due)}"
                + (f" ({p['reason_vi']})" if p["state"] == "recorded" else "")
                + (" (chưa công khai)" if late and p["state"] != "recorded" else ""),
                text_en=f"{who}{p['label_en'] or p['label'] or p['type_name']} — due "
                f"{format_date(due)}"
                + (f" ({p['reason_en']})" if p["state"] == "recorded" else "")
                + (" (not yet disclosed)" if late and p["state"] != "recorded" else ""),
                when=due,
                page="disclosures",
                select=select,
                unit=p["unit"],
            )
        )
    d.missing_disclosures.sort(key=lambda x: (x.when, x.text_vi))


def build(ctx: AppContext) -> Dashboard:
    """Everything the home page shows, computed from the services (no Tk)."""
    site = ctx.require_site()
    d = Dashboard(today=ctx.today())
    if site.is_district:
        from papi_desktop.services import office_home

        d.office = True
        office_home.fill(ctx, d)
        return d
    _returned_lines(ctx, d)
    _inspection_lines(ctx, d)
    _task_lines(ctx, d)
    _disclosure_lines(ctx, d)
    _missing_lines(ctx, d)
    return d


def _inspection_lines(ctx: AppContext, d: Dashboard) -> None:
    """Issues an inspection found that the commune has not fixed yet, soonest first."""
    from papi_desktop.services import inspections

    for f in inspections.open_fixes(ctx):
        due = date.fromisoformat(f["fix_by"]) if f["fix_by"] else None
        when_vi = f"hạn {due:%d/%m/%Y}" if due else "chưa có hạn"
        when_en = f"fix by {due:%d/%m/%Y}" if due else "no deadline"
        late_vi = " — đã quá hạn" if f["overdue"] else ""
        late_en = " — overdue" if f["overdue"] else ""
        d.inspection_fixes.append(
            Line(
                kind="inspection_fix",
                text_vi=f"{f['item']}: {f['note']} ({when_vi}{late_vi})",
                text_en=f"{f['item']}: {f['note']} ({when_en}{late_en})",
                head_vi=f"{f['item']}: {f['note']}",
                head_en=f"{f['item']}: {f['note']}",
                sub_vi=f"Kiểm tra ngày {f['visit_on'][8:10]}/{f['visit_on'][5:7]} — {when_vi}{late_vi}",
                sub_en=f"Inspection of {f['visit_on'][8:10]}/{f['visit_on'][5:7]} — {when_en}{late_en}",
                when=due,
                page="inspections",
                select={"id": f["inspection"], "item": f["item"]},
                urgent=f["overdue"],
            )
        )


def _returned_lines(ctx: AppContext, d: Dashboard) -> None:
    """A report the office returned, with its comment (this year's and last year's)."""
    from papi_desktop.services import review

    unit = ctx.require_site().unit_code
    for year in (d.today.year, d.today.year - 1):
        st = review.state_of(ctx, unit, year)
        if st.state != "returned":
            continue
        by = f" ({st.decided_by})" if st.decided_by else ""
        comment = st.comment or "—"
        d.returned_reports.append(
            Line(
                kind="returned_report",
                text_vi=f"Báo cáo năm {year} bị trả lại{by}: {comment}",
                text_en=f"The {year} report was returned{by}: {comment}",
                head_vi=f"Báo cáo năm {year} bị trả lại{by} — bổ sung rồi gửi lại",
                head_en=f"The {year} report was returned{by} — complete it and send it again",
                sub_vi=f"Ý kiến: {comment}",
                sub_en=f"Comment: {comment}",
                when=None,
                page="tasks",
                select={"year": year},
                unit=unit,
                urgent=True,
            )
        )
    from papi_desktop.services.assess_reopen import returned_years

    for r in returned_years(ctx):  # a scored index's self-assessment returned (PAR)
        by = f" ({r['acted_by']})" if r["acted_by"] else ""
        comment = r["comment"] or "—"
        d.returned_reports.append(
            Line(
                kind="returned_report",
                text_vi=f"Kết quả tự chấm {r['index']} năm {r['year']} bị trả lại{by}: {comment}",
                text_en=f"The {r['index']} {r['year']} self-assessment was returned{by}: {comment}",
                head_vi=f"Kết quả tự chấm {r['index']} năm {r['year']} bị trả lại{by} — sửa "
                "điểm rồi gửi lại",
                head_en=f"The {r['index']} {r['year']} self-assessment was returned{by} — "
                "correct it and submit again",
                sub_vi=f"Ý kiến: {comment}",
                sub_en=f"Comment: {comment}",
                when=None,
                page="assess",
                select={"year": r["year"], "index": r["index"]},
                unit=unit,
                urgent=True,
            )
        )


def change_stamp(ctx: AppContext) -> tuple[Any, ...]:
    """Changes whenever anything the pages show may have changed: every write leaves an
    audit row and every USB package a package row, so their newest numbers, today's date
    and the day-counting setting tell a page whether to read its rows again."""
    return (
        ctx.db.scalar("SELECT max(seq) FROM audit"),
        ctx.db.scalar("SELECT max(seq) FROM sync_package"),
        ctx.today(),
        ctx.posting_day_is_day_one,
    )


def progress_figure(labels: list[str], percents: list[float | None], title: str) -> Any:
    """The progress-by-dimension bar chart as a matplotlib ``Figure`` (no pyplot), the same
    chart the printed reports use. Imports matplotlib on first call."""
    from papi_desktop.reports.charts import progress_by_dimension_figure

    return progress_by_dimension_figure(labels, percents, title)


def scores_figure(
    years: list[int],
    totals: list[float | None],
    targets: list[float | None],
    title: str,
    *,
    width_in: float = 7.5,
) -> Any:
    """The province's index score per year against its targets as a matplotlib ``Figure``,
    the same chart the consolidated PDF report uses. Imports matplotlib on first call."""
    from papi_desktop.reports.district_charts import scores_figure as figure

    return figure(years, totals, targets, title, width_in=width_in)


def status_facts(ctx: AppContext) -> dict[str, Any]:
    """What the window's status bar shows: the current quarter, the framework version in
    use, when the newest backup was made and when the last USB package went or came."""
    from datetime import datetime

    from papi_desktop.services import maintenance, sync

    today = ctx.today()
    fw = ctx.db.one(
        "SELECT fw_version FROM framework WHERE is_current = 1 AND deleted = 0 "
        "ORDER BY fw_version DESC LIMIT 1"
    )
    backups = maintenance.list_backups(ctx)
    newest = max((p.stat().st_mtime for p in backups), default=None)
    last_sync = None
    if ctx.site is not None:
        try:
            found = sync.history(ctx, limit=1)
            last_sync = found[0].get("done_at") if found else None
        except Exception:  # the status bar must never stop the window from opening
            logging.getLogger(__name__).exception("reading the last sync date failed")
    if last_sync is None:
        last_sync = ctx.db.get_setting("last_sync")
    return {
        "today": today,
        "quarter": quarter_of(today),
        "framework_version": fw["fw_version"] if fw else None,
        "last_backup": datetime.fromtimestamp(newest) if newest is not None else None,
        # "full" / "readonly" when today's automatic backup could not be written
        "backup_problem": ctx.auto_backup_problem.kind if ctx.auto_backup_problem else None,
        "last_sync": last_sync,
    }


EXPECTED_PREFIX = "expected|"


def plan_lines(ctx: AppContext, year: int, unit: str | None = None) -> list[dict[str, Any]]:
    """The yearly plan's lines as the window shows them, in ``disclosures.list_plan``'s shape.

    On a commune: its own plan (``list_plan``). On the supervising office: the plan of
    ``unit`` (default: every enrolled commune) from ``district.expected_disclosures``, the
    same computation and states; ids are made from unit, year, type and period
    (``plan_line`` reads them back)."""
    if ctx.require_site().is_commune:
        return disclosures.list_plan(ctx, year)
    from papi_desktop.services import district

    units = [unit] if unit else district.enrolled_units(ctx)
    out = [
        e for entries in district.expected_disclosures(ctx, year, units).values() for e in entries
    ]
    out.sort(key=lambda p: (p["due"], p["type"], p["unit"]))
    return out


def plan_line(ctx: AppContext, plan_id: str) -> dict[str, Any] | None:
    """The yearly-plan line (as ``plan_lines`` gives it) that a home-page "missing
    disclosure" line points at; None when it no longer exists."""
    if not plan_id.startswith(EXPECTED_PREFIX):
        return None
    try:
        unit, year, _type, _period = plan_id[len(EXPECTED_PREFIX) :].split("|", 3)
        lines = plan_lines(ctx, int(year), unit=unit)
    except ValueError:
        return None
    return next((p for p in lines if p["id"] == plan_id), None)
