"""`report appendix-a`: golden Markdown and HTML, a real Word document, the period
(S, D], and nothing dated after the as-of date anywhere in any format."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import WritePlan, assert_golden
from docx import Document
from docx.oxml.ns import qn
from typer.testing import CliRunner

from send_plan.cli import app
from send_plan.formats.markdown import link
from send_plan.render.appendix_a import figure, safe_link
from send_plan.render.labels import RAG_FILL

ROOT = Path(__file__).resolve().parent.parent
PLANS = str(ROOT / "plans")
WSOA = ["report", "appendix-a", PLANS, "--plan", "wsoa-2018", "--as-of", "2019-03-19"]
SIP = ["report", "appendix-a", PLANS, "--plan", "send-improvement-plan-2019"]
runner = CliRunner()


# --------------------------------------------------------------------------- golden files


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_wsoa_at_the_seed_meeting_matches_the_golden_file(fmt: str) -> None:
    result = runner.invoke(app, [*WSOA, "--format", fmt])
    assert result.exit_code == 0, result.stderr
    assert_golden(f"appendix-a-wsoa-2018-2019-03-19.{fmt}", result.stdout)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_improvement_plan_matches_the_golden_file(fmt: str) -> None:
    result = runner.invoke(app, [*SIP, "--as-of", "2019-11-19", "--format", fmt])
    assert result.exit_code == 0, result.stderr
    assert_golden(f"appendix-a-send-improvement-plan-2019-2019-11-19.{fmt}", result.stdout)


def test_areas_in_file_order_with_what_the_contract_asks() -> None:
    out = runner.invoke(app, WSOA).stdout
    headings = re.findall(r"^## (\S+) ", out, flags=re.MULTILINE)
    assert headings == ["Summary", "FF1", "FF2", *[f"SW{n}" for n in range(1, 13)], "Latest"]
    # the period: after the December 2018 review, up to the meeting
    assert "after 18 December 2018, up to and including 19 March 2019" in out
    ff1 = out[out.index("## FF1 ") : out.index("## FF2 ")]
    assert "*Fundamental failing*" in ff1
    assert "**Impact sought:** Leaders share one accurate view" in ff1
    assert "| RAG | Amber/green |" in ff1  # the self-assessment of 18 December 2018
    assert "| Next steps | Publish the JSNA" in ff1
    assert "| 5 | 4 | 0 | 0 | 0 | 1 | 0 |" in ff1  # counts by state
    # completed in the period, with its date; an open action with state, RAG, update
    assert "| FF1.2 | Publish a joint strategic needs assessment (JSNA) for SEND |" in ff1
    assert "| 28 January 2019 |" in ff1
    assert "| FF1.4 |" in ff1
    assert "| Carried forward | Amber | 18 January 2019: Health data still partial." in ff1
    # dated evidence in the period, as a link; text evidence after it
    gathered = ff1.index("Gathered in the period:")
    other = ff1.index("Other evidence:")
    assert gathered < ff1.index("[Draft joint strategic needs assessment for SEND]") < other
    assert "(https://www.lancashire.gov.uk/lancashire-insight/)" in ff1
    assert ff1.index("Terms of reference signed off") > other
    # indicators linked to the area; the unpublished one marked
    sw2 = out[out.index("## SW2 ") : out.index("## SW3 ")]
    assert "| EHC20 New EHC plans issued within 20 weeks, excluding exceptions |" in sw2
    assert "33% (31 December 2018, provisional) | 32.23% | Green | Improving |" in sw2
    assert "EHC-REQ Requests for an EHC needs assessment (not published)" in sw2
    # the latest external review closes the document; no judgement before the revisit
    assert "## Latest external review" in out
    assert "rated progress **Amber/green**: Sufficient progress" in out
    assert "### Judgement" not in out


def test_area_judgements_once_the_revisit_has_judged() -> None:
    result = runner.invoke(app, [*WSOA[:-1], "2020-03-17"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    sw1 = out[out.index("## SW1 ") : out.index("## SW2 ")]
    assert (
        "**Not sufficient progress**, by Ofsted and CQC on 12 March 2020: "
        "Too many EHC plans are still of poor quality." in sw1
    )
    sw3 = out[out.index("## SW3 ") : out.index("## SW4 ")]
    assert "**Sufficient progress**, by Ofsted and CQC on 12 March 2020." in sw3
    assert "### Judgement" not in out[: out.index("## SW1 ")]  # FF areas are not judged
    assert "The latest external review was by Ofsted and CQC on 12 March 2020: Revisit" in out
    # the period runs from the last review before the as-of date
    assert "after 12 March 2020, the date of the review by Ofsted and CQC" in out


# --------------------------------------------------------------------------- Word


def word_text(doc: Any) -> str:
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def test_word_document_headings_tables_rag_and_links(tmp_path: Path) -> None:
    out = tmp_path / "appendix-a.docx"
    result = runner.invoke(app, [*WSOA, "--format", "docx", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    doc = Document(str(out))
    assert doc.core_properties.title.startswith("Appendix A: Lancashire SEND Written")
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    top = [h for h in headings if re.match(r"^\d+ ", h)]
    assert top[0] == "1 Summary by area"
    assert top[1].startswith("2 FF1 Leaders across education, health and care")
    assert top[-1] == "16 Latest external review"
    assert len([h for h in top if re.match(r"^\d+ SW\d+ ", h)]) == 12
    assert headings[headings.index(top[1]) + 1 :][:3] == [
        "2.1 Self-assessment",
        "2.2 Actions",
        "2.3 Evidence",
    ]
    assert "5.4 Indicators" in headings  # SW2 has two linked indicators
    # real tables: every one with a header row repeated on each page, but the facts
    tables = doc.tables
    assert [c.text for c in tables[1].rows[0].cells] == [
        "Area",
        "Title",
        "Self-assessment",
        "Actions",
        "Complete",
        "Open",
        "Judgement",
    ]
    for table in tables[1:]:
        if table.rows[0].cells[0].text not in ("Date",):  # self-assessment facts
            assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    # RAG cells shaded in their colour and named in words
    summary_rows = tables[1].rows[1:]
    assert len(summary_rows) == 14
    first = summary_rows[0].cells[2]
    assert first.text == "Amber/green\n18 December 2018"
    assert first._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == RAG_FILL["amber-green"]
    open_tables = [t for t in tables if t.rows[0].cells[-1].text == "Latest update"]
    assert len(open_tables) == 13  # SW11 has no open action
    rag = open_tables[0].rows[1].cells[4]
    assert rag.text == "Amber"
    assert rag._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == RAG_FILL["amber"]
    # the evidence title is a real hyperlink to its address
    links = doc.element.body.findall(".//" + qn("w:hyperlink"))
    assert len(links) == 1
    target = doc.part.rels[links[0].get(qn("r:id"))]
    assert target.is_external
    assert target.target_ref == "https://www.lancashire.gov.uk/lancashire-insight/"
    assert "".join(t.text for t in links[0].iter(qn("w:t"))) == (
        "Draft joint strategic needs assessment for SEND"
    )


# --------------------------------------------------------------------------- as-of discipline

D = date(2019, 9, 30)
LATER = "LATER"  # every record dated after D carries this word


def as_of_plan() -> dict[str, Any]:
    """Records before the period, in it and after the as-of date, each marked."""
    evidence = [
        "TEXT EVIDENCE",
        {"title": "UNDATED EVIDENCE", "kind": "audit"},
        {"title": "EARLIER EVIDENCE", "date": "2019-05-01"},
        {"title": "PERIOD EVIDENCE", "date": "2019-08-15", "link": "https://example.org/p"},
        {"title": "LATER EVIDENCE", "date": "2019-10-02", "link": "https://example.org/l"},
    ]
    return {
        "reviews": [
            {"date": "2019-06-28", "by": "DfE and NHS England", "rating": "amber"},
            {
                "date": "2019-10-15",
                "by": "Ofsted and CQC LATER",
                "summary": "LATER REVIEW",
                "areas": [{"area": "P1", "judgement": "sufficient", "note": "LATER JUDGEMENT"}],
            },
        ],
        "areas.0.impact": "IMPACT SOUGHT",
        "areas.0.updates": [
            {"date": "2019-05-01", "rag": "red", "note": "EARLIER AREA UPDATE"},
            {"date": "2019-07-15", "rag": "amber", "note": "PERIOD AREA UPDATE"},
            {"date": "2019-09-01", "rag": "amber-green", "note": "LATEST", "next_steps": "NEXT"},
            {"date": "2019-10-01", "rag": "green", "note": "LATER AREA UPDATE"},
        ],
        "areas.0.actions.0.evidence": evidence,
        "areas.0.actions.0.updates": [
            {"date": "2019-08-01", "note": "ACTION UPDATE IN PERIOD"},
            {"date": "2019-10-05", "note": "LATER ACTION UPDATE"},
        ],
        "areas.0.actions.1": {
            "id": "P1.2",
            "title": "COMPLETED IN PERIOD",
            "lead": "Head of SEND",
            "due": "2019-09-30",
            "status": "complete",
            "completed": "2019-08-20",
        },
        "areas.0.actions.2": {
            "id": "P1.3",
            "title": "Finished after the meeting",
            "lead": "Head of SEND",
            "due": "2019-12-31",
            "status": "complete",
            "completed": "2019-10-10",
        },
        "areas.0.actions.3": {
            "id": "P1.4",
            "title": "COMPLETED BEFORE",
            "lead": "Head of SEND",
            "due": "2019-05-31",
            "status": "complete",
            "completed": "2019-05-10",
        },
        "indicators": [
            {
                "id": "I1",
                "title": "Plans on time",
                "unit": "percent",
                "polarity": "higher-is-better",
                "areas": ["P1"],
                "baseline": {"date": "2019-03-31", "value": 10},
                "targets": [{"by": "2020-03-31", "value": 50}],
                "values": [
                    {"date": "2019-06-30", "value": 12},
                    {"date": "2019-09-30", "value": 21.5},
                    {"date": "2019-12-31", "value": 77.7},
                ],
            }
        ],
    }


_LONG = re.compile(
    r"\b(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|"
    r"November|December) (\d{4})\b"
)


def dates_in(text: str) -> list[date]:
    found = [date.fromisoformat(m) for m in re.findall(r"\b\d{4}-\d{2}-\d{2}\b", text)]
    for day, month, year in _LONG.findall(text):
        found.append(date.fromisoformat(f"{year}-01-01").replace(month=_month(month), day=int(day)))
    return found


def _month(name: str) -> int:
    return [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ].index(name) + 1


@pytest.fixture
def as_of_args(write_plan: WritePlan) -> list[str]:
    path = write_plan("plan.yaml", as_of_plan())
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 0
    return ["report", "appendix-a", str(path), "--as-of", D.isoformat()]


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_nothing_dated_after_the_as_of_date_appears(
    as_of_args: list[str], fmt: str, tmp_path: Path
) -> None:
    out = tmp_path / f"a.{fmt}"
    result = runner.invoke(app, [*as_of_args, "-f", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    text = word_text(Document(str(out))) if fmt == "docx" else out.read_text(encoding="utf-8")
    assert LATER not in text
    assert "77.7" not in text  # the December figure
    assert "https://example.org/l" not in text
    if fmt == "docx":
        assert all(
            r.target_ref != "https://example.org/l" for r in Document(str(out)).part.rels.values()
        )
    assert max(dates_in(text)) <= D
    assert "Finished after the meeting" not in text  # neither completed in the period nor open
    for shown in (
        "IMPACT SOUGHT",
        "PERIOD AREA UPDATE",
        "ACTION UPDATE IN PERIOD",
        "COMPLETED IN PERIOD",
        "PERIOD EVIDENCE",
        "EARLIER EVIDENCE",
        "UNDATED EVIDENCE",
        "TEXT EVIDENCE",
        "21.5%",
    ):
        assert shown in text, shown
    # before the period: neither listed as completed in it nor shown as an update in it
    assert "COMPLETED BEFORE" not in text
    assert "EARLIER AREA UPDATE" not in text


def test_the_period_sorts_updates_evidence_and_completions(as_of_args: list[str]) -> None:
    out = runner.invoke(app, as_of_args).stdout
    # S is the review of 28 June 2019 (the later review is after D)
    assert "after 28 June 2019, the date of the review by DfE and NHS England" in out
    assert "| Date | 1 September 2019 |\n| RAG | Amber/green |\n| Progress | LATEST |" in out
    assert "| 15 July 2019 | Amber | PERIOD AREA UPDATE |  |" in out
    gathered, other = out.index("Gathered in the period:"), out.index("Other evidence:")
    assert gathered < out.index("[PERIOD EVIDENCE](https://example.org/p)") < other
    for earlier in ("TEXT EVIDENCE", "UNDATED EVIDENCE", "EARLIER EVIDENCE"):
        assert out.index(earlier) > other
    assert "| 1 May 2019 |" in out  # the earlier evidence keeps its date
    # all four actions counted by state as the status command counts them
    assert "| 4 | 3 | 1 | 0 | 0 | 0 | 0 |" in out
    assert "| P1.1 | Publish the local offer | Head of Service, Inclusion | On track |" in out
    assert "1 August 2019: ACTION UPDATE IN PERIOD" in out
    assert "rated progress **Amber**." in out


def test_since_sets_the_start_of_the_period(as_of_args: list[str]) -> None:
    out = runner.invoke(app, [*as_of_args, "--since", "2019-04-30"]).stdout
    assert "This update covers the period after 30 April 2019, up to and including" in out
    assert "EARLIER AREA UPDATE" in out  # 1 May 2019 is now in the period
    assert out.index("EARLIER EVIDENCE") < out.index("Other evidence:")
    assert "COMPLETED BEFORE" in out


def test_default_start_is_the_plan_start_without_an_earlier_review(write_plan: WritePlan) -> None:
    path = write_plan("plan.yaml", {"areas.0.updates": [{"date": "2019-04-01", "note": "Day one"}]})
    out = runner.invoke(app, ["report", "appendix-a", str(path), "--as-of", "2019-06-01"]).stdout
    assert "the period after 1 April 2019, when the plan started, up to and including" in out
    assert "| Progress | Day one |" in out  # the latest update on or before D, whatever S
    assert "No external review is dated on or before 1 June 2019." in out


def test_a_review_on_the_as_of_date_is_the_latest_but_not_the_start(
    write_plan: WritePlan,
) -> None:
    reviews = [
        {"date": "2019-06-01", "by": "First", "rating": "amber"},
        {"date": "2019-09-30", "by": "Second", "rating": "green"},
    ]
    path = write_plan("plan.yaml", {"reviews": reviews})
    out = runner.invoke(app, ["report", "appendix-a", str(path), "--as-of", "2019-09-30"]).stdout
    assert "after 1 June 2019, the date of the review by First" in out
    assert "The latest external review, by Second on 30 September 2019" in out


@pytest.mark.parametrize(
    ("since", "message"),
    [
        ("HEAD~1", "'HEAD~1' is not a real date; write YYYY-MM-DD"),
        ("2019-02-30", "is not a real date"),
        ("30/06/2019", "write YYYY-MM-DD"),
        ("2019-09-30", "is not before the as-of date 2019-09-30"),
        ("2019-12-01", "is not before the as-of date"),
    ],
)
def test_since_must_be_a_date_before_as_of(as_of_args: list[str], since: str, message: str) -> None:
    result = runner.invoke(app, [*as_of_args, "--since", since])
    assert result.exit_code == 2
    assert "--since" in result.stderr
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr


def test_user_template_gets_the_same_context(tmp_path: Path) -> None:
    template = tmp_path / "mine.md.j2"
    template.write_text(
        "{{ period.since }} {{ period.basis }}: "
        "{% for a in areas %}{{ a.id }}={{ a.latest_update.rag }} {% endfor %}\n"
    )
    result = runner.invoke(app, [*SIP, "--as-of", "2019-11-19", "--template", str(template)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "2019-10-15 review: P1=amber P2=amber-green P3=red-amber P4=amber "


# --------------------------------------------------------------------------- links and figures


def test_markdown_links_cannot_inject() -> None:
    assert link("Survey [draft] | 2019", "https://ex.org/a b(c)|d<e>") == (
        "[Survey \\[draft\\] \\| 2019](https://ex.org/a%20b%28c%29%7Cd%3Ce%3E)"
    )
    assert link("x](javascript:alert(1))", "https://ex.org/") == (
        "[x\\](javascript:alert(1))](https://ex.org/)"
    )
    for unsafe in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", " https://a"):
        assert link("Title", unsafe) == "Title"
        assert safe_link(unsafe) is None
    assert link("<b>", None) == "&lt;b&gt;"
    assert safe_link("https://example.org/x?y=1") == "https://example.org/x?y=1"


def test_escaping_in_every_format(write_plan: WritePlan, tmp_path: Path) -> None:
    tricky = 'Audit "quality" of <EHC> plans & | reports'
    evidence = [{"title": tricky, "date": "2019-05-01", "link": "https://example.org/a?b=1&c=2"}]
    path = write_plan("plan.yaml", {"areas.0.actions.0.evidence": evidence})
    args = ["report", "appendix-a", str(path), "--as-of", "2019-06-01"]
    md = runner.invoke(app, args).stdout
    assert (
        '[Audit "quality" of &lt;EHC&gt; plans & \\| reports](https://example.org/a?b=1&c=2)' in md
    )
    html = runner.invoke(app, [*args, "-f", "html"]).stdout
    assert (
        '<a href="https://example.org/a?b=1&amp;c=2">Audit &#34;quality&#34; of &lt;EHC&gt; '
        "plans &amp; | reports</a>" in html
    )
    out = tmp_path / "a.docx"
    assert runner.invoke(app, [*args, "-f", "docx", "-o", str(out)]).exit_code == 0
    word = Document(io.BytesIO(out.read_bytes()))
    assert tricky in word_text(word)
    assert any(r.target_ref == "https://example.org/a?b=1&c=2" for r in word.part.rels.values())


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (33.0, "percent", "33%"),
        (24.29, "percent", "24.29%"),
        (455.0, "number", "455"),
        (12500.0, "number", "12,500"),
        (1.0, "weeks", "1 week"),
        (96.0, "weeks", "96 weeks"),
        (42.5, "days", "42.5 days"),
        (1250.0, "currency", "£1,250"),
        (3.25, "rate", "3.25"),
    ],
)
def test_figures_carry_their_unit(value: float, unit: str, shown: str) -> None:
    assert figure(value, unit) == shown


def test_every_context_variable_is_documented() -> None:
    """docs/templates.md names every key of the appendix-a context."""
    from send_plan.render import appendix_a as module

    text = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    section = text[
        text.index("### Variables for appendix-a") : text.index("### Variables for appendix-b")
    ]
    shapes = [
        module.AppendixA,
        module.AppendixAArea,
        module.Period,
        module.AreaUpdateRow,
        module.CompletedRow,
        module.OpenRow,
        module.EvidenceRow,
        module.IndicatorRow,
        module.Figure,
        module.DatedJudgement,
    ]
    missing = [
        f"{shape.__name__}.{key}"
        for shape in shapes
        for key in shape.__annotations__
        if not re.search(rf"[.`\[]{re.escape(key)}\b", section)
    ]
    assert missing == []
