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
from papi_desktop.ui.widgets.wrap import wrap_to_parent

SERVICE = "papi_desktop.services.sync"

STATUS_LABELS = {
    "applied": ("Đã nhận", "Applied"),
    "already_imported": ("Đã nhận trước đó", "Already imported"),
    "refused": ("Không nhận", "Refused"),
    "skipped": ("Bỏ qua", "Skipped"),
    "dry_run": ("Sẽ nhận", "To import"),
}


def _when(iso: str | None) -> str:
    from papi_desktop.services.formatting import stamp_to_text

    return stamp_to_text(iso)


def size_text(size: int, lang: str) -> str:
    """``12 KB`` / ``1,4 MB`` (decimal comma in Vietnamese)."""
    if size < 1024 * 1024:
        text = f"{max(1, round(size / 1024))} KB"
    else:
        text = f"{size / (1024 * 1024):.1f} MB"
    return text.replace(".", ",") if lang != "en" else text


def fingerprint_groups(fp: str) -> str:
    """``330E-DD3B-…`` (8 groups) as two lines of four groups, easy to read on the phone."""
    groups = [g for g in fp.replace(" ", "-").split("-") if g]
    return "\n".join("   " + "  ".join(groups[i : i + 4]) for i in range(0, len(groups), 4))


def _summary_text(summary: dict[str, Any], lang: str) -> str:
    vi = lang != "en"
    parts = []
    for key, vi_label, en_label in (
        ("new", "mới", "new"),
        ("updated", "cập nhật", "updated"),
        ("conflicts", "xung đột", "conflicts"),
        ("ignored", "bỏ qua vì cũ hơn", "ignored as older"),
        ("attachments", "tệp minh chứng", "attachments"),
    ):
        v = summary.get(key)
        if isinstance(v, dict):
            v = sum(v.values())
        elif isinstance(v, list):
            v = len(v)
        if v:
            parts.append(f"{v} {vi_label if vi else en_label}")
    return ", ".join(parts) or ("không có dữ liệu mới" if vi else "nothing new")


def _display_order(report: Any) -> int:
    """What happened first, then what needs action, then what was left aside."""
    return {"refused": 1, "skipped": 2}.get(report.status, 0)


def describe_reports(reports: list[Any], lang: str) -> str:
    return "\n".join(describe_report(r, lang) for r in sorted(reports, key=_display_order))


def describe_report(report: Any, lang: str) -> str:
    """One package's check or import result in plain words: file, sender, what happens."""
    vi = lang != "en"
    sender = report.sender.get("unit_name") or ""
    head = f"• {Path(report.file).name}" + (f" — {sender}" if sender else "")
    label = STATUS_LABELS.get(report.status, (report.status, report.status))[0 if vi else 1]
    if report.status in ("refused", "skipped"):
        return head + f"\n   {label}: " + (report.message_vi if vi else report.message_en)
    if report.status == "already_imported":
        return head + ("\n   Đã nhận gói này trước đó." if vi else "\n   Already imported.")
    out = head + f"\n   {label}: " + _summary_text(report.summary or {}, lang)
    if report.needs_trust and report.status == "dry_run":
        out += (
            "\n   Máy gửi mới (lần đầu gửi tới máy này) — cần đối chiếu mã nhận dạng."
            if vi
            else "\n   New sender (first package to this PC) — the fingerprint must be checked."
        )
    for w in report.warnings or []:
        out += "\n   ⚠ " + (w.get("vi") if vi else w.get("en", w.get("vi", "")))
    return out


def trust_question(reports: list[Any], lang: str) -> str:
    """The first-time question: each new sender's unit name and fingerprint in groups."""
    vi = lang != "en"
    seen: dict[str, str] = {}
    for r in reports:
        if r.needs_trust and r.fingerprint:
            seen.setdefault(r.fingerprint, r.sender.get("unit_name") or "")
    parts = []
    for fp, name in seen.items():
        who = name or ("(không rõ tên)" if vi else "(no name)")
        parts.append(
            (f"Lần đầu nhận gói từ: {who}\nMã nhận dạng của máy gửi:\n" if vi
             else f"First package from: {who}\nFingerprint of the sending PC:\n")
            + fingerprint_groups(fp)
        )  # fmt: skip
    advice = (
        "Hãy gọi điện cho bên gửi, nhờ đọc mã nhận dạng hiện ở trang “Đồng bộ USB” trên máy của "
        "họ. Chỉ bấm “Có” khi hai mã giống hệt nhau."
        if vi
        else "Call the sender and ask them to read the fingerprint shown on the “USB sync” page "
        "of their PC. Press “Yes” only if both codes are identical."
    )
    return "\n\n".join([*parts, advice])


class ResultText(ttk.Frame):
    """Read-only, scrollable text for the check and import results (a folder from the office
    can hold many packages); ``configure(text=, bootstyle=)`` and ``cget("text")`` work like a
    label's."""

    def __init__(self, master: Any, height: int = 9) -> None:
        super().__init__(master)
        style = ttk.Style()
        self._value = ""
        self.text = ttk.Text(
            self, height=height, width=40, wrap="word", relief="flat", borderwidth=0,
            highlightthickness=0, font="TkDefaultFont", background=style.colors.bg,
            foreground=style.colors.fg, cursor="arrow",
        )  # fmt: skip
        scroll = ttk.Scrollbar(self, orient="vertical", command=self.text.yview)
        self.text.configure(yscrollcommand=scroll.set, state="disabled")
        self.text.grid(row=0, column=0, sticky="nsew")
        scroll.grid(row=0, column=1, sticky="ns")
        self.columnconfigure(0, weight=1)
        self.rowconfigure(0, weight=1)

    def configure(self, cnf: Any = None, **kw: Any) -> Any:  # type: ignore[override]
        if "text" not in kw and "bootstyle" not in kw:
            return super().configure(cnf, **kw)
        if "text" in kw:
            self._value = kw.pop("text")
            self.text.configure(state="normal")
            self.text.delete("1.0", "end")
            self.text.insert("1.0", self._value)
            self.text.configure(state="disabled")
        if "bootstyle" in kw:
            colours = ttk.Style().colors
            name = str(kw.pop("bootstyle"))
            known = name in ("danger", "warning", "success")
            self.text.configure(foreground=colours.get(name) if known else colours.fg)
        return super().configure(cnf, **kw) if kw or cnf else None

    config = configure

    def cget(self, key: str) -> Any:
        return self._value if key == "text" else super().cget(key)


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
        self.columnconfigure(0, weight=1, uniform="half")
        self.columnconfigure(1, weight=1, uniform="half")
        self.rowconfigure(3, weight=1)

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
        intro = ttk.Label(
            send,
            text=tr(
                f"Ghi các thay đổi của máy này thành một gói vào USB để mang tới {receiving}.",
                f"Write this PC's changes as one package onto the USB stick for {receiving}.",
            )
            if self._is_commune()
            else tr(
                "Ghi vào USB một gói cho từng xã/phường (mỗi nơi chỉ nhận phần của mình). Mỗi "
                "xã/phường nhận cả thư mục USB; máy tự chọn đúng gói.",
                "Write one package per commune onto the USB stick (each gets only its own "
                "part). Each commune imports the whole folder; the right package is picked.",
            ),
            wraplength=300,
        )
        wrap_to_parent(intro, pad=24).pack(anchor="w")
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
        # "nothing sent for 35 days": said where the user sends, next to the button
        self.warning = ttk.Label(
            send, text="", bootstyle="danger", font="-weight bold", wraplength=300
        )
        wrap_to_parent(self.warning, pad=24).pack(anchor="w", pady=(6, 0))
        self.export_message = ttk.Label(send, text="", wraplength=300, justify="left")
        wrap_to_parent(self.export_message, pad=24)
        self.export_message.pack(anchor="w", pady=(8, 0))
        # Every package the last export wrote: for whom, file name, size.
        self.written = SortableList(
            send,
            [
                Column("receiver", tr("Gửi cho", "For"), 150),
                Column("file", tr("Tệp trên USB", "File on the stick"), 260, stretch=True),
                Column("size", tr("Dung lượng", "Size"), 95, anchor="e"),
            ],
            id_key="file",
            height=4,
        )
        self.fingerprint_label = ttk.Label(send, text="", bootstyle="secondary", wraplength=300)
        wrap_to_parent(self.fingerprint_label, pad=24)
        self.fingerprint_label.pack(anchor="w", side="bottom", pady=(8, 0))

        recv = ttk.Labelframe(self, text=tr("Nhận dữ liệu", "Receive"), padding=10)
        recv.grid(row=3, column=1, sticky="nsew", pady=10, padx=(5, 0))
        recv_intro = ttk.Label(
            recv,
            text=tr(
                "Đọc các gói trong thư mục USB. Chương trình kiểm tra trước và cho biết sẽ thay đổi "
                "những gì; chỉ nhận khi anh/chị đồng ý. Dữ liệu được sao lưu trước khi nhận.",
                "Read the packages in the USB folder. They are checked first and you see what "
                "would change; nothing is applied until you agree. A backup is made first.",
            ),
            wraplength=300,
        )
        wrap_to_parent(recv_intro, pad=24).pack(anchor="w")
        self.import_button = ttk.Button(
            recv, text=tr("Kiểm tra và nhận gói", "Check and import"), icon="box-arrow-in-down",
            bootstyle="primary", command=self.check_import,
        )  # fmt: skip
        self.import_button.pack(anchor="w", pady=6)
        self.import_message = ResultText(recv)
        self.import_message.pack(fill="both", expand=True, pady=(8, 0))

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
                Column("status", tr("Nội dung", "Content"), 300, stretch=True),
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
        self.refresh_fingerprint()

    def refresh_fingerprint(self) -> None:
        """This PC's fingerprint, for the receiver's first-time check by phone."""
        fp = self._service().ensure_identity(self.ctx)["fingerprint"]
        groups = "  ".join(fp.split("-"))
        self.fingerprint_label.configure(
            text=self.tr(
                f"Mã nhận dạng của máy này (đọc cho bên nhận khi họ gọi điện đối chiếu): {groups}",
                f"This PC's fingerprint (read it to the receiver when they call to check): "
                f"{groups}",
            )
        )

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
            out = h["direction"] == "out"
            if out:
                records = sum(v for k, v in (h.get("counts") or {}).items() if k != "audit")
                content = self.tr(f"{records} bản ghi", f"{records} records")
                if h.get("full"):
                    content += self.tr(" (toàn bộ dữ liệu)", " (everything)")
            else:
                content = _summary_text(h.get("summary") or {}, lang)
            content += f" · {size_text(int(h.get('size') or 0), lang)}"
            rows.append(
                {
                    "id": h.get("package_id") or h.get("id"),
                    "when": _when(h.get("done_at")),
                    "direction": self.tr("Gửi", "Sent") if out else self.tr("Nhận", "Received"),
                    "peer": h.get("peer_name") or self._default_peer(out),
                    "seq": h.get("seq"),
                    "status": content,
                }
            )
        self.history.set_rows(rows)
        warnings = service.silence_warnings(self.ctx)
        self.warning.configure(
            text="\n".join(w["en"] if lang == "en" else w["vi"] for w in warnings)
        )

    def _default_peer(self, out: bool) -> str:
        """The other side when its name is not known yet."""
        if self._is_commune():
            return self.tr("Cơ quan giám sát", "Supervising office")
        if out:
            return self.tr("Các xã/phường chưa có gói riêng", "Communes without their own package")
        return ""

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
            self.show_export(result)
            self.refresh_history()
            self.shell.refresh_status()

        self.shell.run_job(self.tr("Đang xuất gói ra USB", "Exporting to USB"), work, on_done=done)

    def show_export(self, result: Any) -> None:
        """Say what was written: every package (one per commune at the office) and its size."""
        lang = self.shell.lang
        packages = list(result.packages) or [result]
        rows = []
        for pkg in packages:
            if pkg.unit_code is None and not self._is_commune():
                receiver = self.tr(
                    "Các xã/phường chưa có gói riêng", "Communes without own package"
                )
            else:
                receiver = getattr(pkg, "receiver_name", "") or self._default_peer(True)
            rows.append(
                {"file": pkg.path.name, "receiver": receiver, "size": size_text(pkg.size, lang)}
            )
        self.written.set_rows(rows)
        if not self.written.winfo_ismapped():
            self.written.pack(fill="x", pady=(6, 0))
        folder = packages[0].path.parent.resolve()
        records = sum(v for k, v in (result.counts or {}).items() if k != "audit")
        if len(packages) == 1:
            text = self.tr(
                f"Đã ghi gói số {result.seq} ({records} bản ghi, {size_text(result.size, lang)}) "
                f"vào {folder / packages[0].path.name}. Hãy rút USB an toàn rồi mang đi.",
                f"Package no. {result.seq} ({records} records, {size_text(result.size, 'en')}) "
                f"written to {folder / packages[0].path.name}. Eject the USB stick safely.",
            )
        else:
            text = self.tr(
                f"Đã ghi {len(packages)} gói ({size_text(result.size, lang)}) vào {folder}, "
                "mỗi xã/phường một gói (danh sách dưới đây). Hãy rút USB an toàn rồi mang đi; "
                "mỗi nơi nhận cả thư mục.",
                f"{len(packages)} packages ({size_text(result.size, 'en')}) written to {folder}, "
                "one per commune (listed below). Eject the stick safely; each commune imports "
                "the whole folder.",
            )
        if result.missing_attachments:
            text += self.tr(
                f" Thiếu {len(result.missing_attachments)} tệp minh chứng trên máy này (không "
                "gửi kèm được).",
                f" {len(result.missing_attachments)} evidence file(s) missing here (not sent).",
            )
        self.export_message.configure(text=text, bootstyle="success")

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

        self._check(files, replace=False)

    def _check(self, files: list[Path], replace: bool) -> None:
        service = self._service()

        def work(job: Any) -> Any:
            # A new sender's package is checked too (nothing is stored by a check), so the
            # official sees what it holds before confirming the sender's fingerprint.
            return service.import_packages(
                job.open_context(), files, dry_run=True, trust_new=True, batch=True,
                progress=job.progress, cancel=job.cancelled, replace=replace,
            )  # fmt: skip

        self.shell.run_job(
            self.tr("Đang kiểm tra gói", "Checking packages"),
            work,
            on_done=lambda r: self._confirm(files, r, replace),
        )

    def _confirm(self, files: list[Path], reports: list[Any], replace: bool = False) -> None:
        lang = self.shell.lang
        second = [r for r in reports if r.reason == "second_pc"]
        if second and not replace:
            # A commune's new PC: the official decides (after checking the fingerprint by
            # phone) whether it replaces the old one; the old PC is then retired.
            lines = "\n\n".join(self.tr(r.message_vi, r.message_en) for r in second)
            if dialogs.ask_yes_no(self, lines + "\n\n" + self.tr(
                "Xã/phường đã thay máy và mã đã được đối chiếu qua điện thoại? Chọn Có để "
                "dùng máy mới thay máy cũ.",
                "Was the PC replaced and the fingerprint checked by phone? Choose Yes to use "
                "the new PC instead of the old one.",
            )):  # fmt: skip
                self._check(files, replace=True)
                return
        summary = describe_reports(reports, lang)
        usable = [r for r in reports if r.status == "dry_run"]
        if not usable:
            if all(r.status == "skipped" for r in reports):
                last = self.tr(
                    "Trên USB không có gói nào dành cho đơn vị này; không có gì thay đổi.",
                    "There is no package for this unit on the stick; nothing changed.",
                )
            else:
                last = self.tr(
                    "Không có gói nào cần nhận; không có gì thay đổi.",
                    "No package to import; nothing changed.",
                )
            refused = any(r.status == "refused" for r in reports)
            self.import_message.configure(
                text=summary + "\n\n" + last, bootstyle="danger" if refused else "default"
            )
            return
        self.import_message.configure(text=summary, bootstyle="default")
        needs_trust = any(r.needs_trust for r in usable)
        shown = "\n".join(describe_report(r, lang) for r in usable)
        left_out = len(reports) - len(usable)
        question = self.tr("Sẽ nhận:\n\n", "To import:\n\n") + shown + "\n\n"
        if left_out:
            question += self.tr(
                f"({left_out} gói khác không nhận — xem chi tiết trên trang.)\n\n",
                f"({left_out} other package(s) not imported — details on the page.)\n\n",
            )
        if needs_trust:
            question += trust_question(usable, lang) + "\n\n"
        question += self.tr("Nhận các gói này vào máy?", "Import these packages?")
        if not dialogs.ask_yes_no(self, question):
            return
        service = self._service()
        chosen = [Path(r.file) for r in usable]

        def work(job: Any) -> Any:
            return service.import_packages(
                job.open_context(), chosen, trust_new=needs_trust or replace, batch=True,
                progress=job.progress, cancel=job.cancelled, replace=replace,
            )  # fmt: skip

        def done(result: list[Any]) -> None:
            others = [r for r in reports if r.status != "dry_run"]
            text = describe_reports([*result, *others], lang)
            refused = any(r.status == "refused" for r in result)
            self.import_message.configure(text=text, bootstyle="danger" if refused else "default")
            self.refresh_history()
            self.shell.refresh_status()

        self.shell.run_job(self.tr("Đang nhận dữ liệu", "Importing"), work, on_done=done)
