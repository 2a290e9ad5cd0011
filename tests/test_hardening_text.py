"""Hostile text reaching output: terminals, workflow commands, Markdown, far dates.

Three families (issue 13, items 7, 8 and 14):

- control characters, from file names, from files that fail validation, from
  escapes in quoted YAML text and from git metadata, must never reach a
  terminal raw nor let one record forge another line;
- plan text in any Markdown send-plan writes must never make a heading, a table
  row, raw HTML or a link;
- dates near the end of Python's calendar (9999-12-31) give a correct answer or
  a clear one-line error, never an OverflowError.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from send_plan.cli import app
from send_plan.controls import one_line, visible

ROOT = Path(__file__).resolve().parent.parent
WSOA = (ROOT / "plans" / "wsoa-2018.yaml").read_text(encoding="utf-8")
runner = CliRunner()

#: What must never reach a terminal raw: C0 controls but tab and line feed, DEL,
#: C1 controls, the Unicode line separators, bidirectional overrides and isolates.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
#: A file name no one should have, but anyone may: an escape that clears the
#: screen, a C1 control sequence introducer, a right-to-left override, a line
#: break, and GitHub's property separators.
HOSTILE_NAME = "a\x1b[2J\x9bb\u202ec\nd,e:f%g é.yaml"


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def assert_no_raw_controls(*texts: str) -> None:
    for text in texts:
        found = RAW_CONTROL.search(text)
        assert found is None, f"raw {found.group()!r} in {text!r}"


# --------------------------------------------------------------------------- the neutraliser


def test_visible_shows_each_control_as_an_escape_and_keeps_line_breaks() -> None:
    assert visible("a\x1b[2Jb") == "a\\u001b[2Jb"
    assert visible("\x9b\u202e\u2028\x7f\x00") == "\\u009b\\u202e\\u2028\\u007f\\u0000"
    assert visible("one\rtwo\tthree\r\nfour") == "one\\rtwo\tthree\nfour"
    assert visible("plain é [x] $ < |") == "plain é [x] $ < |"


def test_one_line_also_shows_line_feeds() -> None:
    assert one_line("a\nb\r\x1b") == "a\\nb\\r\\u001b"
    assert "\n" not in one_line("x\n" * 5)


def test_what_visible_writes_is_a_json_escape_of_the_same_character() -> None:
    """So the one neutraliser can stand between any output and a terminal: in a
    JSON string it is the same text, exactly."""
    every = "".join(chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))) + "\u2028\u202e\u2069"
    every = every.replace("\t", "").replace("\n", "")
    assert json.loads('"' + visible(every) + '"') == every
    assert json.loads('"' + one_line("a\nb") + '"') == "a\nb"


# --------------------------------------------------------------------------- validate


def hostile_folder(tmp_path: Path) -> Path:
    """A valid plan under a hostile name, and an invalid one whose ids, keys and
    values carry line breaks (and escapes, which are themselves findings)."""
    folder = tmp_path / "plans ü"
    folder.mkdir()
    (folder / HOSTILE_NAME).write_text(WSOA, encoding="utf-8")
    (folder / f"bad\x1b]8;;evil.example\x07{HOSTILE_NAME}").write_text(
        "schema_version: 1\n"
        "plan:\n"
        '  id: "x\\e[2Jy\\nz"\n'
        '  "k\\e[31mey\\nline": 1\n'
        '  kind: "writ\\nten-statement"\n'
        '  status: "act\\u202eive"\n',
        encoding="utf-8",
    )
    return folder


def findings_of(folder: Path) -> list[dict[str, Any]]:
    code, out, _ = invoke("validate", str(folder), "--format", "json")
    assert code == 1
    findings: list[dict[str, Any]] = json.loads(out)["findings"]
    assert len(findings) > 5
    return findings


def test_validate_text_gives_one_line_per_finding_whatever_the_names(tmp_path: Path) -> None:
    folder = hostile_folder(tmp_path)
    findings = findings_of(folder)
    code, out, err = invoke("validate", str(folder))
    assert code == 1
    assert_no_raw_controls(out, err)
    lines = out.splitlines()
    assert len(lines) == len(findings) + 1
    for line, finding in zip(lines, findings, strict=False):
        assert line.startswith(one_line(finding["path"]) + f":{finding['line']}:")
    errors = sum(f["severity"] == "error" for f in findings)
    warnings = len(findings) - errors
    assert lines[-1] == f"2 files checked: {errors} errors, {warnings} warnings"


def test_validate_github_gives_one_workflow_command_per_finding(tmp_path: Path) -> None:
    folder = hostile_folder(tmp_path)
    findings = findings_of(folder)
    code, out, err = invoke("validate", str(folder), "--format", "github")
    assert code == 1
    assert_no_raw_controls(out, err)
    lines = out.splitlines()
    assert len(lines) == len(findings)
    for line, finding in zip(lines, findings, strict=True):
        assert line.startswith("::")
        head, message = line[2:].split("::", 1)
        command, _, properties = head.partition(" ")
        assert command == finding["severity"]
        pairs = dict(p.split("=", 1) for p in properties.split(","))
        assert set(pairs) == {"file", "line", "col", "title"}
        assert ":" not in pairs["file"]  # every ':' and ',' of the name is %-escaped
        assert pairs["line"] == str(finding["line"])
        assert "%0A" in pairs["file"]  # the line break of the name, as GitHub writes it
        assert "\\u001b" in pairs["file"]  # the escape, shown
        said = finding["message"].replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        assert message.endswith(visible(said))


def test_validate_json_keeps_names_and_values_exactly(tmp_path: Path) -> None:
    folder = hostile_folder(tmp_path)
    code, out, _ = invoke("validate", str(folder), "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert str(folder / HOSTILE_NAME) in doc["files"]
    assert {f["path"] for f in doc["findings"]} == set(doc["files"])


def test_refused_plans_are_listed_on_stderr_one_line_each(tmp_path: Path) -> None:
    folder = hostile_folder(tmp_path)
    findings = findings_of(folder)
    for args in (["status", str(folder), "--no-history"], ["report", "appendix-b", str(folder)]):
        code, out, err = invoke(*args)
        assert code == 1
        assert_no_raw_controls(out, err)
        lines = err.splitlines()
        assert len(lines) == len(findings) + 1
        assert lines[-1].startswith("send-plan: error: 2 files checked")


def test_an_error_naming_a_hostile_path_is_one_line(tmp_path: Path) -> None:
    plans = str(ROOT / "plans")
    target = tmp_path / HOSTILE_NAME
    target.write_text("kept")
    code, _, err = invoke("carry-forward", "wsoa-2018", "--to", "next", plans, "-o", str(target))
    assert code == 2
    assert_no_raw_controls(err)
    assert len(err.splitlines()) == 1
    assert target.read_text() == "kept"
    code, out, err = invoke("validate", str(tmp_path / "missing\x1b[2J\n.yaml"))
    assert code == 2
    assert_no_raw_controls(out, err)
    assert len(err.splitlines()) == 1


def test_carry_forward_and_excel_messages_name_a_hostile_path_safely(tmp_path: Path) -> None:
    source = tmp_path / HOSTILE_NAME
    source.write_text(WSOA, encoding="utf-8")
    out_file = tmp_path / "next\x1b[2J\n.yaml"
    code, out, err = invoke(
        "carry-forward", "wsoa-2018", "--to", "next", str(source), "-o", str(out_file)
    )
    assert code == 0, err
    assert_no_raw_controls(out, err)
    assert out_file.exists()
    workbook = tmp_path / "w\x1b[31m.xlsx"
    code, out, err = invoke("export", "wsoa-2018", str(source), "-o", str(workbook))
    assert code == 0, err
    assert_no_raw_controls(out, err)


# --------------------------------------------------------------------------- escapes in quoted text


@pytest.mark.parametrize(
    ("written", "label"),
    [
        ("\\e[2J", "U+001B ESCAPE"),
        ("\\x9b31m", "U+009B"),
        ("\\u202eevil", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\\N", "U+0085 NEXT LINE"),
        ("\\L", "U+2028 LINE SEPARATOR"),
        ("\\P", "U+2029 PARAGRAPH SEPARATOR"),
        ("\\a", "U+0007"),
        ("\\0", "U+0000"),
        ("\\U0001F600\\u2066", "U+2066"),
    ],
)
def test_a_control_character_written_as_an_escape_is_e009(
    tmp_path: Path, written: str, label: str
) -> None:
    text = WSOA.replace(
        "  title: Lancashire SEND Written Statement of Action",
        f'  title: "Lancashire {written} SEND"',
        1,
    )
    line = text.splitlines().index(f'  title: "Lancashire {written} SEND"') + 1
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    code, out, _ = invoke("validate", str(tmp_path), "--format", "json")
    assert code == 1
    [finding] = [f for f in json.loads(out)["findings"] if f["code"] == "E009"]
    assert (finding["line"], finding["column"]) == (line, 10)
    assert label in finding["message"]
    code, out, err = invoke("status", str(tmp_path), "--no-history", "--as-of", "2018-09-01")
    assert code == 1
    assert_no_raw_controls(out, err)


def test_escapes_in_keys_and_explicitly_tagged_text_are_e009_too(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(
        'schema_version: 1\nplan:\n  "\\e[2Jid": x\n  title: !!str "\\e]8;;http://e\\a"\n'
        '  local_area: ["\\x9b"]\n',
        encoding="utf-8",
    )
    code, out, _ = invoke("validate", str(tmp_path), "--format", "json")
    assert code == 1
    places = {(f["line"], f["column"]) for f in json.loads(out)["findings"] if f["code"] == "E009"}
    assert places == {(3, 3), (4, 10), (5, 16)}


def test_a_carriage_return_in_text_is_shown_never_acted_on(tmp_path: Path) -> None:
    """A CR (written "\\r", or in text from a spreadsheet, "\\r\\n") is a line break
    to YAML, so a plan may hold one; on its own, a terminal would move back to the
    start of the line and let what follows overwrite what was shown."""
    text = WSOA.replace(
        "  title: Lancashire SEND Written Statement of Action",
        '  title: "Lancashire SEND\\rForged title\\r\\nSecond line"',
        1,
    ).replace("status: closed", "status: active", 1)
    text = text.replace(
        "        title: Publish a joint strategic needs assessment (JSNA) for SEND",
        '        title: "Publish a JSNA\\rForged\\r\\nfor SEND"',
        1,
    )
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    code, out, err = invoke("validate", str(tmp_path))
    assert code == 0, out
    for form in ("table", "markdown", "csv", "json"):
        args = ["status", str(tmp_path), "--as-of", "2018-09-01", "--no-history", "-f", form]
        code, out, err = invoke(*args, "--state", "complete", env={"COLUMNS": "200"})
        assert code == 0, err
        assert_no_raw_controls(out, err)
        assert "Forged" in out
    code, out, _ = invoke("status", str(tmp_path), "--as-of", "2018-09-01", "-f", "json")
    assert json.loads(out)["plans"][0]["title"] == "Lancashire SEND\rForged title\r\nSecond line"


def test_plain_and_single_quoted_backslashes_are_text(tmp_path: Path) -> None:
    text = WSOA.replace(
        "  title: Lancashire SEND Written Statement of Action",
        "  title: 'C:\\evidence\\x9b and C:\\new\\e'",
        1,
    ).replace("  local_area: Lancashire", "  local_area: C:\\evidence\\e\\x1b", 1)
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    code, out, _ = invoke("validate", str(tmp_path), "--format", "json")
    assert not [f for f in json.loads(out)["findings"] if f["code"] == "E009"]
    assert code == 0


# --------------------------------------------------------------------------- git metadata


class Repo:
    """A real repository whose author and commit subjects carry escapes."""

    AUTHOR = "Ana\x1b[31mlyst\x9b"

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "plans").mkdir(parents=True)
        self.git("init", "-q")

    def git(self, *args: str, when: str = "2019-01-01T12:00:00+00:00") -> str:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": self.AUTHOR,
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

    def commit(self, text: str, message: str, when: str) -> None:
        (self.root / "plans" / HOSTILE_NAME.replace("\n", "")).write_text(text, encoding="utf-8")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, when=when)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo")
    repo.commit(WSOA, "add the plan \x1b[2J\u202e", "2018-05-01T09:00:00+00:00")
    moved = WSOA.replace("status: closed", "status: active", 1)
    repo.commit(moved, "reopen \x1b]8;;http://evil.example\x07it\x9b", "2018-06-01T09:00:00+00:00")
    return repo


def test_history_and_changes_show_git_metadata_safely(repo: Repo) -> None:
    plans = str(repo.root / "plans")
    code, out, _ = invoke("history", "wsoa-2018/FF1.1", plans, "--format", "json")
    assert code == 0
    assert json.loads(out)["events"][0]["author"] == Repo.AUTHOR  # JSON stays exact
    for args in (
        ["history", "wsoa-2018/FF1.1", plans],
        ["changes", "--since", "2018-05-02", plans],
        ["changes", "--since", "2018-05-02", plans, "--format", "markdown"],
        ["status", plans, "--as-of", "2018-09-01"],
        ["validate", plans, "--base", "HEAD~1"],
        ["validate", plans, "--base", "HEAD~1", "--format", "github"],
    ):
        code, out, err = invoke(*args, env={"COLUMNS": "200"})
        assert code in (0, 1), (args, err)
        assert_no_raw_controls(out, err)
    code, out, _ = invoke("history", "wsoa-2018/FF1.1", plans, env={"COLUMNS": "200"})
    assert "Ana\\u001b[31mlyst" in out


# --------------------------------------------------------------------------- Markdown

#: Each hostile value starts with a different piece of Markdown block syntax (in
#: turn), then holds every inline construct that could make a link, an image or
#: raw HTML, a table row, and lines that would be a heading or a rule.
STARTS = ("# ", "```", "- ", "> ", "1. ", "=== ", "<div>", "| ", "~~~", "+ ", "---", "    ")
HOSTILE_TAIL = (
    " <script>alert(1)</script> [x](javascript:alert(1)) ![i](http://e.example/i.png)"
    " <http://e.example/> [y]: http://e.example/ | c | d | $x$ [/Draft]\n---\n> quote\n"
    "- item\n1. item\n=====\n\n# injected\n<div>raw</div>\n```\n| e | f |"
)
TEXT_KEYS = frozenset(
    ("title", "local_area", "board", "description", "impact", "note", "next_steps", "summary")
) | frozenset(("reason", "withdrawn_reason", "by", "lead", "delivery_plan", "owner", "name"))
DATE = re.compile(r"\d{4}-\d\d-\d\d$")


def hostile_copy(data: Any, starts: Iterator[str], memo: dict[str, str] | None = None) -> Any:
    """The plan data with every free-text value made hostile (ids, dates, links and
    vocabulary left as they are, so that the plans still validate). Equal values
    stay equal (one lead's actions stay together)."""
    memo = {} if memo is None else memo

    def bad(value: Any, sorted_by: bool) -> Any:
        if isinstance(value, list):
            return [bad(v, sorted_by) for v in value]
        if isinstance(value, str) and not DATE.match(value):
            start = "" if sorted_by else next(starts)  # leads keep their order
            return memo.setdefault(value, f"{start}{value}{HOSTILE_TAIL}")
        return hostile_copy(value, starts, memo)

    if isinstance(data, dict):
        return {
            k: bad(v, k in ("lead", "owner")) if k in TEXT_KEYS else hostile_copy(v, starts, memo)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [hostile_copy(v, starts, memo) for v in data]
    return data


def plain(text: str) -> Any:
    """A plan file as data for rewriting: YAML 1.1 reads the key ``on`` (of a
    rescheduled entry) as true; give it back its name."""

    def keys(data: Any) -> Any:
        if isinstance(data, dict):
            return {("on" if k is True else k): keys(v) for k, v in data.items()}
        if isinstance(data, list):
            return [keys(v) for v in data]
        return data

    return keys(yaml.safe_load(text))


def cycle(items: tuple[str, ...]) -> Iterator[str]:
    while True:
        yield from items


@pytest.fixture(scope="module")
def twin_folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example plans, as they are and with hostile text, as YAML files."""
    benign, hostile = tmp_path_factory.mktemp("benign"), tmp_path_factory.mktemp("hostile")
    starts, memo = cycle(STARTS), {}
    for source in sorted((ROOT / "plans").glob("*.yaml")):
        data = plain(source.read_text(encoding="utf-8"))
        (benign / source.name).write_text(yaml.safe_dump(data, sort_keys=False))
        (hostile / source.name).write_text(
            yaml.safe_dump(hostile_copy(data, starts, memo), sort_keys=False, allow_unicode=True)
        )
    code, out, err = invoke("validate", str(hostile))
    assert code == 0, out + err
    return benign, hostile


def structure(markdown: str) -> tuple[Any, ...]:
    """What Markdown would make of a document: its block structure, the links,
    images and raw HTML in it, and where each table's cells are."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    inline: list[str] = []
    for token in tokens:
        for child in token.children or ():
            if child.type in ("link_open", "image") or (
                child.type == "html_inline" and child.content != "<br>"
            ):
                inline.append(f"{child.type} {child.attrs.get('href', '')} {child.content}")
    blocks = [(t.type, t.tag, t.level) for t in tokens if t.block]
    pipes = [len(re.findall(r"(?<!\\)\|", line)) for line in markdown.splitlines()]
    return len(markdown.splitlines()), blocks, inline, pipes


MARKDOWN_COMMANDS = {
    "board-summary": ["report", "board-summary", "--plan", "send-improvement-plan-2019"],
    "appendix-a": ["report", "appendix-a", "--plan", "send-improvement-plan-2019"],
    "appendix-b": ["report", "appendix-b", "--plan", "wsoa-2018"],
    "status": ["status", "--format", "markdown", "--state", "on-track", "--state", "overdue"],
    "chase": ["chase", "--format", "md"],
}


@pytest.mark.parametrize("name", sorted(MARKDOWN_COMMANDS))
def test_plan_text_never_makes_markdown(name: str, twin_folders: tuple[Path, Path]) -> None:
    rendered = []
    for folder in twin_folders:
        args = [*MARKDOWN_COMMANDS[name], str(folder), "--as-of", "2019-11-01"]
        if name in ("board-summary", "appendix-a", "appendix-b"):
            args += ["--format", "md"]
        code, out, err = invoke(*args)
        assert code == 0, err
        rendered.append(out)
    benign, hostile = rendered
    assert "injected" in hostile
    assert "<script" not in hostile
    assert structure(hostile) == structure(benign)


def test_changes_in_markdown_never_make_markdown(repo: Repo) -> None:
    data = plain(WSOA)
    hostile = yaml.safe_dump(hostile_copy(data, cycle(STARTS)), sort_keys=False)
    repo.commit(hostile, "hostile text", "2018-07-01T09:00:00+00:00")
    plans = str(repo.root / "plans")
    code, out, err = invoke("changes", "--since", "2018-06-02", plans, "--format", "markdown")
    assert code == 0, err
    assert "injected" in out
    lines, _, inline, pipes = structure(out)
    assert not inline
    assert lines == out.count("\n")
    table = [n for n in pipes if n]
    assert set(table) == {5}  # | Action | Change | From | To |


# --------------------------------------------------------------------------- far dates

FAR = """\
schema_version: 1
plan:
  id: far-plan
  title: A plan written to the end of the calendar
  local_area: Testshire
  kind: written-statement-of-action
  status: active
  approved: 9999-12-31
  start: 9999-01-01
  end: 9999-12-31
  board: Testshire Board
  board_meetings: [9999-06-30, 9999-12-31]
reviews:
  - {date: 9999-12-31, by: DfE and NHS England, rating: amber}
areas:
  - id: P1
    kind: significant-weakness
    title: Area one
    updates:
      - {date: 9999-12-31, rag: amber, note: Going well.}
    actions:
      - id: P1.1
        title: Publish the local offer
        lead: Head of Service, Inclusion
        start: 9999-12-30
        due: 9999-12-31
        status: in-progress
        rag: amber
        updates:
          - {date: 9999-12-31, note: Started.}
      - id: P1.2
        title: Train SENCOs
        lead: Head of Service, Inclusion
        due: 9999-12-31
        status: complete
        completed: 9999-12-31
indicators:
  - id: I1
    title: Plans issued on time
    unit: percent
    polarity: higher-is-better
    frequency: quarterly
    owner: Head of Service, Inclusion
    areas: [P1]
    baseline: {date: 9000-01-31, value: 50}
    targets:
      - {by: 9999-12-31, value: 80}
    values:
      - {date: 9000-06-30, value: 55}
      - {date: 9999-12-31, value: 60}
"""
#: The same at the other end: a plan from year 1, as far as dates go back.
EARLY = (
    FAR.replace("far-plan", "early-plan")
    .replace("9000-01-31", "0001-01-01")
    .replace("9999-01-01", "0001-01-01")
    .replace("approved: 9999-12-31", "approved: 0001-01-01")
    .replace("9999-06-30, 9999-12-31", "0001-01-01, 0001-06-30")
)


@pytest.fixture
def far(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "far.yaml").write_text(FAR)
    (folder / "early.yaml").write_text(EARLY)
    return folder


def far_commands(folder: Path, out: Path) -> Iterator[list[str]]:
    """Every command on plans dated to both ends of the calendar; Word documents,
    the workbook and the site once each, as they take longest."""
    plans = str(folder)
    yield ["validate", plans]
    for as_of in ("1900-01-01", "9000-12-31"):
        yield ["status", plans, "--as-of", as_of, "--no-history"]
        yield ["status", plans, "--as-of", as_of, "--window", "36500", "-f", "markdown"]
        yield ["chase", plans, "--as-of", as_of]
    as_of = "9000-12-31"
    for plan in ("far-plan", "early-plan"):
        for report in ("board-summary", "appendix-a"):
            yield ["report", report, plans, "--plan", plan, "--as-of", as_of]
        yield ["report", "appendix-b", plans, "--plan", plan]
    for report, plan in (
        ("board-summary", "far-plan"),
        ("board-summary", "early-plan"),
        ("appendix-a", "far-plan"),
    ):  # the trend chart reaches both ends; Word writes every date
        docx = ["-f", "docx", "-o", str(out / f"{report}-{plan}.docx")]
        yield ["report", report, plans, "--plan", plan, "--as-of", as_of, *docx]
    yield ["export", "far-plan", plans, "--as-of", as_of, "-o", str(out / "x.xlsx")]
    far_only = out / "far-only"  # the site of the year-1 plan draws 2,000 ticks: slow
    far_only.mkdir()
    (far_only / "far.yaml").write_text(FAR)
    yield ["site", str(far_only), "--as-of", as_of, "-o", str(out / "site")]
    yield ["revisit", "--notified", "9000-12-31"]


def test_dates_at_the_ends_of_the_calendar_never_overflow(far: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for args in far_commands(far, out):
        code, _, err = invoke(*args)
        assert code == 0, (args, err)
        assert "internal error" not in err


def test_far_dates_give_correct_answers(far: Path) -> None:
    code, out, err = invoke("status", str(far), "--as-of", "9000-12-31", "-f", "json")
    assert code == 0, err
    plans = {p["id"]: p for p in json.loads(out)["plans"]}
    # approved on 9999-12-31: 18 months later is beyond the calendar, so no date
    assert plans["far-plan"]["revisit_expected_by"] is None
    assert plans["early-plan"]["revisit_expected_by"] == "0002-07-01"
    indicators = {i["plan"] + "/" + i["id"]: i for i in json.loads(out)["indicators"]}
    assert indicators["far-plan/I1"]["latest"]["date"] == "9000-06-30"
    assert indicators["far-plan/I1"]["late_data"] is True  # the next was due in 9000-10
    code, out, err = invoke("status", str(far), "--as-of", "1900-01-01", "-f", "json")
    assert code == 0, err
    assert {p["id"]: p for p in json.loads(out)["plans"]}["far-plan"]["revisit_expected_by"] is None


def test_a_figure_due_after_the_end_of_the_calendar_is_never_late(far: Path) -> None:
    from send_plan.indicators import is_late
    from send_plan.validation import require_valid

    plan = require_valid([far]).portfolio.require_plan("far-plan")
    [indicator] = plan.indicators
    last = indicator.values[-1]
    assert last.date == date.max
    assert not is_late(indicator, last, date.max, plan.plan.start)


def test_carrying_forward_past_the_end_of_the_calendar_is_a_usage_error(far: Path) -> None:
    code, out, err = invoke("carry-forward", "far-plan", "--to", "next", str(far))
    assert code == 2
    assert err.startswith("send-plan: error: ")
    assert len(err.splitlines()) == 1
    assert "9999-12-31" in err
    assert "--start" in err
    code, out, err = invoke(
        "carry-forward", "early-plan", "--to", "next", str(far), "--start", "9000-01-01"
    )  # early-plan lasts from 0001 to 9999: so long a successor would pass the end
    assert code == 2
    assert "--end" in err
    code, out, err = invoke(
        "carry-forward", "far-plan", "--to", "next", str(far),
        "--start", "9000-01-01", "--end", "9000-12-31",
    )  # fmt: skip
    assert code == 0, err
    assert "start: 9000-01-01" in out


def test_the_working_day_functions_stop_at_the_end_of_the_calendar() -> None:
    from send_plan.errors import UsageError
    from send_plan.words import add_months
    from send_plan.workdays import nth_working_day_after, revisit

    assert add_months(date(9999, 12, 31), 18) is None
    assert add_months(date(9999, 6, 30), 6) == date(9999, 12, 30)
    assert add_months(date(1, 1, 31), -1) is None
    with pytest.raises(UsageError, match="9999-12-31"):
        revisit(date(9999, 11, 1))
    with pytest.raises(UsageError, match="9999-12-31"):
        nth_working_day_after(date(9999, 12, 30), 5)


def test_word_output_still_drops_what_xml_cannot_hold() -> None:
    """Plan files can no longer bring a BEL or an ESC (E009, test above), so the
    Word writer's own guard is checked on its own."""
    from send_plan.render.word import printable

    assert printable('Health & Care <Joint> "Plan" \x07\x1b {{ x }}\tend\n') == (
        'Health & Care <Joint> "Plan"  {{ x }}\tend\n'
    )
