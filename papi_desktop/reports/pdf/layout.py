"""Decree 30/2020/NĐ-CP page layout: the building blocks every PDF document is made of.

``Decree30Document`` wraps reportlab's ``BaseDocTemplate``: A4 portrait and landscape page
templates with the decree's margins (top 20, bottom 20, left 30, right 15 mm), the page
number centred in the top margin from page 2 on, and a small grey trace line at the foot
of every page ("PAPI Desktop · unit · period · Khung nhiệm vụ vN", DESIGN §6). Its methods
return flowables for the decree's cells: the two-column heading (issuing body / national
title, number and place-date line), document type and subject, legal bases, body
paragraphs, tables with a repeated header row, the signature block with "Nơi nhận" and
the multi-column signature row of minutes.

Every string is NFC-normalised and, where it goes into a ``Paragraph``, XML-escaped here:
callers pass plain text.
"""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from papi_desktop.domain.dates import format_place_date
from papi_desktop.domain.text import printable
from papi_desktop.reports.pdf.fonts import BOLD, BOLD_ITALIC, FAMILY, ITALIC, register_fonts
from papi_desktop.reports.pdf.models import Letterhead, MinutesSigner, Signer, TableColumn, Trace

MM = 72.0 / 25.4
TOP_MARGIN = 20 * MM
BOTTOM_MARGIN = 20 * MM
LEFT_MARGIN = 30 * MM
RIGHT_MARGIN = 15 * MM

BODY_SIZE = 13
TABLE_SIZE = 11
CELL_PAD = 3

PORTRAIT = "portrait"
LANDSCAPE = "landscape"

Progress = Callable[[float], None]


def nfc(text: object) -> str:
    """``text`` as an NFC string without control characters ("" for None)."""
    if text is None:
        return ""
    return printable(unicodedata.normalize("NFC", str(text)))


def esc(text: object) -> str:
    """NFC-normalised and XML-escaped, ready for a ``Paragraph``."""
    return escape(nfc(text))


def roman(n: int) -> str:
    """Roman numeral for 1–3999 (quarters, section numbers)."""
    out = []
    for value, sym in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def number_line(number: int | None, symbol: str) -> str:
    """ "Số: 05/TB-UBND"; a blank number leaves room to write it by hand."""
    shown = f"{number:02d}" if number is not None else "\u00a0" * 8
    return f"Số: {shown}/{nfc(symbol)}"


def place_date_line(place: str, day: date | None) -> str:
    """ "Ninh Hòa, ngày 05 tháng 01 năm 2026"; without a date, blanks to fill by hand."""
    if day is None:
        return f"{nfc(place)}, ngày ..... tháng ..... năm ........"
    return nfc(format_place_date(nfc(place), day))


def text_width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(nfc(text), font, size)


def fit_column(
    columns: Sequence[TableColumn], index: int, texts: Sequence[str], take_from: int
) -> tuple[TableColumn, ...]:
    """``columns`` with column ``index`` wide enough that none of ``texts`` (nor a word of
    its one-line header) wraps, e.g. task codes like "D1.1-01"; the width is taken from (or given
    back to) column ``take_from`` so the table keeps its total width."""
    from dataclasses import replace

    col = columns[index]
    widest = max(
        [text_width(t, FAMILY, TABLE_SIZE) for t in texts if t]
        + [text_width(col.header, BOLD, TABLE_SIZE - 1)],
        default=0.0,
    )
    need_mm = (widest + 2 * CELL_PAD + 2) / MM
    delta = need_mm - col.width_mm
    out = list(columns)
    out[index] = replace(col, width_mm=need_mm)
    out[take_from] = replace(columns[take_from], width_mm=columns[take_from].width_mm - delta)
    return tuple(out)


def longest_token(text: str, font: str = FAMILY, size: float = TABLE_SIZE) -> float:
    """Width in points of the widest run of ``text`` between spaces (what cannot wrap)."""
    return max((text_width(w, font, size) for w in nfc(text).split()), default=0.0)


def fit_tokens(
    widths: Sequence[float], columns: Sequence[TableColumn], rows: Sequence[Any]
) -> list[float]:
    """Column widths (points) widened so that no word of a cell or header is broken: a
    column narrower than its longest word gets that width, taken from the columns with
    room to spare (in proportion to their spare room); the total stays the same. Where the
    total is not enough, the widths are left as they are (lines then overflow a little
    rather than split "10/2022/QH15")."""
    need, wraps = [], []
    for i, col in enumerate(columns):
        widest = longest_token(col.header, BOLD, TABLE_SIZE - 1)
        longest = 0.0
        for row in rows:
            if isinstance(row, GroupRow) or i >= len(row) or not isinstance(row[i], str):
                continue
            widest = max(widest, longest_token(row[i]))
            longest = max(longest, max((text_width(x, FAMILY, TABLE_SIZE) for x in
                                        nfc(row[i]).split("\n")), default=0.0))  # fmt: skip
        need.append(widest + 2 * CELL_PAD + 1)
        wraps.append(longest + 2 * CELL_PAD > widths[i])
    out = list(widths)
    short = sum(max(0.0, n - w) for n, w in zip(need, out, strict=True))
    if short <= 0:
        return out
    # Width comes first from columns whose text wraps anyway (a long title column), then,
    # if that is not enough, from any column with room to spare.
    spare = [max(0.0, w - n) if wrap else 0.0 for n, w, wrap in zip(need, out, wraps, strict=True)]
    if sum(spare) < short:
        spare = [max(0.0, w - n) for n, w in zip(need, out, strict=True)]
    if sum(spare) < short:
        return out
    ratio = short / sum(spare)
    return [max(n, w - s * ratio) for n, w, s in zip(need, out, spare, strict=True)]


@dataclass(frozen=True)
class GroupRow:
    """A full-width bold row inside a table (e.g. a PAPI dimension heading)."""

    text: str


class Styles:
    """Paragraph styles of the decree, built once fonts are registered."""

    def __init__(self) -> None:
        from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle

        def ps(name: str, **kw: Any) -> ParagraphStyle:
            kw.setdefault("fontName", FAMILY)
            # Break lines at spaces: "10/2022/QH15" or "D2.1-03" stays whole. Only a word
            # wider than the whole line or table cell (a pasted URL) is split, so that it
            # wraps inside its cell instead of running off the page.
            kw.setdefault("splitLongWords", 1)
            kw.setdefault("fontSize", BODY_SIZE)
            kw.setdefault("leading", kw["fontSize"] * 1.22)
            # No single first line left at a page foot, no single last line atop a page.
            kw.setdefault("allowOrphans", 0)
            kw.setdefault("allowWidows", 0)
            return ParagraphStyle(name, **kw)

        self.body = ps("body", alignment=TA_JUSTIFY, firstLineIndent=10 * MM, spaceAfter=6)
        self.body_flush = ps("body_flush", alignment=TA_JUSTIFY, spaceAfter=6)
        self.body_left = ps("body_left", alignment=TA_LEFT, firstLineIndent=10 * MM, spaceAfter=6)
        self.body_centre = ps("body_centre", alignment=TA_CENTER, spaceAfter=6)
        self.section = ps(
            "section",
            fontName=BOLD,
            alignment=TA_JUSTIFY,
            firstLineIndent=10 * MM,
            spaceAfter=6,
            keepWithNext=1,
        )
        self.basis = ps("basis", fontName=ITALIC, alignment=TA_JUSTIFY, firstLineIndent=10 * MM)
        self.head_upper = ps("head_upper", fontSize=12, alignment=TA_CENTER)
        self.head_bold = ps("head_bold", fontName=BOLD, fontSize=12, alignment=TA_CENTER)
        self.motto_title = ps("motto_title", fontName=BOLD, fontSize=12, alignment=TA_CENTER)
        self.motto = ps("motto", fontName=BOLD, fontSize=13, alignment=TA_CENTER)
        self.number = ps("number", fontSize=13, alignment=TA_CENTER)
        self.place_date = ps("place_date", fontName=ITALIC, fontSize=13, alignment=TA_CENTER)
        self.doc_type = ps("doc_type", fontName=BOLD, fontSize=14, alignment=TA_CENTER)
        self.subject = ps("subject", fontName=BOLD, fontSize=13, alignment=TA_CENTER)
        self.sign_bold = ps("sign_bold", fontName=BOLD, alignment=TA_CENTER)
        self.sign_note = ps("sign_note", fontName=ITALIC, fontSize=11, alignment=TA_CENTER)
        self.recipients_title = ps("recipients_title", fontName=BOLD_ITALIC, fontSize=12)
        self.recipient = ps("recipient", fontSize=11, leading=13)
        self.cell = ps("cell", fontSize=TABLE_SIZE, leading=TABLE_SIZE * 1.18)
        self.cell_centre = ps(
            "cell_centre", fontSize=TABLE_SIZE, leading=TABLE_SIZE * 1.18, alignment=TA_CENTER
        )
        self.cell_right = ps(
            "cell_right", fontSize=TABLE_SIZE, leading=TABLE_SIZE * 1.18, alignment=TA_RIGHT
        )
        self.cell_head = ps(
            "cell_head",
            fontName=BOLD,
            fontSize=TABLE_SIZE - 1,
            leading=(TABLE_SIZE - 1) * 1.18,
            alignment=TA_CENTER,
        )
        self.cell_group = ps(
            "cell_group",
            fontName=BOLD,
            fontSize=TABLE_SIZE,
            leading=TABLE_SIZE * 1.18,
            alignment=TA_LEFT,
        )
        self.small = ps("small", fontSize=11, leading=13.5, alignment=TA_JUSTIFY, spaceAfter=4)


def _cell_style(styles: Styles, align: str):
    return {"CENTER": styles.cell_centre, "RIGHT": styles.cell_right}.get(
        align.upper(), styles.cell
    )


class CheckBox:
    """Factory for a drawn status box (DejaVu Serif has no ☐/☒): empty, or crossed (☒)."""

    @staticmethod
    def make(checked: bool, size: float = 9.0):
        from reportlab.platypus import Flowable

        class _Box(Flowable):
            def __init__(self) -> None:
                super().__init__()
                self.checked = checked
                self.size = size
                self.hAlign = "CENTER"

            def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
                return self.size, self.size

            def draw(self) -> None:
                c = self.canv
                c.setLineWidth(0.7)
                c.rect(0, 0, self.size, self.size, stroke=1, fill=0)
                if self.checked:
                    inset = self.size * 0.2
                    c.setLineWidth(1.1)
                    c.line(inset, inset, self.size - inset, self.size - inset)
                    c.line(inset, self.size - inset, self.size - inset, inset)

        return _Box()


class Decree30Document:
    """One PDF being assembled in the Decree 30 layout; call ``build(story)`` at the end."""

    def __init__(
        self,
        path: Path,
        trace: Trace,
        *,
        landscape: bool = False,
        title: str = "",
        progress: Progress | None = None,
        expected_pages: int | None = None,
    ) -> None:
        register_fonts()
        self.path = Path(path)
        self.trace = trace
        self.first_orientation = LANDSCAPE if landscape else PORTRAIT
        self.title = nfc(title)
        self.progress = progress
        self.expected_pages = max(1, expected_pages or 1)
        self.styles = Styles()

    # ---- geometry -------------------------------------------------------------------------

    @staticmethod
    def page_size(orientation: str) -> tuple[float, float]:
        from reportlab.lib.pagesizes import A4, landscape

        return landscape(A4) if orientation == LANDSCAPE else A4

    def frame_width(self, orientation: str | None = None) -> float:
        w, _ = self.page_size(orientation or self.first_orientation)
        return w - LEFT_MARGIN - RIGHT_MARGIN

    # ---- heading --------------------------------------------------------------------------

    def heading(
        self,
        letterhead: Letterhead,
        number: int | None,
        symbol: str | None,
        day: date | None,
        *,
        with_date: bool = True,
    ) -> list[Any]:
        """Cells 1–4: issuing body and number on the left, national title and date right.
        ``symbol`` None leaves out the number line (internal working papers)."""
        from reportlab.platypus import Paragraph, Table, TableStyle

        s = self.styles
        title_text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        motto_text = "Độc lập - Tự do - Hạnh phúc"
        width = self.frame_width()
        right_w = max(text_width(title_text, BOLD, 12) + 6 * MM, width * 0.58)
        left_w = width - right_w

        left: list[Any] = []
        if letterhead.parent_body:
            left.append(Paragraph(esc(nfc(letterhead.parent_body).upper()), s.head_upper))
        body_lines = [nfc(line).upper() for line in letterhead.issuing_body if nfc(line).strip()]
        for line in body_lines:
            left.append(Paragraph(esc(line), s.head_bold))
        widest = max((text_width(line, BOLD, 12) for line in body_lines), default=40 * MM)
        left.append(_rule(min(widest, left_w) * 0.4))

        motto_w = text_width(motto_text, BOLD, 13)
        right = [
            Paragraph(title_text, s.motto_title),
            Paragraph(esc(motto_text), s.motto),
            _rule(motto_w),
        ]
        number_cell = Paragraph(esc(number_line(number, symbol)), s.number) if symbol else ""
        date_cell = (
            Paragraph(esc(place_date_line(letterhead.place, day)), s.place_date)
            if with_date
            else ""
        )
        table = Table(
            [[left, right], [number_cell, date_cell]],
            colWidths=[left_w, right_w],
            hAlign="CENTER",
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 1), (-1, 1), 4),
                ]
            )
        )
        table._papi_fixed = True  # never carried to the signature's page
        return [table]

    def doc_title(self, doc_type: str, subject: str | Sequence[str] | None = None) -> list[Any]:
        """Cell 5a: the document type, then the subject line(s) with a short rule under it."""
        from reportlab.platypus import Paragraph, Spacer

        s = self.styles
        out: list[Any] = [Spacer(1, 16), Paragraph(esc(nfc(doc_type).upper()), s.doc_type)]
        lines = [subject] if isinstance(subject, str) else list(subject or [])
        lines = [nfc(line) for line in lines if nfc(line).strip()]
        for line in lines:
            out.append(Paragraph(esc(line), s.subject))
        widest = max(
            (min(text_width(line, BOLD, 13), self.frame_width()) for line in lines),
            default=text_width(nfc(doc_type).upper(), BOLD, 14),
        )
        out.append(Spacer(1, 2))
        out.append(_rule(max(widest * 0.4, 20 * MM)))
        out.append(Spacer(1, 10))
        return out

    def legal_bases(self, bases: Sequence[str]) -> list[Any]:
        """Cell 6: "Căn cứ …;" one per line, italic, the last ending with "."."""
        from reportlab.platypus import Paragraph, Spacer

        from papi_desktop.reports.pdf.legal import expand_reference

        cleaned = [
            expand_reference(nfc(b).strip().rstrip(";.").strip()) for b in bases if nfc(b).strip()
        ]
        out: list[Any] = []
        for i, basis in enumerate(cleaned):
            end = "." if i == len(cleaned) - 1 else ";"
            out.append(Paragraph(esc(basis + end), self.styles.basis))
        if out:
            out.append(Spacer(1, 6))
        return out

    # ---- body -----------------------------------------------------------------------------

    def para(self, text: str, *, label: str | None = None, indent: bool = True) -> Any:
        """A justified body paragraph; ``label`` is printed bold before the text. A labelled
        line of at most two lines ("Người liên hệ: …") is left-aligned: justifying it would
        stretch its few words across the line."""
        from reportlab.platypus import Paragraph

        markup = esc(text)
        style = self.styles.body if indent else self.styles.body_flush
        if label:
            markup = f"<b>{esc(label)}</b> {markup}"
            used = text_width(f"{label} ", BOLD, BODY_SIZE) + text_width(text, FAMILY, BODY_SIZE)
            if indent and used + 10 * MM < 2 * self.frame_width() * 0.95:
                style = self.styles.body_left
        return Paragraph(markup, style)

    def bullets(self, items: Sequence[str]) -> list[Any]:
        """ "- item;" lines, the last one ending with "."."""
        cleaned = [nfc(i).strip().rstrip(".;").strip() for i in items if nfc(i).strip()]
        return [
            self.para(f"- {item}{'.' if k == len(cleaned) - 1 else ';'}")
            for k, item in enumerate(cleaned)
        ]

    def section(self, text: str) -> Any:
        """A bold, indented section heading inside the body ("1. …", "I. …")."""
        from reportlab.platypus import Paragraph

        return Paragraph(esc(text), self.styles.section)

    def small(self, text: str) -> Any:
        from reportlab.platypus import Paragraph

        return Paragraph(esc(text), self.styles.small)

    def table(
        self,
        columns: Sequence[TableColumn],
        rows: Sequence[Sequence[Any] | GroupRow],
        *,
        orientation: str | None = None,
        zebra: bool = False,
    ) -> Any:
        """A gridded table whose header row repeats on every page.

        Column widths are given in millimetres and scaled down if they exceed the frame.
        A cell becomes a wrapping ``Paragraph`` only when its text does not fit on one line
        (plain strings are several times faster for long lists); flowables pass through.
        """
        from reportlab.lib import colors
        from reportlab.platypus import Paragraph, Table, TableStyle

        s = self.styles
        frame_w = self.frame_width(orientation)
        widths = [c.width_mm * MM for c in columns]
        total = sum(widths)
        if total > frame_w:
            widths = [w * frame_w / total for w in widths]
        widths = fit_tokens(widths, columns, rows)
        header = [Paragraph(esc(c.header), s.cell_head) for c in columns]
        data: list[list[Any]] = [header]
        commands: list[tuple] = [
            ("FONTNAME", (0, 0), (-1, -1), FAMILY),
            ("FONTSIZE", (0, 0), (-1, -1), TABLE_SIZE),
            ("LEADING", (0, 0), (-1, -1), TABLE_SIZE * 1.18),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("VALIGN", (0, 1), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E6E6E6")),
        ]
        for i, col in enumerate(columns):
            commands.append(("ALIGN", (i, 1), (i, -1), col.align.upper()))
        for r, row in enumerate(rows, start=1):
            if isinstance(row, GroupRow):
                data.append([Paragraph(esc(row.text), s.cell_group)] + [""] * (len(columns) - 1))
                commands.append(("SPAN", (0, r), (-1, r)))
                commands.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#F2F2F2")))
                continue
            cells: list[Any] = []
            for i, col in enumerate(columns):
                value = row[i] if i < len(row) else ""
                cells.append(self._cell(value, widths[i], col.align))
            data.append(cells)
            if zebra and r % 2 == 0:
                commands.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#F7F7F7")))
        table = Table(
            data, colWidths=widths, repeatRows=1, hAlign="CENTER", spaceBefore=2, spaceAfter=8
        )
        table.setStyle(TableStyle(commands))
        return table

    def _cell(self, value: Any, width: float, align: str) -> Any:
        from reportlab.platypus import Paragraph

        if value is None:
            return ""
        if not isinstance(value, str):
            if isinstance(value, int | float):
                return nfc(value)
            return value  # already a flowable (check box, image, …)
        text = nfc(value)
        if "\n" in text or text_width(text, FAMILY, TABLE_SIZE) > width - 2 * CELL_PAD:
            markup = "<br/>".join(esc(part) for part in text.split("\n"))
            return Paragraph(markup, _cell_style(self.styles, align))
        return text

    def check_box(self, checked: bool | None) -> Any:
        """A drawn box: crossed when ``checked`` is True, empty otherwise."""
        return CheckBox.make(bool(checked))

    # ---- signatures -----------------------------------------------------------------------

    def signature_block(
        self,
        signer: Signer | None,
        recipients: Sequence[str] | None,
        archive: str | None = None,
        *,
        lead: Sequence[Any] = (),
    ) -> Any:
        """Cells 7 and 9b: "Nơi nhận" at the left, level with the signer's authority line.
        ``lead`` (the closing paragraph(s)) is kept on the same page as the signature, so
        the signature never stands alone at the top of a page; see ``closing_flow`` for how
        the end of the document is laid out."""

        def final(tight: bool) -> list[Any]:
            table = self._signer_table(signer, recipients, archive, 20 if tight else 26)
            return [*lead, _gap(3 if tight else 12), table]

        return closing_flow(final, self.styles.body.leading)

    def _signer_table(
        self,
        signer: Signer | None,
        recipients: Sequence[str] | None,
        archive: str | None,
        sign_space_mm: float,
    ) -> Any:
        from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

        s = self.styles
        width = self.frame_width()
        left: list[Any] = []
        items = [nfc(r).strip().rstrip(";.").strip() for r in (recipients or []) if nfc(r).strip()]
        if archive:
            items.append(nfc(archive).strip().rstrip(";.").strip())
        if items:
            left.append(Paragraph("Nơi nhận:", s.recipients_title))
            for i, item in enumerate(items):
                end = "." if i == len(items) - 1 else ";"
                text = item if item.startswith("-") else f"- {item}"
                left.append(Paragraph(esc(text + end), s.recipient))
        right: list[Any] = []
        if signer is not None:
            if signer.authority:
                right.append(Paragraph(esc(nfc(signer.authority).upper()), s.sign_bold))
            if signer.position:
                right.append(Paragraph(esc(nfc(signer.position).upper()), s.sign_bold))
            right.append(Spacer(1, sign_space_mm * MM))
            right.append(Paragraph(esc(signer.name), s.sign_bold))
        table = Table([[left, right]], colWidths=[width * 0.45, width * 0.55], hAlign="CENTER")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return table

    def signature_row(
        self,
        signers: Sequence[MinutesSigner],
        per_row: int = 4,
        *,
        lead: Sequence[Any] = (),
        tail: Sequence[Any] = (),
    ) -> Any:
        """Minutes: one column per signer (title, "(Ký, ghi rõ họ tên)", space, name),
        kept on one page with the ``lead`` paragraph(s) before it and ``tail`` after it
        (e.g. ``recipients_only``); see ``closing_flow``."""
        from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

        s = self.styles
        signers = list(signers)
        per_row = max(1, min(per_row, len(signers) or 1))
        width = self.frame_width() / per_row

        def final(tight: bool) -> list[Any]:
            if not signers:
                return [*lead, Spacer(1, 1), *tail]
            rows: list[list[Any]] = []
            for start in range(0, len(signers), per_row):
                chunk = signers[start : start + per_row]
                row: list[Any] = []
                for signer in chunk:
                    cell: list[Any] = [Paragraph(esc(nfc(signer.title).upper()), s.sign_bold)]
                    cell.append(Paragraph("(Ký, ghi rõ họ tên)", s.sign_note))
                    cell.append(Spacer(1, (18 if tight else 22) * MM))
                    cell.append(Paragraph(esc(signer.name), s.sign_bold))
                    row.append(cell)
                row.extend([""] * (per_row - len(chunk)))
                rows.append(row)
            table = Table(rows, colWidths=[width] * per_row, hAlign="CENTER")
            table.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 2),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 4 if tight else 10),
                    ]
                )
            )
            return [*lead, _gap(3 if tight else 10), table, *tail]

        return closing_flow(final, self.styles.body.leading)

    def recipients_only(self, recipients: Sequence[str], archive: str | None = None) -> Any:
        """ "Nơi nhận" alone, for the ``tail`` of ``signature_row`` (minutes put it under
        the signature row)."""
        table = self._signer_table(None, recipients, archive, 0)
        table.spaceBefore = 6
        return table

    # ---- orientation changes ---------------------------------------------------------------

    def switch_to(self, orientation: str) -> list[Any]:
        """Flowables that start a new page in ``orientation`` (e.g. a landscape annex)."""
        from reportlab.platypus import NextPageTemplate, PageBreak

        return [NextPageTemplate(orientation), PageBreak()]

    # ---- build ----------------------------------------------------------------------------

    def build(self, story: list[Any]) -> Path:
        """Lay out ``story`` and write the PDF atomically (temporary file, then rename); a
        ``.docx`` path gets the same story as a Word document (``reports.word``)."""
        if self.path.suffix.lower() == ".docx":
            from papi_desktop.reports.word import write_docx

            return write_docx(self, story)
        from reportlab.lib import colors
        from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".part")
        trace_text = self.trace.footer_text()
        report = self.progress

        def decorate(canvas: Any, doc: Any) -> None:
            w, h = canvas._pagesize
            canvas.saveState()
            if doc.page > 1:
                canvas.setFont(FAMILY, BODY_SIZE)
                canvas.drawCentredString(w / 2, h - TOP_MARGIN / 2 - 4, str(doc.page))
            canvas.setFont(FAMILY, 7.5)
            canvas.setFillColor(colors.HexColor("#808080"))
            canvas.drawCentredString(
                (w + LEFT_MARGIN - RIGHT_MARGIN) / 2, BOTTOM_MARGIN / 2 - 2, trace_text
            )
            canvas.restoreState()

        def template(orientation: str) -> PageTemplate:
            w, h = self.page_size(orientation)
            frame = Frame(
                LEFT_MARGIN,
                BOTTOM_MARGIN,
                w - LEFT_MARGIN - RIGHT_MARGIN,
                h - TOP_MARGIN - BOTTOM_MARGIN,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
                id=f"body-{orientation}",
            )
            return PageTemplate(id=orientation, frames=[frame], onPage=decorate, pagesize=(w, h))

        first = self.first_orientation
        other = PORTRAIT if first == LANDSCAPE else LANDSCAPE
        doc = BaseDocTemplate(
            str(partial),
            pagesize=self.page_size(first),
            leftMargin=LEFT_MARGIN,
            rightMargin=RIGHT_MARGIN,
            topMargin=TOP_MARGIN,
            bottomMargin=BOTTOM_MARGIN,
            title=self.title,
            author=nfc(self.trace.unit),
            subject=trace_text,
            creator="PAPI Desktop",
            pageTemplates=[template(first), template(other)],
        )
        expected = self.expected_pages

        if report is not None:
            report(0.0)

            def on_progress(kind: str, value: int) -> None:
                if kind == "PAGE":
                    report(min(0.97, value / (expected + 1)))

            doc.setProgressCallBack(on_progress)
        frame_height = self.page_size(first)[1] - TOP_MARGIN - BOTTOM_MARGIN
        story = absorb_body(story, frame_height, self.frame_width(first))
        try:
            doc.build(story)
            os.replace(partial, self.path)
        finally:
            if partial.exists():
                partial.unlink()
        if report is not None:
            report(1.0)
        return self.path


def _rule(width: float) -> Any:
    """A solid line of ``width`` points, centred in whatever width it is given."""
    from reportlab.platypus import Flowable

    class _CentredRule(Flowable):
        def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
            self._avail = availWidth
            return availWidth, 6

        def draw(self) -> None:
            w = min(width, self._avail)
            x = (self._avail - w) / 2
            self.canv.setLineWidth(0.6)
            self.canv.line(x, 3.5, x + w, 3.5)

    rule = _CentredRule()
    rule.rule_width = width  # read by the Word writer (reports/word.py)
    return rule


def _gap(height: float) -> Any:
    from reportlab.platypus import Spacer

    return Spacer(1, height)


# Lines of body text that go with the closing paragraph and signature to their page.
CARRY_LINES = 3


def closing_flow(final: Callable[[bool], list[Any]], leading: float) -> Any:
    """The end of a document: ``final(tight)`` gives the closing paragraph(s) and signature
    that always share a page (``tight`` with less space before and for the signature).

    ``Decree30Document.build`` hands it the body flowables just before it (about a page of
    them, back to the heading or a page break). When it does not fit on the current page
    it is laid out in this order of preference:

    1. the body and the tightened signature on the current page;
    2. the body runs on, but at least ``CARRY_LINES`` lines of it go to the next page with
       the signature (a paragraph split keeps two lines either side, a table repeats its
       header, a section heading is never left at a page foot);
    3. everything to the next page (little body left, or nothing of it fits here).
    """
    return _closing_class()(final, CARRY_LINES * leading + 6)


@functools.cache
def _closing_class() -> type:
    from reportlab.platypus import Flowable, Image, Paragraph, Spacer, Table

    def heights(flowables: Sequence[Any], aw: float, canv: Any) -> float:
        """Height the frame uses for ``flowables`` stacked (space after the last excluded)."""
        total = 0.0
        for i, f in enumerate(flowables):
            _, h = f.wrapOn(canv, aw, 0xFFFFFF)
            total += h + f.getSpaceBefore()
            if i < len(flowables) - 1:
                total += f.getSpaceAfter()
        return total

    def take(body: list[Any], aw: float, budget: float, canv: Any) -> tuple[list, list]:
        """The leading part of ``body`` that fits in ``budget`` points, and the rest."""
        head: list[Any] = []
        used = 0.0
        rest: list[Any] = []
        for i, f in enumerate(body):
            _, h = f.wrapOn(canv, aw, 0xFFFFFF)
            need = f.getSpaceBefore() + h
            if used + need <= budget:
                head.append(f)
                used += need + f.getSpaceAfter()
                continue
            room = budget - used - f.getSpaceBefore()
            parts = f.splitOn(canv, aw, room) if room > 0 else []
            if (
                len(parts) > 1
                and isinstance(parts[0], Paragraph | Table)
                and parts[0].wrapOn(canv, aw, room)[1] <= room
            ):
                head.append(parts[0])
                rest = [*parts[1:], *body[i + 1 :]]
            else:
                rest = list(body[i:])
            break
        while head and head[-1].getKeepWithNext():
            rest.insert(0, head.pop())
        return head, rest

    class ClosingFlow(Flowable):
        def __init__(self, final: Callable[[bool], list[Any]], carry: float) -> None:
            super().__init__()
            self.final = final
            self.carry = carry
            self.body: list[Any] = []

        @staticmethod
        def absorbable(f: Any) -> bool:
            if getattr(f, "_papi_fixed", False):
                return False
            return isinstance(f, Paragraph | Table | Image) or type(f) is Spacer

        def wrap(self, aW: float, aH: float) -> tuple[float, float]:
            return aW, 0xFFFFFF  # always split: ``split`` chooses the layout

        def _rest(self, body: list[Any]) -> Any:
            out = ClosingFlow(self.final, self.carry)
            out.body = body
            return out

        def split(self, aW: float, aH: float) -> list[Any]:
            canv = self.canv
            body = self.body
            for tight in (False, True):
                final = self.final(tight)
                if heights([*body, *final], aW, canv) <= aH:
                    return [*body, *final]
            frame = getattr(self, "_frame", None)
            at_top = bool(getattr(frame, "_atTop", False))
            full = getattr(frame, "_aH", aH)
            final = self.final(False)
            if heights(final, aW, canv) + self.carry > full:
                return [*body, *final]  # an enormous signature: let it flow as it can
            budget = min(aH, heights(body, aW, canv) - self.carry) if body else 0.0
            head, rest = take(body, aW, budget, canv) if budget > 0 else ([], body)
            if not head and at_top:
                head, rest = take(body, aW, aH, canv)
                if not head:
                    return [*body, *final]
            if not head:
                return []  # the whole end goes to the next page
            return [*head, self._rest(rest)]

    return ClosingFlow


def absorb_body(story: list[Any], frame_height: float, width: float) -> list[Any]:
    """``story`` with each closing flow holding the body flowables just before it: back to
    the first that cannot be carried (heading, page break, another keep) or to about a
    page of text, so that it can move some of them to the signature's page."""
    cls = _closing_class()
    out: list[Any] = []
    for f in story:
        if isinstance(f, cls) and not f.body:
            taken: list[Any] = []
            height = 0.0
            # A section heading just before what is taken is taken too (it keeps with next).
            while (
                out
                and cls.absorbable(out[-1])
                and (height < frame_height or out[-1].getKeepWithNext())
            ):
                try:
                    _, h = out[-1].wrap(width, 0xFFFFFF)
                except Exception:  # a flowable that needs a canvas to measure: leave it
                    break
                height += h
                taken.insert(0, out.pop())
            f.body = taken
        out.append(f)
    return out
