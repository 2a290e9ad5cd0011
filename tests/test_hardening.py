"""Hostile and careless input: nothing crashes, hangs, leaks or phones home."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import time
import tracemalloc
from pathlib import Path

import pytest
from docx_checks import assert_accessible
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from send_plan.cli import app
from send_plan.limits import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parent.parent
WSOA = (ROOT / "plans" / "wsoa-2018.yaml").read_text(encoding="utf-8")
runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_a_200_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as out:  # sparse: takes no disk space
        out.truncate(200 * 1024 * 1024)
    tracemalloc.start()
    start = time.perf_counter()
    code, out, _ = invoke("validate", str(huge))
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert code == 1
    assert "E007" in out
    assert elapsed < 2.0
    assert peak < 20 * 1024 * 1024


def test_one_enormous_line_over_the_limit_is_refused(tmp_path: Path) -> None:
    line = tmp_path / "line.yaml"
    with line.open("wb") as out:
        out.write(b"title: ")
        out.truncate(MAX_FILE_BYTES + 1)
    code, out, _ = invoke("validate", str(line))
    assert code == 1
    assert "E007" in out


def test_names_with_spaces_and_non_ascii(tmp_path: Path) -> None:
    folder = tmp_path / "plans à la carte"
    folder.mkdir()
    (folder / "plan d'amélioration.yaml").write_text(WSOA, encoding="utf-8")
    code, out, _ = invoke("validate", str(folder), "--format", "json")
    assert code == 0  # warnings only: its successor is not among the files read
    assert "plan d'amélioration.yaml" in out


def test_a_folder_named_like_a_plan_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "folder.yaml").mkdir()
    (tmp_path / "folder.yaml" / "inner.yaml").write_text(WSOA, encoding="utf-8")
    code, out, _ = invoke("validate", str(tmp_path), "--format", "json")
    assert code == 0
    assert "folder.yaml/inner.yaml" in out


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_exits_2(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(WSOA)
    plan.chmod(0)
    code, _, err = invoke("validate", str(tmp_path))
    assert code == 2
    assert "cannot read" in err


def test_output_to_a_folder_or_a_read_only_place_fails_cleanly(tmp_path: Path) -> None:
    plans = str(ROOT / "plans")
    code, _, err = invoke("report", "appendix-b", plans, "--plan", "wsoa-2018", "-o", str(tmp_path))
    assert code == 2
    assert "is a folder" in err
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.geteuid() != 0:
            code, _, err = invoke(
                "report", "appendix-b", plans, "--plan", "wsoa-2018", "-o", str(locked / "b.md")
            )
            assert code == 2
            assert "cannot write" in err
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_no_command_opens_a_network_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    plans = str(ROOT / "plans")
    for args in (
        ["validate", plans],
        ["status", plans, "--as-of", "2019-11-01", "-f", "json"],
        [
            "report",
            "board-summary",
            plans,
            "--plan",
            "send-improvement-plan-2019",
            "-f",
            "docx",
            "-o",
            str(tmp_path / "b.docx"),
        ],
        ["report", "appendix-b", plans, "--plan", "wsoa-2018", "-f", "html"],
        ["carry-forward", "wsoa-2018", "--to", "x", str(ROOT / "plans" / "wsoa-2018.yaml")],
        ["revisit", "--notified", "2020-02-24"],
        ["schema"],
        ["init", str(tmp_path / "new")],
    ):
        code, _, err = invoke(*args)
        assert code == 0, (args, err)
    assert_accessible((tmp_path / "b.docx").read_bytes())


LINES = WSOA.splitlines(keepends=True)
#: What hostile text is made of: control characters (ESC, C1, DEL, NUL, a bare
#: CR), bidirectional controls, Unicode line breaks, what Rich, Markdown, HTML,
#: matplotlib and spreadsheets read as syntax, YAML's escapes, and non-ASCII.
HOSTILE = (
    "\x1b", "\x1b[2J", "\x9b", "\x85", "\x7f", "\x00", "\x07", "\r", "\n", "\t",
    "\u202e", "\u2066", "\u2028", "\ufeff", "[", "]", "[/Draft]", "[link=http://e]",
    "$", "$x$", "<", "<script>", "|", "#", "- ", "1. ", "```", "=", "\\e", "\\x9b", '"',
    "é", "ü", "字", "😀",
)  # fmt: skip
hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=3)), max_size=8).map(
    "".join
)
#: File names: anything a file system takes (no '/' or NUL), controls included.
hostile_names = (
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=3)), max_size=6)
    .map(lambda parts: "".join(parts).replace("/", "_").replace("\x00", "_"))
    .map(lambda stem: (stem or "plan")[:60] + ".yaml")
)


@st.composite
def mutated_plans(draw: st.DrawFn) -> str:
    """The example plan with a few lines deleted, duplicated, cut or scrambled, or
    hostile text spliced into a line (so that the file often still reads, and the
    text reaches every output)."""
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(
            st.sampled_from(["delete", "duplicate", "cut", "replace", "indent", "splice"])
        )
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))] + "\n"
        elif action == "replace":
            lines[i] = draw(hostile_text) + "\n"
        elif action == "splice":
            at = draw(st.integers(0, len(lines[i].rstrip("\n"))))
            lines[i] = lines[i][:at] + draw(hostile_text) + lines[i][at:]
        else:
            lines[i] = "  " + lines[i]
    return "".join(lines)


#: What must never reach a terminal raw (tab and line feed are text).
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=mutated_plans(), name=hostile_names)
def test_every_command_survives_a_damaged_plan(tmp_path: Path, text: str, name: str) -> None:
    folder = tmp_path / "fuzz é"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    code, out, _ = invoke("validate", str(folder), "--format", "json")
    assert code in (0, 1, 2)
    findings = len(json.loads(out)["findings"]) if out else None
    for args in (
        ["validate", str(folder)],
        ["validate", str(folder), "--format", "github"],
        ["status", str(folder), "--as-of", "2019-01-01", "--no-history"],
        ["status", str(folder), "--as-of", "2019-01-01", "--no-history", "-f", "markdown"],
        ["status", str(folder), "--as-of", "2019-01-01", "--no-history", "-f", "json"],
        ["report", "appendix-b", str(folder), "-f", "md"],
        ["carry-forward", "wsoa-2018", "--to", "next", str(folder)],
    ):
        code, out, err = invoke(*args)
        assert code in (0, 1, 2), (args, code)
        assert "Traceback" not in err
        assert "internal error" not in err
        if "json" not in args:
            assert RAW_CONTROL.search(out + err) is None, (args, out + err)
        if args[:2] == ["validate", str(folder)] and findings is not None:
            expected = findings + (1 if len(args) == 2 else 0)  # text ends with a summary
            assert len(out.splitlines()) == expected, (args, out)
