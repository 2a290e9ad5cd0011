"""Import: from what the sheets gave to a validated plan file, every problem at its cell.

:func:`import_workbook` opens the workbook, reads it as export's layout or as a
tracker, puts the parts in the format's key order (:func:`assemble`, recording
the key path of every value read with the cell it came from), writes the YAML
and validates it through the one pipeline,
:func:`send_plan.validation.check_text`. Each finding is placed by its
``key_path``; a finding on a row that already has a reading problem is left
out, since that problem explains it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from send_plan.excel.data import ActionData, AreaData, IndicatorData, PlanData, PlanInfo
from send_plan.excel.indicators import INDICATOR_KEYS
from send_plan.excel.layout import ACTION_KEYS, AREA_KEYS, PLAN, PLAN_KEYS
from send_plan.excel.mapping import ColumnMap
from send_plan.excel.places import PlacedFinding, Places, Problem
from send_plan.excel.reading import read_export
from send_plan.excel.rows import OptionValue, PlanParts, ReadContext, ordered
from send_plan.excel.tracker import read_tracker
from send_plan.excel.workbook import Book, Sheet, norm_heading
from send_plan.findings import Finding
from send_plan.yamlout import dump

#: Warnings that a plan read alone always draws when it refers to other plans.
_OTHER_PLANS = frozenset(("W201", "W202", "W206"))


@dataclass(frozen=True)
class ImportResult:
    """What import read: the plan file's text when everything read and validated."""

    text: str | None
    plan_id: str | None
    problems: tuple[Problem, ...]
    notes: tuple[Problem, ...]
    areas: int = 0
    actions: int = 0

    @property
    def ok(self) -> bool:
        return self.text is not None


def import_workbook(
    data: bytes,
    *,
    name: str,
    sheet: str | None = None,
    mapping: ColumnMap | None = None,
    plan_details: Mapping[str, OptionValue | None] | None = None,
    output_name: str = "<imported plan>",
    today: date | None = None,
) -> ImportResult:
    """Read a workbook written by export, or a tracker through ``mapping``.

    ``plan_details`` (keys of :data:`~send_plan.excel.layout.PLAN_OPTIONS`; dates
    as dates) override the Plan sheet's values, and give the details a tracker
    has no sheet for. Raises UsageError for a file that is not a readable
    workbook, a missing sheet or column, or a header row that cannot be found;
    every other problem is in the result with the sheet and cell it concerns,
    and then there is no text.
    """
    options = {k: v for k, v in (plan_details or {}).items() if v is not None}
    with Book(data, name) as book:
        ctx = ReadContext(book, mapping or ColumnMap(), options)
        plan_sheet = book.find(PLAN)
        if plan_sheet is not None and _is_plan_sheet(plan_sheet):
            parts = read_export(ctx, sheet)
            source = name
        else:
            parts = read_tracker(ctx, sheet)
            source = f"{name}, sheet '{ctx.actions_sheet}'"
            if mapping is not None:
                source += f", columns mapped by {mapping.name}"
    header = f"Imported from {source}\nby send-plan import" + (
        f" on {today.isoformat()}." if today else "."
    )
    header += "\nFrom now on this file is the plan's record: edit it, not the workbook."
    plan = assemble(parts, ctx.places)
    del parts
    text = plan_text(plan, header)
    plan_id, areas = plan["plan"].get("id"), plan["areas"]
    counts = len(areas), sum(len(a.get("actions", ())) for a in areas)
    del plan, areas  # validation reads the text; only the places of values are needed
    _validate(ctx, text, output_name)
    problems = tuple(p for p in ctx.log.problems if p.is_error)
    notes = (*ctx.log.notes, *(p for p in ctx.log.problems if not p.is_error))
    return ImportResult(None if problems else text, plan_id, problems, notes, *counts)


def plan_text(plan: PlanData, header: str) -> str:
    """The plan file's text, exactly as :func:`send_plan.yamlout.dump` writes the
    whole plan, but written an action at a time: the YAML writer builds a tree of
    everything it is given, several times the plan's size (330 MB for a plan of
    49,000 actions), and a piece at a time it holds one action's.

    Each piece is dumped at its place in the document (under ``areas:`` and the
    area's ``actions:``), so indentation and line folding are those of the whole;
    the lines that place it are then cut off.
    """
    head = {k: v for k, v in plan.items() if k not in ("areas", "indicators")}
    areas = plan["areas"]
    if not areas or not all(_without_actions(area) for area in areas):
        return dump(dict(plan), header)
    pieces = [dump(head, header)]
    for k, area in enumerate(areas):
        pieces.append(_cut(dump({"areas": [_without_actions(area)]}), 1 if k else 0))
        actions = area.get("actions", [])
        if actions:
            pieces.append("    actions:\n")
        pieces += [_cut(dump({"areas": [{"actions": [a]}]}), 2) for a in actions]
    if any(piece.endswith("\n...\n") for piece in pieces):
        # A piece ending in text that keeps its last line breaks (``|+``) is closed
        # with a document end marker; in the whole document the next key closes it.
        return dump(dict(plan), header)
    if "indicators" in plan:
        pieces.append(dump({"indicators": plan["indicators"]}))
    return "".join(pieces)


def _without_actions(area: AreaData) -> dict[str, object]:
    return {k: v for k, v in area.items() if k != "actions"}


def _cut(text: str, lines: int) -> str:
    """``text`` without its first ``lines`` lines."""
    for _ in range(lines):
        text = text[text.index("\n") + 1 :]
    return text


def _is_plan_sheet(sheet: Sheet) -> bool:
    return norm_heading(sheet.safe(1, 1)) == "field" and norm_heading(sheet.safe(1, 2)) == "value"


def assemble(parts: PlanParts, places: Places) -> PlanData:
    """The plan's data in the format's key order; each area's and action's places
    recorded under their key paths."""
    info = ordered(parts.info, PLAN_KEYS, PlanInfo)
    out: PlanData = {"schema_version": 1, "plan": info}
    if parts.partners:
        out["partners"] = dict(parts.partners)
    if parts.reviews:
        out["reviews"] = list(parts.reviews)
    out["areas"] = []
    for i, area in enumerate(parts.areas):
        at = ("areas", i)
        if area.cell is not None:
            places.add(at, area.cell)
        places.add_all(at, {(f,): where for f, where in area.cells.items()})
        places.add_all(at, area.places)
        data = ordered(area.area, AREA_KEYS, AreaData)
        actions: list[ActionData] = []
        for j, row in enumerate(area.actions):
            places.add((*at, "actions", j), row.cell)
            places.add_all((*at, "actions", j), row.places)
            actions.append(ordered(row.action, ACTION_KEYS, ActionData))
        if actions:
            data["actions"] = actions
        out["areas"].append(data)
    if parts.indicators:  # their places were recorded as they were read
        out["indicators"] = [ordered(i, INDICATOR_KEYS, IndicatorData) for i in parts.indicators]
    return out


def _validate(ctx: ReadContext, text: str, output_name: str) -> None:
    """Validate the plan file as it would be written; each finding lands on its cell."""
    from send_plan.validation import check_text

    findings = check_text(output_name, text.encode("utf-8")).findings
    if any(f.code in _OTHER_PLANS for f in findings):
        ctx.log.note(
            "references to other plans (successor, carried_from) were not checked: "
            "run send-plan validate on the plans folder once the file is in place"
        )
    for f in sorted(findings, key=Finding.sort_key):
        if f.code in _OTHER_PLANS:
            continue
        where = ctx.places.of(f.key_path)
        if ctx.log.row_is_bad(where):
            continue  # the row's own problem explains this one
        ctx.log.problems.append(PlacedFinding(f, where))
