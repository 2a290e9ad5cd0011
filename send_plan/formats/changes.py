"""Output formats for ``changes``: JSON (the contract in docs/commands.md) and
Markdown, a table per plan; the terminal table is in :mod:`send_plan.formats.terminal`."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from send_plan.formats.markdown import cell, row
from send_plan.words import number

if TYPE_CHECKING:
    from send_plan.git.changes import Changes
    from send_plan.revisions import ChangeValue


class Format(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


def shown(value: ChangeValue) -> str | tuple[str, ...] | None:
    """A changed value for a table: a figure as people write it (602, not 602.0)."""
    return number(value) if isinstance(value, float) else value


def format_json(changes: Changes) -> str:
    return json.dumps(changes.as_dict(), indent=2, ensure_ascii=False) + "\n"


def format_markdown(changes: Changes) -> str:
    """A table per plan (actions, and indicator figures as 'ID date'), then the
    actions moved between areas."""
    from send_plan.git.changes import sorted_for_table
    from send_plan.revisions import KIND_LABEL

    lines = [
        f"# Changes from {changes.since.short} ({changes.since.day}) "
        f"to {changes.until.short} ({changes.until.day})",
        "",
    ]
    if not changes.changes and not changes.moved:
        return "\n".join([*lines, "No changes.", ""])
    plan = None
    for c in sorted_for_table(changes.changes):
        if c.plan != plan:
            plan = c.plan
            lines += [
                "",
                f"## {cell(plan)}",
                "",
                "| Action | Change | From | To |",
                "|---|---|---|---|",
            ]
        lines.append(row((c.subject or "", KIND_LABEL[c.kind], shown(c.from_), shown(c.to))))
    if changes.moved:
        lines += [
            "",
            "## Actions moved between areas",
            "",
            "| Plan | Action | From area | To area |",
            "|---|---|---|---|",
        ]
        lines += [row((m.plan, m.action, m.from_area, m.to_area)) for m in changes.moved]
    return "\n".join(lines) + "\n"


FORMATS: dict[str, Callable[[Changes], str]] = {"json": format_json, "markdown": format_markdown}
