"""The civil-service working calendar: which days are working days, and counting them.

A working day is Monday–Friday unless the day is a holiday, a Tết day, a compensatory
day off (nghỉ bù) or a swapped day off (nghỉ hoán đổi); a Saturday marked ``swap-work``
(làm bù) is a working day. The days off come from each year's official notice and are
data (``DayOff`` rows), never derived from a formula here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from papi_desktop.errors import UserError

HOLIDAY_KINDS = ("holiday", "tet", "compensatory", "swap-off", "swap-work")
OFF_KINDS = frozenset({"holiday", "tet", "compensatory", "swap-off"})

KIND_LABELS: dict[str, dict[str, str]] = {
    "holiday": {"vi": "Ngày lễ", "en": "Public holiday"},
    "tet": {"vi": "Tết Nguyên đán", "en": "Lunar New Year (Tết)"},
    "compensatory": {"vi": "Nghỉ bù", "en": "Compensatory day off"},
    "swap-off": {"vi": "Nghỉ hoán đổi", "en": "Swapped day off"},
    "swap-work": {"vi": "Làm bù", "en": "Make-up working day"},
}

WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Far more than any real run of days off; only a calendar marking every day off hits it.
_MAX_SEARCH_DAYS = 3700

_ONE = timedelta(days=1)


@dataclass(frozen=True)
class DayOff:
    """One row of the holiday calendar (a day off, or a Saturday worked in exchange)."""

    date: date
    kind: str
    name_vi: str = ""
    name_en: str = ""
    legal_basis: str = ""
    source: str = ""
    confidence: str = ""
    provisional: bool = False

    def __post_init__(self) -> None:
        if self.kind not in HOLIDAY_KINDS:
            raise UserError(
                f"Loại ngày nghỉ “{self.kind}” không hợp lệ; chỉ nhận: {', '.join(HOLIDAY_KINDS)}.",
                f"Unknown day-off kind “{self.kind}”; expected one of: {', '.join(HOLIDAY_KINDS)}.",
            )


class WorkCalendar:
    """Working days of the civil service, given the year's days off and swaps."""

    def __init__(self, days: Iterable[DayOff] = ()) -> None:
        self._days: dict[date, DayOff] = {}
        for day in days:
            self._days[day.date] = day

    def __repr__(self) -> str:
        return f"WorkCalendar({len(self._days)} days, years={sorted(self.years_covered())})"

    def day_off(self, d: date) -> DayOff | None:
        """The calendar row for ``d`` (a day off or a swap-work Saturday), if any."""
        return self._days.get(d)

    def days(self) -> list[DayOff]:
        """All rows, in date order."""
        return [self._days[d] for d in sorted(self._days)]

    def years_covered(self) -> set[int]:
        """Years that have at least one row."""
        return {d.year for d in self._days}

    def last_year(self) -> int | None:
        """The last year whose days off are official (not provisional); None when none is."""
        return max((d.year for d, r in self._days.items() if not r.provisional), default=None)

    def is_provisional(self, a: date, b: date | None = None) -> bool:
        """True when counting over [a, b] depends on days off that are not yet official:
        a provisional row (e.g. Tết 2027 announced ahead) or any day after the last year
        with official days off, where a later notice may still add or move days off."""
        b = b or a
        last = self.last_year()
        if last is None or b.year > last:
            return True
        return any(row.provisional for day, row in self._days.items() if a <= day <= b)

    def horizon_note(self, lang: str = "vi") -> str:
        """One sentence saying how far the official days off go."""
        last = self.last_year()
        if lang == "en":
            if last is None:
                return "No official days off are loaded: only weekends are known."
            return (
                f"Official days off are known up to {last}; later dates count weekends only"
                " and may move when the next notice is published."
            )
        if last is None:
            return "Chưa có lịch ngày nghỉ chính thức: chỉ tính thứ Bảy, Chủ nhật."
        return (
            f"Lịch ngày nghỉ chính thức chỉ có đến năm {last}; các ngày sau đó chỉ tính thứ Bảy,"
            " Chủ nhật và có thể thay đổi khi có thông báo nghỉ lễ mới."
        )

    def is_working_day(self, d: date) -> bool:
        """Mon–Fri and not a day off, or a day marked swap-work."""
        row = self._days.get(d)
        if row is not None:
            if row.kind == "swap-work":
                return True
            if row.kind in OFF_KINDS:
                return False
        return d.weekday() < 5

    def next_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, else the first working day after it."""
        return self._scan(d, _ONE)

    def previous_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, else the last working day before it."""
        return self._scan(d, -_ONE)

    def _scan(self, d: date, step: timedelta) -> date:
        for _ in range(_MAX_SEARCH_DAYS):
            if self.is_working_day(d):
                return d
            d += step
        raise _no_working_day()

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (``start`` itself is not counted).

        ``n == 0`` gives ``start``; a negative ``n`` counts back: the ``|n|``-th working
        day before ``start``.
        """
        if n == 0:
            return start
        step = _ONE if n > 0 else -_ONE
        remaining = abs(n)
        d = start
        gap = 0
        while remaining:
            d += step
            if self.is_working_day(d):
                remaining -= 1
                gap = 0
            else:
                gap += 1
                if gap > _MAX_SEARCH_DAYS:
                    raise _no_working_day()
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Number of working days in (a, b]; negative (−count in (b, a]) when b < a."""
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        d = a + _ONE
        while d <= b:
            if self.is_working_day(d):
                count += 1
            d += _ONE
        return count

    def describe(self, d: date, lang: str = "vi") -> str:
        """Why ``d`` is not an ordinary working day ("Chủ nhật", "Tết Nguyên đán (Mùng 1)").

        Returns "" for an ordinary working day; for a swap-work Saturday it says it is a
        make-up working day ("Làm bù: …").
        """
        row = self._days.get(d)
        en = lang == "en"
        if row is not None:
            name = (row.name_en if en else row.name_vi) or KIND_LABELS[row.kind][
                "en" if en else "vi"
            ]
            if row.kind == "swap-work":
                prefix = "Make-up working day" if en else "Làm bù"
                return name if name.startswith(prefix) else f"{prefix}: {name}"
            return name
        if d.weekday() >= 5:
            return (WEEKDAYS_EN if en else WEEKDAYS_VI)[d.weekday()]
        return ""

    def off_runs(self, a: date, b: date) -> list[tuple[date, date, str, str]]:
        """Days off listed in the calendar within [a, b], grouped into runs.

        Each run is (first, last, label_vi, label_en). Consecutive rows of the same group
        (all Tết days form one group; other rows group by name) are merged even across a
        weekend. Plain weekends are not listed. Used to explain a computed date.
        """
        runs: list[list] = []
        d = a
        while d <= b:
            row = self._days.get(d)
            if row is not None and row.kind in OFF_KINDS:
                if row.kind == "tet":
                    key = "tet"
                    vi, en = "nghỉ Tết", "Tết holiday"
                else:
                    key = row.name_vi or row.kind
                    label = row.name_vi or KIND_LABELS[row.kind]["vi"]
                    vi = "n" + label[1:] if label.casefold().startswith("nghỉ") else "nghỉ " + label
                    en = row.name_en or KIND_LABELS[row.kind]["en"]
                prev = runs[-1] if runs else None
                if (
                    prev is not None
                    and prev[4] == key
                    and all(not self.is_working_day(x) for x in _days_between(prev[1], d))
                ):
                    prev[1] = d
                else:
                    runs.append([d, d, vi, en, key])
            d += _ONE
        return [(r[0], r[1], r[2], r[3]) for r in runs]

    def swap_work_days(self, a: date, b: date) -> list[date]:
        """Swap-work days (make-up working Saturdays) within [a, b]."""
        return sorted(d for d, row in self._days.items() if row.kind == "swap-work" and a <= d <= b)


def _no_working_day() -> UserError:
    return UserError(
        "Lịch làm việc không có ngày làm việc nào trong khoảng 10 năm; hãy kiểm tra lịch nghỉ.",
        "The work calendar has no working day within 10 years; check the holiday list.",
    )


def _days_between(a: date, b: date) -> list[date]:
    """Days strictly between a and b."""
    out = []
    d = a + _ONE
    while d < b:
        out.append(d)
        d += _ONE
    return out
