"""Jinja rendering, always sandboxed.

Built-in templates are package data (``send_plan.templates``, the repository's
top-level ``templates/`` folder) read through importlib.resources. A user's
template (``--template PATH``) renders with the same context; it may include or
extend only templates in its own folder, judged by real paths (a link that
leads out of the folder is refused, and so is anything but a regular file).
Every template runs in the bounded immutable sandbox
(:mod:`send_plan.render.sandbox`) with StrictUndefined, so a misspelt variable
is an error naming the template line, an attempt to reach Python internals is
refused, and a template that asks for too much stops with a one-line error.
"""

from __future__ import annotations

import os
import stat
import traceback
from collections.abc import Callable
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    Environment,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path

from send_plan import limits
from send_plan.errors import SendPlanError
from send_plan.formats import markdown
from send_plan.render.labels import AREA_KIND, POSITION, RAG, RAG_FILL, STATE
from send_plan.render.sandbox import BoundedSandbox
from send_plan.words import long_date


class TemplateProblem(SendPlanError):
    """A template that cannot be read or rendered (exit status 2)."""


class TemplateRefused(TemplateNotFound):
    """A template name that leads out of the template folder, or to no regular file."""

    def __init__(self, name: str, why: str) -> None:
        super().__init__(name, f"template '{name}' {why}")


def read_confined(folder: Path, name: str) -> str | None:
    """The text of template ``name`` in ``folder``; None if there is no such file.

    Real paths decide: a name (or a link on its way) that leads out of the
    folder is refused, and so is a file that is not a regular file (a pipe,
    a device) or is larger than a template may be.
    """
    pieces = split_template_path(name)  # refuses '..'
    root = Path(os.path.realpath(folder))
    path = Path(os.path.realpath(root.joinpath(*pieces)))
    if not path.is_relative_to(root):
        raise TemplateRefused(name, "leads outside the template folder (through a link)")
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise TemplateRefused(name, f"cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        if stat.S_ISDIR(info.st_mode):
            return None
        raise TemplateRefused(name, "is not a regular file")
    if info.st_size > limits.MAX_TEMPLATE_VALUE:
        raise TemplateRefused(
            name,
            f"is {info.st_size:,} bytes; templates are limited to "
            f"{limits.MAX_TEMPLATE_VALUE:,} (set SEND_PLAN_MAX_TEMPLATE_VALUE to change)",
        )
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateRefused(name, f"cannot be read ({exc})") from None


class FolderLoader(BaseLoader):
    """A user's templates: only regular files whose real path is in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        source = read_confined(self.folder, template)
        if source is None:
            raise TemplateNotFound(template)
        return source, str(self.folder / template), lambda: True


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


def environment(loader: BaseLoader, *, autoescape: bool) -> BoundedSandbox:
    return BoundedSandbox(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        filters={
            "long_date": long_date,
            "md": markdown.cell,
            "md_link": markdown.link,
            "rag_label": lambda v: RAG.get(v or "unrated", str(v)),
            "rag_fill": lambda v: RAG_FILL.get(v or "unrated", "FFFFFF"),
            "position_label": lambda v: POSITION.get(v, str(v)),
            "state_label": lambda v: STATE.get(v, str(v)),
            "area_kind_label": lambda v: AREA_KIND.get(v, str(v)),
        },
    )


#: What rendering a template may raise: each becomes one line, never a traceback.
#: (RecursionError: a macro or include that calls itself; MemoryError: the last
#: line of defence behind the bounds of the sandbox.)
RENDER_ERRORS = (
    TemplateError,
    TypeError,
    ValueError,
    ArithmeticError,
    LookupError,
    RecursionError,
    MemoryError,
)


def render(
    name: str, context: dict[str, Any], *, html: bool, template_path: Path | None = None
) -> str:
    """Render a built-in template by name, or the user's template at ``template_path``."""
    if template_path is not None:
        if not template_path.is_file():
            raise TemplateProblem(f"{template_path}: no such template file")
        loader: BaseLoader = FolderLoader(template_path.parent)
        name = template_path.name
        shown = str(template_path)
    else:
        loader = _PackageLoader()
        shown = f"templates/{name}"
    return render_in(environment(loader, autoescape=html), name, context, shown)


def render_in(env: Environment, name: str, context: dict[str, Any], shown: str) -> str:
    """Render template ``name`` of ``env``; every failure becomes a TemplateProblem
    that names ``shown`` (the template as the user knows it) and the line."""
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
    if isinstance(exc, TemplateRefused):
        return TemplateProblem(f"{shown}: {exc.message}")
    if isinstance(exc, TemplateNotFound):
        return TemplateProblem(
            f"{shown}: template '{exc.name}' not found (templates may include only "
            "templates in their own folder)"
        )
    if isinstance(exc, TemplateError):
        return TemplateProblem(f"{where}: {exc}")
    if isinstance(exc, RecursionError):
        return TemplateProblem(
            f"{where}: stopped: a macro, include or import calls itself without end "
            "(recursion too deep)"
        )
    if isinstance(exc, MemoryError):
        return TemplateProblem(f"{where}: stopped: the template needs more memory than there is")
    return TemplateProblem(f"{where}: {type(exc).__name__}: {exc}")


def _line(exc: BaseException, shown: str) -> str:
    """':LINE' of the innermost template frame in the traceback, if any."""
    line = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and (frame.filename.endswith(".j2") or frame.filename == shown):
            line = f":{frame.lineno}"
    return line
