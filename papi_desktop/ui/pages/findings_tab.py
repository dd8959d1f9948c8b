"""The "Kiểm tra" tab of the task and disclosure editors: what an inspection visit found on
this very item (an issue with its deadline, or evidence not seen). The tab is there only when
there is something to say, and its title counts what is still to fix."""

from __future__ import annotations

from typing import Any

import ttkbootstrap as ttk

from papi_desktop.services import inspection_items


class FindingsTab:
    """A tab added to ``notebook`` when an item has findings, hidden otherwise."""

    def __init__(self, notebook: Any, tr: Any) -> None:
        self.notebook = notebook
        self.tr = tr
        self.frame = ttk.Frame(notebook, padding=8)
        self.label = ttk.Label(self.frame, justify="left", bootstyle="danger", wraplength=420)
        self.label.pack(anchor="nw", fill="x")
        self.frame.bind(
            "<Configure>",
            lambda e: self.label.configure(wraplength=max(200, e.width - 16)),
            add="+",
        )
        self.shown = False
        self.text = ""

    def show(self, ctx: Any, unit: str | None, lang: str, **item: Any) -> None:
        """Fill the tab for one item (``task_code`` + ``period`` or ``disclosure_id``)."""
        found = inspection_items.findings_on_item(ctx, unit, **item) if unit else []
        self.text = inspection_items.item_findings_text(found, lang)
        if not found:
            if self.shown:
                self.notebook.hide(self.frame)
                self.shown = False
            return
        open_ = sum(1 for f in found if f["finding"] == "issue" and not f["fixed_on"])
        title = (
            self.tr(f"Kiểm tra ⚠ {open_}", f"Inspection ⚠ {open_}")
            if open_
            else self.tr("Kiểm tra", "Inspection")
        )
        self.label.configure(text=self.text, bootstyle="danger" if open_ else "secondary")
        if self.shown:
            self.notebook.tab(self.frame, text=title)
        else:
            self.notebook.add(self.frame, text=title)
            self.shown = True
