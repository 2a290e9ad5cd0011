"""send-plan: local-area SEND improvement plans kept in git.

The library is the product; the command line is a thin adapter over it. The
public API is imported lazily, so that ``send-plan --version`` stays fast::

    from send_plan import check, status, final_positions
    result = check([Path("plans")])          # load and validate a portfolio
    report = status(result.portfolio, date(2019, 11, 1))
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = {
    "check": "send_plan.check",
    "require_valid": "send_plan.check",
    "status": "send_plan.tracking",
    "final_positions": "send_plan.tracking",
    "carry_forward": "send_plan.carry",
    "json_schema": "send_plan.model",
    "Plan": "send_plan.model",
    "Finding": "send_plan.findings",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        from importlib import import_module

        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'send_plan' has no attribute {name!r}")
