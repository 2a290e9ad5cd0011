"""The one Markdown escaper: text from a plan made safe inside a table cell or a
heading of any Markdown send-plan writes (status, changes, chase, the reports'
templates), or at the start of a line of it: whatever the text holds, it stays
text, and never becomes a heading, a table row, a list, a link, an image, raw
HTML or a formula."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote, urlsplit

from send_plan.controls import visible

#: What Markdown reads as the start of a block when a line begins with it: a
#: heading, a list item, a fence, a setext underline or a rule (escaped before
#: their first character), or a numbered item (escaped before its ``.`` or ``)``:
#: digits cannot be escaped). ``>``, ``<`` and ``|`` are escaped everywhere.
_BLOCK_START = re.compile(
    r"\d{1,9}(?=[.)](?:\s|$))"
    r"|(?=(?:#{1,6}|[-+*])(?:\s|$)|`{3}|~{3}|=+\s*$|(?:[-*_]\s*){3,}$)"
)


def cell(value: object) -> str:
    """Text safe inside a Markdown table cell or heading, or at the start of a
    line: one line of Markdown that shows the text as it is.

    Runs of spaces collapse; line breaks become ``<br>`` (a blank line between
    paragraphs, two), so a note's bullets and paragraphs stay apart and no line
    of the text can start a heading or a table row; ``\\``, ``|``, ``[``, ``]``
    and ``$`` are escaped (no link, image or formula can form), and ``<``/``>``
    written as entities so that text such as ``<draft>`` shows instead of
    vanishing as an unknown HTML tag (and ``<script>`` stays text). A text
    that starts as a block would (``#``, ``>``, ``-``, ``1.``, a fence) has
    that character escaped. Control characters are shown as escapes
    (:func:`send_plan.controls.visible`). None is an empty cell; a list is its
    items joined by commas.
    """
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    paragraphs = [
        "\n".join(line for line in (" ".join(raw.split()) for raw in block) if line)
        for block in _paragraphs(visible(str(value)))
    ]
    text = "\n\n".join(p for p in paragraphs if p)
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    text = text.replace("[", "\\[").replace("]", "\\]").replace("$", "\\$")
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    if (start := _BLOCK_START.match(text)) is not None:
        text = text[: start.end()] + "\\" + text[start.end() :]
    return text.replace("\n", "<br>")


def link(text: object, url: str | None) -> str:
    """A Markdown link to an http or https address, safe in a table cell or a list.

    The text is escaped as :func:`cell` does (its brackets too); the address
    is percent-encoded wherever Markdown or a table could read a character as
    syntax (spaces, brackets, parentheses, ``|``, ``<``, ``>``, quotes). Without an
    address, or with one that is not a web address (``javascript:``, ``file:``),
    only the escaped text is written: nothing else ever becomes a link.
    """
    shown = cell(text)
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
