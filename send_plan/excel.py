"""Excel in and out: a workbook colleagues can use at once, and trackers read back.

:func:`export_workbook` writes a plan as a workbook: an Actions sheet (one row per
action), one sheet per list (updates, deadline changes, measures, evidence,
areas, partners, accountable officers, board meetings, reviews) and a Plan
sheet of details. :func:`import_workbook` reads such a workbook back to the same
plan, or reads someone else's tracker through a :class:`ColumnMap`.

Problems in a workbook are recorded as :class:`Problem` values naming the sheet
and cell, never raised one at a time. Only a file that cannot be read as a
workbook at all, or a request that cannot be met (a missing sheet, column or
header row), raises :class:`~send_plan.errors.UsageError` (exit status 2).

openpyxl is imported in this module only, and only inside the functions that
need it; the command line imports this module lazily.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from send_plan.errors import UsageError
from send_plan.findings import Finding
from send_plan.loader import load_text
from send_plan.model import Action
from send_plan.render.labels import RAG_FILL
from send_plan.vocab import (
    NOT_A_STATUS,
    RAG_WORDS,
    STATUS_WORDS,
    ActionStatus,
    AreaKind,
    PlanKind,
    PlanStatus,
    Rag,
    nearest,
    rag_canonical,
    rag_key,
    status_key,
    suggest_value,
)
from send_plan.yamlout import dump, plan_data

if TYPE_CHECKING:
    from send_plan.model import Plan
    from send_plan.portfolio import Portfolio

# --------------------------------------------------------------------------- layout

ACTIONS = "Actions"
PLAN = "Plan"
AREAS = "Areas"
UPDATES = "Updates"
RESCHEDULED = "Rescheduled"
MEASURES = "Measures"
EVIDENCE = "Evidence"
PARTNERS = "Partners"
ACCOUNTABLE = "Accountable"
BOARD_MEETINGS = "Board meetings"
REVIEWS = "Reviews"

#: Sheets of a workbook written by export, in their order (Actions first).
SHEETS = (
    ACTIONS,
    PLAN,
    AREAS,
    UPDATES,
    RESCHEDULED,
    MEASURES,
    EVIDENCE,
    PARTNERS,
    ACCOUNTABLE,
    BOARD_MEETINGS,
    REVIEWS,
)

#: The Actions sheet: plan field -> column heading, in column order.
ACTION_COLUMNS: dict[str, str] = {
    "area": "Area",
    "area_title": "Area title",
    "id": "ID",
    "title": "Title",
    "lead": "Lead",
    "partner": "Partner",
    "delivery_plan": "Delivery plan",
    "start": "Start",
    "due": "Due",
    "original_due": "Original due",
    "status": "Status",
    "completed": "Completed",
    "withdrawn_reason": "Withdrawn reason",
    "rag": "RAG",
    "carried_from": "Carried from",
    "measures": "Measures",
    "evidence": "Evidence",
    "rescheduled": "Rescheduled",
    "updates": "Updates",
}

#: Columns of the Actions sheet that repeat what another sheet holds, for reading.
#: Import reads the other sheet and checks the copy agrees (or is blank).
COPY_COLUMNS = ("area_title", "measures", "evidence", "rescheduled", "updates")

#: Computed columns added by ``export --as-of``; any heading ending in the
#: marker is ignored on import.
COMPUTED_MARK = "(computed)"
COMPUTED_COLUMNS = {
    "state": f"State {COMPUTED_MARK}",
    "days_overdue": f"Days overdue {COMPUTED_MARK}",
    "late_start": f"Late start {COMPUTED_MARK}",
}

#: What a column mapping may name for a tracker's Actions sheet.
MAPPABLE = (
    "area",
    "area_title",
    "area_kind",
    "id",
    "title",
    "lead",
    "partner",
    "delivery_plan",
    "start",
    "due",
    "original_due",
    "status",
    "completed",
    "withdrawn_reason",
    "rag",
    "measures",
    "evidence",
    "carried_from",
    "updates",
)
#: Fields a tracker mapping must name a column for.
REQUIRED_COLUMNS = ("id", "lead", "due", "status")

#: The Plan sheet's rows: field -> label in column A.
PLAN_FIELDS: dict[str, str] = {
    "id": "Plan ID",
    "title": "Title",
    "local_area": "Local area",
    "kind": "Kind",
    "status": "Status",
    "approved": "Approved",
    "start": "Start",
    "end": "End",
    "successor": "Successor",
    "board": "Board",
}

#: Each list sheet: field -> heading. The first column names the action.
LIST_SHEETS: dict[str, dict[str, str]] = {
    UPDATES: {"action": "Action", "date": "Date", "rag": "RAG", "note": "Note"},
    RESCHEDULED: {
        "action": "Action",
        "on": "On",
        "from": "From",
        "to": "To",
        "reason": "Reason",
        "approved_by": "Approved by",
    },
    MEASURES: {"action": "Action", "text": "Measure"},
    EVIDENCE: {"action": "Action", "text": "Evidence"},
}
PLAN_LIST_SHEETS: dict[str, dict[str, str]] = {
    AREAS: {"id": "ID", "kind": "Kind", "title": "Title"},
    PARTNERS: {"id": "ID", "name": "Name"},
    ACCOUNTABLE: {"role": "Role", "partner": "Partner"},
    BOARD_MEETINGS: {"date": "Date"},
    REVIEWS: {"date": "Date", "by": "By", "rating": "Rating", "summary": "Summary"},
}

#: Key order of the plan format, for the YAML written by import.
PLAN_KEYS = (*PLAN_FIELDS, "board_meetings", "accountable")
#: The action's keys in the format's order, as the model declares them.
ACTION_KEYS = tuple(f.alias or name for name, f in Action.model_fields.items())

HEADER_SEARCH_ROWS = 30
DATE_FORMAT = "dd/mm/yyyy"
#: Excel keeps at most this many characters in a cell.
CELL_LIMIT = 32_767
#: An .xlsx is a zip; refuse one that would unpack to more than this.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024

#: Light fills for states, as in the Word documents; RAG cells use RAG_FILL.
STATE_FILL = {
    "complete": "C6EFCE",
    "carried-forward": "FFEB9C",
    "withdrawn": "D9D9D9",
    "overdue": "FFC7CE",
    "due-soon": "FFEB9C",
    "on-track": "C6EFCE",
}
#: RAG fills dark enough to need white text.
_DARK_FILLS = {"red"}
HEADER_FILL = "DDEBF7"
#: Column widths stop here (characters); longer text wraps.
MAX_WIDTH = 60
#: Points per line of text, and the most lines a row of the Actions sheet shows
#: (the list sheets show more; every line is in the cell either way).
LINE_HEIGHT = 15
MAX_ROW_LINES = 8
COMPUTED_FILL = "EDEDED"

# --------------------------------------------------------------------------- vocabularies

# --------------------------------------------------------------------------- problems


def column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def sheet_ref(title: str) -> str:
    """A sheet name as Excel writes it in a reference: quoted when it must be."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", title):
        return title
    return "'" + title.replace("'", "''") + "'"


@dataclass(frozen=True, slots=True)
class Place:
    """Where a value came from: a cell, or an option / mapping-file key."""

    sheet: str | None = None
    row: int = 0
    col: int = 0
    option: str | None = None

    def __str__(self) -> str:
        if self.sheet is not None:
            if not self.row:
                return sheet_ref(self.sheet)
            cell = f"{column_letter(self.col)}{self.row}" if self.col else f"{self.row}:{self.row}"
            return f"{sheet_ref(self.sheet)}!{cell}"
        return self.option or ""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth knowing) about a workbook, at one place."""

    message: str
    place: Place | None = None
    severity: str = "error"  # error | warning | note

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def line(self, name: str) -> str:
        """``FILE.xlsx:Sheet!A1: message`` (or ``FILE.xlsx: --option: message``)."""
        message = self.message.replace("\r", "\\r").replace("\n", "\\n")
        if self.severity != "error" and not message.startswith(self.severity):
            message = f"{self.severity}: {message}"
        if self.place is None:
            return f"{name}: {message}"
        if self.place.sheet is not None:
            return f"{name}:{self.place}: {message}"
        return f"{name}: {self.place}: {message}"


class _Bad(Exception):
    """A value that cannot be read; becomes a Problem at its cell."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --------------------------------------------------------------------------- text in cells

#: Excel writes characters XML cannot hold as _xHHHH_ (and a literal '_x' of that
#: shape as _x005F_xHHHH_). Import decodes them; export encodes the same way, so
#: text goes out and comes back exactly.
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_NEEDS_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_|\r")


def _escape(text: str) -> str:
    return _NEEDS_ESCAPE.sub(
        lambda m: "_x000D_" if m.group() == "\r" else "_x005F" + m.group(), text
    )


def _unescape(text: str) -> str:
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def _uk(day: date) -> str:
    return f"{day:%d/%m/%Y}"


# --------------------------------------------------------------------------- dates

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for name in names
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?")
_NUMERIC = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{2,4})")
_DAY_MONTH = re.compile(
    r"(?:(?P<wd>[a-z]+)\.?,?\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    r"(?P<m>[a-z]+)\.?,?\s+(?P<y>\d{2,4})"
)
_MONTH_DAY = re.compile(
    r"(?:(?P<wd>[a-z]+)\.?,?\s+)?(?P<m>[a-z]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{2,4})"
)
_MONTH_YEAR = re.compile(r"(?:end\s+of\s+|early\s+|mid\s+|late\s+)?([a-z]+)\.?,?\s+(\d{4})")
#: Any text a progress note may start with that reads as a date (for updates cells).
DATE_TEXT = (
    r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}"
)
#: Excel serial numbers of 1 January 1990 and 31 December 2099: a bare number in
#: this range in a date column is a date whose cell format was lost.
_SERIAL_RANGE = (32874, 73050)


def parse_date_text(text: str) -> date:
    """A date written as text the way UK trackers write them; raises _Bad if not.

    Accepted: 2019-01-31, 31/01/2019, 31/1/2019 (also with '.' or '-'),
    31 Jan 2019, 31 January 2019, 31st January 2019, Thursday 31 January 2019,
    January 31, 2019. Numbers are always day/month/year.
    """
    raw = text.strip()
    low = " ".join(raw.casefold().split())
    if m := _ISO.fullmatch(low):
        return _make(int(m[1]), int(m[2]), int(m[3]), raw)
    if m := _NUMERIC.fullmatch(low):
        day, month, year = int(m[1]), int(m[3]), m[4]
        if len(year) != 4:
            raise _Bad(
                f"'{raw}' has a {len(year)}-digit year; write the year in full "
                f"(e.g. {day:02d}/{month:02d}/20{year[-2:]:0>2})"
            )
        if month > 12 and day <= 12:
            raise _Bad(
                f"'{raw}' is not a date in day/month/year order; "
                f"did you mean {month:02d}/{day:02d}/{year}?"
            )
        return _make(int(year), month, day, raw)
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        if (m := pattern.fullmatch(low)) and m["m"] in _MONTHS:
            if len(m["y"]) != 4:
                raise _Bad(f"'{raw}' has a short year; write the year in full")
            found = _make(int(m["y"]), _MONTHS[m["m"]], int(m["d"]), raw)
            weekday = m["wd"]
            if weekday is not None:
                if weekday not in _WEEKDAYS:
                    break
                if _WEEKDAYS[weekday] != found.weekday():
                    raise _Bad(f"'{raw}': {_long(found)} was a {found:%A}")
            return found
    if (m := _MONTH_YEAR.fullmatch(low)) and m[1] in _MONTHS:
        raise _Bad(f"'{raw}' names a month, not a day: write the day too, e.g. 31/01/2019")
    raise _Bad(f"'{raw}' is not a date: write it as 31/01/2019 (day/month/year) or 2019-01-31")


def _make(year: int, month: int, day: int, raw: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _Bad(f"'{raw}' is not a real date") from None


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def read_date(value: Any) -> date | None:
    """A cell's value as a date (None when blank); raises _Bad when it is not one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise _Bad(f"{value!r} is not a date")
    if isinstance(value, (int, float)):
        low, high = _SERIAL_RANGE
        if low <= value <= high:
            from openpyxl.utils.datetime import from_excel

            result: date = from_excel(int(value)).date()
            return result
        raise _Bad(f"the number {value} is not a date: format the cell as a date (dd/mm/yyyy)")
    if isinstance(value, time):
        raise _Bad("the cell holds a time of day, not a date")
    if isinstance(value, str):
        return parse_date_text(_unescape(value))
    raise _Bad(f"{value!r} is not a date")


# --------------------------------------------------------------------------- values in cells


def read_text(value: Any) -> str | None:
    """A cell's value as text, exactly as written (None when the cell is empty)."""
    if value is None:
        return None
    if isinstance(value, str):
        return _unescape(value) if value else None
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


def _read_id(value: Any) -> str | None:
    """An ID, partner key or reference: spaces around it are never meant."""
    text = read_text(value)
    if text is None:
        return None
    return text.strip() or None


def _is_blank(value: Any) -> bool:
    """Nothing to read; in trackers a cell holding only spaces counts as empty too."""
    return value is None or (isinstance(value, str) and not value.strip())


def _is_empty(value: Any) -> bool:
    """Nothing at all: in export's layout a cell of spaces is text (a role of ' ')."""
    return value is None or value == ""


def read_status(value: Any, extra: Mapping[str, str]) -> str | None:
    text = read_text(value)
    if text is None or not text.strip():
        return None
    key = status_key(text)
    if key in extra:
        return extra[key]
    if key.replace(" ", "-") in {s.value for s in ActionStatus}:
        return key.replace(" ", "-")
    if key in STATUS_WORDS:
        return STATUS_WORDS[key]
    choices = ", ".join(s.value for s in ActionStatus)
    hint = NOT_A_STATUS.get(key)
    message = f"status '{text.strip()}' is not one I can read ({choices})"
    if hint:
        message += f": {hint}"
    else:
        guess = suggest_value(text, [s.value for s in ActionStatus])
        if guess:
            message += f": did you mean '{guess}'?"
    raise _Bad(message + "; or map it under 'statuses:' in a --columns file")


def read_rag(value: Any, extra: Mapping[str, str | None]) -> str | None:
    text = read_text(value)
    if text is None or not text.strip():
        return None
    key = rag_key(text)
    if key in extra:
        return extra[key]
    if key in RAG_WORDS:
        return RAG_WORDS[key]
    canonical = rag_canonical(text)
    if canonical is not None:
        return canonical
    choices = ", ".join(r.value for r in Rag)
    raise _Bad(
        f"RAG rating '{text.strip()}' is not one I can read ({choices}, or R/A/G and "
        "blends such as Amber/Green); map it under 'rags:' in a --columns file"
    )


def _read_vocabulary(value: Any, choices: Sequence[str], what: str) -> str | None:
    text = read_text(value)
    if text is None or not text.strip():
        return None
    key = re.sub(r"[\s_]+", "-", text.strip().casefold())
    if key in choices:
        return key
    message = f"{what} '{text.strip()}' is not one of {', '.join(choices)}"
    guess = suggest_value(text, list(choices))
    raise _Bad(message + (f": did you mean '{guess}'?" if guess else ""))


_BULLET = re.compile(r"^\s*(?:[•●◦▪‣∙*–—-]|\d{1,2}[.)])\s+")


def read_lines(value: Any) -> list[str]:
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
    value: Any, rags: Mapping[str, str | None], undated: date | None
) -> list[dict[str, Any]]:
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
    out: list[dict[str, Any]] = []
    for when, rag, lines in entries:
        note = "\n".join(lines).strip()
        dated = when if when is not None else undated
        if dated is None:
            raise _Bad(
                "this progress update has no date: start each entry with one "
                "(31/01/2019: ...), or give update_date in the --columns file"
            )
        if not note:
            raise _Bad(f"the update dated {_uk(dated)} has no text")
        update: dict[str, Any] = {"date": dated}
        if rag is not None:
            update["rag"] = rag
        update["note"] = note
        out.append(update)
    out.sort(key=lambda u: u["date"])
    return out


# --------------------------------------------------------------------------- readable copies


def bullets(items: Iterable[str]) -> str:
    return "\n".join(f"• {item}" for item in items)


def updates_text(updates: Iterable[Mapping[str, Any]]) -> str:
    return "\n".join(
        f"{_uk(u['date'])}{' (' + u['rag'] + ')' if u.get('rag') else ''}: {u['note']}"
        for u in updates
    )


def rescheduled_text(entries: Iterable[Mapping[str, Any]]) -> str:
    lines = []
    for r in entries:
        approved = f" (approved by {r['approved_by']})" if r.get("approved_by") else ""
        lines.append(f"{_uk(r['on'])}: {_uk(r['from'])} → {_uk(r['to'])}{approved}: {r['reason']}")
    return "\n".join(lines)


_TRUNCATED = "\n… (more on the {sheet} sheet)"


def copy_text(text: str, sheet: str) -> str:
    """A readable copy that fits in a cell; the full record is on its own sheet."""
    if len(_escape(text)) <= CELL_LIMIT:
        return text
    suffix = _TRUNCATED.format(sheet=sheet)
    room = cut = CELL_LIMIT - len(suffix)
    while len(_escape(text[:cut])) > room:  # escapes make the written text longer
        cut -= 64
    return text[:cut] + suffix


def _same_copy(cell: str, expected: str) -> bool:
    def norm(text: str) -> str:
        return text.replace("\r\n", "\n").replace("\r", "\n").strip()

    return norm(cell) == norm(expected)


# --------------------------------------------------------------------------- export


@dataclass
class _Styled:
    value: Any
    fill: str | None = None
    white: bool = False


def _rag_cell(rag: str | None) -> _Styled:
    return _Styled(rag, RAG_FILL[rag] if rag else None, rag in _DARK_FILLS)


class _SheetWriter:
    """One sheet: a bold frozen header row with filters, widths and heights that fit."""

    def __init__(
        self, ws: Any, headings: Sequence[str], *, unwrapped: Iterable[str] = (), max_lines: int = 0
    ) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.ws = ws
        self.headings = list(headings)
        self.unwrapped = {self.headings.index(h) + 1 for h in unwrapped}
        self.max_lines = max_lines or MAX_ROW_LINES
        self.widths = [len(h) + 4 for h in headings]  # room for the filter button
        self.texts: dict[int, list[tuple[int, str]]] = {}
        self.rows = 1
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")
        for col, heading in enumerate(headings, start=1):
            cell = ws.cell(row=1, column=col, value=heading)
            is_computed = heading.endswith(COMPUTED_MARK)
            cell.font = Font(bold=True, italic=is_computed)
            fill = COMPUTED_FILL if is_computed else HEADER_FILL
            cell.fill = PatternFill(fill_type="solid", fgColor=fill)
            cell.alignment = Alignment(vertical="top", wrap_text=True)

    def row(self, values: Sequence[Any], what: str) -> None:
        from openpyxl.styles import Font, PatternFill

        self.rows += 1
        for col, value in enumerate(values, start=1):
            style = value if isinstance(value, _Styled) else None
            raw = style.value if style is not None else value
            if raw is None or raw == "":
                continue
            cell = self.ws.cell(row=self.rows, column=col)
            longest = len(str(raw))
            cell.alignment = self.top
            if isinstance(raw, str):
                escaped = _escape(raw)
                if len(escaped) > CELL_LIMIT:
                    raise UsageError(
                        f"{what}: the {self.headings[col - 1]!r} text is {len(raw):,} characters; "
                        f"an Excel cell holds at most {CELL_LIMIT:,}"
                    )
                cell.value = escaped
                cell.data_type = "s"  # never a formula or an error code, whatever it starts with
                if raw[:1] in ("=", "+", "-", "@"):
                    cell.quotePrefix = True  # stays text when someone edits the cell
                longest = max(len(line) for line in raw.split("\n"))
                if col not in self.unwrapped and ("\n" in raw or longest > MAX_WIDTH - 2):
                    cell.alignment = self.wrap
                    self.texts.setdefault(self.rows, []).append((col, raw))
            elif isinstance(raw, date):
                cell.value = raw
                cell.number_format = DATE_FORMAT
                longest = 10
            else:
                cell.value = raw
            if style is not None and style.fill:
                cell.fill = PatternFill(fill_type="solid", fgColor=style.fill)
                if style.white:
                    cell.font = Font(color="FFFFFF")
            self.widths[col - 1] = max(self.widths[col - 1], min(longest + 2, MAX_WIDTH))

    def _heights(self) -> None:
        """Rows of wrapped text get a height that shows it (up to a limit); spreadsheet
        programs do not all work it out when they open a file."""
        for row, texts in self.texts.items():
            lines = 1
            for col, text in texts:
                width = max(8, self.widths[col - 1]) - 1
                lines = max(lines, sum(-(-max(len(line), 1) // width) for line in text.split("\n")))
            if lines > 1:
                self.ws.row_dimensions[row].height = LINE_HEIGHT * min(lines, self.max_lines)

    def finish(self, *, choices: Mapping[str, Sequence[str]] | None = None) -> None:
        from openpyxl.worksheet.datavalidation import DataValidation

        ws = self.ws
        last = column_letter(len(self.headings))
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{last}{max(self.rows, 2)}"
        ws.print_title_rows = "1:1"  # printed: the header row on every page,
        ws.page_setup.orientation = "landscape"  # across, and as wide as the page
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        for col, width in enumerate(self.widths, start=1):
            ws.column_dimensions[column_letter(col)].width = max(8, width)
        self._heights()
        for heading, words in (choices or {}).items():
            letter = column_letter(self.headings.index(heading) + 1)
            rule = DataValidation(
                type="list",
                formula1='"' + ",".join(words) + '"',
                allow_blank=True,
                errorStyle="warning",
                error="Not one of the usual values; import maps common spellings.",
                errorTitle=heading,
            )
            rule.add(f"{letter}2:{letter}{max(self.rows, 2) + 500}")
            ws.add_data_validation(rule)
        for heading in self.headings:
            if heading in ("RAG", "Rating"):
                _rag_formatting(ws, column_letter(self.headings.index(heading) + 1), self.rows)


def _rag_formatting(ws: Any, col: str, rows: int) -> None:
    """Colour RAG cells by their value, so that edits recolour them too."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font, PatternFill

    for rag, fill in RAG_FILL.items():
        if rag == "unrated":
            continue
        ws.conditional_formatting.add(
            f"{col}2:{col}{max(rows, 2) + 500}",
            CellIsRule(
                operator="equal",
                formula=[f'"{rag}"'],
                fill=PatternFill(fill_type="solid", fgColor=fill, bgColor=fill),
                font=Font(color="FFFFFF" if rag in _DARK_FILLS else "000000"),
            ),
        )


def export_workbook(
    plan: Plan, *, as_of: date | None = None, portfolio: Portfolio | None = None
) -> bytes:
    """The plan as an .xlsx workbook (bytes).

    With ``as_of``, the Actions sheet also shows each action's state, days overdue
    and late start on that date (computed with ``portfolio`` for carried-forward
    actions); those columns are marked '(computed)' and ignored on import.
    """
    from openpyxl import Workbook

    data = plan_data(plan)
    tracked: dict[str, Any] = {}
    if as_of is not None:
        from send_plan.portfolio import Portfolio
        from send_plan.tracking import track_plan

        summary = track_plan(portfolio if portfolio is not None else Portfolio([]), plan, as_of)
        tracked = {t.action.id: t for t in summary.actions}

    wb = Workbook()
    wb.properties.creator = "send-plan"
    wb.properties.title = data["plan"].get("title") or data["plan"]["id"]
    sheets = {ACTIONS: wb.active}
    sheets[ACTIONS].title = ACTIONS
    for title in SHEETS[1:]:
        sheets[title] = wb.create_sheet(title)

    _export_actions(sheets[ACTIONS], data, tracked)
    _export_plan(sheets[PLAN], data["plan"])
    _export_lists(sheets, data)

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _export_actions(ws: Any, data: Mapping[str, Any], tracked: Mapping[str, Any]) -> None:
    headings = list(ACTION_COLUMNS.values())
    if tracked:
        at = headings.index(ACTION_COLUMNS["rag"]) + 1
        headings[at:at] = list(COMPUTED_COLUMNS.values())
    writer = _SheetWriter(ws, headings, unwrapped=[ACTION_COLUMNS["area_title"]])
    for area in data["areas"]:
        for action in area.get("actions", ()):
            values: dict[str, Any] = {
                "area": area["id"],
                "area_title": area.get("title"),
                **{f: action.get(f) for f in ACTION_KEYS if f not in _LIST_FIELDS},
                "rag": _rag_cell(action.get("rag")),
                "measures": copy_text(bullets(action.get("measures", ())), MEASURES),
                "evidence": copy_text(bullets(action.get("evidence", ())), EVIDENCE),
                "rescheduled": copy_text(
                    rescheduled_text(action.get("rescheduled", ())), RESCHEDULED
                ),
                "updates": copy_text(updates_text(action.get("updates", ())), UPDATES),
            }
            row = [values[f] for f in ACTION_COLUMNS]
            if tracked:
                t = tracked[action["id"]]
                computed = [
                    _Styled(t.state.value, STATE_FILL.get(t.state.value)),
                    t.days_overdue,
                    "yes" if t.late_start else "no",
                ]
                at = list(ACTION_COLUMNS).index("rag") + 1
                row[at:at] = computed
            writer.row(row, f"action {action['id']}")
    writer.finish(
        choices={
            ACTION_COLUMNS["status"]: [s.value for s in ActionStatus],
            ACTION_COLUMNS["rag"]: [r.value for r in Rag],
        }
    )


_LIST_FIELDS = ("measures", "evidence", "rescheduled", "updates")


def _export_plan(ws: Any, info: Mapping[str, Any]) -> None:
    writer = _SheetWriter(ws, ["Field", "Value"])
    for key, label in PLAN_FIELDS.items():
        writer.row([label, info.get(key)], f"plan {key}")
    writer.finish()


def _export_lists(sheets: Mapping[str, Any], data: Mapping[str, Any]) -> None:
    info = data["plan"]
    rows: dict[str, list[list[Any]]] = {title: [] for title in (*LIST_SHEETS, *PLAN_LIST_SHEETS)}
    for area in data["areas"]:
        rows[AREAS].append([area["id"], area["kind"], area.get("title")])
        for action in area.get("actions", ()):
            ident = action["id"]
            for u in action.get("updates", ()):
                rows[UPDATES].append([ident, u["date"], _rag_cell(u.get("rag")), u["note"]])
            for r in action.get("rescheduled", ()):
                rows[RESCHEDULED].append(
                    [ident, r["on"], r["from"], r["to"], r["reason"], r.get("approved_by")]
                )
            rows[MEASURES].extend([ident, m] for m in action.get("measures", ()))
            rows[EVIDENCE].extend([ident, e] for e in action.get("evidence", ()))
    rows[PARTNERS] = [[k, v] for k, v in data.get("partners", {}).items()]
    rows[ACCOUNTABLE] = [[a["role"], a.get("partner")] for a in info.get("accountable", ())]
    rows[BOARD_MEETINGS] = [[d] for d in info.get("board_meetings", ())]
    rows[REVIEWS] = [
        [r["date"], r["by"], _rag_cell(r["rating"]), r.get("summary")]
        for r in data.get("reviews", ())
    ]
    choices: dict[str, dict[str, list[str]]] = {
        AREAS: {"Kind": [k.value for k in AreaKind]},
        UPDATES: {"RAG": [r.value for r in Rag]},
        REVIEWS: {"Rating": [r.value for r in Rag]},
    }
    for title, columns in (*LIST_SHEETS.items(), *PLAN_LIST_SHEETS.items()):
        writer = _SheetWriter(sheets[title], list(columns.values()), max_lines=27)
        for k, row in enumerate(rows[title], start=2):
            writer.row(row, f"{title} sheet row {k}")
        writer.finish(choices=choices.get(title))


# --------------------------------------------------------------------------- mapping file


@dataclass(frozen=True)
class ColumnMap:
    """How to read a tracker: plan field -> column heading, and extra vocabulary.

    Read from a ``--columns`` YAML file by :func:`load_mapping`; see docs/excel.md.
    """

    columns: Mapping[str, str] = field(default_factory=dict)
    statuses: Mapping[str, str] = field(default_factory=dict)
    rags: Mapping[str, str | None] = field(default_factory=dict)
    sheet: str | None = None
    area: Mapping[str, str] = field(default_factory=dict)
    plan: Mapping[str, Any] = field(default_factory=dict)
    partners: Mapping[str, str] = field(default_factory=dict)
    update_date: date | None = None
    name: str = "the column mapping"


_MAPPING_KEYS = ("sheet", "columns", "statuses", "rags", "area", "plan", "partners", "update_date")


def load_mapping(raw: bytes, name: str) -> ColumnMap:
    """Read a column-mapping file; any problem is a UsageError naming line and column."""
    loaded = load_text(name, raw)
    errors = [f for f in loaded.findings if f.is_error]
    if loaded.data is None or errors:
        first = errors[0] if errors else None
        if first is None or first.code == "E006":
            raise UsageError(f"{name}: a column mapping must be a YAML mapping with 'columns:'")
        raise UsageError(f"{name}:{first.line}:{first.column}: {first.message}")
    data = loaded.data

    def fail(loc: Sequence[str | int], message: str, *, key: bool = False) -> UsageError:
        line, column = loaded.source.position(loc, key=key)
        return UsageError(f"{name}:{line}:{column}: {message}")

    for key in data:
        if key not in _MAPPING_KEYS:
            guess = nearest(key, _MAPPING_KEYS)
            hint = (
                f"did you mean '{guess}'?"
                if guess
                else f"valid keys are {', '.join(_MAPPING_KEYS)}"
            )
            raise fail((key,), f"unknown key '{key}': {hint}", key=True)

    def mapping(key: str) -> dict[str, Any]:
        value = data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise fail((key,), f"'{key}' must be a mapping of keys to values")
        for k, v in value.items():
            if v is not None and not isinstance(v, str):
                raise fail((key, k), f"'{key}.{k}' must be a single value, not a list or mapping")
        return dict(value)

    columns = mapping("columns")
    if not columns:
        raise fail((), "the mapping needs 'columns:' (plan field: the tracker's column heading)")
    for fld, heading in columns.items():
        if fld == "rescheduled":
            raise fail(
                ("columns", fld),
                "deadline changes cannot be read from one column: map original_due and due "
                "(the first and the current deadline) instead",
                key=True,
            )
        if fld not in MAPPABLE:
            guess = nearest(fld, MAPPABLE)
            hint = f"did you mean '{guess}'?" if guess else f"fields are {', '.join(MAPPABLE)}"
            raise fail(
                ("columns", fld), f"'{fld}' is not a field a column can fill: {hint}", key=True
            )
        if not heading or not heading.strip():
            raise fail(("columns", fld), f"give the column heading for '{fld}'")
    statuses: dict[str, str] = {}
    for word, status in mapping("statuses").items():
        if status not in {s.value for s in ActionStatus}:
            raise fail(
                ("statuses", word),
                f"'{status}' is not a status ({', '.join(s.value for s in ActionStatus)})",
            )
        statuses[status_key(word)] = status
    rags: dict[str, str | None] = {}
    for word, rag in mapping("rags").items():
        if rag is not None and rag not in {r.value for r in Rag}:
            raise fail(
                ("rags", word),
                f"'{rag}' is not a RAG rating ({', '.join(r.value for r in Rag)}, "
                "or ~ for no rating)",
            )
        rags[rag_key(word)] = rag
    area = mapping("area")
    for k in area:
        if k not in ("id", "kind", "title"):
            raise fail(("area", k), f"unknown key '{k}' in area: use id, kind and title", key=True)
    if "kind" in area and area["kind"] not in {k.value for k in AreaKind}:
        raise fail(
            ("area", "kind"),
            f"'{area['kind']}' is not an area kind ({', '.join(k.value for k in AreaKind)})",
        )
    plan = mapping("plan")
    for k in plan:
        if k not in PLAN_FIELDS:
            guess = nearest(k, PLAN_FIELDS)
            raise fail(
                ("plan", k),
                f"unknown key '{k}' in plan" + (f": did you mean '{guess}'?" if guess else ""),
                key=True,
            )
    sheet = data.get("sheet")
    if sheet is not None and not isinstance(sheet, str):
        raise fail(("sheet",), "'sheet' must be the name of a sheet")
    update_date = None
    if data.get("update_date") is not None:
        try:
            update_date = read_date(data["update_date"])
        except _Bad as bad:
            raise fail(("update_date",), bad.message) from None
    return ColumnMap(
        columns=dict(columns),
        statuses=statuses,
        rags=rags,
        sheet=sheet,
        area=dict(area),
        plan=dict(plan),
        partners=mapping("partners"),
        update_date=update_date,
        name=name,
    )


# --------------------------------------------------------------------------- reading workbooks


class _Book:
    """An opened workbook; formula results come from a second load, made when needed."""

    def __init__(self, data: bytes, name: str) -> None:
        _check_container(data, name)
        self.data = data
        self.name = name
        self.wb = _load(data, name, values=False)
        self._values: Any = None

    def sheet_names(self) -> list[str]:
        return list(self.wb.sheetnames)

    def find(self, title: str) -> _Sheet | None:
        """The sheet named ``title`` (case and surrounding spaces ignored)."""
        wanted = title.strip().casefold()
        for exact in (True, False):
            for actual in self.wb.sheetnames:
                if actual == title if exact else actual.strip().casefold() == wanted:
                    return _Sheet(self, self.wb[actual])
        return None

    def sheets(self) -> list[_Sheet]:
        return [_Sheet(self, ws) for ws in self.wb.worksheets]

    def cached(self, title: str, row: int, col: int) -> Any:
        if self._values is None:
            self._values = _load(self.data, self.name, values=True)
        return self._values[title].cell(row=row, column=col).value


def _check_container(data: bytes, name: str) -> None:
    """Refuse, with a clear message, what is not an .xlsx workbook openpyxl can read."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # an OLE compound file
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise UsageError(
                f"{name}: the workbook is password-protected; open it in Excel, remove the "
                "password (File > Info > Protect Workbook > Encrypt with Password) and save it"
            )
        raise UsageError(
            f"{name}: this is an old Excel 97-2003 workbook (.xls); open it in Excel and "
            "save it as an Excel Workbook (.xlsx)"
        )
    if not data.startswith(b"PK"):
        raise UsageError(
            f"{name}: not an Excel workbook (.xlsx); if it is a CSV or text file, open it "
            "in Excel and save it as an Excel Workbook (.xlsx)"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            unpacked = sum(info.file_size for info in zf.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise UsageError(
                    f"{name}: the workbook unpacks to {unpacked:,} bytes, more than the "
                    f"{MAX_UNPACKED_BYTES:,} import reads"
                )
            damaged = zf.testzip()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        OSError,
        ValueError,
        EOFError,
    ) as exc:
        raise UsageError(f"{name}: the workbook is corrupt and cannot be read ({exc})") from None
    if damaged is not None:
        raise UsageError(
            f"{name}: the workbook is corrupt and cannot be read (damaged part {damaged})"
        )
    if "xl/workbook.xml" not in names:
        what = "an OpenDocument spreadsheet" if "content.xml" in names else "a zip file"
        raise UsageError(
            f"{name}: not an Excel workbook (.xlsx) but {what}; save it from your "
            "spreadsheet program as an Excel Workbook (.xlsx)"
        )


def _load(data: bytes, name: str, *, values: bool) -> Any:
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "extension not supported" and the like
            return load_workbook(
                io.BytesIO(data), data_only=values, keep_links=False, rich_text=False
            )
    except Exception as exc:  # openpyxl raises many kinds of exception on a damaged file
        raise UsageError(
            f"{name}: the workbook is corrupt and cannot be read ({type(exc).__name__}: {exc})"
        ) from None


class _Sheet:
    """One worksheet's filled cells, and the merged ranges that start in it."""

    def __init__(self, book: _Book, ws: Any) -> None:
        self.book = book
        self.title: str = ws.title
        # Only the cells that hold something. Going through ws.cell() or
        # ws.iter_rows() would create every cell of a sheet formatted out to XFD.
        self.cells: dict[tuple[int, int], Any] = {
            key: cell for key, cell in ws._cells.items() if cell.value is not None
        }
        self.by_row: dict[int, dict[int, Any]] = {}
        for (r, c), cell in sorted(self.cells.items()):
            self.by_row.setdefault(r, {})[c] = cell.value
        self.max_row = max(self.by_row, default=0)
        self.max_col = max((c for _, c in self.cells), default=0)
        self.merged: dict[tuple[int, int], int] = {
            (rng.min_row, rng.min_col): rng.max_col - rng.min_col + 1
            for rng in ws.merged_cells.ranges
        }

    def peek(self, row: int, col: int) -> Any:
        """The cell's stored value, unchecked (a formula is its text)."""
        cell = self.cells.get((row, col))
        return None if cell is None else cell.value

    def raw(self, row: int, col: int) -> Any:
        """The value a person sees: a formula's saved result; raises _Bad for an error."""
        cell = self.cells.get((row, col))
        if cell is None:
            return None
        value = cell.value
        if cell.data_type == "e":
            raise _Bad(f"the cell shows an Excel error ({value}); correct it or clear it")
        if cell.data_type == "f" or not isinstance(value, (str, int, float, date, time)):
            result = self.book.cached(self.title, row, col)
            if result is None:
                formula = str(getattr(value, "text", value))
                raise _Bad(
                    f"the cell holds a formula ({formula[:40]}) whose result was never saved: "
                    "open the workbook in Excel and save it, or type the value"
                )
            if isinstance(result, str) and result in _EXCEL_ERRORS:
                raise _Bad(f"the cell's formula gives an Excel error ({result}); correct it")
            value = result
        return value

    def safe(self, row: int, col: int) -> Any:
        try:
            return self.raw(row, col)
        except _Bad:
            return None

    def row_values(self, row: int) -> dict[int, Any]:
        """The stored values of one row's filled cells, by column."""
        return self.by_row.get(row, {})


_EXCEL_ERRORS = frozenset(
    ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA")
)


def _norm_heading(value: Any) -> str:
    text = read_text(value) or ""
    return " ".join(text.replace("_", " ").split()).casefold()


@dataclass(frozen=True)
class _Header:
    sheet: _Sheet
    row: int
    cols: dict[str, int]  # field -> column
    ignored: tuple[tuple[int, str], ...]  # headings of columns not read

    def heading(self, fld: str) -> str:
        return read_text(self.sheet.safe(self.row, self.cols[fld])) or fld


class _NoHeader(Exception):
    def __init__(self, sheet: _Sheet, best_row: int, found: dict[str, int]) -> None:
        super().__init__(sheet.title)
        self.sheet = sheet
        self.best_row = best_row
        self.found = found


def _find_header(
    sheet: _Sheet,
    wanted: Mapping[str, str],
    *,
    optional: Iterable[str] = (),
    quiet: Iterable[str] = (),
) -> _Header:
    """The first row (of the first 30) holding every required heading of ``wanted``.

    Headings are compared with case folded and runs of spaces, line breaks and
    underscores alike. ``quiet`` headings (and computed ones) are not reported
    as ignored columns.
    """
    optional = set(optional)
    targets = {f: _norm_heading(h) for f, h in wanted.items()}
    required = {f for f in targets if f not in optional}
    not_reported = {_norm_heading(h) for h in quiet}
    best_row, best_found = 0, dict[str, int]()
    for row in range(1, min(sheet.max_row, HEADER_SEARCH_ROWS) + 1):
        values = sorted(sheet.row_values(row).items())
        by_heading: dict[str, list[int]] = {}
        for col, value in values:
            heading = _norm_heading(value)
            if heading:
                by_heading.setdefault(heading, []).append(col)
        found: dict[str, int] = {}
        for f, target in targets.items():
            cols = by_heading.get(target, [])
            if len(cols) > 1:
                refs = " and ".join(f"{column_letter(c)}{row}" for c in cols)
                raise UsageError(
                    f"{sheet_ref(sheet.title)}!{column_letter(cols[0])}{row}: two columns are "
                    f"headed '{wanted[f]}' ({refs}); rename one so import knows which to read"
                )
            if cols:
                found[f] = cols[0]
        if required <= set(found):
            used = set(found.values())
            ignored = tuple(
                (col, read_text(value) or "")
                for col, value in values
                if col not in used
                and (heading := _norm_heading(value))
                and not heading.endswith(COMPUTED_MARK)
                and heading not in not_reported
            )
            return _Header(sheet, row, found, ignored)
        if len(found.keys() & required) > len(best_found.keys() & required):
            best_row, best_found = row, found
    raise _NoHeader(sheet, best_row, best_found)


def _header_error(
    err: _NoHeader, wanted: Mapping[str, str], optional: Iterable[str] = ()
) -> UsageError:
    sheet = err.sheet
    required = [f for f in wanted if f not in set(optional)]
    missing = [f for f in required if f not in err.found]
    if err.best_row and len(err.found) >= max(2, len(required) // 2):
        names = ", ".join(f"'{wanted[f]}' (for {f})" for f in missing)
        plural = "s" if len(missing) > 1 else ""
        return UsageError(
            f"{sheet_ref(sheet.title)}!A{err.best_row}: the header row has no column{plural} "
            f"{names}; add it, or map the field to another heading with --columns"
        )
    looked = ", ".join(f"'{wanted[f]}'" for f in required)
    return UsageError(
        f"{sheet_ref(sheet.title)}: no header row found in the first {HEADER_SEARCH_ROWS} rows: "
        f"looked for a row with the headings {looked}"
    )


# --------------------------------------------------------------------------- import


@dataclass(frozen=True)
class ImportResult:
    """What import read: the plan file's text when everything read and validated."""

    text: str | None
    plan_id: str | None
    problems: tuple[Problem, ...]
    notes: tuple[Problem, ...]
    areas: int = 0
    actions: int = 0

    @property
    def ok(self) -> bool:
        return self.text is not None


Loc = tuple[str | int, ...]

#: The plan details the command line may give, with the option that gives each.
PLAN_OPTIONS = {
    "id": "--plan-id",
    "title": "--title",
    "local_area": "--local-area",
    "kind": "--kind",
    "start": "--start",
    "end": "--end",
}


def import_workbook(
    data: bytes,
    *,
    name: str,
    sheet: str | None = None,
    mapping: ColumnMap | None = None,
    plan_details: Mapping[str, Any] | None = None,
    output_name: str = "<imported plan>",
    today: date | None = None,
) -> ImportResult:
    """Read a workbook written by export, or a tracker through ``mapping``.

    ``plan_details`` (keys of :data:`PLAN_OPTIONS`; dates as dates) override the
    Plan sheet's values, and give the details a tracker has no sheet for.
    Raises UsageError for a file that is not a readable workbook, a missing sheet
    or column, or a header row that cannot be found; every other problem is in
    the result with the sheet and cell it concerns, and then there is no text.
    """
    book = _Book(data, name)
    reader = _Reader(book, mapping or ColumnMap(), dict(plan_details or {}))
    plan_sheet = book.find(PLAN)
    if plan_sheet is not None and _is_plan_sheet(plan_sheet):
        result = reader.read_export(sheet)
        source = name
    else:
        result = reader.read_tracker(sheet)
        source = f"{name}, sheet '{reader.actions_sheet}'"
        if mapping is not None:
            source += f", columns mapped by {mapping.name}"
    header = f"Imported from {source}\nby send-plan import" + (
        f" on {today.isoformat()}." if today else "."
    )
    header += "\nFrom now on this file is the plan's record: edit it, not the workbook."
    text = dump(result, header)
    reader.validate(text, output_name)
    problems = tuple(p for p in reader.problems if p.is_error)
    notes = (*reader.notes, *(p for p in reader.problems if not p.is_error))
    areas = result["areas"]
    return ImportResult(
        None if problems else text,
        result["plan"].get("id"),
        problems,
        notes,
        len(areas),
        sum(len(a.get("actions", ())) for a in areas),
    )


def _is_plan_sheet(sheet: _Sheet) -> bool:
    return _norm_heading(sheet.safe(1, 1)) == "field" and _norm_heading(sheet.safe(1, 2)) == "value"


@dataclass
class _Row:
    """One row read from a table: its values and the cell each came from."""

    values: dict[str, Any]
    places: dict[str, Place]
    place: Place  # the row's first (key) cell


@dataclass
class _ActionIn:
    """One action read from its row; ``places`` are relative to the action."""

    area_id: str | None
    action: dict[str, Any]
    place: Place
    places: dict[Loc, Place]
    area_fields: dict[str, tuple[Any, Place]]


@dataclass
class _AreaIn:
    area: dict[str, Any]
    place: Place | None
    places: dict[str, Place]
    actions: list[_ActionIn] = field(default_factory=list)


class _Reader:
    """Reads one workbook into plan data, recording problems and where each value came from."""

    def __init__(self, book: _Book, mapping: ColumnMap, options: dict[str, Any]) -> None:
        self.book = book
        self.mapping = mapping
        self.options = {k: v for k, v in options.items() if v is not None}
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []
        self.places: dict[Loc, Place] = {}
        self.bad_rows: set[tuple[str, int]] = set()
        self.actions_sheet = ACTIONS

    # ---------------------------------------------------------------- helpers

    def bad(self, place: Place, message: str) -> None:
        self.problems.append(Problem(message, place))
        if place.sheet is not None:
            self.bad_rows.add((place.sheet, place.row))

    def note(self, message: str, place: Place | None = None) -> None:
        self.notes.append(Problem(message, place, "note"))

    def read_row(
        self, header: _Header, row: int, readers: Mapping[str, Callable[[Any], Any]]
    ) -> _Row:
        """Every column of ``header`` on ``row`` through its reader (text by default)."""
        sheet = header.sheet
        values: dict[str, Any] = {}
        places: dict[str, Place] = {}
        for f, col in header.cols.items():
            place = Place(sheet.title, row, col)
            try:
                read: Callable[[Any], Any] = readers.get(f, read_text)
                value = read(sheet.raw(row, col))
            except _Bad as bad:
                self.bad(place, bad.message)
                continue
            if value is not None and value != []:
                values[f] = value
                places[f] = place
        first = min(header.cols.values())
        return _Row(values, places, Place(sheet.title, row, first))

    def need_sheet(self, title: str) -> _Sheet:
        found = self.book.find(title)
        if found is None:
            raise UsageError(
                f"{self.book.name}: no sheet '{title}': a workbook written by send-plan export "
                f"has the sheets {', '.join(SHEETS)}; put it back (its header row alone will "
                "do when it has no rows)"
            )
        return found

    def table(
        self, title: str, readers: Mapping[str, Callable[[Any], Any]] | None = None
    ) -> list[_Row]:
        """The non-blank rows of one of export's list sheets."""
        columns = LIST_SHEETS.get(title) or PLAN_LIST_SHEETS[title]
        sheet = self.need_sheet(title)
        try:
            header = _find_header(sheet, columns)
        except _NoHeader as err:
            raise _header_error(err, columns) from None
        self.report_ignored(header)
        rows = []
        for r in range(header.row + 1, sheet.max_row + 1):
            if all(_is_empty(sheet.peek(r, c)) for c in header.cols.values()):
                continue
            rows.append(self.read_row(header, r, readers or {}))
        return rows

    def report_ignored(self, header: _Header) -> None:
        if header.ignored:
            listed = ", ".join(f"'{h}' ({column_letter(c)})" for c, h in header.ignored)
            self.note(f"columns not imported: {listed}", Place(header.sheet.title, header.row, 0))

    def no_sheet(self, title: str) -> UsageError:
        sheets = ", ".join(f"'{s}'" for s in self.book.sheet_names())
        return UsageError(f"{self.book.name}: no sheet '{title}' (sheets: {sheets})")

    def read_rag(self, value: Any) -> str | None:
        return read_rag(value, self.mapping.rags)

    def read_status(self, value: Any) -> str | None:
        return read_status(value, self.mapping.statuses)

    def read_partner(self, value: Any) -> str | None:
        """A partner's ID, or its name as the mapping file's partners list gives it."""
        ident = _read_id(value)
        if ident is None or ident in self.mapping.partners:
            return ident
        by_name = {n.strip().casefold(): k for k, n in self.mapping.partners.items()}
        return by_name.get(ident.casefold(), ident)

    # ---------------------------------------------------------------- export's layout

    def read_export(self, sheet: str | None) -> dict[str, Any]:
        info = self.read_plan_sheet(self.need_sheet(PLAN))
        partners = self.read_partners()
        accountable = self.read_accountable()
        meetings = self.read_board_meetings()
        if meetings:
            info["board_meetings"] = meetings
        if accountable:
            info["accountable"] = accountable
        reviews = self.read_reviews()
        areas = self.read_areas()
        name = sheet or self.mapping.sheet or ACTIONS
        actions_sheet = self.book.find(name)
        if actions_sheet is None:
            raise self.no_sheet(name)
        wanted = {**ACTION_COLUMNS, **self.mapping.columns}
        try:
            header = _find_header(
                actions_sheet, wanted, optional=COPY_COLUMNS, quiet=COMPUTED_COLUMNS.values()
            )
        except _NoHeader as err:
            raise _header_error(err, wanted, COPY_COLUMNS) from None
        rows = self.read_actions(header, tracker=False)
        self.attach_lists(rows)
        by_id = {a.area["id"]: a for a in areas}
        for row in rows:
            area = by_id.get(row.area_id) if row.area_id is not None else None
            if area is None:
                if row.area_id is not None:
                    known = ", ".join(by_id) or "none"
                    self.bad(
                        row.places[("area",)],
                        f"area '{row.area_id}' is not on the {AREAS} sheet (areas: {known})",
                    )
                else:
                    self.bad(
                        Place(header.sheet.title, row.place.row, header.cols["area"]),
                        "this action names no area: give the area's ID",
                    )
                continue
            self.check_copies(header, row, area.area)
            area.actions.append(row)
        return self.assemble(info, partners, reviews, areas)

    def read_plan_sheet(self, sheet: _Sheet) -> dict[str, Any]:
        labels = {_norm_heading(label): f for f, label in PLAN_FIELDS.items()}
        labels.update({_norm_heading(f): f for f in PLAN_FIELDS})
        readers = self.plan_readers()
        info: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for row in range(2, sheet.max_row + 1):
            label_value = sheet.safe(row, 1)
            label = _norm_heading(label_value)
            if not label:
                if not _is_empty(sheet.peek(row, 2)):
                    self.bad(Place(sheet.title, row, 1), "a value with no field name in column A")
                continue
            fld = labels.get(label)
            if fld is None:
                text = read_text(label_value) or ""
                guess = nearest(text, list(PLAN_FIELDS.values()))
                self.bad(
                    Place(sheet.title, row, 1),
                    f"'{text}' is not a plan detail"
                    + (f": did you mean '{guess}'?" if guess else "")
                    + f" (details: {', '.join(PLAN_FIELDS.values())})",
                )
                continue
            if fld in seen:
                self.bad(
                    Place(sheet.title, row, 1),
                    f"'{PLAN_FIELDS[fld]}' is given twice (first on row {seen[fld]})",
                )
                continue
            seen[fld] = row
            place = Place(sheet.title, row, 2)
            try:
                read: Callable[[Any], Any] = readers.get(fld, read_text)
                value = read(sheet.raw(row, 2))
            except _Bad as bad:
                self.bad(place, bad.message)
                continue
            if value is not None:
                info[fld] = value
                self.places[("plan", fld)] = place
        self.apply_options(info)
        return info

    @staticmethod
    def plan_readers() -> dict[str, Callable[[Any], Any]]:
        return {
            "id": _read_id,
            "successor": _read_id,
            "kind": lambda v: _read_vocabulary(v, [k.value for k in PlanKind], "plan kind"),
            "status": lambda v: _read_vocabulary(v, [s.value for s in PlanStatus], "plan status"),
            "approved": read_date,
            "start": read_date,
            "end": read_date,
        }

    def apply_options(self, info: dict[str, Any]) -> None:
        for fld, option in PLAN_OPTIONS.items():
            if fld in self.options:
                info[fld] = self.options[fld]
                self.places[("plan", fld)] = Place(option=option)

    def read_partners(self) -> dict[str, str]:
        partners: dict[str, str] = {}
        first: dict[str, int] = {}
        for row in self.table(PARTNERS, {"id": _read_id}):
            ident, name = row.values.get("id"), row.values.get("name")
            if ident is None:
                self.bad(row.place, "the partner has no ID")
            elif ident in first:
                self.bad(
                    row.place, f"partner '{ident}' is listed twice (first on row {first[ident]})"
                )
            elif name is None:
                self.bad(row.place, f"partner '{ident}' has no name")
            else:
                first[ident] = row.place.row
                partners[ident] = name
                self.places[("partners", ident)] = row.places["name"]
        return partners

    def read_accountable(self) -> list[dict[str, Any]]:
        out = []
        for k, row in enumerate(self.table(ACCOUNTABLE, {"partner": _read_id})):
            self.register(("plan", "accountable", k), row)
            out.append(_ordered(row.values, ("role", "partner")))
        return out

    def read_board_meetings(self) -> list[date]:
        out: list[date] = []
        for row in self.table(BOARD_MEETINGS, {"date": read_date}):
            if "date" in row.values:
                self.places[("plan", "board_meetings", len(out))] = row.places["date"]
                out.append(row.values["date"])
        return out

    def read_reviews(self) -> list[dict[str, Any]]:
        out = []
        for k, row in enumerate(self.table(REVIEWS, {"date": read_date, "rating": self.read_rag})):
            self.register(("reviews", k), row)
            out.append(_ordered(row.values, ("date", "by", "rating", "summary")))
        return out

    def register(self, loc: Loc, row: _Row) -> None:
        self.places[loc] = row.place
        for f, place in row.places.items():
            self.places[(*loc, f)] = place

    def read_areas(self) -> list[_AreaIn]:
        out: list[_AreaIn] = []
        first: dict[str, int] = {}
        kinds = [k.value for k in AreaKind]
        readers: dict[str, Callable[[Any], Any]] = {
            "id": _read_id,
            "kind": lambda v: _read_vocabulary(v, kinds, "area kind"),
        }
        for row in self.table(AREAS, readers):
            ident = row.values.get("id")
            if ident is None:
                self.bad(row.place, "the area has no ID")
            elif ident in first:
                self.bad(row.place, f"area '{ident}' is listed twice (first on row {first[ident]})")
            else:
                first[ident] = row.place.row
                area = _ordered(row.values, ("id", "kind", "title"))
                out.append(_AreaIn(area, row.place, row.places))
        return out

    def attach_lists(self, rows: Sequence[_ActionIn]) -> None:
        """Updates, deadline changes, measures and evidence, from their own sheets."""
        by_id = {row.action["id"]: row for row in rows}
        readers: dict[str, Callable[[Any], Any]] = {
            "action": _read_id,
            "date": read_date,
            "on": read_date,
            "from": read_date,
            "to": read_date,
            "rag": self.read_rag,
        }
        for title in LIST_SHEETS:
            target = {UPDATES: "updates", RESCHEDULED: "rescheduled"}.get(title, title.lower())
            keys = [k for k in LIST_SHEETS[title] if k != "action"]
            for entry in self.table(title, readers):
                ident = entry.values.pop("action", None)
                if ident is None:
                    self.bad(entry.place, "this row names no action: give the action's ID")
                    continue
                row = by_id.get(ident)
                if row is None:
                    self.bad(entry.place, f"no action '{ident}' on the {self.actions_sheet} sheet")
                    continue
                items = row.action.setdefault(target, [])
                k = len(items)
                if title in (MEASURES, EVIDENCE):
                    if "text" not in entry.values:
                        self.bad(entry.place, f"this row gives action {ident} no {title.lower()}")
                        continue
                    items.append(entry.values["text"])
                    row.places[(target, k)] = entry.places["text"]
                else:
                    items.append(_ordered(entry.values, keys))
                    row.places[(target, k)] = entry.place
                    for f, place in entry.places.items():
                        row.places[(target, k, f)] = place

    def check_copies(self, header: _Header, row: _ActionIn, area: Mapping[str, Any]) -> None:
        """The Actions sheet's readable copies must agree with their own sheets, or be blank."""
        action = row.action
        expected = {
            "area_title": (area.get("title") or "", AREAS),
            "measures": (copy_text(bullets(action.get("measures", ())), MEASURES), MEASURES),
            "evidence": (copy_text(bullets(action.get("evidence", ())), EVIDENCE), EVIDENCE),
            "rescheduled": (
                copy_text(rescheduled_text(action.get("rescheduled", ())), RESCHEDULED),
                RESCHEDULED,
            ),
            "updates": (copy_text(updates_text(action.get("updates", ())), UPDATES), UPDATES),
        }
        sheet = header.sheet
        for f, (text, title) in expected.items():
            col = header.cols.get(f)
            if col is None:
                continue
            cell = read_text(sheet.safe(row.place.row, col))
            if cell is None or _same_copy(cell, text):
                continue
            what = "the area's title" if f == "area_title" else f"the action's {f}"
            self.bad(
                Place(sheet.title, row.place.row, col),
                f"this cell repeats {what} from the {title} sheet, which is what import "
                f"reads, and it differs from it: make the change on the {title} sheet, then "
                "clear this cell or make it match",
            )

    # ---------------------------------------------------------------- the actions table

    def read_actions(self, header: _Header, *, tracker: bool) -> list[_ActionIn]:
        """Every action row under ``header``; blank rows (and, in trackers, section
        heading rows) are skipped."""
        sheet = header.sheet
        self.actions_sheet = sheet.title
        self.report_ignored(header)
        readers: dict[str, Callable[[Any], Any]] = {
            "area": _read_id,
            "area_kind": lambda v: _read_vocabulary(v, [k.value for k in AreaKind], "area kind"),
            "id": _read_id,
            "partner": self.read_partner,
            "carried_from": _read_id,
            "start": read_date,
            "due": read_date,
            "original_due": read_date,
            "completed": read_date,
            "status": self.read_status,
            "rag": self.read_rag,
        }
        if tracker:
            readers["measures"] = read_lines
            readers["evidence"] = read_lines
            readers["updates"] = lambda v: read_updates(
                v, self.mapping.rags, self.mapping.update_date
            )
        cols = {f: c for f, c in header.cols.items() if tracker or f not in COPY_COLUMNS}
        reading = _Header(sheet, header.row, cols, header.ignored)
        out: list[_ActionIn] = []
        seen: dict[str, int] = {}
        blank = _is_blank if tracker else _is_empty
        for r in range(header.row + 1, sheet.max_row + 1):
            if all(blank(sheet.peek(r, c)) for c in cols.values()):
                continue
            if tracker and self.section_row(sheet, r):
                continue
            row = self.read_row(reading, r, readers)
            values = row.values
            id_place = Place(sheet.title, r, cols["id"])
            if "id" not in values:
                if (sheet.title, r) not in self.bad_rows:
                    self.bad(id_place, f"this row has no action ID ('{header.heading('id')}')")
                continue
            ident = values["id"]
            if ident in seen:
                self.bad(
                    id_place,
                    f"action ID '{ident}' is used again (first on row {seen[ident]}); "
                    "IDs must be unique in a plan",
                )
                continue
            seen[ident] = r
            places = row.places
            if tracker:
                _target_and_revised(values, places)
            area_fields: dict[str, tuple[Any, Place]] = {
                f: (values.pop(f), places.pop(f))
                for f in ("area_title", "area_kind")
                if f in values
            }
            area_id = values.pop("area", None)
            area_place = places.pop("area", None)
            relative: dict[Loc, Place] = {(f,): p for f, p in places.items()}
            if area_place is not None:
                relative[("area",)] = area_place
            out.append(
                _ActionIn(area_id, _ordered(values, ACTION_KEYS), id_place, relative, area_fields)
            )
        return out

    def section_row(self, sheet: _Sheet, row: int) -> bool:
        """A heading row inside a tracker's table: one text cell merged across columns."""
        filled = [c for c, value in sheet.row_values(row).items() if not _is_blank(value)]
        if len(filled) != 1 or sheet.merged.get((row, filled[0]), 1) < 2:
            return False
        text = (read_text(sheet.peek(row, filled[0])) or "").strip()
        self.note(
            f"skipped a section heading row ('{text[:60]}')", Place(sheet.title, row, filled[0])
        )
        return True

    # ---------------------------------------------------------------- trackers

    def read_tracker(self, sheet_name: str | None) -> dict[str, Any]:
        mapping = self.mapping
        if not mapping.columns:
            raise UsageError(
                f"{self.book.name}: the workbook has no '{PLAN}' sheet as send-plan export "
                "writes it; to read another tracker, give --columns MAP.yaml naming its "
                "columns (see docs/excel.md)"
            )
        missing = [f for f in REQUIRED_COLUMNS if f not in mapping.columns]
        if missing:
            raise UsageError(
                f"{mapping.name}: 'columns:' must name a column for {', '.join(missing)}"
            )
        info = self.tracker_plan_info()
        header = self.tracker_header(sheet_name or mapping.sheet, mapping.columns)
        rows = self.read_actions(header, tracker=True)
        default = mapping.area
        areas: dict[str, _AreaIn] = {}
        for row in rows:
            key = row.area_id if row.area_id is not None else default.get("id", "A1")
            fields = row.area_fields
            area = areas.get(key)
            if area is None:
                kind = fields["area_kind"][0] if "area_kind" in fields else None
                title = fields["area_title"][0] if "area_title" in fields else None
                if row.area_id is None:
                    title = title or default.get("title")
                data: dict[str, Any] = {"id": key, "kind": kind or default.get("kind", "other")}
                if title is not None:
                    data["title"] = title
                places = {f.removeprefix("area_"): p for f, (_, p) in fields.items()}
                area = areas[key] = _AreaIn(data, row.places.get(("area",), row.place), places)
            else:
                for f, (value, place) in fields.items():
                    target = f.removeprefix("area_")
                    if area.area.get(target) not in (None, value):
                        self.bad(
                            place,
                            f"area '{key}' has the {target} '{area.area[target]}' on an "
                            "earlier row; an area has one",
                        )
            area.actions.append(row)
        partners = dict(mapping.partners)
        return self.assemble(info, partners, [], list(areas.values()))

    def tracker_header(self, sheet_name: str | None, wanted: Mapping[str, str]) -> _Header:
        """The named sheet's header row; else the Actions sheet's; else the first sheet's
        that has one."""
        if sheet_name is not None:
            named = self.book.find(sheet_name)
            if named is None:
                raise self.no_sheet(sheet_name)
            candidates = [named]
        else:
            actions = self.book.find(ACTIONS)
            candidates = [actions] if actions is not None else self.book.sheets()
        errors: list[_NoHeader] = []
        for sheet in candidates:
            try:
                return _find_header(sheet, wanted)
            except _NoHeader as err:
                errors.append(err)
        best = max(errors, key=lambda e: len(e.found))
        if len(candidates) > 1 and len(best.found) < 2:
            looked = ", ".join(f"'{h}'" for h in wanted.values())
            sheets = ", ".join(f"'{s.title}'" for s in candidates)
            raise UsageError(
                f"{self.book.name}: no header row found in the first {HEADER_SEARCH_ROWS} rows "
                f"of any sheet ({sheets}): looked for a row with the headings {looked}"
            )
        raise _header_error(best, wanted)

    def tracker_plan_info(self) -> dict[str, Any]:
        info: dict[str, Any] = {}
        readers = self.plan_readers()
        for fld, value in self.mapping.plan.items():
            place = Place(option=f"{self.mapping.name} plan.{fld}")
            try:
                reader: Callable[[Any], Any] = readers.get(fld, read_text)
                read = reader(value)
            except _Bad as bad:
                self.problems.append(Problem(bad.message, place))
                continue
            if read is not None:
                info[fld] = read
                self.places[("plan", fld)] = place
        self.apply_options(info)
        needed = ("id", "local_area", "kind", "start", "end")
        missing = [PLAN_OPTIONS[f] for f in needed if f not in info]
        if missing:
            raise UsageError(
                f"{self.book.name} has no '{PLAN}' sheet, so give the plan's details: "
                f"{', '.join(missing)} (or under 'plan:' in the --columns file)"
            )
        return info

    # ---------------------------------------------------------------- the plan, and its places

    def assemble(
        self,
        info: Mapping[str, Any],
        partners: Mapping[str, str],
        reviews: Sequence[Mapping[str, Any]],
        areas: Sequence[_AreaIn],
    ) -> dict[str, Any]:
        """The plan's data in the format's key order; each value's place recorded."""
        out: dict[str, Any] = {"schema_version": 1, "plan": _ordered(info, PLAN_KEYS)}
        if partners:
            out["partners"] = dict(partners)
        if reviews:
            out["reviews"] = list(reviews)
        out["areas"] = []
        for i, area in enumerate(areas):
            at: Loc = ("areas", i)
            if area.place is not None:
                self.places[at] = area.place
            for f, place in area.places.items():
                self.places[(*at, f)] = place
            data = _ordered(area.area, ("id", "kind", "title"))
            if area.actions:
                data["actions"] = []
            for j, row in enumerate(area.actions):
                self.places[(*at, "actions", j)] = row.place
                for rel, place in row.places.items():
                    self.places[(*at, "actions", j, *rel)] = place
                data["actions"].append(_ordered(row.action, ACTION_KEYS))
            out["areas"].append(data)
        return out

    def validate(self, text: str, output_name: str) -> None:
        """Validate the plan file as it would be written; each finding lands on its cell."""
        from send_plan.validation import check_text

        result = check_text(output_name, text.encode("utf-8"))
        loaded = result.portfolio.files[-1]
        findings = list(result.findings)
        index = _PositionIndex(loaded.source.root())
        elsewhere = [f for f in findings if f.code in _OTHER_PLANS]
        if elsewhere:
            self.note(
                "references to other plans (successor, carried_from) were not checked: "
                "run send-plan validate on the plans folder once the file is in place"
            )
        for f in sorted(findings, key=Finding.sort_key):
            if f.code in _OTHER_PLANS:
                continue
            place = self.place_of(index.loc_at(f.line, f.column))
            if place is not None and (place.sheet, place.row) in self.bad_rows:
                continue  # the row's own problem explains this one
            ident = f" [{f.object}]" if f.object else ""
            message = f"{f.severity.value} {f.code}{ident} {f.message}"
            self.problems.append(Problem(message, place, "error" if f.is_error else "warning"))

    def place_of(self, loc: Loc) -> Place | None:
        for n in range(len(loc), -1, -1):
            place = self.places.get(loc[:n])
            if place is not None:
                return place
        return None


#: Warnings that a plan read alone always draws when it refers to other plans.
_OTHER_PLANS = frozenset(("W201", "W202", "W206"))


def _target_and_revised(values: dict[str, Any], places: dict[str, Place]) -> None:
    """Trackers: due is the revised date when there is one, else the target date;
    the target date is kept as original_due only when the two differ."""
    if "original_due" not in values:
        return
    if "due" not in values:
        values["due"] = values.pop("original_due")
        places["due"] = places.pop("original_due")
    elif values["due"] == values["original_due"]:
        del values["original_due"]
        places.pop("original_due", None)


def _ordered(data: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    """The keys of ``data`` that are set, in the format's order."""
    return {k: data[k] for k in keys if data.get(k) is not None and data[k] != []}


class _PositionIndex:
    """Line and column in the plan file written -> the key path of the node there."""

    def __init__(self, root: Any) -> None:
        self.exact: dict[tuple[int, int], Loc] = {}
        self.spans: list[tuple[tuple[int, int], tuple[int, int], Loc]] = []
        if root is not None:
            self._walk(root, ())

    def _walk(self, node: Any, loc: Loc) -> None:
        from yaml.nodes import MappingNode, SequenceNode

        start = (node.start_mark.line + 1, node.start_mark.column + 1)
        end = (node.end_mark.line + 1, node.end_mark.column + 1)
        self.exact.setdefault(start, loc)
        self.spans.append((start, end, loc))
        if isinstance(node, MappingNode):
            for key, value in node.value:
                child = (*loc, str(key.value))
                self.exact.setdefault((key.start_mark.line + 1, key.start_mark.column + 1), child)
                self._walk(value, child)
        elif isinstance(node, SequenceNode):
            for k, item in enumerate(node.value):
                self._walk(item, (*loc, k))

    def loc_at(self, line: int, column: int) -> Loc:
        found = self.exact.get((line, column))
        if found is not None:
            return found
        inside = [loc for start, end, loc in self.spans if start <= (line, column) <= end]
        return max(inside, key=len) if inside else ()
