"""The supervising office's own checklist for a year: its rows (the same fields as a
commune's, plus the evidence count) and its figures, for the consolidated report and the
office's progress report (its home page lines: ``office_home.own_task_lines``).

The rows come from ``tasks.list_results`` on the office's own key, so the due dates and
the overdue and "before tracking" rules are the commune's; the figures count the periods
due by the cut-off day (today, or 31/12 of a past year), as the communes' figures do.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from papi_desktop.domain.progress import progress
from papi_desktop.domain.task_levels import OFFICE_UNIT
from papi_desktop.services import tasks
from papi_desktop.services.context import AppContext


def office_results(ctx: AppContext, year: int | None = None) -> dict[str, Any]:
    """The office's own checklist of ``year`` and its figures (``rows``, ``counted``,
    ``done``, ``applicable``, ``completion`` in percent or None, ``overdue``, ``cutoff``)."""
    from papi_desktop.services.district import cutoff_of, percent
    from papi_desktop.services.task_tree import evidence_counts

    ctx.require_site("district")
    year = year or ctx.today().year
    rows = tasks.list_results(ctx, unit=OFFICE_UNIT, year=year)
    counts = evidence_counts(ctx, [r["result_id"] for r in rows])
    for r in rows:
        r["evidence"] = counts.get(r["result_id"] or "", 0)
    cutoff = cutoff_of(ctx, year)
    counted = [r for r in rows if not r["before_tracking"] and r["due"] <= cutoff.isoformat()]
    p = progress((r["status"], r["result"]) for r in counted)
    return {
        "year": year,
        "cutoff": cutoff.isoformat(),
        "rows": rows,
        "counted": len(counted),
        "done": p.done,
        "applicable": p.applicable,
        "completion": percent(p.ratio),
        "overdue": sum(1 for r in rows if r["overdue"]),
    }


# -- the office's own progress report (``report progress`` on the office's PC) ------------

NBSP = "\u00a0"


def _dimension_progress(ctx: AppContext, rows: list[dict[str, Any]]) -> list[tuple]:
    from papi_desktop.domain.progress import progress_by
    from papi_desktop.services.district import dimension_names

    by_dim = progress_by((r["dimension"], r["status"], r["result"]) for r in rows)
    return [
        (code, name, by_dim[code].done, by_dim[code].applicable)
        for code, name, _ in dimension_names(ctx)
        if code in by_dim
    ]


def _province_words(name: str | None) -> str:
    """ "tỉnh Khánh Hòa" / "thành phố Huế" as written inside a sentence."""
    name = name or "tỉnh"
    for head in ("Tỉnh ", "Thành phố "):
        if name.startswith(head):
            return head.lower() + name[len(head) :]
    return name


def _subject(ctx: AppContext, year: int) -> str:
    site = ctx.require_site("district")
    return f"Kết quả thực hiện nhiệm vụ cải thiện Chỉ số PAPI của {site.unit_name} năm {year}"


def write_progress(
    ctx: AppContext,
    year: int,
    path: Path,
    *,
    number: int | None = None,
    step: Any,
) -> Path:
    """The office's report of the year to the provincial People's Committee (.pdf/.docx/.xlsx):
    its own tasks, with the office letterhead, and one line on the communes' figures."""
    from papi_desktop.services.reports import check_output

    path = check_output(Path(path), (".pdf", ".docx", ".xlsx"))
    step(0.0, "Đang tổng hợp kết quả…")
    data = office_results(ctx, year)
    fw = tasks.current_framework(ctx)
    cutoff = date.fromisoformat(data["cutoff"])
    counted = [
        r
        for r in data["rows"]
        if not r["before_tracking"] and (r["due"] <= data["cutoff"] or r["status"] == "done")
    ]
    dims = _dimension_progress(ctx, counted)
    step(0.2, "Đang tạo báo cáo…")
    if path.suffix.lower() == ".xlsx":
        return _progress_xlsx(ctx, year, path, data, fw, dims, cutoff, step)
    return _progress_pdf(ctx, year, path, data, fw, dims, cutoff, step, number)


def _communes_line(ctx: AppContext, year: int) -> str | None:
    from papi_desktop.services import district

    totals = district.consolidated(ctx, year)["totals"]
    if not totals["communes"]:
        return None
    pct = "—" if totals["completion"] is None else f"{totals['completion']:.1f}".replace(".", ",")
    return (
        f"Kết quả của các xã, phường ({totals['communes']} xã, phường có số liệu): đã hoàn "
        f"thành {totals['done']}/{totals['applicable']} nhiệm vụ phải thực hiện, đạt tỷ lệ "
        f"{pct}%; số nhiệm vụ quá hạn: {totals['overdue_tasks']} (chi tiết tại báo cáo tổng "
        "hợp của các xã, phường)."
    )


def _progress_pdf(ctx, year, path, data, fw, dims, cutoff, step, number) -> Path:
    from papi_desktop.domain.periods import Period
    from papi_desktop.reports.pdf.models import (
        DimensionProgress,
        ProgressReportData,
        Trace,
        UnfinishedTask,
    )
    from papi_desktop.reports.pdf.report import build_progress_report
    from papi_desktop.services.consolidated_report import letterhead, signer

    site = ctx.require_site("district")
    province = _province_words(site.province_name)
    unfinished = [
        UnfinishedTask(
            r["code"]
            if r["period"] == str(year)
            else f"{r['code']} ({Period.parse(r['period']).label_vi.replace(' ', NBSP)})",
            r["title"],
            r["lead_role"],
            r["note"] or r["na_reason"] or "Chưa ghi lý do",
        )
        for r in data["rows"]
        if r["overdue"]
    ]
    intro = [
        f"{site.unit_name} báo cáo Ủy ban nhân dân {province} kết quả thực hiện các nhiệm vụ "
        f"của cơ quan giám sát trong {fw['title_vi']} (phiên bản {fw['fw_version']}) năm "
        f"{year}, tính trên các kỳ đã đến hạn đến ngày {cutoff:%d/%m/%Y}, như sau:"
    ]
    line = _communes_line(ctx, year)
    if line:
        intro.append(line)
    report = ProgressReportData(
        letterhead=letterhead(ctx),
        trace=Trace(unit=site.unit_name, period=f"Năm {year}", framework_version=fw["fw_version"]),
        number=number,
        issued_on=ctx.today(),
        period=f"năm {year}",
        framework_title=fw["title_vi"],
        framework_version=fw["fw_version"],
        dimensions=[DimensionProgress(c, n, d, a) for c, n, d, a in dims],
        unfinished=unfinished,
        disclosures=[],
        signer=signer(ctx),
        intro=intro,
        recipients=[f"Ủy ban nhân dân {province} (để báo cáo)"],
        symbol="BC-SNV",
        subject=_subject(ctx, year),
        disclosure_section=False,
    )
    return build_progress_report(report, path, progress=step.builder(0.3))


def _progress_xlsx(ctx, year, path, data, fw, dims, cutoff, step) -> Path:
    from papi_desktop.reports.xlsx.progress import ProgressWorkbookData, build_progress_workbook
    from papi_desktop.services.consolidated_report import letterhead
    from papi_desktop.services.reports.progress import result_row

    site = ctx.require_site("district")
    head = letterhead(ctx)
    rows = [result_row(r) for r in data["rows"]]
    book = ProgressWorkbookData(
        unit_code=OFFICE_UNIT,
        unit_name=site.unit_name,
        province_name=site.province_name or "",
        year=year,
        cutoff=cutoff,
        framework_title=fw["title_vi"],
        framework_version=fw["fw_version"],
        dimensions=dims,
        rows=rows,
        issued_on=ctx.today(),
        parent_body=head.parent_body or "ỦY BAN NHÂN DÂN",
        issuing_body=" ".join(head.issuing_body),
        title=f"Báo cáo {_subject(ctx, year)[:1].lower()}{_subject(ctx, year)[1:]}",
        disclosure_section=False,
    )
    step(0.5, "Đang ghi sổ Excel…")
    out = build_progress_workbook(
        book, path, check=lambda f: step(0.5 + 0.5 * f, "Đang ghi sổ Excel…")
    )
    step(1.0, "Xong")
    return out
