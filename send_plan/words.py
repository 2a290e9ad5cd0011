"""How send-plan writes English: dates, counts and lists, the same in every message
and document. No imports beyond the standard library."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date


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
