"""The supervising office's home page: one line per commune that needs attention, ranked,
and progress per dimension over all communes — from ``district.communes_overview``, so the
office's home never lists (or computes) thousands of task lines.

Rank: reports waiting for review first (only the office can move them), then communes by
how much is wrong: late and missing disclosures, overdue tasks, a package older than 35 days.
"""

from __future__ import annotations

from typing import Any

from papi_desktop.domain.progress import Progress
from papi_desktop.domain.task_levels import OFFICE_UNIT
from papi_desktop.services import district, tasks
from papi_desktop.services.context import AppContext


def _reasons(r: dict[str, Any]) -> tuple[list[str], list[str], int]:
    """What is wrong with one commune, in both languages, and how urgent (higher first)."""
    vi: list[str] = []
    en: list[str] = []
    score = 0
    if r["submission"] == "submitted":
        vi.append(f"báo cáo năm chờ duyệt (lần {r['submission_round']})")
        en.append(f"year report waiting for review (round {r['submission_round']})")
        score += 10_000
    if r["overdue_tasks"]:
        vi.append(f"{r['overdue_tasks']} nhiệm vụ quá hạn")
        en.append(f"{r['overdue_tasks']} overdue tasks")
        score += 10 * r["overdue_tasks"]
    if r["late_disclosures"]:
        vi.append(f"{r['late_disclosures']} nội dung công khai trễ hạn")
        en.append(f"{r['late_disclosures']} late disclosures")
        score += 40 * r["late_disclosures"]
    if r["missing_disclosures"]:
        vi.append(f"{r['missing_disclosures']} nội dung công khai còn thiếu")
        en.append(f"{r['missing_disclosures']} expected disclosures missing")
        score += 20 * r["missing_disclosures"]
    if r["stale"]:
        age = r["package_age_days"]
        if age is None:
            vi.append("chưa gửi gói dữ liệu nào")
            en.append("no data package yet")
        else:
            vi.append(f"gói dữ liệu cũ {age} ngày")
            en.append(f"last package {age} days old")
        score += 300
    return vi, en, score


def own_task_lines(ctx: AppContext, d: Any) -> None:
    """The office's own tasks that are overdue or due within the home page's horizon (last
    year's too in January), soonest first; a line opens the task on the Tasks page."""
    from datetime import timedelta

    from papi_desktop.services.dashboard import TASKS_DUE_DAYS, _task_line

    today = d.today
    rows = tasks.list_results(ctx, year=today.year, unit=OFFICE_UNIT)
    if today.month == 1:
        rows = (
            tasks.list_results(ctx, year=today.year - 1, unit=OFFICE_UNIT, overdue_only=True) + rows
        )
    horizon = (today + timedelta(days=TASKS_DUE_DAYS)).isoformat()
    for r in rows:
        if r["overdue"]:
            d.overdue_tasks.append(_task_line("overdue_task", r, today))
        elif (
            r["status"] != "done"
            and r["result"] != "na"
            and today.isoformat() <= r["due"] <= horizon
        ):
            d.tasks_due_soon.append(_task_line("task_due", r, today))
    d.overdue_tasks.sort(key=lambda x: (x.when, x.select["code"]))
    d.tasks_due_soon.sort(key=lambda x: (x.when, x.select["code"]))


def fill(ctx: AppContext, d: Any) -> None:
    """Fill ``d`` (a ``dashboard.Dashboard``) for the office."""
    from papi_desktop.services.dashboard import DimensionProgress, Line

    own_task_lines(ctx, d)

    rows = district.communes_overview(ctx, d.today.year)
    ranked = []
    for r in rows:
        vi, en, score = _reasons(r)
        if not vi:
            continue
        completion = f"{r['completion']:.0f}%" if r["completion"] is not None else "—"
        ranked.append(
            (
                -score,
                r["name"],
                Line(
                    kind="commune",
                    text_vi=f"{r['name']}: " + "; ".join(vi),
                    text_en=f"{r['name']}: " + "; ".join(en),
                    head_vi=f"{r['name']} — hoàn thành {completion}",
                    head_en=f"{r['name']} — {completion} done",
                    sub_vi="; ".join(vi),
                    sub_en="; ".join(en),
                    when=None,
                    page="communes",
                    select={"unit": r["unit"]},
                    unit=r["unit"],
                    urgent=score >= 10_000,
                ),
            )
        )
    ranked.sort(key=lambda x: (x[0], x[1]))
    d.communes = [line for _s, _n, line in ranked]
    totals: dict[str, list[int]] = {}
    for r in rows:
        for code, fig in r["dimensions"].items():
            t = totals.setdefault(code, [0, 0])
            t[0] += fig["done"]
            t[1] += fig["applicable"]
    for c in tasks.criteria(ctx):
        if c["level"] != "dimension":
            continue
        done, applicable = totals.get(c["code"], (0, 0))
        d.progress.append(
            DimensionProgress(
                c["code"],
                f"{c['code']}. {c['short_vi'] or c['name_vi']}",
                f"{c['code']}. {c['short_en'] or c['name_en']}",
                Progress(done, applicable, applicable),
            )
        )
