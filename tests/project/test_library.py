"""The library from an analyst's side: `import analysis` is cheap and gives the modules,
the tidy accessors hold real values, numpy integers are years and codes, and an install
outside a checkout finds its data through ANALYSIS_DATA_DIR or says how to."""

import os
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from analysis import data
from analysis.core import paths
from analysis.core.errors import ParameterError
from analysis.data.checks import check_year
from analysis.names import resolve


def test_import_is_cheap_and_modules_are_attributes():
    code = textwrap.dedent("""
        import sys, analysis
        assert not any(m.startswith(("pandas", "matplotlib")) for m in sys.modules), "heavy import"
        for name in ("core", "data", "ingest", "analyses", "present", "render", "names", "tables"):
            assert getattr(analysis, name).__name__ == "analysis." + name
        assert {"tables", "names", "data"} <= set(dir(analysis))
        try:
            analysis.nonexistent
        except AttributeError as exc:
            print(exc)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "has no attribute 'nonexistent'" in out.stdout


@pytest.mark.parametrize("kind", [np.int64, np.int32, np.uint16, int])
def test_numpy_integers_are_years(kind):
    latest = data.population()["year"].max()  # numpy int64 straight from the table
    assert check_year(latest) == check_year(kind(int(latest))) == int(latest)
    assert type(check_year(latest)) is int


@pytest.mark.parametrize("bad", [np.float64(2020.5), True, np.bool_(True), "20x0", -3])
def test_not_a_year_is_one_line(bad):
    with pytest.raises(ParameterError) as info:
        check_year(bad)
    assert "is not a year" in str(info.value) and "\n" not in str(info.value)


def test_year_not_held_numpy():
    with pytest.raises(ParameterError, match=r"^year 1900 is not in the population data"):
        check_year(np.int64(1900))


@pytest.mark.parametrize("code", [np.int64(743), np.int16(743), 743, "743"])
def test_numpy_integers_are_codes(code):
    assert resolve(code).name_fi == "Seinäjoki"


def test_accessors_accept_numpy_years_and_codes():
    from analysis import tables

    pop = data.population()
    latest = pop["year"].max()
    row = tables.population(years=latest, codes=np.int64(743))
    expected = pop[(pop["code"] == "743") & (pop["year"] == latest)]["population"].item()
    assert row[["code", "name_fi", "name_sv", "name_en"]].values.tolist() == [
        ["743", "Seinäjoki", "Seinäjoki", "Seinäjoki"]]
    assert row["population"].item() == expected
    with pytest.raises(ParameterError, match="unknown municipality 'Seinäjoik'; did you mean"):
        tables.population(codes="Seinäjoik")


def test_classes_agree_with_the_population_table():
    from analysis import tables

    frame = tables.classes(year=2010, bounds="40000, 100000", cities_only=False)
    pop = data.population()
    pop = pop[pop["year"] == 2010]
    expected = set(pop.loc[pop["population"].between(40_000, 99_999), "code"])
    assert set(frame.loc[frame["class_index"] == 0, "code"]) == expected
    assert (frame["year"] == 2010).all() and len(frame) == len(data.municipalities())


# -- where the data is found ------------------------------------------------------------------
def test_checkout_root_in_and_outside_a_checkout(tmp_path):
    assert paths.checkout_root() == paths.PROJECT_ROOT
    site = tmp_path / "lib" / "python3.11" / "site-packages" / "analysis"
    site.mkdir(parents=True)
    assert paths.checkout_root(site) is None


def test_no_data_folder_says_set_analysis_data_dir(monkeypatch):
    monkeypatch.delenv("ANALYSIS_DATA_DIR", raising=False)
    monkeypatch.setattr(paths, "_HAS_ROOT", False)  # as for a wheel in site-packages
    with pytest.raises(paths.DataNotFoundError) as info:
        paths.data_dir()
    message = str(info.value)
    assert "set ANALYSIS_DATA_DIR" in message and "\n" not in message
    monkeypatch.setenv("ANALYSIS_DATA_DIR", str(paths.DATA_DIR))
    assert paths.data_dir() == paths.DATA_DIR


def test_missing_analysis_data_dir_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setenv("ANALYSIS_DATA_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(paths.DataNotFoundError, match="ANALYSIS_DATA_DIR=.*nowhere: no such folder"):
        data.population()


def test_installed_copy_outside_checkout(tmp_path):
    """The package copied as a wheel would install it (no pyproject.toml above it), run
    from another folder: a one-line error without ANALYSIS_DATA_DIR, real data with it."""
    site = tmp_path / "site-packages"
    shutil.copytree(paths.PACKAGE_DIR, site / "analysis",
                    ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items()
           if k not in ("ANALYSIS_DATA_DIR", "ANALYSIS_PROJECT_ROOT")}
    env["PYTHONPATH"] = str(site)
    code = ("import analysis; print(analysis.__file__); "
            "print(analysis.tables.population(years='latest', codes='Seinäjoki')['population'].item())")
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, text=True,
                         capture_output=True)
    assert run.returncode != 0
    assert run.stderr.strip().splitlines()[-1].startswith(
        "analysis.core.paths.DataNotFoundError: no data folder: analysis is installed at")
    cli = subprocess.run([sys.executable, "-c", "from analysis.cli import main; main()",
                          "render", "--list"], cwd=tmp_path, env=env, text=True,
                         capture_output=True)
    assert cli.returncode == 2 and cli.stderr.count("\n") == 1
    assert cli.stderr.startswith("error: no data folder") and "set ANALYSIS_DATA_DIR" in cli.stderr
    env["ANALYSIS_DATA_DIR"] = str(paths.DATA_DIR)
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, text=True,
                         capture_output=True, check=True)
    first, value = run.stdout.split()
    assert first.startswith(str(site))
    pop = data.population()
    assert int(value) == pop[(pop["code"] == "743") & (pop["year"] == pop["year"].max())][
        "population"].item()


@pytest.mark.slow
def test_fresh_kernel_uses_the_documented_accessors(tmp_path):
    """What an analyst types in a new notebook, run in a new kernel (nbclient)."""
    import json

    import nbformat
    from nbclient import NotebookClient

    cells = [
        "import analysis",
        "pop = analysis.tables.population()\n"
        "latest = pop['year'].max()\n"
        "sjk = analysis.names.resolve('Seinäjoki')\n"
        "row = analysis.tables.population(years=latest, codes=sjk.code)",
        "mid = analysis.tables.classes(year=latest, bounds=[40000, 100000], cities_only=True)\n"
        "ms = analysis.tables.memberships()\n"
        "import json\n"
        "print(json.dumps({'code': sjk.code, 'names': row[['name_fi', 'name_sv', 'name_en']]"
        ".iloc[0].tolist(), 'year': int(latest), 'population': int(row['population'].iloc[0]),"
        " 'in_class': bool(sjk.code in set(mid.loc[mid['class_index'] == 0, 'code'])),"
        " 'partnerships': sorted(ms.loc[ms['code'] == sjk.code, 'partnership_id'])}))",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    printed = [o["text"] for o in nb.cells[-1].outputs if o.get("name") == "stdout"]
    result = json.loads("".join(printed))
    pop = data.population()
    latest = int(pop["year"].max())
    assert result["code"] == "743" and result["year"] == latest
    assert result["names"] == ["Seinäjoki", "Seinäjoki", "Seinäjoki"]
    assert result["population"] == pop[(pop["code"] == "743") & (pop["year"] == latest)][
        "population"].item()
    members = data.memberships()
    assert result["partnerships"] == sorted(members.loc[members["code"] == "743", "partnership_id"])
    assert result["partnerships"] and result["in_class"]
