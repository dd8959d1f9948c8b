"""Comboboxes that find what is typed without tones or case: "ninh hoa" finds "Ninh Hòa".

``FoldedCombobox`` filters a fixed list (provinces, types…); ``UnitPicker`` asks
``services.units.search_units`` for communes as the user types.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.services.formatting import fold


def _rank(label: str, query: str) -> int:
    """0: the name (with or without its "Xã"/"Phường" word) is the query; 1: it starts with
    it; 2: anything else. ``label`` reads "name — province"; ``query`` is folded."""
    key = fold(label)
    name = fold(label.split(" — ", 1)[0])
    bare = name.split(" ", 1)[1] if " " in name else name
    if query in (name, bare, key):
        return 0
    if name.startswith(query) or bare.startswith(query):
        return 1
    return 2


class FoldedCombobox(ttk.Combobox):
    """A combobox over (label, value) items whose drop-down narrows to the typed words.

    ``value`` is the chosen item's value, or None while the text matches no label exactly.
    """

    def __init__(
        self,
        master: Any,
        items: Sequence[tuple[str, Any]] = (),
        *,
        on_select: Callable[[Any], None] | None = None,
        width: int = 40,
        **kwargs: Any,
    ) -> None:
        super().__init__(master, width=width, **kwargs)
        self.on_select = on_select
        self._items: list[tuple[str, Any, str]] = []
        self.set_items(items)
        self.bind("<KeyRelease>", self._on_key, add="+")
        self.bind("<<ComboboxSelected>>", self._on_selected, add="+")
        self.bind("<Return>", self._on_return, add="+")

    def set_items(self, items: Sequence[tuple[str, Any]]) -> None:
        self._items = [(label, value, fold(label)) for label, value in items]
        self.configure(values=[label for label, _v, _k in self._items])

    def matches(self, text: str) -> list[tuple[str, Any]]:
        """Items containing every typed word; an exact name first ("ninh hoa" puts
        "Phường Ninh Hòa" before "Xã Đông Ninh Hòa"), then names starting so, then the rest."""
        words = fold(text).split()
        found = [(lab, val, key) for lab, val, key in self._items if all(w in key for w in words)]
        if words:
            query = " ".join(words)
            found.sort(key=lambda item: _rank(item[0], query))  # stable: list order kept
        return [(lab, val) for lab, val, _key in found]

    def _on_key(self, event: Any) -> None:
        if event.keysym in ("Up", "Down", "Return", "Escape", "Tab", "ISO_Left_Tab"):
            return
        self.filter(self.get())

    def filter(self, text: str) -> list[tuple[str, Any]]:
        """Narrow the drop-down to the items matching ``text`` (folded)."""
        found = self.matches(text)
        self.configure(values=[label for label, _v in found])
        return found

    def _on_selected(self, _event: Any = None) -> None:
        if self.on_select is not None:
            self.on_select(self.value)

    def _on_return(self, _event: Any = None) -> None:
        """Enter picks the only (or the first) match."""
        found = self.matches(self.get())
        if found and self.value is None:
            self.set(found[0][0])
            self._on_selected()

    @property
    def value(self) -> Any:
        text = self.get().strip()
        for label, value, _k in self._items:
            if label == text:
                return value
        return None

    def select_value(self, value: Any) -> None:
        for label, v, _k in self._items:
            if v == value:
                self.set(label)
                return


class UnitPicker(FoldedCombobox):
    """Commune picker backed by ``services.units.search_units`` (optionally one province)."""

    def __init__(
        self,
        master: Any,
        ctx: Any,
        *,
        province_code: str | None = None,
        on_select: Callable[[Any], None] | None = None,
        width: int = 48,
    ) -> None:
        self.ctx = ctx
        self.province_code = province_code
        self._found: dict[str, dict] = {}
        super().__init__(master, (), on_select=on_select, width=width)
        self.set_province(province_code)

    @staticmethod
    def label(unit: dict) -> str:
        return f"{unit['name']} — {unit.get('province_name') or ''}".rstrip(" —")

    def set_province(self, province_code: str | None) -> None:
        """Limit the choice to one province (its communes listed when the box is empty)."""
        from papi_desktop.services import units

        self.province_code = province_code
        if province_code:
            p = units.province(self.ctx, province_code)
            rows = units.communes_of_province(self.ctx, province_code)
            for r in rows:
                r["province_name"] = p["name"] if p else ""
            self._remember(rows)
        else:
            self._remember([])

    def _remember(self, rows: list[dict]) -> None:
        self._found = {self.label(r): r for r in rows}
        self.set_items([(lab, r["code"]) for lab, r in self._found.items()])

    def filter(self, text: str) -> list[tuple[str, Any]]:
        from papi_desktop.services import units

        if self.province_code:
            return super().filter(text)
        rows = units.search_units(self.ctx, text, limit=30) if fold(text).strip() else []
        self._remember(rows)
        return [(self.label(r), r["code"]) for r in rows]

    def matches(self, text: str) -> list[tuple[str, Any]]:
        if self.province_code:
            return super().matches(text)
        return self.filter(text)

    @property
    def unit(self) -> dict | None:
        """The chosen commune (code, name, province_code, province_name) or None."""
        return self._found.get(self.get().strip())
