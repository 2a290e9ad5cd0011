"""The site's words: plain-English labels a parent understands, figures written
with their units, safe file names, and the one check on links.

A board paper says "overdue" and "carried forward"; a page on the local offer
says "late" and "moved into the next plan", and explains the rest in its
glossary. Only the standard library and the package's vocabularies are used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from send_plan.vocab import Unit

#: States in the order a reader meets them: what needs attention first.
STATE_ORDER = ("overdue", "due-soon", "on-track", "complete", "carried-forward", "withdrawn")
STATE = {
    "overdue": "Late",
    "due-soon": "Due soon",
    "on-track": "On track",
    "complete": "Complete",
    "carried-forward": "Moved to the next plan",
    "withdrawn": "Withdrawn",
}
PLAN_STATUS = {
    "draft": "Draft: not yet agreed",
    "active": "Under way",
    "closed": "Closed",
}
RAG = {
    "red": "Red: serious concerns",
    "red-amber": "Red/amber: concerns",
    "amber": "Amber: some concerns",
    "amber-green": "Amber/green: mostly on track",
    "green": "Green: on track",
    "blue": "Blue: complete",
    "unrated": "Not rated",
}
#: An indicator's rating against its trajectory, in words.
RATING = {
    "green": "On track for its target",
    "amber": "Close to its target",
    "red": "Behind its target",
}
DIRECTION = {
    "improving": "Getting better",
    "worsening": "Getting worse",
    "no-change": "No change",
    "up": "Going up",
    "down": "Going down",
}
ORDINARY = {"number", "rate"}


def figure(value: float, unit: str) -> str:
    """A figure as a reader writes it: 53.9%, 1,204, £2,500, 18 weeks."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:,.0f}"
    if unit == Unit.PERCENT:
        return f"{text}%"
    if unit == Unit.CURRENCY:
        return f"£{text}" if value >= 0 else f"-£{text[1:]}"
    if unit in (Unit.DAYS, Unit.WEEKS):
        word = unit.removesuffix("s")
        return f"{text} {word}" if value == 1 else f"{text} {unit}"
    return text


def rating_label(rating: str | None, *, context: bool, has_figure: bool) -> str:
    if rating is not None:
        return RATING[rating]
    if context:
        return "Not rated: watched without a target"
    if not has_figure:
        return "No figure yet"
    return "Not rated: no target for this date"


def direction_label(direction: str | None) -> str:
    return DIRECTION[direction] if direction else "Not known yet (one figure so far)"


_NOT_SAFE = re.compile(r"[^a-z0-9]+")


def slug(text: str, used: set[str], *, fallback: str = "item") -> str:
    """A file-name and anchor-safe form of ``text``, unique among ``used`` (which
    it joins): lower-case letters, digits and single hyphens, never ``..``."""
    base = _NOT_SAFE.sub("-", text.lower()).strip("-")[:60].strip("-") or fallback
    name, n = base, 1
    while name in used:
        n += 1
        name = f"{base}-{n}"
    used.add(name)
    return name


def safe_link(address: str | None) -> str | None:
    """The address if it is a plain http or https link, else None.

    The rules already refuse other links in plans (E219); this is the second
    guard, so that no ``javascript:`` or ``file:`` address ever reaches a page.
    """
    if not address or any(ch.isspace() or ord(ch) < 32 for ch in address):
        return None
    try:
        parts = urlsplit(address)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return address


def joined(items: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
