"""Disclosure registers on paper: the quarterly DANH MỤC and the yearly checklist.

``build_disclosure_register`` prints "DANH MỤC CÁC NỘI DUNG ĐÃ CÔNG KHAI" for a quarter
(Luật 10/2022/QH15, Điều 13), landscape. ``build_disclosure_checklist`` prints every
disclosure the yearly plan expects with its legal deadline, period, places and forms, and
boxes for posted / minutes signed / taken down, blank (to fill by hand) or filled.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from papi_desktop.domain.dates import format_date
from papi_desktop.errors import UserError
from papi_desktop.reports.pdf.layout import LANDSCAPE, Decree30Document, roman
from papi_desktop.reports.pdf.models import (
    DisclosureChecklistData,
    DisclosureRegisterData,
    TableColumn,
)

REGISTER_COLUMNS = (
    TableColumn("STT", 12, "CENTER"),
    TableColumn("Nội dung công khai", 54),
    TableColumn("Văn bản", 44),
    TableColumn("Hình thức công khai", 38),
    TableColumn("Địa điểm niêm yết", 44),
    TableColumn("Thời gian niêm yết (từ ngày - đến ngày)", 30, "CENTER"),
    TableColumn("Ghi chú", 30),
)

CHECKLIST_COLUMNS = (
    TableColumn("STT", 10, "CENTER"),
    TableColumn("Nội dung phải công khai", 38),
    TableColumn("Căn cứ pháp lý", 30),
    TableColumn("Hạn niêm yết", 22, "CENTER"),
    TableColumn("Thời gian niêm yết", 25, "CENTER"),
    TableColumn("Địa điểm", 28),
    TableColumn("Hình thức", 24),
    TableColumn("Đã niêm yết", 19, "CENTER"),
    TableColumn("Có biên bản", 19, "CENTER"),
    TableColumn("Đã kết thúc", 19, "CENTER"),
    TableColumn("Ghi chú", 18),
)


def period_text(start: date | None, end: date | None) -> str:
    """ "06/01/2026 -\\n04/02/2026"; an open end prints "từ 15/01/2026"; nothing prints ""."""
    if start is None and end is None:
        return ""
    if end is None:
        return f"từ {format_date(start)}"
    if start is None:
        return f"đến {format_date(end)}"
    return f"{format_date(start)} -\n{format_date(end)}"


def build_disclosure_register(
    data: DisclosureRegisterData,
    path: Path,
    progress: Callable[[float], None] | None = None,
) -> Path:
    """DANH MỤC CÁC NỘI DUNG ĐÃ CÔNG KHAI quý N/YYYY, landscape, signed by the UBND."""
    doc = Decree30Document(
        path,
        data.trace,
        landscape=True,
        title=f"Danh mục các nội dung đã công khai quý {roman(data.quarter)}/{data.year}",
        progress=progress,
        expected_pages=1 + len(data.entries) // 8,
    )
    story: list = []
    story += doc.heading(data.letterhead, data.number, data.symbol, data.issued_on)
    story += doc.doc_title(
        "DANH MỤC CÁC NỘI DUNG ĐÃ CÔNG KHAI", f"Quý {roman(data.quarter)} năm {data.year}"
    )
    story += doc.legal_bases(data.legal_bases)
    rows = [
        (
            str(i),
            e.content,
            e.document,
            e.forms,
            e.places,
            period_text(e.posted_from, e.posted_to),
            e.note,
        )
        for i, e in enumerate(data.entries, start=1)
    ]
    if rows:
        story.append(doc.table(REGISTER_COLUMNS, rows, orientation=LANDSCAPE))
    else:
        story.append(doc.para("Trong quý không có nội dung nào được công khai."))
    closing = data.closing or (
        f"Danh mục gồm {len(data.entries):02d} nội dung đã công khai trong quý "
        f"{roman(data.quarter)} năm {data.year}./."
    )
    story.append(
        doc.signature_block(data.signer, data.recipients, data.archive, lead=[doc.para(closing)])
    )
    return doc.build(story)


def build_disclosure_checklist(
    data: DisclosureChecklistData,
    path: Path,
    progress: Callable[[float], None] | None = None,
) -> Path:
    """Checklist of the expected disclosures of a year, or of one quarter of it ("Quý 4 năm
    2026"), with evidence boxes (blank or filled)."""
    if data.quarter is not None and data.quarter not in (1, 2, 3, 4):
        raise UserError(
            f"Quý “{data.quarter}” không hợp lệ; chọn 1, 2, 3 hoặc 4.",
            f"Invalid quarter “{data.quarter}”; use 1 to 4.",
        )
    period = f"quý {data.quarter} năm {data.year}" if data.quarter else f"năm {data.year}"
    doc = Decree30Document(
        path,
        data.trace,
        landscape=True,
        title=f"Danh mục theo dõi công khai thông tin {period}",
        progress=progress,
        expected_pages=1 + len(data.items) // 8,
    )
    story: list = []
    story += doc.heading(
        data.letterhead, data.number, data.symbol, data.issued_on if data.filled else None
    )
    subject = (
        ["Thực hiện công khai thông tin", f"Quý {data.quarter} năm {data.year}"]
        if data.quarter
        else [f"Thực hiện công khai thông tin năm {data.year}"]
    )
    story += doc.doc_title("DANH MỤC THEO DÕI", subject)
    story.append(
        doc.para(
            "Đánh dấu X vào ô tương ứng khi đã niêm yết, đã lập biên bản niêm yết và khi đã "
            "kết thúc niêm yết (lập biên bản kết thúc, gỡ tài liệu xuống)."
        )
    )
    rows = []
    for i, item in enumerate(data.items, start=1):
        marks = (item.posted, item.minutes_signed, item.taken_down) if data.filled else (None,) * 3
        boxes = [doc.check_box(mark) for mark in marks]
        rows.append(
            [
                str(i),
                item.title,
                item.legal_basis,
                format_date(item.deadline),
                period_text(item.period_from, item.period_to),
                item.places,
                item.forms,
                *boxes,
                item.note if data.filled else "",
            ]
        )
    story.append(doc.table(CHECKLIST_COLUMNS, rows, orientation=LANDSCAPE))
    signers = [s for s in (data.prepared_by, data.approved_by) if s is not None]
    story.append(doc.signature_row(signers, per_row=2))
    return doc.build(story)
