"""Values in cells: reading text, dates, IDs, statuses, RAG ratings, figures,
yes/no, lists and updates out of one cell, and writing the cells that hold
several entries and the readable multi-line copies export puts on the Actions
sheet.

A reader takes the value a person sees in the cell (``object``: openpyxl gives
text, numbers, dates, times or booleans) and returns the field's value, or None
for a blank cell; what it cannot read raises :class:`BadValue` with a message
saying what to write instead. Readers never see a sheet or a cell reference:
:mod:`send_plan.excel.rows` puts the problem at its cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time

from send_plan.excel.data import ActionData, EvidenceData, OneOrMore, RescheduledData, UpdateData
from send_plan.excel.dates import DATE_TEXT, parse_date_text, uk
from send_plan.excel.layout import (
    CELL_LIMIT,
    ENTRY_SEPARATOR,
    EVIDENCE,
    ID_SEPARATOR,
    MEASURES,
    RESCHEDULED,
    UPDATES,
)
from send_plan.excel.places import BadValue
from send_plan.vocab import (
    ONGOING,
    STATUS_WORDS,
    ActionStatus,
    AreaKind,
    Rag,
    rag_key,
    read_rag_word,
    status_hint,
    status_key,
    suggest_value,
)

# --------------------------------------------------------------------------- text in cells

#: Excel writes characters XML cannot hold as _xHHHH_ (and a literal '_x' of that
#: shape as _x005F_xHHHH_). Import decodes them; export encodes the same way, so
#: text goes out and comes back exactly. A character beyond U+FFFF may come as
#: the two halves of its UTF-16 surrogate pair, _xD83D__xDE00_: one character.
#: Half a pair alone is no character at all: it is left as written, and a cell
#: holding one is reported (:func:`surrogate_problem`).
_ESCAPED = re.compile(
    r"_x([Dd][89ABab][0-9A-Fa-f]{2})__x([Dd][C-Fc-f][0-9A-Fa-f]{2})_|_x([0-9A-Fa-f]{4})_"
)
_NEEDS_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_|\r")
_SURROGATES = range(0xD800, 0xE000)


def escape(text: str) -> str:
    return _NEEDS_ESCAPE.sub(
        lambda m: "_x000D_" if m.group() == "\r" else "_x005F" + m.group(), text
    )


def _decoded(m: re.Match[str]) -> str:
    if m.group(1):
        high, low = int(m.group(1), 16), int(m.group(2), 16)
        return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    code = int(m.group(3), 16)
    return m.group() if code in _SURROGATES else chr(code)


def unescape(text: str) -> str:
    if "_x" not in text:
        return text
    return _ESCAPED.sub(_decoded, text)


def surrogate_problem(text: str) -> str | None:
    """What is wrong with text holding Excel's code for half a character, else None."""
    for m in _ESCAPED.finditer(text):
        if m.group(3) and int(m.group(3), 16) in _SURROGATES:
            return (
                f"the cell holds {m.group()}: Excel's code for half of a character (a lone "
                "UTF-16 surrogate), which no text can hold; retype the text of this cell"
            )
    return None


def read_text(value: object) -> str | None:
    """A cell's value as text, exactly as written (None when the cell is empty)."""
    if value is None:
        return None
    if isinstance(value, str):
        return unescape(value) if value else None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def read_id(value: object) -> str | None:
    """An ID, partner key or reference: spaces around it are never meant."""
    text = read_text(value)
    if text is None:
        return None
    return text.strip() or None


def is_blank(value: object) -> bool:
    """Nothing to read; in trackers a cell holding only spaces counts as empty too."""
    return value is None or (isinstance(value, str) and not value.strip())


def is_empty(value: object) -> bool:
    """Nothing at all: in export's layout a cell of spaces is text (a role of ' ')."""
    return value is None or value == ""


# --------------------------------------------------------------------------- dates

#: Excel serial numbers of 1 January 1990 and 31 December 2099: a bare number in
#: this range in a date column is a date whose cell format was lost.
_SERIAL_RANGE = (32874, 73050)


def read_date(value: object) -> date | None:
    """A cell's value as a date (None when blank); raises BadValue when it is not one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise BadValue(f"{value!r} is not a date")
    if isinstance(value, (int, float)):
        low, high = _SERIAL_RANGE
        if low <= value <= high:
            from openpyxl.utils.datetime import from_excel

            result: date = from_excel(int(value)).date()
            return result
        raise BadValue(f"the number {value} is not a date: format the cell as a date (dd/mm/yyyy)")
    if isinstance(value, time):
        raise BadValue("the cell holds a time of day, not a date")
    if isinstance(value, str):
        return parse_date_text(unescape(value))
    raise BadValue(f"{value!r} is not a date")


def read_due(value: object) -> date | str | None:
    """``due``: a date, or the word ``ongoing`` (work with no fixed deadline)."""
    if isinstance(value, str) and unescape(value).strip().casefold() == ONGOING:
        return ONGOING
    return read_date(value)


# --------------------------------------------------------------------------- figures and yes/no


def read_figure(value: object) -> float | str | bool | None:
    """An indicator's figure. A number is read as it is; text is passed on as
    written, so that validation says what to write ('45%' is text: write 45)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return value  # validation: not a number
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, date | time):
        raise BadValue("the cell holds a date, not a number: write the figure in digits")
    return read_text(value)


_YES = frozenset(("yes", "y", "true", "1"))
_NO = frozenset(("no", "n", "false", "0"))


def read_flag(value: object) -> bool | None:
    """A yes/no cell (Published, Provisional); blank means the format's default."""
    if isinstance(value, bool):
        return value
    text = _words(value)
    if text is None:
        return None
    word = text.strip().casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise BadValue(f"'{text.strip()}' is not yes or no: write yes or no (blank for the default)")


# --------------------------------------------------------------------------- vocabularies


def _words(value: object) -> str | None:
    """The cell's text when it has any beyond spaces (a vocabulary word to look up)."""
    text = read_text(value)
    return text if text is not None and text.strip() else None


def read_status(value: object, extra: Mapping[str, str]) -> str | None:
    text = _words(value)
    if text is None:
        return None
    key = status_key(text)
    if key in extra:
        return extra[key]
    if key.replace(" ", "-") in {s.value for s in ActionStatus}:
        return key.replace(" ", "-")
    if key in STATUS_WORDS:
        return STATUS_WORDS[key]
    choices = ", ".join(s.value for s in ActionStatus)
    hint = status_hint(text)
    message = f"status '{text.strip()}' is not one I can read ({choices})"
    if hint:
        message += f": {hint}"
    else:
        guess = suggest_value(text, [s.value for s in ActionStatus])
        if guess:
            message += f": did you mean '{guess}'?"
    raise BadValue(message + "; or map it under 'statuses:' in a --columns file")


def read_rag(value: object, extra: Mapping[str, str | None]) -> str | None:
    text = _words(value)
    if text is None:
        return None
    if rag_key(text) in extra:
        return extra[rag_key(text)]
    known, rating = read_rag_word(text)
    if known:
        return rating
    choices = ", ".join(r.value for r in Rag)
    raise BadValue(
        f"RAG rating '{text.strip()}' is not one I can read ({choices}, or R/A/G and "
        "blends such as Amber/Green); map it under 'rags:' in a --columns file"
    )


def read_vocabulary(value: object, choices: Sequence[str], what: str) -> str | None:
    text = _words(value)
    if text is None:
        return None
    key = re.sub(r"[\s_]+", "-", text.strip().casefold())
    if key in choices:
        return key
    message = f"{what} '{text.strip()}' is not one of {', '.join(choices)}"
    guess = suggest_value(text, list(choices))
    raise BadValue(message + (f": did you mean '{guess}'?" if guess else ""))


def read_area_kind(value: object) -> str | None:
    return read_vocabulary(value, [k.value for k in AreaKind], "area kind")


# --------------------------------------------------------------------------- lists in one cell


def one_or_more(entries: Sequence[str]) -> OneOrMore | None:
    """One entry as text, several as a list, none as None."""
    if not entries:
        return None
    return entries[0] if len(entries) == 1 else list(entries)


def read_entries(value: object) -> OneOrMore | None:
    """A Lead or Partner cell of export's layout: one entry per line, each exactly
    as written (a joint lead); a cell of one line is one entry, as text."""
    text = read_text(value)
    if text is None:
        return None
    if ENTRY_SEPARATOR not in text:
        return text
    return one_or_more([line for line in text.split(ENTRY_SEPARATOR) if line])


_POST_SEPARATOR = re.compile(r"\r\n|[\n;]")


def read_posts(value: object) -> OneOrMore | None:
    """A tracker's Lead or Partner cell: posts one per line or separated by ';'
    (bullets and spaces around them removed); several posts are a joint lead."""
    text = read_text(value)
    if text is None:
        return None
    posts = [_BULLET.sub("", part).strip() for part in _POST_SEPARATOR.split(text)]
    return one_or_more([post for post in posts if post])


_ID_SEPARATOR = re.compile(r"[,;\n]")


def read_ids(value: object) -> list[str]:
    """A cell of ids (an indicator's areas or actions): separated by commas,
    semicolons or line breaks, spaces around them ignored."""
    text = read_text(value)
    if text is None:
        return []
    return [ident for part in _ID_SEPARATOR.split(text) if (ident := part.strip())]


def entries_text(value: OneOrMore | None) -> str | None:
    """A one-or-more field as its cell: the entries one per line."""
    if value is None:
        return None
    return value if isinstance(value, str) else ENTRY_SEPARATOR.join(value)


def ids_text(ids: Sequence[str]) -> str | None:
    return ID_SEPARATOR.join(ids) or None


_BULLET = re.compile(r"^\s*(?:[•●◦▪‣∙*–—-]|\d{1,2}[.)])\s+")


def read_lines(value: object) -> list[str]:
    """A tracker cell holding a list: one item per non-blank line, bullets removed."""
    text = read_text(value)
    if text is None:
        return []
    items = [_BULLET.sub("", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return [item for item in items if item]


_UPDATE_START = re.compile(
    rf"^\s*(?P<date>{DATE_TEXT})\s*(?:\((?P<rag>[^)\n]*)\))?\s*(?::|\s[-–—]\s|\s*$)\s*(?P<note>.*)$"
)


def read_updates(
    value: object, rags: Mapping[str, str | None], undated: date | None
) -> list[UpdateData]:
    """A tracker's progress-update cell as updates, oldest first.

    Each entry starts on a line beginning with a date ("31/01/2019: note",
    "31 Jan 2019 (amber) - note"); following lines belong to it. Text before the
    first date is an update dated ``undated`` (the mapping file's update_date).
    """
    text = read_text(value)
    if text is None or not text.strip():
        return []
    entries: list[tuple[date | None, str | None, list[str]]] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        m = _UPDATE_START.match(line)
        if m:
            day = parse_date_text(m["date"])
            rag = read_rag(m["rag"], rags) if m["rag"] is not None else None
            entries.append((day, rag, [m["note"]]))
        elif entries:
            entries[-1][2].append(line)
        elif line.strip():
            entries.append((None, None, [line]))
    out = [_update(when, rag, lines, undated) for when, rag, lines in entries]
    out.sort(key=lambda u: u["date"])
    return out


def _update(
    when: date | None, rag: str | None, lines: list[str], undated: date | None
) -> UpdateData:
    note = "\n".join(lines).strip()
    dated = when if when is not None else undated
    if dated is None:
        raise BadValue(
            "this progress update has no date: start each entry with one "
            "(31/01/2019: ...), or give update_date in the --columns file"
        )
    if not note:
        raise BadValue(f"the update dated {uk(dated)} has no text")
    update: UpdateData = {"date": dated}
    if rag is not None:
        update["rag"] = rag
    update["note"] = note
    return update


# --------------------------------------------------------------------------- readable copies


def bullets(items: Iterable[str]) -> str:
    return "\n".join(f"• {item}" for item in items)


def evidence_line(item: str | EvidenceData) -> str:
    """Evidence as the readable copy shows it: text, or 'title (kind, date) link'."""
    if isinstance(item, str):
        return item
    about = [part for part in (item.get("kind"), item.get("date")) if part is not None]
    line = item.get("title", "")
    if about:
        line += " (" + ", ".join(uk(a) if isinstance(a, date) else a for a in about) + ")"
    link = item.get("link")
    return f"{line} <{link}>" if link else line


def _day(value: date | None) -> str:
    """A date of a readable copy; blank when the entry has none (import compares
    the copies with entries read from their sheets, which may lack one)."""
    return uk(value) if value is not None else ""


def updates_text(updates: Iterable[UpdateData]) -> str:
    return "\n".join(
        f"{_day(u.get('date'))}{' (' + u['rag'] + ')' if u.get('rag') else ''}: {u.get('note', '')}"
        for u in updates
    )


def rescheduled_text(entries: Iterable[RescheduledData]) -> str:
    lines = []
    for r in entries:
        approved = f" (approved by {r['approved_by']})" if r.get("approved_by") else ""
        lines.append(
            f"{_day(r.get('on'))}: {_day(r.get('from'))} → {_day(r.get('to'))}{approved}: "
            f"{r.get('reason', '')}"
        )
    return "\n".join(lines)


_TRUNCATED = "\n… (more on the {sheet} sheet)"


def copy_text(text: str, sheet: str) -> str:
    """A readable copy that fits in a cell; the full record is on its own sheet."""
    if len(escape(text)) <= CELL_LIMIT:
        return text
    suffix = _TRUNCATED.format(sheet=sheet)
    room = cut = CELL_LIMIT - len(suffix)
    while len(escape(text[:cut])) > room:  # escapes make the written text longer
        cut -= 64
    return text[:cut] + suffix


def action_copies(action: ActionData) -> dict[str, tuple[str, str]]:
    """The Actions sheet's readable copies of an action's lists: field -> (text, sheet)."""
    return {
        "measures": (copy_text(bullets(action.get("measures", ())), MEASURES), MEASURES),
        "evidence": (
            copy_text(bullets(map(evidence_line, action.get("evidence", ()))), EVIDENCE),
            EVIDENCE,
        ),
        "rescheduled": (
            copy_text(rescheduled_text(action.get("rescheduled", ())), RESCHEDULED),
            RESCHEDULED,
        ),
        "updates": (copy_text(updates_text(action.get("updates", ())), UPDATES), UPDATES),
    }


def same_copy(cell: str, expected: str) -> bool:
    def norm(text: str) -> str:
        return text.replace("\r\n", "\n").replace("\r", "\n").strip()

    return norm(cell) == norm(expected)
