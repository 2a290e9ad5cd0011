"""What every command shares: output helpers, error handling, common options.

Each command module of :mod:`send_plan.cli` imports this one and never the app
that registers it, so any module can be imported on its own.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from send_plan.controls import one_line, visible
from send_plan.errors import PlanNotFound, PlansInvalid, SendPlanError


class _Settings:
    color: bool = True
    quiet: bool = False


settings = _Settings()

F = TypeVar("F", bound=Callable[..., Any])


def echo(text: str) -> None:
    """Output for the user or a script: standard output, as the format wrote it
    (each text format shows control characters as escapes itself, with
    :mod:`send_plan.controls`; JSON stays exact)."""
    sys.stdout.write(text)
    sys.stdout.flush()


def say(text: str) -> None:
    """A message about the run (not its output): standard error, unless --quiet.
    A control character in it (a file name's) is shown as an escape."""
    if not settings.quiet:
        sys.stderr.write(visible(text.rstrip("\n")) + "\n")


def problem(line: str) -> None:
    """One problem found (a finding, a cell of a workbook): one line on standard
    error, even with --quiet."""
    sys.stderr.write(one_line(line) + "\n")


def fail(text: str) -> None:
    """The error that ends the command: one line on standard error."""
    problem(f"send-plan: error: {text}")


def handles_errors(func: F) -> F:
    """Turn the one root exception into a message and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PlansInvalid as exc:
            from send_plan.formats.validate import finding_line, summary_line

            for finding in exc.findings:
                problem(finding_line(finding))
            fail(f"{summary_line(exc)}; fix the errors before reporting on these plans")
            raise typer.Exit(exc.exit_code) from None
        except PlanNotFound as exc:
            # the library does not know option names: say which one picks a plan
            hint = "" if exc.plan_id is not None else "choose a plan with --plan "
            known = f"(plans read: {', '.join(exc.known) or 'none'})"
            fail(exc.message if exc.plan_id is not None else f"{hint}{known}")
            raise typer.Exit(exc.exit_code) from None
        except SendPlanError as exc:
            fail(exc.message)
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


# --------------------------------------------------------------------------- options


def parse_date(value: str | None, option: str) -> date | None:
    """A date option; dates from 1900 to 9000 (docs/limits.md): the computations add
    months and windows to them, and Python's dates end in 9999."""
    if value is None:
        return None
    try:
        if len(value) != 10:
            raise ValueError
        day = date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a real date; write YYYY-MM-DD", param_hint=option
        ) from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise typer.BadParameter(
            f"{value} is outside the dates send-plan works with "
            f"({MIN_DATE.isoformat()} to {MAX_DATE.isoformat()})",
            param_hint=option,
        )
    return day


#: The dates options may give (docs/limits.md).
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(9000, 12, 31)


def today() -> date:
    """The clock, read in this one place; every command takes --as-of instead."""
    return date.today()


def now() -> datetime:
    """The time of day, for what records when it was written (an e-mail's Date:).
    ``SOURCE_DATE_EPOCH`` (seconds since 1970), when set, stands in for the clock,
    so that output can be reproduced byte for byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now().astimezone()


Paths = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Plan files or folders, searched recursively for *.yaml and *.yml [default: plans/]",
        show_default=False,
    ),
]


def plan_paths(paths: list[Path] | None) -> list[Path]:
    """The paths given, or the default plans folder."""
    return list(paths) if paths else [Path("plans")]


AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="The date to report on, YYYY-MM-DD [default: today].",
        show_default=False,
    ),
]

Output = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
]
Force = Annotated[bool, typer.Option(help="Replace an existing output file.")]
OnlyPlan = Annotated[str | None, typer.Option(help="Only this plan (its id).")]


def format_option() -> Any:
    """The ``--format`` option; its type is the command's ``Format`` enum from
    :mod:`send_plan.formats`, whose members are the names of its registry."""
    return typer.Option("--format", "-f", help="Output format.")


def exit_with(code: int) -> None:
    """End the command with ``code`` (an exit status from :mod:`send_plan.errors`)."""
    raise typer.Exit(code)
