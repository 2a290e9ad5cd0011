"""Jinja rendering, always sandboxed.

Built-in templates are package data (``send_plan.templates``, the repository's
top-level ``templates/`` folder) read through importlib.resources. A user's
template (``--template PATH``) renders with the same context; it may include or
extend only templates in its own folder. Every template runs in Jinja's immutable
sandbox with StrictUndefined, so a misspelt variable is an error naming the
template line, and an attempt to reach Python internals is refused.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from send_plan.errors import SendPlanError
from send_plan.formats import markdown
from send_plan.render.labels import AREA_KIND, POSITION, RAG, RAG_FILL, STATE
from send_plan.words import long_date


class TemplateProblem(SendPlanError):
    """A template that cannot be read or rendered (exit status 2)."""


class _PackageLoader(BaseLoader):
    """Built-in templates, from the installed package's data."""

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        source = builtin_template(template)
        return source, f"templates/{template}", lambda: True


def templates_folder() -> Traversable:
    """The built-in templates: package data when installed, else the source tree's."""
    try:
        return resources.files("send_plan.templates")
    except ModuleNotFoundError:  # running from a source checkout that shadows the install
        return Path(__file__).resolve().parents[2] / "templates"


def builtin_template(name: str) -> str:
    try:
        return templates_folder().joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise TemplateNotFound(name) from None


def environment(loader: BaseLoader, *, autoescape: bool) -> Environment:
    env = ImmutableSandboxedEnvironment(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        long_date=long_date,
        md=markdown.cell,
        rag_label=lambda v: RAG.get(v or "unrated", str(v)),
        rag_fill=lambda v: RAG_FILL.get(v or "unrated", "FFFFFF"),
        position_label=lambda v: POSITION.get(v, str(v)),
        state_label=lambda v: STATE.get(v, str(v)),
        area_kind_label=lambda v: AREA_KIND.get(v, str(v)),
    )
    return env


#: What rendering a template may raise: each becomes one line, never a traceback.
RENDER_ERRORS = (TemplateError, TypeError, ValueError, ArithmeticError, LookupError)


def render(
    name: str, context: dict[str, Any], *, html: bool, template_path: Path | None = None
) -> str:
    """Render a built-in template by name, or the user's template at ``template_path``."""
    if template_path is not None:
        if not template_path.is_file():
            raise TemplateProblem(f"{template_path}: no such template file")
        loader: BaseLoader = FileSystemLoader(str(template_path.parent), followlinks=False)
        name = template_path.name
        shown = str(template_path)
    else:
        loader = _PackageLoader()
        shown = f"templates/{name}"
    env = environment(loader, autoescape=html)
    try:
        return env.get_template(name).render(context)
    except TemplateSyntaxError as exc:
        where = exc.filename or shown
        raise TemplateProblem(
            f"{where}:{exc.lineno}: template syntax error: {exc.message}"
        ) from None
    except RENDER_ERRORS as exc:
        raise explain(exc, shown, f"{shown}{_line(exc, shown)}") from None


def explain(exc: BaseException, shown: str, where: str) -> TemplateProblem:
    """The one-line message for a template that failed while rendering.

    ``shown`` names the template; ``where`` is that name with the place in it.
    """
    if isinstance(exc, SecurityError):
        return TemplateProblem(
            f"{where}: refused: the template tries to reach Python internals ({exc})"
        )
    if isinstance(exc, UndefinedError):
        return TemplateProblem(f"{where}: {exc.message}")
    if isinstance(exc, TemplateNotFound):
        return TemplateProblem(
            f"{shown}: template '{exc.name}' not found (templates may include only "
            "templates in their own folder)"
        )
    if isinstance(exc, TemplateError):
        return TemplateProblem(f"{where}: {exc}")
    return TemplateProblem(f"{where}: {type(exc).__name__}: {exc}")


def _line(exc: BaseException, shown: str) -> str:
    """':LINE' of the innermost template frame in the traceback, if any."""
    line = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and (frame.filename.endswith(".j2") or frame.filename == shown):
            line = f":{frame.lineno}"
    return line
