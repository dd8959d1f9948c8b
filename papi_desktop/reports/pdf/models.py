"""Plain data the PDF documents are built from (no database access in the PDF layer).

A service fills these dataclasses from the store and hands them to the ``build_*``
functions. Text is plain (no markup); the layout NFC-normalises and escapes it. Dates are
``datetime.date`` (times ``datetime.datetime``); the caller computes every deadline and
posting period, the documents only print them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# ---- shared pieces ---------------------------------------------------------------------


@dataclass(frozen=True)
class Letterhead:
    """Cell 2 of the heading and the place of the date line.

    ``issuing_body`` is one line per printed line, e.g. ("ỦY BAN NHÂN DÂN", "XÃ NINH HÒA");
    ``place`` is the unit's name for the date line, e.g. "Ninh Hòa".
    """

    issuing_body: tuple[str, ...]
    place: str
    parent_body: str | None = None


@dataclass(frozen=True)
class Trace:
    """What every printed page names so paper traces back to data (DESIGN §6)."""

    unit: str  # "Xã Ninh Hòa, tỉnh Khánh Hòa"
    period: str  # "Năm 2026", "Quý I/2026"
    framework_version: int | str | None = None

    def footer_text(self) -> str:
        parts = ["PAPI Desktop", self.unit, self.period]
        if self.framework_version not in (None, ""):
            parts.append(f"Khung nhiệm vụ v{self.framework_version}")
        return " · ".join(p for p in parts if p)


@dataclass(frozen=True)
class Signer:
    """Cell 7: "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH" / name, or "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"."""

    name: str
    position: str = "CHỦ TỊCH"
    authority: str | None = "TM. ỦY BAN NHÂN DÂN"


@dataclass(frozen=True)
class MinutesSigner:
    """One signature column of a minutes: the role printed above the name."""

    title: str  # "ĐẠI DIỆN UBND XÃ", "ĐẠI DIỆN UBMTTQ XÃ", "TRƯỞNG THÔN", "NGƯỜI CHỨNG KIẾN"
    name: str


@dataclass(frozen=True)
class TableColumn:
    """A column of a content table: header, width in millimetres, cell alignment."""

    header: str
    width_mm: float
    align: str = "LEFT"  # LEFT, CENTER, RIGHT


@dataclass(frozen=True)
class ContentTable:
    """A list printed with a notice (e.g. the poor-household list); header repeats per page."""

    columns: tuple[TableColumn, ...]
    rows: list[tuple[str, ...]]
    title: str = ""
    landscape: bool = False  # print it as a landscape annex after the notice


# Why the two checklists print no "Số: …/…" line: NĐ 30/2020 Phụ lục III gives a symbol
# only to the issued document types (QĐ, TB, BC, KH, BB, DS …, and "UBND-<field>" for an
# official letter). A checklist kept by the office to tick what was done is a working
# paper, not an issued document: it gets no number in the register of outgoing documents,
# and a bare "Số: /UBND" would make it look like an official letter without a field.
NUMBERLESS = "phiếu theo dõi, danh mục theo dõi (tài liệu nội bộ, không cấp số)"

OPEN_END_NOTE = "không có ngày kết thúc; cập nhật khi có thay đổi"

PERIOD_UNITS = ("calendar", "working")


@dataclass(frozen=True)
class PostingPlace:
    """Where a document is posted, and the period there (computed by the caller).

    ``end`` is None for a permanent posting (administrative procedures, land-use plan,
    democracy regulation …); it then prints "niêm yết thường xuyên từ ngày … (open_note)",
    ``open_note`` saying how long it stays up for that type.

    ``planned`` marks a place not posted yet: its dates are the expected ones and print as
    "dự kiến từ ngày … đến hết ngày …". ``days`` is the length of this place's own period
    (printed per place when places differ); ``taken_down`` is set when the sheet came down
    before the end of ``end`` (the period then prints "đến ngày …", not "đến hết ngày");
    ``note`` is printed after the period.
    """

    name: str  # "Trụ sở UBND xã Ninh Hòa", "Nhà văn hóa thôn Phú Thọ"
    start: date
    end: date | None
    open_note: str = OPEN_END_NOTE
    planned: bool = False
    days: int | None = None
    taken_down: bool = False
    note: str = ""


# ---- posting notice --------------------------------------------------------------------


@dataclass
class PostingNoticeData:
    """THÔNG BÁO "Về việc niêm yết công khai <title>" (disclosure.md §5.5)."""

    letterhead: Letterhead
    trace: Trace
    number: int | None
    issued_on: date
    title: str  # "danh sách hộ nghèo, hộ cận nghèo năm 2026"
    legal_bases: list[str]
    posted_document: str  # "Quyết định số 12/QĐ-UBND ngày 02/01/2026 của UBND xã … về việc …"
    places: list[PostingPlace]
    comment_how: str  # "gửi ý kiến trực tiếp tại bộ phận một cửa, qua hòm thư góp ý …"
    comment_until: date | None  # None: comments are taken as long as it stays posted
    contact_name: str
    contact_position: str
    contact_phone: str
    signer: Signer
    recipients: list[str] = field(default_factory=list)
    archive: str = "Lưu: VT."
    symbol: str = "TB-UBND"
    other_channels: list[str] = field(default_factory=list)  # loudspeaker, website, …
    content_table: ContentTable | None = None
    period_days: int | None = None  # the required length, printed after each period
    period_unit: str = "calendar"  # "calendar" (ngày) | "working" (ngày làm việc)


# ---- posting minutes -------------------------------------------------------------------


@dataclass(frozen=True)
class Participant:
    """A person present at the posting: name, position and unit."""

    name: str
    position: str
    unit: str = ""


@dataclass(frozen=True)
class Loudspeaker:
    """Announcements on the commune loudspeaker system."""

    announcements: int
    days: int
    start: date
    end: date


@dataclass
class PostingMinutesData:
    """BIÊN BẢN niêm yết / kết thúc niêm yết công khai (disclosure.md §4.2).

    ``kind`` is "start" (opening the posting) or "end" (closing it). For "end" the period
    is the actual one, and ``reposts`` and the opinions are printed: ``opinions_count``
    and ``opinions_summary`` as recorded on the disclosure ("Không có ý kiến." when there
    are none). ``period_end`` None is a permanent posting (its places say how long);
    ``period_days`` counts ``period_unit`` days ("calendar" or "working").
    """

    letterhead: Letterhead
    trace: Trace
    kind: str  # "start" | "end"
    number: int | None
    title: str  # item name: "danh sách hộ nghèo, hộ cận nghèo năm 2026"
    act_time: datetime
    act_place: str
    legal_bases: list[str]
    participants: list[Participant]
    posted_documents: list[str]  # "Quyết định số 12/QĐ-UBND … (03 trang)"
    places: list[PostingPlace]
    period_start: date
    period_end: date | None
    period_days: int | None
    closing_time: datetime
    copies: int
    signers: list[MinutesSigner]
    comment_channel: str = ""  # how and to whom citizens comment
    loudspeaker: Loudspeaker | None = None
    other_channels: list[str] = field(default_factory=list)
    # Section 5 of the end minutes: every interruption (early take-down) and re-posting;
    # empty means the sheets stayed up without a break.
    reposts: list[str] = field(default_factory=list)  # "Ngày 20/01/2026 niêm yết lại tại …"
    not_posted: list[str] = field(default_factory=list)  # places where it is not posted yet
    opinions_count: int = 0
    opinions_summary: str = ""  # one opinion (or group of opinions) per line
    conclusion: str = ""
    symbol: str = "BB-UBND"
    period_unit: str = "calendar"  # "calendar" | "working"
    recipients: list[str] = field(default_factory=list)
    archive: str = "Lưu: VT, Hồ sơ."


# ---- quarterly disclosure register ----------------------------------------------------


@dataclass(frozen=True)
class RegisterEntry:
    """One row of the quarterly register of what was disclosed."""

    content: str
    document: str  # "QĐ số 12/QĐ-UBND ngày 02/01/2026"
    forms: str  # "Niêm yết; loa truyền thanh; trang thông tin điện tử"
    places: str
    posted_from: date | None
    posted_to: date | None
    note: str = ""


@dataclass
class DisclosureRegisterData:
    """DANH MỤC CÁC NỘI DUNG ĐÃ CÔNG KHAI quý N/YYYY (Luật 10/2022/QH15, Điều 13)."""

    letterhead: Letterhead
    trace: Trace
    quarter: int
    year: int
    entries: list[RegisterEntry]
    issued_on: date
    signer: Signer
    number: int | None = None
    symbol: str = "DM-UBND"
    legal_bases: list[str] = field(default_factory=list)
    closing: str = ""  # last paragraph, kept on the page of the signature
    recipients: list[str] = field(default_factory=list)
    archive: str = "Lưu: VT."


# ---- task framework, checklists and report --------------------------------------------


@dataclass(frozen=True)
class FrameworkTask:
    code: str  # "1.2"
    title: str
    lead: str  # chủ trì
    partners: str = ""  # phối hợp
    deadline: str = ""  # "Trước 31/3/2026", "Hằng quý"
    product: str = ""  # sản phẩm


@dataclass(frozen=True)
class DimensionGroup:
    """A PAPI dimension with its tasks, in print order."""

    code: str  # "1"
    name: str  # "Tham gia của người dân ở cấp cơ sở"
    tasks: tuple[FrameworkTask, ...]


@dataclass
class FrameworkSheetData:
    """The PAPI task framework as a sheet to post at the commune office and villages."""

    letterhead: Letterhead
    trace: Trace
    title: str  # "Khung nhiệm vụ nâng cao Chỉ số PAPI năm 2026"
    framework_version: int | str
    dimensions: list[DimensionGroup]
    issued_on: date
    signer: Signer
    number: int | None = None
    symbol: str = "KH-UBND"
    intro: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    archive: str = "Lưu: VT."


TASK_STATUSES: tuple[tuple[str, str], ...] = (
    ("done", "Hoàn thành"),
    ("in_progress", "Đang thực hiện"),
    ("not_done", "Chưa thực hiện"),
    ("not_applicable", "Không áp dụng"),
)


@dataclass(frozen=True)
class ChecklistTask:
    """A task line of the checklist; status is one of ``TASK_STATUSES`` keys or None."""

    code: str
    title: str
    lead: str = ""
    deadline: str = ""
    status: str | None = None
    result: str = ""
    done_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class ChecklistGroup:
    code: str
    name: str
    tasks: tuple[ChecklistTask, ...]


@dataclass
class TaskChecklistData:
    """Tasks with status boxes, grouped by dimension; ``filled=False`` prints blanks."""

    letterhead: Letterhead
    trace: Trace
    title: str  # "Theo dõi thực hiện Khung nhiệm vụ PAPI năm 2026"
    period: str  # "Quý I/2026"
    groups: list[ChecklistGroup]
    filled: bool
    issued_on: date | None = None
    number: int | None = None
    symbol: str | None = None  # an internal working paper: no number line (see NUMBERLESS)
    prepared_by: MinutesSigner | None = None
    approved_by: MinutesSigner | None = None


@dataclass(frozen=True)
class ExpectedDisclosure:
    """One disclosure the yearly plan expects, with what happened to it (if filled)."""

    title: str
    legal_basis: str
    deadline: date | None
    period_from: date | None
    period_to: date | None
    places: str
    forms: str
    posted: bool | None = None
    minutes_signed: bool | None = None
    taken_down: bool | None = None
    note: str = ""


@dataclass
class DisclosureChecklistData:
    """Every expected disclosure of the year (or of ``quarter`` 1–4 of it) with its legal
    deadline and evidence boxes."""

    letterhead: Letterhead
    trace: Trace
    year: int
    items: list[ExpectedDisclosure]
    filled: bool
    issued_on: date | None = None
    number: int | None = None
    symbol: str | None = None  # an internal working paper: no number line (see NUMBERLESS)
    prepared_by: MinutesSigner | None = None
    approved_by: MinutesSigner | None = None
    quarter: int | None = None


@dataclass(frozen=True)
class DimensionProgress:
    """Done / applicable tasks of one dimension; the percent is None when nothing applies."""

    code: str
    name: str
    done: int
    applicable: int

    @property
    def percent(self) -> float | None:
        if self.applicable <= 0:
            return None
        return 100.0 * self.done / self.applicable


@dataclass(frozen=True)
class UnfinishedTask:
    code: str
    title: str
    lead: str
    reason: str


@dataclass(frozen=True)
class DisclosureOutcome:
    """One disclosure of the period and whether it was on time, late or missing."""

    title: str
    deadline: date | None
    posted_on: date | None
    status: str  # "on_time" | "late" | "missing"
    note: str = ""


@dataclass
class ProgressReportData:
    """BÁO CÁO kết quả thực hiện Khung nhiệm vụ PAPI in a period."""

    letterhead: Letterhead
    trace: Trace
    number: int | None
    issued_on: date
    period: str  # "quý I năm 2026"
    framework_title: str  # "Khung nhiệm vụ nâng cao Chỉ số PAPI năm 2026"
    framework_version: int | str
    dimensions: list[DimensionProgress]
    unfinished: list[UnfinishedTask]
    disclosures: list[DisclosureOutcome]
    signer: Signer
    legal_bases: list[str] = field(default_factory=list)
    intro: list[str] = field(default_factory=list)
    proposals: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    archive: str = "Lưu: VT."
    symbol: str = "BC-UBND"
    # The supervising office's own report: its own subject line, and no disclosure section
    # (disclosures are the communes' duty).
    subject: str | None = None
    disclosure_section: bool = True
