"""The plan's details (id, title, kind, dates ...), from wherever they are given.

Three sources, later ones winning: the Plan sheet of an exported workbook (a
label in column A, its value in column B), or the ``plan:`` section of a
tracker's mapping file; then the command-line options. Each value's place is
recorded under ``("plan", field)``.
"""

from __future__ import annotations

from typing import cast

from send_plan.errors import UsageError
from send_plan.excel.cells import is_empty, read_date, read_id, read_text, read_vocabulary
from send_plan.excel.data import PlanInfo
from send_plan.excel.layout import PLAN, PLAN_FIELDS, PLAN_OPTIONS
from send_plan.excel.places import BadValue, CellRef, OptionRef
from send_plan.excel.rows import ReadContext, Reader
from send_plan.excel.workbook import Sheet, norm_heading
from send_plan.vocab import PlanKind, PlanStatus, nearest


def _plan_kind(value: object) -> str | None:
    return read_vocabulary(value, [k.value for k in PlanKind], "plan kind")


def _plan_status(value: object) -> str | None:
    return read_vocabulary(value, [s.value for s in PlanStatus], "plan status")


#: How each plan detail is read (text when not named).
PLAN_READERS: dict[str, Reader] = {
    "id": read_id,
    "successor": read_id,
    "kind": _plan_kind,
    "status": _plan_status,
    "approved": read_date,
    "start": read_date,
    "end": read_date,
}


def read_plan_sheet(ctx: ReadContext, sheet: Sheet) -> PlanInfo:
    """The Plan sheet of an exported workbook, then the options over it."""
    labels = {norm_heading(label): f for f, label in PLAN_FIELDS.items()}
    labels.update({norm_heading(f): f for f in PLAN_FIELDS})
    info: dict[str, object] = {}
    seen: dict[str, int] = {}
    sheet.keep((1, 2))
    for row in range(2, sheet.max_row + 1):
        label_value = sheet.safe(row, 1)
        label = norm_heading(label_value)
        label_cell = CellRef(sheet.title, row, 1)
        if not label:
            if not is_empty(sheet.peek(row, 2)):
                ctx.log.bad(label_cell, "a value with no field name in column A")
            continue
        fld = labels.get(label)
        if fld is None:
            text = read_text(label_value) or ""
            guess = nearest(text, list(PLAN_FIELDS.values()))
            ctx.log.bad(
                label_cell,
                f"'{text}' is not a plan detail"
                + (f": did you mean '{guess}'?" if guess else "")
                + f" (details: {', '.join(PLAN_FIELDS.values())})",
            )
            continue
        if fld in seen:
            ctx.log.bad(
                label_cell, f"'{PLAN_FIELDS[fld]}' is given twice (first on row {seen[fld]})"
            )
            continue
        seen[fld] = row
        where = CellRef(sheet.title, row, 2)
        value = ctx.read_cell(sheet, where, PLAN_READERS.get(fld, read_text))
        if value is not None:
            info[fld] = value
            ctx.places.add(("plan", fld), where)
    return _with_options(ctx, info)


def read_mapped_details(ctx: ReadContext) -> PlanInfo:
    """A tracker's plan details: the mapping file's ``plan:``, then the options over it.

    Refuses (UsageError) when the details a plan needs are still missing.
    """
    info: dict[str, object] = {}
    for fld, value in ctx.mapping.plan.items():
        where = OptionRef(f"{ctx.mapping.name} plan.{fld}")
        try:
            read = PLAN_READERS.get(fld, read_text)(value)
        except BadValue as bad:
            ctx.log.bad(where, bad.message)
            continue
        if read is not None:
            info[fld] = read
            ctx.places.add(("plan", fld), where)
    details = _with_options(ctx, info)
    needed = ("id", "local_area", "kind", "start")  # a plan may have no end
    missing = [PLAN_OPTIONS[f] for f in needed if f not in details]
    if missing:
        raise UsageError(
            f"{ctx.book.name} has no '{PLAN}' sheet, so give the plan's details: "
            f"{', '.join(missing)} (or under 'plan:' in the --columns file)"
        )
    return details


def _with_options(ctx: ReadContext, info: dict[str, object]) -> PlanInfo:
    for fld, option in PLAN_OPTIONS.items():
        if fld in ctx.options:
            info[fld] = ctx.options[fld]
            ctx.places.add(("plan", fld), OptionRef(option))
    return cast(PlanInfo, info)  # each field as its reader (or option) gives it
