"""Output formats for ``revisit``: the timetable as text for people, or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from send_plan.workdays import Revisit


def format_text(plan: Revisit) -> str:
    from send_plan.workdays import LETTER_WORKING_DAYS, NOTICE_WORKING_DAYS

    lines = [
        f"Notice received:     {plan.notified:%A %d %B %Y}",
        f"On site:             {plan.onsite_start:%A %d %B %Y} to {plan.onsite_end:%A %d %B %Y}"
        f" ({plan.onsite_days} working days, after {NOTICE_WORKING_DAYS} working days' notice)",
        f"Letter expected by:  {plan.letter_expected_by:%A %d %B %Y}"
        f" ({LETTER_WORKING_DAYS} working days after the visit)",
    ]
    if plan.bank_holidays_skipped:
        skipped = ", ".join(f"{name} ({d:%d %B %Y})" for d, name in plan.bank_holidays_skipped)
        lines.append(f"Bank holidays skipped: {skipped}")
    else:
        lines.append("Bank holidays skipped: none")
    return "\n".join(lines) + "\n"


def format_json(plan: Revisit) -> str:
    return json.dumps(plan.as_dict(), indent=2) + "\n"


class Format(StrEnum):
    text = "text"
    json = "json"


FORMATS: dict[str, Callable[[Revisit], str]] = {"text": format_text, "json": format_json}
