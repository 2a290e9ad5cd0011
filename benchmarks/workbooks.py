"""Generate large council trackers (.xlsx) for the Excel import benchmarks.

A generated tracker is laid out as docs/examples/tracker-columns.yaml reads it:
a sheet "WSoA Tracker" with two title rows merged across the table, a spacer,
the header row, then one action a row (a section heading row merged across the
table every 500 rows), and a "Guidance" sheet after it. The workbook is written
row by row (openpyxl's write-only mode), so even 200,000 rows take seconds.

    python benchmarks/workbooks.py OUT.xlsx --rows 200000
    send-plan import OUT.xlsx --columns docs/examples/tracker-columns.yaml \\
      --plan-id big --local-area Testshire --kind other --start 2018-04-25
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta
from pathlib import Path

from generate import LEADS, THINGS, VERBS

HEADINGS = [
    "Action Ref",
    "Action",
    "Lead Officer",
    "Target Date",
    "Revised Date",
    "Status",
    "Date Completed",
    "RAG",
    "Progress Update",
    "Evidence of Impact",
    "Notes",
]
STATUSES = ["Complete", "In progress", "Not started", "Work in progress"]
RAGS = ["Red", "Amber", "Green", "A/G"]
#: The options `send-plan import` needs for a generated tracker.
IMPORT_OPTIONS = [
    "--columns",
    str(Path(__file__).resolve().parent.parent / "docs" / "examples" / "tracker-columns.yaml"),
    "--plan-id",
    "big-tracker",
    "--local-area",
    "Testshire",
    "--kind",
    "other",
    "--start",
    "2018-04-25",
]


def write_tracker(path: Path, rows: int, seed: int = 2019) -> Path:
    """A tracker of ``rows`` action rows (plus title, header and section rows)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange

    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("WSoA Tracker")
    last = get_column_letter(len(HEADINGS))
    merges = []

    def dated(day: datetime) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=day)
        cell.number_format = "dd/mm/yyyy"
        return cell

    ws.append(["Testshire SEND Written Statement of Action"])
    ws.append(["Progress tracker: position at 15 January 2019"])
    merges += [f"A1:{last}1", f"A2:{last}2"]
    ws.append([])
    ws.append(HEADINGS)
    row = 4
    start = datetime(2018, 5, 1)
    for n in range(rows):
        if n % 500 == 0:
            row += 1
            ws.append([f"Priority {n // 500 + 1}: {rng.choice(THINGS)}"])
            merges.append(f"A{row}:{last}{row}")
        target = start + timedelta(days=rng.randrange(0, 600))
        revised = target + timedelta(days=30) if rng.random() < 0.2 else None
        status = rng.choice(STATUSES)
        done = status == "Complete"
        row += 1
        ws.append(
            [
                f"{n // 500 + 1}.{n % 500 + 1}",
                f"{rng.choice(VERBS)} {rng.choice(THINGS)}",
                rng.choice(LEADS),
                dated(target),
                dated(revised) if revised else None,
                status,
                dated(target - timedelta(days=3)) if done else None,
                "Green" if done else rng.choice(RAGS),
                f"15/01/2019: milestones reviewed with {rng.choice(LEADS)}.",
                "Audit reported to the board." if rng.random() < 0.3 else None,
                "Checked by the SEND team" if rng.random() < 0.1 else None,
            ]
        )
    for ref in merges:
        ws.merged_cells.add(CellRange(ref))
    guidance = wb.create_sheet("Guidance")
    guidance.append(["How to fill in the tracker"])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args()
    write_tracker(args.out, args.rows, args.seed)
    print(f"wrote {args.out}: {args.rows:,} rows, {args.out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
