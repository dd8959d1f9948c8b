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
