"""A commune's checklist and disclosure register, read-only, opened from the Xã/phường page;
the office can comment on a single result from here (the comment travels back to the
commune in the next package). A "Kiểm tra" tab lists the office's visits to this commune,
with issues, fixes and overdue fixes; a visit opens on the Kiểm tra page."""

from __future__ import annotations

from typing import Any

import ttkbootstrap as ttk

from papi_desktop.errors import UserError
from papi_desktop.services import disclosures, district, inspections, review, tasks
from papi_desktop.ui import dialogs
from papi_desktop.ui.widgets.sortable import Column, SortableList


def _date(iso: str | None) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}" if iso else ""


class CommuneDetail(ttk.Toplevel):
    """Read-only drill-down into one commune for one year."""

    def __init__(self, page: Any, shell: Any, row: dict[str, Any], year: int) -> None:
        super().__init__(title=f"{row['name']} — {year}")
        self.page = page
        self.shell = shell
        self.ctx = shell.ctx
        self.row = row
        self.year = year
        self.tr = shell.tr
        self.geometry("1100x640")
        self.transient(page.winfo_toplevel())
        self._build()
        self.bind("<Escape>", lambda e: self.destroy())

    @property
    def lang(self) -> str:
        return "en" if self.tr("vi", "en") == "en" else "vi"

    def _build(self) -> None:
        t = self.tr
        r = self.row
        frame = ttk.Frame(self, padding=10)
        frame.pack(fill="both", expand=True)
        frame.columnconfigure(0, weight=1)
        frame.rowconfigure(2, weight=1)
        st = review.state_of(self.ctx, r["unit"], self.year)
        version = f"v{r['framework_version']}" + (
            ""
            if r["framework_current"]
            else t(" (khác phiên bản hiện hành)", " (not the current version)")
        )
        ttk.Label(frame, text=f"{r['name']} ({r['unit']})", font="-size 14 -weight bold").grid(
            row=0, column=0, sticky="w"
        )
        summary = t(
            f"Bộ khung {version}. Hoàn thành {r['completion'] if r['completion'] is not None else '—'} %; "
            f"{r['overdue_tasks']} nhiệm vụ quá hạn; {r['late_disclosures']} công khai trễ hạn; "
            f"{r['missing_disclosures']} còn thiếu. Báo cáo năm: {st.label('vi')}"
            + (f" — {st.comment}" if st.comment else ""),
            f"Framework {version}. {r['completion'] if r['completion'] is not None else '—'} % complete; "
            f"{r['overdue_tasks']} overdue; {r['late_disclosures']} late and "
            f"{r['missing_disclosures']} missing disclosures. Report: {st.label('en')}"
            + (f" — {st.comment}" if st.comment else ""),
        )
        ttk.Label(frame, text=summary, wraplength=1050).grid(row=1, column=0, sticky="w", pady=4)
        tabs = ttk.Notebook(frame)
        tabs.grid(row=2, column=0, sticky="nsew")
        self.tabs = tabs
        # checklist
        tab = ttk.Frame(tabs, padding=4)
        tabs.add(tab, text=t("Nhiệm vụ (chỉ xem)", "Tasks (read-only)"))
        tab.columnconfigure(0, weight=1)
        tab.rowconfigure(0, weight=1)
        rows = district.unit_checklist(
            self.ctx,
            r["unit"],
            self.year,
            fw_version=r["framework_version"],
            index=r.get("index", district.DEFAULT_INDEX),
        )
        comments = {}
        for c in review.reviews(self.ctx, year=self.year, unit=r["unit"]):
            comments.setdefault((c["task_code"], c["period"]), c["comment"])
        for x in rows:
            x["id"] = f"{x['code']}|{x['period']}"
            x["status_text"] = tasks.status_label(x["status"], self.lang)
            x["result_text"] = tasks.result_label(x["result"], self.lang)
            x["overdue_text"] = t("QUÁ HẠN", "OVERDUE") if x["overdue"] else ""
            x["comment"] = comments.get((x["code"], x["period"]), "")
        cols = [
            Column("code", t("Mã", "Code"), 70), Column("period", t("Kỳ", "Period"), 70),
            Column("title", t("Nhiệm vụ", "Task"), 330, stretch=True),
            Column("due", t("Hạn", "Due"), 85, format=_date),
            Column("status_text", t("Trạng thái", "Status"), 95),
            Column("result_text", t("Kết quả", "Result"), 95),
            Column("overdue_text", "", 70), Column("comment", t("Nhận xét", "Comment"), 200),
        ]  # fmt: skip
        self.checklist = SortableList(tab, cols, id_key="id", height=16,
                                      on_activate=lambda x: self.comment(x))  # fmt: skip
        self.checklist.grid(row=0, column=0, sticky="nsew")
        self.checklist.set_rows(rows, search_fields=("code", "title"))
        ttk.Button(tab, text=t("Nhận xét kết quả đã chọn…", "Comment on the selected result…"),
                   command=lambda: self.comment(self.checklist.selected())).grid(
            row=1, column=0, sticky="w", pady=4)  # fmt: skip
        # disclosures
        tab = ttk.Frame(tabs, padding=4)
        tabs.add(tab, text=t("Sổ công khai (chỉ xem)", "Disclosure register (read-only)"))
        tab.columnconfigure(0, weight=1)
        tab.rowconfigure(0, weight=1)
        items = disclosures.list_items(self.ctx, year=self.year, unit=r["unit"])
        for i in items:
            i["state_text"] = disclosures.ITEM_STATE_LABELS[i["status"]][self.lang]
            late = disclosures.OUTCOME_LABELS["late"]
            i["late_text"] = t(late["vi"], late["en"]) if i["posted_late"] else ""
        cols = [
            Column("title", t("Nội dung", "Item"), 420, stretch=True),
            Column("trigger_date", t("Ngày căn cứ", "Trigger"), 90, format=_date),
            Column("post_deadline", t("Hạn niêm yết", "Post by"), 90, format=_date),
            Column("state_text", t("Tình trạng", "State"), 170),
            Column("late_text", "", 70),
        ]  # fmt: skip
        self.register = SortableList(tab, cols, id_key="id", height=16)
        self.register.grid(row=0, column=0, sticky="nsew")
        self.register.set_rows(items, search_fields=("title",))
        self._build_inspections(tabs)
        # history of the report
        tab = ttk.Frame(tabs, padding=4)
        tabs.add(tab, text=t("Lịch sử báo cáo", "Report history"))
        labels = {"submitted": t("Xã gửi", "Submitted"), "accepted": t("Chấp nhận", "Accepted"),
                  "returned": t("Trả lại", "Returned"), "reopened": t("Xã mở lại", "Reopened")}  # fmt: skip
        events = review.history(self.ctx, r["unit"], self.year)
        if not events:
            ttk.Label(
                tab, text=t("Xã chưa gửi báo cáo năm này.", "No report sent for this year.")
            ).pack(anchor="w")
        for e in events:
            ttk.Label(
                tab, text=f"{_date(e['at'][:10] if e['at'] else None)}  {t('lần', 'round')} {e['round']}  "
                f"{labels[e['event']]}  {e['by']}  {e['text']}", wraplength=1000,
            ).pack(anchor="w")  # fmt: skip

    def _build_inspections(self, tabs: Any) -> None:
        """The visits to this commune (every year: a fix may be due after the year ends)."""
        t = self.tr
        lang = self.lang
        tab = ttk.Frame(tabs, padding=4)
        visits = inspections.list_inspections(self.ctx, unit=self.row["unit"])
        for v in visits:
            v["team_text"] = "; ".join(v["team"])
            v["state_text"] = inspections.STATE_LABELS[v["state"]][lang]
        waiting = sum(v["issues"] - v["fixed"] for v in visits)
        title = t("Kiểm tra", "Inspections") + (f" ({len(visits)})" if visits else "")
        tabs.add(tab, text=title + (f" ⚠ {waiting}" if waiting else ""))
        tab.columnconfigure(0, weight=1)
        tab.rowconfigure(0, weight=1)
        cols = [
            Column("on", t("Ngày kiểm tra", "Visit date"), 120, format=_date),
            Column("team_text", t("Đoàn kiểm tra", "Team"), 280, stretch=True),
            Column("state_text", t("Tình trạng", "State"), 130),
            Column("issues", t("Tồn tại", "Issues"), 80),
            Column("fixed", t("Đã khắc phục", "Fixed"), 120),
            Column("overdue_fixes", t("Quá hạn khắc phục", "Fixes overdue"), 160),
        ]  # fmt: skip
        self.visits = SortableList(
            tab, cols, id_key="id", height=12, on_activate=self.open_visit,
            tag_of=lambda v: "danger" if v["overdue_fixes"] else None,
            empty_text=t("Chưa có đợt kiểm tra nào tại xã/phường này. Lập kế hoạch ở trang "
                         "Kiểm tra.", "No visit to this commune yet. Plan one on the "
                         "Inspections page."),
        )  # fmt: skip
        self.visits.grid(row=0, column=0, sticky="nsew")
        self.visits.set_rows(visits)
        ttk.Button(tab, text=t("Mở đợt kiểm tra đã chọn", "Open the chosen visit"),
                   command=lambda: self.open_visit(self.visits.selected())).grid(
            row=1, column=0, sticky="w", pady=4)  # fmt: skip

    def open_visit(self, visit: dict[str, Any] | None) -> None:
        if visit is None:
            return
        self.shell.open_page("inspections")
        self.shell.pages["inspections"].show_item(select={"id": visit["id"]})
        self.destroy()

    def comment(self, row: dict[str, Any] | None) -> None:
        if row is None:
            dialogs.info(self, self.tr("Hãy chọn một nhiệm vụ.", "Choose a task first."))
            return
        text = dialogs.ask_string(
            self,
            self.tr(
                f"Nhận xét về {row['code']} kỳ {row['period']}:",
                f"Comment on {row['code']} ({row['period']}):",
            ),
        )
        if not text:
            return
        try:
            review.comment_result(self.ctx, self.row["unit"], row["code"], row["period"], text)
        except UserError as exc:
            self.shell.show_error(exc)
            return
        row["comment"] = text
        self.checklist.set_rows(self.checklist.rows, search_fields=("code", "title"))
