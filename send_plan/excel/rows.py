"""Reading rows of a table: each cell through its field's reader, each value's cell kept.

:class:`ReadContext` is what every sheet reader of one import shares: the
workbook, the column mapping, the problem log and the :class:`Places` of the
values read so far. :meth:`ReadContext.read_row` reads one row under a header;
:meth:`ReadContext.table` reads every row of one of export's list sheets. A cell
that cannot be read becomes a problem at that cell, and the row reads on.

The dataclasses here carry what was read up to assembly: an action's row
(:class:`ActionRow`), an area with its actions (:class:`AreaIn`), and the plan's
parts (:class:`PlanParts`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar, cast

from send_plan.errors import UsageError
from send_plan.excel.cells import (
    is_empty,
    one_or_more,
    read_entries,
    read_id,
    read_posts,
    read_rag,
    read_status,
    read_text,
    read_updates,
)
from send_plan.excel.data import (
    ActionData,
    AreaData,
    FieldValue,
    IndicatorData,
    OneOrMore,
    PlanInfo,
    ReviewData,
    UpdateData,
)
from send_plan.excel.layout import (
    ACTIONS,
    LATER_COLUMNS,
    LATER_SHEETS,
    LIST_SHEETS,
    PLAN_LIST_SHEETS,
    SHEETS,
)
from send_plan.excel.mapping import ColumnMap
from send_plan.excel.places import BadValue, CellRef, KeyPath, Places, ProblemLog, column_letter
from send_plan.excel.workbook import Book, Header, NoHeader, Sheet, find_header, header_error

#: A cell reader: the value a person sees -> the field's value (None when blank).
Reader = Callable[[object], FieldValue | None]
#: A plan detail given on the command line.
OptionValue = str | date


@dataclass
class Row:
    """One row read from a table: its values and the cell each came from."""

    values: dict[str, FieldValue]
    cells: dict[str, CellRef]
    cell: CellRef  # the row's first (key) cell


@dataclass
class ActionRow:
    """One action read from its row; ``places`` are relative to the action."""

    area_id: str | None
    action: ActionData
    cell: CellRef
    places: dict[KeyPath, CellRef]
    area_fields: dict[str, tuple[str, CellRef]]


@dataclass
class AreaIn:
    """An area, where it was read, and the actions read into it; ``places`` are
    those of its lists (its updates), relative to the area."""

    area: AreaData
    cell: CellRef | None
    cells: dict[str, CellRef]
    actions: list[ActionRow] = field(default_factory=list)
    places: dict[KeyPath, CellRef] = field(default_factory=dict)


@dataclass
class PlanParts:
    """Everything read from one workbook, before it is put in the format's order."""

    info: PlanInfo
    partners: Mapping[str, str | None]
    reviews: list[ReviewData]
    areas: list[AreaIn]
    indicators: list[IndicatorData] = field(default_factory=list)


Shape = TypeVar("Shape", bound=Mapping[str, object])
#: What a list sheet's rows belong to: an action's row, or an indicator's place.
Owner = TypeVar("Owner")


def ordered(data: Mapping[str, object], keys: Sequence[str], shape: type[Shape]) -> Shape:
    """The keys of ``data`` that are set, in the format's order, as the mapping ``shape``
    (one of the TypedDicts of :mod:`send_plan.excel.data`).

    The one place a row's values become a typed mapping: each field's reader (a
    table in the module that reads the sheet) gives the type ``shape`` declares.
    """
    return cast(Shape, {k: data[k] for k in keys if data.get(k) is not None and data[k] != []})


class FieldReaders:
    """The readers that depend on the mapping file: its statuses, RAG words, partners."""

    def __init__(self, mapping: ColumnMap) -> None:
        self.mapping = mapping

    def rag(self, value: object) -> str | None:
        return read_rag(value, self.mapping.rags)

    def status(self, value: object) -> str | None:
        return read_status(value, self.mapping.statuses)

    def partner(self, value: object) -> str | None:
        """A partner's ID, or its name as the mapping file's partners list gives it."""
        ident = read_id(value)
        if ident is None or ident in self.mapping.partners:
            return ident
        by_name = {_name_key(n): k for k, n in self.mapping.partners.items()}
        return by_name.get(ident.casefold(), ident)

    def partners(self, value: object) -> OneOrMore | None:
        """A Partner cell of export's layout: one partner per line (a joint action)."""
        return self._keys(read_entries(value))

    def tracker_partners(self, value: object) -> OneOrMore | None:
        """A tracker's Partner cell: partners one per line or separated by ';'."""
        return self._keys(read_posts(value))

    def _keys(self, entries: OneOrMore | None) -> OneOrMore | None:
        if entries is None or isinstance(entries, str):
            return self.partner(entries)
        return one_or_more([k for e in entries if (k := self.partner(e)) is not None])

    def updates(self, value: object) -> list[UpdateData]:
        return read_updates(value, self.mapping.rags, self.mapping.update_date)


def _name_key(name: str | None) -> str:
    assert name is not None, "a partner in the mapping file has no name"
    return name.strip().casefold()


@dataclass
class ReadContext:
    """What the sheet readers of one import share."""

    book: Book
    mapping: ColumnMap
    options: Mapping[str, OptionValue]
    log: ProblemLog = field(default_factory=ProblemLog)
    places: Places = field(default_factory=Places)
    actions_sheet: str = ACTIONS
    readers: FieldReaders = field(init=False)

    def __post_init__(self) -> None:
        self.readers = FieldReaders(self.mapping)

    def read_cell(self, sheet: Sheet, where: CellRef, read: Reader) -> FieldValue | None:
        """One cell through ``read``; None, with a problem at the cell, when it cannot be read."""
        try:
            value = read(sheet.raw(where.row, where.col))
        except BadValue as bad:
            self.log.bad(where, bad.message)
            return None
        if isinstance(value, list) and len(value) > 1:
            self.book.count_entries(where, len(value) - 1)  # each counts as a row
        return value

    def read_row(self, header: Header, row: int, readers: Mapping[str, Reader]) -> Row:
        """Every column of ``header`` on ``row`` through its reader (text by default)."""
        sheet = header.sheet
        values: dict[str, FieldValue] = {}
        cells: dict[str, CellRef] = {}
        for f, col in header.cols.items():
            where = CellRef(sheet.title, row, col)
            value = self.read_cell(sheet, where, readers.get(f, read_text))
            if value is not None and value != []:
                values[f] = value
                cells[f] = where
        first = min(header.cols.values())
        return Row(values, cells, CellRef(sheet.title, row, first))

    def need_sheet(self, title: str) -> Sheet:
        found = self.book.find(title)
        if found is None:
            raise UsageError(
                f"{self.book.name}: no sheet '{title}': a workbook written by send-plan export "
                f"has the sheets {', '.join(SHEETS)}; put it back (its header row alone will "
                "do when it has no rows)"
            )
        return found

    def no_sheet(self, title: str) -> UsageError:
        sheets = ", ".join(f"'{s}'" for s in self.book.sheet_names())
        return UsageError(f"{self.book.name}: no sheet '{title}' (sheets: {sheets})")

    def owned(
        self,
        title: str,
        readers: Mapping[str, Reader],
        owner: str,
        find: Callable[[str], Owner | None],
        sheet: str,
    ) -> Iterator[tuple[Row, Owner]]:
        """The rows of a list sheet, each with what its ``owner`` column names (an
        action's or an indicator's ID, looked up with ``find`` on ``sheet``); a row that
        names none, or one that is not there, is a problem at its cell."""
        for entry in self.table(title, readers):
            ident = entry.values.pop(owner, None)
            if ident is None:
                self.log.bad(entry.cell, f"this row names no {owner}: give the {owner}'s ID")
                continue
            found = find(cast(str, ident))  # read as an ID
            if found is None:
                self.log.bad(entry.cell, f"no {owner} '{ident}' on the {sheet} sheet")
                continue
            yield entry, found

    def table(self, title: str, readers: Mapping[str, Reader] | None = None) -> list[Row]:
        """The non-blank rows of one of export's list sheets.

        A sheet or column that export's layout gained later may be missing (a
        workbook written before it): the sheet reads as empty, with a note.
        """
        columns = LIST_SHEETS.get(title) or PLAN_LIST_SHEETS[title]
        if title in LATER_SHEETS and self.book.find(title) is None:
            self.log.note(f"no sheet '{title}' (a workbook from an earlier send-plan): none read")
            return []
        sheet = self.need_sheet(title)
        optional = LATER_COLUMNS.get(title, ())
        try:
            header = find_header(sheet, columns, optional=optional)
        except NoHeader as err:
            raise header_error(err, columns, optional) from None
        self.report_ignored(header)
        sheet.keep(header.cols.values())
        rows = []
        for r in range(header.row + 1, sheet.max_row + 1):
            if all(is_empty(sheet.peek(r, c)) for c in header.cols.values()):
                continue
            rows.append(self.read_row(header, r, readers or {}))
        return rows

    def report_ignored(self, header: Header) -> None:
        if header.ignored:
            listed = ", ".join(f"'{h}' ({column_letter(c)})" for c, h in header.ignored)
            self.log.note(
                f"columns not imported: {listed}", CellRef(header.sheet.title, header.row)
            )
