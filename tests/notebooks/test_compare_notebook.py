"""notebooks/compare.ipynb executed with papermill (the places of the issue's example), and
the city profile's similar municipalities section. Each run starts a kernel (slow)."""

import pandas as pd
import pytest

from analysis import data
from analysis.analyses import similar

pytestmark = pytest.mark.slow


def test_comparison_of_the_example(run_notebook):
    run = run_notebook("compare", export=True, places="Seinäjoki, Vasa, 272", lang="fi")
    text, export = run.text, run.export
    assert not run.errors
    assert "# Vertailu: Vaasa, Seinäjoki ja Kokkola" in text
    assert "Rinnakkain 3 kuntaa" in text and "kaikkien 308 kunnan joukossa" in text
    assert "**Seinäjoki**: korkeimmalle tunnusluvussa työpaikkoja asukasta kohden (12/308)" in text
    assert "Kuukausilta helmikuu 2025 – toukokuu 2026 ei ole tietoa" in text
    assert run.images == 5  # map, ranks, population, jobs, unemployment
    for name in ("map", "ranks", "population", "jobs", "unemployment"):
        for suffix in (".png", ".svg", "_data.csv", "_data.xlsx"):
            assert (export / f"{name}{suffix}").stat().st_size > 200, name + suffix
    places = pd.read_csv(export / "places.csv", dtype={"Kuntanumero": str})
    assert places["Kuntanumero"].tolist() == ["905", "743", "272"]
    assert places["Sija väkiluvussa"].tolist() == ["14/308", "16/308", "22/308"]
    values = pd.read_csv(export / "indicators.csv")
    assert len(values) == 11 and list(values.columns[-4:]) == ["Vaasa", "Seinäjoki", "Kokkola",
                                                               "Koko maa"]
    ranks = pd.read_csv(export / "ranks.csv")
    jobs = ranks[ranks["Tunnusluku"] == "Työpaikkoja asukasta kohden"].iloc[0]
    assert jobs["Seinäjoki"] == "12/308\u00a0(2/19)"
    plotted = pd.read_csv(export / "ranks_data.csv", index_col="Tunnusluku")
    assert plotted.loc["Työpaikkoja asukasta kohden", "Seinäjoki"] == 12
    assert (plotted["Kuntia, joilla tieto"] >= 304).all()
    population = pd.read_csv(export / "population_data.csv", index_col="Vuosi")
    assert population.loc[data.population_years()[-1], "Seinäjoki"] == 67283
    rate = pd.read_csv(export / "unemployment_data.csv", index_col="Ajankohta")
    assert rate.loc["2025M02":"2026M05"].isna().all().all() and rate.loc["2026M06"].notna().all()


def test_comparison_in_english_with_a_place_given_by_its_swedish_name(run_notebook):
    run = run_notebook("compare", places=["Karleby", "Jakobstad"], lang="en")
    assert not run.errors
    assert "# Comparison: Kokkola and Jakobstad" in run.text  # the English names of the data
    assert "Rank among all municipalities" in run.text and run.images == 5


def test_city_profile_names_its_similar_municipalities(run_notebook):
    run = run_notebook("city_profile", export=True, city="Seinäjoki", lang="en")
    text, export = run.text, run.export
    assert not run.errors
    names = data.municipalities().set_index("code")["name_en"]
    group = similar.group("743")
    assert "## Similar municipalities" in text
    assert ("The 9 municipalities most like Seinäjoki in structure are (distance in brackets) "
            "Vaasa (1.36), Kuopio (1.70)") in text
    assert "Seinäjoki differs most from them in jobs per resident" in text
    assert "z-score" in text and "population and population density first taken as logarithms" in text
    assert "The data hold no unemployment rate, annual mean for" in text  # four imputed
    assert "[the comparison page](../comparisons/" in text
    neighbours = pd.read_csv(export / "similar.csv")
    assert neighbours["Municipality"].tolist() == [names[c] for c in group[1:]]
    assert neighbours["Distance"].is_monotonic_increasing
    measures = pd.read_csv(export / "similarity_measures.csv")
    assert len(measures) == 11 and measures["Weight"].sum() == 11
    comparison = pd.read_csv(export / "comparison.csv")
    assert {"Rank in Finland", "Median of similar municipalities"} <= set(comparison.columns)
    jobs = comparison[comparison["Indicator"] == "Jobs per resident"].iloc[0]
    assert jobs["Rank in Finland"] == "12/308" and jobs["Rank in class"] == "2/19"
    assert "Against its 9 similar municipalities, Seinäjoki is above their median in" in text


def test_city_profile_without_render_names_the_command(run_notebook):
    run = run_notebook("city_profile", city="Kajaani", lang="fi")
    assert not run.errors
    assert "analysis render compare -p places" in run.text and "vertailusivu](" not in run.text
