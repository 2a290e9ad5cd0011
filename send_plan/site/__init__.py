"""The published progress site: static pages for a local offer, built from the plans.

``build_site(portfolio, as_of)`` (in :mod:`send_plan.site.pages`) returns every
file as bytes; :func:`send_plan.site.output.write_folder` writes them whole or
not at all. The pages are rendered from ``templates/site/`` in the sandbox, with
pictures as SVG and the numbers of each in a table. Like the render layer, this
package never runs git and never imports Typer or Rich.
"""
