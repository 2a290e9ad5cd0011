"""``send-plan validate``: the format and every rule, with change rules against a base."""

from __future__ import annotations

from typing import Annotated

import typer

from send_plan.cli.common import Paths, echo, exit_with, format_option, plan_paths, say, settings
from send_plan.formats.validate import FORMATS, Format

ValidateFormat = Annotated[Format, format_option()]


def validate(
    paths: Paths = None,
    format: ValidateFormat = Format.text,
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
    """Check plan files against the format and every rule; exit 1 on errors.

    Examples:
      send-plan validate
      send-plan validate plans/wsoa-2018.yaml --format json
      send-plan validate --format github --strict
      send-plan validate --base origin/main --format github
    """
    from send_plan.formats.validate import summary_line
    from send_plan.validation import check

    result = check(plan_paths(paths))
    if base is not None:
        from send_plan.git.gate import judge_change

        result = judge_change(result, plan_paths(paths), base)
    body = FORMATS[format](result, strict=strict)
    if format == "text" and settings.quiet:
        body = "".join(line + "\n" for line in body.splitlines()[:-1])
    echo(body)
    if format != "text":
        say(summary_line(result))
    exit_with(0 if result.success(strict=strict) else 1)
