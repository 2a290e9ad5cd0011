"""The shapes of the site's view-models: what each page shows, as typed plain data.

The builders in :mod:`send_plan.site.context` return these, and the templates in
``templates/site/`` read them (Jinja sees them as mappings). Every date is already
written out in words and every label is plain English: templates only loop and
print. docs/site.md lists the variables; keys change only additively, because
councils' own templates read them.
"""

from __future__ import annotations

from typing import TypedDict


class Link(TypedDict):
    href: str
    text: str


class Count(TypedDict):
    """One state's count, in the order a reader meets them (late first)."""

    key: str
    label: str
    value: int


class Chart(TypedDict):
    """An SVG picture and its text alternative (the table beside it has the numbers)."""

    src: str
    alt: str
    caption: str
    width: int
    height: int


class Review(TypedDict):
    date: str
    by: str
    rating: str | None
    rating_label: str
    summary: str | None


class Update(TypedDict):
    date: str
    rag: str | None
    rag_label: str
    note: str


class Evidence(TypedDict):
    title: str
    date: str | None
    kind: str | None
    #: An http or https address, or None (the title is then shown as text).
    href: str | None


class ActionRef(TypedDict):
    """Another plan's action this one continues or was carried into."""

    text: str
    href: str | None


class Action(TypedDict):
    id: str
    anchor: str
    #: The action on its area page, from the plan page.
    href: str
    title: str
    #: The area's id and title: "P2: Equal partners who listen".
    area: str
    lead: str
    partners: str | None
    sro: str | None
    due: str
    state: str
    state_label: str
    #: A short phrase on time: "42 days late", "due 31 January 2020", "ongoing".
    when: str
    rag: str | None
    rag_label: str
    completed: str | None
    withdrawn_reason: str | None
    late_start: bool
    measures: list[str]
    latest_update: Update | None
    evidence: list[Evidence]
    carried_from: ActionRef | None
    carried_to: list[ActionRef]


class Judgement(TypedDict):
    label: str
    by: str
    date: str
    note: str | None


class AreaRow(TypedDict):
    id: str
    title: str
    kind_label: str
    href: str
    total: int
    counts: list[Count]
    judgement: Judgement | None


class IndicatorRow(TypedDict):
    """One figure of an indicator, with the trajectory's value at its date."""

    date: str
    value: str
    expected: str
    note: str | None
    provisional: bool


class Indicator(TypedDict):
    id: str
    anchor: str
    title: str
    unit: str
    latest: str | None
    latest_date: str | None
    provisional: bool
    expected: str | None
    target: str | None
    rating: str | None
    rating_label: str
    direction: str | None
    direction_label: str
    late_data: bool
    owner: str | None
    definition: str | None
    source: str | None
    comparators: list[str]
    rows: list[IndicatorRow]
    chart: Chart | None


class PlanSummary(TypedDict):
    """A plan as the index lists it, and as its own page heads it."""

    id: str
    href: str
    title: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    local_area: str
    period: str
    board: str | None
    total: int
    counts: list[Count]
    summary: str
    latest_review: Review | None
    #: The date in words, or why there is none.
    next_board_meeting: str


class Page(TypedDict):
    """What every page has: its place in the site and the facts in the footer."""

    title: str
    #: The way back to the top of the site: "" or "../".
    root: str
    breadcrumbs: list[Link]
    site_title: str
    as_of: str
    as_of_long: str
    generator: str


class IndexPage(TypedDict):
    page: Page
    plans: list[PlanSummary]


class Attention(TypedDict):
    """One group of actions that need attention, with its plain-English heading."""

    key: str
    heading: str
    intro: str
    empty: str
    actions: list[Action]


class PlanPage(TypedDict):
    page: Page
    plan: PlanSummary
    notes: list[str]
    successor: Link | None
    predecessors: list[Link]
    areas: list[AreaRow]
    totals: list[Count]
    total: int
    chart: Chart | None
    attention: list[Attention]
    indicators: list[Indicator]
    reviews: list[Review]


class AreaUpdate(Update):
    next_steps: str | None


class AreaPage(TypedDict):
    page: Page
    plan: PlanSummary
    area: AreaRow
    description: str | None
    impact: str | None
    self_assessment: AreaUpdate | None
    actions: list[Action]


class GlossaryPage(TypedDict):
    page: Page
