"""``send-plan report``: board documents in Markdown, HTML or Word."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from send_plan.cli import common
from send_plan.cli.common import AsOf, Output, Paths, format_option, parse_date, plan_paths, say
from send_plan.cli.history import git_slips
from send_plan.vocab import ReportFormat, ReportName

if TYPE_CHECKING:
    from send_plan.model import Plan
    from send_plan.render.reports import Rendered, ReportInputs
    from send_plan.validation import CheckResult

#: Templates read as Word documents (docxtpl), not as Jinja text.
_WORD_SUFFIXES = (".docx", ".dotx", ".docm", ".dotm", ".doc")


Since = Annotated[
    str | None,
    typer.Option(
        metavar="REV|DATE",
        help="board-summary: show what changed since this git revision or date "
        "[default: the previous board meeting, when the plans are in git]. "
        "appendix-a: the period reported on starts after this date, YYYY-MM-DD "
        "[default: the plan's latest review before the as-of date, else its start].",
        show_default=False,
    ),
]

Meeting = Annotated[
    str | None,
    typer.Option(
        metavar="DATE",
        help="board-summary: the meeting the paper is for [default: the plan's first "
        "meeting on or after --as-of, else the as-of date].",
        show_default=False,
    ),
]

Template = Annotated[
    Path | None,
    typer.Option(
        help="Render your own template with the same context: Jinja Markdown or HTML, "
        "or with --format docx a Word document (.docx) holding Jinja tags.",
    ),
]

ReferenceDocx = Annotated[
    Path | None,
    typer.Option(
        "--reference-docx",
        metavar="FILE",
        help="docx: build on this Word document: its styles, page set-up, headers and "
        "footers, without its body text.",
    ),
]

ReplaceAll = Annotated[
    bool,
    typer.Option(help="Replace an existing output file and the pictures beside it."),
]


def report(
    name: Annotated[ReportName, typer.Argument(metavar="NAME", help=" or ".join(ReportName) + ".")],
    paths: Paths = None,
    plan: Annotated[
        str | None, typer.Option(help="The plan to report on (needed when several are read).")
    ] = None,
    as_of: AsOf = None,
    format: Annotated[ReportFormat, format_option()] = ReportFormat.md,
    since: Since = None,
    meeting: Meeting = None,
    no_history: Annotated[
        bool, typer.Option("--no-history", help="Do not read git history.")
    ] = False,
    template: Template = None,
    reference_docx: ReferenceDocx = None,
    output: Output = None,
    force: ReplaceAll = False,
) -> None:
    """Render a board document: Markdown, HTML or Word.

    Examples:
      send-plan report board-summary --plan send-improvement-plan-2019 --as-of 2019-11-19 -o
        board.md
      send-plan report appendix-a --plan wsoa-2018 --as-of 2019-03-19 -f docx -o appendix-a.docx
      send-plan report appendix-a --plan send-improvement-plan-2019 --as-of 2019-11-19 --since
        2019-07-16
      send-plan report appendix-b --plan wsoa-2018 --as-of 2019-03-19
      send-plan report appendix-b --plan wsoa-2018 --format docx -o appendix-b.docx
      send-plan report appendix-b --plan wsoa-2018 --template my-appendix.md.j2
      send-plan report board-summary --plan send-improvement-plan-2019 --format docx
        --reference-docx council.docx -o board.docx
      send-plan report board-summary --plan send-improvement-plan-2019 --format docx --template
        cover-sheet.docx -o cover.docx
    """
    day = parse_date(as_of, "--as-of") or common.today()
    meeting_day = parse_date(meeting, "--meeting")
    _check_word_options(format, template, reference_docx)
    reference = None
    if reference_docx is not None:
        from send_plan.render.reference import read_reference

        reference = read_reference(reference_docx)
    from send_plan.render.reports import REPORT_BY_NAME, needs_chart

    report = REPORT_BY_NAME[name]
    reading = _check_output(format, output, force, report.chart, paths, template, reference_docx)
    period_start = _period_start(since, day) if report.dated_since else None
    worker = None
    if needs_chart(report, format, to_file=output is not None):
        from send_plan.render.chart import take_worker

        worker = take_worker()  # imports matplotlib in a second process meanwhile
    try:
        from send_plan.render.reports import render
        from send_plan.validation import require_valid

        result = require_valid(plan_paths(paths))
        chosen = result.portfolio.require_plan(plan)
        history = report.uses_history and not no_history
        inputs = _inputs(plan_paths(paths), chosen, day, since, meeting_day, history, result)
        inputs = replace(inputs, since=period_start)
        rendered = render(
            report,
            format,
            result.portfolio,
            chosen,
            day,
            inputs,
            template=template,
            reference=reference,
            chart_name=_chart_path(output).name if output is not None else None,
            chart_worker=worker,
        )
    finally:
        if worker is not None:
            worker.close()
    for note in rendered.notes:
        say(f"note: {note}")
    _write(rendered, output, force, reading)


def _check_output(
    format: ReportFormat,
    output: Path | None,
    force: bool,
    chart: bool,
    paths: list[Path] | None,
    *others: Path | None,
) -> list[Path]:
    """Refuse, before any work, what the output cannot be: the document, and the
    chart written beside it when there is one (the indicators' chart, written only
    when the plan has indicators, is checked as it is written). Returns the files
    the report reads (plans, template, reference document), which it never replaces."""
    if format == "docx" and output is None and sys.stdout.isatty():
        raise typer.BadParameter("give -o FILE.docx for Word output", param_hint="--output")
    read = [*plan_paths(paths), *(path for path in others if path is not None)]
    if output is not None:
        from send_plan.files import refuse_existing

        refuse_existing(output, force=force, reading=read)
        if chart and format != "docx":
            refuse_existing(_chart_path(output), force=force, reading=read)
    return read


def _chart_path(output: Path) -> Path:
    """The chart written beside a Markdown or HTML document."""
    return output.parent / f"{output.stem}.chart.png"


def _inputs(
    paths: list[Path],
    plan: Plan,
    day: date,
    since: str | None,
    meeting: date | None,
    history: bool,
    working: CheckResult | None = None,
) -> ReportInputs:
    """What the report needs besides the plans: changes and slips from git, gathered
    here (the render layer never runs git), and the meeting the paper is for."""
    from send_plan.render.reports import ReportInputs

    if not history:
        return ReportInputs(meeting=meeting)
    from send_plan.git.changes import changes_for_report

    return ReportInputs(
        changes=changes_for_report(paths, plan, day, since, working.portfolio if working else None),
        slips=git_slips(paths),
        meeting=meeting,
    )


def _period_start(since: str | None, day: date) -> date | None:
    """--since as a date (appendix-a's period starts after it), before --as-of."""
    start = parse_date(since, "--since")
    if start is not None and start >= day:
        raise typer.BadParameter(
            f"{since} is not before the as-of date {day}: the period runs from the day "
            "after --since up to and including --as-of",
            param_hint="--since",
        )
    return start


def _write(rendered: Rendered, output: Path | None, force: bool, reading: list[Path]) -> None:
    """The document to stdout, or to ``output`` with its attachments beside it,
    all or none."""
    if output is None:
        sys.stdout.buffer.write(rendered.data)
        sys.stdout.flush()
        return
    from send_plan.files import write_files_atomic

    files = [(output.parent / name, data) for name, data in rendered.attachments.items()]
    write_files_atomic([*files, (output, rendered.data)], force=force, reading=reading)
    for path, _ in files:
        say(f"wrote {path}")
    say(f"wrote {output}")


def _check_word_options(format: str, template: Path | None, reference: Path | None) -> None:
    """A Word template goes with Word output, a text template with md or html, and a
    reference document with Word output built by send-plan."""
    # a .dotx or .docm is a Word file too: reading it then says what to do with it
    word_template = template is not None and template.suffix.lower() in _WORD_SUFFIXES
    if word_template and format != "docx":
        raise typer.BadParameter(
            "a Word template (.docx) makes a Word document: add --format docx",
            param_hint="--template",
        )
    if template is not None and not word_template and format == "docx":
        raise typer.BadParameter(
            "Word output takes a Word template (.docx); a Markdown or HTML template "
            "renders md or html",
            param_hint="--template",
        )
    if reference is not None and format != "docx":
        raise typer.BadParameter(
            "a reference document styles Word output: add --format docx",
            param_hint="--reference-docx",
        )
    if reference is not None and template is not None:
        raise typer.BadParameter(
            "a Word template carries its own styles and page set-up: give it or "
            "--reference-docx, not both",
            param_hint="--reference-docx",
        )
