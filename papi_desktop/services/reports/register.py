"""DANH MỤC CÁC NỘI DUNG ĐÃ CÔNG KHAI of a quarter (Luật 10/2022/QH15 Điều 13)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from papi_desktop.domain.dates import format_date
from papi_desktop.domain.periods import Period
from papi_desktop.domain.text import nfc
from papi_desktop.errors import UserError
from papi_desktop.services import disclosures
from papi_desktop.services.context import AppContext
from papi_desktop.services.reports.common import (
    ProgressFn,
    _d,
    _form_labels,
    _late_at,
    _Steps,
    _unit_lower,
    _words,
    check_output,
    letterhead,
    places_text,
    signer,
    trace,
)


def parse_quarter(text: str) -> Period:
    p = Period.parse(text)
    if p.kind != "quarter":
        raise UserError(
            f"“{text}” không phải một quý; viết dạng 2026Q1 … 2026Q4.",
            f"“{text}” is not a quarter; write 2026Q1 … 2026Q4.",
        )
    return p


def register(
    ctx: AppContext,
    quarter: str,
    path: Path,
    *,
    number: int | None = None,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """DANH MỤC CÁC NỘI DUNG ĐÃ CÔNG KHAI of a quarter (Luật 10/2022 Điều 13)."""
    from papi_desktop.reports.pdf.disclosures import build_disclosure_register
    from papi_desktop.reports.pdf.models import DisclosureRegisterData, RegisterEntry

    q = parse_quarter(quarter)
    path = check_output(path)
    step = _Steps(progress, cancel)
    step(0.0, "Đang đọc sổ công khai…")
    entries = []
    words = _words(ctx)
    items = disclosures.list_items(ctx)
    forms_of = {
        r["id"]: json.loads(r["forms"] or "[]")
        for r in ctx.db.query("SELECT id, forms FROM disclosure WHERE deleted = 0")
    }
    for item in items:
        posted = [p for p in item["places"] if p["posted_on"]]
        if not posted:
            continue
        first = min(_d(p["posted_on"]) for p in posted)
        if not q.contains(first):
            continue
        ends = [_d(p["ends_on"]) for p in posted]
        last = None if any(e is None for e in ends) else max(ends)
        notes = []
        # Each place judged on its own (places already posted are listed in "Địa điểm").
        late_at = [p["place"] for p in posted if _late_at(item, p)]
        if late_at:
            notes.append(f"Niêm yết sau hạn tại {', '.join(late_at)}")
        early = [p["place"] for p in item["places"] if p["judgement"] == "taken_down_early"]
        if early:
            notes.append(f"Gỡ trước hạn tại {', '.join(early)}")
        waiting = [p["place"] for p in item["places"] if not p["posted_on"]]
        if waiting:
            notes.append(f"Chưa niêm yết tại {', '.join(waiting)}")
        if last is None:
            notes.append("Niêm yết thường xuyên")
        doc = nfc(item["decision_no"] or "")
        if doc and item["decision_date"]:
            doc += f" ngày {format_date(_d(item['decision_date']))}"
        entries.append(
            (
                first,
                RegisterEntry(
                    content=nfc(item["title"]),
                    document=doc,
                    forms=_form_labels(forms_of.get(item["id"], []), words["head"]),
                    places=places_text([p["place"] for p in posted], words["group"]),
                    posted_from=first,
                    posted_to=last,
                    note="; ".join(notes),
                ),
            )
        )
    entries.sort(key=lambda e: e[0])
    data = DisclosureRegisterData(
        letterhead=letterhead(ctx),
        trace=trace(ctx, f"Quý {q.index}/{q.year}"),
        quarter=q.index,
        year=q.year,
        entries=[e for _, e in entries],
        issued_on=ctx.today(),
        signer=signer(ctx),
        number=number,
        legal_bases=[
            "Căn cứ Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 ngày 10 tháng 11 năm 2022",
            "Căn cứ Nghị định số 59/2023/NĐ-CP ngày 14 tháng 8 năm 2023 của Chính phủ",
        ],
        recipients=[f"Thường trực HĐND {_unit_lower(ctx)}", words["heads"] + " (niêm yết)"],
        closing=(
            f"Danh mục gồm {len(entries):02d} nội dung, được niêm yết tại trụ sở Ủy ban nhân "
            f"dân và nhà văn hóa các {words['group']} theo quy định tại Điều 13 Luật Thực hiện "
            "dân chủ ở cơ sở./."
        ),
    )
    step(0.25, "Đang tạo danh mục…")
    return build_disclosure_register(data, path, progress=step.builder(0.25))
