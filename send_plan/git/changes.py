"""What changed in the plans between two revisions.

It owns the comparison of two snapshots (:func:`diff`), the ``changes`` command's
result (:class:`Changes`, whose :meth:`Changes.as_dict` is the JSON contract),
the board summary's changes since the last report (:func:`changes_for_report`)
and, for now, the Markdown table of changes (:func:`format_markdown`). A plan is
known by its id, not its file: a renamed file is not a removal and an addition.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from send_plan.git.digests import ActionDigest, plan_digest
from send_plan.git.figures import figure_changes
from send_plan.git.plumbing import Commit, GitError, NoCommitThatEarly
from send_plan.git.repo import Repository, Snapshot
from send_plan.revisions import KIND_LABEL, KINDS, Change, ChangeValue, ReportChanges

if TYPE_CHECKING:
    from send_plan.model import Plan
    from send_plan.portfolio import Portfolio

__all__ = [
    "KINDS",
    "KIND_LABEL",
    "Change",
    "Changes",
    "Move",
    "changes_between",
    "changes_for_report",
    "diff",
    "sorted_for_table",
]

#: The action fields a change is reported for, in the order they are compared.
_FIELDS = ("status", "rag", "due", "lead", "completed")


@dataclass(frozen=True, slots=True)
class Move:
    """An action that moved from one area of its plan to another."""

    plan: str
    action: str
    from_area: str
    to_area: str

    def as_dict(self) -> dict[str, str]:
        return {
            "plan": self.plan,
            "action": self.action,
            "from_area": self.from_area,
            "to_area": self.to_area,
        }


@dataclass(frozen=True)
class Changes:
    """What changed from ``since`` to ``until``, and the versions skipped on the way."""

    since: Commit
    until: Commit
    changes: tuple[Change, ...]
    moved: tuple[Move, ...]
    warnings: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "since": self.since.as_dict(),
            "until": self.until.as_dict(),
            "changes": [c.as_dict() for c in self.changes],
            "moved": [m.as_dict() for m in self.moved],
        }


def diff(old: Snapshot, new: Snapshot) -> tuple[list[Change], list[Move]]:
    """Changes per plan and action (a plan is known by its id, not its file)."""
    changes: list[Change] = []
    moved: list[Move] = []
    old_carried, new_carried = old.carried_to(), new.carried_to()
    for plan_id in sorted(old.plans.keys() | new.plans.keys()):
        before, after = old.plans.get(plan_id), new.plans.get(plan_id)
        if before is None:
            assert after is not None
            changes.append(Change(plan_id, None, "plan-added", None, after.title or plan_id))
            continue
        if after is None:
            changes.append(Change(plan_id, None, "plan-removed", before.title or plan_id, None))
            continue
        if before.status != after.status:
            changes.append(Change(plan_id, None, "plan-status", before.status, after.status))
        was, now = before.actions, after.actions
        for action_id in list(was) + [a for a in now if a not in was]:
            a, b = was.get(action_id), now.get(action_id)
            if a is None:
                assert b is not None
                changes.append(Change(plan_id, action_id, "added", None, b.title, b.area))
            elif b is None:
                changes.append(Change(plan_id, action_id, "removed", a.title, None, a.area))
            else:
                key = (plan_id, action_id)
                carried = (tuple(old_carried.get(key, [])), tuple(new_carried.get(key, [])))
                changes += _action_changes(plan_id, action_id, a, b, carried)
                if a.area != b.area:
                    moved.append(Move(plan_id, action_id, a.area, b.area))
        changes += figure_changes(plan_id, before.indicators, after.indicators)
    return changes, moved


def _action_changes(
    plan_id: str,
    action_id: str,
    a: ActionDigest,
    b: ActionDigest,
    carried: tuple[tuple[str, ...], tuple[str, ...]],
) -> Iterable[Change]:
    """The changes to one action present in both revisions (``carried``: before, after)."""
    for kind in _FIELDS:
        old: ChangeValue = getattr(a, kind)
        new: ChangeValue = getattr(b, kind)
        if old != new:
            yield Change(plan_id, action_id, kind, old, new, b.area)
    if carried[0] != carried[1]:
        yield Change(plan_id, action_id, "carried", *carried, b.area)


def changes_between(paths: Sequence[Path], since: str, until: str | None) -> Changes:
    """What changed in the plans under ``paths`` from ``since`` to ``until`` (HEAD)."""
    repo = Repository.open(paths)
    first = repo.resolve(since)
    last = repo.resolve(until or "HEAD")
    old = repo.snapshot(first)
    new = repo.snapshot(last)
    changes, moved = diff(old, new)
    return Changes(first, last, tuple(changes), tuple(moved), (*old.warnings, *new.warnings))


def changes_for_report(
    paths: Sequence[Path],
    plan: Plan,
    as_of: date,
    since: str | None,
    working: Portfolio | None = None,
) -> ReportChanges | None:
    """The plan's changes since the last report, for the board summary.

    With ``since`` (a revision or date) that is the start; otherwise the last
    commit on or before the plan's previous board meeting before ``as_of``. None
    (the section is left out) when the plans are not in a git repository or no
    earlier meeting is known; with ``since`` given, a GitError is raised.

    The changes end at the last commit on or before ``as_of``; when that is
    HEAD and the files read (``working``) differ from it (edits not committed
    yet, a new plan not yet added), they end at the files themselves, and the
    result says so, so that the paper never contradicts itself.
    """
    explicit = since is not None
    if since is None:
        earlier = [m for m in plan.plan.board_meetings if m < as_of]
        if not earlier:
            return None
        since = earlier[-1].isoformat()
    try:
        found = changes_between(paths, since, as_of.isoformat())
    except NoCommitThatEarly as exc:
        if not explicit:
            return None  # no commit that early: leave the section out
        if exc.first > as_of.isoformat():
            raise GitError(
                f"the paper's date {as_of} is before the first commit (on {exc.first}): the "
                "changes shown end at the last commit on or before that date, so report on "
                "a later date, or without the changes from git"
            ) from None
        raise
    except GitError:
        if explicit:
            raise
        return None  # not in a repository: leave the section out
    uncommitted = False
    if working is not None:
        repo = Repository.open(paths)
        head = repo.resolve("HEAD")
        if found.until.rev == head.rev:
            files = _working_snapshot(working, head)
            committed = repo.snapshot(head)
            if _contents(files) != _contents(committed):
                changes, _ = diff(repo.snapshot(found.since), files)
                found = Changes(found.since, head, tuple(changes), (), found.warnings)
                uncommitted = True
    mine = tuple(c for c in found.changes if c.plan == plan.id)
    return ReportChanges(plan.id, found.since.short, found.since.day, mine, uncommitted)


def _working_snapshot(working: Portfolio, head: Commit) -> Snapshot:
    """The plans as the files read hold them now."""
    snap = Snapshot(head)
    for f, model in working.valid():
        snap.plans.setdefault(model.id, plan_digest(model, f.data or {}))
    return snap


def _contents(snap: Snapshot) -> dict[str, str]:
    return {plan_id: d.content for plan_id, d in snap.plans.items()}


def sorted_for_table(changes: Iterable[Change]) -> list[Change]:
    """Grouped by plan, completions first."""
    return sorted(changes, key=lambda c: (c.plan, KINDS.index(c.kind), c.action or ""))
