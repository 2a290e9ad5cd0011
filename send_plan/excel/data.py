"""The plan data a workbook is written from and read into, as typed dictionaries.

These are the plan format's mappings as :func:`send_plan.yamlout.plan_data` gives
them (enums as their text, unset keys left out), which is also what import
builds before it writes the YAML. Every key is optional in the type: a workbook
may leave out what the format requires, and validation says so at its cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TypedDict

#: What a cell reader gives for one field of a row: text, a date, a figure (an
#: indicator's: int or float), yes/no, or a list read from one cell.
FieldValue = str | date | float | bool | list[str] | list["UpdateData"]
#: A one-or-more field: one post (or partner key), or a joint lead's several.
OneOrMore = str | list[str]


class UpdateData(TypedDict, total=False):
    date: date
    rag: str
    note: str


#: "from" is a Python keyword, so this one is declared by call.
RescheduledData = TypedDict(
    "RescheduledData",
    {"on": date, "from": date, "to": date, "reason": str, "approved_by": str},
    total=False,
)


class EvidenceData(TypedDict, total=False):
    """Dated evidence; evidence may also be plain text."""

    title: str
    date: date
    link: str
    kind: str


class ActionData(TypedDict, total=False):
    id: str
    title: str
    lead: OneOrMore
    partner: OneOrMore
    sro: str
    delivery_plan: str
    start: date
    due: date | str  # a date, or "ongoing"
    original_due: date
    status: str
    completed: date
    withdrawn_reason: str
    rag: str
    carried_from: str
    measures: list[str]
    evidence: list[str | EvidenceData]
    rescheduled: list[RescheduledData]
    updates: list[UpdateData]


class AreaUpdateData(TypedDict, total=False):
    date: date
    rag: str
    note: str
    next_steps: str


class AreaData(TypedDict, total=False):
    id: str
    kind: str
    title: str
    description: str
    impact: str
    updates: list[AreaUpdateData]
    actions: list[ActionData]


class AccountableData(TypedDict, total=False):
    role: str
    partner: str


class JudgementData(TypedDict, total=False):
    area: str
    judgement: str
    note: str


class ReviewData(TypedDict, total=False):
    date: date
    by: str
    rating: str
    summary: str
    areas: list[JudgementData]


class PlanInfo(TypedDict, total=False):
    id: str
    title: str
    local_area: str
    kind: str
    status: str
    approved: date
    start: date
    end: date
    successor: str
    board: str
    board_meetings: list[date]
    accountable: list[AccountableData]


#: An indicator's figure: a number, or the text a person typed (which validation
#: refuses with what to write).
Figure = float | str


class BaselineData(TypedDict, total=False):
    date: date
    value: Figure


class TargetData(TypedDict, total=False):
    by: date
    value: Figure


class ComparatorData(TypedDict, total=False):
    name: str
    date: date
    value: Figure


class ValueData(TypedDict, total=False):
    date: date
    value: Figure
    note: str
    provisional: bool


class IndicatorData(TypedDict, total=False):
    id: str
    title: str
    unit: str
    polarity: str
    frequency: str
    owner: str
    partner: str
    definition: str
    source: str
    areas: list[str]
    actions: list[str]
    tolerance: Figure
    baseline: BaselineData
    targets: list[TargetData]
    comparators: list[ComparatorData]
    values: list[ValueData]
    published: bool


class PlanData(TypedDict, total=False):
    schema_version: int
    plan: PlanInfo
    #: A tracker's mapping file may leave a partner's name empty: validation says so.
    partners: dict[str, str | None]
    reviews: list[ReviewData]
    areas: list[AreaData]
    indicators: list[IndicatorData]


def get_field(record: Mapping[str, object], key: str) -> object:
    """A field named by a column table rather than in the code (any TypedDict above
    is such a mapping)."""
    return record.get(key)
