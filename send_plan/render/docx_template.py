"""Word templates: a .docx holding Jinja tags, filled in by docxtpl.

The user designs the document in Word (a cover sheet, their own headings, a
table whose row repeats with ``{%tr for a in overdue %}``) and send-plan fills
it with the same context as the Markdown and HTML templates. docxtpl renders
every part through the project's own Jinja environment
(:func:`send_plan.render.jinja.environment`): the immutable sandbox with
StrictUndefined and send-plan's filters, autoescaping for XML, and no loader,
so a Word template includes nothing. A failure is one line naming the template
and the text of the paragraph it happened in; nothing is written.

The filled-in document is then made accessible where that can be done without
changing what the template says (title and language set, each table's first row
repeated as a header row) and checked for what cannot (skipped heading levels,
merged cells, pictures without alternative text), which become notes.
docxtpl is imported here only, so only when a Word template is used.
"""

from __future__ import annotations

import html
import io
import re
import traceback
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from jinja2 import BaseLoader, TemplateSyntaxError
from lxml import etree

from send_plan.errors import SendPlanError
from send_plan.render.jinja import RENDER_ERRORS, TemplateProblem, environment, explain
from send_plan.render.reference import read_word_file
from send_plan.render.word import (
    WordFile,
    ink_for,
    printable,
    property_text,
    set_language,
    verify,
)

#: The chart's width in a Word template, at most (else the width between the margins).
CHART = Mm(170)
#: The document properties docxtpl fills in (its own list: the others are not text).
PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
#: Row properties that come after ``w:tblHeader`` in ``w:trPr``.
AFTER_HEADER = ("tblCellSpacing", "jc", "hidden", "ins", "del", "trPrChange")


class _Chart:
    """The chart as a template prints it: ``{{ chart }}`` in a paragraph of its own.

    Nothing on it is reachable from the template (the sandbox refuses names
    starting with ``_``): printing it is all a template can do. The picture is
    drawn only if the template prints it.
    """

    def __init__(self, tpl: Any, png: Callable[[], bytes], alt: str) -> None:
        self._tpl, self._png, self._alt = tpl, png, alt

    def __html__(self) -> str:
        section = self._tpl.docx.sections[-1]
        try:
            width = min(section.page_width - section.left_margin - section.right_margin, CHART)
        except TypeError:  # no page size in the template
            width = CHART
        inline = self._tpl.current_rendering_part.new_pic_inline(
            io.BytesIO(self._png()), width, None
        )
        inline.docPr.set("descr", printable(self._alt))
        return (
            "</w:t></w:r><w:r><w:drawing>"
            f'{inline.xml}</w:drawing></w:r><w:r><w:t xml:space="preserve">'
        )

    __str__ = __html__


def render_word_template(
    path: Path,
    context: Mapping[str, Any],
    *,
    chart: Callable[[], bytes] | None = None,
    chart_alt: str = "",
) -> WordFile:
    """Fill in the Word template at ``path`` with ``context``."""
    data = read_word_file(path)
    tpl = _word_template()(io.BytesIO(data))
    values = _printable(dict(context))
    if chart is not None:
        values["chart"] = _Chart(tpl, chart, chart_alt)
    env = environment(BaseLoader(), autoescape=True)
    try:
        with env.rendering():  # one budget for every part of the document
            tpl.render(values, jinja_env=env)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(
            f"{path}{_near(tpl, exc.lineno)}: template syntax error: {exc.message}"
        ) from None
    except RENDER_ERRORS as exc:
        raise explain(exc, str(path), f"{path}{_near(tpl, _template_line(exc))}") from None
    doc = tpl.docx
    if not doc.core_properties.title:
        doc.core_properties.title = property_text(str(values["document"]["title"]))
    set_language(doc, keep=True)
    notes = [f"{path}: {note}" for note in _make_accessible(doc)]
    out = io.BytesIO()
    tpl.save(out)
    try:
        verify(out.getvalue())
    except SendPlanError as exc:
        raise TemplateProblem(
            f"{path}: the filled-in template is not a valid Word document "
            f"({exc.message.rsplit('(', 1)[-1].rstrip(')')}); check that each "
            "{%p %}, {%tr %} and {%tc %} tag pairs up"
        ) from None
    return WordFile(out.getvalue(), tuple(notes))


@cache
def _word_template() -> Any:
    """docxtpl's DocxTemplate, filling in the document's properties as text (not
    escaped for XML: python-docx escapes them) and fitted to Word's 255 characters."""
    from docxtpl import DocxTemplate

    class WordTemplate(DocxTemplate):  # type: ignore[misc]  # docxtpl has no types
        def render_properties(self, context: dict[str, Any], jinja_env: Any = None) -> None:
            env = jinja_env.overlay(autoescape=False)
            properties = self.docx.core_properties
            for name in PROPERTIES:
                text = env.from_string(getattr(properties, name) or "").render(context)
                setattr(properties, name, property_text(text))

    return WordTemplate


def _printable(value: Any) -> Any:
    """The context with characters XML cannot hold removed from every text."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {k: _printable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable(v) for v in value]
    return value


def _template_line(exc: BaseException) -> int | None:
    """The line of the innermost template frame (docxtpl's XML, one paragraph a line)."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == "<template>":
            line = frame.lineno
    return line


def _near(tpl: Any, line: int | None) -> str:
    """' (at "paragraph text")': the text of the paragraph at ``line`` of the part
    being rendered, as docxtpl numbers them."""
    part = getattr(tpl, "current_rendering_part", None)
    if line is None or part is None:
        return ""
    try:
        xml = tpl.get_xml() if part is tpl.docx.part else tpl.get_part_xml(part)
        xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml))
        text = html.unescape(re.sub(r"<[^>]+>", "", xml.splitlines()[line - 1])).strip()
    except (IndexError, ValueError, AttributeError):
        return ""
    if not text:
        return ""
    shown = text if len(text) <= 70 else text[:67] + "..."
    return f' (at "{shown}")'


def _make_accessible(doc: Any) -> list[str]:
    """Mark each table's first row as a repeating header row; say what cannot be
    mended without changing the template's meaning."""
    body = doc.element.body
    for table in body.iter(qn("w:tbl")):
        first = table.find(qn("w:tr"))
        if first is not None:
            _repeat_as_header(first)
    for cell in body.iter(qn("w:tc")):
        _legible(cell)
    notes = []
    merged = [cell for cell in body.iter(qn("w:tcPr")) if _merged(cell)]
    if merged:
        notes.append(
            f"{len(merged)} merged table cell(s): screen readers read merged cells "
            "badly; split them in Word (Table Layout, Split Cells)"
        )
    unlabelled = [
        shape for shape in body.iter(qn("wp:docPr")) if not (shape.get("descr") or "").strip()
    ]
    if unlabelled:
        notes.append(
            f"{len(unlabelled)} picture(s) without alternative text: add it in Word "
            "(right-click the picture, View Alt Text)"
        )
    notes.extend(_heading_jumps(doc))
    return notes


def _legible(cell: Any) -> None:
    """White writing in a cell shaded too dark for black (a RAG fill from
    ``{% cellbg %}``), where the template left the colour to Word."""
    shading = cell.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
    fill = shading.get(qn("w:fill"), "") if shading is not None else ""
    if len(fill) != 6 or ink_for(fill) is None:
        return
    for run in cell.iter(qn("w:r")):
        properties = run.find(qn("w:rPr"))
        if properties is None:
            properties = parse_xml(f"<w:rPr {nsdecls('w')}/>")
            run.insert(0, properties)
        if properties.find(qn("w:color")) is None:
            colour = parse_xml(f'<w:color {nsdecls("w")} w:val="FFFFFF"/>')
            _insert_colour(properties, colour)


#: Run properties that come after ``w:color`` in ``w:rPr``.
AFTER_COLOUR = frozenset(
    [
        "spacing",
        "w",
        "kern",
        "position",
        "sz",
        "szCs",
        "highlight",
        "u",
        "effect",
        "bdr",
        "shd",
        "fitText",
        "vertAlign",
        "rtl",
        "cs",
        "em",
        "lang",
        "eastAsianLayout",
        "specVanish",
        "oMath",
    ]
)


def _insert_colour(properties: Any, colour: Any) -> None:
    later = [c for c in properties if etree.QName(c).localname in AFTER_COLOUR]
    if later:
        later[0].addprevious(colour)
    else:
        properties.append(colour)


def _merged(cell: Any) -> bool:
    """Whether a cell's properties merge it with its neighbours."""
    span = cell.find(qn("w:gridSpan"))
    spans = span is not None and span.get(qn("w:val"), "1") not in ("", "1")
    return spans or cell.find(qn("w:vMerge")) is not None or cell.find(qn("w:hMerge")) is not None


def _repeat_as_header(row: Any) -> None:
    properties = row.find(qn("w:trPr"))
    if properties is None:
        properties = parse_xml(f"<w:trPr {nsdecls('w')}/>")
        before = row.find(qn("w:tblPrEx"))
        row.insert(0 if before is None else 1, properties)
    if properties.find(qn("w:tblHeader")) is not None:
        return
    flag = parse_xml(f'<w:tblHeader {nsdecls("w")} w:val="true"/>')
    later = [c for c in properties if c.tag in {qn(f"w:{n}") for n in AFTER_HEADER}]
    if later:
        later[0].addprevious(flag)
    else:
        properties.append(flag)


def _heading_jumps(doc: Any) -> list[str]:
    """A note for the first heading that skips a level (Heading 1 then Heading 3)."""
    level = 0
    for paragraph in doc.paragraphs:
        name = paragraph.style.name if paragraph.style is not None else ""
        if not name.startswith("Heading ") or not name[8:].isdigit():
            continue
        found = int(name[8:])
        if found > level + 1:
            return [
                f'the heading "{paragraph.text[:60]}" is at level {found} after level '
                f"{level}: headings should not skip a level (screen readers list them)"
            ]
        level = found
    return []
