"""Small form and list helpers shared by the task and disclosure pages: dd/mm/yyyy date
fields (the one ``DateField``, with its error line) and their reading, the office's commune chooser, row colours tinted from the
theme, text boxes and sortable Treeview headings."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from datetime import date
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.errors import StorageError, UserError
from papi_desktop.services.formatting import iso_to_text as iso_to_text  # used as fields.*
from papi_desktop.services.formatting import parse_date, vi_sort_key
from papi_desktop.ui.widgets.datefield import DateField


def date_field(
    master: Any, value: date | None = None, width: int = 12, lang: str = "vi"
) -> DateField:
    """A dd/mm/yyyy date field with a Monday-first calendar and its error line (the same
    widget on every page); empty when ``value`` is None."""
    return DateField(master, lang=lang, value=value, width=width)


def set_date(field: DateField, value: date | None) -> None:
    field.set(value)


def date_text(field: DateField) -> str:
    return field.text


def read_date(field: DateField, label_vi: str, label_en: str) -> date | None:
    """The typed date, None when empty; a UserError naming the field when it is wrong (the
    reason also shows under the field)."""
    text = date_text(field)
    if not text:
        return None
    try:
        return parse_date(text)
    except UserError as exc:
        field.validate()
        raise UserError(f"{label_vi}: {exc.message_vi}", f"{label_en}: {exc.message_en}") from exc


def fill_unit_box(box: Any, codes: list[str], names: dict[str, str]) -> None:
    """The office's commune chooser: "code – name" lines, keeping the choice when it is
    still there, else the first commune."""
    values = [f"{c} – {names[c]}" if names.get(c, c) != c else c for c in codes]
    box.configure(values=values)
    if values and box.get() not in values:
        box.set(values[0])


def chosen_unit(box: Any) -> str | None:
    """The commune code chosen in a ``fill_unit_box`` box (None when there is no box)."""
    if box is None:
        return None
    value = box.get()
    return value.split(" ", 1)[0] if value else None


def text_value(box: tk.Text) -> str:
    return box.get("1.0", "end-1c")


def set_text_value(box: tk.Text, value: str) -> None:
    state = str(box.cget("state"))
    box.configure(state="normal")
    box.delete("1.0", "end")
    box.insert("1.0", value or "")
    box.configure(state=state)


def message_of(exc: BaseException, lang: str) -> str:
    """The user-facing text of an error raised by the services."""
    if isinstance(exc, UserError | StorageError):
        return exc.message(lang)
    return str(exc)


def _mix(colour: str, background: str, amount: float) -> str:
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(background[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(
        f"{round(x * amount + y * (1 - amount)):02x}" for x, y in zip(a, b, strict=True)
    )


def theme_colour(name: str) -> str:
    """A colour of the current theme ("primary", "danger", "bg", …)."""
    return str(getattr(ttk.Style().colors, name))


def tint(name: str, amount: float = 0.22) -> str:
    """The theme colour ``name`` mixed into the background: a readable row background in
    light and dark themes."""
    return _mix(theme_colour(name), theme_colour("bg"), amount)


def sortable_headings(
    tree: ttk.Treeview, columns: dict[str, str], on_sort: Callable[[str, bool], None]
) -> None:
    """Set the headings; a click sorts by that column, a second click reverses."""
    state = {"col": None, "reverse": False}

    def click(col: str) -> None:
        state["reverse"] = not state["reverse"] if state["col"] == col else False
        state["col"] = col
        on_sort(col, state["reverse"])

    for col, title in columns.items():
        tree.heading(col, text=title, command=lambda c=col: click(c))


def sort_value(value: Any) -> tuple:
    """Sort key for a cell: dd/mm/yyyy compares as a date, text in Vietnamese order."""
    if isinstance(value, str) and len(value) == 10 and value[2] == "/" and value[5] == "/":
        return (0, value[6:], value[3:5], value[:2])
    return (1, vi_sort_key(str(value or "")))
