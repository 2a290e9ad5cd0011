"""``send-plan report``: board documents in Markdown, HTML or Word."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from send_plan.cli.common import (
    AsOf,
    Paths,
    examples,
    format_option,
    handles_errors,
    parse_date,
    plan_paths,
    say,
    today,
)
from send_plan.cli.history import git_slips
from send_plan.render.reports import (
    REPORT_BY_NAME,
    Rendered,
    ReportFormat,
    ReportName,
    needs_chart,
)

#: Existing files a report may replace without --force: earlier reports.
_REPORT_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".docx")


def report(
    name: Annotated[
        ReportName, typer.Argument(metavar="NAME", help=" or ".join(REPORT_BY_NAME) + ".")
    ],
    paths: Paths = None,
    plan: Annotated[
        str | None, typer.Option(help="The plan to report on (needed when several are read).")
    ] = None,
    as_of: AsOf = None,
    format: Annotated[ReportFormat, format_option()] = ReportFormat.md,
    since: Annotated[
        str | None,
        typer.Option(
            metavar="REV",
            help="board-summary: show what changed since this git revision or date "
            "[default: the previous board meeting, when the plans are in git].",
            show_default=False,
        ),
    ] = None,
    meeting: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="board-summary: the meeting the paper is for [default: the plan's first "
            "meeting on or after --as-of, else the as-of date].",
            show_default=False,
        ),
    ] = None,
    no_history: Annotated[
        bool, typer.Option("--no-history", help="Do not read git history.")
    ] = False,
    template: Annotated[
        Path | None,
        typer.Option(
            help="Render your own Jinja template (Markdown or HTML) with the same context."
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Replace an existing file that is not an earlier report.")
    ] = False,
) -> None:
    """Render a board document: Markdown, HTML or Word."""
    day = parse_date(as_of, "--as-of") or today()
    meeting_day = parse_date(meeting, "--meeting")
    if template is not None and format == "docx":
        raise typer.BadParameter(
            "Word output uses the built-in layout; --template renders md or html",
            param_hint="--template",
        )
    if format == "docx" and output is None and sys.stdout.isatty():
        raise typer.BadParameter("give -o FILE.docx for Word output", param_hint="--output")
    if output is not None:
        from send_plan.files import refuse_existing

        replaceable = output.suffix.lower() in _REPORT_SUFFIXES
        refuse_existing(output, force=force or replaceable)
    report = REPORT_BY_NAME[name]
    worker = None
    if needs_chart(report, format, to_file=output is not None):
        from send_plan.render.chart import take_worker

        worker = take_worker()  # imports matplotlib in a second process meanwhile
    try:
        from send_plan.render.reports import ReportInputs, render
        from send_plan.validation import require_valid

        result = require_valid(plan_paths(paths))
        chosen = result.portfolio.require_plan(plan)
        inputs = ReportInputs(meeting=meeting_day)
        if report.uses_history and not no_history:
            from send_plan.git.changes import changes_for_report

            inputs = ReportInputs(
                changes=changes_for_report(plan_paths(paths), chosen, day, since),
                slips=git_slips(plan_paths(paths)),
                meeting=meeting_day,
            )
        rendered = render(
            report,
            format,
            result.portfolio,
            chosen,
            day,
            inputs,
            template=template,
            chart_name=f"{output.stem}.chart.png" if output is not None else None,
            chart_worker=worker,
        )
    finally:
        if worker is not None:
            worker.close()
    _write(rendered, output)


def _write(rendered: Rendered, output: Path | None) -> None:
    """The document to stdout, or to ``output`` with its attachments beside it."""
    if output is None:
        sys.stdout.buffer.write(rendered.data)
        sys.stdout.flush()
        return
    from send_plan.files import write_atomic

    for attachment, data in rendered.attachments.items():
        write_atomic(output.parent / attachment, data, force=True)
        say(f"wrote {output.parent / attachment}")
    write_atomic(output, rendered.data, force=True)
    say(f"wrote {output}")


def register(app: typer.Typer) -> None:
    app.command(
        epilog=examples(
            "send-plan report board-summary --plan send-improvement-plan-2019 --as-of 2019-11-19"
            " -o board.md",
            "send-plan report appendix-b --plan wsoa-2018 --as-of 2019-03-19",
            "send-plan report appendix-b --plan wsoa-2018 --format docx -o appendix-b.docx",
            "send-plan report appendix-b --plan wsoa-2018 --template my-appendix.md.j2",
        )
    )(handles_errors(report))
