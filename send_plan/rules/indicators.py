"""Indicators and evidence: the measures a plan is judged by, checked on their own
terms (ids, references, dates in order, figures in range), and evidence links that
are safe to publish."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from send_plan.findings import Finding
from send_plan.loader import LoadedFile
from send_plan.model import EvidenceItem, Indicator, Plan
from send_plan.portfolio import Portfolio
from send_plan.vocab import Polarity, Unit, nearest

Loc = tuple[str | int, ...]


def indicators(portfolio: Portfolio) -> Iterator[Finding]:
    """Each indicator: unique id, real references, ordered dates, figures in range."""
    for f, plan in portfolio.modelled():
        if not plan.indicators:
            continue
        seen: set[str] = set()
        # the ids are gathered once per plan: an indicator list checked against a
        # 10,000-action plan must not walk the actions again for each indicator
        ids = _Ids([a.id for a in plan.areas], [a.id for _, _, _, a in plan.iter_actions()])
        for k, ind in enumerate(plan.indicators):
            at: Loc = ("indicators", k)
            if ind.id in seen:
                yield f.finding(
                    "E501",
                    f"indicator id '{ind.id}' is used twice in this plan; give each its own id",
                    (*at, "id"),
                    obj=ind.id,
                )
            seen.add(ind.id)
            yield from _references(f, plan, ind, at, ids)
            yield from _dates(f, ind, at)
            yield from _figures(f, ind, at)


class _Ids:
    """A plan's area and action ids, in file order and as sets to look up."""

    def __init__(self, areas: list[str], actions: list[str]) -> None:
        self.ordered = {"areas": areas, "actions": actions}
        self.known = {"areas": set(areas), "actions": set(actions)}


def _references(f: LoadedFile, plan: Plan, ind: Indicator, at: Loc, ids: _Ids) -> Iterator[Finding]:
    for key, what in (("areas", "area"), ("actions", "action")):
        for n, ident in enumerate(getattr(ind, key)):
            if ident not in ids.known[key]:
                guess = nearest(ident, ids.ordered[key])
                hint = f": did you mean '{guess}'?" if guess else ""
                yield f.finding(
                    "E502",
                    f"'{ident}' is not an {what} of this plan{hint}",
                    (*at, key, n),
                    obj=ind.id,
                )
    if ind.partner is not None and ind.partner not in plan.partners:
        guess = nearest(ind.partner, list(plan.partners))
        listed = ", ".join(plan.partners) or "none are listed"
        yield f.finding(
            "E503",
            f"partner '{ind.partner}' is not one of this plan's partners ({listed})"
            + (f": did you mean '{guess}'?" if guess else ""),
            (*at, "partner"),
            obj=ind.id,
        )


def _dates(f: LoadedFile, ind: Indicator, at: Loc) -> Iterator[Finding]:
    for key, dates in (
        ("targets", [t.by for t in ind.targets]),
        ("values", [v.date for v in ind.values]),
    ):
        field = "by" if key == "targets" else "date"
        for n in range(1, len(dates)):
            before, now = dates[n - 1], dates[n]
            if now <= before:
                what = "target" if key == "targets" else "value"
                problem = "has the same date as" if now == before else "comes before"
                yield f.finding(
                    "E504",
                    f"this {what} ({now}) {problem} the one above it ({before}); list "
                    f"{key} oldest first, one per date",
                    (*at, key, n, field),
                    obj=ind.id,
                )
    if ind.baseline is not None and ind.values and ind.baseline.date > ind.values[0].date:
        yield f.finding(
            "W501",
            f"the baseline is dated {ind.baseline.date}, after the first value "
            f"({ind.values[0].date}); a baseline is the position before the work began",
            (*at, "baseline", "date"),
            obj=ind.id,
        )


def _figures(f: LoadedFile, ind: Indicator, at: Loc) -> Iterator[Finding]:
    percent = ind.unit is Unit.PERCENT
    duration = ind.unit in (Unit.DAYS, Unit.WEEKS)
    for loc, value in _all_figures(ind, at, percent=percent, duration=duration):
        if percent and not 0 <= value <= 100:
            yield f.finding(
                "E505",
                f"{_show(value)} is not a percentage: a percent figure lies between 0 and 100",
                loc,
                obj=ind.id,
            )
        if duration and value < 0 and loc[2] != "comparators":
            yield f.finding(
                "E506",
                f"{_show(value)} {ind.unit.value} cannot be negative",
                loc,
                obj=ind.id,
            )
    if ind.tolerance is not None and ind.tolerance < 0:
        yield f.finding(
            "E507",
            f"tolerance {_show(ind.tolerance)} is negative; it is how far from the "
            "trajectory still counts as amber, 0 or more",
            (*at, "tolerance"),
            obj=ind.id,
        )
    if ind.polarity is Polarity.CONTEXT:
        # any tolerance, 0 included, is a tolerance given: context is never rated
        for key, given in (
            ("targets", bool(ind.targets)),
            ("tolerance", ind.tolerance is not None),
        ):
            if given:
                yield f.finding(
                    "E508",
                    f"a context indicator is watched, not rated: remove '{key}', or give it "
                    "polarity higher-is-better or lower-is-better",
                    (*at, key),
                    key=True,
                    obj=ind.id,
                )


def _all_figures(
    ind: Indicator, at: Loc, *, percent: bool, duration: bool
) -> Iterator[tuple[Loc, float]]:
    """The figures that may be out of range for the unit, with their places (a
    place is built only for a figure that needs one: plans hold thousands)."""
    if not (percent or duration):
        return
    low = 0.0
    high = 100.0 if percent else float("inf")
    if ind.baseline is not None:
        yield (*at, "baseline", "value"), ind.baseline.value
    for key, figures in (
        ("targets", [t.value for t in ind.targets]),
        ("comparators", [c.value for c in ind.comparators]),
        ("values", [v.value for v in ind.values]),
    ):
        for n, figure in enumerate(figures):
            if not low <= figure <= high:
                yield (*at, key, n, "value"), figure


def _show(value: float) -> str:
    return f"{value:g}"


def evidence_links(portfolio: Portfolio) -> Iterator[Finding]:
    """An evidence link must be an http or https address: plans are published."""
    for f, plan in portfolio.modelled():
        for i, _, j, a in plan.iter_actions():
            for n, item in enumerate(a.evidence):
                link = item.link if isinstance(item, EvidenceItem) else None
                if link is not None and not _web_address(link):
                    yield f.finding(
                        "E219",
                        f"evidence link {link!r} is not a web address: give an http:// or "
                        "https:// link (plans are published, so other kinds of link are "
                        "refused)",
                        ("areas", i, "actions", j, "evidence", n, "link"),
                        obj=a.id,
                    )


def _web_address(link: str) -> bool:
    parts = urlsplit(link.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and link == link.strip()
