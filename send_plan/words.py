"""How send-plan writes English: dates, counts and lists, the same in every message
and document. No imports beyond the standard library."""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import date, timedelta

#: Month names and their usual abbreviations, lower case -> month number.
MONTHS = {
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
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})")
_MONTH_DAY = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")


def uk_date(text: str) -> date | None:
    """A date as people in England write it: 31/05/2025, 31-05-2025, 31 May 2025,
    31st May 2025, May 31, 2025. None when it is not one (or not a real date)."""
    text = text.strip()
    parts: tuple[int, int, int] | None = None
    if m := _NUMERIC.fullmatch(text):
        parts = (int(m[3]), int(m[2]), int(m[1]))
    elif (m := _DAY_MONTH.fullmatch(text)) and m[2].lower() in MONTHS:
        parts = (int(m[3]), MONTHS[m[2].lower()], int(m[1]))
    elif (m := _MONTH_DAY.fullmatch(text)) and m[1].lower() in MONTHS:
        parts = (int(m[3]), MONTHS[m[1].lower()], int(m[2]))
    if parts is None:
        return None
    try:
        return date(*parts)
    except ValueError:
        return None


def add_months(day: date, months: int) -> date | None:
    """The same day ``months`` later (the month's last day when that day does not
    exist); None when that is outside the calendar (after 9999-12-31 or before
    0001-01-01), so that a plan dated at the end of time gets no date, not an error."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if not date.min.year <= year <= date.max.year:
        return None
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_days(day: date, days: int) -> date:
    """``day`` moved by ``days``, held at the ends of the calendar (0001-01-01 and
    9999-12-31): a horizon or a margin that would pass them stops there."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def iso(value: date | None) -> str | None:
    """A date as ``YYYY-MM-DD`` text for JSON and templates (None stays None)."""
    return value.isoformat() if value is not None else None


def long_date(value: str | date | None) -> str:
    """'2019-03-19' -> '19 March 2019', as council papers write dates ('ongoing' for
    work with no deadline reads 'Ongoing')."""
    if value is None or value == "":
        return ""
    if value == "ongoing":
        return "Ongoing"
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    return f"{day.day} {day:%B %Y}"


def period(start: date | str, end: date | str | None) -> str:
    """A plan's period: '25 April 2018 to 31 January 2019', or 'from 1 June 2020'."""
    return f"{long_date(start)} to {long_date(end)}" if end else f"from {long_date(start)}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 action', '2 actions'; ``many`` for irregular plurals."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def listed(items: Sequence[str], most: int = 12, *, empty: str = "none") -> str:
    """Items joined by commas, the tail counted: 'a, b and 3 more'."""
    if not items:
        return empty
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


#: How each indicator unit is written after (or, for money, before) a figure.
_UNIT_WORDS = {"days": ("day", "days"), "weeks": ("week", "weeks")}


def number(value: float) -> str:
    """A figure as people write it: thousands separated, at most two decimals,
    no trailing zeros ('1,234', '44.6', '24.29')."""
    text = f"{round(value, 2):,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def figure(value: float | None, unit: str) -> str:
    """An indicator's figure with its unit: '44.6%', '602', '96 weeks', '£1,500',
    '5.1' (a rate's unit is in the indicator's title). None is empty text."""
    if value is None:
        return ""
    text = number(value)
    if unit == "percent":
        return f"{text}%"
    if unit == "currency":
        if "." in text:  # pence are written in full: £1,500.50
            text = f"{round(value, 2):,.2f}"
        return f"-£{text[1:]}" if text.startswith("-") else f"£{text}"
    if unit in _UNIT_WORDS:
        one, many = _UNIT_WORDS[unit]
        return f"{text} {one if text == '1' else many}"
    return text
