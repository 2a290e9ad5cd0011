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


def changes_since_last_report(
    paths: Any, plan_id: str | None, portfolio: Portfolio, as_of: date, since: str | None
) -> dict[str, Any]:
    """Options for board-summary: the plan's changes since the last report.

    With ``since`` (a revision or date) that is the start; otherwise the last
    commit on or before the plan's previous board meeting before ``as_of``. Empty
    (the section is left out) when the plans are not in a git repository or no
    earlier meeting is known.
    """
    from send_plan.changes import KIND_LABEL, changes_between
    from send_plan.history import GitError

    plan = portfolio.require_plan(plan_id)
    explicit = since is not None
    if since is None:
        earlier = [m for m in plan.plan.board_meetings if m < as_of]
        if not earlier:
            return {}
        since = earlier[-1].isoformat()
    try:
        found = changes_between(paths, since, as_of.isoformat())
    except GitError:
        if explicit:
            raise
        return {}  # not in a repository, or no commit that early: leave the section out
    rows = [
        {**c, "kind_label": KIND_LABEL[c["kind"]], "action": c["action"] or plan.id}
        for c in found.changes
        if c["plan"] == plan.id
    ]
    return {"changes": rows, "since": found.since.as_dict()}


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
    plan = portfolio.require_plan(plan_id)
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
