"""The template sandbox: Jinja's immutable sandbox, with every rendering bounded.

A template is user input, so besides refusing Python internals (Jinja's
sandbox) a rendering must end, and soon, whatever the template asks:

- every operator, method and filter that can make a large value checks its
  size first (:mod:`send_plan.render.bounds`): ``'a' * 10**10``,
  ``center(10**10)`` and ``'{0:>1000000000}'.format(1)`` are refused before
  anything is allocated;
- the output is counted as it is produced, and so is the text macros and
  blocks put together, which a template might never print;
- a deadline is looked at between output chunks, on every call, and every
  thousand items of every loop, so that loops that print nothing stop too;
- a template's source is bounded in characters and tokens, so that compiling
  it cannot take minutes.

Each bound passed raises :class:`~send_plan.render.bounds.TemplateLimit`, a
Jinja ``TemplateError``, which the callers turn into their one-line message.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from string import Formatter
from typing import Any, cast

from jinja2 import Template, nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from jinja2.runtime import Context, markup_join, str_join
from jinja2.sandbox import (
    ImmutableSandboxedEnvironment,
    SandboxedEscapeFormatter,
    SandboxedFormatter,
)
from markupsafe import Markup

from send_plan import limits
from send_plan.render.bounds import (
    TICK,
    Budget,
    TemplateLimit,
    bounded_filter,
    bounded_lipsum,
    check_binop,
    check_method,
    check_spec,
)

#: The most tokens (names, values, operators, runs of text) in one template.
MAX_TOKENS = 100_000


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with bounds on size, output and time."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *, filters: Mapping[str, Callable[..., Any]], **options: Any) -> None:
        super().__init__(extensions=[SourceBound], **options)
        self.template_class = BoundedTemplate
        self.code_generator_class = BoundedCodeGenerator
        self.finalize = self.bounded_output
        self.concat = self.bounded_concat  # type: ignore[method-assign]
        self._state = _State()  # shared with overlays
        self.filters.update(filters)
        self.filters = {
            name: bounded_filter(name, f, self.budget) for name, f in self.filters.items()
        }
        lipsum = cast(Callable[..., str], self.globals["lipsum"])
        self.globals["lipsum"] = bounded_lipsum(lipsum, self.budget)

    def budget(self) -> Budget:
        """The budget of the rendering under way (a fresh one outside a rendering)."""
        return self._state.budget or Budget()

    @contextmanager
    def rendering(self, total: int | None = None) -> Iterator[Budget]:
        """One budget for everything rendered inside: the parts of a Word template
        share one allowance of time; the pages of a site may together run ``total``
        seconds (see :class:`~send_plan.render.bounds.Budget`)."""
        if self._state.budget is not None:
            yield self._state.budget
            return
        self._state.budget = Budget(total)
        try:
            yield self._state.budget
        finally:
            self._state.budget = None

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        check_binop(self.budget(), operator, left, right)
        return super().call_binop(context, operator, left, right)

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        budget = self.budget()
        budget.tick()
        args, kwargs = check_method(budget, obj, args, kwargs)
        return super().call(context, obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``str.format`` and ``str.format_map`` through a formatter that bounds
        each field's width and the result (as Jinja's sandbox does, bounded)."""
        if not isinstance(value, (types.MethodType, types.BuiltinMethodType)) or (
            value.__name__ not in ("format", "format_map")
        ):
            return None
        owner = value.__self__
        if not isinstance(owner, str):
            return None
        formatter: Formatter = (
            BoundedEscapeFormatter(self, escape=owner.escape)
            if isinstance(owner, Markup)
            else BoundedFormatter(self)
        )
        kind, mapping = type(owner), value.__name__ == "format_map"

        def wrapper(*args: Any, **kwargs: Any) -> str:
            if not mapping:
                return kind(formatter.vformat(owner, args, kwargs))
            if kwargs or len(args) != 1:
                raise TypeError("format_map() takes exactly one argument, a mapping")
            return kind(formatter.vformat(owner, (), args[0]))

        return wrapper

    def bounded_output(self, value: Any) -> Any:
        """What ``{{ ... }}`` prints, measured before it is turned into text."""
        self.budget().check_value(value)
        return value

    def bounded_concat(self, parts: Iterable[str]) -> str:
        """The text of a macro, a ``{% set %}`` block or a ``{% call %}`` block."""
        listed = list(parts)
        self.budget().count_built(sum(len(part) for part in listed))
        return "".join(listed)

    def bounded_join(self, context: Context, escape: bool | None, parts: tuple[Any, ...]) -> str:
        """``a ~ b``: the parts measured before they are joined."""
        budget = self.budget()
        budget.check(sum(budget.size(part) for part in parts))
        if escape is None:
            escape = context.eval_ctx.autoescape
        return markup_join(parts) if escape else str_join(parts)

    def bounded_iter(self, iterable: Any) -> Any:
        """A loop's items, looking at the clock every thousand of them."""
        if isinstance(iterable, (list, tuple, dict, str, range)) and len(iterable) <= TICK:
            return iterable
        return self._ticking(iterable)

    def _ticking(self, iterable: Iterable[Any]) -> Iterator[Any]:
        budget = self.budget()
        for i, item in enumerate(iterable):
            if i % TICK == 0:
                budget.tick()
            yield item


class _State:
    """The budget of the rendering under way, if any."""

    budget: Budget | None = None


class BoundedTemplate(Template):
    """A template whose rendering is streamed and counted against its budget."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        env = self.environment
        assert isinstance(env, BoundedSandbox)
        context = self.new_context(dict(*args, **kwargs))
        try:
            with env.rendering() as budget:
                budget.start()
                try:
                    return "".join(_counted(self.root_render_func(context), budget))
                finally:
                    budget.stop()
        except Exception:
            env.handle_exception()


def _counted(chunks: Iterable[str], budget: Budget) -> list[str]:
    """The chunks of a rendering, listed, counting them and watching the clock
    (in line: this runs for every chunk of every document)."""
    parts: list[str] = []
    made, most = budget.output, budget.max_output
    try:
        for chunk in chunks:
            made += len(chunk)
            if made > most:
                raise budget.output_passed()
            if not len(parts) & 255:
                budget.tick()
            parts.append(chunk)
    finally:
        budget.output = made
    return parts


class BoundedCodeGenerator(CodeGenerator):
    """Jinja's code, with each loop's items and each ``~`` going through the bounds."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        items = nodes.Call(nodes.EnvironmentAttribute("bounded_iter"), [node.iter], [], None, None)
        items.set_lineno(node.iter.lineno)
        loop = nodes.For(node.target, items, node.body, node.else_, node.test, node.recursive)
        loop.set_lineno(node.lineno)
        super().visit_For(loop, frame)

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        escape = "None" if frame.eval_ctx.volatile else str(bool(frame.eval_ctx.autoescape))
        self.write(f"environment.bounded_join(context, {escape}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class SourceBound(Extension):
    """A template's source bounded in characters and in tokens, before it is compiled."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if len(source) > limits.MAX_TEMPLATE_VALUE:
            raise TemplateLimit(
                f"refused: the template has {len(source):,} characters, more than "
                f"{limits.MAX_TEMPLATE_VALUE:,}, the limit for a template (set "
                "SEND_PLAN_MAX_TEMPLATE_VALUE to change)"
            )
        return source

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        for i, token in enumerate(stream):
            if i >= MAX_TOKENS:
                raise TemplateLimit(
                    f"refused: the template has more than {MAX_TOKENS:,} tags, names and "
                    "runs of text, the limit for a template"
                )
            yield token


class BoundedFormatter(SandboxedFormatter):
    """``str.format`` in the sandbox: each field's format spec and value checked,
    and the result counted, before anything large is made."""

    def __init__(self, env: BoundedSandbox, **options: Any) -> None:
        super().__init__(env, **options)
        self._bounded = env
        self._made = 0

    def vformat(self, format_string: str, args: Any, kwargs: Any) -> str:
        self._made = len(format_string)
        return super().vformat(format_string, args, kwargs)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        self._bounded.budget().check_value(value)
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> Any:
        budget = self._bounded.budget()
        check_spec(budget, format_spec)
        budget.check_value(value)
        out = super().format_field(value, format_spec)
        self._made += len(out)
        budget.check(self._made)
        return out


class BoundedEscapeFormatter(BoundedFormatter, SandboxedEscapeFormatter):
    """The same for ``Markup.format``, escaping each field."""
