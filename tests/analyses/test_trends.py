"""analysis.analyses.trends: series, annual means only where every month is held, a
municipality against its size class and Finland, the direction over 5 and 10 years."""

import numpy as np
import pandas as pd
import pytest

from analysis import data
from analysis.analyses import sizeclass, trends
from analysis.core.errors import ParameterError

SEINAJOKI, KAJAANI, PORI = "743", "205", "609"


@pytest.fixture(scope="module")
def rates():
    return data.unemployment().set_index(["code", "period"])["value"]


def test_jobs_series_every_year_from_1987():
    series = trends.jobs_series("Seinäjoki")
    assert list(series.index) == list(range(1987, 2022))
    assert series[2000] == 24_254 and series[2021] == 32_683


def test_in_commuter_share_latest_year_by_default():
    share = trends.in_commuter_share()
    assert share.attrs["year"] == 2021 and len(share) == 308
    assert share[SEINAJOKI] == pytest.approx(0.2808, abs=5e-5)
    assert share[KAJAANI] == pytest.approx(0.1842, abs=5e-5)
    assert ((share > 0) & (share < 1)).all()
    assert trends.in_commuter_share(2000)[SEINAJOKI] < share[SEINAJOKI]
    with pytest.raises(ParameterError, match="not in the commuting data"):
        trends.in_commuter_share(2022)  # in-commuters only: no share


def test_unemployment_series_keeps_the_gap(rates):
    series = trends.unemployment_series("Kajaani")
    assert series.index[0] == "2007M01" and series.index[-1] == "2026M06"
    assert len(series) == 234  # every month from the first to the last
    gap = series["2025M02":"2026M05"]
    assert len(gap) == 16 and gap.isna().all()  # no source holds them: NaN, never joined
    assert series["2007M01"] == rates[(KAJAANI, "2007M01")]
    assert series["2026M06"] == rates[(KAJAANI, "2026M06")]


def test_annual_mean_only_where_every_month_is_held(rates):
    annual = trends.unemployment_annual()
    assert annual.attrs == {"year": 2024, "computed": trends.ANNUAL}  # 2025: January only
    months = [f"2024M{m:02d}" for m in range(1, 13)]
    assert annual[SEINAJOKI] == pytest.approx(np.mean([rates[(SEINAJOKI, m)] for m in months]))
    frame = data.unemployment().query("year == 2024")
    withheld = set(frame.loc[frame["value"].isna(), "code"])
    assert withheld and annual[list(withheld)].isna().all()
    assert annual.notna().sum() == 308 - len(withheld)
    with pytest.raises(ParameterError, match="complete years: 2007–2024"):
        trends.unemployment_annual(2025)


def test_unemployment_against_the_size_class_and_finland(rates):
    frame = trends.unemployment_vs_class("Pori")
    attrs = frame.attrs
    assert attrs["code"] == PORI and attrs["n_class"] == 19
    assert (attrs["class_lo"], attrs["class_hi"]) == (40_000, 100_000)
    peers = sizeclass.classify(attrs["year"]).query("class_index == 5")["code"]
    values = [rates[(c, "2024M06")] for c in peers]
    row = frame.loc["2024M06"]
    assert row["median"] == pytest.approx(np.median(values))
    assert (row["low"], row["high"]) == (min(values), max(values)) and row["n"] == 19
    assert row["value"] == rates[(PORI, "2024M06")]
    assert frame.loc["2025M06", ["value", "median", "low", "high"]].isna().all()
    country = data.country_indicators().query("indicator == 'unemployment_rate'")
    assert frame.loc["2026M06", "finland"] == country["value"].iloc[0]
    assert frame["finland"].notna().sum() == 1  # the history has no whole-country row


def test_direction_over_5_and_10_years():
    table = trends.trend_table("Seinäjoki").set_index(["measure", "span"])
    jobs = table.loc[("jobs", 5)]
    assert (jobs["start_period"], jobs["end_period"]) == ("2016", "2021")
    assert jobs["change"] == 32_683 - 30_039
    assert jobs["change_pct"] == pytest.approx((32_683 - 30_039) / 30_039)
    totals = data.jobs().groupby("year")["jobs"].sum()
    assert jobs["finland_change"] == pytest.approx(totals[2021] / totals[2016] - 1)
    class_codes = trends.class_codes("Seinäjoki")
    wide = data.jobs().pivot(index="year", columns="code", values="jobs")[class_codes]
    assert jobs["class_change"] == pytest.approx((wide.loc[2021] / wide.loc[2016] - 1).median())
    month = table.loc[("unemployment_month", 10)]
    assert (month["start_period"], month["end_period"]) == ("2016M06", "2026M06")
    assert month["change"] == pytest.approx(month["end"] - month["start"])
    annual = table.loc[("unemployment_annual", 5)]
    assert (annual["start_period"], annual["end_period"]) == ("2019", "2024")
    assert annual["end"] == pytest.approx(trends.unemployment_annual()[SEINAJOKI])
    share = table.loc[("in_commuter_share", 10)]
    assert share["end"] == pytest.approx(100 * trends.in_commuter_share()[SEINAJOKI])
    assert share["start"] == pytest.approx(100 * trends.in_commuter_share(2011)[SEINAJOKI])


def test_members_and_group_trends():
    codes = [SEINAJOKI, KAJAANI]
    members = trends.member_trends(codes)
    assert members.attrs["jobs_year"] == 2021 and members.attrs["month"] == "2026M06"
    assert members.at[SEINAJOKI, "jobs"] == 32_683
    assert members.at[KAJAANI, "jobs_change_10y"] == pytest.approx(15_653 / 16_133 - 1, abs=1e-3)
    group = trends.group_trends(codes)
    assert group["jobs"].loc[2021, "members"] == 32_683 + 15_653
    assert group["jobs"]["members_index"].iloc[0] == 100
    assert group["unemployment"].loc["2026M06", "n"] == 2


def test_class_jobs_today_and_each_year():
    frame = trends.class_jobs()
    assert frame.loc[2021, "members"] == 409_242  # as in the growth-cities claim's check
    assert frame.index[0] == 1987 and frame.index[-1] == 2021
    assert frame.loc[2021, "n_each_year"] == 16
    assert (frame["members_share"] < 1).all()
    totals = data.jobs().groupby("year")["jobs"].sum()
    assert (frame["finland"] == totals).all()
    assert isinstance(frame.attrs["codes"], list) and len(frame.attrs["codes"]) == 16
    assert pd.api.types.is_numeric_dtype(frame["each_year"])
