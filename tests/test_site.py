"""`send-plan site`: what the pages say, that plan text is escaped, that the same
inputs give the same bytes, and that the folder is written whole or not at all.

The browser checks (axe-core, links, 320 px) are in tests/test_site_browser.py.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest
from site_plans import LONG_WORD, SECRET, write_tricky_plan
from typer.testing import CliRunner

from send_plan.cli import app
from send_plan.errors import PathError, RefusedOverwrite
from send_plan.render.jinja import TemplateProblem
from send_plan.site import output
from send_plan.site.pages import build_site
from send_plan.site.words import figure, safe_link, slug
from send_plan.validation import require_valid

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"
AS_OF = "2019-11-19"
runner = CliRunner()


def build(out: Path, *paths: Path, extra: tuple[str, ...] = ()) -> str:
    args = ["site", *(str(p) for p in (paths or (PLANS,))), "--as-of", AS_OF, "-o", str(out)]
    result = runner.invoke(app, [*args, *extra])
    assert result.exit_code == 0, result.output
    return result.stderr


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("site")
    tricky = write_tricky_plan(work / "plans")
    out = work / "_site"
    build(out, PLANS, tricky)
    return out


def text(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def test_the_site_has_an_index_a_glossary_and_pages_for_every_plan_and_area(site: Path) -> None:
    names = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert {"index.html", "glossary.html", "site.css"} <= set(names)
    assert "send-improvement-plan-2019/index.html" in names
    assert "send-improvement-plan-2019/areas.svg" in names
    assert [n for n in names if n.startswith("wsoa-2018/area-")][:3] == [
        "wsoa-2018/area-ff1.html",
        "wsoa-2018/area-ff2.html",
        "wsoa-2018/area-sw1.html",
    ]
    assert len([n for n in names if n.startswith("wsoa-2018/area-")]) == 14
    # plan text never becomes a path: '../etc' and 'AP 1/2' and 'ap-1-2' are slugs
    assert {
        "tricky-pap-2024/area-ap-1-2.html",
        "tricky-pap-2024/area-ap-1-2-2.html",
        "tricky-pap-2024/area-etc.html",
    } <= set(names)
    assert all(".." not in n and " " not in n for n in names)


def test_the_index_lists_each_plan_with_its_position(site: Path) -> None:
    index = text(site, "index.html")
    assert index.count('<section class="plan-card"') == 3
    # under way first, the latest start first; closed plans last
    assert index.index("Priority Action Plan") < index.index("SEND Improvement Plan 2019-2020")
    assert index.index("SEND Improvement Plan 2019-2020") < index.index("Written Statement")
    assert "Of the 94 actions in this plan, 39 are complete, 44 are on track, 1 is due " in index
    assert "8 are late and 2 were withdrawn." in index
    assert "15 October 2019, by DfE and NHS England" in index
    assert "21 January 2020" in index  # the next board meeting
    assert "None: the plan has closed" in index
    assert "14 were moved into the next plan" in index
    assert "Progress as of <strong>19 November 2019</strong>" in index


def test_a_plan_page_has_the_areas_the_actions_that_need_attention_and_the_measures(
    site: Path,
) -> None:
    page = text(site, "send-improvement-plan-2019/index.html")
    assert page.count("<h1>") == 1
    for heading in (
        "Progress in each area",
        "Actions that are late",
        "Actions due before the next board meeting",
        "Actions that should have started",
        "Measures of progress",
        "External reviews",
    ):
        assert f">{heading}</h2>" in page
    assert '<caption id="areas-caption">Actions in each area by state' in page
    assert '<img src="areas.svg" alt="Bar chart of the actions in each area by state."' in page
    # the longest late first, linked to its area page
    late = page[page.index('id="late"') : page.index('id="due-soon"')]
    assert late.index("P2.9") < late.index("P3.21")
    assert 'href="area-p2.html#action-p2-9"' in late
    assert "50 days late" in late
    # an indicator: the figure, the trajectory, the rating in words, the trend
    assert "New EHC plans issued within 20 weeks" in page
    assert "<strong>44.6%</strong> (30 September 2019)" in page  # 53.9 is dated later
    assert "Behind its target" in page
    assert "Getting worse" in page
    assert 'src="indicator-ehc20.svg"' in page
    assert "<caption" in page[page.index('id="indicator-ehc20"') :]
    assert "England: 60.4% (31 December 2018)" in page
    assert "Not rated: watched without a target" in page  # the context measure


def test_unpublished_indicators_are_left_out_everywhere(site: Path) -> None:
    for path in site.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    assert not list(site.glob("*/indicator-secret*"))


def test_an_area_page_has_every_action_with_its_latest_update_and_evidence(site: Path) -> None:
    page = text(site, "wsoa-2018/area-ff1.html")
    assert page.count("<h1>") == 1
    assert page.count('<article class="action"') == 5  # FF1.1 to FF1.5
    assert "Evidence of progress" in page
    link = '<a href="https://www.lancashire.gov.uk/lancashire-insight/" class="external">'
    assert link in page
    # carried forward: a relative link to the successor action on its area page
    assert 'href="../send-improvement-plan-2019/area-p1.html#action-p1-1"' in page
    later = text(site, "send-improvement-plan-2019/area-p1.html")
    assert 'href="../wsoa-2018/area-ff1.html#action-ff1-4"' in later


def test_plan_text_is_escaped_and_only_the_as_of_date_counts(site: Path) -> None:
    page = text(site, "tricky-pap-2024/area-ap-1-2.html")
    assert "<script" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert 'href="https://example.org/a?b=1&amp;c=&lt;2&gt;"' in page
    assert "From the future" not in page  # an area update dated after the as-of date
    assert "Evidence from the future" not in page
    assert "Line one\nline two" in page  # kept, and shown on two lines by the stylesheet
    assert LONG_WORD in page
    assert "Ongoing: no fixed deadline" in page
    assert "Not started yet, although its planned start date has passed" in page
    assert "Head of SEND &lt;Statutory&gt; Services; Designated Clinical Officer" in page
    plan = text(site, "tricky-pap-2024/index.html")
    assert "Actions due soon" in plan  # no board meetings: the 28-day window
    assert "£98,000.5" in plan
    assert "35 weeks" in plan
    for path in site.rglob("*.html"):
        assert "<script" not in path.read_text(encoding="utf-8"), path


def test_every_page_links_only_within_the_site(site: Path) -> None:
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for link in re.findall(r'(?:href|src)="([^"]*)"', html):
            assert not link.startswith(("/", "file:", "//")), (path, link)
            if link.startswith(("http://", "https://")):
                assert f'href="{link}" class="external"' in html, (path, link)


def test_the_same_inputs_give_byte_identical_files(tmp_path: Path, site: Path) -> None:
    again = tmp_path / "again"
    build(again, PLANS, next((site.parent / "plans").glob("*.yaml")))
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    for name, data in first.items():
        assert data == second[name], name
    svg = first[Path("wsoa-2018/areas.svg")]
    assert b"<dc:date>" not in svg


def test_a_non_empty_folder_is_refused_without_force_and_replaced_with_it(
    tmp_path: Path,
) -> None:
    out = tmp_path / "_site"
    out.mkdir()
    (out / "old.html").write_text("old")
    result = runner.invoke(app, ["site", str(PLANS), "--as-of", AS_OF, "-o", str(out)])
    assert result.exit_code == 2
    assert "is not empty; use --force" in result.stderr
    assert (out / "old.html").exists()
    build(out, extra=("--force",))
    assert not (out / "old.html").exists()
    assert (out / "index.html").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["_site"]  # nothing left beside it
    empty = tmp_path / "empty"
    empty.mkdir()
    build(empty)  # an empty folder needs no --force
    assert (empty / "glossary.html").exists()


def test_force_never_replaces_the_plans_or_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans = tmp_path / "plans"
    write_tricky_plan(plans)
    with pytest.raises(RefusedOverwrite, match="holds"):
        output.check_target(plans, force=True, keep=[plans / "tricky-pap-2024.yaml"])
    monkeypatch.chdir(plans)
    with pytest.raises(RefusedOverwrite, match="current folder"):
        output.check_target(tmp_path, force=True)
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    with pytest.raises(RefusedOverwrite, match="git repository"):
        output.check_target(repo, force=True)
    with pytest.raises(PathError, match="is a file"):
        output.check_target(plans / "tricky-pap-2024.yaml", force=True)
    with pytest.raises(PathError, match="does not exist"):
        output.check_target(tmp_path / "no" / "such", force=False)


def test_a_failure_leaves_nothing_half_written(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    out.mkdir()
    (out / "index.html").write_text("the site as it was")
    with pytest.raises(PathError, match="not a file name inside the site"):
        output.write_folder(out, {"a.html": b"a", "../escape.html": b"x"}, force=True)
    assert (out / "index.html").read_text() == "the site as it was"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]
    assert not (tmp_path / "escape.html").exists()


def test_the_new_folder_is_readable_as_the_umask_allows(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    output.write_folder(out, {"index.html": b"x", "a/b.html": b"y"})
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o777 & ~mask
    assert (out / "a" / "b.html").read_bytes() == b"y"


def test_a_council_can_replace_any_template_and_the_stylesheet(tmp_path: Path) -> None:
    own = tmp_path / "own"
    own.mkdir()
    (own / "glossary.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block main %}<h1>Our words</h1>{% endblock %}'
    )
    (own / "site.css").write_text("body { color: #000; }\n")
    out = tmp_path / "_site"
    build(out, extra=("--templates", str(own)))
    assert "<h1>Our words</h1>" in (out / "glossary.html").read_text()
    assert 'lang="en-GB"' in (out / "glossary.html").read_text()  # the built-in base
    assert (out / "site.css").read_text() == "body { color: #000; }\n"
    assert "Progress in each area" in (out / "wsoa-2018" / "index.html").read_text()


def test_user_templates_are_sandboxed_and_confined(tmp_path: Path) -> None:
    portfolio = require_valid([PLANS]).portfolio
    own = tmp_path / "own"
    own.mkdir()
    (own / "index.html.j2").write_text("{{ page.__class__.__mro__ }}")
    with pytest.raises(TemplateProblem, match="refused"):
        build_site(portfolio, date_(AS_OF), templates=own)
    (own / "index.html.j2").write_text('{% include "../../etc/passwd" %}')
    with pytest.raises(TemplateProblem, match="not found"):
        build_site(portfolio, date_(AS_OF), templates=own)
    (own / "index.html.j2").write_text("{{ page.no_such_key }}")
    with pytest.raises(TemplateProblem, match=r"index\.html\.j2:1"):
        build_site(portfolio, date_(AS_OF), templates=own)
    result = runner.invoke(
        app, ["site", str(PLANS), "-o", str(tmp_path / "x"), "--templates", str(tmp_path / "no")]
    )
    assert result.exit_code == 2
    assert "no such templates folder" in result.stderr
    assert not (tmp_path / "x").exists()


def date_(text: str) -> object:
    from datetime import date

    return date.fromisoformat(text)


def test_invalid_plans_write_no_site(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nplan: {}\n")
    out = tmp_path / "_site"
    result = runner.invoke(app, ["site", str(bad), "--as-of", AS_OF, "-o", str(out)])
    assert result.exit_code == 1
    assert not out.exists()


def test_words() -> None:
    assert figure(53.9, "percent") == "53.9%"
    assert figure(60.0, "percent") == "60%"
    assert figure(1204, "number") == "1,204"
    assert figure(2500, "currency") == "£2,500"
    assert figure(-2500, "currency") == "-£2,500"
    assert figure(1, "weeks") == "1 week"
    assert figure(18, "weeks") == "18 weeks"
    assert figure(5.125, "rate") == "5.12"
    used: set[str] = set()
    assert [slug(t, used) for t in ("P1", "p1", "../etc", "", "AP 1/2")] == [
        "p1",
        "p1-2",
        "etc",
        "item",
        "ap-1-2",
    ]
    assert safe_link("https://example.org/x") == "https://example.org/x"
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "//evil", "http://", "data:,x"):
        assert safe_link(bad) is None, bad
    assert safe_link("https://exa mple.org") is None
    assert safe_link(None) is None


def test_the_site_package_never_reaches_the_command_line_git_or_rich() -> None:
    for path in (ROOT / "send_plan" / "site").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            node.module for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        }  # fmt: skip
        reached = {
            n
            for n in names
            if n.split(".")[0] in ("typer", "rich", "subprocess")
            or n.startswith(("send_plan.cli", "send_plan.git", "send_plan.history"))
        }
        assert not reached, f"{path.name} imports {reached}"


def test_the_workflow_offers_a_pages_job_that_works_once_uncommented() -> None:
    import yaml

    from send_plan.scaffold import WORKFLOW

    lines = WORKFLOW.splitlines()
    assert "site" not in yaml.safe_load(WORKFLOW)["jobs"]  # off until a council turns it on
    start = lines.index("  # site:")
    on = [*lines[:start], *(line.replace("# ", "", 1) for line in lines[start:])]
    schedule = lines.index('  # schedule: [{cron: "0 6 * * *"}]')
    on[schedule] = on[schedule].replace("# ", "", 1)
    workflow = yaml.safe_load("\n".join(on))
    job = workflow["jobs"]["site"]
    assert job["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = job["steps"]
    assert "send-plan site plans -o _site" in [s.get("run") for s in steps]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert uses[-1].startswith("actions/deploy-pages@")
    assert workflow[True]["schedule"] == [{"cron": "0 6 * * *"}]  # YAML reads 'on' as True
