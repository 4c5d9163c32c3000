"""Fault reproductions: `analysis render` input handling that needs no kernel
(cases 1 (fast variant), 7e, 7f, 9a–9g, 9i).

Every command here stops before a kernel (or is a `--list`/`--stale` run, which starts
none), so each test takes a second or two.
"""

from __future__ import annotations

import pytest
from faults_support import assert_one_line_error, cli_env, nonblank_lines, run_cli

CITY_EN = ["render", "city_profile", "-p", "city", "Pori", "--lang", "en"]


# ------------------------------------------------------------------ 1. own files (no kernel)
def test_case1_own_files_survive_a_stale_run(tmp_path):
    """The same tidy-up that deletes them in a real render (case 1), reached without a
    kernel: `--stale` on a folder holding the analyst's files and no manifest."""
    out = tmp_path / "out"
    notes, turku = out / "en" / "cities" / "notes.html", out / "cities" / "turku-853.html"
    for path in (notes, turku):
        path.parent.mkdir(parents=True)
        path.write_text("x\n", encoding="utf-8")
    result = run_cli(["render", "--stale", "--output", out])
    assert "Traceback" not in result.output, result.describe()
    assert notes.exists(), "the analyst's en/cities/notes.html was deleted"
    assert turku.exists(), "the analyst's cities/turku-853.html was deleted"
    assert notes.read_text(encoding="utf-8") == turku.read_text(encoding="utf-8") == "x\n"


# ------------------------------------------------------------------ 7e, 7f. broken notebooks
def test_case7e_notebook_not_json_is_one_line(tmp_path):
    bad = tmp_path / "bad.ipynb"
    bad.write_text('{"cells": [\n', encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(["render", bad, "--lang", "en", "--output", out], cwd=tmp_path)
    assert_one_line_error(result)
    assert not out.exists() or not any(out.rglob("*.html")), "wrote pages for a broken notebook"


def test_case7f_broken_notebook_in_notebooks_folder_is_one_line(tmp_path, project_copy):
    (project_copy / "notebooks" / "zz_bad.ipynb").write_text('{"cells": [\n', encoding="utf-8")
    env = cli_env(ANALYSIS_PROJECT_ROOT=project_copy)
    result = run_cli(["render", "zz_bad", "--lang", "en", "--output", tmp_path / "out"], env=env)
    assert_one_line_error(result)
    # and the rest of the folder still works: the default set does not trip over it
    listed = run_cli(["render", "--list", "--lang", "en", "--output", tmp_path / "out"], env=env)
    assert listed.code == 0 and "Traceback" not in listed.output, listed.describe()


# ------------------------------------------------------------------ 9. smaller ones
def test_case9a_very_long_name_is_not_echoed_whole(tmp_path):
    result = run_cli(["render", "city_profile", "-p", "city", "x" * 10_000, "--lang", "en",
                      "--list", "--output", tmp_path / "out"])
    line = assert_one_line_error(result)
    assert len(line) < 300, f"the error line is {len(line)} characters long"


def test_case9b_duplicate_key_in_parameters_file_is_refused(tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text("city: Pori\ncity: Vaasa\n", encoding="utf-8")
    result = run_cli(["render", "city_profile", "-y", params, "--lang", "en", "--list",
                      "--output", tmp_path / "out"])
    line = assert_one_line_error(result)
    assert "city" in line, line


def test_case9c_float_year_message_is_about_the_year(tmp_path):
    result = run_cli([*CITY_EN, "-p", "year", "2025.0", "--list", "--output", tmp_path / "out"])
    assert "Traceback" not in result.output, result.describe()
    assert "NoneType" not in result.output, result.describe()
    if result.code != 0:  # refused: then as one line about the year
        line = assert_one_line_error(result)
        assert "year" in line, line


def test_case9d_export_dir_message_does_not_point_to_lang(tmp_path):
    result = run_cli([*CITY_EN, "-p", "export_dir", "somewhere", "--list",
                      "--output", tmp_path / "out"])
    line = assert_one_line_error(result)
    assert "export_dir" in line and "set by analysis render" in line, line
    assert "--lang" not in line, line


def _listed_pages(result) -> list[str]:
    return [line.split()[1] for line in result.stdout.splitlines()
            if line.startswith(("render ", "unchanged "))]


def test_case9e_equivalent_partnership_lists_name_one_page(tmp_path):
    out = tmp_path / "out"
    base = ["render", "partnership_network", "--lang", "en", "--list", "--output", out]
    once = run_cli([*base, "-p", "partnerships", "c6"])
    twice = run_cli([*base, "-p", "partnerships", "c6,c6"])
    assert once.code == 0 and twice.code == 0, once.describe() + twice.describe()
    assert _listed_pages(twice) == _listed_pages(once), (twice.stdout, once.stdout)


def test_case9e_empty_partnership_list_is_the_default_page_or_refused(tmp_path):
    out = tmp_path / "out"
    base = ["render", "partnership_network", "--lang", "en", "--list", "--output", out]
    empty = run_cli([*base, "-p", "partnerships", ""])
    assert "Traceback" not in empty.output, empty.describe()
    if empty.code == 0:  # "" read like [] and None: all partnerships, the default's page
        assert _listed_pages(empty) == ["en/analyses/partnership-network.html"], empty.stdout
    else:
        assert_one_line_error(empty)


@pytest.mark.parametrize("args", [
    [*CITY_EN, "--list", "--output", ""],
    ["render", "--stale", "--output", ""],
], ids=["list", "stale"])
def test_case9f_empty_output_is_refused(tmp_path, args):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    result = run_cli(args, cwd=cwd)
    assert_one_line_error(result)
    assert sorted(p.name for p in cwd.iterdir()) == [], "wrote into the current folder"


def test_case9g_stale_on_missing_folder_creates_nothing(tmp_path):
    missing = tmp_path / "no-such-folder"
    result = run_cli(["render", "--stale", "--output", missing])
    assert "Traceback" not in result.output, result.describe()
    assert result.code in (0, 2), result.describe()
    assert not missing.exists(), f"created {sorted(p.name for p in missing.rglob('*'))}"


def test_case9i_jobs_zero_is_the_tools_one_line(tmp_path):
    result = run_cli([*CITY_EN, "--jobs", "0", "--list", "--output", tmp_path / "out"])
    line = assert_one_line_error(result)
    assert "--jobs" in line, line
    assert not any(c in result.output for c in "╭│╰"), result.describe()
    assert len(nonblank_lines(result.output)) == 1, result.describe()
