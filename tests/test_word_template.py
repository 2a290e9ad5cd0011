"""`--template FILE.docx`: Word documents holding Jinja tags, filled in by docxtpl.

The example under docs/examples/ is rendered in full; small templates made here
with python-docx check the sandbox, the one-line errors and the escaping.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import WritePlan
from docx import Document
from docx.oxml.ns import qn
from docx_checks import assert_accessible, chart_descriptions
from typer.testing import CliRunner

from send_plan.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "examples" / "board-cover.docx"
PLANS = str(ROOT / "plans")
BOARD = ["report", "board-summary", PLANS, "--plan", "send-improvement-plan-2019"]
BOARD += ["--as-of", "2019-11-19", "-f", "docx"]
OVERDUE = ["P2.9", "P3.12", "P1.9", "P3.19", "P4.1", "P2.13", "P1.17", "P3.21"]
runner = CliRunner()


def word_template(path: Path, *paragraphs: str) -> Path:
    """A Word document whose paragraphs hold the given text (tags included)."""
    doc = Document()
    doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang")).set(
        qn("w:val"), "en-GB"
    )
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(str(path))
    return path


def render(tmp_path: Path, template: Path, args: list[str] = BOARD) -> tuple[int, str, Path]:
    out = tmp_path / "out.docx"
    result = runner.invoke(app, [*args, "--template", str(template), "-o", str(out)])
    return result.exit_code, result.stderr, out


def test_the_example_cover_sheet(tmp_path: Path) -> None:
    code, stderr, out = render(tmp_path, EXAMPLE)
    assert code == 0, stderr
    assert "note:" not in stderr
    data = out.read_bytes()
    doc = assert_accessible(data)
    texts = [p.text for p in doc.paragraphs]
    title = "Lancashire SEND Improvement Plan 2019-2020: progress update"
    assert texts[0] == title
    assert doc.core_properties.title == title  # a tag in the document's properties
    assert "Report to: Lancashire Health and Wellbeing Board" in texts
    assert "Date of meeting: 19 November 2019" in texts
    assert (
        "Report of: Executive Director for Education and Children's Services and "
        "Clinical Commissioning Group Chief Officer" in texts
    )
    assert any(t.startswith("Contact officer: ") for t in texts)
    assert any(t.startswith("Of the 94 actions in the Lancashire SEND") for t in texts)
    assert (
        "(1) Receive the update on progress of the " + title[: -len(": progress update")] + "."
        in texts
    )
    (table,) = doc.tables
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["Action", "Title", "Lead", "Due", "Days overdue", "RAG"]
    assert [r[0] for r in rows[1:]] == OVERDUE
    assert rows[1][3:] == ["30 September 2019", "50", "Red/amber"]
    red = next(r for r in table.rows if r.cells[5].text == "Red").cells[5]._tc
    assert red.find(f"{qn('w:tcPr')}/{qn('w:shd')}").get(qn("w:fill")) == "C00000"
    (alt,) = chart_descriptions(data)
    assert "94 actions in 4 areas" in alt
    footer = doc.sections[0].footer.paragraphs[0].text
    assert footer == f"{title}, 19 November 2019"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                text = archive.read(name).decode("utf-8")
                assert "{{" not in text, name
                assert "{%" not in text, name


@pytest.mark.parametrize(
    "escape",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ plan.__class__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ document.title.format.__globals__ }}",
        "{{ plan.update({'id': 'x'}) }}",
        "{{ chart._tpl }}",
    ],
)
def test_the_sandbox_refuses_escapes(tmp_path: Path, escape: str) -> None:
    template = word_template(tmp_path / "evil.docx", "Board paper", escape)
    code, stderr, out = render(tmp_path, template)
    assert code == 2
    assert stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    assert str(template) in stderr
    assert not out.exists()


def test_a_misspelt_variable_names_the_paragraph(tmp_path: Path) -> None:
    template = word_template(
        tmp_path / "typo.docx", "{{ document.title }}", "Prepared for {{ documnet.board }}."
    )
    code, stderr, out = render(tmp_path, template)
    assert code == 2
    assert stderr == (
        f'send-plan: error: {template} (at "Prepared for {{{{ documnet.board }}}}."): '
        "'documnet' is undefined\n"
    )
    assert not out.exists()


def test_a_syntax_error_is_one_line(tmp_path: Path) -> None:
    template = word_template(tmp_path / "broken.docx", "{% for a in overdue %}{{ a.id }}")
    code, stderr, out = render(tmp_path, template)
    assert code == 2
    assert "template syntax error" in stderr
    assert stderr.count("\n") == 1
    assert not out.exists()


def test_a_word_template_includes_nothing(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("do not read me")
    template = word_template(tmp_path / "include.docx", "{% include 'secret.txt' %}")
    code, stderr, out = render(tmp_path, template)
    assert code == 2
    assert "not found" in stderr
    assert not out.exists()


def test_text_is_escaped_for_word(tmp_path: Path, write_plan: WritePlan) -> None:
    # (a control character XML cannot hold, such as BEL, never gets this far: plan
    # files refuse it, written as itself or as an escape, with E009)
    tricky = 'Health & Care <Joint> "Plan" {{ not a tag }}'
    plans = write_plan("plans/p.yaml", {"plan.title": tricky}).parent
    template = word_template(tmp_path / "t.docx", "{{ plan.title }}", "{{ overall }}")
    args = ["report", "board-summary", str(plans), "--as-of", "2019-11-19", "-f", "docx"]
    code, stderr, out = render(tmp_path, template, args)
    assert code == 0, stderr
    doc = assert_accessible(out.read_bytes())
    assert doc.paragraphs[0].text == tricky
    # the built-in layout too
    built = tmp_path / "built.docx"
    result = runner.invoke(app, [*args, "-o", str(built)])
    assert result.exit_code == 0, result.stderr
    assert assert_accessible(built.read_bytes()).core_properties.title.startswith("Health & Care")


def test_what_cannot_be_mended_is_said(tmp_path: Path) -> None:
    doc = Document()
    doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang")).set(
        qn("w:val"), "en-GB"
    )
    doc.add_heading("{{ document.title }}", level=1)
    doc.add_heading("Overdue", level=3)
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Heading"
    table.cell(1, 0).merge(table.cell(1, 1))
    template = tmp_path / "rough.docx"
    doc.save(str(template))
    code, stderr, out = render(tmp_path, template)
    assert code == 0, stderr
    notes = [line for line in stderr.splitlines() if line.startswith("note:")]
    assert any("merged table cell" in n for n in notes), stderr
    assert any('"Overdue" is at level 3 after level 1' in n for n in notes), stderr
    # what could be mended was: the first row repeats as a header row
    first = Document(str(out)).tables[0].rows[0]._tr
    assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    # what could not, the shared check catches too
    with pytest.raises(AssertionError, match="skips from 1 to 3"):
        assert_accessible(out.read_bytes())


def test_a_word_template_needs_word_output(tmp_path: Path) -> None:
    template = word_template(tmp_path / "t.docx", "{{ plan.title }}")
    args = [a for a in BOARD if a not in ("-f", "docx")]
    result = runner.invoke(app, [*args, "--template", str(template)])
    assert result.exit_code == 2
    assert "--format docx" in result.stderr


def test_a_dotx_template_is_refused(tmp_path: Path) -> None:
    template = word_template(tmp_path / "t.docx", "{{ plan.title }}")
    with zipfile.ZipFile(template) as source:
        items = [(i, source.read(i.filename)) for i in source.infolist()]
    dotx = tmp_path / "cover.dotx"
    with zipfile.ZipFile(dotx, "w") as target:
        for item, data in items:
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            target.writestr(item, data)
    code, stderr, out = render(tmp_path, dotx)
    assert code == 2
    assert "is a Word template (.dotx)" in stderr
    assert stderr.count("\n") == 1
    assert not out.exists()
