"""Dates and text as the window reads and shows them: dd/mm/yyyy dates, the calendar quarter,
NFC normalisation, tone-insensitive folding for search and Vietnamese alphabetical order.

These are the domain's own functions, re-exported so the window reaches them through the
service layer (ui -> services -> domain); nothing here is written a second time.
"""

from __future__ import annotations

from papi_desktop.domain.dates import InvalidDate, format_date, parse_date, quarter_of
from papi_desktop.domain.text import fold, nfc, vi_sort_key

__all__ = [
    "InvalidDate",
    "fold",
    "format_date",
    "iso_to_text",
    "nfc",
    "parse_date",
    "quarter_of",
    "stamp_to_text",
    "vi_sort_key",
]


def iso_to_text(value: str | None) -> str:
    """A stored ISO date ("2026-11-20", or a timestamp starting with one) as dd/mm/yyyy;
    "" for an empty value and the text itself when it is not a date."""
    if not value:
        return ""
    try:
        return format_date(parse_date(str(value)[:10]))
    except InvalidDate:
        return str(value)


def stamp_to_text(iso: str | None) -> str:
    """A stored UTC timestamp ("2026-11-20T16:19:16Z") as this PC's local "dd/mm/yyyy HH:MM";
    a plain date as dd/mm/yyyy; "" for none."""
    from datetime import datetime

    if not iso:
        return ""
    if len(iso) <= 10:
        return iso_to_text(iso)
    try:
        t = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if t.tzinfo is not None:
        t = t.astimezone()
    return f"{t:%d/%m/%Y %H:%M}"
