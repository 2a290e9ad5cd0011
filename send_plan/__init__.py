"""send-plan: local-area SEND improvement plans kept in git.

The library is the product; the command line is a thin adapter over it. The
public API is imported lazily, so that ``send-plan --version`` stays fast::

    from send_plan import validate, status, final_positions
    result = validate([Path("plans")])       # load and validate a portfolio
    report = status(result.portfolio, date(2019, 11, 1))
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

#: public name -> "module:name there", as entry points write it (``validate`` is
#: :func:`send_plan.validation.check`, under the command's name).
_API = {
    "validate": "send_plan.validation:check",
    "require_valid": "send_plan.validation:require_valid",
    "status": "send_plan.tracking:status",
    "final_positions": "send_plan.tracking:final_positions",
    "carry_forward": "send_plan.carry:carry_forward",
    "json_schema": "send_plan.model:json_schema",
    "Plan": "send_plan.model:Plan",
    "Finding": "send_plan.findings:Finding",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        from importlib import import_module

        module, _, attribute = _API[name].partition(":")
        return getattr(import_module(module), attribute)
    raise AttributeError(f"module 'send_plan' has no attribute {name!r}")
