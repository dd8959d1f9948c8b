"""The commune's view of its yearly report: state (draft / submitted / accepted / returned /
reopened), the supervising office's comment and its comments on single results, with the
"Gửi báo cáo" (submit) and "Mở lại" (reopen, with a reason) actions.

Mount it on the tasks page of a commune install: ``ReviewPanel(parent, page).grid(…)`` and
call ``panel.refresh(year)`` whenever the page's year changes or a package was imported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.errors import UserError
from papi_desktop.services import review
from papi_desktop.ui import dialogs

STYLE = {
    "draft": "secondary",
    "submitted": "info",
    "accepted": "success",
    "returned": "danger",
    "reopened": "warning",
}


class ReviewPanel(ttk.Labelframe):
    """A compact section: one status line, the comments, and two buttons."""

    def __init__(self, master: Any, page: Any, on_change: Callable[[], None] | None = None) -> None:
        super().__init__(master, text=page.tr("Báo cáo năm gửi cơ quan giám sát",
                                               "Year report to the supervising office"), padding=(6, 2))  # fmt: skip
        self.page = page
        self.on_change = on_change
        self.year: int | None = None
        self.state: review.SubmissionState | None = None
        self.columnconfigure(0, weight=1)
        self.status = ttk.Label(self, text="", wraplength=860)
        self.status.grid(row=0, column=0, sticky="w")
        self.submit_btn = ttk.Button(self, text=page.tr("Gửi báo cáo", "Submit report"),
                                     command=self.submit, bootstyle="primary")  # fmt: skip
        self.submit_btn.grid(row=0, column=1, padx=2)
        self.reopen_btn = ttk.Button(self, text=page.tr("Mở lại để sửa…", "Reopen to edit…"),
                                     command=self.reopen, bootstyle="warning-outline")  # fmt: skip
        self.reopen_btn.grid(row=0, column=2, padx=2)
        self.comments = ttk.Label(self, text="", wraplength=900, justify="left")
        self.comments.grid(row=1, column=0, columnspan=3, sticky="w")

    @property
    def lang(self) -> str:
        return "en" if self.page.tr("vi", "en") == "en" else "vi"

    def refresh(self, year: int) -> None:
        self.year = int(year)
        info = review.feedback(self.page.ctx, self.year)
        st = info["state"]
        self.state = st
        tr = self.page.tr
        line = f"{tr('Năm', 'Year')} {self.year}: {st.label(self.lang)}"
        if st.state in ("accepted", "returned") and st.decided_at:
            line += f" ({st.decided_at[8:10]}/{st.decided_at[5:7]}/{st.decided_at[:4]})"
        if st.comment:
            line += f" — {tr('Ý kiến', 'Comment')}: {st.comment}"
        if st.state == "reopened":
            line += f" — {tr('Lý do mở lại', 'Reopened because')}: {st.reopen_reason}"
        if st.state == "accepted":
            line += tr(" Kết quả năm này đang khóa.", " This year's results are locked.")
        if st.state in ("draft", "reopened"):
            line += tr(
                " — Cập nhật xong kết quả năm thì bấm “Gửi báo cáo” (đi cùng gói USB tiếp theo).",
                " — When the year's results are up to date, press “Submit report” (it goes"
                " with the next USB package).",
            )
        self.status.configure(text=line, bootstyle=STYLE[st.state])
        notes = [f"• {c['task_code']} ({c['period']}): {c['comment']}" for c in info["reviews"][:8]]
        if len(info["reviews"]) > 8:
            notes.append(tr(f"… và {len(info['reviews']) - 8} nhận xét khác.",
                            f"… and {len(info['reviews']) - 8} more comments."))  # fmt: skip
        self.comments.configure(
            text=(tr("Nhận xét của cơ quan giám sát:", "Comments from the supervising office:")
                  + "\n" + "\n".join(notes)) if notes else ""
        )  # fmt: skip
        if notes:
            self.comments.grid()
        else:
            self.comments.grid_remove()  # no empty line under the status
        self.submit_btn.configure(
            state="normal" if st.state in ("draft", "returned", "reopened") else "disabled"
        )
        self.reopen_btn.configure(state="normal" if st.state == "accepted" else "disabled")

    def submit(self) -> None:
        if self.year is None:
            return
        if not dialogs.ask_yes_no(self, self.page.tr(
            f"Gửi báo cáo năm {self.year} lên cơ quan giám sát? Báo cáo đi cùng gói USB tiếp theo.",
            f"Submit the {self.year} report? It travels with the next USB package.")):  # fmt: skip
            return
        self._do(lambda: review.submit(self.page.ctx, self.year))

    def reopen(self) -> None:
        if self.year is None:
            return
        reason = dialogs.ask_string(self, self.page.tr(
            f"Lý do mở lại báo cáo năm {self.year} (được ghi nhật ký và gửi lên cơ quan giám sát):",
            f"Why reopen the {self.year} report (logged and sent to the supervising office)?"))  # fmt: skip
        if not reason:
            return
        self._do(lambda: review.reopen(self.page.ctx, self.year, reason))

    def _do(self, action: Callable[[], Any]) -> None:
        try:
            action()
        except UserError as exc:
            dialogs.error(self, exc.message(self.lang))
            return
        self.refresh(self.year)
        if self.on_change:
            self.on_change()
