"""Dates written as text, the way UK trackers write them.

:func:`parse_date_text` reads 31/01/2019, 31 Jan 2019, Thursday 31 January 2019
and the like (numbers always day/month/year), and refuses with a message that
says what to write instead. Cells holding real dates or serial numbers are
read by :func:`send_plan.excel.cells.read_date`, which comes here for text.
"""

from __future__ import annotations

import re
from datetime import date

from send_plan.excel.places import BadValue
from send_plan.words import MONTHS as _MONTHS

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


def uk(day: date) -> str:
    """31/01/2019."""
    return f"{day:%d/%m/%Y}"


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def parse_date_text(text: str) -> date:
    """A date written as text the way UK trackers write them; raises BadValue if not.

    Accepted: 2019-01-31, 31/01/2019, 31/1/2019 (also with '.' or '-'),
    31 Jan 2019, 31 January 2019, 31st January 2019, Thursday 31 January 2019,
    January 31, 2019. Numbers are always day/month/year.
    """
    raw = text.strip()
    low = " ".join(raw.casefold().split())
    if m := _ISO.fullmatch(low):
        return _make(int(m[1]), int(m[2]), int(m[3]), raw)
    if m := _NUMERIC.fullmatch(low):
        return _numeric(int(m[1]), int(m[3]), m[4], raw)
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        if (m := pattern.fullmatch(low)) and m["m"] in _MONTHS:
            if len(m["y"]) != 4:
                raise BadValue(f"'{raw}' has a short year; write the year in full")
            found = _make(int(m["y"]), _MONTHS[m["m"]], int(m["d"]), raw)
            weekday = m["wd"]
            if weekday is not None:
                if weekday not in _WEEKDAYS:
                    break
                if _WEEKDAYS[weekday] != found.weekday():
                    raise BadValue(f"'{raw}': {_long(found)} was a {found:%A}")
            return found
    if (m := _MONTH_YEAR.fullmatch(low)) and m[1] in _MONTHS:
        raise BadValue(f"'{raw}' names a month, not a day: write the day too, e.g. 31/01/2019")
    raise BadValue(f"'{raw}' is not a date: write it as 31/01/2019 (day/month/year) or 2019-01-31")


def _numeric(day: int, month: int, year: str, raw: str) -> date:
    if len(year) != 4:
        raise BadValue(
            f"'{raw}' has a {len(year)}-digit year; write the year in full "
            f"(e.g. {day:02d}/{month:02d}/20{year[-2:]:0>2})"
        )
    if month > 12 and day <= 12:
        raise BadValue(
            f"'{raw}' is not a date in day/month/year order; "
            f"did you mean {month:02d}/{day:02d}/{year}?"
        )
    return _make(int(year), month, day, raw)


def _make(year: int, month: int, day: int, raw: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise BadValue(f"'{raw}' is not a real date") from None
