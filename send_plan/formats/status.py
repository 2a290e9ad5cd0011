"""Machine and paste-able formats for ``status``: pure ``format(status) -> str``.

The terminal table lives in :mod:`send_plan.formats.terminal`, the one module
using Rich.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from send_plan.formats.markdown import cell, row
from send_plan.vocab import State

if TYPE_CHECKING:
    from send_plan.tracking import Status

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


def format_json(status: Status, *, listed: bool = False) -> str:
    # Compact: json's C encoder runs only without indent, and scripts read it anyway.
    return json.dumps(status.as_dict(), ensure_ascii=False) + "\n"


def format_csv(status: Status, *, listed: bool = False) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for t in status.actions:
        row = t.as_dict()
        row["carried_to"] = ";".join(row["carried_to"])
        row["late_start"] = "true" if row["late_start"] else "false"
        row["stale"] = "true" if row["stale"] else "false"
        latest = row.pop("latest_update")
        row["latest_update_date"] = latest["date"] if latest else None
        row["latest_update"] = latest["note"] if latest else None
        writer.writerow({k: csv_cell(row[k]) for k in CSV_FIELDS})
    return out.getvalue()


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


def format_markdown(status: Status, *, listed: bool = False) -> str:
    """Per plan: key facts, counts, then the actions that need attention.

    With ``listed`` (a --state filter was given) every action passing the filters
    is listed instead of the attention list.
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
            lines += ["Nothing needs attention.", ""]
            continue
        lines += [
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
    return "\n".join(lines)


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
