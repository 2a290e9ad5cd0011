"""Indicators in a workbook: one row each on the Indicators sheet (with the
baseline's date and value as two columns), and their values, targets and
comparators on sheets of their own, a row per entry naming its indicator.

:func:`indicator_rows` gives export the rows of those four sheets;
:func:`read_indicators` reads them back, recording where each value came from
under its key path (``("indicators", 2, "values", 0, "value")``), so that
validation's findings about a figure land on its cell. A figure typed as text
("45%") is passed on as written: validation says what to write.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

from send_plan.excel.cells import (
    ids_text,
    read_date,
    read_figure,
    read_flag,
    read_id,
    read_ids,
    read_vocabulary,
)
from send_plan.excel.data import (
    BaselineData,
    ComparatorData,
    IndicatorData,
    PlanData,
    TargetData,
    ValueData,
)
from send_plan.excel.layout import (
    INDICATOR_COMPARATORS,
    INDICATOR_TARGETS,
    INDICATOR_VALUES,
    INDICATORS,
    PLAN_LIST_SHEETS,
)
from send_plan.excel.places import KeyPath
from send_plan.excel.rows import ReadContext, Reader, Row, ordered
from send_plan.model import Indicator
from send_plan.vocab import Frequency, Polarity, Unit

#: An indicator's keys in the format's order, as the model declares them.
INDICATOR_KEYS = tuple(Indicator.model_fields)
#: Each entry sheet: the indicator's list it fills, and its entries' keys.
ENTRY_SHEETS: dict[str, tuple[str, tuple[str, ...]]] = {
    INDICATOR_VALUES: ("values", ("date", "value", "note", "provisional")),
    INDICATOR_TARGETS: ("targets", ("by", "value")),
    INDICATOR_COMPARATORS: ("comparators", ("name", "date", "value")),
}
_ENTRY_SHAPE: dict[str, type[Mapping[str, object]]] = {
    INDICATOR_VALUES: ValueData,
    INDICATOR_TARGETS: TargetData,
    INDICATOR_COMPARATORS: ComparatorData,
}


def _yes_no(flag: bool | None) -> str | None:
    return None if flag is None else ("yes" if flag else "no")


def indicator_rows(data: PlanData) -> dict[str, list[list[object]]]:
    """The rows of the Indicators sheet and of its three entry sheets, in the plan's order."""
    rows: dict[str, list[list[object]]] = {title: [] for title in (INDICATORS, *ENTRY_SHEETS)}
    for ind in data.get("indicators", ()):
        baseline = ind.get("baseline", {})
        fields: dict[str, object] = {
            **ind,
            "baseline_date": baseline.get("date"),
            "baseline_value": baseline.get("value"),
            "areas": ids_text(ind.get("areas", ())),
            "actions": ids_text(ind.get("actions", ())),
            "published": _yes_no(ind.get("published")),
        }
        rows[INDICATORS].append([fields.get(f) for f in PLAN_LIST_SHEETS[INDICATORS]])
        for title, (key, _) in ENTRY_SHEETS.items():
            entries = cast("Sequence[Mapping[str, object]]", ind.get(key, ()))
            for entry in entries:
                values = {**entry, "indicator": ind["id"]}
                if "provisional" in values:
                    values["provisional"] = _yes_no(cast(bool, values["provisional"]))
                rows[title].append([values.get(f) for f in PLAN_LIST_SHEETS[title]])
    return rows


#: Vocabulary cells export offers as drop-downs.
INDICATOR_CHOICES: dict[str, dict[str, list[str]]] = {
    INDICATORS: {
        "Unit": [u.value for u in Unit],
        "Polarity": [p.value for p in Polarity],
        "Frequency": [f.value for f in Frequency],
        "Published": ["yes", "no"],
    },
    INDICATOR_VALUES: {"Provisional": ["yes", "no"]},
}


def _unit(value: object) -> str | None:
    return read_vocabulary(value, [u.value for u in Unit], "unit")


def _polarity(value: object) -> str | None:
    return read_vocabulary(value, [p.value for p in Polarity], "polarity")


def _frequency(value: object) -> str | None:
    return read_vocabulary(value, [f.value for f in Frequency], "frequency")


def read_indicators(ctx: ReadContext) -> list[IndicatorData]:
    """The Indicators sheet and its entry sheets; each value's cell under its key path."""
    readers: dict[str, Reader] = {
        "id": read_id,
        "unit": _unit,
        "polarity": _polarity,
        "frequency": _frequency,
        "partner": ctx.readers.partner,
        "areas": read_ids,
        "actions": read_ids,
        "tolerance": read_figure,
        "baseline_date": read_date,
        "baseline_value": read_figure,
        "published": read_flag,
    }
    out: list[IndicatorData] = []
    first: dict[str, int] = {}
    for row in ctx.table(INDICATORS, readers):
        ident = row.values.get("id")
        if isinstance(ident, str) and ident in first:
            ctx.log.bad(
                row.cell, f"indicator '{ident}' is listed twice (first on row {first[ident]})"
            )
            continue
        if isinstance(ident, str):
            first[ident] = row.cell.row
        out.append(_indicator(ctx, row, ("indicators", len(out))))
    _read_entries(ctx, out)
    return out


def _indicator(ctx: ReadContext, row: Row, at: KeyPath) -> IndicatorData:
    values: dict[str, object] = dict(row.values)
    cells = dict(row.cells)
    ctx.places.add(at, row.cell)
    baseline: dict[str, object] = {}
    for part in ("date", "value"):
        if f"baseline_{part}" in values:
            baseline[part] = values.pop(f"baseline_{part}")
            where = cells.pop(f"baseline_{part}")
            ctx.places.add((*at, "baseline", part), where)
            if len(baseline) == 1:
                ctx.places.add((*at, "baseline"), where)
    if baseline:
        values["baseline"] = cast(BaselineData, baseline)
    for f, where in cells.items():
        ctx.places.add((*at, f), where)
    return ordered(values, INDICATOR_KEYS, IndicatorData)


def _read_entries(ctx: ReadContext, indicators: Sequence[IndicatorData]) -> None:
    """Values, targets and comparators, each attached to the indicator its row names."""
    by_id = {ind["id"]: k for k, ind in enumerate(indicators) if "id" in ind}
    readers: dict[str, Reader] = {
        "indicator": read_id,
        "date": read_date,
        "by": read_date,
        "value": read_figure,
        "provisional": read_flag,
    }
    for title, (key, keys) in ENTRY_SHEETS.items():
        for entry, k in ctx.owned(title, readers, "indicator", by_id.get, INDICATORS):
            entry.cells.pop("indicator", None)
            lists = cast("dict[str, list[object]]", indicators[k])  # the lists, by name
            items = lists.setdefault(key, [])
            at = ("indicators", k, key, len(items))
            items.append(ordered(entry.values, keys, _ENTRY_SHAPE[title]))
            ctx.places.add(at, entry.cell)
            ctx.places.add_all(at, {(f,): where for f, where in entry.cells.items()})
