"""View-models: everything a board document shows, as plain data.

All sorting, grouping and counting happens here; templates only loop and print.
docs/templates.md lists every variable.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from send_plan import __version__
from send_plan.errors import UsageError
from send_plan.model import Plan, Review
from send_plan.portfolio import Portfolio
from send_plan.render.labels import (
    AREA_KIND,
    AREA_ORDER,
    PLAN_KIND,
    POSITION,
    RAG,
    long_date,
    plural,
)
from send_plan.revisions import KIND_LABEL, ReportChanges, Slip
from send_plan.tracking import (
    FinalPosition,
    TrackedAction,
    final_positions,
    track_plan,
)
from send_plan.vocab import Position, State


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
    if totals["unresolved"]:
        parts.append(
            f"{totals['unresolved']} whose position is not known because the successor "
            "plan was not read"
        )
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


def _tracked_row(t: TrackedAction, as_of: date) -> dict[str, Any]:
    """One action as of a date: later updates are not shown."""
    a = t.action
    known = [u for u in a.updates if u.date <= as_of]
    latest = known[-1] if known else None
    return {
        "id": a.id,
        "area": t.area.id,
        "title": a.title or "",
        "lead": a.lead,
        "partner": a.partner,
        "start": _iso(a.start),
        "due": a.due.isoformat(),
        "status": a.status.value,
        "rag": a.rag.value if a.rag else None,
        "state": t.state.value,
        "days_overdue": t.days_overdue,
        "late_start": t.late_start,
        "latest_update": latest.note if latest else None,
        "latest_update_date": latest.date.isoformat() if latest else None,
    }


def _moved(t: TrackedAction, as_of: date) -> dict[str, Any]:
    """A deadline's moves as known on ``as_of``, and the deadline as it stood then."""
    a = t.action
    known = [r for r in a.rescheduled if r.on <= as_of]
    due_then = known[-1].to if known else a.due
    first_due = a.first_due
    if t.history is not None and not a.rescheduled:
        first_due = date.fromisoformat(t.history.first_due)
    return {
        **_tracked_row(t, as_of),
        "due": due_then.isoformat(),
        "first_due": first_due.isoformat(),
        "slip_days": (due_then - first_due).days,
        "moves": [
            {
                "on": r.on.isoformat(),
                "from": r.from_.isoformat(),
                "to": r.to.isoformat(),
                "reason": r.reason,
                "approved_by": r.approved_by,
            }
            for r in known
        ],
    }


def _moved_by(t: TrackedAction, as_of: date) -> bool:
    """Whether the deadline had moved by ``as_of`` (undated moves count as known)."""
    a = t.action
    if t.history is not None and t.history.deadline_moves and not a.rescheduled:
        return True  # moved in git without a record in the file
    if a.rescheduled:
        return any(r.on <= as_of for r in a.rescheduled)
    return a.original_due is not None and a.original_due != a.due


def _change_rows(found: ReportChanges | None) -> list[dict[str, Any]] | None:
    """The changes as the templates show them: a plan's own changes under its id."""
    if found is None:
        return None
    return [
        {**c.as_dict(), "kind_label": KIND_LABEL[c.kind], "action": c.action or found.plan}
        for c in found.changes
    ]


def _review(review: Review | None) -> dict[str, Any] | None:
    if review is None:
        return None
    return {
        "date": review.date.isoformat(),
        "by": review.by,
        "rating": review.rating.value,
        "summary": review.summary,
    }


def overall_sentence(plan: dict[str, Any], counts: dict[str, int], meeting: str | None) -> str:
    def are(n: int, rest: str, past: bool = False) -> str:
        verb = ("was" if n == 1 else "were") if past else ("is" if n == 1 else "are")
        return f"{n} {verb} {rest}"

    when = f" on {long_date(meeting)}" if meeting else ""
    parts = [
        are(counts["complete"], "complete"),
        *([are(counts["on-track"], "on track")] if counts["on-track"] else []),
        *(
            [are(counts["due-soon"], f"due before the next board meeting{when}")]
            if counts["due-soon"]
            else []
        ),
        *([are(counts["overdue"], "overdue")] if counts["overdue"] else []),
        *(
            [are(counts["carried-forward"], "carried forward into a successor plan", True)]
            if counts["carried-forward"]
            else []
        ),
        *([are(counts["withdrawn"], "withdrawn", True)] if counts["withdrawn"] else []),
    ]
    listed = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
    return f"Of the {plural(counts['total'], 'action')} in the {plan['title']}, {listed}."


def board_summary(
    portfolio: Portfolio,
    plan: Plan,
    as_of: date,
    *,
    changes: ReportChanges | None = None,
    history: Mapping[tuple[str, str], Slip] | None = None,
) -> dict[str, Any]:
    """The progress update a board receives, as of its meeting date; with the
    plan's ``changes`` since the last report when git history was read."""
    summary = track_plan(portfolio, plan, as_of, history=history)
    info = plan_info(plan)
    counts = summary.counts.states
    meeting = _iso(summary.next_board_meeting)
    review = _review(summary.latest_review)
    overdue = [t for t in summary.attention() if t.state is State.OVERDUE]
    due_soon = [t for t in summary.attention() if t.state is State.DUE_SOON]
    late = [t for t in summary.actions if t.late_start]
    moved_rows = [_moved(t, as_of) for t in summary.actions if _moved_by(t, as_of)]
    moved_rows.sort(key=lambda row: -row["slip_days"])
    board = info["board"] or "board"
    recommendations = [f"Receive the update on progress of the {info['title']}."]
    if overdue:
        them = "it" if len(overdue) == 1 else "them"
        recommendations.append(
            f"Note the {plural(len(overdue), 'overdue action')} and the action being taken "
            f"to bring {them} back on track."
        )
    if moved_rows:
        recommendations.append(
            f"Note the {plural(len(moved_rows), 'action')} whose deadline has moved, "
            "and the reasons."
        )
    if review:
        recommendations.append(
            f"Note the latest external review by {review['by']} on "
            f"{long_date(review['date'])}, which rated progress {RAG[review['rating']].lower()}."
        )
    return {
        "report": "board-summary",
        "document": document(f"{info['title']}: progress update", plan, as_of),
        "plan": info,
        "board": board,
        "as_of": as_of.isoformat(),
        "next_board_meeting": meeting,
        "due_soon_until": summary.horizon.isoformat(),
        "revisit_expected_by": _iso(summary.revisit_expected_by),
        "counts": counts,
        "rag": summary.counts.rag,
        "overall": overall_sentence(info, counts, meeting),
        "recommendations": recommendations,
        "latest_review": review,
        "reviews": [_review(r) for r in plan.reviews if r.date <= as_of],
        "areas": [
            {
                "id": a.area.id,
                "kind": a.area.kind.value,
                "kind_label": AREA_KIND[a.area.kind.value],
                "title": a.area.title or "",
                "counts": a.counts.states,
                "rag": a.counts.rag,
            }
            for a in summary.areas
        ],
        "overdue": [_tracked_row(t, as_of) for t in overdue],
        "due_soon": [_tracked_row(t, as_of) for t in due_soon],
        "late_starts": [_tracked_row(t, as_of) for t in late],
        "deadlines_moved": moved_rows,
        "changes": _change_rows(changes),
        "since": None
        if changes is None
        else {"rev": changes.since_rev, "date": changes.since_date},
        "chart": None,
    }
