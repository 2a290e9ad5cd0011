"""The commands around the plans: ``init`` (start a plan repository), ``revisit``
(the timetable of an Ofsted/CQC revisit) and ``schema`` (the format for editors)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from send_plan.cli.common import Force, Output, echo, format_option, parse_date, say
from send_plan.formats.revisit import FORMATS, Format


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
    """Start a plan repository: an example plan, pre-commit, a CI workflow, a README.

    Examples:
      send-plan init
      send-plan init my-area-plans && cd my-area-plans && send-plan validate
      send-plan init --demo demo && cd demo && send-plan changes --since 2019-09-17
    """
    if demo:
        from send_plan.demo import build, report

        say(report(build(folder)))
        return
    from send_plan.scaffold import init as scaffold

    for outcome in scaffold(folder):
        say(f"{'created' if outcome.created else 'kept   '} {outcome.path}")


def revisit(
    notified: Annotated[
        str, typer.Option(metavar="DATE", help="The day Ofsted's notice arrived, YYYY-MM-DD.")
    ],
    onsite_days: Annotated[int, typer.Option(min=2, max=4, help="Days on site (2 to 4).")] = 4,
    format: Annotated[Format, format_option()] = Format.text,
) -> None:
    """When a revisit will be on site and its letter due, in England's working days.

    Examples:
      send-plan revisit --notified 2020-02-24 --onsite-days 4
      send-plan revisit --notified 2020-02-24 --format json
    """
    day = parse_date(notified, "--notified")
    assert day is not None  # the option is required
    from send_plan.workdays import revisit as timetable

    echo(FORMATS[format](timetable(day, onsite_days)))


def schema(output: Output = None, force: Force = False) -> None:
    """Print the JSON Schema of the plan format, for editors and other tools.

    Examples:
      send-plan schema > plan.schema.json
      send-plan schema -o plans/plan.schema.json --force
    """
    import json

    from send_plan.model import json_schema

    text = json.dumps(json_schema(), indent=2) + "\n"
    if output is None:
        echo(text)
        return
    from send_plan.files import write_atomic

    write_atomic(output, text.encode(), force=force)
    say(f"wrote {output}")
