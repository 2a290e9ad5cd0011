"""A portfolio: every plan file read in one run, and the indexes across them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from send_plan.errors import PlanNotFound
from send_plan.loader import LoadedFile
from send_plan.model import Action, Plan
from send_plan.words import listed

ActionRef = tuple[str, str]  # (plan id, action id)


@dataclass
class Portfolio:
    files: list[LoadedFile] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.files]

    @cached_property
    def plans(self) -> dict[str, LoadedFile]:
        """Wholly valid plans by id (the first file wins when two share an id)."""
        out: dict[str, LoadedFile] = {}
        for f in self.files:
            if f.plan is not None and not f.partial:
                out.setdefault(f.plan.plan.id, f)
        return out

    def modelled(self) -> Iterator[tuple[LoadedFile, Plan]]:
        """Every file that has a model, partial ones included, with its model."""
        for f in self.files:
            if f.plan is not None:
                yield f, f.plan

    def valid(self) -> Iterator[tuple[LoadedFile, Plan]]:
        """The wholly valid plans (first file per id), each with its file."""
        for f in self.plans.values():
            assert f.plan is not None  # only modelled files are in ``plans``
            yield f, f.plan

    @cached_property
    def known_ids(self) -> set[str]:
        """Every plan id written in a file read, valid or not."""
        return {pid for f in self.files if (pid := f.plan_id) is not None}

    def plan(self, plan_id: str) -> Plan | None:
        f = self.plans.get(plan_id)
        return f.plan if f is not None else None

    def valid_plans(self) -> Iterator[Plan]:
        for _, plan in self.valid():
            yield plan

    @cached_property
    def carried_to(self) -> dict[ActionRef, list[ActionRef]]:
        """Every successor action that names each source action in carried_from."""
        out: dict[ActionRef, list[ActionRef]] = {}
        for plan in self.valid_plans():
            for _, _, _, action in plan.iter_actions():
                source = action.carried_source()
                if source is not None:
                    out.setdefault(source, []).append((plan.id, action.id))
        return out

    def action(self, ref: ActionRef) -> Action | None:
        plan = self.plan(ref[0])
        if plan is None:
            return None
        for area in plan.areas:
            for action in area.actions:
                if action.id == ref[1]:
                    return action
        return None

    def read_list(self) -> str:
        """The files read, for messages about plans that are not among them."""
        names = self.names
        return f"files read: {listed(names, 5)}" if names else "no files read"

    def require_plan(self, plan_id: str | None) -> Plan:
        """The valid plan ``plan_id``; with None, the only plan read.

        Raises :class:`PlanNotFound` (which names the plans read) otherwise.
        """
        ids = list(self.plans)
        if plan_id is None:
            if len(ids) != 1:
                raise PlanNotFound(
                    f"several plans were read ({listed(ids)}); say which one",
                    plan_id=None,
                    known=ids,
                )
            plan_id = ids[0]
        found = self.plan(plan_id)
        if found is None:
            raise PlanNotFound(
                f"no plan '{plan_id}' among the files read (plans: {listed(ids)})",
                plan_id=plan_id,
                known=ids,
            )
        return found
