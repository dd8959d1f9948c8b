"""Legal dates of a public disclosure: the deadline to post and the end of each posting.

Day counting follows Bộ luật Dân sự 2015 Điều 147–148: the first day (the trigger or the
posting day) is not counted, a period in days ends at the end of its last day, and a
last day that falls on a day off moves to the next working day. Periods in working days
count Monday–Friday minus the calendar's days off, starting the day after the trigger.
Every computed date comes with a Vietnamese and an English explanation that names the
rule, its legal basis and any adjustment, so the user can check it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from papi_desktop.domain.calendar import WorkCalendar
from papi_desktop.domain.dates import format_date

BLDS_148_5_VI = "BLDS 2015 Điều 148 khoản 5"
BLDS_148_5_EN = "Civil Code 2015 Art. 148(5)"
BLDS_147_VI = "BLDS 2015 Điều 147"
BLDS_147_EN = "Civil Code 2015 Art. 147"

ENDING_SOON_DAYS = 7

PLACE_STATES = ("not_posted", "posting", "period_done", "taken_down", "taken_down_early")
ITEM_STATES = (
    "waiting_trigger",
    "to_post",
    "overdue_post",
    "posting",
    "ending_soon",
    "complete",
    "permanent",
    "violation",
)


@dataclass(frozen=True)
class PostingRule:
    """Timing rule of a disclosure type.

    ``deadline_days``/``deadline_unit``: how long after (or before) the trigger the item
    must be posted; ``period_days``/``period_unit``: how long it must stay up
    (``permanent``: it never ends).
    """

    deadline_days: int | None
    deadline_unit: str | None  # "calendar" | "working" | None
    deadline_direction: str = "after"  # "after" | "before"
    period_days: int | None = None
    period_unit: str = "calendar"  # "calendar" | "working" | "permanent"
    legal_basis: str = ""

    @property
    def permanent(self) -> bool:
        return self.period_unit == "permanent"


@dataclass(frozen=True)
class Computed:
    """A computed date (or None) with the reasoning, in Vietnamese and English."""

    value: date | None
    explain_vi: str
    explain_en: str


def _d(d: date) -> str:
    return format_date(d)


def _basis(rule: PostingRule) -> str:
    return f" ({rule.legal_basis})" if rule.legal_basis else ""


def _dm(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}"


def _skipped(cal: WorkCalendar, a: date, b: date) -> tuple[str, str]:
    """Clauses naming the days off and make-up Saturdays within [a, b]."""
    runs = cal.off_runs(a, b)
    vi_parts: list[str] = []
    en_parts: list[str] = []
    if runs:
        same_year = all(r[0].year == r[1].year for r in runs)
        fmt = _dm if same_year else _d
        spans = []
        for first, last, vi, en in runs:
            span = fmt(first) if first == last else f"{fmt(first)}–{fmt(last)}"
            spans.append((vi, en, span))
        vi_parts.append(", ".join(f"{vi} {span}" for vi, _, span in spans) + " không tính")
        en_parts.append(", ".join(f"{en} {span}" for _, en, span in spans) + " not counted")
    swaps = cal.swap_work_days(a, b)
    if swaps:
        shown = ", ".join(_dm(s) for s in swaps)
        vi_parts.append(f"thứ Bảy làm bù {shown} được tính")
        en_parts.append(f"make-up Saturday {shown} counted")
    vi = "; " + "; ".join(vi_parts) if vi_parts else ""
    en = "; " + "; ".join(en_parts) if en_parts else ""
    return vi, en


@lru_cache(maxsize=65536)
def post_deadline(rule: PostingRule, trigger: date | None, cal: WorkCalendar) -> Computed:
    """The last day on which the item may be posted.

    "after" rules: calendar days → trigger + N, moved to the next working day if that is a
    day off (BLDS Đ148(5)); working days → the N-th working day after the trigger.
    "before" rules (e.g. the voter list 40 days before election day): the latest date is
    trigger − N; if that is a day off it moves EARLIER to the previous working day (so the
    minimum notice is still respected); working days → the N-th working day before.
    """
    if rule.deadline_days is None or rule.deadline_unit is None:
        return Computed(
            None,
            "Không có thời hạn cố định" + _basis(rule),
            "No fixed deadline" + _basis(rule),
        )
    if trigger is None:
        return Computed(
            None,
            "Chưa có ngày căn cứ để tính hạn niêm yết",
            "No trigger date yet to compute the posting deadline",
        )
    n = rule.deadline_days
    basis = _basis(rule)
    before = rule.deadline_direction == "before"
    if rule.deadline_unit == "working":
        if before:
            value = cal.add_working_days(trigger, -n)
            skip_vi, skip_en = _skipped(cal, value, trigger)
            return Computed(
                value,
                f"Chậm nhất {n:02d} ngày làm việc trước {_d(trigger)}{basis}{skip_vi}"
                f" → hạn {_d(value)}",
                f"At least {n} working days before {_d(trigger)}{basis}{skip_en}"
                f" → deadline {_d(value)}",
            )
        value = cal.add_working_days(trigger, n)
        skip_vi, skip_en = _skipped(cal, trigger, value)
        return Computed(
            value,
            f"Trong {n:02d} ngày làm việc kể từ {_d(trigger)}{basis}{skip_vi} → hạn {_d(value)}",
            f"Within {n} working days from {_d(trigger)}{basis}{skip_en} → deadline {_d(value)}",
        )
    if before:
        raw = trigger - timedelta(days=n)
        value = cal.previous_working_day(raw)
        vi = f"Chậm nhất {n:02d} ngày trước {_d(trigger)}{basis}: {_d(raw)}"
        en = f"At least {n} days before {_d(trigger)}{basis}: {_d(raw)}"
        if value != raw:
            # The advice is the earlier working day; lateness is judged on the legal date.
            vi += (
                f" là ngày nghỉ ({cal.describe(raw)}); nên niêm yết sớm hơn, vào ngày làm việc"
                f" liền trước → niêm yết trước {_d(value)} (khuyến nghị); hạn luật định"
                f" {_d(raw)}, niêm yết sau ngày này mới là trễ"
            )
            en += (
                f" is a day off ({cal.describe(raw, 'en')}); better post earlier, on the"
                f" previous working day → post by {_d(value)} (advice); legal date {_d(raw)},"
                f" only a posting after it is late"
            )
            return Computed(value, vi, en)
        return Computed(value, f"{vi} → hạn {_d(value)}", f"{en} → deadline {_d(value)}")
    raw = trigger + timedelta(days=n)
    value = cal.next_working_day(raw)
    vi = f"Trong {n:02d} ngày kể từ {_d(trigger)}{basis}: ngày thứ {n} là {_d(raw)}"
    en = f"Within {n} days from {_d(trigger)}{basis}: day {n} is {_d(raw)}"
    if value != raw:
        vi += f" ({cal.describe(raw)}), chuyển sang ngày làm việc tiếp theo theo {BLDS_148_5_VI}"
        en += f" ({cal.describe(raw, 'en')}), moved to the next working day ({BLDS_148_5_EN})"
    return Computed(value, f"{vi} → hạn {_d(value)}", f"{en} → deadline {_d(value)}")


def legal_deadline(rule: PostingRule, trigger: date | None, cal: WorkCalendar) -> date | None:
    """The date lateness is judged against.

    For "after" rules and working-day rules it is ``post_deadline``. For a calendar-day
    "before" rule it is the legal date itself, trigger − N, even on a day off: a notice put
    up on Saturday 02/05 for a meeting on Monday 04/05 ("at least 2 days before") is on
    time. ``post_deadline`` moves that date earlier to the previous working day; that
    earlier date is advice ("post by"), not the law.
    """
    if rule.deadline_days is None or rule.deadline_unit is None or trigger is None:
        return None
    if rule.deadline_direction == "before" and rule.deadline_unit != "working":
        return trigger - timedelta(days=rule.deadline_days)
    return post_deadline(rule, trigger, cal).value


@lru_cache(maxsize=65536)
def posting_end(
    rule: PostingRule,
    posted_on: date | None,
    cal: WorkCalendar,
    *,
    posting_day_is_day_one: bool = False,
) -> Computed:
    """The last day of the posting period at one place.

    Default (DESIGN §4, BLDS Đ147): the posting day D is day 0, the last day is D + N,
    moved to the next working day if it is a day off. With ``posting_day_is_day_one``
    the last day is D + N − 1 (then the same move). Working-day periods end on the N-th
    working day after D; in the variant D itself counts as day 1 when it is a working day.
    Permanent rules have no end.
    """
    if rule.permanent:
        return Computed(
            None,
            "Niêm yết thường xuyên, không có ngày kết thúc" + _basis(rule),
            "Permanent posting, no end date" + _basis(rule),
        )
    if posted_on is None:
        return Computed(None, "Chưa niêm yết", "Not posted yet")
    if rule.period_days is None:
        return Computed(
            None,
            "Không quy định thời gian niêm yết" + _basis(rule),
            "No posting period is set" + _basis(rule),
        )
    n = rule.period_days
    basis = _basis(rule)
    if rule.period_unit == "working":
        counts_first = posting_day_is_day_one and cal.is_working_day(posted_on)
        value = cal.add_working_days(posted_on, n - 1 if counts_first else n)
        how_vi = "tính ngày niêm yết là ngày thứ 1" if counts_first else "ngày niêm yết không tính"
        how_en = "posting day counted as day 1" if counts_first else "posting day not counted"
        skip_vi, skip_en = _skipped(cal, posted_on, value)
        vi = (
            f"Niêm yết {n:02d} ngày làm việc từ {_d(posted_on)}{basis}, {how_vi}{skip_vi}"
            f" → kết thúc {_d(value)}"
        )
        en = (
            f"Posted {n} working days from {_d(posted_on)}{basis}, {how_en}{skip_en}"
            f" → ends {_d(value)}"
        )
    else:
        last = posted_on + timedelta(days=n - 1 if posting_day_is_day_one else n)
        value = cal.next_working_day(last)
        if posting_day_is_day_one:
            how_vi, how_en = "tính ngày niêm yết là ngày thứ 1", "posting day counted as day 1"
        else:
            how_vi = f"ngày niêm yết không tính, {BLDS_147_VI}"
            how_en = f"posting day not counted, {BLDS_147_EN}"
        vi = f"Niêm yết {n:02d} ngày liên tục từ {_d(posted_on)}{basis}, {how_vi}: ngày thứ {n} là {_d(last)}"
        en = f"Posted {n} consecutive days from {_d(posted_on)}{basis}, {how_en}: day {n} is {_d(last)}"
        if value != last:
            vi += (
                f" ({cal.describe(last)}), chuyển sang ngày làm việc tiếp theo theo {BLDS_148_5_VI}"
            )
            en += f" ({cal.describe(last, 'en')}), moved to the next working day ({BLDS_148_5_EN})"
        vi += f" → kết thúc {_d(value)}"
        en += f" → ends {_d(value)}"
    minutes = earliest_end_minutes_date(value)
    vi += f"; biên bản kết thúc niêm yết lập từ ngày {_d(minutes)}"
    en += f"; end-of-posting minutes from {_d(minutes)}"
    return Computed(value, vi, en)


def earliest_end_minutes_date(end: date) -> date:
    """First day the end-of-posting minutes may be signed: the day after the last day."""
    return end + timedelta(days=1)


@dataclass
class PlacePosting:
    """Where an item was posted (commune office, a village house) and when."""

    place: str
    posted_on: date | None
    taken_down_on: date | None = None


@dataclass
class PlaceStatus:
    """The posting state of one place on a given day.

    ``state``: "not_posted"; "posting" (today ≤ ends_on, or no end); "period_done"
    (today > ends_on, still up); "taken_down" (taken down on or after ends_on, or a
    permanent / open-ended posting taken down, e.g. replaced); "taken_down_early" (taken
    down before ends_on: a violation).
    """

    place: str
    posted_on: date | None
    ends_on: date | None
    taken_down_on: date | None
    state: str
    explain_vi: str = ""
    explain_en: str = ""


def place_statuses(
    rule: PostingRule,
    postings: list[PlacePosting],
    cal: WorkCalendar,
    today: date,
    *,
    posting_day_is_day_one: bool = False,
) -> list[PlaceStatus]:
    """State of each place's posting on ``today``; each place has its own end date."""
    out: list[PlaceStatus] = []
    for p in postings:
        end = posting_end(rule, p.posted_on, cal, posting_day_is_day_one=posting_day_is_day_one)
        ends_on = end.value
        if p.posted_on is None:
            state = "not_posted"
        elif p.taken_down_on is not None:
            # The period ends at the END of its last day (BLDS Điều 148 khoản 1, 6): a sheet
            # taken down on the last day itself did not stay up for the whole period.
            if ends_on is not None and p.taken_down_on <= ends_on:
                state = "taken_down_early"
            else:
                state = "taken_down"
        elif ends_on is None or today <= ends_on:
            state = "posting"
        else:
            state = "period_done"
        out.append(
            PlaceStatus(
                p.place,
                p.posted_on,
                ends_on,
                p.taken_down_on,
                state,
                end.explain_vi,
                end.explain_en,
            )
        )
    return out


def item_status(
    rule: PostingRule,
    trigger: date | None,
    postings: list[PlacePosting],
    cal: WorkCalendar,
    today: date,
    *,
    posting_day_is_day_one: bool = False,
    statuses: list[PlaceStatus] | None = None,
) -> str:
    """Overall state of a disclosure item across its required places.

    ``statuses``: the places' states already computed by ``place_statuses`` for the same
    arguments (saves computing them twice when listing many items).

    Precedence, first match wins:

    1. "violation": some place was taken down before its period ended;
    2. nothing posted yet: "waiting_trigger" if the rule has a deadline but no trigger
       date is known; else "overdue_post" if the deadline has passed; else "to_post";
    3. "overdue_post": some place is still not posted and the deadline has passed;
    4. "permanent": every place posted and the rule is permanent;
    5. "complete": every place ran its full period (taken down on/after its end, or its
       period is over);
    6. "ending_soon": some place still posting ends within 7 days (today included);
    7. "posting": otherwise (including places still to post before the deadline).
    """
    if statuses is None:
        statuses = place_statuses(
            rule, postings, cal, today, posting_day_is_day_one=posting_day_is_day_one
        )
    if any(s.state == "taken_down_early" for s in statuses):
        return "violation"
    deadline = legal_deadline(rule, trigger, cal)
    deadline_passed = deadline is not None and today > deadline
    has_deadline = rule.deadline_days is not None and rule.deadline_unit is not None
    posted = [s for s in statuses if s.state != "not_posted"]
    if not posted:
        if trigger is None and has_deadline:
            return "waiting_trigger"
        return "overdue_post" if deadline_passed else "to_post"
    if len(posted) < len(statuses):
        if deadline_passed:
            return "overdue_post"
    elif rule.permanent:
        return "permanent"
    elif all(s.state in ("taken_down", "period_done") for s in statuses):
        return "complete"
    for s in statuses:
        if (
            s.state == "posting"
            and s.ends_on is not None
            and 0 <= (s.ends_on - today).days <= ENDING_SOON_DAYS
        ):
            return "ending_soon"
    return "posting"


def first_posted_on(postings: Iterable[PlacePosting]) -> date | None:
    """The earliest posting date of any place (the day the item was first disclosed)."""
    dates = [p.posted_on for p in postings if p.posted_on is not None]
    return min(dates) if dates else None


def posted_late(
    rule: PostingRule,
    trigger: date | None,
    postings: list[PlacePosting],
    cal: WorkCalendar,
) -> bool:
    """True when some place was posted after the legal deadline (``legal_deadline``: for a
    "before" rule the legal date, not the earlier advised one). False when nothing is
    posted, or there is no trigger or no deadline."""
    deadline = legal_deadline(rule, trigger, cal)
    if deadline is None:
        return False
    return any(p.posted_on is not None and p.posted_on > deadline for p in postings)


PLACE_JUDGEMENTS = ("due", "late", "posting", "ended", "taken_down_early")


def place_judgement(status: PlaceStatus, deadline: date | None, today: date) -> str:
    """What one place needs, on ``today``: "due" (not posted, deadline not passed or no
    deadline), "late" (not posted and the deadline has passed), "posting" (up, period
    running or permanent), "ended" (period over, or taken down after it), or
    "taken_down_early"."""
    if status.state == "not_posted":
        return "late" if deadline is not None and today > deadline else "due"
    if status.state == "taken_down_early":
        return "taken_down_early"
    if status.state in ("period_done", "taken_down"):
        return "ended"
    return "posting"
