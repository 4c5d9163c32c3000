"""analysis render: validation before any kernel, the default set from the data, fine-grained
cache keys, and (slow) real renders: links, titles, images, skips, failures, isolation."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analysis import data, render
from analysis.cli import app
from analysis.core import paths
from analysis.data import provenance

FIXTURES = Path(__file__).parents[1] / "fixtures"


# ------------------------------------------------------------------ no kernel needed
@pytest.mark.parametrize("args, message", [
    (["city_profile", "-p", "city", "Porri"], "did you mean Pori 609"),
    (["city_profile", "-p", "city", "Pori", "-p", "year", "1900"], "available years: 1972–"),
    (["city_profile", "-p", "yaer", "2020"], "no parameter 'yaer'; did you mean 'year'?"),
    (["city_profile", "-p", "city", "[1, 2]"], "city=[1, 2] is a list"),
    (["partnership_profile", "-p", "partnership", "growth"], "did you mean 'growth-cities'?"),
    (["city_profile", "-p", "export_dir", "/tmp"], "export_dir is set by analysis render"),
    (["no_such_notebook"], "no notebook 'no_such_notebook'"),
])
def test_bad_parameters_fail_before_any_kernel_and_write_nothing(tmp_path, no_kernel, args, message):
    out = tmp_path / "reports"
    result = CliRunner().invoke(app, ["render", *args, "--output", str(out)])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1  # one line, no traceback
    assert not out.exists()


def test_parse_value_like_papermill():
    assert render.parse_value("2010") == 2010
    assert render.parse_value("Pori") == "Pori"
    assert render.parse_value("None") is None
    assert render.parse_value("[20000, 40000]") == [20000, 40000]
    assert render.parse_value("false") is False and render.parse_value("True") is True


def test_default_set_comes_from_the_data():
    cities = render.profile_cities()
    member_codes = set(data.memberships()["code"])
    assert len(member_codes) == 25
    assert len(cities) == 27  # 25 partnership cities + Järvenpää and Lohja (class only)
    assert {"186", "444"} <= set(cities) and not {"186", "444"} & member_codes
    assert "growth-cities" in cities["743"] and "40,000–100,000" in cities["743"]
    jobs = render.default_jobs(["fi", "en"])
    analyses = [j for j in jobs if j.group == "analyses"]
    rels = {j.rel for j in jobs}
    indicators = [j for j in jobs if j.group == "indicators"]
    assert len(indicators) == 2 * 13  # one page per indicator of the catalogue
    # each city profile's comparison with its similar municipalities comes along (it links to it)
    assert len(jobs) == 2 * (len(analyses) // 2 + 13 + 6 + 27 + 27)
    assert {"partnerships/regional-towns.html", "en/partnerships/regional-towns.html",
            "cities/seinajoki-743.html", "en/cities/seinajoki-743.html"} <= rels
    assert len(render.profile_cities(all_municipalities=True)) == 308


def test_report_names_are_stable_and_readable():
    [job] = render.make_jobs("city_profile", {"city": "Björneborg"}, ["en"])
    assert job.rel == "en/cities/pori-609.html" and job.figures == "figures/en/cities/pori-609"
    [job] = render.make_jobs("city_profile", {"city": "Pori", "year": 2010}, ["fi"])
    assert job.rel == "cities/pori-609--year-2010.html"


def _pori_2010_changed(tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, copy)
    pop = (copy / "population.csv").read_text(encoding="utf-8")
    changed = pop.replace("609,2010,", "609,2010,1", 1)  # Pori's 2010 figure gets a leading 1
    assert changed != pop
    (copy / "population.csv").write_text(changed, encoding="utf-8")
    provenance.reseal(copy)  # an edit on purpose: record the new checksum
    return copy


def _reads_of(call) -> list:
    """The read set of running ``call`` in this process (as the kernel records it)."""
    from analysis.data import readset

    readset.start()
    call()
    return readset.collected()


def test_read_sets_follow_only_the_data_a_report_reads(tmp_path):
    from analysis.analyses import profiles
    from analysis.present.text import city_profile as city_view

    def city(name):
        return lambda: city_view.peer_table(profiles.city_profile(name), "fi")

    reads = {"pori": _reads_of(city("Pori")), "vaasa": _reads_of(city("Vaasa")),
             "growth": _reads_of(lambda: profiles.partnership_profile("growth-cities")),
             "c6": _reads_of(lambda: profiles.partnership_profile("c6"))}
    assert ["rows", "population", "code", ["609"]] in reads["pori"]
    assert ["table", "population"] not in reads["vaasa"]  # only slices of it
    before, after = render.Digests(), render.Digests(_pori_2010_changed(tmp_path))
    changed = {name for name, items in reads.items()
               if [before.digest(i) for i in items] != [after.digest(i) for i in items]}
    assert changed == {"pori", "growth"}


# ------------------------------------------------------------------ real renders
class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.sources, self.scripts = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if attrs.get("src"):
            self.sources.append(attrs["src"])
        if tag == "script":
            self.scripts.append(attrs)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def small_set(tmp_path_factory):
    out = tmp_path_factory.mktemp("render") / "reports"
    jobs = (render.make_jobs("city_profile", {"city": "Pori"}, ["fi", "en"])
            + render.make_jobs("city_profile", {"city": "Järvenpää"}, ["fi"])
            + render.make_jobs("partnership_profile", {"partnership": "growth-cities"}, ["fi"])
            + render.make_jobs(FIXTURES / "minimal.ipynb", {}, ["fi"]))
    summary = render.run(jobs, out, n_workers=2, progress=False)
    return out, jobs, summary


@pytest.mark.slow
def test_small_set_renders_with_resolving_links(small_set):
    out, jobs, summary = small_set
    assert summary.exit_code == 0, render.summary_table(summary)
    assert summary.count("rendered") == len(jobs)
    for index in (out / "index.html", out / "en" / "index.html", out / "status.html",
                  out / "en" / "status.html"):
        links = _parse(index).links
        assert links, index
        for href in links:
            assert not re.match(r"^[a-z]+://|^/", href), f"absolute link {href} in {index}"
            assert (index.parent / href).resolve().exists(), f"{index}: broken link {href}"
    index = (out / "index.html").read_text(encoding="utf-8")
    for rel in ("cities/pori-609.html", "en/cities/pori-609.html",
                "partnerships/growth-cities.html", "cities/jarvenpaa-186.html"):
        assert f'href="{rel}"' in index


@pytest.mark.slow
def test_reports_are_offline_titled_and_show_the_data(small_set):
    out, _, _ = small_set
    for rel in ("cities/pori-609.html", "en/cities/pori-609.html",
                "partnerships/growth-cities.html", "analyses/minimal.html"):
        page = out / rel
        parsed = _parse(page)
        text = page.read_text(encoding="utf-8")
        assert not parsed.scripts, f"{rel}: <script> in an offline page"
        assert not [s for s in parsed.sources if not s.startswith("data:")], rel
        assert not re.search(r"""(src|href)=["']?(https?:)?//|url\(["']?(https?:)?//|@import""",
                             text), f"{rel}: something would be fetched from the network"
        assert "data:image/png;base64," in text, f"{rel}: no embedded image"
        assert 'class="jp-InputArea' not in text, f"{rel}: code cells shown"
        # The notebook's first Markdown cell is for JupyterLab readers, not the report.
        assert "the tagged cell below" not in text, f"{rel}: the notebook's Markdown cell shown"
    pori = (out / "cities/pori-609.html").read_text(encoding="utf-8")
    assert "<title>Pori (Björneborg): kuntaprofiili (609)</title>" in pori
    pop = data.population()
    latest = pop[(pop["code"] == "609") & (pop["year"] == pop["year"].max())]["population"].item()
    assert f"{latest:,}".replace(",", "\u00a0") in pori  # latest population, Finnish format
    assert "Kasvukaupunkien verkosto" in pori
    assert f"{latest:,}" in (out / "en/cities/pori-609.html").read_text(encoding="utf-8")
    growth = (out / "partnerships/growth-cities.html").read_text(encoding="utf-8")
    names = data.municipalities().set_index("code")["name_fi"]
    members = data.memberships().query("partnership_id == 'growth-cities'")["code"]
    assert len(members) == 15
    for code in members:
        assert names[code] in growth
    figures = out / "figures/cities/pori-609"
    assert {"population.png", "population.svg", "locator_map.png", "class_peers.csv",
            "class_peers.xlsx"} <= {p.name for p in figures.iterdir()}
    assert 'href="../figures/cities/pori-609/population.png"' in pori
    assert (out / "en/cities/pori-609.html").read_text(encoding="utf-8").count(
        '../../figures/en/cities/pori-609/') >= 4


class _Page(HTMLParser):
    """What a reader gets from a report page's outputs (navigation, <title> and template
    aside): the text outside the provenance footer and the export links, tables cell by
    cell, and the embedded images."""

    def __init__(self):
        super().__init__()
        self.text, self.cells, self.images = [], [], []
        self._output = 0  # depth of <div> inside an output area (0: outside)
        self._skip = None  # [tag, depth] inside the footer, a <style> or the export links
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and (self._output or "jp-OutputArea-output" in (attrs.get("class") or "")):
            self._output += 1
        if self._skip:
            self._skip[1] += tag == self._skip[0]
        elif tag in ("footer", "style") or (tag == "p" and attrs.get("class") == "export-links"):
            self._skip = [tag, 1]
        if tag in ("td", "th"):
            self._cell = []
        if self._output and tag == "img" and (attrs.get("src") or "").startswith("data:image/png"):
            self.images.append(attrs.get("width"))

    def handle_endtag(self, tag):
        if tag == "div" and self._output:
            self._output -= 1
        if self._skip and tag == self._skip[0]:
            self._skip[1] -= 1
            if not self._skip[1]:
                self._skip = None
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._skip or not self._output:
            return
        if self._cell is not None:
            self._cell.append(data)
        if data.strip():
            self.text.append(" ".join(data.split()))


def _page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.mark.slow
def test_fast_render_matches_plain_papermill_and_nbconvert(small_set, tmp_path):
    """Issue 15: the warm-kernel pipeline (one drawing per figure, in-process HTML) gives
    the page that the plain ``papermill`` + ``jupyter nbconvert`` commands give: the same
    text and numbers, the same tables cell by cell, as many embedded images of the same
    size, and the same exported files (tables byte for byte, figures 300-dpi PNG and SVG of
    the same size)."""
    from PIL import Image

    out, _, _ = small_set
    bin_dir = Path(sys.executable).parent
    run = dict(capture_output=True, text=True, timeout=300,
               env={**os.environ, "MPLBACKEND": "Agg"})
    result = subprocess.run([str(bin_dir / "papermill"), str(paths.NOTEBOOKS_DIR / "city_profile.ipynb"),
                             str(tmp_path / "pori.ipynb"), "--cwd", str(tmp_path),
                             "-p", "city", "Pori", "-p", "lang", "fi", "-p", "export_dir", "files"],
                            **run)
    assert result.returncode == 0, result.stderr[-2000:]
    result = subprocess.run([str(bin_dir / "jupyter"), "nbconvert", "--to", "html",
                             "--no-input", str(tmp_path / "pori.ipynb")], **run)
    assert result.returncode == 0, result.stderr[-2000:]

    fast, plain = _page(out / "cities/pori-609.html"), _page(tmp_path / "pori.html")
    assert fast.cells and fast.cells == plain.cells
    assert len(fast.text) > 20 and fast.text == plain.text
    assert len(fast.images) == len(plain.images) == 5
    assert fast.images == plain.images  # display widths: the figures' sizes at screen scale

    fast_files, plain_files = out / "figures/cities/pori-609", tmp_path / "files"
    names = sorted(p.name for p in fast_files.iterdir())
    assert names == sorted(p.name for p in plain_files.iterdir())
    assert sum(n.endswith(".png") for n in names) == sum(n.endswith(".svg") for n in names) == 5
    for name in names:
        a, b = fast_files / name, plain_files / name
        if name.endswith(".png"):
            with Image.open(a) as x, Image.open(b) as y:
                assert x.size == y.size and x.mode == y.mode, name
                assert round(x.info["dpi"][0]) == round(y.info["dpi"][0]) == 300, name
        elif name.endswith(".svg"):
            size = r'<svg[^>]* width="([^"]+)" height="([^"]+)"'
            assert re.search(size, a.read_text()).groups() == re.search(size, b.read_text()).groups()
        elif name.endswith(".csv"):
            assert a.read_bytes() == b.read_bytes(), name


@pytest.mark.slow
def test_second_run_skips_all_and_changed_data_rerenders_dependants(small_set, tmp_path,
                                                                     monkeypatch):
    out, jobs, _ = small_set
    again = render.run(jobs, out, n_workers=2, progress=False)
    assert again.count("unchanged") == len(jobs)
    monkeypatch.setenv("ANALYSIS_DATA_DIR", str(_pori_2010_changed(tmp_path)))
    third = render.run(jobs, out, n_workers=2, progress=False)
    rendered = {o.job.rel for o in third.outcomes if o.status == "rendered"}
    # minimal.ipynb reads no data at all (its read set is empty): it stays as it is.
    assert rendered == {"cities/pori-609.html", "en/cities/pori-609.html",
                        "partnerships/growth-cities.html"}


@pytest.mark.slow
def test_failing_report_keeps_old_html_and_others_render(tmp_path):
    out = tmp_path / "reports"
    flaky = tmp_path / "flaky.ipynb"
    shutil.copy(FIXTURES / "minimal.ipynb", flaky)
    first = render.run(render.make_jobs(flaky, {}, ["fi"]), out, n_workers=1, progress=False)
    assert first.exit_code == 0
    old_html = (out / "analyses/flaky.html").read_bytes()
    old_figures = sorted(p.name for p in (out / "figures/analyses/flaky").iterdir())

    shutil.copy(FIXTURES / "failing.ipynb", flaky)  # the notebook changed: it now fails
    jobs = render.make_jobs(flaky, {}, ["fi"]) + render.make_jobs(FIXTURES / "minimal.ipynb", {}, ["fi"])
    second = render.run(jobs, out, n_workers=2, progress=False)
    assert second.exit_code == 1
    [failed] = second.failed
    assert failed.job.rel == "analyses/flaky.html"
    assert failed.error == "RuntimeError: fixture failure: this notebook always fails"
    assert (out / "analyses/flaky.html").read_bytes() == old_html
    assert sorted(p.name for p in (out / "figures/analyses/flaky").iterdir()) == old_figures
    saved = out / "_failed/analyses/flaky.ipynb"
    assert "fixture failure" in saved.read_text(encoding="utf-8")
    assert (out / "analyses/minimal.html").exists()
    table = render.summary_table(second)
    assert "failed" in table and "fixture failure" in table and "_failed/analyses/flaky.ipynb" in table
    status = (out / "status.html").read_text(encoding="utf-8")
    assert 'href="analyses/flaky.html"' in status and "fixture failure" in status
    assert 'href="analyses/flaky.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert not list(out.rglob("*.tmp")) and not (out / "_staging").exists()


@pytest.mark.slow
def test_state_does_not_leak_between_reports_of_one_worker(tmp_path):
    out = tmp_path / "reports"
    jobs = (render.make_jobs(FIXTURES / "leaky.ipynb", {}, ["fi"])
            + render.make_jobs(FIXTURES / "isolation_check.ipynb", {}, ["fi"]))
    summary = render.run(jobs, out, n_workers=1, progress=False)  # one worker: same kernel
    assert summary.exit_code == 0, render.summary_table(summary)
    check = (out / "analyses/isolation-check.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in check  # figures still shown after the reset


@pytest.mark.slow
@pytest.mark.parametrize("notebook, args", [
    ("city_profile.ipynb", ["-p", "city", "Pori"]),
    ("partnership_profile.ipynb", []),
])
def test_plain_papermill_runs_the_profiles(tmp_path, notebook, args):
    papermill = Path(sys.executable).with_name("papermill")
    # conftest exports MPLBACKEND=Agg, as headless servers do: Report.figure embeds a PNG
    # it renders itself, so the figures must be there all the same.
    env = {**os.environ, "MPLBACKEND": "Agg"}
    result = subprocess.run([str(papermill), str(paths.NOTEBOOKS_DIR / notebook),
                             str(tmp_path / "out.ipynb"), *args, "--cwd", str(tmp_path)],
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    executed = (tmp_path / "out.ipynb").read_text(encoding="utf-8")
    assert ("Pori (Björneborg): kuntaprofiili" in executed if "city" in notebook
            else "# Kasvukaupunkien verkosto" in executed)
    assert "image/png" in executed
