"""A repository opened once for the plan paths given: git, pathspecs and cache.

:meth:`Repository.open` is the one place the git view, the paths relative to
the top of the repository and the digest cache are set up. On top of them it
reads the plans as they stood: every valid plan at one commit
(:meth:`Repository.snapshot`), or after each commit that touched plan files
(:meth:`Repository.walk`). A version that no longer validates is skipped with
a warning.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from send_plan.git.digests import Digest, DigestCache, InvalidVersion, PlanDigest, digests
from send_plan.git.plumbing import Commit, Git


@dataclass
class Snapshot:
    """The valid plans at one revision, by plan id (the first file holding an id wins)."""

    commit: Commit
    plans: dict[str, PlanDigest] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: plan id -> the path (from the top of the repository) that holds it
    paths: dict[str, str] = field(default_factory=dict)
    #: path -> why the version there does not validate
    invalid: dict[str, str] = field(default_factory=dict)

    def carried_to(self) -> dict[tuple[str, str], list[str]]:
        """(plan, action) -> the ``plan/action`` references carrying it forward."""
        out: dict[tuple[str, str], list[str]] = {}
        for plan_id, d in self.plans.items():
            for action_id, a in d.actions.items():
                if a.carried_from:
                    src_plan, _, src_action = a.carried_from.partition("/")
                    out.setdefault((src_plan, src_action), []).append(f"{plan_id}/{action_id}")
        return out


@dataclass(frozen=True, slots=True)
class Step:
    """The valid plans (plan id -> digest) after one commit that touched plan files,
    and warnings for the versions it wrote that do not validate."""

    commit: Commit
    plans: dict[str, PlanDigest]
    warnings: list[str]


@dataclass(frozen=True)
class Repository:
    """The repository holding the plan paths, read only."""

    git: Git
    specs: tuple[str, ...]
    cache: DigestCache

    @classmethod
    def open(cls, paths: Sequence[Path]) -> Repository:
        """The repository holding ``paths``; GitError when there is none."""
        git = Git(paths[0])
        return cls(git, tuple(git.pathspecs(paths)), DigestCache.for_repo(git))

    def resolve(self, rev: str) -> Commit:
        return self.git.resolve(rev)

    def digests(self, blobs: Mapping[str, str]) -> dict[str, Digest]:
        """blob -> digest for ``blobs`` (blob -> a path to name it by)."""
        return digests(self.git, self.cache, blobs)

    def snapshot(self, commit: Commit) -> Snapshot:
        """Every valid plan at ``commit``."""
        tree = self.git.tree(commit, self.specs)
        found = self.digests({blob: path for path, blob in tree.items()})
        snap = Snapshot(commit)
        for path, blob in sorted(tree.items()):
            d = found[blob]
            if isinstance(d, InvalidVersion):
                snap.warnings.append(_skipped(path, commit, d))
                snap.invalid[path] = d.error
            elif d.plan not in snap.plans:
                snap.plans[d.plan] = d
                snap.paths[d.plan] = path
        return snap

    def walk(self) -> Iterator[Step]:
        """Each commit that touched plan files, oldest first, with every valid plan then."""
        log = self.git.log(self.specs)
        names = {blob: path for entry in log for path, blob in entry.changes.items() if blob}
        found = self.digests(names)
        files: dict[str, str] = {}
        for entry in log:
            warnings = []
            for path, blob in entry.changes.items():
                if blob is None:
                    files.pop(path, None)
                    continue
                files[path] = blob
                d = found[blob]
                if isinstance(d, InvalidVersion):
                    warnings.append(_skipped(path, entry.commit, d))
            plans: dict[str, PlanDigest] = {}
            for path in sorted(files):
                d = found[files[path]]
                if isinstance(d, PlanDigest):
                    plans.setdefault(d.plan, d)
            yield Step(entry.commit, plans, warnings)


def _skipped(path: str, commit: Commit, version: InvalidVersion) -> str:
    return f"{path} at {commit.short} ({commit.day}) does not validate ({version.error}); skipped"
