"""The supervising office's dashboard charts drawn straight on Tk canvases.

``HeatGrid``: communes × dimensions completion, one coloured cell per value with the number
written in it, commune names on the left, the header fixed while the rows scroll (100
communes draw in a few milliseconds, where the matplotlib figure took seconds).
``RankingBars``: the best communes as horizontal bars; ``TrendLine``: completion per period.
Colours come from ``services.dashboard`` (the PDF report's own scale) so the screen and the
PDF agree.
"""

from __future__ import annotations

import tkinter as tk
import tkinter.font as tkfont
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.services.dashboard import HEAT_NONE, NO_VALUE, completion_colour

ROW_H = 22
HEAD_H = 26
CHART_W = 400
FONT = ("TkDefaultFont", 9)
BOLD = ("TkDefaultFont", 9, "bold")


def _background(widget: Any) -> str:
    return ttk.Style().lookup("TFrame", "background") or widget.cget("background")


def _foreground() -> str:
    return ttk.Style().lookup("TLabel", "foreground") or "black"


def cell_colour(p: float | None) -> str:
    """A heat-map cell's colour, in the three bands its legend names (red below 50 %,
    amber 50–79 %, green from 80 %; grey when nothing is due yet)."""
    return HEAT_NONE if p is None else completion_colour(p)


def _text_colour(p: float | None) -> str:
    return "black" if p is None or 50 <= p < 80 else "white"


class HeatGrid(ttk.Frame):
    """Rows of (name, values); ``on_open(index)`` on a double-click of a row."""

    def __init__(
        self,
        master: Any,
        columns: Sequence[str],
        rows: Sequence[tuple[str, Sequence[float | None]]],
        *,
        on_open: Callable[[int], None] | None = None,
        height: int = 420,
    ) -> None:
        super().__init__(master)
        self.columns = list(columns)
        self.rows = list(rows)
        self.on_open = on_open
        # Widths from the texts as this screen draws them (fonts differ between PCs).
        bold, normal = tkfont.Font(font=BOLD), tkfont.Font(font=FONT)
        self.cell_w = max(44, max((bold.measure(c) for c in self.columns), default=0) + 8)
        self.name_w = min(240, max((normal.measure(n) for n, _ in self.rows), default=80) + 14)
        width = self.name_w + self.cell_w * len(self.columns) + 2
        bg = _background(self)
        self.head = tk.Canvas(self, height=HEAD_H, width=width, highlightthickness=0,
                              background=bg)  # fmt: skip
        self.body = tk.Canvas(self, width=width, height=min(height, ROW_H * len(self.rows) + 2),
                              highlightthickness=0, background=bg)  # fmt: skip
        self.scroll = ttk.Scrollbar(self, orient="vertical", command=self.body.yview)
        self.body.configure(yscrollcommand=self.scroll.set,
                            scrollregion=(0, 0, width, ROW_H * len(self.rows) + 2))  # fmt: skip
        self.head.grid(row=0, column=0, sticky="w")
        self.body.grid(row=1, column=0, sticky="nsw")
        self.scroll.grid(row=1, column=1, sticky="ns")
        self.rowconfigure(1, weight=1)
        for event in ("<MouseWheel>", "<Button-4>", "<Button-5>"):
            self.body.bind(event, self._wheel)
        self.body.bind("<Double-Button-1>", self._double)
        self._draw()

    def _draw(self) -> None:
        fg = _foreground()
        for j, name in enumerate(self.columns):
            x = self.name_w + j * self.cell_w + self.cell_w / 2
            self.head.create_text(x, HEAD_H / 2, text=name, font=BOLD, fill=fg)
        for i, (name, values) in enumerate(self.rows):
            y0 = i * ROW_H + 1
            self.body.create_text(self.name_w - 8, y0 + ROW_H / 2, text=name, anchor="e", font=FONT,
                                  fill=fg)  # fmt: skip
            for j, v in enumerate(values):
                x0 = self.name_w + j * self.cell_w
                self.body.create_rectangle(x0, y0, x0 + self.cell_w - 2, y0 + ROW_H - 2,
                                           fill=cell_colour(v), outline="")  # fmt: skip
                self.body.create_text(x0 + (self.cell_w - 2) / 2, y0 + (ROW_H - 2) / 2,
                                      text=NO_VALUE if v is None else f"{v:.0f}",
                                      font=FONT, fill=_text_colour(v))  # fmt: skip

    def cell_text(self, row: int, column: int) -> str:
        """The number written in a cell (what the official reads)."""
        v = self.rows[row][1][column]
        return NO_VALUE if v is None else f"{v:.0f}"

    def _wheel(self, event: Any) -> str:
        step = -1 if getattr(event, "num", 0) == 4 or getattr(event, "delta", 0) > 0 else 1
        self.body.yview_scroll(step * 3, "units")
        return "break"

    def _double(self, event: Any) -> None:
        index = int(self.body.canvasy(event.y) // ROW_H)
        if self.on_open and 0 <= index < len(self.rows):
            self.on_open(index)


class RankingBars(tk.Canvas):
    """Horizontal completion bars, best first, numbered."""

    def __init__(
        self, master: Any, names: Sequence[str], percents: Sequence[float | None], title: str
    ) -> None:
        height = 30 + ROW_H * max(1, len(names))
        super().__init__(master, height=height, width=CHART_W, highlightthickness=0,
                         background=_background(master))  # fmt: skip
        fg = _foreground()
        self.create_text(4, 12, text=title, anchor="w", font=BOLD, fill=fg)
        measure = tkfont.Font(font=FONT).measure
        label_w = min(200, max((measure(f"{len(names)}. {n}") for n in names), default=60) + 10)
        bar_w = CHART_W - label_w - measure("100.0 %") - 10
        for i, (name, p) in enumerate(zip(names, percents, strict=True)):
            y = 30 + i * ROW_H
            self.create_text(label_w - 6, y + ROW_H / 2, text=f"{i + 1}. {name}", anchor="e",
                             font=FONT, fill=fg)  # fmt: skip
            length = 0 if p is None else bar_w * max(0.0, min(p, 100.0)) / 100
            self.create_rectangle(label_w, y + 3, label_w + length, y + ROW_H - 3,
                                  fill=completion_colour(p), outline="")  # fmt: skip
            self.create_text(label_w + length + 4, y + ROW_H / 2, anchor="w", font=FONT, fill=fg,
                             text=NO_VALUE if p is None else f"{p:.1f} %")  # fmt: skip


class TrendLine(tk.Canvas):
    """Completion per period as a line with its values; gaps where nothing was due."""

    def __init__(
        self, master: Any, labels: Sequence[str], percents: Sequence[float | None], title: str
    ) -> None:
        super().__init__(master, height=210, width=CHART_W, highlightthickness=0,
                         background=_background(master))  # fmt: skip
        fg = _foreground()
        self.create_text(4, 12, text=title, anchor="w", font=BOLD, fill=fg)
        left, right, top, bottom = 44, CHART_W - 6, 34, 180
        for v in (0, 25, 50, 75, 100):
            y = bottom - (bottom - top) * v / 100
            self.create_line(left, y, right, y, fill="#dddddd")
            self.create_text(left - 4, y, text=f"{v} %", anchor="e", font=FONT, fill=fg)
        n = max(1, len(labels))
        step = (right - left) / n
        points: list[tuple[float, float] | None] = []
        for i, (label, p) in enumerate(zip(labels, percents, strict=True)):
            x = left + step * (i + 0.5)
            self.create_text(x, bottom + 14, text=label, font=FONT, fill=fg)
            if p is None:
                points.append(None)
                continue
            y = bottom - (bottom - top) * max(0.0, min(p, 100.0)) / 100
            points.append((x, y))
            self.create_text(x, y - 11, text=f"{p:.1f}", font=FONT, fill=fg)
        for a, b in pairwise(points):
            if a and b:
                self.create_line(*a, *b, fill="#1565c0", width=2)
        for pt in points:
            if pt:
                x, y = pt
                self.create_oval(x - 3.5, y - 3.5, x + 3.5, y + 3.5, fill="#1565c0", outline="")
