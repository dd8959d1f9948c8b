"""Reading and writing dates the way Vietnamese offices do (dd/mm/yyyy), and quarters.

``parse_date`` is the single entry point for dates typed or imported by users: it
accepts ``dd/mm/yyyy`` (also ``d/m/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy``, and a two-digit
year ``dd/mm/yy`` read as 20yy) and ISO
``yyyy-mm-dd``, and says exactly what is wrong with anything else.
"""

from __future__ import annotations

import calendar as _stdcal
import re
from datetime import date, datetime

from papi_desktop.errors import UserError

MIN_YEAR = 1900
MAX_YEAR = 2100

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})\Z", re.ASCII)
_DMY = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})\Z", re.ASCII)


class InvalidDate(UserError):
    """A date the user typed cannot be read or does not exist."""


def parse_date(text: str | date | datetime) -> date:
    """Read a date from text (``dd/mm/yyyy``, ``d/m/yyyy``, ``dd-mm-yyyy``,
    ``dd.mm.yyyy`` or ``yyyy-mm-dd``), a ``date`` or a ``datetime`` (its date).

    Raises ``InvalidDate`` for empty text, an unknown format, an impossible day or
    month, or a year outside 1900–2100.
    """
    if isinstance(text, datetime):
        return _check_year(text.date())
    if isinstance(text, date):
        return _check_year(text)
    if text is None or not str(text).strip():
        raise InvalidDate(
            "Chưa nhập ngày. Hãy nhập theo dạng ngày/tháng/năm, ví dụ 05/01/2026.",
            "No date given. Enter it as dd/mm/yyyy, e.g. 05/01/2026.",
        )
    if not isinstance(text, str):
        raise InvalidDate(
            f"Không đọc được ngày từ giá trị {text!r}. Hãy nhập theo dạng ngày/tháng/năm, ví dụ 05/01/2026.",
            f"Cannot read a date from {text!r}. Enter it as dd/mm/yyyy.",
        )
    raw = text.strip()
    m = _ISO.match(raw)
    if m:
        year, month, day = (int(g) for g in m.groups())
    else:
        m = _DMY.match(raw)
        if not m:
            raise InvalidDate(
                f"Không hiểu ngày “{raw}”. Hãy nhập theo dạng ngày/tháng/năm, ví dụ 05/01/2026.",
                f"Cannot read the date “{raw}”. Enter it as dd/mm/yyyy, e.g. 05/01/2026.",
            )
        day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if len(m.group(4)) == 2:
            year += 2000  # "20/11/26": offices write short years for this century only
    return _build(day, month, year, raw)


def _check_year(d: date) -> date:
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise InvalidDate(
            f"Năm {d.year} nằm ngoài khoảng cho phép {MIN_YEAR}–{MAX_YEAR}.",
            f"Year {d.year} is outside the allowed range {MIN_YEAR}–{MAX_YEAR}.",
        )
    return d


def _build(day: int, month: int, year: int, typed: str | None = None) -> date:
    # The date as typed: "2026-13-01" rewritten as "01/13/2026" would look like a new typo.
    shown = f"“{typed}”" if typed else f"{day:02d}/{month:02d}/{year:04d}"
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidDate(
            f"Năm {year} (trong ngày {shown}) nằm ngoài khoảng cho phép {MIN_YEAR}–{MAX_YEAR}.",
            f"Year {year} (in {shown}) is outside the allowed range {MIN_YEAR}–{MAX_YEAR}.",
        )
    if not 1 <= month <= 12:
        raise InvalidDate(
            f"Ngày {shown} không tồn tại: tháng {month} không có (chỉ có tháng 1 đến 12).",
            f"The date {shown} does not exist: there is no month {month} (months are 1 to 12).",
        )
    days_in_month = _stdcal.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        raise InvalidDate(
            f"Ngày {shown} không tồn tại: tháng {month} năm {year} chỉ có {days_in_month} ngày.",
            f"The date {shown} does not exist: month {month} of {year} has only "
            f"{days_in_month} days.",
        )
    return date(year, month, day)


def format_date(d: date | None) -> str:
    """``dd/mm/yyyy``, or "" for None."""
    if d is None:
        return ""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def iso(d: date | None) -> str:
    """``yyyy-mm-dd`` (the storage form), or "" for None."""
    if d is None:
        return ""
    return d.isoformat()


def format_place_date(place: str, d: date) -> str:
    """Place and date line of a Decree 30 document: "Ninh Hòa, ngày 05 tháng 01 năm 2026".

    NĐ 30/2020 Phụ lục I: days below 10 and months 1 and 2 take a leading zero; other
    months do not ("ngày 15 tháng 3 năm 2026").
    """
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"{(place or '').strip()}, ngày {d.day:02d} tháng {month} năm {d.year}"


def quarter_of(d: date) -> int:
    """Quarter (1–4) that ``d`` falls in."""
    return (d.month - 1) // 3 + 1


def quarter_bounds(year: int, q: int) -> tuple[date, date]:
    """First and last day of quarter ``q`` of ``year``."""
    if q not in (1, 2, 3, 4):
        raise UserError(
            f"Quý {q} không tồn tại (chỉ có quý 1 đến 4).",
            f"There is no quarter {q} (quarters are 1 to 4).",
        )
    first_month = 3 * (q - 1) + 1
    last_month = first_month + 2
    return date(year, first_month, 1), date(
        year, last_month, _stdcal.monthrange(year, last_month)[1]
    )
