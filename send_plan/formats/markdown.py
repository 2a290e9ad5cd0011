"""The one Markdown escaper: text from a plan made safe inside a table cell or a
heading of any Markdown send-plan writes (status, changes, the reports' templates)."""

from __future__ import annotations

from collections.abc import Sequence


def cell(value: object) -> str:
    """Text safe inside a Markdown table cell: one line, ``|`` and ``\\`` escaped.

    None is an empty cell; a list is its items joined by commas.
    """
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    text = " ".join(str(value).split())
    return text.replace("\\", "\\\\").replace("|", "\\|")


def row(values: Sequence[object]) -> str:
    """One table row of escaped cells."""
    return "| " + " | ".join(cell(v) for v in values) + " |"
