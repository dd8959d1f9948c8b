"""The Word (.docx) copy of a Decree 30 document, written from the very story the PDF is
laid out from, so the two say the same thing (content is declared once, in the
``build_*`` functions of ``reports.pdf``).

``Decree30Document.build`` hands a ``.docx`` path here. Each flowable of the story becomes
its Word counterpart: a paragraph keeps its style's size, bold/italic, alignment, first-line
indent, line spacing and space after (and the ``<b>``/``<i>``/``<br/>`` of its text); a
table keeps its column widths, grid, shading, spans and repeated header row, and the
borderless two-column heading and signature tables stay borderless; a spacer becomes space
before what follows; the short rules under the heading are bottom borders of a centred,
indented empty paragraph; a drawn check box becomes ☐ or ☒; a chart image is embedded; a
landscape annex starts a landscape section. Pages are A4 with the decree's margins, text
is Times New Roman, the page number is centred in the header from page 2 on and the trace
line is the footer of every page. Officials can then adjust and sign it.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any

from papi_desktop.domain.text import printable
from papi_desktop.reports.pdf.fonts import BOLD, BOLD_ITALIC, ITALIC

FONT = "Times New Roman"
CELL_SIZE = 11.0  # layout.TABLE_SIZE
_TAG = re.compile(r"<(/?)(b|i|br)\s*/?>", re.I)
# A hyphen inside a symbol ("07/2021/TT-BLĐTBXH", "D1.1-01") never ends a line in the PDF
# (it breaks at spaces only); Word gets a non-breaking hyphen (w:noBreakHyphen) there.
_INNER_HYPHEN = re.compile(r"(?<=\S)-(?=\S)")
_ALIGN = {0: "LEFT", 1: "CENTER", 2: "RIGHT", 4: "JUSTIFY"}
BOX_EMPTY, BOX_CHECKED = "☐", "☒"


def write_docx(doc: Any, story: list[Any]) -> Path:
    """Write ``story`` (flowables of ``doc``, a ``Decree30Document``) to ``doc.path`` as
    .docx, atomically (temporary file, then rename)."""
    from docx import Document
    from docx.shared import Pt

    from papi_desktop.reports.pdf.layout import LANDSCAPE

    word = Document()
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    _east_asian_font(normal.element, FONT)
    props = word.core_properties
    props.title = doc.title
    props.author = doc.trace.unit
    props.subject = doc.trace.footer_text()
    props.comments = "PAPI Desktop"
    body = word.element.body
    for p in list(body.iterchildren()):
        if p.tag.endswith("}p"):
            body.remove(p)
    writer = _Writer(word, doc)
    writer.setup_section(word.sections[0], doc.first_orientation == LANDSCAPE)
    writer.flow(story, word)
    if doc.progress is not None:
        doc.progress(0.9)
    doc.path.parent.mkdir(parents=True, exist_ok=True)
    partial = doc.path.with_name(doc.path.name + ".part")
    try:
        word.save(str(partial))
        os.replace(partial, doc.path)
    finally:
        if partial.exists():
            partial.unlink()
    if doc.progress is not None:
        doc.progress(1.0)
    return doc.path


def _east_asian_font(element: Any, name: str) -> None:
    """Set every script's font of a style or run (Word otherwise keeps Calibri for some)."""
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)


# What follows w:pBdr inside w:pPr (ECMA-376 CT_PPrBase), for inserting it in order.
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


class _Writer:
    """Walks the flowables; ``pending`` is the space (points) owed to the next paragraph."""

    def __init__(self, word: Any, doc: Any) -> None:
        self.word = word
        self.doc = doc
        self.pending = 0.0
        self.landscape_next: bool | None = None
        self.keep_next = False  # set while writing what must stay with the signature
        self.cell_style = self._make_cell_style()

    def _make_cell_style(self) -> Any:
        from docx.enum.style import WD_STYLE_TYPE
        from docx.shared import Pt

        style = self.word.styles.add_style("PAPI Table Text", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = self.word.styles["Normal"]
        style.font.size = Pt(CELL_SIZE)
        fmt = style.paragraph_format
        fmt.line_spacing = Pt(CELL_SIZE * 1.18)
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.widow_control = True
        return style

    # -- pages --------------------------------------------------------------------------

    def setup_section(self, section: Any, landscape: bool) -> None:
        from docx.enum.section import WD_ORIENT
        from docx.shared import Mm

        from papi_desktop.reports.pdf import layout

        w, h = Mm(210), Mm(297)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (h, w) if landscape else (w, h)
        section.top_margin = Mm(layout.TOP_MARGIN / layout.MM)
        section.bottom_margin = Mm(layout.BOTTOM_MARGIN / layout.MM)
        section.left_margin = Mm(layout.LEFT_MARGIN / layout.MM)
        section.right_margin = Mm(layout.RIGHT_MARGIN / layout.MM)
        section.header_distance = Mm(8)
        section.footer_distance = Mm(7)
        section.different_first_page_header_footer = True
        for header in (section.header, section.first_page_header):
            header.is_linked_to_previous = False
        self._page_number(section.header)
        for footer in (section.footer, section.first_page_footer):
            footer.is_linked_to_previous = False
            self._trace(footer)

    def _page_number(self, header: Any) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        p = header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run()
        self._font(run, 13)
        for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            else:
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            run._r.append(el)

    def _trace(self, footer: Any) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import RGBColor

        p = footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(self.doc.trace.footer_text())
        self._font(run, 7.5)
        run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)

    def new_section(self, landscape: bool) -> None:
        from docx.enum.section import WD_SECTION

        section = self.word.add_section(WD_SECTION.NEW_PAGE)
        self.setup_section(section, landscape)
        self.pending = 0.0

    # -- flowables ------------------------------------------------------------------------

    def flow(self, flowables: list[Any], container: Any, width: float | None = None) -> int:
        """Add ``flowables`` to ``container`` (the document or a table cell); returns the
        number of paragraphs/tables added."""
        from reportlab.platypus import (
            CondPageBreak,
            Image,
            NextPageTemplate,
            PageBreak,
            Paragraph,
            Spacer,
            Table,
        )

        from papi_desktop.reports.pdf.layout import LANDSCAPE

        added = 0
        width = width if width is not None else self.doc.frame_width()
        for f in flowables:
            if f is None or f == "":
                continue
            if isinstance(f, str):
                self.text_paragraph(container, f, None)
                added += 1
            elif isinstance(f, list | tuple):
                added += self.flow(list(f), container, width)
            elif hasattr(f, "final") and callable(f.final):  # closing_flow
                added += self.closing([*f.body, *f.final(False)], container, width)
            elif isinstance(f, NextPageTemplate):
                self.landscape_next = f.action[1] == LANDSCAPE if f.action else None
            elif isinstance(f, PageBreak):
                if container is self.word:
                    self.page_break(self.landscape_next)
                    self.landscape_next = None
            elif isinstance(f, CondPageBreak):
                continue  # Word flows its own pages
            elif isinstance(f, Paragraph):
                self.paragraph(container, f)
                added += 1
            elif isinstance(f, Table):
                self.table(container, f)
                added += 1
            elif isinstance(f, Image):
                self.image(container, f, width)
                added += 1
            elif type(f) is Spacer:
                self.pending += float(f.height)
            elif hasattr(f, "checked"):
                self.text_paragraph(container, BOX_CHECKED if f.checked else BOX_EMPTY, "CENTER")
                added += 1
            elif getattr(f, "rule_width", None) is not None:
                self.rule(container, f.rule_width, width)
                added += 1
            elif isinstance(getattr(f, "_content", None), list):  # KeepTogether and kin
                added += self.flow(f._content, container, width)
            # anything else draws nothing a reader needs (e.g. a bare Flowable)
        return added

    def closing(self, flowables: list[Any], container: Any, width: float) -> int:
        """The closing paragraph(s) and the signature: kept on one page (the paragraphs
        before the signature table keep with it, so it never stands alone on a page)."""
        from reportlab.platypus import Table

        first_table = next((i for i, f in enumerate(flowables) if isinstance(f, Table)), None)
        if first_table is None:
            return self.flow(flowables, container, width)
        self.keep_next = True
        try:
            added = self.flow(flowables[:first_table], container, width)
        finally:
            self.keep_next = False
        return added + self.flow(flowables[first_table:], container, width)

    def page_break(self, landscape: bool | None) -> None:
        from docx.enum.text import WD_BREAK

        from papi_desktop.reports.pdf.layout import LANDSCAPE

        current = self.word.sections[-1].orientation == 1
        if landscape is not None and landscape != current:
            self.new_section(landscape)
            return
        if landscape is None and self.doc.first_orientation == LANDSCAPE and not current:
            self.new_section(True)
            return
        p = self.word.add_paragraph()
        p.add_run().add_break(WD_BREAK.PAGE)
        self.pending = 0.0

    def _new_paragraph(self, container: Any) -> Any:
        """A new paragraph; in a table cell the first one reuses the cell's empty one."""
        if container is not self.word:
            paras = container.paragraphs
            if (
                len(paras) == 1
                and not paras[0].text
                and not getattr(container, "_papi_used", False)
            ):
                container._papi_used = True
                return paras[0]
        return container.add_paragraph()

    def _format(self, p: Any, style: Any, align: str | None = None) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        fmt = p.paragraph_format
        name = align or (_ALIGN.get(style.alignment, "LEFT") if style is not None else "LEFT")
        p.alignment = getattr(WD_ALIGN_PARAGRAPH, name)
        size = style.fontSize if style is not None else 11
        leading = style.leading if style is not None else size * 1.18
        fmt.line_spacing = Pt(leading)
        fmt.space_before = Pt(self.pending + (style.spaceBefore if style is not None else 0))
        fmt.space_after = Pt(style.spaceAfter if style is not None else 0)
        self.pending = 0.0
        if style is not None:
            if style.firstLineIndent:
                fmt.first_line_indent = Pt(style.firstLineIndent)
            if style.leftIndent:
                fmt.left_indent = Pt(style.leftIndent)
            if getattr(style, "keepWithNext", 0):
                fmt.keep_with_next = True
        if self.keep_next:
            fmt.keep_with_next = True
        fmt.widow_control = True

    def _font(
        self, run: Any, size: float, bold: bool = False, italic: bool = False, base: float = 13
    ) -> None:
        """Size, bold and italic of a run; the family is the Normal style's (Times New
        Roman for every script), so long tables do not repeat it on each run."""
        from docx.shared import Pt

        if size != base:
            run.font.size = Pt(size)
        if bold:
            run.font.bold = True
        if italic:
            run.font.italic = True

    def _cell_paragraph(self, p: Any, align: str) -> None:
        """A plain table cell's paragraph: the shared cell style (11 pt, no spacing), so a
        long list does not repeat the same formatting on thousands of paragraphs."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p._p.style = self.cell_style.style_id  # (the public setter looks the id up each time)
        if align != "LEFT":
            p.alignment = getattr(WD_ALIGN_PARAGRAPH, align)

    def paragraph(self, container: Any, para: Any) -> None:
        style = para.style
        p = self._new_paragraph(container)
        self._format(p, style)
        bold0 = style.fontName in (BOLD, BOLD_ITALIC)
        italic0 = style.fontName in (ITALIC, BOLD_ITALIC)
        bold, italic = bold0, italic0
        text = para.text
        at = 0
        for m in _TAG.finditer(text):
            self._run(p, text[at : m.start()], style.fontSize, bold, italic)
            closing, tag = m.group(1) == "/", m.group(2).lower()
            if tag == "br":
                from docx.enum.text import WD_BREAK

                p.add_run().add_break(WD_BREAK.LINE)
            elif tag == "b":
                bold = bold0 if closing else True
            elif tag == "i":
                italic = italic0 if closing else True
            at = m.end()
        self._run(p, text[at:], style.fontSize, bold, italic)

    def _run(
        self, p: Any, markup: str, size: float, bold: bool, italic: bool, base: float = 13
    ) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        text = printable(html.unescape(markup))
        if not text:
            return
        run = p.add_run()
        self._font(run, size, bold, italic, base)
        for k, piece in enumerate(_INNER_HYPHEN.split(text)):
            if k:
                run._r.append(OxmlElement("w:noBreakHyphen"))
            if piece:
                el = OxmlElement("w:t")
                el.set(qn("xml:space"), "preserve")
                el.text = piece
                run._r.append(el)

    def text_paragraph(
        self, container: Any, text: str, align: str | None, size: float = 11
    ) -> None:
        p = self._new_paragraph(container)
        self._format(p, None, align)
        self._run(p, html.escape(text), size, False, False)

    def rule(self, container: Any, rule_width: float, avail: float) -> None:
        """A centred line ``rule_width`` points long: the bottom border of an empty,
        indented paragraph."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt

        p = self._new_paragraph(container)
        fmt = p.paragraph_format
        side = max(0.0, (avail - min(rule_width, avail)) / 2)
        fmt.left_indent = Pt(side)
        fmt.right_indent = Pt(side)
        fmt.space_before = Pt(self.pending)
        fmt.space_after = Pt(2)
        fmt.line_spacing = Pt(3)
        self.pending = 0.0
        ppr = p._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")  # inserted below in schema order
        bottom = OxmlElement("w:bottom")
        for key, value in (
            ("w:val", "single"),
            ("w:sz", "6"),
            ("w:space", "1"),
            ("w:color", "000000"),
        ):
            bottom.set(qn(key), value)
        borders.append(bottom)
        ppr.insert_element_before(borders, *_AFTER_PBDR)
        self._font(p.add_run(), 2)

    def image(self, container: Any, img: Any, width: float) -> None:
        import io

        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        source: Any = getattr(img, "_file", None)
        if source is None and getattr(img, "_img", None) is not None:
            source = getattr(img._img, "fp", None) or getattr(img._img, "_image", None)
        if hasattr(source, "save") and not hasattr(source, "read"):  # a PIL image
            buffer = io.BytesIO()
            source.save(buffer, "PNG")
            source = buffer
        if hasattr(source, "seek"):
            source.seek(0)
        if source is None:
            return
        p = self._new_paragraph(container)
        self._format(p, None, "CENTER")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = None
        p.add_run().add_picture(source, width=Pt(min(float(img.drawWidth), width)))

    # -- tables ---------------------------------------------------------------------------

    def table(self, container: Any, t: Any) -> None:
        from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
        from docx.shared import Pt

        rows = t._cellvalues
        ncols = max((len(r) for r in rows), default=0)
        if not rows or not ncols:
            return
        widths = [float(w) for w in t._colWidths]
        grid = any(cmd[0] in ("GRID", "BOX", "INNERGRID") for cmd in t._linecmds)
        pad = 3.0 if grid else 0.0
        if self.pending and container is self.word:
            self.text_paragraph(container, "", None, 1)
            gap = self.word.paragraphs[-1].paragraph_format
            gap.space_before = Pt(self.pending)
            gap.keep_with_next = True  # a gap goes with the table after it
        self.pending = 0.0
        table = container.add_table(rows=len(rows), cols=ncols)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        if grid:
            table.style = self.word.styles["Table Grid"]
        self._cell_margins(table, pad)
        for i, w in enumerate(widths):
            table.columns[i].width = Pt(w)
        repeat = int(getattr(t, "repeatRows", 0) or 0)
        shading = self._shading(t)
        spans = {(sc, sr): (ec, er) for sc, sr, ec, er in self._spans(t, ncols, len(rows))}
        hidden = set()
        for (sc, sr), (ec, er) in spans.items():
            for r in range(sr, er + 1):
                for c in range(sc, ec + 1):
                    if (r, c) != (sr, sc):
                        hidden.add((r, c))
        for r, (row, values) in enumerate(zip(table.rows, rows, strict=True)):
            self._row_props(row, header=r < repeat, keep=not grid)
            cells = row.cells
            for c in range(ncols):
                cell = cells[c]
                cell.width = Pt(widths[c])
                if (r, c) in hidden:
                    continue
                colour = shading.get((r, c))
                if colour:
                    self._shade(cell, colour)
                if grid and t._cellStyles[r][c].valign == "MIDDLE":
                    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER  # the header row
                value = values[c] if c < len(values) else ""
                inner = widths[c] - 2 * pad
                if isinstance(value, str | int | float) and not isinstance(value, bool):
                    text = str(value)
                    if text:
                        cs = t._cellStyles[r][c]
                        align = (cs.alignment or "LEFT").upper()
                        for part in text.split("\n"):
                            p = self._new_paragraph(cell)
                            self._cell_paragraph(p, align)
                            self._run(
                                p, html.escape(part), float(cs.fontsize), False, False, CELL_SIZE
                            )
                else:
                    self.flow([value], cell, inner)
                self.pending = 0.0
        for (sc, sr), (ec, er) in spans.items():
            table.cell(sr, sc).merge(table.cell(er, ec))

    @staticmethod
    def _spans(t: Any, ncols: int, nrows: int) -> list[tuple[int, int, int, int]]:
        out = []
        for cmd in getattr(t, "_spanCmds", []):
            (sc, sr), (ec, er) = cmd[1], cmd[2]
            sc, ec = sc % ncols, ec % ncols
            sr, er = sr % nrows, er % nrows
            if (sc, sr) != (ec, er):
                out.append((sc, sr, ec, er))
        return out

    @staticmethod
    def _shading(t: Any) -> dict[tuple[int, int], str]:
        out: dict[tuple[int, int], str] = {}
        nrows, ncols = len(t._cellvalues), len(t._cellvalues[0])
        for cmd in getattr(t, "_bkgrndcmds", []):
            if cmd[0] != "BACKGROUND":
                continue
            (sc, sr), (ec, er), colour = cmd[1], cmd[2], cmd[3]
            try:
                hexv = colour.hexval()[2:].upper()
            except AttributeError:
                continue
            for r in range(sr % nrows, er % nrows + 1):
                for c in range(sc % ncols, ec % ncols + 1):
                    out[(r, c)] = hexv
        return out

    @staticmethod
    def _shade(cell: Any, colour: str) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), colour)
        cell._tc.get_or_add_tcPr().append(shd)

    @staticmethod
    def _row_props(row: Any, header: bool, keep: bool) -> None:
        from docx.oxml import OxmlElement

        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if header:
            trpr.append(OxmlElement("w:tblHeader"))

    @staticmethod
    def _cell_margins(table: Any, pad: float) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        tblpr = table._tbl.tblPr
        mar = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:w"), str(int(pad * 20)))
            el.set(qn("w:type"), "dxa")
            mar.append(el)
        # schema order (Word refuses files whose elements are out of order): … tblLayout,
        # tblCellMar, tblLook …; ``table.autofit = False`` already wrote tblLayout "fixed"
        tblpr.insert_element_before(mar, "w:tblLook", "w:tblCaption", "w:tblDescription")
