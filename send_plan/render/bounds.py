"""The bounds on what a template may make: checks done *before* an operation
allocates, so a template asking for ``'a' * 10**10`` is refused at once instead
of using up memory.

:class:`Budget` is one rendering's account: its deadline, the characters
output and built so far, and the sizes of the values already measured. The
checks here are pure functions of a value and a budget; the sandbox
(:mod:`send_plan.render.sandbox`) calls them from its operators, method calls,
filters and output. The bounds themselves are in :mod:`send_plan.limits`
(stated in docs/limits.md).
"""

from __future__ import annotations

import inspect
import re
import time
from collections.abc import Callable, Iterable, Mapping
from functools import cache, update_wrapper
from typing import Any

from jinja2 import TemplateError
from jinja2.environment import TemplateModule
from jinja2.sandbox import MAX_RANGE

from send_plan import limits

#: The most digits a whole number may have (Python itself prints at most 4,300).
MAX_DIGITS = 10_000
#: The most bits of such a number.
MAX_BITS = MAX_DIGITS * 10 // 3
#: The most parts a filter may cut a list into, or fill it up to: range()'s bound.
MAX_PARTS = MAX_RANGE
#: Items a loop runs through between two looks at the clock.
TICK = 1000


class TemplateLimit(TemplateError):
    """A template that passed one of the bounds on rendering."""


class Budget:
    """The bounds of rendering, for one document or one site.

    Each rendering (one ``Template.render``: a report, a site page, a part of a
    Word template) may output ``max_output`` characters and run ``seconds``;
    the renderings under one budget together run at most ``total`` seconds
    (the same, unless a caller allows more, as the site does for its pages).
    """

    def __init__(self, total: int | None = None) -> None:
        self.max_value = limits.MAX_TEMPLATE_VALUE
        self.max_output = limits.MAX_TEMPLATE_OUTPUT
        self.max_built = 10 * self.max_output
        self.seconds = limits.MAX_TEMPLATE_SECONDS
        self.total = self.seconds if total is None else total
        self.used = 0.0
        self.deadline = time.monotonic() + self.seconds
        self._started = 0.0
        self._depth = 0
        self._in_all = False
        self.output = 0
        self.built = 0
        #: id -> (the container, kept alive so the id stays its own, its size)
        self.sizes: dict[int, tuple[object, int]] = {}

    def start(self) -> None:
        """A rendering begins: its counts start at nothing, its clock now."""
        self._depth += 1
        if self._depth > 1:
            return
        self._started = time.monotonic()
        left = self.total - self.used
        self._in_all = left < self.seconds
        self.deadline = self._started + min(self.seconds, left)
        self.output = self.built = 0
        self.sizes.clear()

    def stop(self) -> None:
        self._depth -= 1
        if self._depth == 0:
            self.used += time.monotonic() - self._started

    def tick(self) -> None:
        if time.monotonic() <= self.deadline:
            return
        if self._in_all:
            raise TemplateLimit(
                f"stopped: the templates ran for more than {self.total} seconds in all, the "
                "limit for these documents (set SEND_PLAN_MAX_TEMPLATE_SECONDS to change)"
            )
        unit = "second" if self.seconds == 1 else "seconds"
        raise TemplateLimit(
            f"stopped: the template ran for more than {self.seconds} {unit}, the limit "
            "for a template (set SEND_PLAN_MAX_TEMPLATE_SECONDS to change)"
        )

    def output_passed(self) -> TemplateLimit:
        """The error for an output of more than ``max_output`` characters (counted by
        the sandbox's rendering loop, in line)."""
        return TemplateLimit(
            f"stopped: the output passed {self.max_output:,} characters, the limit for "
            "a template (set SEND_PLAN_MAX_TEMPLATE_OUTPUT to change)"
        )

    def count_built(self, size: int) -> None:
        """Text put together inside macros and blocks, each time it is put together."""
        self.tick()
        self.built += size
        if size > self.max_output or self.built > self.max_built:
            raise TemplateLimit(
                f"stopped: the template built more than {self.max_built:,} characters of "
                "text in macros and blocks (ten times the output limit for a template; set "
                "SEND_PLAN_MAX_TEMPLATE_OUTPUT to change)"
            )

    def too_big(self) -> TemplateLimit:
        return TemplateLimit(
            f"refused: the template would make a text or list of more than "
            f"{self.max_value:,} characters or items, the limit for a template (set "
            "SEND_PLAN_MAX_TEMPLATE_VALUE to change)"
        )

    def check(self, size: int) -> None:
        """Refuse a value of ``size`` characters or items."""
        if size > self.max_value:
            raise self.too_big()

    def check_value(self, value: object) -> None:
        if value.__class__ is str:  # the common case, in line
            if len(value) > self.max_value:
                raise self.too_big()
            return
        self.check(self.size(value))

    def check_values(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        for value in args:
            if value.__class__ is not str or len(value) > self.max_value:
                self.check_value(value)
        for value in kwargs.values():
            self.check_value(value)

    def size(self, value: object) -> int:
        """Characters and items in ``value``, counting shared parts each time they
        occur (as printing it would); stops counting past the bound."""
        if isinstance(value, (str, bytes, bytearray)):
            return len(value)
        if isinstance(value, (list, tuple, dict, set, frozenset, TemplateModule)):
            known = self.sizes.get(id(value))
            if known is not None and known[0] is value:
                return known[1]
            size = self._measure(value)
            self.sizes[id(value)] = (value, size)
            return size
        return 1

    def _measure(self, value: object) -> int:
        if isinstance(value, TemplateModule):
            return sum(len(part) for part in getattr(value, "_body_stream", ()))
        items: Iterable[object] = value  # type: ignore[assignment]
        if isinstance(value, dict):
            items = (x for pair in value.items() for x in pair)
        total = 1
        for i, item in enumerate(items):
            total += 1 + self.size(item)
            if total > self.max_value:
                return total
            if i % TICK == 0:
                self.tick()
        return total

    def check_count(self, count: object, what: str) -> None:
        if isinstance(count, int) and count > MAX_PARTS:
            raise TemplateLimit(
                f"refused: the template asks for {count:,} {what}, more than {MAX_PARTS:,}, "
                "the limit for a template"
            )


def too_many_digits() -> TemplateLimit:
    return TemplateLimit(
        f"refused: the template would make a number of more than {MAX_DIGITS:,} digits, "
        "the limit for a template"
    )


def check_binop(budget: Budget, operator: str, left: Any, right: Any) -> None:
    """Refuse ``left operator right`` when its result would pass a bound."""
    budget.tick()
    if operator == "*":
        _check_times(budget, left, right)
        _check_times(budget, right, left)
    elif operator == "**":
        _check_power(left, right)
    elif operator == "+" and not _is_number(left):
        budget.check(budget.size(left) + budget.size(right))
    elif operator == "%" and isinstance(left, (str, bytes)):
        check_percent(budget, left, right)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, complex))


def _check_times(budget: Budget, value: Any, times: Any) -> None:
    if not isinstance(times, int):
        return
    if isinstance(value, int):
        if value.bit_length() + times.bit_length() > MAX_BITS:
            raise too_many_digits()
    elif isinstance(value, (str, bytes, bytearray, list, tuple)) and times > 1:
        each = budget.size(value)
        if each and times > budget.max_value // each:
            raise budget.too_big()


def _check_power(base: Any, exponent: Any) -> None:
    if not (isinstance(base, int) and isinstance(exponent, int)):
        return
    if abs(base) > 1 and exponent > 0 and (abs(base).bit_length() - 1) * exponent > MAX_BITS:
        raise too_many_digits()


#: A conversion of printf-style formatting: flags, width, precision.
PERCENT = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([a-zA-Z%])")


def check_percent(budget: Budget, fmt: str | bytes, args: Any) -> None:
    """Refuse ``fmt % args`` when a width or the result would pass a bound."""
    text = fmt if isinstance(fmt, str) else fmt.decode("latin-1")
    specs = PERCENT.findall(text)
    if not specs:
        return
    if isinstance(args, Mapping):
        values = list(args.values())
    elif isinstance(args, tuple):
        values = list(args)
    else:
        values = [args]
    widths = [int(n) for spec in specs for n in spec[:2] if n.isdigit()]
    if any(n == "*" for spec in specs for n in spec[:2]):
        widths += [abs(v) for v in values if isinstance(v, int)]
    widest = max(widths, default=0)
    budget.check(widest)
    largest = max((budget.size(v) for v in values), default=0)
    budget.check(len(text) + len(specs) * (largest + widest))


def check_spec(budget: Budget, spec: str) -> None:
    """Refuse a format spec (``>1000000000``) whose width or precision passes the bound."""
    budget.check(max((int(n) for n in re.findall(r"\d+", spec)), default=0))


def check_method(budget: Budget, method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Refuse a call of a text or number method whose result would pass a bound;
    returns the arguments to call it with (an iterable given to ``join``, listed)."""
    owner = getattr(method, "__self__", None)
    name = getattr(method, "__name__", "")
    if isinstance(owner, (str, bytes, bytearray)):
        if name in ("center", "ljust", "rjust", "zfill") and args:
            budget.check(_int(args[0]))
        elif name == "expandtabs":
            tab = _int(args[0] if args else kwargs.get("tabsize", 8))
            tabs = owner.count("\t") if isinstance(owner, str) else bytes(owner).count(b"\t")
            budget.check(len(owner) + tabs * tab)
        elif name == "replace" and len(args) >= 2:
            budget.check(_replaced(owner, args[0], args[1], args[2] if len(args) > 2 else -1))
        elif name == "join" and len(args) == 1:
            items = list(args[0])
            budget.check(sum(budget.size(x) for x in items) + len(owner) * len(items))
            return (items,), kwargs
        elif name == "translate" and args and isinstance(args[0], Mapping):
            widest = max((budget.size(v) for v in args[0].values()), default=1)
            budget.check(len(owner) * max(widest, 1))
    elif isinstance(owner, int) and name == "to_bytes":
        budget.check(_int(args[0] if args else kwargs.get("length", 1)))
    return args, kwargs


def _int(value: Any) -> int:
    return value if isinstance(value, int) else 0


def _replaced(text: Any, old: Any, new: Any, count: Any) -> int:
    """The length of ``text.replace(old, new, count)``, computed without replacing."""
    if not isinstance(old, type(text)) or not isinstance(new, type(text)):
        return len(text)
    found = len(text) + 1 if not old else text.count(old)
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * (len(new) - len(old))


# --- filters -------------------------------------------------------------------------

Check = Callable[[Budget, dict[str, Any]], None]


def _center(budget: Budget, a: dict[str, Any]) -> None:
    budget.check(_int(a.get("width")))


def _indent(budget: Budget, a: dict[str, Any]) -> None:
    width = a.get("width")
    each = len(width) if isinstance(width, str) else _int(width)
    text = str(a.get("s", ""))
    budget.check(len(text) + (text.count("\n") + 1) * each)


def _truncate(budget: Budget, a: dict[str, Any]) -> None:
    length, end, leeway = a.get("length"), a.get("end"), a.get("leeway")
    if isinstance(length, int) and isinstance(end, str) and length < len(end):
        raise ValueError(
            f"truncate: the length ({length}) is shorter than the ending {end!r} "
            f"({len(end)} characters)"
        )
    if isinstance(leeway, int) and leeway < 0:
        raise ValueError(f"truncate: leeway must not be negative, not {leeway}")


def _wordwrap(budget: Budget, a: dict[str, Any]) -> None:
    text, width = str(a.get("s", "")), _int(a.get("width"))
    joint = a.get("wrapstring")
    lines = len(text) // max(width, 1) + text.count("\n") + 1
    budget.check(len(text) + lines * len(str(joint if joint is not None else "\n")))


def _replace(budget: Budget, a: dict[str, Any]) -> None:
    old, new = str(a.get("old")), str(a.get("new"))  # as the filter takes them
    budget.check(_replaced(str(a.get("s", "")), old, new, a.get("count")))


def _join(budget: Budget, a: dict[str, Any]) -> None:
    items = a["value"]
    joint = a.get("d")
    budget.check(sum(budget.size(x) for x in items) + len(items) * len(str(joint or "")))


def _batch(budget: Budget, a: dict[str, Any]) -> None:
    if a.get("fill_with") is not None:
        budget.check_count(a.get("linecount"), "items in a batch")


def _slice(budget: Budget, a: dict[str, Any]) -> None:
    budget.check_count(a.get("slices"), "slices")


def _sum(budget: Budget, a: dict[str, Any]) -> None:
    start = a.get("start")
    if not _is_number(start):
        budget.check(budget.size(start) + sum(budget.size(x) for x in a["iterable"]))


def _tojson(budget: Budget, a: dict[str, Any]) -> None:
    indent = a.get("indent")
    each = len(indent) if isinstance(indent, str) else _int(indent)
    budget.check(each)
    budget.check(budget.size(a.get("value")) * (4 + each))


def _urlize(budget: Budget, a: dict[str, Any]) -> None:
    text = str(a.get("value", ""))
    extra = sum(len(str(a.get(k) or "")) for k in ("target", "rel"))
    budget.check(3 * len(text) + (text.count(" ") + 1) * extra)


def _format(budget: Budget, a: dict[str, Any]) -> None:
    check_percent(budget, str(a.get("value", "")), a.get("kwargs") or tuple(a.get("args", ())))


#: Filters whose arguments can make their result large, and how each is checked.
FILTER_CHECKS: dict[str, Check] = {
    "center": _center,
    "indent": _indent,
    "truncate": _truncate,
    "wordwrap": _wordwrap,
    "replace": _replace,
    "join": _join,
    "batch": _batch,
    "slice": _slice,
    "sum": _sum,
    "tojson": _tojson,
    "urlize": _urlize,
    "format": _format,
}
#: The names Jinja's filters give the context they are passed.
PASSED = ("eval_ctx", "context", "environment", "env")
#: Arguments a check reads in full: a generator given for them is listed first.
LISTED = {"join": "value", "sum": "iterable"}


@cache
def _signature(filter_: Callable[..., Any]) -> inspect.Signature:
    return inspect.signature(filter_)  # once per filter, not once per environment


def bounded_filter(
    name: str, filter_: Callable[..., Any], budget: Callable[[], Budget]
) -> Callable[..., Any]:
    """``filter_`` refusing arguments and results beyond the bounds of ``budget()``."""
    check = FILTER_CHECKS.get(name)
    signature = _signature(filter_) if check else None
    # Jinja's sync-or-async filters take a context their signature does not show.
    first = next(iter(signature.parameters), "") if signature else ""
    hidden = int(hasattr(filter_, "jinja_pass_arg") and first not in PASSED)

    def bounded(*args: Any, **kwargs: Any) -> Any:
        spent = budget()
        spent.check_values(args, kwargs)
        if check is not None and signature is not None:
            try:
                bound = signature.bind(*args[hidden:], **kwargs)
            except TypeError:
                return filter_(*args, **kwargs)  # the filter's own message
            bound.apply_defaults()
            listed = LISTED.get(name)
            if listed is not None and listed in bound.arguments:
                bound.arguments[listed] = list(bound.arguments[listed])
            check(spent, dict(bound.arguments))
            return filter_(*args[:hidden], *bound.args, **bound.kwargs)
        return filter_(*args, **kwargs)

    return update_wrapper(bounded, filter_)


def bounded_lipsum(lipsum: Callable[..., str], budget: Callable[[], Budget]) -> Callable[..., str]:
    """Jinja's ``lipsum()`` with its paragraph and word counts bounded."""

    def bounded(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
        spent = budget()
        spent.check_count(n, "paragraphs")
        spent.check_count(max, "words in a paragraph")
        spent.check_count(min, "words in a paragraph")
        return lipsum(n, html, min, max)

    return bounded
