"""Chasing leads before the board: what to ask of each lead, as of a date.

Pure functions of a valid portfolio and a date (cli.md "send-plan chase"). An
open action is chased under each of its leads when it is ``overdue``,
``due-soon``, flagged ``late-start`` or ``stale`` (carried-forward and closed
actions never are); an indicator under its ``owner`` when its data is late
(``late-data``) or it is rated ``red``. Leads come in alphabetical order with
case ignored (exact text breaks ties; a lead is its post exactly as the plans
write it); a lead's actions overdue first (most days first), then due soon, then
the rest, ties in file order (plans in the order read); indicators in file order.

Each item also says, in plain words, what is asked of the lead (:func:`asks`):
the Markdown, JSON and e-mail formats all read those sentences from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from send_plan.indicators import IndicatorStatus, plan_indicators
from send_plan.model import Plan
from send_plan.portfolio import Portfolio
from send_plan.tracking import (
    DEFAULT_WINDOW_DAYS,
    Filters,
    TrackedAction,
    next_meeting,
    stale_since,
    status,
)
from send_plan.vocab import PlanStatus, Rag, State, Unit
from send_plan.words import long_date, plural


class Reason(StrEnum):
    """Why an item is chased; an item lists its reasons in this order."""

    OVERDUE = "overdue"
    DUE_SOON = "due-soon"
    LATE_START = "late-start"
    STALE = "stale"
    LATE_DATA = "late-data"
    RED = "red"


#: The states of an action still being worked on (the only ones chased).
LIVE = frozenset((State.OVERDUE, State.DUE_SOON, State.ON_TRACK))


@dataclass(frozen=True, slots=True)
class PlanDates:
    """What a chase needs to know of a plan: its title, boards and key dates."""

    id: str
    title: str
    board: str | None
    #: The plan's first board meeting after as-of (None: none listed after it).
    next_board_meeting: date | None
    #: The plan's latest board meeting strictly before as-of (None: none listed).
    last_board_meeting: date | None
    #: B: an action needs an update dated after this (the last board, else D - 28).
    stale_since: date


#: A chased action's JSON fields, in order.
_ACTION_FIELDS = (
    "plan",
    "id",
    "title",
    "due",
    "state",
    "days_overdue",
    "reasons",
    "latest_update",
    "leads",
    "asks",
)


@dataclass(frozen=True, slots=True)
class Chased:
    """An item worth chasing: why, and the plan it belongs to."""

    reasons: tuple[Reason, ...]
    plan: PlanDates


@dataclass(frozen=True, slots=True)
class ChasedAction(Chased):
    """An action with what makes it worth chasing."""

    tracked: TrackedAction

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of cli.md "chase": the action's fields as ``status``
        gives them, its reasons, and (documented extensions, docs/chase.md) its
        leads and what to ask of them."""
        tracked = self.tracked.as_dict()
        own = {"reasons": list(self.reasons), "asks": asks(self)}
        return {key: own[key] if key in own else tracked[key] for key in _ACTION_FIELDS}


@dataclass(frozen=True, slots=True)
class ChasedIndicator(Chased):
    """An indicator whose figure is late or red."""

    status: IndicatorStatus

    def as_dict(self) -> dict[str, Any]:
        ind = self.status.indicator
        return {
            "plan": self.status.plan,
            "id": ind.id,
            "title": ind.title,
            "reasons": list(self.reasons),
            # documented extensions (docs/chase.md)
            "published": ind.published,
            "asks": asks(self),
        }


Item = ChasedAction | ChasedIndicator


@dataclass(frozen=True, slots=True)
class LeadDigest:
    """One lead's list: their actions and indicators, in the order they are asked."""

    lead: str
    address: str | None
    actions: tuple[ChasedAction, ...]
    indicators: tuple[ChasedIndicator, ...]

    @property
    def count(self) -> int:
        return len(self.actions) + len(self.indicators)

    @property
    def plans(self) -> tuple[PlanDates, ...]:
        """The plans this lead's items belong to, in the order read."""
        seen: dict[str, PlanDates] = {}
        items: list[Item] = [*self.actions, *self.indicators]
        for item in items:
            seen.setdefault(item.plan.id, item.plan)
        return tuple(seen.values())

    @property
    def next_board_meeting(self) -> date | None:
        """The earliest next board meeting among this lead's plans."""
        meetings = [p.next_board_meeting for p in self.plans if p.next_board_meeting]
        return min(meetings) if meetings else None

    def as_dict(self) -> dict[str, Any]:
        meeting = self.next_board_meeting
        return {
            "lead": self.lead,
            "address": self.address,
            "actions": [a.as_dict() for a in self.actions],
            "indicators": [i.as_dict() for i in self.indicators],
            # a documented extension (docs/chase.md)
            "next_board_meeting": meeting.isoformat() if meeting else None,
        }


@dataclass(frozen=True)
class Chase:
    """Every lead's list as of a date."""

    as_of: date
    plans: tuple[PlanDates, ...]
    leads: tuple[LeadDigest, ...]
    #: Indicators that need a figure or commentary but name no owner to ask.
    unowned: tuple[ChasedIndicator, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "leads": [d.as_dict() for d in self.leads]}


# --------------------------------------------------------------------------- computation


def lead_order(lead: str) -> tuple[str, str]:
    """The sort key of a lead: alphabetical with case ignored, exact text breaking ties."""
    return (lead.casefold(), lead)


T = TypeVar("T")


def by_lead(items: Iterable[T], leads_of: Callable[[T], Iterable[str]]) -> dict[str, list[T]]:
    """Items grouped under each of their leads (a joint lead's item under every one),
    leads in :func:`lead_order`, items in the order given."""
    groups: dict[str, list[T]] = {}
    for item in items:
        for lead in dict.fromkeys(leads_of(item)):  # a post written twice counts once
            groups.setdefault(lead, []).append(item)
    return {lead: groups[lead] for lead in sorted(groups, key=lead_order)}


def action_reasons(t: TrackedAction) -> tuple[Reason, ...]:
    """Why an action is chased (none for carried-forward and closed actions)."""
    if t.state not in LIVE:
        return ()
    reasons = []
    if t.state is State.OVERDUE:
        reasons.append(Reason.OVERDUE)
    elif t.state is State.DUE_SOON:
        reasons.append(Reason.DUE_SOON)
    if t.late_start:
        reasons.append(Reason.LATE_START)
    if t.stale:
        reasons.append(Reason.STALE)
    return tuple(reasons)


def indicator_reasons(s: IndicatorStatus) -> tuple[Reason, ...]:
    """Why an indicator is chased: its data is late, or it is rated red."""
    reasons = []
    if s.late_data:
        reasons.append(Reason.LATE_DATA)
    if s.rating is Rag.RED:
        reasons.append(Reason.RED)
    return tuple(reasons)


def _action_rank(item: ChasedAction) -> tuple[int, int]:
    """Overdue first (most days first), then due soon, then the rest."""
    t = item.tracked
    if t.state is State.OVERDUE:
        return (0, -(t.days_overdue or 0))
    return (1, 0) if t.state is State.DUE_SOON else (2, 0)


def plan_dates(plan: Plan, as_of: date) -> PlanDates:
    info = plan.plan
    before = [m for m in info.board_meetings if m < as_of]
    return PlanDates(
        info.id,
        info.title or info.id,
        info.board,
        next_meeting(plan, as_of),
        before[-1] if before else None,
        stale_since(plan, as_of),  # the tracking layer's B, the one rule for stale
    )


def chase(
    portfolio: Portfolio,
    as_of: date,
    *,
    plan: str | None = None,
    lead: str | None = None,
    contacts: Mapping[str, str] | None = None,
) -> Chase:
    """Every lead's list on ``as_of``. ``plan`` keeps one plan (an unknown id is a
    PlanNotFound); ``lead`` keeps the leads whose post contains it (any case);
    ``contacts`` maps a post, exactly as written, to its e-mail address."""
    report = status(portfolio, as_of, filters=Filters(plan=plan))
    plans: list[PlanDates] = []
    actions: list[ChasedAction] = []
    indicators: list[ChasedIndicator] = []
    for summary in report.plans:
        dates = plan_dates(summary.plan, as_of)
        plans.append(dates)
        for t in summary.actions:
            if reasons := action_reasons(t):
                actions.append(ChasedAction(reasons, dates, tracked=t))
        if summary.plan.plan.status is PlanStatus.CLOSED:
            continue  # a closed plan is a record: nobody adds figures to it
        for s in plan_indicators(summary.plan, as_of):
            if reasons := indicator_reasons(s):
                indicators.append(ChasedIndicator(reasons, dates, status=s))

    def keep(post: str) -> bool:
        return lead is None or lead.casefold() in post.casefold()

    grouped_actions = by_lead(actions, lambda item: item.tracked.action.leads)
    grouped_indicators = by_lead(
        indicators, lambda item: [o] if (o := item.status.indicator.owner) else []
    )
    names = sorted({*grouped_actions, *grouped_indicators}, key=lead_order)
    known = contacts or {}
    digests = tuple(
        LeadDigest(
            name,
            known.get(name),
            tuple(sorted(grouped_actions.get(name, ()), key=_action_rank)),
            tuple(grouped_indicators.get(name, ())),
        )
        for name in names
        if keep(name)
    )
    unowned = tuple(i for i in indicators if not i.status.indicator.owner)
    return Chase(as_of, tuple(plans), digests, unowned if lead is None else ())


# --------------------------------------------------------------------------- plain words


def asks(item: Item) -> list[str]:
    """What is asked of the lead about ``item``, one plain sentence per reason."""
    if isinstance(item, ChasedIndicator):
        return [_indicator_ask(item, r) for r in item.reasons]
    return [_action_ask(item, r) for r in item.reasons]


def _action_ask(item: ChasedAction, reason: Reason) -> str:
    t, a = item.tracked, item.tracked.action
    meeting = item.plan.next_board_meeting
    if reason is Reason.OVERDUE:
        return (
            f"Its deadline, {long_date(a.deadline)}, passed {plural(t.days_overdue or 0, 'day')} "
            "ago: if the work is done, say when it was completed; if not, agree a new date "
            "through the board, recorded in the plan as a 'rescheduled' entry with the reason."
        )
    if reason is Reason.DUE_SOON:
        before = f", before the board on {long_date(meeting)}" if meeting else ""
        return (
            f"It is due on {long_date(a.deadline)}{before}: confirm it will be done by then, "
            "or ask the board to agree a new date."
        )
    if reason is Reason.LATE_START:
        return (
            f"It was due to start on {long_date(a.start)} and has not started: start it, "
            "or give the date it will start."
        )
    latest, plan = t.latest, item.plan
    if latest is None:
        return "It has no update recorded yet: send a short update on progress."
    before = (
        f"before the board on {long_date(plan.last_board_meeting)}"
        if plan.last_board_meeting
        else f"more than {DEFAULT_WINDOW_DAYS} days ago"
    )
    return (
        f"Its latest update is dated {long_date(latest.date)}, {before}: "
        "send a short update on progress."
    )


_UNITS = {
    Unit.PERCENT: "{}%",
    Unit.NUMBER: "{}",
    Unit.RATE: "{}",
    Unit.DAYS: "{} days",
    Unit.WEEKS: "{} weeks",
    Unit.CURRENCY: "£{}",
}


def figure(value: float, unit: Unit) -> str:
    """A figure as a board paper writes it: '21.5%', '18 weeks', '£1,200'."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return _UNITS[unit].format(text)


def _indicator_ask(item: ChasedIndicator, reason: Reason) -> str:
    s = item.status
    ind, latest = s.indicator, s.latest
    if reason is Reason.LATE_DATA:
        period = f" (a {ind.frequency.value} figure)" if ind.frequency else ""
        if latest is None:
            return f"It has no figure yet{period}: send the latest figure."
        return (
            f"Its latest figure is for the period to {long_date(latest.date)}{period}: "
            "send the figure for the latest period."
        )
    assert latest is not None  # a rating needs a latest figure
    assert s.expected is not None  # and an expected one
    return (
        f"It is rated red: {figure(latest.value, ind.unit)} at {long_date(latest.date)} "
        f"against {figure(round(s.expected, 2), ind.unit)} expected: send a commentary on "
        "the figure and what is being done about it."
    )
