"""Word versions of the board documents, built from the same view-models as the
Markdown and HTML templates."""

from __future__ import annotations

from typing import Any

from send_plan.render.chart import describe
from send_plan.render.labels import POSITION_FILL, RAG
from send_plan.render.views import (
    AppendixB,
    BoardSummary,
    IndicatorRow,
    PositionRow,
    TrackedRow,
)
from send_plan.render.word import Cell, WordDocument, WordFile, WordInputs, rag_cell
from send_plan.words import long_date

#: The details table's heading row (every table has one).
FACTS_HEADER = ["Item", "Details"]
_STATES = ["complete", "on-track", "due-soon", "overdue", "carried-forward", "withdrawn"]
_RAGS = ["red", "red-amber", "amber", "amber-green", "green", "unrated"]


def _facts(doc: WordDocument, rows: list[tuple[str, str]]) -> None:
    doc.table(FACTS_HEADER, [[Cell(k, bold=True), v] for k, v in rows if v])


def appendix_b_docx(ctx: AppendixB, inputs: WordInputs | None = None) -> WordFile:
    plan, totals = ctx["plan"], ctx["totals"]
    inputs = inputs or WordInputs()
    doc = WordDocument(f"Appendix B: {ctx['document']['title']}", inputs.reference)
    _facts(
        doc,
        [
            ("Plan", f"{plan['title']} ({plan['kind_label']}, {plan['id']})"),
            ("Local area", plan["local_area"]),
            ("Board", ctx["document"]["board"] or ""),
            ("Date", ctx["document"]["date_long"]),
            ("Plan period", f"{long_date(plan['start'])} to {long_date(plan['end'])}"),
        ],
    )
    doc.heading("Summary position")
    doc.paragraph(ctx["summary"])
    rows: list[list[Cell | str]] = [
        [Cell("Complete", POSITION_FILL["complete"]), str(totals["complete"])],
        [Cell("Carried forward", POSITION_FILL["carried-forward"]), str(totals["carried-forward"])],
        [Cell("Withdrawn", POSITION_FILL["withdrawn"]), str(totals["withdrawn"])],
    ]
    if totals["dropped"]:
        rows.append(
            [
                Cell("Dropped: not carried forward", POSITION_FILL["dropped"], True),
                str(totals["dropped"]),
            ]
        )
    if totals["unresolved"]:
        rows.append(
            [
                Cell("Not known: successor plan not read", POSITION_FILL["unresolved"]),
                str(totals["unresolved"]),
            ]
        )
    if totals["open"]:
        rows.append([Cell("Open", POSITION_FILL["open"]), str(totals["open"])])
    rows.append([Cell("Total", bold=True), Cell(str(totals["total"]), bold=True)])
    doc.table(["Final position", "Actions"], rows)
    if ctx["dropped"]:
        doc.heading("Dropped actions")
        doc.paragraph(
            "These actions were open when the plan closed and no plan carries them forward. "
            "The board needs a decision on each: carry it forward or withdraw it with a reason."
        )
        doc.table(
            ["Action", "Title", "Lead", "Due"],
            [[a["id"], a["title"], a["lead"], long_date(a["due"])] for a in ctx["dropped"]],
        )
    header = ["Action", "Title", "Lead", "Final position", "Date", "Carried forward to"]
    tables = [[_position_row(a) for a in area["actions"]] for area in ctx["areas"]]
    doc.turn_if_wide(header, [row for table in tables for row in table])  # all alike
    for area, rows in zip(ctx["areas"], tables, strict=True):
        title = f": {area['title']}" if area["title"] else ""
        doc.heading(f"{area['id']} {area['kind_label']}{title}")
        doc.table(header, rows)
    doc.paragraph(f"Produced by {ctx['document']['generator']} from the plan files.", italic=True)
    return doc.finish()


def _position_row(a: PositionRow) -> list[Cell | str]:
    label = a["position_label"] + (f": {a['reason']}" if a["reason"] else "")
    carried = "\n".join(
        t["ref"] + (f": {t['title']}" if t["title"] else "") for t in a["carried_to"]
    )
    return [
        a["id"],
        a["title"],
        a["lead"],
        Cell(label, POSITION_FILL[a["position"]]),
        long_date(a["date"]),
        carried,
    ]


def board_summary_docx(ctx: BoardSummary, inputs: WordInputs | None = None) -> WordFile:
    """The board summary in Word; ``inputs.chart`` gives the PNG when it is needed,
    so it can be drawn elsewhere while the tables are built."""
    inputs = inputs or WordInputs()
    doc = WordDocument(ctx["document"]["title"], inputs.reference)
    _board_facts(doc, ctx)
    _board_summary_text(doc, ctx)
    doc.heading("Progress by area")
    place = doc.placeholder() if inputs.chart else None
    _area_tables(doc, ctx)
    trend_place = _indicators(doc, ctx)
    sections = (_progress, _overdue, _due_soon, _late_starts, _stale, _moved)
    for section in (*sections, _changes):
        section(doc, ctx)
    doc.paragraph(f"Produced by {ctx['document']['generator']} from the plan files.", italic=True)
    if inputs.chart is not None and place is not None:
        doc.picture(inputs.chart(), describe(ctx["areas"]), into=place)
    if inputs.trend is not None and trend_place is not None:
        doc.picture(inputs.trend(), ctx["indicator_chart_alt"], into=trend_place)
    return doc.finish()


def _indicators(doc: WordDocument, ctx: BoardSummary) -> Any:
    """The indicators' scorecard, under "Progress by area"; returns the place for
    the trend chart (None when the plan has no indicators)."""
    if not ctx["indicators"] and not ctx["indicators_without_figures"]:
        return None
    doc.heading("Indicators", 2)
    if ctx["sentences"]["indicators"]:
        doc.paragraph(ctx["sentences"]["indicators"])
    if not ctx["indicators"]:
        return None
    rows: list[list[Cell | str]] = [
        [
            f"{i['id']} {i['title']}" + ("" if i["published"] else " (not published)"),
            _latest(i),
            i["expected_text"],
            rag_cell(i["rating"], i["rating_label"] + ("; data late" if i["late_data"] else "")),
            i["direction_text"],
            i["comparator_text"],
        ]
        for i in ctx["indicators"]
    ]
    headers = ["Indicator", "Latest", "Expected", "Rating", "Direction", "Comparator"]
    doc.table(headers, rows)
    return doc.placeholder()


def _latest(row: IndicatorRow) -> str:
    latest = row["latest"]
    if latest is None:
        return ""
    provisional = "\n(provisional)" if latest["provisional"] else ""
    return f"{latest['text']}\n{latest['date_long']}{provisional}"


def _board_facts(doc: WordDocument, ctx: BoardSummary) -> None:
    """The facts table: board, meeting, plan, area, period."""
    plan = ctx["plan"]
    board = [("Board", ctx["board"])] if ctx["board"] else []
    _facts(
        doc,
        [
            *board,
            ("Meeting", ctx["meeting"]["date_long"]),
            ("Plan", f"{plan['title']} ({plan['kind_label']}, {plan['id']})"),
            ("Local area", plan["local_area"]),
            ("Plan period", plan["period"]),
        ],
    )


def _board_summary_text(doc: WordDocument, ctx: BoardSummary) -> None:
    """The summary sentences and the recommendations."""
    doc.heading("Summary")
    doc.paragraph(ctx["overall"])
    for note in ctx["notes"]:
        doc.paragraph(f"Note: {note}", bold=True)
    sentences = ctx["sentences"]
    if sentences["review"]:
        doc.sentence(sentences["review"])
    for line in (sentences["next_meeting"], sentences["revisit"]):
        if line:
            doc.paragraph(line)
    doc.heading("Recommendations", 2)
    doc.paragraph(f"That {ctx['addressee']}:")
    for i, text in enumerate(ctx["recommendations"], 1):
        doc.paragraph(f"({_roman(i)}) {text}")


def _area_tables(doc: WordDocument, ctx: BoardSummary) -> None:
    """Actions by state and by RAG rating, per area."""
    states = _STATES
    rows: list[list[Cell | str]] = [
        [a["id"], a["title"], str(a["counts"]["total"])]
        + [
            Cell(str(a["counts"][s]), POSITION_FILL.get(s) if a["counts"][s] else None)
            for s in states
        ]
        for a in ctx["areas"]
    ]
    total: list[Cell | str] = [
        Cell("All", bold=True),
        "",
        Cell(str(ctx["counts"]["total"]), bold=True),
    ]
    total += [Cell(str(ctx["counts"][s]), bold=True) for s in states]
    rows.append(total)
    header = ["Area", "Title", "Actions", "Complete", "On track", "Due soon", "Overdue"]
    header += ["Carried", "Withdrawn"]
    doc.turn_if_wide(header, rows)
    doc.table(header, rows)
    rag_keys = ctx["rag_keys"]
    doc.table(
        ["Area", *[RAG[k] for k in rag_keys]],
        [
            [a["id"], *[rag_cell(k, str(a["rag"][k])) if a["rag"][k] else "0" for k in rag_keys]]
            for a in ctx["areas"]
        ],
    )


def _progress(doc: WordDocument, ctx: BoardSummary) -> None:
    """Updates on open actions since the last board, by area."""
    doc.heading("Progress since the last board")
    since = long_date(ctx["progress_since"])
    if not ctx["progress"]:
        doc.paragraph(f"No open action has an update dated after {since}.")
        return
    doc.paragraph(f"Updates dated after {since} on open actions.")
    for area in ctx["progress"]:
        doc.heading(f"{area['id']} {area['title']}".strip(), 2)
        rows: list[list[Cell | str]] = [
            [
                u["action"],
                u["title"],
                u["lead"],
                long_date(u["date"]),
                rag_cell(u["rag"], RAG[u["rag"] or "unrated"]),
                u["note"],
            ]
            for u in area["updates"]
        ]
        header = ["Action", "Title", "Lead", "Date", "RAG", "Update"]
        doc.turn_if_wide(header, rows)
        doc.table(header, rows)


def _stale(doc: WordDocument, ctx: BoardSummary) -> None:
    """Actions under way with no update since the last board, by lead."""
    rows: list[list[Cell | str]] = [
        [
            a["lead"],
            a["id"],
            a["title"],
            long_date(a["latest_update_date"]) if a["latest_update_date"] else "none",
        ]
        for a in ctx["stale_by_lead"]
    ]
    _section(
        doc,
        "Actions with no update since the last board",
        ["Lead", "Action", "Title", "Latest update"],
        rows,
        f"Every action under way has an update dated after {long_date(ctx['progress_since'])}.",
    )


def _section(
    doc: WordDocument,
    heading: str,
    headers: list[str],
    rows: list[list[Cell | str]],
    empty: str,
) -> None:
    """A heading, then its table, or a sentence saying there is nothing to list."""
    doc.turn_if_wide(headers, rows)
    doc.heading(heading)
    if rows:
        doc.table(headers, rows)
    else:
        doc.paragraph(empty)


def _rag(a: TrackedRow) -> Cell:
    return rag_cell(a["rag"], RAG[a["rag"] or "unrated"])


def _overdue(doc: WordDocument, ctx: BoardSummary) -> None:
    """Overdue actions with their latest update known at the meeting."""
    rows: list[list[Cell | str]] = [
        [
            a["id"],
            a["title"],
            a["lead"],
            long_date(a["due"]),
            str(a["days_overdue"]),
            _rag(a),
            f"{long_date(a['latest_update_date'])}: {a['latest_update']}"
            if a["latest_update"]
            else "",
        ]
        for a in ctx["overdue"]
    ]
    headers = ["Action", "Title", "Lead", "Due", "Days overdue", "RAG", "Latest update"]
    _section(doc, "Overdue actions", headers, rows, "No action is overdue.")


def _due_soon(doc: WordDocument, ctx: BoardSummary) -> None:
    """Actions due before the next board meeting."""
    rows: list[list[Cell | str]] = [
        [a["id"], a["title"], a["lead"], long_date(a["due"]), _rag(a)] for a in ctx["due_soon"]
    ]
    empty = f"No action falls due before {long_date(ctx['due_soon_until'])}."
    headers = ["Action", "Title", "Lead", "Due", "RAG"]
    _section(doc, "Due before the next board meeting", headers, rows, empty)


def _late_starts(doc: WordDocument, ctx: BoardSummary) -> None:
    """Actions whose planned start has passed, not started."""
    rows: list[list[Cell | str]] = [
        [a["id"], a["title"], a["lead"], long_date(a["start"]), long_date(a["due"])]
        for a in ctx["late_starts"]
    ]
    _section(
        doc,
        "Actions not started that should have",
        ["Action", "Title", "Lead", "Planned start", "Due"],
        rows,
        "Every action whose planned start has passed has started.",
    )


def _moved(doc: WordDocument, ctx: BoardSummary) -> None:
    """Deadlines moved, with the changes agreed."""
    rows: list[list[Cell | str]] = [
        [
            a["id"],
            a["title"],
            long_date(a["first_due"]),
            long_date(a["due"]),
            str(a["slip_days"]),
            "\n".join(
                f"{long_date(m['on'])}: {long_date(m['from'])} to {long_date(m['to'])}, "
                f"{m['reason']}" + (f" (agreed by {m['approved_by']})" if m["approved_by"] else "")
                for m in a["moves"]
            ),
        ]
        for a in ctx["deadlines_moved"]
    ]
    headers = ["Action", "Title", "First deadline", "Deadline now", "Days moved", "Changes agreed"]
    _section(doc, "Deadlines moved", headers, rows, "No deadline has moved.")


def _changes(doc: WordDocument, ctx: BoardSummary) -> None:
    """Changes since the last report, from git, when known."""
    if ctx["changes"] is not None:
        doc.heading("Changes since the last report")
        since = ctx["since"]
        if since:
            doc.paragraph(
                f"Changes since {long_date(since['date'])} (revision {since['rev']})"
                + ("; includes changes not yet committed." if since.get("uncommitted") else ".")
            )
        if ctx["changes"]:
            doc.table(
                ["Action", "What changed", "From", "To"],
                [
                    [c["action"], c["kind_label"], _value(c["from"]), _value(c["to"])]
                    for c in ctx["changes"]
                ],
            )
        else:
            doc.paragraph("Nothing in the plan has changed since the last report.")


def _value(value: str | list[str] | None) -> str:
    """A changed value as a cell: lists joined by commas, nothing as empty."""
    if value is None:
        return ""
    return ", ".join(value) if isinstance(value, list) else value


def _roman(n: int) -> str:
    numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, letters in numerals:
        while n >= value:
            out += letters
            n -= value
    return out
