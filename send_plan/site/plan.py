"""A plan's own page: its summary, the areas table and chart, the actions that
need attention, its published indicators and its external reviews.

Indicators marked ``published: false`` are left out here, before anything is
computed or drawn: a figure not cleared for publication never reaches the site.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from send_plan.indicators import expected_at, indicator_status, known_values, trajectory
from send_plan.model import Indicator, Plan
from send_plan.site import views
from send_plan.site.charts import TREND_SIZE, areas_size
from send_plan.site.context import (
    Site,
    action_view,
    area_rows,
    counts,
    plan_summary,
    review_row,
)
from send_plan.site.layout import AREAS_CHART
from send_plan.site.words import direction_label, figure, rating_label
from send_plan.tracking import TrackedAction
from send_plan.vocab import Polarity, State, Unit
from send_plan.words import long_date, plural


@dataclass(frozen=True)
class ChartJob:
    """A picture to draw: where it goes in the site and what it shows."""

    path: str
    kind: str  # "areas" or "trend"
    labels: tuple[str, ...] = ()
    counts: tuple[dict[str, int], ...] = ()
    values: tuple[tuple[date, float, bool], ...] = ()
    trajectory: tuple[tuple[date, float], ...] = ()
    percent: bool = False


def _attention(
    site: Site, plan: Plan, tracked: Sequence[TrackedAction], meeting: date | None
) -> list[views.Attention]:
    late = [t for t in tracked if t.state is State.OVERDUE]
    soon = [t for t in tracked if t.state is State.DUE_SOON]
    starts = [t for t in tracked if t.late_start and t.state is State.ON_TRACK]
    summary = site.summaries[plan.id]
    until = (
        f"the next board meeting on {long_date(meeting)}" if meeting else long_date(summary.horizon)
    )

    def group(
        key: str, heading: str, intro: str, empty: str, rows: list[TrackedAction]
    ) -> views.Attention:
        return {
            "key": key,
            "heading": heading,
            "intro": intro,
            "empty": empty,
            "actions": [action_view(site, plan, t, root="../") for t in rows],
        }

    return [
        group(
            "late",
            "Actions that are late",
            "These actions have passed their deadline and are not finished. "
            "The one late for longest comes first.",
            "No action is late.",
            late,
        ),
        group(
            "due-soon",
            "Actions due before the next board meeting" if meeting else "Actions due soon",
            f"These actions are due by {until}.",
            f"No action is due by {until}.",
            soon,
        ),
        group(
            "late-start",
            "Actions that should have started",
            "These actions have not started although their planned start date has passed.",
            "Every action whose planned start date has passed has started.",
            starts,
        ),
    ]


def _target(indicator: Indicator, as_of: date) -> str | None:
    if not indicator.targets:
        return None
    ahead = [t for t in indicator.targets if t.by >= as_of]
    chosen = ahead[0] if ahead else indicator.targets[-1]
    return f"{figure(chosen.value, indicator.unit)} by {long_date(chosen.by)}"


def indicator_view(
    plan: Plan, indicator: Indicator, name: str, as_of: date
) -> tuple[views.Indicator, ChartJob | None]:
    status = indicator_status(plan, indicator, as_of)
    unit = indicator.unit
    known = known_values(indicator, as_of)
    points = trajectory(indicator)
    latest = status.latest
    rows: list[views.IndicatorRow] = []
    for v in known:
        expected = expected_at(indicator, v.date)
        rows.append(
            {
                "date": long_date(v.date),
                "value": figure(v.value, unit),
                "expected": figure(round(expected, 1), unit)
                if expected is not None
                else "No trajectory",
                "note": v.note,
                "provisional": v.provisional,
            }
        )
    job = None
    chart: views.Chart | None = None
    if known or points:
        job = ChartJob(
            f"indicator-{name}.svg",
            "trend",
            values=tuple((v.date, v.value, v.provisional) for v in known),
            trajectory=tuple(points),
            percent=unit is Unit.PERCENT,
        )
        what = "the figures so far" if known else "no figures yet"
        line = ", and the trajectory to the target" if points else ""
        key = [
            *(
                ["the solid blue line shows the figures (a hollow dot is provisional)"]
                if known
                else []
            ),
            *(["the dashed grey line shows the trajectory to the target"] if points else []),
        ]
        chart = {
            "src": job.path,
            "alt": f"Line chart of {indicator.title}: {what}{line}.",
            "caption": f"{indicator.title}, {plural(len(known), 'figure')} to "
            f"{long_date(as_of)}: {' and '.join(key)}. The figures are in the table below.",
            "width": TREND_SIZE[0],
            "height": TREND_SIZE[1],
        }
    comparators = [
        f"{c.name}: {figure(c.value, unit)}" + (f" ({long_date(c.date)})" if c.date else "")
        for c in indicator.comparators
        if c.date is None or c.date <= as_of
    ]
    view: views.Indicator = {
        "id": indicator.id,
        "anchor": f"indicator-{name}",
        "title": indicator.title,
        "unit": unit.value,
        "latest": figure(latest.value, unit) if latest else None,
        "latest_date": long_date(latest.date) if latest else None,
        "provisional": bool(latest and latest.provisional),
        "expected": figure(round(status.expected, 1), unit)
        if status.expected is not None
        else None,
        "target": _target(indicator, as_of),
        "rating": status.rating.value if status.rating else None,
        "rating_label": rating_label(
            status.rating.value if status.rating else None,
            context=indicator.polarity is Polarity.CONTEXT,
            has_figure=latest is not None,
        ),
        "direction": status.direction.value if status.direction else None,
        "direction_label": direction_label(status.direction.value if status.direction else None),
        "late_data": status.late_data,
        "owner": indicator.owner,
        "definition": indicator.definition,
        "source": indicator.source,
        "comparators": comparators,
        "rows": rows,
        "chart": chart,
    }
    return view, job


def plan_page(site: Site, plan: Plan) -> tuple[views.PlanPage, list[ChartJob]]:
    """The plan's page and the pictures it shows."""
    summary = site.summaries[plan.id]
    places = site.layout.plans[plan.id]
    info = plan_summary(site, plan, root="../")
    jobs: list[ChartJob] = []
    areas = area_rows(site, plan)
    chart: views.Chart | None = None
    if areas:
        jobs.append(
            ChartJob(
                AREAS_CHART,
                "areas",
                labels=tuple(a.area.id for a in summary.areas),
                counts=tuple(a.counts.states for a in summary.areas),
            )
        )
        width, height = areas_size(len(areas))
        chart = {
            "src": AREAS_CHART,
            "alt": "Bar chart of the actions in each area by state.",
            "caption": f"Actions in each area by state, as of {long_date(site.as_of)}. "
            "The numbers are in the table above.",
            "width": width,
            "height": height,
        }
    indicators: list[views.Indicator] = []
    for indicator, name in zip(plan.indicators, places.indicators, strict=True):
        if not indicator.published:
            continue
        view, job = indicator_view(plan, indicator, name, site.as_of)
        indicators.append(view)
        if job is not None:
            jobs.append(job)
    successor = plan.plan.successor
    after = site.portfolio.plan(successor) if successor else None
    page: views.PlanPage = {
        "page": site.page(info["title"], "../", []),
        "plan": info,
        "notes": [n[:1].upper() + n[1:] + "." for n in summary.notes],
        "successor": {
            "href": f"../{site.layout.plans[after.id].page()}",
            "text": after.plan.title or after.id,
        }
        if after is not None and after.id in site.layout.plans
        else None,
        "predecessors": [
            {"href": f"../{site.layout.plans[p.id].page()}", "text": p.plan.title or p.id}
            for p in site.plans
            if p.plan.successor == plan.id
        ],
        "areas": areas,
        "totals": counts(summary.counts.states),
        "total": summary.counts.states["total"],
        "chart": chart,
        "attention": _attention(site, plan, summary.attention(), summary.next_board_meeting),
        "indicators": indicators,
        "reviews": [review_row(r) for r in reversed(plan.reviews) if r.date <= site.as_of],
    }
    return page, [replace(j, path=places.page(j.path)) for j in jobs]
