"""The accessibility every Word document send-plan writes must have, as one check.

Call :func:`assert_accessible` on every docx a test produces, so that a future
report cannot regress: the title and language are set, headings never skip a
level, every table starts with a header row repeated on each page and merges no
cell, header cells are labelled, shaded cells say in words what their colour
means (or sit under a heading that does) with writing that stands out from the
fill, and every picture has alternative text.
"""

from __future__ import annotations

import io
import re
from typing import Any

from docx import Document
from docx.oxml.ns import qn

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
OFF = {"0", "false", "off"}


def assert_accessible(data: bytes, *, language: str = "en-GB") -> Any:
    """Check ``data`` (a .docx) and return it opened with python-docx."""
    doc = Document(io.BytesIO(data))
    assert doc.core_properties.title.strip(), "the document has no title"
    assert _language(doc) == language, f"language {_language(doc)!r}, not {language!r}"
    _headings_in_order(doc)
    body = doc.element.body
    tables = list(body.iter(f"{W}tbl"))
    ink = _text_colour(doc)
    for number, table in enumerate(tables, 1):
        _table_is_accessible(number, table, ink)
    for shape in body.iter(f"{WP}docPr"):
        assert (shape.get("descr") or "").strip(), f"picture {shape.get('name')} has no alt text"
    return doc


def chart_descriptions(data: bytes) -> list[str]:
    """The alternative text of every picture in the body."""
    doc = Document(io.BytesIO(data))
    return [shape.get("descr", "") for shape in doc.element.body.iter(f"{WP}docPr")]


def _language(doc: Any) -> str | None:
    styles = doc.styles.element
    for path in (
        "w:style[@w:styleId='Normal']/w:rPr/w:lang/@w:val",
        "w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val",
    ):
        found = styles.xpath(path)
        if found:
            return str(found[0])
    return None


def _headings_in_order(doc: Any) -> None:
    level = 0
    for paragraph in doc.paragraphs:
        match = re.fullmatch(r"Heading (\d)", paragraph.style.name)
        if match:
            found = int(match.group(1))
            assert found <= level + 1, f"heading {paragraph.text!r} skips from {level} to {found}"
            level = found


def _text_colour(doc: Any) -> str:
    """The colour of text that sets none: the Normal style's, else black."""
    try:
        colour = doc.styles["Normal"].font.color
    except KeyError:
        return "000000"
    return str(colour.rgb) if colour is not None and colour.rgb is not None else "000000"


def _table_is_accessible(number: int, table: Any, ink: str) -> None:
    rows = table.findall(f"{W}tr")
    assert rows, f"table {number} has no rows"
    flag = rows[0].find(f"{W}trPr/{W}tblHeader")
    assert flag is not None, f"table {number}: the first row is not a header row"
    assert flag.get(f"{W}val", "true") not in OFF, f"table {number}: header row switched off"
    header = [_text(cell) for cell in rows[0].findall(f"{W}tc")]
    assert all(header), f"table {number}: a header cell is empty: {header}"
    for properties in table.iter(f"{W}tcPr"):
        span = properties.find(f"{W}gridSpan")
        assert span is None or span.get(f"{W}val") == "1", f"table {number} merges cells"
        assert properties.find(f"{W}vMerge") is None, f"table {number} merges cells"
        assert properties.find(f"{W}hMerge") is None, f"table {number} merges cells"
    for row in rows[1:]:
        for column, cell in enumerate(row.findall(f"{W}tc")):
            heading = header[column] if column < len(header) else ""
            _shaded_cell_reads(number, cell, heading, ink)


def _shaded_cell_reads(number: int, cell: Any, heading: str, default_ink: str) -> None:
    shading = cell.find(f"{W}tcPr/{W}shd")
    fill = (shading.get(f"{W}fill") or "auto") if shading is not None else "auto"
    if fill.lower() in ("auto", "ffffff"):
        return
    text = _text(cell)
    named = any(c.isalpha() for c in text) or (text and heading)
    assert named, f"table {number}: a {fill} cell says nothing in words ({text!r})"
    for run in cell.iter(f"{W}r"):
        colour = run.find(f"{W}rPr/{W}color")
        ink = colour.get(f"{W}val") if colour is not None else default_ink
        ink = "000000" if ink == "auto" else ink
        ratio = contrast(ink, fill)
        assert ratio >= 4.5, f"table {number}: {ink} on {fill} has contrast {ratio:.1f}"


def _text(cell: Any) -> str:
    return "".join(t.text or "" for t in cell.iter(qn("w:t"))).strip()


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours given as six hex digits."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
