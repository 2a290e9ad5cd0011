"""Output formats for ``history``: JSON (the contract in docs/commands.md); the
terminal table is in :mod:`send_plan.formats.terminal`."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from send_plan.git.timeline import History


class Format(StrEnum):
    table = "table"
    json = "json"


def format_json(found: History) -> str:
    return json.dumps(found.as_dict(), indent=2, ensure_ascii=False) + "\n"


FORMATS: dict[str, Callable[[History], str]] = {"json": format_json}
