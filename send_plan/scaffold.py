"""``send-plan init``: a plan repository a new user can work in at once."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from send_plan import __version__
from send_plan.errors import PathError, RefusedOverwrite
from send_plan.files import write_atomic

PROJECT_URL = "https://github.com/send-plan/send-plan"

EXAMPLE_PLAN = """\
# yaml-language-server: $schema=../plan.schema.json
#
# An example plan to start from. Edit it, rename it, or delete it once your
# own plan is here. Every plan file in plans/ is read together: run
#   send-plan validate      to check them all
#   send-plan status        to see what is overdue or due before the next board
# The full format is in the send-plan documentation (docs/plan-format.md).

schema_version: 1             # always 1 for this version of the format

plan:
  id: example-improvement-plan       # lower-case letters, digits and hyphens; unique
  title: Example SEND Improvement Plan
  local_area: Example
  kind: improvement-plan      # or written-statement-of-action, accelerated-progress-plan,
                              # priority-action-plan, other
  status: draft               # draft while you write it; then active; closed at the end
  start: 2025-04-01
  end: 2026-03-31
  board: Health and Wellbeing Board
  board_meetings: [2025-05-20, 2025-07-15, 2025-09-16, 2025-11-18, 2026-01-20, 2026-03-17]

partners:                     # short ids used by each action's `partner`
  council: Example Council
  icb: Example Integrated Care Board
  pcf: Example Parent Carer Forum

areas:
  - id: P1
    kind: priority
    title: Children's needs are identified early and met well
    actions:
      - id: P1.1
        title: Publish a joint strategic needs assessment for SEND
        lead: Head of Business Intelligence     # a post, never a person's name
        partner: council
        start: 2025-04-01
        due: 2025-09-30       # the deadline agreed now
        status: in-progress   # not-started | in-progress | complete | withdrawn
        rag: amber            # red | red-amber | amber | amber-green | green
        measures:
          - The assessment is published on the local offer website
        updates:
          - date: 2025-05-20
            note: Data sharing agreement with health partners signed.

      - id: P1.2
        title: Agree a graduated approach toolkit with schools
        lead: Head of Inclusion
        partner: council
        due: 2025-12-31
        original_due: 2025-10-31  # the first agreed deadline, when it has moved
        status: not-started
        rescheduled:          # every agreed deadline change, oldest first
          - on: 2025-07-15
            from: 2025-10-31
            to: 2025-12-31
            reason: Headteachers asked to test the toolkit in the autumn term.
            approved_by: SEND Partnership Board

      - id: P1.3
        title: Set up a co-production charter with the parent carer forum
        lead: Chair, Parent Carer Forum
        partner: pcf
        due: 2025-06-30
        status: complete
        completed: 2025-06-12 # needed when status is complete
        rag: green
        evidence:
          - Charter signed by all partners and published
"""

PRE_COMMIT = f"""\
# Checks every plan before each commit: https://pre-commit.com
#   pip install pre-commit && pre-commit install
repos:
  - repo: {PROJECT_URL}
    rev: v{__version__}
    hooks:
      - id: send-plan-validate
"""

WORKFLOW = """\
# Validates the plans on every pull request that touches them, with the
# findings shown on the lines at fault, and judges the change against the
# base branch (deadlines moved without a record, actions deleted or reopened).
name: plans

on:
  pull_request:
    paths: ["plans/**"]
  push:
    branches: [main]
    paths: ["plans/**"]
  # With the site job below: rebuild the site every morning, so that what is late
  # today shows as late today (delete the "# " at the start of the next line).
  # schedule: [{cron: "0 6 * * *"}]

jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0          # the base branch's history, for --base
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install send-plan
      - name: Validate plans
        if: github.event_name == 'push'
        run: send-plan validate plans --format github
      - name: Validate plans and the change
        if: github.event_name == 'pull_request'
        run: send-plan validate plans --format github --base origin/${{ github.base_ref }}

  # The progress site for the local offer (send-plan site), published with GitHub
  # Pages after every change to the plans on main. To turn it on: choose "GitHub
  # Actions" as the source in the repository's Settings > Pages, then delete the
  # "# " at the start of each line from "site:" to the end of this file.
  # site:
  #   if: github.event_name != 'pull_request'
  #   needs: validate
  #   runs-on: ubuntu-latest
  #   permissions:
  #     contents: read
  #     pages: write
  #     id-token: write
  #   concurrency:
  #     group: pages
  #     cancel-in-progress: false
  #   environment:
  #     name: github-pages
  #     url: ${{ steps.deployment.outputs.page_url }}
  #   steps:
  #     - uses: actions/checkout@v4
  #     - uses: actions/setup-python@v5
  #       with:
  #         python-version: "3.12"
  #     - run: pip install send-plan
  #     - run: send-plan site plans -o _site
  #     - uses: actions/upload-pages-artifact@v3
  #       with:
  #         path: _site
  #     - id: deployment
  #       uses: actions/deploy-pages@v4
"""

README = """\
# SEND improvement plans

The local area's SEND plans, one YAML file per plan in `plans/`, checked by
[send-plan]({url}).

    pip install send-plan
    send-plan validate            # are the plans sound?
    send-plan status              # what is overdue, due soon, not started?
    send-plan report board-summary --plan <plan-id> -o board.md

Every pull request that touches `plans/` is validated by
`.github/workflows/send-plan.yml`; `pre-commit install` runs the same check
before each commit. Editors with the YAML language server check plan files
as you type against `plan.schema.json` (regenerate it with
`send-plan schema -o plan.schema.json --force`).
""".replace("{url}", PROJECT_URL)


@dataclass(frozen=True)
class Outcome:
    path: Path
    created: bool


def init(folder: Path) -> list[Outcome]:
    """Create the starter files in ``folder``; never overwrite one that exists."""
    if folder.exists() and not folder.is_dir():
        raise PathError(f"{folder}: not a folder")
    from send_plan.model import json_schema

    files = {
        Path("plans") / "example-improvement-plan.yaml": EXAMPLE_PLAN,
        Path("plan.schema.json"): json.dumps(json_schema(), indent=2) + "\n",
        Path(".pre-commit-config.yaml"): PRE_COMMIT,
        Path(".github") / "workflows" / "send-plan.yml": WORKFLOW,
        Path("README.md"): README,
    }
    outcomes = []
    for relative, text in files.items():
        path = folder / relative
        if os.path.lexists(path):  # a file, a link (even one leading nowhere), anything
            outcomes.append(Outcome(path, False))
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PathError(f"{path.parent}: cannot create: {exc.strerror or exc}") from None
        try:
            write_atomic(path, text.encode("utf-8"))
        except RefusedOverwrite:  # created by someone else meanwhile: theirs is kept
            outcomes.append(Outcome(path, False))
            continue
        outcomes.append(Outcome(path, True))
    return outcomes
