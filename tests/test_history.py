"""Git history: real temporary repositories with dated commits, no mocked git."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from send_plan.cli import app
from send_plan.git.digests import ActionDigest, PlanDigest, _parallel, digest, from_json, to_json
from send_plan.git.plumbing import Git

runner = CliRunner()


def plan_doc(
    plan_id: str = "p", status: str = "active", **actions: dict[str, Any]
) -> dict[str, Any]:
    areas: dict[str, list[dict[str, Any]]] = {}
    for ident, fields in actions.items():
        action = {
            "id": ident,
            "title": f"Action {ident}",
            "lead": "Head of SEND",
            "due": "2019-06-30",
            "status": "in-progress",
        }
        action.update({k: v for k, v in fields.items() if k != "area"})
        areas.setdefault(fields.get("area", "A1"), []).append(action)
    return {
        "schema_version": 1,
        "plan": {
            "id": plan_id,
            "title": f"Plan {plan_id}",
            "local_area": "Lancashire",
            "kind": "improvement-plan",
            "status": status,
            "start": "2019-01-01",
            "end": "2020-12-31",
        },
        "areas": [
            {"id": a, "kind": "priority", "title": f"Area {a}", "actions": acts}
            for a, acts in areas.items()
        ],
    }


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "plans").mkdir(parents=True)
        self.git("init", "-q")

    def git(self, *args: str, when: str = "2019-01-01T12:00:00+00:00") -> str:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "Analyst",
            "GIT_AUTHOR_EMAIL": "analyst@example.org",
            "GIT_COMMITTER_NAME": "Analyst",
            "GIT_COMMITTER_EMAIL": "analyst@example.org",
            "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_DATE": when,
        }
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True
        )
        return done.stdout

    def write(self, name: str, doc: dict[str, Any] | str) -> None:
        text = doc if isinstance(doc, str) else yaml.safe_dump(doc, sort_keys=False)
        (self.root / "plans" / name).write_text(text)

    def commit(self, message: str, when: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, when=when)
        return self.git("rev-parse", "--short=7", "HEAD").strip()

    @property
    def plans(self) -> str:
        return str(self.root / "plans")


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def changes(repo: Repo, since: str, until: str | None = None) -> dict[str, Any]:
    args = ["changes", "--since", since, repo.plans, "--format", "json"]
    if until:
        args += ["--until", until]
    code, out, err = run(*args)
    assert code == 0, err
    return json.loads(out)


def kinds(doc: dict[str, Any]) -> list[tuple[str | None, str]]:
    return sorted((c["action"] or "", c["kind"]) for c in doc["changes"])


def test_every_change_kind(repo: Repo) -> None:
    repo.write("p.yaml", plan_doc(A={}, B={}, C={"rag": "amber"}))
    repo.write(
        "old.yaml",
        plan_doc("old", status="closed", X={"status": "complete", "completed": "2018-12-01"}),
    )
    first = repo.commit("start", "2019-01-10T09:00:00+00:00")
    repo.write(
        "p.yaml",
        plan_doc(
            A={"status": "complete", "completed": "2019-02-01"},
            C={"rag": "red", "due": "2019-09-30", "lead": "Designated Clinical Officer",
               "original_due": "2019-06-30",
               "rescheduled": [{"on": "2019-02-01", "from": "2019-06-30", "to": "2019-09-30", "reason": "Staffing."}]},
            D={},
        ),
    )  # fmt: skip
    (repo.root / "plans" / "old.yaml").unlink()
    repo.write("new.yaml", plan_doc("new", N={}))
    repo.commit("progress", "2019-02-05T09:00:00+00:00")
    doc = changes(repo, first)
    assert doc["since"]["rev"] == first
    assert kinds(doc) == sorted(
        [
            ("A", "status"), ("A", "completed"), ("B", "removed"), ("C", "rag"), ("C", "due"),
            ("C", "lead"), ("D", "added"), ("", "plan-added"), ("", "plan-removed"),
        ]
    )  # fmt: skip
    due = next(c for c in doc["changes"] if c["kind"] == "due")
    assert (due["from"], due["to"]) == ("2019-06-30", "2019-09-30")


def test_plan_status_and_carried(repo: Repo) -> None:
    repo.write("old.yaml", plan_doc("old", X={}))
    first = repo.commit("start", "2019-01-10T09:00:00+00:00")
    repo.write("old.yaml", plan_doc("old", status="closed", X={}))
    repo.write("new.yaml", plan_doc("new", N={"carried_from": "old/X"}))
    repo.commit("close and carry", "2019-02-05T09:00:00+00:00")
    doc = changes(repo, first)
    assert ("", "plan-status") in kinds(doc)
    carried = next(c for c in doc["changes"] if c["kind"] == "carried")
    assert (carried["action"], carried["from"], carried["to"]) == ("X", [], ["new/N"])


def test_renamed_file_and_moved_action_are_not_add_and_remove(repo: Repo) -> None:
    repo.write("p.yaml", plan_doc(A={"area": "A1"}, B={"area": "A1"}))
    first = repo.commit("start", "2019-01-10T09:00:00+00:00")
    (repo.root / "plans" / "p.yaml").unlink()
    repo.write("renamed.yaml", plan_doc(A={"area": "A1"}, B={"area": "A2"}))
    repo.commit("rename and move", "2019-02-05T09:00:00+00:00")
    doc = changes(repo, first)
    assert doc["changes"] == []
    assert doc["moved"] == [{"plan": "p", "action": "B", "from_area": "A1", "to_area": "A2"}]


def test_date_is_the_last_commit_on_or_before_that_day_in_its_own_zone(repo: Repo) -> None:
    repo.write("p.yaml", plan_doc(A={}))
    late = repo.commit("late on the 15th", "2019-01-15T23:30:00+00:00")
    repo.write("p.yaml", plan_doc(A={"rag": "green"}))
    # 00:30 on the 16th in UTC+1 is 23:30 on the 15th in UTC: its own day is the 16th
    next_day = repo.commit("just after midnight", "2019-01-16T00:30:00+01:00")
    git = Git(repo.root / "plans")
    assert git.resolve("2019-01-15").short == late
    assert git.resolve("2019-01-16").short == next_day
    assert git.resolve("2019-02-01").short == next_day
    code, _, err = run("changes", "--since", "2019-01-14", repo.plans)
    assert code == 2
    assert "no commit on or before 2019-01-14" in err


def test_a_version_that_stops_validating_is_skipped_with_a_warning(repo: Repo) -> None:
    repo.write("p.yaml", plan_doc(A={}))
    repo.commit("good", "2019-01-10T09:00:00+00:00")
    repo.write("p.yaml", "schema_version: 1\nplan: [broken\n")
    broken = repo.commit("broken", "2019-01-11T09:00:00+00:00")
    repo.write("p.yaml", plan_doc(A={"status": "not-started"}))
    repo.commit("fixed", "2019-01-12T09:00:00+00:00")
    code, out, err = run("history", "p/A", repo.plans, "--format", "json")
    assert code == 0
    assert f"p.yaml at {broken}" in err
    assert "skipped" in err
    events = json.loads(out)["events"]
    assert [(e["kind"], e["from"], e["to"]) for e in events][1:] == [
        ("status", "in-progress", "not-started")
    ]


def test_history_of_one_action(repo: Repo) -> None:
    repo.write("p.yaml", plan_doc(A={"due": "2019-03-31", "lead": "Head of SEND"}))
    repo.commit("add A", "2019-01-10T09:00:00+00:00")
    moved = {
        "due": "2019-05-31",
        "original_due": "2019-03-31",
        "rescheduled": [
            {
                "on": "2019-02-01",
                "from": "2019-03-31",
                "to": "2019-05-31",
                "reason": "Recruitment delayed.",
            }
        ],
    }
    repo.write("p.yaml", plan_doc(A=moved))
    second = repo.commit("move A", "2019-02-01T09:00:00+00:00")
    second_move = {
        "on": "2019-03-01",
        "from": "2019-05-31",
        "to": "2019-07-31",
        "reason": "Consultation extended.",
    }
    moved2 = {
        **moved,
        "due": "2019-07-31",
        "rag": "amber",
        "rescheduled": [*moved["rescheduled"], second_move],
    }
    repo.write("p.yaml", plan_doc(A=moved2))
    repo.commit("move A again", "2019-03-01T09:00:00+00:00")
    code, out, _ = run("history", "p/A", repo.plans, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    # within one commit: status, rag, due, lead
    assert [e["kind"] for e in doc["events"]] == ["added", "due", "rag", "due"]
    first_move = doc["events"][1]
    assert (first_move["rev"], first_move["from"], first_move["to"]) == (
        second,
        "2019-03-31",
        "2019-05-31",
    )
    assert first_move["reason"] == "Recruitment delayed."
    assert first_move["subject"] == "move A"
    assert first_move["author"] == "Analyst"
    assert doc["events"][3]["reason"] == "Consultation extended."
    assert (doc["first_due"], doc["due"], doc["deadline_moves"], doc["slip_days"]) == (
        "2019-03-31",
        "2019-07-31",
        2,
        122,
    )
    code, out, _ = run("history", "p/A", repo.plans)
    assert code == 0
    assert "deadline moved 2 time(s), 122 day(s) in all" in out


def test_history_uses_the_cache_on_a_second_run(repo: Repo) -> None:
    repo.write("p.yaml", plan_doc(A={}))
    repo.commit("add A", "2019-01-10T09:00:00+00:00")
    assert run("history", "p/A", repo.plans)[0] == 0
    cache = repo.root / ".git" / "send-plan-cache"
    entries = list(cache.rglob("*.json"))
    assert len(entries) == 1
    entries[0].write_text("{damaged")  # a damaged entry is rebuilt, not trusted
    assert run("history", "p/A", repo.plans)[0] == 0
    assert json.loads(entries[0].read_text())["valid"] is True
    assert (
        subprocess.run(
            ["git", "status", "--porcelain"], cwd=repo.root, capture_output=True, text=True
        ).stdout
        == ""
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["history", "p/NOPE"], "never had an action 'NOPE'"),
        (["history", "zz/A"], "no plan 'zz'"),
        (["history", "p-A"], "PLAN_ID/ACTION_ID"),
        (["changes", "--since", "not-a-rev"], "unknown revision"),
    ],
)
def test_usage_errors(repo: Repo, args: list[str], message: str) -> None:
    repo.write("p.yaml", plan_doc(A={}))
    repo.commit("add A", "2019-01-10T09:00:00+00:00")
    code, _, err = run(*args, repo.plans)
    assert code == 2
    assert message in err


def test_outside_a_repository(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "p.yaml").write_text(yaml.safe_dump(plan_doc(A={})))
    code, _, err = run("changes", "--since", "HEAD", str(folder))
    assert code == 2
    assert "not inside a git repository" in err


def test_change_rules(repo: Repo) -> None:
    repo.write(
        "p.yaml", plan_doc(A={"status": "complete", "completed": "2019-01-05"}, B={}, C={}, D={})
    )
    repo.write(
        "closed.yaml",
        plan_doc("closed", status="closed", X={"status": "complete", "completed": "2018-12-01"}),
    )
    repo.write("draft.yaml", plan_doc("draft", status="draft", Y={}))
    repo.commit("base", "2019-01-10T09:00:00+00:00")
    repo.write(
        "p.yaml",
        plan_doc(
            A={"status": "in-progress"},  # reopened
            B={"due": "2019-12-31"},  # moved without a record
            D2={"title": "Action D"},  # D renamed to D2; C deleted
        ),
    )
    repo.write(
        "closed.yaml",
        plan_doc(
            "closed",
            status="closed",
            X={"status": "complete", "completed": "2018-12-01", "rag": "green"},
        ),
    )
    repo.write(
        "draft.yaml", plan_doc("draft", status="draft", Z={})
    )  # deleting from a draft is fine
    code, out, _ = run("validate", repo.plans, "--base", "HEAD", "--format", "json")
    assert code == 1
    found = sorted((f["code"], f["object"]) for f in json.loads(out)["findings"])
    assert found == [("E401", "B"), ("E402", "C"), ("E403", "A"), ("E404", "D2"), ("E405", None)]
    lines = {f["code"]: f["line"] for f in json.loads(out)["findings"]}
    text = (repo.root / "plans" / "p.yaml").read_text().splitlines()
    assert "due: '2019-12-31'" in text[lines["E401"] - 1]
    assert "status: in-progress" in text[lines["E403"] - 1]


def test_a_recorded_deadline_move_passes(repo: Repo) -> None:
    repo.write("p.yaml", plan_doc(A={}))
    repo.commit("base", "2019-01-10T09:00:00+00:00")
    repo.write(
        "p.yaml",
        plan_doc(A={"due": "2019-09-30", "original_due": "2019-06-30",
                    "rescheduled": [{"on": "2019-02-01", "from": "2019-06-30", "to": "2019-09-30", "reason": "Agreed by board."}]}),
    )  # fmt: skip
    code, out, _ = run("validate", repo.plans, "--base", "HEAD")
    assert code == 0, out


def test_plan_renamed_is_caught(repo: Repo) -> None:
    repo.write("p.yaml", plan_doc("first-id", A={}))
    repo.commit("base", "2019-01-10T09:00:00+00:00")
    renamed = plan_doc("second-id", A={})
    renamed["plan"]["title"] = "Plan first-id"
    repo.write("p.yaml", renamed)
    code, out, _ = run("validate", repo.plans, "--base", "HEAD", "--format", "json")
    assert code == 1
    assert [f["code"] for f in json.loads(out)["findings"]] == ["E404"]


def test_status_and_board_summary_read_slip_from_git(repo: Repo) -> None:
    repo.write("p.yaml", plan_doc(A={"due": "2019-03-31"}, B={}))
    repo.commit("add", "2019-01-10T09:00:00+00:00")
    repo.write("p.yaml", plan_doc(A={"due": "2019-04-30"}, B={}))  # moved, no record
    repo.commit("move A", "2019-02-10T09:00:00+00:00")
    code, out, _ = run("status", repo.plans, "--as-of", "2019-03-01", "-f", "json")
    assert code == 0
    a = next(x for x in json.loads(out)["actions"] if x["id"] == "A")
    assert (a["slip_days"], a["deadline_moves"]) == (30, 1)
    code, out, _ = run("status", repo.plans, "--as-of", "2019-03-01", "-f", "json", "--no-history")
    a = next(x for x in json.loads(out)["actions"] if x["id"] == "A")
    assert (a["slip_days"], a["deadline_moves"]) == (None, 0)
    code, out, err = run("report", "board-summary", repo.plans, "--as-of", "2019-03-01")
    assert code == 0, err
    assert "| A | Action A | 31 March 2019 | 30 April 2019 | 30 |" in out


# --------------------------------------------------------------------------- the digest cache

GOOD_PLAN = yaml.safe_dump(
    plan_doc(
        A={"due": "2019-09-30", "original_due": "2019-06-30", "rag": "amber",
           "rescheduled": [{"on": "2019-02-01", "from": "2019-06-30", "to": "2019-09-30", "reason": "Staffing."}]},
        B={"carried_from": "old/X"},
    ),
    sort_keys=False,
).encode()  # fmt: skip

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def test_a_digest_survives_the_cache_unchanged() -> None:
    value = digest("p.yaml", GOOD_PLAN)
    assert isinstance(value, PlanDigest)
    assert from_json(json.loads(json.dumps(to_json(value)))) == value
    assert value.actions["A"].rescheduled[0].reason == "Staffing."
    broken = digest("p.yaml", b"schema_version: 1\nplan: [broken\n")
    assert from_json(json.loads(json.dumps(to_json(broken)))) == broken


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_wrong_shaped_cache_entry_reads_as_missing(data: st.DataObject) -> None:
    """Any JSON at all, or a good entry with one part replaced, reads as a digest
    of the right shape or as None: never an exception."""
    entry: Any = to_json(digest("p.yaml", GOOD_PLAN))
    if data.draw(st.booleans()):
        entry = data.draw(json_values)
    else:
        path = data.draw(st.sampled_from(
            [("valid",), ("plan",), ("actions",), ("actions", "A"), ("actions", "A", 4),
             ("actions", "A", 7), ("actions", "A", 9), ("actions", "A", 9, 0),
             ("actions", "A", 9, 0, 1), ("actions", "B", 10), ("content_without_id",)]
        ))  # fmt: skip
        *parents, last = path
        holder = entry
        for key in parents:
            holder = holder[key]
        holder[last] = data.draw(json_values | st.sampled_from(["2019-13-01", "20190101"]))
    value = from_json(entry)
    if isinstance(value, PlanDigest):
        for action in value.actions.values():
            assert isinstance(action, ActionDigest)
            date.fromisoformat(action.due)


@pytest.mark.parametrize(
    "damage",
    [
        "[]",
        '{"valid": true}',
        '{"valid": true, "plan": "p", "title": null, "status": "active", "actions": {"A": [1, 2]},'
        ' "content": "x", "content_without_id": "y"}',
        '{"valid": false}',
    ],
)
def test_a_wrong_shaped_entry_on_disk_is_rebuilt(repo: Repo, damage: str) -> None:
    repo.write("p.yaml", plan_doc(A={}))
    repo.commit("add A", "2019-01-10T09:00:00+00:00")
    assert run("history", "p/A", repo.plans)[0] == 0
    (entry,) = (repo.root / ".git" / "send-plan-cache").rglob("*.json")
    entry.write_text(damage)
    code, out, _ = run("history", "p/A", repo.plans, "--format", "json")
    assert code == 0
    assert json.loads(out)["events"][0]["kind"] == "added"
    assert json.loads(entry.read_text())["valid"] is True


def test_workers_start_before_cat_file_opens_its_pipe() -> None:
    """A worker forked while cat-file's input is open would keep it open for ever."""
    import multiprocessing

    class FakeGit:
        def read_blobs(self, blobs: list[str]) -> Iterator[tuple[str, bytes]]:
            assert len(multiprocessing.active_children()) >= 2
            for blob in blobs:
                yield blob, GOOD_PLAN

    names = {f"{n:040x}": "p.yaml" for n in range(3)}
    found = dict(_parallel(FakeGit(), names, list(names), 2))  # type: ignore[arg-type]
    assert sorted(found) == sorted(names)
    assert all(json.loads(text)["valid"] is True for text in found.values())


# --------------------------------------------------------------------------- the gate cannot be bypassed


@pytest.mark.parametrize(
    "args",
    [
        ["changes", "--since", "--output={target}"],
        ["changes", "--since", "HEAD", "--until", "--output={target}"],
        ["validate", "--base", "--output={target}"],
        ["report", "board-summary", "--since", "--output={target}"],
    ],
)
def test_a_revision_that_looks_like_an_option_is_refused(
    repo: Repo, tmp_path: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.write("p.yaml", plan_doc(A={}))
    repo.commit("add", "2019-01-10T09:00:00+00:00")
    monkeypatch.chdir(repo.root)
    target = tmp_path / "written-by-git"
    code, _, err = run(*(a.format(target=target) for a in args), repo.plans)
    assert code == 2
    assert "is not a revision" in err
    assert not target.exists()
    assert not (repo.root / "written-by-git").exists()


def test_plan_files_with_non_ascii_names_are_seen(repo: Repo) -> None:
    repo.write("ynys-môn.yaml", plan_doc(A={"due": "2019-03-31"}))
    base = repo.commit("add", "2019-01-10T09:00:00+00:00")
    repo.write("ynys-môn.yaml", plan_doc(A={"due": "2019-06-30"}))  # moved, no record
    code, out, _ = run("validate", repo.plans, "--base", base, "--format", "json")
    assert code == 1
    assert [f["code"] for f in json.loads(out)["findings"]] == ["E401"]
    repo.commit("move", "2019-02-10T09:00:00+00:00")
    assert [c["kind"] for c in changes(repo, base)["changes"]] == ["due"]


def test_deleting_a_plan_that_is_not_a_draft_is_an_error(repo: Repo) -> None:
    repo.write("p.yaml", plan_doc(A={}))
    repo.write("q.yaml", plan_doc("q", status="draft", A={}))
    base = repo.commit("add", "2019-01-10T09:00:00+00:00")
    (repo.root / "plans" / "p.yaml").unlink()
    (repo.root / "plans" / "q.yaml").unlink()
    repo.write("r.yaml", plan_doc("r", A={}))
    code, out, _ = run("validate", repo.plans, "--base", base, "--format", "json")
    assert code == 1
    [finding] = json.loads(out)["findings"]
    assert (finding["code"], finding["plan"]) == ("E406", "p")  # the draft may go


def test_a_base_version_that_does_not_validate_says_the_change_was_not_judged(repo: Repo) -> None:
    repo.write("p.yaml", "schema_version: 1\nplan: [broken\n")
    base = repo.commit("broken", "2019-01-10T09:00:00+00:00")
    repo.write("p.yaml", plan_doc(A={}))
    code, out, _ = run("validate", repo.plans, "--base", base, "--format", "json")
    assert code == 0
    assert [f["code"] for f in json.loads(out)["findings"]] == ["W401"]


def test_a_range_an_empty_repository_and_a_date_before_history_get_their_reasons(
    repo: Repo, tmp_path: Path
) -> None:
    repo.write("p.yaml", plan_doc(A={}))
    code, _, err = run("changes", "--since", "HEAD", repo.plans)
    assert code == 2
    assert "has no commits yet" in err
    repo.commit("add", "2019-01-10T09:00:00+00:00")
    code, _, err = run("changes", "--since", "main..feature", repo.plans)
    assert (code, "is a range; give one revision" in err) == (2, True)
    code, _, err = run("changes", "--since", "2018-06-01", repo.plans)
    assert code == 2
    assert "the first commit is on 2019-01-10; give a later date" in err
    assert "send-plan init --demo" in err
    code, _, err = run(
        "report", "board-summary", repo.plans, "--since", "HEAD", "--as-of", "2018-12-01"
    )
    assert code == 2
    assert "before the first commit (on 2019-01-10)" in err


def test_a_shallow_clone_is_named_with_its_fix(repo: Repo, tmp_path: Path) -> None:
    repo.write("p.yaml", plan_doc(A={"due": "2019-03-31"}))
    first = repo.commit("add", "2019-01-10T09:00:00+00:00")
    repo.write("p.yaml", plan_doc(A={"due": "2019-04-30"}))
    repo.commit("move", "2019-02-10T09:00:00+00:00")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True
    )
    code, _, err = run("validate", str(clone / "plans"), "--base", first)
    assert code == 2
    assert "shallow clone" in err
    assert "fetch-depth: 0" in err


def test_changes_made_while_resolving_a_merge_belong_to_the_merge(repo: Repo) -> None:
    repo.write("p.yaml", plan_doc(A={}, B={}))
    repo.commit("add", "2019-01-10T09:00:00+00:00")
    repo.git("checkout", "-q", "-b", "side")
    repo.write("p.yaml", plan_doc(A={"rag": "green"}, B={}))
    repo.commit("side: A green", "2019-01-11T09:00:00+00:00")
    repo.git("checkout", "-q", "-")
    repo.write("p.yaml", plan_doc(A={"rag": "red"}, B={}))
    repo.commit("main: A red", "2019-01-12T09:00:00+00:00")
    subprocess.run(["git", "-C", str(repo.root), "merge", "-q", "side"], capture_output=True)
    repo.write("p.yaml", plan_doc(A={"rag": "amber"}, B={"rag": "amber"}))  # the resolution
    repo.git("add", "-A")
    repo.git("commit", "-q", "--no-edit", when="2019-01-13T09:00:00+00:00")
    code, out, _ = run("history", "p/B", repo.plans, "--format", "json")
    assert code == 0, out
    [event] = [e for e in json.loads(out)["events"] if e["kind"] == "rag"]
    assert event["date"] == "2019-01-13"  # the merge commit, not a later one


# --------------------------------------------------------------------------- indicator figures


def with_figures(doc: dict[str, Any], *values: dict[str, Any], published: bool = True) -> Any:
    doc["indicators"] = [
        {
            "id": "EHC20",
            "title": "New EHC plans issued within 20 weeks",
            "unit": "percent",
            "polarity": "higher-is-better",
            "published": published,
            "values": list(values),
        }
    ]
    return doc


def test_changes_reports_figures_added_and_restated(repo: Repo) -> None:
    repo.write("p.yaml", with_figures(plan_doc(A={}), {"date": "2019-03-31", "value": 21.5}))
    first = repo.commit("Q4 figure", "2019-04-20T09:00:00+00:00")
    repo.write(
        "p.yaml",
        with_figures(
            plan_doc(A={}),
            {"date": "2019-03-31", "value": 23.0, "note": "Revised in the final SEN2 return."},
            {"date": "2019-06-30", "value": 30, "provisional": True},
        ),
    )
    repo.commit("Q1 figure, Q4 restated", "2019-07-20T09:00:00+00:00")
    doc = changes(repo, first)
    figures = [c for c in doc["changes"] if c["kind"].startswith("indicator-")]
    assert figures == [
        {"plan": "p", "action": None, "kind": "indicator-restated", "from": 21.5, "to": 23.0,
         "indicator": "EHC20", "date": "2019-03-31"},
        {"plan": "p", "action": None, "kind": "indicator-value", "from": None, "to": 30.0,
         "indicator": "EHC20", "date": "2019-06-30"},
    ]  # fmt: skip
    code, out, _ = run("changes", "--since", first, repo.plans, "--format", "markdown")
    assert code == 0
    assert "| EHC20 2019-03-31 | figure restated | 21.5 | 23 |" in out
    assert "| EHC20 2019-06-30 | figure added |  | 30 |" in out


def test_a_new_indicator_reports_each_figure_and_unchanged_figures_nothing(repo: Repo) -> None:
    repo.write("p.yaml", plan_doc(A={}))
    first = repo.commit("no indicators", "2019-04-20T09:00:00+00:00")
    repo.write(
        "p.yaml",
        with_figures(
            plan_doc(A={}),
            {"date": "2019-03-31", "value": 21.5},
            {"date": "2019-06-30", "value": 25},
        ),
    )
    second = repo.commit("indicator added", "2019-07-20T09:00:00+00:00")
    assert [(c["kind"], c["date"]) for c in changes(repo, first)["changes"]] == [
        ("indicator-value", "2019-03-31"),
        ("indicator-value", "2019-06-30"),
    ]
    repo.write(
        "p.yaml",
        with_figures(
            plan_doc(A={"rag": "amber"}),
            {"date": "2019-03-31", "value": 21.5, "provisional": True, "note": "A note."},
            {"date": "2019-06-30", "value": 25},
        ),
    )
    repo.commit("notes and flags only", "2019-08-20T09:00:00+00:00")
    assert [c["kind"] for c in changes(repo, second)["changes"]] == ["rag"]


def test_validate_base_warns_of_a_published_figure_restated_without_a_note(repo: Repo) -> None:
    repo.write(
        "p.yaml",
        with_figures(
            plan_doc(A={}),
            {"date": "2019-03-31", "value": 21.5},
            {"date": "2019-06-30", "value": 25},
        ),
    )
    repo.write(
        "q.yaml",
        with_figures(plan_doc("q", A={}), {"date": "2019-03-31", "value": 10}, published=False),
    )
    repo.commit("published", "2019-07-20T09:00:00+00:00")
    repo.write(
        "p.yaml",
        with_figures(
            plan_doc(A={}),
            {"date": "2019-03-31", "value": 22},  # restated, no note: W402
            {"date": "2019-06-30", "value": 26, "note": "Late returns from two schools."},
            {"date": "2019-09-30", "value": 31},  # new: nothing to say
        ),
    )
    repo.write(
        "q.yaml",
        with_figures(plan_doc("q", A={}), {"date": "2019-03-31", "value": 11}, published=False),
    )
    code, out, _ = run("validate", repo.plans, "--base", "HEAD", "--format", "json")
    assert code == 0  # a warning
    findings = json.loads(out)["findings"]
    assert [(f["code"], f["plan"], f["object"]) for f in findings] == [("W402", "p", "EHC20")]
    assert findings[0]["message"].startswith("the 2019-03-31 figure of EHC20 was 21.5 at ")
    assert (
        "and is now 22: a published figure that is restated needs a note"
        in (findings[0]["message"])
    )
    line = (repo.root / "plans" / "p.yaml").read_text().splitlines()[findings[0]["line"] - 1]
    assert "value: 22" in line
    code, _, _ = run("validate", repo.plans, "--base", "HEAD", "--strict")
    assert code == 1


def test_figures_survive_the_cache() -> None:
    text = yaml.safe_dump(
        with_figures(
            plan_doc(A={}),
            {"date": "2019-03-31", "value": 21.5, "note": "n"},
            {"date": "2019-06-30", "value": 25, "provisional": True},
        )
    ).encode()
    value = digest("p.yaml", text)
    assert isinstance(value, PlanDigest)
    assert from_json(json.loads(json.dumps(to_json(value)))) == value
    figures = value.indicators["EHC20"].values
    assert [(f.date, f.value, f.provisional, f.noted) for f in figures] == [
        ("2019-03-31", 21.5, False, True),
        ("2019-06-30", 25.0, True, False),
    ]
    entry: Any = to_json(value)
    for damage in ([], {"EHC20": [True]}, {"EHC20": [True, [["2019-02-30", 1, False, False]]]},
                   {"EHC20": [True, [["2019-03-31", "1", False, False]]]}):  # fmt: skip
        entry["indicators"] = damage
        assert from_json(entry) is None


def test_the_board_summary_lists_figures_changed_since_the_last_report(repo: Repo) -> None:
    repo.write("p.yaml", with_figures(plan_doc(A={}), {"date": "2019-03-31", "value": 21.5}))
    first = repo.commit("Q4 figure", "2019-04-20T09:00:00+00:00")
    repo.write(
        "p.yaml",
        with_figures(
            plan_doc(A={}),
            {"date": "2019-03-31", "value": 23, "note": "Final return."},
            {"date": "2019-06-30", "value": 30},
        ),
    )
    repo.commit("Q1 figure", "2019-07-20T09:00:00+00:00")
    code, out, err = run(
        "report", "board-summary", repo.plans, "--as-of", "2019-07-25", "--since", first
    )
    assert code == 0, err
    assert "| EHC20 2019-03-31 | figure restated | 21.5 | 23 |" in out
    assert "| EHC20 2019-06-30 | figure added |  | 30 |" in out


def test_board_summary_changes_include_edits_not_yet_committed(repo: Repo) -> None:
    doc = plan_doc(A={})
    doc["plan"]["board_meetings"] = ["2019-02-01", "2019-06-01"]
    repo.write("p.yaml", doc)
    repo.commit("add", "2019-01-10T09:00:00+00:00")
    doc["areas"][0]["actions"][0]["rag"] = "green"  # edited, not committed
    repo.write("p.yaml", doc)
    code, out, err = run("report", "board-summary", repo.plans, "--as-of", "2019-03-01")
    assert code == 0, err
    assert "includes changes not yet committed" in out
    assert "| A | RAG rating |  | green |" in out
    assert "Nothing in the plan has changed" not in out
