"""The command line: parse options -> call one core function -> output -> exit code.

Only Typer and the standard library are imported at module level, so that
``send-plan --version`` starts fast; each command imports what it needs.
"""

from __future__ import annotations

import gc
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from send_plan import __version__
from send_plan.cli_common import (
    KindChoice,
    Paths,
    _paths,
    echo,
    fail,
    handles_errors,
    parse_date,
    say,
    settings,
    today,
)
from send_plan.errors import EXIT_USAGE, PlansInvalid

app = typer.Typer(
    name="send-plan",
    help="Keep local-area SEND improvement plans in git: validate them, see what needs "
    "attention, and produce board papers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        echo(f"send-plan {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colour in output (NO_COLOR is honoured too).")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print no messages, only the output.")
    ] = False,
) -> None:
    settings.color = not no_color and not os.environ.get("NO_COLOR")
    settings.quiet = quiet


# --------------------------------------------------------------------------- validate


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


@app.command(
    epilog="Examples:\n\n"
    "  send-plan validate\n\n"
    "  send-plan validate plans/wsoa-2018.yaml --format json\n\n"
    "  send-plan validate --format github --strict\n\n"
    "  send-plan validate --base origin/main --format github",
)
@handles_errors
def validate(
    paths: Paths = None,
    format: Annotated[
        ValidateFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ValidateFormat.text,
    strict: Annotated[bool, typer.Option(help="Fail on warnings too.")] = False,
    base: Annotated[
        str | None,
        typer.Option(
            metavar="REV",
            help="Also judge the change against this git revision (deleted, reopened, "
            "renamed, moved without a record, closed plan edited).",
        ),
    ] = None,
) -> None:
    """Check plan files against the format and every rule; exit 1 on errors."""
    from send_plan.reporters import REPORTER_BY_NAME, summary_line
    from send_plan.validation import check

    result = check(_paths(paths))
    if base is not None:
        from send_plan.changes import judge_change

        result = judge_change(result, _paths(paths), base)
    body = REPORTER_BY_NAME[format.value](result, strict=strict)
    if format is ValidateFormat.text and settings.quiet:
        body = "".join(line + "\n" for line in body.splitlines()[:-1])
    echo(body)
    if format is not ValidateFormat.text:
        say(summary_line(result))
    raise typer.Exit(0 if result.success(strict=strict) else 1)


# --------------------------------------------------------------------------- status


class StatusFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class StateChoice(StrEnum):
    complete = "complete"
    withdrawn = "withdrawn"
    carried_forward = "carried-forward"
    overdue = "overdue"
    due_soon = "due-soon"
    on_track = "on-track"


AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="The date to report on, YYYY-MM-DD [default: today].",
        show_default=False,
    ),
]


@app.command(
    epilog="Examples:\n\n"
    "  send-plan status --as-of 2019-11-01\n\n"
    "  send-plan status --plan send-improvement-plan-2019 --state overdue --state due-soon\n\n"
    "  send-plan status --lead 'designated clinical officer' --format csv > mine.csv",
)
@handles_errors
def status(
    paths: Paths = None,
    as_of: AsOf = None,
    plan: Annotated[str | None, typer.Option(help="Only this plan (its id).")] = None,
    area: Annotated[str | None, typer.Option(help="Only this area (its id).")] = None,
    lead: Annotated[
        str | None, typer.Option(help="Only actions whose lead contains this text (any case).")
    ] = None,
    partner: Annotated[
        str | None, typer.Option(help="Only this partner's actions (its id).")
    ] = None,
    state: Annotated[
        list[StateChoice] | None,
        typer.Option("--state", help="Only actions in this state (repeat for several)."),
    ] = None,
    window: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Count as due soon what falls due within N days "
            "[default: up to the next board meeting, else 28 days].",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        StatusFormat, typer.Option("--format", "-f", help="Output format.")
    ] = StatusFormat.table,
    no_history: Annotated[
        bool,
        typer.Option("--no-history", help="Do not read git history for slip figures (faster)."),
    ] = False,
) -> None:
    """What is overdue, due before the next board, not started or carried forward."""
    day = parse_date(as_of, "--as-of") or today()
    from send_plan.tracking import Filters
    from send_plan.tracking import status as compute
    from send_plan.validation import require_valid
    from send_plan.vocab import State

    # git first, while this process is small: starting a subprocess from a process
    # holding a large portfolio costs far more
    history = None if no_history else git_slips(_paths(paths))
    result = require_valid(_paths(paths))
    states = frozenset(State(s.value) for s in state or ())
    filters = Filters(plan=plan, area=area, lead=lead, partner=partner, states=states)
    report = compute(result.portfolio, day, window=window, filters=filters, history=history)
    if format is StatusFormat.table:
        from send_plan.output import console, print_status

        print_status(report, console(color=settings.color), listed=bool(states))
        return
    from send_plan.status_formats import FORMAT_BY_NAME

    echo(FORMAT_BY_NAME[format.value](report, listed=bool(states)))


# --------------------------------------------------------------------------- carry-forward


@app.command(
    name="carry-forward",
    epilog="Examples:\n\n"
    "  send-plan carry-forward wsoa-2018 --to send-improvement-plan-2019\n\n"
    "  send-plan carry-forward wsoa-2018 --to app-2020 --kind accelerated-progress-plan "
    "--start 2020-06-01 --end 2021-05-31 -o plans/app-2020.yaml",
)
@handles_errors
def carry_forward(
    plan_id: Annotated[str, typer.Argument(metavar="PLAN_ID", help="The plan being closed.")],
    to: Annotated[str, typer.Option("--to", metavar="NEW_ID", help="The new plan's id.")],
    paths: Paths = None,
    title: Annotated[str | None, typer.Option(help="The new plan's title.")] = None,
    kind: Annotated[
        KindChoice | None,
        typer.Option(
            help="The new plan's kind [default: the old plan's; improvement-plan after a "
            "written statement of action].",
            show_default=False,
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="Start date [default: the day after the old plan ends]."),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="End date [default: as long as the old plan ran]."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing output file.")] = False,
) -> None:
    """Write a draft successor plan holding every open action not yet carried forward."""
    start_day = parse_date(start, "--start")
    end_day = parse_date(end, "--end")
    if output is not None and output.exists() and not force and not output.is_dir():
        fail(f"{output} already exists; use --force to replace it")
        raise typer.Exit(EXIT_USAGE)
    from dataclasses import replace

    from send_plan.carry import blocking_findings
    from send_plan.carry import carry_forward as build
    from send_plan.validation import check
    from send_plan.vocab import PlanKind

    result = check(_paths(paths))
    blocking = blocking_findings(result, plan_id)
    if blocking:
        raise PlansInvalid(replace(result, findings=tuple(blocking)))
    successor = build(
        result.portfolio,
        plan_id,
        to,
        today=today(),
        title=title,
        kind=PlanKind(kind.value) if kind else None,
        start=start_day,
        end=end_day,
        name=str(output) if output else "<stdout>",
    )
    if successor is None:
        say(f"nothing to carry: every open action of {plan_id} is already carried forward")
        return
    if output is None:
        echo(successor.text)
    else:
        from send_plan.files import write_atomic

        write_atomic(output, successor.text.encode(), force=force)
        say(f"wrote {output}: {len(successor.carried)} action(s) carried from {plan_id}")
    source = result.portfolio.plan(plan_id)
    if source is not None and source.plan.successor != to:
        say(f"next: set 'successor: {to}' in {plan_id}'s plan block when you close it")


# --------------------------------------------------------------------------- report


class ReportName(StrEnum):
    board_summary = "board-summary"
    appendix_b = "appendix-b"


class ReportFormat(StrEnum):
    md = "md"
    html = "html"
    docx = "docx"


#: Existing files a report may replace without --force: earlier reports.
_REPORT_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".docx")


@app.command(
    epilog="Examples:\n\n"
    "  send-plan report board-summary --plan send-improvement-plan-2019 --as-of 2019-11-19"
    " -o board.md\n\n"
    "  send-plan report appendix-b --plan wsoa-2018 --as-of 2019-03-19\n\n"
    "  send-plan report appendix-b --plan wsoa-2018 --format docx -o appendix-b.docx\n\n"
    "  send-plan report appendix-b --plan wsoa-2018 --template my-appendix.md.j2",
)
@handles_errors
def report(
    name: Annotated[
        ReportName, typer.Argument(metavar="NAME", help="board-summary or appendix-b.")
    ],
    paths: Paths = None,
    plan: Annotated[
        str | None, typer.Option(help="The plan to report on (needed when several are read).")
    ] = None,
    as_of: AsOf = None,
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ReportFormat.md,
    since: Annotated[
        str | None,
        typer.Option(
            metavar="REV",
            help="board-summary: show what changed since this git revision or date "
            "[default: the previous board meeting, when the plans are in git].",
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
    if template is not None and format is ReportFormat.docx:
        raise typer.BadParameter(
            "Word output uses the built-in layout; --template renders md or html",
            param_hint="--template",
        )
    if format is ReportFormat.docx and output is None and sys.stdout.isatty():
        raise typer.BadParameter("give -o FILE.docx for Word output", param_hint="--output")
    if output is not None:
        _check_report_output(output, force)
    worker = None
    if name is ReportName.board_summary and (format is ReportFormat.docx or output is not None):
        from send_plan.render.chart import take_worker

        worker = take_worker()  # imports matplotlib in a second process meanwhile
    try:
        from send_plan.render.reports import REPORT_BY_NAME, render
        from send_plan.validation import require_valid

        result = require_valid(_paths(paths))
        options: dict[str, Any] = {}
        if name is ReportName.board_summary and not no_history:
            from send_plan.render.reports import changes_since_last_report

            options = changes_since_last_report(_paths(paths), plan, result.portfolio, day, since)
            options["history"] = git_slips(_paths(paths))
        chart_name = f"{output.stem}.chart.png" if output is not None else None
        rendered = render(
            REPORT_BY_NAME[name.value],
            format.value,
            result.portfolio,
            plan,
            day,
            template=template,
            chart_name=chart_name,
            chart_worker=worker,
            **options,
        )
    finally:
        if worker is not None:
            worker.close()
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


def _check_report_output(output: Path, force: bool) -> None:
    if output.is_dir():
        fail(f"{output}: is a folder; give a file name")
        raise typer.Exit(EXIT_USAGE)
    if output.exists() and not force and output.suffix.lower() not in _REPORT_SUFFIXES:
        fail(f"{output} already exists and is not a report; use --force to replace it")
        raise typer.Exit(EXIT_USAGE)


# --------------------------------------------------------------------------- git history


class ChangesFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


class HistoryFormat(StrEnum):
    table = "table"
    json = "json"


@app.command(
    epilog="Examples:\n\n"
    "  send-plan changes --since 2019-01-15\n\n"
    "  send-plan changes --since v1.0 --until HEAD --format json",
)
@handles_errors
def changes(
    since: Annotated[
        str, typer.Option(metavar="REV", help="A commit, tag or branch, or a date YYYY-MM-DD.")
    ],
    until: Annotated[
        str | None, typer.Option(metavar="REV", help="Up to this revision [default: HEAD].")
    ] = None,
    paths: Paths = None,
    format: Annotated[
        ChangesFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ChangesFormat.table,
) -> None:
    """What changed in the plans between two git revisions."""
    from send_plan.changes import changes_between
    from send_plan.changes import format_markdown as changes_markdown

    found = changes_between(_paths(paths), since, until)
    for warning in found.warnings:
        say(f"warning: {warning}")
    if format is ChangesFormat.json:
        import json

        echo(json.dumps(found.as_dict(), indent=2, ensure_ascii=False) + "\n")
    elif format is ChangesFormat.markdown:
        echo(changes_markdown(found))
    else:
        from send_plan.output import console, print_changes

        print_changes(found, console(color=settings.color))


@app.command(
    epilog="Examples:\n\n"
    "  send-plan history wsoa-2018/SW6.2\n\n"
    "  send-plan history send-improvement-plan-2019/P3.2 --format json",
)
@handles_errors
def history(
    ref: Annotated[str, typer.Argument(metavar="PLAN_ID/ACTION_ID", help="The action.")],
    paths: Paths = None,
    format: Annotated[
        HistoryFormat, typer.Option("--format", "-f", help="Output format.")
    ] = HistoryFormat.table,
) -> None:
    """The life of one action in git: every change to its status, RAG, deadline or lead."""
    from send_plan.changes import action_history

    found = action_history(_paths(paths), ref)
    for warning in found.warnings:
        say(f"warning: {warning}")
    if format is HistoryFormat.json:
        import json

        echo(json.dumps(found.as_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        from send_plan.output import console, print_history

        print_history(found, console(color=settings.color))


# --------------------------------------------------------------------------- init


@app.command(
    epilog="Examples:\n\n"
    "  send-plan init\n\n"
    "  send-plan init my-area-plans && cd my-area-plans && send-plan validate\n\n"
    "  send-plan init --demo demo && cd demo && send-plan changes --since 2019-09-17",
)
@handles_errors
def init(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="Where to start the plan repository.")
    ] = Path("."),
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Instead, write a new git repository (DIR empty or new) whose history "
            "replays the example plans' life as dated commits, to try changes and history.",
        ),
    ] = False,
) -> None:
    """Start a plan repository: an example plan, pre-commit, a CI workflow, a README."""
    if demo:
        from send_plan.demo import build, report

        say(report(build(folder)))
        return
    from send_plan.scaffold import init as scaffold

    for outcome in scaffold(folder):
        say(f"{'created' if outcome.created else 'kept   '} {outcome.path}")


# --------------------------------------------------------------------------- revisit


class RevisitFormat(StrEnum):
    text = "text"
    json = "json"


@app.command(
    epilog="Examples:\n\n"
    "  send-plan revisit --notified 2020-02-24 --onsite-days 4\n\n"
    "  send-plan revisit --notified 2020-02-24 --format json",
)
@handles_errors
def revisit(
    notified: Annotated[
        str, typer.Option(metavar="DATE", help="The day Ofsted's notice arrived, YYYY-MM-DD.")
    ],
    onsite_days: Annotated[int, typer.Option(min=2, max=4, help="Days on site (2 to 4).")] = 4,
    format: Annotated[
        RevisitFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RevisitFormat.text,
) -> None:
    """When a revisit will be on site and its letter due, in England's working days."""
    day = parse_date(notified, "--notified")
    assert day is not None
    from send_plan.workdays import LETTER_WORKING_DAYS, NOTICE_WORKING_DAYS
    from send_plan.workdays import revisit as timetable

    plan = timetable(day, onsite_days)
    if format is RevisitFormat.json:
        import json

        echo(json.dumps(plan.as_dict(), indent=2) + "\n")
        return
    lines = [
        f"Notice received:     {plan.notified:%A %d %B %Y}",
        f"On site:             {plan.onsite_start:%A %d %B %Y} to {plan.onsite_end:%A %d %B %Y}"
        f" ({onsite_days} working days, after {NOTICE_WORKING_DAYS} working days' notice)",
        f"Letter expected by:  {plan.letter_expected_by:%A %d %B %Y}"
        f" ({LETTER_WORKING_DAYS} working days after the visit)",
    ]
    if plan.bank_holidays_skipped:
        skipped = ", ".join(f"{name} ({d:%d %B %Y})" for d, name in plan.bank_holidays_skipped)
        lines.append(f"Bank holidays skipped: {skipped}")
    else:
        lines.append("Bank holidays skipped: none")
    echo("\n".join(lines) + "\n")


def git_slips(paths: list[Path]) -> dict[tuple[str, str], tuple[str, int, int]] | None:
    """Slip figures from git when the plans are in a repository, else None."""
    from send_plan.history import GitError

    try:
        from send_plan.changes import slips

        return {k: (s.first_due, s.deadline_moves, s.slip_days) for k, s in slips(paths).items()}
    except GitError:
        return None


# --------------------------------------------------------------------------- schema


@app.command(
    epilog="Examples:\n\n"
    "  send-plan schema > plan.schema.json\n\n"
    "  send-plan schema -o plans/plan.schema.json --force",
)
@handles_errors
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing output file.")] = False,
) -> None:
    """Print the JSON Schema of the plan format, for editors and other tools."""
    import json

    from send_plan.model import json_schema

    text = json.dumps(json_schema(), indent=2) + "\n"
    if output is None:
        echo(text)
        return
    from send_plan.files import write_atomic

    write_atomic(output, text.encode(), force=force)
    say(f"wrote {output}")


# --------------------------------------------------------------------------- entry point


def main() -> None:
    """The console script: run, flush, and exit without tearing down the heap.

    Freeing a large portfolio's objects one by one at exit costs more than the
    work itself on big plans, and nothing is left to clean up, so exit at once.
    """
    code: int
    # A short-lived process whose data holds no reference cycles: the cyclic
    # collector would only sweep the plans' objects again and again.
    gc.disable()
    try:
        app()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if isinstance(exc.code, str):
            sys.stderr.write(exc.code + "\n")
    except KeyboardInterrupt:
        sys.stderr.write("send-plan: interrupted\n")
        code = 130
    except Exception as exc:  # a bug: still no traceback for the user
        if os.environ.get("SEND_PLAN_DEBUG"):
            raise
        sys.stderr.write(
            f"send-plan: internal error: {type(exc).__name__}: {exc} "
            "(set SEND_PLAN_DEBUG=1 for details, and please report it)\n"
        )
        code = EXIT_USAGE
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    os._exit(code)


from send_plan import cli_excel  # noqa: E402 - its commands join this app

cli_excel.register(app)
