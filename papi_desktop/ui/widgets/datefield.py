"""A date field shown and typed as dd/mm/yyyy, with a calendar button and a Vietnamese
error line under it when the text is not a real date.

Built on ttkbootstrap's ``DateEntry`` (``date_format="%d/%m/%Y"``, week starting Monday);
the text is read with ``papi_desktop.services.formatting.parse_date`` so "5/1/2026", "05-01-2026"
and "2026-01-05" are all accepted, and "31/02/2026" says why it is wrong.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.services.formatting import InvalidDate, format_date, parse_date


class DateField(ttk.Frame):
    """Entry + calendar button + error label. ``get()`` returns a ``date`` or None."""

    def __init__(
        self,
        master: Any,
        *,
        lang: str = "vi",
        value: date | None = None,
        required: bool = False,
        width: int = 12,
        on_change: Any = None,
    ) -> None:
        super().__init__(master)
        self.lang = lang
        self.required = required
        self.on_change = on_change
        self.date_entry = ttk.DateEntry(
            self, date_format="%d/%m/%Y", first_weekday=0, value=None, width=width
        )
        self.date_entry.grid(row=0, column=0, sticky="w")
        self.entry = self.date_entry.entry
        self.error_label = ttk.Label(self, text="", bootstyle="danger", wraplength=320)
        self.error_label.grid(row=1, column=0, sticky="w")
        self.error_label.grid_remove()
        self.set(value)
        self.entry.bind("<FocusOut>", lambda _e: self.validate(), add="+")
        self.entry.bind("<Return>", lambda _e: self.validate(), add="+")
        self.entry.bind("<KeyRelease>", self._changed, add="+")
        self.date_entry.bind("<<DateEntrySelected>>", self._picked, add="+")

    @property
    def text(self) -> str:
        return self.entry.get().strip()

    def _changed(self, _event: Any = None) -> None:
        if self.on_change is not None:
            self.on_change()

    def _picked(self, _event: Any = None) -> None:
        self.validate()
        self._changed()

    def set(self, value: date | str | None) -> None:
        """Show ``value`` (a date, an ISO/dd-mm-yyyy string, or None for empty)."""
        if isinstance(value, str):
            value = parse_date(value) if value.strip() else None
        self.entry.delete(0, "end")
        if value is not None:
            self.entry.insert(0, format_date(value))
        self._show_error("")

    def get(self) -> date | None:
        """The date typed, or None when empty. Raises ``InvalidDate`` with the reason."""
        if not self.text:
            if self.required:
                return parse_date("")  # raises the "no date given" message
            return None
        return parse_date(self.text)

    def validate(self) -> bool:
        """Check the text; show the Vietnamese (or English) reason under the field."""
        try:
            value = self.get()
        except InvalidDate as exc:
            self._show_error(exc.message(self.lang))
            return False
        if value is not None:
            shown = format_date(value)
            if shown != self.text:
                self.entry.delete(0, "end")
                self.entry.insert(0, shown)
        self._show_error("")
        return True

    @property
    def error(self) -> str:
        return str(self.error_label.cget("text"))

    def _show_error(self, message: str) -> None:
        self.error_label.configure(text=message)
        if message:
            self.entry.state(["invalid"])
            self.error_label.grid()
        else:
            self.entry.state(["!invalid"])
            self.error_label.grid_remove()

    def configure(self, cnf: Any = None, **kw: Any) -> Any:
        """As a frame's ``configure``; ``state="disabled"|"normal"`` greys or frees the entry
        and its calendar button, as on a bare ``DateEntry``."""
        options = dict(cnf or {}, **kw)
        state = options.pop("state", None)
        if state is not None:
            self.date_entry.configure(state=state)
        return super().configure(**options) if options or state is None else None

    config = configure

    def focus_set(self) -> None:
        self.entry.focus_set()
