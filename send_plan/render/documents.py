"""Word versions of the board documents, built from the same view-models as the
Markdown and HTML templates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from send_plan.render.labels import POSITION_FILL, RAG, long_date
from send_plan.render.word import Cell, WordDocument, rag_cell


def _facts(doc: WordDocument, rows: list[tuple[str, str]]) -> None:
    doc.table(None, [[Cell(k, bold=True), v] for k, v in rows if v], widths_mm=[40, 130])


def appendix_b_docx(ctx: dict[str, Any]) -> bytes:
    plan, totals = ctx["plan"], ctx["totals"]
    doc = WordDocument(f"Appendix B: {ctx['document']['title']}")
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
    doc.table(["Final position", "Actions"], rows, widths_mm=[120, 50])
    if ctx["dropped"]:
        doc.heading("Dropped actions")
        doc.paragraph(
            "These actions were open when the plan closed and no plan carries them forward. "
            "The board needs a decision on each: carry it forward or withdraw it with a reason."
        )
        doc.table(
            ["Action", "Title", "Lead", "Due"],
            [[a["id"], a["title"], a["lead"], long_date(a["due"])] for a in ctx["dropped"]],
            widths_mm=[17, 83, 45, 25],
        )
    for area in ctx["areas"]:
        title = f": {area['title']}" if area["title"] else ""
        doc.heading(f"{area['id']} {area['kind_label']}{title}")
        doc.table(
            ["Action", "Title", "Lead", "Final position", "Date", "Carried forward to"],
            [_position_row(a) for a in area["actions"]],
            widths_mm=[17, 48, 30, 22, 21, 32],
        )
    doc.paragraph(f"Produced by {ctx['document']['generator']} from the plan files.", italic=True)
    return doc.to_bytes()


def _position_row(a: dict[str, Any]) -> list[Cell | str]:
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


def board_summary_docx(ctx: dict[str, Any], chart: Callable[[], bytes] | None = None) -> bytes:
    """The board summary in Word; ``chart`` gives the PNG when it is needed, so it
    can be drawn elsewhere while the tables are built."""
    plan = ctx["plan"]
    doc = WordDocument(ctx["document"]["title"])
    _facts(
        doc,
        [
            ("Board", ctx["board"]),
            ("Meeting", ctx["document"]["date_long"]),
            ("Plan", f"{plan['title']} ({plan['kind_label']}, {plan['id']})"),
            ("Local area", plan["local_area"]),
            ("Plan period", f"{long_date(plan['start'])} to {long_date(plan['end'])}"),
        ],
    )
    doc.heading("Summary")
    doc.paragraph(ctx["overall"])
    review = ctx["latest_review"]
    if review:
        summary = f": {review['summary']}" if review["summary"] else "."
        doc.paragraph(
            f"The latest external review, by {review['by']} on {long_date(review['date'])}, "
            f"rated progress {RAG[review['rating']].lower()}{summary}"
        )
    if ctx["next_board_meeting"]:
        doc.paragraph(f"The next board meeting is on {long_date(ctx['next_board_meeting'])}.")
    if ctx["revisit_expected_by"]:
        doc.paragraph(
            f"A revisit is expected by {long_date(ctx['revisit_expected_by'])} "
            "(18 months after the written statement of action was approved)."
        )
    doc.heading("Recommendations", 2)
    doc.paragraph(f"That the {ctx['board']}:")
    for i, text in enumerate(ctx["recommendations"], 1):
        doc.paragraph(f"({_roman(i)}) {text}")

    doc.heading("Progress by area")
    place = doc.placeholder() if chart else None
    states = ["complete", "on-track", "due-soon", "overdue", "carried-forward", "withdrawn"]
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
    doc.table(
        [
            "Area",
            "Title",
            "Actions",
            "Complete",
            "On track",
            "Due soon",
            "Overdue",
            "Carried",
            "Withdrawn",
        ],
        rows,
        widths_mm=[11, 29, 16, 20, 17, 17, 19, 19, 22],
    )
    rag_keys = ["red", "red-amber", "amber", "amber-green", "green", "unrated"]
    doc.table(
        ["Area", *[RAG[k] for k in rag_keys]],
        [
            [a["id"], *[rag_cell(k, str(a["rag"][k])) if a["rag"][k] else "0" for k in rag_keys]]
            for a in ctx["areas"]
        ],
        widths_mm=[22, 25, 25, 25, 25, 24, 24],
    )

    doc.heading("Overdue actions")
    if ctx["overdue"]:
        doc.table(
            ["Action", "Title", "Lead", "Due", "Days overdue", "RAG", "Latest update"],
            [
                [
                    a["id"],
                    a["title"],
                    a["lead"],
                    long_date(a["due"]),
                    str(a["days_overdue"]),
                    rag_cell(a["rag"], RAG[a["rag"] or "unrated"]),
                    (
                        f"{long_date(a['latest_update_date'])}: {a['latest_update']}"
                        if a["latest_update"]
                        else ""
                    ),
                ]
                for a in ctx["overdue"]
            ],
            widths_mm=[17, 32, 24, 22, 16, 17, 42],
        )
    else:
        doc.paragraph("No action is overdue.")

    doc.heading("Due before the next board meeting")
    if ctx["due_soon"]:
        doc.table(
            ["Action", "Title", "Lead", "Due", "RAG"],
            [
                [
                    a["id"],
                    a["title"],
                    a["lead"],
                    long_date(a["due"]),
                    rag_cell(a["rag"], RAG[a["rag"] or "unrated"]),
                ]
                for a in ctx["due_soon"]
            ],
            widths_mm=[17, 68, 40, 25, 20],
        )
    else:
        doc.paragraph(f"No action falls due before {long_date(ctx['due_soon_until'])}.")

    doc.heading("Actions not started that should have")
    if ctx["late_starts"]:
        doc.table(
            ["Action", "Title", "Lead", "Planned start", "Due"],
            [
                [a["id"], a["title"], a["lead"], long_date(a["start"]), long_date(a["due"])]
                for a in ctx["late_starts"]
            ],
            widths_mm=[17, 68, 40, 23, 22],
        )
    else:
        doc.paragraph("Every action whose planned start has passed has started.")

    doc.heading("Deadlines moved")
    if ctx["deadlines_moved"]:
        doc.table(
            ["Action", "Title", "First deadline", "Deadline now", "Days moved", "Changes agreed"],
            [
                [
                    a["id"],
                    a["title"],
                    long_date(a["first_due"]),
                    long_date(a["due"]),
                    str(a["slip_days"]),
                    "\n".join(
                        f"{long_date(m['on'])}: {long_date(m['from'])} to {long_date(m['to'])}, "
                        f"{m['reason']}"
                        + (f" (agreed by {m['approved_by']})" if m["approved_by"] else "")
                        for m in a["moves"]
                    ),
                ]
                for a in ctx["deadlines_moved"]
            ],
            widths_mm=[17, 36, 22, 22, 16, 57],
        )
    else:
        doc.paragraph("No deadline has moved.")

    if ctx["changes"] is not None:
        doc.heading("Changes since the last report")
        since = ctx["since"]
        if since:
            doc.paragraph(f"Changes since {long_date(since['date'])} (revision {since['rev']}).")
        if ctx["changes"]:
            doc.table(
                ["Action", "What changed", "From", "To"],
                [
                    [c["action"], c["kind_label"], str(c["from"] or ""), str(c["to"] or "")]
                    for c in ctx["changes"]
                ],
                widths_mm=[25, 45, 50, 50],
            )
        else:
            doc.paragraph("Nothing in the plan has changed since the last report.")
    doc.paragraph(f"Produced by {ctx['document']['generator']} from the plan files.", italic=True)
    if chart is not None and place is not None:
        doc.picture(chart(), into=place)
    return doc.to_bytes()


def _roman(n: int) -> str:
    numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, letters in numerals:
        while n >= value:
            out += letters
            n -= value
    return out
