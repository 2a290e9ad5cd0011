"""The built-in reports: a registry from name to view-model builder and renderers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from send_plan.portfolio import Portfolio
from send_plan.render import context as contexts
from send_plan.render.jinja import render as render_template

Builder = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Report:
    name: str
    summary: str
    build: Builder
    docx: Callable[[dict[str, Any]], bytes]


def _appendix_b_docx(ctx: dict[str, Any]) -> bytes:
    from send_plan.render.documents import appendix_b_docx

    return appendix_b_docx(ctx)


REPORT_BY_NAME: dict[str, Report] = {
    "appendix-b": Report(
        "appendix-b",
        "the final summary position of a plan: complete, carried forward, withdrawn, dropped",
        contexts.appendix_b,
        _appendix_b_docx,
    ),
}

FORMATS = ("md", "html", "docx")


def render(
    report: Report,
    fmt: str,
    portfolio: Portfolio,
    plan_id: str | None,
    as_of: date,
    *,
    template: Path | None = None,
    **options: Any,
) -> bytes:
    """The document, as bytes ready to write."""
    plan = contexts.find_plan(portfolio, plan_id)
    ctx = report.build(portfolio, plan, as_of, **options)
    if fmt == "docx":
        return report.docx(ctx)
    text = render_template(
        f"{report.name}.{fmt}.j2", ctx, html=fmt == "html", template_path=template
    )
    return text.encode("utf-8")
