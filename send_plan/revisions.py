"""What the plans' git history tells the rest of the program, as plain values.

The git package (:mod:`send_plan.git`) computes these; tracking and the board
documents only hold and read them. Standard library only, so that
:mod:`send_plan.tracking` and :mod:`send_plan.render` can use them without
importing anything that runs git.

- :class:`Slip`: one action's deadline story (``status``, ``report``).
- :class:`Change`: one change between two revisions (``changes``, ``report``),
  with the change kinds :data:`KINDS` and their words :data:`KIND_LABEL`.
- :class:`ReportChanges`: one plan's changes since the last board report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
    "indicator-restated",
    "indicator-value",
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
    "indicator-restated": "figure restated",
    "indicator-value": "figure added",
}

#: A value before or after a change: text, none, (``carried``) plan/action
#: references, or (``indicator-value``, ``indicator-restated``) a figure.
ChangeValue = str | tuple[str, ...] | float | None


@dataclass(frozen=True, slots=True)
class Slip:
    """An action's deadline story from git: the first due date the history shows
    (or ``original_due`` when that is earlier), the distinct moves seen in git or
    recorded in ``rescheduled``, and the days slipped in all."""

    first_due: str
    deadline_moves: int
    slip_days: int


@dataclass(frozen=True, slots=True)
class Change:
    """One change to a plan (``action`` None), to one of its actions, or to a
    figure of one of its indicators (``indicator`` and ``period``, the figure's
    date; ``action`` None).

    ``area`` is the action's area; None, and left out of :meth:`as_dict`, for a
    change to the plan itself. ``indicator`` and ``period`` are in
    :meth:`as_dict` (as ``indicator`` and ``date``) for figures only.
    """

    plan: str
    action: str | None
    kind: str
    from_: ChangeValue
    to: ChangeValue
    area: str | None = None
    indicator: str | None = None
    period: str | None = None

    @property
    def subject(self) -> str | None:
        """What changed, for a table: the action, or the indicator and the
        figure's date; None for the plan itself."""
        if self.indicator is not None:
            return f"{self.indicator} {self.period}"
        return self.action

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "plan": self.plan,
            "action": self.action,
            "kind": self.kind,
            "from": _plain(self.from_),
            "to": _plain(self.to),
        }
        if self.area is not None:
            out["area"] = self.area
        if self.indicator is not None:
            out["indicator"] = self.indicator
            out["date"] = self.period
        return out


def _plain(value: ChangeValue) -> str | list[str] | float | None:
    return list(value) if isinstance(value, tuple) else value


@dataclass(frozen=True, slots=True)
class ReportChanges:
    """One plan's changes since a revision, for the board summary's last section."""

    plan: str
    since_rev: str  # shortened to 7 characters
    since_date: str  # YYYY-MM-DD
    changes: tuple[Change, ...]
    #: the changes run to the files as they are, which differ from the last commit
    uncommitted: bool = False
