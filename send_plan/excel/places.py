"""Where a value of an imported plan came from, and the problems reported there.

Import builds plan data from cells and then validates it as the plan file it
would write. Two kinds of problem come out, both printed as
``FILE.xlsx:Sheet!C5: message``:

* :class:`ReadProblem`: a cell (or row, option, mapping-file key) that could not
  be read at all: a date that is not a date, a row with no ID. These have no
  finding code: nothing was built to validate. A cell reader raises
  :class:`BadValue`; the sheet reader turns it into a ReadProblem at the cell.
* :class:`PlacedFinding`: a :class:`~send_plan.findings.Finding` of the one
  validation pipeline, kept whole, with the cell its value came from. The
  finding's ``key_path`` is looked up in the :class:`Places` recorded while the
  data was built; its line and column refer to YAML nobody has seen yet.

Why :class:`CellRef` rather than a Finding's own place: a finding's place is a
line and column of a plan file's text, and :meth:`Finding.as_dict` is a JSON
contract that must not grow keys. A cell is a sheet, row and column, written as
Excel writes references (``'WSoA Tracker'!F5``); the workbook has no lines.
So the cell travels beside the finding instead of inside it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from send_plan.findings import Finding

#: A key path into plan data: ("areas", 0, "actions", 2, "due").
KeyPath = tuple[str | int, ...]


def column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def sheet_ref(title: str) -> str:
    """A sheet name as Excel writes it in a reference: quoted when it must be."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", title):
        return title
    return "'" + title.replace("'", "''") + "'"


@dataclass(frozen=True, slots=True)
class CellRef:
    """A cell (``Sheet!C5``), or a whole row when ``col`` is 0 (``Sheet!5:5``)."""

    sheet: str
    row: int
    col: int = 0

    def __str__(self) -> str:
        cell = f"{column_letter(self.col)}{self.row}" if self.col else f"{self.row}:{self.row}"
        return f"{sheet_ref(self.sheet)}!{cell}"


@dataclass(frozen=True, slots=True)
class OptionRef:
    """A value given outside the workbook: a command-line option or a mapping-file key."""

    name: str

    def __str__(self) -> str:
        return self.name


Where = CellRef | OptionRef


def report_line(name: str, message: str, where: Where | None, severity: str) -> str:
    """``FILE.xlsx:Sheet!A1: message`` (or ``FILE.xlsx: --option: message``), one line."""
    message = message.replace("\r", "\\r").replace("\n", "\\n")
    if severity != "error" and not message.startswith(severity):
        message = f"{severity}: {message}"
    if where is None:
        return f"{name}: {message}"
    if isinstance(where, CellRef):
        return f"{name}:{where}: {message}"
    return f"{name}: {where}: {message}"


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """Something in a workbook that could not be read (an error), or worth knowing (a note)."""

    message: str
    where: Where | None = None
    severity: Literal["error", "note"] = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def line(self, name: str) -> str:
        return report_line(name, self.message, self.where, self.severity)


@dataclass(frozen=True, slots=True)
class PlacedFinding:
    """A validation finding of the imported plan, at the cell its value came from."""

    finding: Finding
    where: Where | None = None

    @property
    def is_error(self) -> bool:
        return self.finding.is_error

    def line(self, name: str) -> str:
        f = self.finding
        ident = f" [{f.object}]" if f.object else ""
        message = f"{f.severity.value} {f.code}{ident} {f.message}"
        return report_line(name, message, self.where, f.severity.value)


class BadValue(Exception):
    """A value that cannot be read; becomes a :class:`ReadProblem` at its cell."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


#: Anything import reports.
Problem = ReadProblem | PlacedFinding


@dataclass
class ProblemLog:
    """The problems and notes of one import, and the rows that already have a problem."""

    problems: list[Problem] = field(default_factory=list)
    notes: list[ReadProblem] = field(default_factory=list)
    bad_rows: set[tuple[str, int]] = field(default_factory=set)

    def bad(self, where: Where, message: str) -> None:
        self.problems.append(ReadProblem(message, where))
        if isinstance(where, CellRef):
            self.bad_rows.add((where.sheet, where.row))

    def note(self, message: str, where: Where | None = None) -> None:
        self.notes.append(ReadProblem(message, where, "note"))

    def row_is_bad(self, where: Where | None) -> bool:
        return isinstance(where, CellRef) and (where.sheet, where.row) in self.bad_rows


class Places:
    """Key path in the plan data -> where its value was read."""

    def __init__(self) -> None:
        self._at: dict[KeyPath, Where] = {}

    def add(self, key_path: KeyPath, where: Where) -> None:
        self._at[key_path] = where

    def add_all(self, prefix: KeyPath, relative: Mapping[KeyPath, Where]) -> None:
        for key_path, where in relative.items():
            self._at[(*prefix, *key_path)] = where

    def of(self, key_path: KeyPath) -> Where | None:
        """Where the value at ``key_path`` came from, else its nearest recorded parent."""
        for n in range(len(key_path), -1, -1):
            where = self._at.get(key_path[:n])
            if where is not None:
                return where
        return None
