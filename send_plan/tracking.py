"""As-of computations: each action's state on a date, counts, key dates.

Pure functions of a valid portfolio and a date; the clock is always a parameter.
The final position of a closed plan's actions (complete, withdrawn, carried
forward, dropped) also lives here, so that ``status`` and the reports share one
implementation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from send_plan.errors import PlanNotFound, UsageError
from send_plan.indicators import IndicatorStatus, plan_indicators, ratings
from send_plan.model import Action, Area, Indicator, Plan, Review, Update, joined
from send_plan.portfolio import Portfolio
from send_plan.revisions import Slip
from send_plan.vocab import RAG_KEYS, ActionStatus, PlanKind, PlanStatus, Position, State
from send_plan.words import add_days, add_months, iso, listed

DEFAULT_WINDOW_DAYS = 28
REVISIT_MONTHS = 18


def position_of(action: Action, carried_to: Sequence[object], *, closed: bool) -> Position:
    """The one rule for an action's final position, shared by status and the reports."""
    if action.status is ActionStatus.COMPLETE:
        return Position.COMPLETE
    if action.status is ActionStatus.WITHDRAWN:
        return Position.WITHDRAWN
    if carried_to:
        return Position.CARRIED_FORWARD
    return Position.DROPPED if closed else Position.OPEN


@dataclass(frozen=True)
class FinalPosition:
    area: Area
    action: Action
    position: Position
    carried_to: tuple[tuple[str, str], ...]

    @property
    def date(self) -> date | None:
        return self.action.completed if self.position is Position.COMPLETE else None

    @property
    def reason(self) -> str | None:
        return self.action.withdrawn_reason if self.position is Position.WITHDRAWN else None


@dataclass(frozen=True)
class PlanPositions:
    plan: Plan
    actions: tuple[FinalPosition, ...]

    def totals(self, area: Area | None = None) -> dict[str, int]:
        counts = Counter(
            fp.position.value for fp in self.actions if area is None or fp.area is area
        )
        return {"total": sum(counts.values()), **{p.value: counts[p.value] for p in Position}}

    def in_area(self, area: Area) -> list[FinalPosition]:
        return [fp for fp in self.actions if fp.area is area]


def final_positions(portfolio: Portfolio, plan: Plan) -> PlanPositions:
    """Every action of ``plan`` with its final position, in plan order.

    An open action of a closed plan that nothing carries is *dropped*, unless
    the plan names a successor that was not among the files read: then its
    position cannot be known, and it is *unresolved*.
    """
    closed = plan.plan.status is PlanStatus.CLOSED
    successor = plan.plan.successor
    unread = successor is not None and successor not in portfolio.known_ids
    carried = portfolio.carried_to
    out = []
    for area in plan.areas:
        for action in area.actions:
            targets = tuple(carried.get((plan.id, action.id), ()))
            position = position_of(action, targets, closed=closed)
            if position is Position.DROPPED and unread:
                position = Position.UNRESOLVED
            out.append(FinalPosition(area, action, position, targets))
    return PlanPositions(plan, tuple(out))


@dataclass(frozen=True, slots=True)
class TrackedAction:
    plan: str
    area: Area
    action: Action
    state: State
    days_overdue: int | None
    late_start: bool
    carried_to: tuple[str, ...]
    #: From git history when the plans are in a repository.
    history: Slip | None = None
    #: No update since the last board (see stale_since); never for settled actions.
    stale: bool = False
    #: The latest update dated on or before the as-of date.
    latest: Update | None = None

    @property
    def slip_days(self) -> int | None:
        if self.history is not None and self.history.deadline_moves:
            return self.history.slip_days
        return self.action.slip_days

    @property
    def deadline_moves(self) -> int:
        if self.history is not None:
            return self.history.deadline_moves
        return len(self.action.rescheduled) or (1 if self.action.slip_days else 0)

    @property
    def needs_attention(self) -> bool:
        return self.state in (State.OVERDUE, State.DUE_SOON) or self.late_start

    @property
    def latest_update(self) -> str | None:
        return self.latest.note if self.latest else None

    def as_dict(self) -> dict[str, Any]:
        a = self.action
        return {
            "plan": self.plan,
            "area": self.area.id,
            "id": a.id,
            "title": a.title,
            "lead": a.lead_text,
            "leads": list(a.leads),
            "partner": joined(a.partner),
            "partners": list(a.partners),
            "sro": a.sro,
            "status": a.status,  # a StrEnum: already the text
            "rag": a.rag,
            "start": iso(a.start),
            "due": a.due_text,
            "original_due": iso(a.original_due),
            "completed": iso(a.completed),
            "state": self.state,
            "days_overdue": self.days_overdue,
            "slip_days": self.slip_days,
            "deadline_moves": self.deadline_moves,
            "late_start": self.late_start,
            "carried_from": a.carried_from,
            "carried_to": list(self.carried_to),
            "delivery_plan": a.delivery_plan,
            "stale": self.stale,
            "latest_update": (
                {"date": self.latest.date.isoformat(), "note": self.latest.note}
                if self.latest
                else None
            ),
        }


@dataclass(frozen=True)
class Counts:
    states: dict[str, int]
    rag: dict[str, int]

    @classmethod
    def of(cls, actions: Iterable[TrackedAction]) -> Counts:
        actions = list(actions)
        # StrEnum members are their text: they count and look up as keys directly
        states: Counter[str] = Counter(t.state for t in actions)
        rag: Counter[str] = Counter(t.action.rag or "unrated" for t in actions)
        return cls(
            {"total": sum(states.values()), **{s.value: states[s.value] for s in State}},
            {key: rag[key] for key in RAG_KEYS},
        )


@dataclass(frozen=True)
class AreaSummary:
    area: Area
    counts: Counts


@dataclass(frozen=True)
class PlanSummary:
    plan: Plan
    as_of: date
    horizon: date
    next_board_meeting: date | None
    counts: Counts
    areas: tuple[AreaSummary, ...]
    actions: tuple[TrackedAction, ...]
    due_before_next_board: int | None
    revisit_expected_by: date | None
    #: What a reader must know about the dates (before the start, past the end).
    notes: tuple[str, ...] = ()
    #: The plan's indicators as of the date that pass the filters, in file order.
    indicators: tuple[IndicatorStatus, ...] = ()

    @property
    def stale_count(self) -> int:
        return sum(1 for t in self.actions if t.stale)

    @property
    def latest_review(self) -> Review | None:
        """The latest external review on or before the as-of date."""
        done = [r for r in self.plan.reviews if r.date <= self.as_of]
        return done[-1] if done else None

    def attention(self) -> list[TrackedAction]:
        """Overdue (most days first), then due soon (soonest first), then late starts."""
        overdue = [t for t in self.actions if t.state is State.OVERDUE]
        overdue.sort(key=lambda t: (-(t.days_overdue or 0), t.action.id))
        soon = sorted(
            (t for t in self.actions if t.state is State.DUE_SOON),
            key=lambda t: t.action.deadline or date.max,
        )
        late = [t for t in self.actions if t.late_start and t.state is State.ON_TRACK]
        return overdue + soon + late

    def indicators_needing_attention(self) -> list[IndicatorStatus]:
        """Red, amber or late data, in file order."""
        return [s for s in self.indicators if s.needs_attention]

    def as_dict(self) -> dict[str, Any]:
        info = self.plan.plan
        review = self.latest_review
        return {
            "id": info.id,
            "title": info.title,
            "kind": info.kind.value,
            "status": info.status.value,
            "local_area": info.local_area,
            "board": info.board,
            "next_board_meeting": iso(self.next_board_meeting),
            "due_soon_until": self.horizon.isoformat(),
            "due_before_next_board": self.due_before_next_board,
            "revisit_expected_by": iso(self.revisit_expected_by),
            "notes": list(self.notes),
            "latest_review": (
                {"date": review.date.isoformat(), "by": review.by, "rating": review.rating}
                if review
                else None
            ),
            "counts": self.counts.states,
            "rag": self.counts.rag,
            "indicator_ratings": ratings(self.indicators),
            "areas": [
                {
                    "id": a.area.id,
                    "kind": a.area.kind.value,
                    "title": a.area.title,
                    "counts": a.counts.states,
                    "rag": a.counts.rag,
                }
                for a in self.areas
            ],
        }


@dataclass(frozen=True)
class Filters:
    plan: str | None = None
    area: str | None = None
    lead: str | None = None
    partner: str | None = None
    states: frozenset[State] = field(default_factory=frozenset)

    def keep(self, t: TrackedAction) -> bool:
        a = t.action
        return (
            (self.area is None or t.area.id == self.area)
            and (self.lead is None or any(self.lead.casefold() in x.casefold() for x in a.leads))
            and (self.partner is None or self.partner in a.partners)
            and (not self.states or t.state in self.states)
        )

    def keep_indicator(self, indicator: Indicator) -> bool:
        """--area is one of its areas, --partner its partner, --lead in its owner;
        --state is about actions and leaves indicators alone."""
        return (
            (self.area is None or self.area in indicator.areas)
            and (self.partner is None or indicator.partner == self.partner)
            and (self.lead is None or self.lead.casefold() in (indicator.owner or "").casefold())
        )


@dataclass(frozen=True)
class Status:
    as_of: date
    plans: tuple[PlanSummary, ...]

    @property
    def actions(self) -> list[TrackedAction]:
        return [t for p in self.plans for t in p.actions]

    @property
    def indicators(self) -> list[IndicatorStatus]:
        return [s for p in self.plans for s in p.indicators]

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "plans": [p.as_dict() for p in self.plans],
            "actions": [t.as_dict() for t in self.actions],
            "indicators": [s.as_dict() for s in self.indicators],
        }


# --------------------------------------------------------------------------- computations


def next_meeting(plan: Plan, as_of: date) -> date | None:
    """The plan's first board meeting after ``as_of``."""
    return next((m for m in plan.plan.board_meetings if m > as_of), None)


def horizon(plan: Plan, as_of: date, window: int | None = None) -> date:
    """The last day an open action counts as due soon."""
    if window is not None:
        return add_days(as_of, window)
    meeting = next_meeting(plan, as_of)
    return meeting if meeting is not None else add_days(as_of, DEFAULT_WINDOW_DAYS)


def revisit_expected_by(plan: Plan) -> date | None:
    """A written statement of action is normally revisited within 18 months of approval."""
    info = plan.plan
    if info.kind is not PlanKind.WRITTEN_STATEMENT_OF_ACTION or info.approved is None:
        return None
    return add_months(info.approved, REVISIT_MONTHS)


_SETTLED = {
    Position.COMPLETE: State.COMPLETE,
    Position.WITHDRAWN: State.WITHDRAWN,
    Position.CARRIED_FORWARD: State.CARRIED_FORWARD,
}


def state_of(
    action: Action, carried_to: Sequence[object], as_of: date, until: date
) -> tuple[State, int | None, bool]:
    """``(state, days_overdue, late_start)`` of one action on ``as_of``."""
    settled = _SETTLED.get(position_of(action, carried_to, closed=False))
    if settled is not None:
        return settled, None, False
    late = (
        action.status is ActionStatus.NOT_STARTED
        and action.start is not None
        and action.start < as_of
    )
    deadline = action.deadline  # None: ongoing work is never overdue or due soon
    if deadline is not None and deadline < as_of:
        return State.OVERDUE, (as_of - deadline).days, late
    if deadline is not None and deadline <= until:
        return State.DUE_SOON, None, late
    return State.ON_TRACK, None, late


def stale_since(plan: Plan, as_of: date) -> date:
    """B: the plan's latest board meeting strictly before ``as_of``, else 28 days
    before it. An open action needs an update dated in (B, as_of]."""
    earlier = [m for m in plan.plan.board_meetings if m < as_of]
    return earlier[-1] if earlier else add_days(as_of, -DEFAULT_WINDOW_DAYS)


def latest_update(action: Action, as_of: date) -> Update | None:
    """The latest update dated on or before ``as_of`` (later ones do not exist yet)."""
    known = [u for u in action.updates if u.date <= as_of]
    return known[-1] if known else None


def is_stale(
    action: Action, state: State, late: bool, latest: Update | None, since: date, as_of: date
) -> bool:
    """An action under way (or late to start) with no update dated after ``since``."""
    if state not in (State.OVERDUE, State.DUE_SOON, State.ON_TRACK):
        return False
    if action.start is not None and action.start > as_of:
        return False  # it has not begun
    if action.status is not ActionStatus.IN_PROGRESS and not late:
        return False
    return latest is None or latest.date <= since


def track_plan(
    portfolio: Portfolio,
    plan: Plan,
    as_of: date,
    *,
    window: int | None = None,
    filters: Filters | None = None,
    history: Mapping[tuple[str, str], Slip] | None = None,
) -> PlanSummary:
    until = horizon(plan, as_of, window)
    since = stale_since(plan, as_of)
    carried_to = portfolio.carried_to
    tracked: list[TrackedAction] = []
    for area in plan.areas:
        for action in area.actions:
            targets = carried_to.get((plan.id, action.id), ())
            state, days, late = state_of(action, targets, as_of, until)
            latest = latest_update(action, as_of)
            tracked.append(
                TrackedAction(
                    plan.id,
                    area,
                    action,
                    state,
                    days,
                    late,
                    tuple(f"{p}/{a}" for p, a in targets),
                    history.get((plan.id, action.id)) if history is not None else None,
                    is_stale(action, state, late, latest, since, as_of),
                    latest,
                )
            )
    if filters is not None:
        tracked = [t for t in tracked if filters.keep(t)]
    meeting = next_meeting(plan, as_of)
    by_area: dict[int, list[TrackedAction]] = {}
    for t in tracked:
        by_area.setdefault(id(t.area), []).append(t)
    areas = tuple(
        AreaSummary(area, Counts.of(by_area.get(id(area), ())))
        for area in plan.areas
        if filters is None or filters.area in (None, area.id)
    )
    due_before = None
    if meeting is not None:
        due_before = sum(
            1
            for t in tracked
            if t.state in (State.OVERDUE, State.DUE_SOON, State.ON_TRACK)
            and (deadline := t.action.deadline) is not None
            and deadline <= meeting
        )
    indicators = plan_indicators(plan, as_of)
    if filters is not None:
        indicators = [s for s in indicators if filters.keep_indicator(s.indicator)]
    return PlanSummary(
        plan,
        as_of,
        until,
        meeting,
        Counts.of(tracked),
        areas,
        tuple(tracked),
        due_before,
        revisit_expected_by(plan),
        date_notes(plan, as_of),
        tuple(indicators),
    )


def date_notes(plan: Plan, as_of: date) -> tuple[str, ...]:
    """Plain words on dates a reader could misread: a plan not yet started, an
    active plan past its end."""
    info = plan.plan
    notes = []
    if as_of < info.start:
        notes.append(f"the plan starts on {info.start}: as of {as_of} none of its work has begun")
    if info.status is PlanStatus.ACTIVE and info.end is not None and as_of > info.end:
        notes.append(
            f"the plan ended on {info.end} but is still active: close it (carrying open "
            "actions forward) or extend its end date"
        )
    return tuple(notes)


def status(
    portfolio: Portfolio,
    as_of: date,
    *,
    window: int | None = None,
    filters: Filters | None = None,
    history: Mapping[tuple[str, str], Slip] | None = None,
) -> Status:
    """Every plan's position on ``as_of``; unknown filter ids are a UsageError."""
    filters = filters or Filters()
    plans = list(portfolio.valid_plans())
    _check_filters(plans, filters)
    if filters.plan is not None:
        plans = [p for p in plans if p.id == filters.plan]
    if filters.area is not None:
        plans = [p for p in plans if any(a.id == filters.area for a in p.areas)]
    summaries = tuple(
        track_plan(portfolio, plan, as_of, window=window, filters=filters, history=history)
        for plan in plans
    )
    return Status(as_of, summaries)


def _check_filters(plans: Sequence[Plan], filters: Filters) -> None:
    ids = [p.id for p in plans]
    if filters.plan is not None:
        portfolio_ids = {p.id: p for p in plans}
        if filters.plan not in portfolio_ids:
            raise PlanNotFound(
                f"no plan '{filters.plan}' among the files read (plans: {listed(ids)})",
                plan_id=filters.plan,
                known=ids,
            )
    scope = [p for p in plans if filters.plan in (None, p.id)]
    if filters.area is not None and not any(a.id == filters.area for p in scope for a in p.areas):
        areas = [a.id for p in scope for a in p.areas]
        raise UsageError(f"no area '{filters.area}' in the plans read ({listed(areas)})")
    if filters.partner is not None and not any(filters.partner in p.partners for p in scope):
        partners = sorted({k for p in scope for k in p.partners})
        raise UsageError(f"no partner '{filters.partner}' in the plans read ({listed(partners)})")
