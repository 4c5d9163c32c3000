"""The rendered report set as a reader meets it (issue 6): every page opened in headless
Chromium over file://, every link followed, no missing image, no console error, no request
leaving the machine; figure files at 300 dpi with their source line; Finnish number format.

Screenshots of the index and of one report of each kind are saved to ``build/screenshots/``.
"""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from analysis import render
from analysis.analyses import similar, sizeclass
from analysis.core import paths
from analysis.present.i18n import fmt_int

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = paths.PROJECT_ROOT / "build" / "screenshots"
SET = [
    ("size_classes", {}),
    ("partnership_network", {}),
    ("partnership_profile", {"partnership": "growth-cities"}),
    ("partnership_profile", {"partnership": "regional-towns"}),
    ("city_profile", {"city": "Seinäjoki"}),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("site")
    jobs = render.with_linked(  # the city profile links to its similar municipalities' page
        [job for notebook, params in SET for job in render.make_jobs(notebook, params, ("fi", "en"))])
    summary = render.run(jobs, output=output, n_workers=2, progress=False)
    assert summary.exit_code == 0, render.summary_table(summary)
    return output


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if tag in ("a", "img", "link", "script") and attrs.get(name):
                self.links.append(attrs[name])


def _local_links(page: Path) -> list[str]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return [lg for lg in parser.links if not lg.startswith(("#", "data:", "mailto:"))]


def _pages(site: Path) -> list[Path]:
    """Every HTML page reachable from the index by links."""
    seen, queue = set(), [site / "index.html"]
    while queue:
        page = queue.pop()
        if page in seen:
            continue
        seen.add(page)
        for link in _local_links(page):
            target = (page.parent / unquote(urlparse(link).path)).resolve()
            if target.suffix == ".html" and target.exists():
                queue.append(target)
    return sorted(seen)


def test_every_link_resolves_and_stays_relative(site):
    pages = _pages(site)
    assert len(pages) >= 1 + 2 * len(SET)  # index(es) + both languages of every report
    for page in pages:
        for link in _local_links(page):
            assert not urlparse(link).scheme, f"{page.name}: absolute or external link {link}"
            target = page.parent / unquote(urlparse(link).path)
            assert target.exists(), f"{page.relative_to(site)} links to missing {link}"


def test_figure_files_are_300_dpi_svg_parses_source_line_present(site):
    from PIL import Image

    pngs = sorted((site / "figures").rglob("*.png"))
    svgs = sorted((site / "figures").rglob("*.svg"))
    assert len(pngs) >= 10 and len(svgs) == len(pngs)
    for png in pngs:
        dpi = Image.open(png).info.get("dpi")
        assert dpi and round(dpi[0]) == 300, f"{png.name}: {dpi}"
    for svg in svgs:
        text = "".join(ET.parse(svg).getroot().itertext()).replace("\u00a0", " ")
        in_en = "/figures/en/" in svg.as_posix()
        assert ("Source:" if in_en else "Lähde:") in text, f"{svg}: no source line"
        assert ("analysis: this project" if in_en else "analyysi: tämä projekti") in text


def test_tables_exported_as_csv_and_xlsx(site):
    import pandas as pd

    csvs = sorted((site / "figures").rglob("*.csv"))
    assert csvs
    for csv in csvs:
        assert csv.with_suffix(".xlsx").exists(), csv
    members = pd.read_csv(site / "figures" / "analyses" / "size-classes" / "class_members.csv",
                          encoding="utf-8")
    assert len(members) == len(sizeclass.members())


def test_finnish_size_class_report_formats_the_total_the_finnish_way(site):
    total = int(sizeclass.members()["population"].sum())
    html = (site / "analyses" / "size-classes.html").read_text(encoding="utf-8")
    finnish = fmt_int(total, "fi")  # '977 549' with non-breaking spaces
    assert finnish in html or finnish.replace("\u00a0", "&nbsp;") in html
    english = (site / "en" / "analyses" / "size-classes.html").read_text(encoding="utf-8")
    assert fmt_int(total, "en") in english


@pytest.mark.skipif(not CHROMIUM and not os.environ.get("CI"), reason="no Chromium here")
def test_pages_in_headless_chromium(site):
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "CI must install Debian's chromium (see .ci/run)"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    shots = {"index.html": "index", "analyses/size-classes.html": "analysis-size-classes",
             "analyses/partnership-network.html": "analysis-network",
             "partnerships/growth-cities.html": "partnership-growth-cities",
             "partnerships/regional-towns.html": "partnership-regional-towns",
             "cities/seinajoki-743.html": "city-seinajoki", "en/index.html": "index-en",
             f"{render.make_jobs('compare', {'places': similar.group('743')}, ['fi'])[0].rel}":
                 "comparison-seinajoki-similar"}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        current = {"url": ""}
        page.on("console", lambda m: m.type == "error" and problems.append(
            f"{current['url']}: console error: {m.text}"))
        page.on("pageerror", lambda e: problems.append(f"{current['url']}: page error: {e}"))
        page.on("request", lambda r: not r.url.startswith(("file://", "data:")) and problems.append(
            f"{current['url']}: request leaves the machine: {r.url}"))
        page.on("requestfailed", lambda r: problems.append(f"{current['url']}: failed: {r.url}"))
        for html_page in _pages(site):
            rel = html_page.relative_to(site).as_posix()
            current["url"] = rel
            page.goto(html_page.as_uri(), wait_until="load")
            assert page.title(), f"{rel}: no <title>"
            broken = page.evaluate(
                "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)"
                ".map(i => i.src.slice(0, 80))")
            problems += [f"{rel}: missing image {src}" for src in broken]
            if rel != "index.html" and not rel.endswith("/index.html"):
                assert page.evaluate("document.images.length") >= 1 or "regional-towns" in rel, \
                    f"{rel}: no figure"
            if rel in shots:
                page.screenshot(path=str(SCREENSHOTS / f"{shots[rel]}.png"),
                                full_page=rel.endswith("index.html"))
        browser.close()
    assert not problems, "\n".join(problems)
    assert (SCREENSHOTS / "index.png").exists()
