"""Docs that cannot drift: the command reference is the CLI's own --help text.

Regenerate after changing a command:  UPDATE_DOCS=1 pytest tests/test_docs.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import typer
from typer.testing import CliRunner

from send_plan.cli import app
from send_plan.findings import CODES

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "commands.md"
runner = CliRunner()
ENV = {"COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1"}


def commands() -> dict[str, object]:
    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


def help_text(*args: str) -> str:
    result = runner.invoke(app, [*args, "--help"], env=ENV)
    assert result.exit_code == 0, result.output
    return result.stdout.rstrip() + "\n"


def reference() -> str:
    parts = [
        "# Command reference\n",
        "Generated from the command line's own `--help` text by `tests/test_docs.py`",
        "(`UPDATE_DOCS=1 pytest tests/test_docs.py`); a test fails when the two differ.\n",
        "Exit status for every command: 0 done; 1 the plans have errors; 2 usage error,",
        "unreadable path, unknown plan or action id, refused overwrite.\n",
        "Shell completion: `send-plan --install-completion` (bash, zsh, fish, PowerShell).\n",
        "## send-plan\n",
        "```text\n" + help_text() + "```\n",
    ]
    for name in commands():
        parts += [f"## send-plan {name}\n", "```text\n" + help_text(name) + "```\n"]
    return "\n".join(parts)


def test_command_reference_is_current() -> None:
    text = reference()
    if os.environ.get("UPDATE_DOCS"):
        REFERENCE.write_text(text, encoding="utf-8")
    assert REFERENCE.read_text(encoding="utf-8") == text, (
        "run UPDATE_DOCS=1 pytest tests/test_docs.py"
    )


def test_every_command_has_a_one_line_help_and_examples() -> None:
    for name, command in commands().items():
        short = (command.help or "").strip()  # type: ignore[attr-defined]
        assert short, f"{name} has no help"
        assert "\n" not in short, f"{name}: the help is one line"
        assert "Examples:" in (command.epilog or ""), f"{name} has no examples"  # type: ignore[attr-defined]


def test_readme_lists_every_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in commands():
        assert f"`send-plan {name}" in readme, f"README does not mention send-plan {name}"


def test_every_code_is_explained_in_troubleshooting() -> None:
    text = (ROOT / "docs" / "troubleshooting.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^## ([EW]\d{3})\b", text, flags=re.MULTILINE))
    assert sorted(set(CODES) - documented) == []
