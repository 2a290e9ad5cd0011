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

#: What a cell reader gives for one field of a row.
FieldValue = str | date | list[str] | list["UpdateData"]


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


class ActionData(TypedDict, total=False):
    id: str
    title: str
    lead: str
    partner: str
    delivery_plan: str
    start: date
    due: date
    original_due: date
    status: str
    completed: date
    withdrawn_reason: str
    rag: str
    carried_from: str
    measures: list[str]
    evidence: list[str]
    rescheduled: list[RescheduledData]
    updates: list[UpdateData]


class AreaData(TypedDict, total=False):
    id: str
    kind: str
    title: str
    actions: list[ActionData]


class AccountableData(TypedDict, total=False):
    role: str
    partner: str


class ReviewData(TypedDict, total=False):
    date: date
    by: str
    rating: str
    summary: str


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


class PlanData(TypedDict, total=False):
    schema_version: int
    plan: PlanInfo
    #: A tracker's mapping file may leave a partner's name empty: validation says so.
    partners: dict[str, str | None]
    reviews: list[ReviewData]
    areas: list[AreaData]


def get_field(record: Mapping[str, object], key: str) -> object:
    """A field named by a column table rather than in the code (any TypedDict above
    is such a mapping)."""
    return record.get(key)
