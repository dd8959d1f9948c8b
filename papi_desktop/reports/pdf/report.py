"""The commune's period report: BÁO CÁO kết quả thực hiện Khung nhiệm vụ PAPI.

Summary table by dimension (done / applicable / %), the progress chart, the tasks not done
with their reasons, the disclosures of the period and their compliance (on time / late /
missing), the framework version, proposals, signature.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from papi_desktop.domain.dates import format_date
from papi_desktop.domain.labels import OUTCOME_LABELS
from papi_desktop.reports.pdf.fonts import BOLD
from papi_desktop.reports.pdf.layout import Decree30Document, nfc
from papi_desktop.reports.pdf.models import ProgressReportData, TableColumn

SUMMARY_COLUMNS = (
    TableColumn("STT", 12, "CENTER"),
    TableColumn("Lĩnh vực (nội dung chỉ số PAPI)", 81),
    TableColumn("Số nhiệm vụ hoàn thành", 24, "CENTER"),
    TableColumn("Số nhiệm vụ phải thực hiện", 26, "CENTER"),
    TableColumn("Tỷ lệ (%)", 22, "CENTER"),
)

UNFINISHED_COLUMNS = (
    TableColumn("Mã", 30, "CENTER"),
    TableColumn("Nhiệm vụ chưa hoàn thành", 56),
    TableColumn("Chủ trì", 35),
    TableColumn("Lý do", 44),
)

DISCLOSURE_COLUMNS = (
    TableColumn("STT", 11, "CENTER"),
    TableColumn("Nội dung công khai", 70),
    TableColumn("Hạn niêm yết", 25, "CENTER"),
    TableColumn("Ngày niêm yết", 25, "CENTER"),
    TableColumn("Tình trạng", 34),
)

# The words come from the one label table, so the workbook of the same report says the same.
STATUS_LABELS = {k: v["vi"] for k, v in OUTCOME_LABELS.items()}


def percent_text(value: float | None) -> str:
    """ "83,3" with a decimal comma; "—" when nothing applies."""
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",")


def build_progress_report(
    data: ProgressReportData,
    path: Path,
    progress: Callable[[float], None] | None = None,
) -> Path:
    """BÁO CÁO kết quả thực hiện <framework> <period>, portrait, signed by the UBND."""
    from reportlab.platypus import Image

    from papi_desktop.reports.charts import figure_png_bytes, progress_by_dimension_figure

    subject = nfc(data.subject) or (
        f"Kết quả thực hiện {nfc(data.framework_title)} trong {nfc(data.period)}"
    )
    doc = Decree30Document(
        path,
        data.trace,
        title=f"Báo cáo {subject[:1].lower()}{subject[1:]}",
        progress=progress,
        expected_pages=3,
    )
    story: list = []
    story += doc.heading(data.letterhead, data.number, data.symbol, data.issued_on)
    story += doc.doc_title("BÁO CÁO", subject)
    story += doc.legal_bases(data.legal_bases)
    for text in data.intro:
        story.append(doc.para(text))

    story.append(doc.section("I. KẾT QUẢ THỰC HIỆN THEO LĨNH VỰC"))
    done = sum(d.done for d in data.dimensions)
    applicable = sum(d.applicable for d in data.dimensions)
    overall = 100.0 * done / applicable if applicable else None
    story.append(
        doc.para(
            f"Tổng số nhiệm vụ phải thực hiện trong kỳ: {applicable}; đã hoàn thành: {done}, "
            f"đạt tỷ lệ {percent_text(overall)}%."
        )
    )
    rows = [
        (str(i), d.name, str(d.done), str(d.applicable), percent_text(d.percent))
        for i, d in enumerate(data.dimensions, start=1)
    ]
    rows.append(("", "Tổng cộng", str(done), str(applicable), percent_text(overall)))
    summary = doc.table(SUMMARY_COLUMNS, rows)
    summary.setStyle([("FONTNAME", (0, len(rows)), (-1, len(rows)), BOLD)])
    story.append(summary)

    if data.dimensions:
        fig = progress_by_dimension_figure(
            [f"{d.code}. {d.name}" if d.code else d.name for d in data.dimensions],
            [d.percent for d in data.dimensions],
            "Tỷ lệ nhiệm vụ hoàn thành theo lĩnh vực",
        )
        w_in, h_in = fig.get_size_inches()
        png = figure_png_bytes(fig, dpi=200)
        width = doc.frame_width()
        story.append(_gap(8))
        story.append(Image(io.BytesIO(png), width=width, height=width * h_in / w_in))
        story.append(_gap(6))

    story.append(doc.section("II. NHIỆM VỤ CHƯA HOÀN THÀNH VÀ NGUYÊN NHÂN"))
    if data.unfinished:
        story.append(
            doc.table(
                UNFINISHED_COLUMNS,
                [(t.code, t.title, t.lead, t.reason) for t in data.unfinished],
            )
        )
    else:
        story.append(doc.para("Không có; các nhiệm vụ trong kỳ đều đã hoàn thành."))

    if data.disclosure_section:
        _disclosures(doc, data, story)
    story.append(doc.section(f"{'IV' if data.disclosure_section else 'III'}. ĐỀ XUẤT, KIẾN NGHỊ"))
    if data.proposals:
        for text in data.proposals:
            story.append(doc.para(text))
    else:
        story.append(doc.para("Không có."))
    closing = doc.para(
        f"Báo cáo được lập theo {nfc(data.framework_title)}, phiên bản "
        f"{nfc(data.framework_version)}./."
    )
    story.append(doc.signature_block(data.signer, data.recipients, data.archive, lead=[closing]))
    return doc.build(story)


def _disclosures(doc: Decree30Document, data: ProgressReportData, story: list) -> None:
    story.append(doc.section("III. THỰC HIỆN CÔNG KHAI THÔNG TIN"))
    counts = {key: 0 for key in STATUS_LABELS}
    for item in data.disclosures:
        counts[item.status] = counts.get(item.status, 0) + 1
    story.append(
        doc.para(
            f"Trong kỳ có {len(data.disclosures)} nội dung phải công khai: "
            + ", ".join(f"{STATUS_LABELS[k].lower()} {counts[k]}" for k in STATUS_LABELS)
            + "."
        )
    )
    if data.disclosures:
        story.append(
            doc.table(
                DISCLOSURE_COLUMNS,
                [
                    (
                        str(i),
                        d.title,
                        format_date(d.deadline),
                        format_date(d.posted_on),
                        "; ".join(
                            x for x in (STATUS_LABELS.get(d.status, d.status), nfc(d.note)) if x
                        ),
                    )
                    for i, d in enumerate(data.disclosures, start=1)
                ],
            )
        )


def _gap(points: float):
    from reportlab.platypus import Spacer

    return Spacer(1, points)
