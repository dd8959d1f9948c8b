"""A list on ``ttk.Treeview``: rows arrive pre-sorted in Vietnamese order, a click on a
heading re-sorts with the Vietnamese collation (Á, Đ… in their place, not after Z), and
``filter`` narrows the rows tone-insensitively. Large lists show the first ``max_rows``
matches with a note to narrow the search, so typing stays fast at 10,000 rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.services.formatting import fold, vi_sort_key


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: int = 120
    anchor: str = "w"
    stretch: bool = False
    # Optional: how to show the value (e.g. ISO date -> dd/mm/yyyy).
    format: Callable[[Any], str] | None = None


class SortableList(ttk.Frame):
    """Treeview + scrollbar. Rows are dicts; ``id_key`` names the field used as item id."""

    def __init__(
        self,
        master: Any,
        columns: Sequence[Column],
        *,
        id_key: str = "id",
        height: int = 12,
        max_rows: int = 1000,
        on_select: Callable[[dict | None], None] | None = None,
        on_activate: Callable[[dict], None] | None = None,
        tag_of: Callable[[dict], str | None] | None = None,
        more_text: Callable[[int, int], str] | None = None,
        empty_text: str = "",
    ) -> None:
        """``empty_text``: shown over the list while it has no rows at all (say what to do
        to get some); a filter that matches nothing shows nothing there."""
        super().__init__(master)
        self.columns = list(columns)
        self.id_key = id_key
        self.max_rows = max_rows
        self.on_select = on_select
        self.on_activate = on_activate
        self.tag_of = tag_of
        self.more_text = more_text or (
            lambda shown, total: f"Đang hiện {shown}/{total} dòng — gõ thêm để thu hẹp."
        )
        self._rows: list[dict] = []
        self._keys: list[str] = []
        self._shown: list[dict] = []
        self._by_iid: dict[str, dict] = {}
        self._sort: tuple[str, bool] | None = None
        self._sort_keys: dict[Any, tuple] = {}
        self.tree = ttk.Treeview(
            self, columns=[c.key for c in self.columns], show="headings", height=height,
            selectmode="browse",
        )  # fmt: skip
        # "danger"/"warning"/"success" from ``tag_of`` read in the theme's colours; a page may
        # configure its own tags after this.
        colours = ttk.Style().colors
        for name in ("danger", "warning", "success"):
            self.tree.tag_configure(name, foreground=getattr(colours, name))
        for c in self.columns:
            self.tree.heading(c.key, text=c.title, command=lambda k=c.key: self.sort_by(k))
            self.tree.column(c.key, width=c.width, anchor=c.anchor, stretch=c.stretch)
        scroll = ttk.Scrollbar(self, orient="vertical", command=self.tree.yview)
        self.tree.configure(yscrollcommand=scroll.set)
        self.tree.grid(row=0, column=0, sticky="nsew")
        scroll.grid(row=0, column=1, sticky="ns")
        self.empty_text = empty_text
        self.empty_label = ttk.Label(
            self, text=empty_text, bootstyle="secondary", justify="center", wraplength=420
        )
        self.note = ttk.Label(self, text="", bootstyle="secondary")
        self.note.grid(row=1, column=0, sticky="w")
        self.columnconfigure(0, weight=1)
        self.rowconfigure(0, weight=1)
        self.tree.bind("<<TreeviewSelect>>", self._selected, add="+")
        self.tree.bind("<Double-1>", self._activated, add="+")
        self.tree.bind("<Return>", self._activated, add="+")

    # -- data ----------------------------------------------------------------
    def set_rows(self, rows: Sequence[dict], search_fields: Sequence[str] | None = None) -> None:
        """Replace the rows (already in the wanted order) and show them."""
        fields = list(search_fields or [c.key for c in self.columns])
        self._rows = list(rows)
        self._keys = [fold(" ".join(str(r.get(f) or "") for f in fields)) for r in self._rows]
        self._filter_text = ""
        self._sort_keys: dict[Any, tuple] = {}
        self._show(self._rows)

    def filter(self, text: str) -> int:
        """Show rows whose text contains every typed word (tones ignored); return the count."""
        words = fold(text).split()
        if not words:
            found = self._rows
        else:
            found = [
                r for r, k in zip(self._rows, self._keys, strict=True) if all(w in k for w in words)
            ]
        self._show(found)
        return len(found)

    def sort_by(self, key: str, descending: bool | None = None) -> None:
        if descending is None:
            descending = bool(self._sort and self._sort[0] == key and not self._sort[1])
        self._sort = (key, descending)

        def value_key(v: Any) -> tuple:
            if v is None or v == "":
                return (1, ())
            if isinstance(v, int | float):
                return (0, (v,))
            return (0, vi_sort_key(str(v)))

        # Each distinct value's key is computed once per ``set_rows`` (a column such as the
        # commune or the status repeats a few values over 10,000 rows), so sorting and
        # re-sorting mostly compares ready tuples.
        cache = self._sort_keys
        keys = []
        for r in self._rows:
            v = r.get(key)
            try:
                k = cache[v]
            except KeyError:
                k = cache[v] = value_key(v)
            except TypeError:  # an unhashable value: not cached
                k = value_key(v)
            keys.append(k)
        order = sorted(range(len(self._rows)), key=keys.__getitem__, reverse=descending)
        self._rows = [self._rows[i] for i in order]
        self._keys = [self._keys[i] for i in order]
        shown_ids = {id(r) for r in self._shown}
        self._show([r for r in self._rows if id(r) in shown_ids])

    def _cell(self, c: Column, r: dict) -> str:
        v = r.get(c.key)
        if c.format is not None:
            return c.format(v)
        return "" if v is None else str(v)

    def _show(self, rows: Sequence[dict]) -> None:
        tree = self.tree
        children = tree.get_children()
        if children:
            tree.delete(*children)
        self._by_iid.clear()
        limited = rows[: self.max_rows]
        for n, r in enumerate(limited):
            iid = str(r.get(self.id_key) or n)
            if iid in self._by_iid:
                iid = f"{iid}#{n}"
            tag = self.tag_of(r) if self.tag_of else None
            tree.insert(
                "", "end", iid=iid, values=[self._cell(c, r) for c in self.columns],
                tags=(tag,) if tag else (),
            )  # fmt: skip
            self._by_iid[iid] = r
        self._shown = list(limited)
        if self.empty_text and not self._rows:
            self.empty_label.place(relx=0.5, rely=0.4, anchor="center")
        else:
            self.empty_label.place_forget()
        self.note.configure(
            text=self.more_text(len(limited), len(rows)) if len(rows) > len(limited) else ""
        )

    # -- selection -------------------------------------------------------------
    @property
    def rows(self) -> list[dict]:
        return list(self._rows)

    @property
    def shown(self) -> list[dict]:
        return list(self._shown)

    def selected(self) -> dict | None:
        sel = self.tree.selection()
        return self._by_iid.get(sel[0]) if sel else None

    def select(self, predicate: Callable[[dict], bool]) -> dict | None:
        for iid, r in self._by_iid.items():
            if predicate(r):
                self.tree.selection_set(iid)
                self.tree.focus(iid)
                self.tree.see(iid)
                return r
        return None

    def _selected(self, _event: Any = None) -> None:
        if self.on_select is not None:
            self.on_select(self.selected())

    def _activated(self, _event: Any = None) -> str | None:
        r = self.selected()
        if r is not None and self.on_activate is not None:
            self.on_activate(r)
            return "break"
        return None

    def focus_set(self) -> None:
        self.tree.focus_set()
        children = self.tree.get_children()
        if children and not self.tree.focus():
            self.tree.focus(children[0])
