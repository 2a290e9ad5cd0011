"""Wide tables in Word read well: column widths from the content, landscape when needed.

Two faults these guard against, seen in LibreOffice renderings of the board
summary: "Days overdue" broke inside the word ("overdu/e") in a 1.6 cm column,
and long real-world area titles wrapped to fifteen lines in a 2.9 cm column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx_checks import assert_accessible
from typer.testing import CliRunner

from send_plan.cli import app
from send_plan.loader import load_text
from send_plan.render.widths import CELL_PADDING_TWIPS, column_widths, layout, text_width

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"
BOARD = ["report", "board-summary", "--plan", "send-improvement-plan-2019", "--as-of", "2019-11-19"]
LONG_TITLES = [
    "The local area's arrangements for identifying, assessing and meeting the needs of "
    "children and young people with SEND are not effective, and the quality of EHC plans "
    "is poor",
    "Leaders across education, health and care do not have an accurate, shared "
    "understanding of the local area's effectiveness, and parents and carers are not "
    "involved as equal partners in co-producing services",
    "Waiting times for assessment by the neurodevelopmental pathway and for speech and "
    "language therapy are too long, and families do not know where to find the support "
    "they need while they wait",
    "The outcomes achieved by children and young people with SEND, including their "
    "preparation for adulthood, are weak, and too many are excluded from school or are "
    "absent persistently",
]
runner = CliRunner()
TWIPS_PER_MM = 1440 / 25.4


def widths_of(table: Any) -> list[int]:
    grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
    return [int(c.get(qn("w:w"))) for c in grid]


def board(tmp_path: Path, plans: Path) -> Any:
    out = tmp_path / "board.docx"
    result = runner.invoke(app, [*BOARD[:2], str(plans), *BOARD[2:], "-f", "docx", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    return assert_accessible(out.read_bytes())


def test_no_word_breaks_inside_itself(tmp_path: Path) -> None:
    doc = board(tmp_path, PLANS)
    for table in doc.tables:
        widths = widths_of(table)
        for r, row in enumerate(table.rows):
            for cell, width in zip(row.cells, widths, strict=True):
                for word in cell.text.split():
                    needed = text_width(word, 9, bold=r == 0) + CELL_PADDING_TWIPS
                    assert needed <= width, (
                        f"{word!r} breaks in a {width / TWIPS_PER_MM:.1f} mm column"
                    )


def test_a_short_cell_breaks_at_most_once() -> None:
    header = ["Action", "Due", "Title"]
    rows = [[("P1.1", False), ("30 September 2019", False), ("word " * 60, False)]]
    widths = column_widths(header, rows, round(170 * TWIPS_PER_MM), 9)
    assert widths[1] >= text_width("30 September", 9) + CELL_PADDING_TWIPS
    assert sum(widths) == round(170 * TWIPS_PER_MM)
    assert widths[2] == max(widths)  # the long text gets the room


@pytest.mark.parametrize("available_mm", [40, 170, 257])
def test_widths_always_add_up(available_mm: int) -> None:
    header = ["Area", "Title", "Actions", "Complete", "On track", "Withdrawn"]
    rows = [[("P1", False), (LONG_TITLES[0], False), *[("24", False)] * 4]] * 50
    available = round(available_mm * TWIPS_PER_MM)
    widths, lines = layout(header, rows, available, 9)
    assert sum(widths) == available
    assert all(w > 0 for w in widths)
    assert lines >= 1


def test_long_area_titles_turn_the_page(tmp_path: Path) -> None:
    doc = load_text("sip", (PLANS / "send-improvement-plan-2019.yaml").read_bytes()).data
    assert doc is not None
    for area, title in zip(doc["areas"], LONG_TITLES, strict=True):
        area["title"] = title
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "sip.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    word = board(tmp_path, plans)
    sections = word.sections
    assert sections[0].orientation == WD_ORIENT.PORTRAIT  # the summary and the chart
    assert sections[-1].orientation == WD_ORIENT.LANDSCAPE  # the wide tables
    assert (round(sections[-1].page_width.mm), round(sections[-1].page_height.mm)) == (297, 210)
    area_table = next(
        t for t in word.tables if [c.text for c in t.rows[0].cells][:2] == ["Area", "Title"]
    )
    title_mm = widths_of(area_table)[1] / TWIPS_PER_MM
    longest = max(len(t) for t in LONG_TITLES)
    # about 2.3 characters a millimetre at 9 pt: four lines at most
    assert longest / (title_mm * 2.3) <= 4, f"{title_mm:.0f} mm"
    # the table's heading travels with it: the landscape section starts at a heading
    body = list(word.element.body)
    breaks = [
        i for i, e in enumerate(body) if e.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
    ]
    assert breaks, "no section break"


def test_the_example_board_summary_keeps_short_tables_portrait(tmp_path: Path) -> None:
    doc = board(tmp_path, PLANS)
    # summary, chart and per-area tables on portrait pages; overdue onwards landscape
    assert doc.sections[0].orientation == WD_ORIENT.PORTRAIT
    area_table = doc.tables[1]
    assert sum(widths_of(area_table)) == round(170 * TWIPS_PER_MM)
