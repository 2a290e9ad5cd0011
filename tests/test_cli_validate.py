"""``send-plan validate`` and ``send-plan schema`` through the command line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import WritePlan
from typer.testing import CliRunner

from send_plan import __version__
from send_plan.cli import app

FINDING_LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning) "
    r"(?P<code>[EW]\d{3})( \[(?P<ident>[^\]]+)\])? (?P<message>.+)$"
)


def two_files(write_plan: WritePlan) -> None:
    """b.yaml: an error and a warning; a.yaml: a bad partner, and an unknown key
    that leaves an action without its required key and its status."""
    write_plan(
        "b.yaml",
        {
            "plan.id": "b-plan",
            "areas.0.actions.0.status": "complete",
            "areas.0.actions.0.rag": "red",
        },
    )
    write_plan(
        "a.yaml",
        {
            "plan.id": "a-plan",
            "areas.0.actions.0.partner": "lccc",
            "areas.0.actions.1": {"id": "P1.2", "lead": "L", "dew": date(2019, 12, 31)},
        },
    )


# --------------------------------------------------------------------------- text


def test_text_lines_sorted_then_summary(
    runner: CliRunner, write_plan: WritePlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_files(write_plan)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", "."])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "a.yaml:20:14: error E203 [a-plan P1.1] partner 'lccc' is not one of this plan's "
        "partners (lcc): did you mean 'lcc'?",
        "a.yaml:23:5: error E102 [a-plan P1.2] this action is missing required key 'due' "
        "(the deadline agreed now, as YYYY-MM-DD)",
        "a.yaml:23:5: error E102 [a-plan P1.2] this action is missing required key 'status' "
        "(one of not-started, in-progress, complete, withdrawn)",
        "a.yaml:25:5: error E105 [a-plan P1.2] unknown key 'dew' in this action: "
        "did you mean 'due'?",
        "b.yaml:22:13: error E204 [b-plan P1.1] status is complete but 'completed' is missing; "
        "add the date it was completed (completed: YYYY-MM-DD)",
        "b.yaml:23:10: warning W203 [b-plan P1.1] the action is complete but rated red; "
        "check the rating",
        "2 files checked: 5 errors, 1 warning",
    ]
    assert "Traceback" not in result.output


def test_text_lines_are_sorted_by_path_line_and_column(
    runner: CliRunner, write_plan: WritePlan, tmp_path: Path
) -> None:
    for name in ("z.yaml", "a/m.yaml", "a.yaml"):
        write_plan(
            name,
            {
                "plan.id": name.replace("/", "-").removesuffix(".yaml"),
                "plan.end": date(2019, 1, 1),
                "areas.0.actions.0.rag": "Amber-Green",
                "areas.0.actions.0.status": "done",
                "areas.0.actions.1": {"id": "P1.1", "lead": "x", "due": "2019-13-01"},
            },
        )
    result = runner.invoke(app, ["validate", str(tmp_path)])
    lines = result.stdout.splitlines()
    parsed = [FINDING_LINE.match(line) for line in lines[:-1]]
    assert all(parsed), lines
    keys = [(m["path"], int(m["line"]), int(m["column"])) for m in parsed if m]
    assert keys == sorted(keys)
    assert [Path(k[0]).name for k in keys][:: len(keys) // 3] == ["a.yaml", "m.yaml", "z.yaml"]
    assert lines[-1].startswith("3 files checked: ")


def test_text_without_findings_is_the_summary_only(
    runner: CliRunner, write_plan: WritePlan
) -> None:
    path = write_plan()
    result = runner.invoke(app, ["validate", str(path)])
    assert (result.exit_code, result.stdout) == (0, "1 file checked: 0 errors, 0 warnings\n")


def test_quiet_text_leaves_out_the_summary(runner: CliRunner, write_plan: WritePlan) -> None:
    path = write_plan("p.yaml", {"plan.successor": "next-plan"})
    result = runner.invoke(app, ["--quiet", "validate", str(path)])
    assert result.exit_code == 0
    [line] = result.stdout.splitlines()
    assert line.startswith(f"{path.as_posix()}:")
    assert " warning W201 [test-plan] " in line


def test_text_is_one_line_per_finding_even_for_odd_keys(
    runner: CliRunner, write_plan: WritePlan
) -> None:
    """A key holding a line break must not split its finding over two lines."""
    text = (
        "schema_version: 1\n"
        "plan:\n  id: test-plan\n  local_area: Testshire\n  kind: improvement-plan\n"
        "  start: 2019-04-01\n  end: 2020-12-31\n"
        '  "dew\\nday": 1\n'
        "areas:\n  - id: P1\n    kind: priority\n    actions:\n"
        "      - id: P1.1\n        title: T\n        lead: L\n        due: 2019-12-31\n"
        "        status: in-progress\n"
    )
    path = write_plan("odd.yaml", text=text)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2, lines
    assert FINDING_LINE.match(lines[0])
    assert lines[0].startswith(f"{path.as_posix()}:8:3: error E105 [test-plan] unknown key")
    assert lines[1] == "1 file checked: 1 error, 0 warnings"


# --------------------------------------------------------------------------- json


def test_json_document(
    runner: CliRunner, write_plan: WritePlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_files(write_plan)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", "a.yaml", "b.yaml", "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert list(document) == ["ok", "files", "findings", "summary"]
    assert document["ok"] is False
    assert document["files"] == ["a.yaml", "b.yaml"]
    assert document["summary"] == {"errors": 5, "warnings": 1}
    for finding in document["findings"]:
        assert list(finding) == [
            "path",
            "line",
            "column",
            "severity",
            "code",
            "plan",
            "object",
            "message",
        ]
    assert document["findings"][5] == {
        "path": "b.yaml",
        "line": 23,
        "column": 10,
        "severity": "warning",
        "code": "W203",
        "plan": "b-plan",
        "object": "P1.1",
        "message": "the action is complete but rated red; check the rating",
    }
    assert [(f["code"], f["severity"]) for f in document["findings"]] == [
        ("E203", "error"),
        ("E102", "error"),
        ("E102", "error"),
        ("E105", "error"),
        ("E204", "error"),
        ("W203", "warning"),
    ]


def test_json_nulls_for_findings_without_plan_or_object(
    runner: CliRunner, write_plan: WritePlan
) -> None:
    path = write_plan("empty.yaml", text="")
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["plan"] is None
    assert finding["object"] is None
    assert (finding["code"], finding["line"], finding["column"]) == ("E006", 1, 1)


def test_json_stdout_is_only_the_document(runner: CliRunner, write_plan: WritePlan) -> None:
    path = write_plan()
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "ok": True,
        "files": [path.as_posix()],
        "findings": [],
        "summary": {"errors": 0, "warnings": 0},
    }
    assert result.stderr == "1 file checked: 0 errors, 0 warnings\n"


# --------------------------------------------------------------------------- github


def test_github_workflow_commands(
    runner: CliRunner, write_plan: WritePlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_files(write_plan)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", ".", "--format", "github"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 6
    assert lines[0] == (
        "::error file=a.yaml,line=20,col=14,title=E203::[a-plan P1.1] partner 'lccc' is not "
        "one of this plan's partners (lcc): did you mean 'lcc'?"
    )
    assert lines[5] == (
        "::warning file=b.yaml,line=23,col=10,title=W203::[b-plan P1.1] the action is "
        "complete but rated red; check the rating"
    )
    for line in lines:
        assert re.match(r"^::(error|warning) file=[^,]+,line=\d+,col=\d+,title=[EW]\d{3}::", line)


def test_github_escapes_properties_and_data(
    runner: CliRunner, write_plan: WritePlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        "schema_version: 1\n"
        "plan:\n  id: test-plan\n  local_area: Testshire\n  kind: improvement-plan\n"
        "  start: 2019-04-01\n  end: 2020-12-31\n"
        '  "dew\\n50%": 1\n'
        "areas:\n  - id: P1\n    kind: priority\n    actions:\n"
        "      - id: P1.1\n        title: T\n        lead: L\n        due: 2019-12-31\n"
        "        status: in-progress\n"
    )
    write_plan("odd, name: here.yaml", text=text)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", "odd, name: here.yaml", "--format", "github"])
    assert result.exit_code == 1
    [line] = result.stdout.splitlines()
    assert line.startswith(
        "::error file=odd%2C name%3A here.yaml,line=8,col=3,title=E105::"
        "[test-plan] unknown key 'dew%0A50%25' in this plan"
    )


def test_github_prints_nothing_for_clean_plans(runner: CliRunner, write_plan: WritePlan) -> None:
    result = runner.invoke(app, ["validate", str(write_plan()), "--format", "github"])
    assert (result.exit_code, result.stdout) == (0, "")


# --------------------------------------------------------------------------- exit status


@pytest.mark.parametrize("format", ["text", "json", "github"])
def test_strict_fails_on_warnings(runner: CliRunner, write_plan: WritePlan, format: str) -> None:
    path = str(write_plan("p.yaml", {"plan.successor": "next-plan"}))
    assert runner.invoke(app, ["validate", path, "--format", format]).exit_code == 0
    strict = runner.invoke(app, ["validate", path, "--format", format, "--strict"])
    assert strict.exit_code == 1
    if format == "json":
        document = json.loads(strict.stdout)
        assert document["ok"] is False
        assert document["summary"] == {"errors": 0, "warnings": 1}


def test_strict_passes_clean_plans(runner: CliRunner, write_plan: WritePlan) -> None:
    assert runner.invoke(app, ["validate", str(write_plan()), "--strict"]).exit_code == 0


def test_missing_path_exits_2_with_one_line(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = runner.invoke(app, ["validate", str(missing)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"send-plan: error: {missing}: no such file or folder\n"
    assert "Traceback" not in result.output


def test_missing_path_among_good_ones_exits_2(runner: CliRunner, write_plan: WritePlan) -> None:
    good = write_plan()
    result = runner.invoke(app, ["validate", str(good), str(good.parent / "missing.yaml")])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert "missing.yaml: no such file or folder" in result.stderr


def test_unknown_format_is_a_usage_error(runner: CliRunner, write_plan: WritePlan) -> None:
    result = runner.invoke(app, ["validate", str(write_plan()), "--format", "xml"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_default_path_is_the_plans_folder(
    runner: CliRunner, write_plan: WritePlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_plan("plans/one.yaml", {"plan.id": "one"})
    write_plan("plans/sub/two.yml", {"plan.id": "two", "areas.0.actions.0.rag": "green/amber"})
    write_plan("elsewhere.yaml", text="not: a plan\n")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["files"] == ["plans/one.yaml", "plans/sub/two.yml"]
    assert [(f["path"], f["code"]) for f in document["findings"]] == [("plans/sub/two.yml", "E104")]


def test_default_path_missing_exits_2(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 2
    assert result.stderr == "send-plan: error: plans: no such file or folder\n"


def test_a_file_given_twice_is_read_once(runner: CliRunner, write_plan: WritePlan) -> None:
    path = str(write_plan())
    result = runner.invoke(app, ["validate", path, path, "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["files"] == [Path(path).as_posix()]


# --------------------------------------------------------------------------- schema


def test_schema_prints_json_schema(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert {"schema_version", "plan", "areas"} <= set(schema["properties"])
    assert schema["properties"]["schema_version"] == {"const": 1}
    assert set(schema["required"]) >= {"schema_version", "plan", "areas"}
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    reschedule = next(d for d in schema["$defs"].values() if "reason" in d.get("properties", {}))
    assert set(reschedule["properties"]) == {"on", "from", "to", "reason", "approved_by"}


def test_schema_to_a_file_refuses_to_overwrite(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "plan.schema.json"
    first = runner.invoke(app, ["schema", "-o", str(out)])
    assert first.exit_code == 0
    assert json.loads(out.read_text())["properties"]["schema_version"] == {"const": 1}

    out.write_text("my own file\n")
    refused = runner.invoke(app, ["schema", "-o", str(out)])
    assert refused.exit_code == 2
    assert out.read_text() == "my own file\n"
    assert "already exists" in refused.stderr
    assert "--force" in refused.stderr
    assert "Traceback" not in refused.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.schema.json"]

    forced = runner.invoke(app, ["schema", "-o", str(out), "--force"])
    assert forced.exit_code == 0
    assert json.loads(out.read_text()) == json.loads(runner.invoke(app, ["schema"]).stdout)


# --------------------------------------------------------------------------- version


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"send-plan {__version__}\n")


def test_python_dash_m_version(repo_root: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    completed = subprocess.run(
        [sys.executable, "-m", "send_plan", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=repo_root,
        env=env,
        check=False,
    )
    assert completed.returncode == 0
    assert completed.stdout == f"send-plan {__version__}\n"
    assert completed.stderr == ""
