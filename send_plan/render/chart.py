"""The board summary's chart: actions by state, and by RAG, for each area.

Made with matplotlib's non-interactive Agg backend, imported only here (and so
only by the report command). Every segment has a hatch pattern and, where it is
wide enough, its count written on it: the chart reads in greyscale print and
without relying on colour.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from send_plan.render.glyphs import chart_text
from send_plan.render.labels import RAG, RAG_FILL, STATE
from send_plan.words import plural

if TYPE_CHECKING:
    from send_plan.render.worker import Worker

#: Fills dark enough to need white writing on them.
DARK = {"#0072B2", "#D55E00", "#C00000", "#E26B0A", "#00B050"}
#: (fill, hatch) per state; colour-blind-safe fills (Okabe-Ito) plus patterns.
STATE_STYLE = {
    "complete": ("#0072B2", ""),
    "on-track": ("#56B4E9", ".."),
    "due-soon": ("#E69F00", "//"),
    "overdue": ("#D55E00", "xx"),
    "carried-forward": ("#999999", "--"),
    "withdrawn": ("#DDDDDD", "\\\\"),
}
RAG_HATCH = {
    "red": "xx",
    "red-amber": "//",
    "amber": "..",
    "amber-green": "\\\\",
    "green": "",
    "blue": "oo",
    "unrated": "--",
}


def state_chart(areas: list[dict[str, Any]], title: str) -> bytes:
    """A PNG: two panels of horizontal stacked bars, one bar per area."""
    # The object API with the Agg canvas: no pyplot, no GUI backend, no global state.
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # Text is drawn as written: a '$' in a plan title is not mathtext.
    matplotlib.rcParams["text.parse_math"] = False
    labels = [chart_text(a["id"]) for a in areas][::-1]
    top_in, bottom_in = 0.65, 1.15  # title above; axis label and legend below
    height = min(0.42 * len(areas), 12) + top_in + bottom_in
    fig = Figure(figsize=(10, height), dpi=100)
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2, sharey=True)
    # fixed margins: a layout engine would cost a second full draw
    fig.subplots_adjust(
        left=0.07, right=0.98, top=1 - top_in / height, bottom=bottom_in / height, wspace=0.08
    )
    _stacked(
        left,
        labels,
        [[a["counts"][s] for a in areas][::-1] for s in STATE_STYLE],
        [(STATE[s], *STATE_STYLE[s]) for s in STATE_STYLE],
        "Actions by state",
    )
    _stacked(
        right,
        labels,
        [[a["rag"][r] for a in areas][::-1] for r in RAG_HATCH],
        [(RAG[r], f"#{RAG_FILL[r]}", RAG_HATCH[r]) for r in RAG_HATCH],
        "Actions by RAG rating",
    )
    fig.suptitle(chart_text(title), fontsize=11)
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


#: Above this many areas the counts are not written on the bars (the table
#: beside the chart has them); patterns and the legend still tell segments apart.
LABEL_AREAS = 15


def _stacked(
    ax: Any,
    labels: list[str],
    series: list[list[int]],
    styles: list[tuple[str, str, str]],
    title: str,
) -> None:
    """Horizontal stacked bars: one collection per segment kind (a few artists,
    not one per bar, which is what makes large plans quick to draw)."""
    from matplotlib import patheffects
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Patch

    n = len(labels)
    totals = [sum(column) for column in zip(*series, strict=True)] if series else []
    widest = max(totals, default=0)
    write_counts = n <= LABEL_AREAS
    left = [0] * n
    handles = []
    for values, (name, colour, hatch) in zip(series, styles, strict=True):
        boxes = [
            [(x, y - 0.4), (x + v, y - 0.4), (x + v, y + 0.4), (x, y + 0.4)]
            for y, (x, v) in enumerate(zip(left, values, strict=True))
            if v
        ]
        ax.add_collection(
            PolyCollection(
                boxes, facecolors=colour, edgecolors="black", linewidths=0.5, hatch=hatch
            )
        )
        handles.append(Patch(facecolor=colour, edgecolor="black", hatch=hatch, label=name))
        if write_counts:
            ink = "white" if colour.upper() in DARK else "black"
            halo = (
                [] if ink == "white" else [patheffects.withStroke(linewidth=2, foreground="white")]
            )
            for y, (x, v) in enumerate(zip(left, values, strict=True)):
                if v and v >= max(1, widest * 0.08):
                    ax.text(
                        x + v / 2, y, str(v), ha="center", va="center", fontsize=7,
                        fontweight="bold", color=ink, path_effects=halo,
                    )  # fmt: skip
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_xlim(0, max(1, widest) * 1.04)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_yticks(range(n), labels)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("Number of actions", fontsize=8)
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    axes_height_in = ax.get_position().height * ax.figure.get_figheight()
    ax.legend(
        handles=handles,
        fontsize=7,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.42 / axes_height_in),
        ncol=3,
        frameon=False,
    )


#: Above this many areas the chart's description gives the totals only (the
#: table "Progress by area" beside the chart has every area's counts).
DESCRIBED_AREAS = LABEL_AREAS


def describe(areas: Sequence[Mapping[str, Any]]) -> str:
    """The chart's alternative text: what it shows, with the counts it shows."""

    def counts(states: Mapping[str, int], rag: Mapping[str, int]) -> str:
        by_state = ", ".join(f"{states[s]} {STATE[s].lower()}" for s in STATE_STYLE if states[s])
        by_rag = ", ".join(f"{rag[r]} {RAG[r].lower()}" for r in RAG_HATCH if rag[r])
        return f"by state, {by_state or 'none'}; by RAG rating, {by_rag or 'none'}"

    states = {s: sum(a["counts"][s] for a in areas) for s in STATE_STYLE}
    rag = {r: sum(a["rag"][r] for a in areas) for r in RAG_HATCH}
    total = sum(a["counts"]["total"] for a in areas)
    head = (
        f"Bar charts of the {plural(total, 'action')} in {plural(len(areas), 'area')}, "
        f"by state and by RAG rating. All areas: {counts(states, rag)}."
    )
    if len(areas) > DESCRIBED_AREAS:
        return f"{head} The table Progress by area gives each area's counts."
    each = " ".join(
        f"{a['id']}, {plural(a['counts']['total'], 'action')}: {counts(a['counts'], a['rag'])}."
        for a in areas
    )
    return f"{head} {each}"


class ChartWorker:
    """Draws the board summary's charts in a second process, overlapping the work of
    this one (see :mod:`send_plan.render.worker`: started before the plans are
    read, it spends that time importing matplotlib). Without one the charts are
    drawn here, with the same bytes."""

    def __init__(self, worker: Worker | None = None) -> None:
        from send_plan.render.worker import Worker, warm_matplotlib

        self._worker = worker or Worker(warm_matplotlib)

    def draw(
        self, areas: list[dict[str, Any]], title: str, label: str = "the chart of actions"
    ) -> Callable[[], bytes]:
        """Start drawing; the returned function gives the PNG when it is ready."""
        return self._worker.submit(label, state_chart, areas, title)

    def draw_trends(
        self,
        indicators: Sequence[Mapping[str, Any]],
        as_of: str,
        title: str,
        label: str = "the indicators chart",
    ) -> Callable[[], bytes]:
        """Start drawing the indicators' trend chart (see :mod:`send_plan.render.trend`)."""
        from send_plan.render.trend import trend_chart

        return self._worker.submit(label, trend_chart, indicators, as_of, title)

    def notes(self) -> tuple[str, ...]:
        """A line for each chart taken whose font lacked some of its characters."""
        return self._worker.notes()

    def close(self) -> None:
        self._worker.close()


def take_worker() -> ChartWorker:
    """The worker started early (send_plan.entry), if any, else a new one."""
    from send_plan.render.worker import take_early

    return ChartWorker(take_early())
