"""Reading a workbook that send-plan export wrote (perhaps edited since).

The Plan sheet gives the details; the Partners, Accountable, Board meetings,
Reviews and Areas sheets give the plan's lists, with each review's judgements
of areas on the Judgements sheet and each area's updates on the Area updates
sheet; the Actions sheet gives one action a row; the Updates, Rescheduled,
Measures and Evidence sheets give each action's lists, a row per entry naming
its action; the Indicators sheets give the indicators
(:mod:`send_plan.excel.indicators`). The Actions sheet's readable copies of
the action's lists are not read: they must agree with their sheets, or be
blank, so that an edit made in the wrong place is never lost unnoticed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import cast

from send_plan.excel.actions import read_actions
from send_plan.excel.cells import (
    action_copies,
    read_area_kind,
    read_date,
    read_id,
    read_text,
    read_vocabulary,
    same_copy,
)
from send_plan.excel.data import (
    AccountableData,
    ActionData,
    AreaData,
    AreaUpdateData,
    EvidenceData,
    JudgementData,
    RescheduledData,
    ReviewData,
    UpdateData,
)
from send_plan.excel.dates import uk
from send_plan.excel.details import read_plan_sheet
from send_plan.excel.indicators import read_indicators
from send_plan.excel.layout import (
    ACCOUNTABLE,
    ACTION_COLUMNS,
    ACTIONS,
    AREA_KEYS,
    AREA_UPDATES,
    AREAS,
    BOARD_MEETINGS,
    COMPUTED_COLUMNS,
    COPY_COLUMNS,
    EVIDENCE,
    JUDGEMENTS,
    LATER_COLUMNS,
    LIST_SHEETS,
    MEASURES,
    PARTNERS,
    PLAN,
    RESCHEDULED,
    REVIEWS,
    UPDATES,
)
from send_plan.excel.places import CellRef, KeyPath
from send_plan.excel.rows import ActionRow, AreaIn, PlanParts, ReadContext, Reader, Row, ordered
from send_plan.excel.workbook import Header, NoHeader, find_header, header_error
from send_plan.vocab import Judgement


def read_export(ctx: ReadContext, sheet: str | None) -> PlanParts:
    """Every sheet of an exported workbook; ``sheet`` names the Actions sheet if renamed."""
    info = read_plan_sheet(ctx, ctx.need_sheet(PLAN))
    partners = _partners(ctx)
    accountable = _accountable(ctx)
    meetings = _board_meetings(ctx)
    if meetings:
        info["board_meetings"] = meetings
    if accountable:
        info["accountable"] = accountable
    reviews = _reviews(ctx)
    _judgements(ctx, reviews)
    areas = _areas(ctx)
    _area_updates(ctx, areas)
    indicators = read_indicators(ctx)
    name = sheet or ctx.mapping.sheet or ACTIONS
    actions_sheet = ctx.book.find(name)
    if actions_sheet is None:
        raise ctx.no_sheet(name)
    wanted = {**ACTION_COLUMNS, **ctx.mapping.columns}
    optional = (*COPY_COLUMNS, *LATER_COLUMNS[ACTIONS])
    try:
        header = find_header(
            actions_sheet, wanted, optional=optional, quiet=COMPUTED_COLUMNS.values()
        )
    except NoHeader as err:
        raise header_error(err, wanted, optional) from None
    rows = read_actions(ctx, header, tracker=False)
    _attach_lists(ctx, rows)
    _into_areas(ctx, header, rows, areas)
    return PlanParts(info, partners, reviews, areas, indicators)


def _register(ctx: ReadContext, key_path: KeyPath, row: Row) -> None:
    ctx.places.add(key_path, row.cell)
    ctx.places.add_all(key_path, {(f,): where for f, where in row.cells.items()})


def _new_id(ctx: ReadContext, row: Row, what: str, first: Mapping[str, int]) -> str | None:
    """The row's ID, unless it has none or an earlier row has it (a problem either way)."""
    ident = row.values.get("id")
    if not isinstance(ident, str):
        ctx.log.bad(row.cell, f"the {what} has no ID")
        return None
    if ident in first:
        ctx.log.bad(row.cell, f"{what} '{ident}' is listed twice (first on row {first[ident]})")
        return None
    return ident


def _partners(ctx: ReadContext) -> dict[str, str | None]:
    partners: dict[str, str | None] = {}
    first: dict[str, int] = {}
    for row in ctx.table(PARTNERS, {"id": read_id}):
        ident = _new_id(ctx, row, "partner", first)
        if ident is None:
            continue
        name = row.values.get("name")
        if not isinstance(name, str):
            ctx.log.bad(row.cell, f"partner '{ident}' has no name")
            continue
        first[ident] = row.cell.row
        partners[ident] = name
        ctx.places.add(("partners", ident), row.cells["name"])
    return partners


def _accountable(ctx: ReadContext) -> list[AccountableData]:
    out = []
    for k, row in enumerate(ctx.table(ACCOUNTABLE, {"partner": read_id})):
        _register(ctx, ("plan", "accountable", k), row)
        out.append(ordered(row.values, ("role", "partner"), AccountableData))
    return out


def _board_meetings(ctx: ReadContext) -> list[date]:
    out: list[date] = []
    for row in ctx.table(BOARD_MEETINGS, {"date": read_date}):
        day = row.values.get("date")
        if isinstance(day, date):
            ctx.places.add(("plan", "board_meetings", len(out)), row.cells["date"])
            out.append(day)
    return out


def _reviews(ctx: ReadContext) -> list[ReviewData]:
    out = []
    readers: dict[str, Reader] = {"date": read_date, "rating": ctx.readers.rag}
    for k, row in enumerate(ctx.table(REVIEWS, readers)):
        _register(ctx, ("reviews", k), row)
        out.append(ordered(row.values, ("date", "by", "rating", "summary"), ReviewData))
    return out


def _judgement(value: object) -> str | None:
    return read_vocabulary(value, [j.value for j in Judgement], "judgement")


def _judgements(ctx: ReadContext, reviews: list[ReviewData]) -> None:
    """Each judgement of an area, into the review its row names by date (and By)."""
    readers: dict[str, Reader] = {
        "review_date": read_date,
        "area": read_id,
        "judgement": _judgement,
    }
    for entry in ctx.table(JUDGEMENTS, readers):
        k = _review_of(ctx, entry, reviews)
        if k is None:
            continue
        items = reviews[k].setdefault("areas", [])
        at = ("reviews", k, "areas", len(items))
        items.append(ordered(entry.values, ("area", "judgement", "note"), JudgementData))
        ctx.places.add(at, entry.cell)
        for f, where in entry.cells.items():
            if not f.startswith("review_"):
                ctx.places.add((*at, f), where)


def _review_of(ctx: ReadContext, entry: Row, reviews: Sequence[ReviewData]) -> int | None:
    """The review a Judgements row names: the one of that date, or, when several
    share the date, the one of that date and By. None (a problem) when there is none."""
    if ctx.log.row_is_bad(entry.cell):
        return None  # the date cell's own problem explains it
    day = entry.values.get("review_date")
    if not isinstance(day, date):
        ctx.log.bad(entry.cell, "this row names no review: give the review's date")
        return None
    same_day = [k for k, r in enumerate(reviews) if r.get("date") == day]
    if len(same_day) > 1:
        by = entry.values.get("review_by")
        wanted = by.strip().casefold() if isinstance(by, str) else None
        same_day = [k for k in same_day if reviews[k].get("by", "").strip().casefold() == wanted]
        if len(same_day) != 1:
            ctx.log.bad(
                entry.cell,
                f"more than one review on the {REVIEWS} sheet is dated {uk(day)}: give the "
                "By of the one this judgement belongs to, as written there",
            )
            return None
    if not same_day:
        ctx.log.bad(entry.cell, f"no review dated {uk(day)} on the {REVIEWS} sheet")
        return None
    return same_day[0]


def _areas(ctx: ReadContext) -> list[AreaIn]:
    out: list[AreaIn] = []
    first: dict[str, int] = {}
    for row in ctx.table(AREAS, {"id": read_id, "kind": read_area_kind}):
        ident = _new_id(ctx, row, "area", first)
        if ident is not None:
            first[ident] = row.cell.row
            area = ordered(row.values, AREA_KEYS, AreaData)
            out.append(AreaIn(area, row.cell, row.cells))
    return out


def _area_updates(ctx: ReadContext, areas: Sequence[AreaIn]) -> None:
    """The partnership's updates on each area, into the area each row names."""
    by_id = {a.area["id"]: a for a in areas if "id" in a.area}
    readers: dict[str, Reader] = {"area": read_id, "date": read_date, "rag": ctx.readers.rag}
    for entry in ctx.table(AREA_UPDATES, readers):
        ident = entry.values.pop("area", None)
        entry.cells.pop("area", None)
        area = by_id.get(cast(str, ident)) if ident is not None else None  # read as an ID
        if area is None:
            ctx.log.bad(
                entry.cell,
                f"no area '{ident}' on the {AREAS} sheet"
                if ident is not None
                else "this row names no area: give the area's ID",
            )
            continue
        items = area.area.setdefault("updates", [])
        at = ("updates", len(items))
        items.append(ordered(entry.values, ("date", "rag", "note", "next_steps"), AreaUpdateData))
        area.places[at] = entry.cell
        area.places.update({(*at, f): where for f, where in entry.cells.items()})


#: The list sheets' readers; the first column names the action.
_ENTRY_READERS: dict[str, Reader] = {
    "action": read_id,
    "date": read_date,
    "on": read_date,
    "from": read_date,
    "to": read_date,
}
#: The action's list each list sheet fills.
_TARGET = {
    UPDATES: "updates",
    RESCHEDULED: "rescheduled",
    MEASURES: "measures",
    EVIDENCE: "evidence",
}
#: The shape of an entry of the lists that hold mappings.
_ENTRY_SHAPE: dict[str, type[Mapping[str, object]]] = {
    UPDATES: UpdateData,
    RESCHEDULED: RescheduledData,
}


def _attach_lists(ctx: ReadContext, rows: Sequence[ActionRow]) -> None:
    """Updates, deadline changes, measures and evidence, from their own sheets."""
    by_id = {row.action.get("id"): row for row in rows}
    readers = {**_ENTRY_READERS, "rag": ctx.readers.rag}
    for title in LIST_SHEETS:
        for entry, row in ctx.owned(title, readers, "action", by_id.get, ctx.actions_sheet):
            _attach(ctx, title, entry, row)


def _attach(ctx: ReadContext, title: str, entry: Row, row: ActionRow) -> None:
    target = _TARGET[title]
    items = _list_of(row.action, target)
    k = len(items)
    if not k:  # a finding about the whole list lands on its first row
        row.places[(target,)] = entry.cell
    dated = [f for f in ("date", "kind", "link") if f in entry.values]
    if title == EVIDENCE and dated:  # evidence with a date, kind or link: an item
        item: dict[str, object] = {"title": entry.values.get("text")}
        item.update({f: entry.values[f] for f in dated})
        items.append(ordered(item, ("title", "date", "link", "kind"), EvidenceData))
        row.places[(target, k)] = entry.cell
        for f, where in entry.cells.items():
            row.places[(target, k, "title" if f == "text" else f)] = where
    elif title in (MEASURES, EVIDENCE):
        if "text" not in entry.values:
            ident = row.action.get("id")
            ctx.log.bad(entry.cell, f"this row gives action {ident} no {title.lower()}")
            return
        items.append(entry.values["text"])
        row.places[(target, k)] = entry.cells["text"]
    else:
        keys = [key for key in LIST_SHEETS[title] if key != "action"]
        items.append(ordered(entry.values, keys, _ENTRY_SHAPE[title]))
        row.places[(target, k)] = entry.cell
        for f, where in entry.cells.items():
            row.places[(target, k, f)] = where


def _list_of(action: ActionData, target: str) -> list[object]:
    """One of the action's lists (measures, updates ...), started when it has none."""
    lists = cast("dict[str, list[object]]", action)  # the list fields, named by a table
    return lists.setdefault(target, [])


def _into_areas(
    ctx: ReadContext, header: Header, rows: Sequence[ActionRow], areas: Sequence[AreaIn]
) -> None:
    """Each action into the area its row names (a problem when it names none, or another)."""
    by_id = {a.area["id"]: a for a in areas}
    for row in rows:
        area = by_id.get(row.area_id) if row.area_id is not None else None
        if area is None:
            if row.area_id is not None:
                known = ", ".join(by_id) or "none"
                ctx.log.bad(
                    row.places[("area",)],
                    f"area '{row.area_id}' is not on the {AREAS} sheet (areas: {known})",
                )
            else:
                ctx.log.bad(
                    CellRef(header.sheet.title, row.cell.row, header.cols["area"]),
                    "this action names no area: give the area's ID",
                )
            continue
        _check_copies(ctx, header, row, area.area)
        area.actions.append(row)


def _check_copies(ctx: ReadContext, header: Header, row: ActionRow, area: AreaData) -> None:
    """The Actions sheet's readable copies must agree with their own sheets, or be blank."""
    expected = {"area_title": (area.get("title") or "", AREAS), **action_copies(row.action)}
    sheet = header.sheet
    for f, (text, title) in expected.items():
        col = header.cols.get(f)
        if col is None or _read_badly(ctx, row, f):
            continue
        cell = read_text(sheet.safe(row.cell.row, col))
        if cell is None or same_copy(cell, text):
            continue
        what = "the area's title" if f == "area_title" else f"the action's {f}"
        ctx.log.bad(
            CellRef(sheet.title, row.cell.row, col),
            f"this cell repeats {what} from the {title} sheet, which is what import "
            f"reads, and it differs from it: make the change on the {title} sheet, then "
            "clear this cell or make it match",
        )


def _read_badly(ctx: ReadContext, row: ActionRow, target: str) -> bool:
    """Whether an entry of the action's list ``target`` is on a row with a problem of
    its own: its copy would differ for that reason alone, so it is not compared."""
    return any(key[0] == target and ctx.log.row_is_bad(at) for key, at in row.places.items())
