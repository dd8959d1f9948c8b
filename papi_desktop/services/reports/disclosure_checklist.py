"""The disclosure-plan checklist: every expected disclosure of a year or quarter with its
legal deadline and evidence boxes."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

from papi_desktop.domain.dates import format_date
from papi_desktop.domain.periods import Period
from papi_desktop.domain.text import nfc
from papi_desktop.errors import UserError
from papi_desktop.services import disclosures
from papi_desktop.services.context import AppContext
from papi_desktop.services.reports.common import (
    ProgressFn,
    _check_year,
    _d,
    _form_labels,
    _item_forms,
    _late_at,
    _setting,
    _Steps,
    _words,
    check_output,
    letterhead,
    places_text,
    trace,
)
from papi_desktop.services.setup import hq_place_name


def disclosure_checklist(
    ctx: AppContext,
    year: int,
    quarter: int | None = None,
    path: Path | None = None,
    blank: bool = False,
    *,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Every expected disclosure of the year's plan (optionally one quarter) with its
    legal deadline, period, places and forms, and the evidence boxes."""
    from papi_desktop.reports.pdf.disclosures import build_disclosure_checklist
    from papi_desktop.reports.pdf.models import (
        DisclosureChecklistData,
        ExpectedDisclosure,
        MinutesSigner,
    )

    _check_year(year)
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise UserError(
            f"Quý “{quarter}” không hợp lệ; chọn 1, 2, 3 hoặc 4.",
            f"Invalid quarter “{quarter}”; use 1 to 4.",
        )
    if path is None:
        raise UserError("Thiếu tệp kết quả (-o).", "Missing output file (-o).")
    path = check_output(path)
    step = _Steps(progress, cancel)
    step(0.0, "Đang đọc kế hoạch công khai…")
    plan = disclosures.list_plan(ctx, year)
    q = Period("quarter", year, quarter) if quarter else None
    items_by_id: dict[str, dict[str, Any]] = {}
    if not blank:
        items_by_id = {i["id"]: i for i in disclosures.list_items(ctx)}
    types = {t["code"]: t for t in disclosures.list_types(ctx)}
    evidence = {
        r["record_id"]
        for r in ctx.db.query(
            "SELECT DISTINCT record_id FROM attachment WHERE record_table = 'disclosure' "
            "AND deleted = 0"
        )
    }
    out = []
    words = _words(ctx)
    used: set[str] = set()
    for p in plan:
        due = _d(p["due"])
        if q is not None and not q.contains(due):
            continue
        title = nfc(p["label"]) or nfc(p["type_name"])
        places = "; ".join(_place_kind_words(ctx, x) for x in p["places"]) or hq_place_name(
            ctx.require_site().unit_name
        )
        forms = _form_labels(p["forms"], words["head"])
        basis = nfc(p["legal_basis"])
        if blank:
            row = ExpectedDisclosure(title, basis, due, None, None, places, forms)
            out.append(_provisional_note(row, p["provisional"]))
            continue
        item = items_by_id.get(p["disclosure_id"] or "")
        if item:
            used.add(item["id"])
        row = _expected_filled(title, basis, due, places, forms, item, evidence, ctx.today())
        out.append(_provisional_note(row, p["provisional"] or bool(item and item["provisional"])))
    if not blank:
        for item in items_by_id.values():
            if item["id"] in used:
                continue
            posted = [_d(x["posted_on"]) for x in item["places"] if x["posted_on"]]
            anchor = _d(item["trigger_date"]) or (min(posted) if posted else None)
            if anchor is None or anchor.year != year or (q is not None and not q.contains(anchor)):
                continue
            t = types.get(item["type"], {})
            row = _expected_filled(
                nfc(item["title"]),
                nfc(item["legal_basis"]),
                _d(item["post_deadline"]),
                places_text([x["place"] for x in item["places"]], words["group"]),
                _form_labels(_item_forms(ctx, item["id"], t), words["head"]),
                item,
                evidence,
                ctx.today(),
            )
            out.append(
                ExpectedDisclosure(
                    **{**row.__dict__, "note": "; ".join(x for x in ("Phát sinh", row.note) if x)}
                )
            )
    site = ctx.require_site()
    period = f"Quý {quarter}/{year}" if quarter else f"Năm {year}"
    data = DisclosureChecklistData(
        letterhead=letterhead(ctx),
        trace=trace(ctx, period),
        year=year,
        quarter=quarter,
        items=out,
        filled=not blank,
        issued_on=None if blank else ctx.today(),
        prepared_by=MinutesSigner("Người lập", "" if blank else site.user_name),
        approved_by=MinutesSigner("Lãnh đạo UBND", "" if blank else _setting(ctx, "signer_name")),
    )
    step(0.25, "Đang tạo bảng kiểm công khai…")
    return build_disclosure_checklist(data, path, progress=step.builder(0.25))


def _place_kind_words(ctx: AppContext, label: str) -> str:
    """A plan's place kind in the unit's own words ("Trụ sở UBND xã" -> "Trụ sở UBND phường
    Ninh Hòa"; "… các thôn, tổ dân phố" -> "… các tổ dân phố" for a phường)."""
    kinds = disclosures.PLACE_KIND_LABELS
    if label == kinds.get("hq", {}).get("vi"):
        return hq_place_name(ctx.require_site().unit_name)
    if label == kinds.get("villages", {}).get("vi"):
        return f"Nhà văn hóa các {_words(ctx)['group']}"
    return nfc(label)


PROVISIONAL_NOTE = "Hạn tính theo lịch ngày nghỉ chưa chính thức"


def _provisional_note(row: Any, provisional: bool) -> Any:
    """The row with a note when its date depends on days off not yet official."""
    if not provisional:
        return row
    from papi_desktop.reports.pdf.models import ExpectedDisclosure

    note = "; ".join(x for x in (row.note, PROVISIONAL_NOTE) if x)
    return ExpectedDisclosure(**{**row.__dict__, "note": note})


def _expected_filled(
    title: str,
    basis: str,
    due: date | None,
    places: str,
    forms: str,
    item: dict[str, Any] | None,
    evidence: set[str],
    today: date,
) -> Any:
    from papi_desktop.reports.pdf.models import ExpectedDisclosure

    if item is None:
        late = due is not None and due < today
        return ExpectedDisclosure(
            title, basis, due, None, None, places, forms, False, False, False,
            "Chưa thực hiện, đã quá hạn" if late else "Chưa đến hạn",
        )  # fmt: skip
    posted = [x for x in item["places"] if x["posted_on"]]
    start = min((_d(x["posted_on"]) for x in posted), default=None)
    ends = [_d(x["ends_on"]) for x in posted]
    end = max(ends) if ends and all(ends) else None
    taken = bool(posted) and all(x["taken_down_on"] or x["state"] == "complete" for x in posted)
    # "Địa điểm": where the item was actually posted (with the day), then where not yet.
    unposted = [x["place"] for x in item["places"] if not x["posted_on"]]
    if item["places"]:
        shown = [f"{nfc(x['place'])} ({format_date(_d(x['posted_on']))})" for x in posted]
        parts = [f"Đã niêm yết: {'; '.join(shown)}"] if shown else []
        if unposted:
            parts.append(f"Chưa niêm yết: {'; '.join(nfc(x) for x in unposted)}")
        places = ". ".join(parts)
    notes = []
    if item["posted_late"]:
        late_at = [x["place"] for x in posted if x.get("judgement") and _late_at(item, x)]
        notes.append("Niêm yết sau hạn" + (f" tại {', '.join(late_at)}" if late_at else ""))
    early = [x["place"] for x in item["places"] if x.get("judgement") == "taken_down_early"]
    if early:
        notes.append(f"Gỡ trước hạn tại {', '.join(early)}")
    if unposted and posted:
        notes.append(f"Còn {len(unposted)} nơi chưa niêm yết")
    if item["status"] == "permanent":
        notes.append("Niêm yết thường xuyên")
    return ExpectedDisclosure(
        title,
        basis,
        due or _d(item["post_deadline"]),
        start,
        end,
        places,
        forms,
        bool(posted) and not unposted,
        True if item["id"] in evidence else None,
        None if item["status"] == "permanent" else taken,
        "; ".join(notes),
    )
