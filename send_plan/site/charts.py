"""The site's pictures, as SVG: each area's actions by state, and an indicator's trend.

Drawn with matplotlib's object API (no pyplot, no GUI backend), imported only
when a chart is drawn. The files are byte-identical for the same inputs: the
SVG ids come from a fixed salt, no date is written, and text stays text (the
browser's own font) rather than glyph outlines. Each picture is one half of a
pair: the page puts the same numbers in a table beside it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from send_plan.site.words import STATE, STATE_ORDER

#: Inches to CSS pixels (the size the page gives the picture before it scales).
PX_PER_INCH = 96
#: rcParams for every chart (typed loosely: matplotlib types its keys as literals).
SVG_RC: Any = {
    "svg.hashsalt": "send-plan-site",
    "text.parse_math": False,  # a '$' in plan text is drawn as written, not as maths
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
}
VALUE_COLOUR = "#1d70b8"
AREAS_WIDTH_IN = 7.0
AREAS_MARGINS_IN = (0.25, 1.45)  # above the bars; below them, for the axis and legend
#: Above this many areas the counts are not written on the bars (the table has them).
LABEL_AREAS = 20
TREND_SIZE_IN = (6.0, 2.6)
TRAJECTORY_COLOUR = "#505a5f"


def _figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasSVG(fig)
    return fig


def _svg(fig: Any) -> bytes:
    import matplotlib

    out = io.BytesIO()
    with matplotlib.rc_context(SVG_RC):
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": "send-plan"})
    return out.getvalue()


def _areas_height_in(n: int) -> float:
    return min(0.5 * n, 14) + sum(AREAS_MARGINS_IN)


def areas_size(n: int) -> tuple[int, int]:
    """The areas chart's size in CSS pixels, for the page's img element."""
    return round(AREAS_WIDTH_IN * PX_PER_INCH), round(_areas_height_in(n) * PX_PER_INCH)


TREND_SIZE = (round(TREND_SIZE_IN[0] * PX_PER_INCH), round(TREND_SIZE_IN[1] * PX_PER_INCH))


#: (fill, hatch, ink) per state: the badges' colours on the pages, with a pattern
#: each, so the bars read without colour and in greyscale print.
STATE_STYLE = {
    "overdue": ("#d4351c", "xx", "white"),
    "due-soon": ("#ffdd00", "//", "black"),
    "on-track": ("#00703c", "..", "white"),
    "complete": ("#1d70b8", "", "white"),
    "carried-forward": ("#b1b4b6", "--", "black"),
    "withdrawn": ("#f3f2f1", "\\\\", "black"),
}


def areas_chart(labels: Sequence[str], counts: Sequence[dict[str, int]]) -> bytes:
    """Horizontal stacked bars, one per area (the first at the top), by state, each
    segment with its count where it is wide enough, and a legend below."""
    import matplotlib
    from matplotlib.patches import Patch

    top_in, bottom_in = AREAS_MARGINS_IN
    height = _areas_height_in(len(labels))
    with matplotlib.rc_context(SVG_RC):
        fig = _figure(AREAS_WIDTH_IN, height)
        ax = fig.subplots()
        fig.subplots_adjust(
            left=0.14, right=0.97, top=1 - top_in / height, bottom=bottom_in / height
        )
        n = len(labels)
        rows = range(n - 1, -1, -1)  # the first area at the top
        widest = max((c["total"] for c in counts), default=0) or 1
        left = [0] * n
        for state in STATE_ORDER:
            fill, hatch, ink = STATE_STYLE[state]
            values = [c[state] for c in counts]
            ax.barh(
                list(rows), values, left=left, height=0.7, color=fill, hatch=hatch,
                edgecolor="#0b0c0c", linewidth=0.6,
            )  # fmt: skip
            for y, x, v in zip(rows, left, values, strict=True):
                if v and n <= LABEL_AREAS and v >= widest * 0.06:
                    ax.text(
                        x + v / 2, y, str(v), ha="center", va="center", fontsize=10,
                        fontweight="bold", color=ink, backgroundcolor=fill,
                    )  # fmt: skip
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_yticks(list(rows), list(labels))
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_xlim(0, widest * 1.02)
        ax.set_xlabel("Number of actions", fontsize=11)
        ax.tick_params(labelsize=11)
        ax.spines[["top", "right"]].set_visible(False)
        handles = [
            Patch(facecolor=STATE_STYLE[s][0], hatch=STATE_STYLE[s][1], edgecolor="#0b0c0c",
                  label=STATE[s])
            for s in STATE_ORDER
        ]  # fmt: skip
        axes_height = ax.get_position().height * height
        ax.legend(
            handles=handles, fontsize=10, loc="upper center", ncol=3, frameon=False,
            bbox_to_anchor=(0.5, -0.55 / axes_height),
        )  # fmt: skip
        return _svg(fig)


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_ticks(first: date, last: date, most: int = 6) -> list[tuple[int, str]]:
    """Ticks on the first of a month, every 1, 2, 3, 6 or 12 months, at most
    ``most`` of them: (day ordinal, 'Jul 2019'). English month names whatever
    the locale, so that the bytes never depend on the machine."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next((s for s in (1, 2, 3, 6, 12, 24) if months / s <= most), 60)
    index = first.year * 12 + first.month - 1
    index += -index % step  # the first multiple of the step on or after the start
    ticks = []
    while index // 12 <= date.max.year:  # no tick after the end of the calendar
        day = date(index // 12, index % 12 + 1, 1)
        if day > last:
            break
        if day >= first:
            ticks.append((day.toordinal(), f"{MONTHS[day.month - 1]} {day.year}"))
        index += step
    return ticks


def trend_chart(
    values: Sequence[tuple[date, float, bool]],
    trajectory: Sequence[tuple[date, float]],
    *,
    percent: bool,
) -> bytes:
    """An indicator's figures (solid, hollow where provisional) and the trajectory
    to its targets (dashed). Ticks are placed here rather than by matplotlib's
    date locators: the same picture at a quarter of the cost."""
    import matplotlib

    width, height = TREND_SIZE_IN
    days = [d for d, _, _ in values] + [d for d, _ in trajectory]
    with matplotlib.rc_context(SVG_RC):
        fig = _figure(width, height)
        ax = fig.subplots()
        fig.subplots_adjust(left=0.12, right=0.97, top=0.95, bottom=0.14)
        if trajectory:
            ax.plot(
                [d.toordinal() for d, _ in trajectory],
                [v for _, v in trajectory],
                linestyle="--",
                color=TRAJECTORY_COLOUR,
                marker="s",
                markersize=4,
                linewidth=1.5,
                label="Trajectory to the target",
            )
        if values:
            ax.plot(
                [d.toordinal() for d, _, _ in values],
                [v for _, v, _ in values],
                color=VALUE_COLOUR,
                marker="o",
                markersize=5,
                linewidth=2,
                label="Actual figure",
            )
            provisional = [(d, v) for d, v, p in values if p]
            if provisional:
                ax.plot(
                    [d.toordinal() for d, _ in provisional],
                    [v for _, v in provisional],
                    linestyle="none",
                    marker="o",
                    markersize=7,
                    markerfacecolor="white",
                    markeredgecolor=VALUE_COLOUR,
                    markeredgewidth=2,
                    label="Provisional figure",
                )
        if days:
            first, last = min(days), max(days)
            pad = max(15, (last - first).days // 20)
            ax.set_xlim(first.toordinal() - pad, last.toordinal() + pad)
            ticks = month_ticks(first, last) or [(first.toordinal(), _month(first))]
            ax.set_xticks([t for t, _ in ticks], [label for _, label in ticks])
        everything = [v for _, v, _ in values] + [v for _, v in trajectory]
        if percent:
            ax.set_ylim(0, 100)
            ax.set_yticks(range(0, 101, 20), [f"{v}%" for v in range(0, 101, 20)])
        elif everything and min(everything) >= 0:
            ax.set_ylim(bottom=0, top=max(everything) * 1.1 or 1)
        ax.tick_params(labelsize=10)
        ax.spines[["top", "right"]].set_visible(False)
        return _svg(fig)  # the page's caption is the key: no legend to lay out


def _month(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"
