"""Opening a workbook to read: the container, its sheets and cells, header rows.

:class:`Book` refuses what is not an .xlsx import can read
(:mod:`send_plan.excel.container`), and opens the rest in openpyxl's read-only
mode: nothing is read until a sheet is. Close it (it is a context manager).

:class:`Sheet` reads one worksheet as a stream (:mod:`send_plan.excel.stream`),
in two steps: the first rows alone (:data:`HEADER_SEARCH_ROWS`, where a header
row is looked for), then, once the caller knows which columns it reads
(:meth:`Sheet.keep`), the whole sheet, keeping those columns only. A workbook
is refused once the sheets read whole have more than ``limits.MAX_EXCEL_ROWS``
rows that hold something. Each value is the one a
person sees (a formula's saved result). :func:`find_header` finds the row of
column headings a table starts under.

These raise :class:`~send_plan.errors.UsageError` for what stops the import as
a whole, and :class:`~send_plan.excel.places.BadValue` for one cell that cannot
be read. openpyxl is imported when a workbook is opened, not before.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable, Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

from send_plan import limits
from send_plan.errors import UsageError
from send_plan.excel.cells import is_blank, read_text
from send_plan.excel.container import check_container
from send_plan.excel.layout import COMPUTED_MARK, HEADER_SEARCH_ROWS
from send_plan.excel.places import BadValue, CellRef, column_letter, sheet_ref
from send_plan.excel.stream import Merge, read_sheet

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook


class Book:
    """An opened workbook, read sheet by sheet as each is needed."""

    def __init__(self, data: bytes, name: str) -> None:
        check_container(data, name)
        self.name = name
        self.wb = _load(data, name)
        self._sheets: dict[str, Sheet] = {}
        #: Rows holding something, by sheet read whole, and the entries after the first
        #: of cells holding several: the row limit counts them all.
        self.rows_read: dict[str, int] = {}
        self.entries = 0
        #: Characters of the text kept, by sheet: at most a plan file's worth in all.
        self.text_read: dict[str, int] = {}

    def __enter__(self) -> Book:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the zip that read-only mode keeps open, and let go of the cells read
        and of the workbook's shared strings (every text of a workbook Excel saved,
        which openpyxl holds in one list its sheets share): validation, which comes
        next, needs the memory."""
        self.wb.close()
        self._sheets.clear()
        for ws in self.wb.worksheets:
            ws._shared_strings.clear()  # one list: the first sheet's empties them all
            break

    def sheet_names(self) -> list[str]:
        return list(self.wb.sheetnames)

    def find(self, title: str) -> Sheet | None:
        """The sheet named ``title`` (case and surrounding spaces ignored)."""
        wanted = title.strip().casefold()
        for exact in (True, False):
            for actual in self.wb.sheetnames:
                if actual == title if exact else actual.strip().casefold() == wanted:
                    return self._sheet(actual)
        return None

    def sheets(self) -> list[Sheet]:
        """The worksheets (not chart sheets), in the workbook's order."""
        return [self._sheet(ws.title) for ws in self.wb.worksheets]

    def count_entries(self, where: CellRef, extra: int) -> None:
        """Count a cell's entries after its first (its progress updates, measures ...)
        against the row limit; refuse the workbook at the cell that passes it."""
        self.entries += extra
        if sum(self.rows_read.values()) + self.entries > limits.MAX_EXCEL_ROWS:
            raise too_many(self.name, where, self.rows_read)

    def _sheet(self, title: str) -> Sheet:
        if title not in self._sheets:
            self._sheets[title] = Sheet(self, title)
        return self._sheets[title]


def _load(data: bytes, name: str) -> Workbook:
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings(), _sizes_unread():
            warnings.simplefilter("ignore")  # "extension not supported" and the like
            return load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False, rich_text=False
            )
    except Exception as exc:  # openpyxl raises many kinds of exception on a damaged file
        raise _corrupt(name, exc) from None


@contextmanager
def _sizes_unread() -> Iterator[None]:
    """Open read-only worksheets without reading their sizes.

    openpyxl's read-only worksheet reads its size (the ``<dimension>`` Excel writes
    at the top of a sheet) as the workbook opens. A sheet without one is read to
    its end for it, keeping an element per row: 250 MB of ``<row/>`` took 3.8 GB
    and four minutes before a cell was read. Import never uses those sizes (it
    reads the cells), so while the workbook opens the look is skipped.
    """
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    get_size = ReadOnlyWorksheet._get_size
    ReadOnlyWorksheet._get_size = lambda self: None
    try:
        yield
    finally:
        ReadOnlyWorksheet._get_size = get_size


def _corrupt(name: str, exc: Exception, sheet: str | None = None) -> UsageError:
    part = f"sheet '{sheet}': " if sheet is not None else ""
    return UsageError(
        f"{name}: the workbook is corrupt and cannot be read ({part}{type(exc).__name__}: {exc})"
    )


def too_many(name: str, where: CellRef, counts: Mapping[str, int]) -> UsageError:
    """The row limit, passed at ``where``; the rows of the sheets read before it (and
    of its own, when it was read whole first) are given when there were any."""
    most = limits.MAX_EXCEL_ROWS
    read = [f"{t} {n:,}" for t, n in counts.items() if n and t != where.sheet]
    so_far = f" ({', '.join(read)}, then this sheet)" if read else ""
    return UsageError(
        f"{name}:{where}: more than {most:,} rows to import: import reads at most "
        f"{most:,} rows of a workbook, counting each row that holds something on the sheets "
        f"it reads{so_far} and each entry after the first of a cell holding several; "
        "split the plan, or set SEND_PLAN_MAX_EXCEL_ROWS"
    )


def too_much_text(name: str, where: CellRef) -> UsageError:
    most = limits.MAX_FILE_BYTES
    return UsageError(
        f"{name}:{where}: more text to import than a plan file can hold: import reads at "
        f"most {most:,} characters of text from a workbook (set SEND_PLAN_MAX_FILE_BYTES "
        "to change)"
    )


#: Characters of a row's only filled cell kept, for the note on a section heading.
_SHOWN = 100


class Sheet:
    """One worksheet's filled cells: every column of the first rows, and below them
    the columns :meth:`keep` asked for."""

    def __init__(self, book: Book, title: str) -> None:
        self.book = book
        self.title = title
        self._rows: dict[int, dict[int, object]] = {}
        self._problems: dict[tuple[int, int], str] = {}
        self._kept: frozenset[int] | None = None  # None: only the first rows are read
        self._head = False
        self._lone: dict[int, tuple[int, object]] = {}
        self._merged: dict[tuple[int, int], int] = {}
        self._max_row = 0

    # ------------------------------------------------------------------ reading

    def keep(self, cols: Iterable[int]) -> None:
        """Read the whole sheet, keeping the values of ``cols`` on every row (once:
        again only if a column not kept before is asked for)."""
        wanted = frozenset(cols)
        if self._kept is None or not wanted <= self._kept:
            self._read(wanted | (self._kept or frozenset()))

    def _read_head(self) -> None:
        if not self._head and self._kept is None:
            self._read(None)

    def _read(self, cols: frozenset[int] | None) -> None:
        """One pass over the sheet's XML: the first rows only when ``cols`` is None."""
        rows: dict[int, dict[int, object]] = {}
        problems: dict[tuple[int, int], str] = {}
        lone: dict[int, tuple[int, object]] = {}
        merged: dict[tuple[int, int], int] = {}
        max_row = filled_rows = text = 0
        others = {t: n for t, n in self.book.rows_read.items() if t != self.title}
        budget = limits.MAX_EXCEL_ROWS - sum(others.values()) - self.book.entries
        text_budget = limits.MAX_FILE_BYTES - sum(
            n for t, n in self.book.text_read.items() if t != self.title
        )
        try:
            with closing(read_sheet(self.book.wb[self.title], lone)) as stream:
                for item in stream:
                    if isinstance(item, Merge):  # one starting on a row of one filled cell
                        if lone[item.row][0] == item.col:
                            merged[(item.row, item.col)] = item.width
                        continue
                    r = item.row
                    if cols is None and r > HEADER_SEARCH_ROWS:
                        break
                    if not item.cells:
                        continue
                    filled_rows += 1
                    if cols is not None and filled_rows > budget:
                        where = CellRef(self.title, r, item.cells[0][0])
                        raise too_many(self.book.name, where, others)
                    max_row = max(max_row, r)
                    head = r <= HEADER_SEARCH_ROWS
                    filled = [(c, v) for c, v, _ in item.cells if not is_blank(v)]
                    if len(filled) == 1:  # a section heading, perhaps: its start will do
                        c, value = filled[0]
                        lone[r] = (c, value[:_SHOWN] if isinstance(value, str) else value)
                    for c, value, problem in item.cells:
                        if head or (cols is not None and c in cols):
                            rows.setdefault(r, {})[c] = value
                            if problem is not None:
                                problems[(r, c)] = problem
                            if isinstance(value, str):
                                text += len(value)
                                if text > text_budget:
                                    raise too_much_text(self.book.name, CellRef(self.title, r, c))
        except UsageError:
            raise
        except Exception as exc:  # openpyxl and the XML parser on a damaged sheet
            raise _corrupt(self.book.name, exc, self.title) from None
        self._rows, self._problems = rows, problems
        self._head = True
        if cols is not None:
            self._kept, self._lone, self._merged, self._max_row = cols, lone, merged, max_row
            self.book.rows_read[self.title] = filled_rows
        self.book.text_read[self.title] = text

    def _value(self, row: int, col: int) -> object:
        if row <= HEADER_SEARCH_ROWS:
            self._read_head()
        elif self._kept is None or col not in self._kept:
            self.keep([col])
        return self._rows.get(row, {}).get(col)

    # ------------------------------------------------------------------ cells

    @property
    def max_row(self) -> int:
        """The last row holding anything (the whole sheet is read for it)."""
        if self._kept is None:
            self.keep(())
        return self._max_row

    def peek(self, row: int, col: int) -> object:
        """The cell's value, unchecked (a formula with no saved result is its text)."""
        return self._value(row, col)

    def raw(self, row: int, col: int) -> object:
        """The value a person sees: a formula's saved result; raises BadValue for a
        cell that cannot be read (an Excel error, a formula never calculated ...)."""
        value = self._value(row, col)
        problem = self._problems.get((row, col))
        if problem is not None:
            raise BadValue(problem)
        return value

    def safe(self, row: int, col: int) -> object:
        try:
            return self.raw(row, col)
        except BadValue:
            return None

    def head_values(self, row: int) -> dict[int, object]:
        """The values of one of the first rows' filled cells, by column."""
        assert row <= HEADER_SEARCH_ROWS, "only the first rows are read whole"
        self._read_head()
        return self._rows.get(row, {})

    def lone_cell(self, row: int) -> tuple[int, object] | None:
        """The row's only filled cell (column, value), when it has exactly one."""
        if self._kept is None:
            self.keep(())
        return self._lone.get(row)

    def merged_width(self, row: int, col: int) -> int:
        """How many columns the range merged from this cell spans (1: not merged).
        Known for a row's only filled cell, which is all a section heading is."""
        if self._kept is None:
            self.keep(())
        return self._merged.get((row, col), 1)


def norm_heading(value: object) -> str:
    text = read_text(value) or ""
    return " ".join(text.replace("_", " ").split()).casefold()


# --------------------------------------------------------------------------- header rows


@dataclass(frozen=True)
class Header:
    """A table's header row: which column each field is in, and the columns not read."""

    sheet: Sheet
    row: int
    cols: dict[str, int]  # field -> column
    ignored: tuple[tuple[int, str], ...]  # headings of columns not read

    def heading(self, fld: str) -> str:
        return read_text(self.sheet.safe(self.row, self.cols[fld])) or fld


class NoHeader(Exception):
    """No row of the first 30 has every heading; remembers the row that came closest."""

    def __init__(self, sheet: Sheet, best_row: int, found: dict[str, int]) -> None:
        super().__init__(sheet.title)
        self.sheet = sheet
        self.best_row = best_row
        self.found = found


def find_header(
    sheet: Sheet,
    wanted: Mapping[str, str],
    *,
    optional: Iterable[str] = (),
    quiet: Iterable[str] = (),
) -> Header:
    """The first row (of the first 30) holding every required heading of ``wanted``.

    Headings are compared with case folded and runs of spaces, line breaks and
    underscores alike. ``quiet`` headings (and computed ones) are not reported
    as ignored columns.
    """
    optional = set(optional)
    targets = {f: norm_heading(h) for f, h in wanted.items()}
    required = {f for f in targets if f not in optional}
    not_reported = {norm_heading(h) for h in quiet}
    best_row, best_found = 0, dict[str, int]()
    for row in range(1, HEADER_SEARCH_ROWS + 1):
        values = sorted(sheet.head_values(row).items())
        found = _headings_found(sheet, row, values, targets, wanted)
        if required <= set(found):
            used = set(found.values())
            ignored = tuple(
                (col, read_text(value) or "")
                for col, value in values
                if col not in used
                and (heading := norm_heading(value))
                and not heading.endswith(COMPUTED_MARK)
                and heading not in not_reported
            )
            return Header(sheet, row, found, ignored)
        if len(found.keys() & required) > len(best_found.keys() & required):
            best_row, best_found = row, found
    raise NoHeader(sheet, best_row, best_found)


def _headings_found(
    sheet: Sheet,
    row: int,
    values: Iterable[tuple[int, object]],
    targets: Mapping[str, str],
    wanted: Mapping[str, str],
) -> dict[str, int]:
    """Field -> column of the wanted headings on one row; refuses a heading used twice."""
    by_heading: dict[str, list[int]] = {}
    for col, value in values:
        heading = norm_heading(value)
        if heading:
            by_heading.setdefault(heading, []).append(col)
    found: dict[str, int] = {}
    for f, target in targets.items():
        cols = by_heading.get(target, [])
        if len(cols) > 1:
            refs = " and ".join(f"{column_letter(c)}{row}" for c in cols)
            raise UsageError(
                f"{sheet_ref(sheet.title)}!{column_letter(cols[0])}{row}: two columns are "
                f"headed '{wanted[f]}' ({refs}); rename one so import knows which to read"
            )
        if cols:
            found[f] = cols[0]
    return found


def header_error(
    err: NoHeader, wanted: Mapping[str, str], optional: Iterable[str] = ()
) -> UsageError:
    sheet = err.sheet
    required = [f for f in wanted if f not in set(optional)]
    missing = [f for f in required if f not in err.found]
    if err.best_row and len(err.found) >= max(2, len(required) // 2):
        names = ", ".join(f"'{wanted[f]}' (for {f})" for f in missing)
        plural = "s" if len(missing) > 1 else ""
        return UsageError(
            f"{sheet_ref(sheet.title)}!A{err.best_row}: the header row has no column{plural} "
            f"{names}; add it, or map the field to another heading with --columns"
        )
    looked = ", ".join(f"'{wanted[f]}'" for f in required)
    return UsageError(
        f"{sheet_ref(sheet.title)}: no header row found in the first {HEADER_SEARCH_ROWS} rows: "
        f"looked for a row with the headings {looked}"
    )
