"""The commune's yearly report to the supervising office, as PDF or Excel workbook."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

from papi_desktop.domain.dates import format_date
from papi_desktop.domain.periods import Period
from papi_desktop.domain.progress import progress_by
from papi_desktop.domain.text import nfc
from papi_desktop.services import disclosures, tasks
from papi_desktop.services.context import AppContext
from papi_desktop.services.reports.common import (
    NBSP,
    ProgressFn,
    _check_year,
    _d,
    _dimensions,
    _Steps,
    _subject,
    _unit_lower,
    check_output,
    letterhead,
    signer,
    trace,
)


def progress_data(ctx: AppContext, year: int, index: str = tasks.DEFAULT_INDEX) -> dict[str, Any]:
    """Everything the period report needs, as plain values (shared by PDF and XLSX). A
    task under no dimension counts in the "Khác" line, last."""
    _check_year(year)
    fw = tasks.current_framework(ctx, index)
    cutoff = min(ctx.today(), date(year, 12, 31))
    results = tasks.list_results(ctx, year=year, index=index)
    counted = [
        r
        for r in results
        if not r["before_tracking"]
        and (date.fromisoformat(r["due"]) <= cutoff or r["status"] == "done")
    ]
    by_dim = progress_by((r["dimension"], r["status"], r["result"]) for r in counted)
    names = _dimensions(ctx, index)
    dims = [
        (code, names.get(code, code), by_dim[code].done, by_dim[code].applicable)
        for code in sorted(names, key=lambda c: int(c) if c.isdigit() else 99)
        if code in by_dim
    ]
    unfinished = [r for r in counted if r["overdue"]]
    plan = disclosures.list_plan(ctx, year)
    items = {i["id"]: i for i in disclosures.list_items(ctx)}
    outcomes = []
    # The plan's own states decide (the same as ``disclosures plan``): recorded but not
    # posted everywhere is not disclosed; "expected" and "before tracking" lines are left out.
    outcome_of = {"done": "on_time", "posting": "on_time", "late": "late",
                  "missing": "missing", "recorded": "missing"}  # fmt: skip
    for p in plan:
        due = _d(p["due"])
        item = items.get(p["disclosure_id"] or "")
        label = nfc(p["label"]) or nfc(p["type_name"])
        status = outcome_of.get(p["state"])
        if status is None or (status == "missing" and not (due and due <= cutoff)):
            continue
        posted = [_d(x["posted_on"]) for x in item["places"] if x["posted_on"]] if item else []
        deadline = (_d(item["legal_deadline"]) if item else None) or due
        note = "" if status == "on_time" else p["reason_vi"]
        outcomes.append((label, deadline, min(posted) if posted else None, status, note))
    return {
        "framework": fw,
        "cutoff": cutoff,
        "results": results,
        "dimensions": dims,
        "unfinished": unfinished,
        "disclosures": outcomes,
    }


def progress(
    ctx: AppContext,
    year: int,
    path: Path,
    *,
    number: int | None = None,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    index: str = tasks.DEFAULT_INDEX,
) -> Path:
    """The commune's report of the year to the supervising office: .pdf, .docx or .xlsx.
    On the supervising office's PC: the office's own report to the provincial People's
    Committee."""
    path = check_output(path, (".pdf", ".docx", ".xlsx"))
    step = _Steps(progress, cancel)
    if ctx.require_site().is_district:
        from papi_desktop.services import office_tasks

        _check_year(year)
        return office_tasks.write_progress(ctx, year, path, number=number, step=step)
    step(0.0, "Đang tổng hợp kết quả…")
    info = progress_data(ctx, year, index)
    step(0.2, "Đang tạo báo cáo…")
    if path.suffix.lower() == ".xlsx":
        return _progress_xlsx(ctx, year, path, info, step)
    return _progress_pdf(ctx, year, path, info, step, number)


def _progress_pdf(
    ctx: AppContext, year: int, path: Path, info: dict[str, Any], step: _Steps, number: int | None
) -> Path:
    from papi_desktop.reports.pdf.models import (
        DimensionProgress,
        DisclosureOutcome,
        ProgressReportData,
        UnfinishedTask,
    )
    from papi_desktop.reports.pdf.report import build_progress_report

    fw = info["framework"]
    site = ctx.require_site()
    supervisor = site.supervisor_label or "cơ quan giám sát"
    unfinished = [
        UnfinishedTask(
            f"{r['code']} ({Period.parse(r['period']).label_vi.replace(' ', NBSP)})"
            if r["period"] != str(year)
            else r["code"],
            r["title"],
            r["lead_role"],
            nfc(r["note"] or r["na_reason"]) or "Chưa ghi lý do",
        )
        for r in info["unfinished"]
    ]
    data = ProgressReportData(
        letterhead=letterhead(ctx),
        trace=trace(ctx, f"Năm {year}", fw["fw_version"]),
        number=number,
        issued_on=ctx.today(),
        period=f"năm {year}",
        framework_title=nfc(fw["title_vi"]),
        framework_version=fw["fw_version"],
        dimensions=[DimensionProgress(c, n, d, a) for c, n, d, a in info["dimensions"]],
        unfinished=unfinished,
        disclosures=[DisclosureOutcome(*o) for o in info["disclosures"]],
        signer=signer(ctx),
        intro=[
            f"Ủy ban nhân dân {_unit_lower(ctx)} báo cáo {supervisor} kết quả thực hiện "
            f"{_subject(fw['title_vi'])} (phiên bản {fw['fw_version']}) năm {year}, tính trên "
            f"các kỳ đã đến hạn đến ngày {format_date(info['cutoff'])}, như sau:"
        ],
        recipients=[supervisor, f"Thường trực HĐND {_unit_lower(ctx)}"],
    )
    return build_progress_report(data, path, progress=step.builder(0.3))


def result_row(r: dict[str, Any]) -> Any:
    """One ``tasks.list_results`` line as a row of the progress workbook's data sheet (the
    commune's and the office's own report alike)."""
    from papi_desktop.reports.xlsx.progress import ResultRow

    return ResultRow(
        result_id=r["result_id"] or "",
        unit_code=r["unit"],
        task_code=r["code"],
        dimension=r["dimension"],
        criterion=r["criterion"],
        title=r["title"],
        period=r["period"],
        period_label=Period.parse(r["period"]).label_vi,
        lead=r["lead_role"],
        due=date.fromisoformat(r["due"]),
        status=r["status"],
        status_label=tasks.status_label(r["status"]),
        result=r["result"],
        result_label=tasks.result_label(r["result"]),
        done_on=_d(r["done_on"]),
        overdue=bool(r["overdue"]),
        note=nfc(r["note"] or r["na_reason"]) or "",
        framework_version=r["framework_version"],
    )


def _progress_xlsx(
    ctx: AppContext, year: int, path: Path, info: dict[str, Any], step: _Steps
) -> Path:
    from papi_desktop.reports.xlsx.progress import ProgressWorkbookData, build_progress_workbook

    fw = info["framework"]
    site = ctx.require_site()
    rows = [result_row(r) for r in info["results"]]
    data = ProgressWorkbookData(
        unit_code=site.unit_code or "",
        unit_name=site.unit_name,
        province_name=site.province_name or "",
        year=year,
        cutoff=info["cutoff"],
        framework_title=nfc(fw["title_vi"]),
        framework_version=fw["fw_version"],
        dimensions=info["dimensions"],
        rows=rows,
        disclosures=info["disclosures"],
        issued_on=ctx.today(),
    )
    step(0.5, "Đang ghi sổ Excel…")
    out = build_progress_workbook(
        data, path, check=lambda f: step(0.5 + 0.5 * f, "Đang ghi sổ Excel…")
    )
    step(1.0, "Xong")
    return out
