"""Danh mục: holidays per year, villages / tổ dân phố, and the disclosure-type catalogue
(legal figures editable, with each type's confidence and note shown prominently).
"""

from __future__ import annotations

from typing import Any

import ttkbootstrap as ttk

from papi_desktop.errors import UserError
from papi_desktop.services.formatting import format_date
from papi_desktop.ui import dialogs
from papi_desktop.ui.pages.base import Page
from papi_desktop.ui.widgets import Column, DateField, FoldedCombobox, SortableList

CONFIDENCE_LABELS = {
    "H": ("Cao — đã đối chiếu văn bản", "High — checked against the text"),
    "M": ("Trung bình — cần kiểm tra lại", "Medium — to be re-checked"),
    "L": ("THẤP — CHƯA XÁC NHẬN, hãy kiểm tra văn bản", "LOW — UNCONFIRMED, check the law"),
}
UNIT_LABELS = {
    "calendar": ("ngày", "days"),
    "working": ("ngày làm việc", "working days"),
    "permanent": ("thường xuyên", "permanent"),
}


def _iso_to_vn(v: Any) -> str:
    from datetime import date

    return format_date(date.fromisoformat(v)) if v else ""


class CatalogPage(Page):
    key = "catalog"
    title_vi = "Danh mục"
    title_en = "Catalogues"
    icon = "journal-text"

    def __init__(self, master: Any, shell: Any) -> None:
        super().__init__(master, shell)
        ttk.Label(self, text=self.tr("Danh mục", "Catalogues"), font="-size 16 -weight bold").pack(
            anchor="w"
        )
        self.notebook = ttk.Notebook(self)
        self.notebook.pack(fill="both", expand=True, pady=(8, 0))
        self.holidays = HolidayTab(self.notebook, self)
        self.notebook.add(self.holidays, text=self.tr("Ngày nghỉ lễ", "Holidays"))
        if self.ctx.site and self.ctx.site.is_commune:
            self.places = PlacesTab(self.notebook, self)
            self.notebook.add(self.places, text=self.tr("Thôn, tổ dân phố", "Villages"))
        else:
            self.places = None
        self.types = TypesTab(self.notebook, self)
        self.notebook.add(self.types, text=self.tr("Loại nội dung công khai", "Disclosure types"))

    def tabs(self) -> list[Any]:
        return [t for t in (self.holidays, self.places, self.types) if t is not None]

    def current_tab(self) -> Any:
        widget = self.nametowidget(self.notebook.select())
        return widget

    def on_show(self) -> None:
        for tab in self.tabs():
            tab.refresh()

    def has_unsaved_changes(self) -> bool:
        return any(t.dirty() for t in self.tabs())

    def save_changes(self) -> bool:
        return all(t.save() for t in self.tabs() if t.dirty())

    def discard_changes(self) -> None:
        for t in self.tabs():
            t.load_selected()

    def focus_search(self) -> None:
        tab = self.current_tab()
        if hasattr(tab, "search_entry"):
            tab.search_entry.focus_set()

    def new_item(self) -> None:
        tab = self.current_tab()
        if hasattr(tab, "new"):
            tab.new()


class HolidayTab(ttk.Frame):
    """Days off of one year: list on the left, the selected day's form on the right."""

    def __init__(self, master: Any, page: CatalogPage) -> None:
        super().__init__(master, padding=10)
        self.page = page
        self.ctx = page.ctx
        tr = page.tr
        self.editing_id: str | None = None
        self._loaded: dict[str, Any] = {}
        top = ttk.Frame(self)
        top.grid(row=0, column=0, columnspan=2, sticky="ew", pady=(0, 6))
        ttk.Label(top, text=tr("Năm", "Year")).pack(side="left")
        self.year_var = ttk.StringVar(value=str(self.ctx.today().year))
        self.year_box = ttk.Combobox(top, textvariable=self.year_var, width=6, state="readonly")
        self.year_box.pack(side="left", padx=6)
        self.year_box.bind("<<ComboboxSelected>>", lambda _e: self.refresh())
        ttk.Label(
            top,
            text=tr(
                "Thời hạn tính theo ngày làm việc bỏ qua các ngày nghỉ này; sửa ở đây khi Chính "
                "phủ công bố lịch nghỉ.",
                "Working-day deadlines skip these days; update when the Government announces "
                "the calendar.",
            ),
            bootstyle="secondary",
        ).pack(side="left", padx=12)
        # Where this year's list came from (the app, a workbook, the office by USB) and how
        # far the official days off go.
        self.origin_label = ttk.Label(top, text="", bootstyle="info")
        self.origin_label.pack(side="left", padx=12)
        lang = page.shell.lang
        self.list = SortableList(
            self,
            [
                Column("day", tr("Ngày", "Date"), 95, format=_iso_to_vn),
                Column("kind_label", tr("Loại", "Kind"), 190),
                Column("name", tr("Tên", "Name"), 300, stretch=True),
                Column("note", tr("Ghi chú", "Note"), 110),
            ],
            height=16,
            on_select=lambda _r: self.load_selected(),
        )
        self.list.grid(row=1, column=0, sticky="nsew")
        self.rowconfigure(1, weight=1)
        self.columnconfigure(0, weight=1)
        form = ttk.Labelframe(self, text=tr("Ngày đang chọn", "Selected day"), padding=10)
        form.grid(row=1, column=1, sticky="nsew", padx=(10, 0))
        self.form = form
        ttk.Label(form, text=tr("Ngày (dd/mm/yyyy)", "Date (dd/mm/yyyy)")).grid(
            row=0, column=0, sticky="w"
        )
        self.day_field = DateField(form, lang=lang, required=True)
        self.day_field.grid(row=1, column=0, sticky="w", pady=(0, 6))
        ttk.Label(form, text=tr("Loại ngày", "Kind")).grid(row=2, column=0, sticky="w")
        from papi_desktop.services.catalogs import HOLIDAY_KIND_LABELS

        self.kind_box = FoldedCombobox(
            form, [(v[lang], k) for k, v in HOLIDAY_KIND_LABELS.items()], width=30, state="readonly"
        )
        self.kind_box.grid(row=3, column=0, sticky="w", pady=(0, 6))
        self.name_vi = self._entry(form, 4, tr("Tên (tiếng Việt)", "Name (Vietnamese)"))
        self.name_en = self._entry(form, 6, tr("Tên (tiếng Anh)", "Name (English)"))
        self.basis = self._entry(form, 8, tr("Căn cứ", "Legal basis"))
        self.provisional_var = ttk.BooleanVar(value=False)
        ttk.Checkbutton(
            form,
            text=tr("Dự kiến (chưa có thông báo chính thức)", "Provisional (not yet announced)"),
            variable=self.provisional_var,
        ).grid(row=10, column=0, sticky="w", pady=6)
        buttons = ttk.Frame(form)
        buttons.grid(row=11, column=0, sticky="ew", pady=(8, 0))
        self.save_button = ttk.Button(
            buttons, text=tr("Lưu", "Save"), icon="check-lg", bootstyle="primary", command=self.save
        )
        self.save_button.pack(side="left")
        self.new_button = ttk.Button(
            buttons, text=tr("Thêm ngày mới", "New day"), icon="plus-lg", command=self.new
        )
        self.new_button.pack(side="left", padx=6)
        self.delete_button = ttk.Button(
            buttons,
            text=tr("Xóa", "Delete"),
            icon="trash",
            bootstyle="danger-outline",
            command=self.delete,
        )
        self.delete_button.pack(side="left")
        self.message = ttk.Label(form, text="", wraplength=300)
        self.message.grid(row=12, column=0, sticky="w", pady=(8, 0))
        self.new()

    def _entry(self, form: Any, row: int, label: str) -> ttk.Entry:
        ttk.Label(form, text=label).grid(row=row, column=0, sticky="w")
        e = ttk.Entry(form, width=34)
        e.grid(row=row + 1, column=0, sticky="w", pady=(0, 6))
        return e

    def _origin_text(self, year: int, lang: str) -> str:
        from papi_desktop.services import holidays_io

        tr = self.page.tr
        found = [v for v in holidays_io.calendar_versions(self.ctx) if v["year"] == year]
        note = self.ctx.calendar().horizon_note(lang)
        if not found:
            return note
        v = found[0]
        who = ", ".join(
            {"this PC": tr("máy này", "this PC"), "catalog": tr("phần mềm", "the app")}.get(p, p)
            for p in v["publishers"]
        )
        when = _iso_to_vn(v["updated_at"][:10]) if v["updated_at"] else ""
        return tr(f"Do {who} ban hành, cập nhật {when}. ", f"Published by {who}, {when}. ") + note

    def refresh(self) -> None:
        from papi_desktop.services import catalogs

        lang = self.page.shell.lang
        self.year_box.configure(values=[str(y) for y in catalogs.holiday_years(self.ctx)])
        rows = []
        for r in catalogs.list_holidays(self.ctx, int(self.year_var.get())):
            note = []
            if r["provisional"]:
                note.append(self.page.tr("dự kiến", "provisional"))
            if r["source"] == "user":
                note.append(self.page.tr("do xã nhập", "entered here"))
            rows.append(
                {
                    **r,
                    "kind_label": catalogs.HOLIDAY_KIND_LABELS[r["kind"]][lang],
                    "name": r["name_en"] if lang == "en" and r["name_en"] else r["name_vi"],
                    "note": ", ".join(note),
                }
            )
        self.list.set_rows(rows)
        self.origin_label.configure(text=self._origin_text(int(self.year_var.get()), lang))
        if self.editing_id:
            self.list.select(lambda r: r["id"] == self.editing_id)

    def _form_values(self) -> dict[str, Any]:
        return {
            "day": self.day_field.text,
            "kind": self.kind_box.value or "",
            "name_vi": self.name_vi.get().strip(),
            "name_en": self.name_en.get().strip(),
            "legal_basis": self.basis.get().strip(),
            "provisional": bool(self.provisional_var.get()),
        }

    def _fill(self, values: dict[str, Any]) -> None:
        self.day_field.set(values.get("day") or None)
        self.kind_box.select_value(values.get("kind") or "holiday")
        for entry, key in (
            (self.name_vi, "name_vi"),
            (self.name_en, "name_en"),
            (self.basis, "legal_basis"),
        ):
            entry.delete(0, "end")
            entry.insert(0, values.get(key) or "")
        self.provisional_var.set(bool(values.get("provisional")))
        self._loaded = self._form_values()

    def dirty(self) -> bool:
        return self._form_values() != self._loaded

    def load_selected(self) -> None:
        r = self.list.selected()
        if r is None:
            self.new()
            return
        self.editing_id = r["id"]
        self._fill(r)
        self.delete_button.configure(state="normal")
        self.message.configure(text="")

    def new(self) -> None:
        self.editing_id = None
        self.list.tree.selection_remove(*self.list.tree.selection())
        self._fill({"kind": "holiday"})
        self.delete_button.configure(state="disabled")
        self.day_field.focus_set()

    def save(self) -> bool:
        from papi_desktop.services import catalogs

        if not self.day_field.validate():
            return False
        values = self._form_values()
        try:
            if self.editing_id:
                self.editing_id = catalogs.update_holiday(self.ctx, self.editing_id, values)
            else:
                self.editing_id = catalogs.add_holiday(self.ctx, **values)
        except UserError as exc:
            self.message.configure(text=exc.message(self.page.shell.lang), bootstyle="danger")
            return False
        year = values["day"][-4:]
        if year.isdigit() and year != self.year_var.get():
            self.year_var.set(year)
        self._loaded = self._form_values()
        self.refresh()
        self.message.configure(
            text=self.page.tr(
                "Đã lưu. Các thời hạn được tính lại theo lịch mới.",
                "Saved. Deadlines now follow the new calendar.",
            ),
            bootstyle="success",
        )
        return True

    def delete(self) -> None:
        from papi_desktop.services import catalogs

        r = self.list.selected()
        if r is None:
            return
        if not dialogs.ask_yes_no(
            self,
            self.page.tr(
                f"Xóa ngày {format_date_iso(r['day'])} ({r['name_vi']}) khỏi lịch nghỉ?",
                f"Remove {format_date_iso(r['day'])} ({r['name_vi']}) from the calendar?",
            ),
        ):
            return
        catalogs.delete_holiday(self.ctx, r["id"])
        self.new()
        self.refresh()


def format_date_iso(v: str) -> str:
    return _iso_to_vn(v)


class PlacesTab(ttk.Frame):
    """The commune's villages / tổ dân phố (posting places besides the commune office)."""

    def __init__(self, master: Any, page: CatalogPage) -> None:
        super().__init__(master, padding=10)
        self.page = page
        self.ctx = page.ctx
        tr = page.tr
        self.list = SortableList(
            self,
            [
                Column("name", tr("Tên", "Name"), 360, stretch=True),
                Column("kind_label", tr("Loại", "Kind"), 160),
            ],
            height=16,
        )
        self.list.grid(row=0, column=0, rowspan=4, sticky="nsew")
        self.columnconfigure(0, weight=1)
        self.rowconfigure(3, weight=1)
        ttk.Label(self, text=tr("Tên thôn, tổ dân phố mới", "New village name")).grid(
            row=0, column=1, sticky="w", padx=10
        )
        self.name_entry = ttk.Entry(self, width=32)
        self.name_entry.grid(row=1, column=1, sticky="w", padx=10)
        self.name_entry.bind("<Return>", lambda _e: self.add())
        buttons = ttk.Frame(self)
        buttons.grid(row=2, column=1, sticky="nw", padx=10, pady=6)
        self.add_button = ttk.Button(
            buttons, text=tr("Thêm", "Add"), icon="plus-lg", bootstyle="primary", command=self.add
        )
        self.add_button.pack(side="left")
        self.remove_button = ttk.Button(
            buttons, text=tr("Xóa dòng đã chọn", "Remove selected"), icon="trash",
            bootstyle="danger-outline", command=self.remove,
        )  # fmt: skip
        self.remove_button.pack(side="left", padx=6)
        self.message = ttk.Label(self, text="", wraplength=300)
        self.message.grid(row=3, column=1, sticky="nw", padx=10)
        self.search_entry = self.name_entry

    def refresh(self) -> None:
        from papi_desktop.services import units

        labels = {
            "hq": self.page.tr("Trụ sở UBND", "Commune office"),
            "village": self.page.tr("Thôn, tổ dân phố", "Village"),
        }
        rows = [
            {**p, "kind_label": labels.get(p["kind"], p["kind"])}
            for p in units.list_places(self.ctx)
        ]
        self.list.set_rows(rows)

    def dirty(self) -> bool:
        return bool(self.name_entry.get().strip())

    def save(self) -> bool:
        return self.add()

    def load_selected(self) -> None:
        self.name_entry.delete(0, "end")

    def new(self) -> None:
        self.name_entry.focus_set()

    def add(self) -> bool:
        from papi_desktop.services import units

        name = self.name_entry.get().strip()
        try:
            units.add_places(self.ctx, [name])
        except UserError as exc:
            self.message.configure(text=exc.message(self.page.shell.lang), bootstyle="danger")
            return False
        self.name_entry.delete(0, "end")
        self.message.configure(
            text=self.page.tr(f"Đã thêm “{name}”.", f"Added “{name}”."), bootstyle="success"
        )
        self.refresh()
        return True

    def remove(self) -> None:
        from papi_desktop.services import units

        r = self.list.selected()
        if r is None:
            return
        if not dialogs.ask_yes_no(
            self,
            self.page.tr(
                f"Xóa “{r['name']}” khỏi danh sách nơi niêm yết? Các lần niêm yết đã ghi vẫn giữ.",
                f"Remove “{r['name']}” from the posting places? Recorded postings are kept.",
            ),
        ):
            return
        try:
            units.remove_place(self.ctx, r["name"])
        except UserError as exc:
            self.message.configure(text=exc.message(self.page.shell.lang), bootstyle="danger")
            return
        self.refresh()


class TypesTab(ttk.Frame):
    """Disclosure types: legal basis, deadline and posting period, editable; confidence shown."""

    NUMBER_FIELDS = ("deadline_days", "period_days", "loudspeaker_days")

    def __init__(self, master: Any, page: CatalogPage) -> None:
        super().__init__(master, padding=10)
        self.page = page
        self.ctx = page.ctx
        tr = page.tr
        self.code: str | None = None
        self._loaded: dict[str, Any] = {}
        top = ttk.Frame(self)
        top.grid(row=0, column=0, sticky="ew", pady=(0, 6))
        ttk.Label(top, text=tr("Tìm (Ctrl+F)", "Search (Ctrl+F)")).pack(side="left")
        self.search_entry = ttk.Entry(top, width=30)
        self.search_entry.pack(side="left", padx=6)
        self.search_entry.bind("<KeyRelease>", lambda _e: self.list.filter(self.search_entry.get()))
        self.list = SortableList(
            self,
            [
                Column("code", tr("Mã", "Code"), 150),
                Column("name", tr("Nội dung", "Content"), 330, stretch=True),
                Column("deadline", tr("Thời hạn", "Deadline"), 150),
                Column("period", tr("Thời gian niêm yết", "Posting period"), 130),
                Column("confidence", tr("Độ tin cậy", "Confidence"), 80, anchor="center"),
            ],
            height=16,
            on_select=lambda _r: self.load_selected(),
            tag_of=lambda r: (
                "low" if r["confidence"] == "L" else ("medium" if r["confidence"] == "M" else None)
            ),
        )
        self.list.tree.tag_configure("low", foreground="#b71c1c")
        self.list.tree.tag_configure("medium", foreground="#8a4b00")
        self.list.grid(row=1, column=0, sticky="nsew")
        self.rowconfigure(1, weight=1)
        self.columnconfigure(0, weight=1)
        form = ttk.Labelframe(self, text=tr("Loại đang chọn", "Selected type"), padding=10)
        form.grid(row=0, column=1, rowspan=2, sticky="nsew", padx=(10, 0))
        self.title_label = ttk.Label(form, text="", font="-weight bold", wraplength=360)
        self.title_label.grid(row=0, column=0, columnspan=2, sticky="w")
        self.confidence_label = ttk.Label(form, text="", wraplength=360, font="-weight bold")
        self.confidence_label.grid(row=1, column=0, columnspan=2, sticky="w", pady=(4, 0))
        self.note_label = ttk.Label(form, text="", wraplength=360, bootstyle="secondary")
        self.note_label.grid(row=2, column=0, columnspan=2, sticky="w", pady=(0, 8))
        self.fields: dict[str, Any] = {}
        row = 3
        for key, vi, en in (
            ("legal_basis", "Căn cứ pháp lý", "Legal basis"),
            ("deadline_days", "Thời hạn (số ngày)", "Deadline (days)"),
            ("period_days", "Thời gian niêm yết (số ngày)", "Posting period (days)"),
            ("loudspeaker_days", "Số ngày phát loa", "Loudspeaker days"),
        ):
            ttk.Label(form, text=tr(vi, en)).grid(row=row, column=0, sticky="w", pady=2)
            e = ttk.Entry(form, width=30 if key == "legal_basis" else 8)
            e.grid(row=row, column=1, sticky="w", pady=2)
            self.fields[key] = e
            row += 1
        for key, vi, en, options in (
            ("deadline_unit", "Đơn vị thời hạn", "Deadline unit", ("working", "calendar")),
            ("deadline_direction", "Tính thời hạn", "Counted", ("after", "before")),
            (
                "period_unit",
                "Đơn vị thời gian niêm yết",
                "Period unit",
                ("calendar", "working", "permanent"),
            ),
            ("confidence", "Độ tin cậy", "Confidence", ("H", "M", "L")),
        ):
            ttk.Label(form, text=tr(vi, en)).grid(row=row, column=0, sticky="w", pady=2)
            labels = {
                "working": tr("ngày làm việc", "working days"),
                "calendar": tr("ngày (lịch)", "calendar days"),
                "permanent": tr("thường xuyên", "permanent"),
                "after": tr("sau ngày căn cứ", "after the trigger"),
                "before": tr("trước ngày căn cứ", "before the trigger"),
                "H": "H", "M": "M", "L": "L",
            }  # fmt: skip
            box = FoldedCombobox(
                form, [(labels[o], o) for o in options], width=18, state="readonly"
            )
            box.grid(row=row, column=1, sticky="w", pady=2)
            self.fields[key] = box
            row += 1
        ttk.Label(form, text=tr("Ghi chú độ tin cậy", "Confidence note")).grid(
            row=row, column=0, sticky="nw"
        )
        import tkinter as tk

        self.note_text = tk.Text(form, width=34, height=4, wrap="word")
        self.note_text.grid(row=row, column=1, sticky="w", pady=2)
        row += 1
        self.save_button = ttk.Button(
            form, text=tr("Lưu", "Save"), icon="check-lg", bootstyle="primary", command=self.save
        )
        self.save_button.grid(row=row, column=1, sticky="w", pady=(8, 0))
        self.message = ttk.Label(form, text="", wraplength=360)
        self.message.grid(row=row + 1, column=0, columnspan=2, sticky="w", pady=(6, 0))

    def refresh(self) -> None:
        from papi_desktop.services import disclosures

        tr = self.page.tr
        rows = []
        for t in disclosures.list_types(self.ctx):
            if t["deadline_days"] is None:
                deadline = tr("khi phát sinh", "when it happens")
            else:
                unit = UNIT_LABELS.get(t["deadline_unit"] or "calendar", ("ngày", "days"))
                deadline = f"{t['deadline_days']} {tr(*unit)}"
            if t["period_unit"] == "permanent":
                period = tr("thường xuyên", "permanent")
            else:
                period = f"{t['period_days'] or '—'} {tr(*UNIT_LABELS[t['period_unit']])}"
            rows.append({**t, "name": t["name_vi"], "deadline": deadline, "period": period})
        self.list.set_rows(rows, search_fields=["code", "name", "legal_basis"])
        self.list.filter(self.search_entry.get())
        if self.code:
            self.list.select(lambda r: r["code"] == self.code)

    def _values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, w in self.fields.items():
            out[key] = w.value if isinstance(w, FoldedCombobox) else w.get().strip()
        out["confidence_note_vi"] = self.note_text.get("1.0", "end").strip()
        return out

    def dirty(self) -> bool:
        return self.code is not None and self._values() != self._loaded

    def load_selected(self) -> None:
        from papi_desktop.services import disclosures

        r = self.list.selected()
        if r is None:
            return
        t = disclosures.get_type(self.ctx, r["code"])
        self.code = t["code"]
        lang = self.page.shell.lang
        self.title_label.configure(text=f"{t['code']} — {t['name_vi']}")
        conf = CONFIDENCE_LABELS.get(t["confidence"], ("Chưa đánh giá", "Not rated"))
        style = {"H": "success", "M": "warning", "L": "danger"}.get(t["confidence"], "secondary")
        self.confidence_label.configure(
            text=self.page.tr("Độ tin cậy: ", "Confidence: ")
            + (conf[1] if lang == "en" else conf[0]),
            bootstyle=style,
        )
        note = (
            t["confidence_note_en"]
            if lang == "en" and t["confidence_note_en"]
            else t["confidence_note_vi"]
        )
        self.note_label.configure(text=note)
        for key, w in self.fields.items():
            v = t.get(key)
            if isinstance(w, FoldedCombobox):
                w.set("")
                w.select_value(v)
            else:
                w.delete(0, "end")
                w.insert(0, "" if v is None else str(v))
        self.note_text.delete("1.0", "end")
        self.note_text.insert("1.0", t["confidence_note_vi"] or "")
        self._loaded = self._values()
        self.message.configure(text="")

    def save(self) -> bool:
        from papi_desktop.services import disclosures

        if self.code is None:
            return True
        values = self._values()
        changes: dict[str, Any] = {}
        for key, v in values.items():
            if v == self._loaded.get(key):
                continue
            if key in self.NUMBER_FIELDS:
                if v == "":
                    v = 0 if key == "loudspeaker_days" else None
                else:
                    try:
                        v = int(v)
                    except ValueError:
                        self.message.configure(
                            text=self.page.tr(
                                f"“{v}” không phải là số ngày.", f"“{v}” is not a number."
                            ),
                            bootstyle="danger",
                        )
                        return False
            changes[key] = v
        try:
            disclosures.update_type(self.ctx, self.code, changes)
        except UserError as exc:
            self.message.configure(text=exc.message(self.page.shell.lang), bootstyle="danger")
            return False
        self.refresh()
        self.load_selected()
        self.message.configure(text=self.page.tr("Đã lưu.", "Saved."), bootstyle="success")
        return True

    def new(self) -> None:
        self.search_entry.focus_set()
