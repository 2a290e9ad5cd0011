"""The ``--columns`` mapping file: how to read someone else's tracker.

A YAML file naming, for each plan field, the tracker's column heading, with
extra status and RAG spellings, a default area, plan details and partners (see
docs/excel.md). :func:`load_mapping` reads it into a :class:`ColumnMap`; any
problem in it is a :class:`~send_plan.errors.UsageError` naming its line and
column, since nothing can be imported until the mapping is right.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from send_plan.errors import UsageError
from send_plan.excel.cells import read_date
from send_plan.excel.layout import MAPPABLE, PLAN_FIELDS
from send_plan.excel.places import BadValue
from send_plan.loader import LoadedFile, load_text
from send_plan.vocab import ActionStatus, AreaKind, Rag, nearest, rag_key, status_key


@dataclass(frozen=True)
class ColumnMap:
    """How to read a tracker: plan field -> column heading, and extra vocabulary.

    Read from a ``--columns`` YAML file by :func:`load_mapping`; see docs/excel.md.
    """

    columns: Mapping[str, str] = field(default_factory=dict)
    statuses: Mapping[str, str] = field(default_factory=dict)
    rags: Mapping[str, str | None] = field(default_factory=dict)
    sheet: str | None = None
    area: Mapping[str, str | None] = field(default_factory=dict)
    plan: Mapping[str, str | None] = field(default_factory=dict)
    partners: Mapping[str, str | None] = field(default_factory=dict)
    update_date: date | None = None
    name: str = "the column mapping"


_MAPPING_KEYS = ("sheet", "columns", "statuses", "rags", "area", "plan", "partners", "update_date")


class _MappingFile:
    """The loaded file, and refusals that name the line and column of a key or value."""

    def __init__(self, loaded: LoadedFile, data: Mapping[str, object], name: str) -> None:
        self.loaded = loaded
        self.data = data
        self.name = name

    def fail(self, loc: Sequence[str | int], message: str, *, key: bool = False) -> UsageError:
        line, column = self.loaded.source.position(loc, key=key)
        return UsageError(f"{self.name}:{line}:{column}: {message}")

    def mapping(self, key: str) -> dict[str, str | None]:
        """The section ``key`` as single values by key ({} when it is not given)."""
        value = self.data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail((key,), f"'{key}' must be a mapping of keys to values")
        out: dict[str, str | None] = {}
        for k, v in value.items():
            if v is not None and not isinstance(v, str):
                raise self.fail(
                    (key, k), f"'{key}.{k}' must be a single value, not a list or mapping"
                )
            out[k] = v
        return out


def load_mapping(raw: bytes, name: str) -> ColumnMap:
    """Read a column-mapping file; any problem is a UsageError naming line and column."""
    loaded = load_text(name, raw)
    errors = [f for f in loaded.findings if f.is_error]
    if loaded.data is None or errors:
        first = errors[0] if errors else None
        if first is None or first.code == "E006":
            raise UsageError(f"{name}: a column mapping must be a YAML mapping with 'columns:'")
        raise UsageError(f"{name}:{first.line}:{first.column}: {first.message}")
    f = _MappingFile(loaded, loaded.data, name)
    _check_keys(f)
    # In the order the file's sections are checked, so the first problem is the one told.
    columns, statuses, rags = _columns(f), _statuses(f), _rags(f)
    area, plan, sheet, update_date = _area(f), _plan(f), _sheet(f), _update_date(f)
    partners = f.mapping("partners")
    return ColumnMap(columns, statuses, rags, sheet, area, plan, partners, update_date, name)


def _sheet(f: _MappingFile) -> str | None:
    sheet = f.data.get("sheet")
    if sheet is not None and not isinstance(sheet, str):
        raise f.fail(("sheet",), "'sheet' must be the name of a sheet")
    return sheet


def _check_keys(f: _MappingFile) -> None:
    for key in f.data:
        if key not in _MAPPING_KEYS:
            guess = nearest(key, _MAPPING_KEYS)
            hint = (
                f"did you mean '{guess}'?"
                if guess
                else f"valid keys are {', '.join(_MAPPING_KEYS)}"
            )
            raise f.fail((key,), f"unknown key '{key}': {hint}", key=True)


def _columns(f: _MappingFile) -> dict[str, str]:
    columns: dict[str, str] = {}
    for fld, heading in f.mapping("columns").items():
        if fld == "rescheduled":
            raise f.fail(
                ("columns", fld),
                "deadline changes cannot be read from one column: map original_due and due "
                "(the first and the current deadline) instead",
                key=True,
            )
        if fld not in MAPPABLE:
            guess = nearest(fld, MAPPABLE)
            hint = f"did you mean '{guess}'?" if guess else f"fields are {', '.join(MAPPABLE)}"
            raise f.fail(
                ("columns", fld), f"'{fld}' is not a field a column can fill: {hint}", key=True
            )
        if not heading or not heading.strip():
            raise f.fail(("columns", fld), f"give the column heading for '{fld}'")
        columns[fld] = heading
    if not columns:
        raise f.fail((), "the mapping needs 'columns:' (plan field: the tracker's column heading)")
    return columns


def _statuses(f: _MappingFile) -> dict[str, str]:
    statuses: dict[str, str] = {}
    for word, status in f.mapping("statuses").items():
        if status is None or status not in {s.value for s in ActionStatus}:
            raise f.fail(
                ("statuses", word),
                f"'{status}' is not a status ({', '.join(s.value for s in ActionStatus)})",
            )
        statuses[status_key(word)] = status
    return statuses


def _rags(f: _MappingFile) -> dict[str, str | None]:
    rags: dict[str, str | None] = {}
    for word, rag in f.mapping("rags").items():
        if rag is not None and rag not in {r.value for r in Rag}:
            raise f.fail(
                ("rags", word),
                f"'{rag}' is not a RAG rating ({', '.join(r.value for r in Rag)}, "
                "or ~ for no rating)",
            )
        rags[rag_key(word)] = rag
    return rags


def _area(f: _MappingFile) -> dict[str, str | None]:
    area = f.mapping("area")
    for k in area:
        if k not in ("id", "kind", "title"):
            raise f.fail(
                ("area", k), f"unknown key '{k}' in area: use id, kind and title", key=True
            )
    if "kind" in area and area["kind"] not in {k.value for k in AreaKind}:
        raise f.fail(
            ("area", "kind"),
            f"'{area['kind']}' is not an area kind ({', '.join(k.value for k in AreaKind)})",
        )
    return area


def _plan(f: _MappingFile) -> dict[str, str | None]:
    plan = f.mapping("plan")
    for k in plan:
        if k not in PLAN_FIELDS:
            guess = nearest(k, PLAN_FIELDS)
            raise f.fail(
                ("plan", k),
                f"unknown key '{k}' in plan" + (f": did you mean '{guess}'?" if guess else ""),
                key=True,
            )
    return plan


def _update_date(f: _MappingFile) -> date | None:
    value = f.data.get("update_date")
    if value is None:
        return None
    try:
        return read_date(value)
    except BadValue as bad:
        raise f.fail(("update_date",), bad.message) from None
