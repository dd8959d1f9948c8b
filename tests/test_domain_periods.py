"""Reporting periods, due rules, due dates per year and overdue tests."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from papi_desktop.domain.periods import (
    RESULT_LABELS,
    STATUS_LABELS,
    TASK_RESULTS,
    TASK_STATUSES,
    DueRule,
    Period,
    is_overdue,
    period_for,
    periods_in_year,
)
from papi_desktop.errors import UserError

D = date


@pytest.mark.parametrize(
    ("text", "kind", "index", "start", "end", "vi", "en"),
    [
        ("2026", "year", 1, D(2026, 1, 1), D(2026, 12, 31), "Năm 2026", "Year 2026"),
        ("2026H1", "half", 1, D(2026, 1, 1), D(2026, 6, 30), "6 tháng đầu năm 2026", "First half of 2026"),
        ("2026H2", "half", 2, D(2026, 7, 1), D(2026, 12, 31), "6 tháng cuối năm 2026", "Second half of 2026"),
        ("2026Q3", "quarter", 3, D(2026, 7, 1), D(2026, 9, 30), "Quý 3/2026", "Q3 2026"),
        ("2026-03", "month", 3, D(2026, 3, 1), D(2026, 3, 31), "Tháng 03/2026", "March 2026"),
        ("2028-02", "month", 2, D(2028, 2, 1), D(2028, 2, 29), "Tháng 02/2028", "February 2028"),
    ],
)  # fmt: skip
def test_period_parse(text, kind, index, start, end, vi, en):
    p = Period.parse(text)
    assert (p.kind, p.year, p.index) == (kind, int(text[:4]), index)
    assert str(p) == text
    assert (p.start, p.end) == (start, end)
    assert (p.label_vi, p.label_en) == (vi, en)
    assert p.contains(start) and p.contains(end)
    assert not p.contains(date.fromordinal(start.toordinal() - 1))
    assert not p.contains(date.fromordinal(end.toordinal() + 1))


def test_period_parse_lenient_forms():
    assert Period.parse(" 2026q3 ") == Period("quarter", 2026, 3)
    assert str(Period.parse("2026-3")) == "2026-03"


@pytest.mark.parametrize(
    ("text", "fragment_vi"),
    [
        ("2026Q5", "quý 5 không tồn tại"),
        ("2026Q0", "quý 0 không tồn tại"),
        ("2026H3", "nửa năm 3 không tồn tại"),
        ("2026-13", "tháng 13 không tồn tại"),
        ("2026-00", "tháng 0 không tồn tại"),
        ("1850", "ngoài khoảng"),
        ("26Q1", "không đúng dạng"),
        ("2026Q", "không đúng dạng"),
        ("2026/03", "không đúng dạng"),
        ("Q3 2026", "không đúng dạng"),
        ("", "chưa nhập"),
    ],
)
def test_period_parse_errors(text, fragment_vi):
    with pytest.raises(UserError) as e:
        Period.parse(text)
    assert fragment_vi in e.value.message_vi
    assert "2026Q3" in e.value.message_vi and "2026Q3" in e.value.message_en


def test_period_constructor_validates():
    with pytest.raises(UserError):
        Period("week", 2026, 1)
    with pytest.raises(UserError):
        Period("month", 2026, 13)


def test_period_ordering_within_kind():
    qs = [Period.parse(t) for t in ["2026Q2", "2025Q4", "2026Q1"]]
    assert [str(p) for p in sorted(qs)] == ["2025Q4", "2026Q1", "2026Q2"]


period_texts = st.one_of(
    st.integers(1900, 2100).map(str),
    st.tuples(st.integers(1900, 2100), st.integers(1, 2)).map(lambda t: f"{t[0]}H{t[1]}"),
    st.tuples(st.integers(1900, 2100), st.integers(1, 4)).map(lambda t: f"{t[0]}Q{t[1]}"),
    st.tuples(st.integers(1900, 2100), st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
)


@given(period_texts)
def test_period_round_trip(text):
    p = Period.parse(text)
    assert str(p) == text
    assert Period.parse(str(p)) == p
    assert p.start <= p.end
    assert Period.of(p.kind, p.start) == p and Period.of(p.kind, p.end) == p


# --- due rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "month_day", "fixed", "offset", "vi"),
    [
        ("monthly", "monthly", None, None, 0, "Hằng tháng, hạn cuối tháng"),
        ("quarterly+10d", "quarterly", None, None, 10, "Hằng quý, hạn 10 ngày sau khi hết quý"),
        ("half-yearly", "half-yearly", None, None, 0, "6 tháng một lần, hạn cuối kỳ 6 tháng"),
        ("yearly", "yearly", None, None, 0, "Hằng năm, hạn cuối năm"),
        ("yearly:06-30", "yearly", (6, 30), None, 0, "Trước 30/06 hằng năm"),
        ("standing", "standing", None, None, 0, "Thường xuyên"),
        ("date:2026-03-15", "date", None, D(2026, 3, 15), 0, "Trước 15/03/2026"),
        ("yearly+15d", "yearly", None, None, 15, "Hằng năm, hạn 15 ngày sau khi hết năm"),
    ],
)
def test_due_rule_parse(text, kind, month_day, fixed, offset, vi):
    r = DueRule.parse(text)
    assert (r.kind, r.month_day, r.fixed, r.offset_days) == (kind, month_day, fixed, offset)
    assert str(r) == text
    assert DueRule.parse(str(r)) == r
    assert r.label_vi == vi
    assert r.label_en


def test_due_rule_case_and_zero_offset():
    assert DueRule.parse(" Quarterly+10D ") == DueRule("quarterly", None, None, 10)
    assert str(DueRule.parse("monthly+0d")) == "monthly"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "weekly",
        "quarterly+10",
        "quarterly+d",
        "quarterly-10d",
        "quarterly:03-31",
        "yearly:13-01",
        "yearly:02-30",
        "yearly:6-30",
        "date:",
        "date",
        "date:2026-02-30",
        "date:15/03/2026",
        "date:1800-01-01",
        "monthly+400d",
        "monthly +10d",
    ],
)
def test_due_rule_errors(text):
    with pytest.raises(UserError) as e:
        DueRule.parse(text)
    assert "yearly:MM-DD" in e.value.message_vi and "yearly:MM-DD" in e.value.message_en


def test_periods_in_year_counts_and_due_dates():
    monthly = periods_in_year(DueRule.parse("monthly"), 2028)
    assert len(monthly) == 12
    assert monthly[1] == (Period("month", 2028, 2), D(2028, 2, 29))
    assert monthly[11][1] == D(2028, 12, 31)

    q = periods_in_year(DueRule.parse("quarterly+10d"), 2026)
    assert [(str(p), due) for p, due in q] == [
        ("2026Q1", D(2026, 4, 10)),
        ("2026Q2", D(2026, 7, 10)),
        ("2026Q3", D(2026, 10, 10)),  # a Saturday: not moved here
        ("2026Q4", D(2027, 1, 10)),
    ]

    h = periods_in_year(DueRule.parse("half-yearly"), 2026)
    assert [(str(p), due) for p, due in h] == [
        ("2026H1", D(2026, 6, 30)),
        ("2026H2", D(2026, 12, 31)),
    ]

    assert periods_in_year(DueRule.parse("yearly"), 2026) == [
        (Period("year", 2026, 1), D(2026, 12, 31))
    ]
    assert periods_in_year(DueRule.parse("yearly+15d"), 2026)[0][1] == D(2027, 1, 15)
    assert periods_in_year(DueRule.parse("yearly:06-30"), 2026)[0][1] == D(2026, 6, 30)
    assert periods_in_year(DueRule.parse("yearly:02-29"), 2026)[0][1] == D(2026, 2, 28)
    assert periods_in_year(DueRule.parse("yearly:02-29"), 2028)[0][1] == D(2028, 2, 29)
    assert periods_in_year(DueRule.parse("standing"), 2026) == [
        (Period("year", 2026, 1), D(2026, 12, 31))
    ]

    fixed = DueRule.parse("date:2026-03-15")
    assert periods_in_year(fixed, 2026) == [(Period("year", 2026, 1), D(2026, 3, 15))]
    assert periods_in_year(fixed, 2027) == []
    assert periods_in_year(fixed, 2025) == []


def test_period_for():
    d = D(2026, 8, 20)
    assert str(period_for(DueRule.parse("monthly"), d)) == "2026-08"
    assert str(period_for(DueRule.parse("quarterly+10d"), d)) == "2026Q3"
    assert str(period_for(DueRule.parse("half-yearly"), d)) == "2026H2"
    assert str(period_for(DueRule.parse("yearly:06-30"), d)) == "2026"
    assert str(period_for(DueRule.parse("standing"), d)) == "2026"
    assert str(period_for(DueRule.parse("date:2026-03-15"), d)) == "2026"


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31)))
def test_period_for_contains_date(d):
    for text in ("monthly", "quarterly", "half-yearly", "yearly"):
        rule = DueRule.parse(text)
        p = period_for(rule, d)
        assert p.contains(d)
        assert p in [q for q, _ in periods_in_year(rule, d.year)]


def test_is_overdue():
    due = D(2026, 4, 10)
    assert not is_overdue(due, "todo", None, D(2026, 4, 10))  # due day itself is fine
    assert is_overdue(due, "todo", None, D(2026, 4, 11))
    assert is_overdue(due, "review", "met", D(2026, 4, 11))
    assert not is_overdue(due, "done", "met", D(2026, 4, 11))
    assert not is_overdue(due, "doing", "na", D(2026, 4, 11))


def test_status_and_result_labels():
    assert set(STATUS_LABELS) == set(TASK_STATUSES)
    assert set(RESULT_LABELS) == set(TASK_RESULTS)
    for labels in (*STATUS_LABELS.values(), *RESULT_LABELS.values()):
        assert labels["vi"] and labels["en"]
    assert RESULT_LABELS["na"]["vi"] == "Không áp dụng"
