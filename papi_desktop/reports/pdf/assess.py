"""Scored-index documents in the Decree 30 layout: the commune's "Báo cáo tự đánh giá,
chấm điểm" (criteria, maximum, self-score, explanation and evidence list) and the office's
appraisal results (communes × fields, self vs appraised, ranking). Plain data in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from papi_desktop.domain.scoring import fmt_points
from papi_desktop.reports.pdf.layout import LANDSCAPE, Decree30Document, GroupRow, fit_column
from papi_desktop.reports.pdf.models import TableColumn

SAMPLE_NOTE = (
    "Lưu ý: bộ tiêu chí dùng để chấm là MẪU THAM KHẢO của phần mềm, không phải văn bản chính "
    "thức; tỉnh ban hành bộ tiêu chí riêng."
)
SELF_COLUMNS = (
    TableColumn("Mã", 14, "CENTER"),
    TableColumn("Lĩnh vực, tiêu chí", 112),
    TableColumn("Điểm tối đa", 18, "CENTER"),
    TableColumn("Điểm tự chấm", 18, "CENTER"),
    TableColumn("Giải trình, tài liệu kiểm chứng", 100),
)


def build_self_assessment(data: dict[str, Any], path: Path) -> Path:
    """The commune's self-assessment report (landscape)."""
    doc = Decree30Document(path, data["trace"], landscape=True, title=data["title"],
                           expected_pages=1 + len(data["rows"]) // 12)  # fmt: skip
    story: list = []
    story += doc.heading(data["letterhead"], data["number"], "BC-UBND", data["issued_on"])
    story += doc.doc_title("BÁO CÁO", data["subject"])
    for text in data["intro"]:
        story.append(doc.para(text))
    if data["sample"]:
        story.append(doc.para(SAMPLE_NOTE))
    rows: list = []
    for r in data["rows"]:
        pts = f"{fmt_points(r['max_points'])}"
        own = fmt_points(r["self_points"]) or ("khảo sát" if r["method"] == "survey" else "—")
        if r["level"] == "field":
            rows.append(GroupRow(f"{r['code']}. {r['title']} — tối đa {pts} điểm, tự chấm "
                                 f"{fmt_points(r['self_points']) or '0'} điểm"))  # fmt: skip
            continue
        lines = [r["note"]] if r["note"] else []
        lines += [f"- {name}" for name in r["evidence"]]
        if r["level"] == "criterion" and not r["scorable"]:
            lines = lines or ["(tổng các tiêu chí thành phần)"]
        rows.append((r["code"], r["title"], pts, own, "\n".join(lines)))
    rows.append(("", "TỔNG CỘNG", fmt_points(data["max_total"]),
                 fmt_points(data["self_total"]) or "0", ""))  # fmt: skip
    columns = fit_column(SELF_COLUMNS, 0, [r["code"] for r in data["rows"]], take_from=1)
    story.append(doc.table(columns, rows, orientation=LANDSCAPE))
    story.append(doc.signature_block(data["signer"], data["recipients"], "Lưu: VT."))
    return doc.build(story)


def build_appraisal(data: dict[str, Any], path: Path) -> Path:
    """The office's appraisal results and ranking (landscape)."""
    fields = data["fields"]
    columns = [TableColumn("Hạng", 11, "CENTER"), TableColumn("Xã/phường", 46)]
    columns += [
        TableColumn(f"LV {code} ({fmt_points(mx)})", 20, "CENTER") for code, _, mx in fields
    ]
    columns += [TableColumn("Tự chấm", 17, "CENTER"), TableColumn("Thẩm định", 17, "CENTER"),
                TableColumn("Trạng thái", 28)]  # fmt: skip
    doc = Decree30Document(path, data["trace"], landscape=True, title=data["title"],
                           expected_pages=1 + len(data["communes"]) // 15)  # fmt: skip
    story: list = []
    story += doc.heading(data["letterhead"], data["number"], "BC-SNV", data["issued_on"])
    story += doc.doc_title("BÁO CÁO", data["subject"])
    for text in data["intro"]:
        story.append(doc.para(text))
    if data["sample"]:
        story.append(doc.para(SAMPLE_NOTE))
    story.append(doc.para("Mỗi ô lĩnh vực ghi: điểm tự chấm / điểm thẩm định. " + "; ".join(
        f"LV {code}: {title}" for code, title, _ in fields) + "."))  # fmt: skip
    rows: list = []
    for c in data["communes"]:
        cells = [f"{fmt_points(s) or '—'} / {fmt_points(a) or '—'}"
                 for s, a in (c["fields"].get(code, (None, None)) for code, _, _ in fields)]  # fmt: skip
        rows.append((str(c["rank"] or "—"), f"{c['unit']} {c['name']}", *cells,
                     fmt_points(c["self_total"]) or "—", fmt_points(c["appraised_total"]) or "—",
                     c["state_text"]))  # fmt: skip
    story.append(doc.table(columns, rows, orientation=LANDSCAPE))
    story.append(doc.signature_block(data["signer"], data["recipients"], "Lưu: VT."))
    return doc.build(story)
