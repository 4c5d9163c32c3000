"""Corrupt snapshots fail loudly, naming file, row and column."""

import re

import pytest

from analysis import data
from analysis.data import DataValidationError


def _edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _load_error(folder) -> str:
    with pytest.raises(DataValidationError) as info:
        data.load(folder)
    return str(info.value)


def test_duplicate_code(snapshot_copy):
    path = snapshot_copy / "population.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(2, lines[1])  # repeat the first data row (005, 2000)
    path.write_text("".join(lines), encoding="utf-8")
    message = _load_error(snapshot_copy)
    assert "population.csv" in message and "row 1 (line 3)" in message
    assert "code" in message


def test_code_without_leading_zeros(snapshot_copy):
    _edit(snapshot_copy / "jobs.csv", "\n005,1987,", "\n5,1987,")
    message = _load_error(snapshot_copy)
    assert re.search(r"jobs\.csv: row 0 \(line 2\), column 'code'", message), message
    assert "'5'" in message


def test_unknown_code_in_memberships(snapshot_copy):
    _edit(snapshot_copy / "memberships.csv", "c6,091,", "c6,999,")
    message = _load_error(snapshot_copy)
    assert "memberships.csv" in message and "column 'code'" in message and "'999'" in message
    assert re.search(r"row \d+ \(line \d+\)", message)


def test_unknown_partnership_in_memberships(snapshot_copy):
    _edit(snapshot_copy / "memberships.csv", "vitality,179,", "vitalty,179,")
    message = _load_error(snapshot_copy)
    assert "column 'partnership_id'" in message and "'vitalty'" in message


def test_negative_population(snapshot_copy):
    _edit(snapshot_copy / "population.csv", "\n005,2000,11503", "\n005,2000,-11503")
    message = _load_error(snapshot_copy)
    assert "population.csv: row 28 (line 30), column 'population'" in message
    assert "-11503" in message


def test_non_numeric_population(snapshot_copy):
    _edit(snapshot_copy / "population.csv", "\n005,2001,11341", "\n005,2001,11 341")
    message = _load_error(snapshot_copy)
    assert "row 29 (line 31), column 'population'" in message


def test_bad_encoding(snapshot_copy):
    path = snapshot_copy / "municipalities.csv"
    raw = path.read_bytes()
    path.write_bytes(raw.replace("Alajärvi".encode(), "Alajärvi".encode("latin-1"), 1))
    message = _load_error(snapshot_copy)
    assert "municipalities.csv: row 0 (line 2), column 'name_fi'" in message
    assert "UTF-8" in message


def test_missing_municipality_in_a_year(snapshot_copy):
    path = snapshot_copy / "population.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lg for lg in lines if not lg.startswith("005,2024")), encoding="utf-8")
    message = _load_error(snapshot_copy)
    assert "year 2024 lacks municipalities 005" in message


def _drop_last_row(path):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")


def test_wrong_number_of_municipalities(snapshot_copy):
    _drop_last_row(snapshot_copy / "municipalities.csv")
    message = _load_error(snapshot_copy)
    assert "307 municipalities, expected 308" in message


def test_year_out_of_range(snapshot_copy):
    _edit(snapshot_copy / "jobs.csv", "\n005,1988,", "\n005,1820,")
    message = _load_error(snapshot_copy)
    assert "jobs.csv: row 1 (line 3), column 'year'" in message


def test_check_command_fails_with_message(snapshot_copy):
    from typer.testing import CliRunner

    from analysis.cli import app

    _edit(snapshot_copy / "population.csv", "\n005,2000,11503", "\n005,2000,-1")
    result = CliRunner().invoke(app, ["data", "check", "--data-dir", str(snapshot_copy)])
    assert result.exit_code != 0
    assert "population.csv: row 28 (line 30), column 'population'" in result.output
    assert "Traceback" not in result.output


# -- what `analysis data check` catches beyond the schemas ------------------------------------
def _check_cli(folder):
    from typer.testing import CliRunner

    from analysis.cli import app

    result = CliRunner().invoke(app, ["data", "check", "--data-dir", str(folder)])
    assert result.exit_code != 0 and "Traceback" not in result.output
    lines = [lg for lg in result.output.splitlines() if lg.strip()]
    assert len(lines) == 1, result.output  # one line
    return lines[0]


def test_header_only_table(snapshot_copy):
    path = snapshot_copy / "jobs.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert "jobs.csv: header only, no data rows" in _check_cli(snapshot_copy)


def test_empty_file(snapshot_copy):
    (snapshot_copy / "sources.csv").write_text("", encoding="utf-8")
    assert "sources.csv: empty file" in _check_cli(snapshot_copy)


def test_missing_datapackage(snapshot_copy):
    (snapshot_copy / "datapackage.json").unlink()
    assert "datapackage.json: missing; run `analysis data build`" in _check_cli(snapshot_copy)


def test_corrupt_datapackage(snapshot_copy):
    path = snapshot_copy / "datapackage.json"
    path.write_text(path.read_text(encoding="utf-8")[:500], encoding="utf-8")
    assert "datapackage.json: not valid JSON" in _check_cli(snapshot_copy)
    path.write_text("[1, 2]", encoding="utf-8")
    assert "datapackage.json: not this project's data package" in _check_cli(snapshot_copy)


def test_row_with_an_extra_field(snapshot_copy):
    _edit(snapshot_copy / "jobs.csv", "\n005,1988,", "\n005,1988,1,")
    assert re.search(r"jobs\.csv: row 1 \(line 3\), column '#4': 4 fields where the header has 3",
                     _check_cli(snapshot_copy))


def test_value_cut_short_is_caught_by_the_checksum(snapshot_copy):
    text = (snapshot_copy / "population.csv").read_text(encoding="utf-8")
    match = re.search(r"^(\d{3},\d{4},)(\d{5})$", text, flags=re.M)
    cut = match.group(1) + match.group(2)[:3]  # 17740 saved as 177: still a valid count
    (snapshot_copy / "population.csv").write_text(text.replace(match.group(0), cut, 1),
                                                  encoding="utf-8")
    message = _check_cli(snapshot_copy)
    assert "population.csv: sha256 differs from the one datapackage.json records" in message


def test_row_count_differs_from_the_package(snapshot_copy):
    _drop_last_row(snapshot_copy / "memberships.csv")
    assert "memberships.csv: 39 rows, datapackage.json declares 40" in _check_cli(snapshot_copy)


def test_check_with_documents_verifies_evidence(tmp_path):
    from typer.testing import CliRunner

    from analysis.cli import app
    from analysis.core import paths

    assert paths.SOURCES_DIR.exists(), "../shared/sources must be beside the checkout"
    result = CliRunner().invoke(app, ["data", "check", "--sources", str(paths.SOURCES_DIR)])
    assert result.exit_code == 0, result.output
    assert "evidence" in result.output and "checked against" in result.output
