"""Export: a plan as a workbook colleagues can use at once.

One Actions sheet (a row per action, with readable copies of its lists), one
sheet per list, the indicators' sheets and a Plan sheet of details, each with a
bold frozen header row, filters, widths and row heights that fit, drop-down
lists for the vocabularies and RAG cells coloured by their value. Text is
written as text, never as a formula, and escaped so that it reads back exactly;
what a cell cannot give back exactly (a post with a line break in a Lead cell,
a figure with more digits than a cell keeps) is refused, never changed.

openpyxl is imported inside the functions that write, never at import time.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from send_plan.errors import PathError, UsageError
from send_plan.excel.cells import action_copies, entries_text, escape
from send_plan.excel.data import ActionData, OneOrMore, PlanData, PlanInfo, get_field
from send_plan.excel.indicators import INDICATOR_CHOICES, indicator_rows
from send_plan.excel.layout import (
    ACCOUNTABLE,
    ACTION_COLUMNS,
    ACTION_KEYS,
    ACTIONS,
    AREA_UPDATES,
    AREAS,
    BOARD_MEETINGS,
    CELL_LIMIT,
    COMPUTED_COLUMNS,
    COMPUTED_FILL,
    COMPUTED_MARK,
    DARK_FILLS,
    DATE_FORMAT,
    ENTRY_SEPARATOR,
    EVIDENCE,
    HEADER_FILL,
    JUDGEMENTS,
    LINE_HEIGHT,
    LIST_FIELDS,
    LIST_ROW_LINES,
    LIST_SHEETS,
    MAX_ROW_LINES,
    MAX_WIDTH,
    MEASURES,
    PARTNERS,
    PLAN,
    PLAN_FIELDS,
    PLAN_LIST_SHEETS,
    RESCHEDULED,
    REVIEWS,
    SHEETS,
    STATE_FILL,
    UPDATES,
)
from send_plan.excel.places import column_letter
from send_plan.render.labels import RAG_FILL
from send_plan.vocab import ActionStatus, AreaKind, Judgement, Rag
from send_plan.yamlout import plan_data

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

    from send_plan.model import Plan
    from send_plan.portfolio import Portfolio
    from send_plan.tracking import TrackedAction


@dataclass
class Styled:
    """A cell's value with a fill (and white text on a dark fill)."""

    value: object
    fill: str | None = None
    white: bool = False


def _rag_cell(rag: str | None) -> Styled:
    return Styled(rag, RAG_FILL[rag] if rag else None, rag in DARK_FILLS)


class SheetWriter:
    """One sheet: a bold frozen header row with filters, widths and heights that fit."""

    def __init__(
        self,
        ws: Worksheet,
        headings: Sequence[str],
        *,
        unwrapped: Iterable[str] = (),
        max_lines: int = 0,
    ) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.ws = ws
        self.headings = list(headings)
        self.unwrapped = {self.headings.index(h) + 1 for h in unwrapped}
        self.max_lines = max_lines or MAX_ROW_LINES
        self.widths = [len(h) + 4 for h in headings]  # room for the filter button
        self.texts: dict[int, list[tuple[int, str]]] = {}
        self.rows = 1
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")
        for col, heading in enumerate(headings, start=1):
            cell = ws.cell(row=1, column=col, value=heading)
            is_computed = heading.endswith(COMPUTED_MARK)
            cell.font = Font(bold=True, italic=is_computed)
            fill = COMPUTED_FILL if is_computed else HEADER_FILL
            cell.fill = PatternFill(fill_type="solid", fgColor=fill)
            cell.alignment = Alignment(vertical="top", wrap_text=True)

    def row(self, values: Sequence[object], what: str) -> None:
        from openpyxl.styles import Font, PatternFill

        self.rows += 1
        for col, value in enumerate(values, start=1):
            style = value if isinstance(value, Styled) else None
            raw = style.value if style is not None else value
            if raw is None or raw == "":
                continue
            cell = self.ws.cell(row=self.rows, column=col)
            cell.alignment = self.top
            longest = self._put(cell, col, raw, what)
            if style is not None and style.fill:
                cell.fill = PatternFill(fill_type="solid", fgColor=style.fill)
                if style.white:
                    cell.font = Font(color="FFFFFF")
            self.widths[col - 1] = max(self.widths[col - 1], min(longest + 2, MAX_WIDTH))

    def _put(self, target: Cell, col: int, raw: object, what: str) -> int:
        """Write one value; returns its longest line's length, for the column width."""
        if isinstance(raw, str):
            escaped = escape(raw)
            if len(escaped) > CELL_LIMIT:
                raise UsageError(
                    f"{what}: the {self.headings[col - 1]!r} text is {len(raw):,} characters; "
                    f"an Excel cell holds at most {CELL_LIMIT:,}"
                )
            target.value = escaped
            target.data_type = "s"  # never a formula or an error code, whatever it starts with
            if raw[:1] in ("=", "+", "-", "@"):
                target.quotePrefix = True  # stays text when someone edits the cell
            longest = max(len(line) for line in raw.split("\n"))
            if col not in self.unwrapped and ("\n" in raw or longest > MAX_WIDTH - 2):
                target.alignment = self.wrap
                self.texts.setdefault(self.rows, []).append((col, raw))
            return longest
        if isinstance(raw, float) and not (math.isfinite(raw) and float(f"{raw:.16g}") == raw):
            raise UsageError(
                f"{what}: the figure {raw!r} has more digits than a workbook cell keeps "
                "(16 significant digits): round it in the plan file"
            )
        target.value = raw
        if isinstance(raw, date):
            target.number_format = DATE_FORMAT
            return 10
        return len(str(raw))

    def _heights(self) -> None:
        """Rows of wrapped text get a height that shows it (up to a limit); spreadsheet
        programs do not all work it out when they open a file."""
        for row, texts in self.texts.items():
            lines = 1
            for col, text in texts:
                width = max(8, self.widths[col - 1]) - 1
                lines = max(lines, sum(-(-max(len(line), 1) // width) for line in text.split("\n")))
            if lines > 1:
                self.ws.row_dimensions[row].height = LINE_HEIGHT * min(lines, self.max_lines)

    def finish(self, *, choices: Mapping[str, Sequence[str]] | None = None) -> None:
        ws = self.ws
        last = column_letter(len(self.headings))
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{last}{max(self.rows, 2)}"
        ws.print_title_rows = "1:1"  # printed: the header row on every page,
        ws.page_setup.orientation = "landscape"  # across, and as wide as the page
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        for col, width in enumerate(self.widths, start=1):
            ws.column_dimensions[column_letter(col)].width = max(8, width)
        self._heights()
        for heading, words in (choices or {}).items():
            self._choices(heading, words)
        for heading in self.headings:
            if heading in ("RAG", "Rating"):
                _rag_formatting(ws, column_letter(self.headings.index(heading) + 1), self.rows)

    def _choices(self, heading: str, words: Sequence[str]) -> None:
        """A drop-down of the usual values; anything else only draws a warning."""
        from openpyxl.worksheet.datavalidation import DataValidation

        letter = column_letter(self.headings.index(heading) + 1)
        rule = DataValidation(
            type="list",
            formula1='"' + ",".join(words) + '"',
            allow_blank=True,
            errorStyle="warning",
            error="Not one of the usual values; import maps common spellings.",
            errorTitle=heading,
        )
        rule.add(f"{letter}2:{letter}{max(self.rows, 2) + 500}")
        self.ws.add_data_validation(rule)


def _rag_formatting(ws: Worksheet, col: str, rows: int) -> None:
    """Colour RAG cells by their value, so that edits recolour them too."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font, PatternFill

    for rag, fill in RAG_FILL.items():
        if rag == "unrated":
            continue
        ws.conditional_formatting.add(
            f"{col}2:{col}{max(rows, 2) + 500}",
            CellIsRule(
                operator="equal",
                formula=[f'"{rag}"'],
                fill=PatternFill(fill_type="solid", fgColor=fill, bgColor=fill),
                font=Font(color="FFFFFF" if rag in DARK_FILLS else "000000"),
            ),
        )


def export_workbook(
    plan: Plan, *, as_of: date | None = None, portfolio: Portfolio | None = None
) -> bytes:
    """The plan as an .xlsx workbook (bytes).

    With ``as_of``, the Actions sheet also shows each action's state, days overdue
    and late start on that date (computed with ``portfolio`` for carried-forward
    actions); those columns are marked '(computed)' and ignored on import.
    """
    from openpyxl import Workbook

    data = cast(PlanData, plan_data(plan))  # the format's data, as data.py types it
    tracked: dict[str, TrackedAction] = {}
    if as_of is not None:
        from send_plan.portfolio import Portfolio
        from send_plan.tracking import track_plan

        summary = track_plan(portfolio if portfolio is not None else Portfolio([]), plan, as_of)
        tracked = {t.action.id: t for t in summary.actions}

    wb = Workbook()
    wb.properties.creator = "send-plan"
    wb.properties.title = data["plan"].get("title") or data["plan"]["id"]
    sheets = {ACTIONS: wb.active}
    sheets[ACTIONS].title = ACTIONS
    for title in SHEETS[1:]:
        sheets[title] = wb.create_sheet(title)

    _export_actions(sheets[ACTIONS], data, tracked)
    _export_plan(sheets[PLAN], data["plan"])
    _export_lists(sheets, data)

    return _save(wb)


def _save(wb: Any) -> bytes:
    """The workbook's bytes. openpyxl writes each sheet to a temporary file first,
    so a full disk or a file-size limit fails here: a :class:`PathError`."""
    from lxml.etree import SerialisationError

    out = io.BytesIO()
    try:
        wb.save(out)
    except (OSError, SerialisationError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else _io_reason(str(exc))
        raise PathError(
            f"cannot build the workbook: {reason or exc} (it is first written to temporary files)"
        ) from None
    return out.getvalue()


def _io_reason(message: str) -> str:
    """lxml names an input/output error by its errno: ``IO_EFBIG``, ``IO_ENOSPC``."""
    import errno
    import os

    number = getattr(errno, message.removeprefix("IO_"), None)
    return os.strerror(number) if isinstance(number, int) else message


def _entries(value: OneOrMore | None, what: str, heading: str) -> str | None:
    """A Lead or Partner cell: one entry per line; an entry that holds a line break
    would come back as two, so it is refused."""
    for entry in [value] if isinstance(value, str) else value or ():
        if ENTRY_SEPARATOR in entry:
            raise UsageError(
                f"{what}: the {heading} {entry!r} holds a line break, and a {heading} cell "
                "gives one entry per line (a joint lead): write it on one line"
            )
    return entries_text(value)


def _action_row(area_id: str, area_title: str | None, action: ActionData) -> list[object]:
    what = f"action {action['id']}"
    values: dict[str, object] = {
        "area": area_id,
        "area_title": area_title,
        **{f: get_field(action, f) for f in ACTION_KEYS if f not in LIST_FIELDS},
        "lead": _entries(action.get("lead"), what, "lead"),
        "partner": _entries(action.get("partner"), what, "partner"),
        "rag": _rag_cell(action.get("rag")),
        **{f: text for f, (text, _) in action_copies(action).items()},
    }
    return [values[f] for f in ACTION_COLUMNS]


def _computed(t: TrackedAction) -> list[object]:
    state = t.state.value
    return [Styled(state, STATE_FILL.get(state)), t.days_overdue, "yes" if t.late_start else "no"]


def _export_actions(ws: Worksheet, data: PlanData, tracked: Mapping[str, TrackedAction]) -> None:
    headings = list(ACTION_COLUMNS.values())
    at = list(ACTION_COLUMNS).index("rag") + 1
    if tracked:
        headings[at:at] = list(COMPUTED_COLUMNS.values())
    writer = SheetWriter(ws, headings, unwrapped=[ACTION_COLUMNS["area_title"]])
    for area in data["areas"]:
        for action in area.get("actions", ()):
            row = _action_row(area["id"], area.get("title"), action)
            if tracked:
                row[at:at] = _computed(tracked[action["id"]])
            writer.row(row, f"action {action['id']}")
    writer.finish(
        choices={
            ACTION_COLUMNS["status"]: [s.value for s in ActionStatus],
            ACTION_COLUMNS["rag"]: [r.value for r in Rag],
        }
    )


def _export_plan(ws: Worksheet, info: PlanInfo) -> None:
    writer = SheetWriter(ws, ["Field", "Value"])
    for key, label in PLAN_FIELDS.items():
        writer.row([label, get_field(info, key)], f"plan {key}")
    writer.finish()


def _list_rows(data: PlanData) -> dict[str, list[list[object]]]:
    """The rows of every list sheet, in the plan's order."""
    info = data["plan"]
    rows: dict[str, list[list[object]]] = {t: [] for t in (*LIST_SHEETS, *PLAN_LIST_SHEETS)}
    for area in data["areas"]:
        rows[AREAS].append([area.get(f) for f in PLAN_LIST_SHEETS[AREAS]])
        rows[AREA_UPDATES].extend(
            [area["id"], u["date"], _rag_cell(u.get("rag")), u["note"], u.get("next_steps")]
            for u in area.get("updates", ())
        )
        for action in area.get("actions", ()):
            ident = action["id"]
            for u in action.get("updates", ()):
                rows[UPDATES].append([ident, u["date"], _rag_cell(u.get("rag")), u["note"]])
            for r in action.get("rescheduled", ()):
                rows[RESCHEDULED].append(
                    [ident, r["on"], r["from"], r["to"], r["reason"], r.get("approved_by")]
                )
            rows[MEASURES].extend([ident, m] for m in action.get("measures", ()))
            rows[EVIDENCE].extend(
                [ident, e]
                if isinstance(e, str)
                else [ident, e.get("title"), e.get("date"), e.get("kind"), e.get("link")]
                for e in action.get("evidence", ())
            )
    rows[PARTNERS] = [[k, v] for k, v in data.get("partners", {}).items()]
    rows[ACCOUNTABLE] = [[a["role"], a.get("partner")] for a in info.get("accountable", ())]
    rows[BOARD_MEETINGS] = [[d] for d in info.get("board_meetings", ())]
    reviews = data.get("reviews", ())
    rows[REVIEWS] = [
        [r["date"], r["by"], _rag_cell(r.get("rating")), r.get("summary")] for r in reviews
    ]
    rows[JUDGEMENTS] = [
        [r["date"], r["by"], j["area"], j["judgement"], j.get("note")]
        for r in reviews
        for j in r.get("areas", ())
    ]
    rows.update(indicator_rows(data))
    return rows


def _export_lists(sheets: Mapping[str, Worksheet], data: PlanData) -> None:
    rows = _list_rows(data)
    choices: dict[str, dict[str, list[str]]] = {
        AREAS: {"Kind": [k.value for k in AreaKind]},
        AREA_UPDATES: {"RAG": [r.value for r in Rag]},
        UPDATES: {"RAG": [r.value for r in Rag]},
        REVIEWS: {"Rating": [r.value for r in Rag]},
        JUDGEMENTS: {"Judgement": [j.value for j in Judgement]},
        **INDICATOR_CHOICES,
    }
    for title, columns in (*LIST_SHEETS.items(), *PLAN_LIST_SHEETS.items()):
        writer = SheetWriter(sheets[title], list(columns.values()), max_lines=LIST_ROW_LINES)
        for k, row in enumerate(rows[title], start=2):
            writer.row(row, f"{title} sheet row {k}")
        writer.finish(choices=choices.get(title))
