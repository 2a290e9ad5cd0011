"""The chart worker started early never outlives a command that failed before drawing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the worker runs only with 2 or more cores")
def test_a_failed_board_summary_does_not_hold_its_output_open(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    script = Path(sys.executable).parent / "send-plan"
    command = [str(script), "report", "board-summary", "--plan", "send-improvement-plan-2019"]
    command += ["--format", "html", "--template", "missing.html.j2", "-o", "board.html"]
    done = subprocess.run(
        command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60
    )  # before the fix the early chart worker kept the pipe open: this never returned
    assert done.returncode == 2
    assert b"missing.html.j2: no such template file" in done.stdout
