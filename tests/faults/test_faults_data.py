"""Fault reproductions: `analysis data build` on scratch copies of data/ (cases 4, 5, 6, 7a–7d).

Each test edits the curated inputs of a copy, runs the build (and where it matters the
check or a `render --list`) through the console script, and asserts the outcome a user
needs: a one-line refusal that writes nothing, or the right municipality.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from faults_support import assert_one_line_error, cli_env, run_cli, tree_digest

MERGER_POINTING_AT_LIVE = "609,Pori,905,2024-01-01"  # Pori still exists in the key table
MERGER_UNKNOWN_CODE = "999,Foo,609,2024-01-01"  # 999 names no municipality of any division


def append_line(path: Path, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text + ("" if text.endswith("\n") else "\n") + line + "\n", encoding="utf-8")


def build(data: Path, sources: Path):
    return run_cli(["data", "build", "--output", data, "--sources-dir", sources])


def built_files(data: Path) -> dict[str, str]:
    """The build's outputs (tables, boundaries, datapackage): everything but its inputs."""
    return tree_digest(data, skip=("raw", "curated"))


def replace_once(path: Path, old: str, new: str, nth: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= nth, f"{old!r} not in {path}"
    head, *rest = text.split(old)
    parts = [head]
    for i, part in enumerate(rest, start=1):
        parts.append(new if i == nth else old)
        parts.append(part)
    path.write_text("".join(parts), encoding="utf-8")


# ------------------------------------------------------------------ 4. merger rows
@pytest.mark.parametrize("row", [MERGER_POINTING_AT_LIVE, MERGER_UNKNOWN_CODE],
                         ids=["code-in-key-table", "code-nobody-knows"])
def test_case4_bad_merger_row_stops_build(data_copy, no_sources, row):
    append_line(data_copy / "curated" / "mergers.csv", row)
    before = built_files(data_copy)
    result = build(data_copy, no_sources)
    assert_one_line_error(result)
    assert built_files(data_copy) == before, "a refused build wrote into the data folder"


def test_case4_merger_successor_not_in_key_table_stops_build(data_copy, no_sources):
    # Tarvasjoki (838) merged into Aura (423); 996 is no municipality of the division.
    replace_once(data_copy / "curated" / "mergers.csv", "838,Tarvasjoki,423,",
                 "838,Tarvasjoki,996,")
    before = built_files(data_copy)
    result = build(data_copy, no_sources)
    assert_one_line_error(result)
    assert built_files(data_copy) == before, "a refused build wrote into the data folder"


@pytest.mark.parametrize("row, city, wrong_page", [
    (MERGER_POINTING_AT_LIVE, "Pori", "cities/vaasa-905"),
    (MERGER_UNKNOWN_CODE, "Foo", "cities/pori-609"),
], ids=["Pori-is-not-Vaasa", "Foo-is-not-Pori"])
def test_case4_merger_row_never_renders_another_city(tmp_path, data_copy, no_sources, row,
                                                     city, wrong_page):
    append_line(data_copy / "curated" / "mergers.csv", row)
    build(data_copy, no_sources)  # refused once fixed; today it passes
    result = run_cli(["render", "city_profile", "-p", "city", city, "--lang", "en", "--list",
                      "--output", tmp_path / "out"],
                     env=cli_env(ANALYSIS_DATA_DIR=data_copy))
    assert "Traceback" not in result.output, result.describe()
    assert wrong_page not in result.output, result.describe()
    if city == "Pori" and result.code == 0:
        assert "en/cities/pori-609.html" in result.stdout, result.describe()
    elif city == "Foo":  # no municipality is called Foo
        assert_one_line_error(result)


# ------------------------------------------------------------------ 5. build = check
def test_case5_build_refuses_a_snapshot_the_check_rejects(data_copy, no_sources):
    yaml_path = data_copy / "curated" / "partnerships.yaml"
    vaasa = ("      - {name: Vaasa, role: invited, status: invited to the network agreement, "
             "evidence: Vaasa}\n")
    text = yaml_path.read_text(encoding="utf-8")
    assert vaasa in text
    yaml_path.write_text(text.replace(vaasa, vaasa + vaasa, 1), encoding="utf-8")
    before = built_files(data_copy)
    result = build(data_copy, no_sources)
    if result.code == 0:  # whatever the build writes, the check and every render must accept
        check = run_cli(["data", "check", "--data-dir", data_copy])
        assert check.code == 0, f"build passed but check refused:\n{check.describe()}"
    assert_one_line_error(result)
    assert built_files(data_copy) == before, "a refused build changed the data folder"


# ------------------------------------------------------------------ 6. member names
def test_case6_partnership_member_by_swedish_name_resolves(data_copy, no_sources):
    replace_once(data_copy / "curated" / "partnerships.yaml",
                 "- {name: Vaasa, role: invited,", "- {name: Vasa, role: invited,")
    result = build(data_copy, no_sources)
    assert result.code == 0, result.describe()
    with open(data_copy / "memberships.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert any(r["partnership_id"] == "growth-cities" and r["code"] == "905" for r in rows), \
        "Vasa (Vaasa, 905) is not a member of growth-cities after the build"


# ------------------------------------------------------------------ 7a–7d. one line, no traceback
def test_case7a_partnerships_yaml_syntax_error_is_one_line(data_copy, no_sources):
    replace_once(data_copy / "curated" / "partnerships.yaml",
                 "- {name: Vaasa, role: invited,", "- {name: Vaasa, [role: invited,")
    assert_one_line_error(build(data_copy, no_sources))


def test_case7b_partnerships_yaml_tab_indentation_is_one_line(data_copy, no_sources):
    replace_once(data_copy / "curated" / "partnerships.yaml",
                 "      - {name: Vaasa, role: invited,", "\t    - {name: Vaasa, role: invited,")
    assert_one_line_error(build(data_copy, no_sources))


def test_case7c_source_lines_not_a_range_is_one_line(tmp_path, data_copy):
    replace_once(data_copy / "curated" / "partnerships.yaml", 'source_lines: "19-31"',
                 'source_lines: "abc"')
    # The evidence check runs where the documents are; a stand-in folder holds files of the
    # documents' names (the error comes before their words are read).
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in ("growth-cities-network-seinajoki.fi.txt", "thematic-partnerships.fi.txt"):
        (sources / name).write_text("line\n" * 400, encoding="utf-8")
    assert_one_line_error(build(data_copy, sources))


def test_case7d_mergers_csv_unbalanced_quote_is_one_line(data_copy, no_sources):
    append_line(data_copy / "curated" / "mergers.csv", '777,"Foo,609,2024-01-01')
    assert_one_line_error(build(data_copy, no_sources))
