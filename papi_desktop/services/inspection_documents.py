"""The printed papers of an inspection visit: the team's checklist and the minutes.

Both read ``inspections`` for their content and print with the office's letterhead
("ỦY BAN NHÂN DÂN TỈNH …" over the office's name), as the office issues them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from papi_desktop.domain.text import nfc
from papi_desktop.errors import UserError
from papi_desktop.services import inspections
from papi_desktop.services.context import AppContext
from papi_desktop.services.reports import check_output

TASK_STATUS_WORDS = {
    "todo": "Chưa làm",
    "doing": "Đang làm",
    "review": "Chờ duyệt",
    "done": "Hoàn thành",
}
TASK_RESULT_WORDS = {
    "met": "đạt",
    "partial": "đạt một phần",
    "not_met": "không đạt",
    "na": "không áp dụng",
    "unassessed": "",
}
DISCLOSURE_STATUS_WORDS = {
    "to_post": "Chưa niêm yết",
    "overdue_post": "Quá hạn niêm yết",
    "posting": "Đang niêm yết",
    "done": "Đã niêm yết đủ thời gian",
    "violation": "Gỡ sớm / gián đoạn",
    "permanent": "Niêm yết thường xuyên",
}


def _trace(ctx: AppContext, insp: dict[str, Any]):
    from papi_desktop.reports.pdf.models import Trace

    site = ctx.require_site()
    return Trace(
        unit=f"{site.unit_name} · {insp['unit_name']}",
        period=f"Kiểm tra ngày {date.fromisoformat(insp['visit_on']):%d/%m/%Y}",
    )


def _reported(line: dict[str, Any]) -> str:
    if line["kind"] == "task":
        if line["status"] == "summary":
            return line["detail"]
        words = TASK_STATUS_WORDS.get(line["status"], line["status"])
        result = TASK_RESULT_WORDS.get(line["result"], line["result"])
        return f"{words}, {result}" if result else words
    status = DISCLOSURE_STATUS_WORDS.get(line["status"], line["status"])
    return f"{status}. {line['detail']}" if line["detail"] else status


def write_checklist(ctx: AppContext, inspection_id: str, path: Path) -> Path:
    """The pre-filled checklist the team takes to the commune (.pdf, or .docx to edit)."""
    from papi_desktop.reports.pdf.inspection import (
        CheckLine,
        InspectionChecklistData,
        build_inspection_checklist,
    )
    from papi_desktop.services.consolidated_report import letterhead

    path = check_output(path)
    data = inspections.checklist(ctx, inspection_id)
    groups: dict[str, list[CheckLine]] = {}
    names = {"task": "NHIỆM VỤ TRONG BỘ KHUNG", "disclosure": "CÔNG KHAI THÔNG TIN"}
    for line in data["lines"]:
        finding = line.get("finding")
        groups.setdefault(names[line["kind"]], []).append(
            CheckLine(
                item=line["item"],
                label=nfc(line["label"]),
                due=date.fromisoformat(line["due"]) if line["due"] else None,
                reported=_reported(line),
                evidence=line["evidence"],
                finding=inspections.FINDING_LABELS[finding]["vi"] if finding else "",
                note=line.get("finding_note") or "",
            )
        )
    if not groups:
        raise UserError(
            "Đợt kiểm tra này chưa có mục nào để in (xã chưa có nhiệm vụ hay hồ sơ công khai "
            "trong năm kiểm tra).",
            "This inspection has no item to print for its year.",
        )
    warning = data["warning"]["vi"] if data["warning"] else None
    return build_inspection_checklist(
        InspectionChecklistData(
            letterhead=letterhead(ctx),
            trace=_trace(ctx, data),
            unit_name=data["unit_name"],
            visit_on=date.fromisoformat(data["visit_on"]),
            team=tuple(data["team"]),
            groups=tuple((k, tuple(v)) for k, v in groups.items()),
            warning=warning,
        ),
        path,
    )


def write_minutes(ctx: AppContext, inspection_id: str, path: Path) -> Path:
    """The minutes of a closed visit (Biên bản kiểm tra), Decree 30 layout (.pdf or .docx)."""
    from papi_desktop.reports.pdf.inspection import (
        FindingLine,
        InspectionMinutesData,
        build_inspection_minutes,
    )
    from papi_desktop.reports.pdf.models import MinutesSigner
    from papi_desktop.services.consolidated_report import letterhead

    path = check_output(path)
    ctx.require_site("district")
    data = inspections.checklist(ctx, inspection_id)
    if data["state"] != "closed":
        raise UserError(
            "Đợt kiểm tra chưa kết thúc; hãy kết thúc trước khi in biên bản "
            "(papi-desktop inspections close ID).",
            "The inspection is not closed yet; close it before printing the minutes "
            "(papi-desktop inspections close ID).",
        )
    findings = [
        FindingLine(
            label=nfc(f["item_label"] or f["item"]),
            finding=inspections.FINDING_LABELS[f["finding"]]["vi"],
            note=nfc(f["note"]),
            fix_by=date.fromisoformat(f["fix_by"]) if f["fix_by"] else None,
        )
        for f in inspections._findings(ctx, data["id"])
    ]
    team = tuple(data["team"])
    reps = tuple(data["commune_reps"])
    return build_inspection_minutes(
        InspectionMinutesData(
            letterhead=letterhead(ctx),
            trace=_trace(ctx, data),
            unit_name=data["unit_name"],
            subject=f"Việc triển khai Bộ khung nhiệm vụ PAPI năm {data['year']} tại "
            f"{data['unit_name']}",
            visit_on=date.fromisoformat(data["visit_on"]),
            closed_on=date.fromisoformat(data["closed_on"]),
            place=f"Trụ sở Ủy ban nhân dân {data['unit_name']}",
            team=team,
            commune_reps=reps,
            findings=tuple(findings),
            conclusion=nfc(data["conclusion"]),
            signers=(
                MinutesSigner("TRƯỞNG ĐOÀN KIỂM TRA", team[0]),
                MinutesSigner(
                    f"ĐẠI DIỆN UBND {data['unit_name']}".upper(), reps[0] if reps else ""
                ),
            ),
        ),
        path,
    )
