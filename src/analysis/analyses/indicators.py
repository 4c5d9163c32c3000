"""One indicator across the country: every municipality's value and rank, the
distribution, a group outlined on it (a size class or a partnership) and the history the
data holds. Numbers only; the indicator page's words and figures are the presentation's
(:mod:`analysis.present.text.indicator`, :mod:`analysis.present.figures.indicators`).

    frame = values("unemployment_rate", outline=[40000, 100000])
    frame.attrs["period"], frame.attrs["shown_unit"]     # '2026M06', '%'
    summary(frame)["country"], history("unemployment_rate")

What is compared (``shown``): the indicator as published where it is a share, a mean or a
sum per person; a count of persons (births, unemployed, net migration …) divided by the
population of the indicator's year per 1 000 residents, since a map or ranking of counts
would show the municipalities' size, not the indicator. When the population table does
not reach the indicator's year (unemployment of June 2026), the latest population year
before it divides, and the page says so. The country value is the tables' own ``SSS``
row, per 1 000 of the sum of the municipalities' population where the indicator is a
count.

The outline: a list of bounds is the size class of the cities with first edge ≤
population < last edge in that same population year; a partnership id its members; ``""``
or None nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import data
from analysis.analyses import sizeclass
from analysis.core.errors import ParameterError, echo
from analysis.data import memo, readset
from analysis.data.catalogue import INDICATORS
from analysis.data.checks import check_indicator, check_partnership

COUNT_UNIT = "persons"
PER_1000 = "per_1000"
QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


@dataclass(frozen=True)
class Outline:
    """The group outlined on an indicator's page: ``kind`` is ``class`` (cities of
    ``bounds``), ``partnership`` (``partnership``'s members) or ``none``; ``codes`` its
    municipalities (in the population year of the page, for a class)."""

    kind: str
    codes: frozenset
    bounds: tuple[int, ...] | None = None
    partnership: str | None = None
    year: int | None = None


def check_outline(outline):
    """The outline parameter normalised: a tuple of class edges, a partnership id or None.
    A list (or ``"40000, 100000"``) is read as bounds, other text as a partnership id."""
    if outline is None or (isinstance(outline, str) and not outline.strip()):
        return None
    if isinstance(outline, str) and not any(c.isalpha() for c in outline):
        return sizeclass.check_bounds(outline)
    if isinstance(outline, (list, tuple)):
        return sizeclass.check_bounds(outline)
    if isinstance(outline, str):
        return check_partnership(outline.strip())
    raise ParameterError(f"outline={echo(outline)} is neither class bounds (e.g. [40000, 100000]) "
                         "nor a partnership id")


def is_count(indicator: str) -> bool:
    """True where the page compares the indicator per 1 000 residents (a count of persons)."""
    return INDICATORS[indicator].unit == COUNT_UNIT


def population_year(year: int) -> int:
    """The population year that divides a count of ``year``: that year where the data hold
    it, else the latest before it (else the first held)."""
    with readset.reading("column", "population", "year"):
        years = data.population_years()
    earlier = [y for y in years if y <= year]
    return earlier[-1] if earlier else years[0]


def periods(indicator: str) -> list[str]:
    """The periods the data hold for ``indicator``, oldest first."""
    rows = data.indicators()
    rows = rows[rows["indicator"] == check_indicator(indicator)]
    return list(rows.sort_values(["year", "period"])["period"].drop_duplicates())


def outline_of(outline, year: int) -> Outline:
    """The :class:`Outline` of a normalised outline parameter, classes by ``year``'s population."""
    if outline is None:
        return Outline("none", frozenset())
    if isinstance(outline, str):
        ms = data.memberships()
        return Outline("partnership", frozenset(ms.loc[ms["partnership_id"] == outline, "code"]),
                       partnership=outline)
    bounds = sizeclass.check_bounds(outline)
    codes = sizeclass.members(year, bounds, cities_only=True)["code"]
    return Outline("class", frozenset(codes), bounds=bounds, year=year)


def values(indicator: str, outline=sizeclass.MID_SIZE_BOUNDS, period: str | None = None) -> pd.DataFrame:
    """Every municipality's value of ``indicator`` in ``period`` (default: the latest held).

    Columns: code, value (as published), missing_reason, population (of
    ``attrs["population_year"]``), shown (the value compared: ``value``, or per 1 000
    residents for a count), rank (1 = highest ``shown``; ties share the best rank; empty
    where missing), in_outline. ``attrs``: indicator, period, year, unit, shown_unit,
    source_table, population_year, outline (:class:`Outline`), country (as published) and
    country_shown.
    """
    indicator = check_indicator(indicator)
    return _values(indicator, check_outline(outline), period)


@memo.remembered
def _values(indicator: str, outline, period: str | None) -> pd.DataFrame:
    rows = data.indicators()
    rows = rows[rows["indicator"] == indicator]
    held = list(rows.sort_values(["year", "period"])["period"].drop_duplicates())
    period = held[-1] if period is None else period
    if period not in held:
        raise ParameterError(f"{indicator} has no period {echo(period)}; held: {', '.join(held)}")
    rows = rows[rows["period"] == period]
    year = int(rows["year"].iloc[0])
    pop_year = population_year(year)
    with readset.rows("population", "year", [pop_year]):
        pop = data.population()
    pop = pop[pop["year"] == pop_year].set_index("code")["population"]
    munis = data.municipalities()["code"]
    frame = rows.set_index("code").reindex(munis)[["value", "missing_reason"]].reset_index()
    frame["population"] = frame["code"].map(pop).astype("Int64")
    frame["shown"] = frame["value"]
    if is_count(indicator):
        frame["shown"] = frame["value"] / frame["population"].astype(float) * 1000
    frame["rank"] = frame["shown"].rank(ascending=False, method="min").astype("Int64")
    group = outline_of(outline, pop_year)
    frame["in_outline"] = frame["code"].isin(group.codes)
    country = data.country_indicators()
    country = country[(country["indicator"] == indicator) & (country["period"] == period)]
    country_value = float(country["value"].iloc[0]) if len(country) else np.nan
    country_shown = country_value
    if is_count(indicator):
        country_shown = country_value / float(pop.sum()) * 1000
    frame.attrs.update(indicator=indicator, period=period, year=year,
                       unit=INDICATORS[indicator].unit,
                       shown_unit=PER_1000 if is_count(indicator) else INDICATORS[indicator].unit,
                       source_table=rows["source_table"].iloc[0], population_year=pop_year,
                       outline=group, country=country_value, country_shown=country_shown,
                       direction=INDICATORS[indicator].direction)
    return frame


def summary(frame: pd.DataFrame) -> dict:
    """The page's figures of :func:`values`: count with and without a value, quantiles of
    ``shown``, the highest and lowest municipalities (codes), the outlined group's
    median, count and how many of it lie above the country value."""
    shown = frame["shown"].dropna()
    have = frame[frame["shown"].notna()].sort_values(["shown", "code"], ascending=[False, True])
    group = have[have["in_outline"]]
    country = frame.attrs["country_shown"]
    return {
        "n": int(len(shown)), "missing": int(frame["shown"].isna().sum()),
        **{f"q{round(q * 100)}": float(shown.quantile(q)) for q in QUANTILES},
        "top": list(have["code"].head(3)), "bottom": list(have["code"].tail(3))[::-1],
        "max": float(shown.max()), "min": float(shown.min()),
        "country": country,
        "above_country": int((shown > country).sum()) if pd.notna(country) else None,
        "group_n": int(len(group)), "group_missing": int(frame["in_outline"].sum() - len(group)),
        "group_median": float(group["shown"].median()) if len(group) else np.nan,
        "group_above_country": int((group["shown"] > country).sum()) if pd.notna(country) else None,
    }


def history(indicator: str, outline=sizeclass.MID_SIZE_BOUNDS) -> pd.DataFrame:
    """One row per period held: period, year, n (with a value), the quantiles of ``shown``
    (q10 … q90), country (``shown``) and group_median. One row while the data hold one
    period; a longer series draws as a line."""
    indicator = check_indicator(indicator)
    outline = check_outline(outline)
    rows = []
    for period in periods(indicator):
        frame = _values(indicator, outline, period)
        shown = frame["shown"].dropna()
        group = frame.loc[frame["in_outline"], "shown"].dropna()
        rows.append({"period": period, "year": frame.attrs["year"], "n": int(len(shown)),
                     **{f"q{round(q * 100)}": float(shown.quantile(q)) for q in QUANTILES},
                     "country": frame.attrs["country_shown"],
                     "group_median": float(group.median()) if len(group) else np.nan})
    return pd.DataFrame(rows)
