"""What every printed document shares: the output check, progress and cancel steps, the
letterhead, the signer and the trace line, the unit's words for its villages, and the
wording helpers (legal bases, places, forms of disclosure, contact) used by several
documents."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from papi_desktop.domain.dates import format_date
from papi_desktop.domain.text import fold, nfc
from papi_desktop.errors import UserError
from papi_desktop.services import disclosures, tasks, units
from papi_desktop.services.context import AppContext

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


def check_output(path: Path, suffixes: tuple[str, ...] = (".pdf", ".docx")) -> Path:
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


def _bases(ctx: AppContext, item: dict[str, Any], t: dict[str, Any]) -> list[str]:
    """ "Căn cứ …" lines: the type's legal basis, then the item's decision with its date and
    issuer (the layout writes the abbreviations out in full)."""
    bases = legal_basis_lines(t["legal_basis"])
    if item.get("decision_no"):
        bases.append(
            document_basis(item["decision_no"], item.get("decision_date"), _unit_lower(ctx))
        )
    return bases


def _dimensions(ctx: AppContext, index: str = tasks.DEFAULT_INDEX) -> dict[str, str]:
    """Dimension code -> name of ``index``; "" -> "Khác" (tasks under no dimension)."""
    from papi_desktop.domain.subdimensions import OTHER, OTHER_VI

    names = {
        c["code"]: c["name_vi"] for c in tasks.criteria(ctx, index) if c["level"] == "dimension"
    }
    return {**names, OTHER: OTHER_VI}


def _check_year(year: int) -> int:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise UserError(f"Năm “{year}” không hợp lệ.", f"Invalid year “{year}”.")
    return year


def _late_at(item: dict[str, Any], place: dict[str, Any]) -> bool:
    """Whether ``place`` was posted after the item's legal deadline."""
    legal = _d(item.get("legal_deadline"))
    return legal is not None and _d(place["posted_on"]) > legal
