"""Issue 12: reports you can trust after any change or fault.

Fast tests (no kernel): bad input is one line before anything runs, YAML codes keep their
zeros, equivalent parameters give one report, long names, damaged manifests, the folder
lock, data errors. Slow tests (real kernels, small sets): the stale Pori 2010 row, a
notebook reading a table nobody declared, --stale and --prune, a worker that fails to
start, SIGTERM and SIGKILL mid-render, plain papermill with README's values.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

import analysis.render.jobs  # noqa: F401 - render.jobs, render.pool below
import analysis.render.pool  # noqa: F401
from analysis import render
from analysis.cli import app
from analysis.core import paths
from analysis.core.files import file_digest
from analysis.data import provenance

FIXTURES = Path(__file__).parents[1] / "fixtures"
ANALYSIS = Path(sys.executable).with_name("analysis")


@pytest.fixture
def no_kernel(monkeypatch):
    """Fail the test if anything tries to start a render worker."""
    def refuse(*args, **kwargs):
        raise AssertionError("a render started although the input was invalid")

    monkeypatch.setattr(render.pool, "_execute", refuse)


def _one_line_error(result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert message in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output  # no traceback


# ------------------------------------------------------------------ bad input, one line
@pytest.mark.parametrize("content, message", [
    ("- city\n- Pori\n", "holds a list"),
    ("Pori\n", "holds a str"),
    (b"city: Hyvink\xe4\xe4\n", "is not UTF-8"),
    ("city: [Pori\n", "cannot read"),
])
def test_bad_parameters_file_is_one_line(tmp_path, no_kernel, content, message):
    params = tmp_path / "params.yaml"
    params.write_bytes(content if isinstance(content, bytes) else content.encode())
    out = tmp_path / "reports"
    result = CliRunner().invoke(app, ["render", "city_profile", "-y", str(params),
                                      "--output", str(out)])
    _one_line_error(result, message)
    assert not out.exists()


def test_yaml_municipality_code_keeps_its_leading_zero(tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text("city: 020\nyear: 2010\n", encoding="utf-8")  # 020 = Akaa; octal 16 = Asikkala
    result = CliRunner().invoke(app, ["render", "city_profile", "-y", str(params), "--list",
                                      "--lang", "fi", "--output", str(tmp_path / "reports")])
    assert result.exit_code == 0, result.output
    assert "cities/akaa-020--year-2010.html" in result.output


@pytest.mark.parametrize("args, message", [
    (["--lang", ""], "--lang is empty"),
    (["--lang", "fi,de"], "lang='de' is not available"),
    (["partnership_network", "-p", "highlight_city", "Porri"], "did you mean Pori 609"),
    (["partnership_network", "-p", "layout_seed", "-1"], "layout_seed=-1 must be a non-negative"),
    (["size_classes", "-p", "bounds", "[" + ",".join(str(i * 1000) for i in range(40)) + "]"],
     "40 edges; give at most 20"),
    (["size_classes", "-p", "bounds", "[0, 99999999999]"], "more than the population"),
    (["size_classes", "-p", "highlight", "c7"], "unknown partnership 'c7'"),
])
def test_every_parameter_is_checked_before_a_kernel(tmp_path, no_kernel, args, message):
    out = tmp_path / "reports"
    result = CliRunner().invoke(app, ["render", *args, "--output", str(out)])
    _one_line_error(result, message)
    assert not out.exists()


def test_output_that_is_a_file_is_one_line(tmp_path, no_kernel):
    target = tmp_path / "reports"
    target.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(app, ["render", "city_profile", "--output", str(target / "x")])
    _one_line_error(result, "is a file, not a folder")


def test_languages_are_deduplicated_and_jobs_capped(tmp_path, monkeypatch):
    seen = {}

    def fake_run(jobs, output, n_workers, **kwargs):
        seen.update(jobs=jobs, n_workers=n_workers)
        return render.Summary([], Path(output))

    monkeypatch.setattr(render, "run", fake_run)
    result = CliRunner().invoke(app, ["render", "city_profile", "--lang", "fi,fi",
                                      "--jobs", "100", "--output", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    # the profile (Seinäjoki) and the comparison page it links to, each once, in Finnish
    assert [(j.group, j.lang) for j in seen["jobs"]] == [("cities", "fi"), ("comparisons", "fi")]
    assert seen["n_workers"] == render.max_workers() <= (os.cpu_count() or 1)


@pytest.mark.parametrize("command", [
    ["render", "city_profile", "-p", "city", "Pori"],
    ["render", "--list"],
    ["network", "export"],
])
def test_data_errors_are_one_line_before_any_kernel(tmp_path, snapshot_copy, monkeypatch,
                                                    no_kernel, command):
    pop = snapshot_copy / "population.csv"
    pop.write_text(pop.read_text(encoding="utf-8").replace("609,2010,", "609,2010,x", 1),
                   encoding="utf-8")
    monkeypatch.setenv("ANALYSIS_DATA_DIR", str(snapshot_copy))
    out = tmp_path / "out"
    args = [*command, str(out / "net.graphml")] if command[0] == "network" else [
        *command, "--output", str(out)]
    result = CliRunner().invoke(app, args)
    _one_line_error(result, "population.csv: row")
    assert not out.exists()


def test_broken_boundaries_are_one_line_before_any_kernel(tmp_path, snapshot_copy, monkeypatch,
                                                          no_kernel):
    gpkg = snapshot_copy / "boundaries.gpkg"
    gpkg.write_bytes(gpkg.read_bytes()[:5000])  # a truncated copy
    monkeypatch.setenv("ANALYSIS_DATA_DIR", str(snapshot_copy))
    result = CliRunner().invoke(app, ["render", "city_profile", "--lang", "fi",
                                      "--output", str(tmp_path / "out")])
    _one_line_error(result, "boundaries.gpkg: sha256 differs")
    from analysis.data import provenance

    provenance.reseal(snapshot_copy)  # the checksum now agrees: the read itself must fail
    result = CliRunner().invoke(app, ["render", "city_profile", "--lang", "fi",
                                      "--output", str(tmp_path / "out")])
    _one_line_error(result, "boundaries.gpkg: cannot be read")


def test_a_failed_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    from analysis.core.files import atomic_write as _atomic_write

    def disk_full(self, *args, **kwargs):
        Path.write_bytes(self, b"half")  # what a full disk leaves: a partial file
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", disk_full)
    with pytest.raises(OSError, match="No space left"):
        _atomic_write(tmp_path / "page.html", "<p>page</p>")
    assert list(tmp_path.iterdir()) == []


def test_equivalent_parameters_give_one_report_and_key():
    ctx = render.Context.now()
    jobs = [render.make_jobs("city_profile", {"city": city}, ["fi"])[0]
            for city in ("PORI", "Pori", "609", 609, "Björneborg")]
    assert {j.rel for j in jobs} == {"cities/pori-609.html"}
    assert len({render.base_key(j, ctx, ["fi"]) for j in jobs}) == 1
    from analysis import data

    latest_year = data.population_years()[-1]
    [latest] = render.make_jobs("size_classes", {"year": latest_year, "bounds": "40000, 100000"},
                                ["fi"])
    assert latest.rel == "analyses/size-classes.html"  # the defaults, spelled otherwise


def test_papermill_values_pass_the_notebook_checks():
    from analysis.analyses import sizeclass

    # papermill -p hands these to the notebook as text (it parses only numbers and True/False)
    assert sizeclass.check_bounds("[20000, 40000]") == (20000, 40000)
    assert sizeclass.check_cities_only("false") is False
    assert sizeclass.check_cities_only("True") is True


def test_too_long_a_name_is_shortened_with_a_stable_hash():
    bounds = [1_000_000 + i * 100_003 for i in range(20)]
    [job] = render.make_jobs("size_classes", {"bounds": bounds}, ["fi"])
    [again] = render.make_jobs("size_classes", {"bounds": bounds}, ["fi"])
    name = Path(job.rel).name
    assert len(name.encode()) <= render.jobs.MAX_NAME_BYTES + len(".html")
    assert name.startswith("size-classes--bounds-1000000-") and job.rel == again.rel
    [other] = render.make_jobs("size_classes", {"bounds": bounds[:-1] + [9_999_999]}, ["fi"])
    assert other.rel != job.rel


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"reports": []}',
                                     json.dumps({"version": 2, "reports": {
                                         "analyses/" + "x" * 300 + ".html": {
                                             "status": "ok", "lang": "fi", "stem": "s",
                                             "group": "analyses"},
                                         "analyses/odd.html": "not an entry"}})])
def test_unreadable_manifest_is_rebuilt_with_a_warning(tmp_path, content):
    out = tmp_path / "reports"
    out.mkdir()
    (out / render.MANIFEST).write_text(content, encoding="utf-8")
    warnings = []
    summary = render.run([], out, progress=False, default_set=None, warn=warnings.append)
    assert summary.exit_code == 0
    assert warnings and all(w.startswith("warning: ") for w in warnings)
    assert json.loads((out / render.MANIFEST).read_text(encoding="utf-8"))["reports"] == {}
    assert (out / "index.html").exists()


def test_second_render_into_a_locked_folder_exits_with_one_line(tmp_path, no_kernel):
    out = tmp_path / "reports"
    out.mkdir()
    held = render.lock_folder(out)  # as a first render would hold it
    try:
        result = CliRunner().invoke(app, ["render", str(FIXTURES / "minimal.ipynb"),
                                          "--lang", "fi", "--output", str(out)])
    finally:
        held.close()
    _one_line_error(result, "another analysis render is writing into")
    assert not (out / render.MANIFEST).exists()


def test_interrupted_folder_is_made_consistent(tmp_path):
    out = tmp_path / "reports"
    (out / "_staging/abc").mkdir(parents=True)
    (out / "cities").mkdir()
    (out / "cities/.pori-609.html.1234abcd.tmp").write_text("", encoding="utf-8")
    (out / "cities/orphan-999.html").write_text("<p>a reader's own page</p>", encoding="utf-8")
    summary = render.run([], out, progress=False, default_set=None)
    assert summary.exit_code == 0
    assert not (out / "_staging").exists() and not list(out.rglob("*.tmp"))
    # A page the tool did not write is never removed, nor listed as the tool's.
    assert (out / "cities/orphan-999.html").read_text(encoding="utf-8") == "<p>a reader's own page</p>"
    assert "orphan-999" not in (out / "index.html").read_text(encoding="utf-8")


def test_stale_status_names_what_changed(tmp_path):

    ctx = render.Context.now()
    item = ["rows", "population", "code", ["609"]]
    entry = {"status": "ok", "lang": "fi", "stem": "cities/pori-609", "group": "cities",
             "notebook_path": str(paths.NOTEBOOKS_DIR / "city_profile.ipynb"),
             "notebook_digest": file_digest(paths.NOTEBOOKS_DIR / "city_profile.ipynb"),
             "package": ctx.package, "commit": ctx.commit,
             "reads": [[item, ctx.digests.digest(item)]]}
    assert render.entry_status("cities/pori-609.html", entry, ctx, None) == ("ok", "")
    assert render.entry_status("cities/pori-609.html", entry, ctx, set()) == ("ok", "")
    was_default = {**entry, "in_default": True}
    assert render.entry_status("cities/pori-609.html", was_default, ctx, set())[0] == "extra"
    changed = render.Context(ctx.package, ctx.commit, render.Digests(_pori_2010_changed(tmp_path)))
    assert render.entry_status("cities/pori-609.html", entry, changed, None) == (
        "stale", "population (code 609)")


def _pori_2010_changed(tmp_path) -> Path:
    copy = tmp_path / "data"
    if not copy.exists():
        shutil.copytree(paths.DATA_DIR, copy)
    pop = (copy / "population.csv").read_text(encoding="utf-8")
    changed = pop.replace("609,2010,", "609,2010,1", 1)
    assert changed != pop
    (copy / "population.csv").write_text(changed, encoding="utf-8")
    provenance.reseal(copy)  # an edit on purpose: record the new checksum
    return copy


# ------------------------------------------------------------------ real renders
def _index_row(out: Path, rel: str) -> str:
    text = (out / "status.html").read_text(encoding="utf-8")
    row = next(r for r in text.split("<tr>") if f'href="{rel}"' in r)
    return row


@pytest.mark.slow
def test_index_marks_pori_2010_stale_after_its_data_changed(tmp_path, monkeypatch):
    out = tmp_path / "reports"
    pori = render.make_jobs("city_profile", {"city": "Pori", "year": 2010}, ["fi"])
    oulu = render.make_jobs("city_profile", {"city": "Oulu"}, ["fi"])
    default_set = {"cities/oulu-564.html"}  # a small stand-in for the default set
    assert render.run(pori, out, n_workers=1, progress=False,
                      default_set=default_set).exit_code == 0
    assert "ajan tasalla" in _index_row(out, "cities/pori-609--year-2010.html")
    monkeypatch.setenv("ANALYSIS_DATA_DIR", str(_pori_2010_changed(tmp_path)))
    assert render.run(oulu, out, n_workers=1, progress=False,
                      default_set=default_set).exit_code == 0
    row = _index_row(out, "cities/pori-609--year-2010.html")
    assert "vanhentunut" in row and "population (code 609)" in row and "ajan tasalla" not in row
    # --stale renders exactly that one; afterwards it is up to date again
    stale = render.stale_jobs(out)
    assert [j.rel for j in stale] == ["cities/pori-609--year-2010.html"]
    again = render.run(stale, out, n_workers=1, progress=False, default_set=default_set)
    assert again.count("rendered") == 1
    assert "ajan tasalla" in _index_row(out, "cities/pori-609--year-2010.html")
    # Oulu leaves the default set: the index says so, --prune removes it, Pori 2010
    # (rendered on request, never in the default set) stays.
    render.run([], out, progress=False, default_set=set())
    assert "ei enää oletusjoukossa" in _index_row(out, "cities/oulu-564.html")
    assert render.prune(out, set()) == ["cities/oulu-564.html"]
    assert not (out / "cities/oulu-564.html").exists()
    assert not (out / "figures/cities/oulu-564").exists()
    assert (out / "cities/pori-609--year-2010.html").exists()
    assert "oulu-564" not in (out / "index.html").read_text(encoding="utf-8")
    assert "oulu-564" not in (out / "status.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_notebook_reading_an_undeclared_table_rerenders_when_it_changes(tmp_path, snapshot_copy,
                                                                         monkeypatch):
    monkeypatch.setenv("ANALYSIS_DATA_DIR", str(snapshot_copy))
    notebook = tmp_path / "reads_sources.ipynb"  # no registry entry anywhere
    shutil.copy(FIXTURES / "reads_sources.ipynb", notebook)
    out = tmp_path / "reports"
    jobs = render.make_jobs(notebook, {}, ["fi"])
    assert render.run(jobs, out, n_workers=1, progress=False).count("rendered") == 1
    page = (out / "analyses/reads-sources.html").read_text(encoding="utf-8")
    assert "<code>sources</code>" in page and "<code>population</code>" not in page  # footer
    pop = snapshot_copy / "population.csv"  # a table it does not read: still up to date
    pop.write_text(pop.read_text(encoding="utf-8").replace("609,2010,", "609,2010,1", 1),
                   encoding="utf-8")
    provenance.reseal(snapshot_copy)
    assert render.run(jobs, out, n_workers=1, progress=False).count("unchanged") == 1
    sources = snapshot_copy / "sources.csv"
    lines = sources.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",2023-10,", ",2023-11,", 1)
    assert lines[1] != sources.read_text(encoding="utf-8").splitlines()[1]
    sources.write_text("\n".join(lines) + "\n", encoding="utf-8")
    provenance.reseal(snapshot_copy)
    assert render.run(jobs, out, n_workers=1, progress=False).count("rendered") == 1


# A worker initializer that fails the first time (a kernel port collision), then works.
def flaky_init(output_dir: str, env: dict) -> None:
    from analysis.render import worker as render_worker

    marker = Path(output_dir) / ".flaky-started-once"
    if not marker.exists():
        marker.write_text("", encoding="utf-8")
        raise OSError("Address already in use (simulated kernel port collision)")
    render_worker.init_process(output_dir, env)


@pytest.mark.slow
def test_worker_that_fails_to_start_is_retried(tmp_path):
    out = tmp_path / "reports"
    sys.path.insert(0, str(Path(__file__).parent))  # so the spawned worker imports this module
    try:
        from test_render_trust import flaky_init as init
        jobs = render.make_jobs(FIXTURES / "minimal.ipynb", {}, ["fi", "en"])
        summary = render.run(jobs, out, n_workers=1, progress=False, worker_init=init)
    finally:
        sys.path.remove(str(Path(__file__).parent))
    assert summary.exit_code == 0, render.summary_table(summary)
    assert summary.count("rendered") == 2
    assert (out / ".flaky-started-once").exists()  # the first start did fail


# ------------------------------------------------------------------ processes
def _tagged(tag: str) -> list[int]:
    """Processes whose environment carries ``tag`` (workers and kernels inherit it, even
    the kernels jupyter_client starts in a session of their own)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if f"RENDER_TEST_TAG={tag}".encode() in (proc / "environ").read_bytes().split(b"\0"):
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


def _in_group(pgid: int) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if os.getpgid(int(proc.name)) == pgid:
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


def _wait_until(condition, what: str, limit: float = 120.0) -> None:
    """Poll for an outcome (a safety limit, not a timing assertion)."""
    end = time.monotonic() + limit
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"still waiting for: {what}")
        time.sleep(0.1)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL, "terminal Ctrl-C"],
                         ids=["SIGTERM", "SIGKILL", "terminal-Ctrl-C"])
def test_killed_render_leaves_no_process_and_the_rerun_recovers(tmp_path, sig):
    out = tmp_path / "reports"
    tag = uuid.uuid4().hex
    env = {**os.environ, "RENDER_TEST_TAG": tag}
    args = [str(ANALYSIS), "render", "city_profile", "-p", "city", "Pori", "--lang", "fi,en",
            "--jobs", "2", "--output", str(out)]
    proc = subprocess.Popen(args, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # a report is executing (its figure folder is being written) in a kernel
        _wait_until(lambda: (out / "_staging").exists() and any((out / "_staging").iterdir())
                    or proc.poll() is not None, "a report mid-render")
        assert proc.poll() is None, "the render finished before it could be interrupted"
        assert len(_tagged(tag)) >= 3  # render, worker(s), kernel(s)
        if sig == "terminal Ctrl-C":  # a terminal signals its whole foreground group
            os.killpg(proc.pid, signal.SIGINT)
        else:
            os.kill(proc.pid, sig)  # what timeout / CI cancellation / systemctl stop send
        proc.wait()
        _wait_until(lambda: not _tagged(tag) and not _in_group(proc.pid),
                    "workers and kernels to exit")
    finally:
        for pid in _tagged(tag):  # never leave anything behind, even when the test fails
            os.kill(pid, signal.SIGKILL)
    if sig != signal.SIGKILL:
        # interrupted (Ctrl-C: 130) or terminated (SIGTERM: 143): manifest and index written
        assert proc.returncode == (143 if sig == signal.SIGTERM else 130)
        assert (out / "index.html").exists()
        # the reports already running finished (no worker or kernel got the signal)
        manifest = json.loads((out / render.MANIFEST).read_text(encoding="utf-8"))
        assert manifest["reports"], "no report finished"
        assert all(e["status"] == "ok" for e in manifest["reports"].values()), manifest
    rerun = subprocess.run(args, env=env, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert (out / "index.html").exists() and (out / "cities/pori-609.html").exists()
    assert (out / "en/cities/pori-609.html").exists()
    assert not (out / "_staging").exists() and not list(out.rglob("*.tmp"))
    assert not _tagged(tag)


@pytest.mark.slow
def test_two_renders_into_one_folder(tmp_path):
    out = tmp_path / "reports"
    tag = uuid.uuid4().hex
    env = {**os.environ, "RENDER_TEST_TAG": tag}

    def render_cmd(city, *extra):
        return [str(ANALYSIS), "render", "partnership_profile", "-p", "partnership", city,
                "--jobs", "1", "--output", str(out), *extra]

    first = subprocess.Popen(render_cmd("growth-cities"), env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_until(lambda: (out / "_staging").exists() or first.poll() is not None,
                    "the first render mid-report")
        assert first.poll() is None, "the first render finished too early"
        refused = subprocess.run(render_cmd("c6"), env=env, capture_output=True, text=True)
        waited = subprocess.run(render_cmd("c6", "--wait"), env=env, capture_output=True,
                                text=True)
        assert first.wait() == 0
    finally:
        for pid in _tagged(tag):
            os.kill(pid, signal.SIGKILL)
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.strip().splitlines() == [
        f"error: another analysis render is writing into {out}; wait for it to finish "
        "(or use --wait)"]
    assert waited.returncode == 0, waited.stderr[-2000:]
    index = (out / "index.html").read_text(encoding="utf-8")
    for rel in ("partnerships/growth-cities.html", "en/partnerships/growth-cities.html",
                "partnerships/c6.html", "en/partnerships/c6.html"):
        assert f'href="{rel}"' in index, rel  # neither run's entries are lost


@pytest.mark.slow
def test_plain_papermill_accepts_readme_values(tmp_path):
    papermill = Path(sys.executable).with_name("papermill")
    result = subprocess.run([str(papermill), str(paths.NOTEBOOKS_DIR / "size_classes.ipynb"),
                             str(tmp_path / "out.ipynb"), "-p", "bounds", "[20000, 40000]",
                             "-p", "cities_only", "false", "-p", "year", "2010",
                             "--cwd", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    executed = (tmp_path / "out.ipynb").read_text(encoding="utf-8")
    assert "20\\u00a0000\\u201340\\u00a0000" in executed or "20\u00a0000–40\u00a0000" in executed
