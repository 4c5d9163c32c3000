"""Fault reproductions, second battery (cases 2-01 … 2-30): faults a demanding user causes
in `analysis data build | check | refresh` and `analysis render`, each driven from outside
through the console script on scratch copies (see faults_support.py).

Every test here guards a defect that was found and fixed, or a promise of README's
"Faults: your files are safe" and "Bad input is one line" paragraphs. Only the test of
SIGTERM in the middle of a render starts a kernel (marked ``slow``).
"""

from __future__ import annotations

import csv
import fcntl
import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from faults_support import (
    DATA,
    NOTEBOOKS,
    assert_one_line_error,
    cannot_run_here,
    cli_env,
    cmdline,
    error_lines,
    finish,
    nonblank_lines,
    run_cli,
    start_cli,
    tagged,
    tree_digest,
    wait_until,
)

MANIFEST, LOCK = ".render-manifest.json", ".render-lock"
GENERATOR = '<meta name="generator" content="analysis render">'


def build(data: Path, sources: Path, **env):
    return run_cli(["data", "build", "--output", data, "--sources-dir", sources],
                   env=cli_env(**env) if env else None)


def built_files(data: Path) -> dict[str, str]:
    return tree_digest(data, skip=("raw", "curated"))


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def kernels(tag: str) -> list[int]:
    return [pid for pid in tagged(tag) if "ipykernel" in cmdline(pid)]


def no_traceback(result) -> None:
    assert "Traceback" not in result.output, result.describe()


@pytest.fixture
def bind_mount():
    """Bind-mount a folder onto itself read-only (root needed); unmounted at the end."""
    mounted = []

    def mount_read_only(folder: Path) -> None:
        proc = subprocess.run(["mount", "--bind", str(folder), str(folder)],
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            cannot_run_here(f"cannot bind-mount here (needs root): {proc.stderr.strip()}")
        mounted.append(folder)
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], capture_output=True,
                       check=False)
        if os.access(folder, os.W_OK):
            cannot_run_here("cannot make the mount read-only here")

    yield mount_read_only
    for folder in reversed(mounted):
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


# ====================================================================== render: the folder
def test_case2_01_manifest_entry_outside_the_folder_is_never_removed(tmp_path):
    """A manifest edited by hand (or from another tool) names pages outside the folder:
    `--prune` deleted them (``../victim/secret.html``, an absolute path)."""
    out, victim = tmp_path / "out", tmp_path / "victim"
    (victim / "figures").mkdir(parents=True)
    out.mkdir()
    secret, absolute = victim / "secret.html", victim / "abs.html"
    for path in (secret, absolute, victim / "figures" / "keep.txt"):
        path.write_text("precious\n", encoding="utf-8")
    entry = {"status": "ok", "lang": "fi", "group": "cities", "in_default": True}
    (out / MANIFEST).write_text(json.dumps({"version": 2, "reports": {
        "../victim/secret.html": {**entry, "stem": "../victim/secret"},
        str(absolute): {**entry, "stem": str(absolute.with_suffix(""))},
        "cities/x.html": {**entry, "stem": "../victim"},
    }}), encoding="utf-8")
    result = run_cli(["render", "--prune", "--output", out])
    no_traceback(result)
    for path in (secret, absolute, victim / "figures" / "keep.txt"):
        assert path.exists(), f"{path} outside the output folder was deleted\n{result.describe()}"
    assert "victim" not in (out / "index.html").read_text(encoding="utf-8")


def test_case2_17_own_index_page_is_never_overwritten(tmp_path):
    """A folder of the user's own (a website) as --output: its index.html and
    en/index.html were replaced by the tool's index, even by a `--stale` with nothing to do."""
    out = tmp_path / "site"
    (out / "en").mkdir(parents=True)
    own = {out / "index.html": "<html><body>my own site</body></html>\n",
           out / "en" / "index.html": "mine\n"}
    for path, text in own.items():
        path.write_text(text, encoding="utf-8")
    result = run_cli(["render", "--stale", "--output", out])
    no_traceback(result)
    for path, text in own.items():
        assert path.read_text(encoding="utf-8") == text, f"{path} was overwritten"
    assert "index.html" in result.stderr, "the index was not written, and nothing said so"
    assert "reports: ;" not in result.stdout, result.stdout


def test_case2_17_index_of_an_earlier_version_is_still_refreshed(tmp_path):
    """The index pages of a folder rendered by an earlier version carry no generator mark:
    they are still the tool's and are rewritten (now with the mark)."""
    out = tmp_path / "reports"
    out.mkdir()
    first = run_cli(["render", "--stale", "--output", out])
    no_traceback(first)
    index = out / "index.html"
    assert GENERATOR in index.read_text(encoding="utf-8"), "the index carries no generator mark"
    index.write_text(index.read_text(encoding="utf-8").replace(GENERATOR + "\n", ""),
                     encoding="utf-8")
    again = run_cli(["render", "--stale", "--output", out])
    no_traceback(again)
    assert GENERATOR in index.read_text(encoding="utf-8"), "the earlier index was left stale"


@pytest.mark.parametrize("where, args", [
    ("data/raw", ["--stale"]),
    ("data", ["city_profile", "-p", "city", "Pori", "--lang", "en", "--list"]),
    ("notebooks", ["city_profile", "-p", "city", "Pori", "--lang", "en"]),
], ids=["data-raw-stale", "data-list", "notebooks"])
def test_case2_08_output_inside_data_or_notebooks_is_refused(project_copy, where, args):
    """`--output data/raw` wrote index.html into the raw inputs, after which every
    `analysis data build` refused (raw file without sidecar)."""
    env = cli_env(ANALYSIS_PROJECT_ROOT=project_copy)
    before = tree_digest(project_copy)
    result = run_cli(["render", *args, "--output", where], env=env, cwd=project_copy)
    line = assert_one_line_error(result)
    assert where.split("/")[0] in line, line
    assert tree_digest(project_copy) == before, "files were written into the project"


def test_case2_22_read_only_language_folder_is_refused_before_any_kernel(tmp_path, tag,
                                                                         bind_mount):
    """en/ on a read-only mount: a kernel rendered the report, the page could not be
    published, and the run ended on the index's temporary file name."""
    out = tmp_path / "out"
    (out / "en").mkdir(parents=True)
    bind_mount(out / "en")
    started = time.monotonic()
    proc = start_cli(["render", "city_profile", "-p", "city", "Pori", "--lang", "en",
                      "--jobs", "1", "--output", out], env=cli_env(tag))
    saw_kernel = False
    while proc.poll() is None:
        saw_kernel = saw_kernel or bool(kernels(tag))
        time.sleep(0.02)
    result = finish(proc, started)
    assert not saw_kernel, "a kernel was started for a folder that cannot be written\n" \
        + result.describe()
    line = assert_one_line_error(result)
    assert ".tmp" not in line and "en" in line, line


def test_case2_23_manifest_path_taken_by_a_folder_is_one_line_before_any_kernel(tmp_path):
    """A folder named like the manifest: a run rendered every report, then failed writing
    the manifest, naming its temporary file."""
    out = tmp_path / "out"
    (out / MANIFEST).mkdir(parents=True)
    result = run_cli(["render", "--stale", "--output", out])
    line = assert_one_line_error(result)
    assert MANIFEST in line and ".tmp" not in line, line


def test_case2_20_wait_says_what_it_waits_for(tmp_path):
    """`--wait` on a folder another render holds waited without a word (a hang, to the eye)."""
    out = tmp_path / "out"
    out.mkdir()
    holder = open(out / LOCK, "a+")  # noqa: SIM115 - held across the subprocess
    fcntl.flock(holder, fcntl.LOCK_EX)
    started = time.monotonic()
    proc = start_cli(["render", "--prune", "--wait", "--output", out])
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stderr.readline, "")),
                              daemon=True)
    reader.start()
    try:
        wait_until(lambda: any("wait" in line for line in lines) or proc.poll() is not None,
                   "the waiting render to say so", limit=30)
        assert proc.poll() is None, "the render did not wait for the lock"
    finally:
        holder.close()  # releases the lock
    proc.wait(timeout=120)
    reader.join(timeout=10)
    assert proc.returncode == 0, (proc.returncode, lines, time.monotonic() - started)
    said = [line for line in lines if "wait" in line]
    assert len(said) == 1 and "analysis render" in said[0], lines


# ====================================================================== render: parameters
def _with_parameters_cell(tmp_path: Path, name: str, source, tags=("parameters",)) -> Path:
    nb = json.loads((NOTEBOOKS / "city_profile.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            cell["source"] = source
            cell["metadata"]["tags"] = None if tags is None else list(tags)
    path = tmp_path / name / "city_profile.ipynb"  # the registered notebook's name
    path.parent.mkdir()
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def test_case2_02_parameters_cell_with_a_magic_is_read(tmp_path):
    """`%matplotlib inline` in the parameters cell (papermill and Jupyter run it) made
    every command on the notebook end in a SyntaxError traceback."""
    notebook = _with_parameters_cell(tmp_path, "magic", [
        "%matplotlib inline\n", 'city = "Seinäjoki"\n', "year = None\n", 'lang = "fi"\n',
        'export_dir = ""\n', 'export_href = ""\n'])
    result = run_cli(["render", notebook, "-p", "city", "Pori", "--lang", "en", "--list",
                      "--output", tmp_path / "out"])
    assert result.code == 0, result.describe()
    assert "en/cities/pori-609.html" in result.stdout, result.stdout


@pytest.mark.parametrize("source, tags", [
    (["city = 'Pori'\n", "year = (\n"], ("parameters",)),
    (["city = 'Pori'\n"], None),
], ids=["not-python", "tags-null"])
def test_case2_03_unreadable_parameters_cell_is_one_line(tmp_path, source, tags):
    notebook = _with_parameters_cell(tmp_path, "broken", source, tags)
    result = run_cli(["render", notebook, "--lang", "en", "--list", "--output", tmp_path / "out"])
    line = assert_one_line_error(result)
    assert "parameters" in line, line


@pytest.mark.parametrize("name, value", [("city", "²"), ("year", "²⁰²⁵")])
def test_case2_04_superscript_digits_are_one_line(tmp_path, name, value):
    """'²' is a digit to str.isdigit() but no number to int(): a ValueError traceback."""
    params = ["-p", "city", "Pori"] if name == "year" else []
    result = run_cli(["render", "city_profile", *params, "-p", name, value, "--lang", "en",
                      "--list", "--output", tmp_path / "out"])
    line = assert_one_line_error(result)
    assert value in line, line


def test_case2_07_impossible_date_in_parameters_file_is_one_line(tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text("city: Pori\nyear: 2023-02-30\n", encoding="utf-8")
    result = run_cli(["render", "city_profile", "-y", params, "--lang", "en", "--list",
                      "--output", tmp_path / "out"])
    line = assert_one_line_error(result)
    assert "year" in line, line


# ====================================================================== ANALYSIS_DATA_DIR
def test_case2_18_empty_analysis_data_dir_means_unset(tmp_path):
    """`export ANALYSIS_DATA_DIR=` (empty) made the current folder the data folder."""
    result = run_cli(["data", "check"], env=cli_env(ANALYSIS_DATA_DIR=""), cwd=tmp_path)
    assert result.code == 0, result.describe()
    assert str(DATA) in result.stdout, result.stdout


def test_case2_21_data_dir_that_is_a_file_is_said_plainly(tmp_path):
    """ANALYSIS_DATA_DIR naming a file: 'no such folder', and `render` appended the output
    folder to the message (its OSError path caught the one-line error)."""
    afile = tmp_path / "data.txt"
    afile.write_text("x\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(["render", "city_profile", "-p", "city", "Pori", "--lang", "en", "--list",
                      "--output", out], env=cli_env(ANALYSIS_DATA_DIR=afile))
    line = assert_one_line_error(result)
    assert "is a file" in line and not line.endswith(str(out)), line


# ====================================================================== data build: files
@pytest.mark.parametrize("victim", ["curated/mergers.csv", "raw/jobs_2020.meta.json"])
def test_case2_05_input_that_cannot_be_read_is_one_line(data_copy, no_sources, victim):
    """A curated table or a sidecar that cannot be read (here: a folder in its place; the
    same as a file without read permission): an IsADirectoryError traceback."""
    path = data_copy / victim
    path.unlink()
    path.mkdir()
    before = built_files(data_copy)
    line = assert_one_line_error(build(data_copy, no_sources))
    assert path.name in line, line
    assert built_files(data_copy) == before


def test_case2_06_read_only_data_folder_is_one_line(data_copy, no_sources, bind_mount):
    bind_mount(data_copy)
    line = assert_one_line_error(build(data_copy, no_sources))
    assert "Read-only" in line, line


def test_case2_24_killed_build_leaves_no_temporary_folder_for_good(data_copy, no_sources, tag):
    """SIGKILL during a build left data/.build-XXXX (a copy of the tables) for ever."""
    started = time.monotonic()
    proc = start_cli(["data", "build", "--output", data_copy, "--sources-dir", no_sources],
                     env=cli_env(tag))
    wait_until(lambda: any(data_copy.glob(".build-*")) or proc.poll() is not None,
               "the build's temporary folder", step=0.005)
    assert proc.poll() is None, "the build ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    finish(proc, started)
    assert any(data_copy.glob(".build-*"))
    again = build(data_copy, no_sources)
    assert again.code == 0, again.describe()
    assert not any(data_copy.glob(".build-*")), "the killed build's folder is still there"


def test_case2_25_backup_copy_in_raw_is_named(data_copy, no_sources):
    """`jobs_2020.csv.bak` beside `jobs_2020.csv`: the message blamed the sidecar."""
    raw = data_copy / "raw"
    (raw / "jobs_2020.csv.bak").write_bytes((raw / "jobs_2020.csv").read_bytes())
    line = assert_one_line_error(build(data_copy, no_sources))
    assert line.startswith(f"error: {raw / 'jobs_2020.csv.bak'}"), line


# ====================================================================== data build: curated
def test_case2_07_impossible_date_in_curated_yaml_is_one_line(data_copy, no_sources):
    replace_once(data_copy / "curated" / "partnerships.yaml", 'date_stated: "2023-10-09"',
                 "date_stated: 2023-02-30")
    line = assert_one_line_error(build(data_copy, no_sources))
    assert "2023-02-30" in line, line


def test_case2_14_partnership_dates_must_be_iso(data_copy, no_sources):
    """A source's date not in ISO form was built silently; the size-class report then failed
    in its kernel (int('lokakuu 2023')). (date_stated and status_date: the same check.)"""
    replace_once(data_copy / "curated" / "partnerships.yaml", 'date: "2023-10"',
                 'date: "lokakuu 2023"')
    before = built_files(data_copy)
    line = assert_one_line_error(build(data_copy, no_sources))
    assert "lokakuu 2023" in line and "partnerships.yaml" in line, line
    assert built_files(data_copy) == before


def test_case2_15_member_named_by_former_municipality(data_copy, no_sources):
    """A member named by a municipality merged away became its successor without a word;
    in a document dated after the merger it cannot be a member at all."""
    yaml_path = data_copy / "curated" / "partnerships.yaml"
    # c6 is named in ministry-2024 (dated 2024); Pertunmaa merged into Mäntyharju (507) on
    # 2025-01-01: the document could name it, its figures are Mäntyharju's.
    replace_once(yaml_path, "- {name: Helsinki, role: member,", "- {name: Pertunmaa, role: member,")
    accepted = build(data_copy, no_sources)
    assert accepted.code == 0, accepted.describe()
    assert "Pertunmaa" in accepted.stdout and "507" in accepted.stdout, accepted.stdout
    with open(data_copy / "memberships.csv", encoding="utf-8", newline="") as handle:
        assert any(row["code"] == "507" for row in csv.DictReader(handle))
    # the growth-cities release (2023-10) cannot name Honkajoki, merged on 2021-01-01
    replace_once(yaml_path, "- {name: Hyvinkää, role: invited,", "- {name: Honkajoki, role: invited,")
    line = assert_one_line_error(build(data_copy, no_sources))
    assert "Honkajoki" in line and "2021-01-01" in line, line


@pytest.mark.parametrize("old, new, word", [
    ("definitions: [cities, municipalities, subregions, partnership]",
     "definitions: [cities, towns]", "towns"),
    ("count: {claimed: 16}", "pop: {claimed: 16}", "pop"),
    ("approximate: true}", "approximate: maybe}", "maybe"),
], ids=["definition", "quantity", "flag"])
def test_case2_16_claim_vocabulary_is_checked(data_copy, no_sources, old, new, word):
    """An unknown definition or quantity was dropped from the check without a word, and
    `approximate: maybe` read as true."""
    replace_once(data_copy / "curated" / "claims.yaml", old, new)
    line = assert_one_line_error(build(data_copy, no_sources))
    assert word in line and "claims.yaml" in line, line


def test_case2_12_merger_cycle_names_the_merger_table(data_copy, no_sources):
    path = data_copy / "curated" / "mergers.csv"
    replace_once(path, "099,Honkajoki,214,", "099,Honkajoki,588,")
    replace_once(path, "588,Pertunmaa,507,", "588,Pertunmaa,099,")
    line = assert_one_line_error(build(data_copy, no_sources))
    assert "mergers.csv" in line and "099" in line and "588" in line, line


@pytest.mark.parametrize("date", ["2021-02-30", "2031-01-01"], ids=["no-such-day", "future"])
def test_case2_13_merger_date_is_a_real_date_before_the_division(data_copy, no_sources, date):
    replace_once(data_copy / "curated" / "mergers.csv", "099,Honkajoki,214,2021-01-01",
                 f"099,Honkajoki,214,{date}")
    line = assert_one_line_error(build(data_copy, no_sources))
    assert "mergers.csv" in line and date in line, line


# ====================================================================== data refresh
def _patch_pxweb(server, post=None):
    """Let ``post(handler, method)`` answer a POST instead of the look-alike (True: done)."""
    handler = server.httpd.RequestHandlerClass
    original = handler._handle

    def handle(self, method):
        if method == "POST" and post is not None and post(self):
            return None
        return original(self, method)

    handler._handle = handle


def refresh_args(server, data) -> list:
    return ["data", "refresh", "--table", "11re", "--base-url", server.base_url,
            "--data-dir", data, "--timeout", "30"]


def test_case2_09_redirect_to_another_host_is_refused(pxweb, data_copy):
    """A 307 to another host was followed without a word, and the sidecar recorded the
    address asked, not the one that answered."""
    from pxweb_server import FakePxWeb

    other = FakePxWeb()
    other.add_period("11re", "2026", "2025")
    other.start()
    try:
        elsewhere = other.base_url.replace("127.0.0.1", "localhost") + "11re.px"

        def redirect(handler) -> bool:
            length = int(handler.headers.get("Content-Length") or 0)
            handler.rfile.read(length)
            handler.send_response(307)
            handler.send_header("Location", elsewhere)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return True

        _patch_pxweb(pxweb, redirect)
        before = tree_digest(data_copy)
        result = run_cli(refresh_args(pxweb, data_copy))
        no_traceback(result)
        assert result.code == 2, result.describe()
        [line] = error_lines(result.stderr)  # after the progress lines ("11re: fetching …")
        assert "redirect" in line and "localhost" in line, line
        assert tree_digest(data_copy) == before
        assert not other.requests("POST"), "the data was fetched from the other host"
    finally:
        other.stop()


def test_case2_11_answer_cut_short_is_retried(pxweb, data_copy):
    """A body shorter than its Content-Length (a dropped connection) ended the refresh with
    a raw urllib3 message instead of being retried like any lost connection."""
    cut = []

    def truncate(handler) -> bool:
        if cut:
            return False
        cut.append(1)
        length = int(handler.headers.get("Content-Length") or 0)
        handler.rfile.read(length)
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        handler.wfile.write(b'{"columns": [')
        handler.wfile.flush()
        handler.close_connection = True
        return True

    _patch_pxweb(pxweb, truncate)
    result = run_cli(refresh_args(pxweb, data_copy))
    assert result.code == 0, result.describe()
    assert (data_copy / "raw" / "pxweb" / "11re_2026.json").exists()


def test_case2_10_infinite_timeout_is_one_line(data_copy):
    result = run_cli(["data", "refresh", "--dry-run", "--timeout", "inf", "--base-url",
                      "http://127.0.0.1:9/api/v1/fi/StatFin/", "--data-dir", data_copy])
    line = assert_one_line_error(result)
    assert "--timeout" in line, line


# ====================================================================== signals (kernel)
@pytest.mark.slow
def test_case2_19_sigterm_mid_render_exits_143(tmp_path, tag):
    """SIGTERM while a report runs: the report finishes, but the run said 'interrupted'
    and exited 130 (Ctrl-C's code) instead of 143."""
    out = tmp_path / "out"
    staging = out / "_staging"
    started = time.monotonic()
    proc = start_cli(["render", "city_profile", "-p", "city", "Pori", "--lang", "en",
                      "--jobs", "1", "--output", out], env=cli_env(tag))
    wait_until(lambda: (staging.is_dir() and any(p.is_file() for p in staging.rglob("*")))
               or proc.poll() is not None, "a report mid-render")
    assert proc.poll() is None, "the render ended before the signal"
    proc.send_signal(signal.SIGTERM)
    result = finish(proc, started)
    wait_until(lambda: not tagged(tag), "the render's processes to exit", limit=60)
    no_traceback(result)
    assert result.code == 143, result.describe()
    assert "terminated" in result.output and "interrupted" not in result.output, result.describe()
    assert (out / "en" / "cities" / "pori-609.html").exists(), "the running report was lost"
    assert len([line for line in nonblank_lines(result.stderr) if line.startswith("error:")]) <= 1
