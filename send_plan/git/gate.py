"""The change rules ``validate --base`` judges a pull request by.

It owns :func:`judge_change` and the rules it adds to a validation result,
comparing the files as they are now with the plans at the base revision:

- E401 a deadline moved without a new ``rescheduled`` entry;
- E402 an action deleted from a plan that is not a draft;
- E403 a completed action reopened;
- E404 a plan or action id renamed;
- E405 a closed plan edited;
- E406 a plan that is not a draft deleted;
- W401 a base version that does not validate (the change cannot be judged);
- W402 a published indicator figure restated without a note on the value
  (:func:`send_plan.git.figures.restated_without_note`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from send_plan.findings import Finding
from send_plan.git.digests import PlanDigest, plan_digest
from send_plan.git.figures import restated_without_note
from send_plan.git.plumbing import Commit
from send_plan.git.repo import Repository, Snapshot
from send_plan.loader import LoadedFile
from send_plan.model import Plan
from send_plan.validation import CheckResult


def judge_change(result: CheckResult, paths: Sequence[Path], base_rev: str) -> CheckResult:
    """``result`` with the change rules' findings against ``base_rev`` added."""
    repo = Repository.open(paths)
    base = repo.snapshot(repo.resolve(base_rev))
    extra = [
        *change_findings(result.portfolio.files, base),
        *deleted_plans(result.portfolio.files, base, repo.git.top),
        *unjudged(result.portfolio.files, base, repo.git.top),
    ]
    findings = sorted([*result.findings, *extra], key=Finding.sort_key)
    return CheckResult(result.files, tuple(findings), result.portfolio)


def change_findings(files: Sequence[LoadedFile], base: Snapshot) -> Iterator[Finding]:
    """Rules that judge a change against the base revision (``validate --base``)."""
    current = {f.plan.id: f for f in files if f.plan is not None and not f.partial}
    digests_now = {pid: plan_digest(_model(f), f.data or {}) for pid, f in current.items()}
    for plan_id, f in current.items():
        before = base.plans.get(plan_id)
        now = digests_now[plan_id]
        if before is None:
            renamed = next(
                (
                    pid
                    for pid, d in base.plans.items()
                    if pid not in current and d.content_without_id == now.content_without_id
                ),
                None,
            )
            if renamed:
                yield f.finding(
                    "E404",
                    f"plan id '{renamed}' was renamed to '{plan_id}'; ids are how other plans "
                    "and the history refer to a plan: keep the old id",
                    ("plan", "id"),
                )
            continue
        if before.status == "closed" and not _reviews_added(before, now):
            yield f.finding(
                "E405",
                f"plan {plan_id} was closed at {base.commit.short}; a closed plan is a "
                "historical record: leave it as it was and record new work in its successor",
                ("plan", "status"),
            )
        yield from _action_changes(f, before, now, base.commit)
        yield from restated_without_note(f, _model(f), before.indicators, base.commit.short)


def deleted_plans(files: Sequence[LoadedFile], base: Snapshot, top: Path) -> Iterator[Finding]:
    """E406: a plan that was not a draft at the base is gone from the files read."""
    present = {f.plan_id for f in files}
    contents = {
        plan_digest(f.plan, f.data or {}).content_without_id
        for f in files
        if f.plan is not None and not f.partial
    }
    for plan_id, before in base.plans.items():
        if plan_id in present or before.status == "draft":
            continue
        if before.content_without_id in contents:
            continue  # renamed, not deleted: E404 says so
        yield Finding(
            _shown(base.paths[plan_id], top),
            1,
            1,
            "E406",
            f"plan {plan_id} ({before.status} at {base.commit.short}) was deleted; a plan "
            "that is not a draft is a record: close it (carrying its open actions "
            "forward) instead of deleting the file",
            plan_id,
        )


def unjudged(files: Sequence[LoadedFile], base: Snapshot, top: Path) -> Iterator[Finding]:
    """W401: a base version that does not validate cannot be compared with."""
    by_path = {_shown(path, top): path for path in base.invalid}
    for f in files:
        where = next((p for shown, p in by_path.items() if _same(shown, f.name)), None)
        if where is None:
            continue
        yield f.finding(
            "W401",
            f"the version at {base.commit.short} does not validate "
            f"({base.invalid[where]}), so this change could not be judged against it",
        )


def _shown(path: str, top: Path) -> str:
    """A path from the top of the repository, as the user's folder names it."""
    full = top / path
    try:
        return full.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return full.as_posix()


def _same(a: str, b: str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return a == b


def _action_changes(
    f: LoadedFile, before: PlanDigest, now: PlanDigest, base: Commit
) -> Iterator[Finding]:
    places = {a.id: (i, j) for i, _, j, a in _model(f).iter_actions()}
    was, current = before.actions, now.actions
    added = [a for a in current if a not in was]
    for action_id, old in was.items():
        new = current.get(action_id)
        if new is None:
            twin = next((a for a in added if current[a].content == old.content), None)
            if twin is not None:
                i, j = places[twin]
                yield f.finding(
                    "E404",
                    f"action id '{action_id}' was renamed to '{twin}'; keep the old id so "
                    "its history and carried_from references still find it",
                    ("areas", i, "actions", j, "id"),
                    obj=twin,
                )
            elif before.status != "draft":
                yield _deleted(f, action_id, old.area)
            continue
        i, j = places[action_id]
        at = ("areas", i, "actions", j)
        if old.due != new.due and len(new.rescheduled) <= len(old.rescheduled):
            yield f.finding(
                "E401",
                f"due moved from {old.due} to {new.due} without a new 'rescheduled' entry; "
                "record when it was agreed, from, to and why",
                (*at, "due"),
                obj=action_id,
            )
        if old.status == "complete" and new.status in ("not-started", "in-progress"):
            yield f.finding(
                "E403",
                f"action {action_id} was complete at {base.short} and is now {new.status}; "
                "add a new action for further work instead of reopening a completed one",
                (*at, "status"),
                obj=action_id,
            )


def _deleted(f: LoadedFile, action_id: str, area_id: str) -> Finding:
    """E402, at the action's old area when the plan still has it."""
    areas = _model(f).areas
    area_index = next((i for i, area in enumerate(areas) if area.id == area_id), None)
    loc: tuple[str | int, ...] = (
        ("areas", area_index, "id") if area_index is not None else ("areas",)
    )
    return f.finding(
        "E402",
        f"action {action_id} was deleted; in a plan that is not a draft the record "
        "must survive: set status: withdrawn with a withdrawn_reason instead",
        loc,
        obj=action_id,
    )


def _model(f: LoadedFile) -> Plan:
    """The model of a file judged here: only files that validated are judged."""
    assert f.plan is not None
    return f.plan


def _reviews_added(before: PlanDigest, now: PlanDigest) -> bool:
    """Whether ``now`` is ``before`` as it was, or with reviews added after its own:
    a closed plan still gains the reviews that judge it (the revisit)."""
    if before.content == now.content:
        return True
    kept = now.reviews[: len(before.reviews)] == before.reviews
    return before.body == now.body and kept and len(now.reviews) > len(before.reviews)
