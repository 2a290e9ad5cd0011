"""The one module that runs the ``git`` executable.

It owns the subprocess calls, their environment, revisions, trees, logs and the
``git cat-file --batch`` reader, and :class:`GitError`. It runs the ``git``
command (no library) and never changes the repository: no checkout, nothing
written to the index (``GIT_OPTIONAL_LOCKS=0``), no fetch of missing objects in
a partial clone (``GIT_NO_LAZY_FETCH=1``). File versions are read in bulk
through one ``git cat-file --batch`` process. What a version *means* is not
its business: see :mod:`send_plan.git.digests`.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from send_plan.errors import SendPlanError
from send_plan.files import PLAN_SUFFIXES

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


@dataclass(frozen=True, slots=True)
class LogEntry:
    """A commit that touched plan files, and its changes: path -> new blob id
    (None when the file was deleted)."""

    commit: Commit
    changes: Mapping[str, str | None]


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

    def log(self, specs: Sequence[str], until: Commit | None = None) -> list[LogEntry]:
        """Commits that touched plan files, oldest first, each with its changes."""
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
        commits: list[LogEntry] = []
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
                commits.append(LogEntry(_commit(head), changes))
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
