"""Posting documents: the THÔNG BÁO niêm yết công khai and the two posting minutes.

``build_posting_notice`` prints the notice of disclosure.md §5.5 (with an optional content
list, e.g. 1,000 poor households, whose header repeats on every page);
``build_posting_minutes`` prints the BIÊN BẢN of the start or the end of a posting with the
fields of disclosure.md §4.2 and one signature column per signer (§5.4: no date line in
the heading, the time is in the body).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from papi_desktop.domain.dates import format_date
from papi_desktop.errors import UserError
from papi_desktop.reports.pdf.layout import LANDSCAPE, Decree30Document, esc, nfc
from papi_desktop.reports.pdf.models import (
    OPEN_END_NOTE,
    PERIOD_UNITS,
    PostingMinutesData,
    PostingNoticeData,
    PostingPlace,
)

NBSP = "\u00a0"


def days_text(days: int, unit: str = "calendar") -> str:
    """ "30 ngày" / "03 ngày làm việc" (the unit matters: 3 working days can span a week)."""
    if unit not in PERIOD_UNITS:
        raise UserError(
            f"Đơn vị thời gian niêm yết không hợp lệ: {unit!r} (calendar hoặc working).",
            f"Unknown posting period unit {unit!r} (use calendar or working).",
        )
    return f"{days:02d} ngày" + (" làm việc" if unit == "working" else "")


def _period(place: PostingPlace, length: str = "") -> str:
    """ "từ ngày 06/01/2026 đến hết ngày 04/02/2026 (30 ngày)"; a permanent posting prints
    "niêm yết thường xuyên từ ngày 06/01/2026 (<open note>)"."""
    prefix = "dự kiến " if place.planned else ""
    if place.end is None:
        note = nfc(place.open_note).strip().rstrip(".")
        return f"{prefix}niêm yết thường xuyên từ ngày {format_date(place.start)}" + (
            f" ({note})" if note else ""
        )
    until = "đến ngày" if place.taken_down else "đến hết ngày"
    text = f"{prefix}từ ngày {format_date(place.start)} {until} {format_date(place.end)}"
    if place.note:
        length = f"{length}; {nfc(place.note)}" if length else nfc(place.note)
    return f"{text} ({length})" if length else text


def _group_places(places: list[PostingPlace], length: str = "") -> list[tuple[str, str]]:
    """Places that share a period are printed on one line, in the given order (recorded
    postings and planned ones never share a line)."""
    groups: dict[tuple, list[str]] = {}
    for place in places:
        key = (
            place.start,
            place.end,
            place.open_note if place.end is None else "",
            place.planned,
            None,
            place.taken_down,
            place.note,
        )
        groups.setdefault(key, []).append(nfc(place.name))
    return [
        (", ".join(names), _period(PostingPlace("", *key), length)) for key, names in groups.items()
    ]


def _same_period(places: list[PostingPlace]) -> bool:
    """Whether every place has the same dates, length and note (one line says it all)."""
    keys = {(p.start, p.end, p.days, p.taken_down, p.note) for p in places}
    return len(keys) <= 1


def _places_table(doc: Decree30Document, places: list[PostingPlace], unit: str) -> list:
    """Each place with its own from–to dates and number of days (minutes whose places were
    posted, or ended, on different days)."""
    from papi_desktop.reports.pdf.models import TableColumn

    with_notes = any(p.note for p in places)
    columns = [
        TableColumn("STT", 11, "CENTER"),
        TableColumn("Địa điểm niêm yết", 62 if with_notes else 80),
        TableColumn("Từ ngày", 24, "CENTER"),
        TableColumn("Đến hết ngày", 24, "CENTER"),
        TableColumn("Số ngày" if unit == "calendar" else "Số ngày làm việc", 22, "CENTER"),
    ]
    if with_notes:
        columns.append(TableColumn("Ghi chú", 28))
    rows = []
    for i, p in enumerate(places, start=1):
        end = format_date(p.end) if p.end else "thường xuyên"
        if p.taken_down and p.end:
            end = f"{format_date(p.end)} (gỡ trong ngày)"
        row = [str(i), nfc(p.name), format_date(p.start), end, _days(p.days)]
        if with_notes:
            row.append(nfc(p.note))
        rows.append(row)
    return [doc.table(columns, rows)]


def _days(days: int | None) -> str:
    return f"{days:02d}" if days is not None else ""


def _time_words(moment: datetime) -> str:
    """ "08 giờ 30 phút, ngày 05 tháng 01 năm 2026" (minutes body, NĐ 30 Mẫu 1.9)."""
    month = f"{moment.month:02d}" if moment.month <= 2 else str(moment.month)
    return (
        f"{moment.hour:02d} giờ {moment.minute:02d} phút, ngày {moment.day:02d} "
        f"tháng {month} năm {moment.year}"
    )


def _issuer_name(data_body: tuple[str, ...]) -> str:
    """ "Ủy ban nhân dân xã Ninh Hòa" from ("ỦY BAN NHÂN DÂN", "XÃ NINH HÒA")."""
    words = " ".join(nfc(x) for x in data_body).split()
    if not words:
        return ""
    text = " ".join(w.lower() for w in words)
    # Keep the unit's own name capitalised: words after the level word (xã/phường/thị trấn).
    out = []
    after_level = False
    for w in text.split():
        out.append(w.capitalize() if after_level else w)
        if w in {"xã", "phường", "trấn", "đặc"} or (w == "khu" and out[-2:-1] == ["đặc"]):
            after_level = True
    name = " ".join(out)
    return name[:1].upper() + name[1:]


def build_posting_notice(
    data: PostingNoticeData,
    path: Path,
    progress: Callable[[float], None] | None = None,
) -> Path:
    """THÔNG BÁO "Về việc niêm yết công khai <title>", signed TM./KT. UBND."""
    if not data.places:
        raise UserError(
            "Thông báo niêm yết cần ít nhất một địa điểm niêm yết.",
            "A posting notice needs at least one posting place.",
        )
    rows = len(data.content_table.rows) if data.content_table else 0
    doc = Decree30Document(
        path,
        data.trace,
        title=f"Thông báo niêm yết công khai {nfc(data.title)}",
        progress=progress,
        expected_pages=2 + rows // 30,
    )
    issuer = _issuer_name(data.letterhead.issuing_body)
    story: list = []
    story += doc.heading(data.letterhead, data.number, data.symbol, data.issued_on)
    story += doc.doc_title("THÔNG BÁO", f"Về việc niêm yết công khai {nfc(data.title)}")
    story += doc.legal_bases(data.legal_bases)
    story.append(doc.para(f"{issuer} thông báo niêm yết công khai {nfc(data.title)} như sau:"))
    story.append(doc.para(nfc(data.posted_document), label="1. Nội dung niêm yết:"))
    story.append(doc.para("", label="2. Địa điểm và thời gian niêm yết:"))
    length = days_text(data.period_days, data.period_unit) if data.period_days is not None else ""
    story += doc.bullets(
        [f"{names}: {period}" for names, period in _group_places(data.places, length)]
    )
    if any(p.planned for p in data.places):
        story.append(
            doc.para(
                "(Ngày “dự kiến” là ngày niêm yết tính từ ngày ban hành thông báo này; "
                "ngày niêm yết thực tế được ghi trong biên bản niêm yết tại từng địa điểm.)"
            )
        )
    if data.other_channels:
        story.append(doc.para("", label="3. Hình thức công khai khác:"))
        story += doc.bullets(data.other_channels)
    n = 4 if data.other_channels else 3
    until = (
        f", đến hết ngày {format_date(data.comment_until)}"
        if data.comment_until is not None
        else ""
    )
    story.append(
        doc.para(
            f"Trong thời gian niêm yết{until}, tổ chức, cá nhân có ý kiến phản ánh, góp ý "
            f"{nfc(data.comment_how).rstrip('.')}.",
            label=f"{n}. Tiếp nhận ý kiến:",
        )
    )
    story.append(
        doc.para(
            f"{nfc(data.contact_position)} {nfc(data.contact_name)}, "
            f"điện thoại: {nfc(data.contact_phone).replace(' ', NBSP)}.",
            label=f"{n + 1}. Người liên hệ:",
        )
    )
    closing = doc.para(f"{issuer} thông báo để Nhân dân được biết, theo dõi và tham gia ý kiến./.")
    story.append(doc.signature_block(data.signer, data.recipients, data.archive, lead=[closing]))

    table = data.content_table
    if table is not None:
        orientation = LANDSCAPE if table.landscape else None
        from reportlab.platypus import PageBreak, Paragraph

        story += doc.switch_to(LANDSCAPE) if table.landscape else [PageBreak()]
        heading = nfc(table.title) or nfc(data.title)
        story.append(Paragraph(esc(heading.upper()), doc.styles.doc_type))
        story.append(
            Paragraph(
                _italic_centre(
                    f"(Kèm theo Thông báo số {_num(data.number)}/{nfc(data.symbol)} "
                    f"ngày {format_date(data.issued_on)} của {issuer})"
                ),
                doc.styles.body_centre,
            )
        )
        story.append(doc.table(table.columns, table.rows, orientation=orientation))
    return doc.build(story)


def _num(number: int | None) -> str:
    return f"{number:02d}" if number is not None else "\u00a0" * 6


def _italic_centre(text: str) -> str:
    return f"<i>{esc(text)}</i>"


def _opinions(doc: Decree30Document, count: int | None, summary: str) -> list:
    """ "Không có ý kiến."; "Tổng số: 02 ý kiến. Nội dung: …" (one line each when the
    summary has several); "Tổng số: 02 ý kiến (chưa ghi tóm tắt nội dung)."."""
    count = max(0, count or 0)
    lines = [ln.strip(" -•\t") for ln in nfc(summary).splitlines()]
    lines = [ln.rstrip(" .;") for ln in lines if ln.strip(" .;")]
    total = f"Tổng số: {count:02d} ý kiến" if count else ""
    if not lines:
        if not count:
            return [doc.para("Không có ý kiến.")]
        return [doc.para(f"{total} (chưa ghi tóm tắt nội dung).")]
    lead = f"{total}. Nội dung:" if total else "Nội dung:"
    if len(lines) == 1:
        return [doc.para(f"{lead} {lines[0]}.")]
    return [doc.para(lead), *doc.bullets(lines)]


def build_posting_minutes(
    data: PostingMinutesData,
    path: Path,
    progress: Callable[[float], None] | None = None,
) -> Path:
    """BIÊN BẢN niêm yết (``kind="start"``) or kết thúc niêm yết (``kind="end"``)."""
    if data.kind not in ("start", "end"):
        raise UserError(
            f"Loại biên bản không hợp lệ: {data.kind!r} (chỉ có 'start' hoặc 'end').",
            f"Unknown minutes kind {data.kind!r} (use 'start' or 'end').",
        )
    end = data.kind == "end"
    subject = (
        f"Kết thúc niêm yết công khai {nfc(data.title)}"
        if end
        else f"Niêm yết công khai {nfc(data.title)}"
    )
    doc = Decree30Document(
        path,
        data.trace,
        title=f"Biên bản {subject[0].lower()}{subject[1:]}",
        progress=progress,
        expected_pages=2,
    )
    story: list = []
    story += doc.heading(data.letterhead, data.number, data.symbol, None, with_date=False)
    story += doc.doc_title("BIÊN BẢN", subject)
    story += doc.legal_bases(data.legal_bases)
    story.append(doc.para(f"Hôm nay, vào lúc {_time_words(data.act_time)}.", label="Thời gian:"))
    story.append(doc.para(f"{nfc(data.act_place).rstrip('.')}.", label="Địa điểm:"))
    story.append(doc.para("", label="Thành phần gồm có:"))
    for i, person in enumerate(data.participants, start=1):
        unit = f", {nfc(person.unit)}" if person.unit else ""
        story.append(doc.para(f"{i}. Ông/Bà {nfc(person.name)} - {nfc(person.position)}{unit};"))
    action = "kết thúc niêm yết công khai" if end else "niêm yết công khai"
    story.append(doc.para(f"Cùng tiến hành {action} {nfc(data.title)}, cụ thể như sau:"))

    story.append(doc.section("1. Tài liệu niêm yết"))
    story += doc.bullets(data.posted_documents)
    story.append(doc.section("2. Địa điểm niêm yết"))
    same = _same_period(data.places)
    if same:
        story += doc.bullets([f"{names}: {period}" for names, period in _group_places(data.places)])
    else:
        story += _places_table(doc, data.places, data.period_unit)
    if data.not_posted:
        story.append(
            doc.para(
                "Chưa niêm yết tại: " + "; ".join(nfc(n) for n in data.not_posted) + " (sẽ lập "
                "biên bản niêm yết khi niêm yết tại các địa điểm này)."
            )
        )
    period_label = "3. Thời gian niêm yết thực tế" if end else "3. Thời gian niêm yết"
    story.append(doc.section(period_label))
    if not same and data.period_end is not None:
        length = (
            f" ít nhất {days_text(data.period_days, data.period_unit)}"
            if data.period_days is not None and not end
            else ""
        )
        story.append(
            doc.para(
                f"Mỗi địa điểm niêm yết{length} kể từ ngày niêm yết tại địa điểm đó, theo "
                f"thời gian ghi cho từng địa điểm tại mục 2 (sớm nhất từ ngày "
                f"{format_date(data.period_start)}, muộn nhất đến hết ngày "
                f"{format_date(data.period_end)})."
            )
        )
    elif data.period_end is None:
        note = next((p.open_note for p in data.places if p.end is None), OPEN_END_NOTE)
        period = _period(PostingPlace("", data.period_start, None, note))
        story.append(doc.para(f"{period[:1].upper()}{period[1:]}."))
    else:
        length = (
            f" ({days_text(data.period_days, data.period_unit)})"
            if data.period_days is not None
            else ""
        )
        story.append(
            doc.para(
                f"Từ ngày {format_date(data.period_start)} đến hết ngày "
                f"{format_date(data.period_end)}{length}."
            )
        )
    if data.comment_channel:
        story.append(
            doc.para(
                f"Trong thời gian niêm yết, tổ chức, cá nhân có ý kiến "
                f"{nfc(data.comment_channel).rstrip('.')}."
            )
        )
    story.append(doc.section("4. Các hình thức công khai khác"))
    channels = list(data.other_channels)
    if data.loudspeaker is not None:
        ls = data.loudspeaker
        channels.insert(
            0,
            f"Thông báo trên hệ thống loa truyền thanh: {ls.announcements:02d} lần, "
            f"trong {ls.days:02d} ngày liên tục, từ ngày {format_date(ls.start)} "
            f"đến ngày {format_date(ls.end)}",
        )
    story += doc.bullets(channels)
    if not channels:
        story.append(doc.para("Không có."))
    n = 5
    if end:
        story.append(doc.section(f"{n}. Niêm yết lại, gián đoạn trong thời gian niêm yết"))
        story += doc.bullets(data.reposts)
        if not data.reposts:
            story.append(doc.para("Không có; tài liệu được niêm yết liên tục, đầy đủ."))
        n += 1
        story.append(doc.section(f"{n}. Ý kiến phản ánh, góp ý nhận được"))
        story += _opinions(doc, data.opinions_count, data.opinions_summary)
        n += 1
    if data.conclusion:
        story.append(doc.section(f"{n}. Kết luận"))
        story.append(doc.para(data.conclusion))
    closing = doc.para(
        f"Biên bản kết thúc vào lúc {_time_words(data.closing_time)}, đã được đọc lại cho "
        f"những người có tên trên cùng nghe, thống nhất ký tên. Biên bản được lập thành "
        f"{data.copies:02d} bản có giá trị như nhau./."
    )
    tail = (
        [doc.recipients_only(data.recipients, data.archive)]
        if data.recipients or data.archive
        else []
    )
    story.append(doc.signature_row(data.signers, lead=[closing], tail=tail))
    return doc.build(story)
