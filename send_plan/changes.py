"""What changed between revisions, the life of one action, and the change rules
a pull request is judged by. Git is reached only through :mod:`send_plan.history`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from send_plan.errors import UsageError
from send_plan.findings import Finding
from send_plan.history import Commit, DigestCache, Git, digests, plan_digest
from send_plan.loader import LoadedFile
from send_plan.vocab import ONGOING

#: The change kinds of the contract, in the order a table shows them.
KINDS = (
    "plan-added",
    "plan-removed",
    "plan-status",
    "completed",
    "status",
    "carried",
    "due",
    "rag",
    "lead",
    "added",
    "removed",
)
KIND_LABEL = {
    "plan-added": "plan added",
    "plan-removed": "plan removed",
    "plan-status": "plan status",
    "completed": "completed",
    "status": "status",
    "carried": "carried forward",
    "due": "deadline",
    "rag": "RAG rating",
    "lead": "lead",
    "added": "action added",
    "removed": "action removed",
}


@dataclass
class Snapshot:
    """The portfolio at one revision: plan id -> (path, digest)."""

    commit: Commit
    plans: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def carried_to(self) -> dict[tuple[str, str], list[str]]:
        out: dict[tuple[str, str], list[str]] = {}
        for plan_id, (_, d) in self.plans.items():
            for action_id, a in d["actions"].items():
                source = a["carried_from"]
                if source:
                    src_plan, _, src_action = source.partition("/")
                    out.setdefault((src_plan, src_action), []).append(f"{plan_id}/{action_id}")
        return out


def snapshot(git: Git, cache: DigestCache, commit: Commit, specs: Sequence[str]) -> Snapshot:
    """Every plan at ``commit``; versions that no longer validate are skipped, with a warning."""
    tree = git.tree(commit, specs)
    found = digests(git, cache, {blob: path for path, blob in tree.items()})
    snap = Snapshot(commit)
    for path, blob in sorted(tree.items()):
        d = found[blob]
        if not d["valid"]:
            snap.warnings.append(
                f"{path} at {commit.short} ({commit.day}) does not validate ({d['error']}); skipped"
            )
        elif d["plan"] not in snap.plans:
            snap.plans[d["plan"]] = (path, d)
    return snap


# --------------------------------------------------------------------------- changes


@dataclass
class Changes:
    since: Commit
    until: Commit
    changes: list[dict[str, Any]]
    moved: list[dict[str, Any]]
    warnings: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "since": self.since.as_dict(),
            "until": self.until.as_dict(),
            "changes": self.changes,
            "moved": self.moved,
        }


def _change(
    plan: str, action: str | None, kind: str, old: Any, new: Any, **extra: Any
) -> dict[str, Any]:
    return {"plan": plan, "action": action, "kind": kind, "from": old, "to": new, **extra}


def diff(old: Snapshot, new: Snapshot) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Changes per plan and action (a plan is known by its id, not its file)."""
    changes: list[dict[str, Any]] = []
    moved: list[dict[str, Any]] = []
    old_carried, new_carried = old.carried_to(), new.carried_to()
    for plan_id in sorted(old.plans.keys() | new.plans.keys()):
        before = old.plans.get(plan_id, (None, None))[1]
        after = new.plans.get(plan_id, (None, None))[1]
        if before is None:
            assert after is not None
            changes.append(_change(plan_id, None, "plan-added", None, after["title"] or plan_id))
            continue
        if after is None:
            changes.append(_change(plan_id, None, "plan-removed", before["title"] or plan_id, None))
            continue
        if before["status"] != after["status"]:
            changes.append(_change(plan_id, None, "plan-status", before["status"], after["status"]))
        was, now = before["actions"], after["actions"]
        for action_id in list(was) + [a for a in now if a not in was]:
            a, b = was.get(action_id), now.get(action_id)
            if a is None:
                changes.append(
                    _change(plan_id, action_id, "added", None, b["title"], area=b["area"])
                )
                continue
            if b is None:
                changes.append(
                    _change(plan_id, action_id, "removed", a["title"], None, area=a["area"])
                )
                continue
            area = b["area"]
            for kind in ("status", "rag", "due", "lead", "completed"):
                if a[kind] != b[kind]:
                    changes.append(_change(plan_id, action_id, kind, a[kind], b[kind], area=area))
            key = (plan_id, action_id)
            if old_carried.get(key, []) != new_carried.get(key, []):
                changes.append(
                    _change(
                        plan_id,
                        action_id,
                        "carried",
                        old_carried.get(key, []),
                        new_carried.get(key, []),
                        area=area,
                    )
                )
            if a["area"] != b["area"]:
                moved.append(
                    {
                        "plan": plan_id,
                        "action": action_id,
                        "from_area": a["area"],
                        "to_area": b["area"],
                    }
                )
    return changes, moved


def changes_between(paths: Sequence[Path], since: str, until: str | None) -> Changes:
    git = Git(paths[0])
    specs = git.pathspecs(paths)
    cache = DigestCache.for_repo(git)
    first = git.resolve(since)
    last = git.resolve(until or "HEAD")
    old = snapshot(git, cache, first, specs)
    new = snapshot(git, cache, last, specs)
    changes, moved = diff(old, new)
    return Changes(first, last, changes, moved, old.warnings + new.warnings)


def sorted_for_table(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Grouped by plan, completions first."""
    return sorted(changes, key=lambda c: (c["plan"], KINDS.index(c["kind"]), c["action"] or ""))


# --------------------------------------------------------------------------- history


@dataclass
class History:
    plan: str
    action: str
    events: list[dict[str, Any]]
    first_due: str | None
    due: str | None
    deadline_moves: int
    slip_days: int | None
    warnings: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "action": self.action,
            "events": self.events,
            "first_due": self.first_due,
            "due": self.due,
            "deadline_moves": self.deadline_moves,
            "slip_days": self.slip_days,
        }


def _walk(
    git: Git, cache: DigestCache, specs: Sequence[str]
) -> Iterator[tuple[Commit, dict[str, dict[str, Any]], list[str]]]:
    """Each commit that touched plan files, oldest first, with every valid plan then
    (plan id -> digest) and warnings for versions that no longer validate."""
    log = git.log(specs)
    names = {blob: path for _, changes in log for path, blob in changes.items() if blob}
    found = digests(git, cache, names)
    files: dict[str, str] = {}
    for commit, changes in log:
        warnings = []
        for path, blob in changes.items():
            if blob is None:
                files.pop(path, None)
            else:
                files[path] = blob
                if not found[blob]["valid"]:
                    warnings.append(
                        f"{path} at {commit.short} ({commit.day}) does not validate "
                        f"({found[blob]['error']}); skipped"
                    )
        plans: dict[str, dict[str, Any]] = {}
        for path in sorted(files):
            d = found[files[path]]
            if d["valid"]:
                plans.setdefault(d["plan"], d)
        yield commit, plans, warnings


def action_history(paths: Sequence[Path], ref: str) -> History:
    plan_id, sep, action_id = ref.partition("/")
    if not sep or not plan_id or not action_id:
        raise UsageError(f"'{ref}' is not PLAN_ID/ACTION_ID, for example wsoa-2018/SC3.2")
    git = Git(paths[0])
    specs = git.pathspecs(paths)
    cache = DigestCache.for_repo(git)
    events: list[dict[str, Any]] = []
    warnings: list[str] = []
    seen_plan = False
    previous: dict[str, Any] | None = None
    first_due: str | None = None
    latest: dict[str, Any] | None = None
    for commit, plans, commit_warnings in _walk(git, cache, specs):
        warnings += commit_warnings
        plan = plans.get(plan_id)
        seen_plan = seen_plan or plan is not None
        current = plan["actions"].get(action_id) if plan else None
        stamp = {
            "rev": commit.short,
            "date": commit.day,
            "author": commit.author,
            "subject": commit.subject,
        }
        if current is not None and previous is None:
            events.append({**stamp, "kind": "added", "from": None, "to": current["title"]})
            first_due = first_due or current["due"]
        elif current is None and previous is not None and plan is not None:
            events.append({**stamp, "kind": "removed", "from": previous["title"], "to": None})
        elif current is not None and previous is not None:
            for kind in ("status", "rag", "due", "lead"):
                if previous[kind] != current[kind]:
                    event = {**stamp, "kind": kind, "from": previous[kind], "to": current[kind]}
                    if kind == "due":
                        event["reason"] = _reason(current, previous[kind], current[kind])
                    events.append(event)
        if current is not None:
            latest = current
        if plan is not None or previous is None:
            previous = current
    if not seen_plan:
        raise UsageError(f"no plan '{plan_id}' in the history of {', '.join(specs)}")
    if latest is None:
        raise UsageError(f"plan '{plan_id}' never had an action '{action_id}'")
    if latest["original_due"] and first_due and latest["original_due"] < first_due:
        first_due = latest["original_due"]
    moves = {(e["from"], e["to"]) for e in events if e["kind"] == "due"}
    moves |= {(r[1], r[2]) for r in latest["rescheduled"]}
    slip = (
        (date.fromisoformat(latest["due"]) - date.fromisoformat(first_due)).days
        if first_due and ONGOING not in (first_due, latest["due"])
        else None
    )
    return History(plan_id, action_id, events, first_due, latest["due"], len(moves), slip, warnings)


def _reason(action: dict[str, Any], old: str, new: str) -> str | None:
    for _on, frm, to, reason in action["rescheduled"]:
        if frm == old and to == new:
            return str(reason)
    return None


# --------------------------------------------------------------------------- change rules


def change_findings(files: Sequence[LoadedFile], base: Snapshot) -> Iterator[Finding]:
    """Rules that judge a change against the base revision (``validate --base``)."""
    current = {f.plan.id: f for f in files if f.plan is not None and not f.partial}
    digests_now = {pid: plan_digest(f.plan, f.data or {}) for pid, f in current.items()}
    for plan_id, f in current.items():
        entry = base.plans.get(plan_id)
        now = digests_now[plan_id]
        if entry is None:
            renamed = next(
                (
                    pid
                    for pid, (_, d) in base.plans.items()
                    if pid not in current and d["content_without_id"] == now["content_without_id"]
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
        _, before = entry
        if before["status"] == "closed" and before["content"] != now["content"]:
            yield f.finding(
                "E405",
                f"plan {plan_id} was closed at {base.commit.short}; a closed plan is a "
                "historical record: leave it as it was and record new work in its successor",
                ("plan", "status"),
            )
        yield from _action_changes(f, before, now, base.commit)


def _action_changes(
    f: LoadedFile, before: dict[str, Any], now: dict[str, Any], base: Commit
) -> Iterator[Finding]:
    plan = f.plan
    assert plan is not None  # judged only when the file validated
    places = {a.id: (i, j) for i, _, j, a in plan.iter_actions()}
    was, current = before["actions"], now["actions"]
    added = [a for a in current if a not in was]
    for action_id, old in was.items():
        new = current.get(action_id)
        if new is None:
            twin = next((a for a in added if current[a]["content"] == old["content"]), None)
            if twin is not None:
                i, j = places[twin]
                yield f.finding(
                    "E404",
                    f"action id '{action_id}' was renamed to '{twin}'; keep the old id so "
                    "its history and carried_from references still find it",
                    ("areas", i, "actions", j, "id"),
                    obj=twin,
                )
            elif before["status"] != "draft":
                area_index = next(
                    (i for i, area in enumerate(plan.areas) if area.id == old["area"]), None
                )
                loc: tuple[str | int, ...] = (
                    ("areas", area_index, "id") if area_index is not None else ("areas",)
                )
                yield f.finding(
                    "E402",
                    f"action {action_id} was deleted; in a plan that is not a draft the record "
                    "must survive: set status: withdrawn with a withdrawn_reason instead",
                    loc,
                    obj=action_id,
                )
            continue
        i, j = places[action_id]
        at = ("areas", i, "actions", j)
        if old["due"] != new["due"] and len(new["rescheduled"]) <= len(old["rescheduled"]):
            yield f.finding(
                "E401",
                f"due moved from {old['due']} to {new['due']} without a new 'rescheduled' entry; "
                "record when it was agreed, from, to and why",
                (*at, "due"),
                obj=action_id,
            )
        if old["status"] == "complete" and new["status"] in ("not-started", "in-progress"):
            yield f.finding(
                "E403",
                f"action {action_id} was complete at {base.short} and is now {new['status']}; "
                "add a new action for further work instead of reopening a completed one",
                (*at, "status"),
                obj=action_id,
            )


def judge_change(result: Any, paths: Sequence[Path], base_rev: str) -> Any:
    """``result`` (a CheckResult) with the change rules' findings against ``base_rev``."""
    from send_plan.validation import CheckResult

    git = Git(paths[0])
    specs = git.pathspecs(paths)
    base = snapshot(git, DigestCache.for_repo(git), git.resolve(base_rev), specs)
    extra = list(change_findings(result.portfolio.files, base))
    findings = sorted([*result.findings, *extra], key=Finding.sort_key)
    return CheckResult(result.files, tuple(findings), result.portfolio)


def format_markdown(changes: Changes) -> str:
    lines = [
        f"# Changes from {changes.since.short} ({changes.since.day}) "
        f"to {changes.until.short} ({changes.until.day})",
        "",
    ]
    if not changes.changes and not changes.moved:
        return "\n".join([*lines, "No changes.", ""])
    plan = None
    for c in sorted_for_table(changes.changes):
        if c["plan"] != plan:
            plan = c["plan"]
            lines += ["", f"## {plan}", "", "| Action | Change | From | To |", "|---|---|---|---|"]
        lines.append(
            f"| {c['action'] or ''} | {KIND_LABEL[c['kind']]} | {_cell(c['from'])} | {_cell(c['to'])} |"
        )
    if changes.moved:
        lines += [
            "",
            "## Actions moved between areas",
            "",
            "| Plan | Action | From area | To area |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {m['plan']} | {m['action']} | {m['from_area']} | {m['to_area']} |"
            for m in changes.moved
        ]
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = ", ".join(value)
    return str(value).replace("|", "\\|").replace("\n", " ")


@dataclass(frozen=True)
class Slip:
    first_due: str
    deadline_moves: int
    slip_days: int


def slips(paths: Sequence[Path]) -> dict[tuple[str, str], Slip]:
    """Every action's deadline story from git, in one pass over the history.

    The same figures as :func:`action_history`: the first due date the history
    shows (or original_due when that is earlier), the number of distinct moves
    seen in git or recorded in ``rescheduled``, and the days slipped in all.
    """
    git = Git(paths[0])
    specs = git.pathspecs(paths)
    cache = DigestCache.for_repo(git)
    first: dict[tuple[str, str], str] = {}
    moves: dict[tuple[str, str], set[tuple[str, str]]] = {}
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for _, plans, _ in _walk(git, cache, specs):
        for plan_id, d in plans.items():
            for action_id, a in d["actions"].items():
                key = (plan_id, action_id)
                previous = latest.get(key)
                first.setdefault(key, a["due"])
                if previous is not None and previous["due"] != a["due"]:
                    moves.setdefault(key, set()).add((previous["due"], a["due"]))
                latest[key] = a
    out = {}
    for key, a in latest.items():
        start = first[key]
        if ONGOING in (start, a["due"]):
            continue  # ongoing work has no slip (the file's own record stands)
        if a["original_due"] and a["original_due"] < start:
            start = a["original_due"]
        moved = moves.get(key, set()) | {(r[1], r[2]) for r in a["rescheduled"]}
        out[key] = Slip(
            start, len(moved), (date.fromisoformat(a["due"]) - date.fromisoformat(start)).days
        )
    return out
