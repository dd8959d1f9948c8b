"""Đồng bộ USB: send this PC's changes to a USB stick, and receive packages from one —
first a check (what would change, who sent it), then applying after the user agrees.
Shows the USB drives found, the history of packages and the 35-day silence warning.

The work is done by ``papi_desktop.services.sync`` (imported on first use).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.ui import dialogs
from papi_desktop.ui.pages.base import Page
from papi_desktop.ui.widgets import Column, SortableList

SERVICE = "papi_desktop.services.sync"

STATUS_LABELS = {
    "applied": ("Đã nhận", "Applied"),
    "already_imported": ("Đã nhận trước đó", "Already imported"),
    "refused": ("Bị từ chối", "Refused"),
    "dry_run": ("Kiểm tra", "Checked"),
}


def _when(iso: str | None) -> str:
    from datetime import datetime

    if not iso:
        return ""
    try:
        t = datetime.fromisoformat(iso.replace("Z", "+00:00"))
        if t.tzinfo is not None:
            t = t.astimezone()
        return f"{t:%d/%m/%Y %H:%M}"
    except ValueError:
        return iso


def describe_report(report: Any, lang: str) -> str:
    """One package's check result in plain words (for the confirmation question)."""
    vi = lang != "en"
    sender = report.sender.get("unit_name") or report.sender.get("name") or ""
    head = f"• {Path(report.file).name}" + (f" — {sender}" if sender else "")
    if report.status == "refused":
        return head + "\n   " + (report.message_vi if vi else report.message_en)
    if report.status == "already_imported":
        return head + ("\n   Đã nhận gói này trước đó." if vi else "\n   Already imported.")
    s = report.summary or {}
    parts = []
    for key, vi_label, en_label in (
        ("new", "mới", "new"),
        ("updated", "cập nhật", "updated"),
        ("conflicts", "xung đột", "conflicts"),
        ("ignored", "bỏ qua", "ignored"),
        ("attachments", "tệp minh chứng", "attachments"),
    ):
        v = s.get(key)
        if isinstance(v, dict):
            v = sum(v.values())
        elif isinstance(v, list):
            v = len(v)
        if v:
            parts.append(f"{v} {vi_label if vi else en_label}")
    text = ", ".join(parts) or ("không có thay đổi" if vi else "no changes")
    out = head + "\n   " + text
    if report.needs_trust and report.fingerprint:
        out += (
            f"\n   Máy gửi chưa từng gửi tới đây. Mã nhận dạng: {report.fingerprint}"
            if vi
            else f"\n   New sender. Fingerprint: {report.fingerprint}"
        )
    for w in report.warnings or []:
        out += "\n   ⚠ " + (w.get("vi") if vi else w.get("en", w.get("vi", "")))
    return out


class SyncPage(Page):
    key = "sync"
    title_vi = "Đồng bộ USB"
    title_en = "USB sync"
    icon = "usb-drive"

    def __init__(self, master: Any, shell: Any) -> None:
        super().__init__(master, shell)
        tr = self.tr
        ttk.Label(
            self, text=tr("Đồng bộ qua USB", "Sync by USB"), font="-size 16 -weight bold"
        ).grid(row=0, column=0, columnspan=2, sticky="w")
        self.columnconfigure(0, weight=1)
        self.columnconfigure(1, weight=1)
        self.rowconfigure(3, weight=1)
        self.warning = ttk.Label(
            self, text="", bootstyle="danger", font="-weight bold", wraplength=1000
        )
        self.warning.grid(row=1, column=0, columnspan=2, sticky="w", pady=(4, 4))

        drives = ttk.Labelframe(self, text=tr("Ổ USB / thư mục", "USB drive / folder"), padding=10)
        drives.grid(row=2, column=0, columnspan=2, sticky="ew")
        self.folder_var = ttk.StringVar(value="")
        self.drive_box = ttk.Combobox(drives, textvariable=self.folder_var, width=60)
        self.drive_box.pack(side="left")
        ttk.Button(drives, text=tr("Chọn thư mục…", "Choose folder…"), command=self._browse).pack(
            side="left", padx=6
        )
        ttk.Button(
            drives,
            text=tr("Tìm lại USB", "Look for USB again"),
            icon="arrow-clockwise",
            command=self.refresh_drives,
        ).pack(side="left")
        self.drive_note = ttk.Label(drives, text="", bootstyle="secondary")
        self.drive_note.pack(side="left", padx=10)

        send = ttk.Labelframe(self, text=tr("Gửi dữ liệu đi", "Send"), padding=10)
        send.grid(row=3, column=0, sticky="nsew", pady=10, padx=(0, 5))
        receiving = (
            tr("cơ quan giám sát", "the supervising office")
            if self._is_commune()
            else tr("các xã/phường", "the communes")
        )
        ttk.Label(
            send,
            text=tr(
                f"Ghi các thay đổi của máy này thành một gói vào USB để mang tới {receiving}.",
                f"Write this PC's changes as one package onto the USB stick for {receiving}.",
            ),
            wraplength=480,
        ).pack(anchor="w")
        self.full_var = ttk.BooleanVar(value=False)
        ttk.Checkbutton(
            send, text=tr("Gửi toàn bộ dữ liệu (khi bên nhận bị mất dữ liệu)", "Send everything (when the receiver lost data)"),
            variable=self.full_var,
        ).pack(anchor="w", pady=6)  # fmt: skip
        self.export_button = ttk.Button(
            send,
            text=tr("Xuất gói ra USB", "Export to USB"),
            icon="box-arrow-up",
            bootstyle="primary",
            command=self.export,
        )
        self.export_button.pack(anchor="w")
        self.export_message = ttk.Label(send, text="", wraplength=480)
        self.export_message.pack(anchor="w", pady=(8, 0))

        recv = ttk.Labelframe(self, text=tr("Nhận dữ liệu", "Receive"), padding=10)
        recv.grid(row=3, column=1, sticky="nsew", pady=10, padx=(5, 0))
        ttk.Label(
            recv,
            text=tr(
                "Đọc các gói trong thư mục USB. Chương trình kiểm tra trước và cho biết sẽ thay đổi "
                "những gì; chỉ nhận khi anh/chị đồng ý. Dữ liệu được sao lưu trước khi nhận.",
                "Read the packages in the USB folder. They are checked first and you see what "
                "would change; nothing is applied until you agree. A backup is made first.",
            ),
            wraplength=480,
        ).pack(anchor="w")
        self.import_button = ttk.Button(
            recv, text=tr("Kiểm tra và nhận gói", "Check and import"), icon="box-arrow-in-down",
            bootstyle="primary", command=self.check_import,
        )  # fmt: skip
        self.import_button.pack(anchor="w", pady=6)
        self.import_message = ttk.Label(recv, text="", wraplength=480, justify="left")
        self.import_message.pack(anchor="w", pady=(8, 0))

        hist = ttk.Labelframe(self, text=tr("Lịch sử gửi, nhận", "History"), padding=6)
        hist.grid(row=4, column=0, columnspan=2, sticky="nsew")
        self.rowconfigure(4, weight=1)
        self.history = SortableList(
            hist,
            [
                Column("when", tr("Thời điểm", "When"), 130),
                Column("direction", tr("Chiều", "Direction"), 80),
                Column("peer", tr("Bên kia", "Other side"), 260, stretch=True),
                Column("seq", tr("Số gói", "No."), 60, anchor="e"),
                Column("status", tr("Kết quả", "Result"), 160),
            ],
            height=7,
            empty_text=tr(
                "Chưa gửi hay nhận gói nào. Cắm USB, bấm “Xuất gói ra USB” để gửi dữ liệu; "
                "khi mang USB về, bấm “Kiểm tra và nhận gói”.",
                "Nothing sent or received yet. Plug in a USB stick and press “Export to USB” "
                "to send; when a stick comes back, press “Check and import”.",
            ),
        )
        self.history.pack(fill="both", expand=True)

    def _is_commune(self) -> bool:
        site = self.ctx.site
        return bool(site and site.is_commune)

    def _service(self) -> Any:
        return importlib.import_module(SERVICE)

    # -- refresh ---------------------------------------------------------------
    def on_show(self) -> None:
        self.refresh_drives()
        self.refresh_history()

    def refresh_drives(self) -> None:
        drives = self._service().removable_drives()
        self.drive_box.configure(values=[d["path"] for d in drives])
        if drives and not self.folder_var.get():
            self.folder_var.set(drives[0]["path"])
        self.drive_note.configure(
            text=self.tr(f"Tìm thấy {len(drives)} ổ USB.", f"{len(drives)} USB drive(s) found.")
            if drives
            else self.tr(
                "Chưa thấy USB — cắm USB rồi bấm “Tìm lại USB”.",
                "No USB drive found — plug one in, then look again.",
            )
        )  # fmt: skip

    def refresh_history(self) -> None:
        service = self._service()
        lang = self.shell.lang
        rows = []
        for h in service.history(self.ctx):
            status = STATUS_LABELS.get(
                h.get("status", ""), (h.get("status", ""), h.get("status", ""))
            )
            rows.append(
                {
                    "id": h.get("package_id") or h.get("id"),
                    "when": _when(h.get("done_at")),
                    "direction": self.tr("Gửi", "Sent")
                    if h["direction"] == "out"
                    else self.tr("Nhận", "Received"),
                    "peer": h.get("peer_name") or "",
                    "seq": h.get("seq"),
                    "status": status[1] if lang == "en" else status[0],
                }
            )
        self.history.set_rows(rows)
        warnings = service.silence_warnings(self.ctx)
        self.warning.configure(
            text="\n".join(w["en"] if lang == "en" else w["vi"] for w in warnings)
        )

    def _browse(self) -> None:
        chosen = dialogs.ask_directory(self)
        if chosen:
            self.folder_var.set(chosen)

    def _folder(self) -> Path | None:
        text = self.folder_var.get().strip()
        if not text:
            self.import_message.configure(
                text=self.tr(
                    "Hãy chọn ổ USB hoặc thư mục trước.", "Choose the USB drive or a folder first."
                ),
                bootstyle="warning",
            )
            return None
        return Path(text)

    # -- export ------------------------------------------------------------------
    def export(self) -> None:
        folder = self._folder()
        if folder is None:
            return
        full = bool(self.full_var.get())

        def work(job: Any) -> Any:
            return self._service().export_package(
                job.open_context(), folder, full=full, progress=job.progress, cancel=job.cancelled
            )

        def done(result: Any) -> None:
            total = sum(result.counts.values()) if result.counts else 0
            self.export_message.configure(
                text=self.tr(
                    f"Đã ghi gói số {result.seq} ({total} bản ghi) vào {result.path}. Hãy rút USB an toàn rồi mang đi.",
                    f"Package no. {result.seq} ({total} records) written to {result.path}. Eject the USB safely.",
                ),
                bootstyle="success",
            )
            self.refresh_history()
            self.shell.refresh_status()

        self.shell.run_job(self.tr("Đang xuất gói ra USB", "Exporting to USB"), work, on_done=done)

    # -- import --------------------------------------------------------------------
    def check_import(self) -> None:
        folder = self._folder()
        if folder is None:
            return
        service = self._service()
        files = service.package_files([folder])
        if not files:
            self.import_message.configure(
                text=self.tr(
                    f"Không có gói dữ liệu nào trong {folder}.", f"No packages in {folder}."
                ),
                bootstyle="warning",
            )
            return

        def work(job: Any) -> Any:
            return service.dry_run(
                job.open_context(), files, progress=job.progress, cancel=job.cancelled
            )

        self.shell.run_job(
            self.tr("Đang kiểm tra gói", "Checking packages"),
            work,
            on_done=lambda r: self._confirm(files, r),
        )

    def _confirm(self, files: list[Path], reports: list[Any]) -> None:
        lang = self.shell.lang
        summary = "\n".join(describe_report(r, lang) for r in reports)
        self.import_message.configure(text=summary, bootstyle="default")
        usable = [
            r for r in reports if r.status not in ("refused", "already_imported") or r.needs_trust
        ]
        if not usable:
            return
        needs_trust = any(r.needs_trust for r in reports)
        question = self.tr("Kết quả kiểm tra:\n\n", "Check result:\n\n") + summary + "\n\n"
        if needs_trust:
            question += self.tr(
                "Có máy gửi mới. Chỉ đồng ý khi mã nhận dạng trùng với mã bên gửi đọc cho anh/chị "
                "(qua điện thoại). Nhận các gói này?",
                "There is a new sender. Agree only if the fingerprint matches the one the sender "
                "reads to you. Import these packages?",
            )
        else:
            question += self.tr("Nhận các gói này vào máy?", "Import these packages?")
        if not dialogs.ask_yes_no(self, question):
            return
        service = self._service()

        def work(job: Any) -> Any:
            return service.import_packages(
                job.open_context(),
                files,
                trust_new=needs_trust,
                progress=job.progress,
                cancel=job.cancelled,
            )

        def done(result: list[Any]) -> None:
            self.import_message.configure(
                text="\n".join(describe_report(r, lang) for r in result), bootstyle="default"
            )
            self.refresh_history()
            self.shell.refresh_status()

        self.shell.run_job(self.tr("Đang nhận dữ liệu", "Importing"), work, on_done=done)
