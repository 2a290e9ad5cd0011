"""Hostile templates (issue 13, items 10 and 15).

A template is user input: a Markdown or HTML template (`report --template`), a
council's site templates (`site --templates`) and a Word template (a .docx
holding tags). None of them may read a file outside its folder, hang, use up
memory or end in an internal error: each failure is one line on stderr, exit 2,
and no file is written. A long plan title never breaks a Word document.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import WritePlan
from docx import Document
from docx.oxml.ns import qn
from typer.testing import CliRunner

from send_plan import limits
from send_plan.cli import app

ROOT = Path(__file__).resolve().parent.parent
PLANS = str(ROOT / "plans")
SECRET = "SECRET-7d1f0c"
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def report(plans: Path, template: Path, *extra: str) -> tuple[int, str, str]:
    return run("report", "board-summary", str(plans), "--as-of", "2019-11-19", "--template",
               str(template), *extra)  # fmt: skip


def one_line_error(code: int, err: str) -> str:
    """The message of a one-line error with exit status 2."""
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("send-plan: error: "), err
    assert "internal error" not in err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def plans(write_plan: WritePlan) -> Path:
    return write_plan("plans/plan.yaml").parent


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{SECRET}\n")
    return outside / "secret.txt"


# --- item 10: links and paths -------------------------------------------------


def test_a_linked_file_outside_the_folder_is_not_included(
    tmp_path: Path, plans: Path, secret: Path
) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "env.txt").symlink_to(secret)
    (folder / "t.md.j2").write_text('{% include "env.txt" %}\n')
    code, out, err = report(plans, folder / "t.md.j2")
    message = one_line_error(code, err)
    assert SECRET not in out + err
    assert "env.txt" in message
    assert str(folder / "t.md.j2") in message
    assert "outside" in message


def test_proc_self_environ_is_not_included(tmp_path: Path, plans: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "env.txt").symlink_to("/proc/self/environ")
    (folder / "t.md.j2").write_text('{% include "env.txt" %}\n')
    code, out, err = report(plans, folder / "t.md.j2")
    one_line_error(code, err)
    assert "PATH=" not in out + err


def test_a_linked_folder_inside_the_folder_is_not_followed(
    tmp_path: Path, plans: Path, secret: Path
) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "parts").symlink_to(secret.parent, target_is_directory=True)
    (folder / "t.md.j2").write_text('{% include "parts/secret.txt" %}\n')
    code, out, err = report(plans, folder / "t.md.j2")
    one_line_error(code, err)
    assert SECRET not in out + err


def test_the_template_itself_may_not_be_a_link_out_of_its_folder(
    tmp_path: Path, plans: Path, secret: Path
) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "t.md.j2").symlink_to(secret)
    code, out, err = report(plans, folder / "t.md.j2")
    one_line_error(code, err)
    assert SECRET not in out + err


def test_links_inside_the_folder_and_subfolders_still_work(tmp_path: Path, plans: Path) -> None:
    folder = tmp_path / "templates"
    (folder / "parts").mkdir(parents=True)
    (folder / "parts" / "head.md.j2").write_text("# {{ plan.title }}\n")
    (folder / "head.md.j2").symlink_to(folder / "parts" / "head.md.j2")
    (folder / "t.md.j2").write_text('{% include "head.md.j2" %}{% include "parts/head.md.j2" %}')
    code, out, err = report(plans, folder / "t.md.j2")
    assert code == 0, err
    assert out == "# Test plan\n# Test plan\n"


def test_a_template_given_through_a_linked_folder_works(tmp_path: Path, plans: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "head.md.j2").write_text("{{ plan.id }}\n")
    (real / "t.md.j2").write_text('{% include "head.md.j2" %}')
    (tmp_path / "alias").symlink_to(real, target_is_directory=True)
    code, out, err = report(plans, tmp_path / "alias" / "t.md.j2")
    assert code == 0, err
    assert out == "test-plan\n"


def test_dot_dot_is_refused(tmp_path: Path, plans: Path, secret: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "t.md.j2").write_text('{% include "../outside/secret.txt" %}')
    code, out, err = report(plans, folder / "t.md.j2")
    one_line_error(code, err)
    assert SECRET not in out + err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_in_the_folder_is_refused_without_waiting(tmp_path: Path, plans: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    os.mkfifo(folder / "pipe.j2")
    (folder / "t.md.j2").write_text('{% include "pipe.j2" %}')
    start = time.monotonic()
    code, _, err = report(plans, folder / "t.md.j2")
    assert "pipe.j2" in one_line_error(code, err)
    assert time.monotonic() - start < 10


def test_site_templates_are_confined_to_their_real_folder(
    tmp_path: Path, plans: Path, secret: Path
) -> None:
    own = tmp_path / "own"
    own.mkdir()
    (own / "glossary.html.j2").symlink_to(secret)
    out = tmp_path / "_site"
    code, stdout, err = run("site", str(plans), "--as-of", "2019-11-19", "-o", str(out),
                            "--templates", str(own))  # fmt: skip
    message = one_line_error(code, err)
    assert "glossary.html.j2" in message
    assert SECRET not in stdout + err
    assert not out.exists()
    (own / "glossary.html.j2").unlink()
    (own / "site.css").symlink_to(secret)
    code, stdout, err = run("site", str(plans), "--as-of", "2019-11-19", "-o", str(out),
                            "--templates", str(own))  # fmt: skip
    assert "site.css" in one_line_error(code, err)
    assert not out.exists()


# --- item 10: errors that were internal errors ---------------------------------

ERRORS = {
    "recursive-macro": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "self-include": '{% include "t.md.j2" %}',
    "truncate-negative": '{{ "hello world" | truncate(-5) }}',
    "truncate-huge-leeway": '{{ "hello world" | truncate(3, leeway=-1) }}',
}


@pytest.mark.parametrize("source", ERRORS.values(), ids=ERRORS.keys())
def test_template_mistakes_are_one_line(tmp_path: Path, plans: Path, source: str) -> None:
    (tmp_path / "t.md.j2").write_text(source + "\n")
    code, out, err = report(plans, tmp_path / "t.md.j2")
    message = one_line_error(code, err)
    assert str(tmp_path / "t.md.j2") in message
    assert out == ""


def test_recursion_names_the_line(tmp_path: Path, plans: Path) -> None:
    (tmp_path / "t.md.j2").write_text(
        "\n{% macro f(n) %}\n{{ f(n + 1) }}\n{% endmacro %}\n{{ f(1) }}"
    )
    code, _, err = report(plans, tmp_path / "t.md.j2")
    assert f"{tmp_path / 't.md.j2'}:3: " in one_line_error(code, err)
    assert "recursion" in err


# --- item 10: resource bombs -----------------------------------------------------

BOMBS = {
    "str-times": "{{ 'a' * 10**10 }}",
    "times-str": "{{ 10**10 * 'a' }}",
    "list-times": "{{ [1, 2] * 10**10 }}",
    "str-times-in-steps": "{% set s = 'a' * 10**6 %}{{ s * 10**5 }}",
    "power": "{{ 10 ** (10 ** 10) }}",
    "int-squaring": "{% set ns = namespace(x=10**1000) %}{% for i in range(40) %}"
    "{% set ns.x = ns.x * ns.x %}{% endfor %}{{ ns.x > 0 }}",
    "concat-doubling": "{% set ns = namespace(s='ab') %}{% for i in range(60) %}"
    "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}",
    "plus-doubling": "{% set ns = namespace(s='ab') %}{% for i in range(60) %}"
    "{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s | length }}",
    "list-literal-doubling": "{% set ns = namespace(x='a' * 10**6) %}{% for i in range(40) %}"
    "{% set ns.x = [ns.x, ns.x] %}{% endfor %}{{ ns.x }}",
    "center-filter": "{{ 'a' | center(10**10) }}",
    "center-method": "{{ 'a'.center(10**10) }}",
    "ljust-method": "{{ 'a'.ljust(10**10) }}",
    "zfill-method": "{{ '1'.zfill(10**10) }}",
    "expandtabs": "{{ ('\\t' * 1000).expandtabs(10**7) }}",
    "replace-method": "{{ ('a' * 10**6).replace('a', 'bbbbbbbbbbbbbbbbbbbb') }}",
    "replace-filter": "{{ ('a' * 10**6) | replace('a', 'bbbbbbbbbbbbbbbbbbbb') }}",
    "join-method": "{{ ''.join(['a' * 10**6] * 10**3) }}",
    "join-filter": "{{ (['a' * 10**6] * 10**3) | join }}",
    "to-bytes": "{{ (1).to_bytes(10**10, 'big') }}",
    "format-method": "{{ '{0:>1000000000}'.format(1) }}",
    "format-nested-width": "{{ '{0:>{1}}'.format(1, 10**9) }}",
    "format-many-fields": "{{ ('{0}' * 10**5).format('a' * 10**4) }}",
    "format-map": "{{ '{x:>1000000000}'.format_map({'x': 1}) }}",
    "percent-width": "{{ '%1000000000d' % 1 }}",
    "percent-star": "{{ '%*d' % (10**9, 1) }}",
    "format-filter": "{{ '%1000000000s' | format('a') }}",
    "indent": "{{ ('a\\n' * 10**6) | indent(1000) }}",
    "wordwrap-wrapstring": "{{ ('a ' * 10**5) | wordwrap(1, wrapstring='x' * 10**4) }}",
    "batch": "{{ [1] | batch(10**10, 'x') | list }}",
    "slice": "{{ [1] | slice(10**10) | list }}",
    "sum-lists": "{{ ([['a' * 10**4] * 10**3] * 10**3) | sum(start=[]) | length }}",
    "tojson-indent": "{{ [[1]] | tojson(indent=10**9) }}",
    "lipsum": "{{ lipsum(10**7) }}",
    "lipsum-words": "{{ lipsum(1, min=10**8, max=10**9) }}",
    "output": "{% for i in range(100000) %}{% for j in range(1000) %}xxxxxxxx{% endfor %}"
    "{% endfor %}",
}


@pytest.fixture
def short_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bounds lowered so that every bomb is caught in well under a second's work."""
    monkeypatch.setattr(limits, "MAX_TEMPLATE_SECONDS", 2)


@pytest.mark.parametrize("source", BOMBS.values(), ids=BOMBS.keys())
def test_resource_bombs_end_quickly_in_one_line(tmp_path: Path, plans: Path, source: str) -> None:
    (tmp_path / "t.md.j2").write_text(source + "\n")
    start = time.monotonic()
    code, _, err = report(plans, tmp_path / "t.md.j2", "-o", str(tmp_path / "out.md"))
    elapsed = time.monotonic() - start
    message = one_line_error(code, err)
    assert str(tmp_path / "t.md.j2") in message
    assert "limit" in message
    assert not (tmp_path / "out.md").exists()
    assert elapsed < 15


LOOPS = {
    "nested-range": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
    "{% endfor %}",
    "nested-strings": "{% set s = 'a' * 10**6 %}{% for i in s %}{% for j in s %}{% endfor %}"
    "{% endfor %}",
    "recursive-loop": "{% for x in range(100) recursive %}{% if loop.depth < 6 %}"
    "{{ loop(range(100)) }}{% endif %}{% endfor %}",
    "macro-loop": "{% macro f() %}{% for i in range(100000) %}{% endfor %}{% endmacro %}"
    "{% for i in range(100000) %}{{ f() }}{% endfor %}",
}


@pytest.mark.parametrize("source", LOOPS.values(), ids=LOOPS.keys())
def test_loops_that_print_nothing_stop_at_the_deadline(
    tmp_path: Path, plans: Path, source: str, short_limits: None
) -> None:
    (tmp_path / "t.md.j2").write_text(source + "\n")
    start = time.monotonic()
    code, _, err = report(plans, tmp_path / "t.md.j2")
    elapsed = time.monotonic() - start
    message = one_line_error(code, err)
    assert "2 seconds" in message
    assert elapsed < 10


def test_the_output_limit_can_be_lowered(
    tmp_path: Path, plans: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_TEMPLATE_OUTPUT", 100)
    (tmp_path / "t.md.j2").write_text("{% for i in range(20) %}0123456789{% endfor %}")
    code, _, err = report(plans, tmp_path / "t.md.j2")
    assert "100 characters" in one_line_error(code, err)
    (tmp_path / "t.md.j2").write_text("{% for i in range(10) %}0123456789{% endfor %}")
    code, out, err = report(plans, tmp_path / "t.md.j2")
    assert code == 0, err
    assert len(out) == 100


def test_a_huge_template_file_is_refused_unread(tmp_path: Path, plans: Path) -> None:
    huge = tmp_path / "t.md.j2"
    with huge.open("wb") as out:  # sparse: takes no disk space
        out.truncate(limits.MAX_TEMPLATE_VALUE + 1)
    code, _, err = report(plans, huge)
    assert "t.md.j2" in one_line_error(code, err)


def test_ordinary_large_values_still_render(tmp_path: Path, plans: Path) -> None:
    (tmp_path / "t.md.j2").write_text(
        "{{ ('ab' * 1000) | length }} {{ ([1] * 1000) | length }} {{ 2 ** 100 }} "
        "{{ '%5d' % 42 }} {{ '{0:>6}'.format(7) }} {{ 'x' | center(9) }}| "
        "{{ 'a b c d' | wordwrap(3) | length }} {{ 'hello world' | truncate(5, leeway=0) }} "
        "{{ [1, 2, 3] | batch(2, 0) | list }} {{ [[1], [2]] | sum(start=[]) }} "
        "{{ ('a' ~ 'b') * 2 }} {{ [1] + [2] }} {{ 3 * 4 }} {{ lipsum(1, html=false) | length > 0 }}"
    )
    code, out, err = report(plans, tmp_path / "t.md.j2")
    assert code == 0, err
    assert out == (
        "2000 1000 1267650600228229401496703205376    42      7     x    | 7 he... "
        "[[1, 2], [3, 0]] [1, 2] abab [1, 2] 12 True"
    )


def test_the_built_in_reports_render_as_before(plans: Path) -> None:
    for fmt in ("md", "html"):
        code, out, err = run("report", "board-summary", str(plans), "--as-of", "2019-11-19",
                             "--format", fmt)  # fmt: skip
        assert code == 0, err
        assert "Test plan" in out


# --- item 10: the same bounds for site templates and Word templates ---------------


def test_site_templates_are_bounded(tmp_path: Path, plans: Path) -> None:
    own = tmp_path / "own"
    own.mkdir()
    (own / "glossary.html.j2").write_text("{{ 'a' * 10**10 }}")
    out = tmp_path / "_site"
    code, _, err = run("site", str(plans), "--as-of", "2019-11-19", "-o", str(out),
                       "--templates", str(own))  # fmt: skip
    assert "glossary.html.j2" in one_line_error(code, err)
    assert not out.exists()
    (own / "glossary.html.j2").write_text("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}")
    code, _, err = run("site", str(plans), "--as-of", "2019-11-19", "-o", str(out),
                       "--templates", str(own))  # fmt: skip
    assert "glossary.html.j2" in one_line_error(code, err)


def word_template(path: Path, *paragraphs: str, title: str | None = None) -> Path:
    doc = Document()
    doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang")).set(
        qn("w:val"), "en-GB"
    )
    if title is not None:
        doc.core_properties.title = title
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(str(path))
    return path


WORD_BOMBS = {
    "str-times": "{{ 'a' * 10**10 }}",
    "center": "{{ 'a' | center(10**10) }}",
    "format": "{{ '{0:>1000000000}'.format(1) }}",
    "recursive-macro": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "truncate-negative": "{{ 'hello world' | truncate(-5) }}",
    "output": "{% for i in range(100000) %}{% for j in range(1000) %}xxxxxxxx{% endfor %}"
    "{% endfor %}",
}


@pytest.mark.parametrize("source", WORD_BOMBS.values(), ids=WORD_BOMBS.keys())
def test_word_templates_are_bounded(tmp_path: Path, plans: Path, source: str) -> None:
    template = word_template(tmp_path / "t.docx", "Before", source)
    out = tmp_path / "out.docx"
    start = time.monotonic()
    code, _, err = run("report", "board-summary", str(plans), "--as-of", "2019-11-19",
                       "-f", "docx", "--template", str(template), "-o", str(out))  # fmt: skip
    assert str(template) in one_line_error(code, err)
    assert not out.exists()
    assert time.monotonic() - start < 15


def test_a_word_template_loop_stops_at_the_deadline(
    tmp_path: Path, plans: Path, short_limits: None
) -> None:
    template = word_template(tmp_path / "t.docx", LOOPS["nested-range"])
    out = tmp_path / "out.docx"
    code, _, err = run("report", "board-summary", str(plans), "--as-of", "2019-11-19",
                       "-f", "docx", "--template", str(template), "-o", str(out))  # fmt: skip
    assert "2 seconds" in one_line_error(code, err)
    assert not out.exists()


# --- item 15: long titles in Word -------------------------------------------------

LONG = (
    "Joint Local Area Special Educational Needs and Disabilities Written Statement of "
    "Action and Improvement Plan of the County Council, the Integrated Care Board, the "
    "Parent Carer Forum and every School and College of the County, agreed with the "
    "Department for Education and NHS England & the <Partners>."
)


def test_the_title_is_long_enough_to_matter() -> None:
    assert len(LONG) == 300


def check_title(data: bytes, heading: str) -> None:
    import io

    doc = Document(io.BytesIO(data))
    title = doc.core_properties.title
    assert len(title) <= 255
    assert title.endswith("…")
    assert heading.startswith(title[:-1])
    assert not heading[len(title) - 1].isalnum()  # cut at a word boundary
    assert heading in [p.text for p in doc.paragraphs]  # the heading stays whole


@pytest.mark.parametrize(
    ("name", "suffix"),
    [
        ("board-summary", ": progress update"),
        ("appendix-a", ": update on progress"),
        ("appendix-b", ": summary position"),
    ],
)
def test_a_300_character_title_in_the_built_in_layout(
    tmp_path: Path, write_plan: WritePlan, name: str, suffix: str
) -> None:
    plans = write_plan("plans/plan.yaml", {"plan.title": LONG}).parent
    out = tmp_path / "out.docx"
    code, _, err = run("report", name, str(plans), "--as-of", "2019-11-19", "-f", "docx",
                       "-o", str(out))  # fmt: skip
    assert code == 0, err
    prefix = "Appendix A: " if name == "appendix-a" else ""
    prefix = "Appendix B: " if name == "appendix-b" else prefix
    heading = LONG + suffix
    data = out.read_bytes()
    import io

    doc = Document(io.BytesIO(data))
    assert any(p.text in (heading, prefix + heading) for p in doc.paragraphs), [
        p.text for p in doc.paragraphs[:3]
    ]
    shown = next(p.text for p in doc.paragraphs if p.text.endswith(heading))
    check_title(data, shown)


def test_a_300_character_title_in_a_council_reference_document(
    tmp_path: Path, write_plan: WritePlan
) -> None:
    plans = write_plan("plans/plan.yaml", {"plan.title": LONG}).parent
    reference = word_template(tmp_path / "council.docx", "Instructions for authors")
    out = tmp_path / "out.docx"
    code, _, err = run("report", "board-summary", str(plans), "--as-of", "2019-11-19",
                       "-f", "docx", "--reference-docx", str(reference), "-o", str(out))  # fmt: skip
    assert code == 0, err
    check_title(out.read_bytes(), LONG + ": progress update")


@pytest.mark.parametrize("title", [None, "{{ document.title }}"], ids=["unset", "tag"])
def test_a_300_character_title_in_a_word_template(
    tmp_path: Path, write_plan: WritePlan, title: str | None
) -> None:
    plans = write_plan("plans/plan.yaml", {"plan.title": LONG}).parent
    template = word_template(tmp_path / "t.docx", "{{ document.title }}", title=title)
    out = tmp_path / "out.docx"
    code, _, err = run("report", "board-summary", str(plans), "--as-of", "2019-11-19",
                       "-f", "docx", "--template", str(template), "-o", str(out))  # fmt: skip
    assert code == 0, err
    check_title(out.read_bytes(), LONG + ": progress update")


def test_a_word_template_property_is_text_not_escaped_xml(
    tmp_path: Path, write_plan: WritePlan
) -> None:
    plans = write_plan("plans/plan.yaml", {"plan.title": "Health & Care <Joint> Plan"}).parent
    template = word_template(
        tmp_path / "t.docx", "{{ document.title }}", title="{{ document.title }} & more"
    )
    out = tmp_path / "out.docx"
    code, _, err = run("report", "board-summary", str(plans), "--as-of", "2019-11-19",
                       "-f", "docx", "--template", str(template), "-o", str(out))  # fmt: skip
    assert code == 0, err
    doc = Document(str(out))
    assert doc.core_properties.title == "Health & Care <Joint> Plan: progress update & more"
    assert doc.paragraphs[0].text == "Health & Care <Joint> Plan: progress update"


def test_a_reference_with_an_absurd_language_falls_back_to_en_gb(
    tmp_path: Path, plans: Path
) -> None:
    reference = word_template(tmp_path / "council.docx", "Instructions for authors")
    doc = Document(str(reference))
    doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang")).set(
        qn("w:val"), "x" * 300
    )
    doc.save(str(reference))
    out = tmp_path / "out.docx"
    code, _, err = run("report", "board-summary", str(plans), "--as-of", "2019-11-19",
                       "-f", "docx", "--reference-docx", str(reference), "-o", str(out))  # fmt: skip
    assert code == 0, err
    assert Document(str(out)).core_properties.language == "en-GB"


def test_a_long_word_without_spaces_is_cut_too(tmp_path: Path, write_plan: WritePlan) -> None:
    plans = write_plan("plans/plan.yaml", {"plan.title": "X" * 300}).parent
    out = tmp_path / "out.docx"
    code, _, err = run("report", "board-summary", str(plans), "--as-of", "2019-11-19",
                       "-f", "docx", "-o", str(out))  # fmt: skip
    assert code == 0, err
    doc = Document(str(out))
    assert doc.core_properties.title == "X" * 254 + "…"
    assert "X" * 300 + ": progress update" in [p.text for p in doc.paragraphs]


# --- the bounds' own workings --------------------------------------------------------


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def monotonic(self) -> float:
        return self.now


def test_renderings_under_one_budget_share_its_total(monkeypatch: pytest.MonkeyPatch) -> None:
    from send_plan.render import bounds

    clock = Clock()
    monkeypatch.setattr(bounds, "time", clock)
    monkeypatch.setattr(limits, "MAX_TEMPLATE_SECONDS", 2)
    budget = bounds.Budget(total=3)
    budget.start()
    clock.now += 1.9
    budget.tick()  # within the 2 seconds of one rendering
    budget.stop()
    clock.now += 50  # time between renderings does not count
    budget.start()
    clock.now += 1.0
    budget.tick()
    clock.now += 0.2  # 3.1 seconds of rendering in all
    with pytest.raises(bounds.TemplateLimit, match="more than 3 seconds in all"):
        budget.tick()
    budget.stop()


def test_one_rendering_stops_at_its_own_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from send_plan.render import bounds

    clock = Clock()
    monkeypatch.setattr(bounds, "time", clock)
    monkeypatch.setattr(limits, "MAX_TEMPLATE_SECONDS", 2)
    budget = bounds.Budget(total=100)
    budget.start()
    clock.now += 2.1
    with pytest.raises(bounds.TemplateLimit, match="more than 2 seconds, the limit for a template"):
        budget.tick()


def test_a_site_page_stops_at_the_deadline(tmp_path: Path, plans: Path, short_limits: None) -> None:
    own = tmp_path / "own"
    own.mkdir()
    (own / "area.html.j2").write_text(LOOPS["nested-range"])
    out = tmp_path / "_site"
    code, _, err = run("site", str(plans), "--as-of", "2019-11-19", "-o", str(out),
                       "--templates", str(own))  # fmt: skip
    message = one_line_error(code, err)
    assert "area.html.j2" in message
    assert "2 seconds" in message
    assert not out.exists()


SAME = [
    "{% for i in range(1500) %}{% if loop.last %}{{ loop.length }} {{ loop.index }} "
    "{{ loop.revindex }}{% endif %}{% endfor %}",
    "{% for i in range(1500) if i is even %}{% if loop.last %}{{ loop.length }}{% endif %}"
    "{% endfor %}",
    "{% for i in [] %}x{% else %}empty{% endfor %}",
    '{% for k, v in {"a": 1}.items() %}{{ k }}={{ v }}{% endfor %}',
    "{% for x in [[1, [2]]] recursive %}{{ x if x is number else loop(x) }}{% endfor %}",
    '{% import "m" as m %}{{ m.f("<b>") }}{% set n = 3 %}{% include "p" %}',
    '{% set x %}a{{ "<" }}b{% endset %}{{ x }}|{{ "<" ~ 1 ~ "&" }}|'
    '{% autoescape false %}{{ "<" ~ 1 }}{% endautoescape %}',
    '{{ "{}-{}".format("<", 2) }} {{ ("{}" | safe).format("<") }} {{ "%s and %d" % ("<", 3) }} '
    '{{ "%(a)s" % {"a": 1} }} {{ "{x}".format_map({"x": "<"}) }}',
    '{{ "a" | center(5) }}| {{ "x" * 3 }} {{ [1] * 2 }} {{ 2 ** 8 }} {{ 7 % 3 }} {{ "ab" + "c" }}',
    '{{ "abc" | replace("b", "X") }} {{ "a b" | wordwrap(1) }} {{ [1, 2] | join(",") }} '
    '{{ [[1], [2]] | sum(start=[]) }} {{ {"a": [1]} | tojson }} {{ "a" | indent(2, first=true) }}',
    '{{ "x".join(["a", "b"]) }} {{ "a".zfill(3) }} {{ "a\\tb".expandtabs(2) }} '
    '{{ "ab".translate({97: "zz"}) }} {{ [1, 2, 3] | slice(2) | list }} {{ [1, 2, 3] | batch(2, 0) | list }}',
    "{% macro f() %}{{ caller() }}{% endmacro %}{% call f() %}<i>{% endcall %}",
]


@pytest.mark.parametrize("autoescape", [False, True])
def test_the_bounded_sandbox_renders_what_jinja_s_own_does(autoescape: bool) -> None:
    from jinja2 import DictLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from send_plan.render.jinja import environment

    templates = {"m": "{% macro f(x) %}[{{ x }}]{% endmacro %}", "p": "part{{ n }}"}
    bounded = environment(DictLoader(templates), autoescape=autoescape)
    plain = ImmutableSandboxedEnvironment(
        loader=DictLoader(templates), undefined=StrictUndefined, autoescape=autoescape,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )  # fmt: skip
    for source in SAME:
        assert bounded.from_string(source).render() == plain.from_string(source).render()
