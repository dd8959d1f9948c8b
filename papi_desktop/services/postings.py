"""Posting records of a disclosure item at its places: one date for several places at once,
and correcting or undoing a wrong posting or take-down record.

Every change goes through ``store.rows.update``, so it lands in the item's history with the
old and the new value. Several places are recorded in one transaction: all or nothing.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from papi_desktop.domain.dates import format_date, parse_date
from papi_desktop.domain.deadlines import posting_end
from papi_desktop.errors import UserError
from papi_desktop.services import disclosures
from papi_desktop.services.context import AppContext
from papi_desktop.store import rows

RECORDS = ("post", "end")


def _places(places: list[str] | str) -> list[str]:
    names = [places] if isinstance(places, str) else list(places)
    names = [n.strip() for n in names if n and n.strip()]
    if not names:
        raise UserError(
            "Hãy chọn ít nhất một địa điểm niêm yết.", "Choose at least one posting place."
        )
    return list(dict.fromkeys(names))


def record_postings(
    ctx: AppContext,
    item_id: str,
    places: list[str] | str,
    on: str | date,
    *,
    new_place: bool = False,
) -> list[dict[str, Any]]:
    """Record the posting on ``on`` at every place in ``places`` (all or none);
    ``new_place`` adds a place not yet in the commune's list (see ``record_posting``)."""
    with ctx.db.transaction():
        return [
            disclosures.record_posting(ctx, item_id, p, on, new_place=new_place)
            for p in _places(places)
        ]


def record_takedowns(
    ctx: AppContext, item_id: str, places: list[str] | str, on: str | date
) -> list[dict[str, Any]]:
    """Record the take-down / end on ``on`` at every place in ``places`` (all or none)."""
    with ctx.db.transaction():
        return [disclosures.record_takedown(ctx, item_id, p, on) for p in _places(places)]


def _check_record(record: str) -> None:
    if record not in RECORDS:
        raise UserError(
            f"Không rõ bản ghi “{record}”: chọn post (ngày niêm yết) hoặc end (ngày gỡ/kết thúc).",
            f"Unknown record “{record}”: choose post or end.",
        )


def _place(ctx: AppContext, item: Any, place: str) -> Any:
    row = disclosures._place_row(ctx, item["id"], place)
    if row is None or not row["posted_on"]:
        raise UserError(
            f"Tại “{place}” chưa ghi ngày niêm yết nào nên không có gì để sửa.",
            f"Nothing recorded at “{place}” to correct.",
        )
    return row


def undo_record(ctx: AppContext, item_id: str, place: str, record: str) -> dict[str, Any]:
    """Undo the last ``record`` ("post" or "end") at ``place``; logged in the history.

    Undoing a re-posting brings back the earlier posting; undoing the only posting leaves
    the place not posted. A posting with a take-down recorded needs the take-down undone
    first, so no date is lost by one click."""
    ctx.require_site("commune")
    _check_record(record)
    item = disclosures._get_item_row(ctx, item_id)
    row = _place(ctx, item, place)
    name = row["place_name"]
    if record == "end":
        if not row["taken_down_on"]:
            raise UserError(
                f"Tại {name} chưa ghi ngày gỡ / kết thúc nên không có gì để bỏ.",
                f"No take-down recorded at {name}.",
            )
        values: dict[str, Any] = {"taken_down_on": None}
    else:
        if row["taken_down_on"]:
            raise UserError(
                f"Tại {name} đã ghi ngày gỡ {_iso(row['taken_down_on'])}: hãy bỏ ngày gỡ trước, "
                "rồi mới bỏ ngày niêm yết.",
                f"{name} has a take-down on {_iso(row['taken_down_on'])}: undo it first.",
            )
        reposts = json.loads(row["reposts"] or "[]")
        if reposts:
            last = reposts.pop()
            posted = date.fromisoformat(last["posted_on"])
            values = {
                "posted_on": last["posted_on"],
                "taken_down_on": last.get("taken_down_on"),
                "ends_on": _end(ctx, item, posted, _day_one(ctx, row)),
                "reposts": json.dumps(reposts, ensure_ascii=False),
            }
        else:
            values = {"posted_on": None, "ends_on": None, "taken_down_on": None}
    with ctx.db.transaction():
        rows.update(ctx.db, "disclosure_place", row["id"], values)
    return {"place": name, "record": record, "now": values}


def correct_record(
    ctx: AppContext, item_id: str, place: str, record: str, on: str | date
) -> dict[str, Any]:
    """Put ``on`` in place of the recorded posting ("post") or take-down ("end") date."""
    ctx.require_site("commune")
    _check_record(record)
    item = disclosures._get_item_row(ctx, item_id)
    row = _place(ctx, item, place)
    name = row["place_name"]
    day = parse_date(on)
    if day > ctx.today():
        raise UserError(
            f"Ngày {format_date(day)} ở tương lai. Chỉ ghi ngày đã xảy ra.",
            f"{format_date(day)} is in the future.",
        )
    posted = date.fromisoformat(row["posted_on"])
    if record == "end":
        if not row["taken_down_on"]:
            raise UserError(
                f"Tại {name} chưa ghi ngày gỡ / kết thúc; hãy ghi ngày gỡ thay vì sửa.",
                f"No take-down recorded at {name}; record one instead.",
            )
        if day < posted:
            raise UserError(
                f"Ngày kết thúc {format_date(day)} trước ngày niêm yết {format_date(posted)}.",
                f"End date {format_date(day)} is before the posting date {format_date(posted)}.",
            )
        values: dict[str, Any] = {"taken_down_on": day.isoformat()}
    else:
        if row["taken_down_on"] and day > date.fromisoformat(row["taken_down_on"]):
            raise UserError(
                f"Ngày niêm yết {format_date(day)} sau ngày gỡ {_iso(row['taken_down_on'])}.",
                f"Posting date {format_date(day)} is after the take-down "
                f"{_iso(row['taken_down_on'])}.",
            )
        t = disclosures.get_type(ctx, item["type_code"])
        if t["deadline_direction"] == "after" and item["decision_date"]:
            dec = date.fromisoformat(item["decision_date"])
            if day < dec:
                raise UserError(
                    f"Ngày niêm yết {format_date(day)} trước ngày ban hành văn bản "
                    f"{format_date(dec)}.",
                    f"Posting date {format_date(day)} is before the document date "
                    f"{format_date(dec)}.",
                )
        # the day-counting rule stays the one fixed on the posting when it was recorded
        values = {"posted_on": day.isoformat(), "ends_on": _end(ctx, item, day, _day_one(ctx, row))}
    with ctx.db.transaction():
        rows.update(ctx.db, "disclosure_place", row["id"], values)
    return {"place": name, "record": record, "on": day}


def _day_one(ctx: AppContext, row: Any) -> bool:
    """The posting's own day-counting rule (the setting for rows recorded before it)."""
    keys = row.keys() if hasattr(row, "keys") else []
    if "day_one" in keys and row["day_one"] is not None:
        return bool(row["day_one"])
    return ctx.posting_day_is_day_one


def _end(ctx: AppContext, item: Any, posted: date, day_one: bool) -> str | None:
    t = disclosures.get_type(ctx, item["type_code"])
    end = posting_end(
        disclosures.rule_of(t),
        posted,
        ctx.calendar(),
        posting_day_is_day_one=day_one,
    )
    return end.value.isoformat() if end.value else None


def _iso(text: str | None) -> str:
    return format_date(date.fromisoformat(text)) if text else ""
