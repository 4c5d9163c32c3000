"""Executing notebooks/size_classes.ipynb with papermill: default and non-default
parameters produce the five outputs; bad parameters fail with the library's message
before anything is written. Each run starts a kernel (a few seconds), so runs are few."""

import pandas as pd
import pytest
from papermill.exceptions import PapermillExecutionError

NOTEBOOK = "size_classes"

pytestmark = pytest.mark.slow


def test_default_parameters_with_export(run_notebook):
    run = run_notebook(NOTEBOOK, export=True)
    export, text = run.export, run.text
    assert not run.errors
    assert run.images == 3  # the distribution, the class history, the class's jobs
    from analysis import data

    pop = data.population()
    latest = int(pop["year"].max())
    assert f"# Kokoluokka 40\u00a0000–100\u00a0000 asukasta, {latest}" in text
    for name in ("Hyvinkää", "Järvenpää", "Lohja", "Seinäjoki", "Kajaani", "Seutukaupunkiohjelma"):
        assert name in text
    # The claim check and the closing note state what is and is not confirmed.
    assert "**Lukumäärä: vahvistuu.**" in text and "**Asukkaat: ei vahvistu.**" in text
    assert "969\u00a0692 asukasta (väite noin 1\u00a0100\u00a0000: ei vahvistu)" in text
    assert 'href="figures/population_distribution.png"' in text
    for stem in ("population_distribution.png", "population_distribution.svg",
                 "class_history.png", "class_history.svg"):
        assert (export / stem).stat().st_size > 1000
    members = pd.read_csv(export / "class_members.csv")
    # The class recomputed from the tables: cities of 40 000 to under 100 000 residents.
    munis = data.municipalities()
    in_class = pop[(pop["year"] == latest) & pop["code"].isin(munis.loc[munis["is_city"], "code"])
                   & pop["population"].between(40_000, 99_999)]
    assert len(members) == len(in_class) == 16
    assert members[f"Väkiluku {latest}"].sum() == in_class["population"].sum()
    claim = pd.read_csv(export / "claim_check.csv")
    assert "kyllä" in set(claim["Vahvistuu"]) and len(claim) == 12
    # The second claim of the release: checked city by city with what was published then.
    assert "## Toinen väite: työllisyys kasvukaupungeissa" in text and "taulukossa 115x" in text
    employment = pd.read_csv(export / "claim_employment.csv")
    assert len(employment) == 15 and employment.iloc[0]["Kunta"] == "Seinäjoki"
    assert "aineisto ei tue väitettä" in text
    # The class's jobs over every jobs year, today's members and those of each year.
    assert "## Kokoluokan työpaikat vuosien mittaan" in text
    jobs = pd.read_csv(export / "class_jobs_data.csv")
    assert jobs["Vuosi"].tolist() == list(range(1987, 2022))
    assert jobs.iloc[-1]["vuoden 2025 luokan 16 kuntaa"] == 409_242
    for stem in ("standard_classes", "class_outside_partnerships", "partners_outside_class",
                 "partnership_overlap"):
        assert (export / f"{stem}.xlsx").exists()


def test_non_default_parameters(run_notebook):
    run = run_notebook(NOTEBOOK, year=2010, bounds=[20000, 40000], cities_only=False,
                       lang="en", highlight="")
    text = run.text
    assert not run.errors and run.images == 3
    assert "# Size class 20,000–40,000 residents, 2010" in text
    # Municipalities without the city title are in scope: Kirkkonummi, Nurmijärvi, Tuusula.
    for name in ("Kirkkonummi", "Nurmijärvi", "Tuusula", "Rauma", "Äänekoski"):
        assert name in text
    assert "The class holds 32 municipalities" in text
    assert "2024: Naantali grew into the class" in text  # consecutive years: one year named
    assert "<code>cities_only=False</code>" in text  # parameters in the footer
    assert "Kokoluokka" not in text  # English throughout


@pytest.mark.parametrize("parameters, ename, message", [
    ({"year": 1900}, "ParameterError", "available years: 1972–"),
    ({"bounds": [100000, 40000]}, "BoundsError", "edges must increase, but 40000 follows 100000"),
])
def test_bad_parameters_fail_with_the_library_message(tmp_path, run_notebook, parameters, ename,
                                                      message):
    export = tmp_path / "figures"
    with pytest.raises(PapermillExecutionError) as caught:
        run_notebook(NOTEBOOK, export=True, **parameters)
    assert caught.value.ename == ename
    assert message in caught.value.evalue
    assert not export.exists()  # nothing written before the parameters are valid
