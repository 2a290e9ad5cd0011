"""`report appendix-b`: golden Markdown and HTML, and a real Word document."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import assert_golden
from docx.oxml.ns import qn
from docx_checks import assert_accessible
from typer.testing import CliRunner

from send_plan.cli import app
from send_plan.loader import load_text

ROOT = Path(__file__).resolve().parent.parent
PLANS = str(ROOT / "plans")
ARGS = ["report", "appendix-b", PLANS, "--plan", "wsoa-2018", "--as-of", "2019-03-19"]
runner = CliRunner()


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_appendix_b_matches_the_golden_file(fmt: str) -> None:
    result = runner.invoke(app, [*ARGS, "--format", fmt])
    assert result.exit_code == 0, result.stderr
    assert_golden(f"appendix-b-wsoa-2018.{fmt}", result.stdout)


def test_markdown_totals_and_successor_titles() -> None:
    out = runner.invoke(app, ARGS).stdout
    assert (
        "47 actions: 33 complete and 14 carried forward into the "
        "Lancashire SEND Improvement Plan 2019-2020." in out
    )
    # fundamental failings first, then areas of significant weakness, in plan order
    assert (
        out.index("## FF1 ") < out.index("## FF2 ") < out.index("## SW1 ") < out.index("## SW12 ")
    )
    # a split action lists both successor actions
    assert "P1.2: Publish the SEND joint commissioning strategy" in out
    assert "P1.3: " in out


def test_word_document_has_real_tables(tmp_path: Path) -> None:
    out = tmp_path / "appendix-b.docx"
    result = runner.invoke(app, [*ARGS, "--format", "docx", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    doc = assert_accessible(out.read_bytes())
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "1 Summary position"
    assert any(h.startswith("2 FF1 Fundamental failing") for h in headings)
    assert len([h for h in headings if " Area of significant weakness: " in h]) == 12
    # facts, totals, then one table per area: 14 areas
    assert len(doc.tables) == 2 + 14
    action_rows = [row for t in doc.tables[2:] for row in t.rows[1:]]
    assert len(action_rows) == 47
    header = doc.tables[2].rows[0]
    assert [c.text for c in header.cells][:4] == ["Action", "Title", "Lead", "Final position"]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on each page
    carried = [r for r in action_rows if r.cells[3].text == "Carried forward"]
    assert len(carried) == 14
    fills = {
        c._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) for r in action_rows for c in r.cells[3:4]
    }
    assert fills == {"C6EFCE", "FFEB9C"}  # complete green, carried forward amber
    assert doc.styles["Normal"].font.name == "Arial"


def test_dropped_actions_stand_out(tmp_path: Path) -> None:
    (tmp_path / "old.yaml").write_text(
        "schema_version: 1\n"
        "plan: {id: old, title: Old plan, local_area: Lancashire, kind: other,"
        " status: closed, start: 2018-01-01, end: 2018-12-31}\n"
        "areas:\n"
        "  - id: A\n    kind: other\n    title: Area\n    actions:\n"
        "      - {id: A1, title: Left behind, lead: Head of SEND, due: 2018-06-30,"
        " status: in-progress}\n"
    )
    # the plan is invalid (E214) so the report refuses, exit 1, with the finding
    result = runner.invoke(app, ["report", "appendix-b", str(tmp_path)])
    assert result.exit_code == 1
    assert "E214" in result.stderr


def test_escaping_round_trips_in_word_and_html(tmp_path: Path) -> None:
    tricky = 'Review "quality" of <EHC> plans & reports'
    # send-plan's own loader: yaml.safe_load would turn the key `on:` into True
    doc = load_text("wsoa", (ROOT / "plans" / "wsoa-2018.yaml").read_bytes()).data
    assert doc is not None
    doc["areas"][0]["actions"][0]["title"] = tricky
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "wsoa.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    successor = (ROOT / "plans" / "send-improvement-plan-2019.yaml").read_bytes()
    (plans / "sip.yaml").write_bytes(successor)
    out = tmp_path / "b.docx"
    args = ["report", "appendix-b", str(plans), "--plan", "wsoa-2018"]
    assert runner.invoke(app, [*args, "-f", "docx", "-o", str(out)]).exit_code == 0
    word = assert_accessible(out.read_bytes())
    cells = [c.text for t in word.tables for r in t.rows for c in r.cells]
    assert tricky in cells
    html = runner.invoke(app, [*args, "-f", "html"]).stdout
    assert "Review &#34;quality&#34; of &lt;EHC&gt; plans &amp; reports" in html
    markdown = runner.invoke(app, args).stdout
    # Markdown: < and > as entities, so that <EHC> shows instead of vanishing as a tag
    assert '| Review "quality" of &lt;EHC&gt; plans & reports |' in markdown
