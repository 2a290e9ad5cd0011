"""The workbook's layout: the sheets export writes, their columns, and how they look.

Everything here is a constant that both directions share: export writes these
sheets and headings, import looks for them. The fills of states and RAG ratings
are the render package's (:mod:`send_plan.render.labels`), so a Word document and
a workbook colour a state alike.
"""

from __future__ import annotations

from send_plan.model import Action
from send_plan.render.labels import POSITION_FILL, STATE

ACTIONS = "Actions"
PLAN = "Plan"
AREAS = "Areas"
UPDATES = "Updates"
RESCHEDULED = "Rescheduled"
MEASURES = "Measures"
EVIDENCE = "Evidence"
PARTNERS = "Partners"
ACCOUNTABLE = "Accountable"
BOARD_MEETINGS = "Board meetings"
REVIEWS = "Reviews"
AREA_UPDATES = "Area updates"
JUDGEMENTS = "Judgements"
INDICATORS = "Indicators"
INDICATOR_VALUES = "Indicator values"
INDICATOR_TARGETS = "Indicator targets"
INDICATOR_COMPARATORS = "Indicator comparators"

#: Sheets of a workbook written by export, in their order (Actions first).
SHEETS = (
    ACTIONS,
    PLAN,
    AREAS,
    AREA_UPDATES,
    UPDATES,
    RESCHEDULED,
    MEASURES,
    EVIDENCE,
    PARTNERS,
    ACCOUNTABLE,
    BOARD_MEETINGS,
    REVIEWS,
    JUDGEMENTS,
    INDICATORS,
    INDICATOR_VALUES,
    INDICATOR_TARGETS,
    INDICATOR_COMPARATORS,
)
#: Sheets added to the layout after the first: a workbook written before them
#: still imports (a note says the sheet was read as empty).
LATER_SHEETS = frozenset(
    (
        AREA_UPDATES,
        JUDGEMENTS,
        INDICATORS,
        INDICATOR_VALUES,
        INDICATOR_TARGETS,
        INDICATOR_COMPARATORS,
    )
)

#: The Actions sheet: plan field -> column heading, in column order.
ACTION_COLUMNS: dict[str, str] = {
    "area": "Area",
    "area_title": "Area title",
    "id": "ID",
    "title": "Title",
    "lead": "Lead",
    "partner": "Partner",
    "sro": "SRO",
    "delivery_plan": "Delivery plan",
    "start": "Start",
    "due": "Due",
    "original_due": "Original due",
    "status": "Status",
    "completed": "Completed",
    "withdrawn_reason": "Withdrawn reason",
    "rag": "RAG",
    "carried_from": "Carried from",
    "measures": "Measures",
    "evidence": "Evidence",
    "rescheduled": "Rescheduled",
    "updates": "Updates",
}

#: Columns of the Actions sheet that repeat what another sheet holds, for reading.
#: Import reads the other sheet and checks the copy agrees (or is blank).
COPY_COLUMNS = ("area_title", "measures", "evidence", "rescheduled", "updates")
#: The action's lists, each kept on a sheet of its own.
LIST_FIELDS = ("measures", "evidence", "rescheduled", "updates")

#: Computed columns added by ``export --as-of``; any heading ending in the
#: marker is ignored on import.
COMPUTED_MARK = "(computed)"
COMPUTED_COLUMNS = {
    "state": f"State {COMPUTED_MARK}",
    "days_overdue": f"Days overdue {COMPUTED_MARK}",
    "late_start": f"Late start {COMPUTED_MARK}",
}

#: Columns added to export's sheets after the first layout, by sheet: a workbook
#: written before them still imports.
LATER_COLUMNS: dict[str, tuple[str, ...]] = {
    ACTIONS: ("sro",),
    AREAS: ("description", "impact"),
    EVIDENCE: ("date", "kind", "link"),
}

#: Fields a tracker mapping must name a column for (without an id column, import
#: generates the ids).
REQUIRED_COLUMNS = ("lead", "due", "status")

#: One cell, several entries: a joint lead or partner has one entry per line.
ENTRY_SEPARATOR = "\n"
#: One cell, several ids (an indicator's areas and actions).
ID_SEPARATOR = ", "

#: The Plan sheet's rows: field -> label in column A.
PLAN_FIELDS: dict[str, str] = {
    "id": "Plan ID",
    "title": "Title",
    "local_area": "Local area",
    "kind": "Kind",
    "status": "Status",
    "approved": "Approved",
    "start": "Start",
    "end": "End",
    "successor": "Successor",
    "board": "Board",
}

#: Each list sheet: field -> heading. The first column names the action.
LIST_SHEETS: dict[str, dict[str, str]] = {
    UPDATES: {"action": "Action", "date": "Date", "rag": "RAG", "note": "Note"},
    RESCHEDULED: {
        "action": "Action",
        "on": "On",
        "from": "From",
        "to": "To",
        "reason": "Reason",
        "approved_by": "Approved by",
    },
    MEASURES: {"action": "Action", "text": "Measure"},
    #: Evidence as text has the Evidence cell alone; with a date, kind or link it
    #: is a dated item whose title is the Evidence cell.
    EVIDENCE: {
        "action": "Action",
        "text": "Evidence",
        "date": "Date",
        "kind": "Kind",
        "link": "Link",
    },
}
PLAN_LIST_SHEETS: dict[str, dict[str, str]] = {
    AREAS: {
        "id": "ID",
        "kind": "Kind",
        "title": "Title",
        "description": "Description",
        "impact": "Impact",
    },
    AREA_UPDATES: {
        "area": "Area",
        "date": "Date",
        "rag": "RAG",
        "note": "Note",
        "next_steps": "Next steps",
    },
    PARTNERS: {"id": "ID", "name": "Name"},
    ACCOUNTABLE: {"role": "Role", "partner": "Partner"},
    BOARD_MEETINGS: {"date": "Date"},
    REVIEWS: {"date": "Date", "by": "By", "rating": "Rating", "summary": "Summary"},
    #: A review's judgement of one area; the review is the one on the Reviews
    #: sheet with that date (and, when two share a date, that By).
    JUDGEMENTS: {
        "review_date": "Review date",
        "review_by": "Review by",
        "area": "Area",
        "judgement": "Judgement",
        "note": "Note",
    },
    INDICATORS: {
        "id": "ID",
        "title": "Title",
        "unit": "Unit",
        "polarity": "Polarity",
        "frequency": "Frequency",
        "tolerance": "Tolerance",
        "baseline_date": "Baseline date",
        "baseline_value": "Baseline value",
        "owner": "Owner",
        "partner": "Partner",
        "areas": "Areas",
        "actions": "Actions",
        "definition": "Definition",
        "source": "Source",
        "published": "Published",
    },
    INDICATOR_VALUES: {
        "indicator": "Indicator",
        "date": "Date",
        "value": "Value",
        "provisional": "Provisional",
        "note": "Note",
    },
    INDICATOR_TARGETS: {"indicator": "Indicator", "by": "By", "value": "Value"},
    INDICATOR_COMPARATORS: {
        "indicator": "Indicator",
        "name": "Name",
        "date": "Date",
        "value": "Value",
    },
}

#: The plan details the command line may give, with the option that gives each.
PLAN_OPTIONS = {
    "id": "--plan-id",
    "title": "--title",
    "local_area": "--local-area",
    "kind": "--kind",
    "start": "--start",
    "end": "--end",
}

#: Key order of the plan format, for the YAML written by import.
PLAN_KEYS = (*PLAN_FIELDS, "board_meetings", "accountable")
#: The action's keys in the format's order, as the model declares them.
ACTION_KEYS = tuple(f.alias or name for name, f in Action.model_fields.items())
AREA_KEYS = ("id", "kind", "title", "description", "impact", "updates")
#: What a column mapping may name for a tracker's Actions sheet: the area's
#: fields, and every field of an action but its deadline changes (a tracker has
#: the first and the current deadline, not their history).
MAPPABLE = ("area", "area_title", "area_kind", *(k for k in ACTION_KEYS if k != "rescheduled"))

HEADER_SEARCH_ROWS = 30
DATE_FORMAT = "dd/mm/yyyy"
#: Excel keeps at most this many characters in a cell.
CELL_LIMIT = 32_767
#: An .xlsx is a zip; refuse one that would unpack to more than this.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024

#: Light fills for the computed state column, as in the Word documents; RAG
#: cells use RAG_FILL.
STATE_FILL = {state: POSITION_FILL[state] for state in STATE}
#: RAG fills dark enough to need white text.
DARK_FILLS = frozenset({"red", "blue"})
HEADER_FILL = "DDEBF7"
COMPUTED_FILL = "EDEDED"
#: Column widths stop here (characters); longer text wraps.
MAX_WIDTH = 60
#: Points per line of text, and the most lines a row of the Actions sheet shows
#: (the list sheets show more; every line is in the cell either way).
LINE_HEIGHT = 15
MAX_ROW_LINES = 8
LIST_ROW_LINES = 27
