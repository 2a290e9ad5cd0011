"""The life of actions in git: one action's history, and every action's slip.

It owns ``history`` (:func:`action_history`: the events of one action, whose
:meth:`History.as_dict` is the JSON contract) and the slip figures that
``status`` and the board summary read (:func:`slips`). Both end in the one
slip computation, :func:`slip_of`, producing a :class:`~send_plan.revisions.Slip`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from send_plan.errors import UsageError
from send_plan.git.digests import ActionDigest
from send_plan.git.plumbing import Commit
from send_plan.git.repo import Repository
from send_plan.revisions import Slip
from send_plan.vocab import ONGOING

__all__ = ["History", "HistoryEvent", "Slip", "action_history", "slip_of", "slips"]

#: The action fields whose changes are events, in the order they are compared.
_FIELDS = ("status", "rag", "due", "lead")
#: A deadline move: (from, to).
DueMove = tuple[str, str]


def slip_of(first_due: str, moves: set[DueMove], latest: ActionDigest) -> Slip:
    """The slip of an action: ``first_due`` as the history shows it (or its
    ``original_due`` when that is earlier), the distinct ``moves`` seen in git
    with those recorded in ``rescheduled``, and the days from start to due now."""
    start = first_due
    if latest.original_due and latest.original_due < start:
        start = latest.original_due
    moved = moves | {(r.from_, r.to) for r in latest.rescheduled}
    if ONGOING in (latest.due, start):
        return Slip(start, len(moved), 0)  # ongoing work: no deadline to slip from
    days = (date.fromisoformat(latest.due) - date.fromisoformat(start)).days
    return Slip(start, len(moved), days)


def slips(paths: Sequence[Path]) -> dict[tuple[str, str], Slip]:
    """Every action's deadline story from git, in one pass over the history:
    (plan id, action id) -> Slip, with the same figures as :func:`action_history`."""
    first: dict[tuple[str, str], str] = {}
    moves: dict[tuple[str, str], set[DueMove]] = {}
    latest: dict[tuple[str, str], ActionDigest] = {}
    for step in Repository.open(paths).walk():
        for plan_id, d in step.plans.items():
            for action_id, a in d.actions.items():
                key = (plan_id, action_id)
                previous = latest.get(key)
                first.setdefault(key, a.due)
                if previous is not None and previous.due != a.due:
                    moves.setdefault(key, set()).add((previous.due, a.due))
                latest[key] = a
    return {
        key: slip_of(first[key], moves.get(key, set()), a)
        for key, a in latest.items()
        if a.due != ONGOING  # ongoing work has no slip (plan-format.md)
    }


# --------------------------------------------------------------------------- history


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    """One change to an action, in the commit that made it.

    ``reason`` is the recorded reason of a deadline move; :meth:`as_dict` has the
    key for ``due`` events only (None when no record matches).
    """

    commit: Commit
    kind: str  # added, removed, status, rag, due or lead
    from_: str | None
    to: str | None
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rev": self.commit.short,
            "date": self.commit.day,
            "author": self.commit.author,
            "subject": self.commit.subject,
            "kind": self.kind,
            "from": self.from_,
            "to": self.to,
        }
        if self.kind == "due":
            out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class History:
    """One action's events, oldest first, and its slip as the history shows it."""

    plan: str
    action: str
    events: tuple[HistoryEvent, ...]
    due: str
    slip: Slip
    warnings: tuple[str, ...]

    @property
    def first_due(self) -> str:
        return self.slip.first_due

    @property
    def deadline_moves(self) -> int:
        return self.slip.deadline_moves

    @property
    def slip_days(self) -> int:
        return self.slip.slip_days

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "action": self.action,
            "events": [e.as_dict() for e in self.events],
            "first_due": self.first_due,
            "due": self.due,
            "deadline_moves": self.deadline_moves,
            "slip_days": self.slip_days,
        }


def _events(commit: Commit, previous: ActionDigest, current: ActionDigest) -> list[HistoryEvent]:
    """The changes to an action between two commits that both hold it."""
    out = []
    for kind in _FIELDS:
        old: str | None = getattr(previous, kind)
        new: str | None = getattr(current, kind)
        if old != new:
            reason = current.reason_for(old, new) if kind == "due" and old and new else None
            out.append(HistoryEvent(commit, kind, old, new, reason))
    return out


def action_history(paths: Sequence[Path], ref: str) -> History:
    """The life of the action ``ref`` (PLAN_ID/ACTION_ID) in git; UsageError when
    the reference is malformed or the history never held that plan or action."""
    plan_id, sep, action_id = ref.partition("/")
    if not sep or not plan_id or not action_id:
        raise UsageError(f"'{ref}' is not PLAN_ID/ACTION_ID, for example wsoa-2018/SC3.2")
    repo = Repository.open(paths)
    events: list[HistoryEvent] = []
    warnings: list[str] = []
    seen_plan = False
    previous: ActionDigest | None = None
    first_due: str | None = None
    latest: ActionDigest | None = None
    for step in repo.walk():
        warnings += step.warnings
        plan = step.plans.get(plan_id)
        seen_plan = seen_plan or plan is not None
        current = plan.actions.get(action_id) if plan else None
        if current is not None and previous is None:
            events.append(HistoryEvent(step.commit, "added", None, current.title))
            first_due = first_due or current.due
        elif current is None and previous is not None and plan is not None:
            events.append(HistoryEvent(step.commit, "removed", previous.title, None))
        elif current is not None and previous is not None:
            events += _events(step.commit, previous, current)
        if current is not None:
            latest = current
        if plan is not None or previous is None:
            previous = current
    if not seen_plan:
        raise UsageError(f"no plan '{plan_id}' in the history of {', '.join(repo.specs)}")
    if latest is None or first_due is None:
        raise UsageError(f"plan '{plan_id}' never had an action '{action_id}'")
    moves = {(e.from_, e.to) for e in events if e.kind == "due" and e.from_ and e.to}
    slip = slip_of(first_due, moves, latest)
    start = events[0].commit.day
    before_git = [r.on for r in latest.rescheduled if r.on < start]
    if before_git:
        warnings.append(
            f"the git history of {ref} starts on {start}, after the deadline move(s) "
            f"recorded on {', '.join(before_git)}: they are counted from the file's record, "
            "not seen in git (for the example plans with their dated history, see "
            "`send-plan init --demo`)"
        )
    return History(plan_id, action_id, tuple(events), latest.due, slip, tuple(warnings))
