"""Files and output, hardened: an output is never a file being read, never a
device, a pipe or a dangling link; "never overwrite" holds against a second
writer; and a closed, broken, full or size-limited standard stream ends in one
line and a documented exit code, never a traceback (issue 13, items 11 to 13)."""

from __future__ import annotations

import os
import resource
import shutil
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from typer.testing import CliRunner

from send_plan.cli import app
from send_plan.errors import PathError, RefusedOverwrite
from send_plan.files import refuse_existing, write_atomic, write_files_atomic

ROOT = Path(__file__).resolve().parent.parent
AS_OF = ["--as-of", "2019-11-01"]
BOARD = ["report", "board-summary", "--plan", "send-improvement-plan-2019", *AS_OF]
APPENDIX_B = ["report", "appendix-b", "--plan", "wsoa-2018", *AS_OF]
runner = CliRunner()


def invoke(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    """The command in this process (CliRunner), from ``cwd`` when given."""
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = runner.invoke(app, list(args))
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A folder holding a copy of the example plans, as the root of a clone."""
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (links as their target's name), to compare after."""
    out: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = b"-> " + os.readlink(path).encode()
        elif path.is_file():
            out[rel] = path.read_bytes()
        elif not path.is_dir():
            out[rel] = b"<special>"
    return out


# --------------------------------------------------------------------------- 11: outputs that are inputs


def _spellings(work: Path) -> Iterator[tuple[str, Callable[[], str]]]:
    plan = work / "plans" / "wsoa-2018.yaml"

    def link() -> str:
        (work / "link.yaml").symlink_to(plan)
        return str(work / "link.yaml")

    def hard() -> str:
        os.link(plan, work / "hard.yaml")
        return str(work / "hard.yaml")

    yield "as read", lambda: str(plan)
    yield "another spelling", lambda: str(work / "plans" / ".." / "plans" / "." / "wsoa-2018.yaml")
    yield "relative", lambda: os.path.relpath(plan)
    yield "a symbolic link", link
    yield "a hard link", hard


SPELLINGS = ["as read", "another spelling", "relative", "a symbolic link", "a hard link"]


def _output(work: Path, spelling: str) -> str:
    return dict(_spellings(work))[spelling]()


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_carry_forward_never_replaces_a_plan_it_reads(
    work: Path, spelling: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(work)
    before = snapshot(work / "plans")
    out = _output(work, spelling)
    code, _, err = invoke("carry-forward", "wsoa-2018", "--to", "x", "-o", out, "--force")
    assert code == 2
    assert "this command reads" in err, err
    assert err.count("\n") == 1
    assert snapshot(work / "plans") == before


@pytest.mark.parametrize("spelling", ["as read", "a symbolic link", "a hard link"])
def test_report_never_replaces_a_plan_it_reads(
    work: Path, spelling: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(work)
    before = snapshot(work / "plans")
    out = _output(work, spelling)
    code, _, err = invoke(*APPENDIX_B, "plans", "-o", out, "--force")
    assert code == 2
    assert "this command reads" in err, err
    assert snapshot(work / "plans") == before


def test_report_never_replaces_its_own_template(work: Path) -> None:
    template = work / "mine.md.j2"
    template.write_text("# {{ plan.title }}\n")
    code, _, err = invoke(
        *APPENDIX_B,
        str(work / "plans"),
        "--template",
        str(template),
        "-o",
        str(template),
        "--force",
    )
    assert code == 2
    assert "this command reads" in err
    assert template.read_text() == "# {{ plan.title }}\n"


def test_chase_never_replaces_a_plan_or_the_contacts_it_reads(work: Path) -> None:
    plans = work / "plans"
    contacts = work / "contacts.yaml"
    shutil.copy(ROOT / "docs" / "examples" / "contacts.yaml", contacts)
    before = snapshot(work)
    base = ["chase", str(plans), *AS_OF, "-f", "md", "--contacts", str(contacts), "--force"]
    for target in (plans / "wsoa-2018.yaml", contacts):
        code, _, err = invoke(*base, "-o", str(target))
        assert code == 2, err
        assert "this command reads" in err
    assert snapshot(work) == before


@pytest.mark.parametrize("target", ["plans", "."])
def test_eml_with_force_never_replaces_the_plans_folder(work: Path, target: str) -> None:
    before = snapshot(work)
    code, _, err = invoke("chase", "plans", *AS_OF, "-f", "eml", "-o", target, "--force", cwd=work)
    assert code == 2, err
    assert "will not replace" in err
    assert snapshot(work) == before


def test_import_never_replaces_its_mapping_file(work: Path) -> None:
    mapping = work / "map.yaml"
    shutil.copy(ROOT / "docs" / "examples" / "tracker-columns.yaml", mapping)
    book = work / "tracker.xlsx"
    book.write_bytes(b"not read: the output is refused first")
    code, _, err = invoke(
        "import", str(book), "--columns", str(mapping), "-o", str(mapping), "--force"
    )
    assert code == 2
    assert "this command reads" in err
    assert (
        mapping.read_bytes() == (ROOT / "docs" / "examples" / "tracker-columns.yaml").read_bytes()
    )


def test_site_with_force_never_replaces_its_templates_folder(work: Path) -> None:
    mine = work / "my-site"
    mine.mkdir()
    (mine / "site.css").write_text("body { color: black }\n")
    code, _, err = invoke(
        "site", str(work / "plans"), *AS_OF, "--templates", str(mine), "-o", str(mine), "--force"
    )
    assert code == 2
    assert "will not replace" in err
    assert (mine / "site.css").read_text() == "body { color: black }\n"


# --------------------------------------------------------------------------- 11: report refuses like the rest


@pytest.mark.parametrize("name", ["README.md", "paper.html", "paper.docx"])
def test_report_refuses_an_existing_document_without_force(work: Path, name: str) -> None:
    target = work / name
    target.write_bytes(b"written by hand\n")
    fmt = "docx" if name.endswith(".docx") else ("html" if name.endswith(".html") else "md")
    args = [*APPENDIX_B, str(work / "plans"), "-f", fmt, "-o", str(target)]
    code, _, err = invoke(*args)
    assert code == 2
    assert "already exists; use --force" in err
    assert target.read_bytes() == b"written by hand\n"
    code, _, err = invoke(*args, "--force")
    assert code == 0, err
    assert target.read_bytes() != b"written by hand\n"


def test_report_refuses_an_existing_chart_beside_the_document(work: Path) -> None:
    chart = work / "board.chart.png"
    chart.write_bytes(b"a picture drawn by hand")
    args = [*BOARD, str(work / "plans"), "--no-history", "-o", str(work / "board.md")]
    code, _, err = invoke(*args)
    assert code == 2
    assert "board.chart.png already exists; use --force" in err
    assert chart.read_bytes() == b"a picture drawn by hand"
    assert not (work / "board.md").exists()
    code, _, err = invoke(*args, "--force")
    assert code == 0, err
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert (work / "board.md").exists()


def test_a_report_whose_picture_appeared_meanwhile_writes_nothing(tmp_path: Path) -> None:
    doc, picture = tmp_path / "board.md", tmp_path / "board.indicators.png"
    picture.write_bytes(b"someone else's")
    with pytest.raises(RefusedOverwrite, match=r"board\.indicators\.png"):
        write_files_atomic([(tmp_path / "board.chart.png", b"png"), (doc, b"doc"), (picture, b"x")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["board.indicators.png"]
    assert picture.read_bytes() == b"someone else's"


# --------------------------------------------------------------------------- 12: never overwrite, race-free


def test_a_file_created_while_writing_is_never_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "next.yaml"
    real_fsync = os.fsync

    def another_writer_meanwhile(fd: int) -> None:
        real_fsync(fd)
        if not target.exists():
            target.write_bytes(b"the other carry-forward's plan\n")

    monkeypatch.setattr(os, "fsync", another_writer_meanwhile)
    with pytest.raises(RefusedOverwrite, match="already exists"):
        write_atomic(target, b"mine\n")
    assert target.read_bytes() == b"the other carry-forward's plan\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["next.yaml"]


def test_of_many_writers_to_one_new_path_exactly_one_wins(tmp_path: Path) -> None:
    target = tmp_path / "next.yaml"
    writers = 8
    barrier = threading.Barrier(writers)
    won: list[int] = []
    refused: list[int] = []

    def write(n: int) -> None:
        barrier.wait()
        try:
            write_atomic(target, f"writer {n}\n".encode() * 2000)
            won.append(n)
        except RefusedOverwrite:
            refused.append(n)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1
    assert len(refused) == writers - 1
    assert target.read_bytes() == f"writer {won[0]}\n".encode() * 2000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["next.yaml"]


def test_two_carry_forwards_to_one_path_one_is_refused(work: Path) -> None:
    out = work / "next.yaml"
    source = "send-improvement-plan-2019"
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "send_plan",
                "carry-forward",
                source,
                "--to",
                f"next-{n}",
                "plans",
                "-o",
                str(out),
            ],
            cwd=work,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for n in range(4)
    ]
    errors = [p.communicate()[1].decode() for p in procs]
    codes = [p.returncode for p in procs]
    assert sorted(codes) == [0, 2, 2, 2], errors
    winner = codes.index(0)
    assert f"id: next-{winner}\n" in out.read_text()
    for n, err in enumerate(errors):
        if n != winner:
            assert err == f"send-plan: error: {out} already exists; use --force to replace it\n"
    assert sorted(p.name for p in work.iterdir()) == ["next.yaml", "plans"]


# --------------------------------------------------------------------------- 12: only regular files


@pytest.mark.parametrize("force", [False, True])
def test_a_fifo_is_never_replaced(tmp_path: Path, force: bool) -> None:
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    code, _, err = invoke("schema", "-o", str(fifo), *(["--force"] if force else []))
    assert code == 2
    assert "named pipe" in err
    assert "not a regular file" in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("force", [False, True])
def test_a_dangling_link_is_never_replaced(tmp_path: Path, force: bool) -> None:
    link = tmp_path / "out.json"
    link.symlink_to(tmp_path / "nowhere.json")
    code, _, err = invoke("schema", "-o", str(link), *(["--force"] if force else []))
    assert code == 2
    assert "symbolic link" in err
    assert "does not exist" in err
    assert link.is_symlink()
    assert not (tmp_path / "nowhere.json").exists()


def test_a_device_is_never_replaced(tmp_path: Path) -> None:
    link = tmp_path / "null.json"
    link.symlink_to(os.devnull)
    with pytest.raises(PathError, match="is a device, not a regular file"):
        write_atomic(link, b"x", force=True)
    with pytest.raises(PathError, match="is a device, not a regular file"):
        refuse_existing(Path(os.devnull), force=True)
    assert link.is_symlink()


def test_with_force_a_link_to_a_file_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "papers" / "board-2019-11.json"
    real.parent.mkdir()
    real.write_text("old\n")
    real.chmod(0o640)
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    code, _, err = invoke("schema", "-o", str(link), "--force")
    assert code == 0, err
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.read_text().startswith("{")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["board-2019-11.json"]


def test_init_keeps_a_dangling_link_where_a_starter_file_would_go(tmp_path: Path) -> None:
    (tmp_path / "README.md").symlink_to(tmp_path / "elsewhere.md")
    code, _, err = invoke("init", str(tmp_path))
    assert code == 0, err
    assert any(line.startswith("kept") and line.endswith("README.md") for line in err.splitlines())
    assert (tmp_path / "README.md").is_symlink()


# --------------------------------------------------------------------------- 13: standard streams


def run(
    *args: str,
    cwd: Path,
    stdout: Any = subprocess.PIPE,
    stderr: Any = subprocess.PIPE,
    preexec: Callable[[], None] | None = None,
) -> tuple[int, bytes, bytes]:
    """``python -m send_plan ARGS`` in a real process."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1"}
    env.pop("SEND_PLAN_DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-m", "send_plan", *args],
        cwd=cwd,
        stdout=stdout,
        stderr=stderr,
        stdin=subprocess.DEVNULL,
        preexec_fn=preexec,
        env=env,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout or b"", done.stderr or b""


def _close(fd: int) -> Callable[[], None]:
    return lambda: os.close(fd)


def _broken_pipe() -> tuple[int, Callable[[], None]]:
    """A pipe whose reader is gone: every write to it fails with EPIPE."""
    read, write = os.pipe()
    os.close(read)
    return write, lambda: os.close(write)


def _full() -> IO[bytes]:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    return open("/dev/full", "wb")


COMMANDS = {
    "validate": ["validate"],
    "status": ["status", *AS_OF],
    "status json": ["status", *AS_OF, "-f", "json"],
    "report": [*APPENDIX_B, "--no-history"],
    "help": ["--help"],
}


@pytest.fixture
def broken(work: Path) -> Path:
    """The example plans with an error in one of them (status exits 1)."""
    plan = work / "plans" / "wsoa-2018.yaml"
    plan.write_text(plan.read_text().replace("status: complete", "status: finished", 1))
    return work


@pytest.mark.parametrize("command", list(COMMANDS))
def test_closed_stdout_is_one_line_and_exit_2(work: Path, command: str) -> None:
    code, _, err = run(*COMMANDS[command], cwd=work, stdout=None, preexec=_close(1))
    assert code == 2, err
    assert (
        err.decode() == "send-plan: error: cannot write to standard output: Bad file descriptor\n"
    )


def test_closed_stdout_is_no_problem_when_nothing_is_printed_there(work: Path) -> None:
    out = work / "b.md"
    code, _, err = run(*APPENDIX_B, "-o", str(out), cwd=work, stdout=None, preexec=_close(1))
    assert code == 0, err
    assert out.read_text().startswith("#")


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_reader_that_stops_early_is_not_an_error(work: Path, command: str) -> None:
    fd, close = _broken_pipe()
    try:
        code, _, err = run(*COMMANDS[command], cwd=work, stdout=fd)
    finally:
        close()
    assert (code, err) == (0, b"")


def test_a_reader_that_stops_early_keeps_the_exit_code(broken: Path) -> None:
    fd, close = _broken_pipe()
    try:
        code, _, err = run("validate", cwd=broken, stdout=fd)
        assert (code, err) == (1, b"")
        code, _, err = run("status", *AS_OF, cwd=broken, stdout=fd)
        assert code == 1
        assert b"fix the errors" in err
        assert b"Traceback" not in err
    finally:
        close()


def test_status_piped_into_head_exits_0(work: Path) -> None:
    done = subprocess.run(
        f"'{sys.executable}' -m send_plan status --as-of 2019-11-01 | head -1 >/dev/null;"
        ' echo "${PIPESTATUS[0]}" >&2',
        shell=True,
        executable="/bin/bash",
        cwd=work,
        capture_output=True,
        check=False,
    )
    assert done.stderr == b"0\n"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_full_disk_on_stdout_is_one_line_and_exit_2(work: Path, command: str) -> None:
    with _full() as full:
        code, _, err = run(*COMMANDS[command], cwd=work, stdout=full)
    assert code == 2, err
    assert err.decode() == (
        "send-plan: error: cannot write to standard output: No space left on device\n"
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["validate"], 1),
        (["status", *AS_OF], 1),
        (["status", *AS_OF, "--plan", "no-such-plan"], 1),
        (["validate", "no/such/folder"], 2),
        (["status", "--no-such-option"], 2),
        (["report", "appendix-b", "--plan", "wsoa-2018", "-o", "plans"], 2),
    ],
)
@pytest.mark.parametrize("how", ["closed", "full"])
def test_a_closed_or_full_stderr_keeps_the_exit_code(
    broken: Path, args: list[str], expected: int, how: str
) -> None:
    if how == "closed":
        code, out, _ = run(*args, cwd=broken, stderr=None, preexec=_close(2))
    else:
        with _full() as full:
            code, out, _ = run(*args, cwd=broken, stderr=full)
    assert code == expected
    assert b"Traceback" not in out


def test_a_closed_stderr_keeps_exit_0(work: Path) -> None:
    code, out, _ = run("validate", cwd=work, stderr=None, preexec=_close(2))
    assert code == 0
    assert out == b"2 files checked: 0 errors, 0 warnings\n"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository whose history replays the example plans (init --demo)."""
    folder = tmp_path_factory.mktemp("demo") / "demo"
    code, _, err = run("init", "--demo", str(folder), cwd=folder.parent)
    assert code == 0, err
    return folder


@pytest.mark.parametrize(
    "args", [["changes", "--since", "2019-09-17"], ["history", "send-improvement-plan-2019/P1.1"]]
)
def test_the_git_commands_on_a_closed_broken_or_full_stdout(demo: Path, args: list[str]) -> None:
    code, _, err = run(*args, cwd=demo, stdout=None, preexec=_close(1))
    assert (code, err.decode()) == (
        2,
        "send-plan: error: cannot write to standard output: Bad file descriptor\n",
    )
    fd, close = _broken_pipe()
    try:
        assert run(*args, cwd=demo, stdout=fd)[::2] == (0, b"")
    finally:
        close()
    with _full() as full:
        code, _, err = run(*args, cwd=demo, stdout=full)
    assert (code, err.decode()) == (
        2,
        "send-plan: error: cannot write to standard output: No space left on device\n",
    )


def _limit(size: int) -> Callable[[], None]:
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def test_a_file_size_limit_leaves_no_half_written_cache_behind(demo: Path) -> None:
    cache = demo / ".git" / "send-plan-cache"
    shutil.rmtree(cache, ignore_errors=True)
    code, _, err = run("changes", "--since", "2019-09-17", cwd=demo, preexec=_limit(2048))
    assert (code, err) == (0, b"")  # a cache that cannot be written only costs time
    assert [p.name for p in cache.rglob(".tmp-*")] == []


@pytest.mark.parametrize("command", ["status", "status json", "report"])
def test_a_file_size_limit_on_stdout_is_one_line_and_exit_2(work: Path, command: str) -> None:
    with (work / "out.txt").open("wb") as out:
        code, _, err = run(*COMMANDS[command], cwd=work, stdout=out, preexec=_limit(2048))
    assert code == 2, err
    assert err.decode() == "send-plan: error: cannot write to standard output: File too large\n"


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ([*APPENDIX_B, "-f", "docx", "-o"], "b.docx"),
        ([*BOARD, "--no-history", "-o"], "board.md"),
        (["export", "wsoa-2018", "-o"], "wsoa.xlsx"),
        (["carry-forward", "send-improvement-plan-2019", "--to", "x", "--force", "-o"], "x.yaml"),
    ],
)
def test_a_file_size_limit_on_an_output_file_writes_nothing(
    work: Path, args: list[str], name: str
) -> None:
    out = work / "out"
    out.mkdir()
    (out / "x.yaml").write_text("precious\n")
    before = snapshot(out)
    code, _, err = run(*args, str(out / name), cwd=work, preexec=_limit(4096))
    assert code == 2, err
    assert err.decode().endswith("File too large\n") or "File too large (" in err.decode(), err
    assert err.count(b"\n") == 1
    assert snapshot(out) == before
