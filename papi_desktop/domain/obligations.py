"""Recurring disclosure obligations: the one rule behind the plan, the task list and the catalogue.

A disclosure type in the catalogue may carry ``plan`` entries: the occurrences a commune
must expect every year (period code ``Y``, ``Q1``–``Q4``, ``H1``/``H2``; due ``MM-DD`` in
the plan year or ``+1:MM-DD`` in the next one; ``estimated`` when the real deadline runs
from an event whose date is not known in advance). ``obligations`` turns them into dated
lines, moving a due date that falls on a day off to the next working day (BLDS 2015 Điều
148 khoản 5). A framework task that refers to the type takes its periods and due dates
from the same lines (``ObligationSchedule``), so the plan, the task list and ``disclosures
types`` can never disagree.

``plan_state`` and ``match_items`` judge a plan line against the recorded disclosures:
pure functions, so reading the plan never needs to store anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from papi_desktop.domain.calendar import WorkCalendar
from papi_desktop.domain.dates import format_date
from papi_desktop.domain.periods import Period

PLAN_STATES = ("missing", "recorded", "posting", "done", "late", "expected", "before_tracking")

_PERIOD_CODES = {"Y": ("year", 1), "H1": ("half", 1), "H2": ("half", 2)}
_PERIOD_CODES.update({f"Q{i}": ("quarter", i) for i in range(1, 5)})

# An item whose legal deadline lies this far from a line's due date cannot fulfil it (a
# yearly line and the same type's line one year later are 365 days apart).
MATCH_MAX_GAP_DAYS = 150
# Items whose dates lie this close to a line compete by how fully they were posted.
MATCH_BAND_DAYS = 45


def entry_period(year: int, code: str) -> Period:
    """The obligation's period for a plan entry of ``year``: "Y" → the year, "Q2" → the
    quarter, "H1" → the half-year."""
    kind, index = _PERIOD_CODES[code]
    return Period(kind, year, index)


def entry_raw_due(year: int, due: str) -> date:
    """The due date written in a plan entry ("MM-DD", or "+1:MM-DD" for the next year)."""
    if due.startswith("+1:"):
        year, due = year + 1, due[3:]
    month, day = (int(x) for x in due.split("-"))
    return date(year, month, day)


def valid_entry(entry: dict[str, Any]) -> bool:
    """True when a catalogue plan entry can be read (period code and due date)."""
    try:
        entry_period(2026, entry["period"])
        entry_raw_due(2026, entry["due"])
    except (KeyError, ValueError, TypeError, AttributeError):
        return False
    return True


@dataclass(frozen=True)
class Obligation:
    """One dated line of the yearly plan of a disclosure type."""

    type_code: str
    year: int
    period_code: str
    period: Period
    raw_due: date
    due: date
    estimated: bool
    label_vi: str
    label_en: str
    basis: str
    confidence: str
    provisional: bool
    explain_vi: str
    explain_en: str


def obligations(
    type_code: str, entries: Iterable[dict[str, Any]], year: int, cal: WorkCalendar
) -> list[Obligation]:
    """The dated lines of ``entries`` (a type's catalogue ``plan``) for the plan ``year``."""
    out = []
    for e in entries:
        if not valid_entry(e):
            continue
        raw = entry_raw_due(year, e["due"])
        due = cal.next_working_day(raw)
        estimated = bool(e.get("estimated"))
        vi = f"Hạn {format_date(raw)}"
        en = f"Due {format_date(raw)}"
        if due != raw:
            vi += f" ({cal.describe(raw)}), chuyển sang ngày làm việc tiếp theo {format_date(due)}"
            en += f" ({cal.describe(raw, 'en')}), moved to the next working day {format_date(due)}"
        if estimated:
            vi += "; ngày dự kiến"
            en += "; estimated date"
        basis = e.get("basis", "")
        if basis:
            vi += f" ({basis})"
            en += f" ({basis})"
        provisional = cal.is_provisional(raw, due)
        out.append(
            Obligation(
                type_code=type_code,
                year=year,
                period_code=e["period"],
                period=entry_period(year, e["period"]),
                raw_due=raw,
                due=due,
                estimated=estimated,
                label_vi=e.get("label_vi", ""),
                label_en=e.get("label_en", ""),
                basis=basis,
                confidence=e.get("confidence", ""),
                provisional=provisional,
                explain_vi=vi,
                explain_en=en,
            )
        )
    return out


@dataclass(frozen=True)
class ObligationSchedule:
    """A framework task's schedule taken from its disclosure type's plan entries.

    Stands in for a ``DueRule`` wherever a task's periods are listed: ``occurrences`` gives
    the same (period, due date) pairs as the plan lines of the type.
    """

    type_code: str
    entries: tuple[tuple[tuple[str, Any], ...], ...]
    cal: WorkCalendar = field(compare=False, hash=False)

    @classmethod
    def of(cls, type_code: str, entries: Sequence[dict[str, Any]], cal: WorkCalendar):
        frozen = tuple(tuple(sorted(e.items())) for e in entries if valid_entry(e))
        return cls(type_code, frozen, cal) if frozen else None

    def lines(self, year: int) -> list[Obligation]:
        return obligations(self.type_code, (dict(e) for e in self.entries), year, self.cal)

    def occurrences(self, year: int) -> list[tuple[Period, date]]:
        return [(o.period, o.due) for o in self.lines(year)]

    @property
    def period_kind(self) -> str:
        return entry_period(2026, dict(self.entries[0])["period"]).kind

    def _dates(self) -> str:
        shown = []
        for e in (dict(x) for x in self.entries):
            raw = e["due"]
            nxt = raw.startswith("+1:")
            month, day = raw[3:].split("-") if nxt else raw.split("-")
            shown.append(f"{day}/{month}" + ("+1" if nxt else ""))
        return ", ".join(shown)

    @property
    def label_vi(self) -> str:
        return f"Theo loại công khai {self.type_code}: hạn {self._dates()}"

    @property
    def label_en(self) -> str:
        return f"From disclosure type {self.type_code}: due {self._dates()}"

    def __str__(self) -> str:
        return f"type:{self.type_code}"


# -- judging a plan line ---------------------------------------------------------------------


@dataclass
class ItemView:
    """What the plan needs to know of a recorded disclosure item."""

    id: str
    type_code: str
    period: str  # the obligation period it fulfils ("2026", "2026Q1"), "" when not given
    trigger: date | None
    deadline: date | None  # legal deadline to post (None: no fixed deadline)
    places: list[dict[str, Any]]  # {"place", "posted_on": date|None, "state"}
    permanent: bool = False
    title: str = ""


@dataclass
class LineState:
    state: str
    reason_vi: str
    reason_en: str
    overdue: bool = False
    unposted: list[str] = field(default_factory=list)


def _names(xs: Iterable[str]) -> str:
    return ", ".join(xs)


def plan_state(
    line: Obligation, item: ItemView | None, today: date, tracked_from: date | None = None
) -> LineState:
    """The state of a plan line, with the reason in words.

    - ``expected``: nothing recorded and the due date has not passed;
    - ``missing``: nothing recorded and the due date has passed;
    - ``recorded``: an item is entered but not yet posted at every required place (or a
      place took it down before its period ended, so it must be posted again);
    - ``late``: posted everywhere, but some place after the legal deadline;
    - ``posting``: posted everywhere by the deadline, the period still running;
    - ``done``: posted everywhere by the deadline and every place ran its full period, or
      the posting is permanent;
    - ``before_tracking``: nothing recorded and the line was due before the commune started
      tracking (``tracked_from``): not missing, not counted; it may be filled in later.
    """
    est_vi = " (ngày dự kiến)" if line.estimated else ""
    est_en = " (estimated date)" if line.estimated else ""
    if item is None:
        if tracked_from is not None and line.due < tracked_from:
            return LineState(
                "before_tracking",
                f"Hạn {format_date(line.due)} trước ngày bắt đầu theo dõi"
                f" {format_date(tracked_from)}; có thể ghi bổ sung",
                f"Due {format_date(line.due)}, before tracking started on"
                f" {format_date(tracked_from)}; may be filled in later",
            )
        if today > line.due:
            return LineState(
                "missing",
                f"Chưa ghi nội dung nào; hạn {format_date(line.due)}{est_vi} đã qua",
                f"Nothing recorded; due {format_date(line.due)}{est_en} has passed",
                overdue=True,
            )
        return LineState(
            "expected",
            f"Dự kiến: hạn {format_date(line.due)}{est_vi}",
            f"Expected: due {format_date(line.due)}{est_en}",
        )
    deadline = item.deadline
    overdue = deadline is not None and today > deadline
    dl_vi = f"hạn niêm yết {format_date(deadline)}" if deadline else "không có hạn cố định"
    dl_en = f"deadline {format_date(deadline)}" if deadline else "no fixed deadline"
    early = [p["place"] for p in item.places if p["state"] == "taken_down_early"]
    unposted = [p["place"] for p in item.places if p["posted_on"] is None]
    if not item.places:
        return LineState(
            "recorded",
            "Đã ghi nhưng chưa có nơi niêm yết nào",
            "Recorded, but no place to post at",
            overdue=overdue,
        )
    if early:
        return LineState(
            "recorded",
            f"Gỡ trước khi đủ thời gian tại: {_names(early)}; phải niêm yết lại",
            f"Taken down before the period ended at: {_names(early)}; post again",
            overdue=True,
            unposted=early,
        )
    if unposted:
        if len(unposted) == len(item.places):
            vi = "Đã ghi nhưng chưa niêm yết ở nơi nào"
            en = "Recorded but not posted anywhere"
        else:
            vi = f"Đã ghi; chưa niêm yết tại: {_names(unposted)}"
            en = f"Recorded; not yet posted at: {_names(unposted)}"
        if overdue:
            vi += f"; đã quá {dl_vi}"
            en += f"; past the {dl_en}"
        elif deadline:
            vi += f"; {dl_vi}"
            en += f"; {dl_en}"
        return LineState("recorded", vi, en, overdue=overdue, unposted=unposted)
    late_at = [
        p["place"] for p in item.places if deadline is not None and p["posted_on"] > deadline
    ]
    if late_at:
        return LineState(
            "late",
            f"Niêm yết sau {dl_vi} tại: {_names(late_at)}",
            f"Posted after the {dl_en} at: {_names(late_at)}",
        )
    if item.permanent:
        return LineState(
            "done",
            f"Đã niêm yết đúng hạn tại mọi nơi; niêm yết thường xuyên ({dl_vi})",
            f"Posted on time everywhere; permanent posting ({dl_en})",
        )
    running = [p["place"] for p in item.places if p["state"] == "posting"]
    if running:
        return LineState(
            "posting",
            f"Đã niêm yết đúng hạn tại mọi nơi; đang niêm yết tại: {_names(running)}",
            f"Posted on time everywhere; still running at: {_names(running)}",
        )
    return LineState(
        "done",
        "Đã niêm yết đúng hạn tại mọi nơi và đủ thời gian",
        "Posted on time everywhere for the full period",
    )


def item_period_matches(line: Obligation, period: str) -> bool:
    """True when an item declared for ``period`` fulfils ``line``."""
    return period == str(line.period)


def match_items(lines: Sequence[Obligation], items: Sequence[ItemView]) -> dict[int, ItemView]:
    """Which item fulfils which line (by index in ``lines``); each item fulfils one line.

    An item that names its obligation period matches the line of that period only. Other
    items match by their legal deadline (or trigger): the line of the same type whose due
    date is closest, within ``MATCH_MAX_GAP_DAYS``. So the 2026 budget estimate decided in
    December 2025 and posted in January 2026 fulfils the 2026 line, not a 2025 one. Among
    items about as close to one line (within ``MATCH_BAND_DAYS`` of each other), the one
    posted at more places wins: a draft recorded twice must not hide the posted one.
    """
    out: dict[int, ItemView] = {}
    used: set[str] = set()
    by_type: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        by_type.setdefault(line.type_code, []).append(i)
    for item in items:
        if item.period:
            for i in by_type.get(item.type_code, []):
                if i not in out and item_period_matches(lines[i], item.period):
                    out[i] = item
                    used.add(item.id)
                    break
    pairs: list[tuple[int, int, int]] = []
    for k, item in enumerate(items):
        if item.id in used or item.period:
            continue
        anchor = item.deadline or item.trigger
        if anchor is None:
            posted = [p["posted_on"] for p in item.places if p["posted_on"]]
            anchor = min(posted) if posted else None
        if anchor is None:
            continue
        for i in by_type.get(item.type_code, []):
            gap = abs((anchor - lines[i].due).days)
            if gap <= MATCH_MAX_GAP_DAYS:
                unposted = sum(1 for p in item.places if not p["posted_on"])
                pairs.append((gap // MATCH_BAND_DAYS, unposted, gap, i, k))
    for *_rank, i, k in sorted(pairs):
        if i in out or items[k].id in used:
            continue
        out[i] = items[k]
        used.add(items[k].id)
    return out
