"""Cài đặt: user and signer, theme, language, the "posting day is day 1" rule, and backups
(back up now, restore — restoring closes and reopens the data folder).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.errors import UserError
from papi_desktop.services import catalogs
from papi_desktop.ui import dialogs
from papi_desktop.ui.pages.base import Page
from papi_desktop.ui.widgets import Column, SortableList
from papi_desktop.ui.widgets.wrap import wrap_labels_in


class SettingsPage(Page):
    key = "settings"
    title_vi = "Cài đặt"
    title_en = "Settings"
    icon = "gear"
    min_size = (800, 620)

    def __init__(self, master: Any, shell: Any) -> None:
        super().__init__(master, shell)
        tr = self.tr
        self._loaded: dict[str, str] = {}
        ttk.Label(self, text=tr("Cài đặt", "Settings"), font="-size 16 -weight bold").grid(
            row=0, column=0, columnspan=2, sticky="w"
        )
        self.columnconfigure(0, weight=1)
        self.columnconfigure(1, weight=1)
        self.rowconfigure(1, weight=1)
        left = ttk.Frame(self)
        left.grid(row=1, column=0, sticky="nsew", padx=(0, 10), pady=(8, 0))
        right = ttk.Frame(self)
        right.grid(row=1, column=1, sticky="nsew", pady=(8, 0))

        people = ttk.Labelframe(
            left, text=tr("Người dùng và người ký", "User and signer"), padding=10
        )
        people.pack(fill="x")
        people.columnconfigure(1, weight=1)
        self.entries: dict[str, ttk.Entry] = {}
        for n, (key, vi, en) in enumerate(
            (
                ("user_name", "Họ tên người dùng", "User's name"),
                ("signer_name", "Người ký (Chủ tịch)", "Signer"),
                ("signer_title", "Chức vụ người ký", "Signer's title"),
                ("signer_authority", "Thẩm quyền ký", "Signing authority"),
                ("contact_person", "Người liên hệ", "Contact person"),
                ("contact_phone", "Điện thoại liên hệ", "Contact phone"),
            )
        ):
            ttk.Label(people, text=tr(vi, en)).grid(row=n, column=0, sticky="w", pady=3)
            e = ttk.Entry(people, width=24)
            e.grid(row=n, column=1, sticky="ew", padx=8, pady=3)
            self.entries[key] = e
        self.save_button = ttk.Button(
            people,
            text=tr("Lưu", "Save"),
            icon="check-lg",
            bootstyle="primary",
            command=self.save_changes,
        )
        ttk.Label(
            people,
            text=tr(
                "Người liên hệ và điện thoại được in trên thông báo niêm yết.",
                "The contact person and phone are printed on posting notices.",
            ),
            bootstyle="secondary",
        ).grid(row=6, column=0, columnspan=2, sticky="w")
        self.save_button.grid(row=7, column=1, sticky="w", padx=8, pady=(6, 0))
        self.people_message = ttk.Label(people, text="")
        self.people_message.grid(row=8, column=0, columnspan=2, sticky="w")

        look = ttk.Labelframe(
            left, text=tr("Giao diện và ngôn ngữ", "Look and language"), padding=10
        )
        look.pack(fill="x", pady=10)
        self.theme_var = ttk.StringVar(value=catalogs.get_preference(self.ctx, "theme") or "light")
        ttk.Label(look, text=tr("Giao diện", "Theme")).grid(row=0, column=0, sticky="w")
        for n, (value, vi, en) in enumerate((("light", "Sáng", "Light"), ("dark", "Tối", "Dark"))):
            ttk.Radiobutton(
                look, text=tr(vi, en), value=value, variable=self.theme_var,
                command=lambda: self.shell.set_theme(self.theme_var.get()),
            ).grid(row=0, column=n + 1, sticky="w", padx=8)  # fmt: skip
        self.lang_var = ttk.StringVar(value=self.shell.lang)
        ttk.Label(look, text=tr("Ngôn ngữ", "Language")).grid(
            row=1, column=0, sticky="w", pady=(6, 0)
        )
        for n, (value, text) in enumerate((("vi", "Tiếng Việt"), ("en", "English"))):
            ttk.Radiobutton(
                look, text=text, value=value, variable=self.lang_var, command=self._language
            ).grid(row=1, column=n + 1, sticky="w", padx=8, pady=(6, 0))

        rules = ttk.Labelframe(
            left, text=tr("Cách tính ngày niêm yết", "Counting posting days"), padding=10
        )
        rules.pack(fill="x")
        self.day_one_var = ttk.BooleanVar(value=self.ctx.posting_day_is_day_one)
        ttk.Checkbutton(
            rules,
            text=tr("Tính ngày niêm yết là ngày thứ nhất", "Count the posting day as day 1"),
            variable=self.day_one_var,
            command=self._day_one,
        ).pack(anchor="w")
        ttk.Label(
            rules,
            text=tr(
                "Mặc định không tính ngày niêm yết (Bộ luật Dân sự 2015, Điều 147: thời hạn bắt "
                "đầu từ ngày tiếp theo). Chỉ bật khi cơ quan cấp trên hướng dẫn cách tính khác.",
                "Default: the posting day is not counted (Civil Code 2015 Art. 147). Turn on "
                "only if your supervising office instructs otherwise.",
            ),
            bootstyle="secondary",
            wraplength=460,
        ).pack(anchor="w", pady=(4, 0))

        self._build_documents_folder(right)

        backups = ttk.Labelframe(right, text=tr("Sao lưu dữ liệu", "Backups"), padding=10)
        backups.pack(fill="both", expand=True)
        ttk.Label(
            backups,
            text=tr(
                "Mỗi ngày chương trình tự sao lưu một bản khi mở. Nên chép thêm bản sao lưu ra USB "
                "mỗi tháng.",
                "A backup is made automatically each day when the app opens. Copy one to a USB "
                "stick every month as well.",
            ),
            wraplength=460,
            bootstyle="secondary",
        ).pack(anchor="w")
        self.backup_list = SortableList(
            backups,
            [
                Column("name", tr("Tệp", "File"), 250, stretch=True),
                Column("when", tr("Thời điểm", "When"), 130),
                Column("size", tr("Dung lượng", "Size"), 90, anchor="e"),
            ],
            id_key="path",
            height=10,
            empty_text=tr(
                "Chưa có bản sao lưu nào. Bấm “Sao lưu ngay” để tạo một bản.",
                "No backup yet. Press “Back up now” to make one.",
            ),
        )
        self.backup_list.pack(fill="both", expand=True, pady=6)
        buttons = ttk.Frame(backups)
        buttons.pack(fill="x")
        self.backup_button = ttk.Button(
            buttons, text=tr("Sao lưu ngay", "Back up now"), icon="save", bootstyle="primary",
            command=self.backup_now,
        )  # fmt: skip
        self.backup_button.pack(side="left")
        self.restore_button = ttk.Button(
            buttons, text=tr("Khôi phục bản đã chọn", "Restore selected"), icon="arrow-counterclockwise",
            bootstyle="danger-outline", command=self.restore_selected,
        )  # fmt: skip
        self.restore_button.pack(side="left", padx=6)
        self.backup_message = ttk.Label(backups, text="", wraplength=460)
        self.backup_message.pack(anchor="w", pady=(6, 0))
        ttk.Label(
            backups,
            text=tr("Thư mục dữ liệu: ", "Data folder: ") + str(self.ctx.paths.root),
            bootstyle="secondary",
            wraplength=460,
        ).pack(anchor="w", pady=(6, 0))
        # every explanation wraps at its panel's real width (1024x600 as 1920x1080)
        wrap_labels_in(self)

    # -- documents folder ----------------------------------------------------
    def _build_documents_folder(self, parent: Any) -> None:
        """Where every document made in the window is saved (``services.reports.files``)."""
        box = ttk.Labelframe(
            parent, text=self.tr("Thư mục lưu tài liệu", "Folder for documents"), padding=10
        )
        box.pack(fill="x", pady=(0, 10))
        self.documents_label = ttk.Label(box, text="", wraplength=360)
        self.documents_label.pack(anchor="w")
        row = ttk.Frame(box)
        row.pack(anchor="w", pady=(6, 0))
        self.documents_button = ttk.Button(
            row, text=self.tr("Đổi thư mục…", "Change folder…"), command=self.change_documents_dir
        )
        self.documents_button.pack(side="left")
        ttk.Button(
            row, text=self.tr("Mặc định", "Default"), bootstyle="link",
            command=lambda: self.change_documents_dir(default=True),
        ).pack(side="left", padx=6)  # fmt: skip
        ttk.Label(
            box,
            text=self.tr(
                "Mỗi năm một thư mục con; tên tệp ghi loại tài liệu, nội dung, địa điểm và ngày.",
                "One sub-folder per year; file names say the kind, item, place and date.",
            ),
            bootstyle="secondary",
            wraplength=360,
        ).pack(anchor="w", pady=(4, 0))
        self._show_documents_dir()

    def _show_documents_dir(self) -> None:
        from papi_desktop.services.reports.files import documents_base

        self.documents_label.configure(text=str(documents_base(self.ctx)))

    def change_documents_dir(self, default: bool = False) -> None:
        from papi_desktop.services.reports.files import set_documents_dir

        chosen = "" if default else dialogs.ask_directory(
            self, title=self.tr("Thư mục lưu tài liệu", "Folder for documents")
        )  # fmt: skip
        if chosen is None:
            return
        try:
            set_documents_dir(self.ctx, chosen)
        except UserError as exc:
            dialogs.error(self.winfo_toplevel(), exc.message(self.shell.lang))
            return
        self._show_documents_dir()

    # -- people ------------------------------------------------------------
    def on_show(self) -> None:
        from papi_desktop.services import catalogs

        site = self.ctx.site
        from papi_desktop.ui.wizard import DEFAULT_SIGNER_AUTHORITY, DEFAULT_SIGNER_TITLE

        values = {
            "user_name": site.user_name if site else "",
            **catalogs.get_signer(self.ctx),
            **catalogs.get_contact(self.ctx),
        }
        # What the printed documents use when nothing is set yet.
        values["signer_title"] = values["signer_title"] or DEFAULT_SIGNER_TITLE
        values["signer_authority"] = values["signer_authority"] or DEFAULT_SIGNER_AUTHORITY
        for key, e in self.entries.items():
            e.delete(0, "end")
            e.insert(0, values.get(key, ""))
        self._loaded = self._values()
        self.refresh_backups()

    def _values(self) -> dict[str, str]:
        return {k: e.get().strip() for k, e in self.entries.items()}

    def has_unsaved_changes(self) -> bool:
        return self._values() != self._loaded

    def discard_changes(self) -> None:
        for key, e in self.entries.items():
            e.delete(0, "end")
            e.insert(0, self._loaded.get(key, ""))

    def save_changes(self) -> bool:
        from papi_desktop.services import catalogs, setup

        v = self._values()
        try:
            catalogs.set_signer_and_contact(
                self.ctx,
                v["signer_name"],
                v["signer_title"],
                v["signer_authority"],
                v["contact_person"],
                v["contact_phone"],
            )
            if v["user_name"] != self._loaded.get("user_name"):
                if not v["user_name"]:
                    raise UserError("Hãy nhập họ tên người dùng.", "Enter the user's name.")
                setup.set_user(self.ctx, v["user_name"])
        except UserError as exc:
            self.people_message.configure(text=exc.message(self.shell.lang), bootstyle="danger")
            return False
        self._loaded = v
        self.people_message.configure(text=self.tr("Đã lưu.", "Saved."), bootstyle="success")
        return True

    def _language(self) -> None:
        if not self.shell.set_language(self.lang_var.get()):
            self.lang_var.set(self.shell.lang)

    def _day_one(self) -> None:
        from papi_desktop.services import catalogs

        catalogs.set_posting_day_is_day_one(self.ctx, bool(self.day_one_var.get()))

    # -- backups --------------------------------------------------------------
    def refresh_backups(self) -> None:
        from papi_desktop.services import maintenance

        rows = []
        for p in maintenance.list_backups(self.ctx):
            st = p.stat()
            rows.append(
                {
                    "path": str(p),
                    "name": p.name,
                    "when": f"{datetime.fromtimestamp(st.st_mtime):%d/%m/%Y %H:%M}",
                    "mtime": st.st_mtime,
                    "size": f"{st.st_size / 1_048_576:.1f} MB",
                }
            )
        rows.sort(key=lambda r: r["mtime"], reverse=True)
        self.backup_list.set_rows(rows)

    def backup_now(self) -> None:
        from papi_desktop.services import maintenance

        def work(job: Any) -> Path:
            job.progress(None, self.tr("Đang sao lưu…", "Backing up…"))
            return maintenance.backup(job.open_context())

        def done(path: Path) -> None:
            self.refresh_backups()
            self.shell.refresh_status()
            self.backup_message.configure(
                text=self.tr(f"Đã sao lưu: {path.name}", f"Backed up: {path.name}"),
                bootstyle="success",
            )

        self.shell.run_job(
            self.tr("Sao lưu dữ liệu", "Backing up"), work, on_done=done, cancellable=False
        )

    def restore_selected(self) -> None:
        r = self.backup_list.selected()
        if r is None:
            self.backup_message.configure(
                text=self.tr("Hãy chọn một bản sao lưu trong danh sách.", "Choose a backup first."),
                bootstyle="warning",
            )
            return
        if not dialogs.ask_yes_no(
            self,
            self.tr(
                f"Khôi phục dữ liệu từ bản {r['name']} ({r['when']})?\n\nMọi thay đổi sau thời "
                "điểm đó sẽ mất; dữ liệu hiện tại được giữ một bản an toàn trong thư mục sao lưu. "
                "Chương trình sẽ đóng và mở lại dữ liệu.",
                f"Restore the data from {r['name']} ({r['when']})?\n\nChanges made after that "
                "are lost; the current data is kept as a safety copy. The data will be closed "
                "and reopened.",
            ),
        ):
            return
        self.shell.restore_backup(Path(r["path"]))
