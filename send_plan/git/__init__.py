"""The plans' history in git: what changed, the life of an action, the change rules.

Read only: git is run as a command, never to change the repository; the one
thing written is the digest cache under the git directory. The modules, from
the bottom up:

- :mod:`~send_plan.git.plumbing`: the one module that runs ``git`` (revisions,
  trees, logs, ``cat-file --batch``) and :class:`GitError`;
- :mod:`~send_plan.git.digests`: a plan file version as a typed digest, the
  digest cache on disk and parallel digesting;
- :mod:`~send_plan.git.repo`: a repository opened once for the plan paths, and
  the plans at a commit (a snapshot) or after each commit (a walk);
- :mod:`~send_plan.git.changes`: ``changes`` between two revisions, and the
  board summary's changes since the last report;
- :mod:`~send_plan.git.timeline`: ``history`` of one action, and every
  action's slip for ``status`` and the reports;
- :mod:`~send_plan.git.gate`: the change rules of ``validate --base``.

The values other layers hold (:class:`~send_plan.revisions.Slip`,
:class:`~send_plan.revisions.Change`, :class:`~send_plan.revisions.ReportChanges`)
live in :mod:`send_plan.revisions`, which imports nothing from here.

The names below are imported lazily, so importing this package runs nothing::

    from send_plan.git import changes_between
    found = changes_between([Path("plans")], "2019-01-15", None)
"""

from __future__ import annotations

from typing import Any

#: public name -> the module defining it
_API = {
    "GitError": "send_plan.git.plumbing",
    "Commit": "send_plan.git.plumbing",
    "Git": "send_plan.git.plumbing",
    "PlanDigest": "send_plan.git.digests",
    "ActionDigest": "send_plan.git.digests",
    "RescheduleEntry": "send_plan.git.digests",
    "InvalidVersion": "send_plan.git.digests",
    "DigestCache": "send_plan.git.digests",
    "digest": "send_plan.git.digests",
    "plan_digest": "send_plan.git.digests",
    "Repository": "send_plan.git.repo",
    "Snapshot": "send_plan.git.repo",
    "Changes": "send_plan.git.changes",
    "Move": "send_plan.git.changes",
    "changes_between": "send_plan.git.changes",
    "changes_for_report": "send_plan.git.changes",
    "sorted_for_table": "send_plan.git.changes",
    "History": "send_plan.git.timeline",
    "HistoryEvent": "send_plan.git.timeline",
    "action_history": "send_plan.git.timeline",
    "slips": "send_plan.git.timeline",
    "judge_change": "send_plan.git.gate",
    "Slip": "send_plan.revisions",
    "Change": "send_plan.revisions",
    "ReportChanges": "send_plan.revisions",
    "KINDS": "send_plan.revisions",
    "KIND_LABEL": "send_plan.revisions",
}

__all__ = list(_API)


def __getattr__(name: str) -> Any:
    if name in _API:
        from importlib import import_module

        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'send_plan.git' has no attribute {name!r}")
