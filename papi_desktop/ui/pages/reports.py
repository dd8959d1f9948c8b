"""Báo cáo: pick a document, fill the few inputs it needs (year, quarter, item), choose
where to save it, and build it off the Tk thread (progress bar, Cancel); open it after.

The documents come from ``papi_desktop.services.reports`` (imported when one is built).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.ui import dialogs
from papi_desktop.ui.pages.base import Page

SERVICE = "papi_desktop.services.reports"

# key, Vietnamese label, English label, inputs needed, default file stem
REPORTS: tuple[tuple[str, str, str, tuple[str, ...], str], ...] = (
    ("posting_notice", "Thông báo niêm yết công khai", "Posting notice", ("item",), "thong-bao-niem-yet"),
    ("minutes_start", "Biên bản niêm yết", "Posting minutes", ("item",), "bien-ban-niem-yet"),
    (
        "minutes_end", "Biên bản kết thúc niêm yết", "End-of-posting minutes", ("item",),
        "bien-ban-ket-thuc-niem-yet",
    ),
    ("register", "Danh mục nội dung đã công khai (quý)", "Quarterly disclosure register", ("year", "quarter"), "danh-muc-cong-khai"),
    ("framework", "Bộ khung nhiệm vụ PAPI (để niêm yết)", "PAPI task framework sheet", (), "bo-khung-nhiem-vu"),
    ("checklist", "Bảng kiểm nhiệm vụ PAPI", "PAPI task checklist", ("year", "blank"), "bang-kiem-nhiem-vu"),
    (
        "disclosure_checklist", "Bảng kiểm công khai theo kế hoạch", "Disclosure plan checklist",
        ("year", "quarter_optional", "blank"), "bang-kiem-cong-khai",
    ),
    ("progress", "Báo cáo kết quả thực hiện năm", "Yearly progress report", ("year", "format"), "bao-cao-ket-qua"),
)  # fmt: skip


def default_output_dir(ctx: Any) -> Path:
    """Documents\\PAPI Desktop when the user has a Documents folder, else <data>/reports."""
    docs = Path.home() / "Documents"
    return (docs / "PAPI Desktop") if docs.is_dir() else (ctx.paths.root / "reports")


class ReportsPage(Page):
    key = "reports"
    title_vi = "Báo cáo"
    title_en = "Reports"
    icon = "printer"
    min_size = (880, 520)

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
        self.kind_var = ttk.StringVar(value="posting_notice")
        self.kind_buttons: dict[str, ttk.Radiobutton] = {}
        for key, vi, en, _inputs, _stem in REPORTS:
            b = ttk.Radiobutton(
                picker,
                text=tr(vi, en),
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
            widget.grid(row=n, column=1, sticky="w", pady=4)
            self.rows[key] = [lab, widget]
            return widget

        self.item_box = row(
            "item",
            0,
            tr("Nội dung công khai", "Disclosure item"),
            ttk.Combobox(form, width=70, state="readonly"),
        )
        self.year_var = ttk.StringVar(value=str(today.year))
        row(
            "year",
            1,
            tr("Năm", "Year"),
            ttk.Spinbox(form, from_=2020, to=2100, textvariable=self.year_var, width=8),
        )
        self.quarter_var = ttk.StringVar(value=str((today.month - 1) // 3 + 1))
        row(
            "quarter",
            2,
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
            "quarter_optional", 3, tr("Quý (để trống = cả năm)", "Quarter (empty = whole year)"),
            ttk.Combobox(form, textvariable=self.quarter_opt_var, values=["", "1", "2", "3", "4"], width=6, state="readonly"),
        )  # fmt: skip
        self.blank_var = ttk.BooleanVar(value=False)
        row(
            "blank",
            4,
            tr("Mẫu trống", "Blank form"),
            ttk.Checkbutton(
                form,
                text=tr("In mẫu trống để ghi tay", "Blank, to fill by hand"),
                variable=self.blank_var,
            ),
        )
        self.format_var = ttk.StringVar(value="pdf")
        fmt = ttk.Frame(form)
        for value, text in (("pdf", "PDF"), ("xlsx", "Excel (.xlsx)")):
            ttk.Radiobutton(
                fmt, text=text, value=value, variable=self.format_var, command=self._suggest_path
            ).pack(side="left", padx=(0, 12))
        row("format", 5, tr("Định dạng", "Format"), fmt)

        out = ttk.Frame(form)
        self.path_var = ttk.StringVar(value="")
        self.path_entry = ttk.Entry(out, textvariable=self.path_var, width=40)
        self.path_entry.pack(side="left", fill="x", expand=True)
        ttk.Button(out, text=tr("Chọn…", "Browse…"), command=self._browse).pack(side="left", padx=6)
        ttk.Label(form, text=tr("Lưu vào tệp", "Save to")).grid(
            row=6, column=0, sticky="w", pady=(12, 4)
        )
        out.grid(row=6, column=1, sticky="w", pady=(12, 4))
        self.open_after_var = ttk.BooleanVar(value=True)
        ttk.Checkbutton(
            form,
            text=tr("Mở tệp sau khi tạo xong", "Open the file when done"),
            variable=self.open_after_var,
        ).grid(row=7, column=1, sticky="w")
        self.make_button = ttk.Button(
            form, text=tr("Tạo tài liệu", "Make the document"), icon="file-earmark-pdf",
            bootstyle="primary", command=self.make,
        )  # fmt: skip
        self.make_button.grid(row=8, column=1, sticky="w", pady=(12, 0))
        self.message = ttk.Label(form, text="", wraplength=620)
        self.message.grid(row=9, column=0, columnspan=2, sticky="w", pady=(10, 0))
        self._items: list[dict] = []
        self._kind_changed()

    # -- inputs --------------------------------------------------------------
    def spec(self) -> tuple[str, str, str, tuple[str, ...], str]:
        return next(r for r in REPORTS if r[0] == self.kind_var.get())

    def _kind_changed(self) -> None:
        inputs = self.spec()[3]
        for key, widgets in self.rows.items():
            for w in widgets:
                if key in inputs:
                    w.grid()
                else:
                    w.grid_remove()
        self._suggest_path()

    def _suggest_path(self) -> None:
        _key, _vi, _en, inputs, stem = self.spec()
        ext = ".xlsx" if "format" in inputs and self.format_var.get() == "xlsx" else ".pdf"
        suffix = ""
        if "year" in inputs:
            suffix += f"-{self.year_var.get()}"
        if "quarter" in inputs:
            suffix += f"-quy{self.quarter_var.get()}"
        self.path_var.set(str(default_output_dir(self.ctx) / f"{stem}{suffix}{ext}"))

    def _browse(self) -> None:
        current = Path(self.path_var.get() or "tai-lieu.pdf")
        chosen = dialogs.ask_save_file(
            self, initialfile=current.name, defaultextension=current.suffix,
            filetypes=[("PDF", "*.pdf"), ("Excel", "*.xlsx")],
        )  # fmt: skip
        if chosen:
            self.path_var.set(chosen)

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

    def show_item(self, **kwargs: Any) -> None:
        """``open_page("reports", kind="minutes_end", item_id=…)`` preselects a document."""
        kind = kwargs.get("kind")
        if kind in self.kind_buttons:
            self.kind_var.set(kind)
            self._kind_changed()
        item_id = kwargs.get("item_id")
        for n, i in enumerate(self._items):
            if i["id"] == item_id:
                self.item_box.current(n)

    # -- building ----------------------------------------------------------------
    def _call(self) -> tuple[str, dict[str, Any]]:
        """The service function and its arguments for the chosen document."""
        from papi_desktop.errors import UserError

        key, _vi, _en, inputs, _stem = self.spec()
        args: dict[str, Any] = {}
        if "item" in inputs:
            n = self.item_box.current()
            if n < 0 or n >= len(self._items):
                raise UserError(
                    "Hãy chọn nội dung công khai cần in (thêm ở trang Công khai nếu chưa có).",
                    "Choose the disclosure item (add it on the Disclosure page first).",
                )
            args["item_id"] = self._items[n]["id"]
        if "year" in inputs:
            try:
                args["year"] = int(self.year_var.get())
            except ValueError:
                raise UserError(
                    f"Năm “{self.year_var.get()}” không hợp lệ.", "Invalid year."
                ) from None
        path = Path(self.path_var.get().strip()).expanduser()
        if not self.path_var.get().strip():
            raise UserError("Hãy chọn nơi lưu tệp.", "Choose where to save the file.")
        args["path"] = path
        if key == "posting_notice":
            return "posting_notice", args
        if key in ("minutes_start", "minutes_end"):
            args["kind"] = "start" if key == "minutes_start" else "end"
            return "posting_minutes", args
        if key == "register":
            return "register", {"quarter": f"{args.pop('year')}Q{self.quarter_var.get()}", **args}
        if key == "framework":
            return "framework_sheet", args
        if key == "checklist":
            return "checklist", {**args, "blank": bool(self.blank_var.get())}
        if key == "disclosure_checklist":
            q = self.quarter_opt_var.get()
            return "disclosure_checklist", {
                **args, "quarter": int(q) if q else None, "blank": bool(self.blank_var.get()),
            }  # fmt: skip
        return "progress", args

    def make(self) -> None:
        from papi_desktop.errors import UserError

        try:
            name, args = self._call()
        except UserError as exc:
            self.message.configure(text=exc.message(self.shell.lang), bootstyle="danger")
            return
        item_id = args.pop("item_id", None)
        path: Path = args["path"]
        path.parent.mkdir(parents=True, exist_ok=True)

        def work(job: Any) -> Path:
            service = importlib.import_module(SERVICE)
            ctx = job.open_context()
            fn = getattr(service, name)
            positional = [ctx] + ([item_id] if item_id else [])
            return fn(*positional, **args, progress=job.progress, cancel=job.cancelled)

        def done(result: Path) -> None:
            self.message.configure(
                text=self.tr(f"Đã tạo: {result}", f"Created: {result}"), bootstyle="success"
            )
            self.last_output = Path(result)
            if self.open_after_var.get():
                try:
                    dialogs.open_path(str(result))
                except OSError:
                    self.message.configure(
                        text=self.tr(
                            f"Đã tạo {result} nhưng không mở được; hãy mở tệp bằng tay.",
                            f"Created {result} but could not open it; open it by hand.",
                        ),
                        bootstyle="warning",
                    )

        self.shell.run_job(self.tr("Đang tạo tài liệu", "Making the document"), work, on_done=done)
