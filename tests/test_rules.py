"""Each rule family on its own: a portfolio loaded from tmp files, one rule run directly.

Places are checked by reading the file at the finding's line and column: the
text there must be the key or value at fault.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import DELETE, WritePlan

from send_plan.findings import Finding
from send_plan.portfolio import Portfolio
from send_plan.rules import RULES, coherence, identity, indicators, references
from send_plan.validation import check, load_portfolio
from send_plan.vocab import rag_canonical, suggest_value


def action(ident: str, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": ident,
        "title": f"Action {ident}",
        "lead": "Head of Service, Inclusion",
        "due": date(2019, 12, 31),
        "status": "in-progress",
    }
    out.update(fields)
    return {k: v for k, v in out.items() if v is not DELETE}


def area(ident: str, *actions: dict[str, Any], kind: str = "priority") -> dict[str, Any]:
    return {"id": ident, "kind": kind, "actions": list(actions)}


def portfolio_of(*paths: Path) -> Portfolio:
    portfolio, skipped = load_portfolio(list(paths))
    assert skipped == []
    return portfolio


def run(rule: Any, portfolio: Portfolio) -> list[Finding]:
    return sorted(rule(portfolio), key=Finding.sort_key)


def at(finding: Finding) -> str:
    """The text of the file from the finding's place to the end of its line."""
    lines = Path(finding.path).read_text(encoding="utf-8").splitlines()
    return lines[finding.line - 1][finding.column - 1 :]


def summary(findings: list[Finding]) -> list[tuple[str, str | None, str]]:
    return [(f.code, f.object, at(f)) for f in findings]


# --------------------------------------------------------------------------- identity


def test_duplicate_action_and_area_ids(write_plan: WritePlan) -> None:
    path = write_plan(
        "p.yaml",
        {"areas": [area("P1", action("P1.1"), action("P1.1")), area("P2", action("P1"))]},
    )
    findings = run(identity.duplicate_ids, portfolio_of(path))
    assert summary(findings) == [("E201", "P1.1", "P1.1"), ("E201", "P1", "P1")]
    assert findings[0].line < findings[1].line
    assert "already used by an action" in findings[0].message
    assert "already used by an area" in findings[1].message
    assert [f.plan for f in findings] == ["test-plan", "test-plan"]


def test_duplicate_ids_are_found_in_a_file_with_schema_errors(write_plan: WritePlan) -> None:
    path = write_plan(
        "p.yaml",
        {
            "plan.kind": "wsoa",
            "areas": [area("P1", action("P1.1", status="done"), action("P1.1", due="soon"))],
        },
    )
    portfolio = portfolio_of(path)
    assert portfolio.files[0].plan is None
    assert summary(run(identity.duplicate_ids, portfolio)) == [("E201", "P1.1", "P1.1")]


def test_duplicate_plan_ids_across_files(write_plan: WritePlan, tmp_path: Path) -> None:
    write_plan("a.yaml")
    write_plan("b.yaml", {"plan.title": "Another"})
    write_plan("c.yaml", {"plan.id": "other-plan"})
    findings = run(identity.duplicate_plan_ids, portfolio_of(tmp_path))
    assert [(Path(f.path).name, f.code, at(f)) for f in findings] == [
        ("b.yaml", "E202", "test-plan")
    ]
    assert f"already used by {(tmp_path / 'a.yaml').as_posix()}" in findings[0].message


def test_self_references(write_plan: WritePlan) -> None:
    path = write_plan(
        "p.yaml",
        {
            "plan.successor": "test-plan",
            "areas.0.actions.1": action("P1.2", carried_from="test-plan/P1.1"),
        },
    )
    findings = run(identity.self_references, portfolio_of(path))
    assert summary(findings) == [("E215", None, "test-plan"), ("E215", "P1.2", "test-plan/P1.1")]


# --------------------------------------------------------------------------- partners


def test_unknown_partner_suggests_the_nearest(write_plan: WritePlan) -> None:
    path = write_plan(
        "p.yaml",
        {
            "areas.0.actions.0.partner": "lccc",
            "plan.accountable": [{"role": "Chief Officer", "partner": "nhs"}],
        },
    )
    findings = run(references.partners, portfolio_of(path))
    assert summary(findings) == [("E203", None, "nhs"), ("E203", "P1.1", "lccc")]
    assert findings[0].message == (
        "partner 'nhs' is not one of this plan's partners (lcc); add it under 'partners:'"
    )
    assert findings[1].message.endswith("did you mean 'lcc'?")


def test_partner_without_partners_listed(write_plan: WritePlan) -> None:
    path = write_plan("p.yaml", {"partners": DELETE})
    [finding] = run(references.partners, portfolio_of(path))
    assert "(none are listed)" in finding.message
    assert at(finding) == "lcc"


# --------------------------------------------------------------------------- carried_from


def closed_old_plan(write_plan: WritePlan, *actions: dict[str, Any], **extra: Any) -> Path:
    overrides = {
        "plan.id": "old-plan",
        "plan.status": "closed",
        "plan.start": date(2018, 4, 1),
        "plan.end": date(2019, 3, 31),
        "plan.successor": "new-plan",
        "areas": [area("FF1", *actions, kind="fundamental-failing")],
    }
    overrides.update(extra)
    return write_plan("old-plan.yaml", overrides)


def new_plan(write_plan: WritePlan, *actions: dict[str, Any], **extra: Any) -> Path:
    overrides = {"plan.id": "new-plan", "areas": [area("N1", *actions)]}
    overrides.update(extra)
    return write_plan("new-plan.yaml", overrides)


def test_carried_from_an_action_that_does_not_exist(write_plan: WritePlan) -> None:
    old = closed_old_plan(write_plan, action("FF1.2", status="complete", completed="2019-01-01"))
    new = new_plan(write_plan, action("N1.1", carried_from="old-plan/FF1.3"))
    [finding] = run(references.carried_from, portfolio_of(old, new))
    assert (finding.code, finding.object, at(finding)) == ("E212", "N1.1", "old-plan/FF1.3")
    assert finding.message == (
        "carried_from 'old-plan/FF1.3': plan 'old-plan' has no action 'FF1.3'; "
        "did you mean 'old-plan/FF1.2'?"
    )


def test_carried_from_a_plan_not_read_is_a_warning_naming_the_files(write_plan: WritePlan) -> None:
    path = write_plan("p.yaml", {"areas.0.actions.0.carried_from": "wsoa-2018/FF1.1"})
    [finding] = run(references.carried_from, portfolio_of(path))
    assert (finding.code, at(finding)) == ("W202", "wsoa-2018/FF1.1")
    assert not finding.is_error
    assert f"files read: {path.as_posix()}" in finding.message


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ({"status": "complete", "completed": date(2019, 1, 15)}, "W204"),
        ({"status": "withdrawn", "withdrawn_reason": "Superseded."}, "W208"),
        ({"status": "in-progress"}, None),
        ({"status": "not-started"}, None),
    ],
)
def test_carried_from_by_source_status(
    write_plan: WritePlan, source: dict[str, Any], code: str | None
) -> None:
    old = closed_old_plan(write_plan, action("FF1.1", **source))
    new = new_plan(write_plan, action("N1.1", carried_from="old-plan/FF1.1"))
    findings = run(references.carried_from, portfolio_of(old, new))
    expected = [(code, "N1.1", "old-plan/FF1.1")] if code else []
    assert summary(findings) == expected


def test_carried_by_a_plan_that_is_not_the_successor(write_plan: WritePlan) -> None:
    old = closed_old_plan(write_plan, action("FF1.1"))
    named = new_plan(write_plan, action("N1.1"))
    other = write_plan(
        "other.yaml",
        {"plan.id": "other-plan", "areas.0.actions.0.carried_from": "old-plan/FF1.1"},
    )
    portfolio = portfolio_of(old, named, other)
    [finding] = run(references.carried_from, portfolio)
    assert (finding.code, finding.object, at(finding)) == ("W209", "P1.1", "old-plan/FF1.1")
    assert "names 'new-plan' as its successor" in finding.message
    assert run(references.dropped_actions, portfolio) == []


# --------------------------------------------------------------------------- successor


def test_successor_not_read_is_a_warning(write_plan: WritePlan) -> None:
    path = write_plan("p.yaml", {"plan.successor": "next-plan"})
    [finding] = run(references.successor, portfolio_of(path))
    assert (finding.code, at(finding)) == ("W201", "next-plan")
    assert f"files read: {path.as_posix()}" in finding.message


def test_successor_read_gives_no_warning_even_when_invalid(write_plan: WritePlan) -> None:
    path = write_plan("p.yaml", {"plan.successor": "next-plan"})
    successor = write_plan("n.yaml", {"plan.id": "next-plan", "plan.kind": "nonsense"})
    portfolio = portfolio_of(path, successor)
    assert portfolio.files[1].plan is None
    assert run(references.successor, portfolio) == []


def test_files_read_are_listed_five_at_most(write_plan: WritePlan, tmp_path: Path) -> None:
    for n in range(7):
        write_plan(f"p{n}.yaml", {"plan.id": f"plan-{n}"})
    write_plan("p0.yaml", {"plan.id": "plan-0", "plan.successor": "missing-plan"})
    [finding] = run(references.successor, portfolio_of(tmp_path))
    names = ", ".join((tmp_path / f"p{n}.yaml").as_posix() for n in range(5))
    assert f"files read: {names} and 2 more" in finding.message


# --------------------------------------------------------------------------- dropped actions


def test_dropped_actions_with_successor_read_are_errors(write_plan: WritePlan) -> None:
    old = closed_old_plan(
        write_plan,
        action("FF1.1", status="complete", completed=date(2019, 1, 15)),
        action("FF1.2"),
        action("FF1.3", status="not-started"),
        action("FF1.4", status="withdrawn", withdrawn_reason="Superseded."),
        action("FF1.5"),
    )
    new = new_plan(write_plan, action("N1.1", carried_from="old-plan/FF1.2"))
    findings = run(references.dropped_actions, portfolio_of(old, new))
    assert summary(findings) == [
        ("E214", "FF1.3", "not-started"),
        ("E214", "FF1.5", "in-progress"),
    ]
    assert "add 'carried_from: old-plan/FF1.3' to an action in 'new-plan'" in findings[0].message


def test_dropped_actions_with_successor_not_read_are_one_warning(write_plan: WritePlan) -> None:
    old = closed_old_plan(write_plan, action("FF1.1"), action("FF1.2", status="not-started"))
    [finding] = run(references.dropped_actions, portfolio_of(old))
    assert (finding.code, finding.object, at(finding)) == ("W206", None, "closed")
    assert "2 open action(s)" in finding.message
    assert "(FF1.1, FF1.2)" in finding.message


def test_dropped_actions_without_a_successor_named_are_errors(write_plan: WritePlan) -> None:
    old = closed_old_plan(write_plan, action("FF1.1"), **{"plan.successor": DELETE})
    [finding] = run(references.dropped_actions, portfolio_of(old))
    assert (finding.code, finding.object, at(finding)) == ("E214", "FF1.1", "in-progress")
    assert "to an action in a successor plan" in finding.message


def test_split_carry_forward_drops_nothing(write_plan: WritePlan) -> None:
    old = closed_old_plan(write_plan, action("FF1.1"), action("FF1.2"))
    new = new_plan(
        write_plan,
        action("N1.1", carried_from="old-plan/FF1.1"),
        action("N1.2", carried_from="old-plan/FF1.1"),
        action("N1.3", carried_from="old-plan/FF1.2"),
        action("N1.4"),
    )
    portfolio = portfolio_of(old, new)
    assert run(references.dropped_actions, portfolio) == []
    assert portfolio.carried_to[("old-plan", "FF1.1")] == [
        ("new-plan", "N1.1"),
        ("new-plan", "N1.2"),
    ]
    assert check([old, new]).findings == ()


def test_open_actions_of_active_and_draft_plans_are_not_dropped(write_plan: WritePlan) -> None:
    active = write_plan("a.yaml", {"plan.id": "a-plan"})
    draft = write_plan("d.yaml", {"plan.id": "d-plan", "plan.status": "draft"})
    assert run(references.dropped_actions, portfolio_of(active, draft)) == []


def test_no_drop_reported_when_the_successor_is_invalid(write_plan: WritePlan) -> None:
    old = closed_old_plan(write_plan, action("FF1.1"))
    new = new_plan(write_plan, action("N1.1", carried_from="old-plan/FF1.1"), **{"plan.kind": "x"})
    assert run(references.dropped_actions, portfolio_of(old, new)) == []


# --------------------------------------------------------------------------- status and dates


def test_status_and_dates(write_plan: WritePlan) -> None:
    path = write_plan(
        "p.yaml",
        {
            "plan.end": date(2019, 3, 1),
            "areas.0.actions": [
                action("A1", status="complete"),
                action("A2", completed=date(2019, 5, 1)),
                action("A3", status="withdrawn"),
                action("A4", withdrawn_reason="Superseded."),
                action("A5", start=date(2020, 1, 1)),
                action(
                    "A6",
                    status="complete",
                    start=date(2019, 6, 1),
                    completed=date(2019, 5, 31),
                ),
                action("A7", start=date(2019, 12, 31), status="withdrawn", withdrawn_reason="x"),
                action(
                    "A8",
                    status="complete",
                    start=date(2019, 6, 1),
                    completed=date(2019, 6, 1),
                ),
            ],
        },
    )
    findings = run(coherence.status_dates, portfolio_of(path))
    assert summary(findings) == [
        ("E208", None, "2019-03-01"),
        ("E204", "A1", "complete"),
        ("E204", "A2", "completed: 2019-05-01"),
        ("E205", "A3", "withdrawn"),
        ("E205", "A4", "withdrawn_reason: Superseded."),
        ("E206", "A5", "2020-01-01"),
        ("E207", "A6", "2019-05-31"),
    ]


def test_date_order(write_plan: WritePlan) -> None:
    path = write_plan(
        "p.yaml",
        {
            "plan.board_meetings": [
                date(2019, 5, 21),
                date(2019, 5, 21),
                date(2019, 7, 16),
                date(2019, 7, 1),
            ],
            "reviews": [
                {"date": date(2019, 10, 2), "by": "DfE", "rating": "amber"},
                {"date": date(2019, 10, 2), "by": "NHSE", "rating": "amber"},
                {"date": date(2019, 7, 10), "by": "DfE", "rating": "red"},
            ],
            "areas.0.actions.0.updates": [
                {"date": date(2019, 6, 1), "note": "a"},
                {"date": date(2019, 6, 1), "note": "b"},
                {"date": date(2019, 5, 1), "note": "c"},
            ],
        },
    )
    findings = run(coherence.date_order, portfolio_of(path))
    assert [(f.code, f.object, f.message) for f in findings] == [
        (
            "E211",
            None,
            "board meeting 2019-05-21 repeats the one above it (2019-05-21); "
            "list them oldest first with no repeats",
        ),
        (
            "E211",
            None,
            "board meeting 2019-07-01 comes before the one above it (2019-07-16); "
            "list them oldest first with no repeats",
        ),
        (
            "E209",
            "P1.1",
            "update 2019-05-01 comes before the one above it (2019-06-01); list them oldest first",
        ),
        (
            "E210",
            None,
            "review 2019-07-10 comes before the one above it (2019-10-02); list them oldest first",
        ),
    ]
    assert [at(f) for f in findings] == ["2019-05-21", "2019-07-01", "2019-05-01", "2019-07-10"]


def test_board_meetings_strictly_ascending_pass(write_plan: WritePlan) -> None:
    path = write_plan("p.yaml", {"plan.board_meetings": [date(2019, 5, 21), date(2019, 5, 22)]})
    assert run(coherence.date_order, portfolio_of(path)) == []


def move(on: date, from_: date, to: date) -> dict[str, Any]:
    return {"on": on, "from": from_, "to": to, "reason": "Agreed by the board."}


JUN, SEP, DEC = date(2019, 6, 30), date(2019, 9, 30), date(2019, 12, 31)
MAY1, AUG1, NOV1 = date(2019, 5, 1), date(2019, 8, 1), date(2019, 11, 1)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"rescheduled": []}, []),
        ({"rescheduled": [move(MAY1, JUN, DEC)]}, []),
        ({"original_due": JUN, "rescheduled": [move(MAY1, JUN, DEC)]}, []),
        (
            {"original_due": JUN, "rescheduled": [move(MAY1, JUN, SEP), move(AUG1, SEP, DEC)]},
            [],
        ),
        (
            {"original_due": date(2019, 7, 31), "rescheduled": [move(MAY1, JUN, DEC)]},
            [(0, "from", "original_due is 2019-07-31")],
        ),
        (
            {"rescheduled": [move(MAY1, JUN, SEP), move(AUG1, date(2019, 10, 31), DEC)]},
            [(1, "from", "the one above moved it to 2019-09-30")],
        ),
        (
            {"rescheduled": [move(MAY1, JUN, SEP)]},
            [(0, "to", "but due is 2019-12-31")],
        ),
        (
            {"original_due": MAY1, "rescheduled": [move(MAY1, JUN, SEP)]},
            [(0, "from", "original_due is 2019-05-01"), (0, "to", "but due is 2019-12-31")],
        ),
        (
            {
                "original_due": JUN,
                "rescheduled": [move(MAY1, JUN, SEP), move(AUG1, SEP, NOV1), move(NOV1, SEP, DEC)],
            },
            [(2, "from", "the one above moved it to 2019-11-01")],
        ),
    ],
    ids=[
        "empty",
        "one-move",
        "one-move-from-original",
        "chain",
        "first-from-not-original",
        "gap",
        "last-to-not-due",
        "both-ends",
        "third-entry",
    ],
)
def test_rescheduled_chain(
    write_plan: WritePlan, fields: dict[str, Any], expected: list[tuple[int, str, str]]
) -> None:
    path = write_plan("p.yaml", {"areas.0.actions.0": action("P1.1", due=DEC, **fields)})
    findings = run(coherence.rescheduling, portfolio_of(path))
    assert [f.code for f in findings] == ["E213"] * len(expected)
    assert [f.object for f in findings] == ["P1.1"] * len(expected)
    for finding, (index, key, text) in zip(findings, expected, strict=True):
        entry = fields["rescheduled"][index]
        assert at(finding) == str(entry[key])
        assert text in finding.message
    # Each finding is on the line of its entry's key, in entry order.
    lines = Path(path).read_text().splitlines()
    for finding, (_, key, _) in zip(findings, expected, strict=True):
        assert lines[finding.line - 1].strip().startswith(f"{key}:")


def test_empty_areas(write_plan: WritePlan) -> None:
    areas = [area("P1"), {"id": "P2", "kind": "priority"}, area("P3", action("P3.1"))]
    active = write_plan("a.yaml", {"plan.id": "a-plan", "areas": areas})
    closed = write_plan("c.yaml", {"plan.id": "c-plan", "plan.status": "closed", "areas": areas})
    draft = write_plan("d.yaml", {"plan.id": "d-plan", "plan.status": "draft", "areas": areas})
    findings = run(coherence.empty_areas, portfolio_of(active, closed, draft))
    assert [(Path(f.path).name, f.code, f.object, at(f)) for f in findings] == [
        ("a.yaml", "E108", "P1", "P1"),
        ("a.yaml", "E108", "P2", "P2"),
        ("c.yaml", "E108", "P1", "P1"),
        ("c.yaml", "E108", "P2", "P2"),
    ]


def test_reviewer_warnings(write_plan: WritePlan) -> None:
    path = write_plan(
        "p.yaml",
        {
            "areas.0.actions": [
                action("A1", status="complete", completed=date(2019, 12, 1), rag="red"),
                action("A2", status="complete", completed=date(2019, 12, 1), rag="red-amber"),
                action("A3", rag="red"),
                action("A4", original_due=date(2019, 12, 31)),
                action("A5", original_due=date(2019, 9, 30)),
                action("A6", title=DELETE),
                action("A7", title=" "),
            ]
        },
    )
    findings = run(coherence.reviewer_warnings, portfolio_of(path))
    assert summary(findings) == [
        ("W203", "A1", "red"),
        ("W205", "A4", "2019-12-31"),
        ("W207", "A6", "A6"),
        ("W207", "A7", "A7"),
    ]
    assert not any(f.is_error for f in findings)


# --------------------------------------------------------------------------- suggestions


def model_findings(write_plan: WritePlan, overrides: dict[str, Any]) -> list[Finding]:
    path = write_plan("p.yaml", overrides)
    return list(check([path]).findings)


def test_unknown_key_suggests_the_key_meant(write_plan: WritePlan) -> None:
    findings = model_findings(
        write_plan,
        {"areas.0.actions.0": action("P1.1", due=DELETE, dew=date(2019, 12, 31))},
    )
    assert [(f.code, at(f)[:4]) for f in findings] == [("E102", "id: "), ("E105", "dew:")]
    assert findings[1].message == "unknown key 'dew' in this action: did you mean 'due'?"
    assert findings[0].message.startswith("this action is missing required key 'due'")


REVIEW = {"date": date(2019, 7, 1), "by": "DfE", "rating": "amber"}


@pytest.mark.parametrize(
    ("overrides", "typo", "context", "meant"),
    [
        ({"plan.sucessor": "x"}, "sucessor", "plan", "successor"),
        ({"areas.0.titel": "x"}, "titel", "area", "title"),
        ({"areas.0.actions.0.staus": "x"}, "staus", "action", "status"),
        ({"reviews": [{**REVIEW, "ratng": "x"}]}, "ratng", "review", "rating"),
        (
            {"areas.0.actions.0.updates": [{"date": date(2019, 7, 1), "note": "n", "nte": "x"}]},
            "nte",
            "update",
            "note",
        ),
        (
            {"plan.accountable": [{"role": "Chief Officer", "partnr": "lcc"}]},
            "partnr",
            "accountable entry",
            "partner",
        ),
    ],
)
def test_unknown_keys_in_each_mapping(
    write_plan: WritePlan, overrides: dict[str, Any], typo: str, context: str, meant: str
) -> None:
    findings = [f for f in model_findings(write_plan, overrides) if f.code == "E105"]
    assert [f.message for f in findings] == [
        f"unknown key '{typo}' in this {context}: did you mean '{meant}'?"
    ]
    assert at(findings[0]).startswith(f"{typo}:")


def test_unknown_top_level_key_lists_the_valid_keys(write_plan: WritePlan) -> None:
    [finding] = model_findings(write_plan, {"zzz": 1})
    assert finding.message == (
        "unknown key 'zzz' in this plan file; valid keys are schema_version, plan, partners, "
        "reviews, areas, indicators"
    )


@pytest.mark.parametrize("written", ["green/amber", "Amber-Green", "Green/Amber", "amber/green"])
def test_blended_rag_names_the_canonical_value(write_plan: WritePlan, written: str) -> None:
    [finding] = model_findings(write_plan, {"areas.0.actions.0.rag": written})
    assert (finding.code, at(finding)) == ("E104", written)
    assert (
        finding.message == f"rag {written!r} is not written the canonical way: write 'amber-green'"
    )


def test_review_rating_names_the_canonical_value(write_plan: WritePlan) -> None:
    overrides = {"reviews": [{"date": date(2019, 7, 1), "by": "DfE", "rating": "Green/Amber"}]}
    [finding] = model_findings(write_plan, overrides)
    assert finding.message == (
        "rating 'Green/Amber' is not written the canonical way: write 'amber-green'"
    )


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("green/amber", "amber-green"),
        ("Amber-Green", "amber-green"),
        ("Green/Amber", "amber-green"),
        ("amber green", "amber-green"),
        ("amber/red", "red-amber"),
        ("Red-Amber", "red-amber"),
        ("G/A", "amber-green"),
        ("RED", "red"),
        (" Green ", "green"),
        ("red/green", None),
        ("red/amber/green", None),
        ("amber/amber", "amber"),
        ("purple", None),
        ("", None),
    ],
)
def test_rag_canonical(written: str, canonical: str | None) -> None:
    assert rag_canonical(written) == canonical


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("done", "complete"),
        ("Complete", "complete"),
        ("completed", "complete"),
        ("in progress", "in-progress"),
        ("In_Progress", "in-progress"),
        ("ongoing", "in-progress"),
        ("cancelled", "withdrawn"),
        ("not started", "not-started"),
        ("zzzz", None),
    ],
)
def test_status_suggestions(written: str, meant: str | None) -> None:
    choices = ["not-started", "in-progress", "complete", "withdrawn"]
    assert suggest_value(written, choices) == meant


def test_status_message_suggests_the_word_meant(write_plan: WritePlan) -> None:
    [finding] = model_findings(write_plan, {"areas.0.actions.0.status": "done"})
    assert finding.message == (
        "status 'done' is not one of not-started, in-progress, complete, withdrawn: "
        "did you mean 'complete'?"
    )
    assert at(finding) == "done"


# --------------------------------------------------------------------------- partial validation


def test_partial_plan_still_gets_its_per_file_findings(write_plan: WritePlan) -> None:
    path = write_plan(
        "p.yaml",
        {
            "plan.successor": "next-plan",
            "areas": [
                area(
                    "P1",
                    action("P1.1", due="2019-02-30"),
                    action("P1.2", status="complete", partner="nhs", rag="red"),
                ),
                area(
                    "P2",
                    action("P2.1", status="wibble"),
                    action("P2.2", start=date(2020, 1, 1)),
                    action("P2.3", carried_from="wsoa-2018/FF1.1"),
                ),
            ],
        },
    )
    result = check([path])
    loaded = result.portfolio.files[0]
    assert loaded.partial
    assert [a.id for _, _, _, a in loaded.plan.iter_actions()] == ["P1.2", "P2.2", "P2.3"]
    assert [(f.code, f.object, at(f)) for f in result.findings] == [
        ("W201", None, "next-plan"),
        ("E106", "P1.1", "'2019-02-30'"),
        ("E204", "P1.2", "complete"),
        ("E203", "P1.2", "nhs"),
        ("W203", "P1.2", "red"),
        ("E104", "P2.1", "wibble"),
        ("E206", "P2.2", "2020-01-01"),
        ("W202", "P2.3", "wsoa-2018/FF1.1"),
    ]


def test_partial_plan_is_not_a_target_of_cross_file_references(write_plan: WritePlan) -> None:
    old = closed_old_plan(
        write_plan,
        action("FF1.1", due="2019-02-30"),
        action("FF1.2", status="complete", completed=date(2019, 1, 15)),
        **{"plan.successor": DELETE},
    )
    new = new_plan(
        write_plan,
        action("N1.1", carried_from="old-plan/FF1.1"),
        action("N1.2", carried_from="old-plan/FF1.2"),
        action("N1.3", carried_from="old-plan/FF9.9"),
    )
    portfolio = portfolio_of(old, new)
    assert portfolio.files[0].partial
    assert "old-plan" not in portfolio.plans
    assert "old-plan" in portfolio.known_ids
    # No E212 for the action set aside nor for the missing one, no W204 for the
    # complete one: the plan is there but invalid, and its own findings say why.
    assert run(references.carried_from, portfolio) == []


def test_partial_successor_does_not_count_as_carrying(write_plan: WritePlan) -> None:
    old = closed_old_plan(write_plan, action("FF1.1"), action("FF1.2"))
    new = new_plan(
        write_plan,
        action("N1.1", carried_from="old-plan/FF1.1"),
        action("N1.2", due="someday"),
    )
    portfolio = portfolio_of(old, new)
    assert portfolio.files[1].partial
    assert portfolio.carried_to == {}
    # The successor is there but invalid: nothing is reported as dropped.
    assert run(references.dropped_actions, portfolio) == []


def test_every_rule_is_run_by_check() -> None:
    assert set(RULES) == {
        identity.duplicate_ids,
        identity.duplicate_plan_ids,
        identity.self_references,
        references.partners,
        references.judged_areas,
        references.carried_from,
        references.successor,
        references.dropped_actions,
        coherence.status_dates,
        coherence.date_order,
        coherence.rescheduling,
        coherence.ongoing_and_blue,
        coherence.due_within_plan,
        coherence.empty_areas,
        coherence.reviewer_warnings,
        indicators.indicators,
        indicators.evidence_links,
        *(r for r in RULES if r.__module__ == "send_plan.rules.privacy"),
    }


# --------------------------------------------------------------------------- indicators


def test_a_context_indicator_with_a_zero_tolerance_is_still_given_one(
    write_plan: WritePlan,
) -> None:
    watched = {"id": "REQ", "title": "Requests", "unit": "number", "polarity": "context"}
    path = write_plan("p.yaml", {"indicators": [{**watched, "tolerance": 0}]})
    assert [f.code for f in run(indicators.indicators, portfolio_of(path))] == ["E508"]
    path = write_plan("q.yaml", {"indicators": [watched]})
    assert run(indicators.indicators, portfolio_of(path)) == []


def test_indicator_references_are_checked_against_every_area_and_action(
    write_plan: WritePlan,
) -> None:
    rated = {"title": "T", "unit": "percent", "polarity": "higher-is-better"}
    path = write_plan(
        "p.yaml",
        {
            "areas": [area("P1", action("P1.1")), area("P2", action("P2.1"))],
            "indicators": [
                {"id": "A", **rated, "areas": ["P2"], "actions": ["P1.1", "P2.1"]},
                {"id": "B", **rated, "areas": ["P3"], "actions": ["P2.2"]},
            ],
        },
    )
    findings = run(indicators.indicators, portfolio_of(path))
    assert [(f.code, f.object, f.message) for f in findings] == [
        ("E502", "B", "'P3' is not an area of this plan"),
        ("E502", "B", "'P2.2' is not an action of this plan: did you mean 'P2.1'?"),
    ]
