"""``send-plan init --demo``: a plan repository whose git history replays the example plans.

Owns: where the example plans are (``plans/`` in a source tree, or inside the
installed package), the dates worth a commit, the state of the plans on each
(:mod:`send_plan.rewind`), the commit messages an analyst would write, and
writing the new repository in one ``git fast-import``. Every snapshot is
written with :mod:`send_plan.yamlout` and must pass the validation pipeline; the
last commit holds the example plan files byte for byte.

The repository is new: the folder must be empty or absent, git runs with no
user or system configuration, templates or hooks, and every commit has its
identity (a post, never a person) and dates set explicitly, so the same example
plans always give the same history.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from send_plan.errors import PathError, PlansInvalid, SendPlanError, UsageError
from send_plan.files import discover
from send_plan.git.plumbing import GitError, write_git
from send_plan.rewind import Data, activation, appears, last_event, portfolio_as_of

PARTNER = ("SEND Improvement Partner", "send-improvement-partner@example.invalid")
ANALYST = ("SEND Performance Analyst", "send-performance-analyst@example.invalid")
BRANCH = "refs/heads/main"
_OPEN = ("not-started", "in-progress")
_ACCEPTED = {"written-statement-of-action": "accepted"}
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


class DemoError(SendPlanError):
    """git is missing or failed while the demo repository was written (exit 2)."""


# --------------------------------------------------------------------------- the example plans


def examples_folder() -> Path:
    """The example plans: shipped in the package, or ``plans/`` beside it in a source tree."""
    here = Path(__file__).resolve().parent
    for folder in (here / "example_plans", here.parent / "plans"):
        if folder.is_dir() and discover([folder])[0]:
            return folder
    raise PathError("the example plans are not installed with this copy of send-plan")


@dataclass(frozen=True)
class Example:
    path: str  # in the demo repository, e.g. plans/wsoa-2018.yaml
    text: bytes  # the file as published
    data: Data  # its plain data (send_plan.yamlout.plan_data)


def read_examples(folder: Path) -> list[Example]:
    """The example plan files, validated as a portfolio; PlansInvalid if they have errors."""
    from send_plan.validation import check
    from send_plan.yamlout import plan_data

    result = check([folder])
    if not result.ok:
        raise PlansInvalid(result.findings, result.files)
    loaded = {f.name: f for f in result.portfolio.files}
    out = []
    for found in discover([folder])[0]:
        rel = found.path.relative_to(folder).as_posix()
        plan = loaded[found.name].plan
        assert plan is not None  # the portfolio validated
        out.append(Example(f"plans/{rel}", found.path.read_bytes(), plan_data(plan)))
    return out


# --------------------------------------------------------------------------- when to commit


@dataclass(frozen=True)
class Moment:
    """A day worth a commit and why: board, pre-board, review, month-end, plan."""

    day: date
    reasons: frozenset[str]


def moments(plans: Mapping[str, Data]) -> list[Moment]:
    """Candidate commit days, oldest first, from the first plan's arrival to the last record.

    Each plan's arrival, approval and closure; each board meeting and the day
    before (the leads' updates for it); each external review; each agreed
    deadline move; and the end of each month.
    """
    first = min(appears(d, plans) for d in plans.values())
    last = last_event(plans)
    reasons: dict[date, set[str]] = {}

    def add(day: date, reason: str) -> None:
        if first <= day <= last:
            reasons.setdefault(day, set()).add(reason)

    for data in plans.values():
        info = data["plan"]
        add(appears(data, plans), "plan")
        add(activation(data), "plan")
        if info.get("status") == "closed":
            add(info["end"], "plan")
        for meeting in info.get("board_meetings", []):
            add(meeting, "board")
            add(meeting - timedelta(days=1), "pre-board")
        for review in data.get("reviews", []):
            add(review["date"], "review")
        for area in data.get("areas", []):
            for action in area.get("actions", []):
                for move in action.get("rescheduled", []):
                    add(move["on"], "move")
    month = date(first.year, first.month, 1)
    while month <= last:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        add(following - timedelta(days=1), "month-end")
        month = following
    add(last, "last")
    return [Moment(day, frozenset(why)) for day, why in sorted(reasons.items())]


# --------------------------------------------------------------------------- what changed


@dataclass
class Changes:
    """What changed in the plans between two snapshots, for a commit message."""

    added: list[tuple[str, Data]] = field(default_factory=list)
    status: list[tuple[str, str, str]] = field(default_factory=list)
    completed: list[tuple[str, str, date]] = field(default_factory=list)
    started: list[tuple[str, str]] = field(default_factory=list)
    moved: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    updated: list[tuple[str, str]] = field(default_factory=list)
    new_actions: list[tuple[str, str]] = field(default_factory=list)
    reviews: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def plans(self) -> set[str]:
        found = {pid for pid, _ in self.added} | {pid for pid, *_ in self.status}
        for items in (self.completed, self.started, self.moved, self.updated, self.reviews):
            found |= {item[0] for item in items}
        return found


def compare(before: Mapping[str, Data], after: Mapping[str, Data]) -> Changes:
    changes = Changes()
    for pid, now in after.items():
        was = before.get(pid)
        if was is None:
            changes.added.append((pid, now))
            continue
        if was["plan"]["status"] != now["plan"]["status"]:
            changes.status.append((pid, was["plan"]["status"], now["plan"]["status"]))
        reviews_then = len(was.get("reviews", []))
        changes.reviews += [(pid, r) for r in now.get("reviews", [])[reviews_then:]]
        old = {a["id"]: a for a in _actions(was)}
        for a in _actions(now):
            _compare_action(changes, pid, old.get(a["id"]), a)
    return changes


def _compare_action(changes: Changes, pid: str, old: Data | None, new: Data) -> None:
    aid = new["id"]
    if old is None:
        changes.new_actions.append((pid, aid))
        return
    if new.get("completed") and not old.get("completed"):
        changes.completed.append((pid, aid, new["completed"]))
    elif old["status"] == "not-started" and new["status"] == "in-progress":
        changes.started.append((pid, aid))
    moves = new.get("rescheduled", [])
    changes.moved += [(pid, aid, m) for m in moves[len(old.get("rescheduled", [])) :]]
    if len(new.get("updates", [])) > len(old.get("updates", [])):
        changes.updated.append((pid, aid))


def _actions(data: Data) -> Iterator[Data]:
    for area in data.get("areas", []):
        yield from area.get("actions", [])


# --------------------------------------------------------------------------- commit messages


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _ids(items: Sequence[str], limit: int = 3) -> str:
    if len(items) == 1:
        return items[0]
    if len(items) <= limit:
        return ", ".join(items[:-1]) + " and " + items[-1]
    return f"{len(items)} actions"


def message(
    moment: Moment, changes: Changes, after: Mapping[str, Data]
) -> tuple[tuple[str, str], str]:
    """(author, message) for the commit of ``moment``; ``after``: the plans then."""
    many = len(changes.plans()) > 1

    def name(pid: str, aid: str) -> str:
        return f"{pid}/{aid}" if many else aid

    body = _body(changes, name)
    plan_subject = _plan_subject(changes, after)
    if plan_subject:
        return PARTNER, f"{plan_subject}\n\n{body}"
    summary = _summary(changes, name)
    when = long_date(moment.day)
    if "board" in moment.reasons:
        author, subject = PARTNER, f"Board {when}: {summary}"
    elif "pre-board" in moment.reasons:
        following = long_date(moment.day + timedelta(days=1))
        author, subject = ANALYST, f"Updates for the board on {following}: {summary}"
    elif "review" in moment.reasons and changes.reviews:
        review = changes.reviews[0][1]
        outcome = f"rated {review['rating']}" if review.get("rating") else "judged each area"
        author, subject = ANALYST, f"{review['by']} review, {when}: {outcome}"
    elif "month-end" in moment.reasons:
        month = f"{MONTHS[moment.day.month - 1]} {moment.day.year}"
        author, subject = ANALYST, f"Monthly update, {month}: {summary}"
    else:
        author, subject = ANALYST, f"{when}: {summary}"
    return author, f"{subject}\n\n{body}"


def _plan_subject(changes: Changes, after: Mapping[str, Data]) -> str:
    parts = []
    for pid, frm, to in changes.status:
        title = after[pid]["plan"].get("title") or pid
        if to == "closed":
            still_open = sum(1 for a in _actions(after[pid]) if a["status"] in _OPEN)
            parts.append(f"{title} closed: {still_open} open actions carried forward")
        elif frm == "draft" and to == "active":
            new = sum(1 for p, _ in changes.new_actions if p == pid)
            parts.append(f"{title} approved: {new} new actions")
    for pid, data in changes.added:
        title = data["plan"].get("title") or pid
        count = sum(1 for _ in _actions(data))
        if data["plan"]["status"] != "draft":
            verb = _ACCEPTED.get(data["plan"]["kind"], "approved")
            parts.append(f"{title} {verb}: {count} actions")
        elif not changes.status:
            parts.append(f"Draft {title}: {count} actions carried forward")
    return "; ".join(parts)


def _summary(changes: Changes, name: Callable[[str, str], str]) -> str:
    parts = []
    if len(changes.moved) == 1:
        pid, aid, move = changes.moved[0]
        parts.append(f"{name(pid, aid)} deadline moved to {long_date(move['to'])}")
    elif changes.moved:
        parts.append("deadlines moved for " + _ids([name(p, a) for p, a, _ in changes.moved]))
    if changes.completed:
        parts.append(_ids([name(p, a) for p, a, _ in changes.completed]) + " complete")
    if changes.started:
        parts.append(_ids([name(p, a) for p, a in changes.started]) + " started")
    if changes.updated and len(parts) < 2:
        ids = [name(p, a) for p, a in changes.updated]
        parts.append(("updates on " if len(ids) > 1 else "update on ") + _ids(ids))
    if changes.reviews and len(parts) < 2:
        parts.append(f"review by {changes.reviews[0][1]['by']}")
    return ", ".join(parts[:2]) if parts else "records brought up to date"


def _body(changes: Changes, name: Callable[[str, str], str]) -> str:
    lines = []
    for pid, frm, to in changes.status:
        lines.append(f"Plan {pid}: {frm}, now {to}.")
    for pid, data in changes.added:
        lines.append(f"Plan {pid} added ({data['plan']['status']}): {data['plan'].get('title')}.")
    for pid, aid, move in changes.moved:
        agreed = f", agreed by {move['approved_by']}" if move.get("approved_by") else ""
        reason = " ".join(str(move["reason"]).split())
        lines.append(
            f"{name(pid, aid)}: deadline moved from {long_date(move['from'])} to "
            f"{long_date(move['to'])}{agreed}. {reason}"
        )
    if changes.completed:
        done = [f"{name(p, a)} ({long_date(d)})" for p, a, d in changes.completed]
        lines.append("Complete: " + ", ".join(done) + ".")
    if changes.started:
        lines.append("Started: " + ", ".join(name(p, a) for p, a in changes.started) + ".")
    if changes.updated:
        lines.append("Updates: " + ", ".join(name(p, a) for p, a in changes.updated) + ".")
    for _, review in changes.reviews:
        rated = f": {review['rating']}" if review.get("rating") else ""
        judged = review.get("areas") or []
        sufficient = sum(1 for j in judged if j.get("judgement") == "sufficient")
        verdict = f", sufficient progress in {sufficient} of {len(judged)} areas" if judged else ""
        lines.append(f"Review by {review['by']} on {long_date(review['date'])}{rated}{verdict}.")
    if changes.new_actions and not changes.added:
        lines.append(f"New actions: {len(changes.new_actions)}.")
    return "\n".join(_wrap(line) for line in lines) + "\n"


def _wrap(line: str) -> str:
    import textwrap

    return textwrap.fill(line, width=72, subsequent_indent="  ", break_on_hyphens=False)


# --------------------------------------------------------------------------- snapshots


class Writer:
    """Plan data -> YAML text through :mod:`send_plan.yamlout`, a piece at a time.

    Most of a plan is the same from one snapshot to the next, so the text of
    each top-level key, area heading and action is kept and reused; the file is
    those pieces, indented as :func:`send_plan.yamlout.dump` indents them.
    """

    def __init__(self) -> None:
        self._pieces: dict[tuple[str, int, str], str] = {}

    def text(self, data: Data) -> bytes:
        parts: list[str] = []
        for key, value in data.items():
            if key != "areas":
                parts.append(self._piece(key, value, None))
                continue
            parts.append("areas:\n")
            for area in value:
                head = {k: v for k, v in area.items() if k != "actions"}
                parts.append(self._piece("areas", [head], 0))
                if area.get("actions"):
                    parts.append("    actions:\n")
                    parts += [self._piece("actions", [a], 4) for a in area["actions"]]
        return "".join(parts).encode("utf-8")

    def _piece(self, key: str, value: Any, indent: int | None) -> str:
        """``key: value`` as YAML, or (with ``indent``) the list under it, indented."""
        from send_plan.yamlout import dump

        cache_key = (key, -1 if indent is None else indent, repr(value))
        if cache_key not in self._pieces:
            text = dump({key: value})
            self._pieces[cache_key] = text if indent is None else _fragment(text, indent)
        return self._pieces[cache_key]


def _fragment(text: str, indent: int) -> str:
    """The list under the single key of ``text``, indented ``indent`` more."""
    lines = text.splitlines(keepends=True)[1:]
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in lines)


class Checker:
    """Each snapshot through the validation pipeline; a snapshot with errors is a bug."""

    def __init__(self) -> None:
        self._loaded: dict[tuple[str, bytes], Any] = {}

    def check(self, files: Mapping[str, bytes]) -> None:
        from send_plan.loader import load_text
        from send_plan.modelcheck import to_model
        from send_plan.portfolio import Portfolio
        from send_plan.validation import check_portfolio

        loaded = []
        for path, text in files.items():
            key = (path, text)
            if key not in self._loaded:
                found = load_text(path, text)
                to_model(found)
                self._loaded[key] = found
            loaded.append(self._loaded[key])
        result = check_portfolio(Portfolio(loaded))
        if not result.ok:
            raise PlansInvalid(result.findings, result.files)


@dataclass(frozen=True)
class Commit:
    when: datetime
    author: tuple[str, str]
    message: str
    files: dict[str, bytes]  # path -> content, only the files this commit changes


def history(examples: Sequence[Example], scaffold: Mapping[str, bytes]) -> list[Commit]:
    """The demo's commits, oldest first: the scaffold, a snapshot per day that changed
    something, and the plan files as published."""
    plans = {e.data["plan"]["id"]: e.data for e in examples}
    path_of = {e.data["plan"]["id"]: e.path for e in examples}
    writer, checker = Writer(), Checker()
    found = moments(plans)
    commits = [
        Commit(
            _at(found[0].day, 9),
            PARTNER,
            "Start the plan repository: CI workflow and pre-commit check\n\n"
            "Written by send-plan init: every pull request that touches plans/ is\n"
            "validated, and judged against the base branch.\n",
            dict(scaffold),
        )
    ]
    before: dict[str, Data] = {}
    files: dict[str, bytes] = {}
    for moment in found:
        after = portfolio_as_of(plans, moment.day)
        if after == before:
            continue
        texts = {
            path_of[pid]: files[path_of[pid]] if before.get(pid) == data else writer.text(data)
            for pid, data in after.items()
        }
        checker.check(texts)
        author, text = message(moment, compare(before, after), after)
        changed = {p: t for p, t in texts.items() if files.get(p) != t}
        commits.append(Commit(_at(moment.day, 17), author, text, changed))
        before, files = after, {**files, **texts}
    published = {e.path: e.text for e in examples if files.get(e.path) != e.text}
    if published:
        commits.append(
            Commit(
                _at(found[-1].day, 17, 30),
                PARTNER,
                "Plan files as published: comments and layout\n\n"
                "The explanatory comments and the layout of the published files;\n"
                "the records themselves are unchanged.\n",
                published,
            )
        )
    return commits


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """A time on ``day`` in UK local time (BST from the last Sunday of March to the
    last Sunday of October)."""
    summer = _last_sunday(day.year, 3) <= day < _last_sunday(day.year, 10)
    zone = timezone(timedelta(hours=1 if summer else 0))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def _last_sunday(year: int, month: int) -> date:
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


# --------------------------------------------------------------------------- the repository


@dataclass(frozen=True)
class Built:
    folder: Path
    commits: int
    first: date
    last: date
    board: date | None  # a board meeting with changes since: a date to try --since with


def report(built: Built) -> str:
    """What ``init --demo`` says when it is done."""
    lines = [
        f"created {built.folder}: a plan repository with {built.commits} commits, "
        f"{built.first} to {built.last}, replaying the example plans"
    ]
    if built.board is not None:
        lines.append(f"next: cd {built.folder} && send-plan changes --since {built.board}")
    return "\n".join(lines)


def build(folder: Path, examples: Path | None = None) -> Built:
    """Write the demo repository into ``folder``, which must be empty or absent."""
    from send_plan.scaffold import PRE_COMMIT, WORKFLOW

    _refuse_unless_empty(folder)
    if shutil.which("git") is None:
        raise DemoError("git is not installed (or not on PATH); init --demo needs it")
    scaffold = {
        ".github/workflows/send-plan.yml": WORKFLOW.encode(),
        ".pre-commit-config.yaml": PRE_COMMIT.encode(),
    }
    found = read_examples(examples or examples_folder())
    commits = history(found, scaffold)
    created = not folder.exists()
    try:
        _write_repository(folder, commits)
    except BaseException:
        _clean(folder, created)
        raise
    first, last = commits[0].when.date(), commits[-1].when.date()
    meetings = [m for e in found for m in e.data["plan"].get("board_meetings", [])]
    board = max((m for m in meetings if first < m < last), default=None)
    return Built(folder, len(commits), first, last, board)


def _refuse_unless_empty(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise PathError(f"{folder}: not a folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise UsageError(
            f"{folder}: not empty; init --demo writes a new repository into an empty or new folder"
        )


def _clean(folder: Path, created: bool) -> None:
    if created:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def _git(folder: Path, *args: str, stdin: bytes | None = None) -> None:
    try:
        write_git(folder, *args, stdin=stdin)
    except GitError as exc:
        raise DemoError(f"{exc.message}; init --demo needs git") from None


def _write_repository(folder: Path, commits: Sequence[Commit]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    _git(folder, "init", "--quiet", "--template=", ".")
    _git(folder, "fast-import", "--quiet", "--done", stdin=fast_import_stream(commits))
    _git(folder, "symbolic-ref", "HEAD", BRANCH)
    _git(folder, "reset", "--quiet", "--hard", BRANCH)


def fast_import_stream(commits: Sequence[Commit]) -> bytes:
    """The commits as a ``git fast-import`` stream, on one branch."""
    out = bytearray()
    for number, commit in enumerate(commits, start=1):
        name, email = commit.author
        stamp = f"{int(commit.when.timestamp())} {commit.when:%z}"
        message = commit.message.encode("utf-8")
        out += f"commit {BRANCH}\nmark :{number}\n".encode()
        out += f"author {name} <{email}> {stamp}\ncommitter {name} <{email}> {stamp}\n".encode()
        out += b"data %d\n%s\n" % (len(message), message)
        if number > 1:
            out += f"from :{number - 1}\n".encode()
        for path, text in sorted(commit.files.items()):
            out += f"M 100644 inline {_quoted(path)}\n".encode()
            out += b"data %d\n%s\n" % (len(text), text)
        out += b"\n"
    return bytes(out + b"done\n")


def _quoted(path: str) -> str:
    """A path as fast-import reads it: C-style quoted when it starts with a quote or
    holds a line break or backslash."""
    if not path.startswith('"') and not any(c in path for c in "\n\\"):
        return path
    escaped = path.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'
