"""Every example plan through ``send-plan validate --format json``.

Negative cases mark each finding they must produce with a comment line
``# expect: <CODE> <line>:<column>``; the findings reported must be exactly
those (an unexpected extra finding fails). Positive cases must give no finding.

A case folder may hold a hidden ``.outside/`` folder: the test moves it next to
a copy of the case and links each of its files into the case, so that the link
leads outside the folder validated (W210). Expectations written in such a file
belong to the link.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from send_plan.cli import app
from send_plan.validation import load_portfolio

EXAMPLES = Path(__file__).resolve().parent / "example-files"
EXPECT = re.compile(rb"^#\s*expect:\s*([EW]\d{3})\s+(\d+):(\d+)\s*$", re.MULTILINE)
OUTSIDE = ".outside"

Expected = set[tuple[str, str, int, int]]


def case_paths(kind: str) -> list[Path]:
    folder = EXAMPLES / kind
    return sorted(
        p
        for p in folder.iterdir()
        if not p.name.startswith(".") and (p.is_dir() or p.suffix in (".yaml", ".yml"))
    )


NEGATIVE = case_paths("negative")
POSITIVE = case_paths("positive")


def expectations_in(path: Path, shown_as: str) -> Expected:
    return {
        (m.group(1).decode(), shown_as, int(m.group(2)), int(m.group(3)))
        for m in EXPECT.finditer(path.read_bytes())
    }


def prepare(case: Path, workdir: Path) -> tuple[str, Expected]:
    """Lay the case out under ``workdir`` (the current folder); return the
    argument to validate and the findings expected, with paths as reported."""
    if case.is_file():
        shutil.copy(case, workdir / case.name)
        return case.name, expectations_in(case, case.name)
    target = workdir / case.name
    shutil.copytree(case, target, symlinks=True)
    expected: Expected = set()
    outside = target / OUTSIDE
    if outside.is_dir():
        moved = workdir / "outside"
        outside.rename(moved)
        for source in sorted(moved.iterdir()):
            link = target / source.name
            link.symlink_to(source)
            expected |= expectations_in(source, f"{case.name}/{source.name}")
    for path in sorted(target.rglob("*")):
        if path.is_file() and not path.is_symlink():
            expected |= expectations_in(path, path.relative_to(workdir).as_posix())
    return case.name, expected


def validate_json(runner: CliRunner, *args: str) -> tuple[int, dict]:
    result = runner.invoke(app, ["validate", *args, "--format", "json"])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def reported(document: dict) -> Expected:
    return {(f["code"], f["path"], f["line"], f["column"]) for f in document["findings"]}


@pytest.mark.parametrize("case", NEGATIVE, ids=lambda p: p.name)
def test_negative_case(
    case: Path, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    arg, expected = prepare(case, tmp_path)
    codes = {code for code, *_ in expected}
    assert case.name[:4] in codes, f"{case.name} expects no {case.name[:4]} finding"

    exit_code, document = validate_json(runner, arg)

    assert reported(document) == expected
    has_error = any(code.startswith("E") for code in codes)
    assert exit_code == (1 if has_error else 0)
    assert document["ok"] is (not has_error)
    assert document["summary"] == {
        "errors": sum(1 for f in document["findings"] if f["code"].startswith("E")),
        "warnings": sum(1 for f in document["findings"] if f["code"].startswith("W")),
    }
    strict_code, strict_document = validate_json(runner, arg, "--strict")
    assert strict_code == 1
    assert strict_document["ok"] is False


def test_every_negative_case_is_named_for_a_code() -> None:
    pattern = re.compile(r"^[EW]\d{3}-[a-z0-9-]+(\.yaml)?$")
    assert [p.name for p in NEGATIVE if not pattern.match(p.name)] == []


@pytest.mark.parametrize(
    "case", [*POSITIVE, EXAMPLES.parent.parent / "plans"], ids=lambda p: p.name
)
def test_positive_case(
    case: Path, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    if case.name == "plans":
        shutil.copytree(case, tmp_path / "plans")
        arg = "plans"
    else:
        arg, expected = prepare(case, tmp_path)
        assert expected == set()

    exit_code, document = validate_json(runner, arg)

    assert document["findings"] == []
    assert document["summary"] == {"errors": 0, "warnings": 0}
    assert document["ok"] is True
    assert exit_code == 0
    assert validate_json(runner, arg, "--strict")[0] == 0


def test_example_plans_folder_reads_both_plans(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, repo_root: Path
) -> None:
    monkeypatch.chdir(repo_root)
    exit_code, document = validate_json(runner, "plans")
    assert exit_code == 0
    assert document == {
        "ok": True,
        "files": ["plans/send-improvement-plan-2019.yaml", "plans/wsoa-2018.yaml"],
        "findings": [],
        "summary": {"errors": 0, "warnings": 0},
    }


# --------------------------------------------------------------------------- what positives prove


def test_encoding_fixtures_kept_their_bytes() -> None:
    """Guard against git or an editor normalising the fixtures that test encodings."""
    crlf = (EXAMPLES / "positive" / "crlf-line-endings.yaml").read_bytes()
    assert b"\r\n" in crlf
    assert b"\n" not in crlf.replace(b"\r\n", b"")
    assert (EXAMPLES / "positive" / "utf8-bom.yaml").read_bytes().startswith(b"\xef\xbb\xbf")
    both = (EXAMPLES / "positive" / "utf8-bom-crlf.yaml").read_bytes()
    assert both.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in both
    latin1 = (EXAMPLES / "negative" / "E001-latin1-byte.yaml").read_bytes()
    assert b"Caf\xe9 " in latin1


def _single_plan(name: str):
    portfolio, skipped = load_portfolio([EXAMPLES / "positive" / name])
    assert skipped == []
    [loaded] = portfolio.files
    assert loaded.findings == []
    assert loaded.plan is not None
    assert not loaded.partial
    return loaded.plan


def test_numeric_looking_values_stay_text() -> None:
    plan = _single_plan("numeric-looking-values.yaml")
    area = plan.areas[0]
    assert area.id == "1"
    assert area.title == "No"
    assert [a.id for a in area.actions] == ["1.1", "1.10", "1.2"]
    first, second, _ = area.actions
    assert first.title == "off"
    assert first.partner == "yes"
    assert first.delivery_plan == "2019"
    assert second.partner == "no"
    assert dict(plan.partners) == {"yes": "Yes Trust", "no": "No Limits charity"}


def test_rescheduled_on_key_is_the_key_on() -> None:
    plan = _single_plan("rescheduled-on-key.yaml")
    action = plan.areas[0].actions[0]
    assert [(r.on, r.from_, r.to) for r in action.rescheduled] == [
        (date(2019, 9, 1), date(2019, 9, 30), date(2019, 12, 31)),
        (date(2019, 12, 1), date(2019, 12, 31), date(2020, 3, 31)),
    ]
    assert action.slip_days == (date(2020, 3, 31) - date(2019, 9, 30)).days


def test_quoted_dates_are_dates() -> None:
    plan = _single_plan("quoted-dates.yaml")
    assert plan.plan.start == date(2019, 4, 1)
    assert plan.plan.board_meetings == (date(2019, 5, 21), date(2019, 7, 16), date(2019, 9, 17))
    action = plan.areas[0].actions[0]
    assert (action.due, action.completed) == (date(2019, 12, 31), date(2019, 12, 20))


def test_anchors_and_aliases_expand() -> None:
    plan = _single_plan("anchors-aliases.yaml")
    first, second = plan.areas[0].actions
    assert second.lead == first.lead == "Head of Service, Inclusion"
    assert (
        second.measures
        == first.measures
        == (
            "Local offer published",
            "Parent carer forum satisfied",
        )
    )
    assert second.updates == first.updates


@pytest.mark.parametrize("name", ["crlf-line-endings.yaml", "utf8-bom.yaml", "utf8-bom-crlf.yaml"])
def test_encodings_read_the_same_text(name: str) -> None:
    plan = _single_plan(name)
    assert plan.plan.title is not None
    assert plan.plan.title.startswith("Café provision – ")
    assert plan.areas[0].actions[0].updates[0].note == "Folded text over two lines."


def test_multiline_text() -> None:
    plan = _single_plan("multiline-text.yaml")
    assert plan.plan.title == "Testshire SEND Improvement Plan"
    assert plan.reviews[0].by == "DfE and NHS England"
    assert plan.reviews[0].summary == (
        "Steady progress.\n\nWaiting times for autism assessment need closer attention.\n"
    )
    assert plan.areas[0].title == "Plan for and meet needs"
    first, second = plan.areas[0].actions
    assert first.title == "Publish the local offer with the parent carer forum\n"
    assert first.lead == "Head of Service,\nInclusion"
    assert first.updates[0].note == (
        "First line.\nSecond line, with a colon: and a # that is not a comment.\n"
    )
    assert second.withdrawn_reason == "Superseded by the regional strategy agreed in June 2019."
