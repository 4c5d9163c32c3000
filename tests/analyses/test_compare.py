"""Places side by side (analysis.analyses.compare) and ranks among all municipalities
(analysis.analyses.peers.ranks): the places parameter in every spelling, ranks recomputed
here from the committed CSVs with csv only, histories with the unemployment gap kept."""

import csv

import pytest

from analysis import data
from analysis.analyses import compare, peers
from analysis.analyses.params import CompareParams
from analysis.core import paths
from analysis.core.errors import ParameterError

EXAMPLE = ["272", "743", "905"]  # Kokkola, Seinäjoki, Vaasa


@pytest.mark.parametrize("places", [
    "Seinäjoki, Vasa, 272", "272,Vaasa,Seinäjoki", ["Karleby", "seinajoki", 905],
    ("Vaasa", "Vasa", "Seinäjoki", "Kokkola", " 743 "), "Vaasa,, Seinäjoki, Kokkola,"])
def test_every_spelling_and_order_is_one_comparison(places):
    assert compare.check_places(places) == EXAMPLE
    params = CompareParams.check(places=places)
    assert params.values()["places"] == EXAMPLE and params.places == tuple(EXAMPLE)


@pytest.mark.parametrize("places, message", [
    ("Seinäjoki", "places: 1 municipality (Seinäjoki (743)); a comparison takes 2 to 10"),
    ("Vaasa, Vasa",
     "1 municipality (Vaasa (905)); a comparison takes 2 to 10 (a place named twice counts once)"),
    ("Seinäjoki, Vaasaa", "places: unknown municipality 'Vaasaa'; did you mean Vaasa 905"),
    (list(range(1, 12)), "places: unknown municipality '1'"),
    (["005", "009", "010", "016", "018", "019", "020", "035", "043", "046", "047"],
     "places: 11 municipalities (Alajärvi (005), Alavieska (009), Alavus (010), Asikkala (016) …); "
     "a comparison takes 2 to 10"),
    ("", "places: 0 municipalities (none); a comparison takes 2 to 10"),
    (None, "places=None: give 2 to 10 municipalities as a list or as text separated by commas"),
    ({"a": 1}, "places={'a': 1}: give 2 to 10"),
])
def test_bad_places_are_one_line_errors(places, message):
    with pytest.raises(ParameterError) as info:
        CompareParams.check(places=places)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_places_largest_first_with_their_class_and_rank():
    pl = compare.places(EXAMPLE)
    assert pl["name_fi"].tolist() == ["Vaasa", "Seinäjoki", "Kokkola"]
    year = data.population_years()[-1]
    with open(paths.DATA_DIR / "population.csv", encoding="utf-8", newline="") as f:
        pop = {r["code"]: int(r["population"]) for r in csv.DictReader(f) if r["year"] == str(year)}
    for row in pl.itertuples():
        assert row.population == pop[row.code]
        assert row.population_rank == 1 + sum(v > pop[row.code] for v in pop.values())
        assert (row.class_lo, row.class_hi) == (40_000, 100_000)
        assert row.urban_rural_code == "1"
    assert (pl.attrs["year"], pl.attrs["n"]) == (year, 308)


def test_ranks_among_all_and_in_the_class_recomputed():
    frame = peers.ranks()
    assert len(frame) == 308 * len(peers.MEASURES)
    values = peers.wide_values(peers.comparison_indicators())
    sbs = compare.side_by_side(EXAMPLE)
    assert sbs["code"].tolist()[:3] == ["905", "743", "272"] and len(sbs) == 3 * 11
    classes = peers.class_peers("743")["code"]
    for row in sbs.itertuples():
        column = values[row.measure].dropna()
        assert row.n_all == len(column)
        assert row.rank_all == 1 + (column > column[row.code]).sum()
        in_class = column[column.index.isin(classes)]
        assert row.rank_class == 1 + (in_class > in_class[row.code]).sum()
        assert row.n_class == len(in_class)
    jobs = sbs[(sbs["measure"] == "jobs_per_resident") & (sbs["code"] == "743")].iloc[0]
    assert (jobs.rank_all, jobs.n_all, jobs.rank_class) == (12, 308, 2)
    rate = sbs[sbs["measure"] == "unemployment_rate"]
    assert (rate["n_all"] == 304).all()  # four withheld values are not ranked


def test_city_comparison_ranks_among_all():
    comp = peers.city_comparison("Seinäjoki")
    assert comp.at["jobs_per_resident", "rank_all"] == 12 and comp.at["jobs_per_resident", "n_all"] == 308
    assert (comp["rank_all"] >= comp["rank"]).all()  # never better in Finland than in the class


def test_partnership_members_ranks_among_all():
    comp = peers.partnership_comparison("growth-cities")
    ranks = peers.ranks()
    members = comp.attrs["members"]
    own = ranks[ranks["code"].isin(members) & (ranks["measure"] == "median_income")]
    assert comp.at["median_income", "members_rank_best"] == own["rank_all"].min()
    assert comp.at["median_income", "members_rank_worst"] == own["rank_all"].max()
    empty = peers.partnership_comparison("regional-towns")
    assert empty["members_rank_best"].isna().all() and (empty["n_all"] >= 304).all()


def test_histories_one_column_per_place_and_the_gap_kept():
    hist = compare.histories(EXAMPLE)
    assert list(hist["population"].columns) == ["905", "743", "272"]
    assert hist["population"].loc[data.population_years()[-1], "743"] == 67283
    jobs = data.jobs()
    assert hist["jobs"].loc[2021, "905"] == jobs.query("code == '905' and year == 2021")["jobs"].item()
    rate = hist["unemployment"]
    assert rate.index[0] == "2007M01" and rate.index[-1] == "2026M06"
    assert rate.loc["2025M02":"2026M05"].isna().all().all() and len(rate) == 234
    assert rate.loc["2026M06"].notna().all()
