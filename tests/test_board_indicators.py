"""The board summary's indicators: the scorecard in every format, the trend chart
beside Markdown and HTML and inside Word, and its text alternative."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from typer.testing import CliRunner

from send_plan.cli import app
from send_plan.render.context import board_summary
from send_plan.render.scorecard import MAX_PANELS, chart_rows
from send_plan.render.trend import trend_chart
from send_plan.validation import require_valid

ROOT = Path(__file__).resolve().parent.parent
PLANS = str(ROOT / "plans")
SIP = ["--plan", "send-improvement-plan-2019"]
runner = CliRunner()
PNG = b"\x89PNG\r\n\x1a\n"


def report(*args: str) -> Any:
    result = runner.invoke(app, ["report", "board-summary", PLANS, "--no-history", *args])
    assert result.exit_code == 0, result.stderr
    return result


def context(plan_id: str, day: date) -> Any:
    portfolio = require_valid([ROOT / "plans"]).portfolio
    plan = portfolio.plan(plan_id)
    assert plan is not None
    return board_summary(portfolio, plan, day)


def test_scorecard_rows_as_of_the_meeting() -> None:
    ctx = context("send-improvement-plan-2019", date(2019, 11, 19))
    rows = {r["id"]: r for r in ctx["indicators"]}
    assert list(rows) == ["EHC20", "EP6", "AR-TIME", "PARENT-EXP", "FTE-SENS", "EHC-REQ"]
    ehc = rows["EHC20"]
    assert ehc["latest"] is not None
    assert (ehc["latest"]["text"], ehc["latest"]["date_long"]) == ("44.6%", "30 September 2019")
    assert (ehc["expected"], ehc["expected_text"]) == (50.38, "50.38%")
    assert (ehc["rating"], ehc["rating_label"]) == ("red", "Red")
    assert ehc["direction_text"] == "↓ Worsening"
    assert ehc["comparator_text"] == (
        "England 60.4% (31 December 2018); North West 64.1% (31 December 2018)"
    )
    # the December figure (provisional) is dated after the meeting: not shown anywhere
    assert [v["value"] for v in ehc["values"]] == [47.8, 44.6]
    assert rows["EHC-REQ"]["expected_text"] == "Context measure"
    assert rows["EHC-REQ"]["rating_label"] == "Not rated"
    assert rows["PARENT-EXP"]["direction_text"] == "No earlier figure"
    assert ctx["indicator_ratings"] == {"green": 1, "amber": 2, "red": 2, "unrated": 1}
    assert ctx["sentences"]["indicators"] == (
        "Of the 6 indicators with a figure, 1 is rated green, 2 amber and 2 red; 1 is not "
        "rated. The latest figure is late for 1 indicator: EP6."
    )
    assert (
        "Note the 2 indicators rated red against their trajectories (EHC20, EP6)."
        in (ctx["recommendations"])
    )


def test_later_figures_appear_once_they_are_dated() -> None:
    ctx = context("send-improvement-plan-2019", date(2020, 1, 20))
    ehc = ctx["indicators"][0]
    assert ehc["latest"]["value"] == 53.9
    assert ehc["latest"]["provisional"] is True
    out = report(*SIP, "--as-of", "2020-01-20").stdout
    assert "53.9%, 31 December 2019 (provisional)" in out


def test_indicators_without_a_figure_yet_are_named() -> None:
    ctx = context("wsoa-2018", date(2018, 5, 1))
    assert ctx["indicators"] == []
    assert [r["id"] for r in ctx["indicators_without_figures"]] == [
        "EHC20",
        "HEALTH6",
        "ASD-WAIT",
        "EHC-REQ",
    ]
    assert ctx["sentences"]["indicators"] == (
        "No figure yet for 4 indicators: EHC20, HEALTH6, ASD-WAIT, EHC-REQ."
    )
    assert ctx["indicator_chart_alt"] == ""


def test_unpublished_indicators_are_marked() -> None:
    out = report("--plan", "wsoa-2018", "--as-of", "2019-01-15").stdout
    assert "**EHC-REQ** Requests for an EHC needs assessment (not published)" in out
    html = report("--plan", "wsoa-2018", "--as-of", "2019-01-15", "-f", "html").stdout
    assert "Requests for an EHC needs assessment (not published)</td>" in html


def test_trend_chart_beside_markdown_with_its_figures(tmp_path: Path) -> None:
    out = tmp_path / "board.md"
    report(*SIP, "--as-of", "2019-11-19", "-o", str(out))
    assert (tmp_path / "board.indicators.png").read_bytes()[:8] == PNG
    text = out.read_text(encoding="utf-8")
    assert "(board.indicators.png)" in text
    assert "The figures in the chart:" in text
    assert (
        "- EHC20 New EHC plans issued within 20 weeks, excluding exceptions: values 47.8% on "
        "30 June 2019, 44.6% on 30 September 2019; baseline 41.2% on 31 March 2019; targets "
        "55% by 31 December 2019, then 60% by 31 March 2020; expected 50.38% at the latest "
        "figure; compared with England 60.4% (31 December 2018) and North West 64.1% "
        "(31 December 2018); rated red, worsening."
    ) in text


def test_trend_chart_beside_html(tmp_path: Path) -> None:
    out = tmp_path / "board.html"
    report(*SIP, "--as-of", "2019-11-19", "-f", "html", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert '<img src="board.indicators.png" alt="Trend of each indicator' in text
    assert "<figcaption>The figures in the chart:" in text
    assert (tmp_path / "board.indicators.png").exists()


def test_no_trend_chart_without_indicators(tmp_path: Path, write_plan: Any) -> None:
    plan = write_plan("p.yaml")
    out = tmp_path / "board.md"
    result = runner.invoke(
        app, ["report", "board-summary", str(plan), "--as-of", "2019-06-01", "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "board.chart.png").exists()
    assert not (tmp_path / "board.indicators.png").exists()
    assert "### Indicators" not in out.read_text(encoding="utf-8")


def test_word_scorecard_and_trend_chart_with_alternative_text(tmp_path: Path) -> None:
    out = tmp_path / "board.docx"
    report(*SIP, "--as-of", "2019-11-19", "-f", "docx", "-o", str(out))
    doc = Document(str(out))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[2:4] == ["2 Progress by area", "2.1 Indicators"]
    assert "3 Progress since the last board" in headings  # numbering unchanged
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Indicator")
    assert [c.text for c in table.rows[0].cells] == [
        "Indicator",
        "Latest",
        "Expected",
        "Rating",
        "Direction",
        "Comparator",
    ]
    first = [c.text for c in table.rows[1].cells]
    assert first[:5] == [
        "EHC20 New EHC plans issued within 20 weeks, excluding exceptions",
        "44.6%\n30 September 2019",
        "50.38%",
        "Red",
        "↓ Worsening",
    ]
    fill = table.rows[1].cells[3]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
    assert fill == "C00000"  # red, and the word Red in the cell
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    shapes = list(doc.inline_shapes)
    assert len(shapes) == 2
    alt = shapes[1]._inline.docPr.get("descr")
    assert alt.startswith("Trend of 6 indicators")
    assert "44.6% on 30 September 2019" in alt


def test_chart_draws_at_most_max_panels_urgent_first() -> None:
    rows: list[Any] = [
        {"id": f"I{n}", "rating": "red" if n % 5 == 0 else "green", "late_data": False}
        for n in range(1, 31)
    ]
    chosen = chart_rows(rows)
    assert len(chosen) == MAX_PANELS
    ids = [r["id"] for r in chosen]
    assert {"I5", "I10", "I15", "I20", "I25", "I30"} <= set(ids)
    assert ids == sorted(ids, key=lambda i: int(i[1:]))  # file order kept


def test_trend_chart_is_a_png_and_the_same_every_time() -> None:
    ctx = context("wsoa-2018", date(2019, 1, 15))
    rows = chart_rows(ctx["indicators"])
    first = trend_chart(rows, ctx["as_of"], "t")
    assert first[:8] == PNG
    assert trend_chart(rows, ctx["as_of"], "t") == first
    assert trend_chart(rows[:1], ctx["as_of"], "one")[:8] == PNG  # a single panel
