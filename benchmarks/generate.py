"""Generate realistic plan portfolios for benchmarks and scale tests.

A generated plan has the real mix of an improvement plan: most actions complete or
in progress, some not started, a few withdrawn; deadlines that moved with a
coherent ``rescheduled`` record; dated updates; measures and evidence (some of it
dated, with a link); areas with their impact and the partnership's bi-monthly
self-assessments; and, for a closed plan, a successor that carries its open
actions forward (some split).

    python benchmarks/generate.py OUT_DIR --plans 150 --actions 50000
    python benchmarks/generate.py OUT_DIR --indicators 500 --values 40
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

LEADS = [
    "Head of Service, Inclusion",
    "Designated Clinical Officer",
    "Head of SEND Service",
    "Principal Educational Psychologist",
    "Chair, Parent Carer Forum",
    "Head of Commissioning, ICB",
    "SEND Partnership Manager",
    "Head of Service, Children's Social Care",
]
VERBS = ["Publish", "Agree", "Implement", "Review", "Reduce", "Train", "Audit", "Co-produce"]
THINGS = [
    "the joint strategic needs assessment for SEND",
    "EHC plan quality assurance",
    "waiting times for autism assessment",
    "the local offer website",
    "transition to adult services",
    "speech and language therapy capacity",
    "the graduated approach in mainstream schools",
]
RAGS = ["red", "red-amber", "amber", "amber-green", "green"]
_MAP_TAG = "tag:yaml.org,2002:map"
#: (title, unit, polarity, tolerance, range of values) of generated indicators.
MEASURES = [
    ("New EHC plans issued within 20 weeks", "percent", "higher-is-better", 5, (10, 95)),
    ("Annual reviews completed on time", "percent", "higher-is-better", 5, (30, 95)),
    ("Weeks waited for an autism assessment", "weeks", "lower-is-better", 4, (20, 90)),
    ("Fixed-term exclusions per 100 pupils with SEN support", "rate", "lower-is-better", 0.5,
     (2, 9)),
    ("Requests for an EHC needs assessment", "number", "context", None, (300, 900)),
]  # fmt: skip


def _d(day: date) -> str:
    return day.isoformat()


def make_action(rng: random.Random, ident: str, start: date, end: date) -> dict[str, Any]:
    span = (end - start).days
    begin = start + timedelta(days=rng.randrange(0, max(1, span // 2)))
    due = begin + timedelta(days=rng.randrange(30, max(31, span // 2)))
    roll = rng.random()
    status = (
        "complete"
        if roll < 0.45
        else "in-progress"
        if roll < 0.85
        else "not-started"
        if roll < 0.97
        else "withdrawn"
    )
    action: dict[str, Any] = {
        "id": ident,
        "title": f"{rng.choice(VERBS)} {rng.choice(THINGS)}",
        "lead": rng.choice(LEADS),
        "partner": rng.choice(["lcc", "icb", "pcf"]),
        "delivery_plan": rng.choice(["Joint commissioning", "EHC plans", "Co-production"]),
        "start": _d(begin),
        "due": _d(due),
    }
    if rng.random() < 0.15:
        first = due - timedelta(days=rng.choice([30, 61, 92]))
        middle = first + timedelta(days=(due - first).days // 2)
        action["original_due"] = _d(first)
        action["rescheduled"] = [
            {
                "on": _d(begin),
                "from": _d(first),
                "to": _d(middle),
                "reason": "Recruitment to the post took longer than planned.",
            },
            {
                "on": _d(begin + timedelta(days=1)),
                "from": _d(middle),
                "to": _d(due),
                "reason": "Consultation with parents extended.",
                "approved_by": "SEND Partnership Board",
            },
        ]
        action = {k: action[k] for k in action if k != "rescheduled"} | {
            "rescheduled": action["rescheduled"]
        }
    action["status"] = status
    if status == "complete":
        action["completed"] = _d(due - timedelta(days=rng.randrange(0, 20)))
        if action["completed"] < action["start"]:
            action["completed"] = action["start"]
    if status == "withdrawn":
        action["withdrawn_reason"] = "Superseded by a wider piece of work."
    if rng.random() < 0.9:
        action["rag"] = rng.choice(RAGS[1:] if status == "complete" else RAGS)
    action["measures"] = [f"{rng.randrange(50, 100)}% of plans meet the quality standard"]
    if rng.random() < 0.5:
        action["evidence"] = ["Audit results reported to the SEND Partnership Board."]
    action["updates"] = [
        {
            "date": _d(begin + timedelta(days=30 * k)),
            "rag": rng.choice(RAGS),
            "note": "Progress reported to the board; milestones on track.",
        }
        for k in range(rng.randrange(0, 4))
    ]
    # keep the spec's key order: rescheduled before updates, after carried_from
    if "rescheduled" in action:
        resched = action.pop("rescheduled")
        updates = action.pop("updates")
        action["rescheduled"] = resched
        action["updates"] = updates
    return action


def area_progress(key: str, start: date, actions: list[dict[str, Any]]) -> dict[str, Any]:
    """An area's impact and its self-assessment at every board meeting, and dated
    evidence with a link on some of its actions (Appendix A reads all of these).

    Drawn from a generator of its own, seeded by ``key``, so that the rest of a
    generated plan is the same as before these were added.
    """
    rng = random.Random(key)
    for n, action in enumerate(actions):
        if "evidence" in action and rng.random() < 0.5:
            day = date.fromisoformat(action["start"]) + timedelta(days=rng.randrange(20, 300))
            item = {
                "title": f"{rng.choice(['Audit', 'Survey', 'Case study'])} of {rng.choice(THINGS)}",
                "date": _d(day),
                "kind": rng.choice(["audit", "survey", "case study", "data"]),
                "link": f"https://www.example.gov.uk/send/evidence/{key}/{n}",
            }
            action["evidence"] = [*action["evidence"], item]
    updates = [
        {
            "date": _d(start + timedelta(days=61 * m)),
            "rag": rng.choice(RAGS),
            "note": "Progress reviewed with partners and the Parent Carer Forum; "
            f"{rng.randrange(40, 95)}% of the area's milestones met.",
            "next_steps": f"{rng.choice(VERBS)} {rng.choice(THINGS)}.",
        }
        for m in range(1, 12)
    ]
    return {
        "impact": f"Families see a difference in {rng.choice(THINGS)}.",
        "updates": updates,
    }


#: Real plans have 4 priorities (an improvement plan) up to 2 fundamental
#: failings and 12 areas of significant weakness (a written statement of action):
#: a large plan has bigger areas, not more of them.
MAX_AREAS = 14


def make_indicator(
    rng: random.Random, ident: str, start: date, areas: list[str], n_values: int
) -> dict[str, Any]:
    """An indicator as plans keep them: monthly actuals since the start, a baseline,
    two milestone targets, a comparator, now and then a note or a provisional figure."""
    title, unit, polarity, tolerance, (low, high) = rng.choice(MEASURES)

    def figure() -> float:
        return round(rng.uniform(low, high), 1)

    ind: dict[str, Any] = {
        "id": ident,
        "title": title,
        "unit": unit,
        "polarity": polarity,
        "frequency": "monthly",
        "owner": rng.choice(LEADS),
        "partner": rng.choice(["lcc", "icb", "pcf"]),
        "areas": [rng.choice(areas)],
    }
    if tolerance is not None:
        ind["tolerance"] = tolerance
    ind["baseline"] = Flow(date=start - timedelta(days=1), value=figure())
    if polarity != "context":
        ind["targets"] = [
            Flow(by=start + timedelta(days=365), value=figure()),
            Flow(by=start + timedelta(days=730), value=figure()),
        ]
    ind["comparators"] = [Flow(name="England", date=start, value=figure())]
    values = []
    for k in range(n_values):
        value: dict[str, Any] = Flow(date=_month_end(start, k), value=figure())
        if rng.random() < 0.05:
            value["note"] = "Figures revised after the data quality audit."
        if k == n_values - 1:
            value["provisional"] = True
        values.append(value)
    ind["values"] = values
    return ind


def _month_end(start: date, k: int) -> date:
    """The last day of the k-th month from ``start``'s month."""
    month = start.month - 1 + k
    first_of_next = date(start.year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def make_plan(
    rng: random.Random,
    plan_id: str,
    n_actions: int,
    *,
    area_size: int | None = None,
    indicators: int = 0,
    values: int = 40,
) -> dict[str, Any]:
    if area_size is None:
        area_size = max(25, -(-n_actions // MAX_AREAS))
    start = date(2019, 4, 1) + timedelta(days=rng.randrange(0, 365))
    end = start + timedelta(days=730)
    areas = []
    made = 0
    k = 0
    while made < n_actions:
        k += 1
        count = min(area_size, n_actions - made)
        actions = [make_action(rng, f"P{k}.{j + 1}", start, end) for j in range(count)]
        made += count
        area = {"id": f"P{k}", "kind": "priority", "title": f"Priority {k}"}
        areas.append(area | area_progress(f"{plan_id}/P{k}", start, actions) | {"actions": actions})
    meetings = [_d(start + timedelta(days=61 * m)) for m in range(1, 12)]
    area_ids = [a["id"] for a in areas]
    plan: dict[str, Any] = {
        "schema_version": 1,
        "plan": {
            "id": plan_id,
            "title": f"SEND Improvement Plan {plan_id}",
            "local_area": plan_id.split("-")[0].title(),
            "kind": "improvement-plan",
            "status": "active",
            "start": _d(start),
            "end": _d(end),
            "board": "Health and Wellbeing Board",
            "board_meetings": meetings,
        },
        "partners": {
            "lcc": "County Council",
            "icb": "Integrated Care Board",
            "pcf": "Parent Carer Forum",
        },
        "reviews": [
            {
                "date": _d(start + timedelta(days=120)),
                "by": "DfE and NHS England",
                "rating": "amber",
            }
        ],
        "areas": areas,
    }
    if indicators:
        plan["indicators"] = [
            make_indicator(rng, f"I{n + 1}", start, area_ids, values) for n in range(indicators)
        ]
    return plan


class Flow(dict[str, Any]):
    """A mapping written on one line, as plans write figures: ``{date: 2019-06-30, value: 12}``."""


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True  # one date used twice is still written out twice


_Dumper.add_representer(
    Flow, lambda dumper, data: dumper.represent_mapping(_MAP_TAG, data, flow_style=True)
)
_DUMPER = _Dumper


def dump(doc: dict[str, Any]) -> str:
    return yaml.dump(
        doc,
        Dumper=_DUMPER,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )


def write_portfolio(
    out: Path, plans: int, actions: int, seed: int = 2019, *, indicators: int = 0, values: int = 40
) -> list[Path]:
    """``plans`` plan files holding ``actions`` actions in all; with ``indicators``,
    each plan also has that many indicators of ``values`` monthly values each. The
    actions are the same with or without indicators (they are drawn first)."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    per_plan = max(1, actions // plans)
    for p in range(plans):
        plan_id = f"area{p:03d}-improvement-plan"
        path = out / f"{plan_id}.yaml"
        doc = make_plan(rng, plan_id, per_plan, indicators=indicators, values=values)
        path.write_text(dump(doc), encoding="utf-8")
        paths.append(path)
    return paths


def write_reference(path: Path, seed: int = 2019) -> Path:
    """A council's reference Word document: landscape A4, its own fonts, a header
    with a logo picture (about 100 KB) and a footer, and some body text."""
    import io
    import struct
    import zlib

    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    rng = random.Random(seed)
    width, height = 300, 110
    rows = b"".join(
        b"\x00" + bytes(rng.randrange(256) for _ in range(width * 3)) for _ in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    logo = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for name, font, size in (("Normal", "Verdana", 11), ("Heading 1", "Georgia", 16)):
        doc.styles[name].font.name, doc.styles[name].font.size = font, Pt(size)
    header = section.header.paragraphs[0]
    header.text = "OFFICIAL"
    header.add_run().add_picture(io.BytesIO(logo), width=Mm(40))
    section.footer.paragraphs[0].text = "Testshire County Council, County Hall"
    for _ in range(20):
        doc.add_paragraph("Guidance for report authors: delete this text. " * 5)
    doc.save(str(path))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--plans", type=int, default=1)
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--indicators", type=int, default=0, help="indicators per plan")
    parser.add_argument("--values", type=int, default=40, help="values per indicator")
    args = parser.parse_args()
    paths = write_portfolio(
        args.out,
        args.plans,
        args.actions,
        args.seed,
        indicators=args.indicators,
        values=args.values,
    )
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} plan(s), {args.actions} actions, {size / 1e6:.1f} MB to {args.out}")


if __name__ == "__main__":
    main()


def write_repository(root: Path, commits: int, actions: int, seed: int = 2019) -> str:
    """A git repository whose one plan is edited by ``commits`` dated commits.

    Each commit makes the edits an analyst makes between meetings: a few status
    and RAG changes, a completion, now and then a deadline moved with its
    ``rescheduled`` record. Returns the id of an action whose deadline moves.
    """
    import subprocess

    rng = random.Random(seed)
    plans = root / "plans"
    plans.mkdir(parents=True, exist_ok=True)
    doc = make_plan(rng, "area000-improvement-plan", actions)
    flat = [a for area in doc["areas"] for a in area["actions"]]
    tracked = flat[0]
    env = {
        "GIT_AUTHOR_NAME": "Analyst",
        "GIT_AUTHOR_EMAIL": "analyst@example.org",
        "GIT_COMMITTER_NAME": "Analyst",
        "GIT_COMMITTER_EMAIL": "analyst@example.org",
        "PATH": __import__("os").environ["PATH"],
    }
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    path = plans / "plan.yaml"
    day = date(2019, 4, 1)
    for k in range(commits):
        still_open = [a for a in flat if a["status"] in ("not-started", "in-progress")]
        for action in rng.sample(still_open, min(3, len(still_open))):
            action["rag"] = RAGS[(RAGS.index(action.get("rag", "amber")) + 1) % len(RAGS)]
        if k % 5 == 0:
            _move(tracked, day)
        path.write_text(dump(doc), encoding="utf-8")
        stamp = f"{day.isoformat()}T10:00:00+00:00"
        subprocess.run(["git", "add", "-A"], cwd=root, check=True)
        subprocess.run(
            ["git", "commit", "-q", "-m", f"Update {k}"],
            cwd=root,
            check=True,
            env={**env, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp},
        )
        day += timedelta(days=1)
    return f"{doc['plan']['id']}/{tracked['id']}"


def _move(action: dict[str, Any], day: date) -> None:
    """Move a deadline a month on, recording the change as the format asks."""
    old = date.fromisoformat(action["due"])
    new = old + timedelta(days=30)
    action.setdefault("original_due", action["due"])
    entry = {"on": _d(day), "from": _d(old), "to": _d(new), "reason": "Agreed at the board."}
    rescheduled = [*action.get("rescheduled", []), entry]
    action["due"] = _d(new)
    if action.get("start") and action["start"] > action["due"]:
        action["start"] = action["due"]
    if action["status"] == "complete":
        action["status"] = "in-progress"
        action.pop("completed", None)
    # keep the spec's key order: rescheduled sits before updates
    updates = action.pop("updates", [])
    action.pop("rescheduled", None)
    action["rescheduled"] = rescheduled
    action["updates"] = updates
