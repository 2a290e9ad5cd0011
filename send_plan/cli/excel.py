"""``send-plan export`` and ``send-plan import``: Excel in and out.

Thin adapters over :mod:`send_plan.excel`, which (with openpyxl) is imported only
when one of these commands runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from send_plan.cli.common import Paths, echo, fail, parse_date, plan_paths, problem, say, today
from send_plan.errors import EXIT_INVALID, PathError
from send_plan.vocab import PlanKind

ComputedAsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Add computed columns: each action's state, days overdue and late start on "
        "this date, YYYY-MM-DD (ignored on import).",
        show_default=False,
    ),
]


def export(
    plan_id: Annotated[str, typer.Argument(metavar="PLAN_ID", help="The plan to export.")],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="FILE.xlsx", help="The workbook to write."),
    ],
    paths: Paths = None,
    as_of: ComputedAsOf = None,
    force: Annotated[bool, typer.Option(help="Replace an existing workbook.")] = False,
) -> None:
    """Write a plan as an Excel workbook colleagues can use at once.

    Examples:
      send-plan export wsoa-2018 -o wsoa-2018.xlsx
      send-plan export send-improvement-plan-2019 --as-of 2019-11-01 -o board.xlsx
      send-plan export wsoa-2018 plans/ -o wsoa-2018.xlsx --force
    """
    day = parse_date(as_of, "--as-of")
    if output.suffix.lower() != ".xlsx":
        raise typer.BadParameter("give a file name ending .xlsx", param_hint="--output")
    from send_plan.files import refuse_existing

    refuse_existing(output, force=force, reading=plan_paths(paths))
    from send_plan.excel import export_workbook
    from send_plan.files import write_atomic
    from send_plan.validation import require_valid

    result = require_valid(plan_paths(paths))
    plan = result.portfolio.require_plan(plan_id)
    data = export_workbook(plan, as_of=day, portfolio=result.portfolio)
    write_atomic(output, data, force=force, reading=plan_paths(paths))
    actions = sum(len(area.actions) for area in plan.areas)
    computed = f"; state as of {day.isoformat()} in the computed columns" if day else ""
    say(f"wrote {output}: {plan_id}, {len(plan.areas)} area(s), {actions} action(s){computed}")


Workbook = Annotated[
    Path,
    typer.Argument(
        metavar="FILE.xlsx",
        help="A workbook written by send-plan export, or a tracker (with --columns).",
    ),
]

Sheet = Annotated[
    str | None,
    typer.Option(
        metavar="NAME",
        help="The sheet of actions [default: 'Actions', else the first sheet with the "
        "mapped headings].",
        show_default=False,
    ),
]

Columns = Annotated[
    Path | None,
    typer.Option(
        metavar="MAP.yaml",
        help="How to read a tracker: plan field -> column heading, extra status and "
        "RAG spellings (see docs/excel.md).",
    ),
]


def import_(
    workbook: Workbook,
    sheet: Sheet = None,
    columns: Columns = None,
    plan_id: Annotated[
        str | None, typer.Option("--plan-id", metavar="ID", help="The plan's id.")
    ] = None,
    title: Annotated[str | None, typer.Option(metavar="TEXT", help="The plan's title.")] = None,
    local_area: Annotated[
        str | None, typer.Option(metavar="TEXT", help="The local area, e.g. Lancashire.")
    ] = None,
    kind: Annotated[PlanKind | None, typer.Option(help="The kind of plan.")] = None,
    start: Annotated[
        str | None, typer.Option(metavar="DATE", help="The plan's start date, YYYY-MM-DD.")
    ] = None,
    end: Annotated[
        str | None, typer.Option(metavar="DATE", help="The plan's end date, YYYY-MM-DD.")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE.yaml", help="Write the plan to this file, not stdout."
        ),
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing plan file.")] = False,
) -> None:
    """Read a workbook (from export, or a tracker with --columns) into a plan file.

    Examples:
      send-plan import wsoa-2018.xlsx -o plans/wsoa-2018.yaml --force
      send-plan import tracker.xlsx --columns docs/examples/tracker-columns.yaml --plan-id
        wsoa-2018 --local-area Lancashire --kind written-statement-of-action --start 2018-04-25
        --end 2019-01-31 -o plans/wsoa-2018.yaml
    """
    details: dict[str, Any] = {
        "id": plan_id,
        "title": title,
        "local_area": local_area,
        "kind": kind.value if kind is not None else None,
        "start": parse_date(start, "--start"),
        "end": parse_date(end, "--end"),
    }
    if output is not None:
        from send_plan.files import PLAN_SUFFIXES, refuse_existing

        if output.suffix.lower() not in PLAN_SUFFIXES:
            raise typer.BadParameter(
                "give a file name ending .yaml or .yml (plan files)", param_hint="--output"
            )
        refuse_existing(output, force=force, reading=_inputs(workbook, columns))
    from send_plan.excel import import_workbook, load_mapping

    name = str(workbook)
    from send_plan.excel.layout import MAX_UNPACKED_BYTES

    data = _read(workbook, MAX_UNPACKED_BYTES)  # a zip is no larger than its parts unpacked
    mapping = None
    if columns is not None:
        mapping = load_mapping(_read(columns), str(columns))
    result = import_workbook(
        data,
        name=name,
        sheet=sheet,
        mapping=mapping,
        plan_details=details,
        output_name=str(output) if output is not None else "<stdout>",
        today=today(),
    )
    for note in result.notes:
        say(note.line(name))
    if result.text is None:
        for found in result.problems:
            problem(found.line(name))
        count = len(result.problems)
        fail(f"{name}: {count} problem{'s' if count != 1 else ''} found; nothing written")
        raise typer.Exit(EXIT_INVALID)
    if output is None:
        echo(result.text)
        return
    from send_plan.files import write_atomic

    write_atomic(
        output, result.text.encode("utf-8"), force=force, reading=_inputs(workbook, columns)
    )
    say(
        f"wrote {output}: {result.plan_id}, {result.areas} area(s), "
        f"{result.actions} action(s) from {name}"
    )


def _inputs(workbook: Path, columns: Path | None) -> list[Path]:
    """The files import reads, which its output must never replace."""
    return [workbook] if columns is None else [workbook, columns]


def _read(path: Path, most: int | None = None) -> bytes:
    """The file's bytes; refused unread when it is larger than ``most`` bytes."""
    if not path.exists():
        raise PathError(f"{path}: no such file")
    if path.is_dir():
        raise PathError(f"{path}: is a folder, not a file")
    try:
        size = path.stat().st_size
        if most is not None and size > most:
            raise PathError(
                f"{path}: the workbook is {size:,} bytes, more than the {most:,} import reads"
            )
        return path.read_bytes()
    except OSError as exc:
        raise PathError(f"{path}: cannot read: {exc.strerror or exc}") from None
