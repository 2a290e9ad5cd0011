"""The built-in reports: a registry from name to view-model builder and renderers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from send_plan.portfolio import Portfolio
from send_plan.render import context as contexts
from send_plan.render.jinja import render as render_template

Builder = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Report:
    name: str
    summary: str
    build: Builder
    docx: Callable[[dict[str, Any], Callable[[], bytes] | None], bytes]
    chart: bool = False


@dataclass(frozen=True)
class Rendered:
    """A document, and files that go beside it (name -> bytes), such as its chart."""

    data: bytes
    attachments: dict[str, bytes]


def _appendix_b_docx(ctx: dict[str, Any], chart: Callable[[], bytes] | None) -> bytes:
    from send_plan.render.documents import appendix_b_docx

    return appendix_b_docx(ctx)


def _board_summary_docx(ctx: dict[str, Any], chart: Callable[[], bytes] | None) -> bytes:
    from send_plan.render.documents import board_summary_docx

    return board_summary_docx(ctx, chart)


REPORT_BY_NAME: dict[str, Report] = {
    "appendix-b": Report(
        "appendix-b",
        "the final summary position of a plan: complete, carried forward, withdrawn, dropped",
        contexts.appendix_b,
        _appendix_b_docx,
    ),
    "board-summary": Report(
        "board-summary",
        "the progress update a board receives: position, areas, overdue, due soon, moved",
        contexts.board_summary,
        _board_summary_docx,
        chart=True,
    ),
}

FORMATS = ("md", "html", "docx")


def render(
    report: Report,
    fmt: str,
    portfolio: Portfolio,
    plan_id: str | None,
    as_of: date,
    *,
    template: Path | None = None,
    chart_name: str | None = None,
    chart_worker: Any = None,
    **options: Any,
) -> Rendered:
    """The document as bytes, with its chart when it has one.

    For Markdown and HTML the chart is a separate PNG named ``chart_name`` (no
    chart when None: the document is going to standard output); Word embeds it.
    """
    plan = contexts.find_plan(portfolio, plan_id)
    ctx = report.build(portfolio, plan, as_of, **options)
    png: Callable[[], bytes] | None = None
    if report.chart and (fmt == "docx" or chart_name):
        from send_plan.render.chart import ChartWorker

        worker = chart_worker or ChartWorker()
        title = f"{ctx['plan']['title']}, {ctx['document']['date_long']}"
        png = worker.draw(ctx["areas"], title)
    elif chart_worker is not None:
        chart_worker.close()
    if fmt == "docx":
        return Rendered(report.docx(ctx, png), {})
    attachments = {}
    if png is not None and chart_name:
        ctx["chart"] = chart_name
        attachments[chart_name] = png()
    text = render_template(
        f"{report.name}.{fmt}.j2", ctx, html=fmt == "html", template_path=template
    )
    return Rendered(text.encode("utf-8"), attachments)
