"""BIÊN BẢN niêm yết and kết thúc niêm yết of a disclosure item: who signs, which places,
which dates, and the interruptions of the posting."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from papi_desktop.domain.dates import format_date
from papi_desktop.domain.text import fold, nfc
from papi_desktop.errors import UserError
from papi_desktop.services import disclosures, units
from papi_desktop.services.context import AppContext
from papi_desktop.services.reports.common import (
    DEFAULT_MINUTES_ROLES,
    MINUTES_ON_DAYS_OFF,
    ProgressFn,
    _bases,
    _comment_how,
    _d,
    _posted_document,
    _setting,
    _Steps,
    _subject,
    _unit_lower,
    _words,
    check_output,
    letterhead,
    open_note,
    other_channels,
    trace,
)


def _position_words(title: str) -> str:
    """ "PHÓ CHỦ TỊCH" -> "Phó Chủ tịch" (a position inside a sentence)."""
    text = nfc(title).strip().lower()
    text = text.replace("chủ tịch", "Chủ tịch")
    return text[:1].upper() + text[1:]


def _has_villages(ctx: AppContext, item: dict[str, Any], t: dict[str, Any]) -> bool:
    """Whether the item is posted at village / residential-group houses."""
    if "villages" in (t.get("places") or []):
        return True
    villages = {fold(p["name"]) for p in units.list_places(ctx) if p["kind"] == "village"}
    return any(fold(p["place"]) in villages for p in item["places"])


def _minutes_people(
    ctx: AppContext, item: dict[str, Any], t: dict[str, Any]
) -> list[tuple[str, str, str]]:
    """(signature title, name, position) of each participant, from the setting
    ``minutes_signers`` (JSON list of {"title", "name", "position"}) or the defaults: the
    UBND representative (``signer_name`` / ``signer_title``), the UB MTTQ representative,
    the village / residential-group head where the item is posted there, and a resident
    witness; names not configured are left blank to write by hand."""
    raw = _setting(ctx, "minutes_signers")
    if raw:
        try:
            people = [
                (
                    nfc(p["title"]) or "",
                    nfc(p.get("name", "")) or "",
                    nfc(p.get("position", "")) or "",
                )
                for p in json.loads(raw)
            ]
            if people:
                return people
        except (ValueError, KeyError, TypeError, AttributeError):
            pass
    unit = _unit_lower(ctx)
    head = _words(ctx)["head"]
    out = []
    for title, position in DEFAULT_MINUTES_ROLES:
        name = ""
        if title == "Đại diện UBND":
            name = _setting(ctx, "signer_name")
            if _setting(ctx, "signer_title"):
                position = f"{_position_words(_setting(ctx, 'signer_title'))} Ủy ban nhân dân"
            position = f"{position} {unit}"
        elif title == "Đại diện UBMTTQ":
            position = f"{position} {unit}"
        elif title == "{head}":
            if not _has_villages(ctx, item, t):
                continue
            title, position = head, position.format(head=head)
        out.append((title.upper(), name, position))
    return out


def _days_counted(ctx: AppContext, start: date, end: date, unit: str) -> int:
    """Days of an actual posting from ``start`` to the end of ``end``, in the rule's unit
    (the posting day counts only with the "posting day is day 1" setting)."""
    day_one = ctx.posting_day_is_day_one
    if unit == "working":
        cal = ctx.calendar()
        return cal.working_days_between(start, end) + (
            1 if day_one and cal.is_working_day(start) else 0
        )
    return (end - start).days + (1 if day_one else 0)


def _find_place(item: dict[str, Any], place: str) -> dict[str, Any]:
    wanted = fold(place)
    for p in item["places"]:
        if fold(p["place"]) == wanted:
            return p
    names = "; ".join(nfc(p["place"]) for p in item["places"])
    raise UserError(
        f"Nội dung này không có địa điểm “{nfc(place)}”. Các địa điểm: {names}.",
        f"This item has no place “{place}”. Its places: {names}.",
    )


def taken_down_early(p: dict[str, Any]) -> bool:
    """Whether the sheet at place ``p`` came down before its period ended. The period ends
    at the END of its last day (BLDS 2015 Điều 148 khoản 1 and 6), so taking it down on the
    last day is early too."""
    down, ends = _d(p["taken_down_on"]), _d(p["ends_on"])
    return down is not None and ends is not None and down <= ends


def _next_working_day(ctx: AppContext, day: date) -> date:
    """``day``, or the next working day when it is a weekend or holiday (unless the setting
    ``minutes_on_days_off`` allows minutes on days off)."""
    if _setting(ctx, MINUTES_ON_DAYS_OFF) in ("1", "true", "yes"):
        return day
    cal = ctx.calendar()
    for _ in range(60):
        if cal.is_working_day(day):
            return day
        day += timedelta(days=1)
    return day


def end_minutes_day(ctx: AppContext, places: list[dict[str, Any]]) -> date:
    """The date of the end-of-posting minutes: not before the day after the last end date,
    nor before the last take-down, and on a working day (see ``_next_working_day``)."""
    candidates = []
    for p in places:
        if p["ends_on"]:
            candidates.append(_d(p["ends_on"]) + timedelta(days=1))
        if p["taken_down_on"]:
            candidates.append(_d(p["taken_down_on"]))
    return _next_working_day(ctx, max(candidates))


def posting_minutes(
    ctx: AppContext,
    item_id: str,
    kind: str,
    path: Path,
    place: str | None = None,
    *,
    number: int | None = None,
    day: date | None = None,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """BIÊN BẢN niêm yết (``kind="start"``) or kết thúc niêm yết (``kind="end"``).

    With ``place``: the minutes of that place only, with its own date and period. Without
    it: every place posted so far; when they were posted (or ended) on different days the
    act is dated the latest of them, held at the place whose date that is, and each place
    is listed with its own dates. A place not posted yet is never listed as posted; the
    start minutes name it as not posted. ``day`` dates the act on another day than the
    event's (never before it)."""
    from papi_desktop.reports.pdf.posting import build_posting_minutes

    path = check_output(path)
    step = _Steps(progress, cancel)
    step(0.0, "Đang đọc dữ liệu…")
    data = minutes_data(ctx, item_id, kind, place, number=number, day=day)
    step(0.25, "Đang tạo biên bản…")
    return build_posting_minutes(data, path, progress=step.builder(0.25))


def minutes_day(
    ctx: AppContext, item_id: str, kind: str, place: str | None = None, day: date | None = None
) -> date:
    """The date the minutes carry (see ``minutes_data``)."""
    return minutes_data(ctx, item_id, kind, place, day=day).act_time.date()


def minutes_data(
    ctx: AppContext,
    item_id: str,
    kind: str,
    place: str | None = None,
    *,
    number: int | None = None,
    day: date | None = None,
) -> Any:
    """The ``PostingMinutesData`` of ``posting_minutes``: dated the event's day (the posting
    for "start", the day after the period for "end") unless ``day`` is given."""
    from papi_desktop.reports.pdf.models import (
        MinutesSigner,
        Participant,
        PostingMinutesData,
        PostingPlace,
    )

    if kind not in ("start", "end"):
        raise UserError(
            f"Loại biên bản “{kind}” không hợp lệ; chọn start (niêm yết) hoặc end (kết thúc).",
            f"Unknown minutes kind “{kind}”; use start or end.",
        )
    item = disclosures.get_item(ctx, item_id)
    t = disclosures.get_type(ctx, item["type"])
    if place is not None:
        chosen = _find_place(item, place)
        if not chosen["posted_on"]:
            raise UserError(
                f"Chưa ghi ngày niêm yết tại “{nfc(chosen['place'])}” nên chưa lập được biên "
                "bản cho địa điểm này.",
                f"No posting recorded at “{chosen['place']}” yet.",
            )
        posted = [chosen]
        not_posted: list[str] = []
    else:
        posted = [p for p in item["places"] if p["posted_on"]]
        not_posted = [nfc(p["place"]) for p in item["places"] if not p["posted_on"]]
    if not posted:
        raise UserError(
            "Chưa ghi ngày niêm yết ở địa điểm nào nên chưa lập được biên bản. "
            "Hãy ghi ngày niêm yết trước (disclosures post).",
            "No posting recorded yet; record the posting first (disclosures post).",
        )
    end = kind == "end"
    permanent = t["period_unit"] == "permanent"
    unit = "calendar" if permanent else t["period_unit"]
    start_day = min(_d(p["posted_on"]) for p in posted)
    reposts: list[str] = []
    conclusion = ""
    if end:
        if not_posted:
            raise UserError(
                "Chưa niêm yết tại: " + "; ".join(not_posted) + ". Chỉ lập biên bản kết thúc "
                "chung khi mọi địa điểm đã niêm yết; hoặc lập cho từng địa điểm (--place).",
                "Not posted everywhere yet; make end minutes per place (--place).",
            )
        places, finished = _ended_places(ctx, posted, permanent, unit)
        act_day = end_minutes_day(ctx, finished)
        # held where the last place finished, so the act's place and date agree
        last = max(finished, key=lambda p: end_minutes_day(ctx, [p]))
        here = nfc(last["place"])
        period_end = max(p.end for p in places)
        period_days = _days_counted(ctx, start_day, period_end, unit)
        reposts, early = _interruptions(posted)
        if permanent:
            conclusion = (
                "Tài liệu đã được niêm yết thường xuyên đến khi gỡ xuống để thay thế, cập nhật."
            )
        elif early:
            conclusion = (
                "Có địa điểm gỡ bản niêm yết trước khi hết thời gian niêm yết theo quy định ("
                + "; ".join(early)
                + "); đề nghị niêm yết bổ sung cho đủ thời gian."
            )
        else:
            conclusion = "Việc niêm yết công khai được thực hiện đầy đủ, đúng thời gian quy định."
    else:
        places = []
        for p in posted:
            begin = _d(p["posted_on"])
            if permanent:
                places.append(PostingPlace(nfc(p["place"]), begin, None, open_note(t)))
                continue
            stop = _d(p["ends_on"]) or begin
            places.append(
                PostingPlace(
                    nfc(p["place"]), begin, stop, days=_days_counted(ctx, begin, stop, unit)
                )
            )
        act_day = max(p.start for p in places)
        here = next(p.name for p in places if p.start == act_day)
        period_end = None if permanent else max(p.end for p in places)
        period_days = None if permanent else t["period_days"]
    if day is not None:
        if day < act_day:
            raise UserError(
                f"Ngày biên bản {format_date(day)} trước ngày {format_date(act_day)} "
                + ("niêm yết" if not end else "kết thúc niêm yết")
                + "; hãy chọn ngày từ ngày đó trở đi.",
                f"The minutes cannot be dated {day:%d/%m/%Y}, before {act_day:%d/%m/%Y}.",
            )
        act_day = day
    act_time = datetime(act_day.year, act_day.month, act_day.day, 8, 0)
    unit_name = _unit_lower(ctx)
    act_place = here if fold(unit_name) in fold(here) else f"{here}, {unit_name}"
    people = _minutes_people(ctx, item, t)
    participants = [
        Participant(name or "." * 25, position or title.capitalize())
        for title, name, position in people
    ]
    signers = [MinutesSigner(title, name) for title, name, _ in people]
    year = start_day.year
    data = PostingMinutesData(
        letterhead=letterhead(ctx),
        trace=trace(ctx, f"Năm {year}"),
        kind=kind,
        number=number,
        title=_subject(item["title"]),
        act_time=act_time,
        act_place=act_place,
        legal_bases=_bases(ctx, item, t),
        participants=participants,
        posted_documents=[_posted_document(item)],
        places=places,
        period_start=start_day,
        period_end=period_end,
        period_days=period_days,
        period_unit=unit,
        closing_time=act_time + timedelta(minutes=45),
        copies=max(2, len(signers)),
        signers=signers,
        comment_channel=f"gửi {_comment_how(ctx)}" if not end else "",
        loudspeaker=None,
        other_channels=other_channels(ctx, item, t),
        reposts=reposts,
        not_posted=not_posted,
        opinions_count=int(item["opinions_count"] or 0) if end else 0,
        opinions_summary=(nfc(item["opinions_summary"]) or "") if end else "",
        conclusion=conclusion,
    )
    return data


def _ended_places(
    ctx: AppContext, posted: list[dict[str, Any]], permanent: bool, unit: str
) -> tuple[list[Any], list[dict[str, Any]]]:
    """The actual period of each place for the end minutes (refused while a place still
    runs), and the place rows with the end each one actually had."""
    from papi_desktop.reports.pdf.models import PostingPlace

    out, finished = [], []
    for p in posted:
        begin = _d(p["posted_on"])
        down = _d(p["taken_down_on"])
        ends = _d(p["ends_on"])
        if down is None and ends is not None and ends < ctx.today():
            stop, early = ends, False  # the period is over and the sheet is still up
        elif down is not None:
            early = taken_down_early(p)
            stop = down if early or ends is None else ends
        elif permanent:
            raise UserError(
                f"Nội dung này niêm yết thường xuyên và tại “{p['place']}” chưa gỡ xuống "
                "(thay thế); chỉ lập biên bản kết thúc khi đã gỡ ở mọi địa điểm.",
                "This item is posted permanently; end-of-posting minutes only once it "
                "has been taken down everywhere.",
            )
        else:
            raise UserError(
                f"Tại “{p['place']}” chưa hết thời gian niêm yết (đến hết ngày "
                f"{format_date(ends)}); chưa lập biên bản kết thúc được.",
                f"The posting at “{p['place']}” has not ended yet.",
            )
        if early:
            # Up only part of its last day: whole days are counted to the day before.
            days = _days_counted(ctx, begin, stop - timedelta(days=1), unit)
            note = f"gỡ trước hạn (phải niêm yết đến hết ngày {format_date(ends)})"
        else:
            days = _days_counted(ctx, begin, stop, unit)
            note = f"gỡ xuống ngày {format_date(down)}" if down and down != stop else ""
        out.append(
            PostingPlace(nfc(p["place"]), begin, stop, days=days, taken_down=early, note=note)
        )
        finished.append(p)
    return out, finished


def _interruptions(posted: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """Section 5 of the end minutes (every early take-down and re-posting, with dates) and
    the places taken down early, both from the same place records."""
    lines, early = [], []
    for p in posted:
        name = nfc(p["place"])
        for r in p.get("reposts") or []:
            # {"posted_on", "taken_down_on", "reposted_on"}; older rows only kept
            # {"previous_posted_on"} and the new date is then the place's posting date.
            prev = _d(r.get("posted_on") or r.get("previous_posted_on"))
            down = _d(r.get("taken_down_on"))
            again = _d(r.get("reposted_on") or p["posted_on"])
            before = ""
            if prev and down:
                before = f" (lần trước niêm yết ngày {format_date(prev)}, gỡ xuống ngày {format_date(down)})"
            elif prev:
                before = f" (lần trước niêm yết ngày {format_date(prev)})"
            lines.append(
                f"Tại {name}: niêm yết lại ngày {format_date(again)}{before}; thời gian niêm "
                "yết tính lại từ ngày niêm yết lại"
            )
        if taken_down_early(p):
            lines.append(
                f"Tại {name}: bản niêm yết bị gỡ xuống ngày {format_date(_d(p['taken_down_on']))}, "
                f"trước khi hết thời gian niêm yết (đến hết ngày {format_date(_d(p['ends_on']))}); "
                "việc niêm yết tại đây không liên tục, đầy đủ"
            )
            early.append(f"{name}, ngày {format_date(_d(p['taken_down_on']))}")
    return lines, early
