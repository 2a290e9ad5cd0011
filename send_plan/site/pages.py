"""The whole site as files: each page rendered through its Jinja template, each
picture drawn, the stylesheet beside them. Returns ``{path: bytes}``; writing is
:mod:`send_plan.site.output`'s work.

Templates are ``templates/site/*.j2`` (package data). A council's own folder
(``--templates``) may hold any of them under the same name, and ``site.css``:
a file there is used instead of the built-in one, and the others stay. Every
template renders in the package's immutable sandbox with autoescaping, so plan
text is always escaped; a template may include only plain names (no folders,
no ``..``), and a file of the council's folder is read only if its real path is
in that folder (a link leading out of it is refused), which confines a user's
templates to their folder.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from os.path import lexists
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment, TemplateNotFound

from send_plan import limits
from send_plan.portfolio import Portfolio
from send_plan.render.jinja import (
    TemplateProblem,
    TemplateRefused,
    builtin_template,
    environment,
    read_confined,
    render_in,
)
from send_plan.site import charts
from send_plan.site.context import Site, area_page, glossary_page, index_page
from send_plan.site.layout import GLOSSARY, INDEX, STYLESHEET
from send_plan.site.plan import ChartJob, plan_page

#: The site's pages may together render for this many times the time one template
#: may take (the 2,252 pages of a 50,000-action portfolio took 16 s in all).
SITE_SECONDS = 10
#: The built-in site templates, and the stylesheet, as a council may replace them.
TEMPLATES = (
    "base.html.j2",
    "macros.html.j2",
    "index.html.j2",
    "plan.html.j2",
    "area.html.j2",
    "glossary.html.j2",
    STYLESHEET,
)


class SiteLoader(BaseLoader):
    """A council's folder first, then the built-in ``templates/site/``."""

    def __init__(self, folder: Path | None = None) -> None:
        if folder is not None and not folder.is_dir():
            raise TemplateProblem(f"{folder}: no such templates folder")
        self.folder = folder

    def _own(self, name: str) -> Path | None:
        if self.folder is None:
            return None
        path = self.folder / name
        return path if lexists(path) and not path.is_dir() else None

    def shown(self, name: str) -> str:
        """The template's name as the user knows it, for messages."""
        own = self._own(name)
        return str(own) if own is not None else f"templates/site/{name}"

    def read(self, name: str) -> str:
        if not name or "/" in name or "\\" in name or name.startswith("."):
            raise TemplateNotFound(name)
        if self.folder is not None:
            own = read_confined(self.folder, name)
            if own is not None:
                return own
        return builtin_template(f"site/{name}")

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        return self.read(template), self.shown(template), lambda: True


def draw(job: ChartJob) -> bytes:
    """One chart's SVG."""
    if job.kind == "areas":
        return charts.areas_chart(job.labels, job.counts)
    return charts.trend_chart(job.values, job.trajectory, percent=job.percent)


def build_site(
    portfolio: Portfolio, as_of: date, *, templates: Path | None = None
) -> dict[str, bytes]:
    """Every file of the site, by its path inside the site folder, in sorted order."""
    loader = SiteLoader(templates)
    env = environment(loader, autoescape=True)
    site = Site.of(portfolio, as_of)
    files: dict[str, bytes] = {}

    def page(path: str, template: str, context: Mapping[str, Any]) -> None:
        text = render_in(env, template, dict(context), loader.shown(template))
        files[path] = text.encode("utf-8")

    with env.rendering(total=SITE_SECONDS * limits.MAX_TEMPLATE_SECONDS):  # pages share it
        page(INDEX, "index.html.j2", index_page(site))
        page(GLOSSARY, "glossary.html.j2", glossary_page(site))
        for plan in site.plans:
            places = site.layout.plans[plan.id]
            context, jobs = plan_page(site, plan)
            files.update((job.path, draw(job)) for job in jobs)
            page(places.page(), "plan.html.j2", context)
            for i, name in enumerate(places.area_files):
                page(places.page(name), "area.html.j2", area_page(site, plan, i))
    try:
        files[STYLESHEET] = loader.read(STYLESHEET).encode("utf-8")
    except TemplateRefused as exc:
        raise TemplateProblem(f"{loader.shown(STYLESHEET)}: {exc.message}") from None
    except TemplateNotFound:
        raise TemplateProblem(f"templates/site/{STYLESHEET}: not found") from None
    return dict(sorted(files.items()))
