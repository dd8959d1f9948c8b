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

# A disclosure item's overall state (``domain.deadlines.item_status``).
ITEM_STATE_LABELS: dict[str, dict[str, str]] = {
    "waiting_trigger": {"vi": "Chờ ngày căn cứ", "en": "Waiting for trigger date"},
    "to_post": {"vi": "Cần niêm yết", "en": "To post"},
    "overdue_post": {"vi": "Quá hạn niêm yết", "en": "Posting overdue"},
    "posting": {"vi": "Đang niêm yết", "en": "Posted"},
    "ending_soon": {"vi": "Sắp hết thời gian niêm yết", "en": "Posting ends soon"},
    "complete": {"vi": "Đã đủ thời gian", "en": "Complete"},
    "permanent": {"vi": "Niêm yết thường xuyên", "en": "Permanently posted"},
    "violation": {"vi": "Gỡ trước hạn", "en": "Taken down early"},
}

# A place's posting state (``domain.deadlines.PlaceStatus.state``).
PLACE_STATE_LABELS: dict[str, dict[str, str]] = {
    "not_posted": {"vi": "Chưa niêm yết", "en": "Not posted"},
    "posting": {"vi": "Đang niêm yết", "en": "Posted"},
    "period_done": {"vi": "Đủ thời gian, chưa gỡ", "en": "Period over, still up"},
    "taken_down": {"vi": "Đã kết thúc", "en": "Ended"},
    "taken_down_early": {"vi": "Gỡ trước hạn", "en": "Taken down early"},
}

# What one place needs (``domain.deadlines.place_judgement``).
PLACE_JUDGEMENT_LABELS: dict[str, dict[str, str]] = {
    "due": {"vi": "Cần niêm yết", "en": "To post"},
    "late": {"vi": "Quá hạn niêm yết", "en": "Posting overdue"},
    "posting": {"vi": "Đang niêm yết", "en": "Posted"},
    "ended": {"vi": "Đã hết thời gian niêm yết", "en": "Period ended"},
    "taken_down_early": {"vi": "Gỡ trước hạn", "en": "Taken down early"},
}

# The outcome of a planned disclosure in the period report (the PDF and the workbook).
OUTCOME_LABELS: dict[str, dict[str, str]] = {
    "on_time": {"vi": "Đúng hạn", "en": "On time"},
    "late": {"vi": "Trễ hạn", "en": "Late"},
    "missing": {"vi": "Chưa công khai", "en": "Not disclosed"},
}

# A day of the days-off calendar (``holiday.kind``): the list, the editor, the imports.
HOLIDAY_KIND_LABELS: dict[str, dict[str, str]] = {
    "holiday": {"vi": "Ngày lễ", "en": "Public holiday"},
    "tet": {"vi": "Nghỉ Tết", "en": "Tết holiday"},
    "compensatory": {"vi": "Nghỉ bù", "en": "Compensatory day off"},
    "swap-off": {"vi": "Nghỉ hoán đổi", "en": "Swapped day off"},
    "swap-work": {"vi": "Làm bù (thứ Bảy đi làm)", "en": "Swapped working Saturday"},
}

LABEL_TABLES: dict[str, dict[str, dict[str, str]]] = {
    "status": STATUS_LABELS,
    "result": RESULT_LABELS,
    "plan": PLAN_STATE_LABELS,
    "item": ITEM_STATE_LABELS,
    "place": PLACE_JUDGEMENT_LABELS,
    "place_state": PLACE_STATE_LABELS,
    "outcome": OUTCOME_LABELS,
    "holiday": HOLIDAY_KIND_LABELS,
}


def label(table: str, key: str, lang: str = "vi") -> str:
    """The word for ``key`` in ``table`` ("status", "result", "plan", "item", "place", "holiday"...)."""
    row = LABEL_TABLES[table].get(key)
    if row is None:
        return key
    return row.get(lang) or row["vi"]
