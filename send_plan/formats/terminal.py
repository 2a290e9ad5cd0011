"""The one module that imports Rich: consoles, tables and colours for a terminal."""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from send_plan.controls import visible
from send_plan.formats.status import indicator_cells
from send_plan.tracking import PlanSummary, Status, TrackedAction
from send_plan.vocab import State
from send_plan.words import plural

RAG_STYLE = {
    "red": "bold white on red3",
    "red-amber": "bold black on dark_orange",
    "amber": "bold black on orange1",
    "amber-green": "bold black on yellow3",
    "green": "bold white on green4",
    "blue": "bold white on blue3",
    "unrated": "black on grey70",
}
#: Each RAG rating also has its own fill, so the bar reads without colour.
RAG_FILL = {
    "red": "█",
    "red-amber": "▓",
    "amber": "▒",
    "amber-green": "░",
    "green": "▪",
    "blue": "◆",
    "unrated": "·",
}
STATE_STYLE = {
    State.OVERDUE: "bold red",
    State.DUE_SOON: "bold yellow",
    State.ON_TRACK: "green",
    State.CARRIED_FORWARD: "cyan",
    State.COMPLETE: "dim green",
    State.WITHDRAWN: "dim",
}


def console(*, color: bool = True, stderr: bool = False) -> Console:
    """The one console: plan text and git metadata are never read as Rich markup
    (``[link=...]`` stays text, ``[/Draft]`` cannot crash), only as text."""
    return Console(
        file=sys.stderr if stderr else sys.stdout,
        no_color=not color,
        highlight=False,
        emoji=False,
        markup=False,
    )


def rag_text(value: str | None) -> Text:
    key = value or "unrated"
    return Text(f" {key} ", style=RAG_STYLE[key])


def rag_bar(rag: dict[str, int], width: int = 40) -> Text:
    total = sum(rag.values())
    bar = Text()
    if not total:
        return bar
    for key, count in rag.items():
        if count:
            cells = max(1, round(count / total * width))
            bar.append(
                RAG_FILL[key] * cells, style=RAG_STYLE[key].replace("bold ", "").split(" on ")[-1]
            )
    bar.append("\n")
    bar.append(
        "  ".join(f"{RAG_FILL[k]} {k} {n}" for k, n in rag.items() if n),
    )
    return bar


def _header(p: PlanSummary) -> Panel:
    info = p.plan.plan
    lines = Text()
    lines.append(f"{info.kind.value} · {info.status.value} · {_text(info.local_area)}\n")
    lines.append(f"as of {p.as_of.isoformat()}")
    if p.next_board_meeting:
        lines.append(
            f" · next board meeting {p.next_board_meeting.isoformat()}"
            f" ({p.due_before_next_board} open action(s) due before it)"
        )
    elif p.plan.plan.board_meetings:
        lines.append(f" · no board meeting listed after this date; due soon = by {p.horizon}")
    else:
        lines.append(f" · no board meetings listed; due soon = by {p.horizon}")
    review = p.latest_review
    if review:
        lines.append(f"\nlatest review {review.date.isoformat()} by {_text(review.by)}")
        if review.rating:
            lines.append(": ")
            lines.append_text(rag_text(review.rating.value))
    for note in p.notes:
        lines.append(f"\nnote: {_text(note)}", style="bold")
    if p.stale_count:
        lines.append(
            f"\n{p.stale_count} action(s) with no update since the last board", style="bold"
        )
    if p.revisit_expected_by:
        lines.append(f"\nrevisit expected by {p.revisit_expected_by.isoformat()}")
    counts = Text()
    for state in State:
        n = p.counts.states[state.value]
        counts.append(f"{state.value} ", style=STATE_STYLE[state] if n else "dim")
        counts.append(f"{n}   ", style="bold" if n else "dim")
    title = _text(
        f"{info.title or info.id} ({info.id}) — {plural(p.counts.states['total'], 'action')}"
    )
    return Panel(
        Group(lines, counts, rag_bar(p.counts.rag)), title=title, title_align="left", expand=True
    )


def _state_label(t: TrackedAction, *, with_days: bool) -> Text:
    label = Text(t.state.value, style=STATE_STYLE[t.state])
    if with_days and t.days_overdue:
        label.append(f" {t.days_overdue} d", style=STATE_STYLE[t.state])
    if t.late_start:
        label.append("\nlate start", style="bold magenta")
    if t.stale:
        label.append("\nno update", style="bold magenta")
    return label


def _actions_table(rows: list[TrackedAction], heading: str, width: int) -> Table:
    """The actions, one row each; below 100 columns a compact layout keeps text readable."""
    compact = width < 100
    table = Table(title=heading, title_justify="left", expand=True)
    table.add_column("Action", no_wrap=not compact, overflow="fold")
    table.add_column(
        "Title" + (" / lead" if compact else ""), ratio=3, overflow="fold", min_width=18
    )
    if not compact:
        table.add_column("Lead", ratio=2, overflow="fold", max_width=28)
    table.add_column("Due", no_wrap=True)
    table.add_column(
        "State", no_wrap=not compact, overflow="fold", max_width=None if not compact else 10
    )
    if not compact:
        table.add_column("Overdue", justify="right", no_wrap=True)
    table.add_column(
        "RAG", no_wrap=not compact, overflow="fold", max_width=None if not compact else 7
    )
    for t in rows:
        a = t.action
        rag = rag_text(a.rag.value if a.rag else None)
        if compact:
            title = Text(_text(a.title))
            title.append(f"\n{_text(a.lead_text)}", style="dim")
            table.add_row(_text(a.id), title, a.due_text, _state_label(t, with_days=True), rag)
        else:
            table.add_row(
                _text(a.id),
                _text(a.title),
                _text(a.lead_text),
                a.due_text,
                _state_label(t, with_days=False),
                f"{t.days_overdue} d" if t.days_overdue else "",
                rag,
            )
    return table


#: Direction words: better in green, worse in red; the arrow and word carry it too.
DIRECTION_STYLE = {"improving": "green", "worsening": "bold red"}


def _indicators_table(p: PlanSummary, width: int, *, every: bool) -> Table | None:
    """The indicators that need attention (red, amber, late data), or every one:
    latest value with its date, expected value, rating in words, an arrow and a
    word for the direction. Below 100 columns, the figures share a column and the
    rating, direction and late data another."""
    shown = list(p.indicators) if every else p.indicators_needing_attention()
    if not shown:
        return None
    compact = width < 100
    heading = "Indicators" if every else "Indicators that need attention"
    table = Table(title=heading, title_justify="left", expand=True)
    table.add_column("Indicator", overflow="fold", no_wrap=not compact)
    table.add_column(
        "Title" + ("" if compact else " / owner"), ratio=3, overflow="fold", min_width=18
    )
    table.add_column("Latest" + (" / expected" if compact else ""), overflow="fold", max_width=22)
    if not compact:
        table.add_column("Expected", overflow="fold", justify="right")
    table.add_column("Rating" + (" / direction" if compact else ""), overflow="fold", max_width=14)
    if not compact:
        table.add_column("Direction", overflow="fold")
    for s in shown:
        ident, title, owner, latest, expected, rating, direction, late = map(
            _text, indicator_cells(s)
        )
        named = Text(title)
        if owner and not compact:
            named.append(f"\n{owner}", style="dim")
        rated = rag_text(s.rating.value) if s.rating else Text(rating)
        moved = Text(direction, style=DIRECTION_STYLE.get(s.direction or "", ""))
        figures = latest.replace(" at ", "\nat ").replace(" (provisional)", "\nprovisional")
        if compact:
            figures += f"\nexpected {expected}" if expected else ""
            if direction:
                rated.append("\n")
                rated.append_text(moved)
        if late:
            rated.append("\nlate data", style="bold magenta")
        cells: list[str | Text] = [ident, named, figures]
        cells += [rated] if compact else [expected, rated, moved]
        table.add_row(*cells)
    return table


def _indicator_lines(p: PlanSummary, out: Console, *, every: bool) -> None:
    """The same, one line each, for a narrow terminal."""
    shown = list(p.indicators) if every else p.indicators_needing_attention()
    if shown:
        out.print("Indicators" if every else "Indicators that need attention", style="bold")
    for s in shown:
        ident, title, _, latest, expected, rating, direction, late = map(_text, indicator_cells(s))
        line = Text(f"{ident} ", style="bold")
        line.append_text(rag_text(s.rating.value) if s.rating else Text(rating))
        line.append(f" · {latest}")
        line.append(f" · expected {expected}" if expected else "")
        line.append(f" · {direction}" if direction else "")
        if late:
            line.append(" · late data", style="bold magenta")
        out.print(line)
        out.print(Text(f"  {title}"))


def print_status(
    status: Status, out: Console, *, listed: bool = False, indicators: bool = False
) -> None:
    if not status.plans:
        out.print("No plans match.")
    for p in status.plans:
        out.print(_header(p))
        rows = list(p.actions) if listed else p.attention()
        if rows:
            heading = "Actions" if listed else "Needs attention"
            if out.width < 60:
                out.print(heading, style="bold")
                for t in rows:
                    line = Text(f"{_text(t.action.id)} ", style="bold")
                    line.append_text(_state_label(t, with_days=True))
                    line.append(f" · due {t.action.due_text} ")
                    line.append_text(rag_text(t.action.rag.value if t.action.rag else None))
                    out.print(line)
                    out.print(Text(f"  {_text(t.action.title)}\n  {_text(t.action.lead_text)}"))
            else:
                out.print(_actions_table(rows, heading, out.width))
        else:
            out.print("No action needs attention: no overdue, due-soon or late-start actions.\n")
        if out.width < 60:
            _indicator_lines(p, out, every=indicators)
        elif (table := _indicators_table(p, out.width, every=indicators)) is not None:
            out.print(table)


def print_changes(changes: Any, out: Console) -> None:
    from send_plan.formats.changes import shown
    from send_plan.git.changes import KIND_LABEL, sorted_for_table

    out.print(
        f"Changes from {changes.since.short} ({changes.since.day}) "
        f"to {changes.until.short} ({changes.until.day})",
        style="bold",
    )
    if not changes.changes and not changes.moved:
        out.print("No changes.")
        return
    plan = None
    table: Table | None = None
    for c in sorted_for_table(changes.changes):
        if c.plan != plan:
            if table is not None:
                out.print(table)
            plan = c.plan
            table = Table(title=_text(plan), title_justify="left", expand=True)
            for name in ("Action", "Change", "From", "To"):
                table.add_column(name, overflow="fold")
        assert table is not None
        style = "bold green" if c.kind == "completed" else None
        table.add_row(
            _text(c.subject),
            Text(KIND_LABEL[c.kind], style=style or ""),
            _text(shown(c.from_)),
            _text(shown(c.to)),
        )
    if table is not None:
        out.print(table)
    for m in changes.moved:
        out.print(_text(f"{m.plan} {m.action}: moved from area {m.from_area} to {m.to_area}"))


def print_history(history: Any, out: Console) -> None:
    table = Table(
        title=_text(f"{history.plan}/{history.action}"), title_justify="left", expand=True
    )
    for name in ("Commit", "Date", "Author", "Change", "From", "To", "Subject / reason"):
        table.add_column(name, overflow="fold")
    for e in history.events:
        note = e.commit.subject + (f"\nreason: {e.reason}" if e.reason else "")
        table.add_row(
            _text(e.commit.short),
            _text(e.commit.day),
            _text(e.commit.author),
            _text(e.kind),
            _text(e.from_),
            _text(e.to),
            _text(note),
        )
    out.print(table)
    out.print(
        _text(
            f"first due {history.first_due}, due now {history.due}: deadline moved "
            f"{history.deadline_moves} time(s), {history.slip_days or 0} day(s) in all"
        ),
        soft_wrap=True,
    )


def _text(value: Any) -> str:
    """A value as terminal text: lists joined, control characters (a commit
    subject's escape sequences, a file name's) shown as escapes (``\\u001b``) by
    :func:`send_plan.controls.visible`, never acted on. Every piece of plan text and
    git metadata this module prints passes through here."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    return visible(str(value))
