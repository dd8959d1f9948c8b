"""Realistic sample data for every PDF document (a fictitious commune, Ninh Hòa).

Used by the PDF tests, by the sample page images ``assets/samples/pdf_*.png`` and as a
worked example of how a service fills the dataclasses of ``models``. Names and numbers are made
up; the legal bases are the real ones the documents cite.
"""

from __future__ import annotations

from datetime import date, datetime

from papi_desktop.reports.pdf.models import (
    ChecklistGroup,
    ChecklistTask,
    ContentTable,
    DimensionGroup,
    DimensionProgress,
    DisclosureChecklistData,
    DisclosureOutcome,
    DisclosureRegisterData,
    ExpectedDisclosure,
    FrameworkSheetData,
    FrameworkTask,
    Letterhead,
    Loudspeaker,
    MinutesSigner,
    Participant,
    PostingMinutesData,
    PostingNoticeData,
    PostingPlace,
    ProgressReportData,
    RegisterEntry,
    Signer,
    TableColumn,
    TaskChecklistData,
    Trace,
    UnfinishedTask,
)

LETTERHEAD = Letterhead(issuing_body=("ỦY BAN NHÂN DÂN", "XÃ NINH HÒA"), place="Ninh Hòa")
UNIT = "Xã Ninh Hòa, tỉnh Khánh Hòa"
CHAIR = Signer(name="Nguyễn Văn Thành")
VICE_CHAIR = Signer(name="Trần Thị Ánh Tuyết", position="PHÓ CHỦ TỊCH", authority="KT. CHỦ TỊCH")

VILLAGES = ("Phú Thọ", "Tân Phong", "Mỹ Lợi", "Vạn Hữu", "Ninh Ích")

_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ")
_MIDDLE = ("Văn", "Thị", "Hữu", "Ngọc", "Minh", "Thanh", "Đức", "Thị Kim")
_GIVEN = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hằng",
    "Hùng",
    "Lan",
    "Lộc",
    "Mai",
    "Nghĩa",
    "Phượng",
    "Quý",
    "Sơn",
    "Thảo",
    "Tuấn",
    "Uyên",
    "Xuân",
    "Yến",
)


def household_rows(count: int) -> list[tuple[str, ...]]:
    """``count`` rows of a poor / near-poor household list (deterministic)."""
    rows = []
    for i in range(count):
        name = f"{_SURNAMES[i % 10]} {_MIDDLE[(i // 10) % 8]} {_GIVEN[(i * 7) % 18]}"
        kind = "Hộ nghèo" if i % 3 else "Hộ cận nghèo"
        note = "Hộ có người khuyết tật, thuộc diện bảo trợ xã hội" if i % 97 == 5 else ""
        rows.append((str(i + 1), name, f"Thôn {VILLAGES[i % 5]}", str(1 + (i * 3) % 7), kind, note))
    return rows


HOUSEHOLD_COLUMNS = (
    TableColumn("STT", 12, "CENTER"),
    TableColumn("Họ và tên chủ hộ", 47),
    TableColumn("Thôn", 36),
    TableColumn("Số khẩu", 17, "CENTER"),
    TableColumn("Phân loại", 29, "CENTER"),
    TableColumn("Ghi chú", 24),
)


def _places(start: date, end: date) -> list[PostingPlace]:
    return [PostingPlace("Trụ sở Ủy ban nhân dân xã Ninh Hòa", start, end)] + [
        PostingPlace(f"Nhà văn hóa thôn {v}", start, end) for v in VILLAGES
    ]


def posting_notice(rows: int = 0) -> PostingNoticeData:
    table = (
        ContentTable(HOUSEHOLD_COLUMNS, household_rows(rows), "Danh sách hộ nghèo, hộ cận nghèo")
        if rows
        else None
    )
    return PostingNoticeData(
        letterhead=LETTERHEAD,
        trace=Trace(UNIT, "Năm 2026", 3),
        number=5,
        issued_on=date(2026, 1, 5),
        title="danh sách hộ nghèo, hộ cận nghèo năm 2026 trên địa bàn xã",
        legal_bases=[
            "Căn cứ Luật Thực hiện dân chủ ở cơ sở ngày 10 tháng 11 năm 2022",
            "Căn cứ Nghị định số 59/2023/NĐ-CP ngày 14 tháng 8 năm 2023 của Chính phủ quy định "
            "chi tiết một số điều của Luật Thực hiện dân chủ ở cơ sở",
            "Căn cứ Quyết định số 12/QĐ-UBND ngày 02 tháng 01 năm 2026 của Ủy ban nhân dân xã "
            "Ninh Hòa phê duyệt danh sách hộ nghèo, hộ cận nghèo năm 2026",
        ],
        posted_document="Quyết định số 12/QĐ-UBND ngày 02/01/2026 của Ủy ban nhân dân xã Ninh "
        "Hòa về việc phê duyệt danh sách hộ nghèo, hộ cận nghèo năm 2026 và danh sách kèm theo.",
        places=_places(date(2026, 1, 6), date(2026, 2, 4)),
        comment_how="trực tiếp tại Bộ phận Một cửa Ủy ban nhân dân xã, qua hòm thư góp ý đặt "
        "tại trụ sở hoặc qua Trưởng thôn nơi cư trú",
        comment_until=date(2026, 2, 4),
        contact_name="Lê Thị Hồng Nhung",
        contact_position="Bà",
        contact_phone="0258 3845 112",
        signer=CHAIR,
        recipients=["Đảng ủy xã (b/c)", "TT HĐND xã", "UBMTTQ Việt Nam xã", "Trưởng các thôn"],
        archive="Lưu: VT, VHXH.",
        other_channels=[
            "Thông báo trên hệ thống loa truyền thanh xã 03 ngày liên tục",
            "Đăng trên Trang thông tin điện tử xã Ninh Hòa",
        ],
        content_table=table,
    )


def posting_minutes(kind: str) -> PostingMinutesData:
    end = kind == "end"
    return PostingMinutesData(
        letterhead=LETTERHEAD,
        trace=Trace(UNIT, "Năm 2026", 3),
        kind=kind,
        number=9 if end else 6,
        title="danh sách hộ nghèo, hộ cận nghèo năm 2026",
        act_time=datetime(2026, 2, 5, 8, 0) if end else datetime(2026, 1, 6, 7, 30),
        act_place="Trụ sở Ủy ban nhân dân xã Ninh Hòa, thôn Phú Thọ, xã Ninh Hòa",
        legal_bases=[
            "Căn cứ Điều 11, Điều 13 Luật Thực hiện dân chủ ở cơ sở ngày 10 tháng 11 năm 2022",
            "Căn cứ Quyết định số 12/QĐ-UBND ngày 02/01/2026 của Ủy ban nhân dân xã Ninh Hòa",
        ],
        participants=[
            Participant("Trần Thị Ánh Tuyết", "Phó Chủ tịch", "UBND xã"),
            Participant("Lê Thị Hồng Nhung", "Công chức Văn hóa - Xã hội", "UBND xã"),
            Participant("Phạm Văn Lộc", "Phó Chủ tịch", "Ủy ban MTTQ Việt Nam xã"),
            Participant("Huỳnh Văn Sơn", "Trưởng thôn Phú Thọ"),
            Participant("Đỗ Thị Mai", "Người dân, thôn Phú Thọ (người chứng kiến)"),
        ],
        posted_documents=[
            "Quyết định số 12/QĐ-UBND ngày 02/01/2026 (02 trang)",
            "Danh sách hộ nghèo, hộ cận nghèo năm 2026 (24 trang)",
        ],
        places=_places(date(2026, 1, 6), date(2026, 2, 4)),
        period_start=date(2026, 1, 6),
        period_end=date(2026, 2, 4),
        period_days=30,
        closing_time=datetime(2026, 2, 5, 8, 45) if end else datetime(2026, 1, 6, 8, 15),
        copies=3,
        signers=[
            MinutesSigner("Đại diện UBND xã", "Trần Thị Ánh Tuyết"),
            MinutesSigner("Đại diện UBMTTQ xã", "Phạm Văn Lộc"),
            MinutesSigner("Trưởng thôn", "Huỳnh Văn Sơn"),
            MinutesSigner("Người chứng kiến", "Đỗ Thị Mai"),
        ],
        comment_channel="gửi trực tiếp tại Bộ phận Một cửa hoặc qua Trưởng thôn; người tiếp "
        "nhận: bà Lê Thị Hồng Nhung, điện thoại 0258 3845 112",
        loudspeaker=Loudspeaker(6, 3, date(2026, 1, 6), date(2026, 1, 8)),
        other_channels=["Đăng trên Trang thông tin điện tử xã Ninh Hòa"],
        reposts=[
            "Ngày 20/01/2026 niêm yết lại tại Nhà văn hóa thôn Mỹ Lợi do bản niêm yết bị "
            "mưa làm hư hỏng"
        ]
        if end
        else [],
        opinions_count=1 if end else 0,
        opinions_summary="Bà Võ Thị Lan, thôn Tân Phong đề nghị xem xét bổ sung hộ ông Bùi Văn "
        "Quý; đã chuyển Ban giảm nghèo xã rà soát"
        if end
        else "",
        conclusion="Việc niêm yết được thực hiện đúng quy định; Ủy ban nhân dân xã tổng hợp ý "
        "kiến, trình công nhận kết quả rà soát."
        if end
        else "",
    )


def disclosure_register() -> DisclosureRegisterData:
    q_entries = [
        RegisterEntry(
            "Danh sách hộ nghèo, hộ cận nghèo năm 2026",
            "QĐ số 12/QĐ-UBND ngày 02/01/2026",
            "Niêm yết; loa truyền thanh; trang TTĐT",
            "Trụ sở UBND xã; 05 nhà văn hóa thôn",
            date(2026, 1, 6),
            date(2026, 2, 4),
        ),
        RegisterEntry(
            "Dự toán ngân sách xã năm 2026 đã được HĐND xã quyết định",
            "NQ số 25/NQ-HĐND ngày 20/12/2025",
            "Niêm yết; loa truyền thanh",
            "Trụ sở UBND xã",
            date(2026, 1, 8),
            date(2026, 2, 6),
        ),
        RegisterEntry(
            "Tình hình thực hiện dự toán ngân sách quý IV/2025",
            "BC số 03/BC-UBND ngày 10/01/2026",
            "Niêm yết",
            "Trụ sở UBND xã",
            date(2026, 1, 12),
            date(2026, 2, 10),
            "Niêm yết sau hạn 01 ngày",
        ),
        RegisterEntry(
            "Kế hoạch sử dụng đất năm 2026 của xã",
            "QĐ số 101/QĐ-UBND ngày 26/12/2025",
            "Niêm yết; trang TTĐT",
            "Trụ sở UBND xã; nhà văn hóa các thôn",
            date(2026, 1, 15),
            None,
            "Công khai trong suốt kỳ kế hoạch",
        ),
    ]
    return DisclosureRegisterData(
        letterhead=LETTERHEAD,
        trace=Trace(UNIT, "Quý I/2026", 3),
        quarter=1,
        year=2026,
        entries=q_entries,
        issued_on=date(2026, 4, 2),
        signer=CHAIR,
        number=2,
        legal_bases=["Căn cứ Điều 13 Luật Thực hiện dân chủ ở cơ sở ngày 10 tháng 11 năm 2022"],
        recipients=["UBND tỉnh Khánh Hòa (Sở Nội vụ)", "TT Đảng ủy, TT HĐND xã"],
    )


FRAMEWORK_DIMENSIONS = [
    DimensionGroup(
        "1",
        "Tham gia của người dân ở cấp cơ sở",
        (
            FrameworkTask(
                "1.1",
                "Tổ chức bầu cử trưởng thôn đúng quy định, công khai danh sách "
                "cử tri và kết quả bầu cử",
                "Văn phòng - Thống kê",
                "UBMTTQ xã, các thôn",
                "Theo nhiệm kỳ",
                "Biên bản, quyết định công nhận",
            ),
            FrameworkTask(
                "1.2",
                "Vận động Nhân dân đóng góp tự nguyện, công khai các khoản đóng góp",
                "Tài chính - Kế toán",
                "Trưởng thôn",
                "Hằng quý",
                "Bảng công khai",
            ),
        ),
    ),
    DimensionGroup(
        "2",
        "Công khai, minh bạch trong việc ra quyết định ở địa phương",
        (
            FrameworkTask(
                "2.1",
                "Niêm yết danh sách hộ nghèo, hộ cận nghèo tại trụ sở và nhà văn hóa "
                "thôn đủ 30 ngày",
                "Văn hóa - Xã hội",
                "Trưởng thôn",
                "05 ngày làm việc từ khi phê duyệt",
                "Biên bản niêm yết, kết thúc niêm yết",
            ),
            FrameworkTask(
                "2.2",
                "Công khai quy hoạch, kế hoạch sử dụng đất và khung giá bồi thường",
                "Địa chính - Xây dựng",
                "Văn phòng - Thống kê",
                "Trước 31/3/2026",
                "Thông báo, ảnh niêm yết",
            ),
            FrameworkTask(
                "2.3",
                "Công khai dự toán, quyết toán và tình hình thực hiện ngân sách xã",
                "Tài chính - Kế toán",
                "",
                "15 ngày sau khi kết thúc quý",
                "Biểu công khai, biên bản",
            ),
        ),
    ),
    DimensionGroup(
        "3",
        "Trách nhiệm giải trình với người dân",
        (
            FrameworkTask(
                "3.1",
                "Tổ chức đối thoại của Chủ tịch UBND xã với Nhân dân",
                "Chủ tịch UBND xã",
                "UBMTTQ xã",
                "06 tháng/lần",
                "Biên bản đối thoại",
            ),
        ),
    ),
    DimensionGroup(
        "4",
        "Kiểm soát tham nhũng trong khu vực công",
        (
            FrameworkTask(
                "4.1",
                "Công khai bản kê khai tài sản, thu nhập của người có nghĩa vụ kê khai",
                "Văn phòng - Thống kê",
                "Công đoàn cơ sở",
                "Trước 31/3/2026",
                "Biên bản công khai",
            ),
        ),
    ),
    DimensionGroup(
        "5",
        "Thủ tục hành chính công",
        (
            FrameworkTask(
                "5.1",
                "Niêm yết đầy đủ thủ tục hành chính tại Bộ phận Một cửa",
                "Văn phòng - Thống kê",
                "",
                "Thường xuyên",
                "Bảng niêm yết",
            ),
            FrameworkTask(
                "5.2",
                "Trả kết quả đúng hẹn, xin lỗi khi trễ hẹn",
                "Bộ phận Một cửa",
                "",
                "Thường xuyên",
                "Sổ theo dõi, phiếu xin lỗi",
            ),
        ),
    ),
    DimensionGroup(
        "6",
        "Cung ứng dịch vụ công",
        (
            FrameworkTask(
                "6.1",
                "Kiểm tra an ninh trật tự, vệ sinh môi trường khu dân cư",
                "Công an xã",
                "Các thôn",
                "Hằng tháng",
                "Báo cáo",
            ),
        ),
    ),
    DimensionGroup(
        "7",
        "Quản trị môi trường",
        (
            FrameworkTask(
                "7.1",
                "Thu gom, xử lý rác thải sinh hoạt ở các thôn",
                "Địa chính - Xây dựng",
                "Các thôn",
                "Hằng tháng",
                "Báo cáo kết quả",
            ),
        ),
    ),
    DimensionGroup(
        "8",
        "Quản trị điện tử",
        (
            FrameworkTask(
                "8.1",
                "Cập nhật thông tin lên Trang thông tin điện tử xã",
                "Văn phòng - Thống kê",
                "Các bộ phận",
                "Hằng tuần",
                "Tin, bài đăng tải",
            ),
        ),
    ),
]


def framework_sheet() -> FrameworkSheetData:
    return FrameworkSheetData(
        letterhead=LETTERHEAD,
        trace=Trace(UNIT, "Năm 2026", 3),
        title="Khung nhiệm vụ nâng cao Chỉ số PAPI năm 2026",
        framework_version=3,
        dimensions=FRAMEWORK_DIMENSIONS,
        issued_on=date(2026, 1, 15),
        signer=VICE_CHAIR,
        number=7,
        intro=[
            "Thực hiện Kế hoạch của Ủy ban nhân dân tỉnh Khánh Hòa về nâng cao Chỉ số hiệu quả "
            "quản trị và hành chính công cấp tỉnh (PAPI) năm 2026, Ủy ban nhân dân xã niêm yết "
            "Khung nhiệm vụ dưới đây tại trụ sở và nhà văn hóa các thôn để Nhân dân theo dõi."
        ],
        recipients=["UBND tỉnh (Sở Nội vụ)", "Các thôn"],
    )


def _checklist_groups(filled: bool) -> list[ChecklistGroup]:
    statuses = ("done", "in_progress", "not_done", "not_applicable")
    groups = []
    k = 0
    for dim in FRAMEWORK_DIMENSIONS:
        tasks = []
        for t in dim.tasks:
            status = statuses[k % 4] if filled else None
            k += 1
            tasks.append(
                ChecklistTask(
                    t.code,
                    t.title,
                    t.lead,
                    t.deadline,
                    status,
                    result=("Đã niêm yết đủ 30 ngày, có biên bản" if status == "done" else "")
                    if filled
                    else "",
                    done_on=date(2026, 2, 5) if filled and status == "done" else None,
                    note=("Chờ quyết định phê duyệt" if status == "not_done" else "")
                    if filled
                    else "",
                )
            )
        groups.append(ChecklistGroup(dim.code, dim.name, tuple(tasks)))
    return groups


def task_checklist(filled: bool) -> TaskChecklistData:
    return TaskChecklistData(
        letterhead=LETTERHEAD,
        trace=Trace(UNIT, "Quý I/2026", 3),
        title="Theo dõi thực hiện Khung nhiệm vụ PAPI năm 2026",
        period="Quý I/2026",
        groups=_checklist_groups(filled),
        filled=filled,
        issued_on=date(2026, 3, 31) if filled else None,
        prepared_by=MinutesSigner("Người lập", "Lê Thị Hồng Nhung" if filled else ""),
        approved_by=MinutesSigner("Lãnh đạo UBND xã", "Trần Thị Ánh Tuyết" if filled else ""),
    )


def disclosure_checklist(filled: bool) -> DisclosureChecklistData:
    items = [
        ExpectedDisclosure(
            "Dự toán ngân sách xã năm 2026 đã được HĐND quyết định",
            "TT 26/2026/TT-BTC Điều 26",
            date(2026, 1, 19),
            date(2026, 1, 8),
            date(2026, 2, 6),
            "Trụ sở UBND xã; nhà văn hóa thôn",
            "Niêm yết; loa truyền thanh; trang TTĐT",
            True,
            True,
            True,
        ),
        ExpectedDisclosure(
            "Tình hình thực hiện dự toán ngân sách quý I/2026",
            "TT 26/2026/TT-BTC Điều 26(3)",
            date(2026, 4, 15),
            None,
            None,
            "Trụ sở UBND xã",
            "Niêm yết; loa truyền thanh",
            False,
            False,
            False,
            "Chưa đến hạn",
        ),
        ExpectedDisclosure(
            "Danh sách hộ nghèo, hộ cận nghèo năm 2026",
            "Luật 10/2022/QH15 Điều 11, 13",
            date(2026, 1, 9),
            date(2026, 1, 6),
            date(2026, 2, 4),
            "Trụ sở UBND xã; 05 nhà văn hóa thôn",
            "Niêm yết; loa 03 ngày",
            True,
            True,
            None,
        ),
        ExpectedDisclosure(
            "Kết quả giải quyết thủ tục hành chính quý I/2026",
            "Luật 10/2022/QH15 Điều 11",
            date(2026, 4, 10),
            None,
            None,
            "Bộ phận Một cửa",
            "Niêm yết; trang TTĐT",
            None,
            None,
            None,
        ),
    ]
    if not filled:
        items = [
            ExpectedDisclosure(
                i.title, i.legal_basis, i.deadline, i.period_from, i.period_to, i.places, i.forms
            )
            for i in items
        ]
    return DisclosureChecklistData(
        letterhead=LETTERHEAD,
        trace=Trace(UNIT, "Năm 2026", 3),
        year=2026,
        items=items,
        filled=filled,
        issued_on=date(2026, 3, 31) if filled else None,
        prepared_by=MinutesSigner("Người lập", "Lê Thị Hồng Nhung" if filled else ""),
        approved_by=MinutesSigner("Lãnh đạo UBND xã", "Trần Thị Ánh Tuyết" if filled else ""),
    )


def progress_report() -> ProgressReportData:
    dims = [
        DimensionProgress("1", "Tham gia của người dân ở cấp cơ sở", 4, 5),
        DimensionProgress("2", "Công khai, minh bạch", 6, 6),
        DimensionProgress("3", "Trách nhiệm giải trình với người dân", 1, 3),
        DimensionProgress("4", "Kiểm soát tham nhũng trong khu vực công", 2, 4),
        DimensionProgress("5", "Thủ tục hành chính công", 5, 5),
        DimensionProgress("6", "Cung ứng dịch vụ công", 3, 4),
        DimensionProgress("7", "Quản trị môi trường", 0, 0),
        DimensionProgress("8", "Quản trị điện tử", 2, 3),
    ]
    return ProgressReportData(
        letterhead=LETTERHEAD,
        trace=Trace(UNIT, "Quý I/2026", 3),
        number=15,
        issued_on=date(2026, 4, 3),
        period="quý I năm 2026",
        framework_title="Khung nhiệm vụ nâng cao Chỉ số PAPI năm 2026",
        framework_version=3,
        dimensions=dims,
        unfinished=[
            UnfinishedTask(
                "3.1",
                "Tổ chức đối thoại của Chủ tịch UBND xã với Nhân dân",
                "Chủ tịch UBND xã",
                "Lùi sang tháng 4 do trùng lịch bầu cử",
            ),
            UnfinishedTask(
                "4.1",
                "Công khai bản kê khai tài sản, thu nhập",
                "Văn phòng - Thống kê",
                "Chưa nhận đủ bản kê khai",
            ),
        ],
        disclosures=[
            DisclosureOutcome(
                "Danh sách hộ nghèo, hộ cận nghèo năm 2026",
                date(2026, 1, 9),
                date(2026, 1, 6),
                "on_time",
            ),
            DisclosureOutcome(
                "Dự toán ngân sách xã năm 2026", date(2026, 1, 19), date(2026, 1, 8), "on_time"
            ),
            DisclosureOutcome(
                "Tình hình thực hiện dự toán ngân sách quý IV/2025",
                date(2026, 1, 15),
                date(2026, 1, 16),
                "late",
                "Trễ 01 ngày",
            ),
            DisclosureOutcome(
                "Bản kê khai tài sản, thu nhập năm 2025",
                date(2026, 3, 31),
                None,
                "missing",
                "Chưa nhận đủ bản kê khai",
            ),
        ],
        signer=CHAIR,
        legal_bases=[],
        intro=[
            "Thực hiện Kế hoạch của Ủy ban nhân dân tỉnh Khánh Hòa về nâng cao Chỉ số PAPI "
            "năm 2026, Ủy ban nhân dân xã Ninh Hòa báo cáo kết quả thực hiện quý I năm 2026 "
            "như sau:"
        ],
        proposals=[
            "Đề nghị Sở Nội vụ tổ chức tập huấn nghiệp vụ công khai ngân sách theo "
            "Thông tư 26/2026/TT-BTC cho công chức cấp xã."
        ],
        recipients=["UBND tỉnh Khánh Hòa (Sở Nội vụ)", "TT Đảng ủy, TT HĐND xã"],
    )
