"""The package's shape, checked: the layers of docs/architecture.md stay true.

Sizes (no module over 600 lines, no class over 200, no function over 100), each
module importable on its own in a fresh interpreter (no import cycle hidden by
import order), Typer only in the command line, Rich in one module, git run from
one module, the rules run from the validation pipeline only, and the render
layer never reaching back into git or the command line.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "send_plan"
SOURCES = sorted(PACKAGE.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module the file imports, at any depth (lazy imports included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def importers_of(prefix: str) -> set[str]:
    return {
        module_name(path)
        for path in SOURCES
        if any(name == prefix or name.startswith(prefix + ".") for name in imports_of(path))
    }


def test_no_module_class_or_function_is_too_long() -> None:
    too_long = []
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines > 600:
            too_long.append(f"{module_name(path)}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                length = node.end_lineno - node.lineno + 1
                limit = 200 if isinstance(node, ast.ClassDef) else 100
                if length > limit:
                    too_long.append(f"{module_name(path)}.{node.name}: {length} lines")
    assert not too_long


def test_every_module_says_what_it_owns() -> None:
    missing = [
        module_name(path)
        for path in SOURCES
        if path.name != "__main__.py" and ast.get_docstring(ast.parse(path.read_text())) is None
    ]
    assert not missing


@pytest.mark.parametrize("module", [module_name(p) for p in SOURCES if p.name != "__main__.py"])
def test_every_module_imports_on_its_own(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_typer_only_in_the_command_line() -> None:
    assert {m for m in importers_of("typer") if not m.startswith("send_plan.cli")} == set()


def test_rich_in_one_module() -> None:
    assert importers_of("rich") == {"send_plan.formats.terminal"}


def test_one_module_runs_git() -> None:
    assert importers_of("subprocess") == {"send_plan.git.plumbing"}


def test_rules_run_from_the_validation_pipeline_only() -> None:
    runners = {
        module_name(path)
        for path in SOURCES
        if "run_rules(" in path.read_text() and not path.match("rules/__init__.py")
    }
    assert runners == {"send_plan.validation"}


def test_the_render_layer_never_reaches_back() -> None:
    render = {module_name(p) for p in (PACKAGE / "render").rglob("*.py")}
    for module in render:
        path = PACKAGE.parent / (module.replace(".", "/") + ".py")
        if not path.exists():
            path = PACKAGE.parent / module.replace(".", "/") / "__init__.py"
        reached = {
            name
            for name in imports_of(path)
            if name.startswith(("send_plan.cli", "send_plan.git"))
            or name in ("typer", "rich", "subprocess")
        }
        assert not reached, f"{module} imports {reached}"


def test_core_modules_never_import_the_command_line() -> None:
    outside = {m for m in importers_of("send_plan.cli") if not m.startswith("send_plan.cli")}
    assert outside <= {"send_plan.entry"}


def test_every_command_is_in_the_table_with_its_help_and_examples() -> None:
    """``COMMANDS`` names a function with a docstring ending in examples for every
    command, and every command module holds at least one of them."""
    import importlib
    import inspect

    from send_plan.cli.app import COMMANDS, help_and_examples

    for name, (module, function) in COMMANDS.items():
        callback = getattr(importlib.import_module(f"send_plan.cli.{module}"), function)
        text, examples = help_and_examples(inspect.getdoc(callback) or "")
        assert text, name
        assert examples, name
        assert all(line.startswith(f"send-plan {name}") or "&&" in line for line in examples)
    helpers = {"__init__", "app", "common", "streams"}
    modules = {p.stem for p in (PACKAGE / "cli").glob("*.py")} - helpers
    assert modules == {module for module, _ in COMMANDS.values()}


def test_examples_continue_on_lines_indented_further() -> None:
    from send_plan.cli.app import help_and_examples

    doc = "Do it.\n\nMore.\n\nExamples:\n  send-plan x --a\n    --b\n  send-plan x\n"
    assert help_and_examples(doc) == ("Do it.\n\nMore.", ["send-plan x --a --b", "send-plan x"])


_LOADED_COMMAND_MODULES = (
    "import sys\n"
    "from typer.testing import CliRunner\n"
    "from send_plan.cli.app import app\n"
    "result = CliRunner().invoke(app, sys.argv[1:])\n"
    "assert result.exit_code == 0, result.output\n"
    "print(' '.join(sorted(m for m in sys.modules if m.startswith('send_plan.cli.'))))\n"
)


@pytest.mark.parametrize(
    ("argv", "modules"),
    [
        (["--version"], "send_plan.cli.app send_plan.cli.common"),
        (
            ["validate", str(PACKAGE.parent / "plans")],
            "send_plan.cli.app send_plan.cli.common send_plan.cli.validate",
        ),
    ],
)
def test_a_command_imports_only_its_own_module(argv: list[str], modules: str) -> None:
    """Start-up: the command line builds only the command that runs (click's lazy
    group), so ``--version`` and ``validate`` pay for no other command's imports."""
    out = subprocess.run(
        [sys.executable, "-c", _LOADED_COMMAND_MODULES, *argv],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == modules
