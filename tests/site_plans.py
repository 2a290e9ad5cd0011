"""A valid plan written to trip a site up: markup in every text, area ids that are
not file names, a joint lead, ongoing work, no board meetings, no end date, a
long unbroken word, evidence links, and indicators of every kind, one of them
not cleared for publication."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SECRET = "NOT-FOR-PUBLICATION figure"
LONG_WORD = "Supercalifragilisticexpialidocious" * 3
MARKUP = '<script>alert("x")</script> & <b>bold</b>'


def tricky_plan() -> dict[str, Any]:
    action = {
        "lead": ["Head of SEND <Statutory> Services", "Designated Clinical Officer"],
        "partner": ["council", "icb"],
        "status": "in-progress",
    }
    return {
        "schema_version": 1,
        "plan": {
            "id": "tricky-pap-2024",
            "title": f"Priority Action Plan {MARKUP}",
            "local_area": "Lancashire",
            "kind": "priority-action-plan",
            "status": "active",
            "start": "2019-06-01",
        },
        "partners": {"council": "The Council & partners", "icb": "Integrated Care Board"},
        "reviews": [
            {
                "date": "2019-10-01",
                "by": "DfE & NHS England",
                "summary": f"Early days {MARKUP}.",
                "areas": [{"area": "AP 1/2", "judgement": "not-sufficient", "note": MARKUP}],
            }
        ],
        "areas": [
            {
                "id": "AP 1/2",
                "kind": "priority-action",
                "title": f"Area {MARKUP} {LONG_WORD}",
                "description": MARKUP,
                "impact": "Families say <em>so</em>.",
                "updates": [
                    {"date": "2019-09-01", "rag": "red", "note": "Line one\nline two"},
                    {"date": "2020-01-01", "rag": "green", "note": "From the future"},
                ],
                "actions": [
                    {
                        **action,
                        "id": "AP1.1",
                        "title": f"Late work {MARKUP}",
                        "due": "2019-10-31",
                        "rag": "red",
                        "updates": [{"date": "2019-11-01", "note": f"Update {MARKUP}"}],
                        "evidence": [
                            "Plain evidence <i>text</i>",
                            {
                                "title": f"Linked evidence {MARKUP}",
                                "date": "2019-10-01",
                                "kind": "audit",
                                "link": "https://example.org/a?b=1&c=<2>",
                            },
                            {"title": "Evidence from the future", "date": "2020-02-01"},
                        ],
                    },
                    {**action, "id": "AP1.2", "title": "Ongoing work", "due": "ongoing"},
                    {
                        **action,
                        "id": "AP1.3",
                        "title": "Should have started",
                        "status": "not-started",
                        "start": "2019-09-01",
                        "due": "2019-12-01",
                    },
                ],
            },
            {
                "id": "../etc",
                "kind": "area-for-improvement",
                "actions": [
                    {
                        "id": "AFI.1",
                        "lead": LONG_WORD,
                        "due": "2019-08-01",
                        "status": "complete",
                        "completed": "2019-07-30",
                        "rag": "blue",
                    }
                ],
            },
            {
                "id": "ap-1-2",
                "kind": "area-for-improvement",
                "title": "Same slug as AP 1/2",
                "actions": [
                    {**action, "id": "AP2.1", "title": "Another area", "due": "2020-06-30"}
                ],
            },
        ],
        "indicators": [
            {
                "id": "SECRET",
                "title": SECRET,
                "unit": "percent",
                "polarity": "higher-is-better",
                "published": False,
                "values": [{"date": "2019-09-30", "value": 12}],
            },
            {
                "id": "NO-FIGURES",
                "title": f"Targets only {MARKUP}",
                "unit": "percent",
                "polarity": "higher-is-better",
                "frequency": "quarterly",
                "baseline": {"date": "2019-06-30", "value": 20},
                "targets": [{"by": "2020-06-30", "value": 60}],
            },
            {
                "id": "SPEND",
                "title": "Spending on support",
                "unit": "currency",
                "polarity": "context",
                "values": [
                    {"date": "2019-06-30", "value": 125000},
                    {"date": "2019-09-30", "value": 98000.5, "note": MARKUP},
                    {"date": "2020-03-31", "value": 1},
                ],
            },
            {
                "id": "WAIT",
                "title": "Weeks waiting for an autism assessment",
                "unit": "weeks",
                "polarity": "lower-is-better",
                "tolerance": 2,
                "baseline": {"date": "2019-06-30", "value": 40},
                "targets": [{"by": "2020-06-30", "value": 18}],
                "comparators": [{"name": "England", "value": 30}],
                "values": [
                    {"date": "2019-07-31", "value": 41},
                    {"date": "2019-09-30", "value": 35, "provisional": True},
                ],
            },
        ],
    }


def write_tricky_plan(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "tricky-pap-2024.yaml"
    path.write_text(yaml.safe_dump(tricky_plan(), sort_keys=False), encoding="utf-8")
    return path
