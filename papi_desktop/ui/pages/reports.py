"""Báo cáo: pick a document, fill the few inputs it needs (item, place, year, quarter),
choose PDF, Word or Excel, and save it the one way (``ui.documents``): into the documents
folder of Cài đặt, under a name that says what it is, never overwriting without asking,
then Mở / Mở thư mục / In.

The documents, their inputs and formats come from ``services.reports.registry.SPECS``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.ui import dialogs
from papi_desktop.ui.pages import fields
from papi_desktop.ui.pages.base import Page

ALL_PLACES_VI = "Tất cả địa điểm (một biên bản chung)"
ALL_PLACES_EN = "All places (one combined minutes)"
FORMAT_LABELS = {".pdf": "PDF", ".docx": "Word (.docx)", ".xlsx": "Excel (.xlsx)"}


def specs() -> dict[str, Any]:
    from papi_desktop.services.reports.registry import SPECS

    return SPECS


def specs_for(role: str | None) -> list[Any]:
    from papi_desktop.services.reports.registry import specs_for

    return specs_for(role)


class ReportsPage(Page):
    key = "reports"
    title_vi = "Báo cáo"
    title_en = "Reports"
    icon = "printer"
    min_size = (800, 520)

    def __init__(self, master: Any, shell: Any) -> None:
        super().__init__(master, shell)
        tr = self.tr
        ttk.Label(
            self, text=tr("Báo cáo và in ấn", "Reports and printing"), font="-size 16 -weight bold"
        ).grid(row=0, column=0, columnspan=2, sticky="w")
        self.columnconfigure(1, weight=1)
        self.rowconfigure(1, weight=1)
        picker = ttk.Labelframe(
            self, text=tr("1. Chọn tài liệu", "1. Choose a document"), padding=10
        )
        picker.grid(row=1, column=0, sticky="nsew", pady=(8, 0))
        site = self.ctx.site
        offered = specs_for(site.role if site else "commune") or specs_for("commune")
        self.kind_var = ttk.StringVar(value=offered[0].key)
        self.kind_buttons: dict[str, ttk.Radiobutton] = {}
        for spec in offered:
            key = spec.key
            b = ttk.Radiobutton(
                picker,
                text=spec.label(self.shell.lang),
                value=key,
                variable=self.kind_var,
                command=self._kind_changed,
            )
            b.pack(anchor="w", pady=3)
            self.kind_buttons[key] = b

        form = ttk.Labelframe(self, text=tr("2. Thông tin", "2. Details"), padding=10)
        form.grid(row=1, column=1, sticky="nsew", padx=(10, 0), pady=(8, 0))
        form.columnconfigure(1, weight=1)
        self.form = form
        today = self.ctx.today()
        self.rows: dict[str, list[Any]] = {}

        def row(key: str, n: int, label: str, widget: Any) -> Any:
            lab = ttk.Label(form, text=label)
            lab.grid(row=n, column=0, sticky="w", pady=4, padx=(0, 10))
            wide = isinstance(widget, ttk.Combobox) and key in ("item", "place")
            widget.grid(row=n, column=1, sticky="ew" if wide else "w", pady=4)
            self.rows[key] = [lab, widget]
            return widget

        self.item_box = row(
            "item",
            0,
            tr("Nội dung công khai", "Disclosure item"),
            ttk.Combobox(form, width=28, state="readonly"),
        )
        self.item_box.bind("<<ComboboxSelected>>", lambda e: self._item_changed())
        self.place_box = row(
            "place",
            1,
            tr("Biên bản cho", "Minutes for"),
            ttk.Combobox(form, width=28, state="readonly"),
        )
        self.place_box.bind("<<ComboboxSelected>>", lambda e: self._suggest_path())
        self.year_var = ttk.StringVar(value=str(today.year))
        day = ttk.Frame(form)
        self.day_field = fields.date_field(day, lang=self.shell.lang)
        self.day_field.pack(side="top", anchor="w")
        self.day_field.entry.bind("<FocusOut>", lambda e: self._suggest_path(), add="+")
        self.day_field.entry.bind("<Return>", lambda e: self._suggest_path(), add="+")
        ttk.Label(
            day,
            text=tr(
                "trống = ngày niêm yết / ngày kết thúc",
                "empty = the day posted / ended",
            ),
            bootstyle="secondary",
        ).pack(side="top", anchor="w")
        row("day", 2, tr("Ngày văn bản", "Document date"), day)
        row(
            "year",
            3,
            tr("Năm", "Year"),
            ttk.Spinbox(form, from_=2020, to=2100, textvariable=self.year_var, width=8),
        )
        self.quarter_var = ttk.StringVar(value=str((today.month - 1) // 3 + 1))
        row(
            "quarter",
            4,
            tr("Quý", "Quarter"),
            ttk.Combobox(
                form,
                textvariable=self.quarter_var,
                values=["1", "2", "3", "4"],
                width=6,
                state="readonly",
            ),
        )
        self.quarter_opt_var = ttk.StringVar(value="")
        row(
            "quarter_optional", 5, tr("Quý (để trống = cả năm)", "Quarter (empty = whole year)"),
            ttk.Combobox(form, textvariable=self.quarter_opt_var, values=["", "1", "2", "3", "4"], width=6, state="readonly"),
        )  # fmt: skip
        self.blank_var = ttk.BooleanVar(value=False)
        row(
            "blank",
            6,
            tr("Mẫu trống", "Blank form"),
            ttk.Checkbutton(
                form,
                text=tr("In mẫu trống để ghi tay", "Blank, to fill by hand"),
                variable=self.blank_var,
                command=self._suggest_path,
            ),
        )
        self.number_var = ttk.StringVar(value="")
        number = ttk.Frame(form)
        ttk.Entry(number, textvariable=self.number_var, width=8).pack(side="left")
        ttk.Label(
            number, text=tr("trống = ghi tay", "empty = written by hand"), bootstyle="secondary"
        ).pack(side="left", padx=(8, 0))
        row("number", 7, tr("Số văn bản", "Document number"), number)
        self.content_var = ttk.StringVar(value="")
        self.columns_var = ttk.StringVar(value="")
        content = ttk.Frame(form)
        line = ttk.Frame(content)
        line.pack(side="top", anchor="w")
        ttk.Entry(line, textvariable=self.content_var, width=16).pack(side="left")
        ttk.Button(
            line, text=tr("Chọn…", "Browse…"), bootstyle="link", command=self._choose_content
        ).pack(side="left")
        line = ttk.Frame(content)
        line.pack(side="top", anchor="w", pady=(2, 0))
        ttk.Label(line, text=tr("cột cần in", "columns to print")).pack(side="left")
        ttk.Entry(line, textvariable=self.columns_var, width=8).pack(side="left", padx=(6, 6))
        ttk.Label(
            line, text=tr("vd 1,2,5", "e.g. 1,2,5"),
            bootstyle="secondary",
        ).pack(side="left")  # fmt: skip
        row("content", 8, tr("Danh sách kèm theo", "Attached list"), content)
        for var in (self.year_var, self.quarter_var, self.quarter_opt_var):
            var.trace_add("write", lambda *_: self._suggest_path())
        self.format_var = ttk.StringVar(value=".pdf")
        self.format_frame = ttk.Frame(form)
        self.format_buttons: dict[str, ttk.Radiobutton] = {}
        for value, text in FORMAT_LABELS.items():
            b = ttk.Radiobutton(
                self.format_frame,
                text=text,
                value=value,
                variable=self.format_var,
                command=self._suggest_path,
            )
            b.pack(side="left", padx=(0, 12))
            self.format_buttons[value] = b
        ttk.Label(form, text=tr("Định dạng", "Format")).grid(row=9, column=0, sticky="w", pady=4)
        self.format_frame.grid(row=9, column=1, sticky="w", pady=4)

        ttk.Label(form, text=tr("Lưu vào", "Saved in")).grid(
            row=10, column=0, sticky="nw", pady=(12, 4)
        )
        where = ttk.Frame(form)
        where.grid(row=10, column=1, sticky="ew", pady=(12, 4))
        self.folder_label = ttk.Label(where, text="", wraplength=300)
        self.folder_label.pack(side="top", anchor="w")
        self.folder_button = ttk.Button(
            where,
            text=tr("Đổi thư mục…", "Change folder…"),
            bootstyle="link",
            command=self._change_folder,
        )
        self.folder_button.pack(side="top", anchor="w")
        self.name_label = ttk.Label(form, text="", bootstyle="secondary", wraplength=300)
        self.name_label.grid(row=11, column=1, sticky="w")
        # long paths and file names wrap inside the panel at any window width
        form.bind("<Configure>", self._rewrap, add="+")
        self.make_button = ttk.Button(
            form, text=tr("Tạo tài liệu", "Make the document"), icon="file-earmark-pdf",
            bootstyle="primary", command=self.make,
        )  # fmt: skip
        self.make_button.grid(row=12, column=1, sticky="w", pady=(12, 0))
        self.message = ttk.Label(form, text="", wraplength=300)
        self.message.grid(row=13, column=0, columnspan=2, sticky="w", pady=(10, 0))
        self._items: list[dict] = []
        self.last_output: Path | None = None
        self._kind_changed()

    def _rewrap(self, event: Any) -> None:
        width = max(200, event.width - 190)
        for label in (self.folder_label, self.name_label, self.message):
            label.configure(wraplength=width)

    # -- inputs --------------------------------------------------------------
    def spec(self) -> Any:
        return specs()[self.kind_var.get()]

    def _kind_changed(self) -> None:
        spec = self.spec()
        for key, widgets in self.rows.items():
            for w in widgets:
                if key in spec.inputs:
                    w.grid()
                else:
                    w.grid_remove()
        for value, b in self.format_buttons.items():
            if value in spec.formats:
                b.pack(side="left", padx=(0, 12))
            else:
                b.pack_forget()
        if self.format_var.get() not in spec.formats:
            self.format_var.set(spec.formats[0])
        self._suggest_path()

    def _item(self) -> dict | None:
        n = self.item_box.current()
        return self._items[n] if 0 <= n < len(self._items) else None

    def _item_changed(self) -> None:
        item = self._item()
        places = [p["place"] for p in item["places"]] if item else []
        values = [self.tr(ALL_PLACES_VI, ALL_PLACES_EN), *places] if len(places) > 1 else places
        self.place_box.configure(values=values)
        if values:
            self.place_box.current(0)
        else:
            self.place_box.set("")
        self._suggest_path()

    def request(self) -> Any:
        """The ``ReportRequest`` for the inputs shown (UserError when one is missing)."""
        from papi_desktop.errors import UserError
        from papi_desktop.services.reports.registry import ReportRequest

        spec = self.spec()
        r = ReportRequest()
        if "item" in spec.inputs:
            item = self._item()
            if item is None:
                raise UserError(
                    "Hãy chọn nội dung công khai cần in (thêm ở trang Công khai nếu chưa có).",
                    "Choose the disclosure item (add it on the Disclosure page first).",
                )
            r.item_id = item["id"]
            if "place" in spec.inputs and self.place_box.current() >= 0:
                places = [p["place"] for p in item["places"]]
                n = self.place_box.current()
                r.place = places[n - 1] if len(places) > 1 and n > 0 else None
                if len(places) == 1:
                    r.place = places[0]
        if "day" in spec.inputs:
            r.day = fields.read_date(self.day_field, "Ngày văn bản", "Document date")
        if "year" in spec.inputs:
            try:
                r.year = int(self.year_var.get())
            except ValueError:
                raise UserError(
                    f"Năm “{self.year_var.get()}” không hợp lệ.", "Invalid year."
                ) from None
        if "quarter" in spec.inputs:
            r.quarter = int(self.quarter_var.get())
        if "quarter_optional" in spec.inputs and self.quarter_opt_var.get():
            r.quarter = int(self.quarter_opt_var.get())
        if "blank" in spec.inputs:
            r.blank = bool(self.blank_var.get())
        if "number" in spec.inputs and self.number_var.get().strip():
            text = self.number_var.get().strip()
            if not text.isdigit() or not 0 < int(text) < 100_000:
                raise UserError(
                    f"Số văn bản “{text}” không hợp lệ; nhập một số (ví dụ 15) hoặc để trống "
                    "để ghi tay.",
                    f"Invalid document number “{text}”; type a number or leave it empty.",
                )
            r.number = int(text)
        if "content" in spec.inputs and self.content_var.get().strip():
            r.content = Path(self.content_var.get().strip()).expanduser()
            r.columns = self.columns_var.get().strip() or None
        return r

    def target(self) -> Path:
        from papi_desktop.ui.documents import target_path

        return target_path(self.ctx, self.spec(), self.request(), self.format_var.get())

    def _suggest_path(self) -> None:
        from papi_desktop.errors import StorageError, UserError
        from papi_desktop.services.reports.files import documents_base

        if not hasattr(self, "name_label"):
            return
        self.folder_label.configure(text=str(documents_base(self.ctx)))
        try:
            path = self.target()
        except (UserError, StorageError, ValueError) as exc:
            text = exc.message(self.shell.lang) if isinstance(exc, UserError) else ""
            self.name_label.configure(text=text)
            return
        self.name_label.configure(text=self.tr(f"Tên tệp: {path.name}", f"File name: {path.name}"))

    def _choose_content(self) -> None:
        chosen = dialogs.ask_open_file(
            self,
            title=self.tr("Danh sách kèm theo thông báo", "List printed with the notice"),
            filetypes=[("Excel, CSV", "*.xlsx *.csv")],
        )
        if chosen:
            self.content_var.set(chosen)

    def _change_folder(self) -> None:
        from papi_desktop.errors import UserError
        from papi_desktop.services.reports.files import set_documents_dir

        chosen = dialogs.ask_directory(
            self, title=self.tr("Thư mục lưu tài liệu", "Folder for documents")
        )
        if not chosen:
            return
        try:
            set_documents_dir(self.ctx, chosen)
        except UserError as exc:
            self.message.configure(text=exc.message(self.shell.lang), bootstyle="danger")
            return
        self._suggest_path()

    def on_show(self) -> None:
        from papi_desktop.services import disclosures
        from papi_desktop.services.formatting import iso_to_text

        site = self.ctx.site
        self._items = disclosures.list_items(self.ctx) if site and site.is_commune else []
        labels = []
        for i in self._items:
            when = i["trigger_date"] or i["decision_date"]
            shown = iso_to_text(when)
            labels.append(f"{i['title']} ({shown})" if shown else i["title"])
        self.item_box.configure(values=labels)
        if labels and self.item_box.current() < 0:
            self.item_box.current(0)
        self._item_changed()

    def show_item(self, **kwargs: Any) -> None:
        """``open_page("reports", kind="minutes_end", item_id=…, place=…)`` preselects a
        document (``place`` None: all places)."""
        kind = kwargs.get("kind")
        if kind in self.kind_buttons:
            self.kind_var.set(kind)
            self._kind_changed()
        item_id = kwargs.get("item_id")
        for n, i in enumerate(self._items):
            if i["id"] == item_id:
                self.item_box.current(n)
                self._item_changed()
        place = kwargs.get("place")
        if place and place in self.place_box.cget("values"):
            self.place_box.set(place)
            self._suggest_path()

    # -- building ----------------------------------------------------------------
    def make(self) -> None:
        from papi_desktop.errors import UserError
        from papi_desktop.ui.documents import save_document

        try:
            request = self.request()
        except UserError as exc:
            self.message.configure(text=exc.message(self.shell.lang), bootstyle="danger")
            return

        def saved(path: Path) -> None:
            self.last_output = path
            self.message.configure(
                text=self.tr(f"Đã tạo: {path}", f"Created: {path}"), bootstyle="success"
            )
            self._suggest_path()

        def refused(text: str) -> None:
            self.message.configure(text=text, bootstyle="danger")

        save_document(
            self, self.spec(), request, self.format_var.get(), on_saved=saved, on_error=refused
        )
