"""References between plans and inside them: partners, carried_from, successors,
and the closing rule that no open action may silently vanish."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from send_plan.findings import Finding
from send_plan.portfolio import Portfolio
from send_plan.vocab import ActionStatus, PlanStatus, nearest


def _unknown_partner(partner: str, partners: Mapping[str, str]) -> str:
    known = list(partners)
    listed = ", ".join(known) if known else "none are listed"
    message = f"partner '{partner}' is not one of this plan's partners ({listed})"
    by_name = {name.casefold(): key for key, name in partners.items()}
    key = by_name.get(partner.strip().casefold())
    if key is not None:
        return f"{message}: write its key '{key}' (the key of '{partners[key]}')"
    guess = nearest(partner, known) or nearest(partner, list(partners.values()))
    if guess in partners.values():
        guess = next(k for k, name in partners.items() if name == guess)
    if guess:
        return f"{message}: did you mean '{guess}'?"
    return f"{message}; add it under 'partners:'"


def partners(portfolio: Portfolio) -> Iterator[Finding]:
    """Rule 5: every partner named must be a key of the plan's `partners`."""
    for f, plan in portfolio.modelled():
        for k, entry in enumerate(plan.plan.accountable):
            if entry.partner is not None and entry.partner not in plan.partners:
                yield f.finding(
                    "E203",
                    _unknown_partner(entry.partner, plan.partners),
                    ("plan", "accountable", k, "partner"),
                )
        for i, _, j, action in plan.iter_actions():
            at: tuple[str | int, ...] = ("areas", i, "actions", j, "partner")
            joint = not isinstance(action.partner, str)
            for k, partner in enumerate(action.partners):
                if partner not in plan.partners:
                    yield f.finding(
                        "E203",
                        _unknown_partner(partner, plan.partners),
                        (*at, k) if joint else at,
                        obj=action.id,
                    )


def judged_areas(portfolio: Portfolio) -> Iterator[Finding]:
    """A review's area judgement must name an area of the plan."""
    for f, plan in portfolio.modelled():
        ids = [area.id for area in plan.areas]
        for r, review in enumerate(plan.reviews):
            for k, judged in enumerate(review.areas):
                if judged.area not in ids:
                    guess = nearest(judged.area, ids)
                    hint = f": did you mean '{guess}'?" if guess else f" ({', '.join(ids)})"
                    yield f.finding(
                        "E218",
                        f"the review of {review.date} judges area '{judged.area}', which is "
                        f"not an area of this plan{hint}",
                        ("reviews", r, "areas", k, "area"),
                    )


#: A source action that has ended: its warning, and what to say of it.
_ENDED_SOURCE = {
    ActionStatus.COMPLETE: (
        "W204",
        "is complete; check the reference, or say what work remains",
    ),
    ActionStatus.WITHDRAWN: ("W208", "was withdrawn; check the reference"),
}


def carried_from(portfolio: Portfolio) -> Iterator[Finding]:
    """Rule 5 and warnings: carried_from must name a real action of a known plan."""
    for f, plan in portfolio.modelled():
        for i, _, j, action in plan.iter_actions():
            source = action.carried_source()
            if source is None or source[0] == plan.id:
                continue
            loc = ("areas", i, "actions", j, "carried_from")
            source_plan_id, source_action_id = source
            source_plan = portfolio.plan(source_plan_id)
            if source_plan is None:
                if source_plan_id not in portfolio.known_ids:
                    yield f.finding(
                        "W202",
                        f"carried_from names plan '{source_plan_id}', which is not among the "
                        f"files read ({portfolio.read_list()}); give the plans folder to "
                        "check the whole portfolio",
                        loc,
                        obj=action.id,
                    )
                continue  # the plan is there but invalid: its own findings say why
            target = portfolio.action(source)
            if target is None:
                ids = [a.id for _, _, _, a in source_plan.iter_actions()]
                guess = nearest(source_action_id, ids)
                yield f.finding(
                    "E212",
                    f"carried_from '{action.carried_from}': plan '{source_plan_id}' has no "
                    f"action '{source_action_id}'"
                    + (f"; did you mean '{source_plan_id}/{guess}'?" if guess else ""),
                    loc,
                    obj=action.id,
                )
            elif target.status in _ENDED_SOURCE:
                code, what = _ENDED_SOURCE[target.status]
                message = f"carried_from '{action.carried_from}' points at an action that {what}"
                yield f.finding(code, message, loc, obj=action.id)
            else:
                successor = source_plan.plan.successor
                if successor is not None and successor != plan.id:
                    yield f.finding(
                        "W209",
                        f"carries '{action.carried_from}' forward, but plan "
                        f"'{source_plan_id}' names '{successor}' as its successor",
                        loc,
                        obj=action.id,
                    )


def successor(portfolio: Portfolio) -> Iterator[Finding]:
    """Rule 5: a successor that is not among the files read is a warning."""
    for f, plan in portfolio.modelled():
        name = plan.plan.successor
        if name is None or name == plan.id or name in portfolio.known_ids:
            continue
        yield f.finding(
            "W201",
            f"successor plan '{name}' is not among the files read ({portfolio.read_list()}); "
            "give the plans folder to check the whole portfolio",
            ("plan", "successor"),
        )


def dropped_actions(portfolio: Portfolio) -> Iterator[Finding]:
    """Rule 8: a closed plan's open actions must be carried forward or withdrawn."""
    carried = portfolio.carried_to
    for f, plan in portfolio.modelled():
        if plan.plan.status is not PlanStatus.CLOSED:
            continue
        dropped = [
            (i, j, action)
            for i, _, j, action in plan.iter_actions()
            if action.is_open and (plan.id, action.id) not in carried
        ]
        if not dropped:
            continue
        name = plan.plan.successor
        if name is not None and name not in portfolio.known_ids:
            ids = ", ".join(a.id for _, _, a in dropped)
            yield f.finding(
                "W206",
                f"the plan is closed with {len(dropped)} open action(s) that no plan read "
                f"carries forward ({ids}); successor '{name}' is not among the files read, "
                "so they cannot be checked",
                ("plan", "status"),
            )
            continue
        if name is not None and name not in portfolio.plans:
            continue  # the successor is there but invalid: its own findings say why
        for i, j, action in dropped:
            where = f"'{name}'" if name else "a successor plan"
            yield f.finding(
                "E214",
                f"the plan is closed but action {action.id} is {action.status.value} and "
                f"no plan carries it forward: add 'carried_from: {plan.id}/{action.id}' "
                f"to an action in {where}, or withdraw it with a withdrawn_reason",
                ("areas", i, "actions", j, "status"),
                obj=action.id,
            )
