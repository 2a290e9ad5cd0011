"""What ``changes`` and ``history`` say when the git history is younger than the plans."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from send_plan.cli import app

runner = CliRunner()

PLAN = {
    "schema_version": 1,
    "plan": {
        "id": "p",
        "local_area": "Testshire",
        "kind": "improvement-plan",
        "start": "2019-01-01",
        "end": "2020-12-31",
    },
    "areas": [
        {
            "id": "A1",
            "kind": "priority",
            "actions": [
                {
                    "id": "A",
                    "title": "Publish the local offer",
                    "lead": "Local Offer Manager",
                    "due": "2019-09-30",
                    "original_due": "2019-06-30",
                    "status": "in-progress",
                    "rescheduled": [
                        {
                            "on": "2019-05-21",
                            "from": "2019-06-30",
                            "to": "2019-09-30",
                            "reason": "x",
                        }
                    ],
                }
            ],
        }
    ],
}


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    """A repository whose only commit (28 November 2026) holds a plan with a 2019 move."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "p.yaml").write_text(yaml.safe_dump(PLAN, sort_keys=False))
    when = "2026-11-28T10:00:00+00:00"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
        "GIT_AUTHOR_NAME": "Analyst",
        "GIT_AUTHOR_EMAIL": "analyst@example.org",
        "GIT_COMMITTER_NAME": "Analyst",
        "GIT_COMMITTER_EMAIL": "analyst@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "plans"]):
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)
    return tmp_path / "plans"


def test_changes_since_before_the_first_commit_says_what_to_do(plans: Path) -> None:
    result = runner.invoke(app, ["changes", "--since", "2019-09-17", str(plans)])
    assert result.exit_code == 2
    assert result.stderr == (
        "send-plan: error: no commit on or before 2019-09-17: the first commit is on "
        "2026-11-28; give a later date, or see `send-plan init --demo` for a plan "
        "repository with a dated history\n"
    )


def test_history_says_when_recorded_moves_predate_the_git_history(plans: Path) -> None:
    result = runner.invoke(app, ["history", "p/A", str(plans), "--format", "json"])
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: the git history of p/A starts on 2026-11-28, after the deadline move(s) "
        "recorded on 2019-05-21: they are counted from the file's record, not seen in git "
        "(for the example plans with their dated history, see `send-plan init --demo`)\n"
    )
    assert '"deadline_moves": 1' in result.stdout
