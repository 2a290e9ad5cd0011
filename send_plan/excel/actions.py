"""The table of actions, one per row: export's Actions sheet or a tracker's.

:func:`read_actions` reads every row under the header into an
:class:`~send_plan.excel.rows.ActionRow`: blank rows are skipped (and, in a
tracker, section heading rows merged across the table), a row with no ID or a
repeated ID is a problem at its ID cell. In a tracker, lists are read from one
cell each (bullets, dated updates), a Lead cell may name several posts (one per
line or separated by ';'), and a revised deadline beside the target date becomes
``due`` with the target kept as ``original_due``. A tracker whose mapping names
no ID column has its rows read without one: :mod:`~send_plan.excel.tracker`
gives them ids.
"""

from __future__ import annotations

from typing import cast

from send_plan.excel.cells import (
    is_blank,
    is_empty,
    read_area_kind,
    read_date,
    read_due,
    read_entries,
    read_id,
    read_lines,
    read_posts,
    read_text,
)
from send_plan.excel.data import ActionData, FieldValue
from send_plan.excel.layout import ACTION_KEYS, COPY_COLUMNS
from send_plan.excel.places import CellRef, KeyPath
from send_plan.excel.rows import ActionRow, ReadContext, Reader, Row, ordered
from send_plan.excel.workbook import Header, Sheet
from send_plan.vocab import ONGOING


def _readers(ctx: ReadContext, *, tracker: bool) -> dict[str, Reader]:
    readers: dict[str, Reader] = {
        "area": read_id,
        "area_kind": read_area_kind,
        "id": read_id,
        "lead": read_entries,
        "partner": ctx.readers.partners,
        "carried_from": read_id,
        "start": read_date,
        "due": read_due,
        "original_due": read_date,
        "completed": read_date,
        "status": ctx.readers.status,
        "rag": ctx.readers.rag,
    }
    if tracker:
        readers["lead"] = read_posts
        readers["partner"] = ctx.readers.tracker_partners
        readers["original_due"] = read_due  # a target date of "Ongoing"
        readers["measures"] = read_lines
        readers["evidence"] = read_lines
        readers["updates"] = ctx.readers.updates
    return readers


def read_actions(ctx: ReadContext, header: Header, *, tracker: bool) -> list[ActionRow]:
    """Every action row under ``header``; blank rows (and, in trackers, section
    heading rows) are skipped."""
    sheet = header.sheet
    ctx.actions_sheet = sheet.title
    ctx.report_ignored(header)
    readers = _readers(ctx, tracker=tracker)
    cols = {f: c for f, c in header.cols.items() if tracker or f not in COPY_COLUMNS}
    reading = Header(sheet, header.row, cols, header.ignored)
    out: list[ActionRow] = []
    seen: dict[str, int] = {}
    blank = is_blank if tracker else is_empty
    sheet.keep(header.cols.values())  # the copies too: they are checked against their sheets
    for r in range(header.row + 1, sheet.max_row + 1):
        if all(blank(sheet.peek(r, c)) for c in cols.values()):
            continue
        if tracker and _section_row(ctx, sheet, r):
            continue
        row = ctx.read_row(reading, r, readers)
        if "id" not in cols:  # a tracker without IDs: the tracker gives them
            out.append(_action_row(row, row.cell, tracker=tracker))
            continue
        id_cell = CellRef(sheet.title, r, cols["id"])
        ident = row.values.get("id")
        if not isinstance(ident, str):
            if (sheet.title, r) not in ctx.log.bad_rows:
                ctx.log.bad(id_cell, f"this row has no action ID ('{header.heading('id')}')")
            continue
        if ident in seen:
            ctx.log.bad(
                id_cell,
                f"action ID '{ident}' is used again (first on row {seen[ident]}); "
                "IDs must be unique in a plan",
            )
            continue
        seen[ident] = r
        out.append(_action_row(row, id_cell, tracker=tracker))
    return out


def _action_row(row: Row, id_cell: CellRef, *, tracker: bool) -> ActionRow:
    """The action's fields apart from those of its area, with their cells."""
    values, cells = row.values, row.cells
    if tracker:
        _target_and_revised(values, cells)
    area_fields: dict[str, tuple[str, CellRef]] = {
        f: (cast(str, values.pop(f)), cells.pop(f))  # read as text
        for f in ("area_title", "area_kind")
        if f in values
    }
    area_id = cast("str | None", values.pop("area", None))  # read as an ID
    area_cell = cells.pop("area", None)
    relative: dict[KeyPath, CellRef] = {(f,): p for f, p in cells.items()}
    if area_cell is not None:
        relative[("area",)] = area_cell
    action = ordered(values, ACTION_KEYS, ActionData)
    return ActionRow(area_id, action, id_cell, relative, area_fields)


def _section_row(ctx: ReadContext, sheet: Sheet, row: int) -> bool:
    """A heading row inside a tracker's table: one text cell merged across columns."""
    only = sheet.lone_cell(row)
    if only is None or sheet.merged_width(row, only[0]) < 2:
        return False
    col, value = only
    text = (read_text(value) or "").strip()
    ctx.log.note(f"skipped a section heading row ('{text[:60]}')", CellRef(sheet.title, row, col))
    return True


def _target_and_revised(values: dict[str, FieldValue], cells: dict[str, CellRef]) -> None:
    """Trackers: due is the revised date when there is one, else the target date;
    the target date is kept as original_due only when the two differ (and is not
    "ongoing": then there was no first deadline to keep)."""
    if "original_due" not in values:
        return
    if "due" not in values:
        values["due"] = values.pop("original_due")
        cells["due"] = cells.pop("original_due")
    elif values["due"] == values["original_due"] or values["original_due"] == ONGOING:
        del values["original_due"]
        cells.pop("original_due", None)
