"""The console script's first step, before the command line is even parsed.

A board summary with a chart spends much of its time importing matplotlib; when
the arguments ask for one, a worker process starts on that import at once, in
parallel with everything else (see render/chart.ChartWorker).
"""

from __future__ import annotations

import sys


def _wants_chart(argv: list[str]) -> bool:
    if "report" not in argv or "board-summary" not in argv:
        return False
    return "docx" in argv or any(a in ("-o", "--output") or a.startswith("--output=") for a in argv)


def main() -> None:
    if _wants_chart(sys.argv[1:]):
        from send_plan.render import chart

        chart.start_early()
    from send_plan.cli import main as cli_main

    cli_main()
