"""Chasing leads, as a library: stale at every boundary, the reasons, the order
of leads and items, joint leads, indicators, and the board summary's stale list
by lead. (The command line is tests/test_cli_chase.py.)"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from send_plan.chase import Chase, by_lead, chase, figure, lead_order
from send_plan.errors import PlanNotFound
from send_plan.validation import require_valid
from send_plan.vocab import Unit

ROOT = Path(__file__).resolve().parent.parent


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


def plan_doc(actions: list[dict[str, Any]], **info: Any) -> dict[str, Any]:
    indicators = info.pop("indicators", None)
    plan: dict[str, Any] = {
        "id": "p",
        "title": "Plan p",
        "local_area": "Lancashire",
        "kind": "accelerated-progress-plan",
        "start": "2019-01-01",
        "end": "2020-12-31",
    }
    plan.update(info)
    doc: dict[str, Any] = {
        "schema_version": 1,
        "plan": {k: v for k, v in plan.items() if v is not None},
        "partners": {"lcc": "Lancashire County Council"},
        "areas": [{"id": "A1", "kind": "priority", "title": "Area one", "actions": actions}],
    }
    if indicators:
        doc["indicators"] = indicators
    return doc


def run_chase(tmp_path: Path, *docs: dict[str, Any], as_of: str, **kwargs: Any) -> Chase:
    for n, doc in enumerate(docs):
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
        (tmp_path / f"{n}-{doc['plan']['id']}.yaml").write_text(text, encoding="utf-8")
    result = require_valid([tmp_path])
    return chase(result.portfolio, date.fromisoformat(as_of), **kwargs)


def reasons(result: Chase) -> dict[str, list[str]]:
    """Action id -> reasons, over every lead (an action appears once per lead)."""
    return {a.tracked.action.id: list(a.reasons) for d in result.leads for a in d.actions}


# --------------------------------------------------------------------------- stale


@pytest.mark.parametrize(
    ("meetings", "update", "as_of", "stale"),
    [
        (["2019-03-01"], "2019-03-01", "2019-03-20", True),  # on the board date: not after it
        (["2019-03-01"], "2019-03-02", "2019-03-20", False),  # the day after the board
        (["2019-03-01"], "2019-03-20", "2019-03-20", False),  # on as-of counts
        (["2019-03-01"], "2019-03-21", "2019-03-20", True),  # after as-of does not exist yet
        (["2019-03-20"], "2019-03-10", "2019-03-20", False),  # a board on D is not before D
        ([], "2019-02-20", "2019-03-20", True),  # no meeting: B = D - 28 = 2019-02-20
        ([], "2019-02-21", "2019-03-20", False),
        (["2019-04-01"], "2019-02-20", "2019-03-20", True),  # none before D: D - 28
        (["2019-04-01"], "2019-02-21", "2019-03-20", False),
    ],
)
def test_stale_at_every_boundary(
    tmp_path: Path, meetings: list[str], update: str, as_of: str, stale: bool
) -> None:
    doc = plan_doc(
        [action("A", due="2019-12-31", updates=[{"date": update, "note": "Progress."}])],
        board_meetings=meetings,
    )
    found = reasons(run_chase(tmp_path, doc, as_of=as_of))
    assert found.get("A", []) == (["stale"] if stale else [])


def test_an_update_after_as_of_never_appears(tmp_path: Path) -> None:
    doc = plan_doc(
        [
            action(
                "A",
                due="2019-12-31",
                updates=[
                    {"date": "2019-01-15", "note": "Begun."},
                    {"date": "2019-05-01", "note": "Written later."},
                ],
            )
        ],
        board_meetings=["2019-03-01"],
    )
    result = run_chase(tmp_path, doc, as_of="2019-03-20")
    [item] = result.leads[0].actions
    assert item.as_dict()["latest_update"] == {"date": "2019-01-15", "note": "Begun."}
    assert "Written later" not in str(result.as_dict())


def test_carried_forward_and_closed_actions_are_never_chased(tmp_path: Path) -> None:
    old = plan_doc(
        [
            action("OPEN", due="2019-02-28"),  # overdue and stale, but carried forward
            action("DONE", status="complete", completed="2019-02-01", due="2019-02-28"),
            action("GONE", status="withdrawn", withdrawn_reason="Merged.", due="2019-02-28"),
        ],
        id="old",
        status="closed",
        end="2019-03-31",
        successor="new",
    )
    new = plan_doc(
        [action("N1", carried_from="old/OPEN", due="2019-12-31")], id="new", start="2019-04-01"
    )
    found = reasons(run_chase(tmp_path, old, new, as_of="2019-06-01"))
    assert found == {"N1": ["stale"]}


def test_late_start_and_not_started(tmp_path: Path) -> None:
    doc = plan_doc(
        [
            action("LATE", status="not-started", start="2019-03-01", due="2019-12-31"),
            action("TODAY", status="not-started", start="2019-03-20", due="2019-12-31"),
            action("NS", status="not-started", due="2019-12-31"),  # no start: not chased
            action("FUT", start="2019-06-01", due="2019-12-31"),  # has not begun
            action(
                "LATE-BUT-UPDATED",
                status="not-started",
                start="2019-03-01",
                due="2019-12-31",
                updates=[{"date": "2019-03-10", "note": "Waiting for staff."}],
            ),
        ]
    )
    found = reasons(run_chase(tmp_path, doc, as_of="2019-03-20"))
    assert found == {"LATE": ["late-start", "stale"], "LATE-BUT-UPDATED": ["late-start"]}


def test_reasons_and_the_order_of_a_leads_actions(tmp_path: Path) -> None:
    fresh = [{"date": "2019-03-15", "note": "On track."}]
    doc = plan_doc(
        [
            action("REST1", due="2019-12-31"),  # stale only
            action("SOON1", due="2019-04-16", updates=fresh),  # due on the next board: due soon
            action("OVER1", due="2019-03-19", updates=fresh),  # 1 day overdue
            action("OVER5", due="2019-03-15"),  # 5 days overdue, stale
            action("SOON2", due="2019-03-25", updates=fresh),
            action("OVER1B", due="2019-03-19", updates=fresh),  # ties keep file order
            action("LATER", due="2019-04-17", updates=fresh),  # after the board: nothing
            action("ONGOING", due="ongoing", updates=fresh),  # never overdue or due soon
        ],
        board_meetings=["2019-03-01", "2019-04-16"],
    )
    result = run_chase(tmp_path, doc, as_of="2019-03-20")
    [digest] = result.leads
    assert [(a.tracked.action.id, list(a.reasons)) for a in digest.actions] == [
        ("OVER5", ["overdue", "stale"]),
        ("OVER1", ["overdue"]),
        ("OVER1B", ["overdue"]),
        ("SOON1", ["due-soon"]),
        ("SOON2", ["due-soon"]),
        ("REST1", ["stale"]),
    ]
    over5 = digest.actions[0].as_dict()
    assert (over5["state"], over5["days_overdue"], over5["due"]) == ("overdue", 5, "2019-03-15")
    assert digest.next_board_meeting == date(2019, 4, 16)


def test_an_ongoing_action_can_be_late_to_start_and_stale(tmp_path: Path) -> None:
    doc = plan_doc([action("ON", due="ongoing", status="not-started", start="2019-02-01")])
    result = run_chase(tmp_path, doc, as_of="2019-03-20")
    [item] = result.leads[0].actions
    assert item.as_dict()["due"] == "ongoing"
    assert list(item.reasons) == ["late-start", "stale"]


# --------------------------------------------------------------------------- leads


def test_leads_alphabetical_ignoring_case_joint_leads_under_each(tmp_path: Path) -> None:
    doc = plan_doc(
        [
            action("J", lead=["head of commissioning", "Chair, Parent Carer Forum"]),
            action("Z", lead="Zeta Manager"),
            action("B", lead="Beta Lead"),
            action("OK", lead="Alpha Lead", status="complete", completed="2019-02-01"),
        ]
    )
    result = run_chase(tmp_path, doc, as_of="2019-03-20")
    assert [d.lead for d in result.leads] == [
        "Beta Lead",
        "Chair, Parent Carer Forum",
        "head of commissioning",
        "Zeta Manager",
    ]  # Alpha Lead has nothing to chase: not listed
    joint = [d for d in result.leads if any(a.tracked.action.id == "J" for a in d.actions)]
    assert len(joint) == 2
    assert joint[0].actions[0].as_dict()["leads"] == [
        "head of commissioning",
        "Chair, Parent Carer Forum",
    ]


def test_lead_filter_is_a_substring_in_any_case(tmp_path: Path) -> None:
    doc = plan_doc(
        [
            action("J", lead=["Head of Commissioning, CCGs", "Head of SEND Service"]),
            action("S", lead="Head of SEND Service"),
        ]
    )
    result = run_chase(tmp_path, doc, as_of="2019-03-20", lead="COMMISSIONING")
    assert [d.lead for d in result.leads] == ["Head of Commissioning, CCGs"]
    assert [a.tracked.action.id for a in result.leads[0].actions] == ["J"]


def test_lead_order_and_grouping() -> None:
    names = ["beta", "Alpha", "alpha", "Gamma"]
    assert sorted(names, key=lead_order) == ["Alpha", "alpha", "beta", "Gamma"]
    grouped = by_lead([("x", ["b", "a", "b"]), ("y", ["a"])], lambda item: item[1])
    assert list(grouped) == ["a", "b"]
    assert [i[0] for i in grouped["a"]] == ["x", "y"]
    assert [i[0] for i in grouped["b"]] == ["x"]  # a post written twice counts once


def test_contacts_give_the_address_exactly_by_post(tmp_path: Path) -> None:
    doc = plan_doc([action("A"), action("B", lead="Head of SEND Service")])
    result = run_chase(
        tmp_path,
        doc,
        as_of="2019-03-20",
        contacts={"Head of Service, Inclusion": "inclusion@example.gov.uk"},
    )
    assert {d.lead: d.address for d in result.leads} == {
        "Head of SEND Service": None,
        "Head of Service, Inclusion": "inclusion@example.gov.uk",
    }


def test_several_plans_in_the_order_read(tmp_path: Path) -> None:
    a = plan_doc([action("X", due="2019-12-31")], id="a", board_meetings=["2019-04-10"])
    b = plan_doc([action("Y", due="2019-12-31")], id="b", board_meetings=["2019-04-02"])
    result = run_chase(tmp_path, a, b, as_of="2019-03-20")
    [digest] = result.leads
    assert [(x.plan.id, x.tracked.action.id) for x in digest.actions] == [("a", "X"), ("b", "Y")]
    assert digest.next_board_meeting == date(2019, 4, 2)  # the earliest of its plans'


def test_an_unknown_plan_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PlanNotFound, match="no plan 'nope'"):
        run_chase(tmp_path, plan_doc([action("A")]), as_of="2019-03-20", plan="nope")


# --------------------------------------------------------------------------- indicators


def indicator(ident: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": ident,
        "title": f"Indicator {ident}",
        "unit": "percent",
        "polarity": "higher-is-better",
        "frequency": "quarterly",
        "owner": "Head of SEND Service",
        "baseline": {"date": "2018-12-31", "value": 10},
        "targets": [{"by": "2019-12-31", "value": 60}],
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def test_indicators_late_or_red_under_their_owner_in_file_order(tmp_path: Path) -> None:
    doc = plan_doc(
        [action("A", status="complete", completed="2019-02-01")],
        indicators=[
            indicator("RED", values=[{"date": "2019-09-30", "value": 12}]),  # expected ~47
            indicator("GREEN", values=[{"date": "2019-09-30", "value": 55}]),
            indicator("LATE", values=[{"date": "2019-03-31", "value": 25}]),  # due by 2019-07-31
            indicator("BOTH", values=[{"date": "2019-03-31", "value": 10.5}]),
            # its only figure is dated after as-of: as of D it has none, late since the baseline
            indicator("LATER", values=[{"date": "2019-12-31", "value": 5}]),
            indicator("NOBODY", owner=None, values=[{"date": "2019-09-30", "value": 1}]),
        ],
    )
    result = run_chase(tmp_path, doc, as_of="2019-10-15")
    [digest] = result.leads
    assert digest.lead == "Head of SEND Service"
    assert digest.actions == ()
    assert [(i.status.indicator.id, list(i.reasons)) for i in digest.indicators] == [
        ("RED", ["red"]),
        ("LATE", ["late-data"]),
        ("BOTH", ["late-data", "red"]),
        ("LATER", ["late-data"]),
    ]
    assert "no figure yet" in digest.indicators[-1].as_dict()["asks"][0]
    assert [i.status.indicator.id for i in result.unowned] == ["NOBODY"]
    red = digest.indicators[0].as_dict()
    assert set(red) >= {"plan", "id", "title", "reasons"}
    assert "It is rated red: 12% at 30 September 2019" in red["asks"][0]


def test_indicators_of_a_closed_plan_are_not_chased(tmp_path: Path) -> None:
    doc = plan_doc(
        [action("A", status="complete", completed="2019-02-01")],
        status="closed",
        indicators=[indicator("RED", values=[{"date": "2019-09-30", "value": 12}])],
    )
    assert run_chase(tmp_path, doc, as_of="2019-10-15").leads == ()


def test_figures_are_written_as_a_board_paper_writes_them() -> None:
    assert figure(21.5, Unit.PERCENT) == "21.5%"
    assert figure(18.0, Unit.WEEKS) == "18 weeks"
    assert figure(1200, Unit.CURRENCY) == "£1,200"
    assert figure(50.375, Unit.NUMBER) == "50.38"


# --------------------------------------------------------------------------- the example plans


def test_every_reason_on_the_example_plans() -> None:
    result = require_valid([ROOT / "plans"])
    report = chase(result.portfolio, date(2019, 11, 1))
    doc = report.as_dict()
    assert doc["as_of"] == "2019-11-01"
    leads = [d["lead"] for d in doc["leads"]]
    assert leads == sorted(leads, key=lead_order)
    found = {r for d in doc["leads"] for a in d["actions"] for r in a["reasons"]}
    assert found == {"overdue", "due-soon", "late-start", "stale"}
    assert {r for d in doc["leads"] for i in d["indicators"] for r in i["reasons"]} >= {"red"}
    joint = [d["lead"] for d in doc["leads"] if any(a["id"] == "P1.4" for a in d["actions"])]
    assert joint == ["Head of Commissioning, CCGs", "Head of Service, Commissioning (LCC)"]
    assert all(a["plan"] != "wsoa-2018" for d in doc["leads"] for a in d["actions"])


# --------------------------------------------------------------------------- board summary


def test_board_summary_lists_a_joint_leads_stale_action_under_each_lead(tmp_path: Path) -> None:
    from send_plan.render.context import board_summary

    doc = plan_doc(
        [
            action("J", lead=["Zeta Manager", "Alpha Lead"]),
            action("M", lead="mid Lead"),
        ],
        board_meetings=["2019-03-01", "2019-04-16"],
    )
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    result = require_valid([tmp_path])
    plan = result.portfolio.require_plan("p")
    ctx = board_summary(result.portfolio, plan, date(2019, 3, 20))
    assert [(r["lead"], r["id"]) for r in ctx["stale_by_lead"]] == [
        ("Alpha Lead", "J"),
        ("mid Lead", "M"),
        ("Zeta Manager", "J"),
    ]
    assert [r["id"] for r in ctx["stale"]] == ["J", "M"]  # one row per action, as before
