"""One worksheet read as a stream: its rows one at a time, then its merged ranges.

A workbook is opened with openpyxl's read-only mode (``read_only=True,
data_only=True``), which reads a sheet's XML only as it is iterated, each
formula's saved result in place of the formula. :func:`read_sheet` reads the
sheet's XML the way read-only worksheets do (the same part of the zip, the same
XML parser, the values their ``WorkSheetParser`` gives) but not through
``iter_rows``, because import needs three things ``iter_rows`` loses:

* merged ranges (read-only worksheets have none), which say which rows of a
  tracker are section headings;
* whether a blank cell is really a formula whose result was never saved (with
  ``data_only`` such a cell reads as empty, and the action would silently lose
  its value);
* memory that does not grow with the sheet: every element is dropped once read
  (a cell as soon as it is), so what the parser holds at any time is one cell,
  whatever the sheet's size. (openpyxl's own parser keeps an emptied element per
  row and builds the merged ranges, data validations and the like as whole
  trees: a sheet of a few megabytes can make that gigabytes.) A sheet of more
  rows, or a row of more cells, than Excel allows is refused as damaged.

It is also several times faster on inline strings (what openpyxl writes, so what
export writes), which openpyxl reads through its rich-text objects.

Each cell comes with the problem that stops it being read, if any (an Excel
error, a formula with no saved result, Excel's code for half a character); the
sheet reader reports it at the cell. openpyxl is imported only when a sheet is
read.
"""

from __future__ import annotations

import re
from collections.abc import Container, Generator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from send_plan.excel.cells import surrogate_problem

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

#: The sheet XML's tags this reader acts on, in the spreadsheet namespace.
_ROW, _CELL, _VALUE, _FORMULA, _INLINE, _TEXT, _RUN, _MERGE = (
    "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}" + tag
    for tag in ("row", "c", "v", "f", "is", "t", "r", "mergeCell")
)

#: What Excel shows for a formula that failed, when saved as text.
EXCEL_ERRORS = frozenset(
    ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA")
)

#: The most rows and columns a worksheet can have in Excel: more, and the file was
#: not written by a spreadsheet program.
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384

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


def read_sheet(
    ws: object, merged_rows: Container[int] = ()
) -> Generator[RowRead | Merge, None, None]:
    """The sheet's rows in the order stored, then the merged ranges that start on
    one of ``merged_rows`` (which the caller may fill as the rows come); nothing
    for a chart sheet.

    openpyxl's exceptions on a damaged sheet pass through; the caller reports
    them. Close the iterator (``contextlib.closing``) when stopping early.
    """
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.xml.functions import iterparse

    if not isinstance(ws, ReadOnlyWorksheet):
        return
    source = ws._get_source()  # the sheet's part in the workbook's zip, as iter_rows reads it
    try:
        cells = _Cells(ws)
        yield from _elements(iterparse(source, events=("start", "end")), cells, merged_rows)
    finally:
        source.close()


def _elements(
    events: Iterator[tuple[str, Any]], cells: _Cells, merged_rows: Container[int]
) -> Iterator[RowRead | Merge]:
    """Rows and merged ranges out of the parse events. Each element, once read, is
    removed from its parent (each cell as soon as it is read), so the tree never
    holds more than one cell; and no sheet may have more rows, or a row more cells,
    than Excel allows."""
    stack: list[Any] = []
    row_depth = 0  # how deep the open row is (0: none open)
    rows = 0
    for event, element in events:
        if event == "start":
            stack.append(element)
            if element.tag == _ROW and not row_depth:
                row_depth = len(stack)
                rows += 1
                if rows > EXCEL_ROWS:
                    raise ValueError(f"more rows than Excel allows ({EXCEL_ROWS:,})")
                cells.start_row(element.get("r"))
            continue
        stack.pop()
        if row_depth:
            if len(stack) == row_depth:  # one of the open row's cells
                if element.tag == _CELL:
                    cells.cell(element)
                stack[-1].clear()
            elif len(stack) < row_depth:  # the row itself
                row_depth = 0
                yield cells.end_row()
                if stack:
                    stack[-1].clear()
            continue  # inside a cell: read with the cell
        if element.tag == _MERGE:
            merge = _merge(element.get("ref", ""), merged_rows)
            if merge is not None:
                yield merge
        if stack:
            stack[-1].clear()  # drop this element (and its read siblings) from its parent


class _Cells:
    """Cell values as openpyxl's read-only worksheets give them with ``data_only``
    (its ``WorkSheetParser.parse_cell``): shared strings, numbers, dates by the
    cell's number format in the workbook's date system, booleans, inline text;
    and, beside each, the problem that stops it being read."""

    def __init__(self, ws: ReadOnlyWorksheet) -> None:
        from openpyxl.utils.cell import coordinate_to_tuple
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        self._cell_at, self._from_excel, self._from_iso = (
            coordinate_to_tuple,
            from_excel,
            from_ISO8601,
        )
        wb = ws.parent
        self.strings: list[str] = ws._shared_strings
        self.dates: Container[int] = wb._date_formats
        self.durations: Container[int] = wb._timedelta_formats
        self.epoch = wb.epoch
        self.row_number = self.col = 0
        self.cells: list[CellRead] = []

    def start_row(self, number: str | None) -> None:
        self.row_number = _row_number(number) if number else self.row_number + 1
        self.col = 0
        self.cells = []

    def cell(self, c: Any) -> None:
        ref = c.get("r")
        self.col = self._cell_at(ref)[1] if ref else self.col + 1
        if self.col > EXCEL_COLUMNS:
            raise ValueError(f"a row with more cells than Excel allows ({EXCEL_COLUMNS:,})")
        value, problem = self.value(c)
        if value is not None:
            self.cells.append((self.col, value, problem))

    def end_row(self) -> RowRead:
        return RowRead(self.row_number, self.cells)

    def value(self, c: Any) -> tuple[object, str | None]:
        kind = c.get("t", "n")
        formula = c.find(_FORMULA)
        value: object = None
        if kind == "inlineStr":
            value = _inline(c.find(_INLINE))
        else:
            text = c.findtext(_VALUE) or None
            if text is not None:
                value, kind = self._typed(text, kind, int(c.get("s") or 0))
        if kind == "e":
            return value, _error(value, formula is not None)
        if formula is not None and value is None:
            text = "=" + (formula.text or "")
            return (
                text,
                (  # not empty: a formula is there
                    f"the cell holds a formula ({text[:40]}) whose result was never saved: "
                    "open the workbook in Excel and save it, or type the value"
                ),
            )
        if isinstance(value, str):
            if formula is not None and value in EXCEL_ERRORS:
                return value, _error(value, True)
            if "_x" in value:
                return value, surrogate_problem(value)
        return value, None

    def _typed(self, text: str, kind: str, style: int) -> tuple[object, str]:
        if kind == "n":
            number = float(text) if "." in text or "E" in text or "e" in text else int(text)
            if style not in self.dates:
                return number, kind
            try:
                return self._from_excel(number, self.epoch, timedelta=style in self.durations), "d"
            except (OverflowError, ValueError):
                return "#VALUE!", "e"  # marked as a date, but no date can be that far out
        if kind == "s":
            return self.strings[int(text)], kind
        if kind == "b":
            return bool(int(text)), kind
        if kind == "d":
            return self._from_iso(text), kind
        return text, kind  # "str" (a formula's text result), "e" (an error)


_RANGE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+):\$?([A-Za-z]{1,3})\$?\d+")


def _merge(ref: str, rows: Container[int]) -> Merge | None:
    """A merged range (``A5:K5``) that starts on one of ``rows`` and spans columns.

    A sheet may list millions of merged ranges: those on other rows are passed
    over on the row number alone."""
    from openpyxl.utils.cell import column_index_from_string

    m = _RANGE.fullmatch(ref)
    if m is None or int(m.group(2)) not in rows:
        return None  # not a range (nothing merged), or not on a row wanted
    first, last = column_index_from_string(m.group(1)), column_index_from_string(m.group(3))
    return Merge(int(m.group(2)), first, last - first + 1) if last > first else None


def _row_number(text: str) -> int:
    number = float(text)
    if not number.is_integer():
        raise ValueError(f"{text} is not a valid row number")
    return int(number)


def _inline(element: Any) -> str | None:
    """An inline string's text: its plain text and that of its formatted runs."""
    if element is None:
        return None
    parts = [element.findtext(_TEXT) or ""]
    parts += [run.findtext(_TEXT) or "" for run in element.iterfind(_RUN)]
    return "".join(parts)


def _error(value: object, formula: bool) -> str:
    if formula:
        return f"the cell's formula gives an Excel error ({value}); correct it"
    return f"the cell shows an Excel error ({value}); correct it or clear it"
