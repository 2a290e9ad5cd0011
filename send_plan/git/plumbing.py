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
#: Paths as they are (a Welsh area's ``ynys-môn.yaml`` is not quoted), never paged.
_GIT_CONFIG = ("-c", "core.quotePath=false", "-c", "core.pager=cat")
#: What a shallow clone needs, said where it matters.
SHALLOW_FIX = (
    "fetch the whole history (for example actions/checkout with 'fetch-depth: 0', "
    "or 'git fetch --unshallow')"
)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_EMPTY = "0" * 40


class GitError(SendPlanError):
    """Not a repository, an unknown revision, or git itself failed (exit 2)."""


class NoCommitThatEarly(GitError):
    """A date before the repository's first commit; ``first`` is that commit's day."""

    def __init__(self, message: str, first: str) -> None:
        super().__init__(message)
        self.first = first


def _not_a_repository(where: Path, detail: str) -> str:
    """Why git will not read ``where``, in the user's terms."""
    if "dubious ownership" in detail or "safe.directory" in detail:
        return (
            f"{where}: git refuses to read this repository because another user owns it; "
            "if you trust it, run: git config --global --add safe.directory "
            f"'{Path(where).resolve()}'"
        )
    if "not a git repository" in detail.lower():
        return f"{where}: not inside a git repository"
    return f"{where}: git cannot read the repository: {detail}"


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
            out = self._git(
                folder,
                "rev-parse",
                "--show-toplevel",
                "--absolute-git-dir",
                "--is-shallow-repository",
            )
        except GitError as exc:
            raise GitError(_not_a_repository(where, exc.message)) from None
        top, git_dir, shallow = [*out.splitlines(), "", "", ""][:3]
        self.top = Path(top)
        self.git_dir = Path(git_dir)
        #: A shallow clone holds only recent commits: history before them is missing.
        self.shallow = shallow.strip() == "true"
        try:
            self._git(self.top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        except GitError:
            raise GitError(
                f"the repository at {self.top} has no commits yet: commit the plans first"
            ) from None

    @staticmethod
    def _git(cwd: Path, *args: str, stdin: str | None = None) -> str:
        env = {**os.environ, **_GIT_ENV, "LC_ALL": "C", "GIT_PAGER": "cat"}
        try:
            done = subprocess.run(
                ["git", *_GIT_CONFIG, *args],
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
        (each commit's day read in its own time zone).

        Every revision a user gives comes through here, once: one that starts
        with ``-`` is refused (git would read it as an option), and the rest is
        checked with ``rev-parse --verify`` after ``--end-of-options``.
        """
        if rev.startswith("-") or not rev.strip() or "\x00" in rev:
            raise GitError(f"'{rev}' is not a revision: give a commit, tag, branch or date")
        if _DAY.fullmatch(rev):
            return self._on_or_before(rev)
        if ".." in rev:
            raise GitError(f"'{rev}' is a range; give one revision (a commit, tag, branch or date)")
        try:
            sha = self.run(
                "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"
            ).strip()
        except GitError:
            hint = f"; the repository is a shallow clone: {SHALLOW_FIX}" if self.shallow else ""
            raise GitError(f"unknown revision '{rev}'{hint}") from None
        out = self.run("log", "-1", f"--format={_FORMAT}", sha, "--")
        return _commit(out.rstrip("\n"))

    def _on_or_before(self, day: str) -> Commit:
        try:
            date.fromisoformat(day)
        except ValueError:
            raise GitError(f"'{day}' is not a real date") from None
        lines = self.run("log", "--date-order", f"--format={_FORMAT}", "HEAD").splitlines()
        for line in lines:
            commit = _commit(line)
            if commit.day <= day:
                return commit
        first = _commit(lines[-1]).day if lines else "unknown"
        shallow = f" (a shallow clone: {SHALLOW_FIX})" if self.shallow else ""
        raise NoCommitThatEarly(
            f"no commit on or before {day}: the first commit{shallow} is on {first}; "
            "give a later date, or see `send-plan init --demo` for a plan repository "
            "with a dated history",
            first,
        )

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
        out = self.run("ls-tree", "-r", "-z", "--full-tree", commit.rev, "--", *specs)
        files = {}
        for entry in out.split("\x00"):
            if not entry:
                continue
            meta, path = entry.split("\t", 1)
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
            "-z",
            "--no-abbrev",
            "--no-renames",
            # a merge's own changes (made while resolving it) belong to the merge
            "--diff-merges=first-parent",
            "--format=%x01" + _FORMAT,
            until.rev if until else "HEAD",
            "--",
            *specs,
        )
        commits: list[LogEntry] = []
        for chunk in out.split("\x01")[1:]:
            fields = chunk.split("\x00")
            head, rest = "\x00".join(fields[:4]), fields[4:]
            changes: dict[str, str | None] = {}
            for k in range(len(rest) - 1):
                meta = rest[k].lstrip("\n")
                if not meta.startswith(":"):
                    continue
                path, new_blob = rest[k + 1], meta.split()[3]
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


# --------------------------------------------------------------------------- a new repository


def _isolated_env() -> dict[str, str]:
    """The environment without the user's git settings, and with no other repository."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_TERMINAL_PROMPT="0",
        LC_ALL="C",
    )
    return env


#: Settings that win over any configuration git might still read.
_ISOLATED_OPTIONS = (
    "-c", "core.autocrlf=false", "-c", "core.fsmonitor=false", "-c", "gc.auto=0",
    "-c", "init.defaultBranch=main", "-c", "commit.gpgSign=false",
)  # fmt: skip


def write_git(folder: Path, *args: str, stdin: bytes | None = None) -> None:
    """git in a repository send-plan is creating (``init --demo``), on
    ``folder/.git`` only, with none of the user's settings, hooks or templates."""
    where = () if args[0] == "init" else ("--git-dir", ".git", "--work-tree", ".")
    try:
        done = subprocess.run(
            ["git", *_ISOLATED_OPTIONS, *where, *args],
            cwd=folder,
            input=stdin,
            capture_output=True,
            env=_isolated_env(),
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {lines[-1] if lines else 'no message'}")
