"""The "Công khai" page: the disclosure register (status colours, filters, folded search,
the detail of the chosen item with per-place dates) and the yearly plan tab.

A year's items are loaded once through ``services.disclosures.list_items`` (computed dates
included); the status filter and the search work on those rows in memory and the list is
refilled in one pass.
"""

from __future__ import annotations

import tkinter as tk
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.errors import StorageError, UserError
from papi_desktop.services import dashboard, disclosures, district
from papi_desktop.services.formatting import fold
from papi_desktop.ui import dialogs
from papi_desktop.ui.pages import fields
from papi_desktop.ui.pages.base import Page
from papi_desktop.ui.pages.disclosure_editor import (
    STATE_TAGS,
    DisclosureDetail,
    DisclosureForm,
    state_label,
)

ALL = "__all__"
COLUMNS = ("title", "type", "decision", "trigger", "deadline", "ends", "status")
# Words from the one label table; the colour tag is the window's own.
PLAN_STATES = {
    k: (v["vi"], v["en"], tag)
    for (k, v), tag in zip(
        disclosures.PLAN_STATE_LABELS.items(),
        ("danger", "warning", "", "success", "danger", "", ""),  # missing … before_tracking
        strict=True,
    )
}


def item_row_values(
    item: dict[str, Any], lang: str, type_names: dict[str, str] | None = None
) -> tuple[str, ...]:
    """The register columns of one item (``list_items`` dict); ``type_names``: the types'
    names in the UI language by code (the item carries the Vietnamese name)."""
    ends = [p["ends_on"] for p in item["places"] if p["ends_on"] and p["state"] == "posting"]
    return (
        item["title"],
        (type_names or {}).get(item["type"]) or item["type_name"],
        item["decision_no"] or "",
        fields.iso_to_text(item["trigger_date"]),
        fields.iso_to_text(item["post_deadline"]),
        fields.iso_to_text(min(ends)) if ends else "",
        state_label(item["status"], lang),
    )


class DisclosuresPage(Page):
    key = "disclosures"
    title_vi = "Công khai"
    title_en = "Disclosure"
    icon = "megaphone"
    min_size = (820, 540)

    def __init__(self, master: Any, shell: Any) -> None:
        super().__init__(master, shell)
        self.read_only = not self.ctx.require_site().is_commune
        self._items: list[dict[str, Any]] = []
        self._keys: dict[str, str] = {}
        self._values: dict[str, tuple[str, ...]] = {}
        self._sort_keys: dict[int, dict[str, tuple]] = {}
        self._stamp: tuple[Any, ...] | None = None
        self._order: list[str] = []
        self._current_id: str | None = None
        self._selecting = False
        self._search_job: str | None = None
        self.form: DisclosureForm | None = None
        self._build()

    @property
    def lang(self) -> str:
        return "en" if self.tr("vi", "en") == "en" else "vi"

    # -- layout ----------------------------------------------------------------
    def _build(self) -> None:
        self.columnconfigure(0, weight=1)
        self.rowconfigure(0, weight=1)
        self.notebook = ttk.Notebook(self)
        self.notebook.grid(row=0, column=0, sticky="nsew")
        self.register_tab = ttk.Frame(self.notebook, padding=6)
        self.plan_tab = ttk.Frame(self.notebook, padding=6)
        self.notebook.add(self.register_tab, text=self.tr("Sổ công khai", "Register"))
        self.notebook.add(self.plan_tab, text=self.tr("Kế hoạch năm", "Yearly plan"))
        self.notebook.bind("<<NotebookTabChanged>>", lambda e: self._tab_changed())
        self._build_register()
        self._build_plan()

    def _build_register(self) -> None:
        tab = self.register_tab
        tab.columnconfigure(0, weight=1)
        tab.rowconfigure(1, weight=1)
        bar = ttk.Frame(tab)
        bar.grid(row=0, column=0, sticky="ew", pady=(0, 6))
        today = self.ctx.today()
        if self.read_only:
            # the commune on a line of its own, so the filters fit 1024 pixels
            line = ttk.Frame(bar)
            line.pack(side="top", fill="x", pady=(0, 4))
            ttk.Label(line, text=self.tr("Xã/phường", "Commune")).pack(side="left", padx=(0, 4))
            self.unit_box = ttk.Combobox(line, state="readonly", width=30)
            self.unit_box.bind("<<ComboboxSelected>>", lambda e: self.reload())
            self.unit_box.pack(side="left", padx=(0, 10))
        else:
            self.unit_box = None
        ttk.Label(bar, text=self.tr("Năm", "Year")).pack(side="left", padx=(0, 4))
        self._year_values = [ALL] + [str(y) for y in range(today.year + 1, today.year - 6, -1)]
        self.year_box = ttk.Combobox(
            bar,
            values=[self.tr("Tất cả", "All"), *self._year_values[1:]],
            state="readonly",
            width=7,
        )
        self.year_box.set(str(today.year))
        self.year_box.bind("<<ComboboxSelected>>", lambda e: self.reload())
        self.year_box.pack(side="left", padx=(0, 10))
        ttk.Label(bar, text=self.tr("Tình trạng", "State")).pack(side="left", padx=(0, 4))
        self._status_values = [ALL, *disclosures.ITEM_STATE_LABELS]
        self.status_box = ttk.Combobox(
            bar,
            values=[self.tr("Tất cả", "All")]
            + [v[self.lang] for v in disclosures.ITEM_STATE_LABELS.values()],
            state="readonly",
            width=20,
        )
        self.status_box.current(0)
        self.status_box.bind("<<ComboboxSelected>>", lambda e: self.apply_filters())
        self.status_box.pack(side="left", padx=(0, 10))
        ttk.Label(bar, text=self.tr("Tìm (Ctrl+F)", "Search (Ctrl+F)")).pack(
            side="left", padx=(0, 4)
        )
        self.search_var = tk.StringVar()
        self.search_entry = ttk.Entry(bar, textvariable=self.search_var, width=18)
        self.search_entry.pack(side="left")
        self.search_var.trace_add("write", lambda *a: self._search_soon())
        self.search_entry.bind("<Return>", lambda e: self.apply_filters())
        self.search_entry.bind("<Escape>", self._clear_search)
        self.add_button = ttk.Button(
            bar, text=self.tr("Thêm mới (Ctrl+N)", "New (Ctrl+N)"), bootstyle="primary",
            command=self.new_item,
        )  # fmt: skip
        if not self.read_only:
            self.add_button.pack(side="right")
        self.count_label = ttk.Label(bar, bootstyle="secondary")
        self.count_label.pack(side="right", padx=10)

        panes = ttk.Panedwindow(tab, orient="vertical")
        panes.grid(row=1, column=0, sticky="nsew")
        top = ttk.Frame(panes)
        top.columnconfigure(0, weight=1)
        top.rowconfigure(0, weight=1)
        self.tree = ttk.Treeview(
            top, columns=COLUMNS, show="headings", selectmode="browse", height=9
        )
        heads = {
            "title": (self.tr("Nội dung", "Item"), 280, True),
            "type": (self.tr("Loại", "Type"), 190, True),
            "decision": (self.tr("Số văn bản", "Document"), 100, False),
            "trigger": (self.tr("Ngày căn cứ", "Trigger"), 96, False),
            "deadline": (self.tr("Hạn niêm yết", "Deadline"), 100, False),
            "ends": (self.tr("Kết thúc sớm nhất", "Next end"), 146, False),
            "status": (self.tr("Tình trạng", "State"), 164, False),
        }
        fields.sortable_headings(self.tree, {k: v[0] for k, v in heads.items()}, self.sort_by)
        for col, (_text, width, stretch) in heads.items():
            self.tree.column(col, width=width, minwidth=60, stretch=stretch)
            self.tree.heading(col, anchor="w")
        self.tree.grid(row=0, column=0, sticky="nsew")
        ys = ttk.Scrollbar(top, orient="vertical", command=self.tree.yview)
        ys.grid(row=0, column=1, sticky="ns")
        self.tree.configure(yscrollcommand=ys.set)
        for tag, colour, amount in (
            ("danger", "danger", 0.3), ("warning", "warning", 0.3), ("success", "success", 0.3),
            ("info", "primary", 0.2),
        ):  # fmt: skip
            self.tree.tag_configure(tag, background=fields.tint(colour, amount))
        self.tree.bind("<<TreeviewSelect>>", self._on_select)
        self.tree.bind("<FocusIn>", self._tree_focused, add="+")
        legend = ttk.Frame(top)
        legend.grid(row=1, column=0, sticky="w", pady=(4, 0))
        for colour, vi, en in (
            ("danger", "Quá hạn / gỡ trước hạn", "Overdue / taken down early"),
            ("warning", "Sắp hết thời gian niêm yết", "Ending soon"),
            ("success", "Đã đủ thời gian", "Complete"),
            ("primary", "Niêm yết thường xuyên", "Permanent"),
        ):
            tk.Label(
                legend, text=f"  {self.tr(vi, en)}  ",
                background=fields.tint(colour, 0.2 if colour == "primary" else 0.3),
                foreground=fields.theme_colour("fg"),
            ).pack(side="left", padx=(0, 6))  # fmt: skip
        self.empty_label = ttk.Label(top, bootstyle="secondary")
        panes.add(top, weight=1)
        self.detail = DisclosureDetail(panes, self, read_only=self.read_only)
        panes.add(self.detail, weight=1)

    def _build_plan(self) -> None:
        tab = self.plan_tab
        tab.columnconfigure(0, weight=1)
        tab.rowconfigure(1, weight=1)
        bar = ttk.Frame(tab)
        bar.grid(row=0, column=0, sticky="ew", pady=(0, 6))
        ttk.Label(bar, text=self.tr("Năm", "Year")).pack(side="left", padx=(0, 4))
        today = self.ctx.today()
        self.plan_year = ttk.Combobox(
            bar,
            values=[str(y) for y in range(today.year + 1, today.year - 6, -1)],
            state="readonly",
            width=7,
        )
        self.plan_year.set(str(today.year))
        self.plan_year.bind("<<ComboboxSelected>>", lambda e: self.load_plan())
        self.plan_year.pack(side="left")
        self.plan_summary = ttk.Label(bar, bootstyle="secondary")
        self.plan_summary.pack(side="left", padx=12)
        ttk.Label(
            bar,
            text=self.tr(
                "Nhấp đúp: mở nội dung đã công khai, hoặc thêm mới cho dòng còn thiếu",
                "Double-click: open the item, or add one for a missing line",
            ),
            bootstyle="secondary",
        ).pack(side="right")
        cols = ("due", "period", "type", "state", "item")
        self.plan_tree = ttk.Treeview(tab, columns=cols, selectmode="browse")
        self.plan_tree.heading(
            "#0", text=self.tr("Nội dung dự kiến", "Expected disclosure"), anchor="w"
        )
        self.plan_tree.column("#0", width=360, stretch=True)
        for col, vi, en, w in (
            ("due", "Hạn", "Due", 90),
            ("period", "Kỳ", "Period", 60),
            ("type", "Loại", "Type", 240),
            ("state", "Tình trạng", "State", 110),
            ("item", "Nội dung đã ghi", "Recorded item", 260),
        ):
            self.plan_tree.heading(col, text=self.tr(vi, en), anchor="w")
            self.plan_tree.column(col, width=w, stretch=col in ("type", "item"))
        self.plan_tree.grid(row=1, column=0, sticky="nsew")
        ys = ttk.Scrollbar(tab, orient="vertical", command=self.plan_tree.yview)
        ys.grid(row=1, column=1, sticky="ns")
        self.plan_tree.configure(yscrollcommand=ys.set)
        for tag in ("success", "danger", "warning"):
            self.plan_tree.tag_configure(tag, background=fields.tint(tag, 0.3))
        self.plan_tree.bind("<Double-1>", lambda e: self.open_plan_line())
        self.plan_tree.bind("<Return>", lambda e: (self.open_plan_line(), "break")[1])
        self._plan: dict[str, dict[str, Any]] = {}

    # -- loading ---------------------------------------------------------------
    def on_show(self) -> None:
        # Coming back to an unchanged register (no write since it was read, same day) keeps
        # the list as it is, so switching pages stays instant at 10,000 items.
        if self._stamp is None or dashboard.change_stamp(self.ctx) != self._stamp:
            self.reload()

    def _unit(self) -> str | None:
        return fields.chosen_unit(self.unit_box)

    def _fill_units(self) -> None:
        if self.unit_box is None:
            return
        # Every commune known to the office, with or without disclosures recorded, so one
        # that recorded nothing still shows its missing plan entries.
        codes = district.enrolled_units(self.ctx)
        fields.fill_unit_box(self.unit_box, codes, district.unit_names(self.ctx, codes))

    def reload(self) -> None:
        """Read the chosen year's items again (computed dates included), then filter."""
        self._stamp = dashboard.change_stamp(self.ctx)
        try:
            self._fill_units()
            i = self.year_box.current()
            year = self._year_values[i] if i >= 0 else str(self.ctx.today().year)
            unit = self._unit()
            if self.read_only and unit is None:
                self._items = []
            else:
                self._items = disclosures.list_items(
                    self.ctx, year=None if year == ALL else int(year), unit=unit
                )
        except (UserError, StorageError) as exc:
            self._items = []
            self.count_label.configure(text=fields.message_of(exc, self.lang))
        lang = self.lang
        self._keys = {
            i["id"]: fold(f"{i['title']} {i['type_name']} {i['decision_no']}") for i in self._items
        }
        names = (
            {t["code"]: t["name_en"] for t in disclosures.list_types(self.ctx)}
            if lang == "en"
            else None
        )
        self._values = {i["id"]: item_row_values(i, lang, names) for i in self._items}
        self._sort_keys = {}
        self._by_id = {i["id"]: i for i in self._items}
        self.apply_filters()
        if self._current_id and self._current_id in self._by_id:
            self.detail.load(self._by_id[self._current_id])
        elif self._current_id:
            self._current_id = None
            self.detail.load(None)
        if self.notebook.select() == str(self.plan_tab):
            self.load_plan()  # e.g. the office chose another commune

    def filtered_ids(self) -> list[str]:
        i = self.status_box.current()
        status = self._status_values[i] if i > 0 else None
        words = fold(self.search_var.get()).split()
        out = []
        for item in self._items:
            if status and item["status"] != status:
                continue
            if words:
                key = self._keys[item["id"]]
                if not all(w in key for w in words):
                    continue
            out.append(item["id"])
        return out

    def apply_filters(self) -> None:
        """Filter the loaded items and refill the list in one pass."""
        self._search_job = None
        ids = self.filtered_ids()
        self._render(ids)
        late = sum(1 for i in ids if self._by_id[i]["status"] in ("overdue_post", "violation"))
        self.count_label.configure(
            text=self.tr(
                f"{len(ids)} nội dung · {late} quá hạn", f"{len(ids)} items · {late} overdue"
            )
        )

    def _render(self, ids: list[str]) -> None:
        tree = self.tree
        tree.delete(*tree.get_children())
        insert = tree.insert
        values = self._values
        by_id = self._by_id
        for iid in ids:
            tag = STATE_TAGS.get(by_id[iid]["status"])
            insert("", "end", iid=iid, values=values[iid], tags=(tag,) if tag else ())
        self._order = ids
        if ids:
            self.empty_label.place_forget()
        else:
            self.empty_label.configure(
                text=self.tr(
                    "Chưa có nội dung nào khớp. Bấm “Thêm mới” để ghi nội dung cần công khai.",
                    "Nothing matches. Press “New” to register an item.",
                )
            )
            self.empty_label.place(relx=0.5, rely=0.4, anchor="center")
        if self._current_id and tree.exists(self._current_id):
            self._selecting = True
            tree.selection_set(self._current_id)
            tree.see(self._current_id)
            self._selecting = False

    def sort_by(self, column: str, reverse: bool) -> None:
        """Sort the shown lines by a column (dates as dates, text in Vietnamese order)."""
        index = COLUMNS.index(column)
        keys = self._sort_keys.get(index)
        if keys is None:  # computed once per load and column, once per distinct text
            by_text: dict[str, tuple] = {}
            keys = {}
            for i, v in self._values.items():
                text = v[index]
                k = by_text.get(text)
                if k is None:
                    k = by_text[text] = fields.sort_value(text)
                keys[i] = k
            self._sort_keys[index] = keys
        ids = sorted(self._order, key=keys.__getitem__, reverse=reverse)
        self._items.sort(key=lambda it: keys[it["id"]], reverse=reverse)
        self._render(ids)

    def _search_soon(self) -> None:
        if self._search_job is not None:
            self.after_cancel(self._search_job)
        self._search_job = self.after(150, self.apply_filters)

    def _clear_search(self, _event: Any = None) -> str:
        self.search_var.set("")
        self.apply_filters()
        return "break"

    # -- selection ---------------------------------------------------------------
    def _tree_focused(self, _event: Any = None) -> None:
        """Tab into the register: the selected item, or else the first one, gets the
        keyboard focus mark (and is selected), so Up/Down work at once."""
        tree = self.tree
        if tree.focus() and tree.exists(tree.focus()):
            return
        selected = [i for i in tree.selection() if tree.exists(i)]
        target = selected[0] if selected else next(iter(tree.get_children()), "")
        if target:
            tree.focus(target)
            tree.selection_set(target)
            tree.see(target)

    def _on_select(self, _event: Any = None) -> None:
        if self._selecting:
            return
        sel = self.tree.selection()
        if not sel or sel[0] == self._current_id:
            return
        if self.detail.has_changes():
            answer = dialogs.ask_save_discard_cancel(
                self.winfo_toplevel(),
                self.tr(
                    "Thông tin đang sửa chưa được lưu. Lưu trước khi chuyển?",
                    "Your edits are not saved. Save them first?",
                ),
            )
            ok = self.detail.save() if answer == "save" else answer == "discard"
            if not ok:
                self._selecting = True
                if self._current_id and self.tree.exists(self._current_id):
                    self.tree.selection_set(self._current_id)
                self._selecting = False
                return
        self._current_id = sel[0]
        self.detail.load(self._by_id[sel[0]])

    def select_item(self, item_id: str) -> bool:
        """Show item ``item_id``, clearing filters that hide it."""
        if item_id not in self._by_id:
            self.year_box.current(0)
            self.reload()
        self.status_box.current(0)
        self.search_var.set("")
        self.apply_filters()
        if not self.tree.exists(item_id):
            return False
        self.notebook.select(self.register_tab)
        self.tree.selection_set(item_id)
        self.tree.see(item_id)
        self.tree.focus(item_id)
        self._on_select()
        return True

    def item_added(self, item_id: str) -> None:
        """The add form saved a new item: show it."""
        self.form = None
        self._current_id = None
        self.reload()
        self.select_item(item_id)

    def item_changed(self, item_id: str) -> None:
        self._current_id = item_id
        self.reload()

    # -- plan -----------------------------------------------------------------------
    def _tab_changed(self) -> None:
        if self.notebook.select() == str(self.plan_tab):
            self.load_plan()

    def load_plan(self) -> None:
        tree = self.plan_tree
        tree.delete(*tree.get_children())
        try:
            unit = self._unit()
            if self.read_only and unit is None:
                plan = []
            else:
                # The office sees the commune's expected disclosures (generated plan or not),
                # the same entries as ``communes list``.
                plan = dashboard.plan_lines(self.ctx, int(self.plan_year.get()), unit=unit)
        except (UserError, StorageError) as exc:
            self.plan_summary.configure(text=fields.message_of(exc, self.lang))
            return
        titles = {i["id"]: i["title"] for i in self._items}
        self._plan = {}
        counts = dict.fromkeys(PLAN_STATES, 0)
        for p in plan:
            vi, en, tag = PLAN_STATES[p["state"]]
            counts[p["state"]] += 1
            label = (p["label_en"] if self.lang == "en" and p["label_en"] else p["label"]) or p[
                "type_name"
            ]
            due = fields.iso_to_text(p["due"])
            if p.get("estimated"):
                due += self.tr(" (dự kiến)", " (expected)")
            if p.get("provisional"):
                due += " *"  # the calendar of that date is not official yet
            reason = self.tr(p.get("reason_vi", ""), p.get("reason_en", ""))
            item = titles.get(p["disclosure_id"] or "", "✓" if p["disclosure_id"] else "")
            tree.insert(
                "", "end", iid=p["id"], text=label,
                values=(due, p["period"], p["type_name"], self.tr(vi, en),
                        f"{item} — {reason}" if item else reason),
                tags=(tag,) if tag else (),
            )  # fmt: skip
            self._plan[p["id"]] = p
        who = (
            f"{self.unit_box.get()}: " if self.unit_box is not None and self.unit_box.get() else ""
        )
        # "*" marks a date over days off not yet official: say how far the calendar goes.
        horizon = ""
        if any(p.get("provisional") for p in plan):
            horizon = " · * " + disclosures.calendar_horizon_note(self.ctx, self.lang)
        self.plan_summary.configure(
            text=who
            + self.tr(
                " · ".join(f"{n} {PLAN_STATES[k][0].lower()}" for k, n in counts.items() if n),
                " · ".join(f"{n} {PLAN_STATES[k][1].lower()}" for k, n in counts.items() if n),
            )
            + horizon
        )

    def open_plan_line(self) -> None:
        sel = self.plan_tree.selection()
        if not sel:
            return
        p = self._plan[sel[0]]
        if p["disclosure_id"]:
            self.select_item(p["disclosure_id"])
        elif not self.read_only:
            self.new_item(type_code=p["type"], title=self._plan_title(p))

    def _plan_title(self, p: dict[str, Any]) -> str:
        label = p["label_en"] if self.lang == "en" and p["label_en"] else p["label"]
        return label or p["type_name"]

    def open_plan(self, plan_id: str, type_code: str | None = None) -> bool:
        """A yearly-plan line (from the home page): show its item when it was disclosed,
        else open "Thêm mới" with its type chosen and its label as the suggested title."""
        from papi_desktop.services import dashboard

        p = dashboard.plan_line(self.ctx, plan_id)
        if p is not None and self.read_only:
            self.show_unit(p["unit"])
        if p is not None and p["disclosure_id"]:
            return self.select_item(p["disclosure_id"])
        if self.read_only:
            return False
        code = p["type"] if p is not None else type_code
        if not code:
            return False
        self.new_item(type_code=code, title=self._plan_title(p) if p is not None else None)
        return True

    def show_unit(self, unit: str) -> bool:
        """The office: show commune ``unit``'s register and plan."""
        if self.unit_box is None:
            return False
        self._fill_units()
        values = list(self.unit_box.cget("values"))
        for value in values:
            if value.split(" ", 1)[0] == unit:
                if value != self.unit_box.get():
                    self.unit_box.set(value)
                    self.reload()
                return True
        return False

    # -- page contract ----------------------------------------------------------------
    def new_item(self, type_code: str | None = None, title: str | None = None) -> None:
        if self.read_only:
            return
        if self.form is not None and self.form.winfo_exists():
            if type_code:
                self.form.choose_type(type_code)
            self.form.lift()
            return
        self.form = DisclosureForm(self, type_code=type_code, title=title)

    def show_item(self, select: dict[str, Any] | None = None, **kwargs: Any) -> bool:
        """``select={"id": …}`` shows an item; ``select={"plan": …, "type": …}`` (a missing
        plan line on the home page) opens the add form for it."""
        sel = {**(select or {}), **kwargs}
        if sel.get("id"):
            return self.select_item(sel["id"])
        if sel.get("plan"):
            return self.open_plan(sel["plan"], sel.get("type"))
        return False

    def has_unsaved_changes(self) -> bool:
        return self.detail.has_changes()

    def save_changes(self) -> bool:
        return self.detail.save()

    def discard_changes(self) -> None:
        self.detail.discard()

    def focus_search(self) -> None:
        self.notebook.select(self.register_tab)
        self.search_entry.focus_set()
        self.search_entry.select_range(0, "end")

    def on_escape(self) -> None:
        if self.detail.has_changes():
            self.detail.discard()
        elif self.search_var.get():
            self._clear_search()
