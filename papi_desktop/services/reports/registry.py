"""Every printable document declared once: its key, its labels, the inputs it needs, the
formats it can be saved in, its file-name rule and how it is built.

The CLI (``report …`` commands), the Reports page and the print buttons of the disclosure
page all read ``SPECS``; adding a document means adding a module and one ``ReportSpec``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from papi_desktop.errors import UserError
from papi_desktop.services.context import AppContext
from papi_desktop.services.reports.common import ProgressFn, check_output
from papi_desktop.services.reports.files import documents_dir, file_name

PDF, DOCX, XLSX = ".pdf", ".docx", ".xlsx"

# What an input means (the page shows one field per input a spec names):
#   item      a disclosure item (id)          place     one place of it, or all (None)
#   day       the document's date (default: the event's date)
#   year      a year                           quarter   1–4, required
#   quarter_optional  1–4 or the whole year    blank     a blank form to fill by hand
#   number    the document number (blank: written by hand)
#   content   the list printed with a notice (.xlsx/.csv), with its printed ``columns``
INPUTS = (
    "item",
    "place",
    "day",
    "year",
    "quarter",
    "quarter_optional",
    "blank",
    "number",
    "content",
)


@dataclass
class ReportRequest:
    """The inputs of one document, whichever it is (unused ones stay None)."""

    item_id: str | None = None
    place: str | None = None
    day: date | None = None
    year: int | None = None
    quarter: int | None = None
    blank: bool = False
    number: int | None = None
    content: Path | None = None
    columns: str | None = None  # the content list's printed columns: "1,2,5" or header names
    index: str | None = None  # the checklist index of the task documents (None: PAPI)


Build = Callable[..., Path]


@dataclass(frozen=True)
class ReportSpec:
    """One document: ``build(ctx, request, path, progress=, cancel=)`` writes it;
    ``name_parts(ctx, request)`` gives what its file name says (see ``files.file_name``)."""

    key: str
    command: str  # the CLI sub-command: ``papi-desktop report <command>``
    label_vi: str
    label_en: str
    inputs: tuple[str, ...]
    build: Build
    name_parts: Callable[[AppContext, ReportRequest], list]
    formats: tuple[str, ...] = (PDF, DOCX)
    help_vi: str = ""
    roles: tuple[str, ...] = ("commune",)  # which kind of site makes it

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_vi

    def check_output(self, path: Path) -> Path:
        """``path`` refused unless it ends with one of ``formats`` and its folder exists."""
        return check_output(path, self.formats)

    def default_path(self, ctx: AppContext, request: ReportRequest, suffix: str = PDF) -> Path:
        """The file in the documents folder whose name says what the document is (it may
        exist already: see ``files.free_path``)."""
        if suffix not in self.formats:
            raise UserError(
                f"“{self.label_vi}” không lưu được dạng {suffix}.",
                f"“{self.label_en}” cannot be saved as {suffix}.",
            )
        parts = self.name_parts(ctx, request)
        year = next((p.year for p in parts if isinstance(p, date)), None) or request.year
        return documents_dir(ctx, year) / file_name(parts, suffix)

    def make(
        self,
        ctx: AppContext,
        request: ReportRequest,
        path: Path,
        *,
        progress: ProgressFn | None = None,
        cancel: threading.Event | None = None,
    ) -> Path:
        self.check_output(path)
        return self.build(ctx, request, Path(path), progress=progress, cancel=cancel)


def _need(value, vi: str, en: str):
    if value is None:
        raise UserError(vi, en)
    return value


def _item(request: ReportRequest) -> str:
    return _need(
        request.item_id,
        "Hãy chọn nội dung công khai cần in (thêm ở trang Công khai nếu chưa có).",
        "Choose the disclosure item (add it on the Disclosure page first).",
    )


def _year(request: ReportRequest) -> int:
    return _need(request.year, "Hãy nhập năm.", "Enter the year.")


# -- builds ----------------------------------------------------------------------------


def _notice(ctx, r: ReportRequest, path: Path, **kw) -> Path:
    from papi_desktop.services.reports.notice import posting_notice

    return posting_notice(
        ctx, _item(r), path, r.content, number=r.number, day=r.day, content_columns=r.columns, **kw
    )


def _minutes(kind: str) -> Build:
    def build(ctx, r: ReportRequest, path: Path, **kw) -> Path:
        from papi_desktop.services.reports.minutes import posting_minutes

        return posting_minutes(ctx, _item(r), kind, path, r.place, number=r.number, day=r.day, **kw)

    return build


def _register(ctx, r: ReportRequest, path: Path, **kw) -> Path:
    from papi_desktop.services.reports.register import register

    quarter = _need(r.quarter, "Hãy chọn quý.", "Choose the quarter.")
    return register(ctx, f"{_year(r)}Q{quarter}", path, number=r.number, **kw)


def _framework(ctx, r: ReportRequest, path: Path, **kw) -> Path:
    from papi_desktop.services.reports.framework import framework_sheet

    return framework_sheet(ctx, path, number=r.number, index=_index(r), **kw)


def _checklist(ctx, r: ReportRequest, path: Path, **kw) -> Path:
    from papi_desktop.services.reports.framework import checklist

    return checklist(ctx, _year(r), path, r.blank, index=_index(r), **kw)


def _disclosure_checklist(ctx, r: ReportRequest, path: Path, **kw) -> Path:
    from papi_desktop.services.reports.disclosure_checklist import disclosure_checklist

    return disclosure_checklist(ctx, _year(r), r.quarter, path, r.blank, **kw)


def _consolidated(ctx, r: ReportRequest, path: Path, **kw) -> Path:
    from papi_desktop.services import consolidated_report

    return consolidated_report.write(ctx, _year(r), path, **kw)


def _progress(ctx, r: ReportRequest, path: Path, **kw) -> Path:
    from papi_desktop.services.reports.progress import progress

    return progress(ctx, _year(r), path, number=r.number, index=_index(r), **kw)


def _index(r: ReportRequest) -> str:
    from papi_desktop.services.tasks import DEFAULT_INDEX

    return r.index or DEFAULT_INDEX


def _other_index(r: ReportRequest) -> str | None:
    """The index in a file name, when it is not PAPI (the names of PAPI files stay as
    they were)."""
    from papi_desktop.services.tasks import DEFAULT_INDEX

    return r.index if r.index and r.index != DEFAULT_INDEX else None


# -- file-name rules ---------------------------------------------------------------------


def _item_title(ctx: AppContext, r: ReportRequest) -> str:
    from papi_desktop.services import disclosures

    return disclosures.get_item(ctx, _item(r))["title"]


def _notice_name(ctx: AppContext, r: ReportRequest) -> list:
    from papi_desktop.services.reports.notice import notice_day

    return ["thong-bao-niem-yet", _item_title(ctx, r), notice_day(ctx, _item(r), r.day)]


def _minutes_name(kind: str) -> Callable[[AppContext, ReportRequest], list]:
    def parts(ctx: AppContext, r: ReportRequest) -> list:
        from papi_desktop.services import disclosures
        from papi_desktop.services.reports.minutes import minutes_day

        item = disclosures.get_item(ctx, _item(r))
        where = r.place or ("tat-ca-dia-diem" if len(item["places"]) > 1 else None)
        if where is None and item["places"]:
            where = item["places"][0]["place"]
        stem = "bien-ban-niem-yet" if kind == "start" else "bien-ban-ket-thuc-niem-yet"
        day = minutes_day(ctx, _item(r), kind, r.place, r.day)
        return [stem, item["title"], where, day]

    return parts


SPECS: dict[str, ReportSpec] = {
    s.key: s
    for s in (
        ReportSpec(
            "posting_notice", "posting-notice", "Thông báo niêm yết công khai", "Posting notice",
            ("item", "day", "number", "content"), _notice, _notice_name,
            help_vi="thông báo niêm yết công khai",
        ),
        ReportSpec(
            "minutes_start", "minutes", "Biên bản niêm yết", "Posting minutes",
            ("item", "place", "day", "number"), _minutes("start"), _minutes_name("start"),
            help_vi="biên bản niêm yết / kết thúc niêm yết",
        ),
        ReportSpec(
            "minutes_end", "minutes", "Biên bản kết thúc niêm yết", "End-of-posting minutes",
            ("item", "place", "day", "number"), _minutes("end"), _minutes_name("end"),
        ),
        ReportSpec(
            "register", "register", "Danh mục nội dung đã công khai (quý)",
            "Quarterly disclosure register", ("year", "quarter", "number"), _register,
            lambda ctx, r: ["danh-muc-cong-khai", f"quy-{r.quarter}-{r.year}"],
            help_vi="danh mục nội dung đã công khai trong quý",
        ),
        ReportSpec(
            "framework", "framework", "Bộ khung nhiệm vụ PAPI (để niêm yết)",
            "PAPI task framework sheet", ("number",), _framework,
            lambda ctx, r: ["bo-khung-nhiem-vu", _other_index(r), ctx.today()],
            help_vi="bộ khung nhiệm vụ để niêm yết",
        ),
        ReportSpec(
            "checklist", "checklist", "Bảng kiểm nhiệm vụ PAPI", "PAPI task checklist",
            ("year", "blank"), _checklist,
            lambda ctx, r: ["bang-kiem-nhiem-vu", _other_index(r), f"nam-{r.year}",
                            "mau-trong" if r.blank else None],
            help_vi="phiếu theo dõi nhiệm vụ (trống hoặc đã điền)",
        ),
        ReportSpec(
            "disclosure_checklist", "disclosure-checklist", "Bảng kiểm công khai theo kế hoạch",
            "Disclosure plan checklist", ("year", "quarter_optional", "blank"),
            _disclosure_checklist,
            lambda ctx, r: [
                "bang-kiem-cong-khai", f"nam-{r.year}", f"quy-{r.quarter}" if r.quarter else None,
                "mau-trong" if r.blank else None,
            ],
            help_vi="bảng kiểm công khai theo kế hoạch năm",
        ),
        ReportSpec(
            "progress", "progress", "Báo cáo kết quả thực hiện năm", "Yearly progress report",
            ("year", "number"), _progress,
            lambda ctx, r: ["bao-cao-ket-qua", _other_index(r), f"nam-{r.year}"],
            formats=(PDF, DOCX, XLSX),
            help_vi="báo cáo kết quả gửi cơ quan giám sát (.pdf, .docx hoặc .xlsx)",
        ),
        ReportSpec(
            "consolidated", "consolidated", "Báo cáo tổng hợp các xã, phường",
            "Consolidated report of the communes", ("year",), _consolidated,
            lambda ctx, r: ["tong-hop-papi", f"nam-{r.year}"], formats=(PDF, DOCX, XLSX),
            help_vi="(cơ quan giám sát) báo cáo tổng hợp các xã", roles=("district",),
        ),
    )
}  # fmt: skip


def specs_for(role: str | None) -> list[ReportSpec]:
    """The documents a site of ``role`` ("commune" / "district") makes, in menu order."""
    return [s for s in SPECS.values() if role in s.roles]


def spec(key: str) -> ReportSpec:
    try:
        return SPECS[key]
    except KeyError:
        raise UserError(f"Không có tài liệu “{key}”.", f"No document “{key}”.") from None


# -- scored indices (PAR INDEX): the commune's self-assessment, the office's appraisal ----


def _self_assessment(ctx, r: ReportRequest, path: Path, **kw) -> Path:
    from papi_desktop.services.assess_reports import self_assessment

    return self_assessment(ctx, "PAR", _year(r), path, number=r.number)


def _appraisal(ctx, r: ReportRequest, path: Path, **kw) -> Path:
    from papi_desktop.services.assess_reports import appraisal

    return appraisal(ctx, "PAR", _year(r), path, number=r.number)


SPECS.update(
    (s.key, s)
    for s in (
        ReportSpec(
            "self_assessment", "self-assessment", "Báo cáo tự đánh giá, chấm điểm PAR",
            "PAR self-assessment report", ("year", "number"), _self_assessment,
            lambda ctx, r: ["tu-cham-diem-par", f"nam-{r.year}"], formats=(PDF, DOCX, XLSX),
            help_vi="(xã) báo cáo tự đánh giá, chấm điểm (.pdf, .docx hoặc .xlsx)",
        ),
        ReportSpec(
            "appraisal", "appraisal", "Kết quả thẩm định, xếp hạng PAR",
            "PAR appraisal results", ("year", "number"), _appraisal,
            lambda ctx, r: ["tham-dinh-par", f"nam-{r.year}"], formats=(XLSX, PDF, DOCX),
            help_vi="(cơ quan giám sát) kết quả thẩm định, xếp hạng (.xlsx, .pdf hoặc .docx)",
            roles=("district",),
        ),
    )
)  # fmt: skip
