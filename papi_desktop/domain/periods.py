"""Reporting periods (year, half, quarter, month), recurrence rules of tasks and due dates.

A period is written "2026", "2026H1", "2026Q3" or "2026-03". A task's due rule is written
``monthly``, ``quarterly``, ``half-yearly``, ``yearly``, ``yearly:MM-DD``, ``standing`` or
``date:YYYY-MM-DD``, each optionally followed by ``+Nd`` (N days after the base due date).
Recurring tasks get one result per period; a task is overdue when its period's due date
has passed and it is neither done nor "not applicable".
"""

from __future__ import annotations

import calendar as _stdcal
import re
from dataclasses import dataclass
from datetime import date, timedelta

from papi_desktop.domain.dates import MAX_YEAR, MIN_YEAR, format_date, quarter_of
from papi_desktop.errors import UserError

PERIOD_KINDS = ("year", "half", "quarter", "month")
_PERIOD_COUNT = {"year": 1, "half": 2, "quarter": 4, "month": 12}
_MONTHS_IN = {"year": 12, "half": 6, "quarter": 3, "month": 1}

MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_PERIOD_RE = re.compile(
    r"(?P<year>\d{4})(?:(?P<hq>[HQ])(?P<hqi>\d+)|-(?P<month>\d{1,2}))?", re.ASCII
)


def _month_end(year: int, month: int) -> date:
    return date(year, month, _stdcal.monthrange(year, month)[1])


def _bad_period(text: str, why_vi: str, why_en: str) -> UserError:
    return UserError(
        f"Kỳ “{text}” không hợp lệ: {why_vi}. Viết theo dạng 2026, 2026H1, 2026Q3 hoặc 2026-03.",
        f"Invalid period “{text}”: {why_en}. Write it as 2026, 2026H1, 2026Q3 or 2026-03.",
    )


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: a year, a half-year, a quarter or a month."""

    kind: str  # "year" | "half" | "quarter" | "month"
    year: int
    index: int  # 1 for a year; 1–2 halves; 1–4 quarters; 1–12 months

    def __post_init__(self) -> None:
        if self.kind not in PERIOD_KINDS:
            raise UserError(
                f"Loại kỳ “{self.kind}” không hợp lệ.", f"Unknown period kind “{self.kind}”."
            )
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise UserError(
                f"Năm {self.year} nằm ngoài khoảng cho phép {MIN_YEAR}–{MAX_YEAR}.",
                f"Year {self.year} is outside the allowed range {MIN_YEAR}–{MAX_YEAR}.",
            )
        if not 1 <= self.index <= _PERIOD_COUNT[self.kind]:
            raise UserError(
                f"Kỳ {self.kind} số {self.index} không tồn tại.",
                f"There is no {self.kind} number {self.index}.",
            )

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read "2026", "2026H1", "2026Q3" or "2026-03" (H/Q also in lowercase)."""
        raw = (text or "").strip()
        if not raw:
            raise _bad_period(raw, "chưa nhập kỳ", "no period given")
        m = _PERIOD_RE.fullmatch(raw.upper())
        if not m:
            raise _bad_period(raw, "không đúng dạng", "unknown format")
        year = int(m["year"])
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise _bad_period(
                raw,
                f"năm {year} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}",
                f"year {year} is outside {MIN_YEAR}–{MAX_YEAR}",
            )
        if m["hq"] == "H":
            idx = int(m["hqi"])
            if idx not in (1, 2):
                raise _bad_period(
                    raw, f"nửa năm {idx} không tồn tại (chỉ có H1, H2)", f"no half {idx} (H1 or H2)"
                )
            return cls("half", year, idx)
        if m["hq"] == "Q":
            idx = int(m["hqi"])
            if not 1 <= idx <= 4:
                raise _bad_period(
                    raw,
                    f"quý {idx} không tồn tại (chỉ có Q1 đến Q4)",
                    f"no quarter {idx} (Q1 to Q4)",
                )
            return cls("quarter", year, idx)
        if m["month"] is not None:
            idx = int(m["month"])
            if not 1 <= idx <= 12:
                raise _bad_period(
                    raw,
                    f"tháng {idx} không tồn tại (chỉ có 01 đến 12)",
                    f"no month {idx} (01 to 12)",
                )
            return cls("month", year, idx)
        return cls("year", year, 1)

    @classmethod
    def of(cls, kind: str, d: date) -> Period:
        """The period of ``kind`` that contains ``d``."""
        if kind == "year":
            return cls("year", d.year, 1)
        if kind == "half":
            return cls("half", d.year, 1 if d.month <= 6 else 2)
        if kind == "quarter":
            return cls("quarter", d.year, quarter_of(d))
        return cls("month", d.year, d.month)

    def __str__(self) -> str:
        if self.kind == "year":
            return f"{self.year}"
        if self.kind == "half":
            return f"{self.year}H{self.index}"
        if self.kind == "quarter":
            return f"{self.year}Q{self.index}"
        return f"{self.year}-{self.index:02d}"

    @property
    def start(self) -> date:
        first_month = (self.index - 1) * _MONTHS_IN[self.kind] + 1
        return date(self.year, first_month, 1)

    @property
    def end(self) -> date:
        last_month = self.index * _MONTHS_IN[self.kind]
        return _month_end(self.year, last_month)

    @property
    def label_vi(self) -> str:
        if self.kind == "year":
            return f"Năm {self.year}"
        if self.kind == "half":
            return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {self.year}"
        if self.kind == "quarter":
            return f"Quý {self.index}/{self.year}"
        return f"Tháng {self.index:02d}/{self.year}"

    @property
    def label_en(self) -> str:
        if self.kind == "year":
            return f"Year {self.year}"
        if self.kind == "half":
            return f"{'First' if self.index == 1 else 'Second'} half of {self.year}"
        if self.kind == "quarter":
            return f"Q{self.index} {self.year}"
        return f"{MONTHS_EN[self.index - 1]} {self.year}"

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end


DUE_KINDS = ("monthly", "quarterly", "half-yearly", "yearly", "standing", "date")
_RULE_PERIOD = {
    "monthly": "month",
    "quarterly": "quarter",
    "half-yearly": "half",
    "yearly": "year",
    "standing": "year",
    "date": "year",
}
_DUE_RE = re.compile(
    r"(?P<kind>monthly|quarterly|half-yearly|yearly|standing|date)"
    r"(?::(?P<arg>[0-9-]+))?"
    r"(?:\+(?P<offset>\d+)d)?",
    re.ASCII,
)
_GRAMMAR = "monthly, quarterly, half-yearly, yearly, yearly:MM-DD, standing, date:YYYY-MM-DD (+Nd)"


def _bad_rule(text: str, why_vi: str, why_en: str) -> UserError:
    return UserError(
        f"Quy tắc hạn “{text}” không hợp lệ: {why_vi}. Dạng được nhận: {_GRAMMAR}.",
        f"Invalid due rule “{text}”: {why_en}. Accepted forms: {_GRAMMAR}.",
    )


@dataclass(frozen=True)
class DueRule:
    """When a task is due: its recurrence and the due date within each period.

    ``offset_days`` is added to the base due date: the end of the month, quarter,
    half-year or year; the given MM-DD for ``yearly:MM-DD``; 31/12 for ``standing``;
    the date itself for ``date:``.
    """

    kind: str  # monthly | quarterly | half-yearly | yearly | standing | date
    month_day: tuple[int, int] | None = None
    fixed: date | None = None
    offset_days: int = 0

    @classmethod
    def parse(cls, text: str) -> DueRule:
        raw = (text or "").strip()
        if not raw:
            raise _bad_rule(raw, "chưa nhập", "empty")
        m = _DUE_RE.fullmatch(raw.lower())
        if not m:
            raise _bad_rule(raw, "không đúng dạng", "unknown form")
        kind, arg = m["kind"], m["arg"]
        offset = int(m["offset"]) if m["offset"] else 0
        if offset > 366:
            raise _bad_rule(
                raw,
                f"khoảng {offset} ngày quá dài (tối đa 366)",
                f"{offset} days is too long (max 366)",
            )
        if kind == "date":
            if arg is None:
                raise _bad_rule(raw, "thiếu ngày sau “date:”", "missing the date after “date:”")
            dm = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", arg, re.ASCII)
            if not dm:
                raise _bad_rule(raw, "ngày phải viết YYYY-MM-DD", "the date must be YYYY-MM-DD")
            y, mo, d = (int(g) for g in dm.groups())
            if not MIN_YEAR <= y <= MAX_YEAR or not 1 <= mo <= 12:
                raise _bad_rule(raw, f"ngày {arg} không tồn tại", f"the date {arg} does not exist")
            if not 1 <= d <= _stdcal.monthrange(y, mo)[1]:
                raise _bad_rule(raw, f"ngày {arg} không tồn tại", f"the date {arg} does not exist")
            return cls("date", None, date(y, mo, d), offset)
        if kind == "yearly" and arg is not None:
            dm = re.fullmatch(r"(\d{2})-(\d{2})", arg, re.ASCII)
            if not dm:
                raise _bad_rule(raw, "ngày phải viết MM-DD", "the day must be MM-DD")
            mo, d = int(dm[1]), int(dm[2])
            # 2024 is a leap year: 02-29 is accepted (it becomes 28/02 in other years).
            if not 1 <= mo <= 12 or not 1 <= d <= _stdcal.monthrange(2024, mo)[1]:
                raise _bad_rule(raw, f"ngày {arg} không tồn tại", f"the day {arg} does not exist")
            return cls("yearly", (mo, d), None, offset)
        if arg is not None:
            raise _bad_rule(
                raw, f"“{kind}” không nhận tham số “:{arg}”", f"“{kind}” takes no “:{arg}” argument"
            )
        return cls(kind, None, None, offset)

    def __str__(self) -> str:
        if self.kind == "date" and self.fixed is not None:
            base = f"date:{self.fixed.isoformat()}"
        elif self.kind == "yearly" and self.month_day is not None:
            base = f"yearly:{self.month_day[0]:02d}-{self.month_day[1]:02d}"
        else:
            base = self.kind
        return f"{base}+{self.offset_days}d" if self.offset_days else base

    @property
    def period_kind(self) -> str:
        """Kind of period each occurrence covers ("month", "quarter", "half" or "year")."""
        return _RULE_PERIOD[self.kind]

    def _after(self, vi_period: str, en_period: str) -> tuple[str, str]:
        if self.offset_days:
            return (
                f"hạn {self.offset_days} ngày sau khi hết {vi_period}",
                f"due {self.offset_days} days after the end of the {en_period}",
            )
        return f"hạn cuối {vi_period}", f"due at the end of the {en_period}"

    def _labels(self) -> tuple[str, str]:
        plus_vi = f" + {self.offset_days} ngày" if self.offset_days else ""
        plus_en = f" + {self.offset_days} days" if self.offset_days else ""
        if self.kind == "monthly":
            vi, en = self._after("tháng", "month")
            return f"Hằng tháng, {vi}", f"Monthly, {en}"
        if self.kind == "quarterly":
            vi, en = self._after("quý", "quarter")
            return f"Hằng quý, {vi}", f"Quarterly, {en}"
        if self.kind == "half-yearly":
            vi, en = self._after("kỳ 6 tháng", "half-year")
            return f"6 tháng một lần, {vi}", f"Every six months, {en}"
        if self.kind == "yearly" and self.month_day is not None:
            md = f"{self.month_day[1]:02d}/{self.month_day[0]:02d}"
            return f"Trước {md}{plus_vi} hằng năm", f"By {md}{plus_en} every year"
        if self.kind == "yearly":
            vi, en = self._after("năm", "year")
            return f"Hằng năm, {vi}", f"Yearly, {en}"
        if self.kind == "standing":
            return f"Thường xuyên{plus_vi}", f"Standing (ongoing){plus_en}"
        shown = format_date(self.fixed) if self.fixed else ""
        return f"Trước {shown}{plus_vi}", f"By {shown}{plus_en}"

    @property
    def label_vi(self) -> str:
        return self._labels()[0]

    @property
    def label_en(self) -> str:
        return self._labels()[1]

    def due_for(self, period: Period) -> date:
        """Due date of the occurrence covering ``period`` (no holiday adjustment)."""
        if self.kind == "yearly" and self.month_day is not None:
            mo, d = self.month_day
            base = date(period.year, mo, min(d, _stdcal.monthrange(period.year, mo)[1]))
        elif self.kind == "date" and self.fixed is not None:
            base = self.fixed
        else:
            base = period.end
        return base + timedelta(days=self.offset_days)


def periods_in_year(rule: DueRule, year: int) -> list[tuple[Period, date]]:
    """One (period, due date) per occurrence of ``rule`` in ``year``.

    monthly: 12 months, quarterly: 4, half-yearly: 2, yearly and standing: the year
    (due 31/12 + offset, or the MM-DD), date: the year of that date only (else nothing).
    Due dates are NOT moved off weekends or holidays here: a task's due date is a
    planning date, not a statutory period, and keeping it plain keeps it predictable.
    """
    occurrences = getattr(rule, "occurrences", None)
    if occurrences is not None:  # a task following its disclosure type's plan
        return occurrences(year)
    if rule.kind == "date" and (rule.fixed is None or rule.fixed.year != year):
        return []
    kind = rule.period_kind
    return [
        (p, rule.due_for(p))
        for p in (Period(kind, year, i) for i in range(1, _PERIOD_COUNT[kind] + 1))
    ]


def period_for(rule: DueRule, d: date) -> Period:
    """The period of ``rule`` that the date ``d`` falls in."""
    return Period.of(rule.period_kind, d)


TASK_STATUSES = ("todo", "doing", "review", "done")
TASK_RESULTS = ("met", "partial", "not_met", "na", "unassessed")

STATUS_LABELS: dict[str, dict[str, str]] = {
    "todo": {"vi": "Chưa làm", "en": "To do"},
    "doing": {"vi": "Đang làm", "en": "In progress"},
    "review": {"vi": "Chờ duyệt", "en": "Awaiting review"},
    "done": {"vi": "Đã xong", "en": "Done"},
}
RESULT_LABELS: dict[str, dict[str, str]] = {
    "met": {"vi": "Đạt", "en": "Met"},
    "partial": {"vi": "Đạt một phần", "en": "Partly met"},
    "not_met": {"vi": "Không đạt", "en": "Not met"},
    "na": {"vi": "Không áp dụng", "en": "Not applicable"},
    "unassessed": {"vi": "Chưa đánh giá", "en": "Not assessed"},
}


def before_tracking(due: date, tracking_from: date | None) -> bool:
    """A period due before the commune started tracking (its setup day): never overdue,
    not counted in completion; it may still be filled in."""
    return tracking_from is not None and due < tracking_from


def is_overdue(due: date, status: str, result: str | None, today: date) -> bool:
    """Overdue: the due date has passed and the task is neither done nor not applicable."""
    return today > due and status != "done" and result != "na"
