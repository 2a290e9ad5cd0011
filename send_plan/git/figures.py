"""Indicator figures in git: what a plan version held, figures added and restated.

A figure (an indicator's value for a period, known by the period's date) that
was changed after it was first committed is a *restatement*. This module owns

- :class:`FigureDigest` and :class:`IndicatorDigest`, the part of a plan
  version's digest that holds its indicators, and their cache JSON;
- :func:`figure_changes`: the ``indicator-value`` and ``indicator-restated``
  changes between two versions of a plan (for ``changes`` and the board summary);
- :func:`restated_without_note`: W402, a published figure restated in a pull
  request without a ``note`` on that value (for ``validate --base``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from send_plan.revisions import Change

if TYPE_CHECKING:
    from send_plan.findings import Finding
    from send_plan.loader import LoadedFile
    from send_plan.model import Plan


@dataclass(frozen=True, slots=True)
class FigureDigest:
    """One value of an indicator: the period's date (YYYY-MM-DD), the figure,
    whether it is provisional, and whether it has a note."""

    date: str
    value: float
    provisional: bool
    noted: bool


@dataclass(frozen=True, slots=True)
class IndicatorDigest:
    """An indicator of a valid version: whether it is published, and its values."""

    published: bool
    values: tuple[FigureDigest, ...]

    def by_date(self) -> dict[str, FigureDigest]:
        return {v.date: v for v in self.values}


def indicator_digests(plan: Plan) -> dict[str, IndicatorDigest]:
    """The indicators of a plan model, by id, in file order."""
    return {
        ind.id: IndicatorDigest(
            ind.published,
            tuple(
                FigureDigest(v.date.isoformat(), v.value, v.provisional, v.note is not None)
                for v in ind.values
            ),
        )
        for ind in plan.indicators
    }


# --------------------------------------------------------------------------- JSON


def indicators_json(indicators: Mapping[str, IndicatorDigest]) -> dict[str, Any]:
    """``{id: [published, [[date, value, provisional, noted], ...]]}``."""
    return {
        ident: [d.published, [[v.date, v.value, v.provisional, v.noted] for v in d.values]]
        for ident, d in indicators.items()
    }


class Damaged(Exception):
    """A cache entry whose indicators do not have the shape :func:`indicators_json` writes."""


def indicators_from_json(value: object) -> dict[str, IndicatorDigest]:
    """What :func:`indicators_json` wrote; :class:`Damaged` for any other shape."""
    if not isinstance(value, dict):
        raise Damaged
    out = {}
    for ident, row in value.items():
        if not (isinstance(ident, str) and isinstance(row, list) and len(row) == 2):
            raise Damaged
        published, values = row
        if not isinstance(published, bool) or not isinstance(values, list):
            raise Damaged
        out[ident] = IndicatorDigest(published, tuple(_figure(v) for v in values))
    return out


def _figure(value: object) -> FigureDigest:
    if not isinstance(value, list) or len(value) != 4:
        raise Damaged
    day, figure, provisional, noted = value
    if not (
        isinstance(day, str)
        and isinstance(figure, int | float)
        and not isinstance(figure, bool)
        and isinstance(provisional, bool)
        and isinstance(noted, bool)
    ):
        raise Damaged
    try:
        if len(day) != 10:
            raise ValueError
        date.fromisoformat(day)
        return FigureDigest(day, float(figure), provisional, noted)
    except (ValueError, OverflowError):
        raise Damaged from None


# --------------------------------------------------------------------------- changes


def figure_changes(
    plan_id: str, old: Mapping[str, IndicatorDigest], new: Mapping[str, IndicatorDigest]
) -> Iterator[Change]:
    """Figures added (``indicator-value``, from None) and restated
    (``indicator-restated``, from the old figure to the new) between two versions
    of a plan: indicators in the new file's order, figures by date."""
    for ident, after in new.items():
        before = old[ident].by_date() if ident in old else {}
        for v in after.values:
            was = before.get(v.date)
            if was is None:
                yield Change(plan_id, None, "indicator-value", None, v.value, None, ident, v.date)
            elif was.value != v.value:
                yield Change(
                    plan_id, None, "indicator-restated", was.value, v.value, None, ident, v.date
                )


# --------------------------------------------------------------------------- the change rule


def restated_without_note(
    f: LoadedFile, plan: Plan, base: Mapping[str, IndicatorDigest], base_rev: str
) -> Iterator[Finding]:
    """W402: a figure of an indicator published at the base, changed here, with no
    ``note`` on the value to say why."""
    for k, ind in enumerate(plan.indicators):
        before = base.get(ind.id)
        if before is None or not before.published:
            continue  # new here, or not yet cleared for publication: nothing published
        was = before.by_date()
        for n, value in enumerate(ind.values):
            old = was.get(value.date.isoformat())
            if old is None or old.value == value.value or value.note is not None:
                continue
            yield f.finding(
                "W402",
                f"the {value.date} figure of {ind.id} was {_shown(old.value)} at {base_rev} "
                f"and is now {_shown(value.value)}: a published figure that is restated needs "
                "a note on that value saying why (for example 'Revised in the final SEN2 "
                "return')",
                ("indicators", k, "values", n, "value"),
                obj=ind.id,
            )


def _shown(value: float) -> str:
    return f"{value:g}"
