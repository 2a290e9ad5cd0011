"""Findings: every problem the loader or a rule sees, recorded as data.

A finding always points at a place (file, 1-based line and column) and carries a
stable code. Severity comes from the code's entry in :data:`CODES`, so a code can
never be an error in one place and a warning in another.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Severity
    summary: str


def _codes(*entries: tuple[str, str]) -> dict[str, Code]:
    out: dict[str, Code] = {}
    for code, summary in entries:
        severity = Severity.ERROR if code.startswith("E") else Severity.WARNING
        out[code] = Code(code, severity, summary)
    return out


#: Every code the loader and the rules can emit. docs/troubleshooting.md explains
#: each one; a test keeps the two in step.
CODES: dict[str, Code] = _codes(
    # The file itself.
    ("E001", "the file is not UTF-8 text"),
    ("E002", "the file is not valid YAML"),
    ("E003", "a mapping key appears twice"),
    ("E004", "a YAML tag asks for something other than plain data"),
    ("E005", "YAML aliases expand beyond the allowed bound, or refer to themselves"),
    ("E006", "the file does not hold one plan mapping"),
    ("E007", "the file exceeds a size or nesting limit"),
    ("E008", "a YAML feature plan files do not support (merge keys, non-text keys)"),
    ("E009", "the text holds a control, bidirectional or line-separator character"),
    # The shape of the data.
    ("E101", "schema_version is missing or not 1"),
    ("E102", "a required key is missing"),
    ("E103", "a value has the wrong type"),
    ("E104", "a value is outside its vocabulary"),
    ("E105", "an unknown key"),
    ("E106", "a date is not a real ISO date (YYYY-MM-DD)"),
    ("E107", "an id or reference is not in the allowed form"),
    ("E108", "an active or closed plan has an area with no actions"),
    ("E109", "a text value that must not be empty is empty"),
    # Identity and references.
    ("E201", "two areas or actions in one plan share an id"),
    ("E202", "two files hold plans with the same id"),
    ("E203", "a partner is not one of the plan's partners"),
    ("E204", "status is complete but 'completed' is missing, or the reverse"),
    ("E205", "status is withdrawn but 'withdrawn_reason' is missing, or the reverse"),
    ("E206", "an action starts after it is due"),
    ("E207", "an action was completed before it started"),
    ("E208", "a plan ends before it starts"),
    ("E209", "updates are not in date order"),
    ("E210", "reviews are not in date order"),
    ("E211", "board meetings are not in strictly ascending order"),
    ("E212", "carried_from names an action its plan does not have"),
    ("E213", "the rescheduled record does not join up"),
    ("E214", "a closed plan dropped open actions that nothing carries forward"),
    ("E215", "a plan names itself as its successor or carries from itself"),
    ("E216", "an ongoing action has original_due or rescheduled"),
    ("E217", "an action rated blue (complete) is not complete"),
    ("E218", "a review judges an area the plan does not have"),
    ("E219", "an evidence link is not an http or https address"),
    # Children's data.
    ("E301", "the text holds an NHS number"),
    ("E302", "the text holds a Unique Pupil Number"),
    # Change rules: a pull request judged against its base (validate --base).
    ("E401", "a due date moved without a new 'rescheduled' entry"),
    ("E402", "an action was deleted from a plan that is not a draft"),
    ("E403", "a complete action was reopened"),
    ("E404", "an action or plan id was renamed"),
    ("E405", "a closed plan was edited"),
    ("E406", "a plan that is not a draft was deleted"),
    # Indicators.
    ("E501", "two indicators of one plan share an id"),
    ("E502", "an indicator names an area or action the plan does not have"),
    ("E503", "an indicator's partner is not one of the plan's partners"),
    ("E504", "an indicator's targets or values are not in strictly ascending date order"),
    ("E505", "a percent figure outside 0 to 100"),
    ("E506", "a negative figure for days or weeks"),
    ("E507", "a negative tolerance"),
    ("E508", "a context indicator with targets or a tolerance"),
    ("E509", "a figure written as text"),
    # Warnings: reported, exit status unchanged unless --strict.
    ("W201", "the successor plan is not among the files read"),
    ("W202", "carried_from names a plan that is not among the files read"),
    ("W203", "a complete action is rated red"),
    ("W204", "carried_from points at an action that is complete"),
    ("W205", "original_due is the same as due"),
    ("W206", "a closed plan's open actions are not carried, and its successor was not read"),
    ("W207", "an action has no title"),
    ("W208", "carried_from points at an action that was withdrawn"),
    ("W209", "an action carries work from a plan that names another successor"),
    ("W210", "the file was skipped because it lies outside the folder given"),
    ("W211", "an open action is due before its plan starts or after it ends"),
    ("W401", "the base version does not validate, so the change could not be judged"),
    ("W402", "a published indicator figure was restated without a note on the value"),
    ("W501", "an indicator's baseline is dated after its first value"),
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, at one place."""

    path: str
    line: int
    column: int
    code: str
    message: str
    plan: str | None = None
    object: str | None = None
    #: Where in the plan's data, as keys and list indexes (("areas", 0, "actions",
    #: 2, "due")); empty for problems of the file itself. Lets a reader of another
    #: source (a workbook) map the finding back to its own places.
    key_path: tuple[str | int, ...] = ()

    @property
    def severity(self) -> Severity:
        return CODES[self.code].severity

    @property
    def is_error(self) -> bool:
        return CODES[self.code].severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "code": self.code,
            "plan": self.plan,
            "object": self.object,
            "message": self.message,
        }
