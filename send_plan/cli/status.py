"""``send-plan status``: what needs attention on a date."""

from __future__ import annotations

from typing import Annotated

import typer

from send_plan.cli import common
from send_plan.cli.common import AsOf, OnlyPlan, Paths, echo, format_option, parse_date, plan_paths
from send_plan.cli.history import git_slips
from send_plan.formats.status import FORMATS, Format
from send_plan.vocab import State

StatusFormat = Annotated[Format, format_option()]


def status(
    paths: Paths = None,
    as_of: AsOf = None,
    plan: OnlyPlan = None,
    area: Annotated[
        str | None,
        typer.Option(help="Only this area (its id), and the indicators that evidence it."),
    ] = None,
    lead: Annotated[
        str | None,
        typer.Option(
            help="Only actions whose lead (and indicators whose owner) contains this text "
            "(any case)."
        ),
    ] = None,
    partner: Annotated[
        str | None, typer.Option(help="Only this partner's actions and indicators (its id).")
    ] = None,
    state: Annotated[
        list[State] | None,
        typer.Option("--state", help="Only actions in this state (repeat for several)."),
    ] = None,
    window: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=36_500,
            help="Count as due soon what falls due within N days (at most 36500) "
            "[default: up to the next board meeting, else 28 days].",
            show_default=False,
        ),
    ] = None,
    format: StatusFormat = Format.table,
    indicators: Annotated[
        bool,
        typer.Option(
            "--indicators",
            help="List every indicator, not only those that need attention (red, amber, "
            "late data); with --format csv, print the indicators' CSV instead of the "
            "actions' (JSON always has both).",
        ),
    ] = False,
    no_history: Annotated[
        bool,
        typer.Option("--no-history", help="Do not read git history for slip figures (faster)."),
    ] = False,
) -> None:
    """What is overdue, due before the next board, not started or carried forward.

    Examples:
      send-plan status --as-of 2019-11-01
      send-plan status --plan send-improvement-plan-2019 --state overdue --state due-soon
      send-plan status --lead 'designated clinical officer' --format csv > mine.csv
      send-plan status --format csv --indicators > indicators.csv
    """
    day = parse_date(as_of, "--as-of") or common.today()
    from send_plan.tracking import Filters
    from send_plan.tracking import status as compute
    from send_plan.validation import require_valid

    # git first, while this process is small: starting a subprocess from a process
    # holding a large portfolio costs far more
    history = None if no_history else git_slips(plan_paths(paths))
    result = require_valid(plan_paths(paths))
    states = frozenset(state or ())
    filters = Filters(plan=plan, area=area, lead=lead, partner=partner, states=states)
    report = compute(result.portfolio, day, window=window, filters=filters, history=history)
    if format == "table":
        from send_plan.formats.terminal import console, print_status

        print_status(
            report, console(color=common.settings.color), listed=bool(states), indicators=indicators
        )
        return
    echo(FORMATS[format](report, listed=bool(states), indicators=indicators))
