"""Kiểm tra: inspection visits of the supervising office to its communes.

The office plans a visit, prints the pre-filled checklist, records what the team found item
by item, closes the visit and prints the minutes. A commune sees the visits to it and the
issues it must fix, and records each fix with evidence. Everything goes through
``services.inspections`` (the command line uses the same functions).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.errors import UserError
from papi_desktop.services import inspection_documents, inspections
from papi_desktop.services.formatting import format_date
from papi_desktop.ui import dialogs
from papi_desktop.ui.pages.base import Page
from papi_desktop.ui.widgets.datefield import DateField
from papi_desktop.ui.widgets.sortable import Column, SortableList


def _d(value: str | None) -> str:
    from datetime import date

    return format_date(date.fromisoformat(value[:10])) if value else ""


class _Form(ttk.Toplevel):
    """A small modal form: labelled rows, then OK / Cancel. ``submit`` returns True to close."""

    def __init__(self, page: Page, title: str, submit: Any) -> None:
        super().__init__(title=title, transient=page.winfo_toplevel(), resizable=(True, False))
        self.page = page
        self.submit = submit
        self.body = ttk.Frame(self, padding=12)
        self.body.pack(fill="both", expand=True)
        self.body.columnconfigure(1, weight=1)
        self.row = 0
        self.fields: dict[str, Any] = {}
        self.error = ttk.Label(self, text="", bootstyle="danger", wraplength=460, padding=(12, 0))
        self.error.pack(fill="x")
        buttons = ttk.Frame(self, padding=12)
        buttons.pack(fill="x")
        ttk.Button(buttons, text=page.tr("Hủy", "Cancel"), command=self.destroy,
                   bootstyle="secondary-outline").pack(side="right")  # fmt: skip
        ttk.Button(buttons, text=page.tr("Ghi", "Save"), command=self._ok,
                   bootstyle="primary").pack(side="right", padx=6)  # fmt: skip
        self.bind("<Escape>", lambda _e: self.destroy())

    def add(self, label: str, widget: Any) -> Any:
        ttk.Label(self.body, text=label).grid(
            row=self.row, column=0, sticky="nw", padx=(0, 8), pady=3
        )
        widget.grid(row=self.row, column=1, sticky="ew", pady=3)
        self.fields[label] = widget
        self.row += 1
        return widget

    def _ok(self) -> None:
        try:
            if self.submit(self):
                self.destroy()
        except UserError as exc:
            self.error.configure(text=exc.message(self.page.shell.lang))

    def run(self) -> None:
        self.grab_set()
        self.wait_window()


class InspectionsPage(Page):
    key = "inspections"
    title_vi = "Kiểm tra"
    title_en = "Inspections"
    icon = "clipboard-check"

    def __init__(self, master: Any, shell: Any) -> None:
        super().__init__(master, shell)
        self.office = bool(self.ctx.site and self.ctx.site.is_district)
        self.columnconfigure(0, weight=1)
        self.rowconfigure(2, weight=1)
        self.rowconfigure(4, weight=1)
        tr = self.tr
        intro = tr(
            "Các đợt kiểm tra việc thực hiện Bộ khung tại xã/phường: lên kế hoạch, in phiếu "
            "kiểm tra điền sẵn, ghi kết quả, kết thúc và in biên bản. Kết quả đến xã cùng gói "
            "USB tiếp theo.",
            "Inspection visits to communes: plan, print the pre-filled checklist, record the "
            "findings, close and print the minutes. Findings reach the commune with the next "
            "USB package.",
        ) if self.office else tr(
            "Các đợt kiểm tra của cơ quan giám sát tại xã/phường và những tồn tại cần khắc "
            "phục. Ghi ngày khắc phục kèm minh chứng; kết quả đi cùng gói USB tiếp theo.",
            "Inspection visits of the supervising office and the issues to fix. Record each "
            "fix with evidence; it goes with the next USB package.",
        )  # fmt: skip
        ttk.Label(self, text=intro, wraplength=760, justify="left").grid(
            row=0, column=0, sticky="w"
        )
        bar = ttk.Frame(self)
        bar.grid(row=1, column=0, sticky="w", pady=(8, 4))
        actions = (
            [(tr("Lên kế hoạch…", "Plan a visit…"), self.plan_visit, "primary"),
             (tr("In phiếu kiểm tra…", "Print checklist…"), self.print_checklist, "secondary"),
             (tr("Ghi kết quả…", "Record finding…"), self.record_finding, "secondary"),
             (tr("Kết thúc đợt…", "Close visit…"), self.close_visit, "secondary"),
             (tr("In biên bản…", "Print minutes…"), self.print_minutes, "secondary")]
            if self.office
            else [(tr("Ghi đã khắc phục…", "Record a fix…"), self.record_fix, "primary")]
        )  # fmt: skip
        self.buttons: dict[str, ttk.Button] = {}
        for text, command, style in actions:
            b = ttk.Button(bar, text=text, command=command, bootstyle=style)
            b.pack(side="left", padx=(0, 6), pady=2)
            self.buttons[text] = b
        self.visits = SortableList(
            self,
            [
                Column("on", tr("Ngày", "Date"), 90, format=_d),
                Column("name", tr("Xã/phường", "Commune"), 200, stretch=True),
                Column("team_text", tr("Đoàn kiểm tra", "Team"), 220, stretch=True),
                Column("state_text", tr("Tình trạng", "State"), 120),
                Column("issues", tr("Tồn tại", "Issues"), 70, anchor="center"),
                Column("fixed", tr("Đã khắc phục", "Fixed"), 110, anchor="center"),
                Column("overdue_fixes", tr("Quá hạn", "Overdue"), 70, anchor="center"),
            ],
            height=7,
            on_select=lambda _r: self._show_findings(),
            empty_text=tr(
                "Chưa có đợt kiểm tra nào." + (" Bấm “Lên kế hoạch…” để bắt đầu." if self.office else ""),
                "No inspection yet." + (" Press “Plan a visit…” to start." if self.office else ""),
            ),
        )  # fmt: skip
        self.visits.grid(row=2, column=0, sticky="nsew")
        ttk.Label(self, text=tr("Kết quả kiểm tra của đợt đang chọn", "Findings of the selected visit"),
                  font="-weight bold").grid(row=3, column=0, sticky="w", pady=(10, 2))  # fmt: skip
        self.findings = SortableList(
            self,
            [
                Column("item", tr("Mã mục", "Item"), 130),
                Column("label", tr("Nội dung", "What"), 300, stretch=True),
                Column("finding_text", tr("Kết quả", "Finding"), 130),
                Column("note", tr("Nhận xét", "Note"), 220, stretch=True),
                Column("fix_by", tr("Hạn khắc phục", "Fix by"), 115, format=_d),
                Column("fixed_on", tr("Đã khắc phục", "Fixed on"), 115, format=_d),
            ],
            id_key="item",
            height=7,
            tag_of=lambda r: "danger" if r.get("overdue") else None,
            empty_text=tr("Chưa ghi kết quả nào.", "No finding recorded yet."),
        )
        self.findings.grid(row=4, column=0, sticky="nsew")

    # -- data -------------------------------------------------------------------
    def on_show(self) -> None:
        self.refresh()

    def show_item(self, select: dict[str, Any] | None = None, **kwargs: Any) -> bool:
        """Open one visit (and one of its findings), e.g. from a home-page line."""
        sel = {**(select or {}), **kwargs}
        if not sel.get("id"):
            return False
        self._want_item = sel.get("item")
        self.refresh(select=sel["id"])
        return True

    def refresh(self, select: str | None = None) -> None:
        lang = self.shell.lang
        chosen = select or (self.visits.selected() or {}).get("id")
        rows = []
        for v in inspections.list_inspections(self.ctx):
            rows.append({**v, "team_text": "; ".join(v["team"]),
                         "state_text": inspections.STATE_LABELS[v["state"]][lang]})  # fmt: skip
        self.visits.set_rows(rows)
        if chosen:
            self.visits.select(lambda r: r["id"] == chosen)
        elif rows:
            self.visits.select(lambda r: r["id"] == rows[0]["id"])
        self._show_findings()

    def _visit(self) -> dict | None:
        visit = self.visits.selected()
        if visit is None:
            dialogs.info(self, self.tr("Hãy chọn một đợt kiểm tra trong danh sách.",
                                       "Choose a visit in the list first."))  # fmt: skip
        return visit

    def _show_findings(self) -> None:
        visit = self.visits.selected()
        if visit is None:
            self.findings.set_rows([])
            return
        lang, today = self.shell.lang, str(self.ctx.today())
        keep = getattr(self, "_want_item", None) or (self.findings.selected() or {}).get("item")
        found = inspections._findings(self.ctx, visit["id"])
        self.findings.set_rows([
            {"item": f["item"], "label": f["item_label"], "note": f["note"],
             "finding": f["finding"], "fix_by": f["fix_by"], "fixed_on": f["fixed_on"],
             "finding_text": inspections.FINDING_LABELS[f["finding"]][lang],
             "overdue": f["finding"] == "issue" and not f["fixed_on"] and bool(f["fix_by"])
             and f["fix_by"] < today}
            for f in found
        ])  # fmt: skip
        if keep:
            self.findings.select(lambda r: r["item"] == keep)

    # -- office actions ---------------------------------------------------------
    def plan_visit(self) -> None:
        from papi_desktop.ui.widgets.search import UnitPicker

        tr = self.tr
        form = _Form(self, tr("Lên kế hoạch kiểm tra", "Plan an inspection"), None)
        picker = form.add(tr("Xã/phường", "Commune"),
                          UnitPicker(form.body, self.ctx, province_code=self.ctx.site.province_code))  # fmt: skip
        day = form.add(tr("Ngày kiểm tra", "Date"), DateField(form.body, lang=self.shell.lang,
                                                              value=self.ctx.today(), required=True))  # fmt: skip
        team = form.add(
            tr("Đoàn (Họ tên; Họ tên)", "Team (Name; Name)"), ttk.Entry(form.body, width=48)
        )
        created: list[str] = []

        def submit(_f: _Form) -> bool:
            unit = picker.unit
            if unit is None:
                raise UserError(
                    "Hãy chọn xã/phường trong danh sách.", "Choose a commune from the list."
                )
            created.append(inspections.plan(self.ctx, unit["code"], day.get(), team.get()))
            return True

        form.submit = submit
        form.run()
        if created:
            self.refresh(select=created[0])

    def _save_pdf(self, name: str) -> Path | None:
        path = dialogs.ask_save_file(self, initialfile=name, defaultextension=".pdf",
                                     filetypes=[("PDF", "*.pdf"), ("Word", "*.docx")])  # fmt: skip
        return Path(path) if path else None

    def _write(self, writer: Any, visit: dict, name: str) -> None:
        path = self._save_pdf(name)
        if path is None:
            return

        def work(job: Any) -> Path:
            ctx = job.open_context()
            return writer(ctx, visit["id"], path)

        self.shell.run_job(self.tr("Đang in…", "Printing…"), work,
                           on_done=lambda p: dialogs.info(self, self.tr(f"Đã lưu {p}", f"Saved {p}")),
                           on_error=self.shell.show_error, cancellable=False)  # fmt: skip

    def print_checklist(self) -> None:
        visit = self._visit()
        if visit:
            self._write(inspection_documents.write_checklist, visit,
                        f"phieu-kiem-tra-{visit['unit']}-{visit['on']}.pdf")  # fmt: skip

    def print_minutes(self) -> None:
        visit = self._visit()
        if visit:
            self._write(inspection_documents.write_minutes, visit,
                        f"bien-ban-kiem-tra-{visit['unit']}-{visit['on']}.pdf")  # fmt: skip

    def record_finding(self) -> None:
        visit = self._visit()
        if visit is None:
            return
        tr, lang = self.tr, self.shell.lang
        lines = inspections.checklist(self.ctx, visit["id"])["lines"]
        labels = {f"{line['item']} — {line['label'][:70]}": line["item"] for line in lines}
        form = _Form(self, tr("Ghi kết quả kiểm tra", "Record a finding"), None)
        item = form.add(tr("Mục", "Item"), ttk.Combobox(form.body, values=list(labels), width=60))
        chosen = self.findings.selected()
        if chosen:
            item.set(next((k for k, v in labels.items() if v == chosen["item"]), chosen["item"]))
        words = [inspections.FINDING_LABELS[f][lang] for f in inspections.FINDINGS]
        verdict = ttk.Combobox(form.body, state="readonly", values=words)
        verdict.current(0)
        form.add(tr("Kết quả", "Finding"), verdict)
        note = form.add(tr("Nhận xét / yêu cầu", "Note / request"), ttk.Entry(form.body, width=60))
        fix_by = form.add(tr("Hạn khắc phục", "Fix by"), DateField(form.body, lang=lang))

        def submit(_f: _Form) -> bool:
            key = labels.get(item.get(), item.get())
            finding = inspections.FINDINGS[words.index(verdict.get())]
            inspections.record(self.ctx, visit["id"], key, finding, note.get(), fix_by.get())
            return True

        form.submit = submit
        form.run()
        self.refresh(select=visit["id"])

    def close_visit(self) -> None:
        visit = self._visit()
        if visit is None:
            return
        tr = self.tr
        form = _Form(self, tr("Kết thúc đợt kiểm tra", "Close the visit"), None)
        day = form.add(tr("Ngày kết thúc", "Closing date"),
                       DateField(form.body, lang=self.shell.lang, value=self.ctx.today()))  # fmt: skip
        reps = form.add(tr("Đại diện xã (Họ tên - chức vụ; …)", "Commune representatives"),
                        ttk.Entry(form.body, width=60))  # fmt: skip
        conclusion = form.add(tr("Kết luận", "Conclusion"), ttk.Entry(form.body, width=60))

        def submit(_f: _Form) -> bool:
            inspections.close(self.ctx, visit["id"], on=day.get(), commune_reps=reps.get(),
                              conclusion=conclusion.get())  # fmt: skip
            return True

        form.submit = submit
        form.run()
        self.refresh(select=visit["id"])

    # -- commune action ---------------------------------------------------------
    def record_fix(self) -> None:
        visit = self._visit()
        if visit is None:
            return
        tr = self.tr
        issues = [f for f in self.findings.rows if f["finding"] == "issue" and not f["fixed_on"]]
        if not issues:
            dialogs.info(self, tr("Đợt kiểm tra này không còn tồn tại nào cần khắc phục.",
                                  "This visit has no open issue to fix."))  # fmt: skip
            return
        chosen = self.findings.selected()
        labels = {f"{f['item']} — {f['note'][:60]}": f["item"] for f in issues}
        form = _Form(self, tr("Ghi đã khắc phục", "Record a fix"), None)
        item = form.add(tr("Tồn tại", "Issue"),
                        ttk.Combobox(form.body, values=list(labels), state="readonly", width=60))  # fmt: skip
        keys = list(labels)
        item.current(
            next((i for i, k in enumerate(keys) if chosen and labels[k] == chosen["item"]), 0)
        )
        day = form.add(tr("Ngày khắc phục", "Fixed on"),
                       DateField(form.body, lang=self.shell.lang, value=self.ctx.today()))  # fmt: skip
        note = form.add(tr("Ghi chú", "Note"), ttk.Entry(form.body, width=60))
        files: list[str] = []
        picked = ttk.Label(
            form.body, text=tr("(chưa chọn tệp)", "(no file)"), bootstyle="secondary"
        )

        def pick() -> None:
            files[:] = dialogs.ask_open_files(self, tr("Chọn tệp minh chứng", "Choose evidence"))
            picked.configure(
                text="; ".join(Path(f).name for f in files) or tr("(chưa chọn tệp)", "(no file)")
            )

        form.add(tr("Minh chứng", "Evidence"),
                 ttk.Button(form.body, text=tr("Chọn tệp…", "Choose files…"), command=pick,
                            bootstyle="secondary-outline"))  # fmt: skip
        form.add("", picked)

        def submit(_f: _Form) -> bool:
            inspections.fix(self.ctx, visit["id"], labels[item.get()], day.get(), note.get(),
                            [Path(f) for f in files])  # fmt: skip
            return True

        form.submit = submit
        form.run()
        self.refresh(select=visit["id"])
