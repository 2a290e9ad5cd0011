"""The board summary's indicators as plain data: scorecard rows, the sentence that
sums them up, and the words of the trend chart (its text alternative).

Built from :mod:`send_plan.indicators` (what an indicator is as of a date); only
figures dated on or before the as-of date appear, as everywhere in a board paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from send_plan.indicators import UNRATED, IndicatorStatus, ratings, trajectory
from send_plan.model import Value
from send_plan.render.labels import DIRECTION, POLARITY, RAG
from send_plan.render.views import ComparatorRow, Figure, IndicatorRow
from send_plan.vocab import Polarity
from send_plan.words import figure, listed, long_date, plural

#: The trend chart draws at most this many indicators (small multiples stay
#: readable on a page); the scorecard beside it always lists every one.
MAX_PANELS = 12


def _figure(day: date, value: float, unit: str, value_of: Value | None = None) -> Figure:
    return {
        "date": day.isoformat(),
        "date_long": long_date(day),
        "value": value,
        "text": figure(value, unit),
        "provisional": value_of.provisional if value_of else False,
        "note": value_of.note if value_of else None,
    }


def _value(value: Value | None, unit: str) -> Figure | None:
    return None if value is None else _figure(value.date, value.value, unit, value)


def indicator_row(s: IndicatorStatus) -> IndicatorRow:
    """One indicator as of ``s.as_of``."""
    ind = s.indicator
    unit = ind.unit.value
    comparators: list[ComparatorRow] = [
        {
            "name": c.name,
            "date": c.date.isoformat() if c.date else None,
            "date_long": long_date(c.date),
            "value": c.value,
            "text": figure(c.value, unit),
        }
        for c in ind.comparators
        if c.date is None or c.date <= s.as_of
    ]
    row: IndicatorRow = {
        "plan": s.plan,
        "id": ind.id,
        "title": ind.title,
        "unit": unit,
        "polarity": ind.polarity.value,
        "polarity_label": POLARITY[ind.polarity.value],
        "frequency": ind.frequency.value if ind.frequency else None,
        "owner": ind.owner,
        "partner": ind.partner,
        "areas": list(ind.areas),
        "published": ind.published,
        "latest": _value(s.latest, unit),
        "previous": _value(s.previous, unit),
        "expected": round(s.expected, 2) if s.expected is not None else None,
        "expected_text": _expected_text(s),
        "rating": s.rating.value if s.rating else None,
        "rating_label": RAG[s.rating.value if s.rating else UNRATED],
        "direction": s.direction.value if s.direction else None,
        "direction_label": DIRECTION[s.direction.value] if s.direction else "",
        "arrow": s.arrow or "",
        "direction_text": (
            f"{s.arrow} {DIRECTION[s.direction.value]}"
            if s.direction and s.arrow
            else "No earlier figure"
        ),
        "late_data": s.late_data,
        "comparators": comparators,
        "comparator_text": "; ".join(
            f"{c['name']} {c['text']}" + (f" ({c['date_long']})" if c["date"] else "")
            for c in comparators
        ),
        "values": [_figure(v.date, v.value, unit, v) for v in ind.values if v.date <= s.as_of],
        "baseline": (
            _figure(ind.baseline.date, ind.baseline.value, unit) if ind.baseline else None
        ),
        "targets": [_figure(t.by, t.value, unit) for t in ind.targets],
        "trajectory": [_figure(d, v, unit) for d, v in trajectory(ind)] if ind.targets else [],
        "summary": "",
    }
    row["summary"] = _summary(row)
    return row


def _expected_text(s: IndicatorStatus) -> str:
    """The expected figure, or why there is none."""
    if s.expected is not None:
        return figure(s.expected, s.indicator.unit.value)
    if s.indicator.polarity is Polarity.CONTEXT:
        return "Context measure"
    if not s.indicator.targets:
        return "No target set"
    return "Before the trajectory starts" if s.latest is not None else ""


def _summary(row: IndicatorRow) -> str:
    """Every figure of the indicator's chart panel, in words."""
    parts = []
    shown = [
        f"{v['text']} on {v['date_long']}" + (" (provisional)" if v["provisional"] else "")
        for v in row["values"]
    ]
    parts.append("values " + (", ".join(shown) if shown else "none yet"))
    if row["baseline"]:
        parts.append(f"baseline {row['baseline']['text']} on {row['baseline']['date_long']}")
    if row["targets"]:
        points = [f"{t['text']} by {t['date_long']}" for t in row["targets"]]
        parts.append(("target " if len(points) == 1 else "targets ") + ", then ".join(points))
    if row["expected"] is not None:
        parts.append(f"expected {row['expected_text']} at the latest figure")
    if row["comparators"]:
        compared = [
            f"{c['name']} {c['text']}" + (f" ({c['date_long']})" if c["date"] else "")
            for c in row["comparators"]
        ]
        parts.append("compared with " + " and ".join(compared))
    rated = f"rated {row['rating_label'].lower()}" if row["rating"] else "not rated"
    moved = f", {row['direction_label'].lower()}" if row["direction"] else ""
    late = ", data late" if row["late_data"] else ""
    return f"{row['id']} {row['title']}: {'; '.join(parts)}; {rated}{moved}{late}."


def scorecard(
    statuses: Sequence[IndicatorStatus],
) -> tuple[list[IndicatorRow], list[IndicatorRow]]:
    """The indicators with a figure as of the date, and those still without one."""
    rows = [indicator_row(s) for s in statuses]
    return [r for r in rows if r["latest"]], [r for r in rows if not r["latest"]]


def chart_rows(rows: Sequence[IndicatorRow]) -> list[IndicatorRow]:
    """The indicators the trend chart draws, in file order: every one up to
    MAX_PANELS; beyond that, those rated red or amber or with late data first."""
    if len(rows) <= MAX_PANELS:
        return list(rows)
    urgent = [r for r in rows if r["rating"] in ("red", "amber") or r["late_data"]]
    chosen: dict[int, None] = {}  # ids in the order chosen, each once
    for r in [*urgent, *rows]:
        if len(chosen) == MAX_PANELS:
            break
        chosen.setdefault(id(r))
    return [r for r in rows if id(r) in chosen]


def chart_alt(rows: Sequence[IndicatorRow]) -> str:
    """The trend chart's text alternative: what it shows, then each panel's figures."""
    drawn = chart_rows(rows)
    if not drawn:
        return ""
    head = (
        f"Trend of {plural(len(drawn), 'indicator')}: actual values as a solid line "
        "(hollow markers are provisional), the trajectory dashed, comparators dotted, "
        "the as-of date as a vertical line."
    )
    if len(drawn) < len(rows):
        head += f" {len(drawn)} of the {len(rows)} indicators are drawn; the table has all."
    return " ".join([head, *(r["summary"] for r in drawn)])


def indicator_sentence(
    rows: Sequence[IndicatorRow],
    without: Sequence[IndicatorRow],
    statuses: Sequence[IndicatorStatus],
) -> str | None:
    """The scorecard in a sentence or two: ratings, late data, indicators without a figure."""
    if not rows and not without:
        return None
    counts = ratings(s for s in statuses if s.latest is not None)
    out = []
    if rows:
        rated = [(counts[k], k) for k in ("green", "amber", "red") if counts[k]]
        head = f"Of the {plural(len(rows), 'indicator')} with a figure, "
        if rated:
            verb = "is" if rated[0][0] == 1 else "are"
            words = [f"{n} {k}" for n, k in rated]
            words[0] = f"{rated[0][0]} {verb} rated {rated[0][1]}"
            text = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
            if counts[UNRATED]:
                text += f"; {counts[UNRATED]} {'is' if counts[UNRATED] == 1 else 'are'} not rated"
        else:
            text = "none is rated" if len(rows) > 1 else "it is not rated"
        out.append(head + text + ".")
    late = [r["id"] for r in [*rows, *without] if r["late_data"]]
    if late:
        out.append(
            f"The latest figure is late for {plural(len(late), 'indicator')}: {listed(late)}."
        )
    if without:
        ids = listed([r["id"] for r in without])
        out.append(f"No figure yet for {plural(len(without), 'indicator')}: {ids}.")
    return " ".join(out)
