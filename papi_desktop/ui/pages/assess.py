"""The "Chấm điểm" page: a scored index (PAR INDEX at commune level) year by year.

At a commune: the tree of fields → criteria → sub-criteria with maximum, self-score,
appraised score, evidence count and state; field rows and the header carry running totals.
Choosing a criterion shows its scoring guidance and the evidence required; the score, the
explanation and evidence files are saved through ``services.assess``; "Gửi kết quả"
submits the year. At the office: the communes with self and appraised totals and rank;
choosing one shows its scorecard, where each criterion is appraised with a comment.
"""

from __future__ import annotations

import tkinter as tk
from tkinter import font as tkfont
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.errors import UserError
from papi_desktop.services import assess
from papi_desktop.services.assess import fmt_points
from papi_desktop.ui import dialogs
from papi_desktop.ui.pages.base import Page

INDEX = "PAR"
CARD_COLUMNS = (
    ("max", "Tối đa", "Max", 60),
    ("self", "Tự chấm", "Self", 80),
    ("appraised", "Thẩm định", "Appraised", 90),
    ("evidence", "Minh chứng", "Evidence", 95),
    ("state", "Trạng thái", "State", 120),
)
RESULT_COLUMNS = (
    ("rank", "Hạng", "Rank", 50),
    ("unit", "Mã", "Code", 60),
    ("name", "Xã/phường", "Commune", 220),
    ("self", "Tự chấm", "Self", 85),
    ("appraised", "Thẩm định", "Appraised", 95),
    ("items", "Đã thẩm định", "Appraised items", 115),
    ("state", "Trạng thái", "State", 150),
)


class AssessPage(Page):
    key = "assess"
    title_vi = "Chấm điểm"
    title_en = "Scoring"
    icon = "clipboard-check"

    def __init__(self, master: Any, shell: Any) -> None:
        super().__init__(master, shell)
        self.card: dict[str, Any] | None = None
        self.results: dict[str, Any] | None = None
        self.unit: str | None = None
        self.code: str | None = None
        self.pending_evidence: list[str] = []
        self._build()

    # -- layout ----------------------------------------------------------------------------
    @property
    def is_office(self) -> bool:
        site = self.ctx.site
        return bool(site and site.is_district)

    def _build(self) -> None:
        self.columnconfigure(0, weight=1)
        top = ttk.Frame(self)
        top.grid(row=0, column=0, sticky="ew")
        ttk.Label(top, text=self.tr("Chỉ số PAR — năm", "PAR index — year"),
                  font="-size 12 -weight bold").pack(side="left")  # fmt: skip
        self.year = tk.StringVar(value=str(self.ctx.today().year))
        years = [str(y) for y in range(self.ctx.today().year - 3, self.ctx.today().year + 2)]
        self.year_box = ttk.Combobox(top, textvariable=self.year, values=years, width=6)
        self.year_box.pack(side="left", padx=6)
        self.year_box.bind("<<ComboboxSelected>>", lambda _e: self.refresh())
        ttk.Button(top, text=self.tr("Làm mới", "Refresh"), command=self.refresh,
                   bootstyle="secondary-outline").pack(side="left")  # fmt: skip
        self.submit_button = ttk.Button(top, text=self.tr("Gửi kết quả tự chấm", "Submit"),
                                        command=self.submit, bootstyle="success")  # fmt: skip
        if not self.is_office:
            self.submit_button.pack(side="right")
        self.reopen_button = ttk.Button(
            top, text=self.tr("Trả lại cho xã sửa…", "Return for correction…"),
            command=self.reopen, bootstyle="warning-outline")  # fmt: skip
        if self.is_office:
            self.reopen_button.pack(side="right")
        print_text = ("In kết quả thẩm định…", "Print appraisal…") if self.is_office else (
            "In báo cáo tự chấm…", "Print self-assessment…")  # fmt: skip
        self.print_button = ttk.Button(top, text=self.tr(*print_text), command=self.print_report,
                                       bootstyle="secondary-outline")  # fmt: skip
        self.print_button.pack(side="right", padx=6)
        self.total_label = ttk.Label(self, text="", font="-size 11 -weight bold")
        self.total_label.grid(row=1, column=0, sticky="w", pady=(6, 0))
        self.sample_label = ttk.Label(self, text="", bootstyle="danger")
        self.sample_label.grid(row=2, column=0, sticky="w")
        self.message = ttk.Label(self, text="", wraplength=700, justify="left")
        self.message.grid(row=3, column=0, sticky="w")
        row = 4
        if self.is_office:
            self.rowconfigure(row, weight=1)
            self.result_tree = self._tree(self, RESULT_COLUMNS, show="headings", height=8)
            self.result_tree.master.grid(row=row, column=0, sticky="nsew", pady=(6, 4))
            self.result_tree.bind("<<TreeviewSelect>>", lambda _e: self._on_unit())
            row += 1
        self.rowconfigure(row, weight=2)
        self.tree = self._tree(self, CARD_COLUMNS, show="tree headings", height=14)
        self.tree.column("#0", width=420, stretch=True)
        self.tree.heading("#0", text=self.tr("Lĩnh vực / tiêu chí", "Field / criterion"))
        self.tree.master.grid(row=row, column=0, sticky="nsew", pady=4)
        self.tree.bind("<<TreeviewSelect>>", lambda _e: self._on_item())
        bold = tkfont.nametofont("TkDefaultFont").copy()
        bold.configure(weight="bold")
        self._bold = bold  # keep a reference: Tk forgets a font object nobody holds
        self.tree.tag_configure("field", font=bold)
        self._build_editor(row + 1)

    def _tree(self, master: Any, columns: tuple, *, show: str, height: int) -> ttk.Treeview:
        frame = ttk.Frame(master)
        frame.columnconfigure(0, weight=1)
        frame.rowconfigure(0, weight=1)
        tree = ttk.Treeview(frame, columns=[c[0] for c in columns], show=show, height=height)
        for key, vi, en, width in columns:
            tree.heading(key, text=self.tr(vi, en))
            tree.column(key, width=width, anchor="center", stretch=False)
        bar = ttk.Scrollbar(frame, orient="vertical", command=tree.yview)
        tree.configure(yscrollcommand=bar.set)
        tree.grid(row=0, column=0, sticky="nsew")
        bar.grid(row=0, column=1, sticky="ns")
        return tree

    def _build_editor(self, row: int) -> None:
        box = ttk.Labelframe(self, text=self.tr("Tiêu chí đang chọn", "Selected criterion"),
                             padding=8)  # fmt: skip
        box.grid(row=row, column=0, sticky="ew")
        box.columnconfigure(1, weight=1)
        self.item_title = ttk.Label(box, text="", font="-weight bold", wraplength=700)
        self.item_title.grid(row=0, column=0, columnspan=4, sticky="w")
        self.guidance = ttk.Label(box, text="", wraplength=700, justify="left")
        self.guidance.grid(row=1, column=0, columnspan=4, sticky="w")
        ttk.Label(box, text=self.tr("Điểm", "Points")).grid(row=2, column=0, sticky="w")
        self.points = ttk.Entry(box, width=8)
        self.points.grid(row=2, column=1, sticky="w", pady=4)
        label = ("Ý kiến thẩm định", "Comment") if self.is_office else ("Giải trình", "Note")
        ttk.Label(box, text=self.tr(*label)).grid(row=3, column=0, sticky="w")
        self.note = ttk.Entry(box)
        self.note.grid(row=3, column=1, columnspan=3, sticky="ew")
        buttons = ttk.Frame(box)
        buttons.grid(row=4, column=0, columnspan=4, sticky="w", pady=(6, 0))
        text = ("Thẩm định", "Appraise") if self.is_office else ("Lưu điểm", "Save score")
        self.save_button = ttk.Button(buttons, text=self.tr(*text), command=self.save)
        self.save_button.pack(side="left")
        self.evidence_button = None
        if not self.is_office:
            self.evidence_button = ttk.Button(
                buttons, text=self.tr("Thêm tài liệu kiểm chứng…", "Add evidence…"),
                command=self.add_evidence, bootstyle="secondary-outline")  # fmt: skip
            self.evidence_button.pack(side="left", padx=6)
        self.evidence_label = ttk.Label(box, text="", wraplength=700, justify="left")
        self.evidence_label.grid(row=5, column=0, columnspan=4, sticky="w")

    # -- data ------------------------------------------------------------------------------
    def on_show(self) -> None:
        self.refresh()

    def _year(self) -> int:
        text = self.year.get().strip()
        if not text.isdigit():
            raise UserError(f"Năm “{text}” không hợp lệ.", f"Invalid year “{text}”.")
        return int(text)

    def refresh(self) -> None:
        self.message.configure(text="")
        try:
            year = self._year()
            if self.is_office:
                self.results = assess.results(self.ctx, INDEX, year)
                self._fill_results()
                self.message.configure(
                    text=assess.province_index_text(self.results["province_index"])
                )
                if self.unit:
                    self.card = assess.scorecard(self.ctx, self.unit, INDEX, year)
                else:
                    self.card = None
            else:
                self.card = assess.list_items(self.ctx, INDEX, year)
                self.message.configure(text=self._returned_text(self.card))
        except UserError as exc:
            self.card = None
            self.message.configure(text=exc.message(self.shell.lang))
        self._fill_card()

    def _fill_results(self) -> None:
        tree = self.result_tree
        tree.delete(*tree.get_children())
        for c in (self.results or {}).get("communes", []):
            state = assess.STATE_VI[c["state"]] if self.shell.lang == "vi" else c["state"]
            tree.insert("", "end", iid=c["unit"], values=(
                c["rank"] or "—", c["unit"], c["name"], fmt_points(c["self_total"]) or "—",
                fmt_points(c["appraised_total"]) or "—", f"{c['appraised_items']}/{c['items']}",
                state))  # fmt: skip
        if self.unit and tree.exists(self.unit):
            tree.selection_set(self.unit)

    def _fill_card(self) -> None:
        tree = self.tree
        tree.delete(*tree.get_children())
        card = self.card
        if card is None:
            self.total_label.configure(text="")
            self.sample_label.configure(text="")
            return
        for i in card["items"]:
            state = (
                assess.ITEM_STATE_VI.get(i["state"], "") if self.shell.lang == "vi" else i["state"]
            )
            tree.insert(i["parent"] or "", "end", iid=i["code"], open=True,
                        text=f"{i['code']}  {i['title']}",
                        tags=("field",) if i["level"] == "field" else (),
                        values=(fmt_points(i["max_points"]), fmt_points(i["self_points"]),
                                fmt_points(i["appraised_points"]), i["evidence_count"] or "",
                                state))  # fmt: skip
        appraised = fmt_points(card["appraised_total"])
        who = ""
        if self.is_office and self.results:
            names = {c["unit"]: c["name"] for c in self.results["communes"]}
            who = f"{names.get(card['unit'], card['unit'])}: "
        self.total_label.configure(text=who + self.tr(
            f"Tự chấm {fmt_points(card['self_total']) or '0'}/{fmt_points(card['max_total'])} "
            f"điểm · thẩm định: {appraised + ' điểm' if appraised else 'chưa có'} · "
            f"{assess.STATE_VI[card['state']]}",
            f"Self {card['self_total'] or 0:g}/{card['max_total']:g} · appraised: "
            f"{appraised or 'none yet'} · {card['state']}"))  # fmt: skip
        locked = not self.is_office and card["state"] not in ("draft", "not_started", "returned")
        for widget in (self.save_button, self.evidence_button, self.submit_button):
            if widget is not None:
                widget.configure(state="disabled" if locked else "normal")
        self.sample_label.configure(text=self.tr(
            "Bộ tiêu chí MẪU THAM KHẢO — tỉnh ban hành bộ tiêu chí riêng.",
            "SAMPLE criteria — the province issues its own.") if card["sample"] else "")  # fmt: skip
        if self.code and tree.exists(self.code):
            tree.selection_set(self.code)
            tree.see(self.code)

    def _returned_text(self, card: dict[str, Any]) -> str:
        ret = card.get("returned")
        if not ret:
            return ""
        by = f" ({ret['acted_by']})" if ret["acted_by"] else ""
        return self.tr(
            f"Cơ quan giám sát trả lại kết quả tự chấm để sửa{by}: {ret['comment'] or '—'}. "
            "Sửa điểm rồi bấm “Gửi kết quả tự chấm” lần nữa.",
            f"Returned by the office for correction{by}: {ret['comment'] or '—'}. Correct the "
            "scores and submit again.",
        )

    def _item(self) -> dict[str, Any] | None:
        if self.card is None or not self.code:
            return None
        return next((i for i in self.card["items"] if i["code"] == self.code), None)

    def _on_unit(self) -> None:
        sel = self.result_tree.selection()
        if sel and sel[0] != self.unit:
            self.unit, self.code = sel[0], None
            self.refresh()

    def _on_item(self) -> None:
        sel = self.tree.selection()
        self.code = sel[0] if sel else None
        self.pending_evidence = []
        item = self._item()
        self.points.delete(0, "end")
        self.note.delete(0, "end")
        if item is None:
            return
        self.item_title.configure(text=f"{item['code']}  {item['title']} "
                                  f"({self.tr('tối đa', 'max')} {fmt_points(item['max_points'])})")  # fmt: skip
        lines = []
        if item["guidance"]:
            lines.append(self.tr("Hướng dẫn chấm: ", "Guidance: ") + item["guidance"])
        if item["evidence_required"]:
            lines.append(self.tr("Tài liệu kiểm chứng: ", "Evidence: ") + item["evidence_required"])
        if item["method"] == "survey":
            lines.append(self.tr("Chấm theo kết quả khảo sát (cơ quan giám sát chấm).",
                                 "Scored from the survey by the office."))  # fmt: skip
        if item["comment"]:
            lines.append(self.tr("Ý kiến thẩm định: ", "Appraisal: ") + item["comment"])
        self.guidance.configure(text="\n".join(lines))
        value = item["appraised_points"] if self.is_office else item["self_points"]
        if item["scorable"] and value is not None:
            self.points.insert(0, fmt_points(value))
        self.note.insert(0, item["comment"] if self.is_office else item["note"])
        self._show_evidence(item)

    def _show_evidence(self, item: dict[str, Any]) -> None:
        names = list(item["evidence"]) + [f"(mới) {p}" for p in self.pending_evidence]
        self.evidence_label.configure(text=self.tr("Đã có: ", "Attached: ") + ", ".join(names)
                                      if names else "")  # fmt: skip

    # -- actions ---------------------------------------------------------------------------
    def add_evidence(self) -> None:
        item = self._item()
        if item is None:
            return
        files = dialogs.ask_open_files(self, title=self.tr("Tài liệu kiểm chứng", "Evidence"))
        if files:
            self.pending_evidence.extend(str(f) for f in files)
            self._show_evidence(item)

    def save(self) -> None:
        item = self._item()
        if item is None or not item["scorable"]:
            dialogs.warning(self, self.tr("Hãy chọn một tiêu chí (không phải lĩnh vực).",
                                          "Choose a criterion (not a field)."))  # fmt: skip
            return
        try:
            year = self._year()
            if self.is_office:
                assess.appraise(self.ctx, self.unit or "", item["code"], INDEX, year,
                                self.points.get(), comment=self.note.get())  # fmt: skip
            else:
                assess.set_score(self.ctx, item["code"], INDEX, year, self.points.get(),
                                 note=self.note.get(), evidence=self.pending_evidence)  # fmt: skip
        except UserError as exc:
            self.shell.show_error(exc)
            return
        self.pending_evidence = []
        self.refresh()

    def print_report(self) -> None:
        """Save the year's document (PDF, Word or Excel, by the name chosen) and open it."""
        from pathlib import Path

        from papi_desktop.services import assess_reports

        try:
            year = self._year()
            stem = f"tham-dinh-PAR-{year}" if self.is_office else f"tu-cham-PAR-{year}"
            chosen = dialogs.ask_save_file(
                self, initialfile=f"{stem}.pdf", defaultextension=".pdf",
                filetypes=[("PDF", "*.pdf"), ("Word", "*.docx"), ("Excel", "*.xlsx")],
            )  # fmt: skip
            if not chosen:
                return
            build = assess_reports.appraisal if self.is_office else assess_reports.self_assessment
            path = build(self.ctx, INDEX, year, Path(chosen))
        except UserError as exc:
            self.shell.show_error(exc)
            return
        dialogs.open_path(str(path))

    def reopen(self) -> None:
        """(Office) return the selected commune's submitted year for correction."""
        from papi_desktop.services import assess_reopen

        if not self.unit:
            dialogs.warning(self, self.tr("Hãy chọn một xã/phường.", "Choose a commune."))
            return
        comment = dialogs.ask_string(
            self, self.tr("Ý kiến cho xã (cần sửa gì):", "Comment for the commune:"))  # fmt: skip
        if comment is None:
            return
        try:
            assess_reopen.reopen(self.ctx, self.unit, INDEX, self._year(), comment=comment)
        except UserError as exc:
            self.shell.show_error(exc)
            return
        self.refresh()

    def submit(self) -> None:
        try:
            year = self._year()
            card = self.card or assess.list_items(self.ctx, INDEX, year)
            question = self.tr(
                f"Gửi kết quả tự chấm năm {year}: {fmt_points(card['self_total']) or '0'}/"
                f"{fmt_points(card['max_total'])} điểm? Sau khi gửi không sửa điểm được nữa.",
                f"Submit {year}: {card['self_total'] or 0:g}/{card['max_total']:g} points? "
                "Scores are locked afterwards.",
            )
            if not dialogs.ask_yes_no(self, question):
                return
            assess.submit(self.ctx, INDEX, year)
        except UserError as exc:
            self.shell.show_error(exc)
            return
        self.refresh()
