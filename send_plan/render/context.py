"""View-models: everything a board document shows, as plain data.

All sorting, grouping and counting happens here; templates only loop and print.
docs/templates.md lists every variable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from send_plan import __version__
from send_plan.chase import by_lead
from send_plan.indicators import ratings
from send_plan.model import Plan, Review, joined
from send_plan.portfolio import Portfolio
from send_plan.render.labels import (
    AREA_KIND,
    AREA_ORDER,
    JUDGEMENT,
    PLAN_KIND,
    POSITION,
    RAG,
)
from send_plan.render.scorecard import chart_alt, indicator_sentence, scorecard
from send_plan.render.views import (
    AppendixB,
    AreaProgress,
    BoardSummary,
    CarriedTo,
    ChangeRow,
    DatedJudgement,
    DocumentInfo,
    IndicatorRow,
    MovedRow,
    PlanInfo,
    PositionRow,
    ProgressNote,
    ReviewRow,
    Sentence,
    Sentences,
    TrackedRow,
)
from send_plan.revisions import KIND_LABEL, ChangeValue, ReportChanges, Slip
from send_plan.tracking import (
    REVISIT_MONTHS,
    FinalPosition,
    TrackedAction,
    final_positions,
    stale_since,
    track_plan,
)
from send_plan.vocab import RAG_KEYS, Position, Rag, State
from send_plan.words import iso, long_date, number, period, plural


def plan_info(plan: Plan) -> PlanInfo:
    info = plan.plan
    return {
        "id": info.id,
        "title": info.title or info.id,
        "local_area": info.local_area,
        "kind": info.kind.value,
        "kind_label": PLAN_KIND[info.kind.value],
        "status": info.status.value,
        "approved": iso(info.approved),
        "start": info.start.isoformat(),
        "end": iso(info.end),
        "period": period(info.start, info.end),
        "board": info.board,
        "successor": info.successor,
        "accountable": [{"role": a.role, "partner": a.partner} for a in info.accountable],
    }


def document(title: str, plan: Plan, as_of: date) -> DocumentInfo:
    return {
        "title": title,
        "date": as_of.isoformat(),
        "date_long": long_date(as_of),
        "board": plan.plan.board,
        "local_area": plan.plan.local_area,
        "generator": f"send-plan {__version__}",
    }


def _carried_to(portfolio: Portfolio, fp: FinalPosition, main: str | None) -> list[CarriedTo]:
    """The successor actions, each with ``ref``: its id, or plan/id outside ``main``."""
    out: list[CarriedTo] = []
    for plan_id, action_id in fp.carried_to:
        target = portfolio.action((plan_id, action_id))
        plan = portfolio.plan(plan_id)
        out.append(
            {
                "plan": plan_id,
                "plan_title": (plan.plan.title or plan_id) if plan else plan_id,
                "id": action_id,
                "ref": action_id if plan_id == main else f"{plan_id}/{action_id}",
                "title": target.title if target else None,
            }
        )
    return out


def _position_row(portfolio: Portfolio, fp: FinalPosition, main: str | None = None) -> PositionRow:
    a = fp.action
    return {
        "id": a.id,
        "title": a.title or "",
        "lead": a.lead_text,
        "leads": list(a.leads),
        "partner": joined(a.partner),
        "due": a.due_text,
        "status": a.status.value,
        "rag": a.rag.value if a.rag else None,
        "position": fp.position.value,
        "position_label": POSITION[fp.position.value],
        "date": iso(fp.date),
        "reason": fp.reason,
        "carried_to": _carried_to(portfolio, fp, main),
    }


def _title(portfolio: Portfolio, plan_id: str) -> str:
    plan = portfolio.plan(plan_id)
    return (plan.plan.title or plan_id) if plan else plan_id


def summary_sentence(totals: dict[str, int], successors: list[str]) -> str:
    parts = []
    if totals["complete"]:
        parts.append(f"{totals['complete']} complete")
    if totals["carried-forward"]:
        into = f" into the {' and the '.join(successors)}" if successors else ""
        parts.append(f"{totals['carried-forward']} carried forward{into}")
    if totals["withdrawn"]:
        parts.append(f"{totals['withdrawn']} withdrawn")
    if totals["dropped"]:
        parts.append(f"{totals['dropped']} dropped without being carried forward")
    if totals["unresolved"]:
        parts.append(
            f"{totals['unresolved']} whose position is not known because the successor "
            "plan was not read"
        )
    if totals["open"]:
        parts.append(f"{totals['open']} still open")
    head = plural(totals["total"], "action")
    if not parts:
        return f"{head}."
    if len(parts) == 1:
        return f"{head}: {parts[0]}."
    return f"{head}: {', '.join(parts[:-1])} and {parts[-1]}."


def appendix_b(portfolio: Portfolio, plan: Plan, as_of: date) -> AppendixB:
    """The final summary position of a plan, as the seed report's Appendix B."""
    positions = final_positions(portfolio, plan)
    totals = positions.totals()
    successor_ids: list[str] = []
    for fp in positions.actions:
        for plan_id, _ in fp.carried_to:
            if plan_id not in successor_ids:
                successor_ids.append(plan_id)
    successors = [_title(portfolio, plan_id) for plan_id in successor_ids]
    main = successor_ids[0] if len(successor_ids) == 1 else None
    areas = sorted(plan.areas, key=lambda a: AREA_ORDER[a.kind.value])
    info = plan_info(plan)
    return {
        "report": "appendix-b",
        "document": document(f"{info['title']}: summary position", plan, as_of),
        "plan": info,
        "totals": totals,
        "summary": summary_sentence(totals, successors),
        "successors": [
            {"id": plan_id, "title": title}
            for plan_id, title in zip(successor_ids, successors, strict=True)
        ],
        "areas": [
            {
                "id": area.id,
                "kind": area.kind.value,
                "kind_label": AREA_KIND[area.kind.value],
                "title": area.title or "",
                "totals": positions.totals(area),
                "actions": [_position_row(portfolio, fp, main) for fp in positions.in_area(area)],
            }
            for area in areas
        ],
        "dropped": [
            _position_row(portfolio, fp)
            for fp in positions.actions
            if fp.position is Position.DROPPED
        ],
    }


def _tracked_row(t: TrackedAction, as_of: date) -> TrackedRow:
    """One action as of a date: later updates are not shown."""
    a = t.action
    latest = t.latest
    return {
        "id": a.id,
        "area": t.area.id,
        "title": a.title or "",
        "lead": a.lead_text,
        "leads": list(a.leads),
        "partner": joined(a.partner),
        "sro": a.sro,
        "start": iso(a.start),
        "due": a.due_text,
        "status": a.status.value,
        "rag": a.rag.value if a.rag else None,
        "state": t.state.value,
        "days_overdue": t.days_overdue,
        "late_start": t.late_start,
        "stale": t.stale,
        "latest_update": latest.note if latest else None,
        "latest_update_date": latest.date.isoformat() if latest else None,
    }


def _by_lead(actions: Sequence[TrackedAction], as_of: date) -> list[TrackedRow]:
    """One row per lead and action, leads alphabetically (as chase lists them): an
    action with joint leads appears under each, its ``lead`` the one post."""
    rows = []
    for lead, group in by_lead(actions, lambda t: t.action.leads).items():
        for t in group:
            row = _tracked_row(t, as_of)
            row["lead"] = lead
            rows.append(row)
    return rows


def _moved(t: TrackedAction, as_of: date) -> MovedRow:
    """A deadline's moves as known on ``as_of``, and the deadline as it stood then."""
    a = t.action
    known = [r for r in a.rescheduled if r.on <= as_of]
    due_then = known[-1].to if known else a.deadline
    first_due = a.first_due
    if t.history is not None and not a.rescheduled:
        first_due = date.fromisoformat(t.history.first_due)
    assert due_then is not None  # ongoing work never moves
    assert first_due is not None
    return {
        **_tracked_row(t, as_of),
        "due": due_then.isoformat(),
        "first_due": first_due.isoformat(),
        "slip_days": (due_then - first_due).days,
        "moves": [
            {
                "on": r.on.isoformat(),
                "from": r.from_.isoformat(),
                "to": r.to.isoformat(),
                "reason": r.reason,
                "approved_by": r.approved_by,
            }
            for r in known
        ],
    }


def _moved_by(t: TrackedAction, as_of: date) -> bool:
    """Whether the deadline had moved by ``as_of`` (undated moves count as known)."""
    a = t.action
    if a.deadline is None:
        return False  # ongoing work has no deadline to move
    if t.history is not None and t.history.deadline_moves and not a.rescheduled:
        return True  # moved in git without a record in the file
    if a.rescheduled:
        return any(r.on <= as_of for r in a.rescheduled)
    return a.original_due is not None and a.original_due != a.due


def _change_rows(found: ReportChanges | None) -> list[ChangeRow] | None:
    """The changes as the templates show them: a plan's own changes under its id."""
    if found is None:
        return None
    return [
        {
            "plan": c.plan,
            "action": c.subject or found.plan,
            "kind": c.kind,
            "kind_label": KIND_LABEL[c.kind],
            "from": _listed_value(c.from_),
            "to": _listed_value(c.to),
        }
        for c in found.changes
    ]


def _listed_value(value: ChangeValue) -> str | list[str] | None:
    """A changed value for a template: references as a list, a figure as text."""
    if isinstance(value, float):
        return number(value)
    return list(value) if isinstance(value, tuple) else value


def _review(review: Review | None) -> ReviewRow | None:
    return None if review is None else _review_row(review)


def _review_row(review: Review) -> ReviewRow:
    return {
        "date": review.date.isoformat(),
        "by": review.by,
        "rating": review.rating.value if review.rating else None,
        "summary": review.summary,
        "areas": [
            {
                "area": j.area,
                "judgement": j.judgement.value,
                "judgement_label": JUDGEMENT[j.judgement.value],
                "note": j.note,
            }
            for j in review.areas
        ],
    }


def area_judgement(plan: Plan, area_id: str, as_of: date) -> DatedJudgement | None:
    """The area's latest judgement by a review dated on or before ``as_of``, with
    the review's date and who made it."""
    found: DatedJudgement | None = None
    for review in plan.reviews:
        if review.date > as_of:
            break
        for j in review.areas:
            if j.area == area_id:
                found = {
                    "area": j.area,
                    "judgement": j.judgement.value,
                    "judgement_label": JUDGEMENT[j.judgement.value],
                    "note": j.note,
                    "date": review.date.isoformat(),
                    "by": review.by,
                }
    return found


def _sentences(
    meeting: date | None, revisit_by: date | None, review: ReviewRow | None
) -> Sentences:
    """The summary's sentences, written once for every format."""
    said: Sentence | None = None
    if review is not None:
        by = f"by {review['by']} on {long_date(review['date'])}"
        rating = review["rating"]
        said = {
            "lead": f"The latest external review, {by}, rated progress"
            if rating
            else f"The latest external review was {by}",
            "emphasis": RAG[rating] if rating else "",
            "tail": f": {review['summary']}" if review["summary"] else ".",
        }
    return {
        "review": said,
        "next_meeting": f"The next board meeting is on {long_date(meeting)}." if meeting else None,
        "revisit": (
            f"A revisit is expected by {long_date(revisit_by)} ({REVISIT_MONTHS} months after "
            "the written statement of action was approved)."
            if revisit_by
            else None
        ),
        "indicators": None,
    }


def overall_sentence(plan: PlanInfo, counts: dict[str, int], meeting: str | None) -> str:
    def are(n: int, rest: str, past: bool = False) -> str:
        verb = ("was" if n == 1 else "were") if past else ("is" if n == 1 else "are")
        return f"{n} {verb} {rest}"

    when = f" on {long_date(meeting)}" if meeting else ""
    parts = [
        are(counts["complete"], "complete"),
        *([are(counts["on-track"], "on track")] if counts["on-track"] else []),
        *(
            [are(counts["due-soon"], f"due before the next board meeting{when}")]
            if counts["due-soon"]
            else []
        ),
        *([are(counts["overdue"], "overdue")] if counts["overdue"] else []),
        *(
            [are(counts["carried-forward"], "carried forward into a successor plan", True)]
            if counts["carried-forward"]
            else []
        ),
        *([are(counts["withdrawn"], "withdrawn", True)] if counts["withdrawn"] else []),
    ]
    listed = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
    return f"Of the {plural(counts['total'], 'action')} in the {plan['title']}, {listed}."


def board_summary(
    portfolio: Portfolio,
    plan: Plan,
    as_of: date,
    *,
    changes: ReportChanges | None = None,
    history: Mapping[tuple[str, str], Slip] | None = None,
    meeting_day: date | None = None,
) -> BoardSummary:
    """The progress update a board receives, as of ``as_of``, for the meeting on
    ``meeting_day`` (by default the plan's first meeting on or after as-of); with
    the plan's ``changes`` since the last report when git history was read."""
    summary = track_plan(portfolio, plan, as_of, history=history)
    info = plan_info(plan)
    counts = summary.counts.states
    meeting = iso(summary.next_board_meeting)
    review = _review(summary.latest_review)
    overdue = [t for t in summary.attention() if t.state is State.OVERDUE]
    due_soon = [t for t in summary.attention() if t.state is State.DUE_SOON]
    late = [t for t in summary.actions if t.late_start]
    moved_rows = [_moved(t, as_of) for t in summary.actions if _moved_by(t, as_of)]
    moved_rows.sort(key=lambda row: -row["slip_days"])
    board = info["board"]
    paper_for = meeting_day or next((m for m in plan.plan.board_meetings if m >= as_of), as_of)
    stale = [t for t in summary.actions if t.stale]
    last_board = stale_since(plan, as_of)
    sentences = _sentences(summary.next_board_meeting, summary.revisit_expected_by, review)
    indicators, without_figures = scorecard(summary.indicators)
    sentences["indicators"] = indicator_sentence(indicators, without_figures, summary.indicators)
    recommendations = _recommendations(info, len(overdue), len(moved_rows), indicators, review)
    return {
        "report": "board-summary",
        "document": document(f"{info['title']}: progress update", plan, as_of),
        "plan": info,
        "board": board,
        "addressee": f"the {board}" if board else "the Board",
        "meeting": {"date": paper_for.isoformat(), "date_long": long_date(paper_for)},
        "as_of": as_of.isoformat(),
        "notes": [_sentence_case(n) for n in summary.notes] + _meeting_notes(plan, as_of),
        "rag_keys": rag_keys(plan),
        "rag_labels": RAG,
        "progress": progress_since(summary.actions, plan, last_board, as_of),
        "progress_since": last_board.isoformat(),
        "next_board_meeting": meeting,
        "due_soon_until": summary.horizon.isoformat(),
        "revisit_expected_by": iso(summary.revisit_expected_by),
        "counts": counts,
        "rag": summary.counts.rag,
        "overall": overall_sentence(info, counts, meeting),
        "sentences": sentences,
        "recommendations": recommendations,
        "latest_review": review,
        "reviews": [_review_row(r) for r in plan.reviews if r.date <= as_of],
        "areas": [
            {
                "id": a.area.id,
                "kind": a.area.kind.value,
                "kind_label": AREA_KIND[a.area.kind.value],
                "title": a.area.title or "",
                "counts": a.counts.states,
                "rag": a.counts.rag,
                "judgement": area_judgement(plan, a.area.id, as_of),
            }
            for a in summary.areas
        ],
        "overdue": [_tracked_row(t, as_of) for t in overdue],
        "due_soon": [_tracked_row(t, as_of) for t in due_soon],
        "late_starts": [_tracked_row(t, as_of) for t in late],
        "stale": [_tracked_row(t, as_of) for t in stale],
        "stale_by_lead": _by_lead(stale, as_of),
        "deadlines_moved": moved_rows,
        "changes": _change_rows(changes),
        "since": None
        if changes is None
        else {
            "rev": changes.since_rev,
            "date": changes.since_date,
            "uncommitted": "yes" if changes.uncommitted else "",
        },
        "chart": None,
        "indicators": indicators,
        "indicators_without_figures": without_figures,
        "indicator_ratings": ratings(s for s in summary.indicators if s.latest is not None),
        "indicator_chart": None,
        "indicator_chart_alt": chart_alt(indicators),
    }


def _recommendations(
    info: PlanInfo,
    overdue: int,
    moved: int,
    indicators: list[IndicatorRow],
    review: ReviewRow | None,
) -> list[str]:
    """What the board is asked to do: receive the update, note what needs it."""
    recommendations = [f"Receive the update on progress of the {info['title']}."]
    if overdue:
        them = "it" if overdue == 1 else "them"
        recommendations.append(
            f"Note the {plural(overdue, 'overdue action')} and the action being taken "
            f"to bring {them} back on track."
        )
    if moved:
        recommendations.append(
            f"Note the {plural(moved, 'action')} whose deadline has moved, and the reasons."
        )
    red = [r["id"] for r in indicators if r["rating"] == "red"]
    if red:
        whose = "its trajectory" if len(red) == 1 else "their trajectories"
        recommendations.append(
            f"Note the {plural(len(red), 'indicator')} rated red against {whose} "
            f"({', '.join(red)})."
        )
    if review:
        rated = (
            f", which rated progress {RAG[review['rating']].lower()}" if review["rating"] else ""
        )
        recommendations.append(
            f"Note the latest external review by {review['by']} on "
            f"{long_date(review['date'])}{rated}."
        )
    return recommendations


def rag_keys(plan: Plan) -> list[str]:
    """The RAG columns a document shows: blue only when the plan uses it."""
    uses_blue = any(a.rag is Rag.BLUE for _, _, _, a in plan.iter_actions())
    return [k for k in RAG_KEYS if k != Rag.BLUE.value or uses_blue]


def progress_since(
    tracked: Sequence[TrackedAction], plan: Plan, since: date, as_of: date
) -> list[AreaProgress]:
    """Updates dated in (since, as_of] on open actions, by area in file order."""
    by_area: dict[str, list[ProgressNote]] = {}
    for t in tracked:
        if t.state not in (State.OVERDUE, State.DUE_SOON, State.ON_TRACK):
            continue
        for u in t.action.updates:
            if since < u.date <= as_of:
                by_area.setdefault(t.area.id, []).append(
                    {
                        "action": t.action.id,
                        "title": t.action.title or "",
                        "lead": t.action.lead_text,
                        "date": u.date.isoformat(),
                        "rag": u.rag.value if u.rag else None,
                        "note": u.note,
                    }
                )
    return [
        {"id": area.id, "title": area.title or "", "updates": by_area[area.id]}
        for area in plan.areas
        if area.id in by_area
    ]


def _meeting_notes(plan: Plan, as_of: date) -> list[str]:
    meetings = plan.plan.board_meetings
    if not meetings:
        return ["No board meetings are listed in the plan: 'due soon' means within 28 days."]
    return []


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
