"""The disclosure forms: "Thêm mới" (choose the type while seeing its legal basis, trigger,
deadline rule, minimum period and confidence; the computed deadline is explained as the
dates are typed) and the detail panel of one item (per-place posting and taking down,
loudspeaker, opinions, web link, note, history, printing).

All writes go through ``services.disclosures`` (which writes the audit log).
"""

from __future__ import annotations

import tkinter as tk
from datetime import date
from tkinter import font as tkfont
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.errors import StorageError, UserError
from papi_desktop.services import disclosures, units
from papi_desktop.services.formatting import fold
from papi_desktop.ui.pages import fields, history
from papi_desktop.ui.pages.findings_tab import FindingsTab
from papi_desktop.ui.pages.posting_actions import PostingActions

STATE_TAGS = {
    "overdue_post": "danger",
    "violation": "danger",
    "ending_soon": "warning",
    "complete": "success",
    "permanent": "info",
}
# The words come from the one label table (services re-export it).
PLACE_STATE_LABELS = {k: (v["vi"], v["en"]) for k, v in disclosures.PLACE_STATE_LABELS.items()}
CONFIDENCE = {
    "H": ("Đã đối chiếu văn bản pháp luật", "Checked against the legal text"),
    "M": (
        "⚠ CHƯA XÁC NHẬN ĐẦY ĐỦ: nguồn thứ cấp hoặc suy luận, cần kiểm tra lại",
        "⚠ NOT FULLY CONFIRMED: secondary source or inference, check it",
    ),
    "L": (
        "⚠ CHƯA XÁC NHẬN: con số tạm, phải kiểm tra với văn bản hiện hành",
        "⚠ UNCONFIRMED: provisional figure, check the current legal text",
    ),
}


def _two(n: int) -> str:
    return f"{n:02d}"


def deadline_rule_text(t: dict[str, Any], lang: str = "vi") -> str:
    """The type's deadline to post, in words."""
    n, unit = t["deadline_days"], t["deadline_unit"]
    if n is None or unit is None:
        return "No fixed deadline" if lang == "en" else "Không có thời hạn cố định"
    before = t["deadline_direction"] == "before"
    if lang == "en":
        kind = "working days" if unit == "working" else "days"
        return (
            f"At least {n} {kind} before the trigger date"
            if before
            else f"Within {n} {kind} of the trigger date"
        )
    kind = "ngày làm việc" if unit == "working" else "ngày"
    if before:
        return f"Chậm nhất {_two(n)} {kind} trước ngày căn cứ"
    return f"Trong {_two(n)} {kind} kể từ ngày căn cứ"


def period_rule_text(t: dict[str, Any], lang: str = "vi") -> str:
    """The minimum posting period, in words."""
    unit, n = t["period_unit"], t["period_days"]
    if unit == "permanent":
        return (
            "Permanent (no end date)"
            if lang == "en"
            else "Niêm yết thường xuyên (không có ngày kết thúc)"
        )
    if n is None:
        return "Not set" if lang == "en" else "Không quy định"
    if lang == "en":
        return f"{n} working days" if unit == "working" else f"{n} consecutive days"
    return f"{_two(n)} ngày làm việc" if unit == "working" else f"{_two(n)} ngày liên tục"


def state_label(state: str, lang: str = "vi") -> str:
    return disclosures.ITEM_STATE_LABELS[state][lang]


def _lang(owner: Any) -> str:
    return "en" if owner.tr("vi", "en") == "en" else "vi"


class DisclosureForm(ttk.Toplevel):
    """ "Thêm mới": register a disclosure item. ``result_id`` is set after a save."""

    def __init__(
        self,
        page: Any,
        *,
        type_code: str | None = None,
        title: str | None = None,
        modal: bool = True,
    ) -> None:
        """``type_code`` chooses the type; ``title`` is a suggested title (selected, so
        typing replaces it), e.g. the yearly-plan line the form was opened from."""
        super().__init__(
            title=page.tr("Thêm nội dung công khai", "New disclosure"),
            master=page.winfo_toplevel(),
            size=(1120, 700),
            minsize=(980, 600),
        )
        self.page = page
        self.ctx = page.ctx
        self.lang = _lang(page)
        self.result_id: str | None = None
        self._types = disclosures.list_types(self.ctx)
        self._type: dict[str, Any] | None = None
        self._build()
        self.bind("<Escape>", lambda e: (self.cancel(), "break")[1])
        self.protocol("WM_DELETE_WINDOW", self.cancel)
        self.show_types("")
        if type_code:
            self.choose_type(type_code)
        if title:
            self.title_entry.insert(0, title)
            self.title_entry.select_range(0, "end")
        if type_code and title:
            self.title_entry.focus_set()
        else:
            self.search_entry.focus_set()
        if modal:
            self.transient(page.winfo_toplevel())
            self.after_idle(self._grab)

    def _grab(self) -> None:
        try:
            self.grab_set()
        except tk.TclError:  # not viewable yet (no window manager): stay non-modal
            pass

    def tr(self, vi: str, en: str) -> str:
        return self.page.tr(vi, en)

    def _build(self) -> None:
        outer = ttk.Frame(self, padding=12)
        outer.pack(fill="both", expand=True)
        outer.columnconfigure(0, weight=1, uniform="half")
        outer.columnconfigure(1, weight=1, uniform="half")
        outer.rowconfigure(1, weight=1)
        head = ttk.Frame(outer)
        head.grid(row=0, column=0, sticky="ew", pady=(0, 6))
        ttk.Label(
            head, text=self.tr("1. Chọn loại nội dung — tìm:", "1. Choose the type — search:")
        ).pack(side="left")
        self.search_var = tk.StringVar()
        self.search_entry = ttk.Entry(head, textvariable=self.search_var)
        self.search_entry.pack(side="left", fill="x", expand=True, padx=(6, 0))
        self.search_var.trace_add("write", lambda *a: self.show_types(self.search_var.get()))
        self.search_entry.bind("<Down>", lambda e: self._focus_types())
        self.search_entry.bind("<Return>", self._search_enter)
        left = ttk.Frame(outer)
        left.grid(row=1, column=0, sticky="nsew", padx=(0, 8))
        left.columnconfigure(0, weight=1)
        left.rowconfigure(0, weight=1)
        self.type_tree = ttk.Treeview(left, columns=("conf",), selectmode="browse", height=12)
        self.type_tree.heading("#0", text=self.tr("Loại nội dung", "Type"), anchor="w")
        self.type_tree.heading("conf", text=self.tr("Tin cậy", "Conf."))
        self.type_tree.column("#0", width=400, stretch=True)
        self.type_tree.column("conf", width=60, stretch=False, anchor="center")
        self.type_tree.tag_configure("unconfirmed", foreground=fields.theme_colour("danger"))
        self.type_tree.grid(row=0, column=0, sticky="nsew")
        sb = ttk.Scrollbar(left, orient="vertical", command=self.type_tree.yview)
        sb.grid(row=0, column=1, sticky="ns")
        self.type_tree.configure(yscrollcommand=sb.set)
        self.type_tree.bind("<<TreeviewSelect>>", self._type_selected)
        self.type_tree.bind("<Return>", lambda e: (self.title_entry.focus_set(), "break")[1])

        info = ttk.Labelframe(
            left, text=self.tr("Quy định của loại đã chọn", "Rule of the chosen type"), padding=8
        )
        info.grid(row=1, column=0, columnspan=2, sticky="ew", pady=(8, 0))
        info.columnconfigure(1, weight=1)
        self.info_labels: dict[str, ttk.Label] = {}
        for i, (key, vi, en) in enumerate(
            (
                ("basis", "Căn cứ", "Legal basis"),
                ("trigger", "Ngày căn cứ", "Trigger"),
                ("deadline", "Hạn niêm yết", "Deadline"),
                ("period", "Thời gian tối thiểu", "Minimum period"),
                ("confidence", "Độ tin cậy", "Confidence"),
            )
        ):
            ttk.Label(info, text=self.tr(vi, en)).grid(row=i, column=0, sticky="nw", padx=(0, 8))
            lab = ttk.Label(info, wraplength=400, justify="left")
            lab.grid(row=i, column=1, sticky="w")
            self.info_labels[key] = lab
        self.confidence_note = ttk.Label(
            info, wraplength=520, justify="left", bootstyle="secondary"
        )
        self.confidence_note.grid(row=5, column=0, columnspan=2, sticky="w", pady=(4, 0))

        right = ttk.Frame(outer)
        right.grid(row=0, column=1, rowspan=2, sticky="nsew")
        right.columnconfigure(1, weight=1)
        ttk.Label(right, text=self.tr("2. Nội dung công khai", "2. The item")).grid(
            row=0, column=0, columnspan=2, sticky="w", pady=(0, 6)
        )
        self.chosen_label = ttk.Label(right, wraplength=480, justify="left", bootstyle="primary")
        self.chosen_label.grid(row=1, column=0, columnspan=2, sticky="w", pady=(0, 6))
        ttk.Label(right, text=self.tr("Tên nội dung", "Title")).grid(
            row=2, column=0, sticky="w", pady=3
        )
        self.title_entry = ttk.Entry(right)
        self.title_entry.grid(row=2, column=1, sticky="ew", pady=3)
        ttk.Label(right, text=self.tr("Số văn bản", "Document no.")).grid(
            row=3, column=0, sticky="w", pady=3
        )
        self.decision_entry = ttk.Entry(right, width=24)
        self.decision_entry.grid(row=3, column=1, sticky="w", pady=3)
        ttk.Label(right, text=self.tr("Ngày văn bản", "Document date")).grid(
            row=4, column=0, sticky="w", pady=3
        )
        self.decision_field = fields.date_field(right, lang=self.lang)
        self.decision_field.grid(row=4, column=1, sticky="w", pady=3)
        self.trigger_caption = ttk.Label(right, text=self.tr("Ngày căn cứ", "Trigger date"))
        self.trigger_caption.grid(row=5, column=0, sticky="w", pady=3)
        self.trigger_field = fields.date_field(right, lang=self.lang)
        self.trigger_field.grid(row=5, column=1, sticky="w", pady=3)
        self.deadline_label = ttk.Label(right, wraplength=480, justify="left", font=self._bold())
        self.deadline_label.grid(row=6, column=0, columnspan=2, sticky="w", pady=(6, 0))
        self.deadline_explain = ttk.Label(
            right, wraplength=480, justify="left", bootstyle="secondary"
        )
        self.deadline_explain.grid(row=7, column=0, columnspan=2, sticky="w")
        ttk.Label(right, text=self.tr("Địa điểm niêm yết", "Posting places")).grid(
            row=8, column=0, sticky="nw", pady=(8, 3)
        )
        self.places_frame = ttk.Frame(right)
        self.places_frame.grid(row=8, column=1, sticky="ew", pady=(8, 3))
        self.place_vars: dict[str, tk.BooleanVar] = {}
        self._places = units.list_places(self.ctx)
        for i, p in enumerate(self._places):
            var = tk.BooleanVar(value=False)
            ttk.Checkbutton(self.places_frame, text=p["name"], variable=var).grid(
                row=i // 2, column=i % 2, sticky="w", padx=(0, 12)
            )
            self.place_vars[p["name"]] = var
        ttk.Label(right, text=self.tr("Địa điểm khác", "Other places")).grid(
            row=9, column=0, sticky="w", pady=3
        )
        self.extra_entry = ttk.Entry(right)
        self.extra_entry.grid(row=9, column=1, sticky="ew", pady=3)
        self.extra_hint = ttk.Label(
            right,
            text=self.tr("cách nhau bằng dấu phẩy", "separated by commas"),
            bootstyle="secondary",
        )
        self.extra_hint.grid(row=10, column=1, sticky="w")
        self.error_label = ttk.Label(right, bootstyle="danger", wraplength=480, justify="left")
        self.error_label.grid(row=11, column=0, columnspan=2, sticky="w", pady=(8, 0))
        buttons = ttk.Frame(right)
        buttons.grid(row=12, column=0, columnspan=2, sticky="e", pady=(10, 0))
        self.cancel_button = ttk.Button(
            buttons, text=self.tr("Hủy (Esc)", "Cancel (Esc)"), command=self.cancel
        )
        self.cancel_button.pack(side="left", padx=(0, 6))
        self.save_button = ttk.Button(
            buttons,
            text=self.tr("Lưu (Enter)", "Save (Enter)"),
            bootstyle="primary",
            command=self.save,
        )
        self.save_button.pack(side="left")
        for w in (self.title_entry, self.decision_entry, self.decision_field.entry, self.trigger_field.entry,
                  self.extra_entry, self.save_button):  # fmt: skip
            w.bind("<Return>", lambda e: (self.save(), "break")[1])
        # a variable on the trigger entry: typing, pasting and the calendar all update
        self.trigger_var = tk.StringVar(value=self.trigger_field.entry.get())
        self.trigger_field.entry.configure(textvariable=self.trigger_var)
        self.trigger_var.trace_add("write", lambda *a: self.update_deadline())

    def _bold(self) -> tkfont.Font:
        self._bold_font = tkfont.nametofont("TkDefaultFont").copy()
        self._bold_font.configure(weight="bold")
        return self._bold_font

    # -- type list ------------------------------------------------------------
    def show_types(self, text: str) -> None:
        words = fold(text).split()
        tree = self.type_tree
        tree.delete(*tree.get_children())
        for t in self._types:
            if words and not all(w in t["search_key"] for w in words):
                continue
            name = t["name_en"] if self.lang == "en" and t["name_en"] else t["name_vi"]
            tree.insert(
                "",
                "end",
                iid=t["code"],
                text=name,
                values=(t["confidence"] or "",),
                tags=("unconfirmed",) if t["confidence"] in ("M", "L") else (),
            )
        kids = tree.get_children()
        if self._type and self._type["code"] in kids:
            tree.selection_set(self._type["code"])
        elif len(kids) == 1:
            tree.selection_set(kids[0])

    def _focus_types(self) -> str:
        kids = self.type_tree.get_children()
        if kids:
            self.type_tree.focus_set()
            self.type_tree.focus(kids[0])
            self.type_tree.selection_set(kids[0])
        return "break"

    def _search_enter(self, _event: Any = None) -> str:
        kids = self.type_tree.get_children()
        if kids:
            self.type_tree.selection_set(kids[0])
            self.title_entry.focus_set()
        return "break"

    def _type_selected(self, _event: Any = None) -> None:
        sel = self.type_tree.selection()
        if sel:
            self.choose_type(sel[0])

    def choose_type(self, code: str) -> None:
        t = next((x for x in self._types if x["code"].casefold() == code.casefold()), None)
        if t is None:
            return
        changed = self._type is None or self._type["code"] != t["code"]
        self._type = t
        lang = self.lang
        en = lang == "en"
        self.info_labels["basis"].configure(text=t["legal_basis"] or "—")
        self.info_labels["trigger"].configure(
            text=(t["trigger_en"] if en else t["trigger_vi"]) or "—"
        )
        self.info_labels["deadline"].configure(text=deadline_rule_text(t, lang))
        period = period_rule_text(t, lang)
        note = t["period_note_en"] if en else t["period_note_vi"]
        self.info_labels["period"].configure(text=f"{period}. {note}" if note else period)
        conf = t["confidence"] or "M"
        vi, en_text = CONFIDENCE.get(conf, CONFIDENCE["M"])
        self.info_labels["confidence"].configure(
            text=f"{conf} — {en_text if en else vi}",
            bootstyle="danger" if conf in ("M", "L") else "success",
        )
        self.confidence_note.configure(
            text=(t["confidence_note_en"] if en else t["confidence_note_vi"]) or ""
        )
        name = t["name_en"] if en and t["name_en"] else t["name_vi"]
        self.chosen_label.configure(text=name)
        self.trigger_caption.configure(
            text=self.tr("Ngày căn cứ", "Trigger date")
            if t["deadline_days"] is not None
            else self.tr("Ngày căn cứ (nếu có)", "Trigger date (if any)")
        )
        if changed:
            for p in self._places:
                kind = p["kind"]
                want = (kind == "hq" and ("hq" in t["places"] or not t["places"])) or (
                    kind == "village" and "villages" in t["places"]
                )
                self.place_vars[p["name"]].set(want)
            others = [
                disclosures.PLACE_KIND_LABELS[k][lang]
                for k in t["places"]
                if k not in ("hq", "villages") and k in disclosures.PLACE_KIND_LABELS
            ]
            self.extra_hint.configure(
                text=self.tr("cách nhau bằng dấu phẩy", "separated by commas")
                + (
                    self.tr("; loại này cần thêm: ", "; this type also needs: ") + ", ".join(others)
                    if others
                    else ""
                )
            )
        if self.type_tree.exists(t["code"]) and self.type_tree.selection() != (t["code"],):
            self.type_tree.selection_set(t["code"])
            self.type_tree.see(t["code"])
        self.update_deadline()

    def update_deadline(self) -> None:
        """Show the computed deadline and its explanation for the typed trigger date."""
        if self._type is None:
            self.deadline_label.configure(
                text=self.tr("Chọn loại nội dung ở bên trái.", "Choose a type on the left.")
            )
            self.deadline_explain.configure(text="")
            return
        try:
            trig = fields.read_date(self.trigger_field, "Ngày căn cứ", "Trigger date")
            preview = disclosures.preview_deadline(self.ctx, self._type["code"], trig)
        except UserError as exc:  # not a date, or outside the allowed window
            self.deadline_label.configure(text=exc.message(self.lang))
            self.deadline_explain.configure(text="")
            return
        shown = preview["deadline_text"] or "—"
        self.deadline_label.configure(
            text=self.tr(f"Hạn niêm yết: {shown}", f"Posting deadline: {shown}")
        )
        self.deadline_explain.configure(
            text=preview["explain_en"] if self.lang == "en" else preview["explain_vi"]
        )

    # -- save -------------------------------------------------------------------
    def chosen_places(self) -> list[str]:
        return self.ticked_places() + self.typed_places()

    def ticked_places(self) -> list[str]:
        """Places ticked in the list (they exist already)."""
        return [n for n, v in self.place_vars.items() if v.get()]

    def typed_places(self) -> list[str]:
        """Places typed in “Other places”: added to the commune's list on purpose."""
        return [x.strip() for x in self.extra_entry.get().split(",") if x.strip()]

    def save(self) -> bool:
        try:
            if self._type is None:
                raise UserError("Hãy chọn loại nội dung công khai.", "Choose the disclosure type.")
            title = self.title_entry.get().strip()
            if not title:
                raise UserError("Hãy nhập tên nội dung công khai.", "Enter the title.")
            places = self.chosen_places()
            if not places:
                raise UserError(
                    "Hãy chọn ít nhất một địa điểm niêm yết.", "Choose at least one posting place."
                )
            dec = fields.read_date(self.decision_field, "Ngày văn bản", "Document date")
            trig = fields.read_date(self.trigger_field, "Ngày căn cứ", "Trigger date")
            self.result_id = disclosures.add(
                self.ctx,
                self._type["code"],
                title,
                trigger_date=trig,
                decision_no=self.decision_entry.get().strip() or None,
                decision_date=dec,
                places=self.ticked_places(),
                new_places=self.typed_places(),
            )
        except (UserError, StorageError) as exc:
            self.error_label.configure(text=fields.message_of(exc, self.lang))
            self.bell()
            return False
        self.page.item_added(self.result_id)
        self.destroy()
        return True

    def cancel(self) -> None:
        self.result_id = None
        self.destroy()


class DisclosureDetail(PostingActions, ttk.Frame):
    """One item: per-place dates with explanations, recording, other details, history."""

    OTHER_FIELDS = (
        "loudspeaker_days",
        "loudspeaker_from",
        "opinions_count",
        "opinions_summary",
        "web_url",
        "note",
    )

    def __init__(self, master: Any, page: Any, *, read_only: bool = False) -> None:
        super().__init__(master, padding=(0, 6, 0, 0))
        self.page = page
        self.read_only = read_only
        self.item: dict[str, Any] | None = None
        self._snapshot: tuple | None = None
        self._build()
        self.load(None)

    @property
    def ctx(self):
        return self.page.ctx

    def tr(self, vi: str, en: str) -> str:
        return self.page.tr(vi, en)

    @property
    def lang(self) -> str:
        return _lang(self)

    def _build(self) -> None:
        self.columnconfigure(0, weight=1)
        self.rowconfigure(2, weight=1)
        self._bold_font = tkfont.nametofont("TkDefaultFont").copy()
        self._bold_font.configure(weight="bold")
        self.title_label = ttk.Label(self, font=self._bold_font, wraplength=1000, justify="left")
        self.title_label.grid(row=0, column=0, sticky="ew")
        self.meta_label = ttk.Label(self, wraplength=1000, justify="left", bootstyle="secondary")
        self.meta_label.grid(row=1, column=0, sticky="ew", pady=(2, 4))
        self.notebook = ttk.Notebook(self)
        self.notebook.grid(row=2, column=0, sticky="nsew")
        self.places_tab = ttk.Frame(self.notebook, padding=6)
        self.other_tab = ttk.Frame(self.notebook, padding=6)
        self.history_tab = ttk.Frame(self.notebook, padding=6)
        self.notebook.add(self.places_tab, text=self.tr("Địa điểm niêm yết", "Posting places"))
        self.notebook.add(
            self.other_tab, text=self.tr("Loa, ý kiến, ghi chú", "Loudspeaker, opinions, note")
        )
        self.notebook.add(self.history_tab, text=self.tr("Lịch sử", "History"))
        self.findings_tab = FindingsTab(self.notebook, self.tr)
        self._build_places()
        self._build_other()
        self._build_history()

    def _build_places(self) -> None:
        t = self.places_tab
        t.columnconfigure(0, weight=1)
        t.rowconfigure(0, weight=1)
        cols = ("posted", "ends", "down", "state", "reposts")
        # several places can be chosen (Ctrl/Shift+click) to record one date for all
        self.place_tree = ttk.Treeview(t, columns=cols, selectmode="extended", height=4)
        self.place_tree.heading("#0", text=self.tr("Địa điểm", "Place"), anchor="w")
        self.place_tree.column("#0", width=260, stretch=True)
        for col, vi, en, w in (
            ("posted", "Ngày niêm yết", "Posted on", 110),
            ("ends", "Kết thúc (tính)", "Ends (computed)", 132),
            ("down", "Ngày gỡ", "Taken down", 100),
            ("state", "Tình trạng", "State", 170),
            ("reposts", "Niêm yết lại", "Re-posted", 104),
        ):
            self.place_tree.heading(col, text=self.tr(vi, en), anchor="w")
            self.place_tree.column(col, width=w, stretch=False)
        self.place_tree.tag_configure("danger", background=fields.tint("danger"))
        self.place_tree.tag_configure("success", background=fields.tint("success"))
        self.place_tree.grid(row=0, column=0, sticky="nsew")
        self.place_tree.bind("<<TreeviewSelect>>", lambda e: self._show_place_explain())
        self.place_explain = ttk.Label(t, wraplength=760, justify="left", bootstyle="secondary")
        self.place_explain.grid(row=1, column=0, sticky="ew", pady=(4, 4))
        actions = ttk.Frame(t)
        actions.grid(row=2, column=0, sticky="ew")
        self.record_actions = actions
        ttk.Label(actions, text=self.tr("Ngày", "Date")).pack(side="left")
        self.act_date = fields.date_field(actions, lang=self.lang)
        self.act_date.pack(side="left", padx=(4, 8))
        self.post_button = ttk.Button(
            actions,
            text=self.tr("Ghi ngày niêm yết", "Record posting"),
            bootstyle="primary",
            command=self.record_posting,
        )
        self.post_button.pack(side="left", padx=(0, 6))
        self.down_button = ttk.Button(
            actions,
            text=self.tr("Ghi ngày gỡ / kết thúc", "Record taking down"),
            command=self.record_takedown,
        )
        self.down_button.pack(side="left")
        self.undo_button = ttk.Button(
            actions,
            text=self.tr("Bỏ lần ghi cuối", "Undo last record"),
            bootstyle="secondary-outline",
            command=self.undo_record,
        )
        self.undo_button.pack(side="left", padx=(6, 0))
        self.correct_button = ttk.Button(
            actions,
            text=self.tr("Sửa ngày", "Correct date"),
            bootstyle="secondary-outline",
            command=self.correct_record,
        )
        self.correct_button.pack(side="left", padx=(6, 0))
        self.act_date.entry.bind("<Return>", lambda e: (self.record_posting(), "break")[1])
        self.print_frame = ttk.Frame(t)
        self.print_frame.grid(row=3, column=0, sticky="ew", pady=(6, 0))
        self.print_buttons: list[ttk.Button] = []
        if reports_available():
            ttk.Label(self.print_frame, text=self.tr("In:", "Print:")).pack(side="left")
            for vi, en, kind in (
                ("Thông báo", "Notice", "notice"),
                ("Biên bản niêm yết", "Posting minutes", "start"),
                ("Biên bản kết thúc", "End minutes", "end"),
            ):
                b = ttk.Button(
                    self.print_frame,
                    text=self.tr(vi, en),
                    command=lambda k=kind: self.print_document(k),
                )
                b.pack(side="left", padx=(6, 0))
                self.print_buttons.append(b)
            # which place the minutes are for, visibly: the place selected above, or all;
            # packed last, the place list is the one that narrows on a small screen
            ttk.Label(self.print_frame, text=self.tr("cho", "for")).pack(side="left", padx=(8, 4))
            self.print_format = ttk.Combobox(
                self.print_frame, width=6, state="readonly", values=["PDF", "Word"]
            )
            self.print_format.current(0)
            self.print_format.pack(side="right", padx=(8, 0))
            self.print_place = ttk.Combobox(self.print_frame, width=30, state="readonly")
            self.print_place.pack(side="left", fill="x", expand=True)
            self.place_tree.bind("<<TreeviewSelect>>", lambda e: self._follow_place(), add="+")
        if self.read_only:
            for w in (self.post_button, self.down_button, self.undo_button, self.correct_button):
                w.configure(state="disabled")

    def _build_other(self) -> None:
        f = self.other_tab
        f.columnconfigure(1, weight=1)
        f.columnconfigure(3, weight=1)
        ttk.Label(f, text=self.tr("Số ngày phát loa", "Loudspeaker days")).grid(
            row=0, column=0, sticky="w", pady=3
        )
        self.loud_days = ttk.Spinbox(f, from_=0, to=365, width=6)
        self.loud_days.grid(row=0, column=1, sticky="w", pady=3)
        ttk.Label(f, text=self.tr("Phát loa từ ngày", "Loudspeaker from")).grid(
            row=0, column=2, sticky="w", padx=(16, 6)
        )
        self.loud_from = fields.date_field(f, lang=self.lang)
        self.loud_from.grid(row=0, column=3, sticky="w")
        ttk.Label(f, text=self.tr("Số ý kiến nhận được", "Opinions received")).grid(
            row=1, column=0, sticky="w", pady=3
        )
        self.opinions = ttk.Spinbox(f, from_=0, to=100000, width=6)
        self.opinions.grid(row=1, column=1, sticky="w", pady=3)
        ttk.Label(f, text=self.tr("Đường dẫn trang web", "Web link")).grid(
            row=1, column=2, sticky="w", padx=(16, 6)
        )
        self.web_entry = ttk.Entry(f)
        self.web_entry.grid(row=1, column=3, sticky="ew")
        ttk.Label(f, text=self.tr("Tóm tắt ý kiến", "Summary of opinions")).grid(
            row=2, column=0, sticky="nw", pady=3
        )
        self.summary_box = ttk.Text(f, height=2, width=30, wrap="word", font="TkDefaultFont")
        self.summary_box.grid(row=2, column=1, columnspan=3, sticky="ew", pady=3)
        ttk.Label(f, text=self.tr("Ghi chú", "Note")).grid(row=3, column=0, sticky="w", pady=3)
        self.note_entry = ttk.Entry(f)
        self.note_entry.grid(row=3, column=1, columnspan=3, sticky="ew", pady=3)
        self.other_error = ttk.Label(f, bootstyle="danger")
        self.other_error.grid(row=4, column=0, columnspan=3, sticky="w")
        buttons = ttk.Frame(f)
        buttons.grid(row=4, column=3, sticky="e", pady=(6, 0))
        self.discard_button = ttk.Button(
            buttons, text=self.tr("Hủy thay đổi (Esc)", "Discard (Esc)"), command=self.discard
        )
        self.discard_button.pack(side="left", padx=(0, 6))
        self.save_button = ttk.Button(
            buttons,
            text=self.tr("Lưu (Enter)", "Save (Enter)"),
            bootstyle="primary",
            command=self.save,
        )
        self.save_button.pack(side="left")
        for w in (
            self.loud_days,
            self.loud_from.entry,
            self.opinions,
            self.web_entry,
            self.note_entry,
            self.save_button,
        ):
            w.bind("<Return>", lambda e: (self.save(), "break")[1])
            w.bind("<Escape>", lambda e: (self.discard(), "break")[1])
        self.summary_box.bind("<Control-Return>", lambda e: (self.save(), "break")[1])
        self.summary_box.bind("<Escape>", lambda e: (self.discard(), "break")[1])
        if self.read_only:
            for w in (self.save_button, self.discard_button):
                w.pack_forget()

    def _build_history(self) -> None:
        self.history_tree = history.build(self.history_tab, self.tr, height=4)

    # -- loading --------------------------------------------------------------
    def load(self, item: dict[str, Any] | None) -> None:
        self.item = item
        self.other_error.configure(text="")
        lang = self.lang
        self.place_tree.delete(*self.place_tree.get_children())
        self.history_tree.delete(*self.history_tree.get_children())
        editable = item is not None and not self.read_only
        for w in (self.loud_days, self.opinions, self.web_entry, self.note_entry, self.summary_box):
            w.configure(state="normal")
        if item is None:
            self.title_label.configure(text=self.tr("Chưa chọn nội dung", "No item selected"))
            self.meta_label.configure(
                text=self.tr(
                    "Chọn một dòng trong sổ để xem hạn, ngày kết thúc từng địa điểm và ghi nhận niêm yết.",
                    "Choose a line to see its deadline, each place's end date and to record postings.",
                )
            )
            self.place_explain.configure(text="")
            self._fill_other({})
            self.findings_tab.show(self.ctx, None, self.lang)
        else:
            self._fill_header(item, lang)
            for i, p in enumerate(item["places"]):
                vi, en = PLACE_STATE_LABELS.get(p["state"], (p["state"], p["state"]))
                tag = {
                    "taken_down_early": "danger",
                    "taken_down": "success",
                    "period_done": "success",
                }.get(p["state"])
                self.place_tree.insert(
                    "",
                    "end",
                    iid=str(i),
                    text=p["place"],
                    values=(
                        fields.iso_to_text(p["posted_on"]),
                        fields.iso_to_text(p["ends_on"]) or ("—" if p["posted_on"] else ""),
                        fields.iso_to_text(p["taken_down_on"]),
                        en if lang == "en" else vi,
                        str(len(p["reposts"])) if p["reposts"] else "",
                    ),
                    tags=(tag,) if tag else (),
                )
            if item["places"]:
                self.place_tree.selection_set("0")
                self.place_tree.focus("0")
            self._show_place_explain()
            self._fill_other(item)
            self._fill_history(item)
        for w in (self.loud_days, self.opinions, self.web_entry, self.note_entry, self.summary_box):
            w.configure(state="normal" if editable else "disabled")
        self.loud_from.configure(state="normal" if editable else "disabled")
        for w in (self.post_button, self.down_button, self.act_date):
            w.configure(state="normal" if editable else "disabled")
        for b in self.print_buttons:
            b.configure(state="normal" if item is not None else "disabled")
        self._fill_print_places()
        if self.act_date.entry.get() == "" and editable:
            fields.set_date(self.act_date, self.ctx.today())
        self._snapshot = self._current()

    def _fill_header(self, item: dict[str, Any], lang: str) -> None:
        self.title_label.configure(text=item["title"])
        parts = [item["type_name"]]
        if item["decision_no"]:
            dated = fields.iso_to_text(item["decision_date"])
            parts.append(
                item["decision_no"] + (self.tr(f" ngày {dated}", f" of {dated}") if dated else "")
            )
        if item["trigger_date"]:
            parts.append(
                self.tr("ngày căn cứ ", "trigger ") + fields.iso_to_text(item["trigger_date"])
            )
        parts.append(self.tr("Tình trạng: ", "State: ") + state_label(item["status"], lang))
        deadline = fields.iso_to_text(item["post_deadline"]) or "—"
        explain = item["deadline_explain_en"] if lang == "en" else item["deadline_explain_vi"]
        line2 = self.tr(
            f"Hạn niêm yết: {deadline}. {explain}", f"Posting deadline: {deadline}. {explain}"
        )
        if item["posted_late"]:
            line2 += self.tr(" — ĐÃ NIÊM YẾT CHẬM", " — POSTED LATE")
        if item.get("confidence") in ("M", "L"):
            line2 += self.tr(
                " — ⚠ thời hạn của loại này chưa được xác nhận đầy đủ",
                " — ⚠ this type's figures are not fully confirmed",
            )
        self.meta_label.configure(text=" · ".join(parts) + "\n" + line2)

    def _show_place_explain(self) -> None:
        sel = self.place_tree.selection()
        if self.item is None or not sel:
            self.place_explain.configure(text="")
            return
        p = self.item["places"][int(sel[0])]
        text = p["explain_en"] if self.lang == "en" else p["explain_vi"]
        if p["reposts"]:
            before = ", ".join(
                fields.iso_to_text(r.get("previous_posted_on")) for r in p["reposts"]
            )
            text += self.tr(
                f" (niêm yết lại; lần trước: {before})", f" (re-posted; before: {before})"
            )
        self.place_explain.configure(text=f"{p['place']}: {text}")

    def _fill_other(self, item: dict[str, Any]) -> None:
        self.loud_days.delete(0, "end")
        self.loud_days.insert(0, str(item.get("loudspeaker_days") or 0))
        fields.set_date(
            self.loud_from,
            date.fromisoformat(item["loudspeaker_from"]) if item.get("loudspeaker_from") else None,
        )
        self.opinions.delete(0, "end")
        self.opinions.insert(0, str(item.get("opinions_count") or 0))
        fields.set_text_value(self.summary_box, item.get("opinions_summary") or "")
        self.web_entry.delete(0, "end")
        self.web_entry.insert(0, item.get("web_url") or "")
        self.note_entry.delete(0, "end")
        self.note_entry.insert(0, item.get("note") or "")

    def _fill_history(self, item: dict[str, Any]) -> None:
        entries = disclosures.item_history(self.ctx, item["id"])
        n = history.fill(self.history_tree, entries, self.lang)
        self.notebook.tab(self.history_tab, text=self.tr(f"Lịch sử ({n})", f"History ({n})"))
        self.findings_tab.show(self.ctx, item["unit"], self.lang, disclosure_id=item["id"])

    # -- edits ------------------------------------------------------------------
    def _current(self) -> tuple:
        return (
            self.loud_days.get().strip(),
            fields.date_text(self.loud_from),
            self.opinions.get().strip(),
            fields.text_value(self.summary_box).strip(),
            self.web_entry.get().strip(),
            self.note_entry.get().strip(),
        )

    def has_changes(self) -> bool:
        return self.item is not None and not self.read_only and self._current() != self._snapshot

    def save(self) -> bool:
        if not self.has_changes():
            return True
        days, _from, count, summary, web, note = self._current()
        try:
            changes: dict[str, Any] = {}
            for key, text, vi, en in ((
                "loudspeaker_days", days, "Số ngày phát loa", "Loudspeaker days"), ("opinions_count", count, "Số ý kiến", "Opinions")):  # fmt: skip
                if text and not text.isdigit():
                    raise UserError(
                        f"{vi} phải là số nguyên không âm.", f"{en} must be a whole number ≥ 0."
                    )
                changes[key] = int(text or 0)
            loud_from = fields.read_date(self.loud_from, "Phát loa từ ngày", "Loudspeaker from")
            changes.update(
                loudspeaker_from=loud_from, opinions_summary=summary, web_url=web, note=note
            )
            disclosures.update_item(self.ctx, self.item["id"], changes)
        except (UserError, StorageError) as exc:
            self.other_error.configure(text=fields.message_of(exc, self.lang))
            self.bell()
            return False
        self.page.item_changed(self.item["id"])
        return True

    def discard(self) -> None:
        if self.item is not None:
            self._fill_other(self.item)
            self.other_error.configure(text="")
            self._snapshot = self._current()

    def _selected_place(self) -> str | None:
        sel = self.place_tree.selection()
        if self.item is None or not sel:
            return None
        return self.item["places"][int(sel[0])]["place"]

    def record_posting(self) -> None:
        self._act("post")

    def record_takedown(self) -> None:
        self._act("down")

    ALL_PLACES = ("Tất cả địa điểm", "All places")

    def _fill_print_places(self) -> None:
        if not hasattr(self, "print_place"):
            return
        places = [p["place"] for p in self.item["places"]] if self.item else []
        values = [self.tr(*self.ALL_PLACES), *places] if len(places) > 1 else places
        self.print_place.configure(values=values)
        self._follow_place()

    def _follow_place(self) -> None:
        """The minutes follow the place selected in the list (all places when none is)."""
        if not hasattr(self, "print_place") or self.item is None:
            return
        values = list(self.print_place.cget("values"))
        sel = self.place_tree.selection()
        if sel and 0 <= int(sel[0]) < len(self.item["places"]):
            self.print_place.set(self.item["places"][int(sel[0])]["place"])
        elif values:
            self.print_place.set(values[0])

    def print_place_choice(self) -> str | None:
        """The place the minutes are printed for; None for all places."""
        chosen = self.print_place.get() if hasattr(self, "print_place") else ""
        if not chosen or chosen == self.tr(*self.ALL_PLACES):
            return None
        return chosen

    def print_document(self, kind: str) -> None:
        """Save the notice or minutes the one way (``ui.documents``): named for what it is
        in the documents folder, never overwriting without asking, then Mở / In."""
        if self.item is None:
            return
        from papi_desktop.services.reports.registry import SPECS, ReportRequest
        from papi_desktop.ui.documents import save_document

        key = {"notice": "posting_notice", "start": "minutes_start", "end": "minutes_end"}[kind]
        request = ReportRequest(item_id=self.item["id"])
        if kind != "notice":
            request.place = self.print_place_choice()
        suffix = ".docx" if self.print_format.get().startswith("Word") else ".pdf"
        save_document(self.page, SPECS[key], request, suffix)


def reports_available() -> bool:
    """True when the printing service offers the posting notice and minutes."""
    import importlib.util

    if importlib.util.find_spec("papi_desktop.services.reports") is None:
        return False
    from papi_desktop.services import reports

    return hasattr(reports, "posting_notice") and hasattr(reports, "posting_minutes")
