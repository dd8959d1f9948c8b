"""The public-disclosure register: types, items, postings per place, computed dates."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from papi_desktop.domain.dates import format_date, parse_date
from papi_desktop.domain.deadlines import (
    PlacePosting,
    PostingRule,
    item_status,
    legal_deadline,
    place_judgement,
    place_statuses,
    post_deadline,
    posted_late,
    posting_end,
)
from papi_desktop.domain.labels import (  # noqa: F401  (re-exported for the ui)
    ITEM_STATE_LABELS,
    OUTCOME_LABELS,
    PLACE_JUDGEMENT_LABELS,
    PLACE_STATE_LABELS,
    PLAN_STATE_LABELS,
)
from papi_desktop.domain.obligations import (
    Obligation,
    entry_period,
)
from papi_desktop.domain.periods import Period
from papi_desktop.domain.text import fold, nfc
from papi_desktop.errors import UserError
from papi_desktop.services import units
from papi_desktop.services.context import AppContext
from papi_desktop.store import rows

PLACE_KIND_LABELS = {
    "hq": {"vi": "Trụ sở UBND xã, phường", "en": "Commune office"},
    "villages": {"vi": "Nhà văn hóa các thôn, tổ dân phố", "en": "Every village hall"},
    "affected_area": {"vi": "Điểm sinh hoạt cộng đồng nơi có đất", "en": "Affected area"},
    "reception": {"vi": "Nơi tiếp công dân", "en": "Citizen reception office"},
    "one_stop": {"vi": "Bộ phận một cửa", "en": "One-stop counter"},
    "resettlement_site": {"vi": "Khu tái định cư", "en": "Resettlement site"},
}
FORM_LABELS = {
    "posting": {"vi": "Niêm yết", "en": "Posting"},
    "web": {"vi": "Trang thông tin điện tử", "en": "Website"},
    "loudspeaker": {"vi": "Loa truyền thanh", "en": "Loudspeaker"},
    "village_head": {"vi": "Qua trưởng thôn, tổ trưởng", "en": "Via village head"},
    "written_notice": {"vi": "Văn bản thông báo", "en": "Written notice"},
    "meeting": {"vi": "Hội nghị, cuộc họp", "en": "Meeting"},
    "newspaper": {"vi": "Báo chí", "en": "Newspaper"},
    "social_network": {"vi": "Mạng xã hội", "en": "Social network"},
}


# Dates on an item must fall in a sensible window: typing 1900 or 2099 is a slip.
FIRST_ITEM_YEAR = 2000
YEARS_AHEAD = 5


def item_date_window(ctx: AppContext) -> tuple[date, date]:
    """The dates an item's trigger or document date may take: 01/01/2000 to today + 5 years."""
    today = ctx.today()
    try:
        last = today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        last = today.replace(year=today.year + YEARS_AHEAD, day=28)
    return date(FIRST_ITEM_YEAR, 1, 1), last


def _item_date(ctx: AppContext, value: str | date, what_vi: str, what_en: str) -> date:
    day = parse_date(value)
    first, last = item_date_window(ctx)
    if not first <= day <= last:
        raise UserError(
            f"{what_vi} {format_date(day)} nằm ngoài khoảng cho phép {format_date(first)} – "
            f"{format_date(last)} (từ năm {FIRST_ITEM_YEAR} đến {YEARS_AHEAD} năm sau hôm nay). "
            "Hãy kiểm tra lại năm.",
            f"{what_en} {format_date(day)} is outside the allowed window {format_date(first)} – "
            f"{format_date(last)} (from {FIRST_ITEM_YEAR} to {YEARS_AHEAD} years after today). "
            "Check the year.",
        )
    return day


def _type_dict(r) -> dict[str, Any]:
    d = dict(r)
    for k in ("places", "forms", "plan"):
        d[k] = json.loads(d[k] or "[]")
    return d


def list_types(ctx: AppContext, search: str | None = None) -> list[dict[str, Any]]:
    found = [
        _type_dict(r)
        for r in ctx.db.query(
            "SELECT * FROM disclosure_type WHERE deleted = 0 ORDER BY group_code, name_vi COLLATE vi"
        )
    ]
    if search:
        q = fold(search).split()
        found = [t for t in found if all(w in t["search_key"] for w in q)]
    return found


def get_type(ctx: AppContext, code: str) -> dict[str, Any]:
    r = ctx.db.one(
        "SELECT * FROM disclosure_type WHERE code = ? COLLATE NOCASE AND deleted = 0",
        ((code or "").strip(),),
    )
    if r is None:
        raise UserError(
            f"Không có loại công khai mã “{code}”. Xem danh sách mã bằng: "
            "papi-desktop disclosures types",
            f"No disclosure type “{code}”. See: papi-desktop disclosures types",
        )
    return _type_dict(r)


def rule_of(t: dict[str, Any]) -> PostingRule:
    return PostingRule(
        deadline_days=t["deadline_days"],
        deadline_unit=t["deadline_unit"],
        deadline_direction=t["deadline_direction"],
        period_days=t["period_days"],
        period_unit=t["period_unit"],
        legal_basis=t["legal_basis"],
    )


def preview_deadline(ctx: AppContext, type_code: str, trigger: str | date | None) -> dict[str, Any]:
    """The posting deadline a new item of this type would get, with its explanation, as the
    add form shows it while the trigger date is typed.

    Returns ``{"deadline": date | None, "deadline_text": "dd/mm/yyyy" | "", "explain_vi",
    "explain_en"}``; a trigger date that is not a real date raises ``UserError``.
    """
    t = get_type(ctx, type_code)
    trig = (
        None if trigger in (None, "") else _item_date(ctx, trigger, "Ngày căn cứ", "Trigger date")
    )
    computed = post_deadline(rule_of(t), trig, ctx.calendar())
    return {
        "deadline": computed.value,
        "deadline_text": format_date(computed.value) if computed.value else "",
        "explain_vi": computed.explain_vi,
        "explain_en": computed.explain_en,
    }


def units_with_items(ctx: AppContext) -> list[str]:
    """Codes of the communes that have disclosure items here (a supervising office's selector)."""
    return [
        r[0]
        for r in ctx.db.query(
            "SELECT DISTINCT unit_code FROM disclosure WHERE deleted = 0 ORDER BY unit_code"
        )
    ]


def update_type(ctx: AppContext, code: str, changes: dict[str, Any]) -> list[str]:
    """Edit a catalogue row (legal figures are data the user can correct)."""
    t = get_type(ctx, code)
    allowed = {
        "name_vi", "name_en", "legal_basis", "trigger_vi", "deadline_days", "deadline_unit",
        "deadline_direction", "period_days", "period_unit", "period_note_vi", "loudspeaker_days",
        "evidence_vi", "confidence", "confidence_note_vi",
    }  # fmt: skip
    bad = set(changes) - allowed
    if bad:
        raise UserError(
            f"Không sửa được trường: {', '.join(sorted(bad))}.", f"Not editable: {bad}."
        )
    clean = {k: (nfc(v) if isinstance(v, str) else v) for k, v in changes.items()}
    if clean.get("period_unit") == "permanent":
        clean["period_days"] = None
    unit = clean.get("period_unit", t["period_unit"])
    days = clean.get("period_days", t["period_days"])
    if unit in ("calendar", "working") and (not isinstance(days, int) or days <= 0):
        raise UserError(
            "Thời gian niêm yết phải là số ngày dương.", "Posting period must be a positive number."
        )
    with ctx.db.transaction():
        return rows.update(ctx.db, "disclosure_type", t["id"], clean)


# -- items ------------------------------------------------------------------


def _default_places(ctx: AppContext, unit_code: str, t: dict[str, Any]) -> list[str]:
    places = units.list_places(ctx, unit_code)
    names = []
    if "hq" in t["places"] or not t["places"]:
        names += [p["name"] for p in places if p["kind"] == "hq"]
    if "villages" in t["places"]:
        names += [p["name"] for p in places if p["kind"] == "village"]
    return names


def add(
    ctx: AppContext,
    type_code: str,
    title: str,
    *,
    trigger_date: str | date | None = None,
    decision_no: str | None = None,
    decision_date: str | date | None = None,
    places: list[str] | None = None,
    note: str | None = None,
    contact: str | None = None,
    new_places: list[str] | None = None,
    period: str | None = None,
) -> str:
    """Register a disclosure item; return its id. Places default from the type's rule.

    ``places`` must already be in the commune's list of places (a typo is refused with the
    nearest names); ``new_places`` are added to that list on purpose. ``period``: the
    obligation period the item fulfils ("2026" for the 2026 budget estimate even when it was
    decided in December 2025, "2026Q1"); without it the yearly plan judges the period from
    the item's deadline."""
    site = ctx.require_site("commune")
    t = get_type(ctx, type_code)
    title_c = nfc(title) or ""
    if not title_c:
        raise UserError("Thiếu tên nội dung công khai (--title).", "Missing --title.")
    if len(title_c) > 500:
        raise UserError("Tên nội dung quá dài (tối đa 500 ký tự).", "Title too long (max 500).")
    trig = _item_date(ctx, trigger_date, "Ngày căn cứ", "Trigger date") if trigger_date else None
    dec = _item_date(ctx, decision_date, "Ngày văn bản", "Document date") if decision_date else None
    period_text = str(Period.parse(period)) if period else ""
    if period_text and t["plan"]:
        codes = [e["period"] for e in t["plan"]]
        kinds = {entry_period(2026, c).kind for c in codes}
        p = Period.parse(period_text)
        if p.kind not in kinds or not any(
            str(entry_period(p.year, c)) == period_text for c in codes
        ):
            shown = ", ".join(str(entry_period(p.year, c)) for c in codes)
            raise UserError(
                f"Loại {t['code']} không có kỳ “{period_text}” trong kế hoạch năm; các kỳ: {shown}.",
                f"Type {t['code']} has no period “{period_text}” in the yearly plan; periods: {shown}.",
            )
    deadline = post_deadline(rule_of(t), trig, ctx.calendar()).value
    chosen = [units.require_place(ctx, site.unit_code, p) for p in places or []]
    extra = [units.check_new_place_name(p) for p in new_places or []]
    with ctx.db.transaction():
        names = chosen + [units.ensure_place(ctx, site.unit_code, p) for p in extra]
        if not names:
            names = _default_places(ctx, site.unit_code, t)
        did = rows.insert(
            ctx.db,
            "disclosure",
            {
                "unit_code": site.unit_code,
                "type_code": t["code"],
                "title": title_c,
                "decision_no": nfc(decision_no) or "",
                "decision_date": dec.isoformat() if dec else None,
                "trigger_date": trig.isoformat() if trig else None,
                "period": period_text,
                "post_deadline": deadline.isoformat() if deadline else None,
                "forms": json.dumps(t["forms"], ensure_ascii=False),
                "loudspeaker_days": 0,
                "note": nfc(note) or "",
                "contact": nfc(contact) or "",
                "search_key": fold(f"{title_c} {t['name_vi']} {decision_no or ''}"),
            },
        )
        for name in dict.fromkeys(names):
            rows.insert(ctx.db, "disclosure_place", {"disclosure_id": did, "place_name": name})
    return did


def _get_item_row(ctx: AppContext, item_id: str):
    site = ctx.require_site()
    r = ctx.db.one(
        "SELECT * FROM disclosure WHERE id = ? AND deleted = 0", ((item_id or "").strip(),)
    )
    typed = (item_id or "").strip()
    if r is None:
        # allow an unambiguous id prefix, as people copy the first characters
        found = (
            ctx.db.query("SELECT * FROM disclosure WHERE id LIKE ? AND deleted = 0", (f"{typed}%",))
            if typed and len(typed) >= 6
            else []
        )
        if len(found) == 1:
            r = found[0]
        elif len(found) > 1:
            raise UserError(
                f"Mã “{typed}” khớp {len(found)} nội dung công khai; hãy gõ thêm vài ký tự của "
                "mã (xem bằng: papi-desktop disclosures list).",
                f"“{typed}” matches {len(found)} disclosure items; type a few more characters "
                "of the id (see: papi-desktop disclosures list).",
            )
        elif typed and len(typed) < 6:
            raise UserError(
                f"Mã “{typed}” quá ngắn; hãy gõ ít nhất 8 ký tự đầu của mã nội dung công khai "
                "(xem bằng: papi-desktop disclosures list).",
                f"“{typed}” is too short; type at least the first 8 characters of the item id "
                "(see: papi-desktop disclosures list).",
            )
    if r is None:
        raise UserError(
            f"Không có nội dung công khai mã “{item_id}”. Xem danh sách bằng: "
            "papi-desktop disclosures list",
            f"No disclosure item “{item_id}”. See: papi-desktop disclosures list",
        )
    if site.is_commune and r["unit_code"] != site.unit_code:
        raise UserError(
            "Nội dung này không thuộc xã của máy này.", "Item belongs to another commune."
        )
    return r


def _place_row(ctx: AppContext, item_id: str, place: str):
    for r in ctx.db.query(
        "SELECT * FROM disclosure_place WHERE disclosure_id = ? AND deleted = 0", (item_id,)
    ):
        if fold(r["place_name"]) == fold(place):
            return r
    return None


def record_posting(
    ctx: AppContext, item_id: str, place: str, on: str | date, *, new_place: bool = False
) -> dict[str, Any]:
    """Record that the item was posted at ``place`` on ``on``; return the computed end.

    ``place`` must be one of the item's places or the commune's places; with ``new_place``
    it is added to the commune's places on purpose."""
    site = ctx.require_site("commune")
    item = _get_item_row(ctx, item_id)
    t = get_type(ctx, item["type_code"])
    day = parse_date(on)
    if day > ctx.today():
        raise UserError(
            f"Ngày niêm yết {format_date(day)} ở tương lai. Chỉ ghi khi đã niêm yết thật.",
            f"Posting date {format_date(day)} is in the future.",
        )
    if item["decision_date"]:
        dec = date.fromisoformat(item["decision_date"])
        if day < dec:
            raise UserError(
                f"Ngày niêm yết {format_date(day)} trước ngày ban hành văn bản {format_date(dec)}; "
                "không thể niêm yết văn bản chưa ban hành. Hãy kiểm tra lại ngày.",
                f"Posting date {format_date(day)} is before the document date {format_date(dec)}; "
                "a document cannot be posted before it is issued. Check the date.",
            )
    if t["deadline_direction"] == "after" and item["trigger_date"]:
        trig = date.fromisoformat(item["trigger_date"])
        if day < trig:
            raise UserError(
                f"Ngày niêm yết {format_date(day)} trước ngày căn cứ {format_date(trig)}; "
                "việc niêm yết chỉ bắt đầu từ ngày căn cứ. Hãy kiểm tra lại ngày.",
                f"Posting date {format_date(day)} is before the trigger date {format_date(trig)}; "
                "posting starts on or after the trigger date. Check the date.",
            )
    end = posting_end(
        rule_of(t), day, ctx.calendar(), posting_day_is_day_one=ctx.posting_day_is_day_one
    )
    on_item = _place_row(ctx, item["id"], place)
    if new_place:
        clean = units.check_new_place_name(place)
        is_new = on_item is None and units.find_place(ctx, site.unit_code, clean) is None
    elif on_item is not None:
        clean, is_new = on_item["place_name"], False
    else:
        clean, is_new = units.require_place(ctx, site.unit_code, place), False
    repost: dict[str, Any] | None = None
    with ctx.db.transaction():
        if on_item is not None:
            name = on_item["place_name"]
        else:
            name = units.ensure_place(ctx, site.unit_code, clean)
        existing = _place_row(ctx, item["id"], name)
        values: dict[str, Any] = {
            "posted_on": day.isoformat(),
            "ends_on": end.value.isoformat() if end.value else None,
            # The day-counting rule is fixed on the posting when it is recorded.
            "day_one": 1 if ctx.posting_day_is_day_one else 0,
        }
        if existing and existing["posted_on"] and existing["posted_on"] != day.isoformat():
            # A re-posting (torn sheet, or put back after an early take-down): the period
            # runs again from the new date; the earlier posting stays in the place's history.
            if day < date.fromisoformat(existing["posted_on"]):
                raise UserError(
                    f"Tại {name} đã ghi niêm yết ngày {_fmt_iso(existing['posted_on'])}; "
                    f"ngày niêm yết lại {format_date(day)} không được sớm hơn.",
                    f"{name} was posted on {_fmt_iso(existing['posted_on'])}; a re-posting on "
                    f"{format_date(day)} cannot be earlier.",
                )
            repost = {
                "posted_on": existing["posted_on"],
                "taken_down_on": existing["taken_down_on"],
                "reposted_on": day.isoformat(),
            }
            reposts = json.loads(existing["reposts"] or "[]")
            reposts.append(repost)
            values["reposts"] = json.dumps(reposts, ensure_ascii=False)
            values["taken_down_on"] = None
        if existing:
            rows.update(ctx.db, "disclosure_place", existing["id"], values)
        else:
            rows.insert(
                ctx.db,
                "disclosure_place",
                {"disclosure_id": item["id"], "place_name": name, **values},
            )
    return {
        "place": name,
        "posted_on": day,
        "ends_on": end.value,
        "explain_vi": end.explain_vi,
        "explain_en": end.explain_en,
        "new_place": is_new,
        "repost": repost,
    }


def _fmt_iso(text: str | None) -> str:
    return format_date(date.fromisoformat(text)) if text else ""


def record_takedown(ctx: AppContext, item_id: str, place: str, on: str | date) -> dict[str, Any]:
    """Record the end of posting at a place; ``early`` is True when before the legal end."""
    ctx.require_site("commune")
    item = _get_item_row(ctx, item_id)
    day = parse_date(on)
    row = _place_row(ctx, item["id"], place)
    if row is None or not row["posted_on"]:
        raise UserError(
            f"Chưa ghi nhận niêm yết tại “{place}” nên không thể ghi kết thúc. "
            "Hãy ghi ngày niêm yết trước (disclosures post).",
            f"No posting recorded at “{place}”; record the posting first.",
        )
    posted = date.fromisoformat(row["posted_on"])
    if day < posted:
        raise UserError(
            f"Ngày kết thúc {format_date(day)} trước ngày niêm yết {format_date(posted)}.",
            f"End date {format_date(day)} is before the posting date {format_date(posted)}.",
        )
    if day > ctx.today():
        raise UserError(
            f"Ngày kết thúc {format_date(day)} ở tương lai.",
            f"End date {format_date(day)} is in the future.",
        )
    with ctx.db.transaction():
        rows.update(ctx.db, "disclosure_place", row["id"], {"taken_down_on": day.isoformat()})
    ends = date.fromisoformat(row["ends_on"]) if row["ends_on"] else None
    return {"place": row["place_name"], "taken_down_on": day, "ends_on": ends,
            "early": ends is not None and day <= ends}  # fmt: skip


def update_item(ctx: AppContext, item_id: str, changes: dict[str, Any]) -> list[str]:
    """Edit an item's details (loudspeaker days, opinions, web link, note, dates)."""
    ctx.require_site("commune")
    item = _get_item_row(ctx, item_id)
    allowed = {
        "title", "decision_no", "decision_date", "trigger_date", "loudspeaker_from",
        "loudspeaker_days", "web_url", "opinions_count", "opinions_summary", "contact", "note",
    }  # fmt: skip
    bad = set(changes) - allowed
    if bad:
        raise UserError(
            f"Không sửa được trường: {', '.join(sorted(bad))}.", f"Not editable: {bad}."
        )
    clean: dict[str, Any] = {}
    for k, v in changes.items():
        if k in ("decision_date", "trigger_date"):
            what = ("Ngày văn bản", "Document date") if k == "decision_date" else (
                "Ngày căn cứ", "Trigger date")  # fmt: skip
            clean[k] = _item_date(ctx, v, *what).isoformat() if v else None
        elif k == "loudspeaker_from":
            clean[k] = parse_date(v).isoformat() if v else None
        elif k in ("loudspeaker_days", "opinions_count"):
            n = int(v or 0)
            if n < 0:
                raise UserError("Số ngày/số ý kiến không được âm.", "Counts cannot be negative.")
            clean[k] = n
        else:
            clean[k] = nfc(v) or ""
    if "trigger_date" in clean:
        t = get_type(ctx, item["type_code"])
        trig = date.fromisoformat(clean["trigger_date"]) if clean["trigger_date"] else None
        dl = post_deadline(rule_of(t), trig, ctx.calendar()).value
        clean["post_deadline"] = dl.isoformat() if dl else None
    with ctx.db.transaction():
        return rows.update(ctx.db, "disclosure", item["id"], clean)


def delete_item(ctx: AppContext, item_id: str) -> None:
    """Move an item to the bin (tombstone; restorable from its history)."""
    ctx.require_site("commune")
    item = _get_item_row(ctx, item_id)
    with ctx.db.transaction():
        rows.tombstone(ctx.db, "disclosure", item["id"])
        ctx.db.con.execute(
            "UPDATE plan_item SET disclosure_id = NULL WHERE disclosure_id = ?", (item["id"],)
        )


# -- reading ------------------------------------------------------------------


def _reposts(text: str | None) -> list[dict[str, Any]]:
    return json.loads(text) if text and text != "[]" else []


def _d(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def _types_by_code(ctx: AppContext) -> dict[str, dict[str, Any]]:
    return {r["code"]: _type_dict(r) for r in ctx.db.query("SELECT * FROM disclosure_type")}


types_by_code = _types_by_code


def calendar_horizon_note(ctx: AppContext, lang: str = "vi") -> str:
    """How far the official days off go (for a window's legend)."""
    return ctx.calendar().horizon_note(lang)


def _horizon(cal, provisional: bool, lang: str) -> str:
    return f". {cal.horizon_note(lang)}" if provisional else ""


def describe_items(ctx: AppContext, item_rows, today: date | None = None) -> list[dict[str, Any]]:
    """Computed view of disclosure rows: deadline, per-place end dates, overall status."""
    today = today or ctx.today()
    cal = ctx.calendar()
    day_one = ctx.posting_day_is_day_one
    types = _types_by_code(ctx)
    ids = [r["id"] for r in item_rows]
    places: dict[str, list] = {i: [] for i in ids}
    for chunk_start in range(0, len(ids), 900):
        chunk = ids[chunk_start : chunk_start + 900]
        marks = ",".join("?" for _ in chunk)
        for p in ctx.db.query(
            "SELECT disclosure_id, place_name, posted_on, taken_down_on, reposts, day_one "
            "FROM disclosure_place "
            f"WHERE deleted = 0 AND disclosure_id IN ({marks}) ORDER BY rowid",
            chunk,
        ):
            places[p["disclosure_id"]].append(p)
    out = []
    for r in item_rows:
        t = types.get(r["type_code"])
        if t is None:
            continue
        rule = rule_of(t)
        postings = [
            PlacePosting(p["place_name"], _d(p["posted_on"]), _d(p["taken_down_on"]))
            for p in places[r["id"]]
        ]
        trig = _d(r["trigger_date"])
        # Each posting keeps the day-counting rule it was recorded with (the setting only
        # applies to postings recorded after it changed).
        statuses = [
            place_statuses(
                rule,
                [pp],
                cal,
                today,
                posting_day_is_day_one=day_one if p["day_one"] is None else bool(p["day_one"]),
            )[0]
            for pp, p in zip(postings, places[r["id"]], strict=True)
        ]
        state = item_status(rule, trig, postings, cal, today, statuses=statuses)
        dl = post_deadline(rule, trig, cal)
        legal = legal_deadline(rule, trig, cal)
        span_end = max([x.ends_on for x in statuses if x.ends_on] + [dl.value or trig or today])
        provisional = trig is not None and cal.is_provisional(min(trig, dl.value or trig), span_end)
        out.append(
            {
                "id": r["id"],
                "type": r["type_code"],
                "type_name": t["name_vi"],
                "title": r["title"],
                "unit": r["unit_code"],
                "decision_no": r["decision_no"],
                "decision_date": r["decision_date"],
                "trigger_date": r["trigger_date"],
                "period": r["period"],
                "post_deadline": dl.value.isoformat() if dl.value else None,
                "legal_deadline": legal.isoformat() if legal else None,
                "deadline_explain_vi": dl.explain_vi + _horizon(cal, provisional, "vi"),
                "deadline_explain_en": dl.explain_en + _horizon(cal, provisional, "en"),
                "provisional": provisional,
                "period_unit": t["period_unit"],
                "period_days": t["period_days"],
                "legal_basis": t["legal_basis"],
                "confidence": t["confidence"],
                "places": [
                    {
                        "place": s.place,
                        "posted_on": s.posted_on.isoformat() if s.posted_on else None,
                        "ends_on": s.ends_on.isoformat() if s.ends_on else None,
                        "taken_down_on": s.taken_down_on.isoformat() if s.taken_down_on else None,
                        "state": s.state,
                        "judgement": place_judgement(s, legal, today),
                        "explain_vi": s.explain_vi,
                        "explain_en": s.explain_en,
                        "reposts": _reposts(p["reposts"]),
                    }
                    for s, p in zip(statuses, places[r["id"]], strict=True)
                ],
                "status": state,
                "posted_late": posted_late(rule, trig, postings, cal),
                "loudspeaker_days": r["loudspeaker_days"],
                "loudspeaker_from": r["loudspeaker_from"],
                "opinions_count": r["opinions_count"],
                "opinions_summary": r["opinions_summary"],
                "web_url": r["web_url"],
                "contact": r["contact"],
                "note": r["note"],
            }
        )
    return out


def list_items(
    ctx: AppContext,
    *,
    due_within: int | None = None,
    year: int | None = None,
    unit: str | None = None,
    search: str | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    """Disclosure items with computed dates. ``due_within``: something is due within N days
    (post deadline or end of a posting) or already overdue."""
    site = ctx.require_site()
    where, params = ["deleted = 0"], []
    if site.is_commune:
        where.append("unit_code = ?")
        params.append(site.unit_code)
    elif unit:
        where.append("unit_code = ?")
        params.append(unit)
    if year:
        where.append(
            "(substr(coalesce(trigger_date, decision_date, ''), 1, 4) = ? OR trigger_date IS NULL)"
        )
        params.append(str(year))
    if search:
        for w in fold(search).split():
            where.append("search_key LIKE ?")
            params.append(f"%{w}%")
    item_rows = ctx.db.query(
        f"SELECT * FROM disclosure WHERE {' AND '.join(where)} "
        "ORDER BY coalesce(trigger_date, decision_date, updated_at) DESC",
        params,
    )
    items = describe_items(ctx, item_rows)
    if status:
        items = [i for i in items if i["status"] == status]
    if due_within is not None:
        if due_within < 0:
            raise UserError("Số ngày (--due-within) phải ≥ 0.", "--due-within must be ≥ 0.")
        today = ctx.today()
        horizon = today + timedelta(days=due_within)
        keep = []
        for i in items:
            # Judge each place: one place still to post (or late, or taken down early)
            # counts even when the others are up.
            marks = {p["judgement"] for p in i["places"]}
            if i["status"] in ("overdue_post", "violation") or marks & {"late", "taken_down_early"}:
                keep.append(i)
                continue
            dates = []
            if i["post_deadline"] and ("due" in marks or not i["places"]):
                dates.append(date.fromisoformat(i["post_deadline"]))
            dates += [
                date.fromisoformat(p["ends_on"])
                for p in i["places"]
                if p["ends_on"] and p["judgement"] == "posting"
            ]
            if any(today <= d <= horizon for d in dates):
                keep.append(i)
        items = keep
    return items


def get_item(ctx: AppContext, item_id: str) -> dict[str, Any]:
    r = _get_item_row(ctx, item_id)
    return describe_items(ctx, [r])[0]


def item_history(ctx: AppContext, item_id: str) -> list[dict[str, Any]]:
    r = _get_item_row(ctx, item_id)
    hist = rows.history(ctx.db, "disclosure", r["id"])
    for p in ctx.db.query(
        "SELECT id, place_name FROM disclosure_place WHERE disclosure_id = ?", (r["id"],)
    ):
        for h in rows.history(ctx.db, "disclosure_place", p["id"]):
            h["place"] = p["place_name"]
            hist.append(h)
    hist.sort(key=lambda h: h["at"])
    return hist


# -- yearly plan: computed in ``services.plan`` (kept callable from here) --------------


def plan_due_date(ctx: AppContext, year: int, due_text: str) -> date:
    from papi_desktop.services import plan

    return plan.plan_due_date(ctx, year, due_text)


def plan_obligations(ctx: AppContext, year: int) -> list[Obligation]:
    from papi_desktop.services import plan

    return plan.plan_obligations(ctx, year)


def generate_plan(ctx: AppContext, year: int) -> int:
    from papi_desktop.services import plan

    return plan.generate_plan(ctx, year)


def list_plan(ctx: AppContext, year: int, *, unit: str | None = None) -> list[dict[str, Any]]:
    from papi_desktop.services import plan

    return plan.list_plan(ctx, year, unit=unit)


def missing_this_quarter(ctx: AppContext, unit: str | None = None) -> list[dict[str, Any]]:
    from papi_desktop.services import plan

    return plan.missing_this_quarter(ctx, unit)


# Plan lines that still need the commune's action (the home page's "missing" lines).
OPEN_PLAN_STATES = ("missing", "recorded", "expected")
