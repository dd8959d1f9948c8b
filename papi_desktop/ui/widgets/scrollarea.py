"""A frame that scrolls when the window is smaller than its content needs (a 1024x600 netbook).

``ScrollArea(master, min_size=(w, h))`` holds its content in ``.body``. The body gets the
area's whole size, but never less than ``min_size``; below that, scroll bars appear. The
body's size and the bars depend only on the area's own size — never on what the content
asks for — so a label that re-wraps or a list that sizes its columns cannot start a
<Configure> feedback loop through this widget.
"""

from __future__ import annotations

import tkinter as tk
from typing import Any

import ttkbootstrap as ttk


class ScrollArea(ttk.Frame):
    """Content in ``.body``: filled to the area's size, scrolled below ``min_size``."""

    def __init__(self, master: Any, *, min_size: tuple[int, int] = (760, 440)) -> None:
        super().__init__(master)
        self.min_size = min_size
        self.rowconfigure(0, weight=1)
        self.columnconfigure(0, weight=1)
        # width/height 1: the canvas asks for nothing, so the content's size never reaches
        # the window (the window's size is the user's choice)
        self.canvas = tk.Canvas(self, width=1, height=1, highlightthickness=0, borderwidth=0)
        self.canvas.grid(row=0, column=0, sticky="nsew")
        self.vbar = ttk.Scrollbar(self, orient="vertical", command=self.canvas.yview)
        self.hbar = ttk.Scrollbar(self, orient="horizontal", command=self.canvas.xview)
        self.canvas.configure(yscrollcommand=self.vbar.set, xscrollcommand=self.hbar.set)
        self.body = ttk.Frame(self.canvas)
        self._window = self.canvas.create_window(0, 0, window=self.body, anchor="nw")
        self._size = (0, 0)
        self._bars = (False, False)
        self.bind("<Configure>", self._resized, add="+")
        for sequence in ("<MouseWheel>", "<Button-4>", "<Button-5>"):
            self.body.bind_all(sequence, self._wheel, add="+")
        self._restyle()

    def _restyle(self) -> None:
        try:
            self.canvas.configure(background=ttk.Style().lookup("TFrame", "background"))
        except tk.TclError:
            pass

    def bars(self) -> tuple[bool, bool]:
        """(vertical, horizontal): which scroll bars show now."""
        return self._bars

    def _resized(self, event: Any) -> None:
        if event.widget is not self:
            return
        size = (event.width, event.height)
        if size == self._size:  # a re-placement at the same size changes nothing
            return
        self._size = size
        self._layout()

    def _layout(self) -> None:
        width, height = self._size
        min_w, min_h = self.min_size
        bar = 14
        need_y = height < min_h
        need_x = width - (bar if need_y else 0) < min_w
        if need_x and not need_y:
            need_y = height - bar < min_h
        if (need_y, need_x) != self._bars:
            self._bars = (need_y, need_x)
            if need_y:
                self.vbar.grid(row=0, column=1, sticky="ns")
            else:
                self.vbar.grid_remove()
            if need_x:
                self.hbar.grid(row=1, column=0, sticky="ew")
            else:
                self.hbar.grid_remove()
        inner_w = max(width - (bar if need_y else 0), min_w)
        inner_h = max(height - (bar if need_x else 0), min_h)
        self.canvas.itemconfigure(self._window, width=inner_w, height=inner_h)
        self.canvas.configure(scrollregion=(0, 0, inner_w, inner_h))
        if not need_x:
            self.canvas.xview_moveto(0)
        if not need_y:
            self.canvas.yview_moveto(0)

    def _wheel(self, event: Any) -> None:
        """The wheel scrolls the page when it has a bar and the pointer is over it (lists and
        text boxes under the pointer scroll themselves)."""
        if not self._bars[0] or not self.winfo_ismapped():
            return
        widget = event.widget
        if not isinstance(widget, tk.Misc) or isinstance(
            widget, ttk.Treeview | tk.Text | tk.Listbox | tk.Canvas
        ):
            return
        if not str(widget).startswith(str(self)):
            return
        if getattr(event, "num", None) == 4 or getattr(event, "delta", 0) > 0:
            self.canvas.yview_scroll(-2, "units")
        else:
            self.canvas.yview_scroll(2, "units")

    def see(self, widget: Any) -> None:
        """Scroll so that ``widget`` (inside the body) is in view."""
        if not any(self._bars):
            return
        self.update_idletasks()
        x = widget.winfo_rootx() - self.body.winfo_rootx()
        y = widget.winfo_rooty() - self.body.winfo_rooty()
        inner_w = max(int(self.canvas.itemcget(self._window, "width")), 1)
        inner_h = max(int(self.canvas.itemcget(self._window, "height")), 1)
        view_w, view_h = self.canvas.winfo_width(), self.canvas.winfo_height()
        if self._bars[0] and not (
            self.canvas.canvasy(0) <= y <= self.canvas.canvasy(0) + view_h - 20
        ):
            self.canvas.yview_moveto(max(0, y - 10) / inner_h)
        if self._bars[1] and not (
            self.canvas.canvasx(0) <= x <= self.canvas.canvasx(0) + view_w - 20
        ):
            self.canvas.xview_moveto(max(0, x - 10) / inner_w)
