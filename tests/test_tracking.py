"""The as-of state rules, pinned at every boundary of the spec."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from send_plan.errors import UsageError
from send_plan.tracking import Filters, add_months, status
from send_plan.validation import require_valid
from send_plan.vocab import State

AS_OF = date(2019, 3, 19)


def action(ident: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": ident,
        "title": f"Action {ident}",
        "lead": "Head of Service, Inclusion",
        "due": "2019-06-30",
        "status": "in-progress",
    }
    base.update(fields)
    return base


def plan_doc(
    plan_id: str = "p", actions: list[dict[str, Any]] | None = None, **info: Any
) -> dict[str, Any]:
    plan: dict[str, Any] = {
        "id": plan_id,
        "title": f"Plan {plan_id}",
        "local_area": "Lancashire",
        "kind": "improvement-plan",
        "start": "2019-01-01",
        "end": "2020-12-31",
    }
    plan.update(info)
    return {
        "schema_version": 1,
        "plan": plan,
        "partners": {"lcc": "Lancashire County Council", "ccg": "CCGs"},
        "areas": [{"id": "A1", "kind": "priority", "title": "Area one", "actions": actions or []}],
    }


def portfolio(tmp_path: Path, *docs: dict[str, Any]):  # type: ignore[no-untyped-def]
    for doc in docs:
        (tmp_path / f"{doc['plan']['id']}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    return require_valid([tmp_path]).portfolio


def states(
    tmp_path: Path,
    actions: list[dict[str, Any]],
    as_of: date = AS_OF,
    window: int | None = None,
    **info: Any,
) -> dict[str, Any]:
    report = status(portfolio(tmp_path, plan_doc(actions=actions, **info)), as_of, window=window)
    return {t.action.id: t for t in report.actions}


def test_due_on_as_of_is_due_soon_and_day_before_is_overdue(tmp_path: Path) -> None:
    got = states(tmp_path, [action("a", due="2019-03-19"), action("b", due="2019-03-18")])
    assert got["a"].state is State.DUE_SOON
    assert got["a"].days_overdue is None
    assert got["b"].state is State.OVERDUE
    assert got["b"].days_overdue == 1


def test_due_soon_runs_to_the_next_board_meeting_inclusive(tmp_path: Path) -> None:
    got = states(
        tmp_path,
        [action("on", due="2019-05-21"), action("after", due="2019-05-22")],
        board_meetings=["2019-01-15", "2019-05-21", "2019-07-16"],
    )
    assert got["on"].state is State.DUE_SOON
    assert got["after"].state is State.ON_TRACK


def test_a_meeting_on_the_as_of_date_is_not_the_next_one(tmp_path: Path) -> None:
    doc = plan_doc(
        actions=[action("a", due="2019-05-21")],
        board_meetings=["2019-03-19", "2019-05-21"],
    )
    report = status(portfolio(tmp_path, doc), AS_OF)
    assert report.plans[0].next_board_meeting == date(2019, 5, 21)
    assert report.actions[0].state is State.DUE_SOON


def test_no_meetings_after_as_of_means_28_days(tmp_path: Path) -> None:
    got = states(
        tmp_path,
        [action("in", due="2019-04-16"), action("out", due="2019-04-17")],
        board_meetings=["2019-01-15"],
    )
    assert got["in"].state is State.DUE_SOON  # 19 March + 28 days = 16 April
    assert got["out"].state is State.ON_TRACK


def test_window_overrides_the_board_meeting(tmp_path: Path) -> None:
    got = states(
        tmp_path,
        [action("in", due="2019-03-26"), action("out", due="2019-03-27")],
        window=7,
        board_meetings=["2019-05-21"],
    )
    assert got["in"].state is State.DUE_SOON
    assert got["out"].state is State.ON_TRACK


def test_zero_window_leaves_only_today(tmp_path: Path) -> None:
    got = states(tmp_path, [action("a", due="2019-03-19"), action("b", due="2019-03-20")], window=0)
    assert got["a"].state is State.DUE_SOON
    assert got["b"].state is State.ON_TRACK


def test_closed_statuses_win_over_dates(tmp_path: Path) -> None:
    got = states(
        tmp_path,
        [
            action("c", due="2018-01-01", status="complete", completed="2018-01-02"),
            action("w", due="2018-01-01", status="withdrawn", withdrawn_reason="Merged into c."),
        ],
    )
    assert got["c"].state is State.COMPLETE
    assert got["w"].state is State.WITHDRAWN
    assert got["c"].days_overdue is None


@pytest.mark.parametrize(
    ("start", "status_", "expected"),
    [
        ("2019-03-18", "not-started", True),
        ("2019-03-19", "not-started", False),  # starting today is not late
        ("2019-03-18", "in-progress", False),
        (None, "not-started", False),
    ],
)
def test_late_start(tmp_path: Path, start: str | None, status_: str, expected: bool) -> None:
    fields: dict[str, Any] = {"status": status_}
    if start:
        fields["start"] = start
    got = states(tmp_path, [action("a", **fields)])
    assert got["a"].late_start is expected


def test_late_start_is_flagged_on_overdue_actions_too(tmp_path: Path) -> None:
    got = states(
        tmp_path, [action("a", start="2019-01-01", due="2019-02-01", status="not-started")]
    )
    assert got["a"].state is State.OVERDUE
    assert got["a"].late_start is True


def test_slip_days_from_original_due_or_first_rescheduled(tmp_path: Path) -> None:
    got = states(
        tmp_path,
        [
            action("o", due="2019-06-30", original_due="2019-03-31"),
            action(
                "r",
                due="2019-06-30",
                rescheduled=[
                    {
                        "on": "2019-02-01",
                        "from": "2019-04-30",
                        "to": "2019-06-30",
                        "reason": "Staffing.",
                    }
                ],
            ),
            action("n"),
        ],
    )
    assert got["o"].slip_days == 91
    assert got["r"].slip_days == 61
    assert got["n"].slip_days is None


def test_closed_plan_with_every_open_action_carried(tmp_path: Path) -> None:
    old = plan_doc(
        "old",
        [
            action("1", due="2018-12-31", status="not-started", start="2018-06-01"),
            action("2", due="2018-12-31"),
            action("3", due="2018-10-01", status="complete", completed="2018-09-30"),
        ],
        status="closed",
        end="2018-12-31",
        start="2018-01-01",
        successor="new",
    )
    new = plan_doc(
        "new",
        [
            action("N1", carried_from="old/1"),
            action("N2a", carried_from="old/2"),
            action("N2b", carried_from="old/2"),
        ],
    )
    report = status(portfolio(tmp_path, old, new), AS_OF, filters=Filters(plan="old"))
    got = {t.action.id: t for t in report.actions}
    assert got["1"].state is State.CARRIED_FORWARD
    assert got["1"].late_start is False
    assert got["2"].carried_to == ("new/N2a", "new/N2b")
    counts = report.plans[0].counts.states
    assert counts == {
        "total": 3,
        "complete": 1,
        "withdrawn": 0,
        "carried-forward": 2,
        "overdue": 0,
        "due-soon": 0,
        "on-track": 0,
    }


def test_rag_counts_include_unrated(tmp_path: Path) -> None:
    report = status(
        portfolio(tmp_path, plan_doc(actions=[action("a", rag="amber-green"), action("b")])), AS_OF
    )
    assert report.plans[0].counts.rag == {
        "red": 0,
        "red-amber": 0,
        "amber": 0,
        "amber-green": 1,
        "green": 0,
        "blue": 0,
        "unrated": 1,
    }


def test_filters(tmp_path: Path) -> None:
    doc = plan_doc(
        actions=[
            action("a", lead="Designated Clinical Officer", partner="ccg", due="2019-01-01"),
            action("b", lead="Head of SEND", partner="lcc"),
        ]
    )
    pf = portfolio(tmp_path, doc)
    ids = lambda f: [t.action.id for t in status(pf, AS_OF, filters=f).actions]  # noqa: E731
    assert ids(Filters(lead="clinical")) == ["a"]
    assert ids(Filters(partner="lcc")) == ["b"]
    assert ids(Filters(states=frozenset({State.OVERDUE}))) == ["a"]
    assert ids(Filters(states=frozenset({State.OVERDUE, State.ON_TRACK}))) == ["a", "b"]
    assert ids(Filters(area="A1")) == ["a", "b"]
    for bad in (Filters(plan="nope"), Filters(area="Z9"), Filters(partner="nhs")):
        with pytest.raises(UsageError):
            status(pf, AS_OF, filters=bad)


def test_revisit_expected_eighteen_months_after_approval(tmp_path: Path) -> None:
    doc = plan_doc(
        actions=[action("a")],
        kind="written-statement-of-action",
        approved="2018-04-25",
    )
    report = status(portfolio(tmp_path, doc), AS_OF)
    assert report.plans[0].revisit_expected_by == date(2019, 10, 25)


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2018, 8, 31), 18) == date(2020, 2, 29)
    assert add_months(date(2019, 12, 15), 1) == date(2020, 1, 15)


def test_due_before_next_board_counts_open_work(tmp_path: Path) -> None:
    doc = plan_doc(
        actions=[
            action("overdue", due="2019-03-01"),
            action("soon", due="2019-05-20"),
            action("on-board-day", due="2019-05-21"),
            action("done", due="2019-04-01", status="complete", completed="2019-03-01"),
        ],
        board_meetings=["2019-05-21"],
    )
    report = status(portfolio(tmp_path, doc), AS_OF)
    # overdue, due soon, and due on the meeting day itself (as due-soon counts it)
    assert report.plans[0].due_before_next_board == 3
