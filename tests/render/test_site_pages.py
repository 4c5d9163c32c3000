"""The site's own pages without rendering a report: the readers' front page (grouped,
searchable by names in three languages, codes and partnerships, offline), the status page
(the build status moved off the front page) and the "how to cite" block on both."""

from __future__ import annotations

import re
from pathlib import Path

from analysis.render import index
from analysis.render.manifest import write_manifest

PAGES = {  # rel -> (stem, lang, group, title, params)
    "cities/vaasa-905.html": ("cities/vaasa-905", "fi", "cities", "Vaasa (Vasa): kuntaprofiili (905)",
                              {"city": "905", "year": 2025}),
    "sv/cities/vaasa-905.html": ("cities/vaasa-905", "sv", "cities", "Vasa (Vaasa): kommunprofil (905)",
                                 {"city": "905", "year": 2025}),
    "cities/pori-609.html": ("cities/pori-609", "fi", "cities", "Pori (Björneborg): kuntaprofiili (609)",
                             {"city": "609", "year": 2025}),
    "partnerships/c6.html": ("partnerships/c6", "fi", "partnerships", "C6-allianssi",
                             {"partnership": "c6", "year": 2025}),
    "indicators/median_income.html": ("indicators/median_income", "fi", "indicators",
                                      "Rahatulojen mediaani kulutusyksikköä kohden, 2024",
                                      {"indicator": "median_income", "outline": [40000, 100000]}),
    "analyses/size-classes.html": ("analyses/size-classes", "fi", "analyses",
                                   "Kokoluokka 40 000–100 000 asukasta, 2025", {}),
}


def _site(tmp_path: Path, failed: str | None = None) -> Path:
    out = tmp_path / "reports"
    reports = {}
    for rel, (stem, lang, group, title, params) in PAGES.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text("<html></html>", encoding="utf-8")
        reports[rel] = {"stem": stem, "lang": lang, "group": group, "title": title,
                        "params": params, "given": params, "status": "ok",
                        "rendered": "2026-06-30T10:00:00+03:00", "vintage": {"population": "1972–2025"}}
    if failed:
        reports[failed].update(status="failed", error="RuntimeError: it broke")
    manifest = {"version": 2, "reports": reports}
    write_manifest(out, manifest)
    index.write(out, manifest)
    return out


def _entries(html: str) -> dict[str, str]:
    """href -> data-search of every entry of a front page."""
    return {href: text for text, href in
            re.findall(r'<li data-search="([^"]*)"><a href="([^"]+)"', html)}


def test_front_page_groups_every_page_and_is_searchable_in_three_languages(tmp_path):
    out = _site(tmp_path)
    front = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fi">' in front and "<main>" in front
    order = [front.index(f'id="g-{g}"') for g in ("analyses", "indicators", "partnerships", "cities")]
    assert order == sorted(order)
    entries = _entries(front)
    assert set(entries) == {"cities/vaasa-905.html", "cities/pori-609.html", "partnerships/c6.html",
                            "indicators/median_income.html", "analyses/size-classes.html"}
    vaasa = entries["cities/vaasa-905.html"]
    for term in ("Vaasa", "Vasa", "905", "Pohjanmaa", "Österbotten", "Kasvukaupunkien verkosto",
                 "Tillväxtstädernas nätverk", "Growth-cities network"):
        assert term in vaasa, term
    assert "Vasa" not in " ".join(v for k, v in entries.items() if k != "cities/vaasa-905.html")
    assert "Björneborg" in entries["cities/pori-609.html"]
    assert "Medianen för disponibla" in entries["indicators/median_income.html"]
    assert "C6-alliansen" in entries["partnerships/c6.html"]
    # the Swedish version is linked beside the Finnish one; the status table is elsewhere
    assert 'href="sv/cities/vaasa-905.html" hreflang="sv" lang="sv"' in front
    assert "ajan tasalla" not in front and 'href="status.html"' in front


def test_front_page_search_is_offline_and_degrades_without_script(tmp_path):
    front = (_site(tmp_path) / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<form class="search" id="search" role="search" hidden>', front)
    assert '<label for="q">' in front
    scripts = re.findall(r"<script([^>]*)>", front)
    assert scripts == [""], "one inline script, nothing loaded from anywhere"
    assert "http" not in front.split("<script>")[1]


def test_front_and_status_pages_in_every_language_rendered(tmp_path):
    out = _site(tmp_path)
    sv = (out / "sv" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="sv">' in sv and "Sök bland sidorna" in sv
    entries = _entries(sv)
    # the Swedish version where there is one, else the page in the language it exists in
    assert "../sv/cities/vaasa-905.html" in entries
    assert '<a href="../cities/pori-609.html" hreflang="fi" lang="fi">' in sv
    for href in entries:
        assert (out / "sv" / href).resolve().exists(), href
    for page in ("index.html", "status.html", "sv/index.html", "sv/status.html"):
        assert (out / page).exists(), page


def test_status_page_keeps_the_build_status(tmp_path):
    out = _site(tmp_path, failed="partnerships/c6.html")
    status = (out / "status.html").read_text(encoding="utf-8")
    assert "<main>" in status and 'href="index.html"' in status
    assert "epäonnistui, aiempi versio näytetään" in status and "RuntimeError: it broke" in status
    assert "ajan tasalla" in status and "city=&#39;905&#39;" in status


def test_front_and_status_pages_say_how_to_cite_them(tmp_path):
    out = _site(tmp_path)
    for page, address in (("index.html", "index.html"), ("status.html", "status.html"),
                          ("sv/index.html", "sv/index.html")):
        html = (out / page).read_text(encoding="utf-8")
        cite = html[html.index('<section class="cite"'):]
        assert "population 1972–" in cite and f"<code>{address}</code>" in cite, page
        assert "&lt;" not in cite, f"{page}: the cite block is escaped twice"
