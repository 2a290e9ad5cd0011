"""The site in a real browser: headless Chromium opens every page from file://.

Each page is checked by axe-core (from the axe-selenium-python package) at
1280 px and at 320 px and must have no violation at all; its structure is
checked too (one h1, headings in order, tables with captions and header cells,
en-GB, a skip link to the main landmark, nothing wider than a 320 px phone,
visible focus), every link must lead to a file inside the site (or be an http(s)
evidence link), nothing may load from outside it, and no page has a script.
Screenshots of every page at both widths go to $SEND_PLAN_SCREENSHOTS, or to a
temporary folder.

Needs Debian's ``chromium`` and ``chromium-driver`` (``apt-get install chromium
chromium-driver``); Selenium uses the system driver at /usr/bin/chromedriver and
never downloads one. Without them these tests are skipped, unless
SEND_PLAN_BROWSER_TESTS=required (as .ci/run sets when it can install them).
"""

from __future__ import annotations

import base64
import os
import shutil
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from site_plans import write_tricky_plan
from typer.testing import CliRunner

from send_plan.cli import app

CHROMIUM = Path("/usr/bin/chromium")
DRIVER = Path("/usr/bin/chromedriver")
HOW = (
    "install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver) "
    "and the test extras (pip install -e '.[test]')"
)
ROOT = Path(__file__).resolve().parent.parent
WIDTHS = (1280, 320)


def _missing() -> str | None:
    absent = [str(p) for p in (CHROMIUM, DRIVER) if not p.exists()]
    try:
        import axe_selenium_python  # noqa: F401
        import selenium  # noqa: F401
    except ImportError as exc:
        absent.append(f"the Python package {exc.name}")
    return f"browser tests need {', '.join(absent)}: {HOW}" if absent else None


_reason = _missing()
if _reason is not None:
    if os.environ.get("SEND_PLAN_BROWSER_TESTS") == "required":
        raise RuntimeError(_reason)
    pytest.skip(_reason, allow_module_level=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plans and a plan written to trip a site up, built into one site."""
    work = tmp_path_factory.mktemp("site")
    tricky = write_tricky_plan(work / "plans")
    out = work / "_site"
    result = CliRunner().invoke(
        app, ["site", str(ROOT / "plans"), str(tricky), "--as-of", "2019-11-19", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = os.environ.get("SEND_PLAN_SCREENSHOTS")
    path = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="send-plan-shots-"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager: never download
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tempfile.mkdtemp(prefix="send-plan-chromium-")
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _width(driver: Any, width: int) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def _open(driver: Any, page: Path, width: int) -> None:
    _width(driver, width)
    driver.get(page.as_uri())
    assert driver.execute_script("return document.readyState") == "complete"


def _screenshot(driver: Any, path: Path) -> None:
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
    )
    path.write_bytes(base64.b64decode(shot["data"]))


STRUCTURE = """
const problems = [];
const html = document.documentElement;
if (html.lang !== 'en-GB') problems.push('lang is ' + html.lang);
const h1 = document.querySelectorAll('h1');
if (h1.length !== 1) problems.push(h1.length + ' h1 elements');
let last = 0;
for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
  const level = Number(h.tagName[1]);
  if (level > last + 1) problems.push('heading ' + h.tagName + ' after h' + last + ': ' + h.textContent.trim());
  last = level;
}
for (const t of document.querySelectorAll('table')) {
  if (!t.querySelector('caption') || !t.caption.textContent.trim()) problems.push('a table without a caption');
  if (!t.querySelector('th')) problems.push('a table without header cells');
}
for (const img of document.querySelectorAll('img')) {
  if (!img.getAttribute('alt')) problems.push('an image without alt text: ' + img.src);
  if (!img.complete || img.naturalWidth === 0) problems.push('an image that did not load: ' + img.src);
}
if (document.querySelectorAll('main').length !== 1) problems.push('not one main landmark');
if (!document.querySelector('header') || !document.querySelector('footer')) problems.push('no header or footer');
const skip = document.querySelector('a');
if (!skip || skip.getAttribute('href') !== '#main' || !document.getElementById('main')) problems.push('no skip link to #main first');
if (document.querySelectorAll('script').length) problems.push('a script element');
const ids = {};
for (const el of document.querySelectorAll('[id]')) { if (ids[el.id]) problems.push('duplicate id ' + el.id); ids[el.id] = 1; }
return problems;
"""


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_passes_axe_and_the_structure_checks(
    site: Path, browser: Any, shots: Path, width: int
) -> None:
    from axe_selenium_python import Axe

    failures: list[str] = []
    for page in pages(site):
        name = page.relative_to(site).as_posix()
        _open(browser, page, width)
        _screenshot(browser, shots / f"{name.replace('/', '__')}-{width}.png")
        axe = Axe(browser, **_axe_script())
        axe.inject()
        results = axe.run()
        if results["violations"]:
            failures.append(f"{name} at {width} px: {axe.report(results['violations'])}")
        failures += [f"{name}: {p}" for p in browser.execute_script(STRUCTURE)]
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth"
        )
        if overflow > 0:
            failures.append(f"{name} at {width} px: the page is {overflow} px too wide")
        loaded = browser.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)"
        )
        outside = [u for u in loaded if not _inside(u, site)]
        if outside:
            failures.append(f"{name}: loads from outside the site: {outside}")
    assert not failures, "\n".join(failures)


def _axe_script() -> dict[str, str]:
    """The packaged axe-core, or another copy named by $SEND_PLAN_AXE_SCRIPT (a newer
    axe.min.js, to check the rules that came after the packaged version)."""
    script = os.environ.get("SEND_PLAN_AXE_SCRIPT")
    return {"script_url": script} if script else {}


def _inside(url: str, site: Path) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "file":
        return False
    return Path(unquote(parts.path)).resolve().is_relative_to(site.resolve())


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        for key in ("href", "src"):
            value = found.get(key)
            if value is not None:
                self.links.append((tag, value))


def test_every_link_resolves_inside_the_site(site: Path, browser: Any) -> None:
    """Every relative link leads to a file in the site, and to an id in it when it
    names one; the only other links are http(s) evidence links."""
    parsed: dict[Path, _Links] = {}
    for page in pages(site):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        parsed[page.resolve()] = parser
    failures = []
    for path, parser in parsed.items():
        page = path.relative_to(site.resolve())
        for tag, link in parser.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https"):
                if tag != "a":
                    failures.append(f"{page}: loads {link}")
                continue
            if parts.scheme or parts.netloc or link.startswith("/"):
                failures.append(f"{page}: not a relative link: {link}")
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_relative_to(site.resolve()) or not target.is_file():
                failures.append(f"{page}: {link} does not lead to a file in the site")
            elif parts.fragment and parts.fragment not in parsed[target].ids:
                failures.append(f"{page}: {link}: no id '{parts.fragment}' there")
    assert not failures, "\n".join(failures)
    # and the browser follows them: the first plan's first area, from the index
    _open(browser, site / "index.html", 1280)
    browser.find_element("css selector", ".plan-card h2 a").click()
    assert browser.find_element("css selector", "h1").text
    browser.find_element("css selector", "table.areas tbody th a").click()
    assert browser.current_url.startswith((site / "").as_uri())
    assert "area-" in browser.current_url


def test_focus_is_visible_and_the_skip_link_comes_first(site: Path, browser: Any) -> None:
    from selenium.webdriver.common.keys import Keys

    for width in WIDTHS:
        _open(browser, site / "index.html", width)
        body = browser.find_element("css selector", "body")
        body.send_keys(Keys.TAB)
        focused = browser.switch_to.active_element
        assert focused.get_attribute("class") == "skip-link"
        assert focused.is_displayed()
        assert focused.rect["x"] >= 0
        focused.send_keys(Keys.TAB)
        link = browser.switch_to.active_element
        style = browser.execute_script(
            "const s = getComputedStyle(arguments[0]);"
            "return [s.backgroundColor, s.boxShadow, s.outlineStyle];",
            link,
        )
        assert style[0] == "rgb(255, 221, 0)", style  # the yellow focus mark
        assert style[1] != "none", style
