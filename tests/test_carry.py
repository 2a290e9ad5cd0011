"""Closing a plan: final positions, carry-forward, atomic writes."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from send_plan.cli import app
from send_plan.errors import RefusedOverwrite
from send_plan.files import write_atomic
from send_plan.loader import load_text
from send_plan.tracking import final_positions
from send_plan.validation import check, require_valid
from send_plan.vocab import Position

ROOT = Path(__file__).resolve().parent.parent
WSOA = ROOT / "plans" / "wsoa-2018.yaml"
runner = CliRunner()


def _action(ident: str, status: str = "in-progress", **extra: Any) -> dict[str, Any]:
    action = {"id": ident, "title": f"Action {ident}", "lead": "Head of SEND", "due": "2019-01-31"}
    action["status"] = status
    if status == "complete":
        action["completed"] = "2019-01-15"
    if status == "withdrawn":
        action["withdrawn_reason"] = "Merged into another action."
    action.update(extra)
    return action


def _plan(plan_id: str, actions: list[dict[str, Any]], **info: Any) -> dict[str, Any]:
    plan = {
        "id": plan_id,
        "title": f"Plan {plan_id}",
        "local_area": "Lancashire",
        "kind": "written-statement-of-action",
        "start": "2018-04-25",
        "end": "2019-01-31",
    }
    plan.update(info)
    return {
        "schema_version": 1,
        "plan": plan,
        "areas": [
            {"id": "SW1", "kind": "significant-weakness", "title": "One", "actions": actions}
        ],
    }


def _write(folder: Path, *docs: dict[str, Any]) -> None:
    for doc in docs:
        (folder / f"{doc['plan']['id']}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))


def test_final_positions_complete_withdrawn_carried_split_dropped(tmp_path: Path) -> None:
    old = _plan(
        "old",
        [
            _action("A", "complete"),
            _action("B", "withdrawn"),
            _action("C"),
            _action("D", "not-started"),
        ],
        status="active",
    )
    new = _plan(
        "new",
        [_action("N1", carried_from="old/C"), _action("N2", carried_from="old/C")],
        kind="improvement-plan",
        start="2019-02-01",
        end="2020-12-31",
    )
    _write(tmp_path, old, new)
    portfolio = require_valid([tmp_path]).portfolio
    positions = final_positions(portfolio, portfolio.plan("old"))  # type: ignore[arg-type]
    by_id = {fp.action.id: fp for fp in positions.actions}
    assert by_id["A"].position is Position.COMPLETE
    assert by_id["A"].date == date(2019, 1, 15)
    assert by_id["B"].position is Position.WITHDRAWN
    assert by_id["B"].reason == "Merged into another action."
    assert by_id["C"].position is Position.CARRIED_FORWARD
    assert by_id["C"].carried_to == (("new", "N1"), ("new", "N2"))
    assert by_id["D"].position is Position.OPEN  # the plan is still active
    assert positions.totals()["carried-forward"] == 1


def test_a_closed_plans_uncarried_open_action_is_dropped(tmp_path: Path) -> None:
    _write(tmp_path, _plan("old", [_action("A")], status="closed"))
    result = check([tmp_path])
    assert [f.code for f in result.findings] == ["E214"]
    positions = final_positions(result.portfolio, result.portfolio.plan("old"))  # type: ignore[arg-type]
    assert positions.actions[0].position is Position.DROPPED


def test_unknown_successor_plan_is_a_warning_and_the_position_is_not_known(
    tmp_path: Path,
) -> None:
    _write(tmp_path, _plan("old", [_action("A")], status="closed", successor="elsewhere"))
    result = check([tmp_path])
    assert sorted(f.code for f in result.findings) == ["W201", "W206"]
    assert result.ok
    positions = final_positions(result.portfolio, result.portfolio.plan("old"))  # type: ignore[arg-type]
    assert positions.actions[0].position is Position.UNRESOLVED


def test_carry_forward_writes_a_draft_that_validates_with_its_source(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "wsoa-2018.yaml").write_bytes(WSOA.read_bytes())
    out = plans / "next.yaml"
    result = runner.invoke(
        app, ["carry-forward", "wsoa-2018", "--to", "next-plan", str(plans), "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    text = out.read_text()
    assert text.startswith("# Draft successor to wsoa-2018")
    doc = yaml.safe_load(text)
    assert list(doc) == ["schema_version", "plan", "partners", "areas"]
    assert doc["plan"]["status"] == "draft"
    assert doc["plan"]["kind"] == "improvement-plan"
    assert doc["plan"]["start"] == date(2019, 2, 1)  # the day after the WSoA ends
    assert doc["plan"]["end"] - doc["plan"]["start"] == date(2019, 1, 31) - date(2018, 4, 25)
    actions = [a for area in doc["areas"] for a in area["actions"]]
    assert len(actions) == 14
    assert all(a["carried_from"] == f"wsoa-2018/{a['id']}" for a in actions)
    assert all("updates" not in a for a in actions)
    moved = next(a for a in actions if "rescheduled" in a)
    assert moved["original_due"] < moved["due"]
    assert list(moved)[-2:] == ["carried_from", "rescheduled"]
    # the area keeps its id, kind and title
    assert doc["areas"][0]["kind"] == "fundamental-failing"
    # with the source, the portfolio validates as it is: the open actions are no longer dropped
    follow = check([plans])
    assert follow.ok, [f.message for f in follow.findings]
    assert not [f for f in follow.findings if f.code in ("E214", "W206")]


def test_carry_forward_prints_to_stdout_without_o() -> None:
    result = runner.invoke(app, ["carry-forward", "wsoa-2018", "--to", "x", str(WSOA)])
    assert result.exit_code == 0
    assert "carried_from: wsoa-2018/FF1.4" in result.stdout


def test_carry_forward_options(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "carry-forward", "wsoa-2018", "--to", "app-2020", str(WSOA),
            "--title", "Accelerated Progress Plan", "--kind", "accelerated-progress-plan",
            "--start", "2020-06-01", "--end", "2021-05-31",
        ],
    )  # fmt: skip
    assert result.exit_code == 0
    plan = yaml.safe_load(result.stdout)["plan"]
    assert plan["title"] == "Accelerated Progress Plan"
    assert plan["kind"] == "accelerated-progress-plan"
    assert (plan["start"], plan["end"]) == (date(2020, 6, 1), date(2021, 5, 31))


def test_nothing_to_carry_says_so_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "next.yaml"
    result = runner.invoke(
        app, ["carry-forward", "wsoa-2018", "--to", "x", str(ROOT / "plans"), "-o", str(out)]
    )
    assert result.exit_code == 0
    assert "nothing to carry" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope", "--to", "x"], "no plan 'nope'"),
        (["wsoa-2018", "--to", "wsoa-2018"], "already used"),
        (["wsoa-2018", "--to", "Bad Id"], "not a plan id"),
        (["wsoa-2018", "--to", "x", "--start", "2019-02-30"], "not a real date"),
    ],
)
def test_carry_forward_refusals_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["carry-forward", *args[:1], *args[1:], str(WSOA)])
    assert result.exit_code == 2
    assert message in result.stderr


def test_carry_forward_never_overwrites_without_force(tmp_path: Path) -> None:
    out = tmp_path / "next.yaml"
    out.write_text("precious\n")
    args = ["carry-forward", "wsoa-2018", "--to", "x", str(WSOA), "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert out.read_text() == "precious\n"
    result = runner.invoke(app, [*args, "--force"])
    assert result.exit_code == 0
    assert "carried_from" in out.read_text()


def test_atomic_write_leaves_the_old_file_intact_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.yaml"
    target.write_text("old contents\n")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(Exception, match="No space left"):
        write_atomic(target, b"new contents that never land\n", force=True)
    assert target.read_text() == "old contents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


def test_atomic_write_refuses_existing_file_and_folders(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    target.write_text("x")
    with pytest.raises(RefusedOverwrite):
        write_atomic(target, b"y")
    with pytest.raises(Exception, match="is a folder"):
        write_atomic(tmp_path, b"y", force=True)
    assert target.read_text() == "x"


def test_carry_forward_repairs_a_closed_plan_whose_actions_were_dropped(tmp_path: Path) -> None:
    _write(tmp_path, _plan("old", [_action("A"), _action("B", "complete")], status="closed"))
    assert [f.code for f in check([tmp_path]).findings] == ["E214"]
    out = tmp_path / "new.yaml"
    result = runner.invoke(
        app, ["carry-forward", "old", "--to", "new", str(tmp_path), "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    # the carried action keeps its deadline, which has passed when the new plan starts
    assert [f.code for f in check([tmp_path]).findings] == ["W211"]
    assert "already past due when the new plan starts: A; give --due DATE" in result.stderr


def test_carry_forward_due_gives_past_due_actions_a_recorded_new_deadline(
    tmp_path: Path,
) -> None:
    _write(tmp_path, _plan("old", [_action("A"), _action("B", "complete")], status="closed"))
    out = tmp_path / "new.yaml"
    args = ["carry-forward", "old", "--to", "new", str(tmp_path), "-o", str(out)]
    result = runner.invoke(app, [*args, "--due", "2019-06-30"])
    assert result.exit_code == 0, result.stderr
    assert "new deadline 2019-06-30 for 1 action(s) already past due" in result.stderr
    assert check([tmp_path]).findings == ()
    plan = load_text("new", out.read_bytes()).data
    assert plan is not None
    [carried] = plan["areas"][0]["actions"]
    assert carried["due"] == "2019-06-30"
    [move] = carried["rescheduled"]
    assert (move["to"], move["from"]) == ("2019-06-30", carried["original_due"])
    assert "carried forward from old/A" in move["reason"]


def test_carry_forward_still_refuses_other_errors(tmp_path: Path) -> None:
    _write(tmp_path, _plan("old", [_action("A", rag="purple")], status="closed"))
    result = runner.invoke(app, ["carry-forward", "old", "--to", "new", str(tmp_path)])
    assert result.exit_code == 1
    assert "E104" in result.stderr


def test_written_files_follow_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    old = os.umask(0o022)
    try:
        write_atomic(target, b"x")
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644
