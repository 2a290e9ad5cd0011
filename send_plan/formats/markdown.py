"""The one Markdown escaper: text from a plan made safe inside a table cell or a
heading of any Markdown send-plan writes (status, changes, the reports' templates)."""

from __future__ import annotations

from collections.abc import Sequence


def cell(value: object) -> str:
    """Text safe inside a Markdown table cell or heading: one line of Markdown.

    Runs of spaces collapse; line breaks become ``<br>`` (a blank line between
    paragraphs, two), so a note's bullets and paragraphs stay apart; ``\\`` and
    ``|`` are escaped, and ``<``/``>`` written as entities so that text such as
    ``<draft>`` shows instead of vanishing as an unknown HTML tag. None is an
    empty cell; a list is its items joined by commas.
    """
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    paragraphs = [
        "\n".join(line for line in (" ".join(raw.split()) for raw in block) if line)
        for block in _paragraphs(str(value))
    ]
    text = "\n\n".join(p for p in paragraphs if p)
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\n", "<br>")


def _paragraphs(text: str) -> list[list[str]]:
    """Lines grouped into paragraphs at blank lines."""
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return blocks


def row(values: Sequence[object]) -> str:
    """One table row of escaped cells."""
    return "| " + " | ".join(cell(v) for v in values) + " |"
