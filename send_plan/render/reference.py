"""Word files a user gives send-plan: checked first, then built upon.

A *reference document* (``--reference-docx``) gives a report the council's own
look: its styles, page size, orientation and margins, headers and footers (logo
pictures included) and default language. Its body is removed, keeping the final
section properties that hold the page set-up and the header and footer
references; the report is then built into what remains. A *Word template*
(``--template FILE.docx``) is checked the same way before docxtpl reads it.

Each way a file can fail to be a Word document has its own one-line message:
not a file, not a zip package (an old ``.doc`` and a password-protected file
are both OLE compound files, told apart by their streams' names), a template
(``.dotx``) or a macro-enabled file (``.docm``, ``.dotm``) recognised by the
content type of its main part (not by the name's extension), or no Word
document inside at all.
"""

from __future__ import annotations

import copy
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from send_plan.errors import SendPlanError
from send_plan.files import read_input

#: The main part's content type for each kind of file, with what to say about it.
DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
REFUSED_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": (
        "is a Word template (.dotx), not a document: open it in Word and save it as a "
        "Word Document (.docx)"
    ),
    "application/vnd.ms-word.document.macroEnabled.main+xml": (
        "is a macro-enabled document (.docm): save a copy as a Word Document (.docx), "
        "which holds no macros"
    ),
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": (
        "is a macro-enabled Word template (.dotm): open it in Word and save it as a "
        "Word Document (.docx)"
    ),
}
#: An OLE compound file: an encrypted Office file or a Word 97-2003 document.
COMPOUND_FILE = bytes.fromhex("D0CF11E0A1B11AE1")
CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#: Relationships of the document part that only its body can use: dropped with
#: the body when nothing left refers to them (so the reference's pictures,
#: links and comments do not travel into the report unseen).
BODY_ONLY = (
    "/image",
    "/hyperlink",
    "/oleObject",
    "/package",
    "/chart",
    "/diagramData",
    "/diagramLayout",
    "/diagramQuickStyle",
    "/diagramColors",
    "/diagramDrawing",
    "/header",
    "/footer",
    "/comments",
    "/commentsExtended",
    "/commentsIds",
    "/commentsExtensible",
    "/people",
)


class WordFileProblem(SendPlanError):
    """A file given as a Word document that send-plan cannot use (exit status 2)."""


@dataclass(frozen=True)
class Reference:
    """A checked reference document: the name to show, and its bytes."""

    name: str
    data: bytes


def read_word_file(path: Path) -> bytes:
    """The bytes of ``path`` once they are known to be a Word document (.docx)."""
    data = read_input(path, "a Word document")
    problem = word_file_problem(data)
    if problem:
        raise WordFileProblem(f"{path}: {problem}")
    return data


def read_reference(path: Path) -> Reference:
    return Reference(str(path), read_word_file(path))


def word_file_problem(data: bytes) -> str | None:
    """What stops ``data`` being used as a Word document, or None."""
    if data.startswith(COMPOUND_FILE):
        if "EncryptedPackage".encode("utf-16-le") in data:
            return (
                "is password-protected: send-plan cannot open it. Remove the password "
                "(in Word: File, Info, Protect Document, Encrypt with Password) and save it again"
            )
        if "WordDocument".encode("utf-16-le") in data:
            return (
                "is an old Word 97-2003 document (.doc): open it in Word and save it as a "
                "Word Document (.docx)"
            )
        return "is not a Word document (.docx)"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return "is not a Word document (.docx)"
    try:
        root = etree.fromstring(types, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return "is not a Word document (.docx): its list of contents is damaged"
    found = {
        override.get("ContentType", "") for override in root.iter(f"{{{CONTENT_TYPES_NS}}}Override")
    }
    if DOCUMENT in found:
        return None
    for content_type, message in REFUSED_TYPES.items():
        if content_type in found:
            return message
    return "is not a Word document (.docx)"


def open_document(name: str, data: bytes) -> Any:
    """A python-docx Document of checked bytes; a damaged part is a one-line error."""
    from docx import Document

    try:
        return Document(io.BytesIO(data))
    except (KeyError, ValueError, etree.XMLSyntaxError, zipfile.BadZipFile) as exc:
        raise WordFileProblem(f"{name}: cannot be read as a Word document ({exc})") from None


def open_reference(reference: Reference) -> Any:
    """The reference as a python-docx Document with its body removed.

    The final ``w:sectPr`` stays (page size, orientation, margins, header and
    footer references); the body's own pictures, links and comments go with it.
    An editing restriction ("Restrict Editing") is lifted: it would lock the report.
    """
    doc = open_document(reference.name, reference.data)
    body = doc.element.body
    for child in list(body):
        if child.tag != f"{{{W_NS}}}sectPr":
            body.remove(child)
    used = {
        value
        for element in doc.element.iter()
        for key, value in element.attrib.items()
        if key.startswith(f"{{{R_NS}}}")
    }
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith(BODY_ONLY) and rel_id not in used:
            del doc.part.rels[rel_id]
    settings = doc.settings.element
    for name in ("documentProtection", "writeProtection"):
        for found in settings.findall(f"{{{W_NS}}}{name}"):
            settings.remove(found)
    return doc


# --------------------------------------------------------------------------- styles


def style_chain(doc: Any, style: Any) -> list[Any]:
    """The style's element and those of the styles it is based on, nearest first."""
    chain = []
    element = style.element
    seen: set[str] = set()
    while element is not None and element.get(f"{{{W_NS}}}styleId") not in seen:
        seen.add(element.get(f"{{{W_NS}}}styleId", ""))
        chain.append(element)
        based = element.find(f"{{{W_NS}}}basedOn")
        if based is None:
            break
        element = _style_by_id(doc.styles.element, based.get(f"{{{W_NS}}}val"))
    return chain


def _style_by_id(styles: Any, style_id: str | None) -> Any:
    for element in styles.iterfind(f"{{{W_NS}}}style"):
        if element.get(f"{{{W_NS}}}styleId") == style_id:
            return element
    return None


def numbered_by_style(doc: Any, style: Any) -> bool:
    """Whether Word numbers paragraphs of this style itself (a list in the style)."""
    return any(
        element.find(f"{{{W_NS}}}pPr/{{{W_NS}}}numPr") is not None
        for element in style_chain(doc, style)
    )


def styles_first_row(doc: Any, style: Any) -> bool:
    """Whether a table style formats the header row itself."""
    return any(
        found.get(f"{{{W_NS}}}type") == "firstRow"
        for element in style_chain(doc, style)
        for found in element.iterfind(f"{{{W_NS}}}tblStylePr")
    )


#: How wide each font sets text, against Arial (averaged over English text).
FONT_WIDTH = {
    "arial": 1.0,
    "helvetica": 1.0,
    "liberation sans": 1.0,
    "arimo": 1.0,
    "verdana": 1.18,
    "dejavu sans": 1.18,
    "tahoma": 1.02,
    "trebuchet ms": 1.0,
    "segoe ui": 1.0,
    "calibri": 0.9,
    "carlito": 0.9,
    "cambria": 0.97,
    "georgia": 1.08,
    "times new roman": 0.9,
    "liberation serif": 0.9,
    "century gothic": 1.12,
    "gill sans mt": 0.95,
    "franklin gothic book": 0.95,
    "open sans": 1.08,
}
#: A font not listed: a little wider than Arial, so that words do not break.
UNKNOWN_FONT = 1.1
DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


def table_text_pt(doc: Any, table_style: Any) -> float:
    """The size of table text, scaled by its font's width against Arial's.

    As Word resolves it: the Normal style's value where it sets one (Word lets
    the paragraph style win over the table style), else the table style's, else
    the document default's.
    """
    try:
        normal = style_chain(doc, doc.styles["Normal"])
    except KeyError:  # a reference without a Normal style: its default paragraph style
        normal = []
    places = [*normal, *style_chain(doc, table_style)]
    defaults = doc.styles.element.find(f"{{{W_NS}}}docDefaults/{{{W_NS}}}rPrDefault")
    if defaults is not None:
        places.append(defaults)
    size = _first(places, "sz")
    points = int(size.get(f"{{{W_NS}}}val")) / 2 if size is not None else 10.0
    fonts = _first(places, "rFonts")
    name = _font_name(doc, fonts) if fonts is not None else "times new roman"
    return points * FONT_WIDTH.get(name.lower(), UNKNOWN_FONT)


def _first(elements: list[Any], tag: str) -> Any:
    for element in elements:
        found = element.find(f"{{{W_NS}}}rPr/{{{W_NS}}}{tag}")
        if found is not None and (tag != "rFonts" or _has_font(found)):
            return found
    return None


def _has_font(fonts: Any) -> bool:
    return any(fonts.get(f"{{{W_NS}}}{a}") for a in ("ascii", "hAnsi", "asciiTheme"))


def _font_name(doc: Any, fonts: Any) -> str:
    """The Latin font an ``w:rFonts`` names, looking up a theme font in the theme."""
    for attr in ("ascii", "hAnsi"):
        if fonts.get(f"{{{W_NS}}}{attr}"):
            return str(fonts.get(f"{{{W_NS}}}{attr}"))
    which = "majorFont" if "major" in fonts.get(f"{{{W_NS}}}asciiTheme", "") else "minorFont"
    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/theme") and not rel.is_external:
            theme = etree.fromstring(rel.target_part.blob)
            latin = theme.find(f".//{{{DRAWING_NS}}}{which}/{{{DRAWING_NS}}}latin")
            if latin is not None:
                return str(latin.get("typeface", ""))
    return ""


def copy_builtin_style(doc: Any, name: str) -> Any:
    """Copy python-docx's own style ``name`` (and any it is based on or linked to
    that ``doc`` lacks) into ``doc``; returns the new style."""
    from docx import Document

    source = Document().styles.element
    wanted = copy.deepcopy(_style_by_id(source, _id_of(source, name)))
    style_id = wanted.get(f"{{{W_NS}}}styleId")
    if _style_by_id(doc.styles.element, style_id) is not None:  # the id names another style
        wanted.set(f"{{{W_NS}}}styleId", f"SendPlan{style_id}")
    pending = [wanted]
    while pending:
        element = pending.pop()
        style_id = element.get(f"{{{W_NS}}}styleId")
        if _style_by_id(doc.styles.element, style_id) is not None:
            continue
        doc.styles.element.append(copy.deepcopy(element))
        for tag in ("basedOn", "link", "next"):
            ref = element.find(f"{{{W_NS}}}{tag}")
            if ref is not None:
                found = _style_by_id(source, ref.get(f"{{{W_NS}}}val"))
                if found is not None:
                    pending.append(found)
    return doc.styles[name]


def _id_of(styles: Any, name: str) -> str | None:
    for element in styles.iterfind(f"{{{W_NS}}}style"):
        found = element.find(f"{{{W_NS}}}name")
        if found is not None and found.get(f"{{{W_NS}}}val", "").lower() == name.lower():
            return str(element.get(f"{{{W_NS}}}styleId"))
    return None
