"""Word versions of the board documents, built from the same view-models as the
Markdown and HTML templates."""

from __future__ import annotations

from typing import Any

from send_plan.render.labels import long_date
from send_plan.render.word import POSITION_FILL, Cell, WordDocument


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
            widths_mm=[18, 82, 45, 25],
        )
    for area in ctx["areas"]:
        doc.heading(f"{area['id']} {area['kind_label']}: {area['title']}")
        doc.table(
            ["Action", "Title", "Lead", "Final position", "Date", "Carried forward to"],
            [_position_row(a) for a in area["actions"]],
            widths_mm=[15, 50, 30, 22, 21, 32],
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
