"""`--reference-docx`: reports built on a council's own Word document.

The reference is made here with python-docx: landscape A4 with its own margins,
a distinctive font and colours in every style the reports use, a header with a
logo and a protective marking, a footer, Welsh as the default language, and
body text, a table and a picture that must not reach the report.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx_checks import assert_accessible
from typer.testing import CliRunner

from send_plan.cli import app

ROOT = Path(__file__).resolve().parent.parent
PLANS = str(ROOT / "plans")
BOARD = ["report", "board-summary", PLANS, "--plan", "send-improvement-plan-2019"]
BOARD += ["--as-of", "2019-11-19", "-f", "docx"]
APPENDIX = ["report", "appendix-b", PLANS, "--plan", "wsoa-2018", "--as-of", "2019-03-19"]
APPENDIX += ["-f", "docx"]
BODY_TEXT = "REFERENCE BODY TEXT: this must not reach the report"
MARKING = "OFFICIAL-SENSITIVE: Testshire County Council"
FOOTER = "Testshire County Council, County Hall, Testtown"
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
runner = CliRunner()


def png(width: int = 8, height: int = 4, rgb: tuple[int, int, int] = (0, 90, 160)) -> bytes:
    """A small solid-colour PNG (a stand-in for the council's logo)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def reference_document(*, without: Iterable[str] = ()) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin, section.right_margin = Mm(15), Mm(15)
    section.top_margin, section.bottom_margin = Mm(25), Mm(18)
    looks = {
        "Normal": ("Verdana", 12, RGBColor(0x33, 0x33, 0x66)),
        "Title": ("Georgia", 26, RGBColor(0x99, 0x00, 0x33)),
        "Heading 1": ("Georgia", 18, RGBColor(0x00, 0x66, 0x33)),
        "Heading 2": ("Georgia", 14, RGBColor(0x00, 0x66, 0x33)),
        "Table Grid": ("Trebuchet MS", 10, None),
    }
    for name, (font, size, colour) in looks.items():
        style = doc.styles[name]
        style.font.name, style.font.size = font, Pt(size)
        if colour is not None:
            style.font.color.rgb = colour
    lang = doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    lang.set(qn("w:val"), "cy-GB")
    header = section.header.paragraphs[0]
    header.text = MARKING
    header.add_run().add_picture(io.BytesIO(png()), width=Mm(30))
    section.footer.paragraphs[0].text = FOOTER
    doc.add_paragraph(BODY_TEXT, style="Title")
    doc.add_paragraph(BODY_TEXT)
    doc.add_table(rows=2, cols=2).cell(0, 0).text = BODY_TEXT
    doc.add_picture(io.BytesIO(png(rgb=(200, 0, 0))), width=Mm(40))
    for name in without:
        element = doc.styles[name].element
        element.getparent().remove(element)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    path = tmp_path / "council.docx"
    path.write_bytes(reference_document())
    return path


def build(tmp_path: Path, args: list[str], reference: Path) -> tuple[bytes, str]:
    out = tmp_path / "out.docx"
    result = runner.invoke(app, [*args, "--reference-docx", str(reference), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    return out.read_bytes(), result.stderr


def test_board_summary_is_built_on_the_reference(tmp_path: Path, reference: Path) -> None:
    data, stderr = build(tmp_path, BOARD, reference)
    assert "note:" not in stderr
    doc = assert_accessible(data, language="cy-GB")  # the reference's language is kept
    # page set-up, every section
    for section in doc.sections:
        assert section.orientation == WD_ORIENT.LANDSCAPE
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
        margins = (section.left_margin, section.right_margin, section.top_margin)
        assert [round(m.mm) for m in (*margins, section.bottom_margin)] == [15, 15, 25, 18]
    # header (logo included) and footer
    section = doc.sections[0]
    assert MARKING in section.header.paragraphs[0].text
    header_rels = section.header.part.rels.values()
    assert any(rel.reltype.endswith("/image") for rel in header_rels)
    assert FOOTER in section.footer.paragraphs[0].text
    # the reference's styles, not send-plan's
    styles = doc.styles
    assert (styles["Normal"].font.name, styles["Normal"].font.size.pt) == ("Verdana", 12)
    assert styles["Normal"].font.color.rgb == RGBColor(0x33, 0x33, 0x66)
    assert (styles["Title"].font.name, styles["Title"].font.size.pt) == ("Georgia", 26)
    assert styles["Heading 1"].font.color.rgb == RGBColor(0x00, 0x66, 0x33)
    assert (styles["Table Grid"].font.name, styles["Table Grid"].font.size.pt) == (
        "Trebuchet MS",
        10,
    )
    grid = styles["Table Grid"].style_id
    for table in doc.tables:
        assert table._tbl.tblPr.find(qn("w:tblStyle")).get(qn("w:val")) == grid
        # no size or font of send-plan's own on the text: the table style decides
        for run in table._tbl.iter(qn("w:r")):
            assert run.find(f"{qn('w:rPr')}/{qn('w:sz')}") is None
            assert run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}") is None
    # the report is there, the reference's body is not
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Lancashire SEND Improvement Plan 2019-2020: progress update"
    assert doc.paragraphs[0].style.name == "Title"
    assert "1 Summary" in texts
    everything = texts + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert not any(BODY_TEXT in text for text in everything)
    assert BODY_TEXT.encode() not in _part(data, "word/document.xml")
    # the charts (actions, indicators): the reference's body picture is gone
    assert len(doc.inline_shapes) == 2
    media = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if "/media/" in n]
    assert len(media) == 3  # the logo in the header, and the two charts
    assert DOCUMENT_TYPE.encode() in _part(data, "[Content_Types].xml")
    assert doc.core_properties.title == texts[0]


def test_tables_fill_the_references_text_width(tmp_path: Path, reference: Path) -> None:
    data, _ = build(tmp_path, BOARD, reference)
    doc = Document(io.BytesIO(data))
    width = round((297 - 15 - 15) / 25.4 * 1440)
    for table in doc.tables:
        grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
        assert abs(sum(int(c.get(qn("w:w"))) for c in grid) - width) <= 2


def test_appendix_b_is_built_on_the_reference(tmp_path: Path, reference: Path) -> None:
    data, _ = build(tmp_path, APPENDIX, reference)
    doc = assert_accessible(data, language="cy-GB")
    assert doc.sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert doc.styles["Normal"].font.name == "Verdana"
    assert MARKING in doc.sections[0].header.paragraphs[0].text
    assert BODY_TEXT.encode() not in _part(data, "word/document.xml")


def test_a_missing_style_falls_back_with_one_note(tmp_path: Path) -> None:
    reference = tmp_path / "plain.docx"
    reference.write_bytes(reference_document(without=["Heading 2", "Table Grid"]))
    data, stderr = build(tmp_path, BOARD, reference)
    notes = [line for line in stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 1, stderr
    assert "'Heading 2'" in notes[0]
    assert "'Table Grid'" in notes[0]
    assert str(reference) in notes[0]
    doc = assert_accessible(data, language="cy-GB")
    assert doc.styles["Heading 2"].font.name == "Arial"  # the built-in look, for that style
    assert doc.styles["Normal"].font.name == "Verdana"  # the rest is the reference's
    assert "1.1 Recommendations" in [p.text for p in doc.paragraphs]


def test_without_a_language_the_reference_gets_en_gb(tmp_path: Path) -> None:
    doc = Document(io.BytesIO(reference_document()))
    lang = doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    lang.getparent().remove(lang)
    reference = tmp_path / "no-language.docx"
    doc.save(str(reference))
    data, _ = build(tmp_path, BOARD, reference)
    assert_accessible(data, language="en-GB")


def _zip_with_type(content_type: str) -> bytes:
    """A real .docx whose main part claims ``content_type`` (a .dotx, a .docm...)."""
    source = zipfile.ZipFile(io.BytesIO(reference_document()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(DOCUMENT_TYPE.encode(), content_type.encode())
            target.writestr(item, data)
    return out.getvalue()


COMPOUND = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
BAD_FILES = {
    "text": (b"Board paper\n", "is not a Word document (.docx)"),
    "spreadsheet": (
        _zip_with_type(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
        ),
        "is not a Word document (.docx)",
    ),
    "encrypted": (
        COMPOUND + "EncryptedPackage".encode("utf-16-le") + bytes(64),
        "is password-protected",
    ),
    "old-doc": (COMPOUND + "WordDocument".encode("utf-16-le") + bytes(64), "Word 97-2003"),
    "dotx": (
        _zip_with_type(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
        ),
        "is a Word template (.dotx)",
    ),
    "docm": (
        _zip_with_type("application/vnd.ms-word.document.macroEnabled.main+xml"),
        "is a macro-enabled document (.docm)",
    ),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_file_that_cannot_be_used_is_one_line_and_exit_2(tmp_path: Path, kind: str) -> None:
    content, message = BAD_FILES[kind]
    reference = tmp_path / "council.docx"  # the name says .docx: the content decides
    reference.write_bytes(content)
    out = tmp_path / "out.docx"
    result = runner.invoke(app, [*BOARD, "--reference-docx", str(reference), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr
    assert str(reference) in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_missing_reference_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out.docx"
    missing = tmp_path / "nowhere.docx"
    result = runner.invoke(app, [*BOARD, "--reference-docx", str(missing), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr == f"send-plan: error: {missing}: no such file\n"
    assert not out.exists()


@pytest.mark.parametrize(
    "extra",
    [
        ["-f", "md"],  # a reference styles Word output only
        ["--template", "cover.docx"],  # a Word template has its own styles
    ],
)
def test_reference_with_other_output_is_a_usage_error(
    tmp_path: Path, reference: Path, extra: list[str]
) -> None:
    args = [*BOARD, "--reference-docx", str(reference), *extra, "-o", str(tmp_path / "x.docx")]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "--reference-docx" in result.stderr


def _part(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)
