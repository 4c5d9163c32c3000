"""One indicator across the country (the indicator pages' numbers): every municipality,
ranks, counts compared per 1 000 residents, the outlined group, the series of periods."""

from __future__ import annotations

import pytest

from analysis import data
from analysis.analyses import indicators, sizeclass
from analysis.analyses.params import IndicatorParams
from analysis.core.errors import ParameterError
from analysis.data.catalogue import INDICATORS


def test_every_municipality_with_its_rank_and_the_missing_ones_without():
    frame = indicators.values("unemployment_rate")
    assert len(frame) == len(data.municipalities()) == 308
    missing = frame[frame["shown"].isna()]
    assert len(missing) == 4 and set(missing["missing_reason"]) == {"confidential (data protection)"}
    assert missing["rank"].isna().all()
    have = frame.dropna(subset=["shown"])
    assert sorted(have["rank"].astype(int))[:1] == [1] and have["rank"].max() <= 304
    top = have.sort_values("rank").iloc[0]
    assert top["shown"] == have["shown"].max()
    a = frame.attrs
    assert (a["period"], a["unit"], a["shown_unit"], a["source_table"]) == ("2026M06", "%", "%", "12r5")
    assert a["country"] == a["country_shown"] == 12.8


def test_counts_are_compared_per_1000_residents_of_the_same_year():
    frame = indicators.values("births", outline=None).set_index("code")
    pop = data.population()
    year = frame.attrs["population_year"]
    assert year == frame.attrs["year"] == 2025
    pori = pop[(pop["code"] == "609") & (pop["year"] == year)]["population"].iloc[0]
    assert frame.at["609", "shown"] == pytest.approx(frame.at["609", "value"] / pori * 1000)
    total = pop[pop["year"] == year]["population"].sum()
    assert frame.attrs["country_shown"] == pytest.approx(frame.attrs["country"] / total * 1000)
    assert frame.attrs["shown_unit"] == "per_1000"


def test_a_count_later_than_the_population_table_uses_the_latest_year_before_it():
    frame = indicators.values("unemployed")
    assert frame.attrs["year"] == 2026 and frame.attrs["population_year"] == 2025


def test_outline_is_a_size_class_or_a_partnership():
    by_class = indicators.values("median_income", [40000, 100000])
    members = set(sizeclass.members(by_class.attrs["population_year"], (40000, 100000))["code"])
    assert set(by_class.loc[by_class["in_outline"], "code"]) == members and len(members) == 16
    c6 = indicators.values("median_income", "c6")
    assert set(c6.loc[c6["in_outline"], "code"]) == {"091", "049", "837", "092", "564", "853"}
    assert not indicators.values("median_income", "").loc[:, "in_outline"].any()
    summary = indicators.summary(c6)
    rows = data.indicators().query("indicator == 'median_income' and period == '2024'")
    country = data.country_indicators().query("indicator == 'median_income' and period == '2024'")
    above = rows[rows["code"].isin(["091", "049", "837", "092", "564", "853"])
                 & (rows["value"] > country["value"].iloc[0])]
    assert summary["group_n"] == 6 and summary["group_above_country"] == len(above) == 3


@pytest.mark.parametrize("given, normalised", [
    ([40000, 100000], (40000, 100000)), ("40000, 100000", (40000, 100000)), ("c6", "c6"),
    ("", None), (None, None)])
def test_outline_parameter(given, normalised):
    assert indicators.check_outline(given) == normalised


@pytest.mark.parametrize("kwargs, message", [
    ({"indicator": "unemploymnet_rate"}, "did you mean 'unemployment_rate'"),
    ({"outline": "c7"}, "unknown partnership 'c7'"),
    ({"outline": [100000, 40000]}, "must increase"),
    ({"lang": "de"}, "use one of: fi, en, sv"),
])
def test_bad_parameters_are_one_line(kwargs, message):
    with pytest.raises(ParameterError, match=message) as info:
        IndicatorParams.check(**kwargs)
    assert "\n" not in str(info.value)


def test_history_has_a_row_per_period_held():
    for name in INDICATORS:
        hist = indicators.history(name)
        assert list(hist["period"]) == indicators.periods(name)
        assert (hist["q10"] <= hist["q50"]).all() and (hist["q50"] <= hist["q90"]).all()


def test_default_set_has_a_page_per_indicator_in_each_language():
    from analysis import render

    jobs = [j for j in render.default_jobs() if j.group == "indicators"]
    assert sorted(j.rel for j in jobs if j.lang == "fi") == sorted(
        f"indicators/{name}.html" for name in INDICATORS)
    assert len(jobs) == 2 * len(INDICATORS)
