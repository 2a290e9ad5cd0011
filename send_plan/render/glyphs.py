"""What matplotlib says while it draws, turned into a note a person can act on.

matplotlib reports a character its font cannot draw as a Python warning ("Glyph
20013 missing from font(s) DejaVu Sans"), once per character, and other news
(a font cache being built, a font not found) through the ``matplotlib`` logger.
Left alone, both reach the terminal, with ``-q`` too, and with the raw character
in them (a control character included). Here every drawing runs inside
:func:`captured`: the warnings and log records are kept, never printed; the
characters that could not be drawn become one line per chart (:func:`note`).

Control characters are never drawn at all: :func:`chart_text` turns a tab into
a space and leaves the others out, so a stray one in a plan title does not put
an empty box in the picture.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

#: At most this many characters are named in one note; the rest are counted.
NOTE_CHARACTERS = 5

_GLYPH = re.compile(r"^Glyph (\d+)\b")


def chart_text(text: str) -> str:
    """``text`` as a chart draws it: a tab as a space, no other control character
    (line breaks stay: a title may be laid out on two lines)."""
    if text.isprintable():
        return text
    return "".join(
        " " if c == "\t" else c for c in text if c in "\t\n" or unicodedata.category(c) != "Cc"
    )


@contextmanager
def captured() -> Iterator[set[str]]:
    """Run a drawing with matplotlib's warnings and log messages kept from the
    terminal; the set yielded gets the characters its font could not draw."""
    import logging  # only when drawing: the site, which draws no chart this way, never pays
    import warnings

    missing: set[str] = set()
    logger = logging.getLogger("matplotlib")
    # a handler of its own that drops every record: Python's last-resort handler
    # (which prints to standard error) is used only when a logger has none
    handler, propagate = logging.NullHandler(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield missing
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
    for warning in caught:
        found = _GLYPH.match(str(warning.message))
        if found and int(found.group(1)) <= 0x10FFFF:
            missing.add(chr(int(found.group(1))))


def _named(char: str) -> str:
    code = f"U+{ord(char):04X}"
    return f"'{char}' ({code})" if char.isprintable() and not char.isspace() else code


def note(label: str, missing: Iterable[str]) -> str | None:
    """One line for the person running the command: which characters ``label``
    (a chart) could not draw, in code point order; None when it drew them all."""
    chars = sorted(set(missing))
    if not chars:
        return None
    named = [_named(c) for c in chars[:NOTE_CHARACTERS]]
    if len(chars) > NOTE_CHARACTERS:
        named.append(f"{len(chars) - NOTE_CHARACTERS} other characters")
    listed = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} or {named[-1]}"
    drawn = "it is drawn as an empty box" if len(chars) == 1 else "they are drawn as empty boxes"
    return f"{label}: the chart's font has no {listed}; {drawn}"
