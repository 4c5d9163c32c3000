"""The rendered report set as a reader meets it (issues 6 and 23): every page, in Finnish,
English and Swedish, opened in headless Chromium over file://, every link followed, no
missing image, no console error, no request leaving the machine; axe-core finds no
accessibility violation on the front page (also after a search), an analysis, a
partnership, a city and an indicator page in each language; the front page's search leaves
Vaasa's pages for "Vasa"; every figure has alt text and its numbers beside it; every page
says how to cite it; figure files at 300 dpi with their source line; number formats.

Screenshots of the front page (before and after typing "Vasa"), an indicator's map and one
report of each kind are saved to ``build/screenshots/``.
"""

from __future__ import annotations

import os
import re
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
    ("city_profile", {"city": "Vasa"}),
    ("indicator", {"indicator": "unemployment_rate"}),
]
LANGS = ("fi", "en", "sv")
# axe-core on one page of each kind in each language: 0 violations of any rule it runs
# (WCAG 2.0/2.1 A and AA, and its best practices: landmarks, headings, regions).
AXED = ["index.html", "analyses/size-classes.html", "partnerships/growth-cities.html",
        "cities/vaasa-905.html", "indicators/unemployment_rate.html"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("site")
    jobs = render.with_linked(  # the city profile links to its similar municipalities' page
        [job for notebook, params in SET for job in render.make_jobs(notebook, params, LANGS)])
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
    assert len(pages) >= 2 * len(LANGS) + len(LANGS) * len(SET)  # front, status, every report
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
    words = {"fi": ("Lähde:", "analyysi: tämä projekti"), "en": ("Source:", "analysis: this project"),
             "sv": ("Källa:", "analys: detta projekt")}
    for svg in svgs:
        text = "".join(ET.parse(svg).getroot().itertext()).replace("\u00a0", " ")
        lang = next((lg for lg in ("en", "sv") if f"/figures/{lg}/" in svg.as_posix()), "fi")
        assert words[lang][0] in text, f"{svg}: no source line"
        assert words[lang][1] in text, svg


def test_every_figure_has_its_numbers_beside_it_and_linked(site):
    """Each figure's plotted numbers as CSV and XLSX beside its PNG and SVG, and the page
    links them next to the image files."""
    import pandas as pd

    pngs = sorted((site / "figures").rglob("*.png"))
    for png in pngs:
        data = png.with_name(f"{png.stem}_data.csv")
        assert data.exists() and data.with_suffix(".xlsx").exists(), png
        assert len(pd.read_csv(data, encoding="utf-8-sig")) > 0, data
    page = (site / "sv" / "indicators" / "unemployment_rate.html").read_text(encoding="utf-8")
    links = re.search(r'<p class="export-links">(.*?)</p>', page).group(1)
    assert re.findall(r">([\w.]+)</a>", links) == ["map.png", "map.svg", "map_data.csv",
                                                    "map_data.xlsx"]
    ranking = pd.read_csv(site / "figures" / "indicators" / "unemployment_rate" / "ranking_data.csv",
                          encoding="utf-8-sig")
    assert ranking["rank"].min() == 1 and ranking["value"].is_monotonic_decreasing


def test_swedish_pages_speak_swedish(site):
    page = (site / "sv" / "cities" / "vaasa-905.html").read_text(encoding="utf-8")
    assert '<html lang="sv">' in page
    assert "Vasa (Vaasa): kommunprofil (905)" in page and "Tillväxtstädernas nätverk" in page
    assert "Björneborg" in page and "invånare" in page
    assert fmt_int(71209, "sv").replace("\u00a0", "&nbsp;") in page or fmt_int(71209, "sv") in page
    helsinki = (site / "sv" / "analyses" / "partnership-network.html").read_text(encoding="utf-8")
    assert "Helsingfors" in helsinki and "Esbo" in helsinki


def test_every_page_says_how_to_cite_it(site):
    for page in _pages(site):
        rel = page.relative_to(site).as_posix()
        text = page.read_text(encoding="utf-8")
        found = re.search(r'<section[^>]*class="cite"', text)
        assert found, rel
        cite = text[found.start():]
        assert f"<code>{rel}</code>" in cite and "population" in cite, rel


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
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "CI must install Debian's chromium (see .ci/run)"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    shots = {"index.html": "index", "analyses/size-classes.html": "analysis-size-classes",
             "analyses/partnership-network.html": "analysis-network",
             "partnerships/growth-cities.html": "partnership-growth-cities",
             "partnerships/regional-towns.html": "partnership-regional-towns",
             "cities/seinajoki-743.html": "city-seinajoki", "en/index.html": "index-en",
             "sv/index.html": "index-sv", "status.html": "status",
             "indicators/unemployment_rate.html": "indicator-unemployment-rate",
             "sv/cities/vaasa-905.html": "city-vaasa-sv",
             f"{render.make_jobs('compare', {'places': similar.group('743')}, ['fi'])[0].rel}":
                 "comparison-seinajoki-similar"}
    axed = {f"{lang}/{rel}" if lang != "fi" else rel for rel in AXED for lang in LANGS}
    axed |= {rel for rel, name in shots.items() if name == "comparison-seinajoki-similar"}
    violations: dict[str, list[str]] = {}
    axe = Axe()
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
            lang = rel.split("/")[0] if rel.split("/")[0] in LANGS else "fi"
            assert page.evaluate("document.documentElement.lang") == lang, rel
            if not rel.endswith(("index.html", "status.html")):
                assert page.evaluate("document.images.length") >= 1 or "regional-towns" in rel, \
                    f"{rel}: no figure"
            no_alt = page.evaluate("Array.from(document.images).filter(i => (i.alt || '').length"
                                   " < 40).map(i => i.alt)")
            problems += [f"{rel}: figure without a real alt text: {alt!r}" for alt in no_alt]
            if rel in axed:
                violations[rel] = _axe(axe, page)
            if rel in shots:
                page.screenshot(path=str(SCREENSHOTS / f"{shots[rel]}.png"),
                                full_page=rel.endswith(("index.html", "status.html")))
        # The front page's search, in each language: "Vasa" leaves Vaasa's pages only.
        for lang in LANGS:
            front = site / ("index.html" if lang == "fi" else f"{lang}/index.html")
            current["url"] = f"{front.relative_to(site)} (search)"
            page.goto(front.as_uri(), wait_until="load")
            page.fill("#q", "Vasa")
            shown = page.evaluate("Array.from(document.querySelectorAll('li[data-search]'))"
                                  ".filter(li => !li.hidden).map(li => li.querySelector('a')"
                                  ".getAttribute('href'))")
            # Vaasa's profile and the comparisons Vaasa is in; nothing else
            with_vaasa = sorted(p.name for p in (site / "comparisons").glob("*.html")
                                if "vaasa-905" in p.name)
            assert with_vaasa, "the set compares Seinäjoki with its similar municipalities"
            assert sorted(href.rsplit("/", 2)[-2:] for href in shown) == sorted(
                [["cities", "vaasa-905.html"]] + [["comparisons", n] for n in with_vaasa]), shown
            assert page.evaluate("document.querySelectorAll('section[data-group]:not([hidden])')"
                                 ".length") == 2
            assert page.text_content("#count").startswith(f"{1 + len(with_vaasa)} ")
            violations[f"{front.relative_to(site)} after typing Vasa"] = _axe(axe, page)
            if lang == "fi":
                page.screenshot(path=str(SCREENSHOTS / "index-search-vasa.png"), full_page=True)
            page.fill("#q", "905")
            assert page.evaluate("document.querySelectorAll('li[data-search]:not([hidden])')"
                                 ".length") == 1 + len(with_vaasa)
            # a partnership's name in any language: the partnership and its members
            page.fill("#q", {"fi": "kasvukaupungit", "en": "growth cities", "sv": "tillväxtstäder"}[lang])
            assert page.evaluate("document.querySelectorAll('li[data-search]:not([hidden])')"
                                 ".length") == 3  # growth-cities, Seinäjoki, Vaasa
        page.goto((site / "indicators" / "unemployment_rate.html").as_uri(), wait_until="load")
        page.locator("img").first.screenshot(path=str(SCREENSHOTS / "indicator-map.png"))
        browser.close()
    assert not problems, "\n".join(problems)
    assert len(violations) == len(AXED) * len(LANGS) + 1 + len(LANGS)  # + the comparison
    found = {rel: ids for rel, ids in violations.items() if ids}
    assert found == {}, f"axe-core violations: {found}"
    (SCREENSHOTS / "axe.txt").write_text("".join(f"{rel}: 0 violations\n" for rel in violations),
                                         encoding="utf-8")
    assert (SCREENSHOTS / "index.png").exists()


def _axe(axe, page) -> list[str]:
    """axe-core's violations on the page as it is now: rule id, impact and where."""
    results = axe.run(page)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
            for v in results.response["violations"]]
