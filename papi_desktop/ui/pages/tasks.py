"""The "Nhiệm vụ PAPI" page: the task framework as a tree (dimension → sub-dimension →
task) with each task's status and result for the chosen period, filters, folded search
and the result editor.

A year's rows are loaded once through ``services.tasks.list_results``; filters and the
search work on those rows in memory (``services.task_tree``) and the tree is refilled in
one pass. On a supervising-office install the page is read-only and has a commune
selector.
"""

from __future__ import annotations

import tkinter as tk
from tkinter import font as tkfont
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.errors import StorageError, UserError
from papi_desktop.services import dashboard, district, task_tree, tasks
from papi_desktop.services.task_tree import STATUS_LABELS, TASK_STATUSES
from papi_desktop.ui import dialogs
from papi_desktop.ui.pages import fields
from papi_desktop.ui.pages.base import Page
from papi_desktop.ui.pages.review_panel import ReviewPanel
from papi_desktop.ui.pages.task_editor import TaskEditor
from papi_desktop.ui.widgets.tips import RowTip

CURRENT = "__current__"
ALL = "__all__"

LIST_COLUMNS = ("code", "period", "due", "status", "result", "evidence")
EDITOR_WIDTH = 350  # px; the task list takes the rest of the page's width

COLUMNS = ("code", "period", "due", "status", "result", "done", "follow", "evidence")


class TasksPage(Page):
    key = "tasks"
    title_vi = "Nhiệm vụ PAPI"
    title_en = "PAPI tasks"
    icon = "list-check"
    min_size = (800, 500)

    def __init__(self, master: Any, shell: Any) -> None:
        super().__init__(master, shell)
        self._rows: list[dict[str, Any]] = []
        self._keys: dict[str, str] = {}
        self._criteria: list[dict[str, Any]] = []
        self._loaded: tuple[int, str | None] | None = None
        self._shown: dict[str, dict[str, Any]] = {}
        self._current_iid: str | None = None
        self._selecting = False
        self._search_job: str | None = None
        self._stamp: tuple[Any, ...] | None = None
        self.review_panel: ReviewPanel | None = None
        site = self.ctx.require_site()
        # The supervising office: its own checklist (editable) or a commune's (read-only),
        # chosen in the unit box; a commune edits its own.
        self.office = site.is_district
        self.read_only = False
        self._build()

    @property
    def lang(self) -> str:
        return "en" if self.tr("vi", "en") == "en" else "vi"

    # -- layout ----------------------------------------------------------------
    def _build(self) -> None:
        self.columnconfigure(0, weight=1)
        self.rowconfigure(3, weight=1)
        self._build_filters()
        info = ttk.Frame(self)
        info.grid(row=1, column=0, sticky="ew", pady=(6, 4))
        ttk.Label(info, text=self.tr("Tìm (Ctrl+F)", "Search (Ctrl+F)")).pack(side="left")
        self.search_var = tk.StringVar()
        self.search_entry = ttk.Entry(info, textvariable=self.search_var, width=28)
        self.search_entry.pack(side="left", padx=(6, 12))
        # on the search line, so the filter bar fits a 1024-pixel-wide screen
        self.overdue_var = tk.BooleanVar(value=False)
        self.overdue_check = ttk.Checkbutton(
            info,
            text=self.tr("Chỉ việc quá hạn", "Overdue only"),
            variable=self.overdue_var,
            command=self.apply_filters,
        )
        self.overdue_check.pack(side="left", padx=(0, 12))
        self.search_var.trace_add("write", lambda *a: self._search_soon())
        self.search_entry.bind("<Return>", lambda e: self.apply_filters())
        self.search_entry.bind("<Escape>", self._clear_search)
        self.count_label = ttk.Label(info, bootstyle="secondary")
        self.count_label.pack(side="left")
        self.office_note = None
        if self.office:
            self.office_note = ttk.Label(info, bootstyle="info")
            self.office_note.pack(side="right")
        if not self.office:
            # The year report to the supervising office: its state, the office's comments
            # on a returned report, and the submit / reopen buttons.
            self.review_panel = ReviewPanel(self, self, on_change=self._reload)
            self.review_panel.grid(row=2, column=0, sticky="ew", pady=(0, 6))
        panes = ttk.Panedwindow(self, orient="horizontal")
        panes.grid(row=3, column=0, sticky="nsew")
        left = ttk.Frame(panes)
        left.columnconfigure(0, weight=1)
        left.rowconfigure(0, weight=1)
        self.tree = ttk.Treeview(left, columns=COLUMNS, selectmode="browse")
        self._headings = {
            "#0": self.tr("Nhiệm vụ", "Task"),
            "code": self.tr("Mã", "Code"),
            "period": self.tr("Kỳ", "Period"),
            "due": self.tr("Hạn", "Due"),
            "status": self.tr("Trạng thái", "Status"),
            "result": self.tr("Kết quả", "Result"),
            "done": self.tr("Ngày xong", "Done on"),
            "follow": self.tr("Theo dõi", "Follow-up"),
            "evidence": self.tr("Tệp", "Files"),
        }
        # The task title takes what the other columns leave (_fit_columns); those are
        # sized to their content each time the list is refilled.
        for col, text in self._headings.items():
            self.tree.heading(col, text=text, anchor="w")
            self.tree.column(col, width=250 if col == "#0" else 70, minwidth=30, stretch=False)
        self.tree.column("#0", minwidth=160)
        for col in ("follow", "evidence"):
            self.tree.column(col, anchor="center")
            self.tree.heading(col, anchor="center")
        # the done date and follow-up flag are in the editor; the list keeps to what fits
        self.tree.configure(displaycolumns=LIST_COLUMNS)
        self.tree.grid(row=0, column=0, sticky="nsew")
        ys = ttk.Scrollbar(left, orient="vertical", command=self.tree.yview)
        ys.grid(row=0, column=1, sticky="ns")
        xs = ttk.Scrollbar(left, orient="horizontal", command=self.tree.xview)
        xs.grid(row=1, column=0, sticky="ew")
        self.tree.configure(yscrollcommand=ys.set, xscrollcommand=xs.set)
        self.tree.tag_configure("overdue", background=fields.tint("warning", 0.35))
        self.tree.tag_configure("done", foreground=fields.theme_colour("success"))
        base = tkfont.nametofont("TkDefaultFont")
        self._base_font = base
        self._bold = base.copy()
        self._bold.configure(weight="bold")
        self._italic = base.copy()
        self._italic.configure(slant="italic")
        self.tree.tag_configure("dimension", font=self._bold)
        self.tree.tag_configure("criterion", font=self._italic)
        self.tree.bind("<<TreeviewSelect>>", self._on_select)
        self.tree.bind("<<TreeviewOpen>>", self._on_open)
        self.tree.bind("<Return>", self._tree_enter)
        self.tree.bind("<KP_Enter>", self._tree_enter)
        self.tree.bind("<FocusIn>", self._tree_focused, add="+")
        self.tree.bind("<Configure>", lambda e: self._fit_soon(), add="+")
        self._full_text: dict[str, str] = {}
        self._fit_job: str | None = None
        self._fitted_width = 0
        self.row_tip = RowTip(self.tree, self._row_tip_text)
        self.empty_label = ttk.Label(left, bootstyle="secondary")
        panes.add(left, weight=5)
        self.editor = TaskEditor(panes, self, read_only=self.read_only)
        panes.add(self.editor, weight=2)
        self._sash_set = False
        panes.bind("<Configure>", self._place_sash, add="+")
        legend = ttk.Frame(self)
        legend.grid(row=4, column=0, sticky="ew", pady=(4, 0))
        tk.Label(
            legend,
            text=self.tr("  Quá hạn  ", "  Overdue  "),
            background=fields.tint("warning", 0.35),
            foreground=fields.theme_colour("fg"),
        ).pack(side="left")
        tk.Label(
            legend,
            text=self.tr("  Đã xong / không áp dụng  ", "  Done / not applicable  "),
            foreground=fields.theme_colour("success"),
            background=fields.theme_colour("bg"),
        ).pack(side="left", padx=6)

    def _build_filters(self) -> None:
        bar = ttk.Frame(self)
        bar.grid(row=0, column=0, sticky="ew")
        today = self.ctx.today()
        col = row = 0

        def label(text: str) -> None:
            nonlocal col
            ttk.Label(bar, text=text).grid(
                row=row, column=col, padx=(0 if col == 0 else 10, 4), pady=1, sticky="w"
            )
            col += 1

        def place(widget: Any) -> None:
            nonlocal col
            span = 3 if self.office and row == 0 else 1
            widget.grid(row=row, column=col, columnspan=span, sticky="w", pady=1)
            col += 1

        if self.office:
            # the unit on a line of its own: the filters still fit 1024 pixels
            label(self.tr("Đơn vị", "Unit"))
            self.unit_box = ttk.Combobox(bar, state="readonly", width=30)
            self.unit_box.bind("<<ComboboxSelected>>", lambda e: self._reload())
            place(self.unit_box)
            col, row = 0, 1
        else:
            self.unit_box = None
        # The index: shown only when more than one has a checklist (``_fill_indices``), in a
        # frame of its own whose hiding leaves the bar exactly as it was with PAPI alone: on
        # the office after the unit, on a commune on a line below the filters (the filter
        # line has no room left at 1024 pixels).
        self.index_frame = ttk.Frame(bar)
        self.index_label = ttk.Label(self.index_frame, text=self.tr("Bộ chỉ số", "Index"))
        self.index_label.pack(side="left", padx=(0, 4))
        self.index_box = ttk.Combobox(self.index_frame, state="readonly", width=10)
        self.index_box.pack(side="left", padx=(0, 10))
        self.index_box.bind("<<ComboboxSelected>>", lambda e: self._reload())
        if self.office:
            self.index_frame.grid(row=0, column=4, columnspan=4, sticky="w", padx=(10, 0))
        else:
            self.index_frame.grid(row=1, column=0, columnspan=8, sticky="w", pady=1)
        self.index_frame.grid_remove()  # until ``_fill_indices`` finds a second index
        label(self.tr("Năm", "Year"))
        years = [str(y) for y in tasks.answer_years(self.ctx)]
        self.year_box = ttk.Combobox(bar, values=years, state="readonly", width=6)
        self.year_box.set(str(today.year))
        self.year_box.bind("<<ComboboxSelected>>", lambda e: self._reload())
        place(self.year_box)
        label(self.tr("Kỳ", "Period"))
        self.period_box = ttk.Combobox(bar, state="readonly", width=14)
        self.period_box.bind("<<ComboboxSelected>>", lambda e: self.apply_filters())
        place(self.period_box)
        label(self.tr("Trạng thái", "Status"))
        self._status_values = [ALL, *TASK_STATUSES]
        self.status_box = ttk.Combobox(
            bar,
            values=[self.tr("Tất cả", "All")]
            + [STATUS_LABELS[s][self.lang] for s in TASK_STATUSES],
            state="readonly",
            width=12,
        )
        self.status_box.current(0)
        self.status_box.bind("<<ComboboxSelected>>", lambda e: self.apply_filters())
        place(self.status_box)
        label(self.tr("Chỉ số", "Dimension"))
        self.dimension_box = ttk.Combobox(bar, state="readonly", width=14)
        self.dimension_box.bind("<<ComboboxSelected>>", lambda e: self.apply_filters())
        place(self.dimension_box)

    # -- loading ---------------------------------------------------------------
    def on_show(self) -> None:
        # Nothing written since the rows were read (same day): keep the tree as it is, so
        # coming back to this page costs only the review panel's one query.
        if self._stamp is None or dashboard.change_stamp(self.ctx) != self._stamp:
            self._reload(keep_filters=True)
        elif self.review_panel is not None:
            self.review_panel.refresh(int(self.year_box.get()))

    def _unit(self) -> str | None:
        return fields.chosen_unit(self.unit_box)

    def index(self) -> str:
        """The index whose checklist is shown (PAPI unless another is chosen)."""
        return self.index_box.get() or tasks.DEFAULT_INDEX

    def _fill_indices(self) -> None:
        """Offer the indices with a checklist; the choice shows only when there are two or
        more, so a PC with PAPI alone looks as it always did."""
        active = tasks.active_indices(self.ctx)
        current = self.index_box.get()
        self.index_box.configure(values=active)
        if current not in active:
            self.index_box.set(active[0] if active else "")
        if len(active) > 1:
            self.index_frame.grid()
        else:
            self.index_frame.grid_remove()

    def _fill_units(self) -> None:
        if self.unit_box is None:
            return
        codes = task_tree.units_with_results(self.ctx)
        names = district.unit_names(self.ctx, codes)
        names[tasks.OFFICE_UNIT] = self.tr(
            "Nhiệm vụ của cơ quan giám sát", "The office's own tasks"
        )
        fields.fill_unit_box(self.unit_box, [tasks.OFFICE_UNIT, *codes], names)

    def _set_read_only(self, unit: str | None) -> None:
        """On the office: its own checklist is editable, a commune's is read-only."""
        if not self.office:
            return
        self.read_only = unit != tasks.OFFICE_UNIT
        self.editor.set_read_only(self.read_only)
        if self.office_note is not None:
            self.office_note.configure(
                text=self.tr(
                    "Máy của cơ quan giám sát: chỉ xem, không sửa kết quả của xã.",
                    "Supervising office: read-only view of the commune's results.",
                )
                if self.read_only
                else self.tr(
                    "Nhiệm vụ của cơ quan giám sát: kết quả chỉ lưu trên máy này.",
                    "The office's own tasks: results stay on this PC.",
                )
            )

    def _reload(self, keep_filters: bool = False) -> None:
        """Read the chosen year (and commune) again from the database, then filter."""
        self._stamp = dashboard.change_stamp(self.ctx)
        if self.review_panel is not None:
            self.review_panel.refresh(int(self.year_box.get()))
        try:
            self._fill_units()
            self._fill_indices()
            index = self.index()
            year = int(self.year_box.get())
            unit = self._unit()
            self._set_read_only(unit)
            if self.office and unit is None:
                self._rows = []
            else:
                self._rows = tasks.list_results(self.ctx, year=year, unit=unit, index=index)
            self._keys = {}  # folded search text: made on the first search (saves the open)
            self._criteria = tasks.criteria(self.ctx, index)
        except (UserError, StorageError) as exc:
            self._rows = []
            self.count_label.configure(text=fields.message_of(exc, self.lang))
            self.tree.delete(*self.tree.get_children())
            return
        self._loaded = (year, unit)
        if keep_filters and getattr(self, "_loaded_index", index) != index:
            keep_filters = False  # another index: its dimensions are not this one's
        self._loaded_index = index
        self._fill_choices(year, keep_filters)
        self.apply_filters()

    def _fill_choices(self, year: int, keep: bool) -> None:
        lang = self.lang
        old_period = self._period_value() if keep else None
        self._period_values = [CURRENT, ALL, *task_tree.period_options(self._rows)]
        labels = [self.tr("Kỳ hiện tại", "Current period"), self.tr("Tất cả các kỳ", "All periods")]
        labels += [task_tree.period_label(p, lang) for p in self._period_values[2:]]
        self.period_box.configure(values=labels)
        default = CURRENT if year == self.ctx.today().year else ALL
        chosen = old_period if old_period in self._period_values else default
        if chosen == CURRENT and year != self.ctx.today().year:
            chosen = ALL
        self.period_box.current(self._period_values.index(chosen))
        old_dim = self._dimension_value() if keep else None
        dims = [c for c in self._criteria if c["level"] == "dimension"]
        self._dimension_values = [ALL, *[c["code"] for c in dims]]
        short = "short_en" if lang == "en" else "short_vi"
        labels = [self.tr("Tất cả", "All")] + [
            f"{c['code']}. {c[short] or c['name_vi']}" for c in dims
        ]
        if any(not r["dimension"] for r in self._rows):
            self._dimension_values.append(task_tree.OTHER_FILTER)
            labels.append(self.tr("Khác", "Other"))
        self.dimension_box.configure(values=labels)
        self.dimension_box.current(
            self._dimension_values.index(old_dim) if old_dim in self._dimension_values else 0
        )

    def _period_value(self) -> str | None:
        i = self.period_box.current()
        values = getattr(self, "_period_values", [])
        return values[i] if 0 <= i < len(values) else None

    def _dimension_value(self) -> str | None:
        i = self.dimension_box.current()
        values = getattr(self, "_dimension_values", [])
        return values[i] if 0 <= i < len(values) else None

    # -- filtering ---------------------------------------------------------------
    def _search_soon(self) -> None:
        if self._search_job is not None:
            self.after_cancel(self._search_job)
        self._search_job = self.after(150, self.apply_filters)

    def _clear_search(self, _event: Any = None) -> str:
        self.search_var.set("")
        self.apply_filters()
        return "break"

    def filtered_rows(self) -> list[dict[str, Any]]:
        """The loaded rows that pass the filter bar."""
        period = self._period_value()
        status = (
            self._status_values[self.status_box.current()]
            if self.status_box.current() > 0
            else None
        )
        dimension = self._dimension_value()
        rows = self._rows
        if period == CURRENT:
            today = self.ctx.today()
            rows = task_tree.current_period_rows(rows, today)
            period = None
        if self.search_var.get().strip() and not self._keys:
            self._keys = task_tree.search_keys(self.ctx, self.index())
        return task_tree.filter_results(
            rows,
            self._keys,
            period=None if period in (ALL, None) else period,
            status=status,
            dimension=None if dimension in (ALL, None) else dimension,
            overdue_only=bool(self.overdue_var.get()),
            search=self.search_var.get(),
        )

    def apply_filters(self) -> None:
        """Filter the loaded rows and refill the tree in one pass."""
        self._search_job = None
        shown = self.filtered_rows()
        evidence = task_tree.evidence_counts(self.ctx, (r["result_id"] for r in shown))
        lines = task_tree.build_tree(self._criteria, shown, lang=self.lang, evidence=evidence)
        self._render(lines)
        late = sum(1 for r in shown if r["overdue"])
        text = self.tr(
            f"{len(shown)} dòng nhiệm vụ theo kỳ · {late} quá hạn",
            f"{len(shown)} task lines · {late} overdue",
        )
        self.count_label.configure(text=text)

    def _render(self, lines: list[task_tree.TreeRow]) -> None:
        tree = self.tree
        tree.delete(*tree.get_children())
        self._shown = {}
        self._lines = lines
        self._full_text = {}
        self._line_of: dict[str, task_tree.TreeRow] = {line.iid: line for line in lines}
        many = len(lines) > 400
        expand = not many and self._task_open()
        insert = tree.insert
        # children of closed task lines are inserted when the line is opened (large lists)
        self._deferred: dict[str, list[task_tree.TreeRow]] = {}
        for line in lines:
            if many and line.parent.startswith("t:"):
                if line.parent not in self._deferred:
                    insert(line.parent, "end", iid=f"{line.parent}|…", text="…")
                self._deferred.setdefault(line.parent, []).append(line)
                self._shown[line.iid] = line.row
                continue
            is_open = line.kind in ("dimension", "criterion") or (line.kind == "task" and expand)
            insert(
                line.parent,
                "end",
                iid=line.iid,
                text=line.text,
                values=line.values,
                tags=line.tags,
                open=is_open,
            )
            self._full_text[line.iid] = line.text
            if line.row is not None:
                self._shown[line.iid] = line.row
        if lines:
            self.empty_label.place_forget()
        else:
            self.empty_label.configure(
                text=self.tr("Không có nhiệm vụ nào khớp bộ lọc.", "No task matches the filters.")
            )
            self.empty_label.place(relx=0.5, rely=0.3, anchor="center")
        if self._current_iid and self._current_iid in self._shown:
            parent = self._current_iid.split("|", 1)[1].split("|", 1)[0]
            self._fill_deferred(f"t:{parent}")
        if self._current_iid and tree.exists(self._current_iid):
            self._selecting = True
            tree.selection_set(self._current_iid)
            tree.focus(self._current_iid)
            tree.see(self._current_iid)
            self._selecting = False
        # one period for every line (a single period chosen): the column would only repeat it
        periods = {line.values[1] for line in lines if line.row is not None}
        self._one_period = len(periods) <= 1
        self._fitted_width = 0
        self._fit_columns()

    # -- column widths and cut titles --------------------------------------------
    def _fit_soon(self) -> None:
        if self._fit_job is None and self.tree.winfo_width() != self._fitted_width:
            self._fit_job = self.after_idle(self._fit_columns)

    def _font_of(self, tags: Any) -> tkfont.Font:
        tags = tags or ()
        if "dimension" in tags:
            return self._bold
        if "criterion" in tags:
            return self._italic
        return self._base_font

    def _fit_columns(self) -> None:
        """Size the short columns to what they hold and give the task title the rest;
        titles that still do not fit end in "…" (the full text is in the row's tooltip)."""
        self._fit_job = None
        tree = self.tree
        total = tree.winfo_width()
        if total < 100:
            return
        self._fitted_width = total
        # a narrow list (a 1024-pixel screen) leaves out the due date and file count, which
        # the editor shows, so the task title keeps its room
        narrow = total < 620
        shown_cols = [
            c
            for c in LIST_COLUMNS
            if not (c == "period" and getattr(self, "_one_period", False))
            and not (narrow and c in ("due", "evidence"))
        ]
        tree.configure(displaycolumns=shown_cols)
        widths: dict[str, int] = {}
        for col in shown_cols:
            index = COLUMNS.index(col)
            texts: dict[tuple[str, bool], None] = {}
            for line in getattr(self, "_lines", []):
                value = line.values[index] if index < len(line.values) else ""
                if value:
                    texts[(value, line.kind == "dimension")] = None
            widest = max(
                ((self._bold if bold else self._base_font).measure(text) for text, bold in texts),
                default=0,
            )
            heading = self._base_font.measure(self._headings[col])
            widths[col] = max(widest + 14, heading + 16, 34)
            tree.column(col, width=widths[col])
        title = max(total - sum(widths.values()) - 4, 160)
        tree.column("#0", width=title)
        for iid, text in self._full_text.items():
            if tree.exists(iid):
                tree.item(iid, text=self._fitted_text(iid, text, title))

    def _depth(self, iid: str) -> int:
        depth = 0
        parent = self.tree.parent(iid)
        while parent:
            depth += 1
            parent = self.tree.parent(parent)
        return depth

    def _fitted_text(self, iid: str, text: str, width: int) -> str:
        line = self._line_of.get(iid)
        font = self._font_of(line.tags if line else ())
        # the open/close mark and each level's indent come before the text
        room = width - 24 - 20 * self._depth(iid)
        if font.measure(text) <= room:
            return text
        if line is not None and line.short and font.measure(line.short) <= room:
            return line.short
        return task_tree.shorten(text, room, font.measure)

    def _row_tip_text(self, iid: str) -> str:
        """The full text of a line whose title had to be shortened, else ""."""
        full = self._full_text.get(iid, "")
        if not full or not self.tree.exists(iid):
            return ""
        return full if self.tree.item(iid, "text") != full else ""

    def _place_sash(self, event: Any) -> None:
        """Once the window has its size, give the editor about 350 px and the list the rest."""
        if not self._sash_set and event.width > 600:
            self._sash_set = True
            event.widget.sashpos(0, event.width - min(EDITOR_WIDTH, event.width * 9 // 20))

    def _on_open(self, _event: Any = None) -> None:
        self._fill_deferred(self.tree.focus())

    def _fill_deferred(self, parent: str) -> None:
        lines = getattr(self, "_deferred", {}).pop(parent, None)
        if not lines:
            return
        self.tree.delete(f"{parent}|…")
        width = int(self.tree.column("#0", "width"))
        for line in lines:
            self.tree.insert(
                parent, "end", iid=line.iid, text=line.text, values=line.values, tags=line.tags
            )
            self._full_text[line.iid] = line.text
            self.tree.item(line.iid, text=self._fitted_text(line.iid, line.text, width))

    def _task_open(self) -> bool:
        return bool(self.search_var.get().strip()) or bool(self.overdue_var.get())

    # -- selection and editing ---------------------------------------------------
    def _on_select(self, _event: Any = None) -> None:
        if self._selecting:
            return
        sel = self.tree.selection()
        iid = sel[0] if sel else None
        if iid == self._current_iid:
            return
        row = self._shown.get(iid) if iid else None
        if row is None:
            return
        if not self._confirm_leave_editor():
            self._selecting = True
            if self._current_iid and self.tree.exists(self._current_iid):
                self.tree.selection_set(self._current_iid)
            else:
                self.tree.selection_remove(*sel)
            self._selecting = False
            return
        self._current_iid = iid
        self.editor.load(row)

    def _confirm_leave_editor(self) -> bool:
        if not self.editor.has_changes():
            return True
        answer = dialogs.ask_save_discard_cancel(
            self.winfo_toplevel(),
            self.tr(
                "Kết quả nhiệm vụ đang sửa chưa được lưu. Lưu trước khi chuyển?",
                "The task result you are editing is not saved. Save it first?",
            ),
        )
        if answer == "save":
            return self.editor.save()
        if answer == "discard":
            self.editor.discard()
            return True
        return False

    def _tree_focused(self, _event: Any = None) -> None:
        """Tab into the list: the selected line, or else the first task line, gets the
        keyboard focus mark (and is selected), so Up/Down/Enter work at once."""
        tree = self.tree
        current = tree.focus()
        if current and tree.exists(current):
            return
        selected = [i for i in tree.selection() if tree.exists(i)]
        target = (
            selected[0]
            if selected
            else next((iid for iid in self._shown if tree.exists(iid)), None)
        )
        if target is None:
            kids = tree.get_children()
            target = kids[0] if kids else None
        if target is None:
            return
        tree.focus(target)
        tree.see(target)
        if not selected:
            tree.selection_set(target)

    def _tree_enter(self, _event: Any = None) -> str:
        """Enter on a task line opens it in the editor; on a heading it folds/unfolds."""
        tree = self.tree
        iid = tree.focus()
        if not iid or not tree.exists(iid) or iid.endswith("|…"):
            return "break"
        if iid not in self._shown:
            opening = not tree.item(iid, "open")
            if opening:
                self._fill_deferred(iid)
            tree.item(iid, open=opening)
            return "break"
        if self._current_iid != iid:
            tree.selection_set(iid)
            self._on_select()
        if self._current_iid == iid and not self.read_only:
            self.editor.status_box.focus_set()
        return "break"

    def editor_changed(self) -> None:
        """The editor's fields changed (the shell may show an unsaved mark)."""

    def result_saved(self, row: dict[str, Any]) -> None:
        """Reload after a save and keep the same line selected."""
        self._reload(keep_filters=True)
        iid = task_tree.result_iid(row)
        fresh = next(
            (
                r
                for r in self._rows
                if r["code"] == row["code"]
                and r["period"] == row["period"]
                and r["unit"] == row["unit"]
            ),
            None,
        )
        self._current_iid = iid
        self.editor.load(fresh)
        if self.tree.exists(iid):
            self._selecting = True
            self.tree.selection_set(iid)
            self.tree.focus(iid)
            self._selecting = False

    def show_item(self, select: dict[str, Any] | None = None, **kwargs: Any) -> bool:
        """``select={"code": …, "period": …, "unit": …}``: select that task line, clearing
        filters that hide it (another page links here). False when it is not in the list."""
        sel = {**(select or {}), **kwargs}
        code = sel.get("code")
        if not code:
            return False
        return self.select_task(code, sel.get("period"), sel.get("unit"))

    def select_task(
        self, code: str, period: str | None = None, unit: str | None = None, index: str = ""
    ) -> bool:
        # links from other pages name PAPI tasks unless they say otherwise
        self.index_box.set(index or tasks.DEFAULT_INDEX)
        if self.unit_box is not None and unit:
            for v in self.unit_box.cget("values"):
                if v.split(" ", 1)[0] == unit:
                    self.unit_box.set(v)
        if period:
            year = task_tree.period_year(period)
            if str(year) != self.year_box.get():
                self.year_box.set(str(year))
        self._reload(keep_filters=False)
        self.search_var.set("")
        self.status_box.current(0)
        self.overdue_var.set(False)
        if period:
            self.period_box.current(
                self._period_values.index(period) if period in self._period_values else 1
            )
        self.apply_filters()
        target = next(
            (
                iid
                for iid, r in self._shown.items()
                if r["code"] == code and (period is None or r["period"] == period)
            ),
            None,
        )
        if target is None:
            return False
        self._fill_deferred("t:" + target.split("|")[1])
        self.tree.selection_set(target)
        self.tree.see(target)
        self.tree.focus(target)
        self._on_select()
        return True

    # -- page contract -----------------------------------------------------------
    def has_unsaved_changes(self) -> bool:
        return self.editor.has_changes()

    def save_changes(self) -> bool:
        return self.editor.save()

    def discard_changes(self) -> None:
        self.editor.discard()

    def on_escape(self) -> None:
        if self.editor.has_changes():
            self.editor.discard()
        elif self.search_var.get():
            self._clear_search()

    def focus_search(self) -> None:
        self.search_entry.focus_set()
        self.search_entry.select_range(0, "end")
        self.search_entry.icursor("end")

    def new_item(self) -> None:
        """Tasks come from the framework; Ctrl+N attaches evidence to the open task instead."""
        if not self.read_only and self.editor.row is not None:
            self.editor.attach_files()
