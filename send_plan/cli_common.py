"""What every command shares: output helpers, error handling, common options.

Kept apart from ``cli.py`` so that command groups in other modules (such as
``cli_excel.py``) can use them without importing the app that registers them.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from send_plan.errors import PlansInvalid, SendPlanError


class _Settings:
    color: bool = True
    quiet: bool = False


settings = _Settings()

F = TypeVar("F", bound=Callable[..., Any])


def echo(text: str) -> None:
    """Output for the user or a script: standard output."""
    sys.stdout.write(text)
    sys.stdout.flush()


def say(text: str) -> None:
    """A message about the run (not its output): standard error, unless --quiet."""
    if not settings.quiet:
        sys.stderr.write(text.rstrip("\n") + "\n")


def fail(text: str) -> None:
    sys.stderr.write(f"send-plan: error: {text}\n")


def handles_errors(func: F) -> F:
    """Turn the one root exception into a message and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PlansInvalid as exc:
            from send_plan.reporters import finding_line, summary_line

            for finding in exc.result.findings:
                sys.stderr.write(finding_line(finding) + "\n")
            fail(f"{summary_line(exc.result)}; fix the errors before reporting on these plans")
            raise typer.Exit(exc.exit_code) from None
        except SendPlanError as exc:
            fail(exc.message)
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


# --------------------------------------------------------------------------- options


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a real date; write YYYY-MM-DD", param_hint=option
        ) from None


def today() -> date:
    """The clock, read in this one place; every command takes --as-of instead."""
    return date.today()


Paths = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Plan files or folders, searched recursively for *.yaml and *.yml [default: plans/]",
        show_default=False,
    ),
]


def _paths(paths: list[Path] | None) -> list[Path]:
    return list(paths) if paths else [Path("plans")]


class KindChoice(StrEnum):
    written_statement_of_action = "written-statement-of-action"
    accelerated_progress_plan = "accelerated-progress-plan"
    improvement_plan = "improvement-plan"
    priority_action_plan = "priority-action-plan"
    other = "other"
