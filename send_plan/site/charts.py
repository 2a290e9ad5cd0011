"""The site's pictures, written as SVG: each area's actions by state, and an indicator's trend.

The SVG is written here, element by element, with no plotting library: both
kinds of chart are a few rectangles, lines and labels on fixed margins, and
writing them takes a millisecond where matplotlib took most of a second to
import and tens of milliseconds a chart (the site took 3.5 times as long as
``status``; docs/performance.md). The files are byte-identical for the same
inputs: every number is written with fixed precision, the only ids are fixed
names, and no date is written. Text stays text, in the page's own font family.
Each picture is one half of a pair: the page puts the same numbers in a table
beside it.

Lengths are in points (the ``viewBox``); the page gives the picture its size in
CSS pixels (:func:`areas_size`, :data:`TREND_SIZE`) and may scale it down.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from send_plan.render.glyphs import chart_text
from send_plan.site.words import STATE, STATE_ORDER

#: Inches to CSS pixels (the size the page gives the picture before it scales).
PX_PER_INCH = 96
PT_PER_INCH = 72
FONT = "Arial, Helvetica, sans-serif"  # the page's own (templates/site/site.css)
INK = "#0b0c0c"
VALUE_COLOUR = "#1d70b8"
TRAJECTORY_COLOUR = "#505a5f"
AREAS_WIDTH_IN = 7.0
AREAS_MARGINS_IN = (0.25, 1.45)  # above the bars; below them, for the axis and legend
#: Above this many areas the counts are not written on the bars (the table has them).
LABEL_AREAS = 20
TREND_SIZE_IN = (6.0, 2.6)
TICK = 3.5  # the length of a tick mark, and the gap between it and its label
#: A rough width of a character, in ems, for laying out the legend.
CHAR_EM = 0.58


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
#: Each hatch as one tile of its pattern: (side in points, the drawing). Lines run
#: a little past the tile's corners so that neighbouring tiles join without gaps.
HATCH_TILES = {
    "xx": (10, "M0 0L10 10M10 0L0 10M-1 9L1 11M9 -1L11 1M-1 1L1 -1M9 11L11 9"),
    "//": (6, "M0 6L6 0M-1 1L1 -1M5 7L7 5"),
    "..": (6, "M2.2 3a0.8 0.8 0 1 0 1.6 0a0.8 0.8 0 1 0 -1.6 0"),
    "--": (6, "M0 3H6"),
    "\\\\": (6, "M0 0L6 6M-1 5L1 7M5 -1L7 1"),
}


# --------------------------------------------------------------------------- SVG pieces


def _n(x: float) -> str:
    """A length as written in the file: two decimals at most, no trailing zeros."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text(x: float, y: float, words: str, size: float, **attrs: str) -> str:
    """Text whose baseline is placed so that ``y`` is its middle."""
    extra = f" {_attrs(attrs)}" if attrs else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y + 0.36 * size)}" font-size="{_n(size)}"{extra}>'
        f"{escape(chart_text(words))}</text>"
    )


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<path d="M{_n(x1)} {_n(y1)}L{_n(x2)} {_n(y2)}"/>'


def _document(width: float, height: float, body: list[str], defs: Sequence[str] = ()) -> bytes:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}pt" '
        f'height="{_n(height)}pt" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'font-family="{FONT}">'
    )
    parts = [head]
    if defs:
        parts += ["<defs>", *defs, "</defs>"]
    parts += [f'<rect width="{_n(width)}" height="{_n(height)}" fill="#ffffff"/>', *body, "</svg>"]
    return ("\n".join(parts) + "\n").encode("utf-8")


def _steps(low: float, high: float, most: int, *, whole: bool) -> list[float]:
    """Round ticks from ``low`` to ``high``: a step of 1, 2, 2.5 or 5 times a power
    of ten (no 2.5 for whole numbers), at most ``most`` steps."""
    span = high - low
    if span <= 0:
        return [low]
    raw = span / most
    power = 10 ** math.floor(math.log10(raw))
    factors = (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)
    step = next(f * power for f in factors if f * power >= raw * (1 - 1e-9))
    if whole:
        step = max(step, 1)
    first = math.ceil(low / step - 1e-9)
    ticks = []
    k = first
    while k * step <= high + step * 1e-9:
        ticks.append(round(k * step, 10))
        k += 1
    return ticks


def _tick_label(value: float, ticks: Sequence[float]) -> str:
    """A tick's number with as many decimals as the step needs, and no more."""
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    decimals = next(d for d in range(4) if abs(round(step, d) - step) < 1e-9 or d == 3)
    return f"{value:.{decimals}f}"


class _Axes:
    """A plotting area: data ranges mapped onto a rectangle of the picture."""

    def __init__(
        self,
        box: tuple[float, float, float, float],
        xs: tuple[float, float],
        ys: tuple[float, float],
    ) -> None:
        self.left, self.top, self.right, self.bottom = box
        self.xs, self.ys = xs, ys

    def x(self, value: float) -> float:
        low, high = self.xs
        return self.left + (value - low) / ((high - low) or 1) * (self.right - self.left)

    def y(self, value: float) -> float:
        low, high = self.ys
        return self.bottom - (value - low) / ((high - low) or 1) * (self.bottom - self.top)

    def spines(self) -> str:
        """The left and bottom edges (the top and right are left open)."""
        return (
            f'<path d="M{_n(self.left)} {_n(self.top)}V{_n(self.bottom)}H{_n(self.right)}" '
            f'fill="none" stroke="{INK}" stroke-width="0.8" stroke-linecap="square"/>'
        )

    def x_ticks(self, ticks: Sequence[tuple[float, str]], size: float) -> list[str]:
        marks = [_line(self.x(t), self.bottom, self.x(t), self.bottom + TICK) for t, _ in ticks]
        labels = [
            _text(self.x(t), self.bottom + 2 * TICK + 0.5 * size, label, size,
                  text_anchor="middle")
            for t, label in ticks
        ]  # fmt: skip
        return [f'<g stroke="{INK}" stroke-width="0.8">', *marks, "</g>", *labels]

    def y_ticks(self, ticks: Sequence[tuple[float, str]], size: float) -> list[str]:
        marks = [_line(self.left - TICK, self.y(t), self.left, self.y(t)) for t, _ in ticks]
        labels = [
            _text(self.left - 2 * TICK, self.y(t), label, size, text_anchor="end")
            for t, label in ticks
        ]
        return [f'<g stroke="{INK}" stroke-width="0.8">', *marks, "</g>", *labels]


# --------------------------------------------------------------------------- the areas chart


def _hatches() -> list[str]:
    patterns = []
    for state, (_, hatch, _) in STATE_STYLE.items():
        if hatch:
            side, drawing = HATCH_TILES[hatch]
            patterns.append(
                f'<pattern id="hatch-{state}" patternUnits="userSpaceOnUse" width="{side}" '
                f'height="{side}"><path d="{drawing}" stroke="{INK}" stroke-width="0.8" '
                f'fill="{INK}"/></pattern>'
            )
    return patterns


def _segment(state: str, x: float, y: float, width: float, height: float) -> str:
    fill, hatch, _ = STATE_STYLE[state]
    box = f'x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}"'
    edge = f'stroke="{INK}" stroke-width="0.6"'
    if not hatch:
        return f'<rect {box} fill="{fill}" {edge}/>'
    return f'<rect {box} fill="{fill}"/><rect {box} fill="url(#hatch-{state})" {edge}/>'


def _count(value: int, x: float, y: float, state: str) -> list[str]:
    """A segment's count, bold, on a patch of the segment's own colour (so that the
    pattern does not run through the figure)."""
    fill, _, ink = STATE_STYLE[state]
    size = 10.0
    width = len(str(value)) * 0.7 * size + 6
    height = 1.3 * size
    return [
        f'<rect x="{_n(x - width / 2)}" y="{_n(y - height / 2)}" width="{_n(width)}" '
        f'height="{_n(height)}" fill="{fill}"/>',
        _text(x, y, str(value), size, text_anchor="middle", font_weight="bold", fill=ink),
    ]


def _legend(centre: float, top: float) -> list[str]:
    """Three columns of two states each, as a swatch with its pattern and the word."""
    size, swatch = 10.0, (20.0, 7.0)
    columns = [STATE_ORDER[i : i + 2] for i in range(0, len(STATE_ORDER), 2)]
    widths = [
        swatch[0] + 6 + max(len(STATE[s]) for s in column) * CHAR_EM * size + 16
        for column in columns
    ]
    x = centre - (sum(widths) - 16) / 2
    parts = []
    for column, width in zip(columns, widths, strict=True):
        for row, state in enumerate(column):
            middle = top + 8 + row * 16
            parts.append(_segment(state, x, middle - swatch[1] / 2, *swatch))
            parts.append(_text(x + swatch[0] + 6, middle, STATE[state], size))
        x += width
    return parts


def areas_chart(labels: Sequence[str], counts: Sequence[dict[str, int]]) -> bytes:
    """Horizontal stacked bars, one per area (the first at the top), by state, each
    segment with its count where it is wide enough, and a legend below."""
    n = len(labels)
    width = AREAS_WIDTH_IN * PT_PER_INCH
    height = _areas_height_in(n) * PT_PER_INCH
    top_in, bottom_in = AREAS_MARGINS_IN
    widest = max((c["total"] for c in counts), default=0) or 1
    axes = _Axes(
        (0.14 * width, top_in * PT_PER_INCH, 0.97 * width, height - bottom_in * PT_PER_INCH),
        (0, widest * 1.02),
        (-0.6, n - 0.4),
    )
    body: list[str] = []
    labelled: list[str] = []
    for i, count in enumerate(counts):
        row = n - 1 - i  # the first area at the top
        start = 0
        for state in STATE_ORDER:
            value = count[state]
            if value:
                x0, x1 = axes.x(start), axes.x(start + value)
                top, bottom = axes.y(row + 0.35), axes.y(row - 0.35)
                body.append(_segment(state, x0, top, x1 - x0, bottom - top))
                if n <= LABEL_AREAS and value >= widest * 0.06:
                    labelled += _count(value, (x0 + x1) / 2, axes.y(row), state)
            start += value
    body += labelled
    body += axes.y_ticks([(n - 1 - i, label) for i, label in enumerate(labels)], 11)
    ticks = _steps(0, widest * 1.02, 8, whole=True)
    body += axes.x_ticks([(t, _tick_label(t, ticks)) for t in ticks], 11)
    body.append(axes.spines())
    centre = (axes.left + axes.right) / 2
    body.append(
        _text(centre, axes.bottom + 2 * TICK + 22, "Number of actions", 11, text_anchor="middle")
    )
    body += _legend(centre, axes.bottom + 0.55 * PT_PER_INCH)
    return _document(width, height, body, _hatches())


# --------------------------------------------------------------------------- the trend chart


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


def _month(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def _value_range(
    figures: Sequence[float], percent: bool
) -> tuple[tuple[float, float], list[tuple[float, str]]]:
    """The vertical range and its ticks: 0 to 100% for percentages, from 0 for
    figures that are never negative, else the figures' own range with a margin."""
    if percent:
        return (0, 100), [(v, f"{v}%") for v in range(0, 101, 20)]
    if not figures:
        low, high = 0.0, 1.0
    elif min(figures) >= 0:
        low, high = 0.0, max(figures) * 1.1 or 1.0
    else:
        low, high = min(figures), max(figures)
        margin = (high - low) * 0.05 or abs(low) * 0.05 or 1.0
        low, high = low - margin, high + margin
    ticks = _steps(low, high, 7, whole=False)
    return (low, high), [(t, _tick_label(t, ticks)) for t in ticks]


def _attrs(style: dict[str, str]) -> str:
    return " ".join(f"{k.replace('_', '-')}={quoteattr(v)}" for k, v in style.items())


def _squares(axes: _Axes, points: Sequence[tuple[float, float]], side: float, **style: str) -> str:
    half = side / 2
    marks = "".join(
        f'<rect x="{_n(axes.x(x) - half)}" y="{_n(axes.y(y) - half)}" '
        f'width="{_n(side)}" height="{_n(side)}"/>'
        for x, y in points
    )
    return f"<g {_attrs(style)}>{marks}</g>"


def _dots(axes: _Axes, points: Sequence[tuple[float, float]], radius: float, **style: str) -> str:
    marks = "".join(
        f'<circle cx="{_n(axes.x(x))}" cy="{_n(axes.y(y))}" r="{_n(radius)}"/>' for x, y in points
    )
    return f"<g {_attrs(style)}>{marks}</g>"


def _polyline(axes: _Axes, points: Sequence[tuple[float, float]], **style: str) -> str:
    attrs = _attrs(style)
    coords = " ".join(f"{_n(axes.x(x))},{_n(axes.y(y))}" for x, y in points)
    return f'<polyline points="{coords}" fill="none" clip-path="url(#plot)" {attrs}/>'


def trend_chart(
    values: Sequence[tuple[date, float, bool]],
    trajectory: Sequence[tuple[date, float]],
    *,
    percent: bool,
) -> bytes:
    """An indicator's figures (solid, hollow where provisional) and the trajectory
    to its targets (dashed), on ticks at the first of a month."""
    width, height = (s * PT_PER_INCH for s in TREND_SIZE_IN)
    days = [d for d, _, _ in values] + [d for d, _ in trajectory]
    xs: tuple[float, float] = (0, 1)
    x_ticks: list[tuple[float, str]] = []
    if days:
        first, last = min(days), max(days)
        pad = max(15, (last - first).days // 20)
        xs = (first.toordinal() - pad, last.toordinal() + pad)
        x_ticks = [
            (float(t), label)
            for t, label in month_ticks(first, last) or [(first.toordinal(), _month(first))]
        ]
    ys, y_ticks = _value_range([v for _, v, _ in values] + [v for _, v in trajectory], percent)
    axes = _Axes((0.12 * width, 0.05 * height, 0.97 * width, 0.86 * height), xs, ys)
    plot = (
        f'<clipPath id="plot"><rect x="{_n(axes.left)}" y="{_n(axes.top)}" '
        f'width="{_n(axes.right - axes.left)}" height="{_n(axes.bottom - axes.top)}"/></clipPath>'
    )
    body = [*axes.y_ticks(y_ticks, 10), *axes.x_ticks(x_ticks, 10), axes.spines()]
    if trajectory:
        line = [(float(d.toordinal()), v) for d, v in trajectory]
        body.append(
            _polyline(axes, line, stroke=TRAJECTORY_COLOUR, stroke_width="1.5",
                      stroke_dasharray="5.55 2.4")
        )  # fmt: skip
        body.append(_squares(axes, line, 4, fill=TRAJECTORY_COLOUR))
    if values:
        line = [(float(d.toordinal()), v) for d, v, _ in values]
        body.append(_polyline(axes, line, stroke=VALUE_COLOUR, stroke_width="2"))
        body.append(_dots(axes, line, 2.5, fill=VALUE_COLOUR))
        provisional = [(float(d.toordinal()), v) for d, v, p in values if p]
        if provisional:
            body.append(
                _dots(axes, provisional, 3.5, fill="#ffffff", stroke=VALUE_COLOUR,
                      stroke_width="2")
            )  # fmt: skip
    return _document(width, height, body, [plot])  # the page's caption is the key
