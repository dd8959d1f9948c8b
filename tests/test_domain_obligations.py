"""The pure rules behind the yearly plan: dated lines, plan states with their reasons,
matching items to lines by obligation period, and the calendar horizon."""

from __future__ import annotations

from datetime import date, timedelta

from papi_desktop.domain.calendar import DayOff, WorkCalendar
from papi_desktop.domain.obligations import (
    ItemView,
    ObligationSchedule,
    match_items,
    obligations,
    plan_state,
)
from papi_desktop.domain.periods import Period, periods_in_year

CAL = WorkCalendar(
    [
        DayOff(date(2026, 4, 30), "holiday"),
        DayOff(date(2026, 5, 1), "holiday"),
        DayOff(date(2027, 2, 8), "tet", provisional=True),
    ]
)
QUARTERLY = [
    {"period": "Q1", "due": "04-10", "label_vi": "Quý I"},
    {"period": "H1", "due": "07-10", "label_vi": "6 tháng"},
    {"period": "Q3", "due": "10-10", "label_vi": "9 tháng"},
]
FINAL = [{"period": "Y", "due": "04-30", "label_vi": "Quyết toán", "estimated": True}]
NEXT_YEAR = [{"period": "Y", "due": "+1:01-31", "label_vi": "Kê khai"}]


def place(name: str, posted: date | None, state: str = "posting") -> dict:
    return {"place": name, "posted_on": posted, "state": "not_posted" if posted is None else state}


def test_lines_move_off_days_off_and_say_so():
    (q1, h1, q3) = obligations("NS-THUCHIEN-QUY", QUARTERLY, 2026, CAL)
    assert (q1.period, q1.due) == (Period("quarter", 2026, 1), date(2026, 4, 10))
    assert h1.period == Period("half", 2026, 1)
    # 10/10/2026 is a Saturday → Monday 12/10/2026.
    assert q3.due == date(2026, 10, 12) and "12/10/2026" in q3.explain_vi
    (final,) = obligations("NS-QUYETTOAN", FINAL, 2026, CAL)
    # 30/04 and 01/05 holidays, 2–3/05 weekend → 04/05/2026; an estimate says so.
    assert final.due == date(2026, 5, 4) and final.estimated and "dự kiến" in final.explain_vi
    (decl,) = obligations("TAISAN-KEKHAI", NEXT_YEAR, 2026, CAL)
    assert decl.period == Period("year", 2026, 1) and decl.due == date(2027, 2, 1)
    assert decl.provisional  # 2027 has no official days off in this calendar


def test_a_task_schedule_is_the_types_lines():
    sched = ObligationSchedule.of("NS-THUCHIEN-QUY", QUARTERLY, CAL)
    assert periods_in_year(sched, 2026) == [
        (o.period, o.due) for o in obligations("NS-THUCHIEN-QUY", QUARTERLY, 2026, CAL)
    ]
    assert ObligationSchedule.of("X", [], CAL) is None
    assert "10/04" in sched.label_vi


def test_states_and_reasons():
    (line,) = obligations("NS-QUYETTOAN", FINAL, 2026, CAL)
    today = date(2026, 6, 1)
    assert plan_state(line, None, date(2026, 3, 1)).state == "expected"
    assert plan_state(line, None, today).state == "missing"
    assert plan_state(line, None, today, tracked_from=date(2026, 5, 20)).state == (
        "before_tracking"
    )

    def item(*places, permanent=False):
        return ItemView("i", "NS-QUYETTOAN", "", date(2026, 3, 25), date(2026, 4, 24),
                        list(places), permanent)  # fmt: skip

    st = plan_state(line, item(place("UBND", None), place("Thôn A", None)), today)
    assert st.state == "recorded" and st.overdue and "chưa niêm yết ở nơi nào" in st.reason_vi
    st = plan_state(line, item(place("UBND", date(2026, 4, 20)), place("Thôn A", None)), today)
    assert st.state == "recorded" and st.unposted == ["Thôn A"]
    st = plan_state(
        line, item(place("UBND", date(2026, 4, 20)), place("Thôn A", date(2026, 4, 28))), today
    )
    assert st.state == "late" and "Thôn A" in st.reason_vi and "UBND" not in st.reason_vi
    on_time = (place("UBND", date(2026, 4, 20)), place("Thôn A", date(2026, 4, 21)))
    assert plan_state(line, item(*on_time), today).state == "posting"
    ended = [dict(p, state="period_done") for p in on_time]
    assert plan_state(line, item(*ended), today).state == "done"
    assert plan_state(line, item(*on_time, permanent=True), today).state == "done"
    early = [on_time[0], dict(on_time[1], state="taken_down_early")]
    st = plan_state(line, item(*early), today)
    assert st.state == "recorded" and "Thôn A" in st.reason_vi


def test_matching_uses_the_obligation_period_not_the_trigger_year():
    lines = obligations("NS-DUTOAN-QD", [{"period": "Y", "due": "01-31"}], 2026, CAL)
    lines += obligations("NS-DUTOAN-QD", [{"period": "Y", "due": "01-31"}], 2025, CAL)
    # Decided 20/12/2025 (deadline 19/01/2026): the 2026 line, 13 days away, not 2025's.
    dec = ItemView("a", "NS-DUTOAN-QD", "", date(2025, 12, 20), date(2026, 1, 19), [])
    assert match_items(lines, [dec]) == {0: dec}
    # An item naming its period goes to that line whatever its dates.
    named = ItemView("b", "NS-DUTOAN-QD", "2025", date(2025, 12, 20), date(2026, 1, 19), [])
    assert match_items(lines, [named, dec]) == {1: named, 0: dec}
    # One item fulfils one line; another type never matches.
    other = ItemView("c", "NS-QUYETTOAN", "", date(2026, 1, 1), date(2026, 1, 31), [])
    assert match_items(lines, [other]) == {}
    far = ItemView("d", "NS-DUTOAN-QD", "", date(2026, 8, 1), date(2026, 8, 31), [])
    assert match_items(lines, [far]) == {}


def test_the_posted_item_fulfils_the_line_over_an_unposted_one_nearby():
    # Four poverty-review records of one year: the one posted at its places fulfils the
    # line, though an unposted draft's deadline lies a few days closer to the line's.
    lines = obligations("HO-NGHEO-RASOAT", [{"period": "Y", "due": "11-30"}], 2026, CAL)
    due = lines[0].due
    posted = [place("UBND", date(2026, 11, 16)), place("Thôn A", date(2026, 11, 17))]
    good = ItemView("good", "HO-NGHEO-RASOAT", "", due - timedelta(days=20),
                    due - timedelta(days=10), posted)  # fmt: skip
    draft = ItemView("draft", "HO-NGHEO-RASOAT", "", due - timedelta(days=5), due,
                     [place("UBND", None), place("Thôn A", None)])  # fmt: skip
    assert match_items(lines, [draft, good]) == {0: good}
    # Far apart (another band), closeness still decides: last year's posted record does not
    # take this year's line.
    old = ItemView("old", "HO-NGHEO-RASOAT", "", due - timedelta(days=140),
                   due - timedelta(days=130), posted)  # fmt: skip
    assert match_items(lines, [old, draft]) == {0: draft}


def test_the_calendar_horizon():
    assert CAL.last_year() == 2026
    assert not CAL.is_provisional(date(2026, 4, 1), date(2026, 5, 10))
    assert CAL.is_provisional(date(2026, 12, 20), date(2027, 1, 5))  # past 2026
    official_2027 = WorkCalendar(
        [DayOff(date(2027, 1, 1), "holiday"), DayOff(date(2027, 2, 8), "tet", provisional=True)]
    )
    assert official_2027.last_year() == 2027
    assert official_2027.is_provisional(date(2027, 2, 1), date(2027, 2, 10))  # Tết 2027
    assert not official_2027.is_provisional(date(2027, 3, 1), date(2027, 3, 10))
    assert "2027" in official_2027.horizon_note() and WorkCalendar().last_year() is None
