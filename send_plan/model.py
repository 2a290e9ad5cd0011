"""The plan format, version 1, as Pydantic models.

Frozen values, unknown keys refused, no I/O. The models check each field on its
own (type, vocabulary, form); everything that relates one field to another lives
in :mod:`send_plan.rules`, so one mistake never hides the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
)
from pydantic_core import PydanticCustomError

from send_plan.vocab import (
    ONGOING,
    ActionStatus,
    AreaKind,
    Frequency,
    Judgement,
    PlanKind,
    PlanStatus,
    Polarity,
    Rag,
    Unit,
)
from send_plan.words import uk_date

SCHEMA_VERSION = 1

PLAN_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
ACTION_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
CARRIED_FROM_PATTERN = r"^[a-z0-9][a-z0-9-]*/[A-Za-z0-9][A-Za-z0-9._-]*$"


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    """Accept a YAML date or an ISO ``YYYY-MM-DD`` string, nothing looser."""
    if type(value) is str and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:  # the common case, kept fast: thousands of dates in a large plan
            return date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if _ISO_DATE.fullmatch(text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                raise PydanticCustomError(
                    "date_impossible", "'{value}' is not a real date", {"value": text}
                ) from None
    written = uk_date(value) if isinstance(value, str) else None
    if written is not None:
        raise PydanticCustomError(
            "date_format",
            "'{value}' is not written the ISO way: write it as {iso}",
            {"value": value, "iso": written.isoformat()},
        )
    raise PydanticCustomError(
        "date_format",
        "'{value}' is not a date: write it as YYYY-MM-DD, for example 2019-03-31",
        {"value": value},
    )


def _due(value: Any) -> Any:
    """``due``: a date as for every date, or the word ``ongoing``."""
    if isinstance(value, str) and value.strip().lower() == ONGOING:
        return ONGOING
    return _iso_date(value)


def _one_or_more(value: Any) -> Any:
    """A post or a partner key, or a list of them (joint leads and partners)."""
    if value is None:
        raise PydanticCustomError("string_type", "empty", {})
    if isinstance(value, str):
        if not value:
            raise PydanticCustomError("string_too_short", "empty", {})
        return value
    if isinstance(value, list | tuple):
        if not value:
            raise PydanticCustomError("list_empty", "an empty list", {})
        return tuple(value)
    raise PydanticCustomError("text_or_list", "text or a list of text", {})


_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_NUMERIC_TEXT = re.compile(r"[£$€]?\s*([-+]?[\d,]*\.?\d+)\s*(%|per cent|percent|days?|weeks?)?")


def _number(value: Any) -> Any:
    """An indicator's figure: a YAML integer or decimal (plain scalars reach the
    models as text). Text such as ``"45%"`` is refused with what to write."""
    if type(value) is str:  # the common case, kept fast: a large plan holds many figures
        try:
            number = float(value)
        except ValueError:
            pass
        else:  # not inf or nan, not 1_000: those are refused below
            if number - number == 0 and "_" not in value:
                return number
    if isinstance(value, bool):
        raise PydanticCustomError("number_text", "'{value}' is not a number", {"value": value})
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        return float(value)
    if isinstance(value, str) and (m := _NUMERIC_TEXT.fullmatch(value.strip())):
        digits = m[1].replace(",", "")
        raise PydanticCustomError(
            "number_text",
            "'{value}' is text, not a number: write {digits}",
            {"value": value, "digits": digits},
        )
    raise PydanticCustomError(
        "number_text",
        "'{value}' is not a number: write the figure in digits, for example 45 or 12.5",
        {"value": value},
    )


def _evidence_kind(value: Any) -> str:
    """Which form an evidence entry takes: a mapping (or an item) is dated evidence."""
    return "evidence-item" if isinstance(value, dict | EvidenceItem) else "evidence-text"


def _none_as_empty(value: Any) -> Any:
    """An empty YAML key (``evidence:``) means an empty list."""
    return () if value is None else value


def _none_as_empty_mapping(value: Any) -> Any:
    return {} if value is None else value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Due = Annotated[date | Literal["ongoing"], BeforeValidator(_due)]
Number = Annotated[float, BeforeValidator(_number)]
Text = Annotated[str, StringConstraints(min_length=1)]
PlanId = Annotated[str, StringConstraints(pattern=PLAN_ID_PATTERN)]
ActionId = Annotated[str, StringConstraints(pattern=ACTION_ID_PATTERN)]
CarriedFrom = Annotated[str, StringConstraints(pattern=CARRIED_FROM_PATTERN)]
#: One post or several (a joint lead), one partner key or several.
OneOrMore = Annotated[str | tuple[Text, ...], BeforeValidator(_one_or_more)]


def as_tuple(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    """A one-or-more field as a tuple: () for None, (text,) for one."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else value


def joined(value: str | tuple[str, ...] | None) -> str | None:
    """A one-or-more field as text: entries joined with '; ' (None stays None)."""
    return None if value is None else "; ".join(as_tuple(value))


NoneAsEmpty = BeforeValidator(_none_as_empty)


class _Frozen(BaseModel):
    """Every part of the format: immutable, and a key it does not know is refused."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        populate_by_name=True,
        str_strip_whitespace=False,
    )


class Accountable(_Frozen):
    """A post accountable for the plan (an SRO, a director), and its partner."""

    role: Text
    partner: str | None = None


class PlanInfo(_Frozen):
    """The plan's own facts (the ``plan:`` mapping): what it is, its dates, its board."""

    id: PlanId
    title: str | None = None
    local_area: Text
    kind: PlanKind
    status: PlanStatus = PlanStatus.ACTIVE
    approved: IsoDate | None = None
    start: IsoDate
    end: IsoDate | None = None  # Accelerated Progress Plans often have none
    successor: PlanId | None = None
    board: str | None = None
    board_meetings: Annotated[tuple[IsoDate, ...], NoneAsEmpty] = ()
    accountable: Annotated[tuple[Accountable, ...], NoneAsEmpty] = ()


class AreaJudgement(_Frozen):
    """A review's judgement of one area: was progress sufficient?"""

    area: Text
    judgement: Judgement
    note: str | None = None


class Review(_Frozen):
    """An inspection, monitoring visit or revisit, and what it found."""

    date: IsoDate
    by: Text
    rating: Rag | None = None
    summary: str | None = None
    areas: Annotated[tuple[AreaJudgement, ...], NoneAsEmpty] = ()


class Reschedule(_Frozen):
    """A deadline moved, on a date, from one due date to another, and why."""

    on: IsoDate
    from_: IsoDate = Field(alias="from")
    to: IsoDate
    reason: Text
    approved_by: str | None = None


class Update(_Frozen):
    """A lead's dated progress note on an action, with its RAG rating."""

    date: IsoDate
    rag: Rag | None = None
    note: Text


class EvidenceItem(_Frozen):
    """Evidence with a date, a link and a kind (``audit``, ``survey``, ``data`` ...)."""

    title: Text
    date: IsoDate | None = None
    link: str | None = None  # http or https only (rule E219): plans are published
    kind: str | None = None


#: An evidence entry: text, as first written, or a mapping with a date and link.
Evidence = Annotated[
    Annotated[Text, Tag("evidence-text")] | Annotated[EvidenceItem, Tag("evidence-item")],
    Discriminator(_evidence_kind),
]
#: Loc parts pydantic adds for the evidence union; not keys of the file.
UNION_TAGS = frozenset(("evidence-text", "evidence-item"))


class Action(_Frozen):
    """One action of an area: who leads it, by when, how far it has got."""

    id: ActionId
    title: str | None = None
    lead: OneOrMore
    partner: OneOrMore | None = None
    sro: str | None = None  # the senior responsible officer (a post)
    delivery_plan: str | None = None
    start: IsoDate | None = None
    due: Due
    original_due: IsoDate | None = None
    status: ActionStatus
    completed: IsoDate | None = None
    withdrawn_reason: str | None = None
    rag: Rag | None = None
    measures: Annotated[tuple[Text, ...], NoneAsEmpty] = ()
    evidence: Annotated[tuple[Evidence, ...], NoneAsEmpty] = ()
    carried_from: CarriedFrom | None = None
    rescheduled: Annotated[tuple[Reschedule, ...], NoneAsEmpty] = ()
    updates: Annotated[tuple[Update, ...], NoneAsEmpty] = ()

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    @property
    def deadline(self) -> date | None:
        """The date due, or None for ongoing work."""
        return None if self.due == ONGOING else self.due  # type: ignore[return-value]

    @property
    def due_text(self) -> str:
        """``due`` as the file writes it: a date, or ``ongoing``."""
        return self.due if isinstance(self.due, str) else self.due.isoformat()

    @property
    def leads(self) -> tuple[str, ...]:
        return as_tuple(self.lead)

    @property
    def lead_text(self) -> str:
        return "; ".join(self.leads)

    @property
    def partners(self) -> tuple[str, ...]:
        return as_tuple(self.partner)

    @property
    def first_due(self) -> date | None:
        """The first agreed deadline the file records (None for ongoing work)."""
        if self.original_due is not None:
            return self.original_due
        if self.rescheduled:
            return self.rescheduled[0].from_
        return self.deadline

    @property
    def slip_days(self) -> int | None:
        """Days the deadline has moved, from the file's own record (None: never moved)."""
        deadline, first = self.deadline, self.first_due
        if deadline is None or first is None:
            return None
        if self.original_due is None and not self.rescheduled:
            return None
        return (deadline - first).days

    def carried_source(self) -> tuple[str, str] | None:
        if self.carried_from is None:
            return None
        plan_id, _, action_id = self.carried_from.partition("/")
        return plan_id, action_id


class AreaUpdate(_Frozen):
    """The partnership's own account of an area at a date (for Appendix A)."""

    date: IsoDate
    rag: Rag | None = None  # the partnership's self-assessment
    note: Text
    next_steps: str | None = None


class Area(_Frozen):
    """An area for improvement (or a priority): the actions that answer it."""

    id: Text
    kind: AreaKind
    title: str | None = None
    description: str | None = None
    impact: str | None = None  # the difference the work should make for families
    updates: Annotated[tuple[AreaUpdate, ...], NoneAsEmpty] = ()
    actions: Annotated[tuple[Action, ...], NoneAsEmpty] = ()


class Baseline(_Frozen):
    """Where an indicator started: the figure progress is measured from."""

    date: IsoDate
    value: Number


class Target(_Frozen):
    """A milestone: the figure an indicator should reach by a date."""

    by: IsoDate
    value: Number


class Comparator(_Frozen):
    """A figure to compare with: England, the region, statistical neighbours."""

    name: Text
    date: IsoDate | None = None
    value: Number


class Value(_Frozen):
    """An actual figure; ``date`` is the end of the period measured."""

    date: IsoDate
    value: Number
    note: str | None = None
    provisional: bool = False


class Indicator(_Frozen):
    """A measure the board is judged by: baseline, milestones, actuals."""

    id: ActionId
    title: Text
    unit: Unit
    polarity: Polarity
    frequency: Frequency | None = None
    owner: str | None = None  # a post, like an action's lead
    partner: str | None = None
    definition: str | None = None
    source: str | None = None
    areas: Annotated[tuple[Text, ...], NoneAsEmpty] = ()
    actions: Annotated[tuple[Text, ...], NoneAsEmpty] = ()
    tolerance: Number | None = None
    baseline: Baseline | None = None
    targets: Annotated[tuple[Target, ...], NoneAsEmpty] = ()
    comparators: Annotated[tuple[Comparator, ...], NoneAsEmpty] = ()
    values: Annotated[tuple[Value, ...], NoneAsEmpty] = ()
    published: bool = True


class Plan(_Frozen):
    """One plan file."""

    schema_version: int
    plan: PlanInfo
    partners: Annotated[dict[str, str], BeforeValidator(_none_as_empty_mapping)] = Field(
        default_factory=dict
    )
    reviews: Annotated[tuple[Review, ...], NoneAsEmpty] = ()
    areas: Annotated[tuple[Area, ...], Field(min_length=1)]
    indicators: Annotated[tuple[Indicator, ...], NoneAsEmpty] = ()

    @property
    def id(self) -> str:
        return self.plan.id

    def iter_actions(self) -> Iterator[tuple[int, Area, int, Action]]:
        """Yield ``(area_index, area, action_index, action)`` in file order."""
        for i, area in enumerate(self.areas):
            for j, action in enumerate(area.actions):
                yield i, area, j, action


#: Which model describes the mapping at each kind of place; used to suggest keys.
MODEL_BY_CONTEXT: dict[str, type[BaseModel]] = {
    "file": Plan,
    "plan": PlanInfo,
    "accountable entry": Accountable,
    "review": Review,
    "area judgement": AreaJudgement,
    "area": Area,
    "action": Action,
    "rescheduled entry": Reschedule,
    "update": Update,
    "area update": AreaUpdate,
    "evidence item": EvidenceItem,
    "indicator": Indicator,
    "baseline": Baseline,
    "target": Target,
    "comparator": Comparator,
    "value": Value,
}

#: Which vocabulary a field takes, to name the nearest valid value.
VOCABULARY: dict[str, type[StrEnum]] = {
    "kind@plan": PlanKind,
    "status@plan": PlanStatus,
    "kind@area": AreaKind,
    "status@action": ActionStatus,
    "rag": Rag,
    "rating": Rag,
    "judgement": Judgement,
    "unit": Unit,
    "polarity": Polarity,
    "frequency": Frequency,
}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the plan format, generated from the models."""
    schema = Plan.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "send-plan plan file, format version 1"
    schema.setdefault("properties", {})["schema_version"] = {"const": SCHEMA_VERSION}
    return schema
