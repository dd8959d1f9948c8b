"""Disclosure deadlines and posting periods, worked by hand on the real 2025–2027 calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_domain_calendar import real_calendar

from papi_desktop.domain.calendar import WorkCalendar
from papi_desktop.domain.deadlines import (
    PlacePosting,
    PostingRule,
    earliest_end_minutes_date,
    item_status,
    place_statuses,
    post_deadline,
    posted_late,
    posting_end,
)

D = date
CAL = real_calendar()

# Luật 10/2022: post within 5 working days, keep posted 30 consecutive days.
LAW10 = PostingRule(5, "working", period_days=30, legal_basis="Luật 10/2022 Điều 12 khoản 3")
# Poverty review: post the village list within 3 WD of the meeting, for 3 working days.
POVERTY = PostingRule(3, "working", period_days=3, period_unit="working", legal_basis="TT 07/2021")
BUDGET_Q = PostingRule(10, "calendar", period_days=30, legal_basis="NĐ 73/2026 Điều 37 khoản 3")
VOTERS = PostingRule(40, "calendar", "before", legal_basis="Luật Bầu cử 2015 Điều 32")
PERMANENT = PostingRule(None, None, period_unit="permanent", legal_basis="Luật 10/2022 Điều 11")


# --- deadline to post -------------------------------------------------------------------


def test_working_day_deadline_over_tet_2025():
    c = post_deadline(LAW10, D(2025, 1, 27), CAL)
    assert c.value == D(2025, 2, 7)
    assert c.explain_vi == (
        "Trong 05 ngày làm việc kể từ 27/01/2025 (Luật 10/2022 Điều 12 khoản 3); "
        "nghỉ Tết 27/01–31/01 không tính → hạn 07/02/2025"
    )
    assert "07/02/2025" in c.explain_en and "not counted" in c.explain_en


def test_working_day_deadline_over_new_year_swap():
    c = post_deadline(LAW10, D(2025, 12, 29), CAL)
    assert c.value == D(2026, 1, 7)
    assert "01/01" in c.explain_vi and "02/01" in c.explain_vi


def test_working_day_deadline_counts_working_saturday():
    c = post_deadline(POVERTY, D(2026, 1, 8), CAL)
    assert c.value == D(2026, 1, 12)
    assert "thứ Bảy làm bù 10/01 được tính" in c.explain_vi


def test_poverty_deadline_over_gio_to_and_30_4():
    c = post_deadline(POVERTY, D(2026, 4, 24), CAL)
    assert c.value == D(2026, 5, 4)
    assert "27/04" in c.explain_vi and "30/04" in c.explain_vi and "01/05" in c.explain_vi


@pytest.mark.parametrize(
    ("quarter_end", "expected"),
    [
        (D(2026, 3, 31), D(2026, 4, 10)),  # Friday
        (D(2026, 6, 30), D(2026, 7, 10)),  # Friday
        (D(2026, 9, 30), D(2026, 10, 12)),  # 10/10 is a Saturday → Monday 12/10
    ],
)
def test_calendar_deadline_budget_quarter(quarter_end, expected):
    assert post_deadline(BUDGET_Q, quarter_end, CAL).value == expected


def test_calendar_deadline_pushed_past_tet():
    rule = PostingRule(30, "calendar", legal_basis="NĐ 73/2026 Điều 37 khoản 2")
    c = post_deadline(rule, D(2026, 1, 17), CAL)  # +30 = 16/02/2026, Giao thừa
    assert c.value == D(2026, 2, 23)
    assert "16/02/2026" in c.explain_vi
    assert "BLDS 2015 Điều 148 khoản 5" in c.explain_vi
    assert "NĐ 73/2026 Điều 37 khoản 2" in c.explain_vi
    assert "Art. 148(5)" in c.explain_en


def test_before_deadline_voter_list():
    c = post_deadline(VOTERS, D(2026, 3, 15), CAL)  # election Sunday 15/03/2026
    assert c.value == D(2026, 2, 3)
    assert "40 ngày trước 15/03/2026" in c.explain_vi
    assert "Luật Bầu cử 2015 Điều 32" in c.explain_vi


def test_before_deadline_on_day_off_moves_earlier():
    c = post_deadline(VOTERS, D(2026, 3, 29), CAL)  # −40 days = 17/02/2026, Mùng 1 Tết
    assert c.value == D(2026, 2, 13)
    assert "sớm hơn" in c.explain_vi and "Mùng 1" in c.explain_vi
    assert "earlier" in c.explain_en


def test_before_deadline_working_days():
    rule = PostingRule(5, "working", "before", legal_basis="Luật Tiếp công dân")
    # 5 WD before Mon 12/01/2026: Sat 10/1, Fri 9, Thu 8, Wed 7, Tue 6
    assert post_deadline(rule, D(2026, 1, 12), CAL).value == D(2026, 1, 6)


def test_deadline_without_trigger_or_rule():
    c = post_deadline(LAW10, None, CAL)
    assert c.value is None and c.explain_vi.startswith("Chưa có ngày căn cứ")
    c = post_deadline(PERMANENT, D(2026, 1, 5), CAL)
    assert c.value is None and c.explain_vi.startswith("Không có thời hạn cố định")


# --- end of posting -----------------------------------------------------------------------


def test_posting_over_tet_ends_after_weekend():
    c = posting_end(LAW10, D(2026, 2, 12), CAL)
    # 12/02 + 30 = 14/03/2026, a Saturday → Monday 16/03/2026
    assert c.value == D(2026, 3, 16)
    assert "14/03/2026 (Thứ Bảy)" in c.explain_vi
    assert "BLDS 2015 Điều 147" in c.explain_vi
    assert "Điều 148 khoản 5" in c.explain_vi
    assert "17/03/2026" in c.explain_vi  # earliest end-of-posting minutes


def test_posting_day_is_day_one_variant():
    c = posting_end(LAW10, D(2026, 2, 12), CAL, posting_day_is_day_one=True)
    assert c.value == D(2026, 3, 13)  # Friday, no push
    assert "ngày thứ 1" in c.explain_vi
    assert posting_end(LAW10, D(2026, 3, 3), CAL).value == D(2026, 4, 2)
    assert posting_end(LAW10, D(2026, 3, 3), CAL, posting_day_is_day_one=True).value == D(
        2026, 4, 1
    )


def test_working_day_posting_period():
    # Tue 28/04/2026: 29/4 (1), 30/4–3/5 off, 4/5 (2), 5/5 (3)
    assert posting_end(POVERTY, D(2026, 4, 28), CAL).value == D(2026, 5, 5)
    # variant: 28/4 is day 1
    assert posting_end(POVERTY, D(2026, 4, 28), CAL, posting_day_is_day_one=True).value == D(
        2026, 5, 4
    )
    # posted on a Saturday: it cannot count as day 1 even in the variant
    sat = D(2026, 4, 25)
    assert posting_end(POVERTY, sat, CAL, posting_day_is_day_one=True).value == D(2026, 5, 4)
    assert posting_end(POVERTY, sat, CAL).value == D(2026, 5, 4)


def test_posting_end_permanent_and_not_posted():
    c = posting_end(PERMANENT, D(2026, 1, 5), CAL)
    assert c.value is None
    assert c.explain_vi.startswith("Niêm yết thường xuyên, không có ngày kết thúc")
    c = posting_end(LAW10, None, CAL)
    assert c.value is None and c.explain_vi == "Chưa niêm yết"
    c = posting_end(PostingRule(5, "working"), D(2026, 1, 5), CAL)
    assert c.value is None


def test_earliest_end_minutes_date():
    assert earliest_end_minutes_date(D(2026, 3, 16)) == D(2026, 3, 17)
    assert earliest_end_minutes_date(D(2026, 12, 31)) == D(2027, 1, 1)


# --- several places -----------------------------------------------------------------------

TRIGGER = D(2026, 3, 2)  # Monday; deadline 5 WD → 09/03/2026


def _postings(hq_down=None, a_down=None, b_posted=D(2026, 3, 9), b_down=None):
    return [
        PlacePosting("Trụ sở UBND xã", D(2026, 3, 3), hq_down),  # ends 02/04 (Thu)
        PlacePosting("Nhà văn hóa thôn Phú Hữu", D(2026, 3, 5), a_down),  # 04/04 Sat → 06/04
        PlacePosting("Nhà văn hóa thôn Tân Phú", b_posted, b_down),  # ends 08/04 (Wed)
    ]


def test_each_place_has_its_own_end():
    statuses = place_statuses(LAW10, _postings(), CAL, D(2026, 3, 20))
    assert [s.ends_on for s in statuses] == [D(2026, 4, 2), D(2026, 4, 6), D(2026, 4, 8)]
    assert [s.state for s in statuses] == ["posting"] * 3
    assert "04/04/2026 (Thứ Bảy)" in statuses[1].explain_vi


def test_item_posting_then_ending_soon_then_complete():
    assert item_status(LAW10, TRIGGER, _postings(), CAL, D(2026, 3, 20)) == "posting"
    assert item_status(LAW10, TRIGGER, _postings(), CAL, D(2026, 3, 26)) == "ending_soon"
    # HQ period over, the villages still running
    today = D(2026, 4, 3)
    states = [s.state for s in place_statuses(LAW10, _postings(), CAL, today)]
    assert states == ["period_done", "posting", "posting"]
    assert item_status(LAW10, TRIGGER, _postings(), CAL, today) == "ending_soon"
    assert item_status(LAW10, TRIGGER, _postings(), CAL, D(2026, 4, 9)) == "complete"


def test_item_complete_only_when_every_place_ran_its_period():
    postings = _postings(
        hq_down=D(2026, 4, 3), a_down=D(2026, 4, 7)
    )  # A down the day after its end
    today = D(2026, 4, 7)
    states = [s.state for s in place_statuses(LAW10, postings, CAL, today)]
    assert states == ["taken_down", "taken_down", "posting"]
    assert item_status(LAW10, TRIGGER, postings, CAL, today) == "ending_soon"
    assert item_status(LAW10, TRIGGER, postings, CAL, D(2026, 4, 9)) == "complete"
    postings[2].taken_down_on = D(2026, 4, 9)
    assert item_status(LAW10, TRIGGER, postings, CAL, D(2026, 4, 9)) == "complete"


def test_early_take_down_is_a_violation():
    postings = _postings(a_down=D(2026, 4, 5))  # Sunday, before its end 06/04
    states = [s.state for s in place_statuses(LAW10, postings, CAL, D(2026, 4, 20))]
    assert states == ["period_done", "taken_down_early", "period_done"]
    assert item_status(LAW10, TRIGGER, postings, CAL, D(2026, 4, 20)) == "violation"


def test_not_posted_states():
    nothing = [PlacePosting("Trụ sở UBND xã", None), PlacePosting("Thôn A", None)]
    assert item_status(LAW10, None, nothing, CAL, D(2026, 3, 5)) == "waiting_trigger"
    assert item_status(LAW10, TRIGGER, nothing, CAL, D(2026, 3, 9)) == "to_post"
    assert item_status(LAW10, TRIGGER, nothing, CAL, D(2026, 3, 10)) == "overdue_post"
    assert item_status(LAW10, TRIGGER, [], CAL, D(2026, 3, 5)) == "to_post"
    statuses = place_statuses(LAW10, nothing, CAL, D(2026, 3, 5))
    assert [s.state for s in statuses] == ["not_posted", "not_posted"]
    assert statuses[0].ends_on is None


def test_one_village_missing_after_deadline_is_overdue():
    postings = _postings(b_posted=None)
    assert item_status(LAW10, TRIGGER, postings, CAL, D(2026, 3, 6)) == "posting"
    assert item_status(LAW10, TRIGGER, postings, CAL, D(2026, 3, 10)) == "overdue_post"
    # never complete while a place is missing, even after the others ended
    assert item_status(LAW10, TRIGGER, postings, CAL, D(2026, 5, 1)) == "overdue_post"


def test_permanent_item():
    postings = [
        PlacePosting("Trụ sở UBND xã", D(2026, 1, 5)),
        PlacePosting("Thôn A", D(2026, 1, 6)),
    ]
    statuses = place_statuses(PERMANENT, postings, CAL, D(2030, 1, 1))
    assert [(s.state, s.ends_on) for s in statuses] == [("posting", None), ("posting", None)]
    assert item_status(PERMANENT, None, postings, CAL, D(2030, 1, 1)) == "permanent"
    assert (
        item_status(
            PERMANENT, None, [*postings[:1], PlacePosting("Thôn A", None)], CAL, D(2026, 2, 1)
        )
        == "posting"
    )
    assert (
        item_status(PERMANENT, None, [PlacePosting("Thôn A", None)], CAL, D(2026, 2, 1))
        == "to_post"
    )


def test_posted_late():
    assert not posted_late(LAW10, TRIGGER, _postings(), CAL)
    late = [PlacePosting("Trụ sở UBND xã", D(2026, 3, 10)), PlacePosting("Thôn A", D(2026, 3, 11))]
    assert posted_late(LAW10, TRIGGER, late, CAL)
    assert not posted_late(LAW10, None, late, CAL)
    assert not posted_late(LAW10, TRIGGER, [PlacePosting("Thôn A", None)], CAL)
    assert not posted_late(PERMANENT, TRIGGER, late, CAL)
    assert posted_late(VOTERS, D(2026, 3, 15), [PlacePosting("UBND", D(2026, 2, 4))], CAL)
    assert not posted_late(VOTERS, D(2026, 3, 15), [PlacePosting("UBND", D(2026, 2, 3))], CAL)


# --- properties ---------------------------------------------------------------------------

days_2025_2027 = st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 9, 30))


@given(days_2025_2027, st.integers(min_value=1, max_value=90), st.booleans())
def test_calendar_posting_end_properties(posted, n, day_one):
    rule = PostingRule(None, None, period_days=n)
    end = posting_end(rule, posted, CAL, posting_day_is_day_one=day_one).value
    last = posted + timedelta(days=n - 1 if day_one else n)
    assert end >= last
    assert CAL.is_working_day(end)
    # no working day was skipped: every day in [last, end) is a day off
    d = last
    while d < end:
        assert not CAL.is_working_day(d)
        d += timedelta(days=1)


@given(days_2025_2027, st.integers(min_value=1, max_value=30))
def test_variant_never_ends_later(posted, n):
    for unit in ("calendar", "working"):
        rule = PostingRule(None, None, period_days=n, period_unit=unit)
        default = posting_end(rule, posted, CAL).value
        variant = posting_end(rule, posted, CAL, posting_day_is_day_one=True).value
        assert variant <= default


@given(days_2025_2027, st.integers(min_value=1, max_value=30))
def test_working_deadline_matches_count(trigger, n):
    value = post_deadline(PostingRule(n, "working"), trigger, CAL).value
    assert CAL.working_days_between(trigger, value) == n
    before = post_deadline(PostingRule(n, "working", "before"), trigger, CAL).value
    assert CAL.working_days_between(before, trigger) >= n - (
        0 if CAL.is_working_day(trigger) else 1
    )


@given(days_2025_2027, st.integers(min_value=1, max_value=60))
def test_before_calendar_deadline_keeps_minimum_notice(trigger, n):
    value = post_deadline(PostingRule(n, "calendar", "before"), trigger, CAL).value
    assert (trigger - value).days >= n
    assert CAL.is_working_day(value)


def test_empty_calendar_weekend_only():
    cal = WorkCalendar()
    # 30 days from Sat 3/1/2026 → Mon 2/2/2026 (no holidays known)
    assert posting_end(LAW10, D(2026, 1, 3), cal).value == D(2026, 2, 2)


def test_taking_down_on_the_last_day_is_early():
    # The period ends at the end of its last day (BLDS Điều 148 khoản 1 and 6).
    postings = _postings(a_down=D(2026, 4, 6))  # 06/04 is A's last day
    states = [s.state for s in place_statuses(LAW10, postings, CAL, D(2026, 4, 20))]
    assert states[1] == "taken_down_early"
