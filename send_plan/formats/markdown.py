"""The one Markdown escaper: text from a plan made safe inside a table cell or a
heading of any Markdown send-plan writes (status, changes, the reports' templates)."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote, urlsplit


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


def link(text: object, url: str | None) -> str:
    """A Markdown link to an http or https address, safe in a table cell or a list.

    The text is escaped as :func:`cell` does, and its brackets too; the address
    is percent-encoded wherever Markdown or a table could read a character as
    syntax (spaces, brackets, parentheses, ``|``, ``<``, ``>``, quotes). Without an
    address, or with one that is not a web address (``javascript:``, ``file:``),
    only the escaped text is written: nothing else ever becomes a link.
    """
    shown = cell(text).replace("[", "\\[").replace("]", "\\]")
    if url is None:
        return shown
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or url != url.strip():
        return shown
    return f"[{shown}]({quote(url, safe=_URL_SAFE)})"


#: Characters left as they are in a link's address: the URL's own punctuation
#: (``%`` keeps escapes already made); everything else is percent-encoded.
_URL_SAFE = ";/?:@&=+$,-_.~#%!"


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
