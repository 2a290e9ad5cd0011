"""The plans as they stood on an earlier date, rewound from what the files record now.

A plan file is a record: it dates its updates, reviews, completions and agreed
deadline moves. From the final files alone, this module works out what each
file held at the end of a day D, as plain data (the form :func:`send_plan.yamlout.plan_data`
gives, ready for :func:`send_plan.yamlout.dump`). Pure functions, no I/O.

As of D:

- every entry of any list that is dated after D (a ``date`` key) has not been
  written yet: action and area updates, reviews, dated evidence, indicator values;
- an action completed after D is still open: ``in-progress`` once its start has
  passed, else ``not-started``; its undated evidence is left out until then;
- an ``in-progress`` action whose start is after D has not started;
- a deadline moved after D is where it stood: ``rescheduled`` entries agreed after
  D are left out and ``due`` (and ``original_due``) follow the entries kept;
- the RAG rating is the one of the latest rated update on or before D (the first
  rated update's before that) when the final rating was recorded later;
- a plan is a draft before it was approved (or started, when no approval date is
  recorded) and active until its end when it is closed now;
- a successor plan exists from the day its predecessor closed, as the draft
  ``send-plan carry-forward`` writes (only the actions carried forward) until it
  is approved; a plan named as successor is not named before it exists.

What no file records stays as it is now: leads, titles, withdrawals (the format
gives no date for them), planned dates (start, due, board meetings).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

Data = dict[str, Any]


def portfolio_as_of(plans: Mapping[str, Data], day: date) -> dict[str, Data]:
    """Every plan that existed at the end of ``day`` (plan id -> its data then).

    ``plans`` maps each plan id to the plan's final data; the result keeps its order.
    """
    present = [pid for pid, data in plans.items() if appears(data, plans) <= day]
    out = {}
    for pid in present:
        out[pid] = plan_as_of(plans[pid], day, present=present)
    return out


def activation(data: Data) -> date:
    """The day a plan became active: its approval, else its start."""
    info = data["plan"]
    when = info.get("approved") or info["start"]
    assert isinstance(when, date)
    return when


def appears(data: Data, plans: Mapping[str, Data]) -> date:
    """The first day a plan is in the repository.

    That is its activation, or, for a plan that carries actions forward from a
    closed plan, the day that plan ended (when the draft successor was written).
    """
    first = activation(data)
    for source in _carried_sources(data):
        before = plans.get(source)
        if before is not None and before["plan"].get("status") == "closed":
            end = before["plan"].get("end")
            if isinstance(end, date):
                first = min(first, end)
    return first


def plan_status(data: Data, day: date) -> str:
    """The plan's status at the end of ``day``."""
    info = data["plan"]
    final = str(info.get("status", "active"))
    if final == "draft" or day < activation(data):
        return "draft"
    end = info.get("end")
    if final == "closed" and isinstance(end, date) and day >= end:
        return "closed"
    return "active"


def plan_as_of(data: Data, day: date, *, present: Iterable[str] = ()) -> Data:
    """One plan at the end of ``day``; ``present`` names the plans that existed then
    (a successor not among them is not named yet)."""
    out: Data = _drop_later(data, day)
    info = dict(out["plan"])
    status = plan_status(data, day)
    info["status"] = status
    approved = info.get("approved")
    if isinstance(approved, date) and approved > day:
        del info["approved"]
    if info.get("successor") is not None and info["successor"] not in set(present):
        del info["successor"]
    out["plan"] = info
    carried_only = status == "draft" and data["plan"].get("status") != "draft"
    carried_only = carried_only and any(True for _ in _carried_sources(data))
    areas = []
    for area, final in zip(out.get("areas", []), data.get("areas", []), strict=True):
        actions = [
            action_as_of(a, original, day)
            for a, original in zip(area.get("actions", []), final.get("actions", []), strict=True)
            if not carried_only or a.get("carried_from")
        ]
        areas.append({**area, "actions": actions} if actions else _without(area, "actions"))
    out["areas"] = areas
    if out.get("indicators"):
        out["indicators"] = _indicators_of(out["indicators"], areas)
    return out


def _indicators_of(indicators: list[Data], areas: list[Data]) -> list[Data]:
    """Indicators name only the areas and actions the plan holds on the day."""
    area_ids = {a["id"] for a in areas}
    action_ids = {x["id"] for a in areas for x in a.get("actions", [])}
    out = []
    for ind in indicators:
        kept = dict(ind)
        for key, known in (("areas", area_ids), ("actions", action_ids)):
            if key in kept:
                kept[key] = [i for i in kept[key] if i in known]
                if not kept[key]:
                    del kept[key]
        out.append(kept)
    return out


def action_as_of(action: Data, final: Data, day: date) -> Data:
    """One action at the end of ``day``.

    ``action`` has had its later dated entries left out already; ``final`` is the
    action as the file records it now (for the ratings and deadlines since).
    """
    out = dict(action)
    _rewind_deadline(out, day)
    completed = out.get("completed")
    start = out.get("start")
    started = isinstance(start, date) and start <= day
    if isinstance(completed, date) and completed > day:
        del out["completed"]
        out["status"] = (
            "in-progress" if started or (start is None and out.get("updates")) else "not-started"
        )
        evidence = [e for e in out.get("evidence", []) if isinstance(e, dict)]
        out = {**out, "evidence": evidence} if evidence else _without(out, "evidence")
        if out.get("rag") == "blue":  # blue means complete
            out["rag"] = "green"
    elif out.get("status") == "in-progress" and isinstance(start, date) and not started:
        out["status"] = "not-started"
    rated_now = [u["rag"] for u in out.get("updates", []) if u.get("rag")]
    rated_all = [u["rag"] for u in final.get("updates", []) if u.get("rag")]
    if len(rated_now) < len(rated_all):
        out["rag"] = rated_now[-1] if rated_now else rated_all[0]
    return out


def last_event(plans: Mapping[str, Data]) -> date:
    """The latest date any plan records as having happened."""
    return max(d for data in plans.values() for d in event_dates(data))


def event_dates(data: Data) -> set[date]:
    """Every date on which the plan records that something happened."""
    found = {activation(data)}
    info = data["plan"]
    if info.get("status") == "closed" and isinstance(info.get("end"), date):
        found.add(info["end"])
    _dated_entries(data, found)
    for area in data.get("areas", []):
        for a in area.get("actions", []):
            if isinstance(a.get("completed"), date):
                found.add(a["completed"])
            found.update(r["on"] for r in a.get("rescheduled", []))
    return found


# --------------------------------------------------------------------------- helpers


def _drop_later(value: Any, day: date) -> Any:
    """``value`` without the list entries dated after ``day``, at any depth (a list
    left empty is left out, as :func:`send_plan.yamlout.plain` leaves empty lists out)."""
    if isinstance(value, dict):
        kept = {k: _drop_later(v, day) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v != [] or value[k] == []}
    if isinstance(value, list):
        return [
            _drop_later(v, day)
            for v in value
            if not (isinstance(v, dict) and isinstance(v.get("date"), date) and v["date"] > day)
        ]
    return value


def _dated_entries(value: Any, found: set[date]) -> None:
    if isinstance(value, dict):
        for v in value.values():
            _dated_entries(v, found)
    elif isinstance(value, list):
        for v in value:
            if isinstance(v, dict) and isinstance(v.get("date"), date):
                found.add(v["date"])
            _dated_entries(v, found)


def _rewind_deadline(action: Data, day: date) -> None:
    moves = action.get("rescheduled", [])
    kept = [m for m in moves if m["on"] <= day]
    if len(kept) == len(moves):
        return
    if kept:
        action["rescheduled"] = kept
        action["due"] = kept[-1]["to"]
        return
    action["due"] = action.get("original_due") or moves[0]["from"]
    action.pop("original_due", None)
    del action["rescheduled"]


def _carried_sources(data: Data) -> Iterable[str]:
    for area in data.get("areas", []):
        for a in area.get("actions", []):
            source = a.get("carried_from")
            if isinstance(source, str) and "/" in source:
                yield source.partition("/")[0]


def _without(data: Data, key: str) -> Data:
    return {k: v for k, v in data.items() if k != key}
