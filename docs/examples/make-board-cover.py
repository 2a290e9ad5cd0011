"""Make docs/examples/board-cover.docx, the example Word template.

    python docs/examples/make-board-cover.py

The same document is easy to make in Word itself (docs/templates.md, "Word
templates", walks through it); this script only keeps the shipped example
reproducible. It writes plain Word paragraphs and a real table: every Jinja tag
is typed as ordinary text, exactly as you would type it in Word.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent


def main() -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    for name in ("Normal", "Title", "Heading 1", "Table Grid"):
        doc.styles[name].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(12)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    defaults.find(".//" + qn("w:lang")).set(qn("w:val"), "en-GB")
    doc.core_properties.title = "{{ document.title }}"
    doc.core_properties.author = "Testshire County Council"
    doc.core_properties.comments = ""

    section.header.paragraphs[0].text = "OFFICIAL"
    section.footer.paragraphs[0].text = "{{ document.title }}, {{ document.date_long }}"

    doc.add_paragraph("{{ document.title }}", style="Title")
    for line in (
        "Report to: {{ board }}",
        "Date of meeting: {{ document.date_long }}",
        "Report of: {{ plan.accountable | map(attribute='role') | join(' and ') }}",
        "Contact officer: Jo Bloggs, Head of SEND Improvement, 01234 567890, "
        "send.improvement@example.gov.uk",
        "Wards affected: All",
    ):
        label, value = line.split(": ", 1)
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)

    doc.add_heading("Summary", level=1)
    doc.add_paragraph("{{ overall }}")

    doc.add_heading("Recommendations", level=1)
    doc.add_paragraph("That the {{ board }}:")
    doc.add_paragraph("{%p for r in recommendations %}")
    doc.add_paragraph("({{ loop.index }}) {{ r }}")
    doc.add_paragraph("{%p endfor %}")

    doc.add_heading("Progress by area", level=1)
    doc.add_paragraph("{{ chart }}")

    doc.add_heading("Overdue actions", level=1)
    doc.add_paragraph("{%p if overdue %}")
    headers = ["Action", "Title", "Lead", "Due", "Days overdue", "RAG"]
    cells = [
        "{{ a.id }}",
        "{{ a.title }}",
        "{{ a.lead }}",
        "{{ a.due | long_date }}",
        "{{ a.days_overdue }}",
        "{% cellbg a.rag | rag_fill %}{{ a.rag | rag_label }}",
    ]
    table = doc.add_table(rows=4, cols=len(headers), style="Table Grid")
    table.autofit = False
    for column, width in zip(table.columns, (17, 50, 34, 26, 20, 23), strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    for i, text in enumerate(headers):
        table.cell(0, i).paragraphs[0].add_run(text).bold = True
    table.cell(1, 0).text = "{%tr for a in overdue %}"
    for i, text in enumerate(cells):
        table.cell(2, i).text = text
    table.cell(3, 0).text = "{%tr endfor %}"
    for row in table.rows:  # 10 pt in the table (the text around it is 12 pt)
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(10)
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("No action is overdue.")
    doc.add_paragraph("{%p endif %}")
    doc.save(str(HERE / "board-cover.docx"))


if __name__ == "__main__":
    main()
