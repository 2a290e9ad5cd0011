"""The Typer app: global options, every command group registered, the entry point.

Only Typer and the standard library are imported at module level, so that
``send-plan --version`` starts fast. Commands live one group per module
(validate, status, chase, carry, report, site, history, setup, excel), each a
thin adapter: a function whose signature is its options and whose docstring is
its help and examples. :data:`COMMANDS` names each command's module and
function, and the top-level group imports and builds a module's commands only
when one of them runs (or ``--help`` lists them) — click's lazy group.
"""

from __future__ import annotations

import functools
import gc
import importlib
import inspect
import os
import sys
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.core
import typer.main

from send_plan import __version__
from send_plan.cli.common import echo, handles_errors, settings
from send_plan.controls import one_line
from send_plan.errors import EXIT_USAGE

if TYPE_CHECKING:
    from typer._click import Command, Context  # click as Typer ships it

#: Every command -> its module in send_plan.cli and the function there. The order
#: is the order of --help. A command's help is its function's docstring; the
#: "Examples:" block that ends it is shown after the options.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("validate", "validate"),
    "status": ("status", "status"),
    "chase": ("chase", "chase"),
    "carry-forward": ("carry", "carry_forward"),
    "report": ("report", "report"),
    "site": ("site", "site"),
    "changes": ("history", "changes"),
    "history": ("history", "history"),
    "init": ("setup", "init"),
    "revisit": ("setup", "revisit"),
    "schema": ("setup", "schema"),
    "export": ("excel", "export"),
    "import": ("excel", "import_"),
}

#: What the commands' own Typer needs from the app's settings.
_TYPER_SETTINGS: dict[str, object] = {
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,
}


def help_and_examples(doc: str) -> tuple[str, list[str]]:
    """A command's docstring split into its help and its examples, one a line (a
    line indented further continues the example above it)."""
    text, _, block = doc.partition("\nExamples:\n")
    examples: list[str] = []
    for line in block.splitlines():
        if line.startswith("    ") and examples:
            examples[-1] += " " + line.strip()
        elif line.strip():
            examples.append(line.strip())
    return text.strip(), examples


@functools.cache
def _commands_of(module: str) -> dict[str, Command]:
    """The click commands of one module, built the first time one is asked for."""
    group = typer.Typer(**_TYPER_SETTINGS)  # type: ignore[arg-type]
    code = importlib.import_module(f"send_plan.cli.{module}")
    for name, (where, function) in COMMANDS.items():
        if where == module:
            callback = getattr(code, function)
            text, lines = help_and_examples(inspect.getdoc(callback) or "")
            epilog = "Examples:\n\n" + "\n\n".join(f"  {line}" for line in lines)
            group.command(name=name, help=text, epilog=epilog)(handles_errors(callback))
    return dict(typer.main.get_group(group).commands)


class _LazyCommands(MutableMapping[str, "Command"]):
    """The top-level group's commands: every name known, each built when looked up."""

    def __init__(self) -> None:
        self._added: dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        if name in self._added:
            return self._added[name]
        return _commands_of(COMMANDS[name][0])[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._added[name] = command

    def __delitem__(self, name: str) -> None:
        del self._added[name]

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from (name for name in self._added if name not in COMMANDS)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _LazyGroup(typer.core.TyperGroup):
    """The top-level group: a command's module is imported when the command runs
    (and for ``--help``, which lists them all); the names alone serve suggestions."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _LazyCommands()

    def list_commands(self, ctx: Context) -> list[str]:
        return list(self.commands)


app = typer.Typer(
    name="send-plan",
    cls=_LazyGroup,
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


def main() -> None:
    """The console script: run, flush, and exit without tearing down the heap.

    Freeing a large portfolio's objects one by one at exit costs more than the
    work itself on big plans, and nothing is left to clean up, so exit at once.
    Standard output and error are guarded first (:mod:`send_plan.cli.streams`):
    closed, broken, full or size-limited, they end in one line and a documented
    exit status, never a traceback.
    """
    from send_plan.cli import streams

    streams.install()
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
    drawing = sys.modules.get("send_plan.render.worker")
    if drawing is not None:
        drawing.close_all()  # os._exit skips atexit: a chart worker ends here, never after
    os._exit(streams.finish(code))
