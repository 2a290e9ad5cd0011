"""View-models: everything a board document shows, as plain data.

All sorting, grouping and counting happens here; templates only loop and print.
docs/templates.md lists every variable.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from send_plan import __version__
from send_plan.errors import UsageError
from send_plan.model import Plan
from send_plan.portfolio import Portfolio
from send_plan.render.labels import AREA_KIND, AREA_ORDER, PLAN_KIND, POSITION, long_date, plural
from send_plan.tracking import FinalPosition, Position, final_positions


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def plan_info(plan: Plan) -> dict[str, Any]:
    info = plan.plan
    return {
        "id": info.id,
        "title": info.title or info.id,
        "local_area": info.local_area,
        "kind": info.kind.value,
        "kind_label": PLAN_KIND[info.kind.value],
        "status": info.status.value,
        "approved": _iso(info.approved),
        "start": info.start.isoformat(),
        "end": info.end.isoformat(),
        "board": info.board,
        "successor": info.successor,
        "accountable": [{"role": a.role, "partner": a.partner} for a in info.accountable],
    }


def find_plan(portfolio: Portfolio, plan_id: str | None) -> Plan:
    plans = list(portfolio.valid_plans())
    if plan_id is None:
        if len(plans) == 1:
            return plans[0]
        ids = ", ".join(p.id for p in plans) or "none"
        raise UsageError(f"choose a plan with --plan (plans read: {ids})")
    plan = portfolio.plan(plan_id)
    if plan is None:
        ids = ", ".join(p.id for p in plans) or "none"
        raise UsageError(f"no plan '{plan_id}' among the files read (plans: {ids})")
    return plan


def document(title: str, plan: Plan, as_of: date) -> dict[str, Any]:
    return {
        "title": title,
        "date": as_of.isoformat(),
        "date_long": long_date(as_of),
        "board": plan.plan.board,
        "local_area": plan.plan.local_area,
        "generator": f"send-plan {__version__}",
    }


def _carried_to(portfolio: Portfolio, fp: FinalPosition, main: str | None) -> list[dict[str, Any]]:
    """The successor actions, each with ``ref``: its id, or plan/id outside ``main``."""
    out = []
    for plan_id, action_id in fp.carried_to:
        target = portfolio.action((plan_id, action_id))
        plan = portfolio.plan(plan_id)
        out.append(
            {
                "plan": plan_id,
                "plan_title": (plan.plan.title or plan_id) if plan else plan_id,
                "id": action_id,
                "ref": action_id if plan_id == main else f"{plan_id}/{action_id}",
                "title": target.title if target else None,
            }
        )
    return out


def _position_row(
    portfolio: Portfolio, fp: FinalPosition, main: str | None = None
) -> dict[str, Any]:
    a = fp.action
    return {
        "id": a.id,
        "title": a.title or "",
        "lead": a.lead,
        "partner": a.partner,
        "due": a.due.isoformat(),
        "status": a.status.value,
        "rag": a.rag.value if a.rag else None,
        "position": fp.position.value,
        "position_label": POSITION[fp.position.value],
        "date": _iso(fp.date),
        "reason": fp.reason,
        "carried_to": _carried_to(portfolio, fp, main),
    }


def _title(portfolio: Portfolio, plan_id: str) -> str:
    plan = portfolio.plan(plan_id)
    return (plan.plan.title or plan_id) if plan else plan_id


def summary_sentence(totals: dict[str, int], successors: list[str]) -> str:
    parts = []
    if totals["complete"]:
        parts.append(f"{totals['complete']} complete")
    if totals["carried-forward"]:
        into = f" into the {' and the '.join(successors)}" if successors else ""
        parts.append(f"{totals['carried-forward']} carried forward{into}")
    if totals["withdrawn"]:
        parts.append(f"{totals['withdrawn']} withdrawn")
    if totals["dropped"]:
        parts.append(f"{totals['dropped']} dropped without being carried forward")
    if totals["open"]:
        parts.append(f"{totals['open']} still open")
    head = plural(totals["total"], "action")
    if not parts:
        return f"{head}."
    if len(parts) == 1:
        return f"{head}: {parts[0]}."
    return f"{head}: {', '.join(parts[:-1])} and {parts[-1]}."


def appendix_b(portfolio: Portfolio, plan: Plan, as_of: date) -> dict[str, Any]:
    """The final summary position of a plan, as the seed report's Appendix B."""
    positions = final_positions(portfolio, plan)
    totals = positions.totals()
    successor_ids: list[str] = []
    for fp in positions.actions:
        for plan_id, _ in fp.carried_to:
            if plan_id not in successor_ids:
                successor_ids.append(plan_id)
    successors = [_title(portfolio, plan_id) for plan_id in successor_ids]
    main = successor_ids[0] if len(successor_ids) == 1 else None
    areas = sorted(plan.areas, key=lambda a: AREA_ORDER[a.kind.value])
    info = plan_info(plan)
    return {
        "report": "appendix-b",
        "document": document(f"{info['title']}: summary position", plan, as_of),
        "plan": info,
        "totals": totals,
        "summary": summary_sentence(totals, successors),
        "successors": [
            {"id": plan_id, "title": title}
            for plan_id, title in zip(successor_ids, successors, strict=True)
        ],
        "areas": [
            {
                "id": area.id,
                "kind": area.kind.value,
                "kind_label": AREA_KIND[area.kind.value],
                "title": area.title or "",
                "totals": positions.totals(area),
                "actions": [_position_row(portfolio, fp, main) for fp in positions.in_area(area)],
            }
            for area in areas
        ],
        "dropped": [
            _position_row(portfolio, fp)
            for fp in positions.actions
            if fp.position is Position.DROPPED
        ],
    }
