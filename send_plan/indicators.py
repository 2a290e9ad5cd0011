"""An indicator as of a date: its latest figure, the trajectory's expected value,
a rating against it, the direction of travel, and whether data is late.

Pure functions of an indicator, a date and (for late data) the plan's start, as
plan-format.md "An indicator as of a date" defines them. Values dated after the
as-of date do not exist yet: a paper for an earlier meeting never shows later
figures. Everything that shows indicators (status, the board summary, Appendix A,
chase, the site) reads them from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

from send_plan.model import Indicator, Plan, Value
from send_plan.vocab import Direction, Polarity, Rag
from send_plan.words import add_days, add_months

#: Data is late once this many days have passed after the next figure was due.
LATE_GRACE_DAYS = 31
#: The ratings an indicator can have, and the key for indicators without one.
RATINGS = (Rag.GREEN.value, Rag.AMBER.value, Rag.RED.value)
UNRATED = "unrated"

Point = tuple[date, float]


@dataclass(frozen=True, slots=True)
class IndicatorStatus:
    """One indicator's figures as of ``as_of``."""

    plan: str
    indicator: Indicator
    as_of: date
    latest: Value | None
    previous: Value | None
    expected: float | None  # unrounded: ratings are computed with it
    rating: Rag | None
    direction: Direction | None
    late_data: bool

    @property
    def needs_attention(self) -> bool:
        return self.rating in (Rag.RED, Rag.AMBER) or self.late_data

    @property
    def arrow(self) -> str | None:
        """How the figure moved from the one before: ↑, ↓ or → (whether that is
        better is ``direction``); None without a previous value."""
        if self.latest is None or self.previous is None:
            return None
        if self.latest.value == self.previous.value:
            return "→"
        return "↑" if self.latest.value > self.previous.value else "↓"

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of cli.md "status additions", plus ``frequency``,
        ``partner`` and ``published`` (false: not cleared for publication)."""
        ind = self.indicator
        return {
            "plan": self.plan,
            "id": ind.id,
            "title": ind.title,
            "unit": ind.unit,
            "polarity": ind.polarity,
            "owner": ind.owner,
            "areas": list(ind.areas),
            "latest": _value_dict(self.latest),
            "previous": _value_dict(self.previous),
            "expected": round(self.expected, 2) if self.expected is not None else None,
            "rating": self.rating,
            "direction": self.direction,
            "late_data": self.late_data,
            "frequency": ind.frequency,
            "partner": ind.partner,
            "published": ind.published,
        }


def _value_dict(value: Value | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"date": value.date.isoformat(), "value": value.value, "provisional": value.provisional}


def known_values(indicator: Indicator, as_of: date) -> tuple[Value, ...]:
    """The values dated on or before ``as_of``, oldest first."""
    return tuple(v for v in indicator.values if v.date <= as_of)


def trajectory(indicator: Indicator) -> list[Point]:
    """The points the trajectory runs through: the baseline, then each target."""
    points: list[Point] = []
    if indicator.baseline is not None:
        points.append((indicator.baseline.date, indicator.baseline.value))
    points.extend((t.by, t.value) for t in indicator.targets)
    return sorted(points, key=lambda p: p[0])


def expected_at(indicator: Indicator, day: date) -> float | None:
    """The trajectory's value on ``day``: linear in days between its points, the
    last target's value after it; none before the first point or without targets."""
    if not indicator.targets:
        return None
    points = trajectory(indicator)
    if day < points[0][0]:
        return None
    for (d0, v0), (d1, v1) in pairwise(points):
        if d0 <= day <= d1:
            span = (d1 - d0).days
            return v1 if span == 0 else v0 + (v1 - v0) * (day - d0).days / span
    return points[-1][1]


def rate(indicator: Indicator, value: float | None, expected: float | None) -> Rag | None:
    """Green on or better than the trajectory, amber within tolerance, else red."""
    if value is None or expected is None or indicator.polarity is Polarity.CONTEXT:
        return None
    tolerance = indicator.tolerance or 0.0
    if indicator.polarity is Polarity.LOWER_IS_BETTER:
        value, expected = -value, -expected  # mirrored: lower is better
    if value >= expected:
        return Rag.GREEN
    if value >= expected - tolerance:
        return Rag.AMBER
    return Rag.RED


def direction_of(indicator: Indicator, latest: float, previous: float) -> Direction:
    """How the latest figure moved from the one before, by the indicator's polarity."""
    if latest == previous:
        return Direction.NO_CHANGE
    up = latest > previous
    if indicator.polarity is Polarity.CONTEXT:
        return Direction.UP if up else Direction.DOWN
    better = up if indicator.polarity is Polarity.HIGHER_IS_BETTER else not up
    return Direction.IMPROVING if better else Direction.WORSENING


def is_late(indicator: Indicator, latest: Value | None, as_of: date, plan_start: date) -> bool:
    """More than one period plus 31 days since the latest figure (or, with none
    yet, since the baseline's date or else the plan's start)."""
    if indicator.frequency is None:
        return False
    if latest is not None:
        since = latest.date
    elif indicator.baseline is not None:
        since = indicator.baseline.date
    else:
        since = plan_start
    period_end = add_months(since, indicator.frequency.months)
    if period_end is None:  # the next figure is due after the end of the calendar
        return False
    return as_of > add_days(period_end, LATE_GRACE_DAYS)


def indicator_status(plan: Plan, indicator: Indicator, as_of: date) -> IndicatorStatus:
    """Everything the spec defines for one indicator as of ``as_of``."""
    known = known_values(indicator, as_of)
    latest = known[-1] if known else None
    previous = known[-2] if len(known) > 1 else None
    expected = expected_at(indicator, latest.date) if latest is not None else None
    return IndicatorStatus(
        plan.id,
        indicator,
        as_of,
        latest,
        previous,
        expected,
        rate(indicator, latest.value if latest else None, expected),
        direction_of(indicator, latest.value, previous.value) if latest and previous else None,
        is_late(indicator, latest, as_of, plan.plan.start),
    )


def plan_indicators(plan: Plan, as_of: date) -> list[IndicatorStatus]:
    """The plan's indicators as of ``as_of``, in file order."""
    return [indicator_status(plan, ind, as_of) for ind in plan.indicators]


def ratings(statuses: Iterable[IndicatorStatus]) -> dict[str, int]:
    """Counts by rating: ``{"green": n, "amber": n, "red": n, "unrated": n}``."""
    counts = dict.fromkeys((*RATINGS, UNRATED), 0)
    for s in statuses:
        counts[s.rating.value if s.rating else UNRATED] += 1
    return counts


def series(indicator: Indicator, as_of: date) -> Sequence[Value]:
    """The values a chart of the indicator shows as of ``as_of``."""
    return known_values(indicator, as_of)
