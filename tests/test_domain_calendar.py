"""Working calendar 2025–2027 (hand-built from shared/domain/holidays.md) and day counting.

``real_calendar()`` is also used by the deadline tests.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from papi_desktop.domain.calendar import HOLIDAY_KINDS, DayOff, WorkCalendar
from papi_desktop.errors import UserError

D = date

# (date, kind, name_vi) exactly as listed in holidays.md §3–§5 (weekend rows left out).
_ROWS = [
    # 2025 (TB 6150/TB-BLĐTBXH)
    (D(2025, 1, 1), "holiday", "Tết Dương lịch"),
    (D(2025, 1, 27), "tet", "Tết Nguyên đán (28 tháng Chạp)"),
    (D(2025, 1, 28), "tet", "Tết Nguyên đán (29 tháng Chạp, Giao thừa)"),
    (D(2025, 1, 29), "tet", "Tết Nguyên đán (Mùng 1)"),
    (D(2025, 1, 30), "tet", "Tết Nguyên đán (Mùng 2)"),
    (D(2025, 1, 31), "tet", "Tết Nguyên đán (Mùng 3)"),
    (D(2025, 4, 7), "holiday", "Giỗ Tổ Hùng Vương"),
    (D(2025, 4, 26), "swap-work", "Làm bù cho ngày 02/5"),
    (D(2025, 4, 30), "holiday", "Ngày Chiến thắng"),
    (D(2025, 5, 1), "holiday", "Ngày Quốc tế Lao động"),
    (D(2025, 5, 2), "swap-off", "Nghỉ hoán đổi"),
    (D(2025, 9, 1), "holiday", "Quốc khánh"),
    (D(2025, 9, 2), "holiday", "Quốc khánh"),
    # 2026 (TB 9441/TB-BNV, CV 12729/VPCP-KGVX, NQ 28/2026/QH16)
    (D(2026, 1, 1), "holiday", "Tết Dương lịch"),
    (D(2026, 1, 2), "swap-off", "Nghỉ hoán đổi"),
    (D(2026, 1, 10), "swap-work", "Làm bù cho ngày 02/01"),
    (D(2026, 2, 16), "tet", "Tết Nguyên đán (29 tháng Chạp, Giao thừa)"),
    (D(2026, 2, 17), "tet", "Tết Nguyên đán (Mùng 1)"),
    (D(2026, 2, 18), "tet", "Tết Nguyên đán (Mùng 2)"),
    (D(2026, 2, 19), "tet", "Tết Nguyên đán (Mùng 3)"),
    (D(2026, 2, 20), "tet", "Tết Nguyên đán (Mùng 4)"),
    (D(2026, 4, 26), "holiday", "Giỗ Tổ Hùng Vương"),
    (D(2026, 4, 27), "compensatory", "Nghỉ bù Giỗ Tổ Hùng Vương"),
    (D(2026, 4, 30), "holiday", "Ngày Chiến thắng"),
    (D(2026, 5, 1), "holiday", "Ngày Quốc tế Lao động"),
    (D(2026, 8, 22), "swap-work", "Làm bù cho ngày 31/8"),
    (D(2026, 8, 31), "swap-off", "Nghỉ hoán đổi"),
    (D(2026, 9, 1), "holiday", "Quốc khánh"),
    (D(2026, 9, 2), "holiday", "Quốc khánh"),
    (D(2026, 11, 24), "holiday", "Ngày Văn hóa Việt Nam"),
    # 2027 provisional (7-day Tết option)
    (D(2027, 1, 1), "holiday", "Tết Dương lịch"),
    (D(2027, 2, 5), "tet", "Tết Nguyên đán (29 tháng Chạp, Giao thừa)"),
    (D(2027, 2, 6), "tet", "Tết Nguyên đán (Mùng 1)"),
    (D(2027, 2, 7), "tet", "Tết Nguyên đán (Mùng 2)"),
    (D(2027, 2, 8), "tet", "Tết Nguyên đán (Mùng 3)"),
    (D(2027, 2, 9), "tet", "Tết Nguyên đán (Mùng 4)"),
    (D(2027, 2, 10), "compensatory", "Nghỉ bù Tết"),
    (D(2027, 2, 11), "compensatory", "Nghỉ bù Tết"),
    (D(2027, 4, 16), "holiday", "Giỗ Tổ Hùng Vương"),
    (D(2027, 4, 30), "holiday", "Ngày Chiến thắng"),
    (D(2027, 5, 1), "holiday", "Ngày Quốc tế Lao động"),
    (D(2027, 5, 3), "compensatory", "Nghỉ bù Ngày Quốc tế Lao động"),
    (D(2027, 9, 2), "holiday", "Quốc khánh"),
    (D(2027, 9, 3), "holiday", "Quốc khánh"),
    (D(2027, 11, 24), "holiday", "Ngày Văn hóa Việt Nam"),
]


def real_calendar() -> WorkCalendar:
    """The 2025–2027 civil-service calendar from holidays.md."""
    return WorkCalendar(
        DayOff(d, kind, name_vi=name, provisional=d.year == 2027) for d, kind, name in _ROWS
    )


CAL = real_calendar()
# Dates inside the years the calendar covers, for property tests.
covered_dates = st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 10, 31))


def test_weekdays_off_per_year_match_holidays_md():
    def weekdays_off(year):
        d, n = D(year, 1, 1), 0
        while d.year == year:
            n += d.weekday() < 5 and not CAL.is_working_day(d)
            d += timedelta(days=1)
        return n

    # holidays.md: 12 weekdays off in 2025. For 2026 it says "15", but its own list
    # (1/1, 2/1, 16–20/2, 27/4, 30/4, 1/5, 31/8, 1/9, 2/9, 24/11) has 14 dates.
    assert weekdays_off(2025) == 12
    assert weekdays_off(2026) == 14


def test_is_working_day():
    assert CAL.is_working_day(D(2026, 1, 5))  # Monday
    assert not CAL.is_working_day(D(2026, 1, 3))  # Saturday
    assert not CAL.is_working_day(D(2026, 1, 4))  # Sunday
    assert not CAL.is_working_day(D(2026, 1, 1))  # holiday
    assert not CAL.is_working_day(D(2026, 1, 2))  # swap-off
    assert CAL.is_working_day(D(2026, 1, 10))  # swap-work Saturday
    assert not CAL.is_working_day(D(2026, 2, 17))  # Tết
    assert not CAL.is_working_day(D(2026, 4, 27))  # compensatory
    assert CAL.is_working_day(D(2025, 4, 26))  # swap-work Saturday 2025


def test_empty_calendar_is_plain_weekdays():
    cal = WorkCalendar()
    assert cal.is_working_day(D(2026, 1, 1))
    assert cal.add_working_days(D(2026, 1, 2), 1) == D(2026, 1, 5)
    assert cal.years_covered() == set()


def test_next_and_previous_working_day():
    assert CAL.next_working_day(D(2026, 1, 5)) == D(2026, 1, 5)
    assert CAL.next_working_day(D(2026, 1, 1)) == D(2026, 1, 5)
    assert CAL.next_working_day(D(2026, 2, 14)) == D(2026, 2, 23)  # Tết break
    assert CAL.previous_working_day(D(2026, 2, 22)) == D(2026, 2, 13)
    assert CAL.previous_working_day(D(2026, 1, 4)) == D(2025, 12, 31)


def test_add_working_days_zero_and_friday():
    assert CAL.add_working_days(D(2026, 3, 6), 0) == D(2026, 3, 6)
    assert CAL.add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)  # Fri → Mon


def test_five_working_days_over_new_year_swap():
    # 30, 31/12 count; 1/1 holiday, 2/1 swap-off, 3–4/1 weekend; then 5, 6, 7/1.
    assert CAL.add_working_days(D(2025, 12, 29), 5) == D(2026, 1, 7)


def test_working_saturday_counts():
    # Thu 8/1 → Fri 9/1 (1), Sat 10/1 worked (2), Mon 12/1 (3)
    assert CAL.add_working_days(D(2026, 1, 8), 3) == D(2026, 1, 12)
    assert WorkCalendar().add_working_days(D(2026, 1, 8), 3) == D(2026, 1, 13)
    assert CAL.working_days_between(D(2026, 1, 9), D(2026, 1, 11)) == 1


def test_three_working_days_over_gio_to_and_30_4():
    # Fri 24/4/2026: 25–26 weekend (26 Giỗ Tổ), 27 nghỉ bù, 28 (1), 29 (2), 30/4–3/5 off, 4/5 (3)
    assert CAL.add_working_days(D(2026, 4, 24), 3) == D(2026, 5, 4)
    assert CAL.add_working_days(D(2026, 4, 25), 1) == D(2026, 4, 28)


def test_negative_add_counts_back():
    assert CAL.add_working_days(D(2026, 2, 23), -1) == D(2026, 2, 13)
    assert CAL.add_working_days(D(2026, 1, 12), -2) == D(2026, 1, 9)  # via Sat 10/1


def test_working_days_between():
    assert CAL.working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1
    assert CAL.working_days_between(D(2026, 3, 2), D(2026, 3, 2)) == 0
    assert CAL.working_days_between(D(2026, 3, 2), D(2026, 3, 9)) == 5
    assert CAL.working_days_between(D(2026, 3, 9), D(2026, 3, 2)) == -5


def test_day_off_years_and_kinds():
    row = CAL.day_off(D(2026, 2, 17))
    assert row is not None and row.kind == "tet"
    assert CAL.day_off(D(2026, 3, 3)) is None
    assert CAL.years_covered() == {2025, 2026, 2027}
    assert {r.kind for r in CAL.days()} == set(HOLIDAY_KINDS)
    with pytest.raises(UserError):
        DayOff(D(2026, 1, 3), "weekend")


def test_describe():
    assert CAL.describe(D(2026, 3, 1)) == "Chủ nhật"
    assert CAL.describe(D(2026, 2, 28)) == "Thứ Bảy"
    assert CAL.describe(D(2026, 3, 1), "en") == "Sunday"
    assert CAL.describe(D(2026, 2, 17)) == "Tết Nguyên đán (Mùng 1)"
    assert CAL.describe(D(2026, 3, 3)) == ""
    assert CAL.describe(D(2026, 1, 10)).startswith("Làm bù")
    assert WorkCalendar([DayOff(D(2026, 4, 27), "compensatory")]).describe(D(2026, 4, 27)) == (
        "Nghỉ bù"
    )


def test_off_runs_groups_tet():
    runs = CAL.off_runs(D(2026, 2, 10), D(2026, 2, 25))
    assert runs == [(D(2026, 2, 16), D(2026, 2, 20), "nghỉ Tết", "Tết holiday")]
    runs_2027 = CAL.off_runs(D(2027, 2, 1), D(2027, 2, 15))
    assert [(a, b) for a, b, _, _ in runs_2027] == [
        (D(2027, 2, 5), D(2027, 2, 9)),
        (D(2027, 2, 10), D(2027, 2, 11)),
    ]


def test_all_days_off_raises_user_error():
    d0 = D(2026, 1, 1)
    everything = WorkCalendar(DayOff(d0 + timedelta(days=i), "holiday") for i in range(4000))
    with pytest.raises(UserError):
        everything.next_working_day(d0)
    with pytest.raises(UserError):
        everything.add_working_days(d0, 1)


@given(covered_dates, st.integers(min_value=1, max_value=60))
def test_add_working_days_lands_on_working_day(d, n):
    end = CAL.add_working_days(d, n)
    assert CAL.is_working_day(end)
    assert end > d
    assert CAL.working_days_between(d, end) == n
    # the day before the n-th working day has only n - 1
    assert CAL.working_days_between(d, end - timedelta(days=1)) == n - 1


@given(covered_dates, st.integers(min_value=1, max_value=60))
def test_counting_back_inverts_counting_forward(d, n):
    start = CAL.next_working_day(d)
    assert CAL.add_working_days(CAL.add_working_days(start, n), -n) == start


@given(covered_dates)
def test_next_working_day_is_first(d):
    nxt = CAL.next_working_day(d)
    assert CAL.is_working_day(nxt)
    assert CAL.working_days_between(d - timedelta(days=1), nxt - timedelta(days=1)) == 0


def _shipped_rows():
    text = resources.files("papi_desktop.catalog").joinpath("data/holidays.json").read_text("utf-8")
    return json.loads(text)["days"]


def test_shipped_holidays_json_agrees_with_holidays_md():
    rows = _shipped_rows()
    shipped = WorkCalendar(
        DayOff(
            date.fromisoformat(r["date"]),
            r["kind"],
            name_vi=r.get("name_vi", ""),
            provisional=bool(r.get("provisional")),
        )
        for r in rows
    )
    assert {(r.date, r.kind) for r in shipped.days()} == {(d, k) for d, k, _ in _ROWS}
    d = D(2025, 1, 1)
    while d <= D(2027, 12, 31):
        assert shipped.is_working_day(d) == CAL.is_working_day(d), d
        d += timedelta(days=1)
    assert all(r.provisional == (r.date.year == 2027) for r in shipped.days())
