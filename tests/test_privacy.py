"""Rule 9: children's identifiers (NHS numbers, Unique Pupil Numbers) in plan text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from send_plan.rules.privacy import children_identifiers, is_nhs_number, is_upn
from send_plan.validation import check, load_portfolio

# Reference implementations written from domain.md, independently of the code.

UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def reference_nhs(digits: str) -> bool:
    if len(digits) != 10 or not all(c in "0123456789" for c in digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(digits[9])


def reference_upn(text: str) -> bool:
    if len(text) != 13 or text[0] not in UPN_LETTERS:
        return False
    if not all(c in "0123456789" for c in text[1:12]):
        return False
    last = text[12]
    if last in "0123456789":
        value = int(last)
    elif last in UPN_LETTERS:
        value = UPN_LETTERS.index(last)
    else:
        return False
    values = [int(c) for c in text[1:12]] + [value]
    total = sum(v * w for v, w in zip(values, range(2, 14), strict=True))
    return UPN_LETTERS[total % 23] == text[0]


# --------------------------------------------------------------------------- NHS numbers


@pytest.mark.parametrize("number", ["9434765919", "9990000018"])
def test_valid_nhs_numbers(number: str) -> None:
    assert is_nhs_number(number) is True


@pytest.mark.parametrize(
    "number",
    ["9434765918", "9434765910", "9990000017", "9990000019", "4505577105"],
)
def test_wrong_check_digit_is_not_an_nhs_number(number: str) -> None:
    assert is_nhs_number(number) is False


def test_check_value_ten_is_never_valid() -> None:
    # 0*10 + ... + 6*2 = 12; 12 mod 11 = 1; 11 - 1 = 10: no check digit can match.
    assert [is_nhs_number(f"000000006{d}") for d in range(10)] == [False] * 10


def test_check_value_eleven_means_zero() -> None:
    # 1*10 + 6*2 = 22; 22 mod 11 = 0; 11 - 0 = 11, which stands for the check digit 0.
    assert is_nhs_number("1000000060") is True
    assert [is_nhs_number(f"100000006{d}") for d in range(1, 10)] == [False] * 9


@pytest.mark.parametrize(
    "text", ["", "943476591", "94347659190", "943476591X", "943 476 5919", "943-476-5919"]
)
def test_nhs_check_takes_ten_digits_only(text: str) -> None:
    assert is_nhs_number(text) is False


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_nhs_check_agrees_with_the_reference(digits: str) -> None:
    assert is_nhs_number(digits) is reference_nhs(digits)


# --------------------------------------------------------------------------- UPNs


@pytest.mark.parametrize("upn", ["B801200005001", "G80120000101A"])
def test_valid_upns(upn: str) -> None:
    assert is_upn(upn) is True


@pytest.mark.parametrize(
    "text",
    [
        "A801200005001",  # wrong check letter
        "C801200005001",
        "G80120000101B",
        "b801200005001",  # lower case
        "g80120000101a",
        "I801200005001",  # I, O and S are not in the alphabet
        "G80120000101I",
        "B80120000500",  # too short
        "B8012000050011",  # too long
        "B80120000X001",  # a letter in the digits
    ],
)
def test_not_upns(text: str) -> None:
    assert is_upn(text) is False


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(UPN_LETTERS + "IOS"),
    st.text(alphabet="0123456789", min_size=11, max_size=11),
    st.sampled_from("0123456789" + UPN_LETTERS + "IOS"),
)
def test_upn_check_agrees_with_the_reference(first: str, digits: str, last: str) -> None:
    text = first + digits + last
    assert is_upn(text) is reference_upn(text)


def test_every_upn_body_has_exactly_one_check_letter() -> None:
    body = "80120000500" + "1"
    assert [c for c in UPN_LETTERS if is_upn(c + body)] == ["B"]


# --------------------------------------------------------------------------- scanning text

PLAN = """\
schema_version: 1
plan:
  id: test-plan
  local_area: Testshire
  kind: improvement-plan
  start: 2019-04-01
  end: 2020-12-31
areas:
  - id: P1
    kind: priority
    actions:
      - id: P1.1
        title: Publish the local offer
        lead: Head of Service, Inclusion
        due: 2019-12-31
        status: in-progress
        evidence:
          - {text}
"""
LINE, COLUMN = 18, 13  # where {text} starts


def scan(tmp_path: Path, text: str, plan: str = PLAN) -> list[tuple[str, int, int]]:
    path = tmp_path / "plan.yaml"
    path.write_text(plan.replace("{text}", text), encoding="utf-8")
    portfolio, _ = load_portfolio([path])
    return [(f.code, f.line, f.column) for f in children_identifiers(portfolio)]


@pytest.mark.parametrize(
    "text",
    [
        "9434765919",
        "943 476 5919",
        "943-476-5919",
        "9990000018",
        "999 000 0018",
        "999-000-0018",
    ],
)
def test_nhs_number_written_solid_or_in_groups_is_found(tmp_path: Path, text: str) -> None:
    assert scan(tmp_path, f"Case {text} reviewed") == [("E301", LINE, COLUMN + 5)]


@pytest.mark.parametrize(
    "text",
    [
        "943 476-5919",  # mixed separators
        "943-476 5919",
        "943  476  5919",  # not the usual groups
        "94 3476 5919",
        "9434 765 919",
        "19434765919",  # part of a longer number
        "94347659190",
        "9434765919123",
        "1-9434765919",
        "9434765919-2",
        "A9434765919",  # part of a word
        "9434765919x",
        "ref_9434765919",
        "9434765918",  # wrong check digit
        "943 476 5918",
        "0000000060",  # check value 10
    ],
)
def test_not_nhs_numbers_in_text(tmp_path: Path, text: str) -> None:
    assert scan(tmp_path, f"Case {text} reviewed") == []


@pytest.mark.parametrize("text", ["(9434765919)", "'9434765919'", "9434765919.", "no:9434765919"])
def test_nhs_number_next_to_punctuation_is_found(tmp_path: Path, text: str) -> None:
    offset = text.index("9")
    assert scan(tmp_path, f'"x {text}"') == [("E301", LINE, COLUMN + 3 + offset)]


@pytest.mark.parametrize("upn", ["B801200005001", "G80120000101A"])
def test_upn_is_found(tmp_path: Path, upn: str) -> None:
    assert scan(tmp_path, f"Pupil {upn} moved") == [("E302", LINE, COLUMN + 6)]


@pytest.mark.parametrize(
    "text",
    ["b801200005001", "g80120000101a", "A801200005001", "XB801200005001", "B8012000050011"],
)
def test_not_upns_in_text(tmp_path: Path, text: str) -> None:
    assert scan(tmp_path, f"Pupil {text} moved") == []


def test_several_identifiers_on_one_line_are_each_found(tmp_path: Path) -> None:
    text = "9434765919 and B801200005001 and 999 000 0018"
    assert scan(tmp_path, text) == [
        ("E301", LINE, COLUMN),
        ("E301", LINE, COLUMN + 33),
        ("E302", LINE, COLUMN + 15),
    ]


# --------------------------------------------------------------------------- end to end


def test_findings_name_the_plan_and_the_action(tmp_path: Path) -> None:
    text = """\
# Plan file for test-plan. Child 9434765919 must not be here.
schema_version: 1
plan:
  id: test-plan
  title: Support for G80120000101A
  local_area: Testshire
  kind: improvement-plan
  start: 2019-04-01
  end: 2020-12-31
areas:
  - id: P1
    kind: priority
    title: Area 943-476-5919
    actions:
      - id: P1.1
        title: Publish the local offer
        # raised after the complaint about 999 000 0018
        lead: Head of Service, Inclusion
        due: 2019-12-31
        status: in-progress
      - id: P1.2
        title: Train SENCOs
        lead: Head of Service, Inclusion
        due: 2020-03-31
        status: not-started
        updates:
          - date: 2019-06-01
            note: Pupil B801200005001 moved school.
"""
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    result = check([path])
    name = path.as_posix()
    assert [(f.path, f.line, f.column, f.code, f.plan, f.object) for f in result.findings] == [
        (name, 1, 34, "E301", "test-plan", None),
        (name, 5, 22, "E302", "test-plan", None),
        (name, 13, 17, "E301", "test-plan", "P1"),
        (name, 17, 44, "E301", "test-plan", "P1.1"),
        (name, 28, 25, "E302", "test-plan", "P1.2"),
    ]
    assert all(f.is_error for f in result.findings)
    assert "NHS number" in result.findings[0].message
    assert "Unique Pupil Number" in result.findings[1].message
    assert not result.ok


def test_files_that_do_not_validate_are_scanned_too(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema_version: 1\nplan: [unclosed, 9434765919\n", encoding="utf-8")
    invalid = tmp_path / "invalid.yaml"
    invalid.write_text(
        PLAN.replace("status: in-progress", "status: done").replace("{text}", "B801200005001"),
        encoding="utf-8",
    )
    result = check([tmp_path])
    found = [(Path(f.path).name, f.code, f.line, f.column) for f in result.findings]
    assert ("broken.yaml", "E301", 2, 18) in found
    assert ("invalid.yaml", "E302", LINE, COLUMN) in found
    assert ("invalid.yaml", "E104", 16, 17) in found


def test_plan_files_without_identifiers_give_no_privacy_findings(repo_root: Path) -> None:
    portfolio, _ = load_portfolio([repo_root / "plans"])
    assert list(children_identifiers(portfolio)) == []
