"""Issue 15: `analysis render` with nothing changed is answered from the fingerprint the last
complete run recorded, without loading the data; anything changed takes the full path."""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import render
from analysis.render import quick as render_quick

FIXTURES = Path(__file__).parents[1] / "fixtures"


def _options(out: Path, **changes) -> dict:
    """What `analysis render --output OUT` (no other option) fingerprints."""
    return {**render_quick.options(out), **changes}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("quick") / "reports"
    jobs = render.make_jobs(FIXTURES / "minimal.ipynb", {}, ["fi", "en"])
    summary = render.run(jobs, out, n_workers=1, progress=False, quick_options=_options(out))
    assert summary.count("rendered") == len(jobs) == 2
    return out, [job.rel for job in jobs]


def _cli(out: Path, *args: str) -> tuple[subprocess.CompletedProcess, bool]:
    """`analysis render --output OUT ARGS` in a fresh interpreter; (result, pandas imported).
    Only where the quick answer is expected: otherwise this renders the whole default set."""
    code = ("import sys\nfrom analysis import cli\n"
            f"sys.argv = ['analysis', 'render', '--output', {str(out)!r}, *{list(args)!r}]\n"
            "try:\n    cli.main()\nexcept SystemExit as exc:\n    status = exc.code\n"
            "print('PANDAS', 'pandas' in sys.modules, 'STATUS', status)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=600)
    return result, "PANDAS True" in result.stdout


@pytest.mark.slow
def test_nothing_changed_is_answered_without_loading_the_data(rendered):
    out, rels = rendered
    assert render_quick.unchanged(out, _options(out)) == rels
    result, pandas_loaded = _cli(out)
    assert "STATUS 0" in result.stdout, result.stderr[-2000:]
    assert f"{len(rels)} reports: {len(rels)} unchanged; index: reports/index.html" in result.stdout
    for rel in rels:
        assert f"unchanged         -  {rel}" in result.stdout
    assert not pandas_loaded  # the answer came from the fingerprint, not from the data


@pytest.mark.slow
def test_other_options_a_missing_page_or_a_busy_folder_take_the_full_path(rendered):
    out, rels = rendered
    assert render_quick.unchanged(out, _options(out, lang="fi")) is None
    assert render_quick.unchanged(out, _options(out, with_code=True)) is None
    page = out / rels[0]
    kept = page.read_bytes()
    page.unlink()
    try:
        assert render_quick.unchanged(out, _options(out)) is None
    finally:
        page.write_bytes(kept)
    with open(out / render_quick.LOCK, "a+") as lock:  # another render is writing
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert render_quick.unchanged(out, _options(out)) is None
    assert render_quick.unchanged(out, _options(out)) == rels


def test_one_changed_byte_of_any_data_file_changes_the_fingerprint(tmp_path, monkeypatch):
    from analysis.core import paths

    copy = tmp_path / "data"
    shutil.copytree(paths.data_dir(), copy)
    monkeypatch.setenv("ANALYSIS_DATA_DIR", str(copy))
    before = render_quick.fingerprint(_options(tmp_path))
    assert render_quick.fingerprint(_options(tmp_path)) == before  # deterministic
    for name in ("population.csv", "datapackage.json", "boundaries.gpkg"):
        path = copy / name
        original = path.read_bytes()
        path.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
        assert render_quick.fingerprint(_options(tmp_path)) != before, name
        path.write_bytes(original)
    assert render_quick.fingerprint(_options(tmp_path)) == before


@pytest.mark.slow
def test_a_run_that_fails_or_renders_one_notebook_records_nothing(tmp_path):
    out = tmp_path / "reports"
    jobs = (render.make_jobs(FIXTURES / "minimal.ipynb", {}, ["fi"])
            + render.make_jobs(FIXTURES / "failing.ipynb", {}, ["fi"]))
    summary = render.run(jobs, out, n_workers=1, progress=False, quick_options=_options(out))
    assert summary.count("failed") == 1
    manifest = json.loads((out / render_quick.MANIFEST).read_text(encoding="utf-8"))
    assert render_quick.FIELD not in manifest
    assert render_quick.unchanged(out, _options(out)) is None
