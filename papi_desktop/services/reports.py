"""Printed documents and report workbooks made from the database.

Each function reads the records through the services, fills the plain-data models of
``papi_desktop.reports.pdf.models`` (or the workbook model of ``reports.xlsx``) and calls
the builder, which writes the file atomically. Every function takes an optional
``progress(fraction, message)`` callback and a ``cancel`` event; a cancelled build writes
nothing. The signer comes from the settings ``signer_name``, ``signer_title`` and
``signer_authority``; document numbers are left blank to be written by hand unless given.
Every printout names the unit, the period and the framework version it was answered
against.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from papi_desktop.domain.dates import format_date
from papi_desktop.domain.periods import RESULT_LABELS, Period
from papi_desktop.domain.progress import progress_by
from papi_desktop.domain.text import fold, nfc
from papi_desktop.errors import UserError
from papi_desktop.services import disclosures, tasks, units
from papi_desktop.services.context import AppContext
from papi_desktop.services.setup import hq_place_name

ProgressFn = Callable[[float, str], None]
NBSP = "\u00a0"

DEFAULT_AUTHORITY = "TM. ỦY BAN NHÂN DÂN"
DEFAULT_TITLE = "CHỦ TỊCH"
BLANK_FILL = "." * 30
DEFAULT_COMMENT_HOW = (
    "trực tiếp tại Bộ phận Một cửa Ủy ban nhân dân, qua hòm thư góp ý đặt tại trụ sở hoặc "
    "qua {head} nơi cư trú"
)
# Roles that sign the posting minutes when the setting ``minutes_signers`` is not set
# (disclosure.md §4.1: common practice; configurable). "{head}" is the head of the
# village or residential group, worded for the unit's level (see ``village_words``).
DEFAULT_MINUTES_ROLES = (
    ("Đại diện UBND", "Đại diện Ủy ban nhân dân"),
    ("Đại diện UBMTTQ", "Đại diện Ủy ban Mặt trận Tổ quốc Việt Nam"),
    ("{head}", "{head} nơi niêm yết"),
    ("Người chứng kiến", "Người dân (người chứng kiến)"),
)
# Setting: "1" lets the end-of-posting minutes fall on a weekend or holiday.
MINUTES_ON_DAYS_OFF = "minutes_on_days_off"
# How long a permanent posting stays up, by a phrase of the type's period note (folded);
# other permanent types print OPEN_END_NOTE ("không có ngày kết thúc; cập nhật khi có thay đổi").
OPEN_NOTES = (
    (
        "suot qua trinh boi thuong",
        "giữ trong suốt quá trình bồi thường, hỗ trợ, tái định cư; không có ngày kết thúc cố định",
    ),
    (
        "suot ky quy hoach",
        "giữ trong suốt kỳ quy hoạch, kế hoạch sử dụng đất; cập nhật khi có thay đổi",
    ),
    ("den ngay hop", "giữ đến ngày họp hoặc ngày phát phiếu lấy ý kiến"),
    ("den het ngay tiep", "giữ đến hết ngày tiếp công dân"),
    ("den ngay bau cu", "giữ đến ngày bầu cử"),
    ("danh muc quy sau", "giữ đến khi có danh mục quý sau thay thế"),
    ("suot nam ke hoach", "giữ suốt năm kế hoạch; cập nhật khi có kế hoạch mới"),
)
LAW_NAMES = {
    "Luật 10/2022/QH15": "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15",
    "NĐ 59/2023": "Nghị định số 59/2023/NĐ-CP",
}


class ReportCancelled(UserError):
    """The user cancelled a report being built; nothing was written."""

    def __init__(self) -> None:
        super().__init__(
            "Đã hủy tạo tài liệu; không có tệp nào được ghi.", "Cancelled; no file written."
        )


class _Steps:
    """Progress reporting and cancellation checks for one build."""

    def __init__(self, progress: ProgressFn | None, cancel: threading.Event | None) -> None:
        self.progress = progress
        self.cancel = cancel

    def __call__(self, fraction: float, message: str) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise ReportCancelled()
        if self.progress is not None:
            self.progress(max(0.0, min(1.0, fraction)), message)

    def builder(self, start: float = 0.3) -> Callable[[float], None]:
        """A builder's ``progress(fraction)`` mapped onto [start, 1]; raising cancels it."""

        def report(f: float) -> None:
            self(start + (1.0 - start) * f, "Đang dàn trang…")

        return report


# -- shared pieces -------------------------------------------------------------------


def check_output(path: Path, suffixes: tuple[str, ...] = (".pdf",)) -> Path:
    """The output path, refused when its suffix is not allowed or its folder is missing."""
    path = Path(path)
    if path.suffix.lower() not in suffixes:
        allowed = ", ".join(suffixes)
        raise UserError(
            f"Tệp kết quả “{path.name}” phải có đuôi {allowed}.",
            f"The output file “{path.name}” must end with {allowed}.",
        )
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UserError(
            f"Không có thư mục “{parent}” để ghi tệp. Hãy tạo thư mục hoặc chọn nơi khác.",
            f"The folder “{parent}” does not exist.",
        )
    if path.is_dir():
        raise UserError(f"“{path}” là một thư mục.", f"“{path}” is a folder.")
    return path


def _setting(ctx: AppContext, key: str) -> str:
    return nfc(ctx.db.get_setting(key, "") or "") or ""


def letterhead(ctx: AppContext):
    """("ỦY BAN NHÂN DÂN", "PHƯỜNG NINH HÒA"), place "Ninh Hòa"."""
    from papi_desktop.reports.pdf.models import Letterhead

    site = ctx.require_site()
    return Letterhead(
        issuing_body=("ỦY BAN NHÂN DÂN", site.unit_name.upper()),
        place=units.short_name(site.unit_name),
    )


def signer(ctx: AppContext):
    from papi_desktop.reports.pdf.models import Signer

    return Signer(
        name=_setting(ctx, "signer_name"),
        position=_setting(ctx, "signer_title") or DEFAULT_TITLE,
        authority=_setting(ctx, "signer_authority") or DEFAULT_AUTHORITY,
    )


def _framework(ctx: AppContext) -> dict[str, Any] | None:
    try:
        return tasks.current_framework(ctx)
    except UserError:
        return None


def trace(ctx: AppContext, period: str, framework_version: int | str | None = None):
    from papi_desktop.reports.pdf.models import Trace

    site = ctx.require_site()
    unit = site.unit_name
    if site.province_name and site.province_name not in unit:
        unit = f"{unit}, {site.province_name}"
    if framework_version is None:
        fw = _framework(ctx)
        framework_version = fw["fw_version"] if fw else None
    return Trace(unit=unit, period=period, framework_version=framework_version)


def unit_level(unit_name: str) -> str:
    """ "ward" for "Phường …", "special" for "Đặc khu …", else "commune" ("Xã …")."""
    name = nfc(unit_name).strip()
    if name.startswith("Phường"):
        return "ward"
    if name.startswith("Đặc khu"):
        return "special"
    return "commune"


def village_words(unit_name: str) -> dict[str, str]:
    """How the unit's villages and their heads are called: a xã has thôn (Trưởng thôn), a
    phường has tổ dân phố (Tổ trưởng tổ dân phố), a đặc khu may have both."""
    return {
        "ward": {
            "group": "tổ dân phố",
            "head": "Tổ trưởng tổ dân phố",
            "heads": "Tổ trưởng các tổ dân phố",
        },
        "special": {
            "group": "thôn, tổ dân phố",
            "head": "Trưởng thôn, Tổ trưởng tổ dân phố",
            "heads": "Trưởng các thôn, Tổ trưởng các tổ dân phố",
        },
        "commune": {"group": "thôn", "head": "Trưởng thôn", "heads": "Trưởng các thôn"},
    }[unit_level(unit_name)]


def _words(ctx: AppContext) -> dict[str, str]:
    return village_words(ctx.require_site().unit_name)


def _comment_how(ctx: AppContext) -> str:
    return _setting(ctx, "comment_how") or DEFAULT_COMMENT_HOW.format(head=_words(ctx)["head"])


def _unit_lower(ctx: AppContext) -> str:
    """'Phường Ninh Hòa' -> 'phường Ninh Hòa' (inside a sentence)."""
    name = ctx.require_site().unit_name
    return name[:1].lower() + name[1:]


def _subject(title: str) -> str:
    """A title inside a sentence: first letter lower-cased unless it starts an acronym."""
    title = nfc(title).strip()
    first = title.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return title
    return title[:1].lower() + title[1:]


def legal_basis_lines(basis: str) -> list[str]:
    """'Luật 10/2022/QH15 Điều 11; NĐ 59/2023 …' -> one "Căn cứ …" line per cited text."""
    out = []
    for part in nfc(basis or "").replace("\n", ";").split(";"):
        text = part.strip().rstrip(".;").strip()
        if not text:
            continue
        for short, full in LAW_NAMES.items():
            if text.startswith(short):
                text = full + text[len(short) :]
                break
        out.append(text if text.lower().startswith("căn cứ") else f"Căn cứ {text}")
    return out


DOC_KINDS = {
    "QĐ": "Quyết định",
    "NQ": "Nghị quyết",
    "KL": "Kết luận",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "KH": "Kế hoạch",
}


ISSUERS = {"UBND": "UBND", "HĐND": "HĐND", "UBMTTQ": "UBMTTQ Việt Nam"}


def document_basis(decision_no: str, decision_date: str | None, unit: str = "") -> str:
    """'15/NQ-HĐND', '2025-12-10', 'phường Ninh Hòa' -> 'Căn cứ Nghị quyết số 15/NQ-HĐND
    ngày 10/12/2025 của HĐND phường Ninh Hòa' (the issuer is read from the symbol)."""
    number = nfc(decision_no).strip()
    kind = "văn bản"
    symbol = number.split("/", 1)[1] if "/" in number else ""
    for abbrev, name in DOC_KINDS.items():
        if symbol.startswith(abbrev):
            kind = name
            break
    text = f"{kind} số {number}" if number[:1].isdigit() else number
    if decision_date:
        text += f" ngày {format_date(_d(decision_date))}"
    issuer = ISSUERS.get(symbol.split("-", 1)[1] if "-" in symbol else "")
    if issuer and unit:
        text += f" của {issuer} {unit}"
    return f"Căn cứ {text}"


def _d(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def places_text(names: list[str], group: str = "thôn, tổ dân phố") -> str:
    """Place names for a table cell; a long list keeps the office and counts the rest
    ("Trụ sở UBND phường Ninh Hòa; 08 tổ dân phố"; ``group`` from ``village_words``)."""
    names = [nfc(n) for n in names]
    if len(names) <= 3:
        return "; ".join(names)
    offices = [n for n in names if n.lower().startswith("trụ sở")]
    others = len(names) - len(offices)
    return "; ".join([*offices, f"{others:02d} {group}"])


def _form_labels(forms: list[str], head: str = "") -> str:
    labels = []
    for f in forms:
        if f == "village_head" and head:
            labels.append(f"Qua {head[:1].lower()}{head[1:]}")
        else:
            labels.append(disclosures.FORM_LABELS.get(f, {"vi": f})["vi"])
    return "; ".join(labels)


def _posted_document(item: dict[str, Any]) -> str:
    doc = nfc(item["title"])
    if item.get("decision_no"):
        dated = (
            f" ngày {format_date(_d(item['decision_date']))}" if item.get("decision_date") else ""
        )
        doc = f"{doc} ({nfc(item['decision_no'])}{dated})"
    return doc


def _item_forms(ctx: AppContext, item_id: str, t: dict[str, Any] | None = None) -> list[str]:
    """The forms recorded on the disclosure, else its type's forms."""
    row = ctx.db.one("SELECT forms FROM disclosure WHERE id = ?", (item_id,))
    forms = json.loads(row["forms"] or "[]") if row else []
    return forms or list((t or {}).get("forms") or [])


OTHER_FORMS = {
    "written_notice": "Gửi văn bản thông báo đến các tổ chức, cá nhân có liên quan",
    "meeting": "Thông báo tại hội nghị, cuộc họp",
    "newspaper": "Đăng trên báo chí",
    "social_network": "Đăng trên nhóm mạng xã hội của {group}",
    "village_head": "Thông báo qua {head} để thông tin đến Nhân dân",
}


def other_channels(ctx: AppContext, item: dict[str, Any], t: dict[str, Any]) -> list[str]:
    """The forms of disclosure besides posting, one line each, from one source for both
    the notice and the minutes: the disclosure's forms (else its type's), with the
    loudspeaker days and the web link recorded on the item."""
    forms = _item_forms(ctx, item["id"], t)
    words = _words(ctx)
    out = []
    days = item.get("loudspeaker_days") or 0
    if days:
        text = f"Thông báo trên hệ thống loa truyền thanh {days:02d} ngày liên tục"
        if item.get("loudspeaker_from"):
            start = _d(item["loudspeaker_from"])
            text += (
                f", từ ngày {format_date(start)} đến ngày "
                f"{format_date(start + timedelta(days=days - 1))}"
            )
        out.append(text)
    elif "loudspeaker" in forms:
        out.append("Thông báo trên hệ thống loa truyền thanh")
    if item.get("web_url"):
        out.append(f"Đăng trên Trang thông tin điện tử: {item['web_url']}")
    elif "web" in forms:
        out.append(f"Đăng trên Trang thông tin điện tử của {_unit_lower(ctx)}")
    for form in forms:
        if form in OTHER_FORMS:
            out.append(OTHER_FORMS[form].format(group=words["group"], head=words["head"]))
    return out


def _contact(ctx: AppContext, item: dict[str, Any]) -> tuple[str, str, str]:
    """(position, name, phone) from the item's contact or the ``contact`` setting."""
    text = nfc(item.get("contact") or "") or _setting(ctx, "contact")
    if not text:
        return "", BLANK_FILL, BLANK_FILL
    lowered = text.lower()
    for marker in (", điện thoại", " - điện thoại", ", đt", " đt:", ", sđt"):
        at = lowered.find(marker)
        if at >= 0:
            phone = text[at + len(marker) :].strip(" :")
            return "", text[:at].strip(), phone or BLANK_FILL
    return "", text, BLANK_FILL


def open_note(t: dict[str, Any]) -> str:
    """What a permanent posting of type ``t`` prints instead of an end date."""
    from papi_desktop.reports.pdf.models import OPEN_END_NOTE

    note = fold(t.get("period_note_vi") or "")
    return next((text for key, text in OPEN_NOTES if key in note), OPEN_END_NOTE)


def _planned_places(ctx: AppContext, item: dict[str, Any]) -> list[Any]:
    """Each place with its posted start, or for a place not posted yet the notice date
    (``planned``), and its computed end (None, with the type's wording, for a permanent
    posting)."""
    from papi_desktop.domain.deadlines import posting_end
    from papi_desktop.reports.pdf.models import PostingPlace

    t = disclosures.get_type(ctx, item["type"])
    rule = disclosures.rule_of(t)
    planned = ctx.today()
    deadline = _d(item["post_deadline"])
    if (
        deadline is not None
        and deadline < planned
        and not any(p["posted_on"] for p in item["places"])
    ):
        planned = ctx.today()
    out = []
    for p in item["places"]:
        start = _d(p["posted_on"]) or planned
        is_planned = not p["posted_on"]
        if rule.permanent:
            out.append(PostingPlace(nfc(p["place"]), start, None, open_note(t), planned=is_planned))
            continue
        end = _d(p["ends_on"])
        if end is None:
            end = posting_end(
                rule, start, ctx.calendar(), posting_day_is_day_one=ctx.posting_day_is_day_one
            ).value
        if end is None:
            raise UserError(
                f"Loại công khai “{t['name_vi']}” chưa có thời gian niêm yết; hãy ghi số ngày "
                "niêm yết của loại này (Danh mục) trước khi in.",
                f"“{t['name_en'] or t['code']}” has no posting period; set it in the catalogue "
                "first.",
            )
        out.append(PostingPlace(nfc(p["place"]), start, end, planned=is_planned))
    if not out:
        raise UserError(
            "Nội dung này chưa có địa điểm niêm yết nào. Hãy thêm địa điểm trước khi in.",
            "This item has no posting place yet; add one before printing.",
        )
    return out


# -- posting notice and minutes ---------------------------------------------------------


def posting_notice(
    ctx: AppContext,
    item_id: str,
    path: Path,
    content_table: Any = None,
    *,
    number: int | None = None,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    content_columns: str | list[str] | None = None,
) -> Path:
    """THÔNG BÁO niêm yết công khai for a disclosure item, with an optional content list
    (a ``ContentTable`` or the path of an .xlsx/.csv list; ``content_columns`` chooses the
    list's printed columns, "1,2,5" or header names)."""
    from papi_desktop.reports.pdf.models import PostingNoticeData
    from papi_desktop.reports.pdf.posting import build_posting_notice

    path = check_output(path)
    step = _Steps(progress, cancel)
    step(0.0, "Đang đọc dữ liệu…")
    item = disclosures.get_item(ctx, item_id)
    t = disclosures.get_type(ctx, item["type"])
    if content_table is not None and not hasattr(content_table, "columns"):
        from papi_desktop.services.content_tables import load_content_table

        step(0.05, "Đang đọc danh sách kèm theo…")
        content_table = load_content_table(
            Path(content_table), title=item["title"], columns=content_columns
        )
    places = _planned_places(ctx, item)
    bases = _bases(ctx, item, t)
    channels = other_channels(ctx, item, t)
    position, name, phone = _contact(ctx, item)
    issued = ctx.today()
    year = (places[0].start if places else issued).year
    data = PostingNoticeData(
        letterhead=letterhead(ctx),
        trace=trace(ctx, f"Năm {year}"),
        number=number,
        issued_on=issued,
        title=_subject(item["title"]),
        legal_bases=bases,
        posted_document=_posted_document(item),
        places=places,
        comment_how=_comment_how(ctx),
        comment_until=None if any(p.end is None for p in places) else max(p.end for p in places),
        contact_name=name,
        contact_position=position,
        contact_phone=phone,
        signer=signer(ctx),
        recipients=[
            f"Thường trực HĐND {_unit_lower(ctx)}",
            f"UBMTTQ Việt Nam {_unit_lower(ctx)}",
            _words(ctx)["heads"],
        ],
        other_channels=channels,
        content_table=content_table,
        period_days=t["period_days"] if t["period_unit"] != "permanent" else None,
        period_unit=t["period_unit"] if t["period_unit"] != "permanent" else "calendar",
    )
    step(0.25, "Đang tạo thông báo…")
    from reportlab.platypus.doctemplate import LayoutError

    try:
        return build_posting_notice(data, path, progress=step.builder(0.25))
    except LayoutError as exc:
        # A row taller than a page: an over-long cell in a narrow column.
        raise UserError(
            "Danh sách kèm theo có dòng quá cao, không vừa một trang A4. Hãy chọn ít cột hơn "
            "(--columns) để các cột rộng hơn, hoặc rút gọn các ô quá dài.",
            "A row of the attached list is taller than an A4 page. Choose fewer columns "
            "(--columns) so they get wider, or shorten the over-long cells.",
        ) from exc


def _position_words(title: str) -> str:
    """ "PHÓ CHỦ TỊCH" -> "Phó Chủ tịch" (a position inside a sentence)."""
    text = nfc(title).strip().lower()
    text = text.replace("chủ tịch", "Chủ tịch")
    return text[:1].upper() + text[1:]


def _has_villages(ctx: AppContext, item: dict[str, Any], t: dict[str, Any]) -> bool:
    """Whether the item is posted at village / residential-group houses."""
    if "villages" in (t.get("places") or []):
        return True
    villages = {fold(p["name"]) for p in units.list_places(ctx) if p["kind"] == "village"}
    return any(fold(p["place"]) in villages for p in item["places"])


def _bases(ctx: AppContext, item: dict[str, Any], t: dict[str, Any]) -> list[str]:
    """ "Căn cứ …" lines: the type's legal basis, then the item's decision with its date and
    issuer (the layout writes the abbreviations out in full)."""
    bases = legal_basis_lines(t["legal_basis"])
    if item.get("decision_no"):
        bases.append(
            document_basis(item["decision_no"], item.get("decision_date"), _unit_lower(ctx))
        )
    return bases


def _minutes_people(
    ctx: AppContext, item: dict[str, Any], t: dict[str, Any]
) -> list[tuple[str, str, str]]:
    """(signature title, name, position) of each participant, from the setting
    ``minutes_signers`` (JSON list of {"title", "name", "position"}) or the defaults: the
    UBND representative (``signer_name`` / ``signer_title``), the UB MTTQ representative,
    the village / residential-group head where the item is posted there, and a resident
    witness; names not configured are left blank to write by hand."""
    raw = _setting(ctx, "minutes_signers")
    if raw:
        try:
            people = [
                (
                    nfc(p["title"]) or "",
                    nfc(p.get("name", "")) or "",
                    nfc(p.get("position", "")) or "",
                )
                for p in json.loads(raw)
            ]
            if people:
                return people
        except (ValueError, KeyError, TypeError, AttributeError):
            pass
    unit = _unit_lower(ctx)
    head = _words(ctx)["head"]
    out = []
    for title, position in DEFAULT_MINUTES_ROLES:
        name = ""
        if title == "Đại diện UBND":
            name = _setting(ctx, "signer_name")
            if _setting(ctx, "signer_title"):
                position = f"{_position_words(_setting(ctx, 'signer_title'))} Ủy ban nhân dân"
            position = f"{position} {unit}"
        elif title == "Đại diện UBMTTQ":
            position = f"{position} {unit}"
        elif title == "{head}":
            if not _has_villages(ctx, item, t):
                continue
            title, position = head, position.format(head=head)
        out.append((title.upper(), name, position))
    return out


def _days_counted(ctx: AppContext, start: date, end: date, unit: str) -> int:
    """Days of an actual posting from ``start`` to the end of ``end``, in the rule's unit
    (the posting day counts only with the "posting day is day 1" setting)."""
    day_one = ctx.posting_day_is_day_one
    if unit == "working":
        cal = ctx.calendar()
        return cal.working_days_between(start, end) + (
            1 if day_one and cal.is_working_day(start) else 0
        )
    return (end - start).days + (1 if day_one else 0)


def _find_place(item: dict[str, Any], place: str) -> dict[str, Any]:
    wanted = fold(place)
    for p in item["places"]:
        if fold(p["place"]) == wanted:
            return p
    names = "; ".join(nfc(p["place"]) for p in item["places"])
    raise UserError(
        f"Nội dung này không có địa điểm “{nfc(place)}”. Các địa điểm: {names}.",
        f"This item has no place “{place}”. Its places: {names}.",
    )


def taken_down_early(p: dict[str, Any]) -> bool:
    """Whether the sheet at place ``p`` came down before its period ended. The period ends
    at the END of its last day (BLDS 2015 Điều 148 khoản 1 and 6), so taking it down on the
    last day is early too."""
    down, ends = _d(p["taken_down_on"]), _d(p["ends_on"])
    return down is not None and ends is not None and down <= ends


def _next_working_day(ctx: AppContext, day: date) -> date:
    """``day``, or the next working day when it is a weekend or holiday (unless the setting
    ``minutes_on_days_off`` allows minutes on days off)."""
    if _setting(ctx, MINUTES_ON_DAYS_OFF) in ("1", "true", "yes"):
        return day
    cal = ctx.calendar()
    for _ in range(60):
        if cal.is_working_day(day):
            return day
        day += timedelta(days=1)
    return day


def end_minutes_day(ctx: AppContext, places: list[dict[str, Any]]) -> date:
    """The date of the end-of-posting minutes: not before the day after the last end date,
    nor before the last take-down, and on a working day (see ``_next_working_day``)."""
    candidates = []
    for p in places:
        if p["ends_on"]:
            candidates.append(_d(p["ends_on"]) + timedelta(days=1))
        if p["taken_down_on"]:
            candidates.append(_d(p["taken_down_on"]))
    return _next_working_day(ctx, max(candidates))


def posting_minutes(
    ctx: AppContext,
    item_id: str,
    kind: str,
    path: Path,
    place: str | None = None,
    *,
    number: int | None = None,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """BIÊN BẢN niêm yết (``kind="start"``) or kết thúc niêm yết (``kind="end"``).

    With ``place``: the minutes of that place only, with its own date and period. Without
    it: every place posted so far; when they were posted (or ended) on different days the
    act is dated the latest of them and each place is listed with its own dates. A place
    not posted yet is never listed as posted; the start minutes name it as not posted."""
    from papi_desktop.reports.pdf.models import (
        MinutesSigner,
        Participant,
        PostingMinutesData,
        PostingPlace,
    )
    from papi_desktop.reports.pdf.posting import build_posting_minutes

    if kind not in ("start", "end"):
        raise UserError(
            f"Loại biên bản “{kind}” không hợp lệ; chọn start (niêm yết) hoặc end (kết thúc).",
            f"Unknown minutes kind “{kind}”; use start or end.",
        )
    path = check_output(path)
    step = _Steps(progress, cancel)
    step(0.0, "Đang đọc dữ liệu…")
    item = disclosures.get_item(ctx, item_id)
    t = disclosures.get_type(ctx, item["type"])
    if place is not None:
        chosen = _find_place(item, place)
        if not chosen["posted_on"]:
            raise UserError(
                f"Chưa ghi ngày niêm yết tại “{nfc(chosen['place'])}” nên chưa lập được biên "
                "bản cho địa điểm này.",
                f"No posting recorded at “{chosen['place']}” yet.",
            )
        posted = [chosen]
        not_posted: list[str] = []
    else:
        posted = [p for p in item["places"] if p["posted_on"]]
        not_posted = [nfc(p["place"]) for p in item["places"] if not p["posted_on"]]
    if not posted:
        raise UserError(
            "Chưa ghi ngày niêm yết ở địa điểm nào nên chưa lập được biên bản. "
            "Hãy ghi ngày niêm yết trước (disclosures post).",
            "No posting recorded yet; record the posting first (disclosures post).",
        )
    end = kind == "end"
    permanent = t["period_unit"] == "permanent"
    unit = "calendar" if permanent else t["period_unit"]
    start_day = min(_d(p["posted_on"]) for p in posted)
    reposts: list[str] = []
    conclusion = ""
    if end:
        if not_posted:
            raise UserError(
                "Chưa niêm yết tại: " + "; ".join(not_posted) + ". Chỉ lập biên bản kết thúc "
                "chung khi mọi địa điểm đã niêm yết; hoặc lập cho từng địa điểm (--place).",
                "Not posted everywhere yet; make end minutes per place (--place).",
            )
        places, finished = _ended_places(ctx, posted, permanent, unit)
        act_day = end_minutes_day(ctx, finished)
        period_end = max(p.end for p in places)
        period_days = _days_counted(ctx, start_day, period_end, unit)
        reposts, early = _interruptions(posted)
        if permanent:
            conclusion = (
                "Tài liệu đã được niêm yết thường xuyên đến khi gỡ xuống để thay thế, cập nhật."
            )
        elif early:
            conclusion = (
                "Có địa điểm gỡ bản niêm yết trước khi hết thời gian niêm yết theo quy định ("
                + "; ".join(early)
                + "); đề nghị niêm yết bổ sung cho đủ thời gian."
            )
        else:
            conclusion = "Việc niêm yết công khai được thực hiện đầy đủ, đúng thời gian quy định."
    else:
        places = []
        for p in posted:
            begin = _d(p["posted_on"])
            if permanent:
                places.append(PostingPlace(nfc(p["place"]), begin, None, open_note(t)))
                continue
            stop = _d(p["ends_on"]) or begin
            places.append(
                PostingPlace(
                    nfc(p["place"]), begin, stop, days=_days_counted(ctx, begin, stop, unit)
                )
            )
        act_day = max(p.start for p in places)
        period_end = None if permanent else max(p.end for p in places)
        period_days = None if permanent else t["period_days"]
    act_time = datetime(act_day.year, act_day.month, act_day.day, 8, 0)
    here = next((p.name for p in places if p.start == act_day), places[0].name)
    if end:
        here = places[0].name
    unit_name = _unit_lower(ctx)
    act_place = here if fold(unit_name) in fold(here) else f"{here}, {unit_name}"
    people = _minutes_people(ctx, item, t)
    participants = [
        Participant(name or "." * 25, position or title.capitalize())
        for title, name, position in people
    ]
    signers = [MinutesSigner(title, name) for title, name, _ in people]
    year = start_day.year
    data = PostingMinutesData(
        letterhead=letterhead(ctx),
        trace=trace(ctx, f"Năm {year}"),
        kind=kind,
        number=number,
        title=_subject(item["title"]),
        act_time=act_time,
        act_place=act_place,
        legal_bases=_bases(ctx, item, t),
        participants=participants,
        posted_documents=[_posted_document(item)],
        places=places,
        period_start=start_day,
        period_end=period_end,
        period_days=period_days,
        period_unit=unit,
        closing_time=act_time + timedelta(minutes=45),
        copies=max(2, len(signers)),
        signers=signers,
        comment_channel=f"gửi {_comment_how(ctx)}" if not end else "",
        loudspeaker=None,
        other_channels=other_channels(ctx, item, t),
        reposts=reposts,
        not_posted=not_posted,
        opinions_count=int(item["opinions_count"] or 0) if end else 0,
        opinions_summary=(nfc(item["opinions_summary"]) or "") if end else "",
        conclusion=conclusion,
    )
    step(0.25, "Đang tạo biên bản…")
    return build_posting_minutes(data, path, progress=step.builder(0.25))


def _ended_places(
    ctx: AppContext, posted: list[dict[str, Any]], permanent: bool, unit: str
) -> tuple[list[Any], list[dict[str, Any]]]:
    """The actual period of each place for the end minutes (refused while a place still
    runs), and the place rows with the end each one actually had."""
    from papi_desktop.reports.pdf.models import PostingPlace

    out, finished = [], []
    for p in posted:
        begin = _d(p["posted_on"])
        down = _d(p["taken_down_on"])
        ends = _d(p["ends_on"])
        if down is None and ends is not None and ends < ctx.today():
            stop, early = ends, False  # the period is over and the sheet is still up
        elif down is not None:
            early = taken_down_early(p)
            stop = down if early or ends is None else ends
        elif permanent:
            raise UserError(
                f"Nội dung này niêm yết thường xuyên và tại “{p['place']}” chưa gỡ xuống "
                "(thay thế); chỉ lập biên bản kết thúc khi đã gỡ ở mọi địa điểm.",
                "This item is posted permanently; end-of-posting minutes only once it "
                "has been taken down everywhere.",
            )
        else:
            raise UserError(
                f"Tại “{p['place']}” chưa hết thời gian niêm yết (đến hết ngày "
                f"{format_date(ends)}); chưa lập biên bản kết thúc được.",
                f"The posting at “{p['place']}” has not ended yet.",
            )
        if early:
            # Up only part of its last day: whole days are counted to the day before.
            days = _days_counted(ctx, begin, stop - timedelta(days=1), unit)
            note = f"gỡ trước hạn (phải niêm yết đến hết ngày {format_date(ends)})"
        else:
            days = _days_counted(ctx, begin, stop, unit)
            note = f"gỡ xuống ngày {format_date(down)}" if down and down != stop else ""
        out.append(
            PostingPlace(nfc(p["place"]), begin, stop, days=days, taken_down=early, note=note)
        )
        finished.append(p)
    return out, finished


def _interruptions(posted: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """Section 5 of the end minutes (every early take-down and re-posting, with dates) and
    the places taken down early, both from the same place records."""
    lines, early = [], []
    for p in posted:
        name = nfc(p["place"])
        for r in p.get("reposts") or []:
            # {"posted_on", "taken_down_on", "reposted_on"}; older rows only kept
            # {"previous_posted_on"} and the new date is then the place's posting date.
            prev = _d(r.get("posted_on") or r.get("previous_posted_on"))
            down = _d(r.get("taken_down_on"))
            again = _d(r.get("reposted_on") or p["posted_on"])
            before = ""
            if prev and down:
                before = f" (lần trước niêm yết ngày {format_date(prev)}, gỡ xuống ngày {format_date(down)})"
            elif prev:
                before = f" (lần trước niêm yết ngày {format_date(prev)})"
            lines.append(
                f"Tại {name}: niêm yết lại ngày {format_date(again)}{before}; thời gian niêm "
                "yết tính lại từ ngày niêm yết lại"
            )
        if taken_down_early(p):
            lines.append(
                f"Tại {name}: bản niêm yết bị gỡ xuống ngày {format_date(_d(p['taken_down_on']))}, "
                f"trước khi hết thời gian niêm yết (đến hết ngày {format_date(_d(p['ends_on']))}); "
                "việc niêm yết tại đây không liên tục, đầy đủ"
            )
            early.append(f"{name}, ngày {format_date(_d(p['taken_down_on']))}")
    return lines, early


# -- quarterly register ---------------------------------------------------------------


def parse_quarter(text: str) -> Period:
    p = Period.parse(text)
    if p.kind != "quarter":
        raise UserError(
            f"“{text}” không phải một quý; viết dạng 2026Q1 … 2026Q4.",
            f"“{text}” is not a quarter; write 2026Q1 … 2026Q4.",
        )
    return p


def register(
    ctx: AppContext,
    quarter: str,
    path: Path,
    *,
    number: int | None = None,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """DANH MỤC CÁC NỘI DUNG ĐÃ CÔNG KHAI of a quarter (Luật 10/2022 Điều 13)."""
    from papi_desktop.reports.pdf.disclosures import build_disclosure_register
    from papi_desktop.reports.pdf.models import DisclosureRegisterData, RegisterEntry

    q = parse_quarter(quarter)
    path = check_output(path)
    step = _Steps(progress, cancel)
    step(0.0, "Đang đọc sổ công khai…")
    entries = []
    words = _words(ctx)
    items = disclosures.list_items(ctx)
    forms_of = {
        r["id"]: json.loads(r["forms"] or "[]")
        for r in ctx.db.query("SELECT id, forms FROM disclosure WHERE deleted = 0")
    }
    for item in items:
        posted = [p for p in item["places"] if p["posted_on"]]
        if not posted:
            continue
        first = min(_d(p["posted_on"]) for p in posted)
        if not q.contains(first):
            continue
        ends = [_d(p["ends_on"]) for p in posted]
        last = None if any(e is None for e in ends) else max(ends)
        notes = []
        # Each place judged on its own (places already posted are listed in "Địa điểm").
        late_at = [p["place"] for p in posted if _late_at(item, p)]
        if late_at:
            notes.append(f"Niêm yết sau hạn tại {', '.join(late_at)}")
        early = [p["place"] for p in item["places"] if p["judgement"] == "taken_down_early"]
        if early:
            notes.append(f"Gỡ trước hạn tại {', '.join(early)}")
        waiting = [p["place"] for p in item["places"] if not p["posted_on"]]
        if waiting:
            notes.append(f"Chưa niêm yết tại {', '.join(waiting)}")
        if last is None:
            notes.append("Niêm yết thường xuyên")
        doc = nfc(item["decision_no"] or "")
        if doc and item["decision_date"]:
            doc += f" ngày {format_date(_d(item['decision_date']))}"
        entries.append(
            (
                first,
                RegisterEntry(
                    content=nfc(item["title"]),
                    document=doc,
                    forms=_form_labels(forms_of.get(item["id"], []), words["head"]),
                    places=places_text([p["place"] for p in posted], words["group"]),
                    posted_from=first,
                    posted_to=last,
                    note="; ".join(notes),
                ),
            )
        )
    entries.sort(key=lambda e: e[0])
    data = DisclosureRegisterData(
        letterhead=letterhead(ctx),
        trace=trace(ctx, f"Quý {q.index}/{q.year}"),
        quarter=q.index,
        year=q.year,
        entries=[e for _, e in entries],
        issued_on=ctx.today(),
        signer=signer(ctx),
        number=number,
        legal_bases=[
            "Căn cứ Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 ngày 10 tháng 11 năm 2022",
            "Căn cứ Nghị định số 59/2023/NĐ-CP ngày 14 tháng 8 năm 2023 của Chính phủ",
        ],
        recipients=[f"Thường trực HĐND {_unit_lower(ctx)}", words["heads"] + " (niêm yết)"],
        closing=(
            f"Danh mục gồm {len(entries):02d} nội dung, được niêm yết tại trụ sở Ủy ban nhân "
            f"dân và nhà văn hóa các {words['group']} theo quy định tại Điều 13 Luật Thực hiện "
            "dân chủ ở cơ sở./."
        ),
    )
    step(0.25, "Đang tạo danh mục…")
    return build_disclosure_register(data, path, progress=step.builder(0.25))


# -- framework sheet and checklists -----------------------------------------------------


def _dimensions(ctx: AppContext) -> dict[str, str]:
    return {c["code"]: c["name_vi"] for c in tasks.criteria(ctx) if c["level"] == "dimension"}


def _year_label(fw: dict[str, Any], today: date) -> str:
    years = (fw.get("years") or "").strip()
    return f"Năm {years}" if years else f"Năm {today.year}"


def framework_sheet(
    ctx: AppContext,
    path: Path,
    *,
    number: int | None = None,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """The current task framework as a posting sheet for the office and village houses."""
    from papi_desktop.reports.pdf.framework import build_framework_sheet
    from papi_desktop.reports.pdf.models import DimensionGroup, FrameworkSheetData, FrameworkTask

    path = check_output(path)
    step = _Steps(progress, cancel)
    step(0.0, "Đang đọc bộ khung nhiệm vụ…")
    fw = tasks.current_framework(ctx)
    names = _dimensions(ctx)
    groups: dict[str, list[Any]] = {}
    for t in tasks.framework_tasks(ctx, fw["id"]):
        groups.setdefault(t.dimension, []).append(
            FrameworkTask(
                code=t.code,
                title=t.title_vi,
                lead=t.lead_role,
                partners="; ".join(t.partners),
                deadline=t.schedule.label_vi,
                product=t.output_vi,
            )
        )
    dims = [
        DimensionGroup(code, names.get(code, f"Chỉ số nội dung {code}"), tuple(groups[code]))
        for code in sorted(groups, key=lambda c: int(c) if c.isdigit() else 99)
    ]
    intro = [
        f"Ủy ban nhân dân {_unit_lower(ctx)} niêm yết {_subject(fw['title_vi'])} (phiên bản "
        f"{fw['fw_version']}) tại trụ sở và nhà văn hóa các {_words(ctx)['group']} để Nhân dân biết, "
        "theo dõi và giám sát việc thực hiện."
    ]
    if fw.get("decision_no"):
        intro.append(
            f"Bộ khung ban hành kèm theo {nfc(fw['decision_no'])}"
            + (f" ngày {format_date(_d(fw['decision_date']))}" if fw.get("decision_date") else "")
            + "."
        )
    data = FrameworkSheetData(
        letterhead=letterhead(ctx),
        trace=trace(ctx, _year_label(fw, ctx.today()), fw["fw_version"]),
        title=nfc(fw["title_vi"]),
        framework_version=fw["fw_version"],
        dimensions=dims,
        issued_on=ctx.today(),
        signer=signer(ctx),
        number=number,
        intro=intro,
        recipients=[f"Các {_words(ctx)['group']} (niêm yết)"],
    )
    step(0.25, "Đang tạo bảng niêm yết…")
    return build_framework_sheet(data, path, progress=step.builder(0.25))


def _check_year(year: int) -> int:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise UserError(f"Năm “{year}” không hợp lệ.", f"Invalid year “{year}”.")
    return year


def _task_status(rows: list[dict[str, Any]], today: date) -> tuple[str, str, date | None, str]:
    """Status key of the PDF checklist, result text, done date and note for one task's
    periods in the year (recurring tasks: counted over the periods due so far)."""
    applicable = [r for r in rows if r["result"] != "na"]
    if not applicable:
        reason = next(
            (r["na_reason"] or r["note"] for r in rows if r["na_reason"] or r["note"]), ""
        )
        return "not_applicable", RESULT_LABELS["na"]["vi"], None, reason
    due = [r for r in applicable if date.fromisoformat(r["due"]) <= today or r["status"] == "done"]
    considered = due or applicable[:1]
    done = [r for r in considered if r["status"] == "done"]
    notes = [r["note"] for r in rows if r["note"]]
    done_on = max((date.fromisoformat(r["done_on"]) for r in done if r["done_on"]), default=None)
    if len(rows) > 1:
        result = f"Đã xong {len(done)}/{len(considered)} kỳ đến hạn"
    else:
        result = RESULT_LABELS[rows[0]["result"]]["vi"] if rows[0]["result"] != "unassessed" else ""
    if done and len(done) == len(considered):
        status = "done"
    elif done or any(r["status"] in ("doing", "review") for r in considered):
        status = "in_progress"
    else:
        status = "not_done"
    return status, result, done_on, notes[-1] if notes else ""


def checklist(
    ctx: AppContext,
    year: int,
    path: Path,
    blank: bool = False,
    *,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """The task checklist of ``year``: blank boxes for paper use, or filled from the records."""
    from papi_desktop.reports.pdf.framework import build_task_checklist
    from papi_desktop.reports.pdf.models import (
        ChecklistGroup,
        ChecklistTask,
        MinutesSigner,
        TaskChecklistData,
    )

    _check_year(year)
    path = check_output(path)
    step = _Steps(progress, cancel)
    step(0.0, "Đang đọc nhiệm vụ…")
    fw = tasks.current_framework(ctx)
    names = _dimensions(ctx)
    by_task: dict[str, list[dict[str, Any]]] = {}
    if not blank:
        for r in tasks.list_results(ctx, year=year):
            by_task.setdefault(r["code"], []).append(r)
    cutoff = min(ctx.today(), date(year, 12, 31))
    groups: dict[str, list[Any]] = {}
    for t in tasks.framework_tasks(ctx, fw["id"]):
        if blank:
            item = ChecklistTask(t.code, t.title_vi, t.lead_role, t.schedule.label_vi)
        else:
            rows = by_task.get(t.code, [])
            if not rows:
                continue  # no occurrence in this year (a dated task of another year)
            status, result, done_on, note = _task_status(rows, cutoff)
            item = ChecklistTask(
                t.code, t.title_vi, t.lead_role, t.schedule.label_vi, status, result, done_on, note
            )
        groups.setdefault(t.dimension, []).append(item)
    site = ctx.require_site()
    data = TaskChecklistData(
        letterhead=letterhead(ctx),
        trace=trace(ctx, f"Năm {year}", fw["fw_version"]),
        title=f"Theo dõi thực hiện {_subject(fw['title_vi'])} năm {year}",
        period=f"Năm {year}" + ("" if blank else f" (số liệu đến ngày {format_date(cutoff)})"),
        groups=[
            ChecklistGroup(code, names.get(code, code), tuple(groups[code]))
            for code in sorted(groups, key=lambda c: int(c) if c.isdigit() else 99)
        ],
        filled=not blank,
        issued_on=None if blank else ctx.today(),
        prepared_by=MinutesSigner("Người lập", "" if blank else site.user_name),
        approved_by=MinutesSigner("Lãnh đạo UBND", "" if blank else _setting(ctx, "signer_name")),
    )
    step(0.25, "Đang tạo bảng theo dõi…")
    return build_task_checklist(data, path, progress=step.builder(0.25))


def disclosure_checklist(
    ctx: AppContext,
    year: int,
    quarter: int | None = None,
    path: Path | None = None,
    blank: bool = False,
    *,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Every expected disclosure of the year's plan (optionally one quarter) with its
    legal deadline, period, places and forms, and the evidence boxes."""
    from papi_desktop.reports.pdf.disclosures import build_disclosure_checklist
    from papi_desktop.reports.pdf.models import (
        DisclosureChecklistData,
        ExpectedDisclosure,
        MinutesSigner,
    )

    _check_year(year)
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise UserError(
            f"Quý “{quarter}” không hợp lệ; chọn 1, 2, 3 hoặc 4.",
            f"Invalid quarter “{quarter}”; use 1 to 4.",
        )
    if path is None:
        raise UserError("Thiếu tệp kết quả (-o).", "Missing output file (-o).")
    path = check_output(path)
    step = _Steps(progress, cancel)
    step(0.0, "Đang đọc kế hoạch công khai…")
    plan = disclosures.list_plan(ctx, year)
    q = Period("quarter", year, quarter) if quarter else None
    items_by_id: dict[str, dict[str, Any]] = {}
    if not blank:
        items_by_id = {i["id"]: i for i in disclosures.list_items(ctx)}
    types = {t["code"]: t for t in disclosures.list_types(ctx)}
    evidence = {
        r["record_id"]
        for r in ctx.db.query(
            "SELECT DISTINCT record_id FROM attachment WHERE record_table = 'disclosure' "
            "AND deleted = 0"
        )
    }
    out = []
    words = _words(ctx)
    used: set[str] = set()
    for p in plan:
        due = _d(p["due"])
        if q is not None and not q.contains(due):
            continue
        title = nfc(p["label"]) or nfc(p["type_name"])
        places = "; ".join(_place_kind_words(ctx, x) for x in p["places"]) or hq_place_name(
            ctx.require_site().unit_name
        )
        forms = _form_labels(p["forms"], words["head"])
        basis = nfc(p["legal_basis"])
        if blank:
            row = ExpectedDisclosure(title, basis, due, None, None, places, forms)
            out.append(_provisional_note(row, p["provisional"]))
            continue
        item = items_by_id.get(p["disclosure_id"] or "")
        if item:
            used.add(item["id"])
        row = _expected_filled(title, basis, due, places, forms, item, evidence, ctx.today())
        out.append(_provisional_note(row, p["provisional"] or bool(item and item["provisional"])))
    if not blank:
        for item in items_by_id.values():
            if item["id"] in used:
                continue
            posted = [_d(x["posted_on"]) for x in item["places"] if x["posted_on"]]
            anchor = _d(item["trigger_date"]) or (min(posted) if posted else None)
            if anchor is None or anchor.year != year or (q is not None and not q.contains(anchor)):
                continue
            t = types.get(item["type"], {})
            row = _expected_filled(
                nfc(item["title"]),
                nfc(item["legal_basis"]),
                _d(item["post_deadline"]),
                places_text([x["place"] for x in item["places"]], words["group"]),
                _form_labels(_item_forms(ctx, item["id"], t), words["head"]),
                item,
                evidence,
                ctx.today(),
            )
            out.append(
                ExpectedDisclosure(
                    **{**row.__dict__, "note": "; ".join(x for x in ("Phát sinh", row.note) if x)}
                )
            )
    site = ctx.require_site()
    period = f"Quý {quarter}/{year}" if quarter else f"Năm {year}"
    data = DisclosureChecklistData(
        letterhead=letterhead(ctx),
        trace=trace(ctx, period),
        year=year,
        quarter=quarter,
        items=out,
        filled=not blank,
        issued_on=None if blank else ctx.today(),
        prepared_by=MinutesSigner("Người lập", "" if blank else site.user_name),
        approved_by=MinutesSigner("Lãnh đạo UBND", "" if blank else _setting(ctx, "signer_name")),
    )
    step(0.25, "Đang tạo bảng kiểm công khai…")
    return build_disclosure_checklist(data, path, progress=step.builder(0.25))


def _place_kind_words(ctx: AppContext, label: str) -> str:
    """A plan's place kind in the unit's own words ("Trụ sở UBND xã" -> "Trụ sở UBND phường
    Ninh Hòa"; "… các thôn, tổ dân phố" -> "… các tổ dân phố" for a phường)."""
    kinds = disclosures.PLACE_KIND_LABELS
    if label == kinds.get("hq", {}).get("vi"):
        return hq_place_name(ctx.require_site().unit_name)
    if label == kinds.get("villages", {}).get("vi"):
        return f"Nhà văn hóa các {_words(ctx)['group']}"
    return nfc(label)


PROVISIONAL_NOTE = "Hạn tính theo lịch ngày nghỉ chưa chính thức"


def _provisional_note(row: Any, provisional: bool) -> Any:
    """The row with a note when its date depends on days off not yet official."""
    if not provisional:
        return row
    from papi_desktop.reports.pdf.models import ExpectedDisclosure

    note = "; ".join(x for x in (row.note, PROVISIONAL_NOTE) if x)
    return ExpectedDisclosure(**{**row.__dict__, "note": note})


def _late_at(item: dict[str, Any], place: dict[str, Any]) -> bool:
    legal = _d(item.get("legal_deadline"))
    return legal is not None and _d(place["posted_on"]) > legal


def _expected_filled(
    title: str,
    basis: str,
    due: date | None,
    places: str,
    forms: str,
    item: dict[str, Any] | None,
    evidence: set[str],
    today: date,
) -> Any:
    from papi_desktop.reports.pdf.models import ExpectedDisclosure

    if item is None:
        late = due is not None and due < today
        return ExpectedDisclosure(
            title, basis, due, None, None, places, forms, False, False, False,
            "Chưa thực hiện, đã quá hạn" if late else "Chưa đến hạn",
        )  # fmt: skip
    posted = [x for x in item["places"] if x["posted_on"]]
    start = min((_d(x["posted_on"]) for x in posted), default=None)
    ends = [_d(x["ends_on"]) for x in posted]
    end = max(ends) if ends and all(ends) else None
    taken = bool(posted) and all(x["taken_down_on"] or x["state"] == "complete" for x in posted)
    # "Địa điểm": where the item was actually posted (with the day), then where not yet.
    unposted = [x["place"] for x in item["places"] if not x["posted_on"]]
    if item["places"]:
        shown = [f"{nfc(x['place'])} ({format_date(_d(x['posted_on']))})" for x in posted]
        parts = [f"Đã niêm yết: {'; '.join(shown)}"] if shown else []
        if unposted:
            parts.append(f"Chưa niêm yết: {'; '.join(nfc(x) for x in unposted)}")
        places = ". ".join(parts)
    notes = []
    if item["posted_late"]:
        late_at = [x["place"] for x in posted if x.get("judgement") and _late_at(item, x)]
        notes.append("Niêm yết sau hạn" + (f" tại {', '.join(late_at)}" if late_at else ""))
    early = [x["place"] for x in item["places"] if x.get("judgement") == "taken_down_early"]
    if early:
        notes.append(f"Gỡ trước hạn tại {', '.join(early)}")
    if unposted and posted:
        notes.append(f"Còn {len(unposted)} nơi chưa niêm yết")
    if item["status"] == "permanent":
        notes.append("Niêm yết thường xuyên")
    return ExpectedDisclosure(
        title,
        basis,
        due or _d(item["post_deadline"]),
        start,
        end,
        places,
        forms,
        bool(posted) and not unposted,
        True if item["id"] in evidence else None,
        None if item["status"] == "permanent" else taken,
        "; ".join(notes),
    )


# -- progress report ------------------------------------------------------------------


def progress_data(ctx: AppContext, year: int) -> dict[str, Any]:
    """Everything the period report needs, as plain values (shared by PDF and XLSX)."""
    _check_year(year)
    fw = tasks.current_framework(ctx)
    cutoff = min(ctx.today(), date(year, 12, 31))
    results = tasks.list_results(ctx, year=year)
    counted = [
        r
        for r in results
        if not r["before_tracking"]
        and (date.fromisoformat(r["due"]) <= cutoff or r["status"] == "done")
    ]
    by_dim = progress_by((r["dimension"], r["status"], r["result"]) for r in counted)
    names = _dimensions(ctx)
    dims = [
        (code, names.get(code, code), by_dim[code].done, by_dim[code].applicable)
        for code in sorted(names, key=lambda c: int(c) if c.isdigit() else 99)
        if code in by_dim
    ]
    unfinished = [r for r in counted if r["overdue"]]
    plan = disclosures.list_plan(ctx, year)
    items = {i["id"]: i for i in disclosures.list_items(ctx)}
    outcomes = []
    # The plan's own states decide (the same as ``disclosures plan``): recorded but not
    # posted everywhere is not disclosed; "expected" and "before tracking" lines are left out.
    outcome_of = {"done": "on_time", "posting": "on_time", "late": "late",
                  "missing": "missing", "recorded": "missing"}  # fmt: skip
    for p in plan:
        due = _d(p["due"])
        item = items.get(p["disclosure_id"] or "")
        label = nfc(p["label"]) or nfc(p["type_name"])
        status = outcome_of.get(p["state"])
        if status is None or (status == "missing" and not (due and due <= cutoff)):
            continue
        posted = [_d(x["posted_on"]) for x in item["places"] if x["posted_on"]] if item else []
        deadline = (_d(item["legal_deadline"]) if item else None) or due
        note = "" if status == "on_time" else p["reason_vi"]
        outcomes.append((label, deadline, min(posted) if posted else None, status, note))
    return {
        "framework": fw,
        "cutoff": cutoff,
        "results": results,
        "dimensions": dims,
        "unfinished": unfinished,
        "disclosures": outcomes,
    }


def progress(
    ctx: AppContext,
    year: int,
    path: Path,
    *,
    number: int | None = None,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """The commune's report of the year to the supervising office: .pdf or .xlsx. On the
    supervising office's PC: the office's own report to the provincial People's Committee."""
    path = check_output(path, (".pdf", ".xlsx"))
    step = _Steps(progress, cancel)
    if ctx.require_site().is_district:
        from papi_desktop.services import office_tasks

        _check_year(year)
        return office_tasks.write_progress(ctx, year, path, number=number, step=step)
    step(0.0, "Đang tổng hợp kết quả…")
    info = progress_data(ctx, year)
    step(0.2, "Đang tạo báo cáo…")
    if path.suffix.lower() == ".xlsx":
        return _progress_xlsx(ctx, year, path, info, step)
    return _progress_pdf(ctx, year, path, info, step, number)


def _progress_pdf(
    ctx: AppContext, year: int, path: Path, info: dict[str, Any], step: _Steps, number: int | None
) -> Path:
    from papi_desktop.reports.pdf.models import (
        DimensionProgress,
        DisclosureOutcome,
        ProgressReportData,
        UnfinishedTask,
    )
    from papi_desktop.reports.pdf.report import build_progress_report

    fw = info["framework"]
    site = ctx.require_site()
    supervisor = site.supervisor_label or "cơ quan giám sát"
    unfinished = [
        UnfinishedTask(
            f"{r['code']} ({Period.parse(r['period']).label_vi.replace(' ', NBSP)})"
            if r["period"] != str(year)
            else r["code"],
            r["title"],
            r["lead_role"],
            nfc(r["note"] or r["na_reason"]) or "Chưa ghi lý do",
        )
        for r in info["unfinished"]
    ]
    data = ProgressReportData(
        letterhead=letterhead(ctx),
        trace=trace(ctx, f"Năm {year}", fw["fw_version"]),
        number=number,
        issued_on=ctx.today(),
        period=f"năm {year}",
        framework_title=nfc(fw["title_vi"]),
        framework_version=fw["fw_version"],
        dimensions=[DimensionProgress(c, n, d, a) for c, n, d, a in info["dimensions"]],
        unfinished=unfinished,
        disclosures=[DisclosureOutcome(*o) for o in info["disclosures"]],
        signer=signer(ctx),
        intro=[
            f"Ủy ban nhân dân {_unit_lower(ctx)} báo cáo {supervisor} kết quả thực hiện "
            f"{_subject(fw['title_vi'])} (phiên bản {fw['fw_version']}) năm {year}, tính trên "
            f"các kỳ đã đến hạn đến ngày {format_date(info['cutoff'])}, như sau:"
        ],
        recipients=[supervisor, f"Thường trực HĐND {_unit_lower(ctx)}"],
    )
    return build_progress_report(data, path, progress=step.builder(0.3))


def _progress_xlsx(
    ctx: AppContext, year: int, path: Path, info: dict[str, Any], step: _Steps
) -> Path:
    from papi_desktop.reports.xlsx.progress import (
        ProgressWorkbookData,
        ResultRow,
        build_progress_workbook,
    )

    fw = info["framework"]
    site = ctx.require_site()
    rows = [
        ResultRow(
            result_id=r["result_id"] or "",
            unit_code=r["unit"],
            task_code=r["code"],
            dimension=r["dimension"],
            criterion=r["criterion"],
            title=r["title"],
            period=r["period"],
            period_label=Period.parse(r["period"]).label_vi,
            lead=r["lead_role"],
            due=date.fromisoformat(r["due"]),
            status=r["status"],
            status_label=tasks.status_label(r["status"]),
            result=r["result"],
            result_label=tasks.result_label(r["result"]),
            done_on=_d(r["done_on"]),
            overdue=bool(r["overdue"]),
            note=nfc(r["note"] or r["na_reason"]) or "",
            framework_version=r["framework_version"],
        )
        for r in info["results"]
    ]
    data = ProgressWorkbookData(
        unit_code=site.unit_code or "",
        unit_name=site.unit_name,
        province_name=site.province_name or "",
        year=year,
        cutoff=info["cutoff"],
        framework_title=nfc(fw["title_vi"]),
        framework_version=fw["fw_version"],
        dimensions=info["dimensions"],
        rows=rows,
        disclosures=info["disclosures"],
        issued_on=ctx.today(),
    )
    step(0.5, "Đang ghi sổ Excel…")
    out = build_progress_workbook(
        data, path, check=lambda f: step(0.5 + 0.5 * f, "Đang ghi sổ Excel…")
    )
    step(1.0, "Xong")
    return out
