"""Closing a plan: a draft successor holding every open action not yet carried."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from send_plan.controls import one_line
from send_plan.errors import SendPlanError, UsageError
from send_plan.findings import Finding
from send_plan.model import PLAN_ID_PATTERN, Action, Plan
from send_plan.portfolio import Portfolio
from send_plan.tracking import final_positions
from send_plan.validation import CheckResult, check_text
from send_plan.vocab import PlanKind, PlanStatus, Position
from send_plan.yamlout import dump, plain

#: What a carried action keeps; its updates and evidence stay with the old plan.
KEPT_FIELDS = (
    "id",
    "title",
    "lead",
    "partner",
    "sro",
    "delivery_plan",
    "start",
    "due",
    "original_due",
    "status",
    "rag",
    "measures",
    "rescheduled",
)


@dataclass(frozen=True)
class Successor:
    plan_id: str
    text: str
    carried: tuple[str, ...]
    #: Carried actions whose deadline had passed by the new plan's start: with a
    #: new deadline when one was given (``due``), else as they were.
    past_due: tuple[str, ...] = ()
    new_due: date | None = None


def carry_forward(
    portfolio: Portfolio,
    source_id: str,
    new_id: str,
    *,
    today: date,
    title: str | None = None,
    kind: PlanKind | None = None,
    start: date | None = None,
    end: date | None = None,
    due: date | None = None,
    name: str = "<new plan>",
) -> Successor | None:
    """The YAML of a draft successor plan, or None when nothing is left to carry."""
    # the source may be closed with its open actions dropped: that is what this repairs
    source: Plan = portfolio.require_plan(source_id)
    source_file = portfolio.plans[source_id]
    if not re.fullmatch(PLAN_ID_PATTERN, new_id):
        raise UsageError(
            f"the new plan's id '{new_id}' is not a plan id: use lower-case letters, "
            "digits and hyphens"
        )
    if new_id in portfolio.known_ids:
        raise UsageError(f"plan id '{new_id}' is already used in the portfolio; choose another")
    info = source.plan
    if start is None:
        if info.end is not None and info.end == date.max:
            raise UsageError(
                f"{source.id} ends on {info.end}, the last date there is, so its successor "
                "cannot start the day after; give the new plan's dates with --start and --end"
            )
        start = info.end + timedelta(days=1) if info.end is not None else today
    if end is None and info.end is not None:
        if (info.end - info.start).days > (date.max - start).days:
            raise UsageError(
                f"a successor starting on {start} and as long as {source.id} would end after "
                "9999-12-31, the last date there is; give its end with --end"
            )
        end = start + (info.end - info.start)
    if end is not None and end < start:
        raise UsageError(f"the new plan would end ({end}) before it starts ({start})")
    if due is not None and due < start:
        raise UsageError(f"the new deadline {due} is before the new plan starts ({start})")

    positions = final_positions(portfolio, source)
    areas: list[dict[str, Any]] = []
    carried: list[str] = []
    past_due: list[str] = []
    for area in source.areas:
        actions = []
        for fp in positions.in_area(area):
            if fp.position not in (Position.OPEN, Position.DROPPED, Position.UNRESOLVED):
                continue
            dumped = fp.action.model_dump(by_alias=True)
            action = {k: dumped[k] for k in KEPT_FIELDS}
            action["carried_from"] = f"{source.id}/{fp.action.id}"
            deadline = fp.action.deadline
            if deadline is not None and deadline < start:
                past_due.append(fp.action.id)
                if due is not None:
                    _move_deadline(action, fp.action, due, today, f"{source.id}/{fp.action.id}")
            # keep the spec's key order: carried_from comes before rescheduled
            rescheduled = action.pop("rescheduled")
            action["rescheduled"] = rescheduled
            actions.append(plain(action))
            carried.append(fp.action.id)
        if actions:
            entry = {"id": area.id, "kind": area.kind.value, "title": area.title}
            areas.append(plain({**entry, "actions": actions}))
    if not carried:
        return None

    plan = {
        "id": new_id,
        "title": title or f"Successor to {info.title or info.id}",
        "local_area": info.local_area,
        "kind": (kind or _successor_kind(info.kind)).value,
        "status": PlanStatus.DRAFT.value,
        "start": start,
        "end": end,
        "board": info.board,
        "accountable": [plain(a.model_dump()) for a in info.accountable],
    }
    data = {
        "schema_version": 1,
        "plan": plain(plan),
        "partners": dict(source.partners),
        "areas": areas,
    }
    header = (
        f"Draft successor to {source.id} ({one_line(source_file.name)}),\n"
        f"written by send-plan carry-forward on {today.isoformat()}.\n"
        f"It carries the {len(carried)} open action(s) of {source.id} that no plan carried yet;\n"
        "each keeps its lead, partner, due date and record of deadline changes,\n"
        "and names its source in carried_from. Updates stay with the old plan.\n"
        "Next: review titles, leads and due dates, add new work, then set status: active."
    )
    text = dump(plain(data), header)
    _self_check(portfolio, name, text, source.id)
    return Successor(new_id, text, tuple(carried), tuple(past_due), due)


def _move_deadline(action: dict[str, Any], source: Action, due: date, on: date, ref: str) -> None:
    """Give a carried action the new deadline ``due``, with the record of the move.

    The record joins up (rule 6): it starts at the last recorded deadline, or at
    ``original_due`` when the old plan recorded only that.
    """
    old = source.deadline
    assert old is not None  # only dated actions are past due
    start_from = source.rescheduled[-1].to if source.rescheduled else source.original_due or old
    action["due"] = due
    action["rescheduled"] = [
        *action["rescheduled"],
        {
            "on": on,
            "from": start_from,
            "to": due,
            "reason": f"New deadline set when carried forward from {ref} (due {old} there, "
            "which had passed).",
        },
    ]
    if source.original_due is None:
        action["original_due"] = old


def _successor_kind(kind: PlanKind) -> PlanKind:
    """A written statement of action is followed by an improvement plan."""
    return PlanKind.IMPROVEMENT_PLAN if kind is PlanKind.WRITTEN_STATEMENT_OF_ACTION else kind


def blocking_findings(result: CheckResult, plan_id: str) -> list[Finding]:
    """The errors that stop carrying ``plan_id`` forward.

    Carrying forward is how a closed plan's dropped actions (E214) are repaired:
    those errors do not stop it; any other error does.
    """
    return [
        f for f in result.findings if f.is_error and not (f.code == "E214" and f.plan == plan_id)
    ]


def _self_check(portfolio: Portfolio, name: str, text: str, source_id: str) -> None:
    """The new file must validate with the portfolio as it is, and repair the source."""
    result = check_text(name, text.encode(), portfolio=portfolio)
    problems = [
        f for f in result.errors() if f.path == name or (f.code == "E214" and f.plan == source_id)
    ]
    if problems:
        first = problems[0]
        raise SendPlanError(
            f"internal error: the successor plan would not validate "
            f"({first.code} at line {first.line}: {first.message}); please report it"
        )
