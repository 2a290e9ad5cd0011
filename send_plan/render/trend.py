"""The board summary's trend chart: one small panel per indicator.

Each panel shows the actual values as a solid line with round markers (hollow
for provisional figures), the trajectory through the baseline and the targets
dashed, each comparator as a dotted line labelled with its name, and the as-of
date as a dash-dot vertical line. Line styles and markers differ as well as the
(Okabe-Ito, colour-blind-safe) colours, so the chart reads in greyscale print;
the panel's title gives the rating and direction in words. The figures are also
in the document as text (the view-model's ``summary`` of each indicator).

Made with matplotlib's Agg canvas and object API, like :mod:`send_plan.render.chart`.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from send_plan.render.glyphs import chart_text
from send_plan.words import add_days

ACTUAL = "#0072B2"  # blue
TRAJECTORY = "#E69F00"  # orange
COMPARATORS = ("#009E73", "#CC79A7", "#56B4E9")  # bluish green, reddish purple, sky blue
AS_OF = "#000000"
DASHED = (0, (5, 3))
DOTTED = (0, (1, 2))
DASH_DOT = (0, (6, 2, 1, 2))
UNIT_LABEL = {
    "percent": "%",
    "number": "number",
    "rate": "rate",
    "days": "days",
    "weeks": "weeks",
    "currency": "£",
}
PANEL_HEIGHT_IN = 2.5
#: Room for the figure's title and the first row's panel titles; for the legend.
TOP_IN, BOTTOM_IN = 1.15, 0.75


def trend_chart(rows: Sequence[Mapping[str, Any]], as_of: str, title: str) -> bytes:
    """A PNG of small multiples, two panels a row, in the order given."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    n = len(rows)
    cols = 1 if n == 1 else 2
    nrows = -(-n // cols)
    height = nrows * PANEL_HEIGHT_IN + TOP_IN + BOTTOM_IN
    fig = Figure(figsize=(8.5 if cols == 2 else 6, height), dpi=110)
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, cols, squeeze=False)
    fig.subplots_adjust(
        left=0.09 if cols == 2 else 0.13,
        right=0.97,
        top=1 - TOP_IN / height,
        bottom=BOTTOM_IN / height,
        hspace=0.95,
        wspace=0.25,
    )
    day = date.fromisoformat(as_of)
    for ax, row in zip(axes.flat, rows, strict=False):
        _panel(ax, row, day, wrap=42 if cols == 2 else 64)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    _legend(fig)
    fig.suptitle(chart_text(title), fontsize=11)
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def _panel(ax: Any, row: Mapping[str, Any], as_of: date, *, wrap: int) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.transforms import blended_transform_factory

    values = row["values"]
    dates = [date.fromisoformat(v["date"]) for v in values]
    figures = [v["value"] for v in values]
    points = [(date.fromisoformat(p["date"]), p["value"]) for p in row["trajectory"]]
    baseline = row["baseline"]
    known = [*dates, *(d for d, _ in points), as_of]
    if baseline:
        known.append(date.fromisoformat(baseline["date"]))
    first, last = min(known), max(known)
    margin = max(10, (last - first).days // 25)
    if points:
        line = list(points)
        if line[-1][0] < last:
            line.append((last, line[-1][1]))  # after the last target it stays there
        ax.plot(*zip(*line, strict=True), color=TRAJECTORY, linestyle=DASHED, linewidth=1.6)
        ax.plot(
            *zip(*points, strict=True),
            linestyle="none", marker="s", markersize=3.5, color=TRAJECTORY,
        )  # fmt: skip
    elif baseline:
        ax.plot(
            [date.fromisoformat(baseline["date"])], [baseline["value"]],
            linestyle="none", marker="s", markersize=3.5, color=TRAJECTORY,
        )  # fmt: skip
    if dates:
        ax.plot(dates, figures, color=ACTUAL, linewidth=1.8, zorder=3)
        for provisional in (False, True):
            chosen = [
                (d, v["value"])
                for d, v in zip(dates, values, strict=True)
                if v["provisional"] is provisional
            ]
            if chosen:
                ax.plot(
                    *zip(*chosen, strict=True), linestyle="none", marker="o", markersize=5,
                    markeredgewidth=1.4, color=ACTUAL,
                    markerfacecolor="white" if provisional else ACTUAL, zorder=4,
                )  # fmt: skip
    right = blended_transform_factory(ax.transAxes, ax.transData)
    for k, comparator in enumerate(row["comparators"]):
        colour = COMPARATORS[k % len(COMPARATORS)]
        ax.axhline(comparator["value"], color=colour, linestyle=DOTTED, linewidth=1.6)
        ax.text(
            0.99, comparator["value"], chart_text(f"{comparator['name']} {comparator['text']}"),
            transform=right, ha="right", va="bottom", fontsize=7, color="#333333",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.3, "alpha": 0.8},
        )  # fmt: skip
    ax.axvline(as_of, color=AS_OF, linestyle=DASH_DOT, linewidth=1)
    # held at the ends of the calendar: a plan may run to 9999-12-31
    start, end = add_days(first, -margin), add_days(last, margin)
    ax.set_xlim(start, end)
    # the as-of label sits inside the panel, on the side of the line with more room
    later_room = (end - as_of).days > (as_of - start).days
    ax.text(
        as_of, 0.97, f" as of {as_of.day} {as_of:%b %Y} ",
        transform=blended_transform_factory(ax.transData, ax.transAxes),
        ha="left" if later_room else "right", va="top", fontsize=7,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5}, zorder=5,
    )  # fmt: skip
    low, high = ax.get_ylim()
    high += (high - low) * 0.14  # headroom for the as-of label above the figures
    if row["unit"] == "percent":
        low, high = max(low, 0), min(high, 100)
    ax.set_ylim(low, high)
    locator = AutoDateLocator(minticks=3, maxticks=6)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    ax.set_ylabel(UNIT_LABEL.get(row["unit"], row["unit"]), fontsize=7.5)
    ax.tick_params(labelsize=7.5)
    ax.xaxis.get_offset_text().set_fontsize(7.5)
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    name = f"{row['id']}: {row['title']}" + ("" if row["published"] else " (not published)")
    heading = textwrap.shorten(chart_text(name), width=wrap * 2, placeholder="…")
    ax.set_title("\n".join(textwrap.wrap(heading, wrap)[:2]), fontsize=8, loc="left", pad=15)
    # the rating and direction in words, bold, between the title and the panel
    verdict = row["rating_label"]
    verdict += f", {row['direction_label'].lower()}" if row["direction"] else ""
    verdict += ", data late" if row["late_data"] else ""
    ax.text(
        0, 1.02, verdict, transform=ax.transAxes, ha="left", va="bottom", fontsize=8,
        fontweight="bold",
    )  # fmt: skip


def _legend(fig: Any) -> None:
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], color=ACTUAL, linewidth=1.8, marker="o", markersize=5, label="Actual"),
        Line2D(
            [], [], color=ACTUAL, linestyle="none", marker="o", markersize=5,
            markerfacecolor="white", markeredgewidth=1.4, label="Provisional figure",
        ),
        Line2D(
            [], [], color=TRAJECTORY, linestyle=DASHED, linewidth=1.6, marker="s",
            markersize=3.5, label="Trajectory (baseline, targets)",
        ),
        Line2D([], [], color=COMPARATORS[0], linestyle=DOTTED, linewidth=1.6, label="Comparator"),
        Line2D([], [], color=AS_OF, linestyle=DASH_DOT, linewidth=1, label="As-of date"),
    ]  # fmt: skip
    fig.legend(
        handles=handles, loc="lower center", ncol=5, fontsize=8, frameon=False,
        bbox_to_anchor=(0.5, 0.0),
    )  # fmt: skip
