"""The console script's first step, before the command line is even parsed.

A board summary with a chart spends much of its time importing matplotlib; when
the arguments ask for one, a worker process starts on that import at once, in
parallel with everything else (see render/worker.py).
"""

from __future__ import annotations

import sys


def _wants_chart(argv: list[str]) -> bool:
    """Whether the command line asks for a report with a chart (a quick look at the
    arguments; the report command decides again once they are parsed, and an unused
    worker is closed on the way out)."""
    if any(a in ("-h", "--help", "--version") for a in argv):
        return False
    if next((a for a in argv if not a.startswith("-")), None) != "report":
        return False
    from send_plan.render.reports import REPORT_BY_NAME, needs_chart

    name = next((a for a in argv if a in REPORT_BY_NAME), None)
    if name is None:
        return False
    fmt = "docx" if "docx" in argv or "--format=docx" in argv else "md"
    to_file = any(a in ("-o", "--output") or a.startswith(("--output=", "-o")) for a in argv)
    return needs_chart(REPORT_BY_NAME[name], fmt, to_file=to_file)


def main() -> None:
    if _wants_chart(sys.argv[1:]):
        from send_plan.render import worker

        worker.start_early()
    from send_plan.cli import main as cli_main

    cli_main()
