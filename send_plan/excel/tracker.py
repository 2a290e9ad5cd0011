"""Reading someone else's tracker through a column mapping.

A tracker is one table of actions, its headings named by the mapping file's
``columns:``, anywhere in the first rows of the sheet the mapping (or
``--sheet``) names, else of the Actions sheet, else of the first sheet that has
them. The plan's details come from the mapping file and the options; areas come
from an area column (with its title and kind columns) or the mapping's default.
A tracker with no ID column gets ids from each action's area and its place in
that area (``SW3.1``, ``SW3.2``), and a note says how many were generated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from send_plan.errors import UsageError
from send_plan.excel.actions import read_actions
from send_plan.excel.data import AreaData, get_field
from send_plan.excel.details import read_mapped_details
from send_plan.excel.layout import ACTIONS, HEADER_SEARCH_ROWS, PLAN, REQUIRED_COLUMNS
from send_plan.excel.rows import ActionRow, AreaIn, PlanParts, ReadContext
from send_plan.excel.workbook import Header, NoHeader, find_header, header_error


def read_tracker(ctx: ReadContext, sheet_name: str | None) -> PlanParts:
    mapping = ctx.mapping
    if not mapping.columns:
        raise UsageError(
            f"{ctx.book.name}: the workbook has no '{PLAN}' sheet as send-plan export "
            "writes it; to read another tracker, give --columns MAP.yaml naming its "
            "columns (see docs/excel.md)"
        )
    missing = [f for f in REQUIRED_COLUMNS if f not in mapping.columns]
    if missing:
        raise UsageError(f"{mapping.name}: 'columns:' must name a column for {', '.join(missing)}")
    info = read_mapped_details(ctx)
    header = _tracker_header(ctx, sheet_name or mapping.sheet, mapping.columns)
    rows = read_actions(ctx, header, tracker=True)
    areas = _areas(ctx, rows)
    if "id" not in header.cols:
        _generate_ids(ctx, areas)
    return PlanParts(info, dict(mapping.partners), [], areas)


def _tracker_header(ctx: ReadContext, sheet_name: str | None, wanted: Mapping[str, str]) -> Header:
    """The named sheet's header row; else the Actions sheet's; else the first sheet's
    that has one."""
    if sheet_name is not None:
        named = ctx.book.find(sheet_name)
        if named is None:
            raise ctx.no_sheet(sheet_name)
        candidates = [named]
    else:
        actions = ctx.book.find(ACTIONS)
        candidates = [actions] if actions is not None else ctx.book.sheets()
    errors: list[NoHeader] = []
    for sheet in candidates:
        try:
            return find_header(sheet, wanted)
        except NoHeader as err:
            errors.append(err)
    best = max(errors, key=lambda e: len(e.found))
    if len(candidates) > 1 and len(best.found) < 2:
        looked = ", ".join(f"'{h}'" for h in wanted.values())
        sheets = ", ".join(f"'{s.title}'" for s in candidates)
        raise UsageError(
            f"{ctx.book.name}: no header row found in the first {HEADER_SEARCH_ROWS} rows "
            f"of any sheet ({sheets}): looked for a row with the headings {looked}"
        )
    raise header_error(best, wanted)


def _areas(ctx: ReadContext, rows: Sequence[ActionRow]) -> list[AreaIn]:
    """The actions grouped by the area their row names (the mapping's default area when
    none); an area's title and kind must be the same on every row that gives them."""
    default = ctx.mapping.area
    areas: dict[str | None, AreaIn] = {}
    for row in rows:
        key = row.area_id if row.area_id is not None else default.get("id", "A1")
        area = areas.get(key)
        if area is None:
            area = areas[key] = _new_area(row, key, default)
        else:
            for f, (value, where) in row.area_fields.items():
                target = f.removeprefix("area_")
                earlier = get_field(area.area, target)
                if earlier not in (None, value):
                    ctx.log.bad(
                        where,
                        f"area '{key}' has the {target} '{earlier}' on an earlier row; "
                        "an area has one",
                    )
        area.actions.append(row)
    return list(areas.values())


def _new_area(row: ActionRow, key: str | None, default: Mapping[str, str | None]) -> AreaIn:
    fields = row.area_fields
    kind = fields["area_kind"][0] if "area_kind" in fields else None
    title = fields["area_title"][0] if "area_title" in fields else None
    if row.area_id is None:
        title = title or default.get("title")
    area: AreaData = {}
    if key is not None:  # the mapping's area may give the id as ~: then the area has none
        area["id"] = key
    area["kind"] = kind or default.get("kind") or "other"
    if title is not None:
        area["title"] = title
    cells = {f.removeprefix("area_"): where for f, (_, where) in fields.items()}
    return AreaIn(area, row.places.get(("area",), row.cell), cells)


_NOT_IN_AN_ID = re.compile(r"[^A-Za-z0-9._-]+")


def _generate_ids(ctx: ReadContext, areas: Sequence[AreaIn]) -> None:
    """Ids for a tracker that has none: the area's id, a dot and a running number
    (characters an action id cannot hold become '-')."""
    made: list[str] = []
    for area in areas:
        prefix = _NOT_IN_AN_ID.sub("-", area.area.get("id", "")).strip("-._")
        for n, row in enumerate(area.actions, start=1):
            ident = f"{prefix}.{n}" if prefix else str(n)
            row.action = {"id": ident, **row.action}
            made.append(ident)
    if made:
        shown = ", ".join(made[:3]) + (", ..." if len(made) > 3 else "")
        plural = "s were" if len(made) != 1 else " was"
        ctx.log.note(
            f"the mapping names no column for id, so {len(made)} action ID{plural} "
            f"generated from each action's area and its place in it ({shown})"
        )
