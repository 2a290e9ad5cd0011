"""Word documents with python-docx, following council report conventions.

A4 portrait, Arial throughout, numbered headings, real tables whose header row
repeats on every page, RAG and position cells shaded in their colour (with the
words in the cell, so the meaning survives greyscale printing). Text goes in
through python-docx, which escapes it; every written part is then parsed again
strictly, so no damage can hide behind a forgiving parser.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from send_plan.errors import SendPlanError
from send_plan.render.labels import RAG_FILL
from send_plan.render.views import Sentence

FONT = "Arial"
TABLE_TEXT = Pt(9)
TABLE_HALF_POINTS = 18  # the same 9 pt, as Word's XML writes sizes
LINK_COLOUR = "0563C1"  # Word's own hyperlink blue; links are underlined too


@dataclass(frozen=True)
class Cell:
    text: str
    fill: str | None = None
    bold: bool = False
    #: An http or https address: the cell's text becomes a hyperlink to it.
    link: str | None = None


class WordDocument:
    """A small builder: headings, paragraphs, tables, pictures; then bytes."""

    def __init__(self, title: str) -> None:
        self.doc: Any = Document()
        self._numbers = [0, 0, 0]
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(20))
        for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Table Grid"):
            self._arial(self.doc.styles[name])
        self.doc.styles["Normal"].font.size = Pt(11)
        self.doc.styles["Table Grid"].font.size = TABLE_TEXT
        for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
            self.doc.styles[name].font.color.rgb = RGBColor(0, 0, 0)
        self.doc.core_properties.title = title
        self.doc.add_paragraph(title, style="Title")
        self._table_style = self.doc.styles["Table Grid"].style_id

    @staticmethod
    def _arial(style: Any) -> None:
        style.font.name = FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(attr), None)  # a theme font would override Arial

    def heading(self, text: str, level: int = 1) -> None:
        """A numbered heading: 1, 1.1, 1.1.1."""
        self._numbers[level - 1] += 1
        for deeper in range(level, len(self._numbers)):
            self._numbers[deeper] = 0
        number = ".".join(str(n) for n in self._numbers[:level])
        self.doc.add_heading(f"{number} {text}", level=level)

    def paragraph(self, text: str, *, bold: bool = False, italic: bool = False) -> None:
        run = self.doc.add_paragraph().add_run(text)
        run.bold, run.italic = bold, italic

    def sentence(self, said: Sentence) -> None:
        """A sentence with its emphasised part in bold."""
        paragraph = self.doc.add_paragraph()
        paragraph.add_run(f"{said['lead']} " if said["emphasis"] else said["lead"])
        paragraph.add_run(said["emphasis"]).bold = True
        paragraph.add_run(said["tail"])

    def bullets(self, items: Sequence[str]) -> None:
        for item in items:
            self.doc.add_paragraph(item, style="List Bullet")

    def table(
        self,
        header: Sequence[str] | None,
        rows: Sequence[Sequence[Cell | str]],
        widths_mm: Sequence[float],
    ) -> None:
        """A table; its header row (when given) repeats at the top of every page.

        The table's XML is written in one piece and parsed once: python-docx's
        cell-by-cell calls cost a millisecond a cell, which a long list of
        overdue actions in a large plan turns into seconds. Text is escaped here.
        """
        twips = [round(w / 25.4 * 1440) for w in widths_mm]
        parts = [
            f'<w:tbl {nsdecls("w", "r")}><w:tblPr><w:tblStyle w:val="{self._table_style}"/>'
            f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/>'
            '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" '
            'w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
            "</w:tblPr><w:tblGrid>",
            *(f'<w:gridCol w:w="{t}"/>' for t in twips),
            "</w:tblGrid>",
        ]
        if header is not None:
            cells = [Cell(text, "D9D9D9", bold=True) for text in header]
            parts.append(_row_xml(cells, twips, header=True))
        for row in rows:
            cells = [v if isinstance(v, Cell) else Cell(v) for v in row]
            parts.append(_row_xml(cells, twips, link_id=self._link_id))
        parts.append("</w:tbl>")
        table = parse_xml("".join(parts))
        body = self.doc.element.body
        body.insert(len(body) - 1, table)  # before the final section properties
        self.doc.add_paragraph()

    def _link_id(self, url: str) -> str:
        """The relationship id of an external hyperlink to ``url``."""
        return str(self.doc.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))

    def placeholder(self) -> Any:
        """An empty paragraph to put a picture into later."""
        return self.doc.add_paragraph()

    def picture(self, png: bytes, width_mm: float = 170, *, into: Any = None) -> None:
        if into is None:
            self.doc.add_picture(io.BytesIO(png), width=Mm(width_mm))
        else:
            into.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        data = out.getvalue()
        verify(data)
        return data


def _row_xml(
    cells: Sequence[Cell],
    twips: Sequence[int],
    *,
    header: bool = False,
    link_id: Callable[[str], str] | None = None,
) -> str:
    out = ["<w:tr>"]
    if header:
        out.append('<w:trPr><w:tblHeader w:val="true"/></w:trPr>')
    for cell, width in zip(cells, twips, strict=True):
        out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>')
        if cell.fill:
            out.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{cell.fill}"/>')
        out.append("</w:tcPr><w:p>")
        size = f'<w:sz w:val="{TABLE_HALF_POINTS}"/><w:szCs w:val="{TABLE_HALF_POINTS}"/>'
        target = link_id(cell.link) if cell.link is not None and link_id is not None else None
        if target is not None:  # in the schema's order: colour, sizes, underline
            size = f'<w:color w:val="{LINK_COLOUR}"/>{size}<w:u w:val="single"/>'
            out.append(f'<w:hyperlink r:id="{target}" w:history="1">')
        bold = f"<w:rPr><w:b/>{size}</w:rPr>" if cell.bold else f"<w:rPr>{size}</w:rPr>"
        lines = cell.text.split("\n")
        for i, line in enumerate(lines):
            text = escape(_printable(line))
            out.append(f'<w:r>{bold}<w:t xml:space="preserve">{text}</w:t>')
            out.append("<w:br/></w:r>" if i < len(lines) - 1 else "</w:r>")
        out.append("</w:p></w:tc>" if target is None else "</w:hyperlink></w:p></w:tc>")
    out.append("</w:tr>")
    return "".join(out)


def _printable(text: str) -> str:
    """XML 1.0 forbids most control characters: drop them rather than corrupt."""
    return "".join(c for c in text if c in "\t" or ord(c) >= 0x20)


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _write(cell: Any, value: Cell) -> None:
    paragraph = cell.paragraphs[0]
    lines = value.text.split("\n")
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        if value.bold:
            run.bold = True
        if i < len(lines) - 1:
            run.add_break()
    if value.fill:
        shade(cell, value.fill)


def shade(cell: Any, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def rag_cell(rag: str | None, label: str) -> Cell:
    return Cell(label, RAG_FILL[rag or "unrated"])


def verify(data: bytes) -> None:
    """Parse every XML part strictly; refuse to hand over a damaged document."""
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if name.endswith((".xml", ".rels")):
                    etree.fromstring(archive.read(name), parser)
    except (zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise SendPlanError(f"internal error: the Word document is damaged ({exc})") from None
