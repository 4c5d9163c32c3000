"""No vintage is typed: years, division and sources come from the data and its provenance.

The decisive test appends a synthetic later year to a copy of the snapshot and runs every
notebook on it with its defaults: the new year must be the one each report calls its year,
and the division and municipality count in the footers must be the package's.
"""

import json
import re
import shutil

import nbformat
import pandas as pd
import papermill as pm
import pytest

from analysis.core import paths
from analysis.data import provenance
from analysis.present import i18n

NOTEBOOKS = sorted(p.name for p in paths.NOTEBOOKS_DIR.glob("*.ipynb")
                   if not p.name.startswith("explore"))
YEAR_PATTERN = re.compile(r"\b(?:19|20)\d\d\b")


def test_translations_type_no_year():
    """Every year in a translated text is a placeholder filled from the data."""
    for path in (paths.PACKAGE_DIR / "translations").glob("*.yaml"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.lstrip().startswith("#"):
                assert not YEAR_PATTERN.search(line), f"{path.name}:{number}: {line[:80]}"


def test_vintage_fields_come_from_the_package():
    package = provenance.load_datapackage()
    fields = i18n.vintage("en")
    assert fields["division"] == str(package["municipal_division"])
    assert fields["municipalities"] == str(len(pd.read_csv(paths.DATA_DIR / "municipalities.csv")))
    sources = pd.read_csv(paths.DATA_DIR / "sources.csv", dtype=str)
    for row in sources.itertuples():
        assert f"{row.short_en} {row.date[:4]}" in fields["partnership_sources"]
    assert fields["division"] in i18n.t("footer.division", "fi")
    assert i18n.t("source.population", "en", year=1999).startswith(
        f"Statistics Finland, population 31 Dec 1999 ({fields['division']} municipal division)")


@pytest.fixture(scope="module")
def later_year_snapshot(tmp_path_factory):
    """The snapshot plus one synthetic year after the latest (each population + 1 %)."""
    folder = tmp_path_factory.mktemp("later") / "data"
    shutil.copytree(paths.DATA_DIR, folder, ignore=shutil.ignore_patterns("raw"))
    pop = pd.read_csv(folder / "population.csv", dtype={"code": str})
    latest = int(pop["year"].max())
    extra = pop[pop["year"] == latest].assign(
        year=latest + 1, population=lambda f: (f["population"] * 1.01).round().astype(int))
    pd.concat([pop, extra]).sort_values(["code", "year"]).to_csv(
        folder / "population.csv", index=False, lineterminator="\n")
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for item in package["resources"]:
        if item["name"] == "population":
            item["years"] = sorted({*item["years"], latest + 1})
    (folder / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False),
                                             encoding="utf-8")
    provenance.reseal(folder)
    return folder, latest + 1


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_notebook_takes_the_new_year_as_latest(notebook, later_year_snapshot, tmp_path,
                                                     monkeypatch):
    folder, new_year = later_year_snapshot
    monkeypatch.setenv("ANALYSIS_DATA_DIR", str(folder))
    out = tmp_path / notebook
    pm.execute_notebook(str(paths.NOTEBOOKS_DIR / notebook), str(out), parameters={"lang": "en"},
                        cwd=str(paths.NOTEBOOKS_DIR), progress_bar=False, kernel_name="python3")
    nb = nbformat.read(out, as_version=4)
    text = "\n".join(
        "".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/markdown", ""))
        + "".join(o.get("data", {}).get("text/html", ""))
        for cell in nb.cells for o in cell.get("outputs", []))
    # The report's own year (in its footer's parameters) is the new one ...
    footer = text[text.index('class="provenance"'):]
    assert f"year={new_year}" in footer
    assert str(new_year) in text
    # ... and the footer states the division and municipality count of the package.
    package = provenance.load_datapackage(folder)
    assert f"{package['municipal_division']} municipal division " \
           f"({package['municipalities']} municipalities)" in footer


def test_readme_findings_are_the_data_s():
    """README cites the figures the data gives today (regenerate with `analysis findings`)."""
    from analysis.present import findings

    readme = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = findings.markdown()
    assert block in readme, "README's findings are stale: run `analysis findings --write README.md`"
    assert "16 cities" in block and "confirmed" in block
