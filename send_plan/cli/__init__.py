"""The command line: a thin Typer adapter over the library, one module per command
group (see :mod:`send_plan.cli.app`)."""

from send_plan.cli.app import app, main

__all__ = ["app", "main"]
