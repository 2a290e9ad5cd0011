"""Coherence of one plan's own record: statuses and dates, dates in order,
deadline changes that join up, and the warnings a reviewer wants to see."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from send_plan.findings import Finding
from send_plan.loader import LoadedFile
from send_plan.model import Action
from send_plan.portfolio import Portfolio
from send_plan.vocab import ActionStatus, PlanStatus, Rag


@dataclass(frozen=True)
class _Paired:
    """A field that must be given exactly when the action has one status."""

    code: str
    status: ActionStatus
    field: str
    missing: str  # the message when the status is set and the field is not
    stray: str  # ... when the field is set and the status is not ({status} is filled in)

    def check(self, f: LoadedFile, a: Action, at: tuple[str | int, ...]) -> Iterator[Finding]:
        value = getattr(a, self.field)
        given = value is not None and (not isinstance(value, str) or bool(value.strip()))
        if a.status is self.status and not given:
            yield f.finding(self.code, self.missing, (*at, "status"), obj=a.id)
        elif a.status is not self.status and value is not None:
            message = self.stray.format(status=a.status.value)
            yield f.finding(self.code, message, (*at, self.field), key=True, obj=a.id)


_PAIRED = (
    _Paired(
        "E204",
        ActionStatus.COMPLETE,
        "completed",
        "status is complete but 'completed' is missing; add the date it was "
        "completed (completed: YYYY-MM-DD)",
        "'completed' is set but status is {status}; remove the date or set status: complete",
    ),
    _Paired(
        "E205",
        ActionStatus.WITHDRAWN,
        "withdrawn_reason",
        "status is withdrawn but 'withdrawn_reason' is missing; say why the "
        "action was withdrawn (the record must explain it)",
        "'withdrawn_reason' is set but status is {status}; remove it or set status: withdrawn",
    ),
)


def status_dates(portfolio: Portfolio) -> Iterator[Finding]:
    """Rule 7: completed iff complete, withdrawn_reason iff withdrawn, dates in sequence."""
    for f, plan in portfolio.modelled():
        info = plan.plan
        if info.end is not None and info.end < info.start:
            yield f.finding(
                "E208",
                f"the plan ends ({info.end}) before it starts ({info.start})",
                ("plan", "end"),
            )
        for i, _, j, a in plan.iter_actions():
            at = ("areas", i, "actions", j)
            for paired in _PAIRED:
                yield from paired.check(f, a, at)
            deadline = a.deadline
            if a.start is not None and deadline is not None and a.start > deadline:
                yield f.finding(
                    "E206",
                    f"the action starts ({a.start}) after it is due ({a.due})",
                    (*at, "start"),
                    obj=a.id,
                )
            if a.start is not None and a.completed is not None and a.completed < a.start:
                yield f.finding(
                    "E207",
                    f"the action was completed ({a.completed}) before it started ({a.start})",
                    (*at, "completed"),
                    obj=a.id,
                )


def ongoing_and_blue(portfolio: Portfolio) -> Iterator[Finding]:
    """Ongoing work has no deadline to move; blue means complete."""
    for f, plan in portfolio.modelled():
        for i, _, j, a in plan.iter_actions():
            at = ("areas", i, "actions", j)
            if a.deadline is None:
                for key in ("original_due", "rescheduled"):
                    if getattr(a, key):
                        yield f.finding(
                            "E216",
                            f"'{key}' is set but the action is due: ongoing (no deadline to "
                            f"move); remove '{key}', or give due a date",
                            (*at, key),
                            key=True,
                            obj=a.id,
                        )
            if a.rag is Rag.BLUE and a.status is not ActionStatus.COMPLETE:
                why = f"rag is blue (complete) but status is {a.status.value}"
                fix = "rate it red to green until it is complete, or set status: complete"
                yield f.finding("E217", f"{why}; {fix}", (*at, "rag"), obj=a.id)


def due_within_plan(portfolio: Portfolio) -> Iterator[Finding]:
    """Warning: an open action due before its plan starts or after it ends (not in a
    closed plan: it is a record, and its open actions now live in its successor)."""
    for f, plan in portfolio.modelled():
        info = plan.plan
        if info.status is PlanStatus.CLOSED:
            continue
        for i, _, j, a in plan.iter_actions():
            deadline = a.deadline
            if deadline is None or not a.is_open:
                continue
            if deadline < info.start:
                when = f"before the plan starts ({info.start})"
            elif info.end is not None and deadline > info.end:
                when = f"after the plan ends ({info.end})"
            else:
                continue
            fix = "agree a deadline within the plan (with a 'rescheduled' record) or check the date"
            message = f"the action is due {deadline}, {when}: {fix}"
            yield f.finding("W211", message, ("areas", i, "actions", j, "due"), obj=a.id)


def _out_of_order(
    f: LoadedFile,
    dates: Sequence[date],
    loc: tuple[str | int, ...],
    suffix: tuple[str, ...],
    code: str,
    what: str,
    *,
    strict: bool = False,
    obj: str | None = None,
) -> Iterator[Finding]:
    for k in range(1, len(dates)):
        before, now = dates[k - 1], dates[k]
        if now < before or (strict and now == before):
            problem = "repeats" if now == before else "comes before"
            yield f.finding(
                code,
                f"{what} {now} {problem} the one above it ({before}); list them oldest first"
                + (" with no repeats" if strict else ""),
                (*loc, k, *suffix),
                obj=obj,
            )


def date_order(portfolio: Portfolio) -> Iterator[Finding]:
    """Rule 7: updates and reviews oldest first; board meetings strictly ascending."""
    for f, plan in portfolio.modelled():
        yield from _out_of_order(
            f,
            plan.plan.board_meetings,
            ("plan", "board_meetings"),
            (),
            "E211",
            "board meeting",
            strict=True,
        )
        yield from _out_of_order(
            f, [r.date for r in plan.reviews], ("reviews",), ("date",), "E210", "review"
        )
        for i, area in enumerate(plan.areas):
            yield from _out_of_order(
                f,
                [u.date for u in area.updates],
                ("areas", i, "updates"),
                ("date",),
                "E209",
                "area update",
                obj=area.id,
            )
        for i, _, j, a in plan.iter_actions():
            yield from _out_of_order(
                f,
                [u.date for u in a.updates],
                ("areas", i, "actions", j, "updates"),
                ("date",),
                "E209",
                "update",
                obj=a.id,
            )


def rescheduling(portfolio: Portfolio) -> Iterator[Finding]:
    """Rule 6: the rescheduled record must join up from original_due to due."""
    for f, plan in portfolio.modelled():
        for i, _, j, a in plan.iter_actions():
            if not a.rescheduled or a.deadline is None:
                continue  # nothing recorded, or ongoing work (E216 says so)
            at = ("areas", i, "actions", j, "rescheduled")
            first = a.rescheduled[0]
            if a.original_due is not None and first.from_ != a.original_due:
                yield f.finding(
                    "E213",
                    f"the first deadline change is from {first.from_}, but original_due "
                    f"is {a.original_due}; they must match",
                    (*at, 0, "from"),
                    obj=a.id,
                )
            for k in range(1, len(a.rescheduled)):
                previous, entry = a.rescheduled[k - 1], a.rescheduled[k]
                if entry.from_ != previous.to:
                    yield f.finding(
                        "E213",
                        f"this deadline change is from {entry.from_}, but the one above "
                        f"moved it to {previous.to}; each change starts where the last ended",
                        (*at, k, "from"),
                        obj=a.id,
                    )
            last = a.rescheduled[-1]
            if last.to != a.due:
                yield f.finding(
                    "E213",
                    f"the last deadline change moves it to {last.to}, but due is {a.due}; "
                    "record the change that led to the current due date",
                    (*at, len(a.rescheduled) - 1, "to"),
                    obj=a.id,
                )


def empty_areas(portfolio: Portfolio) -> Iterator[Finding]:
    """An area's actions may be empty only while the plan is a draft.

    Read from the raw data, so that a file with other errors is still checked.
    """
    for f in portfolio.files:
        data = f.data or {}
        info = data.get("plan")
        status = info.get("status", "active") if isinstance(info, dict) else None
        areas = data.get("areas")
        if status in (None, PlanStatus.DRAFT.value) or not isinstance(areas, list):
            continue
        for i, area in enumerate(areas):
            if isinstance(area, dict) and area.get("actions") in (None, []):
                ident = area.get("id") if isinstance(area.get("id"), str) else None
                yield f.finding(
                    "E108",
                    f"area {ident or i + 1} has no actions; only a draft plan may have an "
                    "empty area",
                    ("areas", i, "id"),
                    obj=ident,
                    raw=True,
                )


def reviewer_warnings(portfolio: Portfolio) -> Iterator[Finding]:
    """Things a reviewer wants to see that should not block a merge."""
    for f, plan in portfolio.modelled():
        for i, _, j, a in plan.iter_actions():
            at = ("areas", i, "actions", j)
            if a.status is ActionStatus.COMPLETE and a.rag is Rag.RED:
                yield f.finding(
                    "W203",
                    "the action is complete but rated red; check the rating",
                    (*at, "rag"),
                    obj=a.id,
                )
            if a.original_due is not None and a.original_due == a.due:
                yield f.finding(
                    "W205",
                    "original_due is the same as due; remove it unless the deadline moved",
                    (*at, "original_due"),
                    obj=a.id,
                )
            if a.title is None or not a.title.strip():
                yield f.finding(
                    "W207",
                    f"action {a.id} has no title; boards read the title first",
                    (*at, "id"),
                    obj=a.id,
                )
