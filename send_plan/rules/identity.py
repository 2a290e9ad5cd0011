"""Ids: unique within a plan, unique across the portfolio, never self-referring."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from send_plan.findings import Finding
from send_plan.portfolio import Portfolio


def duplicate_ids(portfolio: Portfolio) -> Iterator[Finding]:
    """Rule 4: areas and actions share one id space inside a plan.

    Read from the raw data, so that a duplicate is reported even in a file that
    has other errors.
    """
    for f in portfolio.files:
        areas = f.data.get("areas") if f.data else None
        if not isinstance(areas, list):
            continue
        first: dict[str, str] = {}
        for loc, ident, what in _ids(areas):
            if ident in first:
                yield f.finding(
                    "E201",
                    f"{what} id '{ident}' is already used by an {first[ident]} in this "
                    "plan; every area and action needs its own id",
                    loc,
                    obj=ident,
                    raw=True,
                )
            else:
                first[ident] = what


def _ids(areas: list[Any]) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    for i, area in enumerate(areas):
        if not isinstance(area, dict):
            continue
        if isinstance(area.get("id"), str):
            yield ("areas", i, "id"), area["id"], "area"
        actions = area.get("actions")
        for j, action in enumerate(actions if isinstance(actions, list) else []):
            if isinstance(action, dict) and isinstance(action.get("id"), str):
                yield ("areas", i, "actions", j, "id"), action["id"], "action"


def duplicate_plan_ids(portfolio: Portfolio) -> Iterator[Finding]:
    """Rule 4: two files may not hold plans with the same id."""
    owner: dict[str, str] = {}
    for f in portfolio.files:
        plan_id = f.plan_id
        if plan_id is None:
            continue
        if plan_id in owner:
            yield f.finding(
                "E202",
                f"plan id '{plan_id}' is already used by {owner[plan_id]}; "
                "each plan needs its own id",
                ("plan", "id"),
            )
        else:
            owner[plan_id] = f.name


def self_references(portfolio: Portfolio) -> Iterator[Finding]:
    """A plan cannot succeed itself, nor carry work forward from itself."""
    for f, plan in portfolio.modelled():
        if plan.plan.successor == plan.id:
            yield f.finding(
                "E215",
                "the plan names itself as its successor; name the plan that takes over",
                ("plan", "successor"),
            )
        for i, _, j, action in plan.iter_actions():
            source = action.carried_source()
            if source is not None and source[0] == plan.id:
                yield f.finding(
                    "E215",
                    f"carried_from '{action.carried_from}' names this same plan; "
                    "work is carried forward from an earlier plan",
                    ("areas", i, "actions", j, "carried_from"),
                    obj=action.id,
                )
