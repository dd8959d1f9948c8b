"""The supervising office's consolidated report of a year, as .xlsx or .pdf.

Both files take their figures from ``district.consolidated`` — the same numbers as the
Xã/phường page and ``communes list`` — and the workbook adds one checklist sheet per
commune (measured against that commune's framework version).
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

from papi_desktop.domain.text import nfc
from papi_desktop.services import district, office_tasks
from papi_desktop.services.context import AppContext
from papi_desktop.services.reports import ProgressFn, _Steps, check_output


def letterhead(ctx: AppContext):
    """ "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA" over "SỞ NỘI VỤ" for "Sở Nội vụ tỉnh Khánh Hòa"."""
    from papi_desktop.reports.pdf.models import Letterhead

    site = ctx.require_site("district")
    name = nfc(site.unit_name)
    province = nfc(site.province_name or "")
    short_province = province.replace("Tỉnh ", "").replace("Thành phố ", "").strip()
    body = name
    for tail in (f" {province}", f" tỉnh {short_province}", f" thành phố {short_province}"):
        if tail.strip() and body.casefold().endswith(tail.casefold()):
            body = body[: -len(tail)].strip()
            break
    parent = f"ỦY BAN NHÂN DÂN {province.upper()}" if province else None
    return Letterhead(
        issuing_body=(body.upper(),), place=short_province or body, parent_body=parent
    )


def signer(ctx: AppContext):
    from papi_desktop.reports.pdf.models import Signer

    get = lambda key: nfc(ctx.db.get_setting(key, "") or "") or ""  # noqa: E731
    return Signer(
        name=get("signer_name"),
        position=get("signer_title") or "GIÁM ĐỐC",
        authority=get("signer_authority") or None,
    )


def _trace(ctx: AppContext, year: int, fw_version: int):
    from papi_desktop.reports.pdf.models import Trace

    site = ctx.require_site("district")
    return Trace(unit=site.unit_name, period=f"Năm {year}", framework_version=fw_version)


def write(
    ctx: AppContext,
    year: int,
    path: Path,
    *,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Write the consolidated report of ``year`` to ``path`` (.xlsx, .pdf or .docx)."""
    path = check_output(Path(path), (".xlsx", ".pdf", ".docx"))
    step = _Steps(progress, cancel)
    step(0.0, "Đang tổng hợp số liệu các xã…")
    data = district.consolidated(ctx, year)
    data["office_tasks"] = office_tasks.office_results(ctx, data["year"])
    step(0.2, "Đang tạo báo cáo…")
    if path.suffix.lower() == ".xlsx":
        return _xlsx(ctx, data, path, step)
    return _pdf(ctx, data, path, step)


def _cutoff(data: dict[str, Any]) -> date:
    return date.fromisoformat(data["cutoff"])


def _xlsx(ctx: AppContext, data: dict[str, Any], path: Path, step: _Steps) -> Path:
    from papi_desktop.reports.xlsx.consolidated import (
        ConsolidatedWorkbookData,
        build_consolidated_workbook,
    )

    checklists = district.unit_checklists(
        ctx, data["year"], {r["unit"]: r["framework_version"] for r in data["communes"]}
    )
    step(0.35, "Đang ghi sổ Excel…")
    wb = ConsolidatedWorkbookData(
        office=data["office"],
        province=data["province"],
        year=data["year"],
        cutoff=_cutoff(data),
        issued_on=ctx.today(),
        framework_version=data["framework_version"],
        framework_title=data["framework_title"],
        dimensions=[(c, vi) for c, vi, _ in data["dimensions"]],
        communes=data["communes"],
        ranking=data["ranking"],
        quarters=data["quarters"],
        years=data["years"],
        scores=data["scores"],
        checklists=checklists,
        office_tasks=data["office_tasks"],
    )
    return build_consolidated_workbook(
        wb, path, check=lambda f: step(0.35 + 0.65 * f, "Đang ghi sổ Excel…")
    )


def _pdf(ctx: AppContext, data: dict[str, Any], path: Path, step: _Steps) -> Path:
    from papi_desktop.reports.pdf.consolidated import (
        ConsolidatedReportData,
        build_consolidated_report,
    )

    report = ConsolidatedReportData(
        letterhead=letterhead(ctx),
        trace=_trace(ctx, data["year"], data["framework_version"]),
        issued_on=ctx.today(),
        year=data["year"],
        cutoff=_cutoff(data),
        office=data["office"],
        framework_version=data["framework_version"],
        framework_title=data["framework_title"],
        dimensions=[(c, vi) for c, vi, _ in data["dimensions"]],
        communes=data["communes"],
        ranking=data["ranking"],
        quarters=data["quarters"],
        years=data["years"],
        scores=data["scores"],
        totals=data["totals"],
        signer=signer(ctx),
        recipients=["Ủy ban nhân dân tỉnh (để báo cáo)", "Các xã, phường"],
        office_tasks=data["office_tasks"],
    )
    return build_consolidated_report(report, path, progress=step.builder(0.3))
