"""The committed snapshot holds what the foundation issue promises."""

import pytest

from analysis import data


@pytest.fixture(scope="module")
def snap():
    return data.load()


def test_308_municipalities_108_cities(snap):
    assert len(snap.municipalities) == 308
    assert snap.municipalities["code"].is_unique
    assert int(snap.municipalities["is_city"].sum()) == 108
    assert set(snap.municipalities["code"].str.len()) == {3}


def test_codes_are_strings_with_leading_zeros(snap):
    assert "005" in set(snap.municipalities["code"])
    assert snap.municipalities.loc[snap.municipalities["code"] == "005", "name_fi"].item() == "Alajärvi"


def test_population_years_without_gap(snap):
    years = data.population_years()
    assert years == list(range(1972, years[-1] + 1)) and years[-1] >= 2025
    assert len(snap.population) == 308 * len(years)


def test_mantyharju_holds_pertunmaa_before_merger(snap):
    pop = snap.population.set_index(["code", "year"])["population"]
    # Reference file figures for 2022: Mäntyharju 5 564 + Pertunmaa 1 600.
    assert pop[("507", 2022)] == 5564 + 1600
    assert "588" not in set(snap.population["code"])
    jobs = snap.jobs[snap.jobs["year"] == 2020].set_index("code")["jobs"]
    assert jobs["507"] == 1849 + 535  # the key figures' count, equal to 115p's sum
    area = snap.municipalities.set_index("code")["land_area_km2"]
    assert area["507"] == pytest.approx(981.21 + 374.43)


def test_tuusula_location_filled_inside_finland(snap):
    row = snap.municipalities.set_index("code").loc["858"]
    assert row["location_source"].startswith("representative point")
    assert 24.8 < row["lon"] < 25.3 and 60.3 < row["lat"] < 60.6  # Tuusula lies north of Helsinki


def test_whitespace_quirk_cleaned(snap):
    names = snap.municipalities.set_index("code")["name_sv"]
    assert names["081"] == "Gustav Adolfs"  # Hartola
    assert not snap.municipalities["subregion_en"].str.endswith(" ").any()


def test_partnership_member_counts(snap):
    counts = snap.memberships.groupby("partnership_id").size()
    expected = {"growth-cities": 15, "c6": 6, "vitality": 3, "mid-sized-growth-cities": 13,
                "joensuu-lappeenranta-imatra": 3}
    assert counts.to_dict() == expected
    assert set(snap.partnerships["partnership_id"]) == {*expected, "regional-towns"}


def test_growth_cities_host_and_seinajoki_decision(snap):
    p = snap.partnerships.set_index("partnership_id")
    assert p.at["growth-cities", "host_code"] == "109"  # Hämeenlinna
    m = snap.memberships.set_index(["partnership_id", "code"])
    assert m.at[("growth-cities", "109"), "role"] == "host"
    assert m.at[("growth-cities", "743"), "status_date"] == "2023-10-09"  # Seinäjoki's board


def test_regional_towns_has_zero_members(snap):
    assert "regional-towns" in set(snap.partnerships["partnership_id"])
    assert (snap.memberships["partnership_id"] == "regional-towns").sum() == 0


def test_every_membership_traceable_to_a_source_document(snap):
    from analysis.core import paths

    files = snap.sources.set_index("source_id")["file"]
    assert paths.SOURCES_DIR.is_dir(), (
        f"{paths.SOURCES_DIR}: the source documents are needed to check the memberships "
        "(CI has them beside the checkout)")
    checked = 0
    for row in snap.memberships.itertuples():
        doc = paths.SOURCES_DIR / files[row.source_id]
        lines = doc.read_text(encoding="utf-8").splitlines()
        first, _, last = row.source_lines.partition("-")
        window = "\n".join(lines[int(first) - 1:int(last or first)])
        assert row.evidence in window, row
        checked += 1
    assert checked == len(snap.memberships) == 40


def test_boundaries_2025_division_in_3067(snap):
    shapes = data.boundaries()
    assert len(shapes) == 308 and shapes.crs.to_epsg() == 3067
    raw = data.boundaries(crs=None)
    assert raw.crs.to_epsg() == 4326  # the source CRS is kept in the file
    assert "588" not in set(shapes["code"])
    # Mäntyharju's dissolved polygon is larger than its own 981 km² of land.
    area_km2 = shapes.set_index("code").geometry.area / 1e6
    assert area_km2["507"] > 1300


def test_loaded_tables_are_copies(snap):
    first = data.municipalities()
    first.loc[0, "name_fi"] = "changed"
    assert data.municipalities().loc[0, "name_fi"] != "changed"


def test_datapackage_lists_every_table_with_provenance():
    from analysis.data.provenance import load_datapackage

    package = load_datapackage()
    names = {r["name"] for r in package["resources"]}
    assert names == {"municipalities", "population", "jobs", "commuting", "unemployment",
                     "sources", "partnerships", "memberships", "boundaries", "indicators",
                     "country_indicators", "mergers", "claims", "similarity_measures", "similar"}
    assert package["municipal_division"] == 2025
    for res in package["resources"]:
        assert res["licenses"][0]["name"] == "CC-BY-4.0"
        assert res["sources"] and all("publisher" in s and "route" in s for s in res["sources"])
    by_name = {r["name"]: r for r in package["resources"]}
    assert any("588 into 507" in s for s in by_name["population"]["transformations"])
    assert any("Honkajoki" in s for s in by_name["municipalities"]["transformations"])
    assert any(s["secondary"] for s in by_name["municipalities"]["sources"])
    fields = [f["name"] for f in by_name["population"]["schema"]["fields"]]
    assert fields == ["code", "year", "population"]
