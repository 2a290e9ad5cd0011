"""The codes: every one is exercised by an example, and none is used unlisted."""

from __future__ import annotations

import re
from pathlib import Path

from send_plan.findings import CODES, Severity

TESTS = Path(__file__).resolve().parent
NEGATIVE = TESTS / "example-files" / "negative"
PACKAGE = TESTS.parent / "send_plan"
EXPECT = re.compile(rb"^#\s*expect:\s*([EW]\d{3})\s+\d+:\d+\s*$", re.MULTILINE)
CODE_IN_SOURCE = re.compile(r"\"([EW]\d{3})\"")


def expected_codes() -> dict[str, set[str]]:
    """Code -> the negative cases whose files expect it."""
    out: dict[str, set[str]] = {}
    for path in NEGATIVE.rglob("*"):
        if path.is_file():
            case = path.relative_to(NEGATIVE).parts[0]
            for match in EXPECT.finditer(path.read_bytes()):
                out.setdefault(match.group(1).decode(), set()).add(case)
    return out


#: Change rules judge a change between git revisions: their cases build real
#: repositories in test_history.py instead of example files.
CHANGE_RULES = {"E401", "E402", "E403", "E404", "E405", "E406", "W401", "W402"}


def test_every_code_has_a_negative_example() -> None:
    assert sorted(set(CODES) - CHANGE_RULES - set(expected_codes())) == []


def test_every_code_has_a_case_named_for_it() -> None:
    named = {p.name[:4] for p in NEGATIVE.iterdir() if not p.name.startswith(".")}
    assert sorted(set(CODES) - CHANGE_RULES - named) == []


def test_every_change_rule_is_tested_on_a_real_repository() -> None:
    text = (TESTS / "test_history.py").read_text(encoding="utf-8")
    assert sorted(code for code in CHANGE_RULES if f'"{code}"' not in text) == []


def test_examples_expect_only_known_codes() -> None:
    assert sorted(set(expected_codes()) - set(CODES)) == []


def test_every_code_used_in_the_source_is_listed() -> None:
    sources = sorted(PACKAGE.rglob("*.py"))
    assert sources
    used = {
        code: path.relative_to(PACKAGE).as_posix()
        for path in sources
        for code in CODE_IN_SOURCE.findall(path.read_text(encoding="utf-8"))
    }
    assert {code: where for code, where in used.items() if code not in CODES} == {}
    # The rules and the loader really do emit codes: the scan is not vacuous.
    assert {"E001", "E101", "E201", "E214", "E301", "W210"} <= set(used)


def test_severity_follows_the_letter() -> None:
    for code, entry in CODES.items():
        assert entry.code == code
        assert re.fullmatch(r"[EW]\d{3}", code)
        expected = Severity.ERROR if code.startswith("E") else Severity.WARNING
        assert entry.severity is expected
        assert entry.summary


def test_the_codes_are_the_documented_families() -> None:
    assert sorted(CODES) == [
        *(f"E00{n}" for n in range(1, 10)),
        *(f"E10{n}" for n in range(1, 10)),
        *(f"E2{n:02d}" for n in range(1, 20)),
        "E301",
        "E302",
        *(f"E40{n}" for n in range(1, 7)),
        *(f"E50{n}" for n in range(1, 10)),
        *(f"W2{n:02d}" for n in range(1, 12)),
        "W401",
        "W402",
        "W501",
    ]
