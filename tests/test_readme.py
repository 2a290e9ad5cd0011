"""Every command the README and the docs pages show runs as shown, with the output shown.

The convention (docs/console-examples.md says the same for writers):

* A fenced block opened with ```console is a terminal session. A line starting
  with ``$ `` is a command; the lines after it, up to the next command or the
  end of the block, are what it prints (standard output and standard error
  together, as a terminal shows them). A block may be indented (in a list).
* A line holding only ``...`` stands for any number of lines, so a long output
  can be shown in part: the lines before the first ``...`` open the output, the
  lines after the last one end it, and each group in between appears in order.
* A page's commands run in order in one fresh temporary folder holding a copy
  of ``plans/``, ``templates/`` and ``docs/examples/``, as in the root of a
  fresh clone. ``cd
  DIR`` changes folder for the commands after it; every other command runs in
  bash, with this package's ``send-plan`` first on PATH, ``COLUMNS=100`` (Rich
  tables wrap the same everywhere) and ``NO_COLOR=1``.
* Before comparing, only what must vary is normalised: version numbers
  (``0.1.0`` -> ``<version>``), commit ids (7 to 40 hex digits), the temporary
  folder's path, and spaces at the ends of lines.
* ```sh and ```text blocks are not run: installation, the test suite, syntax.
  No line outside a console block may start with ``$ `` (so nothing shown
  escapes the test), except on the pages in NOT_RUN.
* ``<!-- file: PATH -->`` on the line before a fenced block says the block
  shows the file PATH (from the repository's root) in full: the two must match.

When outputs change on purpose (the example plans will change), refresh them:

    SEND_PLAN_UPDATE_README=1 pytest tests/test_readme.py

which rewrites each shown output from the real one (keeping each ``...`` and
the group after it where its first line is found), then read the diff.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UPDATE = bool(os.environ.get("SEND_PLAN_UPDATE_README"))
ELLIPSIS = "..."
#: Pages whose examples are not run yet, and why.
NOT_RUN = {
    "troubleshooting.md": "its examples are variants of one small plan that are not files yet",
}

_FENCE = re.compile(r"^(?P<indent>\s*)```(?P<lang>[\w-]*)\s*$")
_FILE = re.compile(r"^\s*<!-- file: (?P<path>\S+) -->\s*$")
_VERSION = re.compile(r"(?<![\w.])\d+\.\d+\.\d+(?:\.dev\d+|(?:a|b|rc)\d+)?(?![\w.])")
_COMMIT = re.compile(
    r"(?<![\w-])(?=[0-9a-f]{0,39}[a-f])(?=[0-9a-f]{0,39}\d)[0-9a-f]{7,40}(?![\w-])"
)


@dataclass
class Command:
    text: str
    expected: list[str]
    first: int  # index in the page's lines of the first output line
    indent: str


@dataclass
class Block:
    lang: str
    indent: str
    start: int  # index of the opening fence
    lines: list[str]  # the content, indent removed


def blocks(lines: list[str]) -> list[Block]:
    found = []
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        indent = opening["indent"]
        j = i + 1
        while j < len(lines) and lines[j].strip() != "```":
            j += 1
        body = [
            line[len(indent) :] if line.startswith(indent) else line for line in lines[i + 1 : j]
        ]
        found.append(Block(opening["lang"], indent, i, body))
        i = j + 1
    return found


def commands(lines: list[str]) -> list[Command]:
    out: list[Command] = []
    for block in blocks(lines):
        if block.lang != "console":
            continue
        current: Command | None = None
        for k, line in enumerate(block.lines):
            if line.startswith("$ "):
                current = Command(line[2:], [], block.start + 2 + k, block.indent)
                out.append(current)
            elif current is not None:
                current.expected.append(line)
            else:
                raise AssertionError(f"line {block.start + 2 + k}: output before any command")
    return out


def normalise(text: str, folder: Path) -> list[str]:
    for where in {str(folder.resolve()), str(folder)}:
        text = text.replace(where, "<folder>")
    text = _COMMIT.sub("<commit>", _VERSION.sub("<version>", text))
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def matches(expected: list[str], actual: list[str]) -> bool:
    groups = _groups(expected)
    if len(groups) == 1:
        return actual == groups[0]
    head, *middle, tail = groups
    if actual[: len(head)] != head or len(actual) < len(head) + len(tail):
        return False
    if tail and actual[-len(tail) :] != tail:
        return False
    at, end = len(head), len(actual) - len(tail)
    for group in middle:
        at = _find(actual, group, at, end)
        if at < 0:
            return False
        at += len(group)
    return True


def refreshed(expected: list[str], actual: list[str]) -> list[str]:
    """The shown output rewritten from the real one, keeping its ``...``."""
    groups = _groups(expected)
    if len(groups) == 1 or len(actual) < len(groups[0]) + len(groups[-1]):
        return actual
    head, *middle, tail = groups
    out = [*actual[: len(head)], ELLIPSIS]
    at = len(head)
    for group in middle:
        start = next((k for k in range(at, len(actual)) if group and actual[k] == group[0]), -1)
        if start >= 0:
            out += [*actual[start : start + len(group)], ELLIPSIS]
            at = start + len(group)
    return out + (actual[-len(tail) :] if tail else [])


def _groups(expected: list[str]) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    for line in expected:
        if line.strip() == ELLIPSIS:
            groups.append([])
        else:
            groups[-1].append(line)
    return groups


def _find(actual: list[str], group: list[str], start: int, end: int) -> int:
    for k in range(start, end - len(group) + 1):
        if actual[k : k + len(group)] == group:
            return k
    return -1


# --------------------------------------------------------------------------- running


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "SEND_PLAN_"))}
    env.update(
        PATH=str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", ""),
        COLUMNS="100",
        NO_COLOR="1",
        TERM="dumb",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
    )
    return env


def fresh_folder(tmp_path: Path) -> Path:
    """The root of a fresh clone, as far as the examples use it."""
    folder = tmp_path / "clone"
    shutil.copytree(ROOT / "plans", folder / "plans")
    shutil.copytree(ROOT / "templates", folder / "templates")
    shutil.copytree(ROOT / "docs" / "examples", folder / "docs" / "examples")
    return folder


def run_page(page: Path, tmp_path: Path) -> list[str]:
    """Run the page's commands; return the problems (and rewrite the page in update mode)."""
    lines = page.read_text(encoding="utf-8").split("\n")
    folder = fresh_folder(tmp_path)
    cwd, env = folder, environment()
    assert shutil.which("send-plan", path=env["PATH"]), "install the package: pip install -e ."
    problems, updates = [], []
    for command in commands(lines):
        change = re.fullmatch(r"cd\s+(\S+)", command.text.strip())
        if change:
            cwd = (cwd / change[1]).resolve()
            output = ""
        else:
            done = subprocess.run(
                ["bash", "-c", command.text],
                cwd=cwd,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                timeout=300,
                check=False,
            )
            output = done.stdout.decode("utf-8", "replace")
        actual = normalise(output, folder)
        expected = normalise("\n".join(command.expected), folder)
        if not matches(expected, actual):
            new = refreshed(command.expected, output_lines(output, folder))
            updates.append((command, new))
            diff = "\n".join(difflib.unified_diff(expected, actual, "shown", "real", lineterm=""))
            problems.append(f"{page.name}:{command.first}: $ {command.text}\n{diff}")
    if UPDATE and updates:
        for command, new in reversed(updates):
            end = command.first + len(command.expected)
            lines[command.first : end] = [command.indent + line if line else line for line in new]
        page.write_text("\n".join(lines), encoding="utf-8")
    return problems


def output_lines(output: str, folder: Path) -> list[str]:
    """Real output as it is shown: the folder normalised, ends of lines trimmed."""
    for where in {str(folder.resolve()), str(folder)}:
        output = output.replace(where, "<folder>")
    lines = [line.rstrip() for line in output.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def pages() -> list[Path]:
    found = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return [p for p in found if "```console" in p.read_text(encoding="utf-8")]


@pytest.mark.skipif(shutil.which("bash") is None, reason="the examples run in bash")
@pytest.mark.parametrize("page", pages(), ids=lambda p: p.name)
def test_the_page_runs_as_shown(page: Path, tmp_path: Path) -> None:
    problems = run_page(page, tmp_path)
    if UPDATE:
        return
    assert not problems, (
        "\n\n".join(problems)
        + "\n\nrefresh with SEND_PLAN_UPDATE_README=1 pytest tests/test_readme.py"
    )


def test_the_readme_s_tour_is_run() -> None:
    assert ROOT / "README.md" in pages()
    shown = [c.text for c in commands((ROOT / "README.md").read_text(encoding="utf-8").split("\n"))]
    assert any(c.startswith("send-plan init --demo") for c in shown)
    assert any(c.startswith("send-plan changes --since") for c in shown)
    assert any(c.startswith("send-plan history") for c in shown)
    assert any(c.startswith("send-plan report board-summary") for c in shown)


@pytest.mark.parametrize(
    "page", [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))], ids=lambda p: p.name
)
def test_nothing_shown_escapes_the_test(page: Path) -> None:
    """Commands with output are shown only in console blocks, and shown files are the files."""
    lines = page.read_text(encoding="utf-8").split("\n")
    for block in blocks(lines):
        shown = _FILE.match(lines[block.start - 1]) if block.start else None
        if shown:
            text = (ROOT / shown["path"]).read_text(encoding="utf-8")
            assert "\n".join(block.lines) + "\n" == text, f"{page.name}: {shown['path']}"
        if block.lang == "console" or page.name in NOT_RUN:
            continue
        prompts = [line for line in block.lines if line.startswith("$ ")]
        assert not prompts, (
            f"{page.name}:{block.start + 1}: use a ```console block for {prompts[0]}"
        )


def test_ellipsis_matching() -> None:
    assert matches(["a", "...", "z"], ["a", "b", "c", "z"])
    assert matches(["a", "...", "c", "...", "z"], ["a", "b", "c", "d", "z"])
    assert matches(["a", "..."], ["a"])
    assert not matches(["a", "...", "c", "...", "z"], ["a", "b", "d", "z"])
    assert not matches(["a", "b"], ["a", "b", "c"])
    assert refreshed(["a", "...", "c", "x", "...", "z"], ["A", "b", "c", "d", "y", "Z"]) == [
        "A", "...", "c", "d", "...", "Z",
    ]  # fmt: skip
