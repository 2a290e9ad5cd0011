"""The one validation pipeline: bytes -> loader -> model -> rules -> CheckResult.

Every path that validates a plan goes through here: ``validate`` on files, a
successor written by carry-forward, a plan read from a workbook, a version read
from git. Findings are collected, never raised one at a time; the caller decides
what they mean (an exit code, a refusal, a skipped version).
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from send_plan.errors import PlansInvalid
from send_plan.files import PlanPath, discover, read_bytes
from send_plan.findings import Finding
from send_plan.loader import LoadedFile, load_text
from send_plan.modelcheck import to_model
from send_plan.portfolio import Portfolio
from send_plan.rules import run_rules

DEFAULT_PATHS = (Path("plans"),)


@dataclass(frozen=True)
class CheckResult:
    files: tuple[str, ...]
    findings: tuple[Finding, ...]
    portfolio: Portfolio

    @property
    def error_count(self) -> int:
        return sum(1 for f in self.findings if f.is_error)

    @property
    def warning_count(self) -> int:
        return len(self.findings) - self.error_count

    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def success(self, *, strict: bool = False) -> bool:
        return self.ok and not (strict and self.warning_count)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector while large acyclic graphs are built.

    YAML node graphs and plan models hold no reference cycles, so reference
    counting frees them; the collector would only sweep them again and again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_file(plan_path: PlanPath) -> LoadedFile:
    loaded = load_text(plan_path.name, read_bytes(plan_path), _size(plan_path))
    to_model(loaded)
    return loaded


def _size(plan_path: PlanPath) -> int | None:
    try:
        return plan_path.path.stat().st_size
    except OSError:
        return None


def load_portfolio(paths: Sequence[Path] = DEFAULT_PATHS) -> tuple[Portfolio, list[Finding]]:
    """Read every plan file under ``paths``; raises PathError for a missing path."""
    found, skipped = discover(paths)
    with paused_gc():
        files = [load_file(p) for p in found]
    return Portfolio(files), skipped


def check_portfolio(portfolio: Portfolio, extra: Sequence[Finding] = ()) -> CheckResult:
    with paused_gc():
        findings = list(extra)
        for f in portfolio.files:
            findings.extend(f.findings)
        findings.extend(run_rules(portfolio))
    findings.sort(key=Finding.sort_key)
    return CheckResult(tuple(portfolio.names), tuple(findings), portfolio)


def check_text(
    name: str,
    data: bytes,
    *,
    portfolio: Portfolio | None = None,
    ignore: Collection[str] = (),
) -> CheckResult:
    """Validate one file's bytes as if it were read beside ``portfolio``.

    The result holds every finding of the file and of the rules run over the
    portfolio with the file added (codes in ``ignore`` left out); its portfolio
    is that trial portfolio, the new file last.
    """
    loaded = load_text(name, data)
    to_model(loaded)
    trial = Portfolio([*(portfolio.files if portfolio else ()), loaded])
    findings = [*loaded.findings, *run_rules(trial)]
    kept = sorted((f for f in findings if f.code not in ignore), key=Finding.sort_key)
    return CheckResult(tuple(trial.names), tuple(kept), trial)


def check(paths: Sequence[Path] = DEFAULT_PATHS) -> CheckResult:
    """Validate every plan file under ``paths`` (the public entry point)."""
    with paused_gc():
        portfolio, skipped = load_portfolio(paths)
        return check_portfolio(portfolio, skipped)


def require_valid(paths: Sequence[Path] = DEFAULT_PATHS) -> CheckResult:
    """The portfolio for a reporting command; raises PlansInvalid if it has errors."""
    result = check(paths)
    if not result.ok:
        raise PlansInvalid(result.findings, result.files)
    return result
