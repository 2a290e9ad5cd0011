"""Machine and paste-able formats for ``status``: pure ``format(status) -> str``.

The terminal table lives in :mod:`send_plan.formats.terminal`, the one module
using Rich.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

from send_plan.controls import visible
from send_plan.formats.markdown import cell, row
from send_plan.vocab import State
from send_plan.words import figure

if TYPE_CHECKING:
    from send_plan.indicators import IndicatorStatus
    from send_plan.tracking import PlanSummary, Status, TrackedAction

CSV_FIELDS = (
    "plan",
    "area",
    "id",
    "title",
    "lead",
    "partner",
    "status",
    "rag",
    "start",
    "due",
    "original_due",
    "completed",
    "state",
    "days_overdue",
    "slip_days",
    "deadline_moves",
    "late_start",
    "carried_from",
    "carried_to",
    "delivery_plan",
    "sro",
    "stale",
    "latest_update_date",
    "latest_update",
)
#: The indicators CSV (``status --format csv --indicators``): the JSON entry, flat.
INDICATOR_CSV_FIELDS = (
    "plan",
    "id",
    "title",
    "unit",
    "polarity",
    "frequency",
    "owner",
    "partner",
    "areas",
    "latest_date",
    "latest_value",
    "latest_provisional",
    "previous_date",
    "previous_value",
    "previous_provisional",
    "expected",
    "rating",
    "direction",
    "late_data",
    "published",
)


def format_json(status: Status, *, listed: bool = False, indicators: bool = False) -> str:
    # Compact: json's C encoder runs only without indent, and scripts read it anyway.
    return json.dumps(status.as_dict(), ensure_ascii=False) + "\n"


def format_csv(status: Status, *, listed: bool = False, indicators: bool = False) -> str:
    """One row per action; with ``indicators``, one row per indicator instead.

    Safe in a terminal and a spreadsheet: a control character (a carriage return
    among them) is shown as an escape, and no cell is read as a formula."""
    if indicators:
        return format_indicators_csv(status)
    rows = []
    for t in status.actions:
        row = t.as_dict()
        row["carried_to"] = ";".join(row["carried_to"])
        latest = row.pop("latest_update")
        row["latest_update_date"] = latest["date"] if latest else None
        row["latest_update"] = latest["note"] if latest else None
        rows.append(row)
    return _csv(CSV_FIELDS, rows)


def _csv(fields: Sequence[str], rows: Iterable[Mapping[str, object]]) -> str:
    """A CSV table of ``fields``: cells made safe for a spreadsheet, booleans
    written ``true``/``false``, control characters shown as escapes."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for record in rows:
        writer.writerow({k: _csv_text(record[k]) for k in fields})
    return visible(out.getvalue())


#: What a spreadsheet reads as the start of a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A value safe in a spreadsheet: text that a spreadsheet would run as a
    formula (``=HYPERLINK(...)``) gets a leading ``'``, as Excel export does."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def format_indicators_csv(status: Status) -> str:
    """One row per indicator, in file order: the JSON entry with ``latest`` and
    ``previous`` spread into columns, ``areas`` joined with ``;``."""
    rows = []
    for s in status.indicators:
        entry = s.as_dict()
        entry["areas"] = ";".join(entry["areas"])
        for key in ("latest", "previous"):
            value = entry.pop(key)
            entry[f"{key}_date"] = value["date"] if value else None
            entry[f"{key}_value"] = _csv_number(value["value"]) if value else None
            entry[f"{key}_provisional"] = value["provisional"] if value else None
        if entry["expected"] is not None:
            entry["expected"] = _csv_number(entry["expected"])
        rows.append(entry)
    return _csv(INDICATOR_CSV_FIELDS, rows)


def _csv_number(value: float) -> str:
    """602.0 is written 602; other figures as they are."""
    return str(int(value)) if value.is_integer() else repr(value)


def _csv_text(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    return csv_cell(value)


def format_markdown(status: Status, *, listed: bool = False, indicators: bool = False) -> str:
    """Per plan: key facts, counts, then the actions that need attention, then the
    indicators that do (red, amber or late data).

    With ``listed`` (a --state filter was given) every action passing the filters
    is listed instead of the attention list; with ``indicators`` every indicator.
    """
    lines: list[str] = [f"# Plan status at {status.as_of.isoformat()}", ""]
    for p in status.plans:
        info = p.plan.plan
        lines += [f"## {cell(info.title or info.id)} (`{info.id}`)", ""]
        facts = [f"{info.kind.value}, {info.status.value}"]
        if p.next_board_meeting:
            facts.append(
                f"next board meeting {p.next_board_meeting.isoformat()} "
                f"({p.due_before_next_board} open action(s) due before it)"
            )
        if p.latest_review:
            r = p.latest_review
            rated = f": {r.rating.value}" if r.rating else ""
            facts.append(f"latest review {r.date.isoformat()} by {r.by}{rated}")
        if p.revisit_expected_by:
            facts.append(f"revisit expected by {p.revisit_expected_by.isoformat()}")
        if p.stale_count:
            facts.append(f"{p.stale_count} action(s) with no update since the last board")
        lines += [cell("; ".join([*facts, *p.notes]) + "."), ""]
        lines += ["| " + " | ".join(["total", *(s.value for s in State)]) + " |"]
        lines += ["|" + "---:|" * (len(State) + 1)]
        lines += ["| " + " | ".join(str(p.counts.states[k]) for k in ["total", *State]) + " |", ""]
        rows = list(p.actions) if listed else p.attention()
        if not rows:
            lines += ["No action needs attention.", ""]
        else:
            lines += _action_rows(rows)
        lines += _indicator_rows(p, every=indicators)
    return "\n".join(lines)


def _action_rows(rows: list[TrackedAction]) -> list[str]:
    lines = [
        "| Area | Action | Title | Lead | Due | State | Days overdue | RAG | Late start |",
        "|---|---|---|---|---|---|---:|---|---|",
    ]
    for t in rows:
        a = t.action
        lines.append(
            row(
                (
                    t.area.id,
                    a.id,
                    a.title,
                    a.lead_text,
                    a.due_text,
                    t.state.value,
                    t.days_overdue,
                    a.rag.value if a.rag else "",
                    "yes" if t.late_start else "",
                )
            )
        )
    lines.append("")
    return lines


def _indicator_rows(p: PlanSummary, *, every: bool) -> list[str]:
    """The plan's indicators that need attention (or all of them), as a table."""
    shown = list(p.indicators) if every else p.indicators_needing_attention()
    if not shown:
        return []
    heading = "Indicators" if every else "Indicators that need attention"
    lines = [
        f"### {heading}",
        "",
        "| Indicator | Title | Owner | Latest | Expected | Rating | Direction | Late data |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in shown:
        lines.append(row(indicator_cells(s)))
    lines.append("")
    return lines


def indicator_cells(s: IndicatorStatus) -> tuple[str, ...]:
    """One indicator as the cells of a text table (Markdown here, Rich in the terminal)."""
    ind = s.indicator
    latest = ""
    if s.latest is not None:
        latest = f"{figure(s.latest.value, ind.unit)} at {s.latest.date.isoformat()}"
        latest += " (provisional)" if s.latest.provisional else ""
    direction = f"{s.arrow} {s.direction.value}" if s.direction and s.arrow else ""
    title = (ind.title or "") + ("" if ind.published else " (not published)")
    return (
        ind.id,
        title,
        ind.owner or "",
        latest or "no figure yet",
        figure(s.expected, ind.unit),
        s.rating.value if s.rating else "not rated",
        direction,
        "yes" if s.late_data else "",
    )


class Format(StrEnum):
    """``status --format`` choices: ``table`` (the Rich view in
    :mod:`send_plan.formats.terminal`) and the names of :data:`FORMATS`."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


Formatter = Callable[..., str]

FORMATS: dict[str, Formatter] = {
    "json": format_json,
    "csv": format_csv,
    "markdown": format_markdown,
}
