"""The chart worker ends with its command on every path and holds none of its
files; matplotlib's messages never reach the terminal (issue 13, items 18, 19).

The process checks read /proc, so they run on Linux only.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
import warnings
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from send_plan.cli import app

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "plans" / "send-improvement-plan-2019.yaml"
SEND_PLAN = str(Path(sys.executable).parent / "send-plan")
TITLE = "  title: Lancashire SEND Improvement Plan 2019-2020\n"

needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
needs_two_cores = pytest.mark.skipif(
    (os.cpu_count() or 1) < 2, reason="the worker runs only with 2 or more cores"
)


def _state(pid: int) -> str | None:
    """A process's state letter, None once it is gone (a zombie has ended too)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    state = stat.rsplit(")", 1)[1].split()[0]
    return None if state in ("Z", "X") else state


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] not in ("Z", "X"):
                found.append(int(entry.name))
    return found


def _marked(mark: str) -> list[int]:
    """Living processes whose environment holds ``mark`` (the command's and its workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue
            if mark.encode() in environ and _state(int(entry.name)):
                found.append(int(entry.name))
    return found


def _run(args: list[str], cwd: Path) -> tuple[int, bytes, bytes, list[int]]:
    """Run send-plan with both outputs as pipes, as a script or CI step would; the
    exit code, the outputs and any process of the run still alive once it ended."""
    mark = f"SEND_PLAN_TEST_{uuid.uuid4().hex}"
    env = {**os.environ, mark: "1"}
    process = subprocess.Popen(
        [SEND_PLAN, *args], cwd=cwd, env=env,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        out, err = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        left = _marked(mark)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"send-plan {' '.join(args)}: its output was still held open after 20 s")
    return process.returncode, out, err, _marked(mark)


@pytest.fixture
def bad_plans(tmp_path: Path) -> Path:
    text = PLAN.read_text(encoding="utf-8").replace("status: complete", "status: finished")
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "bad.yaml"


@needs_proc
@needs_two_cores
@pytest.mark.parametrize(
    "args",
    [
        ["report", "board-summary", "bad.yaml", "-o", "board.md"],
        ["report", "board-summary", "bad.yaml", "-f", "docx", "-o", "board.docx"],
        ["report", "board-summary", "good.yaml", "-f", "docx", "-o", "blocked/board.docx"],
        ["report", "board-summary", "good.yaml", "-o", "blocked/board.md"],
        ["site", "bad.yaml", "-o", "site"],
        ["site", "good.yaml", "--templates", "broken", "-o", "site"],
        ["report", "board-summary", "good.yaml", "-o", "board.md", "--no-such-option"],
    ],
    ids=[
        "report-invalid-md",
        "report-invalid-docx",
        "report-word-error",
        "report-write-error",
        "site-invalid",
        "site-template-error",
        "report-usage-error",
    ],
)
def test_a_failed_command_returns_at_once_and_leaves_no_worker(
    tmp_path: Path, bad_plans: Path, args: list[str]
) -> None:
    shutil.copy(PLAN, tmp_path / "good.yaml")
    (tmp_path / "blocked").write_text("a file, so nothing can be written under it\n")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "plan.html.j2").write_text("{% if %}\n")
    started = time.monotonic()
    code, _, err, left = _run([*args, "--as-of", "2019-11-19"], tmp_path)
    assert code in (1, 2), err
    assert b"Traceback" not in err
    assert time.monotonic() - started < 15
    assert left == []  # the worker ended with the command, not after it


@needs_proc
@needs_two_cores
@pytest.mark.parametrize("command", ["report", "site"])
def test_a_successful_command_leaves_no_worker(tmp_path: Path, command: str) -> None:
    shutil.copy(PLAN, tmp_path / "good.yaml")
    args = (
        ["report", "board-summary", "good.yaml", "-o", "board.md"]
        if command == "report"
        else ["site", "good.yaml", "-o", "site"]
    )
    code, _, err, left = _run([*args, "--as-of", "2019-11-19"], tmp_path)
    assert code == 0, err
    assert left == []


@needs_proc
@needs_two_cores
def test_the_worker_holds_none_of_the_files_of_its_parent(tmp_path: Path) -> None:
    from send_plan.render.worker import Worker, warm_matplotlib

    before = set(_children(os.getpid()))
    with open(tmp_path / "open.txt", "w") as held:  # any file this process has open
        worker = Worker(warm_matplotlib)  # as the charts' worker is started
        try:
            kids = [pid for pid in _children(os.getpid()) if pid not in before]
            assert len(kids) == 1, "no worker started"
            # Once it has answered it has given up its parent's files and warmed up:
            # looked at sooner, it may still be doing so (or reading the modules it
            # imports), which is a moment of its start, not a file it keeps.
            assert worker.submit("a job", bytes, 1)() == b"\x00"
            assert worker.pid == kids[0], "the worker ended instead of answering"
            ours = {os.readlink(f"/proc/self/fd/{fd}") for fd in (1, 2, held.fileno())} - {
                "/dev/null"
            }
            fds = {int(fd.name): os.readlink(fd) for fd in Path(f"/proc/{kids[0]}/fd").iterdir()}
            assert {fds.get(n) for n in (0, 1, 2)} == {"/dev/null"}, fds
            assert not ours & set(fds.values()), fds
            others = [target for n, target in fds.items() if n > 2]
            assert len(others) == 2, fds  # its two pipes, and nothing else
            assert all(t.startswith("pipe:") for t in others), fds
        finally:
            worker.close()
    assert _state(kids[0]) is None  # closed means ended (and reaped) before close() returns


def test_charts_not_taken_before_close_are_drawn_here() -> None:
    from send_plan.render.worker import Worker

    worker = Worker()
    late = worker.submit("a chart", bytes, 3)
    worker.close()
    assert late() == b"\x00\x00\x00"
    assert worker.pid is None


WATCHED = """
import os, sys, time
from pathlib import Path
from typing import Any
before = set(os.listdir("/proc"))
from send_plan.render.chart import ChartWorker
worker = ChartWorker()
for name in sorted(set(os.listdir("/proc")) - before):
    if name.isdigit():
        try:
            stat = Path(f"/proc/{name}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid():
            print(name, flush=True)
print("ready", flush=True)
time.sleep(60)
"""


@needs_proc
@needs_two_cores
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_the_worker_ends_when_its_parent_is_killed(how: signal.Signals) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", WATCHED], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None
    kids = []
    for line in process.stdout:
        if line.strip() == "ready":
            break
        kids.append(int(line))
    assert kids, "no worker started"
    process.send_signal(how)
    process.wait(timeout=10)
    deadline = time.monotonic() + 5
    while any(_state(pid) for pid in kids) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = [pid for pid in kids if _state(pid)]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    assert alive == []


@needs_proc
@needs_two_cores
def test_a_reader_that_stops_reading_leaves_no_worker(tmp_path: Path) -> None:
    """Word to a pipe whose reader has gone (``send-plan ... | head -c 1``)."""
    mark = f"SEND_PLAN_TEST_{uuid.uuid4().hex}"
    read, write = os.pipe()
    os.close(read)  # nobody will read what it writes
    try:
        done = subprocess.run(
            [SEND_PLAN, "report", "board-summary", str(PLAN), "--as-of", "2019-11-19",
             "-f", "docx"],
            stdout=write, stderr=subprocess.PIPE, env={**os.environ, mark: "1"}, timeout=60,
        )  # fmt: skip
    finally:
        os.close(write)
    assert b"Traceback" not in done.stderr
    assert _marked(mark) == []


def _hold(held: Path, inside: Path) -> None:
    """A worker's warm-up that holds a file while it works, as matplotlib holds a
    lock file beside its font cache while it writes it (the first time a machine
    draws): a worker ended then must let go of it, or every matplotlib program
    after it waits five seconds for the lock, then gives up saving the cache."""
    held.touch()
    try:
        inside.touch()
        time.sleep(30)
    finally:
        held.unlink()


def _wait_for(path: Path, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.01)


@needs_proc
@needs_two_cores
def test_a_worker_closed_while_it_holds_a_lock_lets_go_of_it(tmp_path: Path) -> None:
    import functools

    from send_plan.render.worker import Worker

    held, inside = tmp_path / "held", tmp_path / "inside"
    worker = Worker(functools.partial(_hold, held, inside))
    pid = worker.pid
    assert pid is not None, "no worker started"
    _wait_for(inside)
    started = time.monotonic()
    worker.close()
    assert time.monotonic() - started < 5
    assert _state(pid) is None  # ended and reaped before close() returned
    assert not held.exists()


HOLDING = """
import functools, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from test_hardening_chart import _hold
from send_plan.render.worker import Worker
held, inside = Path(sys.argv[2]), Path(sys.argv[3])
worker = Worker(functools.partial(_hold, held, inside))
print(worker.pid, flush=True)
time.sleep(60)
"""


@needs_proc
@needs_two_cores
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_worker_whose_parent_dies_while_it_holds_a_lock_lets_go_of_it(
    tmp_path: Path, how: signal.Signals
) -> None:
    held, inside = tmp_path / "held", tmp_path / "inside"
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDING, str(Path(__file__).parent), str(held), str(inside)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    pid = int(process.stdout.readline())
    _wait_for(inside)
    process.send_signal(how)
    process.wait(timeout=10)
    deadline = time.monotonic() + 5
    while _state(pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    alive = _state(pid) is not None
    if alive:
        os.kill(pid, signal.SIGKILL)
    assert not alive
    assert not held.exists()


# --------------------------------------------------------------------------- item 18


@pytest.fixture
def glyph_plan(tmp_path: Path) -> Path:
    """The example plan, titled with characters the chart's font lacks."""
    text = PLAN.read_text(encoding="utf-8")
    assert TITLE in text
    path = tmp_path / "glyphs.yaml"
    path.write_text(text.replace(TITLE, "  title: Lancashire 中文 plan\n"), encoding="utf-8")
    return path


@needs_two_cores
def test_quiet_means_nothing_on_stderr_from_the_worker(tmp_path: Path, glyph_plan: Path) -> None:
    done = subprocess.run(
        [SEND_PLAN, "-q", "report", "board-summary", str(glyph_plan), "--as-of", "2019-11-19",
         "-o", str(tmp_path / "board.md")],
        capture_output=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0
    assert done.stderr == b""
    assert (tmp_path / "board.chart.png").exists()


@needs_two_cores
def test_a_missing_glyph_is_one_note_per_chart(tmp_path: Path, glyph_plan: Path) -> None:
    done = subprocess.run(
        [SEND_PLAN, "report", "board-summary", str(glyph_plan), "--as-of", "2019-11-19",
         "-o", str(tmp_path / "board.md")],
        capture_output=True, timeout=60, text=True,
    )  # fmt: skip
    assert done.returncode == 0
    notes = [line for line in done.stderr.splitlines() if line.startswith("note:")]
    assert notes == [
        "note: board.chart.png: the chart's font has no '中' (U+4E2D) or '文' (U+6587); "
        "they are drawn as empty boxes",
        "note: board.indicators.png: the chart's font has no '中' (U+4E2D) or '文' (U+6587); "
        "they are drawn as empty boxes",
    ]
    assert "Warning" not in done.stderr


def test_drawn_in_this_process_the_warnings_become_notes_too(
    tmp_path: Path, glyph_plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 1)  # no worker: drawn here
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = CliRunner().invoke(
            app,
            ["report", "board-summary", str(glyph_plan), "--as-of", "2019-11-19", "-f", "docx",
             "-o", str(tmp_path / "board.docx")],
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [str(w.message) for w in caught if "Glyph" in str(w.message)] == []
    assert "note: the chart of actions: the chart's font has no '中' (U+4E2D)" in result.stderr
    quiet = CliRunner().invoke(
        app,
        ["-q", "report", "board-summary", str(glyph_plan), "--as-of", "2019-11-19", "-f", "docx",
         "-o", str(tmp_path / "quiet.docx")],
    )  # fmt: skip
    assert quiet.exit_code == 0
    assert quiet.stderr == ""


def test_control_characters_in_chart_text_are_not_drawn_as_boxes() -> None:
    from send_plan.render.chart import RAG_HATCH, STATE_STYLE, state_chart

    area = {
        "id": "P1",
        "counts": {**dict.fromkeys(STATE_STYLE, 1), "total": len(STATE_STYLE)},
        "rag": dict.fromkeys(RAG_HATCH, 1),
    }
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plain = state_chart([area], "A plan title")
        controlled = state_chart([area], "A plan\t\x07title")
    assert [str(w.message) for w in caught] == []
    assert controlled == plain  # a tab is a space; other controls are left out


# --------------------------------------------------------------------------- the site's charts


def test_the_site_is_built_without_matplotlib(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from datetime import date\n"
        "from pathlib import Path\n"
        "from send_plan.site.pages import build_site\n"
        "from send_plan.validation import require_valid\n"
        f"files = build_site(require_valid([Path({str(ROOT / 'plans')!r})]).portfolio, "
        "date(2019, 11, 19))\n"
        "assert any(name.endswith('.svg') for name in files)\n"
        "print('matplotlib' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def _svg(data: bytes) -> Any:
    import xml.etree.ElementTree as ET

    return ET.fromstring(data)


def test_the_areas_chart_is_well_formed_svg_of_the_size_the_page_gives() -> None:
    from send_plan.site.charts import LABEL_AREAS, areas_chart, areas_size

    counts = {"overdue": 2, "due-soon": 1, "on-track": 11, "complete": 10,
              "carried-forward": 0, "withdrawn": 1}  # fmt: skip
    count = {**counts, "total": sum(counts.values())}
    data = areas_chart(["P1", "A&<b>\x07\tc"], [count, count])
    root = _svg(data)
    width, height = areas_size(2)
    # 72 points are 96 CSS pixels
    assert round(float(root.get("width").removesuffix("pt")) * 96 / 72) == width
    assert round(float(root.get("height").removesuffix("pt")) * 96 / 72) == height
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "A&<b> c" in texts  # escaped in the file; no control character
    assert texts.count("11") == 2  # the counts on the bars
    assert {"0", "5", "10", "15", "20", "25", "Number of actions", "Late"} <= set(texts)
    assert areas_chart(["P1", "A&<b>\x07\tc"], [count, count]) == data
    many = areas_chart([f"A{i}" for i in range(LABEL_AREAS + 1)], [count] * (LABEL_AREAS + 1))
    assert "11" not in [t.text for t in _svg(many).iter("{http://www.w3.org/2000/svg}text")]


def test_the_trend_chart_takes_negative_figures_and_percentages() -> None:
    from datetime import date as day

    from send_plan.site.charts import trend_chart

    values = [(day(2019, 4, 1), -3.5, False), (day(2019, 9, 1), 2.0, True)]
    root = _svg(trend_chart(values, [(day(2019, 4, 1), -3.0), (day(2020, 3, 1), 4.0)],
                            percent=False))  # fmt: skip
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"-2", "0", "2", "Jul 2019", "Jan 2020"} <= set(texts)
    assert len(list(root.iter("{http://www.w3.org/2000/svg}circle"))) == 3  # one hollow
    percent = _svg(trend_chart(values[1:], [], percent=True))
    assert "100%" in [t.text for t in percent.iter("{http://www.w3.org/2000/svg}text")]


@pytest.mark.parametrize(
    ("low", "high", "most", "whole", "ticks"),
    [
        (0, 26.52, 8, True, [0, 5, 10, 15, 20, 25]),
        (0, 3.06, 8, True, [0, 1, 2, 3]),
        (0, 660, 7, False, [0, 100, 200, 300, 400, 500, 600]),
        (0, 0.55, 7, False, [0, 0.1, 0.2, 0.3, 0.4, 0.5]),
        (-3.9, 4.4, 7, False, [-2, 0, 2, 4]),
    ],
)
def test_ticks_fall_on_round_numbers(
    low: float, high: float, most: int, whole: bool, ticks: list[float]
) -> None:
    from send_plan.site.charts import _steps

    assert _steps(low, high, most, whole=whole) == ticks


def test_a_note_names_at_most_five_characters() -> None:
    from send_plan.render.glyphs import NOTE_CHARACTERS, note

    assert note("a.png", []) is None
    assert note("a.png", ["中"]) == (
        "a.png: the chart's font has no '中' (U+4E2D); it is drawn as an empty box"
    )
    many = note("a.png", [chr(0x4E00 + i) for i in range(NOTE_CHARACTERS + 3)])
    assert many is not None
    assert many.count("U+") == NOTE_CHARACTERS
    assert "or 3 other characters; they are drawn as empty boxes" in many
    assert note("a.png", ["\u00a0"]) == (
        "a.png: the chart's font has no U+00A0; it is drawn as an empty box"
    )
