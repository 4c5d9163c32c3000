"""Similar municipalities (analysis.analyses.similar and the snapshot's similar.csv and
similarity_measures.csv): the distances recomputed here from the committed measures with
csv and math only, the neighbours really the nearest, deterministic, a configuration
change changes them, missing values imputed, ties broken by code, and the read side
(what makes them alike, the second peer group)."""

import csv
import math
import statistics
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from analysis import data
from analysis.analyses import peers, similar
from analysis.core import paths, yamlio

SEINAJOKI = "743"


def _committed(name):
    with open(paths.DATA_DIR / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def measures():
    """code -> measure -> (score, weight), from similarity_measures.csv as committed."""
    out = {}
    for row in _committed("similarity_measures"):
        out.setdefault(row["code"], {})[row["measure"]] = (float(row["score"]), float(row["weight"]))
    return out


def _distance(a: dict, b: dict) -> float:
    return math.sqrt(sum(w * (a[m][0] - b[m][0]) ** 2 for m, (_, w) in a.items()))


@pytest.fixture(scope="module")
def config():
    return similar.read_config(paths.CURATED_DIR)


@pytest.fixture(scope="module")
def tables():
    snap = data.load()
    return {name: getattr(snap, name) for name in ("municipalities", "population", "indicators",
                                                   "jobs", "commuting", "unemployment")}


# ------------------------------------------------------------------ the committed tables
def test_distances_follow_from_the_scores_and_are_the_nearest(measures, config):
    neighbours = {}
    for row in _committed("similar"):
        neighbours.setdefault(row["code"], []).append(row)
    assert set(neighbours) == set(measures) and len(measures) == 308
    for code, rows in neighbours.items():
        assert [int(r["rank"]) for r in rows] == list(range(1, config.neighbours + 1))
        distances = [float(r["distance"]) for r in rows]
        assert distances == sorted(distances)
        for r in rows:  # as written (4 decimals), from the scores as written
            assert abs(_distance(measures[code], measures[r["similar_code"]])
                       - float(r["distance"])) < 1e-4
        listed = {r["similar_code"] for r in rows}
        others = [_distance(measures[code], measures[o]) for o in measures
                  if o != code and o not in listed]
        assert min(others) >= distances[-1] - 1e-4, code  # nobody left out is nearer


def test_distance_is_symmetric(measures):
    rows = _committed("similar")
    listed = {(r["code"], r["similar_code"]): float(r["distance"]) for r in rows}
    mutual = [(a, b) for a, b in listed if (b, a) in listed]
    assert len(mutual) > 500  # most neighbours are mutual
    assert all(listed[a, b] == listed[b, a] for a, b in mutual)


def test_seinajokis_neighbours_are_real_municipalities_nearest_first():
    names = data.municipalities().set_index("code")["name_fi"]
    near = similar.similar_to("Seinäjoki")
    assert len(near) == 9 and SEINAJOKI not in set(near["similar_code"])
    assert near["distance"].is_monotonic_increasing and near["rank"].tolist() == list(range(1, 10))
    assert set(near["similar_code"]) <= set(names.index)
    assert names[near.at[0, "similar_code"]] == "Vaasa"  # the most similar
    assert similar.group("Seinäjoki")[0] == SEINAJOKI and len(similar.group(743)) == 10


def test_scores_are_z_scores_of_the_transformed_values(config):
    frame = data.similarity_measures()
    assert list(dict.fromkeys(frame["measure"])) == [m.name for m in config.measures]
    for name, rows in frame.groupby("measure"):
        assert abs(rows["score"].mean()) < 1e-3 and abs(rows["score"].std(ddof=0) - 1) < 1e-3, name
    pop = frame[frame["measure"] == "population"].set_index("code")
    logged = np.log10(pop["value"])
    expected = (logged - logged.mean()) / logged.std(ddof=0)
    assert (expected.round(4) - pop["score"]).abs().max() < 1e-9
    seinajoki = pop.loc[SEINAJOKI]
    assert seinajoki["value"] == data.population().query("code == '743'")["population"].iloc[-1]


def test_measures_keep_their_own_periods_and_sources():
    frame = data.similarity_measures().drop_duplicates("measure").set_index("measure")
    years = data.population_years()
    assert frame.at["population", "period"] == str(years[-1])
    assert frame.at["population_change_10y", "period"] == f"{years[-1] - 10}–{years[-1]}"
    assert frame.at["median_income", "source_table"] == "14ww"
    assert frame.at["in_commuter_share", "period"] == str(int(data.commuting()["year"].max()))
    unemployment = data.unemployment()
    complete = unemployment.drop_duplicates("period")["year"].value_counts()
    assert frame.at["unemployment_rate_annual", "period"] == str(max(complete[complete == 12].index))


def test_a_missing_value_is_imputed_with_the_median_and_marked():
    frame = data.similarity_measures()
    rate = frame[frame["measure"] == "unemployment_rate_annual"]
    missing = rate[rate["value"].isna()]
    assert set(missing["code"]) == {"295", "318", "438", "766"}  # Åland: withheld months
    assert missing["imputed"].all() and not rate.loc[rate["value"].notna(), "imputed"].any()
    held = rate["value"].dropna()
    z = (statistics.median(held) - held.mean()) / held.std(ddof=0)
    assert (missing["score"] - z).abs().max() < 1e-3  # the median's score (std over all 308)
    assert abs(missing["score"].iloc[0]) < 0.1


def test_the_annual_rate_is_the_mean_of_twelve_months():
    frame = data.similarity_measures()
    row = frame[(frame["measure"] == "unemployment_rate_annual") & (frame["code"] == SEINAJOKI)].iloc[0]
    rates = data.unemployment()
    months = rates[(rates["code"] == SEINAJOKI) & (rates["year"] == int(row["period"]))]
    assert len(months) == 12 and abs(months["value"].mean() - row["value"]) < 1e-4


def test_urban_rural_is_ordinal(config):
    frame = data.similarity_measures()
    rows = frame[frame["measure"] == "urban_rural"].set_index("code")
    munis = data.municipalities().set_index("code")["urban_rural_code"]
    assert (rows["value"].astype(int).astype(str) == munis.reindex(rows.index)).all()
    steps = rows.groupby("value")["score"].first().sort_index().diff().dropna().round(4)
    assert steps.nunique() == 1  # urban → semi-urban = semi-urban → rural


# ------------------------------------------------------------------ the computation
def test_deterministic_and_as_committed(tables, config):
    first = similar.similarity_tables(tables, config, "2025")
    second = similar.similarity_tables(tables, config, "2025")
    for a, b in zip(first, second):
        pd.testing.assert_frame_equal(a, b)
    committed = data.similar()
    pd.testing.assert_frame_equal(first[1].reset_index(drop=True), committed, check_dtype=False)


def test_a_configuration_change_changes_the_neighbours(tables, config):
    before = similar.similarity_tables(tables, config)[1]
    sizes = replace(config, measures=tuple(replace(m, weight=20.0) if m.name == "population"
                                           else m for m in config.measures))
    after = similar.similarity_tables(tables, sizes)[1]
    assert not before.equals(after)
    pop = data.population()
    pop = pop[pop["year"] == data.population_years()[-1]].set_index("code")["population"]

    def size_gap(table):  # how far in size the neighbours are: mean |log10 ratio|
        own = pop.reindex(table["code"]).to_numpy()
        return np.abs(np.log10(pop.reindex(table["similar_code"]).to_numpy() / own)).mean()

    assert size_gap(after) < 0.6 * size_gap(before)  # size weighs more: nearer in size
    fewer = similar.similarity_tables(tables, replace(config, neighbours=3))[1]
    assert fewer.groupby("code").size().eq(3).all()
    robust = similar.similarity_tables(tables, replace(config, standardise="robust"))[0]
    assert robust.groupby("measure")["score"].median().abs().max() < 1e-3


def test_equal_distances_list_the_lower_code_first():
    scored = pd.DataFrame({"code": ["001", "002", "003", "004"], "measure": "m",
                           "score": [0.0, 1.0, -1.0, 5.0], "weight": 1.0})
    near = similar.nearest(scored, 2)
    first = near[near["code"] == "001"]
    assert first["similar_code"].tolist() == ["002", "003"]  # both at distance 1
    assert first["distance"].tolist() == [1.0, 1.0]


def test_bad_configurations_are_one_line_errors(config):
    good = yamlio.load_file(paths.CURATED_DIR / "similarity.yaml")
    assert similar.check_config(good) == config
    bad = [({"neighbours": 0}, "neighbours: 0"), ({"standardise": "minmax"}, "standardise"),
           ({"missing": "drop"}, "missing"), ({"extra": 1}, "unknown key 'extra'"),
           ({"measures": {"population": {"weight": -1}}}, "weight -1"),
           ({"measures": {"gdp": {"weight": 1}}}, "measures.gdp: unknown measure"),
           ({"measures": {"urban_rural": {"weight": 1}}}, "order"),
           ({"measures": {"population": {"weight": 1, "transform": "sqrt"}}}, "transform")]
    for change, message in bad:
        with pytest.raises(similar.SimilarityConfigError) as info:
            similar.check_config({**good, **change}, "similarity.yaml")
        assert message in str(info.value) and "\n" not in str(info.value)
        assert str(info.value).startswith("similarity.yaml: ")


# ------------------------------------------------------------------ read side
def test_explain_says_what_makes_them_alike(measures):
    explained = similar.explain("Seinäjoki")
    assert explained.attrs["similar"] == list(similar.similar_to(SEINAJOKI)["similar_code"])
    found = similar.alike_and_apart(explained)
    assert found["apart"] == "jobs_per_resident" and found["above"] is True
    assert "urban_rural" in found["alike"]  # all nine are urban, as Seinäjoki
    assert abs(explained["share"].sum() - 1) < 1e-9
    others = explained.attrs["similar"]
    jobs = [measures[c]["jobs_per_resident"][0] for c in others]
    assert abs(explained.at["jobs_per_resident", "median_score"] - statistics.median(jobs)) < 1e-9
    values = data.similarity_measures().query("measure == 'jobs_per_resident'").set_index("code")
    assert explained.at["jobs_per_resident", "median"] == values.loc[others, "value"].median()


def test_the_similar_municipalities_as_a_second_peer_group():
    comp = similar.add_group(peers.city_comparison("Seinäjoki"))
    others = comp.attrs["similar"]
    wide = peers.wide_values(peers.comparison_indicators())
    for measure in ("median_income", "share_tertiary", "unemployment_rate"):
        assert comp.at[measure, "similar_median"] == statistics.median(wide.loc[others, measure])
        assert comp.at[measure, "above_similar"] == (comp.at[measure, "value"]
                                                     > comp.at[measure, "similar_median"])
    summary = peers.above_median_summary(comp, group="similar")
    assert summary["m"] == 11 and summary["n"] == int(comp["above_similar"].astype(bool).sum())
    assert peers.above_median_summary(comp)["n"] == 8  # the size class, unchanged
