"""Plans as councils really write them, and the board paper mistakes they exposed.

Ongoing actions, joint leads and partners, an SRO, no plan end, reviews without
a rating and with area judgements, blue for complete; stale actions at every
boundary; the messages that meet an analyst's mistakes.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from send_plan.cli import app
from send_plan.tracking import status
from send_plan.validation import check, require_valid
from send_plan.vocab import State

runner = CliRunner()


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
    plan: dict[str, Any] = {
        "id": "p",
        "title": "Plan p",
        "local_area": "Lancashire",
        "kind": "accelerated-progress-plan",
        "start": "2019-01-01",
        "end": "2020-12-31",
    }
    plan.update(info)
    plan = {k: v for k, v in plan.items() if v is not None}
    return {
        "schema_version": 1,
        "plan": plan,
        "partners": {"lcc": "Lancashire County Council", "icb": "Lancashire ICB"},
        "areas": [{"id": "A1", "kind": "priority", "title": "Area one", "actions": actions}],
    }


def write(tmp_path: Path, doc: dict[str, Any]) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def tracked(tmp_path: Path, doc: dict[str, Any], as_of: date) -> dict[str, Any]:
    write(tmp_path, doc)
    report = status(require_valid([tmp_path]).portfolio, as_of)
    return {t.action.id: t for t in report.actions}


# --------------------------------------------------------------------------- ongoing


def test_ongoing_work_is_never_overdue_or_due_soon(tmp_path: Path) -> None:
    doc = plan_doc(
        [
            action("O", due="ongoing"),
            action("N", due="ongoing", status="not-started", start="2019-02-01"),
        ]
    )
    found = tracked(tmp_path, doc, date(2025, 1, 1))
    assert found["O"].state is State.ON_TRACK
    assert found["O"].days_overdue is None
    assert found["O"].slip_days is None
    assert found["N"].late_start  # still late to start


def test_ongoing_in_json_and_counts(tmp_path: Path) -> None:
    write(tmp_path, plan_doc([action("O", due="ongoing")]))
    out = runner.invoke(app, ["status", str(tmp_path), "--as-of", "2019-03-01", "-f", "json"])
    assert out.exit_code == 0, out.stderr
    [row] = json.loads(out.stdout)["actions"]
    assert row["due"] == "ongoing"
    assert (row["days_overdue"], row["slip_days"]) == (None, None)


# --------------------------------------------------------------------------- joint leads


def test_joint_leads_and_partners_match_any_and_json_keeps_both_forms(tmp_path: Path) -> None:
    joint = action(
        "J",
        lead=["Director of Education", "Chief Nurse, ICB"],
        partner=["lcc", "icb"],
        sro="Executive Director",
    )
    write(tmp_path, plan_doc([joint, action("S", partner="lcc")]))
    base = ["status", str(tmp_path), "--as-of", "2019-03-01", "-f", "json", "--no-history"]
    rows = json.loads(runner.invoke(app, [*base, "--lead", "chief nurse"]).stdout)["actions"]
    assert [r["id"] for r in rows] == ["J"]
    [row] = rows
    assert row["lead"] == "Director of Education; Chief Nurse, ICB"
    assert row["leads"] == ["Director of Education", "Chief Nurse, ICB"]
    assert (row["partner"], row["partners"]) == ("lcc; icb", ["lcc", "icb"])
    assert row["sro"] == "Executive Director"
    rows = json.loads(runner.invoke(app, [*base, "--partner", "icb"]).stdout)["actions"]
    assert [r["id"] for r in rows] == ["J"]
    rows = json.loads(runner.invoke(app, [*base, "--partner", "lcc"]).stdout)["actions"]
    assert [r["id"] for r in rows] == ["J", "S"]
    single = json.loads(runner.invoke(app, base).stdout)["actions"][1]
    assert (single["leads"], single["partners"]) == (["Head of Service, Inclusion"], ["lcc"])


def test_each_joint_partner_must_be_a_partner(tmp_path: Path) -> None:
    write(tmp_path, plan_doc([action("J", partner=["lcc", "Lancashire ICB"])]))
    [finding] = check([tmp_path]).findings
    assert finding.code == "E203"
    assert finding.key_path == ("areas", 0, "actions", 0, "partner", 1)
    assert "write its key 'icb'" in finding.message


# --------------------------------------------------------------------------- blue, judgements, no end


def test_blue_counts_and_ranks_as_complete(tmp_path: Path) -> None:
    doc = plan_doc([action("B", status="complete", completed="2019-02-01", rag="blue")])
    write(tmp_path, doc)
    report = status(require_valid([tmp_path]).portfolio, date(2019, 3, 1))
    assert report.plans[0].counts.rag["blue"] == 1


def test_a_plan_without_an_end(tmp_path: Path) -> None:
    write(tmp_path, plan_doc([action("A", due="2030-01-01")], end=None))
    assert check([tmp_path]).findings == ()
    out = runner.invoke(
        app, ["report", "board-summary", str(tmp_path), "--as-of", "2019-03-01", "--no-history"]
    )
    assert out.exit_code == 0, out.stderr
    assert "| Plan period | from 1 January 2019 |" in out.stdout


def test_review_without_rating_and_area_judgements_in_the_board_summary(tmp_path: Path) -> None:
    doc = plan_doc([action("A")])
    doc["reviews"] = [
        {
            "date": "2019-02-01",
            "by": "Ofsted and CQC",
            "areas": [{"area": "A1", "judgement": "not-sufficient", "note": "Too slow."}],
        },
    ]
    write(tmp_path, doc)
    out = runner.invoke(
        app, ["report", "board-summary", str(tmp_path), "--as-of", "2019-03-01", "--no-history"]
    ).stdout
    assert "The latest external review was by Ofsted and CQC on 1 February 2019." in out
    assert "| A1 | Not sufficient progress | Too slow. |" in out
    earlier = runner.invoke(
        app, ["report", "board-summary", str(tmp_path), "--as-of", "2019-01-15", "--no-history"]
    ).stdout
    assert "Not sufficient progress" not in earlier  # nothing dated after as-of


# --------------------------------------------------------------------------- stale


@pytest.mark.parametrize(
    ("meetings", "update", "as_of", "stale"),
    [
        (["2019-03-01"], "2019-03-01", "2019-03-20", True),  # on the board date: not after it
        (["2019-03-01"], "2019-03-02", "2019-03-20", False),
        (["2019-03-01"], "2019-03-20", "2019-03-20", False),  # on as-of counts
        (["2019-03-01"], "2019-03-21", "2019-03-20", True),  # after as-of does not exist yet
        ([], "2019-02-20", "2019-03-20", False),  # no meeting: D - 28 = 2019-02-20... after it?
        ([], "2019-02-21", "2019-03-20", False),
        (["2019-04-01"], "2019-02-20", "2019-03-20", True),  # no meeting before D: D - 28
        (["2019-04-01"], "2019-02-21", "2019-03-20", False),
    ],
)
def test_stale_at_every_boundary(
    tmp_path: Path, meetings: list[str], update: str, as_of: str, stale: bool
) -> None:
    if not meetings and update == "2019-02-20":
        stale = True  # (B, D] with B = D - 28 days = 2019-02-20: excluded
    doc = plan_doc(
        [action("A", updates=[{"date": update, "note": "Progress."}])], board_meetings=meetings
    )
    assert tracked(tmp_path, doc, date.fromisoformat(as_of))["A"].stale is stale


def test_stale_needs_work_under_way(tmp_path: Path) -> None:
    doc = plan_doc(
        [
            action("NS", status="not-started"),  # not started, not late: not chased
            action("LATE", status="not-started", start="2019-01-10"),  # late start: chased
            action("FUT", start="2019-06-01"),  # has not begun
            action("DONE", status="complete", completed="2019-01-05"),
        ]
    )
    found = tracked(tmp_path, doc, date(2019, 3, 20))
    assert {k: t.stale for k, t in found.items()} == {
        "NS": False,
        "LATE": True,
        "FUT": False,
        "DONE": False,
    }


def test_status_csv_has_stale_and_latest_update(tmp_path: Path) -> None:
    doc = plan_doc(
        [
            action(
                "A",
                updates=[
                    {"date": "2019-02-01", "note": "Started."},
                    {"date": "2019-05-01", "note": "Later."},
                ],
            )
        ]
    )
    write(tmp_path, doc)
    out = runner.invoke(
        app, ["status", str(tmp_path), "--as-of", "2019-03-20", "-f", "csv", "--no-history"]
    ).stdout
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert (row["stale"], row["latest_update_date"], row["latest_update"]) == (
        "true",
        "2019-02-01",
        "Started.",
    )


# --------------------------------------------------------------------------- board paper


def test_meeting_row_names_the_meeting_the_paper_is_for(tmp_path: Path) -> None:
    write(tmp_path, plan_doc([action("A")], board_meetings=["2019-06-18", "2019-12-10"]))
    args = ["report", "board-summary", str(tmp_path), "--as-of", "2019-11-15", "--no-history"]
    assert "| Meeting | 10 December 2019 |" in runner.invoke(app, args).stdout
    chosen = runner.invoke(app, [*args, "--meeting", "2019-11-20"]).stdout
    assert "| Meeting | 20 November 2019 |" in chosen


def test_no_board_named_no_placeholder(tmp_path: Path) -> None:
    write(tmp_path, plan_doc([action("A")]))
    out = runner.invoke(
        app, ["report", "board-summary", str(tmp_path), "--as-of", "2019-03-01", "--no-history"]
    ).stdout
    assert "| Board |" not in out
    assert "That the Board:" in out
    assert "No board meetings are listed in the plan" in out


def test_dates_outside_the_plan_are_noted(tmp_path: Path) -> None:
    write(tmp_path, plan_doc([action("A")]))
    before = runner.invoke(
        app, ["status", str(tmp_path), "--as-of", "2018-12-01", "-f", "markdown", "--no-history"]
    ).stdout
    assert "the plan starts on 2019-01-01: as of 2018-12-01 none of its work has begun" in before
    after = runner.invoke(
        app, ["status", str(tmp_path), "--as-of", "2021-02-01", "-f", "json", "--no-history"]
    ).stdout
    [note] = json.loads(after)["plans"][0]["notes"]
    assert note.startswith("the plan ended on 2020-12-31 but is still active")


def test_terminal_header_says_one_action(tmp_path: Path) -> None:
    write(tmp_path, plan_doc([action("A")]))
    out = runner.invoke(app, ["status", str(tmp_path), "--as-of", "2019-03-01", "--no-history"])
    assert "— 1 action " in out.stdout or "— 1 action─" in out.stdout
    assert "no board meetings listed" in out.stdout


def test_notes_keep_their_lines_in_markdown(tmp_path: Path) -> None:
    note = "Two things:\n- the <draft> policy\n- the offer\n\nNext paragraph."
    doc = plan_doc([action("A", due="2019-02-01", updates=[{"date": "2019-02-10", "note": note}])])
    write(tmp_path, doc)
    out = runner.invoke(
        app, ["report", "board-summary", str(tmp_path), "--as-of", "2019-03-01", "--no-history"]
    ).stdout
    assert "Two things:<br>- the &lt;draft&gt; policy<br>- the offer<br><br>Next paragraph." in out


# --------------------------------------------------------------------------- messages


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("start: 31/05/2019", "'31/05/2019' is not written the ISO way: write it as 2019-05-31"),
        ("start: 31 May 2019", "'31 May 2019' is not written the ISO way: write it as 2019-05-31"),
    ],
)
def test_dates_written_the_uk_way_get_the_iso_spelling(
    tmp_path: Path, text: str, expected: str
) -> None:
    body = yaml.safe_dump(plan_doc([action("A")]), sort_keys=False)
    (tmp_path / "p.yaml").write_text(body.replace("start: '2019-01-01'", text), encoding="utf-8")
    [finding] = check([tmp_path]).findings
    assert finding.code == "E106"
    assert expected in finding.message


@pytest.mark.parametrize(
    ("word", "hint"),
    [
        ("delayed", "a delayed action is in-progress or not-started"),
        ("on hold", "an action on hold is in-progress or not-started"),
        ("work in progress", "did you mean 'in-progress'?"),
        ("done", "did you mean 'complete'?"),
        ("not due", "'not due' is worked out from the due date"),
    ],
)
def test_statuses_written_as_trackers_do(tmp_path: Path, word: str, hint: str) -> None:
    write(tmp_path, plan_doc([action("A", status=word)]))
    [finding] = check([tmp_path]).findings
    assert (finding.code, finding.key_path[-1]) == ("E104", "status")
    assert hint in finding.message


def test_colon_in_plain_text_and_tabs_are_named(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("schema_version: 1\nplan:\n  title: 1: Leadership\n")
    (tmp_path / "b.yaml").write_text("schema_version: 1\nplan:\n\tid: x\n")
    first, second = check([tmp_path]).findings
    assert 'put the text in quotes: title: "1: Leadership"' in first.message
    assert (second.line, second.column) == (3, 1)
    assert "a tab in the indentation" in second.message


def test_status_csv_never_writes_a_live_formula(tmp_path: Path) -> None:
    title = '=HYPERLINK("http://evil.example/","Click")'
    write(tmp_path, plan_doc([action("A", title=title, lead="@SUM(1+1)")]))
    out = runner.invoke(
        app, ["status", str(tmp_path), "--as-of", "2019-03-20", "-f", "csv", "--no-history"]
    ).stdout
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert row["title"] == "'" + title
    assert row["lead"] == "'@SUM(1+1)"


def test_dollar_signs_in_a_title_are_drawn_as_written(tmp_path: Path) -> None:
    from send_plan.render.chart import state_chart

    areas = [
        {
            "id": "A1",
            "counts": dict.fromkeys(
                ["complete", "on-track", "due-soon", "overdue", "carried-forward", "withdrawn"], 1
            ),
            "rag": dict.fromkeys(
                ["red", "red-amber", "amber", "amber-green", "green", "blue", "unrated"], 1
            ),
        }
    ]
    png = state_chart(areas, "Save $5m and $10m: the {unbalanced $ plan")
    assert png.startswith(b"\x89PNG")


def test_plan_text_is_never_rich_markup_in_the_terminal(tmp_path: Path) -> None:
    title = "[/Draft] [red]urgent[/red] [link=http://evil.example]click[/link]"
    write(tmp_path, plan_doc([action("A", title=title, due="2019-02-01")]))
    result = runner.invoke(
        app,
        ["status", str(tmp_path), "--as-of", "2019-03-20", "--no-history"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.stderr
    assert title in result.stdout
    assert "\x1b]8;" not in result.stdout  # no terminal hyperlink was made


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--as-of", "9999-12-31"],
        ["status", "--as-of", "2019-11-01", "--window", "1000000000000"],
        ["revisit", "--notified", "9999-11-01"],
        ["report", "board-summary", "--as-of", "9999-12-31"],
    ],
)
def test_dates_that_would_overflow_are_a_usage_error(args: list[str]) -> None:
    result = runner.invoke(app, [*args, *(["plans"] if args[0] != "revisit" else [])])
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
