"""Appendix A: the progress update, area by area, that goes to DfE/NHS England and
the board (the seed report's "Update on progress for DfE/NHS England").

The view-model and its shapes live here; ``templates/appendix-a.*.j2`` print it
and :mod:`send_plan.render.appendix_a_word` lays it out in Word. The update covers
the period (S, D]: D is the as-of date, S the start given, or by default the date
of the plan's latest review strictly before D, else the plan's start. Nothing
dated after D appears: later area updates, action updates, evidence, figures,
completions, reviews and judgements do not exist yet as of D, so a paper for an
earlier meeting comes out the same when it is made again later.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TypedDict
from urllib.parse import urlsplit

from send_plan.indicators import IndicatorStatus, plan_indicators
from send_plan.model import Area, AreaUpdate, EvidenceItem, Plan, Value
from send_plan.portfolio import Portfolio

# The review row and its sentence are the board summary's own, so both papers
# describe a review in the same words.
from send_plan.render.context import _review_row, _sentences, area_judgement, document, plan_info
from send_plan.render.labels import AREA_KIND, RAG, STATE
from send_plan.render.views import DatedJudgement, DocumentInfo, PlanInfo, ReviewRow, Sentence
from send_plan.tracking import TrackedAction, date_notes, track_plan
from send_plan.vocab import Direction, Unit
from send_plan.words import figure, long_date

#: The states an area's action counts show, in the order a board reads them, with
#: the short words of the counts table's headings.
STATE_HEADINGS = {
    "complete": "Complete",
    "on-track": "On track",
    "due-soon": "Due soon",
    "overdue": "Overdue",
    "carried-forward": "Carried forward",
    "withdrawn": "Withdrawn",
}
STATE_ORDER = tuple(STATE_HEADINGS)
DIRECTION = {
    Direction.IMPROVING.value: "Improving",
    Direction.WORSENING.value: "Worsening",
    Direction.NO_CHANGE.value: "No change",
    Direction.UP.value: "Up",
    Direction.DOWN.value: "Down",
}
#: Where the start of the period came from.
SINCE_GIVEN, SINCE_REVIEW, SINCE_START = "given", "review", "plan-start"


class Period(TypedDict):
    """The period the update covers: after ``since``, up to and including ``until``."""

    since: str
    since_long: str
    until: str
    until_long: str
    #: ``review`` (the latest review before as-of), ``plan-start`` or ``given``.
    basis: str
    sentence: str


class AreaUpdateRow(TypedDict):
    date: str
    rag: str | None
    rag_label: str
    note: str
    next_steps: str | None


class CompletedRow(TypedDict):
    id: str
    title: str
    lead: str
    completed: str
    rag: str | None


class OpenRow(TypedDict):
    id: str
    title: str
    lead: str
    status: str
    state: str
    state_label: str
    rag: str | None
    rag_label: str
    stale: bool
    latest_update: str | None
    latest_update_date: str | None


class EvidenceRow(TypedDict):
    #: The id of the action the evidence belongs to.
    action: str
    title: str
    date: str | None
    kind: str | None
    #: An http or https address, or None (nothing else is ever given a link).
    link: str | None


class Figure(TypedDict):
    date: str
    value: float
    #: The value with its unit, as a paper writes it: ``33%``, ``96 weeks``.
    text: str
    provisional: bool


class IndicatorRow(TypedDict):
    id: str
    title: str
    unit: str
    polarity: str
    published: bool
    latest: Figure | None
    expected: float | None
    expected_text: str | None
    rating: str | None
    rating_label: str
    direction: str | None
    direction_label: str
    late_data: bool


class AppendixAArea(TypedDict):
    id: str
    kind: str
    kind_label: str
    title: str
    #: The section heading: the id and the title.
    heading: str
    description: str | None
    impact: str | None
    #: The latest area update on or before as-of (the partnership's self-assessment).
    latest_update: AreaUpdateRow | None
    #: The other area updates dated in the period, oldest first.
    updates: list[AreaUpdateRow]
    counts: dict[str, int]
    completed: list[CompletedRow]
    open: list[OpenRow]
    evidence: list[EvidenceRow]
    other_evidence: list[EvidenceRow]
    indicators: list[IndicatorRow]
    judgement: DatedJudgement | None


class AppendixA(TypedDict):
    report: str
    document: DocumentInfo
    plan: PlanInfo
    as_of: str
    period: Period
    notes: list[str]
    state_keys: list[str]
    state_labels: dict[str, str]
    counts: dict[str, int]
    areas: list[AppendixAArea]
    latest_review: ReviewRow | None
    review_sentence: Sentence | None


def period_start(plan: Plan, as_of: date, since: date | None = None) -> tuple[date, str]:
    """S and where it came from: ``since`` when given, else the date of the plan's
    latest review strictly before ``as_of``, else the plan's start."""
    if since is not None:
        return since, SINCE_GIVEN
    earlier = [r.date for r in plan.reviews if r.date < as_of]
    if earlier:
        return max(earlier), SINCE_REVIEW
    return plan.plan.start, SINCE_START


def _period(plan: Plan, as_of: date, since: date, basis: str) -> Period:
    if basis == SINCE_REVIEW:
        review = next(r for r in reversed(plan.reviews) if r.date == since)
        why = f", the date of the review by {review.by}"
    elif basis == SINCE_START:
        why = ", when the plan started"
    else:
        why = ""
    return {
        "since": since.isoformat(),
        "since_long": long_date(since),
        "until": as_of.isoformat(),
        "until_long": long_date(as_of),
        "basis": basis,
        "sentence": f"This update covers the period after {long_date(since)}{why}, "
        f"up to and including {long_date(as_of)}.",
    }


def _update_row(u: AreaUpdate) -> AreaUpdateRow:
    rag = u.rag.value if u.rag else None
    return {
        "date": u.date.isoformat(),
        "rag": rag,
        "rag_label": RAG[rag or "unrated"],
        "note": u.note,
        "next_steps": u.next_steps,
    }


def area_updates(
    area: Area, since: date, as_of: date
) -> tuple[AreaUpdateRow | None, list[AreaUpdateRow]]:
    """The latest area update on or before ``as_of``, and the others dated in the period."""
    known = [u for u in area.updates if u.date <= as_of]
    if not known:
        return None, []
    latest = known[-1]
    others = [_update_row(u) for u in known[:-1] if u.date > since]
    return _update_row(latest), others


def safe_link(link: str | None) -> str | None:
    """An http or https address with a host, else None: only those become links."""
    if link is None:
        return None
    parts = urlsplit(link)
    if parts.scheme.lower() in ("http", "https") and parts.netloc and link == link.strip():
        return link
    return None


def area_evidence(
    tracked: Iterable[TrackedAction], since: date, as_of: date
) -> tuple[list[EvidenceRow], list[EvidenceRow]]:
    """Evidence dated in (since, as_of], then the rest: text, undated, or dated
    on or before ``since``. Evidence dated after ``as_of`` is left out. Both in
    file order (actions, then each action's evidence)."""
    in_period: list[EvidenceRow] = []
    other: list[EvidenceRow] = []
    for t in tracked:
        for item in t.action.evidence:
            if not isinstance(item, EvidenceItem):
                other.append(
                    {"action": t.action.id, "title": item, "date": None, "kind": None, "link": None}
                )
                continue
            if item.date is not None and item.date > as_of:
                continue
            row: EvidenceRow = {
                "action": t.action.id,
                "title": item.title,
                "date": item.date.isoformat() if item.date else None,
                "kind": item.kind,
                "link": safe_link(item.link),
            }
            (in_period if item.date is not None and item.date > since else other).append(row)
    return in_period, other


def _figure(value: Value | None, unit: Unit) -> Figure | None:
    if value is None:
        return None
    return {
        "date": value.date.isoformat(),
        "value": value.value,
        "text": figure(value.value, unit),
        "provisional": value.provisional,
    }


def indicator_row(s: IndicatorStatus) -> IndicatorRow:
    """One indicator as of the date: latest, expected, rating and direction."""
    ind = s.indicator
    expected = round(s.expected, 2) if s.expected is not None else None
    rating = s.rating.value if s.rating else None
    direction = s.direction.value if s.direction else None
    return {
        "id": ind.id,
        "title": ind.title,
        "unit": ind.unit.value,
        "polarity": ind.polarity.value,
        "published": ind.published,
        "latest": _figure(s.latest, ind.unit),
        "expected": expected,
        "expected_text": figure(expected, ind.unit) if expected is not None else None,
        "rating": rating,
        "rating_label": RAG[rating or "unrated"],
        "direction": direction,
        "direction_label": DIRECTION[direction] if direction else "",
        "late_data": s.late_data,
    }


def _open_row(t: TrackedAction) -> OpenRow:
    a, latest = t.action, t.latest
    rag = a.rag.value if a.rag else None
    return {
        "id": a.id,
        "title": a.title or "",
        "lead": a.lead_text,
        "status": a.status.value,
        "state": t.state.value,
        "state_label": STATE[t.state.value],
        "rag": rag,
        "rag_label": RAG[rag or "unrated"],
        "stale": t.stale,
        "latest_update": latest.note if latest else None,
        "latest_update_date": latest.date.isoformat() if latest else None,
    }


def completed_in(tracked: Iterable[TrackedAction], since: date, as_of: date) -> list[CompletedRow]:
    """Actions completed in (since, as_of], in file order, with their dates."""
    return [
        {
            "id": t.action.id,
            "title": t.action.title or "",
            "lead": t.action.lead_text,
            "completed": t.action.completed.isoformat(),
            "rag": t.action.rag.value if t.action.rag else None,
        }
        for t in tracked
        if t.action.completed is not None and since < t.action.completed <= as_of
    ]


def _area(
    plan: Plan,
    area: Area,
    tracked: list[TrackedAction],
    counts: dict[str, int],
    indicators: list[IndicatorRow],
    since: date,
    as_of: date,
) -> AppendixAArea:
    latest, others = area_updates(area, since, as_of)
    evidence, other_evidence = area_evidence(tracked, since, as_of)
    title = area.title or ""
    return {
        "id": area.id,
        "kind": area.kind.value,
        "kind_label": AREA_KIND[area.kind.value],
        "title": title,
        "heading": f"{area.id} {title}".strip(),
        "description": area.description,
        "impact": area.impact,
        "latest_update": latest,
        "updates": others,
        "counts": counts,
        "completed": completed_in(tracked, since, as_of),
        "open": [_open_row(t) for t in tracked if t.action.status.is_open],
        "evidence": evidence,
        "other_evidence": other_evidence,
        "indicators": indicators,
        "judgement": area_judgement(plan, area.id, as_of),
    }


def appendix_a(
    portfolio: Portfolio, plan: Plan, as_of: date, since: date | None = None
) -> AppendixA:
    """The progress update as of ``as_of`` for the period after ``since`` (by default
    the latest review before as-of, else the plan's start)."""
    start, basis = period_start(plan, as_of, since)
    summary = track_plan(portfolio, plan, as_of)
    by_area: dict[str, list[TrackedAction]] = {area.id: [] for area in plan.areas}
    for t in summary.actions:
        by_area[t.area.id].append(t)
    linked: dict[str, list[IndicatorRow]] = {area.id: [] for area in plan.areas}
    for s in plan_indicators(plan, as_of):
        row = indicator_row(s)
        for area_id in dict.fromkeys(s.indicator.areas):
            if area_id in linked:
                linked[area_id].append(row)
    info = plan_info(plan)
    done = [r for r in plan.reviews if r.date <= as_of]
    review = _review_row(done[-1]) if done else None
    notes = [n[:1].upper() + n[1:] + "." for n in date_notes(plan, as_of)]
    return {
        "report": "appendix-a",
        "document": document(f"{info['title']}: update on progress", plan, as_of),
        "plan": info,
        "as_of": as_of.isoformat(),
        "period": _period(plan, as_of, start, basis),
        "notes": notes,
        "state_keys": list(STATE_ORDER),
        "state_labels": dict(STATE_HEADINGS),
        "counts": summary.counts.states,
        "areas": [
            _area(
                plan, a.area, by_area[a.area.id], a.counts.states, linked[a.area.id], start, as_of
            )
            for a in summary.areas
        ],
        "latest_review": review,
        "review_sentence": _sentences(None, None, review)["review"],
    }
