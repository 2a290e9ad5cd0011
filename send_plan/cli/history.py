"""``send-plan changes`` and ``send-plan history``: the plans' life in git."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from send_plan.cli.common import Paths, echo, format_option, plan_paths, say, settings
from send_plan.formats.changes import FORMATS as CHANGES_FORMATS
from send_plan.formats.changes import Format as ChangesFormat
from send_plan.formats.history import FORMATS as HISTORY_FORMATS
from send_plan.formats.history import Format as HistoryFormat

if TYPE_CHECKING:
    from send_plan.revisions import Slip


def changes(
    since: Annotated[
        str, typer.Option(metavar="REV", help="A commit, tag or branch, or a date YYYY-MM-DD.")
    ],
    until: Annotated[
        str | None, typer.Option(metavar="REV", help="Up to this revision [default: HEAD].")
    ] = None,
    paths: Paths = None,
    format: Annotated[ChangesFormat, format_option()] = ChangesFormat.table,
) -> None:
    """What changed in the plans between two git revisions.

    Examples:
      send-plan changes --since 2019-01-15
      send-plan changes --since v1.0 --until HEAD --format json
    """
    from send_plan.formats.terminal import print_changes
    from send_plan.git.changes import changes_between

    _show(
        changes_between(plan_paths(paths), since, until), CHANGES_FORMATS.get(format), print_changes
    )


def history(
    ref: Annotated[str, typer.Argument(metavar="PLAN_ID/ACTION_ID", help="The action.")],
    paths: Paths = None,
    format: Annotated[HistoryFormat, format_option()] = HistoryFormat.table,
) -> None:
    """The life of one action in git: every change to its status, RAG, deadline or lead.

    Examples:
      send-plan history wsoa-2018/SW6.2
      send-plan history send-improvement-plan-2019/P3.2 --format json
    """
    from send_plan.formats.terminal import print_history
    from send_plan.git.timeline import action_history

    _show(action_history(plan_paths(paths), ref), HISTORY_FORMATS.get(format), print_history)


def _show(found: Any, formatter: Callable[[Any], str] | None, view: Callable[..., None]) -> None:
    """Warnings to stderr; then the formatted result, or the terminal view."""
    for warning in found.warnings:
        say(f"warning: {warning}")
    if formatter is not None:
        echo(formatter(found))
    else:
        from send_plan.formats.terminal import console

        view(found, console(color=settings.color))


def git_slips(paths: list[Path]) -> dict[tuple[str, str], Slip] | None:
    """Slip figures from git when the plans are in a repository, else None."""
    from send_plan.git.plumbing import GitError
    from send_plan.git.timeline import slips

    try:
        return slips(paths)
    except GitError:
        return None
