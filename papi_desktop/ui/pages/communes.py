"""The "Xã/phường" page of the supervising office.

Tab "Danh sách": every enrolled commune with its framework version (flagged when not the
current one), last USB package (age, warning past 35 days), report state, completion,
overdue tasks, late and missing disclosures; accept / return a report, open a commune's
checklist and disclosure register read-only. Tab "Tổng hợp": the communes × dimensions heat
map, the ranking and the trend (drawn on Tk canvases, only when the tab is shown and the data
changed since it was last drawn). Tab "Chỉ số": the province's index results and targets
(matplotlib, loaded when that tab is first shown). Buttons write the consolidated report, publish a
framework from Excel and record or import index results. Figures come from
``services.district`` — the same numbers as ``communes list`` and the reports.
"""

from __future__ import annotations

import tkinter as tk
from pathlib import Path
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.errors import UserError
from papi_desktop.services import district, review, scores
from papi_desktop.ui import dialogs
from papi_desktop.ui.pages.base import Page
from papi_desktop.ui.widgets.sortable import Column, SortableList


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f} %"


def _date(iso: str | None) -> str:
    if not iso:
        return "—"
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


class CommunesPage(Page):
    key = "communes"
    title_vi = "Xã/phường"
    title_en = "Communes"
    icon = "buildings"
    roles = ("district",)

    def __init__(self, master: Any, shell: Any) -> None:
        super().__init__(master, shell)
        self.rows: list[dict[str, Any]] = []
        self.data: dict[str, Any] | None = None
        self._stamp: tuple[Any, ...] | None = None
        self._charts_for: tuple[Any, ...] | None = None
        self._scores_for: bool = False
        self._canvases: list[Any] = []
        self._build()

    @property
    def lang(self) -> str:
        return "en" if self.tr("vi", "en") == "en" else "vi"

    # -- layout ------------------------------------------------------------------------
    def _build(self) -> None:
        self.columnconfigure(0, weight=1)
        self.rowconfigure(3, weight=1)
        ttk.Label(self, text=self.tr("Xã/phường", "Communes"), font="-size 16 -weight bold").grid(
            row=0, column=0, sticky="w"
        )
        bar = ttk.Frame(self)
        bar.grid(row=1, column=0, sticky="ew", pady=(6, 4))
        ttk.Label(bar, text=self.tr("Năm", "Year")).pack(side="left")
        this_year = self.ctx.today().year
        self.year_box = ttk.Combobox(
            bar,
            state="readonly",
            width=6,
            values=[str(y) for y in range(this_year, this_year - 6, -1)],
        )
        self.year_box.set(str(this_year))
        self.year_box.bind("<<ComboboxSelected>>", lambda e: self.refresh())
        self.year_box.pack(side="left", padx=(4, 12))
        # The index: shown only when more than one has a checklist (``_fill_indices``).
        self.index_label = ttk.Label(bar, text=self.tr("Bộ chỉ số", "Index"))
        self.index_box = ttk.Combobox(bar, state="readonly", width=10)
        self.index_box.bind("<<ComboboxSelected>>", lambda e: self.refresh())
        self._index_after = self.year_box
        ttk.Label(bar, text=self.tr("Tìm", "Search")).pack(side="left")
        self.search_var = tk.StringVar()
        self.search = ttk.Entry(bar, textvariable=self.search_var, width=22)
        self.search.pack(side="left", padx=(4, 12))
        self.search_var.trace_add("write", lambda *a: self.table.filter(self.search_var.get()))
        self.accept_btn = ttk.Button(bar, text=self.tr("Chấp nhận báo cáo", "Accept report"),
                                     command=self.accept_selected, bootstyle="success")  # fmt: skip
        self.accept_btn.pack(side="left", padx=2)
        self.return_btn = ttk.Button(bar, text=self.tr("Trả lại…", "Return…"),
                                     command=self.return_selected, bootstyle="warning")  # fmt: skip
        self.return_btn.pack(side="left", padx=2)
        ttk.Button(bar, text=self.tr("Xem chi tiết", "Details"), command=self.open_selected,
                   bootstyle="secondary").pack(side="left", padx=2)  # fmt: skip
        more = ttk.Menubutton(bar, text=self.tr("Báo cáo và bộ khung", "Reports and framework"),
                              bootstyle="primary-outline")  # fmt: skip
        menu = tk.Menu(more, tearoff=False)
        menu.add_command(label=self.tr("Báo cáo tổng hợp (Excel)…", "Consolidated report (Excel)…"),
                         command=lambda: self.write_report(".xlsx"))  # fmt: skip
        menu.add_command(label=self.tr("Báo cáo tổng hợp (PDF)…", "Consolidated report (PDF)…"),
                         command=lambda: self.write_report(".pdf"))  # fmt: skip
        menu.add_separator()
        menu.add_command(label=self.tr("Ban hành bộ khung từ Excel…", "Publish a framework from Excel…"),
                         command=self.publish_framework)  # fmt: skip
        more["menu"] = menu
        more.pack(side="right")
        self.warning = ttk.Label(self, text="", bootstyle="danger")
        self.warning.grid(row=2, column=0, sticky="w")

        self.tabs = ttk.Notebook(self)
        self.tabs.grid(row=3, column=0, sticky="nsew")
        list_tab = ttk.Frame(self.tabs, padding=4)
        self.dash_tab = ttk.Frame(self.tabs, padding=4)
        self.scores_tab = ttk.Frame(self.tabs, padding=4)
        self.tabs.add(list_tab, text=self.tr("Danh sách", "List"))
        self.tabs.add(self.dash_tab, text=self.tr("Tổng hợp", "Dashboard"))
        self.tabs.add(self.scores_tab, text=self.tr("Chỉ số của tỉnh", "Province scores"))
        self.tabs.bind("<<NotebookTabChanged>>", lambda e: self._tab_changed())
        list_tab.columnconfigure(0, weight=1)
        list_tab.rowconfigure(0, weight=1)
        t = self.tr
        columns = [
            Column("unit", t("Mã", "Code"), 55),
            Column("name", t("Xã/phường", "Commune"), 170, stretch=True),
            Column("version_text", t("Khung", "Framework"), 60, "center"),
            Column("package_text", t("Gói USB gần nhất", "Last package"), 155),
            Column("state_text", t("Báo cáo năm", "Year report"), 130),
            Column("completion", t("Hoàn thành", "Completion"), 100, "e", format=_pct),
            Column("rank", t("Hạng", "Rank"), 55, "center", format=lambda v: "—" if v is None else str(v)),
            Column("overdue_tasks", t("NV quá hạn", "Overdue"), 100, "e"),
            Column("late_disclosures", t("CK trễ hạn", "Late disc."), 100, "e"),
            Column("missing_disclosures", t("CK còn thiếu", "Missing disc."), 110, "e"),
        ]  # fmt: skip
        self.table = SortableList(
            list_tab, columns, id_key="unit", height=18, on_activate=lambda r: self.open_detail(r),
            tag_of=self._tag_of, on_select=self._review_buttons,
        )  # fmt: skip
        self._reasons: dict[str, str] = {}  # a return reason typed, kept if the call fails
        self.table.grid(row=0, column=0, sticky="nsew")
        self.table.tree.tag_configure("stale", foreground="#c62828")
        self.table.tree.tag_configure("version", background="#fdecea")
        self.legend = ttk.Label(list_tab, text="", bootstyle="secondary")
        self.legend.grid(row=1, column=0, sticky="w")

    def _tag_of(self, r: dict[str, Any]) -> str | None:
        if not r["framework_current"]:
            return "version"
        if r["stale"]:
            return "stale"
        return None

    # -- data ----------------------------------------------------------------------------
    @property
    def year(self) -> int:
        return int(self.year_box.get())

    def index(self) -> str:
        """The index whose checklist figures are shown (PAPI unless another is chosen)."""
        return self.index_box.get() or district.DEFAULT_INDEX

    def _fill_indices(self) -> None:
        """Offer the indices with a checklist; shown only when there are two or more, so an
        office with PAPI alone sees the page as it always was."""
        from papi_desktop.services import tasks

        active = tasks.active_indices(self.ctx)
        self.index_box.configure(values=active)
        if self.index_box.get() not in active:
            self.index_box.set(active[0] if active else "")
        if len(active) > 1:
            if not self.index_box.winfo_manager():
                self.index_label.pack(side="left", after=self._index_after)
                self.index_box.pack(side="left", padx=(4, 12), after=self.index_label)
        else:
            self.index_label.pack_forget()
            self.index_box.pack_forget()

    def on_show(self) -> None:
        self.refresh(force=False)

    def _data_stamp(self) -> tuple[Any, ...]:
        """Changes whenever any figure on this page may change (every write, every imported
        package leaves an audit row), with the year shown."""
        from papi_desktop.services import dashboard

        return (self.year, self.index_box.get(), *dashboard.change_stamp(self.ctx))

    def refresh(self, force: bool = True) -> None:
        year = self.year
        stamp = self._data_stamp()
        if not force and stamp == self._stamp:
            self._tab_changed()
            return
        try:
            self._fill_indices()
            stamp = self._data_stamp()
            self._stamp = stamp
            rows = district.communes_overview(self.ctx, year, self.index())
        except UserError as exc:
            self.shell.show_error(exc)
            rows = []
        for r in rows:
            r["version_text"] = f"v{r['framework_version']}" + (
                "" if r["framework_current"] else " ⚠"
            )
            age = r["package_age_days"]
            r["package_text"] = (
                self.tr("chưa nhận", "none")
                if r["last_package_at"] is None
                else f"{_date(r['last_package_at'])} ({age} {self.tr('ngày', 'days')})"
                + (" ⚠" if r["stale"] else "")
            )
            r["state_text"] = review.STATE_LABELS[r["submission"]][self.lang]
        self.rows = rows
        chosen = self.selected()
        self.table.set_rows(rows, search_fields=("unit", "name"))
        if self.search_var.get():
            self.table.filter(self.search_var.get())
        if chosen is not None:  # the selection stays after an action or a refresh
            self.table.select(lambda r: r["unit"] == chosen["unit"])
        self._review_buttons(self.selected())
        stale = sum(1 for r in rows if r["stale"])
        other = [r for r in rows if not r["framework_current"]]
        warn = []
        if stale:
            warn.append(self.tr(f"{stale} xã/phường quá 35 ngày chưa gửi gói USB.",
                                f"{stale} communes have sent no package for over 35 days."))  # fmt: skip
        if other:
            warn.append(self.tr(
                f"{len(other)} xã/phường đang dùng bộ khung khác phiên bản hiện hành; số liệu "
                "của các xã này tính theo phiên bản của xã.",
                f"{len(other)} communes are on another framework version; their figures use "
                "their own version."))  # fmt: skip
        self.warning.configure(text="  ".join(warn))
        self.legend.configure(
            text=self.tr(
                f"{len(rows)} xã/phường. Hoàn thành = đã xong / (tổng − không áp dụng) của các kỳ "
                "đã đến hạn. Nhấp đúp để xem chi tiết (chỉ xem).",
                f"{len(rows)} communes. Completion = done / (all − not applicable) of periods due. "
                "Double-click for details (read-only).",
            )
        )
        self._scores_for = False
        self._tab_changed()

    def selected(self) -> dict[str, Any] | None:
        return self.table.selected()

    def _review_buttons(self, row: dict[str, Any] | None) -> None:
        """Accept only a report waiting for review; return one waiting or accepted."""
        state = row["submission"] if row else "draft"
        self.accept_btn.configure(state="normal" if state == "submitted" else "disabled")
        self.return_btn.configure(
            state="normal" if state in ("submitted", "accepted") else "disabled"
        )

    def _require_selected(self) -> dict[str, Any] | None:
        row = self.selected()
        if row is None:
            dialogs.info(self, self.tr("Hãy chọn một xã/phường trong danh sách.",
                                       "Choose a commune in the list first."))  # fmt: skip
        return row

    # -- review ------------------------------------------------------------------------------
    def _state(self, row: dict[str, Any]) -> review.SubmissionState | None:
        try:
            return review.state_of(self.ctx, row["unit"], self.year)
        except UserError as exc:
            self.shell.show_error(exc)
            return None

    def accept_selected(self) -> None:
        row = self._require_selected()
        if row is None:
            return
        st = self._state(row)
        if st is None:
            return
        if review.already_decided(st, "accepted"):
            when = review.date_text(st.decided_at)
            dialogs.info(
                self,
                self.tr(
                    f"Báo cáo năm {self.year} của {row['name']} đã chấp nhận rồi (ngày {when}); "
                    "không thay đổi gì.",
                    f"{row['name']}'s {self.year} report was already accepted ({when}); "
                    "nothing changed.",
                ),
            )
            return
        if not dialogs.ask_yes_no(
            self,
            self.tr(
                f"Chấp nhận báo cáo năm {self.year} của {row['name']}?",
                f"Accept {row['name']}'s {self.year} report?",
            ),
        ):
            return
        self._decide(row, "accepted", None)

    def return_selected(self) -> None:
        row = self._require_selected()
        if row is None:
            return
        st = self._state(row)
        if st is None:
            return
        # Returning an accepted report reverses a decision: the user says so explicitly
        # (the service refuses it otherwise and logs it when forced).
        force = st.state == "accepted"
        if force:
            when = review.date_text(st.decided_at)
            if not dialogs.ask_yes_no(
                self,
                self.tr(
                    f"Báo cáo năm {self.year} đã được chấp nhận ngày {when}. "
                    "Vẫn trả lại để xã sửa?",
                    f"The {self.year} report was accepted on {when}. "
                    "Return it to the commune anyway?",
                ),
            ):
                return
        comment = dialogs.ask_string(
            self,
            self.tr(
                f"Lý do trả lại báo cáo năm {self.year} của {row['name']}:",
                f"Why is {row['name']}'s {self.year} report returned?",
            ),
            initial=self._reasons.get(row["unit"], ""),
        )
        if comment is None:
            return
        self._reasons[row["unit"]] = comment  # kept if the call is refused
        if self._decide(row, "returned", comment, force=force):
            self._reasons.pop(row["unit"], None)

    def _decide(
        self, row: dict[str, Any], decision: str, comment: str | None, *, force: bool = False
    ) -> bool:
        try:
            st = review.decide(self.ctx, row["unit"], self.year, decision, comment, force=force)
        except UserError as exc:
            self.shell.show_error(exc)
            return False
        dialogs.info(
            self,
            self.tr(
                f"{st.label('vi')}"
                + (" (đã hủy quyết định chấp nhận trước đó, có ghi nhật ký)" if force else "")
                + ". Kết quả được gửi về xã trong gói USB tiếp theo.",
                f"{st.label('en')}"
                + (" (the earlier acceptance is overridden and logged)" if force else "")
                + ". The commune gets it with the next USB package.",
            ),
        )
        self.refresh()
        return True

    def open_selected(self) -> None:
        row = self._require_selected()
        if row is not None:
            self.open_detail(row)

    def open_detail(self, row: dict[str, Any]) -> Any:
        from papi_desktop.ui.pages.commune_detail import CommuneDetail

        return CommuneDetail(self, self.shell, row, self.year)

    # -- tabs -------------------------------------------------------------------------------
    def _tab_changed(self) -> None:
        try:
            index = self.tabs.index(self.tabs.select())
        except tk.TclError:
            return
        if index == 1 and self._data_stamp() != self._stamp:
            self.refresh()  # data changed since the list was computed; draws the tab
        elif index == 1 and self._charts_for != self._stamp:
            self.draw_dashboard()
        elif index == 2 and not self._scores_for:
            self.draw_scores()

    def _clear(self, frame: Any) -> None:
        for child in frame.winfo_children():
            child.destroy()

    def _embed(self, frame: Any, fig: Any, **grid: Any) -> Any:
        from matplotlib.backends.backend_tkagg import FigureCanvasTkAgg

        canvas = FigureCanvasTkAgg(fig, master=frame)
        canvas.draw()
        canvas.get_tk_widget().grid(**grid)
        self._canvases.append(canvas)
        return canvas

    def draw_dashboard(self) -> None:
        from papi_desktop.ui.pages.communes_charts import HeatGrid, RankingBars, TrendLine

        self._clear(self.dash_tab)
        # The list tab's rows are this year's overview already: only the trend is added.
        self.data = district.consolidated(
            self.ctx, self.year, overview=self.rows, index=self.index()
        )
        d = self.data
        t = d["totals"]
        self.dash_tab.columnconfigure(0, weight=3)
        self.dash_tab.columnconfigure(1, weight=2)
        self.dash_tab.rowconfigure(2, weight=1)
        ttk.Label(
            self.dash_tab,
            text=self.tr(
                f"Toàn tỉnh: hoàn thành {_pct(t['completion'])} ({t['done']}/{t['applicable']}); "
                f"{t['overdue_tasks']} nhiệm vụ quá hạn; {t['late_disclosures']} nội dung công khai "
                f"trễ hạn; {t['missing_disclosures']} còn thiếu; {t['submitted']} báo cáo đã gửi, "
                f"{t['accepted']} đã chấp nhận.",
                f"Province: {_pct(t['completion'])} complete ({t['done']}/{t['applicable']}); "
                f"{t['overdue_tasks']} overdue tasks; {t['late_disclosures']} late and "
                f"{t['missing_disclosures']} missing disclosures; {t['submitted']} reports "
                f"submitted, {t['accepted']} accepted.",
            ),
            wraplength=1000,
        ).grid(row=0, column=0, columnspan=2, sticky="w")
        self._charts_for = self._stamp
        self.heat = None
        if not d["communes"]:
            return
        codes = [c for c, _, _ in d["dimensions"]]
        ttk.Label(
            self.dash_tab,
            text=self.tr(
                f"Hoàn thành (%) theo xã và chỉ số nội dung (CSND) — {self.year}. "
                "Đỏ: dưới 50 %, vàng: 50–79 %, xanh: từ 80 %; xám: chưa có nhiệm vụ đến hạn. "
                "Nhấp đúp để xem chi tiết.",
                f"Completion (%) by commune and dimension (CSND) — {self.year}. Red: below 50 %, "
                "amber: 50–79 %, green: 80 % and over; grey: nothing due yet. Double-click for "
                "details.",
            ),
            bootstyle="secondary",
            wraplength=640,
        ).grid(row=1, column=0, sticky="w", pady=(6, 2))
        communes = d["communes"]
        self.heat = HeatGrid(
            self.dash_tab,
            [f"CSND {c}" for c in codes] + [self.tr("Chung", "All")],
            [
                (r["name"], [r["dimensions"][c]["completion"] for c in codes] + [r["completion"]])
                for r in communes
            ],
            on_open=lambda i: self.open_detail(communes[i]),
        )
        self.heat.grid(row=2, column=0, sticky="nsw")
        right = ttk.Frame(self.dash_tab)
        right.grid(row=1, column=1, rowspan=2, sticky="nw", padx=(12, 0))
        top = d["ranking"][:10]
        RankingBars(right, [r["name"] for r in top], [r["completion"] for r in top],
                    self.tr("10 xã/phường dẫn đầu", "Top 10 communes")).grid(row=0, column=0)  # fmt: skip
        labels = [f"Q{q['quarter']}" for q in d["quarters"]]
        labels += [str(y["year"]) for y in d["years"]]
        values = [q["completion"] for q in d["quarters"]] + [y["completion"] for y in d["years"]]
        TrendLine(right, labels, values,
                  self.tr(f"Hoàn thành (%) theo quý năm {self.year} và theo năm",
                          f"Completion (%) per quarter of {self.year} and per year"),
                  ).grid(row=1, column=0, pady=(8, 0))  # fmt: skip

    def draw_scores(self) -> None:
        from papi_desktop.services import dashboard

        self._clear(self.scores_tab)
        entries = scores.list_scores(self.ctx)
        bar = ttk.Frame(self.scores_tab)
        bar.grid(row=0, column=0, sticky="ew")
        ttk.Button(bar, text=self.tr("Ghi kết quả…", "Record a result…"),
                   command=self.add_score).pack(side="left", padx=2)  # fmt: skip
        ttk.Button(bar, text=self.tr("Nhập từ Excel…", "Import from Excel…"),
                   command=self.import_scores, bootstyle="secondary").pack(side="left", padx=2)  # fmt: skip
        self.scores_tab.columnconfigure(0, weight=1)
        cols = [
            Column("index", self.tr("Chỉ số", "Index"), 80),
            Column("year", self.tr("Năm", "Year"), 60, "center"),
            Column("total", self.tr("Điểm", "Score"), 70, "e",
                   format=lambda v: "—" if v is None else f"{v:.2f}"),
            Column("rank_text", self.tr("Xếp hạng", "Rank"), 80, "center"),
            Column("group_text", self.tr("Nhóm", "Group"), 170),
            Column("target_text", self.tr("Mục tiêu", "Target"), 120),
            Column("weak_text", self.tr("CSND thấp nhất", "Weakest dimensions"), 260, stretch=True),
        ]  # fmt: skip
        for e in entries:
            e["id"] = f"{e['index']}-{e['year']}"
            e["rank_text"] = f"{e['rank']}/{e['of']}" if e["rank"] else "—"
            g = scores.GROUP_LABELS.get(e["group"], {}).get(self.lang, "")
            e["group_text"] = g + (
                self.tr(" (ước tính)", " (estimated)") if g and e["group_estimated"] else ""
            )
            met = {
                True: self.tr(" — đạt", " — met"),
                False: self.tr(" — chưa đạt", " — not met"),
                None: "",
            }
            e["target_text"] = (
                "—" if e["target"] is None else f"≥ {e['target']:.2f}{met[e['target_met']]}"
            )
            e["weak_text"] = ", ".join(f"{d}: {s:.2f}" for d, s in scores.weakest_dimensions(e))
        table = SortableList(self.scores_tab, cols, id_key="id", height=6)
        table.grid(row=1, column=0, sticky="nsew")
        table.set_rows(entries)
        self.scores_table = table
        papi = [e for e in entries if e["index"] == "PAPI"]
        if papi:
            fig = dashboard.scores_figure(
                [e["year"] for e in papi], [e["total"] for e in papi], [e["target"] for e in papi],
                self.tr("Chỉ số PAPI tổng hợp của tỉnh và mục tiêu", "Province PAPI score and target"),
                width_in=8,
            )  # fmt: skip
            self._embed(self.scores_tab, fig, row=2, column=0, sticky="nsew")
        self._scores_for = True

    # -- actions ------------------------------------------------------------------------------
    def add_score(self) -> None:
        from papi_desktop.ui.pages.score_dialog import ScoreDialog

        ScoreDialog(self, on_saved=self._scores_changed)

    def _scores_changed(self) -> None:
        self._scores_for = False
        self.draw_scores()

    def import_scores(self) -> None:
        name = dialogs.ask_open_file(self, filetypes=[("Excel", "*.xlsx")])
        if not name:
            return
        try:
            preview = scores.import_scores(self.ctx, Path(name), dry_run=True)
            if not dialogs.ask_yes_no(
                self,
                self.tr(
                    f"{preview['rows']} dòng: {preview['new']} mới, {preview['updated']} cập nhật, "
                    f"{preview['same']} không đổi. Nhập?",
                    f"{preview['rows']} rows: {preview['new']} new, {preview['updated']} updated, "
                    f"{preview['same']} unchanged. Import?",
                ),
            ):
                return
            scores.import_scores(self.ctx, Path(name))
        except UserError as exc:
            self.shell.show_error(exc)
            return
        self._scores_changed()

    def publish_framework(self) -> None:
        name = dialogs.ask_open_file(self, filetypes=[("Excel", "*.xlsx")])
        if not name:
            return
        try:
            summary = district.publish_framework(self.ctx, Path(name), dry_run=True)
            retired = len(summary["retired"])
            question = (
                district.describe_publish(summary, self.lang)
                + "\n\n"
                + (
                    self.tr(
                        f"Vẫn ban hành và cho thôi áp dụng {retired} nhiệm vụ ở mọi xã/phường?",
                        f"Publish anyway and retire {retired} tasks for every commune?",
                    )
                    if retired
                    else self.tr("Ban hành bộ khung này?", "Publish this framework?")
                )
            )
            if not dialogs.ask_yes_no(self, question):
                return
            # The user saw the counts and confirmed, retired tasks included.
            summary = district.publish_framework(self.ctx, Path(name), allow_retire=True)
        except UserError as exc:
            self.shell.show_error(exc)
            return
        dialogs.info(self, district.describe_publish(summary, self.lang))
        self.refresh()

    def write_report(self, suffix: str) -> None:
        """The consolidated report, saved the one way (``ui.documents``)."""
        from papi_desktop.services.reports.registry import SPECS, ReportRequest
        from papi_desktop.ui.documents import save_document

        save_document(self, SPECS["consolidated"], ReportRequest(year=self.year), suffix)

    def focus_search(self) -> None:
        self.search.focus_set()

    def show_item(self, select: dict[str, Any] | None = None, **kwargs: Any) -> bool:
        sel = {**(select or {}), **kwargs}
        unit = sel.get("unit")
        return bool(unit and self.table.select(lambda r: r["unit"] == unit))

    def destroy(self) -> None:
        self._canvases.clear()
        super().destroy()
