"""Excel import hardened: workbooks read as a stream, a row limit, cells no text can hold.

Issue 13, item 17: a 200,000-row workbook took a minute and 2.8 GB. Import now
streams each sheet it reads (openpyxl's read-only mode), keeps only the columns
it reads, stops at a documented row limit, and closes the workbook; a cell
holding Excel's code for half a character (``_xD800_``) is a problem at its cell.
"""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from send_plan import limits
from send_plan.cli import app
from send_plan.errors import UsageError
from send_plan.excel import CellRef, ReadProblem, export_workbook, import_workbook, load_mapping
from send_plan.validation import require_valid

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "docs" / "examples" / "tracker-columns.yaml"
HEADINGS = [
    "Action Ref",
    "Action",
    "Lead Officer",
    "Target Date",
    "Revised Date",
    "Status",
    "Date Completed",
    "RAG",
    "Progress Update",
    "Evidence of Impact",
]
OPTIONS = (
    "--columns",
    str(MAPPING),
    "--plan-id",
    "t",
    "--local-area",
    "Testshire",
    "--kind",
    "other",
    "--start",
    "2018-04-25",
)
DETAILS: dict[str, Any] = {
    "id": "t",
    "local_area": "Testshire",
    "kind": "other",
    "start": date(2018, 4, 25),
}
runner = CliRunner()


def run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def action(n: int, title: str | None = None) -> list[Any]:
    return [
        f"1.{n}",
        title or f"Publish the local offer, part {n}",
        "Head of SEND",
        datetime(2019, 3, 31),
        None,
        "In progress",
        None,
        "Amber",
        None,
        None,
    ]


def write_tracker(
    path: Path,
    rows: list[list[Any]],
    *,
    headings: list[str] = HEADINGS,
    extra: int = 0,
    after: Sequence[list[Any]] = (),
) -> Path:
    """A tracker in the example mapping's layout, written row by row: a title row,
    the header on row 2, then ``rows`` (each with ``extra`` filled columns no
    mapping reads), then the ``after`` rows as given."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("WSoA Tracker")
    ws.append(["Testshire SEND Written Statement of Action"])
    ws.append(headings + [f"Week {k}" for k in range(extra)])
    for row in rows:
        ws.append(row + list(range(extra)))
    for row in after:
        ws.append(row)
    wb.save(path)
    return path


def problems(result: Any) -> list[str]:
    return [p.line("w.xlsx") for p in result.problems]


@pytest.fixture(scope="module")
def wsoa() -> Any:
    portfolio = require_valid([ROOT / "plans"]).portfolio
    return portfolio.require_plan("wsoa-2018")


def _exported(plan: Any) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(export_workbook(plan)))


def _saved(wb: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _row_of(ws: Any, ident: str, col: int = 3) -> int:
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=col).value == ident:
            return row
    raise AssertionError(ident)


# --------------------------------------------------------------------------- lone surrogates


def test_a_lone_surrogate_in_a_tracker_cell_is_a_problem_at_that_cell(tmp_path: Path) -> None:
    book = write_tracker(tmp_path / "t.xlsx", [action(1), action(2, "Train _xD800_ SENCOs")])
    out = tmp_path / "t.yaml"
    code, _, err = run("import", book, *OPTIONS, "-o", out)
    assert code == 1, err
    lines = err.splitlines()
    assert lines[0].startswith(f"{book}:'WSoA Tracker'!B4: "), err
    assert "_xD800_" in lines[0]
    assert "E002" not in err  # not left to the YAML reader, which has no cell to name
    assert lines[-1].endswith("1 problem found; nothing written")
    assert not out.exists()


def test_a_lone_surrogate_on_an_exported_sheet_is_a_problem_at_that_cell(wsoa: Any) -> None:
    wb = _exported(wsoa)
    ws = wb["Actions"]
    row = _row_of(ws, "FF1.4")
    ws.cell(row=row, column=4).value = "Publish _xDC00_ the offer"  # Title
    notes = wb["Updates"]
    notes.append(["FF1.4", date(2019, 1, 20), "amber", "Met _xDBFF_ the forum"])
    result = import_workbook(_saved(wb), name="w.xlsx")
    assert not result.ok
    found = {str(p.where) for p in result.problems if isinstance(p, ReadProblem)}
    assert f"Actions!D{row}" in found, problems(result)
    assert f"Updates!D{notes.max_row}" in found, problems(result)
    assert not any("E002" in line for line in problems(result))


def test_a_pair_of_surrogate_codes_is_the_one_character_they_make(tmp_path: Path) -> None:
    book = write_tracker(tmp_path / "t.xlsx", [action(1, "Celebrate _xD83D__xDE00_ together")])
    code, out, err = run("import", book, *OPTIONS)
    assert code == 0, err
    assert "Celebrate \U0001f600 together" in out


def test_escaped_text_that_only_looks_like_a_surrogate_code_is_text(tmp_path: Path) -> None:
    book = write_tracker(tmp_path / "t.xlsx", [action(1, "Write _x005F_xD800_ as it is")])
    code, out, err = run("import", book, *OPTIONS)
    assert code == 0, err
    assert "Write _xD800_ as it is" in out


def test_a_lone_surrogate_in_a_heading_or_section_row_never_crashes(tmp_path: Path) -> None:
    book = write_tracker(
        tmp_path / "t.xlsx",
        [action(1)],
        headings=[*HEADINGS, "Notes _xD800_"],
    )
    code, _, err = run("import", book, *OPTIONS)
    assert code == 0, err
    assert "columns not imported: 'Notes _xD800_' (K)" in err


# --------------------------------------------------------------------------- the row limit


def test_import_stops_at_the_row_limit_naming_the_sheet_and_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_EXCEL_ROWS", 40)
    book = write_tracker(tmp_path / "t.xlsx", [action(n) for n in range(1, 40)])
    out = tmp_path / "t.yaml"
    code, _, err = run("import", book, *OPTIONS, "-o", out)
    assert code == 2, err
    assert err.splitlines() == [
        f"send-plan: error: {book}:'WSoA Tracker'!A41: more than 40 rows to import: import "
        "reads at most 40 rows of a workbook, counting each row that holds something on the "
        "sheets it reads and each entry after the first of a cell holding several; split "
        "the plan, or set SEND_PLAN_MAX_EXCEL_ROWS"
    ]
    assert not out.exists()


def test_the_row_limit_counts_rows_that_hold_something(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Title, header and 29 actions are 31 rows; 20 blank rows do not count; the
    row after them, with only a RAG, is the 32nd and is named by its one cell."""
    rows = [action(n) for n in range(1, 30)]
    after = [[] for _ in range(20)] + [[None, None, None, None, None, None, None, "Green"]]
    data = write_tracker(tmp_path / "t.xlsx", rows, after=after).read_bytes()
    mapping = load_mapping(MAPPING.read_bytes(), "map.yaml")
    monkeypatch.setattr(limits, "MAX_EXCEL_ROWS", 32)
    result = import_workbook(data, name="t.xlsx", mapping=mapping, plan_details=DETAILS)
    assert problems(result) == [
        "w.xlsx:'WSoA Tracker'!A52: this row has no action ID ('Action Ref')"
    ]
    monkeypatch.setattr(limits, "MAX_EXCEL_ROWS", 31)
    with pytest.raises(UsageError, match=r"^t\.xlsx:'WSoA Tracker'!H52: more than 31 rows"):
        import_workbook(data, name="t.xlsx", mapping=mapping, plan_details=DETAILS)


def _rows_counted(data: bytes, monkeypatch: pytest.MonkeyPatch) -> int:
    """What the row limit counts of a workbook that imports: its rows that hold
    something, and its cells' entries after the first; checked against the rows."""
    from send_plan.excel.workbook import Book

    counted: list[int] = []
    close = Book.close

    def counting(book: Book) -> None:
        counted.append(sum(book.rows_read.values()) + book.entries)
        close(book)

    monkeypatch.setattr(Book, "close", counting)
    assert import_workbook(data, name="w.xlsx").ok
    monkeypatch.setattr(Book, "close", close)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    rows = sum(
        any(v is not None for v in row)
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
    )
    assert rows < counted[0] < rows + 20  # a few joint leads and partners
    return counted[0]


def test_the_row_limit_counts_every_sheet_of_an_export(
    wsoa: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    wb = _exported(wsoa)
    exported = _saved(wb)
    counted = _rows_counted(exported, monkeypatch)
    monkeypatch.setattr(limits, "MAX_EXCEL_ROWS", counted)
    assert import_workbook(exported, name="w.xlsx").ok
    wb["Actions"].cell(row=_row_of(wb["Actions"], "FF1.4"), column=20).value = None  # the copy
    wb["Updates"].append(["FF1.4", date(2019, 1, 20), "amber", "One note more"])
    with pytest.raises(UsageError) as stopped:
        import_workbook(_saved(wb), name="w.xlsx")
    message = str(stopped.value)
    assert re.match(rf"w\.xlsx:Evidence!A\d+: more than {counted:,} rows to import", message)
    assert "sheets it reads (Plan 11, Partners 5, " in message
    assert ", Actions 48, Updates 24, " in message  # the row added
    assert message.endswith(
        ", then this sheet) and each entry after the first of a cell holding several; "
        "split the plan, or set SEND_PLAN_MAX_EXCEL_ROWS"
    )


def test_entries_of_a_cell_count_as_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A progress-update cell of many dated entries is many rows of the plan: a few
    hundred rows of such cells are millions of updates, so they count too."""
    rows = [action(n) for n in range(1, 4)]
    rows[1][8] = "\n".join(f"{day:02}/01/2019: call {day}" for day in range(1, 31))
    data = write_tracker(tmp_path / "t.xlsx", rows).read_bytes()
    mapping = load_mapping(MAPPING.read_bytes(), "map.yaml")
    monkeypatch.setattr(limits, "MAX_EXCEL_ROWS", 5 + 29)  # 5 rows, 29 updates after the first
    assert import_workbook(data, name="t.xlsx", mapping=mapping, plan_details=DETAILS).ok
    monkeypatch.setattr(limits, "MAX_EXCEL_ROWS", 5 + 28)
    with pytest.raises(UsageError, match=r"^t\.xlsx:'WSoA Tracker'!I4: more than 33 rows"):
        import_workbook(data, name="t.xlsx", mapping=mapping, plan_details=DETAILS)


def test_rows_past_the_limit_that_hold_only_formatting_are_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_EXCEL_ROWS", 40)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("WSoA Tracker")
    ws.append(["Testshire SEND Written Statement of Action"])
    ws.append(HEADINGS)
    for n in range(1, 30):
        ws.append(action(n))
    fill = PatternFill("solid", fgColor="FFFF00")
    for _ in range(30):  # rows 32 to 61: coloured, but empty
        cell = WriteOnlyCell(ws, value=None)
        cell.fill = fill
        ws.append([cell])
    book = tmp_path / "t.xlsx"
    wb.save(book)
    assert '<c r="A61"' in zipfile.ZipFile(book).read("xl/worksheets/sheet1.xml").decode()
    code, _, err = run("import", book, *OPTIONS)
    assert code == 0, err


def test_the_default_row_limit_is_50000(tmp_path: Path) -> None:
    assert limits.MAX_EXCEL_ROWS == 50_000
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("WSoA Tracker")
    ws.append(HEADINGS)
    for n in range(2, 50_002):
        ws.append([f"1.{n}"])
    book = tmp_path / "t.xlsx"
    wb.save(book)
    code, _, err = run("import", book, *OPTIONS)
    assert code == 2
    assert f"{book}:'WSoA Tracker'!A50001: more than 50,000 rows to import" in err


# --------------------------------------------------------------------------- streaming


def test_columns_import_does_not_read_cost_it_no_memory(tmp_path: Path) -> None:
    """1,000 rows of 100 filled columns no mapping names: 100,000 cells, which
    import passes over as it reads instead of keeping (51 MiB at its peak when
    every cell was kept, 10 MiB now)."""
    book = write_tracker(tmp_path / "t.xlsx", [action(n) for n in range(1, 1001)], extra=100)
    data = book.read_bytes()
    mapping = load_mapping(MAPPING.read_bytes(), "map.yaml")
    tracemalloc.start()
    result = import_workbook(data, name="t.xlsx", mapping=mapping, plan_details=DETAILS)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.ok, problems(result)
    assert result.actions == 1000
    assert peak < 25 * 1024 * 1024, f"{peak / 2**20:.0f} MiB"


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every workbook openpyxl opens, with how it was asked to."""
    books: list[Any] = []
    real = openpyxl.load_workbook

    def spy(*args: Any, **kwargs: Any) -> Any:
        wb = real(*args, **kwargs)
        books.append((wb, kwargs))
        return wb

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    monkeypatch.setattr("openpyxl.reader.excel.load_workbook", spy)
    return books


def test_the_workbook_is_read_once_streamed_and_closed(wsoa: Any, opened: list[Any]) -> None:
    result = import_workbook(export_workbook(wsoa), name="w.xlsx")
    assert result.ok, problems(result)
    assert len(opened) == 1
    wb, kwargs = opened[0]
    assert kwargs.get("read_only") is True
    assert kwargs.get("data_only") is True
    assert wb._archive.fp is None  # closed


def test_the_workbook_is_closed_when_import_stops(
    tmp_path: Path, opened: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_EXCEL_ROWS", 40)
    book = write_tracker(tmp_path / "t.xlsx", [action(n) for n in range(1, 60)])
    code, _, _ = run("import", book, *OPTIONS)
    assert code == 2
    assert [wb._archive.fp for wb, _ in opened] == [None]


def _with_sheet_xml(data: bytes, edit: Any, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info, edit(body.decode()).encode() if info.filename == part else body)
    return out.getvalue()


def test_a_formulas_saved_result_is_read_and_an_error_result_is_reported(tmp_path: Path) -> None:
    """Excel saves each formula's result beside it; import reads the result."""
    book = write_tracker(tmp_path / "t.xlsx", [action(1), action(2)])
    mapping = load_mapping(MAPPING.read_bytes(), "map.yaml")

    def revised(xml: str) -> str:  # E3, Revised Date of 1.1: 31/05/2019, by a formula
        return re.sub(
            r'(<c r="D3"[^>]*><v>43555</v></c>)',
            r'\1<c r="E3" s="1"><f>D3+61</f><v>43616</v></c>',
            xml,
        )

    def error(xml: str) -> str:  # H4, RAG of 1.2: a formula whose saved result is an error
        return re.sub(
            r'<c r="H4".*?</c>', '<c r="H4" t="e"><f>VLOOKUP(A4,X:Y,2)</f><v>#N/A</v></c>', xml
        )

    data = _with_sheet_xml(book.read_bytes(), revised)
    result = import_workbook(data, name="t.xlsx", mapping=mapping, plan_details=DETAILS)
    assert result.ok, problems(result)
    assert result.text is not None
    assert "due: 2019-05-31\n        original_due: 2019-03-31\n" in result.text
    data = _with_sheet_xml(data, error)
    result = import_workbook(data, name="t.xlsx", mapping=mapping, plan_details=DETAILS)
    assert problems(result) == [
        "w.xlsx:'WSoA Tracker'!H4: the cell's formula gives an Excel error (#N/A); correct it"
    ]


def test_a_sheet_claiming_every_cell_of_excel_is_read_by_its_filled_cells(tmp_path: Path) -> None:
    book = write_tracker(tmp_path / "t.xlsx", [action(1)])
    data = _with_sheet_xml(
        book.read_bytes(),
        lambda xml: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml),
    )
    mapping = load_mapping(MAPPING.read_bytes(), "map.yaml")
    result = import_workbook(data, name="t.xlsx", mapping=mapping, plan_details=DETAILS)
    assert result.ok, problems(result)


def test_a_section_row_below_the_header_search_is_still_a_section(tmp_path: Path) -> None:
    """Merged ranges come at the end of a sheet's XML: a heading row merged across
    the table is recognised wherever it is."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "WSoA Tracker"
    ws.append(["Testshire SEND Written Statement of Action"])
    ws.append(HEADINGS)
    for n in range(1, 40):
        ws.append(action(n))
    ws.append(["Priority 2: communication"])
    last = get_column_letter(len(HEADINGS))
    ws.merge_cells(f"A{ws.max_row}:{last}{ws.max_row}")
    ws.append(action(40))
    ws.append([None, "A note typed in one cell, not merged"])
    book = tmp_path / "t.xlsx"
    wb.save(book)
    mapping = load_mapping(MAPPING.read_bytes(), "map.yaml")
    result = import_workbook(
        book.read_bytes(), name="t.xlsx", mapping=mapping, plan_details=DETAILS
    )
    notes = [n.line("t.xlsx") for n in result.notes]
    assert (
        "t.xlsx:'WSoA Tracker'!A42: note: skipped a section heading row ('Priority 2: "
        "communication')" in notes
    )
    assert [str(p.where) for p in result.problems] == [str(CellRef("WSoA Tracker", 44, 1))]


def test_an_entry_missing_a_field_is_reported_not_a_crash(wsoa: Any) -> None:
    """An entry of the Rescheduled or Updates sheet with a blank or unreadable cell is
    compared with its copy on the Actions sheet without a crash; a row with a
    problem of its own draws no second problem from the copy."""
    wb = _exported(wsoa)
    moves = wb["Rescheduled"]
    action_id = moves.cell(row=2, column=1).value
    moves.cell(row=2, column=5).value = None  # Reason
    notes = wb["Updates"]
    noted = notes.cell(row=2, column=1).value
    notes.cell(row=2, column=4).value = "=1/0"  # a formula never calculated
    result = import_workbook(_saved(wb), name="w.xlsx")
    lines = problems(result)
    assert any(
        line.startswith("w.xlsx:Updates!D2: the cell holds a formula (=1/0)") for line in lines
    )
    assert any(f"[{action_id}]" in line and "reason" in line for line in lines), lines
    updates_col = get_column_letter(20)
    row = _row_of(wb["Actions"], noted)
    assert not any(line.startswith(f"w.xlsx:Actions!{updates_col}{row}:") for line in lines), lines


# --------------------------------------------------------------------------- the plan file


def _plans_read(data: bytes, **kwargs: Any) -> Any:
    """The plan data import assembles from a workbook (before it is written)."""
    from send_plan.excel import assembly

    seen: list[Any] = []
    real = assembly.assemble

    def keep(*args: Any) -> Any:
        seen.append(real(*args))
        return seen[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(assembly, "assemble", keep)
        import_workbook(data, name="w.xlsx", **kwargs)
    return seen[0]


@pytest.mark.parametrize("plan_id", ["wsoa-2018", "send-improvement-plan-2019"])
def test_the_plan_written_an_action_at_a_time_is_the_plan_written_whole(plan_id: str) -> None:
    from send_plan.excel.assembly import plan_text
    from send_plan.yamlout import dump

    plan = require_valid([ROOT / "plans"]).portfolio.require_plan(plan_id)
    data = _plans_read(export_workbook(plan))
    assert plan_text(data, "Imported\nby test") == dump(dict(data), "Imported\nby test")


def test_a_trackers_plan_written_an_action_at_a_time_is_the_plan_written_whole(
    tmp_path: Path,
) -> None:
    """Long text folds at the same place, however the pieces are cut; an area with
    no actions and one with an update are written as in the whole."""
    from send_plan.excel.assembly import plan_text
    from send_plan.yamlout import dump

    long = " ".join(["Agree the joint commissioning strategy with every partner"] * 6)
    rows = [action(1, long), action(2, "Line one\nline two"), action(3)]
    rows[2][8] = "15/01/2019 (amber): " + long
    book = write_tracker(tmp_path / "t.xlsx", rows)
    mapping = load_mapping(MAPPING.read_bytes(), "map.yaml")
    data = _plans_read(book.read_bytes(), mapping=mapping, plan_details=DETAILS)
    assert plan_text(data, "") == dump(dict(data))
    data["areas"].append({"id": "A2", "kind": "other", "title": "Nothing yet"})
    data["areas"].append({"id": "A3", "kind": "other", "actions": data["areas"][0]["actions"]})
    assert plan_text(data, "") == dump(dict(data))


def test_a_date_used_by_several_updates_is_written_out_each_time(tmp_path: Path) -> None:
    """Progress notes with no date of their own take the mapping's update_date: one
    date object, which YAML writers turn into &id001 / *id001 unless told not to."""
    rows = [action(1), action(2)]
    rows[0][8] = "An undated note"
    rows[1][8] = "Another undated note"
    book = write_tracker(tmp_path / "t.xlsx", rows)
    code, out, err = run("import", book, *OPTIONS)
    assert code == 0, err
    assert "&id" not in out
    assert "*id" not in out
    assert out.count("- date: 2019-01-15\n") == 2


# --------------------------------------------------------------------------- damaged or hostile


def _rows_added(rows: str) -> Any:
    return lambda xml: xml.replace("</sheetData>", rows + "</sheetData>")


def test_a_sheet_without_its_size_is_not_read_twice_nor_kept(tmp_path: Path) -> None:
    """Excel writes a sheet's size at its top; without it openpyxl's read-only
    worksheet read the whole sheet as the workbook opened, keeping an element per
    row (250 MB of empty rows: 3.8 GB)."""
    book = write_tracker(tmp_path / "t.xlsx", [action(1)])
    data = _with_sheet_xml(book.read_bytes(), _rows_added("<row/>" * 300_000))
    assert b"<dimension" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    mapping = load_mapping(MAPPING.read_bytes(), "map.yaml")
    tracemalloc.start()
    result = import_workbook(data, name="t.xlsx", mapping=mapping, plan_details=DETAILS)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.ok, problems(result)
    assert peak < 8 * 1024 * 1024, f"{peak / 2**20:.1f} MiB"


def test_more_rows_or_cells_than_excel_allows_is_a_damaged_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from send_plan.excel import stream

    book = write_tracker(tmp_path / "t.xlsx", [action(1)])
    mapping = load_mapping(MAPPING.read_bytes(), "map.yaml")
    monkeypatch.setattr(stream, "EXCEL_ROWS", 100)
    data = _with_sheet_xml(book.read_bytes(), _rows_added('<row r="3"/>' * 97))  # 100 rows
    assert import_workbook(data, name="t.xlsx", mapping=mapping, plan_details=DETAILS).ok
    data = _with_sheet_xml(book.read_bytes(), _rows_added('<row r="3"/>' * 98))
    with pytest.raises(UsageError) as stopped:
        import_workbook(data, name="t.xlsx", mapping=mapping, plan_details=DETAILS)
    assert str(stopped.value) == (
        "t.xlsx: the workbook is corrupt and cannot be read (sheet 'WSoA Tracker': "
        "ValueError: more rows than Excel allows (100))"
    )
    monkeypatch.setattr(stream, "EXCEL_COLUMNS", 12)
    data = _with_sheet_xml(
        book.read_bytes(), _rows_added("<row>" + "<c><v>1</v></c>" * 13 + "</row>")
    )
    with pytest.raises(
        UsageError, match=r"ValueError: a row with more cells than Excel allows \(12\)"
    ):
        import_workbook(data, name="t.xlsx", mapping=mapping, plan_details=DETAILS)


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (
            lambda xml: xml.replace("<worksheet", '<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet', 1),
            "a document type or CDATA section, which no spreadsheet program writes",
        ),
        (
            lambda xml: xml.replace("<t>Head of SEND</t>", "<t><![CDATA[Head of SEND]]></t>", 1),
            "a document type or CDATA section, which no spreadsheet program writes",
        ),
        (
            lambda xml: xml.replace(
                "<t>Head of SEND</t>", "<t>" + "a" * (1024 * 1024 + 1) + "</t>", 1
            ),
            "a text of more than 1,048,576 bytes, more than a cell holds",
        ),
    ],
    ids=["doctype", "cdata", "long-text"],
)
def test_what_no_spreadsheet_program_writes_is_refused_before_it_is_read(
    tmp_path: Path, edit: Any, problem: str
) -> None:
    """Entities expand, CDATA hides text from the scan, and one text of 250 MB held
    2.4 GB: each is refused before the XML is parsed."""
    book = write_tracker(tmp_path / "t.xlsx", [action(1)])
    assert import_workbook(
        _with_sheet_xml(book.read_bytes(), lambda xml: xml),
        name="t.xlsx",
        mapping=load_mapping(MAPPING.read_bytes(), "map.yaml"),
        plan_details=DETAILS,
    ).ok
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(_with_sheet_xml(book.read_bytes(), edit))
    code, _, err = run("import", damaged, *OPTIONS)
    assert code == 2
    assert err.splitlines() == [
        f"send-plan: error: {damaged}: the workbook is corrupt and cannot be read "
        f"(xl/worksheets/sheet1.xml: {problem})"
    ]


def test_a_text_at_the_very_end_of_a_part_is_measured_too(tmp_path: Path) -> None:
    book = write_tracker(tmp_path / "t.xlsx", [action(1)])
    data = _with_sheet_xml(book.read_bytes(), lambda xml: xml + "a" * (1024 * 1024 + 1))
    with pytest.raises(UsageError, match=r"sheet1\.xml: a text of more than 1,048,576 bytes"):
        import_workbook(data, name="t.xlsx")


def test_shared_strings_larger_than_import_reads_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """openpyxl reads every text of a workbook saved by Excel (its shared strings)
    as the workbook opens, and keeps an element beside each: 250 MB of them took
    1.5 GB and three and a half minutes."""
    from send_plan.excel import container

    wb = openpyxl.Workbook()
    wb.active.append(["a text", "another"])
    out = io.BytesIO()
    wb.save(out)
    parts = {i.filename: zipfile.ZipFile(out).read(i) for i in zipfile.ZipFile(out).infolist()}
    table = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    table += b"<si><t>a</t></si>" * 100 + b"</sst>"
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as z:
        for name, body in parts.items():
            z.writestr(name, body)
        z.writestr("xl/sharedStrings.xml", table)
    monkeypatch.setattr(container, "MAX_SHARED_STRINGS", len(table) - 1)
    with pytest.raises(UsageError) as refused:
        import_workbook(data.getvalue(), name="w.xlsx")
    assert str(refused.value) == (
        "w.xlsx: the workbook is corrupt and cannot be read (xl/sharedStrings.xml: its texts "
        f"take {len(table):,} bytes, more than the {len(table) - 1:,} import reads)"
    )


def test_more_text_than_a_plan_file_holds_is_refused_at_the_cell_that_passes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cells of long text in the columns read: 8,000 cells of 32,000 characters and
    an emoji are 1 GB in memory, however few the rows."""
    rows = [action(n, "x" * 100) for n in range(1, 4)]
    data = write_tracker(tmp_path / "t.xlsx", rows).read_bytes()
    mapping = load_mapping(MAPPING.read_bytes(), "map.yaml")
    assert import_workbook(data, name="t.xlsx", mapping=mapping, plan_details=DETAILS).ok
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 400)
    with pytest.raises(UsageError) as refused:
        import_workbook(data, name="t.xlsx", mapping=mapping, plan_details=DETAILS)
    assert str(refused.value) == (
        "t.xlsx:'WSoA Tracker'!F4: more text to import than a plan file can hold: import "
        "reads at most 400 characters of text from a workbook (set SEND_PLAN_MAX_FILE_BYTES "
        "to change)"
    )


def test_text_keeping_its_last_line_breaks_is_written_as_in_the_whole(tmp_path: Path) -> None:
    """YAML writes text ending in line breaks as ``|+`` and closes a document ending
    in one with ``...``: a piece ending so cannot be joined to the next."""
    from send_plan.excel.assembly import plan_text
    from send_plan.yamlout import dump

    book = write_tracker(tmp_path / "t.xlsx", [action(1)])
    mapping = load_mapping(MAPPING.read_bytes(), "map.yaml")
    data = _plans_read(book.read_bytes(), mapping=mapping, plan_details=DETAILS)
    data["areas"][0]["impact"] = "\n"
    data["areas"][0]["actions"][0]["title"] = "Ends in two line breaks\n\n"
    data["areas"].append({"id": "A2", "kind": "other", "impact": "kept\n\n"})
    assert plan_text(data, "") == dump(dict(data))


def test_a_file_larger_than_a_workbook_can_unpack_to_is_refused_unread(tmp_path: Path) -> None:
    """A zip is no larger than its parts unpacked (256 MiB at most): a larger file is
    refused from its size, without reading it into memory."""
    huge = tmp_path / "huge.xlsx"
    with huge.open("wb") as out:  # sparse: takes no disk space
        out.truncate(300 * 1024 * 1024)
    tracemalloc.start()
    code, _, err = run("import", huge, *OPTIONS)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert code == 2
    assert err.splitlines() == [
        f"send-plan: error: {huge}: the workbook is 314,572,800 bytes, more than the "
        "268,435,456 import reads"
    ]
    assert peak < 20 * 1024 * 1024


def _zip_with(data: bytes, extra: dict[str, bytes], manifest: str = "") -> bytes:
    """The workbook with parts added or replaced, and Override lines added to its
    manifest."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in extra:
                continue
            body = src.read(info)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", manifest.encode() + b"</Types>")
            dst.writestr(info, body)
        for name, body in extra.items():
            dst.writestr(name, body)
    return out.getvalue()


def test_parts_openpyxl_reads_whole_have_a_bounded_number_of_tags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Styles and relations are read whole, an object a tag; a pivot cache, which
    import never reads, may be as large as a workbook's data."""
    from send_plan.excel import container

    data = write_tracker(tmp_path / "t.xlsx", [action(1)]).read_bytes()
    styles = zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml")
    mapping = load_mapping(MAPPING.read_bytes(), "map.yaml")
    monkeypatch.setattr(container, "MAX_TAGS", 400)
    cache = b"<pivotCacheRecords>" + b"<r><n v='1'/></r>" * 1000 + b"</pivotCacheRecords>"
    with_cache = _zip_with(data, {"xl/pivotCache/pivotCacheRecords1.xml": cache})
    assert import_workbook(with_cache, name="t.xlsx", mapping=mapping, plan_details=DETAILS).ok
    bloated = styles.replace(
        b"</styleSheet>", b"<extra>" + b"<xf/>" * 400 + b"</extra></styleSheet>"
    )
    with pytest.raises(UsageError) as refused:
        import_workbook(_zip_with(data, {"xl/styles.xml": bloated}), name="t.xlsx")
    assert str(refused.value) == (
        "t.xlsx: the workbook is corrupt and cannot be read (xl/styles.xml: more than 400 "
        "tags, more than a spreadsheet program writes)"
    )


def test_shared_strings_are_found_by_the_manifest_wherever_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from send_plan.excel import container

    data = write_tracker(tmp_path / "t.xlsx", [action(1)]).read_bytes()
    table = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    table += b"<si><t>a</t></si>" * 100 + b"</sst>"
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    moved = _zip_with(
        data,
        {"xl/texts/all.xml": table},
        f'<Override PartName="/xl/texts/all.xml" ContentType="{kind}"/>',
    )
    monkeypatch.setattr(container, "MAX_SHARED_STRINGS", 1000)
    with pytest.raises(UsageError, match=r"\(xl/texts/all\.xml: its texts take 1,777 bytes"):
        import_workbook(moved, name="t.xlsx")


def test_a_manifest_that_is_not_xml_is_a_damaged_workbook(tmp_path: Path) -> None:
    data = write_tracker(tmp_path / "t.xlsx", [action(1)]).read_bytes()
    broken = _zip_with(data, {"[Content_Types].xml": b"<Types><Override"})
    with pytest.raises(UsageError, match=r"^t\.xlsx: the workbook is corrupt and cannot be read"):
        import_workbook(broken, name="t.xlsx")
