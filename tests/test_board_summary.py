"""`report board-summary`, template sandboxing, and the rendering machinery."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_golden
from docx.oxml.ns import qn
from docx_checks import assert_accessible, chart_descriptions
from typer.testing import CliRunner

from send_plan.cli import app

ROOT = Path(__file__).resolve().parent.parent
PLANS = str(ROOT / "plans")
PLAN = ["--plan", "send-improvement-plan-2019"]
ARGS = ["report", "board-summary", PLANS, *PLAN, "--as-of", "2019-11-19"]
runner = CliRunner()
OVERDUE = ["P2.9", "P3.12", "P1.9", "P3.19", "P4.1", "P2.13", "P1.17", "P3.21"]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_board_summary_matches_the_golden_file(fmt: str) -> None:
    result = runner.invoke(app, [*ARGS, "--format", fmt])
    assert result.exit_code == 0, result.stderr
    assert_golden(f"board-summary-2019-11-19.{fmt}", result.stdout)


def test_sections_and_numbers() -> None:
    out = runner.invoke(app, ARGS).stdout
    assert "39 are complete, 44 are on track, 1 is due before the next board meeting" in out
    assert "8 are overdue and 2 were withdrawn" in out
    # what was known on the meeting date only: no update written after it
    assert "17 January 2020" not in out
    for ident in OVERDUE:
        assert f"| {ident} |" in out
    # most days overdue first
    assert out.index("| P2.9 |") < out.index("| P3.21 |")
    assert "## 9." not in out  # no git history given: the changes section is left out
    assert "## 3. Progress since the last board" in out
    assert "## 7. Actions with no update since the last board" in out


def test_changes_are_given_to_render_not_read_by_it() -> None:
    """The caller gathers the changes from git; render only shows them."""
    from datetime import date

    from send_plan.render.reports import REPORT_BY_NAME, ReportInputs, render
    from send_plan.revisions import Change, ReportChanges
    from send_plan.validation import require_valid

    plan = "send-improvement-plan-2019"
    found = ReportChanges(
        plan,
        "abc1234",
        "2019-09-17",
        (
            Change(plan, "P1.1", "rag", "amber", "green", "P1"),
            Change(plan, None, "plan-status", "draft", "active"),
        ),
    )
    portfolio = require_valid([Path(PLANS)]).portfolio
    chosen = portfolio.require_plan(plan)
    report = REPORT_BY_NAME["board-summary"]
    day = date(2019, 11, 19)
    out = render(report, "md", portfolio, chosen, day, ReportInputs(found)).data.decode()
    assert "## 9. Changes since the last report" in out
    assert "Changes since 17 September 2019 (revision `abc1234`)." in out
    assert "| P1.1 | RAG rating | amber | green |" in out
    assert f"| {plan} | plan status | draft | active |" in out
    empty = ReportChanges(plan, "abc1234", "2019-09-17", ())
    out = render(report, "md", portfolio, chosen, day, ReportInputs(empty)).data.decode()
    assert "Nothing in the plan has changed since the last report." in out


def test_chart_is_written_beside_markdown(tmp_path: Path) -> None:
    out = tmp_path / "board.md"
    result = runner.invoke(app, [*ARGS, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    chart = tmp_path / "board.chart.png"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "![Actions by state and by RAG rating for each area](board.chart.png)" in out.read_text()


def test_word_document(tmp_path: Path) -> None:
    out = tmp_path / "board.docx"
    result = runner.invoke(app, [*ARGS, "-f", "docx", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    doc = assert_accessible(out.read_bytes())
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["1 Summary", "1.1 Recommendations", "2 Progress by area"]
    assert "3 Progress since the last board" in headings
    assert "4 Overdue actions" in headings
    assert len(doc.inline_shapes) == 2  # the chart, and the indicators' trend
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    for ident in OVERDUE:
        assert ident in cells
    overdue_table = next(
        t for t in doc.tables if [c.text for c in t.rows[0].cells][4:5] == ["Days overdue"]
    )
    assert len(overdue_table.rows) == 1 + len(OVERDUE)
    rag_fills = {
        c._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
        for r in overdue_table.rows[1:]
        for c in r.cells[5:6]
    }
    assert rag_fills == {"C00000", "E26B0A", "FFC000"}  # red, red/amber, amber
    for table in doc.tables[1:]:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    # the chart says in words what it shows, counts included
    alt, trend_alt = chart_descriptions(out.read_bytes())
    assert trend_alt.startswith("Trend of 6 indicators")
    assert "94 actions in 4 areas" in alt
    assert "39 complete, 44 on track, 1 due before the next board, 8 overdue, 2 withdrawn" in alt
    assert "P1, 24 actions: by state, 10 complete, 11 on track, 2 overdue, 1 withdrawn" in alt
    # the built-in look: A4 portrait, Arial, numbered headings, 9 pt table text
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert doc.styles["Normal"].font.name == "Arial"
    assert doc.styles["Table Grid"].font.size.pt == 9


def test_user_template_gets_the_same_context(tmp_path: Path) -> None:
    template = tmp_path / "mine.md.j2"
    template.write_text(
        "{{ plan.id }}: {{ counts['overdue'] }} overdue, next {{ next_board_meeting }}\n"
    )
    result = runner.invoke(app, [*ARGS, "--template", str(template)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "send-improvement-plan-2019: 8 overdue, next 2020-01-21\n"


def test_misspelt_variable_names_the_template_line(tmp_path: Path) -> None:
    template = tmp_path / "typo.md.j2"
    template.write_text("line one\n{{ plan.title }}\n{{ plan.tilte }}\n")
    result = runner.invoke(app, [*ARGS, "--template", str(template)])
    assert result.exit_code == 2
    assert f"{template}:3:" in result.stderr
    assert "tilte" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "escape",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ plan.__class__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
        "{{ document.title.format.__globals__ }}",
        "{{ plan.update({'id': 'x'}) }}",
    ],
)
def test_sandbox_refuses_python_internals(tmp_path: Path, escape: str) -> None:
    template = tmp_path / "evil.md.j2"
    template.write_text(escape + "\n")
    result = runner.invoke(app, [*ARGS, "--template", str(template)])
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_user_template_cannot_include_files_outside_its_folder(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read me")
    folder = tmp_path / "templates"
    folder.mkdir()
    template = folder / "t.md.j2"
    template.write_text("{% include '../secret.txt' %}\n")
    result = runner.invoke(app, [*ARGS, "--template", str(template)])
    assert result.exit_code == 2
    assert "do not read me" not in result.stdout


def test_template_with_docx_is_a_usage_error(tmp_path: Path) -> None:
    template = tmp_path / "t.md.j2"
    template.write_text("x")
    result = runner.invoke(
        app, [*ARGS, "--template", str(template), "-f", "docx", "-o", str(tmp_path / "x.docx")]
    )
    assert result.exit_code == 2


def test_unknown_plan_and_missing_choice() -> None:
    assert runner.invoke(app, ["report", "board-summary", PLANS, "--plan", "nope"]).exit_code == 2
    result = runner.invoke(app, ["report", "board-summary", PLANS])
    assert result.exit_code == 2
    assert "choose a plan with --plan" in result.stderr
