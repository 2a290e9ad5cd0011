"""Plain data -> :class:`~send_plan.model.Plan`, with Pydantic's errors rewritten
for an analyst: what is wrong, where, and the nearest valid key or value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from send_plan.findings import Finding
from send_plan.loader import LoadedFile
from send_plan.model import MODEL_BY_CONTEXT, SCHEMA_VERSION, UNION_TAGS, VOCABULARY, Plan
from send_plan.vocab import nearest, rag_canonical, status_hint, suggest_value

Loc = tuple[str | int, ...]

_LIST_CONTEXT = {
    "accountable": "accountable entry",
    "reviews": "review",
    "areas": "area",
    "actions": "action",
    "updates": "update",
    "rescheduled": "rescheduled entry",
    "evidence": "evidence item",
    "indicators": "indicator",
    "targets": "target",
    "values": "value",
    "comparators": "comparator",
}

#: A few words on what a missing key should hold.
_HINTS = {
    "due": "the deadline agreed now, as YYYY-MM-DD",
    "lead": "the post accountable for it, e.g. 'Head of Service, Inclusion'",
    "status": "one of not-started, in-progress, complete, withdrawn",
    "id": "a short unique id",
    "kind": "the kind of plan or area",
    "local_area": "the local area's name, e.g. Lancashire",
    "start": "a date, YYYY-MM-DD",
    "end": "a date, YYYY-MM-DD",
    "plan": "the plan's details (id, local_area, kind, start, end)",
    "areas": "at least one area with its actions",
    "rating": "red, red-amber, amber, amber-green or green",
}


def to_model(loaded: LoadedFile) -> None:
    """Validate ``loaded.data`` into ``loaded.plan``, or add findings explaining why not."""
    data = loaded.data
    if data is None:
        return
    if not _schema_version_ok(loaded, data):
        return
    try:
        loaded.plan = Plan.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        inside_areas = any(len(e["loc"]) > 1 and e["loc"][0] == "areas" for e in errors)
        errors = [e for e in errors if not (e["type"] == "too_short" and inside_areas)]
        loaded.findings.extend(_translate(loaded, data, err) for err in errors)
        _salvage(loaded, data, errors)


def _salvage(loaded: LoadedFile, data: dict[str, Any], errors: list[Any]) -> None:
    """Validate what remains once the areas and actions at fault are set aside.

    Per-file rules then still report on the rest of the plan in the same run. A
    salvaged plan is *partial*: cross-plan rules treat it as unreadable, so that
    an action set aside can never be reported as missing elsewhere.
    """
    bad_actions: set[tuple[int, int]] = set()
    bad_areas: set[int] = set()
    for err in errors:
        loc = err["loc"]
        if len(loc) < 2 or loc[0] != "areas" or not isinstance(loc[1], int):
            return  # a problem outside the areas: nothing sensible to salvage
        if len(loc) >= 4 and loc[2] == "actions" and isinstance(loc[3], int):
            bad_actions.add((loc[1], loc[3]))
        else:
            bad_areas.add(loc[1])
    areas = data.get("areas")
    if not isinstance(areas, list):
        return
    kept_areas: list[Any] = []
    area_map: list[int] = []
    action_map: dict[tuple[int, int], int] = {}
    for i, area in enumerate(areas):
        if i in bad_areas or not isinstance(area, dict):
            continue
        actions = area.get("actions")
        if isinstance(actions, list):
            kept = [j for j in range(len(actions)) if (i, j) not in bad_actions]
            for new_j, j in enumerate(kept):
                action_map[(len(kept_areas), new_j)] = j
            area = {**area, "actions": [actions[j] for j in kept]}
        area_map.append(i)
        kept_areas.append(area)
    try:
        partial = Plan.model_validate({**data, "areas": kept_areas})
    except ValidationError:
        return
    loaded.plan = partial
    loaded.partial = True
    loaded.area_map = area_map
    loaded.action_map = action_map


def _schema_version_ok(loaded: LoadedFile, data: dict[str, Any]) -> bool:
    if "schema_version" not in data:
        message = "schema_version is missing: start the file with 'schema_version: 1'"
        loaded.findings.append(loaded.finding("E101", message, (), raw=True))
        return False
    value = data["schema_version"]
    if value != str(SCHEMA_VERSION):
        message = (
            f"schema_version is {value!r}; this version of send-plan reads "
            f"schema_version {SCHEMA_VERSION}"
        )
        loaded.findings.append(loaded.finding("E101", message, ("schema_version",), raw=True))
        return False
    return True


def context_of(loc: Sequence[str | int]) -> str:
    """What kind of mapping ``loc`` points into: 'file', 'plan', 'action', ..."""
    context = "file"
    for i, part in enumerate(loc):
        if isinstance(part, int):
            previous = loc[i - 1] if i else None
            if isinstance(previous, str) and previous in _LIST_CONTEXT:
                context = _LIST_CONTEXT[previous]
                if previous == "updates" and loc[i - 3 : i - 1][:1] == ("areas",):
                    context = "area update"  # areas.N.updates, not an action's
                if previous == "areas" and i >= 3 and loc[i - 3] == "reviews":
                    context = "area judgement"
        elif i == 0 and part in ("plan", "partners"):
            context = part
        elif part == "baseline":
            context = "baseline"
    return context


def object_of(data: Any, loc: Sequence[str | int]) -> str | None:
    """The id of the innermost area or action on ``loc``, read from the raw data."""
    found: str | None = None
    node = data
    for i, part in enumerate(loc):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(part, int) and i and loc[i - 1] in ("areas", "actions", "indicators"):
            ident = node.get("id") if isinstance(node, dict) else None
            if isinstance(ident, str):
                found = ident
    return found


def _show(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _vocabulary(field: str, context: str) -> list[str] | None:
    enum = VOCABULARY.get(f"{field}@{context}") or VOCABULARY.get(field)
    return [m.value for m in enum] if enum else None


def _translate(loaded: LoadedFile, data: dict[str, Any], err: Any) -> Finding:
    loc: Loc = tuple(p for p in err["loc"] if p not in UNION_TAGS)
    kind: str = err["type"]
    value = err.get("input")
    field = next((p for p in reversed(loc) if isinstance(p, str)), "")
    item = isinstance(loc[-1], int) if loc else False
    obj = object_of(data, loc)
    where: Loc = loc
    key = False

    if kind == "missing":
        where = loc[:-1]
        context = context_of(where)
        hint = _HINTS.get(field)
        owner = "the file" if context == "file" else f"this {context}"
        code = "E102"
        message = f"{owner} is missing required key '{field}'" + (f" ({hint})" if hint else "")
    elif kind == "extra_forbidden":
        key = True
        context = context_of(loc[:-1])
        model = MODEL_BY_CONTEXT.get(context)
        valid = [f.alias or name for name, f in model.model_fields.items()] if model else []
        guess = nearest(field, valid)
        code = "E105"
        message = f"unknown key '{field}' in this {'plan file' if context == 'file' else context}"
        message += f": did you mean '{guess}'?" if guess else f"; valid keys are {', '.join(valid)}"
    elif kind in ("enum", "literal_error"):
        context = context_of(loc[:-1])
        choices = _vocabulary(field, context) or []
        code = "E104"
        text = str(value)
        canonical = rag_canonical(text) if field in ("rag", "rating") else None
        if canonical:
            message = f"{field} {text!r} is not written the canonical way: write '{canonical}'"
        else:
            message = f"{field} {_show(value)} is not one of {', '.join(choices)}"
            hint = status_hint(text) if (field, context) == ("status", "action") else None
            guess = None if hint else suggest_value(text, choices)
            if hint:
                message += f": {hint}"
            elif guess:
                message += f": did you mean '{guess}'?"
    elif kind == "number_text":
        code = "E509"
        message = f"{field}: {err['msg']}"
    elif kind == "date_format" and value is None:
        code = "E109"
        message = f"'{field}' is empty; give it a date, YYYY-MM-DD"
    elif kind in ("date_format", "date_impossible"):
        code = "E106"
        message = f"{field}: {err['msg']}"
    elif kind == "string_pattern_mismatch":
        code = "E107"
        message = _pattern_message(field, loc, value)
    elif kind == "string_too_short" or (kind == "string_type" and value is None):
        code = "E109"
        message = f"'{field}' is empty; give it a value"
    elif kind == "too_short" and field == "areas":
        code = "E102"
        message = "the plan has no areas: add at least one area with its actions"
    else:
        code = "E103"
        expected = {
            "string_type": "text",
            "model_type": "a mapping of keys and values",
            "model_attributes_type": "a mapping of keys and values",
            "dict_type": "a mapping of keys and values",
            "tuple_type": "a list",
            "list_type": "a list",
            "int_parsing": "a whole number",
            "int_type": "a whole number",
        }.get(kind)
        label = f"each entry of '{field}'" if item else f"'{field}'"
        if expected:
            message = f"{label} must be {expected}, not {_show(value)}"
        else:
            message = f"{label}: {err['msg']}"
    line, column = loaded.source.position(where, key=key)
    return Finding(loaded.name, line, column, code, message, loaded.plan_id, obj, tuple(where))


def _pattern_message(field: str, loc: Loc, value: Any) -> str:
    if field == "carried_from":
        return (
            f"carried_from {_show(value)} must name '<plan-id>/<action-id>', "
            "for example wsoa-2018/SC3.2"
        )
    if loc[:1] == ("plan",) and field in ("id", "successor"):
        suggestion = re.sub(r"[^a-z0-9-]+", "-", str(value).lower()).strip("-")
        return f"plan {field} {_show(value)} must be lower-case letters, digits and hyphens" + (
            f": write '{suggestion}'" if suggestion else ""
        )
    return (
        f"{field} {_show(value)} must start with a letter or digit and hold only "
        "letters, digits, '.', '_' and '-'"
    )
