"""Plans back to YAML a person is happy to edit next.

Keys in the order of the format's spec, dates unquoted, multi-line text as
literal blocks, empty lists and unset fields left out, a header comment on top.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

import yaml

from send_plan.model import Plan


class _Dumper(yaml.SafeDumper):
    """Indents lists under their key, as the spec's example does, and writes every
    value out where it stands: no anchors and aliases (``&id001``, ``*id001``) when
    one object (a default date, say) is used in several places."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def plain(value: Any) -> Any:
    """Model dump -> YAML-ready data: enums to text, empty lists and None dropped."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {
            k: plain(v)
            for k, v in value.items()
            if v is not None and not (isinstance(v, (list, tuple, dict)) and not v)
        }
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, date):
        return value
    return value


def plan_data(plan: Plan) -> dict[str, Any]:
    data: dict[str, Any] = plain(plan.model_dump(by_alias=True))
    return data


def dump(data: dict[str, Any], header: str = "") -> str:
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=88,
        default_flow_style=False,
    )
    lines = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return lines + ("\n" if lines else "") + body
