"""Column widths for Word tables, chosen from what the columns hold.

Word lays out a fixed-width table as told, so the widths are decided here. Each
column first gets room for its longest word, so no word breaks inside itself
("overdue" never becomes "overdu/e"), and a short cell such as a date gets room
to break at most once ("30 September / 2019", never one word a line). The rest
of the width is then given out a little at a time to whichever column makes the
table shortest for the room it takes: the long titles and updates that make
rows tall get it, a column of dates gets it only when a row's height depends on
it. Text is measured with Arial's widths (Helvetica's, which Arial copies),
close enough for any sans-serif font to choose widths by.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

# Helvetica (Arial) advance widths in 1/1000 em, characters 32 to 126.
_REGULAR = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 "
    "556 556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 "
    "556 833 722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 "
    "556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 "
    "500 500 500 334 260 334 584"
)
_BOLD = (
    "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 "
    "556 556 556 556 333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 "
    "611 833 722 778 667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556 333 556 "
    "611 556 611 556 333 611 611 278 278 556 278 889 611 611 611 611 389 556 333 611 556 778 "
    "556 556 500 389 280 389 584"
)
WIDTHS = {
    False: [0] * 32 + [int(w) for w in _REGULAR.split()],
    True: [0] * 32 + [int(w) for w in _BOLD.split()],
}
OTHER = 600  # a character outside ASCII: a little wider than a lower-case letter

#: Room Word leaves inside a cell (0.075 inch each side, python-docx's and
#: Word's default cell margins), plus a little for borders and rounding.
CELL_PADDING_TWIPS = 2 * 108 + 40
#: A cell of up to this many characters breaks at most once.
SHORT = 18
#: No column's minimum may take more than this share of the table (a long URL
#: then breaks, rather than squeezing every other column).
MOST = 0.4
#: How much a cell's own height counts besides its row's (so that of two tall
#: cells in a row, widening either is seen to help).
OWN = 0.2
#: Rows looked at when sharing out the width (spread evenly through the table).
SAMPLE_ROWS = 40
#: The width is given out in this many steps.
STEPS = 60


def text_width(text: str, size_pt: float, *, bold: bool = False) -> int:
    """The width of one line of text, in twips (1/20 pt)."""
    words = text.split()
    units = sum(_units(w, bold) for w in words) + WIDTHS[bold][32] * (len(words) - 1)
    return round(max(units, 0) * size_pt * 20 / 1000)


@functools.lru_cache(maxsize=1 << 16)
def _units(word: str, bold: bool) -> int:
    """A word's width in 1/1000 em (words recur across a table's rows: kept)."""
    table = WIDTHS[bold]
    return sum(table[o] if (o := ord(c)) < 127 else OTHER for c in word)


def _least(text: str, bold: bool, size_pt: float) -> int:
    """The narrowest a cell may be: its longest word, or for a short cell of several
    words, its better half (so it takes two lines at most)."""
    words = text.split()
    if not words:
        return 0
    units = [_units(w, bold) for w in words]
    if len(text) <= SHORT and len(words) > 1 and "\n" not in text:
        space = WIDTHS[bold][32]
        total = sum(units) + space * (len(units) - 1)
        before = 0
        best = total
        for i in range(1, len(units)):
            before += units[i - 1] + (space if i > 1 else 0)
            best = min(best, max(before, total - before - space))
        widest = best
    else:
        widest = max(units)
    return round(widest * size_pt * 20 / 1000)


class _Table:
    """The words of the sampled rows, and how many lines each cell takes at a width."""

    def __init__(self, cells: list[list[list[list[int]]]], size_pt: float) -> None:
        #: row -> column -> the cell's lines -> the widths of their words (twips)
        self.cells = cells
        self.space = text_width(" ", size_pt)
        self._seen: dict[tuple[int, int], list[int]] = {}

    def column(self, column: int, width: int) -> list[int]:
        """Each sampled row's height, in lines, of its cell in ``column`` at ``width``."""
        key = (column, width)
        if key not in self._seen:
            inner = max(width - CELL_PADDING_TWIPS, 1)
            self._seen[key] = [self._lines(row[column], inner) for row in self.cells]
        return self._seen[key]

    def _lines(self, cell: list[list[int]], inner: int) -> int:
        """Lines the cell's text wraps to, breaking between words as Word does."""
        count = 0
        for words in cell:
            count += 1
            used = -self.space
            for word in words:
                if used + self.space + word <= inner or used < 0:
                    used += self.space + word
                else:
                    count += 1
                    used = word
                if used > inner:  # a word wider than the column breaks inside itself
                    count += used // inner
                    used %= inner
        return max(count, 1)


def column_widths(
    header: Sequence[str],
    rows: Sequence[Sequence[tuple[str, bool]]],
    available_twips: int,
    size_pt: float,
) -> list[int]:
    """Widths in twips that add up to ``available_twips``.

    ``rows`` holds each cell as (text, bold); the header is bold and may wrap
    between any two words.
    """
    return layout(header, rows, available_twips, size_pt)[0]


def layout(
    header: Sequence[str],
    rows: Sequence[Sequence[tuple[str, bool]]],
    available_twips: int,
    size_pt: float,
) -> tuple[list[int], float]:
    """The column widths, and how many lines a row then takes on average."""
    count = len(header)
    cap = round(available_twips * MOST)
    least = [0] * count
    for i, text in enumerate(header):
        least[i] = max((text_width(w, size_pt, bold=True) for w in text.split()), default=0)
    seen: set[tuple[int, str, bool]] = set()
    for row in rows:
        for i, (text, bold) in enumerate(row):
            if (i, text, bold) not in seen:  # the same lead or date recurs down a column
                seen.add((i, text, bold))
                least[i] = max(least[i], _least(text, bold, size_pt))
    least = [min(w + CELL_PADDING_TWIPS, cap) for w in least]
    chosen = rows if len(rows) <= SAMPLE_ROWS else [
        rows[i * len(rows) // SAMPLE_ROWS] for i in range(SAMPLE_ROWS)
    ]  # fmt: skip
    table = _Table(
        [[_words(text, size_pt, True) for text in header]]
        + [[_words(text, size_pt, bold) for text, bold in row] for row in chosen],
        size_pt,
    )
    if sum(least) >= available_twips:
        widths = _share(available_twips, least)
    else:
        step = max(available_twips // STEPS, 20)
        grown = _grow(table, least, available_twips - sum(least), step)
        spare = available_twips - sum(grown)
        widths = [w + s for w, s in zip(grown, _share(spare, grown), strict=True)]
    lines = [table.column(c, w) for c, w in enumerate(widths)]
    rows_lines = [max(row) for row in zip(*lines, strict=True)]
    return widths, sum(rows_lines) / len(rows_lines)


def _words(text: str, size_pt: float, bold: bool) -> list[list[int]]:
    """The widths of each line's words."""
    return [[text_width(w, size_pt, bold=bold) for w in line.split()] for line in text.split("\n")]


def _grow(table: _Table, widths: list[int], spare: int, step: int) -> list[int]:
    """Give out ``spare`` in steps, each to the column that shortens the table most
    for the width it takes; stop when no column would shorten it.

    A table's height is the sum of its rows' tallest cells, plus a little of
    every cell's own height (:data:`OWN`), so that widening one of two equally
    tall cells counts as progress.
    """
    widths = list(widths)
    count = len(widths)
    heights = [
        list(row) for row in zip(*(table.column(c, widths[c]) for c in range(count)), strict=True)
    ]
    while spare >= step:
        tallest = [max(row) for row in heights]
        others = [_others(row) for row in heights]
        best: tuple[float, int, int] | None = None
        for c in range(count):
            for jump in (1, 3, 8):
                extra = step * jump
                if extra > spare:
                    break
                column = table.column(c, widths[c] + extra)
                gain = sum(
                    t - max(o[c], h) + OWN * (row[c] - h)
                    for t, o, h, row in zip(tallest, others, column, heights, strict=True)
                )
                if gain > 0 and (best is None or gain / extra > best[0]):
                    best = (gain / extra, c, extra)
        if best is None:
            break
        _, c, extra = best
        widths[c] += extra
        spare -= extra
        for row, h in zip(heights, table.column(c, widths[c]), strict=True):
            row[c] = h
    return widths


def _others(row: list[int]) -> list[int]:
    """For each cell, the tallest of the other cells in its row."""
    top = max(row)
    if row.count(top) > 1:
        return [top] * len(row)
    second = max((h for h in row if h != top), default=0)
    return [second if h == top else top for h in row]


def _share(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split in proportion to ``weights``, adding up exactly."""
    weight = sum(weights) or 1
    out = [total * w // weight for w in weights]
    if out:
        out[out.index(max(out))] += total - sum(out)
    return out
