"""The shapes of the view-models: what a board document shows, as typed plain data.

The builders in :mod:`send_plan.render.context` return these; templates (Jinja
reads them as mappings) and the Word builders in :mod:`send_plan.render.documents`
read them. docs/templates.md documents every key; keys are part of the contract
with users' own templates, so they change only additively.
"""

from __future__ import annotations

from typing import TypedDict


class Accountable(TypedDict):
    role: str
    partner: str | None


class PlanInfo(TypedDict):
    id: str
    title: str
    local_area: str
    kind: str
    kind_label: str
    status: str
    approved: str | None
    start: str
    end: str | None
    period: str
    board: str | None
    successor: str | None
    accountable: list[Accountable]


class DocumentInfo(TypedDict):
    title: str
    date: str
    date_long: str
    board: str | None
    local_area: str
    generator: str


class Judged(TypedDict):
    area: str
    judgement: str
    judgement_label: str
    note: str | None


class DatedJudgement(Judged):
    """An area's judgement with the review that made it."""

    date: str
    by: str


class ReviewRow(TypedDict):
    date: str
    by: str
    rating: str | None
    summary: str | None
    areas: list[Judged]


class Sentence(TypedDict):
    """A sentence with one emphasised part: ``lead`` **emphasis**``tail``."""

    lead: str
    emphasis: str
    tail: str


class Sentences(TypedDict):
    """Sentences every format prints the same way (built once, here)."""

    review: Sentence | None
    next_meeting: str | None
    revisit: str | None
    #: The scorecard in one sentence, or None when no indicator has a figure.
    indicators: str | None


class CarriedTo(TypedDict):
    plan: str
    plan_title: str
    id: str
    ref: str
    title: str | None


class PositionRow(TypedDict):
    id: str
    title: str
    lead: str
    leads: list[str]
    partner: str | None
    due: str
    status: str
    rag: str | None
    position: str
    position_label: str
    date: str | None
    reason: str | None
    carried_to: list[CarriedTo]


class TrackedRow(TypedDict):
    id: str
    area: str
    title: str
    lead: str
    leads: list[str]
    partner: str | None
    sro: str | None
    start: str | None
    due: str
    status: str
    rag: str | None
    state: str
    days_overdue: int | None
    late_start: bool
    stale: bool
    latest_update: str | None
    latest_update_date: str | None


#: One recorded deadline move (``from`` is a Python keyword, hence this form).
Move = TypedDict(
    "Move", {"on": str, "from": str, "to": str, "reason": str, "approved_by": str | None}
)


class MovedRow(TrackedRow):
    first_due: str
    slip_days: int
    moves: list[Move]


#: One change since the last report (``from`` is a Python keyword, hence this form).
ChangeRow = TypedDict(
    "ChangeRow",
    {
        "plan": str,
        "action": str,
        "kind": str,
        "kind_label": str,
        "from": str | list[str] | None,
        "to": str | list[str] | None,
    },
)


class SuccessorRef(TypedDict):
    id: str
    title: str


class AppendixBArea(TypedDict):
    id: str
    kind: str
    kind_label: str
    title: str
    totals: dict[str, int]
    actions: list[PositionRow]


class AppendixB(TypedDict):
    report: str
    document: DocumentInfo
    plan: PlanInfo
    totals: dict[str, int]
    summary: str
    successors: list[SuccessorRef]
    areas: list[AppendixBArea]
    dropped: list[PositionRow]


class BoardArea(TypedDict):
    id: str
    kind: str
    kind_label: str
    title: str
    counts: dict[str, int]
    rag: dict[str, int]
    #: The latest review judgement of the area on or before the as-of date.
    judgement: DatedJudgement | None


class ProgressNote(TypedDict):
    action: str
    title: str
    lead: str
    date: str
    rag: str | None
    note: str


class AreaProgress(TypedDict):
    """An area's action updates dated since the last board (open actions only)."""

    id: str
    title: str
    updates: list[ProgressNote]


class Figure(TypedDict):
    """One figure of an indicator: an actual value, the baseline or a target."""

    date: str
    date_long: str
    value: float
    #: The figure with its unit, as a paper writes it: "44.6%", "96 weeks".
    text: str
    provisional: bool
    note: str | None


class ComparatorRow(TypedDict):
    name: str
    date: str | None
    date_long: str
    value: float
    text: str


class IndicatorRow(TypedDict):
    """One indicator as of the date: a row of the scorecard and a panel of the chart."""

    plan: str
    id: str
    title: str
    unit: str
    polarity: str
    polarity_label: str
    frequency: str | None
    owner: str | None
    partner: str | None
    areas: list[str]
    #: False: not cleared for publication (documents mark it "(not published)").
    published: bool
    latest: Figure | None
    previous: Figure | None
    #: The trajectory's value at the latest figure's date, rounded to 2 decimals.
    expected: float | None
    #: The expected figure with its unit, or why there is none ("No target set").
    expected_text: str
    #: green, amber, red, or None (no figure, no trajectory, or a context measure).
    rating: str | None
    rating_label: str
    #: improving, worsening, no-change (up, down for context measures), or None.
    direction: str | None
    direction_label: str
    #: How the figure moved: "↑", "↓", "→", or "" without a previous figure.
    arrow: str
    #: The arrow and the direction in words ("↓ Worsening"), or "No earlier figure".
    direction_text: str
    late_data: bool
    #: The comparators known as of the date (undated ones, or dated on or before it).
    comparators: list[ComparatorRow]
    comparator_text: str
    #: Every value dated on or before the as-of date, oldest first.
    values: list[Figure]
    baseline: Figure | None
    #: The milestones, in date order (later than the as-of date too: they are the plan).
    targets: list[Figure]
    #: The points the trajectory runs through: the baseline, then each target (none
    #: without targets: there is no trajectory then).
    trajectory: list[Figure]
    #: The figures of its chart panel in words (the chart's text alternative).
    summary: str


class Meeting(TypedDict):
    date: str
    date_long: str


class BoardSummary(TypedDict):
    report: str
    document: DocumentInfo
    plan: PlanInfo
    #: The board's name, or None when the plan does not say.
    board: str | None
    #: Who the recommendations address: "the <board>", or "the Board".
    addressee: str
    #: The meeting the paper is for (--meeting, or the first listed on or after as-of).
    meeting: Meeting
    as_of: str
    #: Notes on the dates: before the plan starts, past its end, no meetings listed.
    notes: list[str]
    #: The RAG keys the tables show, worst first (blue only when a plan uses it).
    rag_keys: list[str]
    rag_labels: dict[str, str]
    #: Updates on open actions since the last board, by area.
    progress: list[AreaProgress]
    progress_since: str
    next_board_meeting: str | None
    due_soon_until: str
    revisit_expected_by: str | None
    counts: dict[str, int]
    rag: dict[str, int]
    overall: str
    sentences: Sentences
    recommendations: list[str]
    latest_review: ReviewRow | None
    reviews: list[ReviewRow]
    areas: list[BoardArea]
    overdue: list[TrackedRow]
    due_soon: list[TrackedRow]
    late_starts: list[TrackedRow]
    stale: list[TrackedRow]
    stale_by_lead: list[TrackedRow]
    deadlines_moved: list[MovedRow]
    changes: list[ChangeRow] | None
    since: dict[str, str] | None
    chart: str | None
    #: The scorecard: each indicator with a figure as of the date, in file order.
    indicators: list[IndicatorRow]
    #: Indicators with no figure dated on or before the as-of date yet.
    indicators_without_figures: list[IndicatorRow]
    #: Counts of the scorecard by rating: green, amber, red, unrated.
    indicator_ratings: dict[str, int]
    #: The file name of the indicators' trend chart (Markdown and HTML written with
    #: -o, when the plan has indicators with figures), else None.
    indicator_chart: str | None
    #: The trend chart's text alternative: every figure it shows, in words.
    indicator_chart_alt: str
