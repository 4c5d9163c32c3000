"""Fault reproductions that execute a notebook in a kernel (cases 1, 2, 3, 7g, 8b, 9h, 9j).

Each renders one small report (a city profile, `--lang en`, `--jobs 1`) through the
console script in a subprocess; processes are tagged so that a test can find its own
kernel and kill what it left (by pid) at the end.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from faults_support import (
    assert_one_line_error,
    cannot_run_here,
    cli_env,
    cmdline,
    finish,
    nonblank_lines,
    run_cli,
    start_cli,
    tagged,
    wait_until,
)

pytestmark = pytest.mark.slow


def render_args(city: str, out: Path, lang: str = "en", *extra) -> list:
    return ["render", "city_profile", "-p", "city", city, "--lang", lang, "--jobs", "1",
            "--output", out, *extra]


def kernels(tag: str) -> list[int]:
    return [pid for pid in tagged(tag) if "ipykernel" in cmdline(pid)]


def files_state(folder: Path) -> dict[str, tuple]:
    """relative path -> (size, mtime_ns, sha256): what a reader of the folder would see."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            st = path.stat()
            out[path.relative_to(folder).as_posix()] = (
                st.st_size, st.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
    return out


def is_empty_tree(folder: Path) -> bool:
    return folder.is_dir() and not any(p.is_file() for p in folder.rglob("*"))


def _progress(line: str) -> bool:
    return "report/s" in line or "report [" in line or line.lstrip().startswith("0%")


# ------------------------------------------------------------------ 1. own files
def test_case1_own_files_in_output_folder_survive(tmp_path, tag):
    out = tmp_path / "out"
    notes, turku = out / "en" / "cities" / "notes.html", out / "cities" / "turku-853.html"
    for path in (notes, turku):
        path.parent.mkdir(parents=True)
        path.write_text("x\n", encoding="utf-8")
    result = run_cli(render_args("Pori", out), env=cli_env(tag))
    assert result.code == 0, result.describe()
    assert (out / "en" / "cities" / "pori-609.html").exists()
    assert notes.exists(), "the analyst's en/cities/notes.html was deleted"
    assert turku.exists(), "the analyst's cities/turku-853.html was deleted"


# ------------------------------------------------------------------ 2. lost manifest
def test_case2_lost_manifest_does_not_delete_pages(tmp_path, tag):
    out = tmp_path / "out"
    first = run_cli(render_args("Vaasa", out, "fi,en"), env=cli_env(tag))
    assert first.code == 0, first.describe()
    pages = [out / "cities" / "vaasa-905.html", out / "en" / "cities" / "vaasa-905.html"]
    assert all(p.exists() for p in pages)
    manifest = out / ".render-manifest.json"
    assert manifest.exists(), sorted(p.name for p in out.iterdir())
    manifest.unlink()

    second = run_cli(render_args("Pori", out), env=cli_env(tag))
    assert second.code == 0, second.describe()
    for page, figures in zip(pages, [out / "figures" / "cities" / "vaasa-905",
                                      out / "figures" / "en" / "cities" / "vaasa-905"]):
        rel = page.relative_to(out).as_posix()
        assert page.exists(), f"{rel} was deleted (and not rendered again)"
        assert figures.is_dir(), f"{rel} is there but its figures are not"
    index = (out / "index.html").read_text(encoding="utf-8")
    index_en = (out / "en" / "index.html").read_text(encoding="utf-8")
    assert "vaasa-905.html" in index + index_en, "the index no longer lists Vaasa's pages"


# ------------------------------------------------------------------ 3. disk full mid-write
@pytest.fixture
def small_tmpfs():
    """Mount a tmpfs of a given size on a folder (root, or CAP_SYS_ADMIN, needed); unmounted
    at the end. A real full file system: the write fails with ENOSPC wherever it is made."""
    mounted = []

    def mount(folder: Path, size: int) -> None:
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs",
                               str(folder)], capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            cannot_run_here(f"cannot mount a tmpfs here (needs root): {proc.stderr.strip()}")
        mounted.append(folder)

    yield mount
    for folder in reversed(mounted):
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def test_case3_disk_full_during_page_write_keeps_page_and_files_together(tmp_path, tag,
                                                                         small_tmpfs):
    out = tmp_path / "out"
    first = run_cli(render_args("Pori", out), env=cli_env(tag))
    assert first.code == 0, first.describe()
    page = out / "en" / "cities" / "pori-609.html"
    figures = out / "figures" / "en" / "cities" / "pori-609"
    assert page.exists() and figures.is_dir()

    # The page's folder becomes a file system just big enough for the page it holds: the
    # new page (about the same size) cannot be written beside it. Figures live elsewhere.
    body, st = page.read_bytes(), page.stat()
    page.unlink()
    size = -(-len(body) // 4096) * 4096 + 16 * 1024
    small_tmpfs(page.parent, size)
    page.write_bytes(body)
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    page_before, figures_before = files_state(page.parent), files_state(figures)

    second = run_cli(render_args("Pori", out, "en", "--force"), env=cli_env(tag))
    assert second.code != 0, "a page that could not be written was reported as rendered\n" \
        + second.describe()
    assert files_state(page.parent) == page_before, "the page changed although its write failed"
    assert files_state(figures) == figures_before, (
        "the page is the old one but its figure/table files were replaced by the new "
        "render's\n" + second.describe())


# ------------------------------------------------------------------ 7g. a killed kernel
def test_case7g_kernel_killed_during_warm_up_gives_no_traceback(tmp_path, tag):
    out = tmp_path / "out"
    started = time.monotonic()
    proc = start_cli(render_args("Pori", out), env=cli_env(tag))
    wait_until(lambda: kernels(tag) or proc.poll() is not None, "a kernel to start")
    assert proc.poll() is None, "the render ended before a kernel started"
    for pid in kernels(tag):
        os.kill(pid, signal.SIGKILL)
    result = finish(proc, started)
    assert "Traceback" not in result.output, result.describe()
    assert not is_empty_tree(out / "_failed"), "an empty _failed/ was left behind"


def test_case7g_kernel_killed_mid_report_leaves_no_traceback_nor_empty_failed(tmp_path, tag):
    out = tmp_path / "out"
    staging = out / "_staging"
    started = time.monotonic()
    proc = start_cli(render_args("Pori", out), env=cli_env(tag))
    # the report is executing: its figures are being written into the staging folder
    wait_until(lambda: (staging.is_dir() and any(p.is_file() for p in staging.rglob("*")))
               or proc.poll() is not None, "a report mid-render")
    assert proc.poll() is None, "the render ended before it could be disturbed"
    victims = kernels(tag)
    assert victims, "no kernel found"
    for pid in victims:
        os.kill(pid, signal.SIGKILL)
    killed = finish(proc, started)
    assert "Traceback" not in killed.output, killed.describe()
    assert not is_empty_tree(out / "_failed"), "an empty _failed/ was left behind"

    again = run_cli(render_args("Pori", out), env=cli_env(tag))
    assert again.code == 0, again.describe()
    assert "Traceback" not in again.output, again.describe()
    assert not is_empty_tree(out / "_failed"), (
        "after the report rendered again, _failed/ is left as empty folders: "
        + ", ".join(p.relative_to(out).as_posix() for p in (out / "_failed").rglob("*")))


# ------------------------------------------------------------------ 8b. early SIGTERM
def test_case8b_sigterm_early_in_render_says_one_line(tmp_path, tag):
    out = tmp_path / "out"
    started = time.monotonic()
    proc = start_cli(render_args("Pori", out), env=cli_env(tag))
    # the render has parsed its input and made its folder; no report is running yet
    wait_until(lambda: out.exists() or proc.poll() is not None, "the output folder", step=0.005)
    assert proc.poll() is None, "the render ended before the signal"
    proc.send_signal(signal.SIGTERM)
    result = finish(proc, started)
    wait_until(lambda: not tagged(tag), "the render's processes to exit", limit=60)
    assert result.code > 0, f"killed by the signal without a word (exit {result.code}, 143 " \
        f"in a shell)\n{result.describe()}"
    assert "Traceback" not in result.output, result.describe()
    message = [line for line in nonblank_lines(result.stderr) if not _progress(line)]
    if not message:
        message = nonblank_lines(result.stdout)
    assert len(message) == 1, result.describe()


# ------------------------------------------------------------------ 9h. en/ is a file
def test_case9h_file_where_language_folder_goes_is_refused_before_any_kernel(tmp_path, tag):
    out = tmp_path / "out"
    out.mkdir()
    (out / "en").write_text("not a folder\n", encoding="utf-8")
    started = time.monotonic()
    proc = start_cli(render_args("Pori", out), env=cli_env(tag))
    saw_kernel = False
    while proc.poll() is None:
        saw_kernel = saw_kernel or bool(kernels(tag))
        time.sleep(0.02)
    result = finish(proc, started)
    assert not saw_kernel, "a kernel was started before the folder was found unusable\n" \
        + result.describe()
    assert_one_line_error(result)
    assert result.seconds < 10, f"refused only after {result.seconds:.1f} s"


# ------------------------------------------------------------------ 9j. kernel warning
def test_case9j_render_does_not_print_the_kernels_tcp_warning(tmp_path, tag):
    result = run_cli(render_args("Pori", tmp_path / "out"), env=cli_env(tag))
    assert result.code == 0, result.describe()
    assert "running over TCP without encryption" not in result.stderr, result.describe()
