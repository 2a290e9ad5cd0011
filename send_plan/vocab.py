"""Every vocabulary of the plan format, and how people write its words otherwise.

The enums are the words a plan file uses; the tables below are how trackers,
spreadsheets and analysts write the same things. One table serves every path in
(a YAML file's error message suggests what the Excel import accepts), and this
module imports no Pydantic, so the command line can offer the words as choices
without paying for the models at start-up.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from enum import StrEnum


class PlanKind(StrEnum):
    WRITTEN_STATEMENT_OF_ACTION = "written-statement-of-action"
    ACCELERATED_PROGRESS_PLAN = "accelerated-progress-plan"
    IMPROVEMENT_PLAN = "improvement-plan"
    PRIORITY_ACTION_PLAN = "priority-action-plan"
    OTHER = "other"


class PlanStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"


class AreaKind(StrEnum):
    FUNDAMENTAL_FAILING = "fundamental-failing"
    SIGNIFICANT_WEAKNESS = "significant-weakness"
    PRIORITY = "priority"
    PRIORITY_ACTION = "priority-action"
    AREA_FOR_IMPROVEMENT = "area-for-improvement"
    OTHER = "other"


class Rag(StrEnum):
    """RAG ratings, worst to best (the declaration order is the ranking).

    ``blue`` (BRAG trackers) means complete: it ranks above green and is allowed
    only on a complete action.
    """

    RED = "red"
    RED_AMBER = "red-amber"
    AMBER = "amber"
    AMBER_GREEN = "amber-green"
    GREEN = "green"
    BLUE = "blue"

    @property
    def rank(self) -> int:
        return _RAG_ORDER.index(self)


_RAG_ORDER = list(Rag)

#: RAG keys in counts: every rating, then actions without one.
RAG_KEYS = (*(r.value for r in Rag), "unrated")


class Judgement(StrEnum):
    """A review's judgement of one area (typically at the revisit)."""

    SUFFICIENT = "sufficient"
    NOT_SUFFICIENT = "not-sufficient"


class Unit(StrEnum):
    """What an indicator counts."""

    PERCENT = "percent"
    NUMBER = "number"
    RATE = "rate"
    DAYS = "days"
    WEEKS = "weeks"
    CURRENCY = "currency"


class Polarity(StrEnum):
    """Which way is better; ``context`` indicators are watched, not rated."""

    HIGHER_IS_BETTER = "higher-is-better"
    LOWER_IS_BETTER = "lower-is-better"
    CONTEXT = "context"


class Frequency(StrEnum):
    """How often an indicator's figure comes; each has a period in months."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    TERMLY = "termly"
    ANNUAL = "annual"

    @property
    def months(self) -> int:
        return {"monthly": 1, "quarterly": 3, "termly": 4, "annual": 12}[self.value]


class Direction(StrEnum):
    """How the latest figure compares with the one before."""

    IMPROVING = "improving"
    WORSENING = "worsening"
    NO_CHANGE = "no-change"
    UP = "up"  # context indicators: no better or worse
    DOWN = "down"


#: ``due: ongoing``: work with no fixed deadline.
ONGOING = "ongoing"


class ActionStatus(StrEnum):
    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    COMPLETE = "complete"
    WITHDRAWN = "withdrawn"

    @property
    def is_open(self) -> bool:
        return self in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


class State(StrEnum):
    """An action's state on the as-of date, in the spec's order of precedence."""

    COMPLETE = "complete"
    WITHDRAWN = "withdrawn"
    CARRIED_FORWARD = "carried-forward"
    OVERDUE = "overdue"
    DUE_SOON = "due-soon"
    ON_TRACK = "on-track"


class Position(StrEnum):
    """Where an action stands when its plan ends (Appendix B's 'summary position')."""

    COMPLETE = "complete"
    WITHDRAWN = "withdrawn"
    CARRIED_FORWARD = "carried-forward"
    DROPPED = "dropped"  # open, not carried, and the plan is closed
    UNRESOLVED = "unresolved"  # open, closed plan, its named successor was not read
    OPEN = "open"  # open, not carried, and the plan has not closed yet


class ReportName(StrEnum):
    """The built-in reports (:data:`send_plan.render.reports.REPORT_BY_NAME`)."""

    board_summary = "board-summary"
    appendix_a = "appendix-a"
    appendix_b = "appendix-b"


class ReportFormat(StrEnum):
    md = "md"
    html = "html"
    docx = "docx"


# --------------------------------------------------------------------------- how people write them

#: How trackers write statuses -> the format's status. Keys are compared with
#: case folded and spaces, hyphens and underscores treated alike (status_key).
STATUS_WORDS: dict[str, str] = {
    "not started": "not-started",
    "not yet started": "not-started",
    "yet to start": "not-started",
    "not begun": "not-started",
    "planned": "not-started",
    "to do": "not-started",
    "in progress": "in-progress",
    "work in progress": "in-progress",
    "wip": "in-progress",
    "on track": "in-progress",
    "ongoing": "in-progress",
    "started": "in-progress",
    "underway": "in-progress",
    "under way": "in-progress",
    "in hand": "in-progress",
    "complete": "complete",
    "completed": "complete",
    "done": "complete",
    "finished": "complete",
    "achieved": "complete",
    "withdrawn": "withdrawn",
    "cancelled": "withdrawn",
    "canceled": "withdrawn",
    "no longer required": "withdrawn",
}

#: Words that are not statuses (a state worked out from dates, or either of two
#: statuses): what to write instead.
NOT_A_STATUS: dict[str, str] = {
    "delayed": "a delayed action is in-progress or not-started",
    "at risk": "an action at risk is in-progress or not-started",
    "behind schedule": "an action behind schedule is in-progress or not-started",
    "on hold": "an action on hold is in-progress or not-started (say why in an update)",
    "paused": "a paused action is in-progress or not-started (say why in an update)",
    "not due": "'not due' is worked out from the due date; the status is not-started or "
    "in-progress",
    "overdue": "overdue is worked out from the due date; the status is in-progress or not-started",
    "open": "an open action is in-progress or not-started",
    "closed": "a closed action is complete or withdrawn",
}

#: Plan statuses as people write them.
PLAN_STATUS_WORDS: dict[str, str] = {
    "live": "active",
    "open": "active",
    "current": "active",
    "finalised": "closed",
    "finished": "closed",
    "complete": "closed",
}

#: RAG ratings as trackers write them, beyond what the blend rule reads: any of
#: red/amber/green (or R/A/G) alone or two of them joined by '/', '-' or a space,
#: in either order ("Amber/Green", "G/A", "A-G") is read as the blend.
RAG_WORDS: dict[str, str | None] = {
    "b": "blue",
    "complete (blue)": "blue",
    "blue (complete)": "blue",
    "completed (blue)": "blue",
    "ra": "red-amber",
    "ar": "red-amber",
    "ag": "amber-green",
    "ga": "amber-green",
    "not rated": None,
    "unrated": None,
    "n/a": None,
    "na": None,
    "none": None,
    "-": None,
}


def status_key(text: str) -> str:
    """A status as written, folded for lookup in STATUS_WORDS and NOT_A_STATUS."""
    return re.sub(r"[\s_\-]+", " ", text.strip().casefold()).strip(" .")


def rag_key(text: str) -> str:
    """A RAG rating as written, folded for lookup in RAG_WORDS."""
    return " ".join(text.strip().casefold().split())


def rag_canonical(value: str) -> str | None:
    """The canonical spelling of a RAG rating written another way, if there is one."""
    words = [w for w in re.split(r"[\s_/\\,&+-]+", value.strip().lower()) if w]
    words = [{"r": "red", "a": "amber", "g": "green", "b": "blue"}.get(w, w) for w in words]
    ranked = [r for r in Rag if r.value in words]
    if Rag.BLUE in ranked and len(ranked) > 1:
        return None
    if not words or len(ranked) != len(set(words)) or len(ranked) > 2:
        return None
    if len(ranked) == 1:
        return ranked[0].value
    low, high = sorted(ranked, key=lambda r: r.rank)
    combined = f"{low.value}-{high.value}"
    return combined if combined in {r.value for r in Rag} else None


def read_rag_word(text: str) -> tuple[bool, str | None]:
    """``(known, rating)`` for a RAG rating as trackers write it; rating None = unrated."""
    key = rag_key(text)
    if key in RAG_WORDS:
        return True, RAG_WORDS[key]
    canonical = rag_canonical(text)
    return canonical is not None, canonical


def status_hint(text: str) -> str | None:
    """Why a word trackers use as a status is not one, and what to write instead."""
    return NOT_A_STATUS.get(status_key(text))


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The closest valid spelling of ``word``, if any is close."""
    options = list(choices)
    matches = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if matches:
        return matches[0]
    lowered = {c.lower(): c for c in options}
    return lowered.get(word.lower())


def suggest_value(
    text: str, choices: list[str], words: Mapping[str, str] = STATUS_WORDS
) -> str | None:
    """The vocabulary word ``text`` most likely means, if any."""
    normal = re.sub(r"[\s_]+", "-", text.strip().lower())
    if normal in choices:
        return normal
    for table in (words, PLAN_STATUS_WORDS):
        synonym = table.get(status_key(text))
        if synonym in choices:
            return synonym
    return nearest(text, choices)
