"""Words for the vocabularies, as a board paper writes them."""

from __future__ import annotations

PLAN_KIND = {
    "written-statement-of-action": "Written Statement of Action",
    "accelerated-progress-plan": "Accelerated Progress Plan",
    "improvement-plan": "Improvement Plan",
    "priority-action-plan": "Priority Action Plan",
    "other": "Plan",
}
AREA_KIND = {
    "fundamental-failing": "Fundamental failing",
    "significant-weakness": "Area of significant weakness",
    "priority": "Priority",
    "priority-action": "Area for priority action",
    "area-for-improvement": "Area for improvement",
    "other": "Area",
}
#: Appendix B lists fundamental failings first, then areas of significant weakness.
AREA_ORDER = {kind: rank for rank, kind in enumerate(AREA_KIND)}
POSITION = {
    "complete": "Complete",
    "withdrawn": "Withdrawn",
    "carried-forward": "Carried forward",
    "dropped": "Dropped: not carried forward",
    "unresolved": "Not known: successor plan not read",
    "open": "Open",
}
STATE = {
    "complete": "Complete",
    "withdrawn": "Withdrawn",
    "carried-forward": "Carried forward",
    "overdue": "Overdue",
    "due-soon": "Due before the next board",
    "on-track": "On track",
}
RAG = {
    "red": "Red",
    "red-amber": "Red/amber",
    "amber": "Amber",
    "amber-green": "Amber/green",
    "green": "Green",
    "blue": "Blue (complete)",
    "unrated": "Not rated",
}
JUDGEMENT = {
    "sufficient": "Sufficient progress",
    "not-sufficient": "Not sufficient progress",
}
#: Fill colours (hex, no '#') for RAG cells, shared by HTML, Word and the chart.
RAG_FILL = {
    "red": "C00000",
    "red-amber": "E26B0A",
    "amber": "FFC000",
    "amber-green": "C4D79B",
    "green": "00B050",
    "blue": "0070C0",
    "unrated": "D9D9D9",
}
#: Light fills (hex, no '#') for final positions and states, readable with black
#: text; shared by the Word documents and the Excel export.
POSITION_FILL = {
    "complete": "C6EFCE",
    "carried-forward": "FFEB9C",
    "withdrawn": "D9D9D9",
    "dropped": "FFC7CE",
    "unresolved": "FCE4D6",
    "open": "DDEBF7",
    "overdue": "FFC7CE",
    "due-soon": "FFEB9C",
    "on-track": "C6EFCE",
}
#: Directions of travel as a board paper writes them.
DIRECTION = {
    "improving": "Improving",
    "worsening": "Worsening",
    "no-change": "No change",
    "up": "Up",
    "down": "Down",
}
#: Which way is better, in words.
POLARITY = {
    "higher-is-better": "Higher is better",
    "lower-is-better": "Lower is better",
    "context": "Context measure (not rated)",
}
