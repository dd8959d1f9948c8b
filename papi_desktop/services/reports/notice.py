"""THÔNG BÁO niêm yết công khai of a disclosure item (Decree 30 layout)."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from papi_desktop.domain.dates import format_date
from papi_desktop.domain.text import nfc
from papi_desktop.errors import UserError
from papi_desktop.services import disclosures
from papi_desktop.services.context import AppContext
from papi_desktop.services.reports.common import (
    ProgressFn,
    _bases,
    _comment_how,
    _contact,
    _d,
    _posted_document,
    _Steps,
    _subject,
    _unit_lower,
    _words,
    check_output,
    letterhead,
    open_note,
    other_channels,
    signer,
    trace,
)


def _planned_places(ctx: AppContext, item: dict[str, Any]) -> list[Any]:
    """Each place with its posted start, or for a place not posted yet the notice date
    (``planned``), and its computed end (None, with the type's wording, for a permanent
    posting)."""
    from papi_desktop.domain.deadlines import posting_end
    from papi_desktop.reports.pdf.models import PostingPlace

    t = disclosures.get_type(ctx, item["type"])
    rule = disclosures.rule_of(t)
    planned = ctx.today()
    deadline = _d(item["post_deadline"])
    if (
        deadline is not None
        and deadline < planned
        and not any(p["posted_on"] for p in item["places"])
    ):
        planned = ctx.today()
    out = []
    for p in item["places"]:
        start = _d(p["posted_on"]) or planned
        is_planned = not p["posted_on"]
        if rule.permanent:
            out.append(PostingPlace(nfc(p["place"]), start, None, open_note(t), planned=is_planned))
            continue
        end = _d(p["ends_on"])
        if end is None:
            end = posting_end(
                rule, start, ctx.calendar(), posting_day_is_day_one=ctx.posting_day_is_day_one
            ).value
        if end is None:
            raise UserError(
                f"Loại công khai “{t['name_vi']}” chưa có thời gian niêm yết; hãy ghi số ngày "
                "niêm yết của loại này (Danh mục) trước khi in.",
                f"“{t['name_en'] or t['code']}” has no posting period; set it in the catalogue "
                "first.",
            )
        out.append(PostingPlace(nfc(p["place"]), start, end, planned=is_planned))
    if not out:
        raise UserError(
            "Nội dung này chưa có địa điểm niêm yết nào. Hãy thêm địa điểm trước khi in.",
            "This item has no posting place yet; add one before printing.",
        )
    return out


def posting_notice(
    ctx: AppContext,
    item_id: str,
    path: Path,
    content_table: Any = None,
    *,
    number: int | None = None,
    day: date | None = None,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    content_columns: str | list[str] | None = None,
) -> Path:
    """THÔNG BÁO niêm yết công khai for a disclosure item, with an optional content list
    (a ``ContentTable`` or the path of an .xlsx/.csv list; ``content_columns`` chooses the
    list's printed columns, "1,2,5" or header names). It is dated ``day``, by default the
    day it was first posted (today when it is not posted yet: see ``notice_day``)."""
    from papi_desktop.reports.pdf.models import PostingNoticeData
    from papi_desktop.reports.pdf.posting import build_posting_notice

    path = check_output(path)
    step = _Steps(progress, cancel)
    step(0.0, "Đang đọc dữ liệu…")
    item = disclosures.get_item(ctx, item_id)
    t = disclosures.get_type(ctx, item["type"])
    if content_table is not None and not hasattr(content_table, "columns"):
        from papi_desktop.services.content_tables import load_content_table

        step(0.05, "Đang đọc danh sách kèm theo…")
        content_table = load_content_table(
            Path(content_table), title=item["title"], columns=content_columns
        )
    places = _planned_places(ctx, item)
    bases = _bases(ctx, item, t)
    channels = other_channels(ctx, item, t)
    position, name, phone = _contact(ctx, item)
    issued = notice_day(ctx, item, day)
    year = (places[0].start if places else issued).year
    data = PostingNoticeData(
        letterhead=letterhead(ctx),
        trace=trace(ctx, f"Năm {year}"),
        number=number,
        issued_on=issued,
        title=_subject(item["title"]),
        legal_bases=bases,
        posted_document=_posted_document(item),
        places=places,
        comment_how=_comment_how(ctx),
        comment_until=None if any(p.end is None for p in places) else max(p.end for p in places),
        contact_name=name,
        contact_position=position,
        contact_phone=phone,
        signer=signer(ctx),
        recipients=[
            f"Thường trực HĐND {_unit_lower(ctx)}",
            f"UBMTTQ Việt Nam {_unit_lower(ctx)}",
            _words(ctx)["heads"],
        ],
        other_channels=channels,
        content_table=content_table,
        period_days=t["period_days"] if t["period_unit"] != "permanent" else None,
        period_unit=t["period_unit"] if t["period_unit"] != "permanent" else "calendar",
    )
    step(0.25, "Đang tạo thông báo…")
    from reportlab.platypus.doctemplate import LayoutError

    try:
        return build_posting_notice(data, path, progress=step.builder(0.25))
    except LayoutError as exc:
        # A row taller than a page: an over-long cell in a narrow column.
        raise UserError(
            "Danh sách kèm theo có dòng quá cao, không vừa một trang A4. Hãy chọn ít cột hơn "
            "(--columns) để các cột rộng hơn, hoặc rút gọn các ô quá dài.",
            "A row of the attached list is taller than an A4 page. Choose fewer columns "
            "(--columns) so they get wider, or shorten the over-long cells.",
        ) from exc


def _check_notice_day(ctx: AppContext, item: dict[str, Any], day: date) -> None:
    """A notice is not dated before the document it makes public exists (its decision
    date, else its trigger date), nor more than a year from today (a mistyped year)."""
    basis = _d(item.get("decision_date")) or _d(item.get("trigger_date"))
    if basis is not None and day < basis:
        raise UserError(
            f"Ngày thông báo {format_date(day)} trước ngày văn bản được công khai "
            f"({format_date(basis)}); hãy chọn ngày từ ngày đó trở đi.",
            f"The notice cannot be dated {day:%d/%m/%Y}, before the document it makes public "
            f"({basis:%d/%m/%Y}).",
        )
    limit = ctx.today() + timedelta(days=366)
    if day > limit:
        raise UserError(
            f"Ngày thông báo {format_date(day)} quá xa (sau {format_date(limit)}); hãy kiểm "
            "tra lại năm.",
            f"The notice date {day:%d/%m/%Y} is too far ahead (after {limit:%d/%m/%Y}); check "
            "the year.",
        )


def notice_day(ctx: AppContext, item: str | dict[str, Any], day: date | None = None) -> date:
    """The notice's date: ``day`` if given, else the first posting date, else today (a
    notice is issued before or on the day the sheets go up)."""
    if isinstance(item, str):
        item = disclosures.get_item(ctx, item)
    if day is not None:
        _check_notice_day(ctx, item, day)
        return day
    posted = [_d(p["posted_on"]) for p in item["places"] if p["posted_on"]]
    return min(posted) if posted else ctx.today()
