"""The PAPI task framework on paper: the posting sheet and the task checklist.

``build_framework_sheet`` prints the framework the commune must post at its office and
village houses (landscape table grouped by dimension: STT/code, task, lead, partners,
deadline, product). ``build_task_checklist`` prints the tasks with drawn status boxes,
blank or filled with status, result, completion date and note.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from papi_desktop.domain.dates import format_date
from papi_desktop.errors import UserError
from papi_desktop.reports.pdf.layout import (
    LANDSCAPE,
    Decree30Document,
    GroupRow,
    fit_column,
    nfc,
)
from papi_desktop.reports.pdf.models import (
    TASK_STATUSES,
    FrameworkSheetData,
    TableColumn,
    TaskChecklistData,
)

# The first column holds the task code ("1.2", "D1.1-01"); builders fit its width to the
# longest code so a code never wraps.
FRAMEWORK_COLUMNS = (
    TableColumn("Mã số", 14, "CENTER"),
    TableColumn("Nhiệm vụ", 86),
    TableColumn("Đơn vị chủ trì", 36),
    TableColumn("Đơn vị phối hợp", 36),
    TableColumn("Thời hạn", 36, "CENTER"),
    TableColumn("Sản phẩm", 44),
)

_STATUS_KEYS = tuple(key for key, _ in TASK_STATUSES)

CHECKLIST_COLUMNS = (
    TableColumn("Mã số", 12, "CENTER"),
    TableColumn("Nhiệm vụ", 60),
    TableColumn("Chủ trì", 28),
    TableColumn("Thời hạn", 24, "CENTER"),
    *(TableColumn(label, 16, "CENTER") for _, label in TASK_STATUSES),
    TableColumn("Ngày hoàn thành", 25, "CENTER"),
    TableColumn("Kết quả, sản phẩm / ghi chú", 39),
)


def _group_title(code: str, name: str) -> str:
    code = nfc(code).strip()
    return f"{code}. {nfc(name)}" if code else nfc(name)


def build_framework_sheet(
    data: FrameworkSheetData,
    path: Path,
    progress: Callable[[float], None] | None = None,
) -> Path:
    """The task framework as a posting sheet, landscape, grouped by PAPI dimension."""
    count = sum(len(d.tasks) for d in data.dimensions)
    doc = Decree30Document(
        path,
        data.trace,
        landscape=True,
        title=nfc(data.title),
        progress=progress,
        expected_pages=1 + count // 10,
    )
    story: list = []
    story += doc.heading(data.letterhead, data.number, data.symbol, data.issued_on)
    story += doc.doc_title(nfc(data.title).upper(), f"(Phiên bản {nfc(data.framework_version)})")
    for text in data.intro:
        story.append(doc.para(text))
    rows: list = []
    for dim in data.dimensions:
        rows.append(GroupRow(_group_title(dim.code, dim.name)))
        for task in dim.tasks:
            rows.append(
                (task.code, task.title, task.lead, task.partners, task.deadline, task.product)
            )
    if not count:
        raise UserError(
            "Khung nhiệm vụ chưa có nhiệm vụ nào để in.",
            "The task framework has no tasks to print.",
        )
    codes = [nfc(t.code) for d in data.dimensions for t in d.tasks]
    columns = fit_column(FRAMEWORK_COLUMNS, 0, codes, take_from=1)
    story.append(doc.table(columns, rows, orientation=LANDSCAPE))
    story.append(doc.signature_block(data.signer, data.recipients, data.archive))
    return doc.build(story)


def build_task_checklist(
    data: TaskChecklistData,
    path: Path,
    progress: Callable[[float], None] | None = None,
) -> Path:
    """Tasks with status boxes grouped by dimension; blank for hand filling or filled."""
    for group in data.groups:
        for task in group.tasks:
            if task.status is not None and task.status not in _STATUS_KEYS:
                raise UserError(
                    f"Trạng thái “{task.status}” của nhiệm vụ {task.code} không hợp lệ.",
                    f"Task {task.code} has an unknown status “{task.status}”.",
                )
    count = sum(len(g.tasks) for g in data.groups)
    doc = Decree30Document(
        path,
        data.trace,
        landscape=True,
        title=f"{nfc(data.title)} - {nfc(data.period)}",
        progress=progress,
        expected_pages=1 + count // 10,
    )
    story: list = []
    story += doc.heading(
        data.letterhead, data.number, data.symbol, data.issued_on if data.filled else None
    )
    story += doc.doc_title("PHIẾU THEO DÕI", [nfc(data.title), f"Kỳ: {nfc(data.period)}"])
    story.append(doc.para("Đánh dấu X vào một ô tình trạng cho mỗi nhiệm vụ."))
    rows: list = []
    for group in data.groups:
        rows.append(GroupRow(_group_title(group.code, group.name)))
        for task in group.tasks:
            status = task.status if data.filled else None
            boxes = [doc.check_box(status == key) for key in _STATUS_KEYS]
            if data.filled:
                done_on = format_date(task.done_on)
                result = "\n".join(x for x in (nfc(task.result), nfc(task.note)) if x)
            else:
                done_on, result = "", ""
            rows.append((task.code, task.title, task.lead, task.deadline, *boxes, done_on, result))
    codes = [nfc(t.code) for g in data.groups for t in g.tasks]
    columns = fit_column(CHECKLIST_COLUMNS, 0, codes, take_from=1)
    story.append(doc.table(columns, rows, orientation=LANDSCAPE))
    signers = [s for s in (data.prepared_by, data.approved_by) if s is not None]
    story.append(doc.signature_row(signers, per_row=2))
    return doc.build(story)
