"""Tổng quan: what needs doing now, and progress per PAPI dimension as a chart.

The lists come from ``services.dashboard.build``; a double click (or Enter) on a line opens
the task or the disclosure on its page. matplotlib is loaded only after the window is
drawn (``after_idle``), so it never slows the start.
"""

from __future__ import annotations

from typing import Any

import ttkbootstrap as ttk

from papi_desktop.ui.pages.base import Page

SECTION_STYLES = {
    "returned_reports": "danger",
    "inspection_fixes": "warning",
    "communes": "warning",
    "overdue_tasks": "danger",
    "tasks_due_soon": "warning",
    "postings_to_start": "danger",
    "postings_ending": "info",
    "missing_disclosures": "warning",
}

# Darker than the theme's accent colours so the lines stay readable on white.
TEXT_COLORS = {"danger": "#b71c1c", "warning": "#8a4b00", "info": "#0d47a1"}
TEXT_COLORS_DARK = {"danger": "#ff8a80", "warning": "#ffcc80", "info": "#90caf9"}


def _ellipsize(text: str, room: int, measure: Any) -> str:
    """``text`` cut to fit ``room`` pixels with "…" at the end (the whole text if it fits)."""
    if room <= 0 or measure(text) <= room:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if measure(text[:mid].rstrip() + "…") <= room:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


def _row_style() -> str:
    """A Treeview style with rows two text lines high (plus room for marks below)."""
    from tkinter import font as tkfont

    name = "Home.Treeview"
    linespace = tkfont.nametofont("TkDefaultFont").metrics("linespace")
    ttk.Style().configure(name, rowheight=2 * linespace + 6)
    return name


class HomePage(Page):
    key = "home"
    title_vi = "Tổng quan"
    title_en = "Overview"
    icon = "house"

    def __init__(self, master: Any, shell: Any) -> None:
        super().__init__(master, shell)
        self.data = None
        self.lines: dict[str, Any] = {}
        self.canvas = None
        self._chart_pending = False
        self.columnconfigure(0, weight=3)
        self.columnconfigure(1, weight=2)
        self.rowconfigure(2, weight=1)
        self.heading = ttk.Label(self, text="", font="-size 16 -weight bold")
        self.heading.grid(row=0, column=0, columnspan=2, sticky="w")
        self.summary = ttk.Label(self, text="", bootstyle="secondary")
        self.summary.grid(row=1, column=0, columnspan=2, sticky="w", pady=(2, 8))

        left = ttk.Frame(self)
        left.grid(row=2, column=0, sticky="nsew", padx=(0, 10))
        left.rowconfigure(0, weight=1)
        left.columnconfigure(0, weight=1)
        # two lines a row: what the task is, then when and which period; the row height
        # also leaves room for the marks below Vietnamese letters in the bold headings
        self.tree = ttk.Treeview(left, show="tree", selectmode="browse", style=_row_style())
        self.tree.column("#0", width=620, stretch=True)
        scroll = ttk.Scrollbar(left, orient="vertical", command=self.tree.yview)
        self.tree.configure(yscrollcommand=scroll.set)
        self.tree.grid(row=0, column=0, sticky="nsew")
        scroll.grid(row=0, column=1, sticky="ns")
        self.tree.bind("<Configure>", self._tree_configured, add="+")
        self._full_text: dict[str, str] = {}
        self._fit_job: Any = None
        from papi_desktop.ui.widgets.tips import RowTip

        self.row_tip = RowTip(self.tree, lambda iid: self._tip_text.get(iid, ""))
        self._tip_text: dict[str, str] = {}
        self.tree.bind("<Double-1>", lambda _e: self.open_selected())
        self.tree.bind("<Return>", lambda _e: self.open_selected())
        buttons = ttk.Frame(left)
        buttons.grid(row=1, column=0, columnspan=2, sticky="ew", pady=(8, 0))
        self.open_button = ttk.Button(
            buttons,
            text=self.tr("Mở mục đã chọn", "Open selected item"),
            icon="box-arrow-up-right",
            command=self.open_selected,
            bootstyle="primary",
        )
        self.open_button.pack(side="left")
        self.refresh_button = ttk.Button(
            buttons,
            text=self.tr("Làm mới", "Refresh"),
            icon="arrow-clockwise",
            command=self.refresh,
        )
        self.refresh_button.pack(side="left", padx=6)
        ttk.Label(
            buttons,
            text=self.tr("Nhấp đúp hoặc nhấn Enter để mở.", "Double-click or press Enter to open."),
            bootstyle="secondary",
        ).pack(side="left", padx=6)

        self.chart_frame = ttk.Labelframe(
            self,
            text=self.tr(
                "Tiến độ theo chỉ số nội dung (các việc đã đến hạn)",
                "Progress by dimension (tasks due so far)",
            ),
            padding=6,
        )
        self.chart_frame.grid(row=2, column=1, sticky="nsew")
        self.chart_note = ttk.Label(
            self.chart_frame, text=self.tr("Đang vẽ biểu đồ…", "Drawing the chart…")
        )
        self.chart_note.pack(anchor="w")
        self.progress_table = ttk.Label(self.chart_frame, text="", justify="left")

    # -- data ----------------------------------------------------------------
    def on_show(self) -> None:
        if self.canvas is not None and self._chart_event is not None:
            self._chart_configured(self._chart_event)
        self.refresh()

    def refresh(self) -> None:
        """Compute the lists off the Tk thread (a big office's data takes a moment)."""
        from papi_desktop.services import dashboard

        site = self.ctx.require_site()
        self.heading.configure(
            text=self.tr(f"Tổng quan — {site.unit_name}", f"Overview — {site.unit_name}")
        )
        # Unchanged data since the lists were computed: switching back here costs nothing.
        stamp = dashboard.change_stamp(self.ctx)
        if self.data is not None and stamp == getattr(self, "_stamp", None):
            return
        self._stamp = stamp
        if self.data is None:
            self.summary.configure(text=self.tr("Đang tính…", "Working it out…"))
        self._generation = getattr(self, "_generation", 0) + 1
        generation = self._generation

        def done(data: Any) -> None:
            if self.winfo_exists() and generation == self._generation:
                self.show_data(data)

        self.shell.run_background(lambda job: dashboard.build(job.open_context()), done)

    def show_data(self, d: Any) -> None:
        from papi_desktop.services.formatting import format_date

        site = self.ctx.require_site()
        self.data = d
        self.heading.configure(
            text=self.tr(f"Tổng quan — {site.unit_name}", f"Overview — {site.unit_name}")
        )
        if d.office:
            summary = self.tr(
                f"Hôm nay {format_date(d.today)}: {len(d.communes)} xã/phường cần chú ý. "
                "Nhấp đúp một dòng để mở xã/phường đó.",
                f"Today {format_date(d.today)}: {len(d.communes)} communes need attention. "
                "Double-click a line to open that commune.",
            )
        else:
            summary = self.tr(
                f"Hôm nay {format_date(d.today)}: {d.total} việc cần chú ý.",
                f"Today {format_date(d.today)}: {d.total} things need attention.",
            )
        self.summary.configure(text=summary)
        tree = self.tree
        tree.delete(*tree.get_children())
        self.lines.clear()
        self._full_text.clear()
        self._tip_text.clear()
        dark = ttk.Style().theme_mode == "dark"
        for style, color in (TEXT_COLORS_DARK if dark else TEXT_COLORS).items():
            tree.tag_configure(style, foreground=color)
        tree.tag_configure("section", font="-weight bold")
        tree.tag_configure("empty", foreground=ttk.Style().colors.secondary)
        lang = self.shell.lang
        for key, vi, en, lines in d.sections():
            if key in ("returned_reports", "inspection_fixes") and not lines:
                continue  # shown only when there is one
            parent = tree.insert(
                "",
                "end",
                iid=f"section:{key}",
                text=f"{self.tr(vi, en)} ({len(lines)})",
                open=True,
                tags=("section",),
            )
            if not lines:
                tree.insert(
                    parent, "end", text=self.tr("Không có việc nào.", "Nothing."), tags=("empty",)
                )
            for n, line in enumerate(lines):
                iid = f"{key}:{n}"
                self.lines[iid] = line
                style = "danger" if line.urgent else SECTION_STYLES[key]
                head, sub = line.lines(lang)
                tree.insert(parent, "end", iid=iid, text=head, tags=(style,))
                self._full_text[iid] = (head, sub)
                self._tip_text[iid] = f"{head}\n{sub}" if sub else head
        first = next(iter(self.lines), None)
        if first:
            tree.selection_set(first)
            tree.focus(first)
        self._fit_lines()
        self._show_progress_text()
        self.schedule_chart()

    # -- long lines end in "…" instead of being cut at the edge -------------------
    def _tree_configured(self, _event: Any = None) -> None:
        if self._fit_job is not None:
            self.after_cancel(self._fit_job)
        self._fit_job = self.after(100, self._fit_lines)

    def _fit_lines(self) -> None:
        from tkinter import font as tkfont

        self._fit_job = None
        width = self.tree.winfo_width()
        if width <= 1:
            width = int(self.tree.column("#0", "width"))
        style_font = ttk.Style().lookup("Treeview", "font") or "TkDefaultFont"
        try:
            font = tkfont.nametofont(style_font)
        except Exception:  # a font description rather than a named font
            font = tkfont.Font(font=style_font)
        room = width - 48  # the section indent and the open/close mark
        for iid, (head, sub) in self._full_text.items():
            text = _ellipsize(head, room, font.measure)
            if sub:
                text += "\n" + _ellipsize(sub, room, font.measure)
            self.tree.item(iid, text=text)

    def _show_progress_text(self) -> None:
        rows = [
            f"{p.label_vi if self.shell.lang != 'en' else p.label_en}: {p.progress.percent_text}"
            f"  ({p.progress.done}/{p.progress.applicable})"
            for p in self.data.progress
        ]
        self.progress_table.configure(text="\n".join(rows))

    # -- chart ------------------------------------------------------------------
    def schedule_chart(self) -> None:
        if not self._chart_pending:
            self._chart_pending = True
            self.after_idle(self.draw_chart)

    def draw_chart(self) -> None:
        """Draw the progress chart (imports matplotlib the first time)."""
        self._chart_pending = False
        if self.data is None or not self.winfo_exists():
            return
        try:
            from matplotlib.backends.backend_tkagg import FigureCanvasTkAgg
        except ImportError:
            self.chart_note.configure(
                text=self.tr("Không vẽ được biểu đồ trên máy này.", "Charts are unavailable.")
            )
            self.progress_table.pack(anchor="w")
            return
        lang = self.shell.lang
        labels = [p.label_en if lang == "en" else p.label_vi for p in self.data.progress]
        percents = [
            None if p.progress.ratio is None else p.progress.ratio * 100 for p in self.data.progress
        ]
        title = self.tr(
            f"Tỉ lệ hoàn thành năm {self.data.today.year}", f"Share done in {self.data.today.year}"
        )
        from papi_desktop.services import dashboard

        fig = dashboard.progress_figure(labels, percents, title)
        fig.set_size_inches(5.2, 3.8)
        if self.canvas is not None:
            self.canvas.get_tk_widget().destroy()
        self.canvas = FigureCanvasTkAgg(fig, master=self.chart_frame)
        self.canvas.draw()
        widget = self.canvas.get_tk_widget()
        # matplotlib redraws the whole figure on every <Configure>; the page area changes
        # size when another page is shown, so redraw only while this page is visible and
        # once the size has settled (a switch to the tasks page must not pay for a chart).
        widget.bind("<Configure>", self._chart_configured)
        self._chart_resize: Any = None
        self._chart_event: Any = None
        self.chart_note.pack_forget()
        self.progress_table.pack_forget()
        widget.pack(fill="both", expand=True)
        self.progress_table.pack(anchor="w", pady=(6, 0))

    def _chart_configured(self, event: Any) -> None:
        self._chart_event = event
        if self._chart_resize is not None:
            self.after_cancel(self._chart_resize)
        self._chart_resize = self.after(150, self._resize_chart)

    def _resize_chart(self) -> None:
        self._chart_resize = None
        if self.canvas is None or self._chart_event is None or not self.winfo_viewable():
            return  # resized again in on_show
        event, self._chart_event = self._chart_event, None
        self.canvas.resize(event)

    # -- opening items -------------------------------------------------------------
    def selected_line(self) -> Any:
        sel = self.tree.selection()
        return self.lines.get(sel[0]) if sel else None

    def open_selected(self) -> None:
        line = self.selected_line()
        if line is not None:
            self.open_line(line)

    def open_line(self, line: Any) -> None:
        if line.kind == "returned_report":
            self.shell.open_page(line.page)  # the review panel with the comment is on top
            return
        self.shell.open_page(line.page, select=dict(line.select))

    def focus_search(self) -> None:
        self.tree.focus_set()
