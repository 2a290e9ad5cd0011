"""``chase`` as Markdown and JSON: pure ``format(chase) -> str``.

Markdown is one document with a section per lead, for a meeting pack or an
issue; JSON is the shape of cli.md "send-plan chase" (with the extensions
docs/chase.md lists). The e-mail messages are :mod:`send_plan.formats.eml`.
Shared wording (subjects, item lines) lives here too, so every format says the
same thing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from send_plan.formats.markdown import cell, row
from send_plan.vocab import Rag
from send_plan.words import long_date, plural

if TYPE_CHECKING:  # the command line imports Format at start-up: keep it light
    from send_plan.chase import Chase, ChasedAction, ChasedIndicator, LeadDigest


def count_words(digest: LeadDigest) -> str:
    """'3 actions', '1 indicator', '2 actions and 1 indicator'."""
    parts = []
    if digest.actions:
        parts.append(plural(len(digest.actions), "action"))
    if digest.indicators:
        parts.append(plural(len(digest.indicators), "indicator"))
    return " and ".join(parts)


def board_words(digest: LeadDigest) -> str:
    """'the board on 21 January 2020' (the earliest next meeting of the lead's
    plans, 'the next board on …' when their plans meet on different days), or
    'the next board' when none is listed."""
    meetings = {p.next_board_meeting for p in digest.plans if p.next_board_meeting}
    if not meetings:
        return "the next board"
    first = long_date(min(meetings))
    return f"the board on {first}" if len(meetings) == 1 else f"the next board on {first}"


def subject(digest: LeadDigest) -> str:
    """'SEND plan: 3 actions to update before the board on 21 January 2020'."""
    return f"SEND plan: {count_words(digest)} to update before {board_words(digest)}"


def action_facts(item: ChasedAction) -> str:
    """One line of facts: due, state, status, RAG."""
    t, a = item.tracked, item.tracked.action
    due = "ongoing (no deadline)" if a.deadline is None else f"due {long_date(a.deadline)}"
    if t.days_overdue:
        due += f", overdue by {plural(t.days_overdue, 'day')}"
    facts = [due, a.status.value.replace("-", " ")]
    if a.rag is not None:
        facts.append(f"RAG {a.rag.value}")
    if len(a.leads) > 1:
        facts.append(f"joint lead: {'; '.join(a.leads)}")
    text = "; ".join(facts)
    return text[:1].upper() + text[1:] + "."


def latest_words(item: ChasedAction) -> str | None:
    """'Latest update, 13 September 2019: …' (None when there is none)."""
    latest = item.tracked.latest
    if latest is None:
        return None
    return f"Latest update, {long_date(latest.date)}: {' '.join(latest.note.split())}"


def indicator_facts(item: ChasedIndicator) -> str:
    from send_plan.chase import figure

    s = item.status
    latest, ind = s.latest, s.indicator
    words = (
        f"Latest figure {figure(latest.value, ind.unit)} for the period to {long_date(latest.date)}"
        if latest
        else "No figure yet"
    )
    if s.rating is not None and s.rating is not Rag.RED:  # red: the ask says so
        words += f"; rated {s.rating.value}"
    if not ind.published:
        words += "; not yet cleared for publication"
    return words + "."


def title_of(item: ChasedAction | ChasedIndicator) -> str:
    from send_plan.chase import ChasedAction

    if isinstance(item, ChasedAction):
        return item.tracked.action.title or item.tracked.action.id
    return item.status.indicator.title


# --------------------------------------------------------------------------- formats


def format_json(result: Chase) -> str:
    return json.dumps(result.as_dict(), ensure_ascii=False) + "\n"


def format_markdown(result: Chase) -> str:
    """One document: a summary, then a section per lead with a table of their
    actions and one of their indicators, each row saying what is asked."""
    from send_plan.chase import asks

    lines = [f"# Before the board: what to ask of each lead, as of {long_date(result.as_of)}", ""]
    lines += [cell(_summary(result)), ""]
    for digest in result.leads:
        lines += [f"## {cell(digest.lead)}", ""]
        facts = [f"{count_words(digest)} to update before {board_words(digest)}"]
        if digest.address:
            facts.append(f"e-mail {digest.address}")
        lines += [cell("; ".join(facts) + "."), ""]
        if digest.actions:
            lines += [
                "| Plan | Action | Title | Due | State | Latest update | What is asked |",
                "|---|---|---|---|---|---|---|",
            ]
            for a in digest.actions:
                t = a.tracked
                latest = t.latest
                state = t.state.value + (f" ({t.days_overdue} d)" if t.days_overdue else "")
                lines.append(
                    row(
                        (
                            a.plan.id,
                            t.action.id,
                            title_of(a),
                            long_date(t.action.due_text),
                            state,
                            f"{long_date(latest.date)}: {latest.note}" if latest else "none",
                            "\n".join(asks(a)),
                        )
                    )
                )
            lines.append("")
        if digest.indicators:
            lines += [
                "| Plan | Indicator | Title | Latest figure | What is asked |",
                "|---|---|---|---|---|",
            ]
            for i in digest.indicators:
                ind = i.status.indicator
                lines.append(
                    row((i.plan.id, ind.id, ind.title, indicator_facts(i), "\n".join(asks(i))))
                )
            lines.append("")
    return "\n".join(lines)


def _summary(result: Chase) -> str:
    if not result.leads:
        return (
            "Nothing to chase: no action is overdue, due soon, late to start or without an "
            "update since the last board, and no indicator is late or red."
        )
    actions = {(a.plan.id, a.tracked.action.id) for d in result.leads for a in d.actions}
    indicators = {(i.plan.id, i.status.indicator.id) for d in result.leads for i in d.indicators}
    items = [plural(len(actions), "action")] if actions else []
    items += [plural(len(indicators), "indicator")] if indicators else []
    text = f"{plural(len(result.leads), 'lead')} to chase, for {' and '.join(items)}."
    meetings = [
        f"{p.title} on {long_date(p.next_board_meeting)}"
        for p in result.plans
        if p.next_board_meeting is not None
    ]
    if meetings:
        text += f" Next board meeting: {'; '.join(meetings)}."
    return text


class Format(StrEnum):
    """``chase --format`` choices: the names of :data:`FORMATS`, and ``eml`` (one
    message per lead, written into a folder by :mod:`send_plan.formats.eml`)."""

    md = "md"
    json = "json"
    eml = "eml"


FORMATS: dict[str, Callable[[Chase], str]] = {
    "md": format_markdown,
    "json": format_json,
}
