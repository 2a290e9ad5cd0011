"""Word documents with python-docx, following council report conventions.

Built in, a document is A4 portrait, Arial throughout, with numbered headings.
Built on a council's reference document (:mod:`send_plan.render.reference`), it
takes that document's styles, page set-up, headers and footers instead, and
send-plan's own look is used only for a style the reference lacks (said once,
as a note).

Either way the document is accessible: its title and language are set, heading
levels never skip, every table is a real table whose first row is a header row
repeated on every page, no cell is merged, column widths come from what the
columns hold, RAG and position cells are shaded *and* named in words (with white
writing where black would not stand out), and every picture carries alternative
text. Text goes in through python-docx or is escaped here; every written part is
then parsed again strictly, so no damage can hide behind a forgiving parser.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor, Twips
from lxml import etree

from send_plan.errors import SendPlanError
from send_plan.render.labels import RAG_FILL
from send_plan.render.reference import (
    Reference,
    copy_builtin_style,
    numbered_by_style,
    open_reference,
    styles_first_row,
    table_text_pt,
)
from send_plan.render.views import Sentence
from send_plan.render.widths import layout

FONT = "Arial"
LANGUAGE = "en-GB"
TABLE_TEXT = Pt(9)
TABLE_HALF_POINTS = 18  # the same 9 pt, as Word's XML writes sizes
HEADER_FILL = "D9D9D9"
#: The styles send-plan's own look sets (Arial, black headings).
BUILTIN_LOOK = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Table Grid")
TABLE_STYLE = "Table Grid"
#: A picture is never wider than this, even on a landscape page.
PICTURE_MM = 170
#: A table turns the page to landscape when its rows would average this many
#: lines on a portrait page, and landscape would make it this much shorter.
WIDE_LINES = 4.0
WIDE_GAIN = 1.6
LINK_COLOUR = "0563C1"  # Word's own hyperlink blue; links are underlined too
#: A document property (File, Info: the title, subject, ...) holds at most this
#: many characters (python-docx refuses more).
PROPERTY_CHARS = 255


@dataclass(frozen=True)
class Cell:
    text: str
    fill: str | None = None
    bold: bool = False
    #: An http or https address: the cell's text becomes a hyperlink to it.
    link: str | None = None


@dataclass(frozen=True)
class WordInputs:
    """What a report's Word builder is given besides its view-model."""

    #: gives the chart's PNG when it is needed (it may be drawn elsewhere meanwhile)
    chart: Callable[[], bytes] | None = None
    #: the council's reference document to build on, if any
    reference: Reference | None = None
    #: gives the indicators' trend chart (PNG) when the report has one
    trend: Callable[[], bytes] | None = None


@dataclass(frozen=True)
class WordFile:
    """A finished document, and notes for the person running the command."""

    data: bytes
    notes: tuple[str, ...] = ()


class WordDocument:
    """A small builder: headings, paragraphs, tables, pictures; then bytes."""

    def __init__(self, title: str, reference: Reference | None = None) -> None:
        from docx import Document

        self._reference = reference
        self._landscape = False
        #: the rows last laid out, at what width, and the column widths chosen
        self._laid: tuple[object, int, list[int]] | None = None
        self._fallbacks: list[str] = []
        self._numbers = [0, 0, 0]
        if reference is None:
            self.doc: Any = Document()
            _builtin_page(self.doc)
            for name in BUILTIN_LOOK:
                _builtin_look(self.doc.styles[name])
        else:
            self.doc = open_reference(reference)
        title = printable(title)
        set_language(self.doc, keep=reference is not None)
        self.doc.core_properties.title = property_text(title)  # the heading stays whole
        table_style = self.style(TABLE_STYLE)
        self._table_style = table_style.style_id
        self._own_header = reference is None or not styles_first_row(self.doc, table_style)
        self._table_pt = 9.0 if reference is None else table_text_pt(self.doc, table_style)
        self._numbered = reference is not None and numbered_by_style(
            self.doc, self.style("Heading 1")
        )
        self.doc.add_paragraph(title, style=self.style("Title"))

    def style(self, name: str) -> Any:
        """The document's style ``name``; send-plan's own if a reference lacks it."""
        try:
            return self.doc.styles[name]
        except KeyError:
            style = copy_builtin_style(self.doc, name)
            if name in BUILTIN_LOOK:
                _builtin_look(style)
            self._fallbacks.append(name)
            return style

    def text_width_twips(self) -> int:
        """The width between the margins of the last section."""
        section = self.doc.sections[-1]
        try:
            emu = int(section.page_width - section.left_margin - section.right_margin)
        except TypeError:  # a reference without page size or margins: A4, 2 cm margins
            emu = int(Mm(170))
        return max(emu // 635, 1440)  # 635 EMU to a twip; never under an inch

    def heading(self, text: str, level: int = 1) -> None:
        """A numbered heading: 1, 1.1, 1.1.1 (unless the style numbers itself)."""
        if level > 1 and self._numbers[level - 2] == 0:
            raise ValueError(f"a level {level} heading needs a level {level - 1} heading first")
        self._numbers[level - 1] += 1
        for deeper in range(level, len(self._numbers)):
            self._numbers[deeper] = 0
        number = ".".join(str(n) for n in self._numbers[:level])
        shown = printable(text if self._numbered else f"{number} {text}")
        self.doc.add_paragraph(shown, style=self.style(f"Heading {level}"))

    def paragraph(self, text: str, *, bold: bool = False, italic: bool = False) -> None:
        run = self.doc.add_paragraph().add_run(printable(text))
        run.bold, run.italic = bold, italic

    def sentence(self, said: Sentence) -> None:
        """A sentence with its emphasised part in bold."""
        paragraph = self.doc.add_paragraph()
        paragraph.add_run(printable(f"{said['lead']} " if said["emphasis"] else said["lead"]))
        paragraph.add_run(printable(said["emphasis"])).bold = True
        paragraph.add_run(printable(said["tail"]))

    def bullets(self, items: Sequence[str]) -> None:
        for item in items:
            self.doc.add_paragraph(printable(item), style=self.style("List Bullet"))

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Cell | str]]) -> None:
        """A table whose header row repeats at the top of every page.

        Column widths come from the text (:mod:`send_plan.render.widths`). The
        table's XML is written in one piece and parsed once: python-docx's
        cell-by-cell calls cost a millisecond a cell, which a long list of
        overdue actions in a large plan turns into seconds. Text is escaped here.
        """
        cells = _cells(rows)
        width = self.text_width_twips()
        known = self._laid
        if known is not None and known[0] is rows and known[1] == width:
            twips = known[2]  # worked out a moment ago, deciding the page's orientation
        else:
            twips, _ = layout(header, _texts(cells), width, self._table_pt)
        size = TABLE_HALF_POINTS if self._reference is None else None
        # on a reference, the text colour is its styles': a shaded cell says its own
        ink = None if self._reference is None else "000000"
        fill = HEADER_FILL if self._own_header else None
        parts = [
            f'<w:tbl {nsdecls("w", "r")}><w:tblPr><w:tblStyle w:val="{self._table_style}"/>'
            f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/>'
            '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" '
            'w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
            "</w:tblPr><w:tblGrid>",
            *(f'<w:gridCol w:w="{t}"/>' for t in twips),
            "</w:tblGrid>",
            _row_xml([Cell(t, fill, self._own_header) for t in header], twips, size, ink, True),
            *(_row_xml(row, twips, size, ink, link_id=self._link_id) for row in cells),
            "</w:tbl>",
        ]
        body = self.doc.element.body
        body.insert(len(body) - 1, parse_xml("".join(parts)))  # before the section properties
        self.doc.add_paragraph()

    def turn_if_wide(self, header: Sequence[str], rows: Sequence[Sequence[Cell | str]]) -> None:
        """Go on in a landscape section if the table to come reads much better there.

        Called before the table's heading, so the two stay together. The rest of
        the document then stays landscape (turning back and forth would leave
        half-empty pages). A reference document's page set-up is kept throughout:
        the council chose it.
        """
        section = self.doc.sections[-1]
        if self._reference is not None or self._landscape:
            return
        if section.page_width >= section.page_height:
            return
        texts = _texts(_cells(rows))
        narrow = self.text_width_twips()
        wide = narrow + int(section.page_height - section.page_width) // 635
        portrait, tall = layout(header, texts, narrow, self._table_pt)
        landscape, low = layout(header, texts, wide, self._table_pt)
        self._laid = (rows, narrow, portrait)
        if tall >= WIDE_LINES and tall >= WIDE_GAIN * low:
            self._landscape = True
            _turn(self.doc)
            self._laid = (rows, self.text_width_twips(), landscape)

    def _link_id(self, url: str) -> str:
        """The relationship id of an external hyperlink to ``url``."""
        return str(self.doc.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))

    def placeholder(self) -> Any:
        """An empty paragraph to put a picture into later."""
        return self.doc.add_paragraph()

    def picture(self, png: bytes, alt: str, *, into: Any = None) -> None:
        """A picture as wide as the text (at most 17 cm), with alternative text."""
        width = min(self.text_width_twips(), int(Mm(PICTURE_MM).twips))
        paragraph = self.doc.add_paragraph() if into is None else into
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        shape = paragraph.add_run().add_picture(io.BytesIO(png), width=Twips(width))
        shape._inline.docPr.set("descr", printable(alt))

    def finish(self) -> WordFile:
        out = io.BytesIO()
        self.doc.save(out)
        data = out.getvalue()
        verify(data)
        notes: tuple[str, ...] = ()
        if self._fallbacks and self._reference is not None:
            missing = " or ".join(f"'{name}'" for name in self._fallbacks)
            notes = (
                f"{self._reference.name} has no {missing} style: "
                "send-plan's built-in look is used there",
            )
        return WordFile(data, notes)

    def to_bytes(self) -> bytes:
        return self.finish().data


def _cells(rows: Sequence[Sequence[Cell | str]]) -> list[list[Cell]]:
    return [[v if isinstance(v, Cell) else Cell(v) for v in row] for row in rows]


def _texts(cells: list[list[Cell]]) -> list[list[tuple[str, bool]]]:
    return [[(c.text, c.bold) for c in row] for row in cells]


def _turn(doc: Any) -> None:
    """A new section from here on: the same page turned to landscape, the same
    headers and footers (inherited), page numbers running on."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    width, height = section.page_width, section.page_height
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = height, width
    properties = section._sectPr
    for name in ("w:titlePg",):  # a first-page header belongs to the first page only
        for found in properties.findall(qn(name)):
            properties.remove(found)
    for numbering in properties.findall(qn("w:pgNumType")):
        numbering.attrib.pop(qn("w:start"), None)


def _builtin_page(doc: Any) -> None:
    """A4 portrait with 2 cm margins."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))


def _builtin_look(style: Any) -> None:
    """send-plan's own look for one style: Arial, black headings, 11 pt text, 9 pt tables."""
    style.font.name = FONT
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)  # a theme font would override Arial
    if style.name == "Normal":
        style.font.size = Pt(11)
    elif style.name == TABLE_STYLE:
        style.font.size = TABLE_TEXT
    elif style.name == "Title" or style.name.startswith("Heading"):
        style.font.color.rgb = RGBColor(0, 0, 0)


def set_language(doc: Any, *, keep: bool) -> str:
    """Set the document's default language to en-GB (``keep``: unless it has one).

    The language lives in the document defaults of the styles part, or in the
    Normal style; the core properties repeat it for tools that look there.
    """
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = parse_xml(f"<w:docDefaults {nsdecls('w')}/>")
        doc.styles.element.insert(0, defaults)
    run_default = defaults.find(qn("w:rPrDefault"))
    if run_default is None:
        run_default = parse_xml(f"<w:rPrDefault {nsdecls('w')}><w:rPr/></w:rPrDefault>")
        defaults.insert(0, run_default)
    properties = run_default.find(qn("w:rPr"))
    if properties is None:
        properties = parse_xml(f"<w:rPr {nsdecls('w')}/>")
        run_default.append(properties)
    language = properties.find(qn("w:lang"))
    if language is None:
        language = parse_xml(f"<w:lang {nsdecls('w')}/>")
        properties.append(language)
    chosen = document_language(doc) if keep else None
    if not chosen or len(chosen) > PROPERTY_CHARS:  # no language tag is that long
        chosen = LANGUAGE
        language.set(qn("w:val"), chosen)
    doc.core_properties.language = chosen
    return chosen


def document_language(doc: Any) -> str | None:
    """The language of the document's text: the Normal style's, else the default's."""
    for path in (
        "w:style[@w:styleId='Normal']/w:rPr/w:lang/@w:val",
        "w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val",
    ):
        found = doc.styles.element.xpath(path)
        if found and found[0]:
            return str(found[0])
    return None


def ink_for(fill: str) -> str | None:
    """White writing on a fill too dark for black (contrast below 4.5:1), else None."""
    channels = [int(fill[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "FFFFFF" if (luminance + 0.05) / 0.05 < 4.5 else None


def _row_xml(
    cells: Sequence[Cell],
    twips: Sequence[int],
    size: int | None,
    black: str | None,
    header: bool = False,
    link_id: Callable[[str], str] | None = None,
) -> str:
    """One row; a shaded cell's writing is white if black would not stand out,
    else ``black`` (None: the style's colour)."""
    out = ["<w:tr>"]  # no row breaks across a page; the header row repeats on each
    if header:
        out.append('<w:trPr><w:cantSplit/><w:tblHeader w:val="true"/></w:trPr>')
    else:
        out.append("<w:trPr><w:cantSplit/></w:trPr>")
    sized = f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>' if size else ""
    for cell, width in zip(cells, twips, strict=True):
        out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>')
        ink = None
        if cell.fill:
            out.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{cell.fill}"/>')
            ink = ink_for(cell.fill) or black
        out.append("</w:tcPr><w:p>")
        colour = f'<w:color w:val="{ink}"/>' if ink else ""
        target = link_id(cell.link) if cell.link is not None and link_id is not None else None
        if target is not None:  # in the schema's order: colour, sizes, underline
            colour = f'<w:color w:val="{LINK_COLOUR}"/>'
            sized_run = f'{sized}<w:u w:val="single"/>'
            out.append(f'<w:hyperlink r:id="{target}" w:history="1">')
        else:
            sized_run = sized
        properties = f"<w:rPr>{'<w:b/>' if cell.bold else ''}{colour}{sized_run}</w:rPr>"
        lines = cell.text.split("\n")
        for i, line in enumerate(lines):
            text = escape(printable(line))
            out.append(f'<w:r>{properties}<w:t xml:space="preserve">{text}</w:t>')
            out.append("<w:br/></w:r>" if i < len(lines) - 1 else "</w:r>")
        out.append("</w:p></w:tc>" if target is None else "</w:hyperlink></w:p></w:tc>")
    out.append("</w:tr>")
    return "".join(out)


def printable(text: str) -> str:
    """XML 1.0 forbids most control characters: drop them rather than corrupt."""
    return "".join(c for c in text if c in "\t\n" or ord(c) >= 0x20)


def property_text(text: str) -> str:
    """``text`` fitted to a document property: whole when it fits, else cut at a
    word boundary (or, for a word longer than half of it, inside the word) and
    ended with an ellipsis. Only the property is cut: headings stay whole."""
    text = printable(text)
    if len(text) <= PROPERTY_CHARS:
        return text
    room = text[: PROPERTY_CHARS - 1]
    end = len(room) if text[len(room)] == " " else room.rfind(" ")
    cut = room[:end].rstrip(" ,;:") if end > 0 else ""
    if len(cut) < len(room) // 2:
        cut = room
    return cut + "\u2026"


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
