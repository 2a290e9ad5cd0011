"""The Typer app: global options, every command group registered, the entry point.

Only Typer and the standard library are imported at module level, so that
``send-plan --version`` starts fast; each command imports what it needs when it
runs. Commands live one group per module (validate, status, carry, report,
history, setup, excel), each a thin adapter with a ``register(app)``.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Annotated

import typer

from send_plan import __version__
from send_plan.cli import carry, chase, excel, history, report, setup, site, status, validate
from send_plan.cli.common import echo, settings
from send_plan.controls import one_line
from send_plan.errors import EXIT_USAGE

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


# The order here is the order of --help.
for group in (validate, status, chase, carry, report, site, history, setup, excel):
    group.register(app)


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
            sys.stderr.write(one_line(exc.code) + "\n")
    except KeyboardInterrupt:
        sys.stderr.write("send-plan: interrupted\n")
        code = 130
    except Exception as exc:  # a bug: still no traceback for the user
        if os.environ.get("SEND_PLAN_DEBUG"):
            raise
        sys.stderr.write(
            one_line(
                f"send-plan: internal error: {type(exc).__name__}: {exc} "
                "(set SEND_PLAN_DEBUG=1 for details, and please report it)"
            )
            + "\n"
        )
        code = EXIT_USAGE
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    os._exit(code)
