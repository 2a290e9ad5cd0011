"""Appendix A in Word: a section per area (its heading the id and title), real
tables, RAG cells shaded and named in words, evidence titles as hyperlinks.

Built from the same view-model as the Markdown and HTML templates
(:func:`send_plan.render.appendix_a.appendix_a`).
"""

from __future__ import annotations

from docx.shared import Pt

from send_plan.render.appendix_a import AppendixA, AppendixAArea, EvidenceRow, IndicatorRow
from send_plan.render.word import Cell, WordDocument, WordFile, WordInputs, rag_cell
from send_plan.words import long_date


def appendix_a_docx(ctx: AppendixA, inputs: WordInputs | None = None) -> WordFile:
    inputs = inputs or WordInputs()
    doc = WordDocument(f"Appendix A: {ctx['document']['title']}", inputs.reference)
    if inputs.reference is None:
        # Area titles are sentences, often three lines long: as headings they read
        # better a size down (the hierarchy stays in the numbering and the weight);
        # a council's reference document keeps its own sizes.
        doc.doc.styles["Heading 1"].font.size = Pt(13)
        doc.doc.styles["Heading 2"].font.size = Pt(11.5)
    _facts(doc, ctx)
    _overview(doc, ctx)
    for area in ctx["areas"]:
        _area(doc, ctx, area)
    doc.heading("Latest external review")
    if ctx["review_sentence"]:
        doc.sentence(ctx["review_sentence"])
    else:
        doc.paragraph(f"No external review is dated on or before {ctx['period']['until_long']}.")
    doc.paragraph(f"Produced by {ctx['document']['generator']} from the plan files.", italic=True)
    return doc.finish()


def _facts(doc: WordDocument, ctx: AppendixA) -> None:
    plan, period = ctx["plan"], ctx["period"]
    rows = [
        ("Plan", f"{plan['title']} ({plan['kind_label']}, {plan['id']})"),
        ("Local area", plan["local_area"]),
        ("Board", ctx["document"]["board"] or ""),
        ("Date", ctx["document"]["date_long"]),
        (
            "Period",
            f"after {period['since_long']}, up to and including {period['until_long']}",
        ),
    ]
    doc.table(["Item", "Details"], [[Cell(k, bold=True), v] for k, v in rows if v])
    doc.paragraph(period["sentence"])
    for note in ctx["notes"]:
        doc.paragraph(f"Note: {note}", bold=True)


def _overview(doc: WordDocument, ctx: AppendixA) -> None:
    """One row per area: its latest self-assessment, its actions, its judgement."""
    doc.heading("Summary by area")
    rows: list[list[Cell | str]] = []
    for area in ctx["areas"]:
        latest = area["latest_update"]
        judged = area["judgement"]
        rows.append(
            [
                area["id"],
                area["title"],
                rag_cell(latest["rag"], f"{latest['rag_label']}\n{long_date(latest['date'])}")
                if latest
                else "none",
                str(area["counts"]["total"]),
                str(area["counts"]["complete"]),
                str(len(area["open"])),
                judged["judgement_label"] if judged else "",
            ]
        )
    doc.table(
        ["Area", "Title", "Self-assessment", "Actions", "Complete", "Open", "Judgement"], rows
    )


def _area(doc: WordDocument, ctx: AppendixA, area: AppendixAArea) -> None:
    doc.heading(area["heading"])
    doc.paragraph(area["kind_label"], italic=True)
    if area["description"]:
        doc.paragraph(area["description"])
    if area["impact"]:
        _bold_then(doc, "Impact sought: ", area["impact"])
    _self_assessment(doc, ctx, area)
    _actions(doc, ctx, area)
    _evidence(doc, area)
    if area["indicators"]:
        doc.heading("Indicators", 2)
        doc.table(
            ["Indicator", "Latest", "Expected", "Rating", "Direction"],
            [_indicator(i) for i in area["indicators"]],
        )
    judged = area["judgement"]
    if judged:
        doc.heading("Judgement", 2)
        tail = f": {judged['note']}" if judged["note"] else "."
        by = f", by {judged['by']} on {long_date(judged['date'])}{tail}"
        _bold_then(doc, judged["judgement_label"], by)


def _lead_in(doc: WordDocument, text: str) -> None:
    """A line that introduces the table below it, kept on the same page."""
    doc.doc.add_paragraph(text).paragraph_format.keep_with_next = True


def _bold_then(doc: WordDocument, bold: str, text: str) -> None:
    """A paragraph that starts in bold: '**Impact sought:** ...'."""
    paragraph = doc.doc.add_paragraph()
    paragraph.add_run(bold).bold = True
    paragraph.add_run(text)


def _self_assessment(doc: WordDocument, ctx: AppendixA, area: AppendixAArea) -> None:
    doc.heading("Self-assessment", 2)
    latest = area["latest_update"]
    if latest is None:
        doc.paragraph(f"No update on the area is dated on or before {ctx['period']['until_long']}.")
    else:
        rows: list[list[Cell | str]] = [
            [Cell("Date", bold=True), long_date(latest["date"])],
            [Cell("RAG", bold=True), rag_cell(latest["rag"], latest["rag_label"])],
            [Cell("Progress", bold=True), latest["note"]],
        ]
        if latest["next_steps"]:
            rows.append([Cell("Next steps", bold=True), latest["next_steps"]])
        doc.table(["Item", "Self-assessment"], rows)
    if area["updates"]:
        _lead_in(doc, "Other updates in the period:")
        doc.table(
            ["Date", "RAG", "Update", "Next steps"],
            [
                [
                    long_date(u["date"]),
                    rag_cell(u["rag"], u["rag_label"]),
                    u["note"],
                    u["next_steps"] or "",
                ]
                for u in area["updates"]
            ],
        )


def _actions(doc: WordDocument, ctx: AppendixA, area: AppendixAArea) -> None:
    doc.heading("Actions", 2)
    keys = ctx["state_keys"]
    counts = area["counts"]
    doc.table(
        ["Actions", *[ctx["state_labels"][k] for k in keys]],
        [[str(counts["total"]), *[str(counts[k]) for k in keys]]],
    )
    if area["completed"]:
        _lead_in(doc, "Completed in the period:")
        doc.table(
            ["Action", "Title", "Lead", "Completed"],
            [
                [a["id"], a["title"], a["lead"], long_date(a["completed"])]
                for a in area["completed"]
            ],
        )
    else:
        doc.paragraph("No action was completed in the period.")
    if area["open"]:
        _lead_in(doc, "Open actions:")
        doc.table(
            ["Action", "Title", "Lead", "State", "RAG", "Latest update"],
            [
                [
                    a["id"],
                    a["title"],
                    a["lead"],
                    a["state_label"],
                    rag_cell(a["rag"], a["rag_label"]),
                    f"{long_date(a['latest_update_date'])}: {a['latest_update']}"
                    if a["latest_update"]
                    else "none",
                ]
                for a in area["open"]
            ],
        )
    else:
        doc.paragraph("No action is open.")


def _evidence(doc: WordDocument, area: AppendixAArea) -> None:
    doc.heading("Evidence", 2)
    if area["evidence"]:
        _lead_in(doc, "Gathered in the period:")
        _evidence_table(doc, area["evidence"])
    else:
        doc.paragraph("No evidence is dated in the period.")
    if area["other_evidence"]:
        _lead_in(doc, "Other evidence:")
        _evidence_table(doc, area["other_evidence"])


def _evidence_table(doc: WordDocument, items: list[EvidenceRow]) -> None:
    """Evidence with its kind and date; plain text evidence (neither) gets the
    width the empty columns would waste."""
    if not any(e["kind"] or e["date"] for e in items):
        doc.table(
            ["Evidence", "Action"], [[Cell(e["title"], link=e["link"]), e["action"]] for e in items]
        )
        return
    doc.table(
        ["Evidence", "Kind", "Date", "Action"],
        [
            [Cell(e["title"], link=e["link"]), e["kind"] or "", long_date(e["date"]), e["action"]]
            for e in items
        ],
    )


def _indicator(i: IndicatorRow) -> list[Cell | str]:
    title = f"{i['id']} {i['title']}" + ("" if i["published"] else " (not published)")
    latest = i["latest"]
    if latest is None:
        shown = "no figure yet"
    else:
        provisional = ", provisional" if latest["provisional"] else ""
        shown = f"{latest['text']}\n{long_date(latest['date'])}{provisional}"
    if i["late_data"]:
        shown += "\ndata late"
    rating: Cell | str = rag_cell(i["rating"], i["rating_label"]) if i["rating"] else "Not rated"
    return [title, shown, i["expected_text"] or "", rating, i["direction_label"]]
