"""The supervising office's consolidated report: BÁO CÁO tổng hợp kết quả thực hiện Bộ khung
nhiệm vụ PAPI của các xã, phường.

A4 landscape in the Decree 30 layout: heading, title, the overall figures and the communes
on another framework version (never mixed silently), the communes × dimensions table with
rank, overdue tasks and disclosure compliance, the heat map, the ranking chart, the trend
per quarter and per year, the province's index results against their targets, signature.
Plain data in (``ConsolidatedReportData``); the charts come from ``district_charts``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from papi_desktop.reports.pdf.fonts import BOLD
from papi_desktop.reports.pdf.layout import LANDSCAPE, Decree30Document, nfc
from papi_desktop.reports.pdf.models import Letterhead, Signer, TableColumn, Trace
from papi_desktop.reports.pdf.report import rate_words

STATE_TEXT = {
    "draft": "Chưa gửi",
    "submitted": "Chờ duyệt",
    "accepted": "Chấp nhận",
    "returned": "Trả lại",
    "reopened": "Xã mở lại",
}
GROUP_TEXT = {
    "high": "Cao nhất",
    "high_avg": "Trung bình cao",
    "low_avg": "Trung bình thấp",
    "low": "Thấp nhất",
}


@dataclass
class ConsolidatedReportData:
    letterhead: Letterhead
    trace: Trace
    issued_on: date
    year: int
    cutoff: date
    office: str
    framework_version: int
    framework_title: str
    dimensions: list[tuple[str, str]]
    communes: list[dict[str, Any]]
    ranking: list[dict[str, Any]]
    quarters: list[dict[str, Any]]
    years: list[dict[str, Any]]
    scores: list[dict[str, Any]]
    totals: dict[str, Any]
    signer: Signer
    recipients: list[str] = field(default_factory=list)
    number: int | None = None
    symbol: str = "BC-SNV"
    # ``office_tasks.office_results``: the supervising office's own checklist and figures.
    office_tasks: dict[str, Any] | None = None


OFFICE_SECTION = "VI. KẾT QUẢ THỰC HIỆN CỦA CƠ QUAN GIÁM SÁT"
OFFICE_STATUS = {"todo": "Chưa làm", "doing": "Đang làm", "review": "Chờ duyệt", "done": "Xong"}
OFFICE_RESULT = {"met": "Đạt", "partial": "Đạt một phần", "not_met": "Không đạt",
                 "na": "Không áp dụng", "unassessed": "Chưa đánh giá"}  # fmt: skip


def pct2(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def pct0(value: float | None) -> str:
    """A whole percentage ("87"), for the narrow dimension columns."""
    return "—" if value is None else f"{value:.0f}"


def pct(value: float | None) -> str:
    """ "83,3" with a decimal comma; "—" when nothing applies."""
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


CHART_ROWS = 30
MM = 72 / 25.4


def _chunks(n: int, size: int = CHART_ROWS) -> list[tuple[int, int]]:
    """[start, end) of near-equal parts of at most ``size`` (65 → 33 + 32, not 30 + 30 + 5)."""
    parts = max(1, -(-n // size))
    bounds = [round(i * n / parts) for i in range(parts + 1)]
    return list(pairwise(bounds))


def _image(doc: Decree30Document, fig: Any, width: float) -> Any:
    from reportlab.platypus import Image

    from papi_desktop.reports.charts import figure_png_bytes

    w_in, h_in = fig.get_size_inches()
    png = figure_png_bytes(fig, dpi=150)
    height = width * h_in / w_in
    _, page_h = doc.page_size(LANDSCAPE)
    limit = page_h - 60 * 72 / 25.4
    if height > limit:
        width, height = width * limit / height, limit
    return Image(io.BytesIO(png), width=width, height=height)


def build_consolidated_report(
    data: ConsolidatedReportData,
    path: Path,
    progress: Callable[[float], None] | None = None,
) -> Path:
    """Write the consolidated report PDF (A4 landscape)."""
    from reportlab.platypus import CondPageBreak

    from papi_desktop.reports import district_charts as charts

    subject = (
        f"Tổng hợp kết quả thực hiện {nfc(data.framework_title)} của các xã, phường năm {data.year}"
    )
    doc = Decree30Document(
        path,
        data.trace,
        landscape=True,
        title=f"Báo cáo {subject[:1].lower()}{subject[1:]}",
        progress=progress,
        expected_pages=4 + len(data.communes) // 20,
    )
    width = doc.frame_width(LANDSCAPE)
    t = data.totals
    story: list[Any] = []
    story += doc.heading(data.letterhead, data.number, data.symbol, data.issued_on)
    story += doc.doc_title("BÁO CÁO", subject)
    story.append(
        doc.para(
            f"{nfc(data.office)} tổng hợp kết quả thực hiện bộ khung nhiệm vụ cải thiện Chỉ số "
            f"PAPI (phiên bản {data.framework_version}) của {t['communes']} xã, phường năm "
            f"{data.year}, tính trên các kỳ đã đến hạn đến ngày {data.cutoff:%d/%m/%Y}, "
            "theo dữ liệu nhận qua các gói đồng bộ USB, như sau:"
        )
    )
    story.append(doc.section("I. TÌNH HÌNH CHUNG"))
    story.append(
        doc.para(
            f"Tổng số nhiệm vụ phải thực hiện: {t['applicable']}; đã hoàn thành: {t['done']}, "
            f"{rate_words(t['completion'])}. Số nhiệm vụ quá hạn: {t['overdue_tasks']}. "
            f"Nội dung công khai đã ghi sổ: {t['disclosures']}, trong đó trễ hạn: "
            f"{t['late_disclosures']}; nội dung phải công khai theo kế hoạch năm còn thiếu: "
            f"{t['missing_disclosures']}. Báo cáo năm: {t['submitted']} xã đã gửi, "
            f"{t['accepted']} xã đã được chấp nhận. Số xã quá 35 ngày chưa gửi dữ liệu: "
            f"{t['stale']}."
        )
    )
    others = [r for r in data.communes if not r["framework_current"]]
    if others:
        names = "; ".join(f"{r['name']} (phiên bản {r['framework_version']})" for r in others)
        story.append(
            doc.para(
                f"Lưu ý: {len(others)} xã, phường chưa dùng bộ khung phiên bản "
                f"{data.framework_version}: {names}. Số liệu của các xã này được tính theo "
                "phiên bản xã đang dùng và đánh dấu (*) trong bảng."
            )
        )
    dims = data.dimensions
    columns = [
        TableColumn("TT", 9, "CENTER"),
        TableColumn("Xã, phường", 46),
        TableColumn("Hoàn thành (%)", 19, "CENTER"),
    ]
    columns += [TableColumn(f"CSND {c}", 12, "CENTER") for c, _ in dims]
    columns += [
        TableColumn("Xếp hạng", 14, "CENTER"),
        TableColumn("NV quá hạn", 14, "CENTER"),
        TableColumn("CK trễ hạn", 14, "CENTER"),
        TableColumn("CK còn thiếu", 15, "CENTER"),
        TableColumn("Báo cáo năm", 20, "CENTER"),
    ]
    table_rows = []
    for i, r in enumerate(data.communes, start=1):
        name = r["name"] + (" (*)" if not r["framework_current"] else "")
        table_rows.append(
            [str(i), name, pct(r["completion"])]
            + [pct0(r["dimensions"][c]["completion"]) for c, _ in dims]
            + [
                str(r["rank"] or "—"),
                str(r["overdue_tasks"]),
                str(r["late_disclosures"]),
                str(r["missing_disclosures"]),
                STATE_TEXT[r["submission"]],
            ]
        )
    total_dims = []
    for c, _ in dims:
        dd = sum(r["dimensions"][c]["done"] for r in data.communes)
        da = sum(r["dimensions"][c]["applicable"] for r in data.communes)
        total_dims.append(pct0(100.0 * dd / da if da else None))
    table_rows.append(
        ["", "Toàn tỉnh", pct(t["completion"]), *total_dims, "", str(t["overdue_tasks"]),
         str(t["late_disclosures"]), str(t["missing_disclosures"]), ""]
    )  # fmt: skip
    # The table flows on from the overview, split across pages with its header repeated;
    # the heading only moves to the next page when its first rows would not follow it.
    story.append(CondPageBreak(45 * MM))
    heading = doc.section("II. KẾT QUẢ THEO XÃ, PHƯỜNG VÀ CHỈ SỐ NỘI DUNG")
    heading.keepWithNext = 0  # keeping it with the whole table pushed both to page 2
    story.append(heading)
    table = doc.table(columns, table_rows, orientation=LANDSCAPE, zebra=True)
    last = len(table_rows)
    table.setStyle([("FONTNAME", (0, last), (-1, last), BOLD)])
    story.append(table)
    story.append(
        doc.small(
            "CSND: chỉ số nội dung — "
            + "; ".join(f"{c}. {n}" for c, n in dims)
            + ". CK: nội dung công khai. Tỷ lệ hoàn thành (%) = đã xong / (tổng số − không áp dụng)."
        )
    )
    if data.communes:
        # Pages of at most CHART_ROWS communes: one figure for 100 communes would be shrunk
        # to the page height and unreadable.
        parts = _chunks(len(data.communes))
        for k, (a, b) in enumerate(parts):
            story.append(CondPageBreak(120 * MM))
            if k == 0:
                story.append(doc.section("III. BẢN ĐỒ NHIỆT MỨC ĐỘ HOÀN THÀNH"))
            rows = data.communes[a:b]
            fig = charts.heatmap_figure(
                [r["name"] for r in rows],
                [f"CSND {c}" for c, _ in dims],
                [[r["dimensions"][c]["completion"] for c, _ in dims] for r in rows],
                f"Tỷ lệ hoàn thành (%) theo xã, phường và chỉ số nội dung — năm {data.year}"
                + (f" ({k + 1}/{len(parts)})" if len(parts) > 1 else ""),
                width_in=10.5,
            )
            story.append(_image(doc, fig, width))
        story.append(CondPageBreak(120 * MM))
        story.append(doc.section("IV. XẾP HẠNG VÀ XU HƯỚNG"))
        for k, (a, b) in enumerate(_chunks(len(data.ranking))):
            if k:
                story.append(CondPageBreak(120 * MM))
            rows = data.ranking[a:b]
            fig = charts.ranking_figure(
                [r["name"] for r in rows],
                [r["completion"] for r in rows],
                f"Xếp hạng theo tỷ lệ hoàn thành — năm {data.year}"
                + (f" (thứ {a + 1}–{b})" if len(data.ranking) > CHART_ROWS else ""),
                first=a + 1,
            )
            story.append(_image(doc, fig, width * 0.8))
        labels = [f"Quý {q['quarter']}/{data.year}" for q in data.quarters]
        values = [q["completion"] for q in data.quarters]
        labels += [f"Năm {y['year']}" for y in data.years]
        values += [y["completion"] for y in data.years]
        fig = charts.trend_figure(labels, values, "Tỷ lệ hoàn thành theo kỳ", width_in=10)
        story.append(_image(doc, fig, width))
    story.append(doc.section("V. KẾT QUẢ CHỈ SỐ PAPI CỦA TỈNH VÀ MỤC TIÊU"))
    papi = [e for e in data.scores if e["index"] == "PAPI"]
    if data.scores:
        cols = [
            TableColumn("Chỉ số", 22), TableColumn("Năm", 13, "CENTER"),
            TableColumn("Điểm", 16, "CENTER"), TableColumn("Xếp hạng", 20, "CENTER"),
            TableColumn("Nhóm", 34), TableColumn("Mục tiêu", 18, "CENTER"),
            TableColumn("Đánh giá", 20, "CENTER"),
        ]  # fmt: skip
        rows = []
        for e in data.scores:
            group = GROUP_TEXT.get(e["group"], "")
            if group and e["group_estimated"]:
                group += " (ước tính)"
            rows.append(
                [e["index"], str(e["year"]),
                 "—" if e["total"] is None else f"{e['total']:.2f}".replace(".", ","),
                 f"{e['rank']}/{e['of']}" if e["rank"] else "—", group,
                 "—" if e["target"] is None else "≥ " + f"{e['target']:.2f}".replace(".", ","),
                 {True: "Đạt", False: "Chưa đạt", None: ""}[e["target_met"]]]
            )  # fmt: skip
        story.append(doc.table(cols, rows, orientation=LANDSCAPE))
        if papi:
            fig = charts.scores_figure(
                [e["year"] for e in papi],
                [e["total"] for e in papi],
                [e["target"] for e in papi],
                "Chỉ số PAPI tổng hợp của tỉnh và mục tiêu",
                width_in=10,
            )
            story.append(_image(doc, fig, width * 0.85))
            latest = next((e for e in reversed(papi) if e["dimensions"]), None)
            if latest:
                weak = sorted(latest["dimensions"].items(), key=lambda x: x[1])[:3]
                names = dict(dims)
                story.append(
                    doc.para(
                        f"Các chỉ số nội dung điểm thấp nhất năm {latest['year']}: "
                        + "; ".join(f"{names.get(d, d)} ({pct2(s)})" for d, s in weak)
                        + ". Đề nghị các xã, phường tập trung thực hiện các nhiệm vụ thuộc các "
                        "chỉ số nội dung này."
                    )
                )
    else:
        story.append(doc.para("Chưa ghi nhận kết quả chỉ số của tỉnh."))
    if data.office_tasks is not None:
        _office_section(doc, data, story)
    story.append(doc.signature_block(data.signer, data.recipients, "Lưu: VT."))
    return doc.build(story)


def _office_section(doc: Decree30Document, data: ConsolidatedReportData, story: list) -> None:
    """The office's own tasks: figures, then one row per task and period."""
    from reportlab.platypus import CondPageBreak

    o = data.office_tasks or {}
    story.append(CondPageBreak(60 * MM))
    story.append(doc.section(OFFICE_SECTION))
    story.append(
        doc.para(
            f"Nhiệm vụ của {nfc(data.office)} đã đến hạn đến ngày {data.cutoff:%d/%m/%Y}: "
            f"{o['counted']}; đã hoàn thành {o['done']}/{o['applicable']}, "
            f"{rate_words(o['completion'])}; số nhiệm vụ quá hạn: {o['overdue']}."
        )
    )
    if not o["rows"]:
        story.append(doc.para("Bộ khung hiện hành chưa có nhiệm vụ của cơ quan giám sát."))
        return
    columns = [
        TableColumn("TT", 9, "CENTER"), TableColumn("Mã", 16, "CENTER"),
        TableColumn("Nhiệm vụ", 80), TableColumn("Kỳ", 16, "CENTER"),
        TableColumn("Hạn", 20, "CENTER"), TableColumn("Trạng thái", 24, "CENTER"),
        TableColumn("Kết quả", 22, "CENTER"), TableColumn("Ngày xong", 20, "CENTER"),
        TableColumn("Minh chứng", 16, "CENTER"), TableColumn("Ghi chú", 40),
    ]  # fmt: skip
    rows = []
    for i, t in enumerate(o["rows"], start=1):
        status = OFFICE_STATUS.get(t["status"], t["status"])
        if t["overdue"]:
            status += " (quá hạn)"
        rows.append(
            [str(i), t["code"], t["title"], t["period"], _dmy(t["due"]), status,
             OFFICE_RESULT.get(t["result"], t["result"]), _dmy(t["done_on"]),
             str(t.get("evidence", 0)), nfc(t["note"] or t["na_reason"] or "")]
        )  # fmt: skip
    story.append(doc.table(columns, rows, orientation=LANDSCAPE, zebra=True))


def _dmy(iso_text: str | None) -> str:
    return date.fromisoformat(iso_text).strftime("%d/%m/%Y") if iso_text else ""
