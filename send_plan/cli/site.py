"""``send-plan site``: the published progress site, as a folder of static pages."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from send_plan.cli.common import AsOf, Paths, parse_date, plan_paths, say, today

ReplaceFolder = Annotated[
    bool, typer.Option(help="Replace the folder's contents when it is not empty.")
]


def site(
    paths: Paths = None,
    as_of: AsOf = None,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="The folder to write the site to; it must be new or empty unless --force.",
            show_default=False,
        ),
    ] = ...,  # type: ignore[assignment]
    templates: Annotated[
        Path | None,
        typer.Option(
            metavar="FOLDER",
            help="Your own site templates: a file here (index.html.j2, plan.html.j2, "
            "area.html.j2, glossary.html.j2, base.html.j2, macros.html.j2, site.css) "
            "is used instead of the built-in one of the same name.",
        ),
    ] = None,
    force: ReplaceFolder = False,
) -> None:
    """Build the progress site for the local offer: static, accessible pages.

    Examples:
      send-plan site --as-of 2019-11-19 -o _site
      send-plan site plans --as-of 2019-11-19 -o _site --force
      send-plan site --templates my-site-templates -o _site
    """
    day = parse_date(as_of, "--as-of") or today()
    from send_plan.site.output import check_target, write_folder

    given = plan_paths(paths)
    keep = [*given, *([templates] if templates is not None else [])]
    check_target(output, force=force, keep=keep)  # refuse before any work
    from send_plan.site.pages import build_site
    from send_plan.validation import require_valid

    result = require_valid(given)
    files = build_site(result.portfolio, day, templates=templates)
    write_folder(output, files, force=force, keep=keep)
    pages = sum(1 for name in files if name.endswith(".html"))
    say(f"wrote {pages} pages and {len(files) - pages} other files to {output}")
