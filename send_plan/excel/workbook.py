"""Opening a workbook to read: the container, its sheets and cells, header rows.

:class:`Book` refuses, with a message saying what to do, what is not an .xlsx
openpyxl can read (an old .xls, a password-protected file, a CSV, a damaged zip,
one that would unpack too large). :class:`Sheet` holds one worksheet's filled
cells and gives each value as a person sees it (a formula's saved result).
:func:`find_header` finds the row of column headings a table starts under.

These raise :class:`~send_plan.errors.UsageError` for what stops the import as
a whole, and :class:`~send_plan.excel.places.BadValue` for one cell that cannot
be read. openpyxl is imported when a workbook is opened, not before.
"""

from __future__ import annotations

import io
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time
from typing import TYPE_CHECKING

from send_plan.errors import UsageError
from send_plan.excel.cells import read_text
from send_plan.excel.layout import COMPUTED_MARK, HEADER_SEARCH_ROWS, MAX_UNPACKED_BYTES
from send_plan.excel.places import BadValue, column_letter, sheet_ref

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


class Book:
    """An opened workbook; formula results come from a second load, made when needed."""

    def __init__(self, data: bytes, name: str) -> None:
        check_container(data, name)
        self.data = data
        self.name = name
        self.wb = _load(data, name, values=False)
        self._values: Workbook | None = None

    def sheet_names(self) -> list[str]:
        return list(self.wb.sheetnames)

    def find(self, title: str) -> Sheet | None:
        """The sheet named ``title`` (case and surrounding spaces ignored)."""
        wanted = title.strip().casefold()
        for exact in (True, False):
            for actual in self.wb.sheetnames:
                if actual == title if exact else actual.strip().casefold() == wanted:
                    return Sheet(self, self.wb[actual])
        return None

    def sheets(self) -> list[Sheet]:
        return [Sheet(self, ws) for ws in self.wb.worksheets]

    def cached(self, title: str, row: int, col: int) -> object:
        if self._values is None:
            self._values = _load(self.data, self.name, values=True)
        value: object = self._values[title].cell(row=row, column=col).value
        return value


def check_container(data: bytes, name: str) -> None:
    """Refuse, with a clear message, what is not an .xlsx workbook openpyxl can read."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # an OLE compound file
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise UsageError(
                f"{name}: the workbook is password-protected; open it in Excel, remove the "
                "password (File > Info > Protect Workbook > Encrypt with Password) and save it"
            )
        raise UsageError(
            f"{name}: this is an old Excel 97-2003 workbook (.xls); open it in Excel and "
            "save it as an Excel Workbook (.xlsx)"
        )
    if not data.startswith(b"PK"):
        raise UsageError(
            f"{name}: not an Excel workbook (.xlsx); if it is a CSV or text file, open it "
            "in Excel and save it as an Excel Workbook (.xlsx)"
        )
    names = _zip_names(data, name)
    if "xl/workbook.xml" not in names:
        what = "an OpenDocument spreadsheet" if "content.xml" in names else "a zip file"
        raise UsageError(
            f"{name}: not an Excel workbook (.xlsx) but {what}; save it from your "
            "spreadsheet program as an Excel Workbook (.xlsx)"
        )


def _zip_names(data: bytes, name: str) -> set[str]:
    """The parts of the zip, once it is known to be whole and not too large unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            unpacked = sum(info.file_size for info in zf.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise UsageError(
                    f"{name}: the workbook unpacks to {unpacked:,} bytes, more than the "
                    f"{MAX_UNPACKED_BYTES:,} import reads"
                )
            damaged = zf.testzip()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        OSError,
        ValueError,
        EOFError,
    ) as exc:
        raise UsageError(f"{name}: the workbook is corrupt and cannot be read ({exc})") from None
    if damaged is not None:
        raise UsageError(
            f"{name}: the workbook is corrupt and cannot be read (damaged part {damaged})"
        )
    return names


def _load(data: bytes, name: str, *, values: bool) -> Workbook:
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "extension not supported" and the like
            return load_workbook(
                io.BytesIO(data), data_only=values, keep_links=False, rich_text=False
            )
    except Exception as exc:  # openpyxl raises many kinds of exception on a damaged file
        raise UsageError(
            f"{name}: the workbook is corrupt and cannot be read ({type(exc).__name__}: {exc})"
        ) from None


_EXCEL_ERRORS = frozenset(
    ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA")
)


class Sheet:
    """One worksheet's filled cells, and the merged ranges that start in it."""

    def __init__(self, book: Book, ws: Worksheet) -> None:
        self.book = book
        self.title: str = ws.title
        # Only the cells that hold something. Going through ws.cell() or
        # ws.iter_rows() would create every cell of a sheet formatted out to XFD.
        self.cells = {key: cell for key, cell in ws._cells.items() if cell.value is not None}
        self.by_row: dict[int, dict[int, object]] = {}
        for (r, c), cell in sorted(self.cells.items()):
            self.by_row.setdefault(r, {})[c] = cell.value
        self.max_row = max(self.by_row, default=0)
        self.max_col = max((c for _, c in self.cells), default=0)
        self.merged: dict[tuple[int, int], int] = {
            (rng.min_row, rng.min_col): rng.max_col - rng.min_col + 1
            for rng in ws.merged_cells.ranges
        }

    def peek(self, row: int, col: int) -> object:
        """The cell's stored value, unchecked (a formula is its text)."""
        cell = self.cells.get((row, col))
        return None if cell is None else cell.value

    def raw(self, row: int, col: int) -> object:
        """The value a person sees: a formula's saved result; raises BadValue for an error."""
        cell = self.cells.get((row, col))
        if cell is None:
            return None
        value = cell.value
        if cell.data_type == "e":
            raise BadValue(f"the cell shows an Excel error ({value}); correct it or clear it")
        if cell.data_type == "f" or not isinstance(value, (str, int, float, date, time)):
            result = self.book.cached(self.title, row, col)
            if result is None:
                formula = str(getattr(value, "text", value))
                raise BadValue(
                    f"the cell holds a formula ({formula[:40]}) whose result was never saved: "
                    "open the workbook in Excel and save it, or type the value"
                )
            if isinstance(result, str) and result in _EXCEL_ERRORS:
                raise BadValue(f"the cell's formula gives an Excel error ({result}); correct it")
            value = result
        return value

    def safe(self, row: int, col: int) -> object:
        try:
            return self.raw(row, col)
        except BadValue:
            return None

    def row_values(self, row: int) -> dict[int, object]:
        """The stored values of one row's filled cells, by column."""
        return self.by_row.get(row, {})


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
    for row in range(1, min(sheet.max_row, HEADER_SEARCH_ROWS) + 1):
        values = sorted(sheet.row_values(row).items())
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
