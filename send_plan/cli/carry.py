"""``send-plan carry-forward``: a draft successor for a plan that is closing."""

from __future__ import annotations

from typing import Annotated

import typer

from send_plan import words
from send_plan.cli.common import Force, Output, Paths, echo, parse_date, plan_paths, say, today
from send_plan.vocab import PlanKind


def carry_forward(
    plan_id: Annotated[str, typer.Argument(metavar="PLAN_ID", help="The plan being closed.")],
    to: Annotated[str, typer.Option("--to", metavar="NEW_ID", help="The new plan's id.")],
    paths: Paths = None,
    title: Annotated[str | None, typer.Option(help="The new plan's title.")] = None,
    kind: Annotated[
        PlanKind | None,
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
    due: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="A new deadline for carried actions already past due when the new plan "
            "starts (recorded under 'rescheduled').",
        ),
    ] = None,
    output: Output = None,
    force: Force = False,
) -> None:
    """Write a draft successor plan holding every open action not yet carried forward.

    Examples:
      send-plan carry-forward wsoa-2018 --to send-improvement-plan-2019
      send-plan carry-forward wsoa-2018 --to app-2020 --kind accelerated-progress-plan --start
        2020-06-01 --end 2021-05-31 -o plans/app-2020.yaml
    """
    start_day = parse_date(start, "--start")
    end_day = parse_date(end, "--end")
    due_day = parse_date(due, "--due")
    from send_plan.files import refuse_existing

    if output is not None:
        refuse_existing(output, force=force, reading=plan_paths(paths))
    from send_plan.carry import blocking_findings
    from send_plan.carry import carry_forward as build
    from send_plan.errors import PlansInvalid
    from send_plan.validation import check

    result = check(plan_paths(paths))
    blocking = blocking_findings(result, plan_id)
    if blocking:
        raise PlansInvalid(blocking, result.files)
    successor = build(
        result.portfolio,
        plan_id,
        to,
        today=today(),
        title=title,
        kind=kind,
        start=start_day,
        end=end_day,
        due=due_day,
        name=str(output) if output else "<stdout>",
    )
    if successor is None:
        say(f"nothing to carry: every open action of {plan_id} is already carried forward")
        return
    if output is None:
        echo(successor.text)
    else:
        from send_plan.files import write_atomic

        write_atomic(output, successor.text.encode(), force=force, reading=plan_paths(paths))
        say(f"wrote {output}: {len(successor.carried)} action(s) carried from {plan_id}")
    if successor.past_due:
        listed = words.listed(successor.past_due, 8)
        if successor.new_due is not None:
            say(
                f"new deadline {successor.new_due} for {len(successor.past_due)} action(s) "
                f"already past due, recorded under 'rescheduled': {listed}"
            )
        else:
            say(
                f"warning: {len(successor.past_due)} carried action(s) are already past due "
                f"when the new plan starts: {listed}; give --due DATE to set a new deadline"
            )
    source = result.portfolio.plan(plan_id)
    if source is not None and source.plan.successor != to:
        say(f"next: set 'successor: {to}' in {plan_id}'s plan block when you close it")
