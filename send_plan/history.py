"""The one module that talks to git.

It runs the ``git`` command (no library) and never changes the repository: no
checkout, nothing written to the index (``GIT_OPTIONAL_LOCKS=0``), no fetch of
missing objects in a partial clone (``GIT_NO_LAZY_FETCH=1``). File versions are
read in bulk through one ``git cat-file --batch`` process. The only thing it
writes is its own cache, ``.git/send-plan-cache/``, which git ignores.

Each plan file version (a blob) is loaded with the same loader and rules as a
file on disk, then reduced to a small *digest*: the plan's id and status and,
per action, the fields whose history boards ask about. Digests are cached on
disk by blob id under the repository's git directory, written atomically, so a
second run reads small JSON files instead of parsing YAML again; a damaged
cache entry is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from send_plan.errors import SendPlanError
from send_plan.files import PLAN_SUFFIXES

CACHE_VERSION = 3
#: Read only: no optional index refresh, no fetching in partial clones.
_GIT_ENV = {"GIT_OPTIONAL_LOCKS": "0", "GIT_NO_LAZY_FETCH": "1"}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_EMPTY = "0" * 40


class GitError(SendPlanError):
    """Not a repository, an unknown revision, or git itself failed (exit 2)."""


@dataclass(frozen=True, slots=True)
class Commit:
    rev: str
    date: str  # ISO 8601 with the commit's own UTC offset
    author: str
    subject: str

    @property
    def short(self) -> str:
        return self.rev[:7]

    @property
    def day(self) -> str:
        return self.date[:10]

    def as_dict(self) -> dict[str, str]:
        return {"rev": self.short, "date": self.day}


_FORMAT = "%H%x00%cI%x00%an%x00%s"


def _commit(line: str) -> Commit:
    rev, when, author, subject = line.split("\x00", 3)
    return Commit(rev, when, author, subject)


class Git:
    """A read-only view of the repository holding ``where``."""

    def __init__(self, where: Path) -> None:
        folder = where if where.is_dir() else where.parent
        try:
            out = self._git(folder, "rev-parse", "--show-toplevel", "--absolute-git-dir")
        except GitError:
            raise GitError(f"{where}: not inside a git repository") from None
        top, git_dir = out.splitlines()[:2]
        self.top = Path(top)
        self.git_dir = Path(git_dir)

    @staticmethod
    def _git(cwd: Path, *args: str, stdin: str | None = None) -> str:
        env = {**os.environ, **_GIT_ENV, "LC_ALL": "C", "GIT_PAGER": "cat"}
        try:
            done = subprocess.run(
                ["git", *args],
                cwd=cwd,
                input=stdin,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                env=env,
                check=False,
            )
        except FileNotFoundError:
            raise GitError("git is not installed (or not on PATH)") from None
        if done.returncode != 0:
            raise GitError(
                done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "git failed"
            )
        return done.stdout

    def run(self, *args: str) -> str:
        return self._git(self.top, *args)

    # ----------------------------------------------------------------- revisions

    def resolve(self, rev: str) -> Commit:
        """A commit-ish, or ``YYYY-MM-DD``: the last commit on or before that day
        (each commit's day read in its own time zone)."""
        if _DAY.fullmatch(rev):
            try:
                date.fromisoformat(rev)
            except ValueError:
                raise GitError(f"'{rev}' is not a real date") from None
            for line in self.run("log", "--date-order", f"--format={_FORMAT}", "HEAD").splitlines():
                commit = _commit(line)
                if commit.day <= rev:
                    return commit
            raise GitError(f"no commit on or before {rev}")
        try:
            out = self.run("log", "-1", f"--format={_FORMAT}", f"{rev}^{{commit}}", "--")
        except GitError:
            raise GitError(f"unknown revision '{rev}'") from None
        return _commit(out.rstrip("\n"))

    def pathspecs(self, paths: Sequence[Path]) -> list[str]:
        """The given paths, relative to the top of the repository."""
        specs = []
        for path in paths:
            full = path.resolve() if path.exists() else (Path.cwd() / path).resolve()
            try:
                rel = full.relative_to(self.top.resolve())
            except ValueError:
                raise GitError(f"{path}: outside the repository at {self.top}") from None
            specs.append(rel.as_posix() or ".")
        return specs

    def tree(self, commit: Commit, specs: Sequence[str]) -> dict[str, str]:
        """Plan files at ``commit`` under ``specs``: path -> blob id."""
        out = self.run("ls-tree", "-r", "--full-tree", commit.rev, "--", *specs)
        files = {}
        for line in out.splitlines():
            meta, path = line.split("\t", 1)
            _, kind, blob = meta.split()
            if kind == "blob" and path.lower().endswith(PLAN_SUFFIXES):
                files[path] = blob
        return files

    def log(
        self, specs: Sequence[str], until: Commit | None = None
    ) -> list[tuple[Commit, dict[str, str | None]]]:
        """Commits that touched plan files, oldest first, each with its changes:
        path -> new blob id (None when the file was deleted)."""
        out = self.run(
            "log",
            "--reverse",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "--format=%x01" + _FORMAT,
            until.rev if until else "HEAD",
            "--",
            *specs,
        )
        commits: list[tuple[Commit, dict[str, str | None]]] = []
        for chunk in out.split("\x01")[1:]:
            head, _, body = chunk.partition("\n")
            changes: dict[str, str | None] = {}
            for line in body.splitlines():
                if not line.startswith(":"):
                    continue
                meta, path = line.split("\t", 1)
                new_blob = meta.split()[3]
                if path.lower().endswith(PLAN_SUFFIXES):
                    changes[path] = None if new_blob == _EMPTY else new_blob
            if changes:
                commits.append((_commit(head), changes))
        return commits

    def read_blobs(self, blobs: Iterable[str]) -> Iterator[tuple[str, bytes]]:
        """Blob contents, through one ``git cat-file --batch`` process."""
        wanted = list(dict.fromkeys(blobs))
        if not wanted:
            return
        env = {**os.environ, **_GIT_ENV}
        process = subprocess.Popen(
            ["git", "cat-file", "--batch"],
            cwd=self.top,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        assert process.stdin is not None
        assert process.stdout is not None
        stdin = process.stdin

        def feed() -> None:  # a thread, so a full pipe never blocks both sides
            try:
                for blob in wanted:
                    stdin.write(f"{blob}\n".encode())
                stdin.close()
            except BrokenPipeError:
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        try:
            for blob in wanted:
                header = process.stdout.readline().decode()
                parts = header.split()
                if len(parts) != 3 or parts[1] != "blob":
                    raise GitError(f"cannot read {blob} from the repository")
                size = int(parts[2])
                data = process.stdout.read(size)
                process.stdout.read(1)  # the newline after each object
                yield blob, data
        finally:
            process.stdout.close()
            process.wait()
            writer.join()


# --------------------------------------------------------------------------- digests


def digest(name: str, data: bytes) -> dict[str, Any]:
    """A plan file version reduced to what history needs, or why it is invalid."""
    from send_plan.validation import check_text

    # A closed plan read alone always looks as if it dropped what its successor
    # carries (E214): history judges each version on its own.
    result = check_text(name, data, ignore={"E214"})
    loaded = result.portfolio.files[-1]
    errors = result.errors()
    if errors or loaded.plan is None or loaded.partial:
        first = errors[0] if errors else None
        return {
            "valid": False,
            "plan": loaded.plan_id,
            "error": f"{first.code} at line {first.line}: {first.message}" if first else "invalid",
        }
    return plan_digest(loaded.plan, loaded.data or {})


def plan_digest(plan: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The digest of a valid plan: its model, and the raw data for fingerprints."""
    raw_actions = {
        a.get("id"): a
        for area in data.get("areas") or []
        for a in (area.get("actions") or [])
        if isinstance(a, dict)
    }
    return {
        "valid": True,
        "plan": plan.id,
        "title": plan.plan.title,
        "status": plan.plan.status.value,
        "actions": {
            a.id: {
                "area": area.id,
                "title": a.title,
                "status": a.status.value,
                "rag": a.rag.value if a.rag else None,
                "due": a.due_text,  # a date, or "ongoing"
                "lead": a.lead,
                "completed": a.completed.isoformat() if a.completed else None,
                "original_due": a.original_due.isoformat() if a.original_due else None,
                "carried_from": a.carried_from,
                "rescheduled": [
                    [r.on.isoformat(), r.from_.isoformat(), r.to.isoformat(), r.reason]
                    for r in a.rescheduled
                ],
                "content": _fingerprint({k: v for k, v in raw_actions[a.id].items() if k != "id"}),
            }
            for area in plan.areas
            for a in area.actions
        },
        "content": _fingerprint(data),
        "content_without_id": _fingerprint(
            {**data, "plan": {k: v for k, v in data["plan"].items() if k != "id"}}
        ),
    }


def _fingerprint(data: Any) -> str:
    """A stable fingerprint of plain data (text, lists, mappings), to see edits
    and renames. ``repr`` of plain data is deterministic and runs at C speed."""
    return hashlib.blake2b(repr(data).encode(), digest_size=16).hexdigest()


@dataclass
class DigestCache:
    """Digests by blob id, on disk under the git directory."""

    folder: Path | None
    memory: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def for_repo(cls, git: Git) -> DigestCache:
        if os.environ.get("SEND_PLAN_NO_CACHE"):
            return cls(None)
        return cls(git.git_dir / "send-plan-cache" / f"v{CACHE_VERSION}")

    def get(self, blob: str) -> dict[str, Any] | None:
        if blob in self.memory:
            return self.memory[blob]
        if self.folder is None:
            return None
        try:
            value = json.loads((self.folder / blob[:2] / f"{blob}.json").read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(value, dict) or "valid" not in value:
            return None
        self.memory[blob] = value
        return value

    def put(self, blob: str, value: dict[str, Any]) -> None:
        self.memory[blob] = value
        if self.folder is None:
            return
        folder = self.folder / blob[:2]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "wb") as out:
                out.write(json.dumps(value, separators=(",", ":")).encode())
            os.replace(tmp, folder / f"{blob}.json")
        except OSError:
            pass  # a cache that cannot be written only costs time


#: Parse versions in worker processes when at least this many need parsing.
PARALLEL_MIN = int(os.environ.get("SEND_PLAN_PARALLEL_MIN", 8))


def digests(git: Git, cache: DigestCache, blobs: dict[str, str]) -> dict[str, dict[str, Any]]:
    """blob -> digest for ``blobs`` (blob -> a path to name it by).

    Cached digests are read from disk; the rest are parsed, in worker processes
    on every core when there are enough of them to pay for it.
    """
    out: dict[str, dict[str, Any]] = {}
    missing = []
    for blob in blobs:
        cached = cache.get(blob)
        if cached is None:
            missing.append(blob)
        else:
            out[blob] = cached
    workers = min(os.cpu_count() or 1, 4)
    if workers > 1 and len(missing) >= PARALLEL_MIN:
        computed = _parallel(git, blobs, missing, workers)
    else:
        computed = ((blob, digest(blobs[blob], data)) for blob, data in git.read_blobs(missing))
    for blob, value in computed:
        cache.put(blob, value)
        out[blob] = value
    return out


def _parallel(
    git: Git, blobs: dict[str, str], missing: list[str], workers: int
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Digests from a process pool, with a bounded number of versions in flight."""
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    in_flight: deque[tuple[str, Future[dict[str, Any]]]] = deque()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for blob, data in git.read_blobs(missing):
            in_flight.append((blob, pool.submit(digest, blobs[blob], data)))
            if len(in_flight) >= 2 * workers:
                done, future = in_flight.popleft()
                yield done, future.result()
        while in_flight:
            done, future = in_flight.popleft()
            yield done, future.result()
