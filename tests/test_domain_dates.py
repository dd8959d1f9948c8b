"""Reading and writing dates (dd/mm/yyyy, ISO), Decree 30 place-date lines, quarters."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from papi_desktop.domain.dates import (
    InvalidDate,
    format_date,
    format_place_date,
    iso,
    parse_date,
    quarter_bounds,
    quarter_of,
)
from papi_desktop.errors import UserError


@pytest.mark.parametrize(
    "text",
    ["2026-01-05", "05/01/2026", "5/1/2026", "05-01-2026", "05.01.2026", " 5/01/2026 ", "2026-1-5"],
)
def test_parse_accepted_forms(text):
    assert parse_date(text) == date(2026, 1, 5)


def test_parse_date_and_datetime():
    assert parse_date(date(2026, 2, 28)) == date(2026, 2, 28)
    assert parse_date(datetime(2026, 2, 28, 23, 59)) == date(2026, 2, 28)
    assert type(parse_date(datetime(2026, 2, 28, 23, 59))) is date


def test_invalid_date_is_a_user_error():
    assert issubclass(InvalidDate, UserError)


def test_impossible_day_message():
    with pytest.raises(InvalidDate) as e:
        parse_date("31/02/2026")
    assert e.value.message_vi == "Ngày “31/02/2026” không tồn tại: tháng 2 năm 2026 chỉ có 28 ngày."
    assert "has only 28 days" in e.value.message_en
    # An ISO date is echoed as typed, not rewritten into a new-looking typo (01/13/2026).
    with pytest.raises(InvalidDate) as e:
        parse_date("2026-13-01")
    assert e.value.message_vi.startswith("Ngày “2026-13-01” không tồn tại: tháng 13 không có")


def test_leap_year():
    assert parse_date("29/02/2028") == date(2028, 2, 29)
    with pytest.raises(InvalidDate) as e:
        parse_date("2027-02-29")
    assert "chỉ có 28 ngày" in e.value.message_vi
    with pytest.raises(InvalidDate) as e:
        parse_date("31/04/2026")
    assert "tháng 4 năm 2026 chỉ có 30 ngày" in e.value.message_vi


def test_impossible_month_and_day_zero():
    with pytest.raises(InvalidDate) as e:
        parse_date("12/13/2026")
    assert "tháng 13" in e.value.message_vi and "month 13" in e.value.message_en
    with pytest.raises(InvalidDate) as e:
        parse_date("00/01/2026")
    assert "không tồn tại" in e.value.message_vi


@pytest.mark.parametrize("text", ["01/01/1899", "2101-01-01", "31/12/0001"])
def test_year_out_of_range(text):
    with pytest.raises(InvalidDate) as e:
        parse_date(text)
    assert "1900–2100" in e.value.message_vi and "1900–2100" in e.value.message_en


def test_datetime_out_of_range():
    with pytest.raises(InvalidDate):
        parse_date(date(1850, 1, 1))


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty(text):
    with pytest.raises(InvalidDate) as e:
        parse_date(text)
    assert e.value.message_vi.startswith("Chưa nhập ngày")
    assert e.value.message_en.startswith("No date")


@pytest.mark.parametrize(
    "text",
    ["5 tháng 1 2026", "05/01/2026/1", "2026/01/05", "05/01-2026", "20260105", "abc", "1/1/2026x"],
)
def test_unknown_format_shows_expected_form(text):
    with pytest.raises(InvalidDate) as e:
        parse_date(text)
    assert "ngày/tháng/năm" in e.value.message_vi
    assert "dd/mm/yyyy" in e.value.message_en
    assert text.strip() in e.value.message_vi


def test_non_string_rejected():
    with pytest.raises(InvalidDate):
        parse_date(20260105)  # type: ignore[arg-type]


def test_format_and_iso():
    assert format_date(date(2026, 1, 5)) == "05/01/2026"
    assert format_date(None) == ""
    assert iso(date(2026, 1, 5)) == "2026-01-05"
    assert iso(None) == ""


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_round_trip(d):
    assert parse_date(format_date(d)) == d
    assert parse_date(iso(d)) == d


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2026, 1, 5), "Ninh Hòa, ngày 05 tháng 01 năm 2026"),
        (date(2026, 3, 15), "Ninh Hòa, ngày 15 tháng 3 năm 2026"),
        (date(2026, 2, 5), "Ninh Hòa, ngày 05 tháng 02 năm 2026"),
        (date(2026, 10, 5), "Ninh Hòa, ngày 05 tháng 10 năm 2026"),
        (date(2026, 12, 31), "Ninh Hòa, ngày 31 tháng 12 năm 2026"),
        (date(2026, 9, 2), "Ninh Hòa, ngày 02 tháng 9 năm 2026"),
    ],
)
def test_format_place_date_decree_30(d, expected):
    assert format_place_date("Ninh Hòa", d) == expected


def test_quarters():
    assert [quarter_of(date(2026, m, 1)) for m in range(1, 13)] == [
        1,
        1,
        1,
        2,
        2,
        2,
        3,
        3,
        3,
        4,
        4,
        4,
    ]
    assert quarter_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 3, 31))
    assert quarter_bounds(2026, 2) == (date(2026, 4, 1), date(2026, 6, 30))
    assert quarter_bounds(2026, 3) == (date(2026, 7, 1), date(2026, 9, 30))
    assert quarter_bounds(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    with pytest.raises(UserError):
        quarter_bounds(2026, 5)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_quarter_contains_date(d):
    start, end = quarter_bounds(d.year, quarter_of(d))
    assert start <= d <= end


def test_two_digit_year_is_this_century():
    assert parse_date("20/11/26") == date(2026, 11, 20)
    assert parse_date("5.1.26") == date(2026, 1, 5)
    with pytest.raises(InvalidDate, match="không tồn tại"):
        parse_date("31/02/26")
