"""Measure every performance target side by side, in one run, as ratios.

    python benchmarks/run.py            # all cases (a few minutes on 2 cores)
    python benchmarks/run.py --quick    # fewer repeats, for a smoke test
    python benchmarks/run.py --only indicators   # one group of cases (indicators, site, excel)
    python benchmarks/run.py --only excel   # import of 200,000- and 49,000-row workbooks

Each case times a command and the floor its issue names, alternating them, and
reports the best of N runs of each (the least disturbed by other work on the
machine). The table is printed and written to docs/performance.md with a
description of the machine.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import write_portfolio, write_reference, write_repository  # noqa: E402

PY = sys.executable
#: docs/performance.md: what follows this line is the page's own notes, kept when
#: the table above it is written again.
KEPT_MARK = "<!-- The part above is written by benchmarks/run.py; what follows is kept. -->"
SEND_PLAN = [PY, "-m", "send_plan"]

FLOOR_HISTORY = (
    "import subprocess, sys, pydantic, yaml\n"
    "repo = sys.argv[1]\n"
    "log = subprocess.run(['git', 'log', '--format=', '--raw', '--no-abbrev', '--', 'plans'],\n"
    "                     cwd=repo, capture_output=True, text=True, check=True).stdout\n"
    "blobs = [line.split()[3] for line in log.splitlines() if line.startswith(':')]\n"
    "cat = subprocess.Popen(['git', 'cat-file', '--batch'], cwd=repo,\n"
    "                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)\n"
    "cat.stdin.write(('\\n'.join(blobs) + '\\n').encode()); cat.stdin.close()\n"
    "for _ in blobs:\n"
    "    size = int(cat.stdout.readline().split()[2])\n"
    "    yaml.load(cat.stdout.read(size), Loader=yaml.CSafeLoader)\n"
    "    cat.stdout.read(1)\n"
)

FLOOR_LOAD = (
    "import sys, pydantic, yaml\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    yaml.load(f, Loader=yaml.CSafeLoader)\n"
)


@dataclass
class Timing:
    seconds: float
    peak_kb: int


def timed(argv: list[str]) -> Timing:
    """Wall time and peak memory (max RSS) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return Timing(seconds, max(before, after))


def best(argv: list[str], repeat: int) -> Timing:
    runs = [timed(argv) for _ in range(repeat)]
    return min(runs, key=lambda t: t.seconds)


@dataclass
class Row:
    target: str
    measured: str
    floor: str
    ratio: float
    limit: float | None
    higher_is_better: bool = False

    @property
    def verdict(self) -> str:
        if self.limit is None:
            return "(figure)"
        ok = self.ratio >= self.limit if self.higher_is_better else self.ratio <= self.limit
        return "meets" if ok else "MISSES"


def pair(
    name: str,
    command: list[str],
    floor: list[str],
    limit: float | None,
    repeat: int,
    floor_name: str,
) -> Row:
    """Time a command and its floor alternately; the ratio of the best runs."""
    a_runs, b_runs = [], []
    for _ in range(repeat):
        a_runs.append(timed(command))
        b_runs.append(timed(floor))
    a = min(a_runs, key=lambda t: t.seconds)
    b = min(b_runs, key=lambda t: t.seconds)
    return Row(
        name,
        f"{a.seconds:.3f} s",
        f"{floor_name} {b.seconds:.3f} s",
        a.seconds / b.seconds,
        limit,
    )


def peak_memory_kb(argv: list[str]) -> int:
    """Peak RSS of one run, read by GNU time when present, else by getrusage."""
    gnu_time = shutil.which("time") or "/usr/bin/time"
    if os.path.exists(gnu_time):
        out = subprocess.run(
            [gnu_time, "-f", "%M", *argv], capture_output=True, text=True, check=False
        )
        last = out.stderr.strip().splitlines()[-1] if out.stderr.strip() else ""
        if last.isdigit():
            return int(last)
    return timed(argv).peak_kb


def time_and_peak(argv: list[str]) -> tuple[float, int]:
    """Wall time and peak RSS (KB) of one run, both from GNU time when present."""
    gnu_time = shutil.which("time") or "/usr/bin/time"
    if os.path.exists(gnu_time):
        out = subprocess.run(
            [gnu_time, "-f", "%e %M", *argv], capture_output=True, text=True, check=False
        )
        last = out.stderr.strip().splitlines()[-1].split() if out.stderr.strip() else []
        if len(last) == 2 and last[1].isdigit():
            return float(last[0]), int(last[1])
    t = timed(argv)
    return t.seconds, t.peak_kb


def excel_cases(work: Path, sizes: tuple[int, ...] = (200_000, 49_000)) -> list[Row]:
    """Import of generated trackers (benchmarks/workbooks.py): 200,000 rows, which
    import refuses at its row limit, and 49,000, the most that import reads (with
    the title, header and section rows, just under 50,000). One run each: the
    figure is the time and peak memory, with no target."""
    from workbooks import IMPORT_OPTIONS, write_tracker

    rows = []
    for n in sizes:
        book = write_tracker(work / f"tracker-{n}.xlsx", n)
        out = work / f"tracker-{n}.yaml"
        argv = [*SEND_PLAN, "import", str(book), *IMPORT_OPTIONS, "-o", str(out), "--force"]
        seconds, kb = time_and_peak(argv)
        outcome = "written" if out.exists() else "refused at the row limit"
        rows.append(
            Row(
                f"import of a {n:,}-row workbook ({book.stat().st_size / 1e6:.1f} MB), {outcome}",
                f"{seconds:.1f} s, peak {kb / 1024:.0f} MB",
                "-",
                seconds,
                None,
            )
        )
    return rows


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), "
        f"Python {platform.python_version()}"
    )


def indicator_cases(work: Path, repeat: int) -> list[Row]:
    """The same 10,000-action plan with and without 500 indicators of 40 values."""
    plain, measured = work / "plain", work / "indicators"
    write_portfolio(plain, plans=1, actions=10_000)
    write_portfolio(measured, plans=1, actions=10_000, indicators=500, values=40)
    plain_file, big_file = next(plain.glob("*.yaml")), next(measured.glob("*.yaml"))
    floor_file = work / "floor_load.py"
    floor_file.write_text(FLOOR_LOAD)
    size = big_file.stat().st_size / 1e6
    status = ["status", "--as-of", "2020-06-01", "--format", "json"]
    return [
        pair(
            "status --format json, 10,000 actions + 500 indicators x 40 values <= 1.2x "
            "the plan without indicators",
            [*SEND_PLAN, *status, str(big_file)],
            [*SEND_PLAN, *status, str(plain_file)],
            1.2,
            repeat,
            "without indicators",
        ),
        pair(
            f"validate, same plan with indicators ({size:.1f} MB) <= 0.35x floor",
            [*SEND_PLAN, "validate", str(big_file)],
            [PY, str(floor_file), str(big_file)],
            0.35,
            repeat,
            "yaml.load(CSafeLoader)",
        ),
    ]


def site_cases(work: Path, repeat: int, big_file: Path | None = None) -> list[Row]:
    """The progress site: on the example plans against status on them (without
    git history, the stricter floor), and on the 10,000-action plan (it must
    finish, in under 1 GB)."""
    if big_file is None:
        big = work / "big"
        write_portfolio(big, plans=1, actions=10_000)
        big_file = next(big.glob("*.yaml"))
    examples = ROOT / "plans"
    rows = [
        pair(
            "site, example plans <= 3x status",
            [*SEND_PLAN, "site", str(examples), "--as-of", "2019-11-19", "-o",
             str(work / "site"), "--force"],
            [*SEND_PLAN, "status", str(examples), "--as-of", "2019-11-19", "--no-history"],
            3.0,
            repeat,
            "status",
        )
    ]  # fmt: skip
    site_big = [*SEND_PLAN, "site", str(big_file), "--as-of", "2020-06-01", "-o",
                str(work / "site-big"), "--force"]  # fmt: skip
    t = best(site_big, max(1, repeat // 2))
    kb = peak_memory_kb(site_big)
    rows.append(
        Row(
            "site, 10,000-action plan, peak memory < 1 GB",
            f"{t.seconds:.2f} s, peak {kb / 1024:.0f} MB",
            "-",
            kb / 1024 / 1024,
            1.0,
        )
    )
    return rows


def cases(work: Path, repeat: int, history_commits: int) -> list[Row]:
    rows: list[Row] = []
    big = work / "big"
    write_portfolio(big, plans=1, actions=10_000)
    big_file = next(big.glob("*.yaml"))
    floor_file = work / "floor_load.py"
    floor_file.write_text(FLOOR_LOAD)
    floor = [PY, str(floor_file), str(big_file)]
    size = big_file.stat().st_size / 1e6

    rows.append(
        pair(
            f"validate, 10,000-action plan ({size:.1f} MB) <= 0.35x floor",
            [*SEND_PLAN, "validate", str(big_file)],
            floor,
            0.35,
            repeat,
            "yaml.load(CSafeLoader)",
        )
    )
    validate_cmd = [*SEND_PLAN, "validate", str(big_file)]
    checker = shutil.which("check-jsonschema") or str(Path(PY).parent / "check-jsonschema")
    if os.path.exists(checker):
        schema = work / "plan.schema.json"
        subprocess.run([*SEND_PLAN, "schema", "-o", str(schema)], check=True)
        row = pair(
            "validate, same plan, at least 2x as fast as check-jsonschema",
            validate_cmd,
            [checker, "--schemafile", str(schema), str(big_file)],
            None,
            max(1, repeat // 2),
            "check-jsonschema",
        )
        rows.append(Row(row.target, row.measured, row.floor, 1 / row.ratio, 2.0, True))
    else:
        print("check-jsonschema not installed (pip install -e '.[bench]'): comparison skipped")
    rows.append(
        pair(
            "status --format json, same plan <= 1.2x validate",
            [*SEND_PLAN, "status", str(big_file), "--as-of", "2020-06-01", "--format", "json"],
            validate_cmd,
            1.2,
            repeat,
            "validate",
        )
    )

    status_cmd = [*SEND_PLAN, "status", str(big_file), "--as-of", "2020-06-01", "--format", "json"]
    rows.append(
        pair(
            "chase --format json, same plan <= 1.2x status --format json",
            [*SEND_PLAN, "chase", str(big_file), "--as-of", "2020-06-01", "--format", "json"],
            status_cmd,
            1.2,
            repeat,
            "status --format json",
        )
    )

    rows += site_cases(work, repeat, big_file)
    rows += indicator_cases(work, repeat)
    rows += excel_cases(work, sizes=(200_000,))

    # Board papers: Word on a 1,000-action plan against status on the same plan.
    thousand = work / "thousand"
    write_portfolio(thousand, plans=1, actions=1_000)
    plan_file = next(thousand.glob("*.yaml"))
    rows.append(
        pair(
            "report board-summary --format docx, 1,000 actions <= 3x status --format json",
            [*SEND_PLAN, "report", "board-summary", str(plan_file), "--as-of", "2020-06-01",
             "--format", "docx", "-o", str(work / "board.docx")],
            [*SEND_PLAN, "status", str(plan_file), "--as-of", "2020-06-01", "--format", "json"],
            3.0,
            repeat,
            "status --format json",
        )
    )  # fmt: skip
    board = [*SEND_PLAN, "report", "board-summary", str(plan_file), "--as-of", "2020-06-01",
             "--format", "docx", "-o", str(work / "board.docx")]  # fmt: skip
    reference = write_reference(work / "council.docx")
    rows.append(
        pair(
            "report board-summary --format docx --reference-docx, 1,000 actions <= 1.2x without",
            [*board, "--reference-docx", str(reference)],
            board,
            1.2,
            repeat,
            "without --reference-docx",
        )
    )

    # Appendix A on the same plan (areas with bi-monthly self-assessments, dated
    # evidence) against the board summary in the same format: Markdown to standard
    # output draws no chart for either; in Word the board summary embeds its chart.
    for fmt in ("md", "docx"):
        out = ["-o", str(work / f"appendix-a.{fmt}")] if fmt == "docx" else []
        board_out = ["-o", str(work / f"board-a.{fmt}")] if fmt == "docx" else []
        rows.append(
            pair(
                f"report appendix-a --format {fmt}, 1,000 actions <= 1.5x board-summary --format {fmt}",
                [*SEND_PLAN, "report", "appendix-a", str(plan_file), "--as-of", "2020-06-01",
                 "--format", fmt, *out],
                [*SEND_PLAN, "report", "board-summary", str(plan_file), "--as-of", "2020-06-01",
                 "--format", fmt, "--no-history", *board_out],
                1.5,
                repeat,
                f"board-summary --format {fmt}",
            )
        )  # fmt: skip

    # Git history: a generated repository, one 1,000-action plan edited by each commit.
    repo = work / "repo"
    ref = write_repository(repo, commits=history_commits, actions=1_000)
    history = [*SEND_PLAN, "history", ref, str(repo / "plans"), "--format", "json"]
    floor_history = work / "floor_history.py"
    floor_history.write_text(FLOOR_HISTORY)
    cache = repo / ".git" / "send-plan-cache"
    cold_runs, floor_runs = [], []
    for _ in range(max(1, repeat // 2)):
        shutil.rmtree(cache, ignore_errors=True)
        cold_runs.append(timed(history).seconds)
        floor_runs.append(timed([PY, str(floor_history), str(repo)]).seconds)
    cold, floor_h = min(cold_runs), min(floor_runs)
    rows.append(
        Row(
            f"history of one action, {history_commits} commits x 1,000 actions, cold cache "
            "<= 1.5x floor",
            f"{cold:.2f} s",
            f"cat-file --batch + yaml.load(CSafeLoader) {floor_h:.2f} s",
            cold / floor_h,
            1.5,
        )
    )
    warm = best(history, repeat).seconds
    rows.append(
        Row(
            "history, second run (cache warm) at least 10x faster than the first",
            f"{warm:.2f} s",
            f"first run {cold:.2f} s",
            cold / warm,
            10.0,
            higher_is_better=True,
        )
    )
    first_rev = subprocess.run(
        ["git", "rev-list", "--max-parents=0", "HEAD"], cwd=repo, capture_output=True, text=True
    ).stdout.strip()
    changes = [*SEND_PLAN, "changes", "--since", first_rev, str(repo / "plans"), "-f", "json"]
    shutil.rmtree(cache, ignore_errors=True)
    rows.append(
        Row(
            "changes between two revisions (cold cache: reads two versions)",
            f"{timed(changes).seconds:.2f} s",
            "-",
            0.0,
            None,
        )
    )

    # Start-up.
    one = work / "one"
    write_portfolio(one, plans=1, actions=1)
    typer_floor = [PY, "-c", "import typer"]
    rows.append(
        pair(
            "send-plan --version <= 1.3x import typer",
            [*SEND_PLAN, "--version"],
            typer_floor,
            1.3,
            repeat * 3,
            "import typer",
        )
    )
    rows.append(
        pair(
            "send-plan validate plans <= 2x import yaml, pydantic, typer",
            [*SEND_PLAN, "validate", str(ROOT / "plans")],
            [PY, "-c", "import yaml, pydantic, typer"],
            2.0,
            repeat * 3,
            "import yaml, pydantic, typer",
        )
    )
    rows.append(
        pair(
            "validate, one-action plan vs import yaml, pydantic",
            [*SEND_PLAN, "validate", str(one)],
            [PY, "-c", "import yaml, pydantic"],
            None,
            repeat * 3,
            "import yaml, pydantic",
        )
    )

    # National scale: 150 plans, 50,000 actions.
    national = work / "national"
    write_portfolio(national, plans=150, actions=50_000)
    for command in ("validate", "status"):
        argv = [*SEND_PLAN, command, str(national)]
        if command == "status":
            argv += ["--as-of", "2020-06-01", "--format", "json"]
        t = best(argv, max(1, repeat // 2))
        kb = peak_memory_kb(argv)
        rows.append(
            Row(
                f"{command}, national portfolio (150 plans, 50,000 actions)",
                f"{t.seconds:.2f} s, peak {kb / 1024:.0f} MB",
                "-",
                t.seconds,
                None,
            )
        )
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| target | measured | floor (same run) | ratio | verdict |",
        "|---|---|---|---:|---|",
    ]
    for r in rows:
        ratio = f"{r.ratio:.2f}x" if r.floor != "-" else "-"
        if r.higher_is_better:
            ratio = f"{r.ratio:.1f}x faster"
        lines.append(f"| {r.target} | {r.measured} | {r.floor} | {ratio} | {r.verdict} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/performance.md")
    parser.add_argument(
        "--commits",
        type=int,
        default=100,
        help="commits in the generated history repository (the issue's figure is 1,000; "
        "100 keeps the whole run to a few minutes, and the ratio does not depend on it)",
    )
    parser.add_argument(
        "--only",
        choices=["indicators", "site", "excel"],
        help="run one group of cases only, printing it (docs/performance.md is left as it is)",
    )
    args = parser.parse_args()
    repeat = 2 if args.quick else 5
    # Time what an installed user runs: pip byte-compiles a wheel's modules when it
    # installs them, but an editable install under PYTHONDONTWRITEBYTECODE would
    # compile every module of send_plan again on every start (the floors' packages,
    # in site-packages, are already compiled).
    compileall.compile_dir(ROOT / "send_plan", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        if args.only == "indicators":
            rows = indicator_cases(Path(tmp), repeat)
        elif args.only == "site":
            rows = site_cases(Path(tmp), repeat)
        elif args.only == "excel":
            rows = excel_cases(Path(tmp))
        else:
            rows = cases(Path(tmp), repeat, args.commits)
    text = table(rows)
    print(text)
    if not args.no_write and not args.only:  # one group alone never rewrites the page
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        doc = (
            "# Performance\n\n"
            "Measured by `python benchmarks/run.py`: each command and the floor its target names "
            "run alternately in one process tree; the best of several runs of each is compared. "
            "Generated plans come from `benchmarks/generate.py`.\n\n"
            f"Machine: {machine()}. Run: {stamp}.\n\n{text}\n"
        )
        page = ROOT / "docs" / "performance.md"
        before = page.read_text(encoding="utf-8") if page.exists() else ""
        _, marked, kept = before.partition(KEPT_MARK)
        page.write_text(doc + (f"\n{KEPT_MARK}{kept}" if marked else ""), encoding="utf-8")


if __name__ == "__main__":
    main()
