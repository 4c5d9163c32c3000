"""The partnership network notebook runs under papermill with default and non-default
parameters; bad parameters stop it before any output with the library's message."""

import json

import papermill as pm
import pytest

NOTEBOOK = "partnership_network"
FIGURES = ["network_bipartite", "membership_matrix", "city_network", "partnership_overlap",
           "partnership_maps"]
TABLES = ["city_measures", "coverage", "class_outside_partnerships", "members_outside_class"]

pytestmark = pytest.mark.slow


def test_default_parameters_all_six_outputs(tmp_path, run_notebook):
    run = run_notebook(NOTEBOOK, export=True)
    export = run.export
    assert run.images == len(FIGURES)
    for name in FIGURES:
        assert (export / f"{name}.png").exists() and (export / f"{name}.svg").exists()
    for name in TABLES:
        assert (export / f"{name}.csv").exists()
    text = run.text
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


def test_subset_in_english(run_notebook):
    run = run_notebook(NOTEBOOK, partnerships="c6,vitality", lang="en", year=2022,
                       highlight_city="Espoo", layout_seed=7)
    text = run.text
    assert "This report is limited to: C6 alliance, Vitality partnership" in text
    assert "**Espoo** belongs to C6 alliance" in text
    assert "9 member municipalities" in text and "31 Dec 2022" in text
    assert run.images == len(FIGURES)


def test_unknown_partnership_fails_before_any_output(tmp_path, run_notebook):
    with pytest.raises(pm.PapermillExecutionError) as info:
        run_notebook(NOTEBOOK, partnerships="growth-cities,c7")
    assert info.value.ename == "ParameterError"
    assert "unknown partnership 'c7'" in info.value.evalue
    assert "valid ids: growth-cities, c6, vitality" in info.value.evalue
    nb = json.loads((tmp_path / f"{NOTEBOOK}.out.ipynb").read_text(encoding="utf-8"))
    shown = [o for cell in nb["cells"] for o in cell.get("outputs", [])
             if o.get("output_type") in ("display_data", "execute_result")]
    assert shown == []
