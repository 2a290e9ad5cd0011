"""`send-plan status` with indicators: the JSON contract (cli.md "status additions"),
the filters, the indicators CSV, and the views that show what needs attention."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import WritePlan
from typer.testing import CliRunner

from send_plan.cli import app

ROOT = Path(__file__).resolve().parent.parent
PLANS = str(ROOT / "plans")
runner = CliRunner()

SPEC_KEYS = {
    "plan", "id", "title", "unit", "polarity", "owner", "areas", "latest", "previous",
    "expected", "rating", "direction", "late_data",
}  # fmt: skip

#: The indicator of plan-format.md's example, in a plan of its own.
EHC20: dict[str, Any] = {
    "id": "EHC20",
    "title": "New EHC plans issued within 20 weeks, excluding exceptions",
    "unit": "percent",
    "polarity": "higher-is-better",
    "frequency": "quarterly",
    "owner": "Head of SEND Statutory Services",
    "partner": "tcc",
    "areas": ["P1"],
    "tolerance": 5,
    "baseline": {"date": "2018-03-31", "value": 8.5},
    "targets": [{"by": "2019-03-31", "value": 40}, {"by": "2020-03-31", "value": 60}],
    "comparators": [{"name": "England", "date": "2018-12-31", "value": 60.4}],
    "values": [
        {"date": "2018-06-30", "value": 12.0},
        {"date": "2018-09-30", "value": 21.5, "note": "Backlog cleared in August."},
        {"date": "2018-12-31", "value": 33.0, "provisional": True},
    ],
}
WAITS: dict[str, Any] = {
    "id": "WAIT",
    "title": "Weeks waited for an autism assessment",
    "unit": "weeks",
    "polarity": "lower-is-better",
    "owner": "Designated Clinical Officer",
    "areas": ["P2"],
    "baseline": {"date": "2018-03-31", "value": 60},
    "targets": [{"by": "2019-03-31", "value": 30}],
    "values": [{"date": "2018-06-30", "value": 50}, {"date": "2018-09-30", "value": 48}],
}
CONTEXT: dict[str, Any] = {
    "id": "REQ",
    "title": "Requests for an EHC needs assessment",
    "unit": "number",
    "polarity": "context",
    "published": False,
    "values": [{"date": "2018-06-30", "value": 412}, {"date": "2018-09-30", "value": 389}],
}


def area(ident: str) -> dict[str, Any]:
    return {
        "id": ident,
        "kind": "priority",
        "actions": [
            {
                "id": f"{ident}.1",
                "title": "Recruit coordinators",
                "lead": "Head of SEND Statutory Services",
                "due": "2019-03-31",
                "status": "in-progress",
            }
        ],
    }


@pytest.fixture
def plan(write_plan: WritePlan) -> str:
    path = write_plan(
        "p.yaml",
        {
            "partners": {"tcc": "Testshire County Council"},
            "areas": [area("P1"), area("P2")],
            "indicators": [EHC20, WAITS, CONTEXT],
        },
    )
    return str(path)


def status(*args: str) -> Any:
    result = runner.invoke(app, ["status", *args, "--no-history", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_the_spec_example_in_json(plan: str) -> None:
    doc = status(plan, "--as-of", "2018-10-15")
    first = doc["indicators"][0]
    assert set(first) >= SPEC_KEYS
    assert {k: first[k] for k in SPEC_KEYS} == {
        "plan": "test-plan",
        "id": "EHC20",
        "title": "New EHC plans issued within 20 weeks, excluding exceptions",
        "unit": "percent",
        "polarity": "higher-is-better",
        "owner": "Head of SEND Statutory Services",
        "areas": ["P1"],
        "latest": {"date": "2018-09-30", "value": 21.5, "provisional": False},
        "previous": {"date": "2018-06-30", "value": 12.0, "provisional": False},
        "expected": 24.29,
        "rating": "amber",
        "direction": "improving",
        "late_data": False,
    }
    assert first["published"] is True
    assert [i["id"] for i in doc["indicators"]] == ["EHC20", "WAIT", "REQ"]  # file order
    assert doc["indicators"][2]["published"] is False


def test_indicator_ratings_per_plan(plan: str) -> None:
    # EHC20 amber; WAIT at 48 weeks against 60 - 30 * 183/365 = 44.96, no tolerance: red
    doc = status(plan, "--as-of", "2018-10-15")
    assert doc["plans"][0]["indicator_ratings"] == {"green": 0, "amber": 1, "red": 1, "unrated": 1}
    assert doc["indicators"][1]["rating"] == "red"
    assert doc["indicators"][1]["direction"] == "improving"  # fewer weeks is better
    assert doc["indicators"][2]["direction"] == "down"  # context: up or down only


def test_later_values_do_not_exist_yet(plan: str) -> None:
    first = status(plan, "--as-of", "2018-07-01")["indicators"][0]
    assert first["latest"] == {"date": "2018-06-30", "value": 12.0, "provisional": False}
    assert first["previous"] is None
    assert first["direction"] is None
    before = status(plan, "--as-of", "2018-06-29")["indicators"][0]
    assert before["latest"] is None
    assert before["rating"] is None
    assert before["expected"] is None


def test_latest_provisional_value(plan: str) -> None:
    first = status(plan, "--as-of", "2019-01-10")["indicators"][0]
    assert first["latest"] == {"date": "2018-12-31", "value": 33.0, "provisional": True}


@pytest.mark.parametrize(
    ("args", "ids"),
    [
        (["--area", "P2"], ["WAIT"]),
        (["--area", "P1"], ["EHC20"]),
        (["--partner", "tcc"], ["EHC20"]),
        (["--lead", "designated CLINICAL"], ["WAIT"]),
        (["--lead", "head of"], ["EHC20"]),
        (["--state", "overdue"], ["EHC20", "WAIT", "REQ"]),  # --state is about actions
        (["--plan", "test-plan"], ["EHC20", "WAIT", "REQ"]),
    ],
)
def test_filters(plan: str, args: list[str], ids: list[str]) -> None:
    doc = status(plan, "--as-of", "2019-06-01", *args)
    assert [i["id"] for i in doc["indicators"]] == ids
    ratings = doc["plans"][0]["indicator_ratings"]
    assert sum(ratings.values()) == len(ids)  # counts of the indicators shown


def test_plans_without_indicators_have_empty_lists(write_plan: WritePlan) -> None:
    doc = status(str(write_plan("q.yaml")), "--as-of", "2019-06-01")
    assert doc["indicators"] == []
    assert doc["plans"][0]["indicator_ratings"] == {
        "green": 0,
        "amber": 0,
        "red": 0,
        "unrated": 0,
    }


def test_indicators_csv(plan: str) -> None:
    result = runner.invoke(
        app, ["status", plan, "--as-of", "2018-10-15", "--no-history", "-f", "csv", "--indicators"]
    )
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == ["EHC20", "WAIT", "REQ"]
    assert rows[0] == {
        "plan": "test-plan",
        "id": "EHC20",
        "title": "New EHC plans issued within 20 weeks, excluding exceptions",
        "unit": "percent",
        "polarity": "higher-is-better",
        "frequency": "quarterly",
        "owner": "Head of SEND Statutory Services",
        "partner": "tcc",
        "areas": "P1",
        "latest_date": "2018-09-30",
        "latest_value": "21.5",
        "latest_provisional": "false",
        "previous_date": "2018-06-30",
        "previous_value": "12",
        "previous_provisional": "false",
        "expected": "24.29",
        "rating": "amber",
        "direction": "improving",
        "late_data": "false",
        "published": "true",
    }
    assert rows[2]["rating"] == ""
    assert rows[2]["published"] == "false"
    plain = runner.invoke(
        app, ["status", plan, "--as-of", "2018-10-15", "--no-history", "-f", "csv"]
    )
    assert "late_start" in plain.stdout.splitlines()[0]  # without --indicators: the actions


def test_table_shows_indicators_that_need_attention(
    plan: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "140")
    monkeypatch.setenv("NO_COLOR", "1")
    result = runner.invoke(app, ["status", plan, "--as-of", "2018-10-15", "--no-history"])
    out = result.stdout
    assert out.index("No action needs attention") < out.index("Indicators that need attention")
    assert "21.5%" in out
    assert "24.29%" in out  # expected
    assert "↑ improving" in out  # EHC20 rose
    assert "↓ improving" in out  # waits fell: better
    assert "amber" in out
    assert "REQ" not in out  # not rated, data not late: nothing to attend to
    every = runner.invoke(
        app, ["status", plan, "--as-of", "2018-10-15", "--no-history", "--indicators"]
    )
    assert "Requests for an EHC needs assessment (not published)" in every.stdout


def test_late_data_needs_attention(plan: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # EHC20 is quarterly: 2018-12-31 + 3 months + 31 days is 2019-05-01; late after it
    monkeypatch.setenv("COLUMNS", "140")
    out = runner.invoke(app, ["status", plan, "--as-of", "2019-05-02", "--no-history"]).stdout
    assert "late data" in out
    doc = status(plan, "--as-of", "2019-05-01")
    assert doc["indicators"][0]["late_data"] is False
    doc = status(plan, "--as-of", "2019-05-02")
    assert doc["indicators"][0]["late_data"] is True
    assert doc["indicators"][0]["rating"] == "green"  # on the trajectory, but late


def test_narrow_terminal_lists_indicators_one_a_line(
    plan: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    out = runner.invoke(app, ["status", plan, "--as-of", "2018-10-15", "--no-history"]).stdout
    assert "EHC20" in out
    assert "expected" in out
    assert "24.29%" in out


def test_markdown_lists_indicators_after_the_actions(plan: str) -> None:
    result = runner.invoke(
        app, ["status", plan, "--as-of", "2018-10-15", "--no-history", "-f", "markdown"]
    )
    out = result.stdout
    assert "### Indicators that need attention" in out
    assert (
        "| EHC20 | New EHC plans issued within 20 weeks, excluding exceptions | Head of SEND "
        "Statutory Services | 21.5% at 2018-09-30 | 24.29% | amber | ↑ improving |  |"
    ) in out


def test_example_plans(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = status(PLANS, "--as-of", "2019-11-19")
    by_plan = {p["id"]: p["indicator_ratings"] for p in doc["plans"]}
    assert by_plan["send-improvement-plan-2019"] == {
        "green": 1,
        "amber": 2,
        "red": 2,
        "unrated": 1,
    }
    ehc = next(i for i in doc["indicators"] if i["plan"] == "send-improvement-plan-2019")
    assert ehc["latest"]["value"] == 44.6  # the provisional December figure is not yet known
    assert ehc["direction"] == "worsening"
