"""The history tab shared by the task and disclosure editors: one line per change with
when, who, what (a readable field name, with the place for a posting) and the value before
and after, in dd/mm/yyyy and the window's labels; evidence files added or removed show as
their file names."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.ui.pages import fields

CREATED = "(tạo mới)"
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Fields of both editors as a person reads them.
FIELD_NAMES = {
    "status": ("Trạng thái", "Status"),
    "result": ("Kết quả", "Result"),
    "na_reason": ("Lý do không áp dụng", "Reason"),
    "done_on": ("Ngày hoàn thành", "Done date"),
    "note": ("Ghi chú", "Note"),
    "follow_up": ("Cần theo dõi", "Follow-up"),
    "deleted": ("Đã xóa", "Deleted"),
    "framework_version": ("Phiên bản bộ khung", "Framework version"),
    "evidence": ("Tệp minh chứng", "Evidence file"),
    "posted_on": ("Ngày niêm yết", "Posted on"),
    "ends_on": ("Kết thúc (tính)", "Ends (computed)"),
    "taken_down_on": ("Ngày gỡ / kết thúc", "Taken down"),
    "reposts": ("Niêm yết lại", "Re-postings"),
    "title": ("Tên nội dung", "Title"),
    "decision_no": ("Số văn bản", "Document no."),
    "decision_date": ("Ngày văn bản", "Document date"),
    "trigger_date": ("Ngày căn cứ", "Trigger date"),
    "post_deadline": ("Hạn niêm yết", "Post by"),
    "loudspeaker_days": ("Số ngày phát loa", "Loudspeaker days"),
    "loudspeaker_from": ("Phát loa từ", "Loudspeaker from"),
    "web_url": ("Trang thông tin điện tử", "Web page"),
    "opinions_count": ("Số ý kiến", "Opinions"),
    "opinions_summary": ("Tóm tắt ý kiến", "Opinions summary"),
    "contact": ("Người liên hệ", "Contact"),
}


def build(master: Any, tr: Callable[[str, str], str], *, height: int = 5) -> ttk.Treeview:
    """The history list (with its scroll bar) filling ``master``."""
    master.columnconfigure(0, weight=1)
    master.rowconfigure(0, weight=1)
    tree = ttk.Treeview(
        master, columns=("user", "field", "old", "new"), selectmode="browse", height=height
    )
    tree.heading("#0", text=tr("Lúc", "When"), anchor="w")
    tree.column("#0", width=118, stretch=False)
    for col, vi, en, width in (
        ("user", "Người sửa", "By", 110),
        ("field", "Mục", "Field", 130),
        ("old", "Trước", "Before", 120),
        ("new", "Sau", "After", 160),
    ):
        tree.heading(col, text=tr(vi, en), anchor="w")
        tree.column(col, width=width, stretch=col in ("old", "new"))
    tree.grid(row=0, column=0, sticky="nsew")
    bar = ttk.Scrollbar(master, orient="vertical", command=tree.yview)
    bar.grid(row=0, column=1, sticky="ns")
    tree.configure(yscrollcommand=bar.set)
    return tree


def field_name(field: str, lang: str) -> str:
    vi, en = FIELD_NAMES.get(field, (field, field))
    return en if lang == "en" else vi


def fill(
    tree: ttk.Treeview,
    entries: Iterable[dict[str, Any]],
    lang: str,
    value: Callable[[str, str | None], str] | None = None,
) -> int:
    """Show ``entries`` (audit rows, oldest first) newest first; returns how many."""
    tree.delete(*tree.get_children())
    shown = list(entries)

    def show(field: str, raw: str | None) -> str:
        if value is not None:
            return value(field, raw)
        return plain_value(raw, lang)

    for i, h in enumerate(reversed(shown)):
        field = h["field"]
        if field == CREATED:
            what = "Tạo mới" if lang != "en" else "Created"
            old, new = "", _created(h.get("new"), lang, show)
        else:
            what = field_name(field, lang)
            old, new = show(field, h.get("old")), show(field, h.get("new"))
        if h.get("place"):
            what = f"{h['place']}: {what}"
        tree.insert(
            "", "end", iid=str(i), text=when_text(h["at"]), values=(h["user"] or "", what, old, new)
        )
    return len(shown)


def _created(raw: str | None, lang: str, show: Callable[[str, str | None], str]) -> str:
    try:
        values = json.loads(raw or "{}")
    except ValueError:
        return raw or ""
    if not isinstance(values, dict):
        return str(values)
    return "; ".join(
        f"{field_name(k, lang)}: {show(k, None if v is None else str(v))}"
        for k, v in values.items()
        if k in FIELD_NAMES and k != "framework_version" and v not in (None, "")
    )


def plain_value(raw: str | None, lang: str) -> str:
    """A stored value as read: "—" for nothing, dd/mm/yyyy for a day."""
    if raw in (None, ""):
        return "—"
    if _ISO_DAY.match(raw):
        return fields.iso_to_text(raw)
    return raw


def when_text(at: str) -> str:
    """Audit timestamps (UTC ISO) shown as local dd/mm/yyyy hh:mm."""
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return at or ""
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{moment:%d/%m/%Y %H:%M}"
