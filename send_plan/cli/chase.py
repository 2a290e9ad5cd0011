"""``send-plan chase``: what to ask of each lead before the next board."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from send_plan.cli import common
from send_plan.cli.common import (
    AsOf,
    OnlyPlan,
    Paths,
    echo,
    format_option,
    parse_date,
    plan_paths,
    say,
)
from send_plan.formats.chase import Format

if TYPE_CHECKING:
    from send_plan.chase import Chase

ChaseFormat = Annotated[Format, format_option()]


ReplaceOutput = Annotated[
    bool, typer.Option(help="Replace an existing output file, or a folder that is not empty.")
]


def chase(
    paths: Paths = None,
    as_of: AsOf = None,
    plan: OnlyPlan = None,
    lead: Annotated[
        str | None, typer.Option(help="Only leads whose post contains this text (any case).")
    ] = None,
    contacts: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="YAML mapping of lead (the post, as the plans write it) to e-mail address; "
            "kept outside the plans folder.",
        ),
    ] = None,
    sender: Annotated[
        str | None,
        typer.Option("--from", metavar="ADDRESS", help="The From: address of eml messages."),
    ] = None,
    format: ChaseFormat = Format.md,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="md, json: write to this file, not stdout. eml: the folder to write the "
            "messages into (required).",
        ),
    ] = None,
    force: ReplaceOutput = False,
) -> None:
    """Each lead's list before the board: actions to update, indicators late or red.

    Examples:
      send-plan chase --as-of 2019-11-01
      send-plan chase --plan send-improvement-plan-2019 --format json > chase.json
      send-plan chase --as-of 2020-01-06 --contacts ../contacts.yaml --from
        send.analyst@example.gov.uk --format eml -o chase-2020-01
    """
    day = parse_date(as_of, "--as-of") or common.today()
    from send_plan.contacts import parse_address, read_contacts, refuse_inside_plans
    from send_plan.errors import UsageError
    from send_plan.files import refuse_existing, refuse_folder

    if format is Format.eml and output is None:
        raise UsageError("--format eml writes one message per lead: give the folder with -o DIR")
    if sender is not None:
        try:
            sender = parse_address(sender)
        except ValueError as exc:
            raise UsageError(f"--from: {exc}") from None
    paths_read = plan_paths(paths)
    known = None
    if contacts is not None:
        refuse_inside_plans(contacts, paths_read)
        known = read_contacts(contacts)
    reading = [*paths_read, *([contacts] if contacts is not None else [])]
    if output is not None:
        refuse = refuse_folder if format is Format.eml else refuse_existing
        refuse(output, force=force, reading=reading)

    from send_plan.chase import chase as compute
    from send_plan.validation import require_valid

    result = require_valid(paths_read)
    report = compute(result.portfolio, day, plan=plan, lead=lead, contacts=known)
    _warn(report, known, eml=format is Format.eml)
    if format is Format.eml:
        assert output is not None
        _write_messages(report, output, sender=sender, force=force, reading=reading)
        return
    from send_plan.formats.chase import FORMATS

    text = FORMATS[format](report)
    if output is None:
        echo(text)
        return
    from send_plan.files import write_atomic

    write_atomic(output, text.encode(), force=force, reading=reading)
    say(f"wrote {output}: {len(report.leads)} lead(s) to chase")


def _write_messages(
    report: Chase, folder: Path, *, sender: str | None, force: bool, reading: list[Path]
) -> None:
    from send_plan.files import write_folder_atomic
    from send_plan.formats.eml import messages

    files = messages(report, written=common.now(), sender=sender)
    write_folder_atomic(folder, files, force=force, reading=reading)
    if not files:
        say(f"nothing to chase as of {report.as_of}: {folder}/ holds no messages")
        return
    from send_plan.words import plural

    say(
        f"wrote {plural(len(files), 'message')} to {folder}/, one per lead; nothing was "
        "sent (open them in a mail client to check and send)"
    )


def _warn(report: Chase, known: dict[str, str] | None, *, eml: bool) -> None:
    """Warnings on stderr: leads the contacts file lacks, indicators with no owner."""
    if known is None and eml and report.leads:
        say("warning: no --contacts given: the messages have no To: address")
    if known is not None:
        for digest in report.leads:
            if digest.address is None:
                guess = _written_otherwise(digest.lead, known)
                hint = f" (did you mean '{guess}'?)" if guess else ""
                say(
                    f"warning: '{digest.lead}' is not in the contacts file: "
                    f"{'its message has no To: address' if eml else 'no address'}{hint}"
                )
    if report.unowned:
        ids = ", ".join(f"{i.plan.id}/{i.status.indicator.id}" for i in report.unowned)
        say(
            f"warning: {len(report.unowned)} indicator(s) to chase name no owner, so no lead "
            f"is asked about them: {ids}"
        )


def _written_otherwise(post: str, known: dict[str, str]) -> str | None:
    """The contacts key that names ``post`` with other case or spacing, if any."""

    def folded(text: str) -> str:
        return " ".join(text.split()).casefold()

    return next((key for key in known if folded(key) == folded(post)), None)
