"""One table of the words shown for every status, result and state (Vietnamese and English).

The window, the command line, the PDFs and the workbooks all read their labels here, so the
same state is never named two ways in two outputs of the same report.
"""

from __future__ import annotations

from papi_desktop.domain.periods import RESULT_LABELS, STATUS_LABELS

# A line of the yearly disclosure plan (``domain.obligations.plan_state``).
PLAN_STATE_LABELS: dict[str, dict[str, str]] = {
    "missing": {"vi": "Còn thiếu", "en": "Missing"},
    "recorded": {"vi": "Đã ghi, chưa niêm yết đủ", "en": "Recorded, not fully posted"},
    "posting": {"vi": "Đang niêm yết", "en": "Posting"},
    "done": {"vi": "Đã công khai đủ", "en": "Done"},
    "late": {"vi": "Công khai trễ hạn", "en": "Posted late"},
    "expected": {"vi": "Dự kiến", "en": "Expected"},
    "before_tracking": {"vi": "Trước khi theo dõi", "en": "Before tracking"},
}

LABEL_TABLES: dict[str, dict[str, dict[str, str]]] = {
    "status": STATUS_LABELS,
    "result": RESULT_LABELS,
    "plan": PLAN_STATE_LABELS,
}


def label(table: str, key: str, lang: str = "vi") -> str:
    """The word for ``key`` in ``table`` ("status", "result", "plan", "item", "place")."""
    row = LABEL_TABLES[table].get(key)
    if row is None:
        return key
    return row.get(lang) or row["vi"]
