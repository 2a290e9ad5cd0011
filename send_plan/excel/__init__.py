"""Excel in and out: a workbook colleagues can use at once, and trackers read back.

This package owns everything that touches a workbook. :func:`export_workbook`
writes a plan as a workbook: an Actions sheet (one row per action), one sheet
per list (areas and their updates, updates, deadline changes, measures,
evidence, partners, accountable officers, board meetings, reviews and their
judgements of areas), the indicators (a row each, and sheets of their values,
targets and comparators) and a Plan sheet of details.
:func:`import_workbook` reads such a workbook back to the same plan, or reads
someone else's tracker through a :class:`ColumnMap` (:func:`load_mapping`),
and validates the result through :mod:`send_plan.validation`.

Problems in a workbook are reported as values naming the sheet and cell
(:mod:`send_plan.excel.places`), never raised one at a time. Only a file that
cannot be read as a workbook at all, one past the row or text limit
(docs/limits.md), or a request that cannot be met (a missing sheet, column or
header row), raises :class:`~send_plan.errors.UsageError` (exit status 2).

The modules, in the order they depend on each other: ``layout`` (sheets and
columns), ``places`` (cells, problems, key path -> cell), ``data`` (the plan
data's types), ``dates`` and ``cells`` (one cell's value), ``mapping`` (the
--columns file), ``container`` (the zip, checked before it is parsed), ``stream``
(one sheet's XML, a row at a time), ``workbook`` (opening, sheets read as
streams, the row limit, header rows), ``rows`` (reading
a row), ``indicators`` (their sheets, both ways), ``export``, ``details``,
``actions``, ``reading`` (export's layout), ``tracker``, and ``assembly`` (the
plan, validated: import).

openpyxl is imported only inside the functions that open or write a workbook,
and the command line imports this package only when an Excel command runs.
"""

from __future__ import annotations

from send_plan.excel.assembly import ImportResult, import_workbook
from send_plan.excel.cells import read_date, read_rag, read_status, read_text, read_updates
from send_plan.excel.dates import parse_date_text
from send_plan.excel.export import export_workbook
from send_plan.excel.layout import (
    ACTION_COLUMNS,
    COMPUTED_COLUMNS,
    LIST_SHEETS,
    MAPPABLE,
    PLAN_FIELDS,
    PLAN_LIST_SHEETS,
    PLAN_OPTIONS,
    SHEETS,
    STATE_FILL,
)
from send_plan.excel.mapping import ColumnMap, load_mapping
from send_plan.excel.places import (
    BadValue,
    CellRef,
    OptionRef,
    PlacedFinding,
    Problem,
    ReadProblem,
)

__all__ = [
    "ACTION_COLUMNS",
    "COMPUTED_COLUMNS",
    "LIST_SHEETS",
    "MAPPABLE",
    "PLAN_FIELDS",
    "PLAN_LIST_SHEETS",
    "PLAN_OPTIONS",
    "SHEETS",
    "STATE_FILL",
    "BadValue",
    "CellRef",
    "ColumnMap",
    "ImportResult",
    "OptionRef",
    "PlacedFinding",
    "Problem",
    "ReadProblem",
    "export_workbook",
    "import_workbook",
    "load_mapping",
    "parse_date_text",
    "read_date",
    "read_rag",
    "read_status",
    "read_text",
    "read_updates",
]
