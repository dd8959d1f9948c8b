"""An inspection visit on paper: the team's checklist and the minutes (Biên bản kiểm tra).

``build_inspection_checklist`` prints, in landscape, every item the team checks with what
the commune's packages said (status, result, evidence count, postings per place) and blank
columns for the findings; ``build_inspection_minutes`` prints the Decree 30 minutes: time,
place, members, the commune's representatives, findings, requests with deadlines and the
signatures of both sides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from papi_desktop.domain.dates import format_date
from papi_desktop.reports.pdf.layout import LANDSCAPE, Decree30Document, GroupRow, nfc
from papi_desktop.reports.pdf.models import Letterhead, MinutesSigner, TableColumn, Trace


@dataclass(frozen=True)
class CheckLine:
    """One item on the checklist: its key, what it is, and what the commune reported."""

    item: str
    label: str
    due: date | None
    reported: str  # status and result in words, or the postings per place
    evidence: int
    finding: str = ""  # filled once recorded (a re-print), else blank for the pen
    note: str = ""


@dataclass(frozen=True)
class InspectionChecklistData:
    letterhead: Letterhead
    trace: Trace
    unit_name: str
    visit_on: date
    team: tuple[str, ...]
    groups: tuple[tuple[str, tuple[CheckLine, ...]], ...]
    warning: str | None = None


@dataclass(frozen=True)
class FindingLine:
    label: str
    finding: str  # in words
    note: str
    fix_by: date | None


@dataclass(frozen=True)
class InspectionMinutesData:
    letterhead: Letterhead
    trace: Trace
    unit_name: str
    subject: str
    visit_on: date
    closed_on: date
    place: str
    team: tuple[str, ...]
    commune_reps: tuple[str, ...]
    findings: tuple[FindingLine, ...]
    conclusion: str = ""
    copies: int = 2
    number: int | None = None
    symbol: str = "BB-KT"
    signers: tuple[MinutesSigner, ...] = field(default_factory=tuple)


CHECK_COLUMNS = (
    TableColumn("Mã mục", 30, "CENTER"),
    TableColumn("Nội dung", 88),
    TableColumn("Hạn", 22, "CENTER"),
    TableColumn("Xã báo cáo", 56),
    TableColumn("Minh chứng", 18, "CENTER"),
    TableColumn("Kết quả kiểm tra", 26, "CENTER"),
    TableColumn("Ghi chú, yêu cầu khắc phục", 40),
)


def build_inspection_checklist(
    data: InspectionChecklistData, path: Path, progress: Callable[[float], None] | None = None
) -> Path:
    count = sum(len(lines) for _name, lines in data.groups)
    doc = Decree30Document(
        path,
        data.trace,
        landscape=True,
        title=f"Phiếu kiểm tra {nfc(data.unit_name)}",
        progress=progress,
        expected_pages=1 + count // 12,
    )
    story: list = []
    story += doc.heading(data.letterhead, None, None, data.visit_on)
    story += doc.doc_title(
        "PHIẾU KIỂM TRA",
        [f"Việc thực hiện Bộ khung nhiệm vụ PAPI tại {nfc(data.unit_name)}",
         f"Ngày kiểm tra: {format_date(data.visit_on)}"],
    )  # fmt: skip
    story.append(doc.para("; ".join(nfc(n) for n in data.team) + ".", label="Đoàn kiểm tra:"))
    if data.warning:
        story.append(doc.para(data.warning, label="Lưu ý:"))
    story.append(
        doc.para(
            "Cột “Kết quả kiểm tra”: ghi Đạt, Có tồn tại hoặc Chưa kiểm tra được; ghi mã mục "
            "khi nhập kết quả vào PAPI Desktop."
        )
    )
    rows: list = []
    for name, lines in data.groups:
        rows.append(GroupRow(name))
        for line in lines:
            rows.append(
                (
                    line.item,
                    line.label,
                    format_date(line.due),
                    line.reported,
                    str(line.evidence) if line.evidence else "",
                    line.finding,
                    line.note,
                )
            )
    story.append(doc.table(CHECK_COLUMNS, rows, orientation=LANDSCAPE))
    signers = [MinutesSigner("TRƯỞNG ĐOÀN KIỂM TRA", nfc(data.team[0]) if data.team else "")]
    story.append(doc.signature_row(signers, per_row=2))
    return doc.build(story)


FINDING_COLUMNS = (
    TableColumn("STT", 10, "CENTER"),
    TableColumn("Nội dung kiểm tra", 76),
    TableColumn("Kết quả", 26, "CENTER"),
    TableColumn("Nhận xét", 52),
)


def build_inspection_minutes(
    data: InspectionMinutesData, path: Path, progress: Callable[[float], None] | None = None
) -> Path:
    doc = Decree30Document(
        path,
        data.trace,
        title=f"Biên bản kiểm tra {nfc(data.unit_name)}",
        progress=progress,
        expected_pages=2 + len(data.findings) // 25,
    )
    story: list = []
    story += doc.heading(data.letterhead, data.number, data.symbol, data.closed_on)
    story += doc.doc_title("BIÊN BẢN KIỂM TRA", data.subject)
    story.append(
        doc.para(
            f"Ngày {format_date(data.visit_on)}"
            + (
                f" đến ngày {format_date(data.closed_on)}"
                if data.closed_on != data.visit_on
                else ""
            )
            + ".",
            label="Thời gian:",
        )
    )
    story.append(doc.para(f"{nfc(data.place)}.", label="Địa điểm:"))
    story.append(doc.para("", label="Thành phần đoàn kiểm tra:"))
    for i, name in enumerate(data.team, start=1):
        role = " - Trưởng đoàn" if i == 1 else ""
        story.append(doc.para(f"{i}. Ông/Bà {nfc(name)}{role};"))
    story.append(doc.para("", label=f"Đại diện {nfc(data.unit_name)}:"))
    if data.commune_reps:
        for i, name in enumerate(data.commune_reps, start=1):
            story.append(doc.para(f"{i}. Ông/Bà {nfc(name)};"))
    else:
        story.append(doc.para("(ghi họ tên, chức vụ) ................................"))
    story.append(doc.section("I. KẾT QUẢ KIỂM TRA"))
    rows = [(str(i), f.label, f.finding, f.note) for i, f in enumerate(data.findings, start=1)]
    story.append(doc.table(FINDING_COLUMNS, rows))
    story.append(doc.section("II. YÊU CẦU KHẮC PHỤC"))
    requests = [
        f"{f.label}: {f.note}"
        + (f" (hoàn thành trước ngày {format_date(f.fix_by)})" if f.fix_by else "")
        for f in data.findings
        if f.fix_by is not None or f.finding == "Có tồn tại"
    ]
    if requests:
        story += doc.bullets(requests)
    else:
        story.append(doc.para("Không có tồn tại phải khắc phục."))
    if data.conclusion:
        story.append(doc.section("III. KẾT LUẬN"))
        story.append(doc.para(data.conclusion))
    closing = doc.para(
        "Biên bản đã được đọc lại cho các thành viên cùng nghe, thống nhất ký tên. Biên bản "
        f"được lập thành {data.copies:02d} bản có giá trị như nhau, mỗi bên giữ 01 bản./."
    )
    story.append(doc.signature_row(list(data.signers), per_row=2, lead=[closing]))
    return doc.build(story)
