"""Tooltips: one that stays hidden while its text is empty, and one over a list that shows
the full text of the row under the pointer (when the list had to shorten it)."""

from __future__ import annotations

from typing import Any

from ttkbootstrap import ToolTip


class HintTip(ToolTip):
    """A tooltip that stays hidden while its text is empty (set ``.text`` to change it)."""

    def show_tip(self, *args: Any) -> None:
        if self.text:
            super().show_tip(*args)


class RowTip(HintTip):
    """A tooltip over a Treeview showing ``text_of(row)`` for the row under the pointer."""

    def __init__(self, tree: Any, text_of: Any) -> None:
        super().__init__(tree, text="")
        self._text_of = text_of
        self._row = ""
        tree.bind("<Motion>", self._moved, add="+")

    def _moved(self, event: Any) -> None:
        row = self.widget.identify_row(event.y)
        if row == self._row:
            return
        self._row = row
        self.hide_tip()
        self.unschedule()
        self.text = self._text_of(row) if row else ""
        if self.text:
            self.schedule()
