"""The partnership network notebook runs under papermill with default and non-default
parameters; bad parameters stop it before any output with the library's message."""

import papermill as pm
import pytest

from analysis import paths

NOTEBOOK = paths.NOTEBOOKS_DIR / "partnership_network.ipynb"
FIGURES = ["network_bipartite", "membership_matrix", "city_network", "partnership_overlap",
           "partnership_maps"]
TABLES = ["city_measures", "coverage", "class_outside_partnerships", "members_outside_class"]

pytestmark = pytest.mark.slow


def _run(tmp_path, **parameters):
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), parameters=parameters, kernel_name="python3",
                        cwd=str(tmp_path), progress_bar=False)
    import nbformat

    return nbformat.read(out, as_version=4)


def _outputs(nb):
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]


def _text(nb) -> str:
    parts = []
    for o in _outputs(nb):
        for kind in ("text/markdown", "text/html", "text/plain"):
            parts.append(str(o.get("data", {}).get(kind, "")))
        parts.append(str(o.get("text", "")))
    return "\n".join(parts)


def test_default_parameters_all_six_outputs(tmp_path):
    export = tmp_path / "files"
    nb = _run(tmp_path, export_dir=str(export), export_href="files")
    images = [o for o in _outputs(nb) if "image/png" in o.get("data", {})]
    assert len(images) == len(FIGURES)
    for name in FIGURES:
        assert (export / f"{name}.png").exists() and (export / f"{name}.svg").exists()
    for name in TABLES:
        assert (export / f"{name}.csv").exists()
    text = _text(nb)
    assert "25 jäsenkuntaa" in text and "40 jäsenyyttä" in text
    # Members' share of Finland's population in the latest year, recomputed from the tables.
    from analysis import data

    pop = data.population()
    latest = pop[pop["year"] == pop["year"].max()]
    share = latest[latest["code"].isin(data.memberships()["code"])]["population"].sum() \
        / latest["population"].sum()
    assert f"{100 * share:.1f}".replace(".", ",") + "\u00a0%" in text
    assert "Järvenpää" in text and "Lohja" in text  # class cities outside every partnership
    assert "Seutukaupunkiohjelma" in text  # the programme without members is named
    assert "Tietoja raportista" in text  # provenance footer


def test_subset_in_english(tmp_path):
    nb = _run(tmp_path, partnerships="c6,vitality", lang="en", year=2022,
              highlight_city="Espoo", layout_seed=7)
    text = _text(nb)
    assert "This report is limited to: C6 alliance, Vitality partnership" in text
    assert "**Espoo** belongs to C6 alliance" in text
    assert "9 member municipalities" in text and "31 Dec 2022" in text
    images = [o for o in _outputs(nb) if "image/png" in o.get("data", {})]
    assert len(images) == len(FIGURES)


def test_unknown_partnership_fails_before_any_output(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as info:
        _run(tmp_path, partnerships="growth-cities,c7")
    assert info.value.ename == "ParameterError"
    assert "unknown partnership 'c7'" in info.value.evalue
    assert "valid ids: growth-cities, c6, vitality" in info.value.evalue
    import nbformat

    nb = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    shown = [o for o in _outputs(nb) if o.get("output_type") in ("display_data", "execute_result")]
    assert shown == []
