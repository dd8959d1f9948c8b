"""The task framework as a posting sheet, and the yearly task checklist (blank or filled)."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

from papi_desktop.domain.dates import format_date
from papi_desktop.domain.periods import RESULT_LABELS
from papi_desktop.domain.text import nfc
from papi_desktop.services import tasks
from papi_desktop.services.context import AppContext
from papi_desktop.services.reports.common import (
    ProgressFn,
    _check_year,
    _d,
    _dimensions,
    _setting,
    _Steps,
    _subject,
    _unit_lower,
    _words,
    check_output,
    letterhead,
    signer,
    trace,
)


def _year_label(fw: dict[str, Any], today: date) -> str:
    years = (fw.get("years") or "").strip()
    return f"Năm {years}" if years else f"Năm {today.year}"


def framework_sheet(
    ctx: AppContext,
    path: Path,
    *,
    number: int | None = None,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    index: str = tasks.DEFAULT_INDEX,
) -> Path:
    """The current task framework (of ``index``) as a posting sheet for the office and village houses."""
    from papi_desktop.reports.pdf.framework import build_framework_sheet
    from papi_desktop.reports.pdf.models import DimensionGroup, FrameworkSheetData, FrameworkTask

    path = check_output(path)
    step = _Steps(progress, cancel)
    step(0.0, "Đang đọc bộ khung nhiệm vụ…")
    fw = tasks.current_framework(ctx, index)
    names = _dimensions(ctx, index)
    groups: dict[str, list[Any]] = {}
    for t in tasks.framework_tasks(ctx, fw["id"]):
        groups.setdefault(t.dimension, []).append(
            FrameworkTask(
                code=t.code,
                title=t.title_vi,
                lead=t.lead_role,
                partners="; ".join(t.partners),
                deadline=t.schedule.label_vi,
                product=t.output_vi,
            )
        )
    dims = [
        DimensionGroup(code, names.get(code, f"Chỉ số nội dung {code}"), tuple(groups[code]))
        for code in sorted(groups, key=lambda c: int(c) if c.isdigit() else 99)
    ]
    intro = [
        f"Ủy ban nhân dân {_unit_lower(ctx)} niêm yết {_subject(fw['title_vi'])} (phiên bản "
        f"{fw['fw_version']}) tại trụ sở và nhà văn hóa các {_words(ctx)['group']} để Nhân dân biết, "
        "theo dõi và giám sát việc thực hiện."
    ]
    if fw.get("decision_no"):
        intro.append(
            f"Bộ khung ban hành kèm theo {nfc(fw['decision_no'])}"
            + (f" ngày {format_date(_d(fw['decision_date']))}" if fw.get("decision_date") else "")
            + "."
        )
    data = FrameworkSheetData(
        letterhead=letterhead(ctx),
        trace=trace(ctx, _year_label(fw, ctx.today()), fw["fw_version"]),
        title=nfc(fw["title_vi"]),
        framework_version=fw["fw_version"],
        dimensions=dims,
        issued_on=ctx.today(),
        signer=signer(ctx),
        number=number,
        intro=intro,
        recipients=[f"Các {_words(ctx)['group']} (niêm yết)"],
    )
    step(0.25, "Đang tạo bảng niêm yết…")
    return build_framework_sheet(data, path, progress=step.builder(0.25))


def _task_status(rows: list[dict[str, Any]], today: date) -> tuple[str, str, date | None, str]:
    """Status key of the PDF checklist, result text, done date and note for one task's
    periods in the year (recurring tasks: counted over the periods due so far)."""
    applicable = [r for r in rows if r["result"] != "na"]
    if not applicable:
        reason = next(
            (r["na_reason"] or r["note"] for r in rows if r["na_reason"] or r["note"]), ""
        )
        return "not_applicable", RESULT_LABELS["na"]["vi"], None, reason
    due = [r for r in applicable if date.fromisoformat(r["due"]) <= today or r["status"] == "done"]
    considered = due or applicable[:1]
    done = [r for r in considered if r["status"] == "done"]
    notes = [r["note"] for r in rows if r["note"]]
    done_on = max((date.fromisoformat(r["done_on"]) for r in done if r["done_on"]), default=None)
    if len(rows) > 1:
        result = f"Đã xong {len(done)}/{len(considered)} kỳ đến hạn"
    else:
        result = RESULT_LABELS[rows[0]["result"]]["vi"] if rows[0]["result"] != "unassessed" else ""
    if done and len(done) == len(considered):
        status = "done"
    elif done or any(r["status"] in ("doing", "review") for r in considered):
        status = "in_progress"
    else:
        status = "not_done"
    return status, result, done_on, notes[-1] if notes else ""


def checklist(
    ctx: AppContext,
    year: int,
    path: Path,
    blank: bool = False,
    *,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    index: str = tasks.DEFAULT_INDEX,
) -> Path:
    """The task checklist of ``year``: blank boxes for paper use, or filled from the records."""
    from papi_desktop.reports.pdf.framework import build_task_checklist
    from papi_desktop.reports.pdf.models import (
        ChecklistGroup,
        ChecklistTask,
        MinutesSigner,
        TaskChecklistData,
    )

    _check_year(year)
    path = check_output(path)
    step = _Steps(progress, cancel)
    step(0.0, "Đang đọc nhiệm vụ…")
    fw = tasks.current_framework(ctx, index)
    names = _dimensions(ctx, index)
    by_task: dict[str, list[dict[str, Any]]] = {}
    if not blank:
        for r in tasks.list_results(ctx, year=year, index=index):
            by_task.setdefault(r["code"], []).append(r)
    cutoff = min(ctx.today(), date(year, 12, 31))
    groups: dict[str, list[Any]] = {}
    for t in tasks.framework_tasks(ctx, fw["id"]):
        if blank:
            item = ChecklistTask(t.code, t.title_vi, t.lead_role, t.schedule.label_vi)
        else:
            rows = by_task.get(t.code, [])
            if not rows:
                continue  # no occurrence in this year (a dated task of another year)
            status, result, done_on, note = _task_status(rows, cutoff)
            item = ChecklistTask(
                t.code, t.title_vi, t.lead_role, t.schedule.label_vi, status, result, done_on, note
            )
        groups.setdefault(t.dimension, []).append(item)
    site = ctx.require_site()
    data = TaskChecklistData(
        letterhead=letterhead(ctx),
        trace=trace(ctx, f"Năm {year}", fw["fw_version"]),
        title=f"Theo dõi thực hiện {_subject(fw['title_vi'])} năm {year}",
        period=f"Năm {year}" + ("" if blank else f" (số liệu đến ngày {format_date(cutoff)})"),
        groups=[
            ChecklistGroup(code, names.get(code, code), tuple(groups[code]))
            for code in sorted(groups, key=lambda c: int(c) if c.isdigit() else 99)
        ],
        filled=not blank,
        issued_on=None if blank else ctx.today(),
        prepared_by=MinutesSigner("Người lập", "" if blank else site.user_name),
        approved_by=MinutesSigner("Lãnh đạo UBND", "" if blank else _setting(ctx, "signer_name")),
    )
    step(0.25, "Đang tạo bảng theo dõi…")
    return build_task_checklist(data, path, progress=step.builder(0.25))
