"""One worksheet read as a stream: its rows one at a time, then its merged ranges.

A workbook is opened with openpyxl's read-only mode (``read_only=True,
data_only=True``), which reads a sheet's XML only as it is iterated, each
formula's saved result in place of the formula. :func:`read_sheet` drives the
parser read-only worksheets use (``WorkSheetParser``, whose ``parse_row`` gives
openpyxl's own values: shared strings, dates by the cell's number format, the
1904 date system) over the sheet's XML itself rather than through
``iter_rows``, because import needs three things ``iter_rows`` loses:

* merged ranges (read-only worksheets have none), which say which rows of a
  tracker are section headings;
* whether a blank cell is really a formula whose result was never saved (with
  ``data_only`` such a cell reads as empty, and the action would silently lose
  its value);
* memory that does not grow with the sheet: every element is dropped once read,
  so what is held at any time is one row, whatever the sheet's size. (openpyxl's
  own parser keeps an emptied element per row and builds the merged ranges, data
  validations and the like as whole trees: a sheet of a few megabytes can make
  that gigabytes.)

Each cell comes with the problem that stops it being read, if any (an Excel
error, a formula with no saved result, Excel's code for half a character); the
sheet reader reports it at the cell. openpyxl is imported only when a sheet is
read.
"""

from __future__ import annotations

import warnings
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from send_plan.excel.cells import surrogate_problem

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW = _MAIN + "row"
_FORMULA = _MAIN + "f"
_MERGE = _MAIN + "mergeCell"

#: What Excel shows for a formula that failed, when saved as text.
EXCEL_ERRORS = frozenset(
    ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA")
)

#: One cell as read: column, value (None when empty), the problem reading it.
CellRead = tuple[int, object, str | None]


@dataclass(frozen=True, slots=True)
class RowRead:
    """One ``<row>`` element: its number and its cells that hold something."""

    row: int
    cells: list[CellRead]


@dataclass(frozen=True, slots=True)
class Merge:
    """A merged range: its top-left cell and how many columns it spans."""

    row: int
    col: int
    width: int


def read_sheet(ws: object) -> Generator[RowRead | Merge, None, None]:
    """The sheet's rows in the order stored, then its merged ranges (nothing for a
    chart sheet).

    openpyxl's exceptions on a damaged sheet pass through; the caller reports
    them. Close the iterator (``contextlib.closing``) when stopping early.
    """
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.xml.functions import iterparse

    if not isinstance(ws, ReadOnlyWorksheet):
        return

    source = ws._get_source()  # the sheet's part in the workbook's zip, as iter_rows reads it
    try:
        parser = _parser(ws, source)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. a date serial out of range: read as #VALUE!
            yield from _elements(iterparse(source, events=("start", "end")), parser)
    finally:
        source.close()


def _parser(ws: ReadOnlyWorksheet, source: IO[bytes]) -> Any:
    """The row parser of openpyxl's read-only worksheets, set up as they set it up."""
    from openpyxl.worksheet._reader import WorkSheetParser

    wb = ws.parent
    return WorkSheetParser(
        source,
        ws._shared_strings,
        data_only=True,
        epoch=wb.epoch,
        date_formats=wb._date_formats,
        timedelta_formats=wb._timedelta_formats,
    )


def _elements(events: Iterator[tuple[str, Any]], parser: Any) -> Iterator[RowRead | Merge]:
    """Rows and merged ranges out of the parse events; each element, once read, is
    removed from its parent, so the tree never holds more than the current row."""
    from openpyxl.utils.cell import range_boundaries

    stack: list[Any] = []
    in_row = 0
    for event, element in events:
        if event == "start":
            stack.append(element)
            in_row += element.tag == _ROW
            continue
        stack.pop()
        tag = element.tag
        if tag == _ROW:
            in_row -= 1
            yield _row(parser, element)
        elif tag == _MERGE and not in_row:
            ref = element.get("ref", "")
            try:
                min_col, min_row, max_col, _ = range_boundaries(ref)
            except (ValueError, TypeError):
                pass  # not a range: nothing merged
            else:
                if min_col is not None and min_row is not None and max_col is not None:
                    yield Merge(min_row, min_col, max_col - min_col + 1)
        if not in_row and stack:
            stack[-1].clear()  # drop this element (and its read siblings) from its parent


def _row(parser: Any, element: Any) -> RowRead:
    row, parsed = parser.parse_row(element)
    cells: list[CellRead] = []
    for c, cell in zip(element, parsed, strict=True):
        value = cell["value"]
        formula = c.find(_FORMULA)
        problem = None
        if cell["data_type"] == "e":
            problem = _error(value, formula is not None)
        elif formula is not None and value is None:
            text = "=" + (formula.text or "")
            value = text  # not empty: a formula is there
            problem = (
                f"the cell holds a formula ({text[:40]}) whose result was never saved: "
                "open the workbook in Excel and save it, or type the value"
            )
        elif formula is not None and isinstance(value, str) and value in EXCEL_ERRORS:
            problem = _error(value, True)
        elif isinstance(value, str) and "_x" in value:
            problem = surrogate_problem(value)
        if value is not None:
            cells.append((cell["column"], value, problem))
    return RowRead(row, cells)


def _error(value: object, formula: bool) -> str:
    if formula:
        return f"the cell's formula gives an Excel error ({value}); correct it"
    return f"the cell shows an Excel error ({value}); correct it or clear it"
