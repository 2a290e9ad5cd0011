"""Output formats for ``validate``: a registry of pure ``format(result) -> str``.

``text`` for people, ``json`` (the contract in docs/commands.md) for scripts,
``github`` for inline annotations on a pull request.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from send_plan.controls import one_line, visible

if TYPE_CHECKING:
    from send_plan.findings import Finding
    from send_plan.validation import CheckResult


class Tally(Protocol):
    """What a summary line counts: a CheckResult, or the error that refuses one."""

    @property
    def files(self) -> tuple[str, ...]: ...
    @property
    def error_count(self) -> int: ...
    @property
    def warning_count(self) -> int: ...


def finding_line(f: Finding) -> str:
    """One finding, on one line whatever its path, ids and message hold: a line
    break or a control character (from a file name, or from a file that fails
    validation) is shown as an escape (``\\n``, ``\\u001b``), never acted on."""
    ident = " ".join(part for part in (f.plan, f.object) if part)
    where = f" [{ident}]" if ident else ""
    return one_line(f"{f.path}:{f.line}:{f.column}: {f.severity.value} {f.code}{where} {f.message}")


def summary_line(result: Tally) -> str:
    files = len(result.files)
    errors, warnings = result.error_count, result.warning_count
    return (
        f"{files} file{'s' if files != 1 else ''} checked: "
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )


def format_text(result: CheckResult, *, strict: bool = False) -> str:
    lines = [finding_line(f) for f in result.findings]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def format_json(result: CheckResult, *, strict: bool = False) -> str:
    document = {
        "ok": result.success(strict=strict),
        "files": list(result.files),
        "findings": [f.as_dict() for f in result.findings],
        "summary": {"errors": result.error_count, "warnings": result.warning_count},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    """GitHub's escaping of a workflow command's message (``%``, CR, LF), then every
    other control character shown as an escape, so that nothing in a file name or
    a file's text can end the command or forge another."""
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(result: CheckResult, *, strict: bool = False) -> str:
    """GitHub Actions workflow commands: inline annotations on pull requests."""
    lines = []
    for f in result.findings:
        ident = " ".join(part for part in (f.plan, f.object) if part)
        message = f"[{ident}] {f.message}" if ident else f.message
        lines.append(
            f"::{f.severity.value} file={_escape_property(f.path)},line={f.line},"
            f"col={f.column},title={_escape_property(f.code)}::{_escape_data(message)}"
        )
    return "".join(line + "\n" for line in lines)


class Format(StrEnum):
    """The names of :data:`FORMATS`, for the command line's choices."""

    text = "text"
    json = "json"
    github = "github"


#: Each takes the result and ``strict`` (whether warnings fail the check).
FORMATS: dict[str, Callable[..., str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
}
