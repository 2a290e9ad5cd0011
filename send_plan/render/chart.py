"""The board summary's chart: actions by state, and by RAG, for each area.

Made with matplotlib's non-interactive Agg backend, imported only here (and so
only by the report command). Every segment has a hatch pattern and, where it is
wide enough, its count written on it: the chart reads in greyscale print and
without relying on colour.
"""

from __future__ import annotations

import io
from typing import Any

from send_plan.render.labels import RAG, RAG_FILL, STATE

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
    "unrated": "--",
}


def state_chart(areas: list[dict[str, Any]], title: str) -> bytes:
    """A PNG: two panels of horizontal stacked bars, one bar per area."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [a["id"] for a in areas][::-1]
    height = max(2.6, 0.42 * len(areas) + 1.6)
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(10, height), dpi=150, sharey=True, constrained_layout=True
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
    fig.suptitle(title, fontsize=11)
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None})
    plt.close(fig)
    return out.getvalue()


def _stacked(
    ax: Any,
    labels: list[str],
    series: list[list[int]],
    styles: list[tuple[str, str, str]],
    title: str,
) -> None:
    left = [0] * len(labels)
    for values, (name, colour, hatch) in zip(series, styles, strict=True):
        bars = ax.barh(
            labels, values, left=left, color=colour, hatch=hatch, edgecolor="black",
            linewidth=0.5, label=name,
        )  # fmt: skip
        for bar, value in zip(bars, values, strict=True):
            if value and bar.get_width() >= max(1, max(map(sum, zip(*series, strict=True))) * 0.06):
                ax.text(
                    bar.get_x() + bar.get_width() / 2,
                    bar.get_y() + bar.get_height() / 2,
                    str(value),
                    ha="center",
                    va="center",
                    fontsize=7,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
                )
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("Number of actions", fontsize=8)
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(
        fontsize=7,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12 - 0.8 / len(labels)),
        ncol=3,
        frameon=False,
    )
