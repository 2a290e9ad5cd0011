"""Output formats for ``changes``: JSON (the contract in docs/commands.md) and
Markdown; the terminal table is in :mod:`send_plan.formats.terminal`."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from typing import Any


class Format(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


def format_json(found: Any) -> str:
    return json.dumps(found.as_dict(), indent=2, ensure_ascii=False) + "\n"


def format_markdown(found: Any) -> str:
    from send_plan.changes import format_markdown as markdown

    return markdown(found)


FORMATS: dict[str, Callable[[Any], str]] = {"json": format_json, "markdown": format_markdown}
