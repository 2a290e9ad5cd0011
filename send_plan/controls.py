"""Control characters: those no plan text may hold, and how output shows any
that reach it from elsewhere (file names, files that fail validation, git).

The loader refuses these characters in plan files (E009). Text that does not
come from a valid plan can still carry them, so every text output on its way
to a terminal passes through :func:`visible` (or :func:`one_line`, where one
record is one line): each such character is shown as an escape, ``\\u001b``
for ESC, that a terminal prints instead of acting on. The escapes are JSON's
own, so JSON output passed through them means exactly the same text.
"""

from __future__ import annotations

import re

#: Characters no plan text may hold: C0 and C1 controls (but tab, line feed and
#: carriage return), DEL, the Unicode line and paragraph separators (YAML counts
#: them, and NEL, as line breaks, so every later line number would shift),
#: bidirectional overrides and isolates (they reorder text as displayed:
#: "Trojan Source"), and the noncharacters U+FFFE/U+FFFF.
_CLASS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff"
FORBIDDEN = re.compile(f"[{_CLASS}]")
#: What a terminal could act on: those, and a carriage return (it moves back to
#: the start of the line, so that what follows overwrites what was shown).
UNSAFE = re.compile(f"[\r{_CLASS}]")
#: The same, and a line feed, where one record must stay one line.
_UNSAFE_LINE = re.compile(f"[\n\r{_CLASS}]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or f"\\u{ord(char):04x}"


def visible(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\u001b``,
    ``\\r``); line feeds and tabs stay as they are, and a Windows line ending
    (CR LF, as text from a spreadsheet may have) is a line feed."""
    if UNSAFE.search(text) is None:
        return text
    return UNSAFE.sub(_escape, text.replace("\r\n", "\n"))


def one_line(text: str) -> str:
    """As :func:`visible`, and line feeds shown as ``\\n``: one line, always."""
    if _UNSAFE_LINE.search(text) is None:
        return text
    return _UNSAFE_LINE.sub(_escape, text)
