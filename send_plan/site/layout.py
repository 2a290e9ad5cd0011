"""Where everything goes in the site: a file for each page and picture, an anchor
for each action and indicator, all made from slugs so that no plan text (an area
called ``../x`` or ``P1 / P2``) ever becomes part of a path.

    index.html  glossary.html  site.css
    <plan>/index.html  <plan>/areas.svg
    <plan>/area-<area>.html  <plan>/indicator-<indicator>.svg

Every link is relative: a page one folder down reaches the top with ``../``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from send_plan.model import Plan
from send_plan.site.words import slug

INDEX = "index.html"
GLOSSARY = "glossary.html"
STYLESHEET = "site.css"
AREAS_CHART = "areas.svg"


@dataclass
class PlanPlaces:
    """One plan's folder, its area pages and the anchors of its actions."""

    folder: str
    #: area index in the plan -> the area page's file name (inside the folder)
    area_files: list[str] = field(default_factory=list)
    #: action id -> (area page file name, anchor)
    actions: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: indicator index in the plan -> its slug (anchor and chart name)
    indicators: list[str] = field(default_factory=list)

    def page(self, name: str = INDEX) -> str:
        """A file of this plan, from the top of the site."""
        return f"{self.folder}/{name}"


@dataclass
class Layout:
    plans: dict[str, PlanPlaces] = field(default_factory=dict)

    @classmethod
    def of(cls, plans: list[Plan]) -> Layout:
        layout = cls()
        folders: set[str] = set()
        for plan in plans:
            places = PlanPlaces(slug(plan.id, folders, fallback="plan"))
            area_names: set[str] = set()
            for area in plan.areas:
                file = f"area-{slug(area.id, area_names, fallback='area')}.html"
                places.area_files.append(file)
                anchors: set[str] = set()
                for action in area.actions:
                    anchor = "action-" + slug(action.id, anchors, fallback="action")
                    places.actions.setdefault(action.id, (file, anchor))
            names: set[str] = set()
            places.indicators = [slug(i.id, names, fallback="indicator") for i in plan.indicators]
            layout.plans[plan.id] = places
        return layout

    def action_href(self, plan_id: str, action_id: str, *, root: str) -> str | None:
        """A link to an action on its area page, from a page ``root`` below the top."""
        places = self.plans.get(plan_id)
        if places is None or action_id not in places.actions:
            return None
        file, anchor = places.actions[action_id]
        return f"{root}{places.folder}/{file}#{anchor}"
