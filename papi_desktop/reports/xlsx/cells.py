"""Cell values for every workbook PAPI Desktop writes: text stays text.

Text typed by users (task notes, item titles, names received by USB sync, framework cells)
may start with ``=``, ``+``, ``-``, ``@``, a tab or a line break. Written as it is,
Excel and LibreOffice read ``=…`` as a live formula (openpyxl itself stores it as one), and
the other characters turn into formulas as soon as someone edits the cell or saves the
sheet as CSV ("formula injection"). Every xlsx writer passes its values through this module:
such text is stored as a text cell with Excel's "quote prefix" flag, so it is shown and
copied literally, and nothing is added to the text itself.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from papi_desktop.domain.text import printable

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def is_formula_like(value: Any) -> bool:
    """True for text a spreadsheet could take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def clean_text(value: Any) -> Any:
    """NFC-normalise text (Vietnamese typed with combining marks) and write line breaks as
    ``\n``, without control characters (a note pasted from another program, received by
    USB, must not stop the office's workbook); other values unchanged.

    A bare carriage return survives the xlsx file only when openpyxl writes through lxml
    (``&#13;``); without lxml it is read back as ``\n``. Writing ``\n`` always makes the
    workbook the same on every PC."""
    if not isinstance(value, str):
        return value
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return printable(unicodedata.normalize("NFC", text))


def guard_cell(cell: Any) -> Any:
    """Force a formula-like text value of ``cell`` (any openpyxl cell) to be text; returns
    the cell. Call after the value is set."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def safe_cell_value(ws: Any, value: Any) -> Any:
    """A value ready for ``ws.append``: normalised text as it is, or, for text that could be
    read as a formula, a cell that holds it as text (the only values that need a cell)."""
    value = clean_text(value)
    if not is_formula_like(value):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    return guard_cell(cell)


def safe_row(ws: Any, values: list[Any]) -> list[Any]:
    """``safe_cell_value`` over a row of plain values (cells already built pass through)."""
    return [v if hasattr(v, "data_type") else safe_cell_value(ws, v) for v in values]


def set_value(cell: Any, value: Any) -> Any:
    """Set ``cell.value`` (normal-mode worksheets) through the same rule; returns the cell."""
    cell.value = clean_text(value)
    return guard_cell(cell)
