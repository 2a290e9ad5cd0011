"""``send-plan init --demo``: a new repository whose git history replays the example plans.

Timing: ``send-plan init --demo`` takes about 2 s on the project's machine (2
shared cores; the budget is 5 s). It is recorded (``init_demo_seconds`` in the
JUnit properties, printed with ``-s``), not asserted: shared machines vary too
much for a timed test.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from send_plan.cli import app
from send_plan.demo import ANALYST, PARTNER, build, examples_folder
from send_plan.git.digests import ActionDigest
from send_plan.git.gate import change_findings
from send_plan.git.repo import Repository
from send_plan.git.timeline import slips
from send_plan.loader import load_text
from send_plan.modelcheck import to_model
from send_plan.portfolio import Portfolio
from send_plan.rewind import last_event
from send_plan.scaffold import PRE_COMMIT, WORKFLOW
from send_plan.validation import check, check_portfolio
from send_plan.yamlout import plan_data

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"
runner = CliRunner()
CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}


def git(where: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=where, env=CLEAN_ENV, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """The demo repository, and how long it took to build (in this process)."""
    folder = tmp_path_factory.mktemp("demo") / "demo"
    started = time.perf_counter()
    build(folder)
    return folder, time.perf_counter() - started


@pytest.fixture
def demo(built: tuple[Path, float]) -> Path:
    return built[0]


def test_timing_is_recorded(built: tuple[Path, float], record_property: Any) -> None:
    record_property("init_demo_seconds", f"{built[1]:.2f}")
    print(f"init --demo took {built[1]:.2f} s")


def expected_files() -> dict[str, bytes]:
    files = {
        f"plans/{p.relative_to(PLANS).as_posix()}": p.read_bytes()
        for p in sorted(PLANS.rglob("*.y*ml"))
    }
    files[".github/workflows/send-plan.yml"] = WORKFLOW.encode()
    files[".pre-commit-config.yaml"] = PRE_COMMIT.encode()
    return files


def test_the_last_commit_holds_the_example_plans_byte_for_byte(demo: Path) -> None:
    expected = expected_files()
    assert sorted(git(demo, "ls-tree", "-r", "--name-only", "HEAD").split()) == sorted(expected)
    for path, data in expected.items():
        shown = subprocess.run(
            ["git", "show", f"HEAD:{path}"], cwd=demo, env=CLEAN_ENV, capture_output=True
        )
        assert shown.stdout == data, path
        assert (demo / path).read_bytes() == data, path
    assert git(demo, "status", "--porcelain") == ""
    assert git(demo, "symbolic-ref", "HEAD").strip() == "refs/heads/main"


def commits(demo: Path) -> list[tuple[str, str, str, str, str]]:
    out = git(demo, "log", "--reverse", "--format=%H%x00%an%x00%cn%x00%aI%x00%cI")
    return [tuple(line.split("\x00")) for line in out.splitlines()]  # type: ignore[misc]


def test_commits_are_dated_and_made_by_posts(demo: Path) -> None:
    found = commits(demo)
    assert 20 <= len(found) <= 80
    assert {c[1] for c in found} == {c[2] for c in found} == {PARTNER[0], ANALYST[0]}
    assert all(c[3] == c[4] for c in found)  # authored and committed at the same time
    days = [c[3][:10] for c in found]
    assert days == sorted(days)
    assert days[0] == "2018-04-25"  # the WSoA's acceptance
    plans = {f.plan.id: plan_data(f.plan) for f in check([PLANS]).portfolio.files}
    assert days[-1] == last_event(plans).isoformat()  # the last record in the example plans
    assert found[0][3].endswith("+01:00")  # British Summer Time
    assert any(c[3].startswith("2018-12") and c[3].endswith("+00:00") for c in found)
    subjects = git(demo, "log", "--format=%s").splitlines()
    assert "Board 13 November 2018: SW6.2 deadline moved to 31 January 2019" in subjects
    assert any(
        s.startswith("Lancashire SEND Improvement Plan 2019-2020 approved: ") for s in subjects
    )


def test_every_version_validates_and_passes_the_change_rules(demo: Path) -> None:
    repository = Repository.open([demo / "plans"])
    repo, specs = repository.git, repository.specs
    revs = repo.run("rev-list", "--reverse", "HEAD").split()
    trees = [(repo.resolve(rev), repo.tree(repo.resolve(rev), specs)) for rev in revs]
    blobs = dict(repo.read_blobs(blob for _, tree in trees for blob in tree.values()))
    previous = None
    for commit, tree in trees[1:]:  # the first commit is the scaffold alone
        files = []
        for path, blob in sorted(tree.items()):
            loaded = load_text(path, blobs[blob])
            to_model(loaded)
            files.append(loaded)
        result = check_portfolio(Portfolio(files))
        assert result.ok, (commit.subject, result.errors())
        if previous is not None:
            base = repository.snapshot(previous)
            assert list(change_findings(files, base)) == [], commit.subject
        previous = commit


def test_history_slips_and_completions_agree_with_the_files(demo: Path) -> None:
    paths = [demo / "plans"]
    seen_moves: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    completed_on: dict[tuple[str, str], str] = {}
    last: dict[tuple[str, str], ActionDigest] = {}
    for step in Repository.open(paths).walk():
        assert step.warnings == []
        for pid, digest in step.plans.items():
            for aid, a in digest.actions.items():
                before = last.get((pid, aid))
                if before is not None and before.due != a.due:
                    seen_moves.setdefault((pid, aid), []).append(
                        (step.commit.day, before.due, a.due)
                    )
                if a.status == "complete" and (pid, aid) not in completed_on:
                    completed_on[(pid, aid)] = step.commit.day
                last[(pid, aid)] = a
    figures = slips(paths)
    for plan in check([PLANS]).portfolio.valid_plans():
        for _, _, _, action in plan.iter_actions():
            key = (plan.id, action.id)
            recorded = [
                (r.on.isoformat(), r.from_.isoformat(), r.to.isoformat())
                for r in action.rescheduled
            ]
            assert seen_moves.get(key, []) == recorded, key
            if action.deadline is None:
                assert key not in figures  # ongoing work has no slip
                continue
            slip = figures[key]
            assert slip.deadline_moves == len(action.rescheduled)
            assert slip.slip_days == (action.slip_days or 0)
            if action.completed is not None:
                seen = date.fromisoformat(completed_on[key])
                assert action.completed <= seen <= action.completed + timedelta(days=31), key


def cli(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_history_of_a_moved_action_shows_each_move_with_its_reason(demo: Path) -> None:
    code, out, err = cli("history", "wsoa-2018/SW6.2", str(demo / "plans"), "--format", "json")
    assert code == 0, err
    assert err == ""
    doc = json.loads(out)
    moves = [(e["date"], e["from"], e["to"]) for e in doc["events"] if e["kind"] == "due"]
    assert moves == [
        ("2018-09-18", "2018-10-31", "2018-12-31"),
        ("2018-11-13", "2018-12-31", "2019-01-31"),
    ]
    assert doc["events"][0]["kind"] == "added"
    assert doc["events"][0]["date"] == "2018-04-25"
    assert all(e["reason"] for e in doc["events"] if e["kind"] == "due")
    assert (doc["deadline_moves"], doc["slip_days"]) == (2, 92)


def test_changes_since_a_board_meeting_are_what_happened_after_it(demo: Path) -> None:
    args = ("changes", "--since", "2019-09-17", "--until", "2019-11-19", str(demo / "plans"))
    code, out, err = cli(*args, "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert (doc["since"]["date"], doc["until"]["date"]) == ("2019-09-17", "2019-11-19")
    found = {(c["action"], c["kind"]) for c in doc["changes"]}
    assert ("P3.4", "due") in found  # moved at the board on 19 November 2019
    assert ("P1.2", "completed") in found  # completed on 29 October 2019
    assert ("P4.12", "due") not in found  # moved in January 2020, later


def test_the_board_summary_shows_the_changes_since_the_last_board(demo: Path) -> None:
    code, out, err = cli(
        "report", "board-summary", str(demo / "plans"),
        "--plan", "send-improvement-plan-2019", "--as-of", "2019-11-19",
    )  # fmt: skip
    assert code == 0, err
    section = out.split("Changes since the last report", 1)[1]
    assert "Changes since 17 September 2019" in section
    assert "| P3.4 | deadline | 2019-12-31 | 2020-06-30 |" in section


def test_the_same_plans_give_the_same_history_whatever_the_user_s_git_settings(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooks = tmp_path / "template" / "hooks"
    hooks.mkdir(parents=True)
    marker = tmp_path / "hook-ran"
    for hook in ("post-checkout", "pre-commit", "post-commit", "reference-transaction"):
        (hooks / hook).write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
        (hooks / hook).chmod(0o755)
    config = tmp_path / "gitconfig"
    config.write_text(
        "[user]\n\tname = A Real Person\n\temail = person@example.org\n"
        f"[init]\n\ttemplateDir = {tmp_path / 'template'}\n\tdefaultBranch = trunk\n"
        f"[core]\n\thooksPath = {hooks}\n\tautocrlf = true\n"
        "[commit]\n\tgpgSign = true\n[gpg]\n\tprogram = false\n"
    )
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_AUTHOR_NAME", "A Real Person")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2030-01-01T00:00:00+00:00")
    again = tmp_path / "again"
    build(again)
    assert not marker.exists()
    assert git(again, "rev-parse", "HEAD") == git(demo, "rev-parse", "HEAD")


def test_it_never_touches_an_existing_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outer = tmp_path / "outer"
    outer.mkdir()
    git(outer, "init", "-q")
    (outer / "notes.txt").write_text("mine\n")
    git(outer, "add", "notes.txt")
    git(outer, "-c", "user.name=Me", "-c", "user.email=me@example.org", "commit", "-qm", "mine")
    before = (git(outer, "rev-parse", "HEAD"), git(outer, "count-objects", "-v"))
    (outer / "demo").mkdir()
    monkeypatch.setenv("GIT_DIR", str(outer / ".git"))  # as inside a git hook
    monkeypatch.setenv("GIT_WORK_TREE", str(outer))
    code, _, err = cli("init", "--demo", str(outer / "demo"))  # an empty folder will do
    assert code == 0, err
    assert f"created {outer / 'demo'}: a plan repository with" in err
    assert f"next: cd {outer / 'demo'} && send-plan changes --since 20" in err
    assert (git(outer, "rev-parse", "HEAD"), git(outer, "count-objects", "-v")) == before
    assert (outer / "demo" / ".git").is_dir()
    assert git(outer / "demo", "rev-parse", "--show-toplevel").strip() == str(outer / "demo")


def test_it_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me\n")
    code, _, err = cli("init", "--demo", str(tmp_path))
    assert code == 2
    assert "not empty" in err
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]
    (tmp_path / "file").write_text("")
    code, _, err = cli("init", "--demo", str(tmp_path / "file"))
    assert code == 2
    assert "not a folder" in err


def test_without_git_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, _, err = cli("init", "--demo", str(tmp_path / "demo"))
    assert code == 2
    assert err == "send-plan: error: git is not installed (or not on PATH); init --demo needs it\n"
    assert not (tmp_path / "demo").exists()


def test_the_example_plans_are_found_in_a_source_tree() -> None:
    assert examples_folder() == PLANS
