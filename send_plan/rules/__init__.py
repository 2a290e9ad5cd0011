"""Validation rules: one small pure function per rule family.

Each rule takes the portfolio and yields findings; none raises, none stops at the
first problem. Rules that need a model see only the files that validated against
the schema; the privacy rule reads every file's text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from send_plan.findings import Finding
from send_plan.portfolio import Portfolio
from send_plan.rules import coherence, identity, indicators, privacy, references

Rule = Callable[[Portfolio], Iterator[Finding]]

RULES: tuple[Rule, ...] = (
    identity.duplicate_ids,
    identity.duplicate_plan_ids,
    identity.self_references,
    references.partners,
    references.judged_areas,
    references.carried_from,
    references.successor,
    references.dropped_actions,
    coherence.status_dates,
    coherence.date_order,
    coherence.rescheduling,
    coherence.ongoing_and_blue,
    coherence.due_within_plan,
    coherence.empty_areas,
    coherence.reviewer_warnings,
    indicators.indicators,
    indicators.evidence_links,
    privacy.children_identifiers,
)


def run_rules(portfolio: Portfolio) -> list[Finding]:
    findings: list[Finding] = []
    for rule in RULES:
        findings.extend(rule(portfolio))
    return findings
