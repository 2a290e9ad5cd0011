"""Every bound send-plan enforces on its inputs and outputs, in one place.

docs/limits.md states each of them; an environment variable overrides each.
"""

from __future__ import annotations

import os
import sys


def limit(name: str, default: int) -> int:
    """A limit from the environment; a value that is not a positive whole number
    is ignored with a message, never a crash."""
    text = os.environ.get(name)
    if text is None:
        return default
    try:
        value = int(text)
        if value > 0:
            return value
    except ValueError:
        pass
    sys.stderr.write(f"send-plan: ignoring {name}={text!r}: not a positive whole number\n")
    return default


#: Limits, stated in docs/limits.md. Environment variables override them.
MAX_FILE_BYTES = limit("SEND_PLAN_MAX_FILE_BYTES", 64 * 1024 * 1024)
MAX_ALIAS_EXPANSION = limit("SEND_PLAN_MAX_ALIAS_EXPANSION", 10_000)
#: Rows holding something that Excel import reads from one workbook, all sheets together.
MAX_EXCEL_ROWS = limit("SEND_PLAN_MAX_EXCEL_ROWS", 50_000)
