"""The wheel ships every subpackage and the templates."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed_for_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "send_plan").rglob("__init__.py")
    }
    assert found <= listed
    assert config["package-dir"]["send_plan.templates"] == "templates"


def test_the_pre_commit_hook_matches_plan_files_only() -> None:
    import re

    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "send-plan-validate")
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    pattern = re.compile(hook["files"])
    for path in ("plans/wsoa-2018.yaml", "plans/area/sip.yml", "plans/a b/é.yaml"):
        assert pattern.search(path), path
    for path in (
        "README.md",
        "docs/plans.yaml",
        ".github/workflows/ci.yml",
        "plans/notes.txt",
        "plans.yaml",
        "myplans/x.yaml",
        "plans/x.yaml.bak",
    ):
        assert not pattern.search(path), path
