"""The task result editor beside the checklist: status, result (with the reason for "not
applicable"), done date, note, follow-up flag, evidence files and the item's history.

Every save goes through ``services.tasks.set_result`` (which writes the audit log); the
editor only tracks what was typed and whether it differs from what is stored.
"""

from __future__ import annotations

import tkinter as tk
from datetime import date
from pathlib import Path
from tkinter import font as tkfont
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.errors import StorageError, UserError
from papi_desktop.services import review, task_tree, tasks
from papi_desktop.services.task_tree import (
    RESULT_LABELS,
    STATUS_LABELS,
    TASK_RESULTS,
    TASK_STATUSES,
)
from papi_desktop.ui import dialogs
from papi_desktop.ui.pages import fields, history
from papi_desktop.ui.pages.findings_tab import FindingsTab
from papi_desktop.ui.widgets.tips import HintTip


def _size_text(size: int | None) -> str:
    if not size:
        return ""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class TaskEditor(ttk.Frame):
    """Edit one task result (one unit, task and period)."""

    def __init__(self, master: Any, page: Any, *, read_only: bool = False) -> None:
        # takefocus=0: the frame binds keys but is no place to type (not a Tab stop)
        super().__init__(master, padding=(10, 0, 0, 0), takefocus=0)
        self.page = page
        self.read_only = read_only
        self.row: dict[str, Any] | None = None
        self._snapshot: tuple | None = None
        self._pending: list[Path] = []
        self._attachments: list[dict[str, Any]] = []
        self._title_text = ""
        self._meta_text = ""
        self._layout_job: str | None = None
        self._laid_out_size: tuple[int, int] = (0, 0)
        self._fit_key: tuple | None = None
        self._build()
        self.load(None)

    @property
    def ctx(self):
        return self.page.ctx

    def tr(self, vi: str, en: str) -> str:
        return self.page.tr(vi, en)

    @property
    def lang(self) -> str:
        return "en" if self.tr("vi", "en") == "en" else "vi"

    # -- layout ----------------------------------------------------------------
    def _rewrap(self, event: Any) -> None:
        """Wrap the task title and its line to the editor's size (the sash can move).

        Only a real change of size counts: setting the labels' text makes the pane manager
        place the editor again, which sends a <Configure> with the same size; reacting to
        that would re-wrap without end (the 1024x600 freeze)."""
        if event.widget is not self or event.width <= 100:
            return
        size = (event.width, event.height)
        if size == self._laid_out_size:
            return
        self._laid_out_size = size
        self._layout_soon()

    def _layout_soon(self) -> None:
        if self._layout_job is None:
            self._layout_job = self.after_idle(self._fit_title)

    def _fit_title(self) -> None:
        """Show as many lines of the task title as the editor's height leaves once the
        form (with three evidence rows and the buttons) has its full height; a longer
        title ends in "…" and shows whole in its tooltip. When even one title line does
        not fit, the line under it (period, due date, lead) keeps to one line too."""
        self._layout_job = None
        width = self.winfo_width() - 12
        # The result depends only on these; the same inputs leave the labels untouched, so
        # laying out never feeds itself (a label change re-places the editor).
        key = (
            width,
            self.winfo_height(),
            self._title_text,
            self._meta_text,
            self.notebook.winfo_reqheight(),
            self.footer.winfo_reqheight(),
        )
        if key == self._fit_key:
            return
        self._fit_key = key
        if width < 80 or not self._title_text:
            _set_label(self.meta_label, text=self._meta_text)
            _set_label(self.title_label, text=self._title_text)
            self.title_tip.text = ""
            return
        font = self._title_font
        small = tkfont.nametofont("TkDefaultFont")
        lines = _wrap_lines(self._title_text, width, font.measure)
        meta_lines = _wrap_lines(self._meta_text, width, small.measure)
        spare = self.winfo_height() - 8 - key[4] - key[5]
        meta_text = self._meta_text
        line_height = font.metrics("linespace")
        room = (spare - len(meta_lines) * small.metrics("linespace")) // line_height
        cut = False
        if room < 1 and len(meta_lines) > 1:
            meta_text = task_tree.shorten(self._meta_text, width, small.measure)
            room = (spare - small.metrics("linespace")) // line_height
            cut = True
        room = max(1, room)
        if len(lines) > room:
            kept = lines[: room - 1]
            kept.append(task_tree.shorten(" ".join(lines[room - 1 :]), width, font.measure))
            lines = kept
            cut = True
        self.title_tip.text = f"{self._title_text}\n{self._meta_text}" if cut else ""
        _set_label(self.meta_label, text=meta_text, wraplength=width)
        _set_label(self.title_label, text="\n".join(lines), wraplength=width + 4)

    def _set_meta(self, text: str) -> None:
        if text != self._meta_text:
            self._meta_text = text
            _set_label(self.meta_label, text=text)
            self._layout_soon()

    def _set_title(self, text: str) -> None:
        if text != self._title_text:
            self._title_text = text
            _set_label(self.title_label, text=text)
            self._layout_soon()

    def _build(self) -> None:
        self.columnconfigure(0, weight=1)
        self.rowconfigure(2, weight=1)
        self._title_font = tkfont.nametofont("TkDefaultFont").copy()
        self._title_font.configure(weight="bold")
        self.title_label = ttk.Label(self, font=self._title_font, wraplength=360, justify="left")
        self.title_label.grid(row=0, column=0, sticky="ew")
        self.title_tip = HintTip(self.title_label, text="")
        self.meta_label = ttk.Label(self, bootstyle="secondary", wraplength=360, justify="left")
        self.meta_label.grid(row=1, column=0, sticky="ew", pady=(2, 6))
        self.bind("<Configure>", self._rewrap, add="+")
        self.notebook = ttk.Notebook(self)
        self.notebook.grid(row=2, column=0, sticky="nsew")
        self.form = ttk.Frame(self.notebook, padding=(8, 6, 8, 4))
        self.history_tab = ttk.Frame(self.notebook, padding=8)
        self.notebook.add(self.form, text=self.tr("Cập nhật kết quả", "Update result"))
        self.notebook.add(self.history_tab, text=self.tr("Lịch sử", "History"))
        self.findings_tab = FindingsTab(self.notebook, self.tr)
        # messages and the save buttons stay under the tabs, always in view
        self.footer = ttk.Frame(self)
        self.footer.grid(row=3, column=0, sticky="ew", pady=(4, 0))
        self.footer.columnconfigure(0, weight=1)
        self._build_form()
        self._build_history()

    def _build_form(self) -> None:
        f = self.form
        f.columnconfigure(1, weight=1)
        lang = self.lang
        self._status_labels = [STATUS_LABELS[s][lang] for s in TASK_STATUSES]
        self._result_labels = [RESULT_LABELS[r][lang] for r in TASK_RESULTS]
        ttk.Label(f, text=self.tr("Trạng thái", "Status")).grid(row=0, column=0, sticky="w", pady=1)
        self.status_box = ttk.Combobox(f, values=self._status_labels, state="readonly", width=22)
        self.status_box.grid(row=0, column=1, sticky="w", pady=1)
        ttk.Label(f, text=self.tr("Kết quả", "Result")).grid(row=1, column=0, sticky="w", pady=1)
        self.result_box = ttk.Combobox(f, values=self._result_labels, state="readonly", width=22)
        self.result_box.grid(row=1, column=1, sticky="w", pady=1)
        # the reason line is shown only with the result "Không áp dụng" (_update_reason_state)
        self.reason_label = ttk.Label(f, text=self.tr("Lý do", "Reason"))
        self.reason_label.grid(row=2, column=0, sticky="w", pady=1)
        self.reason_entry = ttk.Entry(f, width=20)
        self.reason_entry.grid(row=2, column=1, sticky="ew", pady=1)
        HintTip(self.reason_entry, text=self.tr("Lý do không áp dụng", "Why not applicable"))
        ttk.Label(f, text=self.tr("Ngày xong", "Done date")).grid(
            row=3, column=0, sticky="w", pady=1
        )
        # the date and the follow-up flag share a line so the evidence list keeps its room
        # on a 1366×705 screen (a maximised window above the Windows taskbar)
        done_row = ttk.Frame(f)
        done_row.grid(row=3, column=1, sticky="w", pady=1)
        self.done_field = fields.date_field(done_row, width=10, lang=self.lang)
        self.done_field.pack(side="left")
        self.follow_var = tk.BooleanVar(value=False)
        self.follow_check = ttk.Checkbutton(
            done_row,
            text=self.tr("Theo dõi", "Follow up"),
            variable=self.follow_var,
            command=self._changed,
        )
        self.follow_check.pack(side="left", padx=(8, 0))
        HintTip(
            self.follow_check,
            text=self.tr("Cần theo dõi tiếp việc này", "This task needs following up"),
        )
        ttk.Label(f, text=self.tr("Ghi chú", "Note")).grid(row=5, column=0, sticky="nw", pady=1)
        self.note_box = ttk.Text(f, height=2, width=20, wrap="word", font="TkDefaultFont")
        self.note_box.grid(row=5, column=1, sticky="ew", pady=1)

        ev = ttk.Frame(f)
        ev.grid(row=7, column=0, columnspan=2, sticky="nsew", pady=(6, 0))
        ev.columnconfigure(0, weight=1)
        ev.rowconfigure(0, weight=1)
        f.rowconfigure(7, weight=1)
        self.evidence_tree = ttk.Treeview(
            ev, columns=("date", "size"), height=3, selectmode="browse"
        )
        self.evidence_tree.heading("#0", text=self.tr("Tệp minh chứng", "Evidence files"))
        self.evidence_tree.heading("date", text=self.tr("Ngày", "Date"))
        self.evidence_tree.heading("size", text=self.tr("Cỡ", "Size"))
        self.evidence_tree.column("#0", width=150, minwidth=80, stretch=True)
        self.evidence_tree.column("date", width=84, stretch=False)
        self.evidence_tree.column("size", width=56, stretch=False, anchor="e")
        self.evidence_tree.heading("#0", anchor="w")
        self.evidence_tree.tag_configure("pending", foreground=fields.theme_colour("primary"))
        self.evidence_tree.grid(row=0, column=0, sticky="nsew")
        ev_scroll = ttk.Scrollbar(ev, orient="vertical", command=self.evidence_tree.yview)
        ev_scroll.grid(row=0, column=1, sticky="ns")
        self.evidence_tree.configure(yscrollcommand=ev_scroll.set)
        self.evidence_tree.bind("<Double-1>", lambda e: self.open_selected_evidence())
        self.evidence_tree.bind("<Return>", lambda e: (self.open_selected_evidence(), "break")[1])
        actions = ttk.Frame(ev)
        actions.grid(row=1, column=0, columnspan=2, sticky="ew", pady=(4, 0))
        self.attach_button = ttk.Button(
            actions, text=self.tr("Đính kèm tệp…", "Attach files…"), command=self.attach_files
        )
        self.attach_button.pack(side="left")
        self.open_button = ttk.Button(
            actions, text=self.tr("Mở tệp", "Open file"), command=self.open_selected_evidence
        )
        self.open_button.pack(side="left", padx=4)
        self.unattach_button = ttk.Button(
            actions, text=self.tr("Bỏ tệp", "Remove"), command=self.remove_pending
        )
        HintTip(
            self.unattach_button,
            text=self.tr(
                "Bỏ tệp minh chứng đang chọn (tệp đã lưu: hỏi trước và ghi vào lịch sử)",
                "Remove the chosen evidence file (a saved one: asked first, kept in the history)",
            ),
        )
        self.unattach_button.pack(side="left")

        foot = self.footer
        # wraplength follows the label's real width, so a message is never cut
        self.error_label = ttk.Label(foot, bootstyle="danger", wraplength=300, justify="left")
        self.error_label.grid(row=0, column=0, columnspan=2, sticky="ew")
        self.error_label.bind("<Configure>", self._wrap_error, add="+")
        self.saved_label = ttk.Label(foot, bootstyle="success")
        self.saved_label.grid(row=1, column=0, sticky="w", pady=(4, 0))
        buttons = ttk.Frame(foot)
        buttons.grid(row=1, column=1, sticky="e", pady=(4, 0))
        self.cancel_button = ttk.Button(
            buttons, text=self.tr("Hủy thay đổi (Esc)", "Discard (Esc)"), command=self.discard
        )
        self.cancel_button.pack(side="left", padx=(0, 6))
        self.save_button = ttk.Button(
            buttons,
            text=self.tr("Lưu (Enter)", "Save (Enter)"),
            bootstyle="primary",
            command=self.save,
        )
        self.save_button.pack(side="left")

        self.status_box.bind("<<ComboboxSelected>>", self._status_chosen)
        self.result_box.bind("<<ComboboxSelected>>", self._result_chosen)
        for w in (self.reason_entry, self.done_field.entry):
            w.bind("<KeyRelease>", lambda e: self._changed(), add="+")
        self.note_box.bind("<KeyRelease>", lambda e: self._changed(), add="+")
        for w in (
            self.status_box,
            self.result_box,
            self.reason_entry,
            self.done_field.entry,
            self.follow_check,
            self.save_button,
        ):
            w.bind("<Return>", self._enter, add="+")
            w.bind("<KP_Enter>", self._enter, add="+")
        self.note_box.bind("<Control-Return>", self._enter)
        self.note_box.bind("<Tab>", self._note_tab)
        for w in (self, *self._inputs(), self.evidence_tree, self.note_box):
            w.bind("<Escape>", self._escape, add="+")
        if self.read_only:
            self._hide_edit_buttons()

    def _hide_edit_buttons(self) -> None:
        for w in (self.attach_button, self.unattach_button, self.save_button, self.cancel_button):
            w.pack_forget()

    def set_read_only(self, read_only: bool) -> None:
        """Switch between viewing and editing (the office: a commune's checklist, or its
        own); the buttons that change something are shown only when editing."""
        if read_only == self.read_only:
            return
        self.read_only = read_only
        if read_only:
            self._hide_edit_buttons()
        else:
            self.attach_button.pack(side="left", before=self.open_button)
            self.unattach_button.pack(side="left", after=self.open_button)
            self.save_button.pack(side="left")
            self.cancel_button.pack(side="left", padx=(0, 6), before=self.save_button)

    def _build_history(self) -> None:
        self.history_tree = history.build(self.history_tab, self.tr)

    def _inputs(self) -> list[Any]:
        return [
            self.status_box,
            self.result_box,
            self.reason_entry,
            self.done_field.entry,
            self.follow_check,
            self.note_box,
        ]

    # -- events ----------------------------------------------------------------
    def _enter(self, _event: Any = None) -> str:
        if not self.read_only and self.row is not None:
            self.save()
        return "break"

    def _escape(self, _event: Any = None) -> str:
        self.discard()
        return "break"

    def _note_tab(self, _event: Any = None) -> str:
        self.evidence_tree.focus_set()
        return "break"

    def _wrap_error(self, event: Any) -> None:
        # the label's width comes from the footer, not from its text: no feedback here
        if event.width > 40 and int(str(self.error_label.cget("wraplength")) or 0) != event.width:
            self.error_label.configure(wraplength=event.width)
            self._layout_soon()

    def _show_error(self, text: str) -> None:
        self.error_label.configure(text=text)
        if text:
            self.saved_label.configure(text="")
            self.error_label.grid()
        else:
            self.error_label.grid_remove()  # no empty line above the buttons
        self._layout_soon()

    def _status_chosen(self, _event: Any = None) -> None:
        if self.status() == "done" and not fields.date_text(self.done_field):
            fields.set_date(self.done_field, self.ctx.today())
        if self.status() != "done" and self.result() == "na":
            # a task still to do (or being done) cannot also be "not applicable"
            self.result_box.set(RESULT_LABELS["unassessed"][self.lang])
            self._update_reason_state()
        self._changed()

    def _result_chosen(self, _event: Any = None) -> None:
        if self.result() == "na" and self.status() != "done":
            # "Not applicable" closes the task: nothing is left to do, so it counts as
            # done (the group totals already count it so); the status shows it at once.
            self.status_box.set(STATUS_LABELS["done"][self.lang])
        self._update_reason_state()
        if self.result() == "na":
            self.reason_entry.focus_set()
        self._changed()

    def _update_reason_state(self) -> None:
        """The reason line shows with the result "Không áp dụng" only."""
        shown = self.result() == "na"
        enabled = shown and not self.read_only and self.row is not None
        self.reason_entry.configure(state="normal" if enabled else "disabled")
        for w in (self.reason_label, self.reason_entry):
            if shown:
                w.grid()
            else:
                w.grid_remove()
        self._layout_soon()

    def _changed(self) -> None:
        if self.error_label.cget("text") and not self.has_changes():
            self._show_error("")
        if self.has_changes():
            self.saved_label.configure(text="")
        self.page.editor_changed()

    # -- values ----------------------------------------------------------------
    def status(self) -> str:
        label = self.status_box.get()
        return (
            TASK_STATUSES[self._status_labels.index(label)]
            if label in self._status_labels
            else "todo"
        )

    def result(self) -> str:
        label = self.result_box.get()
        return (
            TASK_RESULTS[self._result_labels.index(label)]
            if label in self._result_labels
            else "unassessed"
        )

    def _current(self) -> tuple:
        return (
            self.status(),
            self.result(),
            self.reason_entry.get().strip(),
            fields.date_text(self.done_field),
            bool(self.follow_var.get()),
            fields.text_value(self.note_box).strip(),
            tuple(self._pending),
        )

    def has_changes(self) -> bool:
        return self.row is not None and not self.read_only and self._current() != self._snapshot

    # -- loading ---------------------------------------------------------------
    def load(self, row: dict[str, Any] | None) -> None:
        """Show ``row`` (a ``list_results`` dict) or the empty state."""
        if row is None or self.row is None or _key(row) != _key(self.row):
            self.saved_label.configure(text="")
        self.row = row
        self._pending = []
        self._show_error("")
        state = "normal" if row is not None and not self.read_only else "disabled"
        for w in (self.status_box, self.result_box):
            w.configure(state="readonly" if state == "normal" else "disabled")
        self.done_field.configure(state=state)
        self.follow_check.configure(state=state)
        self.note_box.configure(state="normal")
        if row is None:
            self._set_title(self.tr("Chưa chọn nhiệm vụ", "No task selected"))
            self._set_meta(
                self.tr(
                    "Chọn một nhiệm vụ trong danh sách để xem và cập nhật kết quả.",
                    "Choose a task in the list to see and update its result.",
                )
            )
            self.status_box.set("")
            self.result_box.set("")
            self.reason_entry.configure(state="normal")
            self.reason_entry.delete(0, "end")
            fields.set_date(self.done_field, None)
            self.follow_var.set(False)
            fields.set_text_value(self.note_box, "")
            self._attachments = []
        else:
            self._fill(row)
        self.note_box.configure(state=state)
        for b in (self.save_button, self.cancel_button, self.attach_button):
            b.configure(state=state)
        self._update_reason_state()
        self._show_evidence()
        self._show_history()
        self._show_findings()
        self._snapshot = self._current()

    def _fill(self, row: dict[str, Any]) -> None:
        lang = self.lang
        title = row.get("title_en") if lang == "en" and row.get("title_en") else row["title"]
        self._set_title(f"{row['code']}  {title}")
        period = task_tree.period_label(row["period"], lang)
        due = fields.iso_to_text(row["due"])
        meta = self.tr(
            f"{period} · hạn {due} · chủ trì: {row['lead_role']}",
            f"{period} · due {due} · lead: {row['lead_role']}",
        )
        if row["overdue"]:
            meta += self.tr(" · QUÁ HẠN", " · OVERDUE")
        if self.read_only:
            meta += self.tr(" · chỉ xem", " · read-only")
        self._set_meta(meta)
        self.status_box.set(STATUS_LABELS[row["status"]][lang])
        self.result_box.set(RESULT_LABELS[row["result"]][lang])
        self.reason_entry.configure(state="normal")
        self.reason_entry.delete(0, "end")
        self.reason_entry.insert(0, row["na_reason"] or "")
        fields.set_date(
            self.done_field, date.fromisoformat(row["done_on"]) if row["done_on"] else None
        )
        self.follow_var.set(bool(row["follow_up"]))
        fields.set_text_value(self.note_box, row["note"] or "")
        self._attachments = (
            tasks.attachments_of(self.ctx, "task_result", row["result_id"])
            if row["result_id"]
            else []
        )

    def _show_evidence(self) -> None:
        tree = self.evidence_tree
        tree.delete(*tree.get_children())
        for a in self._attachments:
            tree.insert(
                "",
                "end",
                iid=f"a:{a['id']}",
                text=a["file_name"],
                values=(fields.iso_to_text(a["evidence_date"]), _size_text(a["size"])),
            )
        for i, p in enumerate(self._pending):
            size = p.stat().st_size if p.is_file() else 0
            tree.insert(
                "",
                "end",
                iid=f"p:{i}",
                text=p.name,
                values=(self.tr("chưa lưu", "not saved"), _size_text(size)),
                tags=("pending",),
            )
        can_remove = bool(self._pending) or (bool(self._attachments) and not self.read_only)
        self.unattach_button.configure(state="normal" if can_remove else "disabled")
        self.open_button.configure(state="normal" if tree.get_children() else "disabled")

    def _show_findings(self) -> None:
        row = self.row
        if row is None:
            self.findings_tab.show(self.ctx, None, self.lang)
            return
        self.findings_tab.show(
            self.ctx, row["unit"], self.lang, task_code=row["code"], period=row["period"]
        )

    def _show_history(self) -> None:
        if self.row is None or not self.row["result_id"]:
            self.history_tree.delete(*self.history_tree.get_children())
            return
        lang = self.lang
        entries = tasks.result_history(self.ctx, self.row["result_id"])
        n = history.fill(self.history_tree, entries, lang, lambda f, v: _show_value(f, v, lang))
        self.notebook.tab(self.history_tab, text=self.tr(f"Lịch sử ({n})", f"History ({n})"))

    # -- actions ---------------------------------------------------------------
    def attach_files(self) -> None:
        if self.row is None or self.read_only:
            return
        chosen = dialogs.ask_open_files(
            self.winfo_toplevel(), self.tr("Chọn tệp minh chứng", "Choose evidence files")
        )
        for name in chosen:
            p = Path(name)
            if p not in self._pending:
                self._pending.append(p)
        self._show_evidence()
        self._changed()

    def remove_pending(self) -> None:
        """Drop the chosen file: a new (unsaved) one at once; a saved one after asking,
        through the services (kept, restorable, and written in the history)."""
        sel = self.evidence_tree.selection()
        if sel and sel[0].startswith("a:"):
            self.remove_saved(sel[0][2:])
            return
        if sel and sel[0].startswith("p:"):
            del self._pending[int(sel[0][2:])]
        elif self._pending:
            self._pending.pop()
        self._show_evidence()
        self._changed()

    def remove_saved(self, attachment_id: str) -> None:
        att = next((a for a in self._attachments if a["id"] == attachment_id), None)
        if att is None or self.row is None or self.read_only:
            return
        top = self.winfo_toplevel()
        if not dialogs.ask_yes_no(
            top,
            self.tr(
                f"Bỏ tệp minh chứng “{att['file_name']}” khỏi kết quả này? Việc bỏ được ghi "
                "trong lịch sử.",
                f"Remove the evidence file “{att['file_name']}” from this result? The removal "
                "is kept in the history.",
            ),
        ):
            return
        try:
            tasks.remove_attachment(self.ctx, attachment_id)
        except (UserError, StorageError) as exc:
            dialogs.error(top, fields.message_of(exc, self.lang))
            return
        self.page.result_saved(self.row)

    def open_selected_evidence(self) -> None:
        sel = self.evidence_tree.selection()
        if not sel:
            kids = self.evidence_tree.get_children()
            if not kids:
                return
            sel = (kids[0],)
        iid = sel[0]
        try:
            if iid.startswith("p:"):
                path = self._pending[int(iid[2:])]
            else:
                att = next(a for a in self._attachments if f"a:{a['id']}" == iid)
                path = task_tree.viewable_copy(self.ctx, att)
            dialogs.open_path(str(path))
        except (StorageError, UserError, OSError) as exc:
            dialogs.error(self.winfo_toplevel(), fields.message_of(exc, self.lang))

    def validate(self) -> dict[str, Any]:
        """The values to save, or a UserError saying what is wrong (in both languages)."""
        status = self.status()
        result = self.result()
        reason = self.reason_entry.get().strip()
        if result == "na" and status != "done":
            raise UserError(
                "Kết quả “Không áp dụng” nghĩa là việc đã khép lại: hãy chọn trạng thái "
                "“Đã xong”, hoặc chọn kết quả khác.",
                "A “Not applicable” result closes the task: choose the status “Done”, "
                "or another result.",
            )
        if result == "na" and not reason:
            raise UserError(
                "Chọn “Không áp dụng” thì phải ghi lý do không áp dụng.",
                "A “Not applicable” result needs a reason.",
            )
        done = fields.read_date(self.done_field, "Ngày hoàn thành", "Done date")
        if done is not None and done > self.ctx.today():
            raise UserError(
                f"Ngày hoàn thành {done:%d/%m/%Y} ở tương lai. Hãy nhập ngày đã làm xong.",
                f"Done date {done:%d/%m/%Y} is in the future.",
            )
        return {
            "status": status,
            "result": result,
            "done_on": done,
            "note": fields.text_value(self.note_box).strip(),
            "na_reason": reason if result == "na" else "",
            "follow_up": bool(self.follow_var.get()),
            "evidence": list(self._pending),
        }

    def save(self) -> bool:
        """Validate and save through the services; False (with the reason shown) on bad input."""
        if self.row is None or self.read_only:
            return True
        if not self.has_changes():
            return True
        try:
            values = self.validate()
            notice = review.edit_after_submit_notice(self.ctx, self.row["unit"], self.row["period"])
            tasks.set_result(
                self.ctx,
                self.row["code"],
                self.row["period"],
                index=self.row.get("index", tasks.DEFAULT_INDEX),
                **values,
            )
        except (UserError, StorageError) as exc:
            self._show_error(fields.message_of(exc, self.lang))
            if self.result() == "na" and not self.reason_entry.get().strip():
                self.reason_entry.focus_set()
            self.bell()
            return False
        self._pending = []
        self.page.result_saved(self.row)
        saved = self.tr("✓ Đã lưu", "✓ Saved")
        if notice:
            saved += self.tr(" — đã sửa sau khi gửi báo cáo", " — changed since submitted")
        self.saved_label.configure(text=saved)
        return True

    def discard(self) -> None:
        if self.row is not None:
            self.load(self.row)
        self.page.editor_changed()


def _set_label(label: Any, **options: Any) -> None:
    """Configure only the options that change: an unchanged label is not laid out again."""
    changed = {k: v for k, v in options.items() if str(label.cget(k)) != str(v)}
    if changed:
        label.configure(**changed)


def _key(row: dict[str, Any]) -> tuple[str, str, str]:
    return (row["unit"], row["code"], row["period"])


def _wrap_lines(text: str, width: float, measure: Any) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` (as a label wraps)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if line and measure(trial) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    if line:
        lines.append(line)
    return lines


def _show_value(field: str, value: str | None, lang: str) -> str:
    """A stored value as the user reads it (labels, dd/mm/yyyy, yes/no)."""
    if value in (None, ""):
        return "—"
    if field == "evidence":
        return value
    if field == "status" and value in STATUS_LABELS:
        return STATUS_LABELS[value][lang]
    if field == "result" and value in RESULT_LABELS:
        return RESULT_LABELS[value][lang]
    if field in ("follow_up", "deleted"):
        yes = value in ("1", "True", "true")
        return ("yes" if yes else "no") if lang == "en" else ("có" if yes else "không")
    if field == "done_on":
        try:
            return fields.iso_to_text(value)
        except ValueError:
            return value
    return value
