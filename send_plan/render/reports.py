"""The built-in reports: a registry from name to view-model builder and renderers.

Light to import (the command line reads the registry for its choices): the
view-model builders, Jinja and python-docx are imported only when a report is
rendered. Whatever a report needs from outside the plans (changes from git, slip
figures) is gathered by the caller and passed in as :class:`ReportInputs`; the
render layer never runs git itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from send_plan.vocab import ReportFormat

if TYPE_CHECKING:
    from send_plan.model import Plan
    from send_plan.portfolio import Portfolio
    from send_plan.render.appendix_a import AppendixA
    from send_plan.render.chart import ChartWorker
    from send_plan.render.reference import Reference
    from send_plan.render.views import AppendixB, BoardSummary
    from send_plan.render.word import WordFile, WordInputs
    from send_plan.revisions import ReportChanges, Slip


FORMATS = tuple(ReportFormat)


@dataclass(frozen=True)
class ReportInputs:
    """What a report needs besides the plans, gathered by the caller."""

    changes: ReportChanges | None = None
    slips: Mapping[tuple[str, str], Slip] | None = None
    #: The meeting the paper is for, when not the first listed on or after as-of.
    meeting: date | None = None
    #: appendix-a: the start of the period reported on (the period is after it).
    since: date | None = None


Context = TypeVar("Context", "AppendixA", "AppendixB", "BoardSummary")


@dataclass(frozen=True)
class Report(Generic[Context]):
    """A report: its view-model builder and its Word builder, over one context type.

    The Word builder starts its document with ``WordDocument(title,
    inputs.reference)``, so that ``--reference-docx`` and the accessibility
    defaults apply to every report without more work.
    """

    name: str
    summary: str
    #: (portfolio, plan, as_of, inputs) -> the view-model
    build: Callable[[Portfolio, Plan, date, ReportInputs], Context]
    #: (view-model, chart and reference document) -> the Word document
    docx: Callable[[Context, WordInputs], WordFile]
    chart: bool = False
    uses_history: bool = False
    #: --since is a date (the start of the period), not a git revision.
    dated_since: bool = False
    #: Whether its view-model has indicators to draw as a trend chart.
    trend: bool = False


@dataclass(frozen=True)
class Rendered:
    """A document, files that go beside it (name -> bytes) such as its chart, and
    notes for the person running the command (a style a reference lacked)."""

    data: bytes
    attachments: dict[str, bytes]
    notes: tuple[str, ...] = ()


def needs_chart(report: Report[Any], fmt: str, *, to_file: bool) -> bool:
    """The one decision: a chart is drawn for Word (embedded) or beside a file."""
    return report.chart and (fmt == "docx" or to_file)


def _appendix_a(portfolio: Portfolio, plan: Plan, as_of: date, inputs: ReportInputs) -> AppendixA:
    from send_plan.render.appendix_a import appendix_a

    return appendix_a(portfolio, plan, as_of, inputs.since)


def _appendix_b(portfolio: Portfolio, plan: Plan, as_of: date, _: ReportInputs) -> AppendixB:
    from send_plan.render.context import appendix_b

    return appendix_b(portfolio, plan, as_of)


def _board_summary(
    portfolio: Portfolio, plan: Plan, as_of: date, inputs: ReportInputs
) -> BoardSummary:
    from send_plan.render.context import board_summary

    return board_summary(
        portfolio,
        plan,
        as_of,
        changes=inputs.changes,
        history=inputs.slips,
        meeting_day=inputs.meeting,
    )


def _appendix_b_docx(ctx: AppendixB, inputs: WordInputs) -> WordFile:
    from send_plan.render.documents import appendix_b_docx

    return appendix_b_docx(ctx, inputs)


def _appendix_a_docx(ctx: AppendixA, inputs: WordInputs) -> WordFile:
    from send_plan.render.appendix_a_word import appendix_a_docx

    return appendix_a_docx(ctx, inputs)


def _board_summary_docx(ctx: BoardSummary, inputs: WordInputs) -> WordFile:
    from send_plan.render.documents import board_summary_docx

    return board_summary_docx(ctx, inputs)


REPORT_BY_NAME: dict[str, Report[Any]] = {
    "board-summary": Report(
        "board-summary",
        "the progress update a board receives: position, areas, overdue, due soon, moved",
        _board_summary,
        _board_summary_docx,
        chart=True,
        uses_history=True,
        trend=True,
    ),
    "appendix-a": Report(
        "appendix-a",
        "the progress update, area by area, for DfE/NHS England: impact, self-assessment, evidence",
        _appendix_a,
        _appendix_a_docx,
        dated_since=True,
    ),
    "appendix-b": Report(
        "appendix-b",
        "the final summary position of a plan: complete, carried forward, withdrawn, dropped",
        _appendix_b,
        _appendix_b_docx,
    ),
}


def trend_chart_name(chart_name: str) -> str:
    """The indicators' chart beside the document: ``board.chart.png`` gives
    ``board.indicators.png``."""
    stem = chart_name.removesuffix(".png").removesuffix(".chart")
    return f"{stem}.indicators.png"


def _draw_trends(
    report: Report[Any], ctx: Any, worker: ChartWorker, title: str, label: str
) -> Callable[[], bytes] | None:
    """The trend chart of the indicators the scorecard shows, when there are any."""
    if not report.trend or not ctx["indicators"]:
        return None
    from send_plan.render.scorecard import chart_rows

    return worker.draw_trends(chart_rows(ctx["indicators"]), ctx["as_of"], title, label)


def render(
    report: Report[Any],
    fmt: str,
    portfolio: Portfolio,
    plan: Plan,
    as_of: date,
    inputs: ReportInputs | None = None,
    *,
    template: Path | None = None,
    reference: Reference | None = None,
    chart_name: str | None = None,
    chart_worker: ChartWorker | None = None,
) -> Rendered:
    """The document as bytes, with its chart when it has one.

    For Markdown and HTML the chart is a separate PNG named ``chart_name`` (no
    chart when None: the document is going to standard output); Word embeds it.
    Word is built by the report's own builder, on ``reference`` when given, or
    from ``template`` when that is a Word template (a .docx holding Jinja tags).
    A chart worker given is the caller's to close; one made here is closed here.
    The notes say which characters a chart's font could not draw.
    """
    ctx = report.build(portfolio, plan, as_of, inputs or ReportInputs())
    if not needs_chart(report, fmt, to_file=chart_name is not None):
        if chart_worker is not None:
            chart_worker.close()
        return _document(report, fmt, ctx, None, None, template, reference, chart_name)
    from send_plan.render.chart import ChartWorker

    worker = chart_worker or ChartWorker()
    try:
        title = f"{ctx['plan']['title']}, {ctx['document']['date_long']}"
        files = fmt != "docx" and chart_name is not None
        label = chart_name if files and chart_name else "the chart of actions"
        png = worker.draw(ctx["areas"], title, label)
        trend = None
        if not (fmt == "docx" and template is not None):  # a Word template has no place for it
            trend_label = trend_chart_name(label) if files else "the indicators chart"
            trend = _draw_trends(report, ctx, worker, title, trend_label)
        done = _document(report, fmt, ctx, png, trend, template, reference, chart_name)
        return replace(done, notes=done.notes + worker.notes())
    finally:
        if chart_worker is None:
            worker.close()


def _document(
    report: Report[Any],
    fmt: str,
    ctx: Any,
    png: Callable[[], bytes] | None,
    trend: Callable[[], bytes] | None,
    template: Path | None,
    reference: Reference | None,
    chart_name: str | None,
) -> Rendered:
    if fmt == "docx":
        return _word(report, ctx, png, template, reference, trend)
    from send_plan.render.jinja import render as render_template

    attachments = {}
    if png is not None and chart_name:
        ctx["chart"] = chart_name
        attachments[chart_name] = png()
    if trend is not None and chart_name:
        trend_name = trend_chart_name(chart_name)
        ctx["indicator_chart"] = trend_name
        attachments[trend_name] = trend()
    text = render_template(
        f"{report.name}.{fmt}.j2", ctx, html=fmt == "html", template_path=template
    )
    return Rendered(text.encode("utf-8"), attachments)


def _word(
    report: Report[Any],
    ctx: Any,
    png: Callable[[], bytes] | None,
    template: Path | None,
    reference: Reference | None,
    trend: Callable[[], bytes] | None = None,
) -> Rendered:
    """The Word document: the built-in layout (with the indicators' ``trend``
    chart when there is one), or the user's Word template."""
    if template is not None:
        from send_plan.render.chart import describe
        from send_plan.render.docx_template import render_word_template

        alt = describe(ctx["areas"]) if png is not None else ""
        word = render_word_template(template, ctx, chart=png, chart_alt=alt)
    else:
        from send_plan.render.word import WordInputs

        word = report.docx(ctx, WordInputs(png, reference, trend))
    return Rendered(word.data, {}, word.notes)
