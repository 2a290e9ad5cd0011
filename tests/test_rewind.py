"""The plans as they stood on a date, rewound from the final record (send_plan.rewind)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from send_plan.rewind import action_as_of, last_event, plan_as_of, portfolio_as_of
from send_plan.validation import check
from send_plan.yamlout import plan_data

ROOT = Path(__file__).resolve().parent.parent
D = date.fromisoformat


def action(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "A1.1",
        "title": "Publish the local offer",
        "lead": "Local Offer Manager",
        "start": D("2019-04-01"),
        "due": D("2019-12-31"),
        "status": "in-progress",
    }
    return {**base, **fields}


def plan(plan_id: str = "sip", actions: list[dict[str, Any]] | None = None, **info: Any) -> Any:
    return {
        "schema_version": 1,
        "plan": {
            "id": plan_id,
            "title": f"Plan {plan_id}",
            "local_area": "Testshire",
            "kind": "improvement-plan",
            "status": "active",
            "start": D("2019-04-01"),
            "end": D("2020-12-31"),
            **info,
        },
        "areas": [{"id": "A1", "kind": "priority", "actions": actions or [action()]}],
    }


def at(a: dict[str, Any], day: str) -> dict[str, Any]:
    """One action as of ``day``, through the whole plan (dated entries dropped too)."""
    rewound = plan_as_of(plan(actions=[a]), D(day))
    result: dict[str, Any] = rewound["areas"][0]["actions"][0]
    return result


# --------------------------------------------------------------------------- actions


def test_updates_and_dated_evidence_after_the_day_are_not_written_yet() -> None:
    a = action(
        updates=[
            {"date": D("2019-05-01"), "note": "Started."},
            {"date": D("2019-06-01"), "note": "Halfway."},
        ],
        evidence=["Survey results", {"title": "Audit", "date": D("2019-06-15")}],
    )
    then = at(a, "2019-05-31")
    assert [u["note"] for u in then["updates"]] == ["Started."]
    assert then["evidence"] == ["Survey results"]  # open: undated evidence stays
    assert at(a, "2019-06-01")["updates"] == a["updates"]


def test_a_completion_after_the_day_is_still_open() -> None:
    a = action(
        status="complete",
        completed=D("2019-09-20"),
        rag="green",
        evidence=["Dashboard live", {"title": "Board minute", "date": D("2019-09-01")}],
    )
    then = at(a, "2019-09-19")
    assert then["status"] == "in-progress"
    assert "completed" not in then
    assert then["evidence"] == [{"title": "Board minute", "date": D("2019-09-01")}]
    assert at(a, "2019-03-31")["status"] == "not-started"  # before its start
    assert at(a, "2019-09-20") == a


def test_an_action_in_progress_had_not_started_before_its_start() -> None:
    a = action(start=D("2019-10-01"))
    assert at(a, "2019-09-30")["status"] == "not-started"
    assert at(a, "2019-10-01")["status"] == "in-progress"
    assert at(action(status="not-started"), "2020-06-01")["status"] == "not-started"
    assert at(action(status="withdrawn", withdrawn_reason="Merged."), "2019-01-01")["status"] == (
        "withdrawn"
    )


def test_deadlines_stand_where_they_were_before_each_recorded_move() -> None:
    a = action(
        due=D("2020-01-31"),
        original_due=D("2019-06-30"),
        rescheduled=[
            {"on": D("2019-05-21"), "from": D("2019-06-30"), "to": D("2019-09-30"), "reason": "x"},
            {"on": D("2019-09-17"), "from": D("2019-09-30"), "to": D("2020-01-31"), "reason": "y"},
        ],
    )
    first = at(a, "2019-05-20")
    assert first["due"] == D("2019-06-30")
    assert "original_due" not in first
    assert "rescheduled" not in first
    middle = at(a, "2019-05-21")
    assert (middle["due"], middle["original_due"]) == (D("2019-09-30"), D("2019-06-30"))
    assert [m["reason"] for m in middle["rescheduled"]] == ["x"]
    assert at(a, "2019-09-17") == a


def test_the_first_deadline_without_original_due_is_the_first_move_from() -> None:
    a = action(
        due=D("2019-09-30"),
        rescheduled=[
            {"on": D("2019-05-21"), "from": D("2019-06-30"), "to": D("2019-09-30"), "reason": "x"}
        ],
    )
    assert at(a, "2019-05-01")["due"] == D("2019-06-30")


def test_the_rating_is_the_one_recorded_then() -> None:
    a = action(
        rag="red",
        updates=[
            {"date": D("2019-07-12"), "rag": "red-amber", "note": "a"},
            {"date": D("2019-09-13"), "note": "unrated note"},
            {"date": D("2019-11-08"), "rag": "red", "note": "b"},
        ],
    )
    assert at(a, "2019-11-07")["rag"] == "red-amber"
    assert at(a, "2019-07-01")["rag"] == "red-amber"  # before any: the first one known
    assert at(a, "2019-11-08")["rag"] == "red"
    assert at(action(rag="amber"), "2019-05-01")["rag"] == "amber"  # never rated in updates


def test_blue_means_complete_so_a_reopened_action_is_not_blue() -> None:
    a = action(status="complete", completed=D("2019-09-20"), rag="blue")
    assert action_as_of(a, a, D("2019-09-01"))["rag"] == "green"


# --------------------------------------------------------------------------- plans


def test_a_plan_is_a_draft_before_approval_and_active_until_its_end() -> None:
    closed = plan(status="closed", approved=D("2019-04-10"), end=D("2019-12-31"))
    draft = plan_as_of(closed, D("2019-04-05"))["plan"]
    assert draft["status"] == "draft"
    assert "approved" not in draft
    assert plan_as_of(closed, D("2019-04-10"))["plan"]["status"] == "active"
    assert plan_as_of(closed, D("2019-12-30"))["plan"]["status"] == "active"
    assert plan_as_of(closed, D("2019-12-31"))["plan"]["status"] == "closed"
    assert plan_as_of(plan(status="draft"), D("2030-01-01"))["plan"]["status"] == "draft"


def test_reviews_after_the_day_are_left_out() -> None:
    p = plan()
    p["reviews"] = [
        {"date": D("2019-07-09"), "by": "DfE", "rating": "amber"},
        {"date": D("2019-10-15"), "by": "DfE", "rating": "amber-green"},
    ]
    assert [r["rating"] for r in plan_as_of(p, D("2019-10-14"))["reviews"]] == ["amber"]


def test_dated_entries_are_left_out_at_any_depth() -> None:
    """Area updates and indicator values follow the same rule as action updates."""
    p = plan()
    p["areas"][0]["updates"] = [{"date": D("2019-12-18"), "note": "Area note"}]
    p["indicators"] = [
        {
            "id": "EHC20",
            "baseline": {"date": D("2019-03-31"), "value": 8.5},
            "targets": [{"by": D("2020-03-31"), "value": 60}],
            "values": [
                {"date": D("2019-06-30"), "value": 12},
                {"date": D("2019-09-30"), "value": 21},
            ],
        }
    ]
    then = plan_as_of(p, D("2019-07-01"))
    assert "updates" not in then["areas"][0]  # left out, as an empty list is in a plan file
    indicator = then["indicators"][0]
    assert indicator["values"] == [{"date": D("2019-06-30"), "value": 12}]
    assert indicator["targets"] == p["indicators"][0]["targets"]  # planned, not recorded
    assert indicator["baseline"] == p["indicators"][0]["baseline"]


def successor_pair() -> dict[str, Any]:
    old = plan(
        "wsoa",
        [action(id="W1", due=D("2019-01-31"), start=D("2018-05-01"))],
        status="closed",
        start=D("2018-04-25"),
        end=D("2019-01-31"),
        successor="sip",
    )
    new = plan(
        "sip",
        [
            action(id="P1", carried_from="wsoa/W1"),
            action(id="P2"),
        ],
        approved=D("2019-04-01"),
    )
    return {"sip": new, "wsoa": old}


def test_a_successor_is_a_carry_forward_draft_from_its_predecessor_s_closure() -> None:
    plans = successor_pair()
    assert list(portfolio_as_of(plans, D("2019-01-30"))) == ["wsoa"]
    assert "successor" not in portfolio_as_of(plans, D("2019-01-30"))["wsoa"]["plan"]
    closing = portfolio_as_of(plans, D("2019-01-31"))
    assert closing["wsoa"]["plan"]["status"] == "closed"
    assert closing["wsoa"]["plan"]["successor"] == "sip"
    draft = closing["sip"]
    assert draft["plan"]["status"] == "draft"
    assert [a["id"] for a in draft["areas"][0]["actions"]] == ["P1"]
    approved = portfolio_as_of(plans, D("2019-04-01"))["sip"]
    assert approved["plan"]["status"] == "active"
    assert [a["id"] for a in approved["areas"][0]["actions"]] == ["P1", "P2"]


def test_nothing_exists_before_the_first_plan_and_everything_after_the_last_event() -> None:
    plans = successor_pair()
    assert portfolio_as_of(plans, D("2018-01-01")) == {}
    assert last_event(plans) == D("2019-04-01")  # the approval of sip


# --------------------------------------------------------------------------- the example plans


@pytest.fixture(scope="module")
def examples() -> dict[str, Any]:
    result = check([ROOT / "plans"])
    assert result.ok
    return {f.plan.id: plan_data(f.plan) for f in result.portfolio.files}


def test_the_example_plans_after_their_last_event_are_the_files(examples: dict[str, Any]) -> None:
    last = last_event(examples)
    assert portfolio_as_of(examples, last) == examples
    assert portfolio_as_of(examples, date(2100, 1, 1)) == examples


def test_the_example_plans_in_april_2018_and_march_2019(examples: dict[str, Any]) -> None:
    start = portfolio_as_of(examples, D("2018-04-25"))
    assert list(start) == ["wsoa-2018"]
    wsoa = start["wsoa-2018"]
    assert wsoa["plan"]["status"] == "active"
    statuses = {a["status"] for area in wsoa["areas"] for a in area["actions"]}
    assert statuses <= {"not-started", "in-progress"}
    sw62 = next(a for area in wsoa["areas"] for a in area["actions"] if a["id"] == "SW6.2")
    assert sw62["due"] == D("2018-10-31")
    march = portfolio_as_of(examples, D("2019-03-19"))
    assert march["wsoa-2018"]["plan"]["status"] == "closed"
    assert march["send-improvement-plan-2019"]["plan"]["status"] == "draft"
