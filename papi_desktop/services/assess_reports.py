"""Documents of a scored index: the commune's self-assessment report (PDF, Word or Excel)
and the office's appraisal results (Excel, PDF or Word; the Word copy is written from the
same story as the PDF by ``reports.word``). Figures come from ``services.assess`` so the
documents show exactly what the database holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from papi_desktop.domain.scoring import fmt_points
from papi_desktop.services import assess
from papi_desktop.services.context import AppContext

INDEX_TITLE = {"PAR": "Chỉ số cải cách hành chính"}


def _check_output(path: Path, suffixes: tuple[str, ...]) -> Path:
    from papi_desktop.services.reports import check_output

    return check_output(Path(path), suffixes)


def _trace(unit: str, year: int, index: str, version: int):
    from papi_desktop.reports.pdf.models import Trace

    return Trace(unit=unit, period=f"Năm {year} · Bộ tiêu chí {index} v{version}")


def self_assessment_data(ctx: AppContext, index: str, year: int) -> dict[str, Any]:
    site = ctx.require_site("commune")
    card = assess.list_items(ctx, index, year)
    return {
        **card,
        "unit_name": site.unit_name,
        "province": site.province_name or "",
        "issued_on": ctx.today(),
        "state_text": assess.STATE_VI[card["state"]],
        "rows": card["items"],
    }


def self_assessment(
    ctx: AppContext, index: str, year: int, path: Path, *, number: int | None = None
) -> Path:
    """The commune's "Báo cáo tự đánh giá, chấm điểm" as .pdf, .docx or .xlsx."""
    path = _check_output(path, (".pdf", ".docx", ".xlsx"))
    data = self_assessment_data(ctx, index, year)
    if path.suffix.lower() == ".xlsx":
        from papi_desktop.reports.xlsx.assess import build_self_assessment

        return build_self_assessment(data, path)
    from papi_desktop.reports.pdf.assess import build_self_assessment as build_pdf
    from papi_desktop.services.reports import letterhead, signer

    name = INDEX_TITLE.get(data["index"], f"Chỉ số {data['index']}")
    unit = data["unit_name"]
    total = fmt_points(data["self_total"]) or "0"
    intro = [
        f"Thực hiện bộ tiêu chí “{data['framework_title']}” (phiên bản "
        f"{data['framework_version']}), {unit} tự đánh giá, chấm điểm {name.lower()} năm "
        f"{year} như sau:",
        f"Tổng điểm tự chấm: {total}/{fmt_points(data['max_total'])} điểm. Trạng thái: "
        f"{data['state_text']}.",
    ]
    survey = [i["code"] for i in data["rows"] if i["scorable"] and i["method"] == "survey"]
    if survey:
        intro.append(
            f"Các tiêu chí {', '.join(survey)} chấm theo kết quả khảo sát; cơ quan giám sát "
            "chấm điểm khi thẩm định."
        )
    pdf = {
        **data,
        "trace": _trace(
            f"{unit}, {data['province']}", year, data["index"], data["framework_version"]
        ),
        "title": f"Báo cáo tự đánh giá, chấm điểm {data['index']} năm {year}",
        "letterhead": letterhead(ctx),
        "number": number,
        "subject": [f"Tự đánh giá, chấm điểm {name} năm {year}"],
        "intro": intro,
        "signer": signer(ctx),
        "recipients": ["Cơ quan giám sát (thẩm định);"],
    }
    return build_pdf(pdf, path)


def appraisal_data(ctx: AppContext, index: str, year: int) -> dict[str, Any]:
    site = ctx.require_site("district")
    res = assess.results(ctx, index, year)
    for c in res["communes"]:
        c["state_text"] = assess.STATE_VI[c["state"]]
    return {**res, "office": site.unit_name, "issued_on": ctx.today(),
            "province_text": assess.province_index_text(res["province_index"])}  # fmt: skip


def appraisal(
    ctx: AppContext, index: str, year: int, path: Path, *, number: int | None = None
) -> Path:
    """(Office) the appraisal results and ranking of every commune as .xlsx, .pdf or .docx."""
    path = _check_output(path, (".xlsx", ".pdf", ".docx"))
    data = appraisal_data(ctx, index, year)
    if path.suffix.lower() == ".xlsx":
        from papi_desktop.reports.xlsx.assess import build_appraisal

        return build_appraisal(data, path)
    from papi_desktop.reports.pdf.assess import build_appraisal as build_pdf
    from papi_desktop.services.consolidated_report import letterhead, signer

    name = INDEX_TITLE.get(data["index"], f"Chỉ số {data['index']}")
    appraised = sum(1 for c in data["communes"] if c["state"] == "appraised")
    pdf = {
        **data,
        "trace": _trace(data["office"], year, data["index"], data["framework_version"]),
        "title": f"Kết quả thẩm định {data['index']} năm {year}",
        "letterhead": letterhead(ctx),
        "number": number,
        "subject": [f"Kết quả thẩm định {name} cấp xã năm {year}"],
        "intro": [
            f"Căn cứ kết quả tự đánh giá, chấm điểm của các xã, phường và bộ tiêu chí "
            f"“{data['framework_title']}” (phiên bản {data['framework_version']}, tổng "
            f"{fmt_points(data['max_total'])} điểm), {data['office']} thông báo kết quả thẩm "
            f"định của {len(data['communes'])} xã, phường ({appraised} đã thẩm định xong). "
            "Xếp hạng theo tổng điểm thẩm định; bằng điểm thì cùng hạng.",
            *([data["province_text"]] if data["province_text"] else []),
        ],
        "signer": signer(ctx),
        "recipients": ["UBND các xã, phường;"],
    }
    return build_pdf(pdf, path)
