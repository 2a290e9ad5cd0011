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
#: Templates (docs/limits.md, "Templates"): the largest text or list a template may
#: make (characters or items; a template file's size in bytes too), its output in
#: characters, and its running time in seconds.
MAX_TEMPLATE_VALUE = limit("SEND_PLAN_MAX_TEMPLATE_VALUE", 10_000_000)
MAX_TEMPLATE_OUTPUT = limit("SEND_PLAN_MAX_TEMPLATE_OUTPUT", 20_000_000)
MAX_TEMPLATE_SECONDS = limit("SEND_PLAN_MAX_TEMPLATE_SECONDS", 30)
#: Rows holding something that Excel import reads from one workbook, all sheets together.
MAX_EXCEL_ROWS = limit("SEND_PLAN_MAX_EXCEL_ROWS", 50_000)
