"""Shared fixtures: a CLI runner, the repository root, and minimal valid plans on disk."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = REPO_ROOT / "tests" / "example-files"

#: Give this as an override value to remove the key.
DELETE = object()


def minimal_plan() -> dict[str, Any]:
    """A small plan that validates with no findings at all."""
    return {
        "schema_version": 1,
        "plan": {
            "id": "test-plan",
            "title": "Test plan",
            "local_area": "Testshire",
            "kind": "improvement-plan",
            "status": "active",
            "start": date(2019, 4, 1),
            "end": date(2020, 12, 31),
        },
        "partners": {"lcc": "Testshire County Council"},
        "areas": [
            {
                "id": "P1",
                "kind": "priority",
                "title": "Plan for and meet needs",
                "actions": [
                    {
                        "id": "P1.1",
                        "title": "Publish the local offer",
                        "lead": "Head of Service, Inclusion",
                        "partner": "lcc",
                        "due": date(2019, 12, 31),
                        "status": "in-progress",
                    }
                ],
            }
        ],
    }


def apply_overrides(data: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Set values by dotted path: ``{"plan.status": "closed", "areas.0.actions.0.rag": "red"}``.

    A list index one past the end appends; the value :data:`DELETE` removes the key.
    """
    out = copy.deepcopy(data)
    for dotted, value in overrides.items():
        parts: list[str | int] = [int(p) if p.isdigit() else p for p in dotted.split(".")]
        node: Any = out
        for part in parts[:-1]:
            node = node[part]
        last = parts[-1]
        if value is DELETE:
            if isinstance(node, dict):
                node.pop(last, None)
            else:
                del node[last]
        elif isinstance(node, list) and last == len(node):
            node.append(copy.deepcopy(value))
        else:
            node[last] = copy.deepcopy(value)
    return out


class _Dumper(yaml.SafeDumper):
    """Writes repeated values out in full: no anchors and aliases in generated plans."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def plan_yaml(overrides: Mapping[str, Any] | None = None) -> str:
    data = apply_overrides(minimal_plan(), overrides or {})
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True)


WritePlan = Callable[..., Path]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def write_plan(tmp_path: Path) -> WritePlan:
    """Write a plan file under ``tmp_path`` and return its path.

    ``write_plan("a.yaml", {"plan.id": "a"})`` writes the minimal plan with
    overrides; ``write_plan("a.yaml", text="...")`` writes the text as it is.
    """

    def write(
        name: str = "plan.yaml",
        overrides: Mapping[str, Any] | None = None,
        *,
        text: str | bytes | None = None,
    ) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            text = plan_yaml(overrides)
        if isinstance(text, str):
            path.write_text(text, encoding="utf-8", newline="")
        else:
            path.write_bytes(text)
        return path

    return write


GOLDEN = Path(__file__).resolve().parent / "golden"


def assert_golden(name: str, actual: str) -> None:
    """Compare a rendered document with tests/golden/NAME in full.

    Regenerate after an intended change: UPDATE_GOLDEN=1 pytest
    """
    import os

    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")
