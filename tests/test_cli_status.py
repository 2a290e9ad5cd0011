"""`send-plan status` and `send-plan revisit` through the CLI, on real files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from send_plan.cli import app

ROOT = Path(__file__).resolve().parent.parent
PLANS = str(ROOT / "plans")
runner = CliRunner()

SPEC_ACTION_KEYS = {
    "plan", "area", "id", "title", "lead", "partner", "status", "rag", "due",
    "original_due", "state", "days_overdue", "slip_days", "late_start", "carried_to",
}  # fmt: skip
SPEC_PLAN_KEYS = {"id", "title", "status", "next_board_meeting", "counts", "rag"}


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_json_shape_on_the_example_plans() -> None:
    code, out, _ = run("status", PLANS, "--as-of", "2019-03-19", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["as_of"] == "2019-03-19"
    assert set(doc["plans"][0]) >= SPEC_PLAN_KEYS
    wsoa = next(p for p in doc["plans"] if p["id"] == "wsoa-2018")
    assert wsoa["next_board_meeting"] == "2019-05-21"
    assert wsoa["counts"]["total"] == 47
    assert wsoa["counts"]["complete"] == 33
    assert wsoa["counts"]["carried-forward"] == 14
    assert sum(wsoa["rag"].values()) == 47
    assert len(doc["actions"]) == 47 + 94
    for a in doc["actions"]:
        assert set(a) >= SPEC_ACTION_KEYS
    carried = [a for a in doc["actions"] if a["state"] == "carried-forward"]
    assert all(a["carried_to"] for a in carried)
    assert all(
        t.startswith("send-improvement-plan-2019/") for a in carried for t in a["carried_to"]
    )


def test_actions_listed_in_plan_file_order() -> None:
    _, out, _ = run("status", PLANS, "--as-of", "2019-03-19", "-f", "json", "--plan", "wsoa-2018")
    ids = [a["id"] for a in json.loads(out)["actions"]]
    assert ids[:2] == ["FF1.1", "FF1.2"]
    assert len(ids) == 47


def test_state_filter_is_repeatable() -> None:
    code, out, _ = run(
        "status", PLANS, "--as-of", "2019-11-01", "-f", "json",
        "--state", "overdue", "--state", "due-soon",
    )  # fmt: skip
    assert code == 0
    found = {a["state"] for a in json.loads(out)["actions"]}
    assert found == {"overdue", "due-soon"}


def test_overdue_actions_carry_days_overdue() -> None:
    _, out, _ = run("status", PLANS, "--as-of", "2019-11-01", "-f", "json", "--state", "overdue")
    actions = json.loads(out)["actions"]
    assert actions
    for a in actions:
        assert a["days_overdue"] >= 1
        assert a["due"] < "2019-11-01"


def test_csv_has_one_row_per_action_with_the_json_fields() -> None:
    code, out, _ = run("status", PLANS, "--as-of", "2019-03-19", "-f", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 47 + 94
    assert set(rows[0]) >= SPEC_ACTION_KEYS


def test_markdown_is_a_pasteable_table() -> None:
    code, out, _ = run("status", PLANS, "--as-of", "2019-11-01", "-f", "markdown")
    assert code == 0
    assert "| Area | Action | Title | Lead | Due | State | Days overdue | RAG | Late start |" in out
    assert "| P2 | P2.9 |" in out


def test_table_lists_overdue_first_and_honours_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "140")
    code, out, _ = run(
        "status", PLANS, "--as-of", "2019-11-01", "--plan", "send-improvement-plan-2019"
    )
    assert code == 0
    assert "\x1b[" not in out
    assert "next board meeting 2019-11-19" in out
    assert out.index("overdue") < out.index("due-soon", out.index("Needs attention"))
    # most days overdue first: P2.9 (32 d) before P1.9 (1 d)
    assert out.index("P2.9") < out.index("P1.9")


def test_narrow_terminal_still_shows_every_attention_action(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    _, out, _ = run("status", PLANS, "--as-of", "2019-11-01", "--state", "overdue")
    for ident in ("P2.9", "P3.12", "P1.9", "P3.19", "P4.1"):
        assert ident in out


def test_invalid_plans_are_refused_with_their_findings(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nplan:\n  id: x\n")
    code, out, err = run("status", str(bad))
    assert code == 1
    assert out == ""
    assert "bad.yaml:3:3: error E102" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2019-13-01"], "not a real date"),
        (["--as-of", "yesterday"], "not a real date"),
        (["--plan", "nope"], "no plan 'nope'"),
        (["--area", "Z9"], "no area 'Z9'"),
        (["--partner", "nhs"], "no partner 'nhs'"),
        (["--window", "-1"], "greater than or equal to 0"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    code, _, err = run("status", PLANS, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_missing_path_exits_2(tmp_path: Path) -> None:
    code, _, err = run("status", str(tmp_path / "missing"))
    assert code == 2
    assert "no such file or folder" in err


def test_default_path_is_plans_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = run("status", "--as-of", "2019-03-19", "-f", "json")
    assert code == 0
    assert {p["id"] for p in json.loads(out)["plans"]} == {
        "wsoa-2018",
        "send-improvement-plan-2019",
    }


def test_revisit_json() -> None:
    code, out, _ = run("revisit", "--notified", "2020-02-24", "--onsite-days", "4", "-f", "json")
    assert code == 0
    assert json.loads(out) == {
        "notified": "2020-02-24",
        "onsite_start": "2020-03-09",
        "onsite_end": "2020-03-12",
        "letter_expected_by": "2020-04-30",
        "bank_holidays_skipped": [
            {"date": "2020-04-10", "name": "Good Friday"},
            {"date": "2020-04-13", "name": "Easter Monday"},
        ],
    }


def test_revisit_refuses_five_days_on_site() -> None:
    code, _, _ = run("revisit", "--notified", "2020-02-24", "--onsite-days", "5")
    assert code == 2
