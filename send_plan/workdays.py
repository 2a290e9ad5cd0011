"""England's working days and the revisit timetable.

Working days are Monday to Friday less the bank holidays of England and Wales,
computed offline by the ``holidays`` package (imported only here).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from send_plan.errors import UsageError

NOTICE_WORKING_DAYS = 10
LETTER_WORKING_DAYS = 33
ONSITE_DAYS = (2, 3, 4)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> dict[date, str]:
    import holidays

    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year).items())


def bank_holiday(day: date) -> str | None:
    """The bank holiday's name when ``day`` is one in England, else None."""
    return _bank_holidays(day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and bank_holiday(day) is None


def working_days_after(day: date) -> Iterator[date]:
    """The working days after ``day``, in order, up to the end of the calendar
    (9999-12-31)."""
    while day < date.max:
        day += timedelta(days=1)
        if is_working_day(day):
            yield day


def nth_working_day_after(day: date, n: int) -> date:
    """The ``n``-th working day after ``day``; a usage error when it would fall
    after 9999-12-31, the last date there is."""
    days = working_days_after(day)
    found = next(itertools.islice(days, n - 1, None), None)
    if found is None:
        raise UsageError(
            f"{n} working days after {day.isoformat()} is after 9999-12-31, "
            "the last date send-plan can count to"
        )
    return found


@dataclass(frozen=True)
class Revisit:
    notified: date
    onsite_start: date
    onsite_end: date
    letter_expected_by: date
    bank_holidays_skipped: tuple[tuple[date, str], ...]
    onsite_days: int = 4

    def as_dict(self) -> dict[str, Any]:
        return {
            "notified": self.notified.isoformat(),
            "onsite_start": self.onsite_start.isoformat(),
            "onsite_end": self.onsite_end.isoformat(),
            "letter_expected_by": self.letter_expected_by.isoformat(),
            "bank_holidays_skipped": [
                {"date": d.isoformat(), "name": name} for d, name in self.bank_holidays_skipped
            ],
        }


def revisit(notified: date, onsite_days: int = 4) -> Revisit:
    """The revisit timetable from the day Ofsted's notice arrives.

    The visit starts on the 10th working day after the notice day and lasts
    ``onsite_days`` consecutive working days; the letter is expected by the 33rd
    working day after the last day on site.
    """
    if onsite_days not in ONSITE_DAYS:
        raise ValueError("a revisit lasts 2 to 4 days on site")
    try:
        start = nth_working_day_after(notified, NOTICE_WORKING_DAYS)
        end = start if onsite_days == 1 else nth_working_day_after(start, onsite_days - 1)
        letter = nth_working_day_after(end, LETTER_WORKING_DAYS)
    except UsageError:
        raise UsageError(
            f"the revisit timetable from a notice on {notified.isoformat()} would end after "
            "9999-12-31, the last date send-plan can count to"
        ) from None
    skipped = []
    for offset in range(1, (letter - notified).days + 1):
        day = notified + timedelta(days=offset)
        name = bank_holiday(day)
        if name is not None and day.weekday() < 5:
            skipped.append((day, name))
    return Revisit(notified, start, end, letter, tuple(skipped), onsite_days)
