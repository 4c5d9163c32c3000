"""How a municipality compares: its values on the comparison indicators against its
size-class peers and Finland, a partnership's members against the other municipalities of
their classes, and the medians of every standard size class. Pure data, no text: the
sentences and tables are in :mod:`analysis.present.peers`, the figures in
:mod:`analysis.present.figures.peers`.

    frame = comparison_indicators()               # code × measure, tidy (latest year)
    table = city_comparison("Seinäjoki")          # value, class median, Finland, rank
    above_median_summary(table)                   # {"n": …, "m": …, "standout": …}

Measures are the indicators of :data:`analysis.data.catalogue.INDICATORS` that compare across
municipalities of different sizes, plus four derived from the population and jobs tables:

- population change over 5 and 10 years up to the profile year, in % (population table);
- net migration between municipalities and net immigration per 1 000 residents, divided by
  the population at the end of the indicator's own year (both are flows of that year);
- jobs per resident: jobs divided by the population of the jobs table's year.

Each official measure keeps its own period (the latest the indicators table holds), unit,
source table and, where the source gives no value, its reason. Peers are the
municipalities in the same standard size class (:data:`analysis.analyses.sizeclass.STANDARD_EDGES`,
all municipalities, not only cities) in the profile year, as in the city profile's peer
table; the class median includes the city itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import data
from analysis.analyses import sizeclass
from analysis.data import memo, readset
from analysis.data.catalogue import INDICATORS
from analysis.data.checks import check_municipality, check_partnership, check_year

POPULATION_SOURCE = "population"  # the project's population table (source_table of changes)
JOBS_SOURCE = "jobs"
NOT_IN_DATA = "not in the data"  # missing_reason where the data lack an input year


@dataclass(frozen=True)
class Measure:
    """One row of the comparison: an official indicator, or one derived from it.

    ``kind``: ``official`` (the indicator's value as published), ``per_1000`` (the
    indicator per 1 000 residents of its year), ``change`` (population change over
    ``span`` years, %) or ``jobs`` (jobs per resident). ``direction`` as in
    :class:`analysis.data.catalogue.Indicator`: 0 where neither reading is obvious.
    """

    name: str
    kind: str
    unit: str
    direction: int
    digits: int
    indicator: str | None = None
    span: int | None = None


def _official(name: str, digits: int = 1) -> Measure:
    ind = INDICATORS[name]
    return Measure(name, "official", ind.unit, ind.direction, digits, indicator=name)


def _per_1000(name: str) -> Measure:
    return Measure(f"{name}_per_1000", "per_1000", "per_1000", INDICATORS[name].direction,
                   1, indicator=name)


MEASURES: dict[str, Measure] = {m.name: m for m in [
    Measure("population_change_5y", "change", "%", 1, 1, span=5),
    Measure("population_change_10y", "change", "%", 1, 1, span=10),
    _official("share_under_15"),
    _official("share_65_plus"),
    _official("mean_age"),
    _per_1000("net_migration_internal"),
    _per_1000("net_immigration"),
    _official("share_tertiary"),
    _official("median_income", digits=0),
    _official("unemployment_rate"),
    Measure("jobs_per_resident", "jobs", "per_resident", 1, 2),
]}
"""The comparison measures in the order the reports show them."""

COLUMNS = ["code", "measure", "value", "unit", "period", "year", "source_table",
           "missing_reason"]


# ------------------------------------------------------------------ the measures
def _latest_period(frame: pd.DataFrame, indicator: str) -> pd.DataFrame:
    rows = frame[frame["indicator"] == indicator]
    latest = rows.sort_values(["year", "period"])["period"].iloc[-1]
    return rows[rows["period"] == latest]


def _population_in(wide: pd.DataFrame, year: int) -> pd.Series:
    return wide[year] if year in wide.columns else pd.Series(np.nan, index=wide.index)


def _rows(codes, measure: Measure, value, period: str, year: int, source: str,
          reason) -> pd.DataFrame:
    value = pd.Series(np.asarray(value, dtype=float), index=codes)
    reason = pd.Series(reason, index=codes, dtype=object)
    reason = reason.where(value.isna(), None)
    reason = reason.where(reason.notna() | value.notna(), NOT_IN_DATA)
    return pd.DataFrame({"code": list(codes), "measure": measure.name, "value": value.to_numpy(),
                         "unit": measure.unit, "period": period, "year": year,
                         "source_table": source, "missing_reason": reason.to_numpy()})


def _change_period(year: int, span: int) -> str:
    return f"{year - span}–{year}"


def _population_read(year: int) -> pd.DataFrame:
    """Every municipality's population in the years the comparison uses, and only those
    (the render cache then re-renders a profile only when one of these years changes)."""
    years = population_years_read(year)
    with readset.rows("population", "year", years):
        wide = sizeclass.population_wide()
    return wide[[y for y in wide.columns if y in years]]


def comparison_indicators(year=None) -> pd.DataFrame:
    """Every municipality's value on every measure: code, measure, value, unit, period,
    year (of the period), source_table, missing_reason (None where a value is given).

    ``year`` is the profile year: it sets the end of the population changes; the other
    measures keep their own (latest) period.
    """
    return _comparison_indicators(check_year(year))


@memo.remembered
def _comparison_indicators(year: int) -> pd.DataFrame:
    return measure_values(_population_read(year), data.indicators(), data.jobs(), year)


def measure_values(wide: pd.DataFrame, indicators: pd.DataFrame, jobs: pd.DataFrame,
                   year: int) -> pd.DataFrame:
    """:func:`comparison_indicators` from the tables given, read nowhere: population
    ``wide`` (code × year), the ``indicators`` and ``jobs`` tables. The build derives the
    similar municipalities from the tables it is building with this same function."""
    codes = wide.index
    parts = []
    for m in MEASURES.values():
        if m.kind == "change":
            before = _population_in(wide, year - m.span)
            value = (wide[year] - before) / before * 100
            parts.append(_rows(codes, m, value, _change_period(year, m.span), year,
                               POPULATION_SOURCE, None))
        elif m.kind == "jobs":
            jobs_year = int(jobs["year"].max())
            per = jobs[jobs["year"] == jobs_year].set_index("code")["jobs"].reindex(codes)
            value = per / _population_in(wide, jobs_year)
            parts.append(_rows(codes, m, value, str(jobs_year), jobs_year, JOBS_SOURCE, None))
        else:
            rows = _latest_period(indicators, m.indicator).set_index("code").reindex(codes)
            period, ind_year = rows["period"].dropna().iloc[0], int(rows["year"].dropna().iloc[0])
            value = rows["value"]
            if m.kind == "per_1000":
                value = value / _population_in(wide, ind_year) * 1000
            parts.append(_rows(codes, m, value, period, ind_year, rows["source_table"].iloc[0],
                               rows["missing_reason"]))
    out = pd.concat(parts, ignore_index=True)[COLUMNS]
    out["missing_reason"] = [r if pd.isna(v) else None
                             for v, r in zip(out["value"], out["missing_reason"])]
    out.attrs["year"] = year
    return out


def finland_values(year=None) -> pd.DataFrame:
    """Finland's value of each measure (index measure; value, period): the official country
    value where the source gives one; per-1 000 rates divide it by the sum of the
    municipalities' population of the same year; changes and jobs per resident use the
    sums over all municipalities."""
    return _finland_values(check_year(year))


@memo.remembered
def _finland_values(year: int) -> pd.DataFrame:
    wide = _population_read(year)
    total = wide.sum()
    country = data.country_indicators()
    jobs = data.jobs()
    rows = {}
    for m in MEASURES.values():
        if m.kind == "change":
            before = year - m.span
            value = ((total[year] - total[before]) / total[before] * 100
                     if before in total.index else np.nan)
            rows[m.name] = (value, _change_period(year, m.span))
        elif m.kind == "jobs":
            jobs_year = int(jobs["year"].max())
            value = jobs.loc[jobs["year"] == jobs_year, "jobs"].sum() / total.get(jobs_year, np.nan)
            rows[m.name] = (value, str(jobs_year))
        else:
            row = _latest_period(country, m.indicator).iloc[0]
            value = row["value"]
            if m.kind == "per_1000":
                value = value / total.get(int(row["year"]), np.nan) * 1000
            rows[m.name] = (value, row["period"])
    return pd.DataFrame.from_dict(rows, orient="index", columns=["value", "period"])


def wide_values(frame: pd.DataFrame) -> pd.DataFrame:
    """code × measure (columns in :data:`MEASURES` order) from :func:`comparison_indicators`."""
    out = frame.pivot(index="code", columns="measure", values="value")
    return out[list(MEASURES)]


# ------------------------------------------------------------------ statistics
def _spread(values: pd.Series) -> float:
    """The peers' interquartile range; the mean absolute deviation from the median where
    the IQR is 0 (many equal values), NaN with fewer than two values."""
    values = values.dropna()
    if len(values) < 2:
        return np.nan
    iqr = values.quantile(0.75) - values.quantile(0.25)
    if iqr > 0:
        return float(iqr)
    mad = (values - values.median()).abs().mean()
    return float(mad) if mad > 0 else np.nan


def _rank(values: pd.Series, code: str) -> float:
    """1 = the highest value among those given; ties share the best rank."""
    given = values.dropna()
    if code not in given.index:
        return np.nan
    return float(given.rank(ascending=False, method="min")[code])


def ranks(year=None) -> pd.DataFrame:
    """Every municipality's rank on every measure, among all municipalities and within its
    standard size class in ``year`` (1 = the highest value; equal values share the best
    rank; only municipalities holding a value are ranked): code, measure, value, rank_all,
    n_all, class_index, rank_class, n_class (how many in its class hold a value)."""
    return _ranks(check_year(year))


@memo.remembered
def _ranks(year: int) -> pd.DataFrame:
    wide = wide_values(comparison_indicators(year))
    classes = sizeclass.classify(year, bounds=None, cities_only=False).set_index("code")
    index = classes["class_index"].reindex(wide.index)
    by_class = wide.groupby(index)
    parts = {"value": wide, "rank_all": wide.rank(ascending=False, method="min"),
             "n_all": pd.DataFrame({m: wide[m].notna().sum() for m in wide}, index=wide.index),
             "rank_class": by_class.rank(ascending=False, method="min"),
             "n_class": by_class.transform("count")}
    out = pd.concat({k: v.stack() for k, v in parts.items()}, axis=1)
    out.index.names = ["code", "measure"]
    out = out.reset_index()
    out.insert(4, "class_index", out["code"].map(index).astype("int64"))
    for column in ("n_all", "n_class"):
        out[column] = out[column].astype("int64")
    out.attrs["year"] = year
    return out[["code", "measure", "value", "rank_all", "n_all", "class_index", "rank_class",
                "n_class"]]


def class_peers(code: str, year=None) -> pd.DataFrame:
    """The municipalities in ``code``'s standard size class in ``year`` (itself included),
    largest first, with their class columns."""
    year = check_year(year)
    classes = sizeclass.classify(year, bounds=None, cities_only=False)
    index = classes.loc[classes["code"] == code, "class_index"].iloc[0]
    peers = classes[classes["class_index"] == index]
    return peers.sort_values(["population", "code"], ascending=[False, True]).reset_index(drop=True)


def city_comparison(city, year=None) -> pd.DataFrame:
    """One row per measure (index: measure): the city's value, unit, period, source_table,
    missing_reason; the class median, the peers' spread (IQR), Finland's value; the city's
    rank among the peers holding a value (1 = highest) and how many hold one (``n_peers``,
    the city included), its rank among all municipalities holding one (``rank_all`` of
    ``n_all``); ``above_median`` (None where the city has no value) and ``distance``:
    (value − median) / spread.

    ``attrs``: code, year, class_index, class labels, n_class (municipalities in the class).
    """
    code = check_municipality(city).code
    year = check_year(year)
    frame = comparison_indicators(year)
    peers = class_peers(code, year)
    wide = wide_values(frame).loc[peers["code"]]
    own = frame[frame["code"] == code].set_index("measure").drop(columns="code")
    finland = finland_values(year)
    out = own.loc[list(MEASURES)].copy()
    out["direction"] = [MEASURES[m].direction for m in out.index]
    out["class_median"] = wide.median()
    out["spread"] = wide.apply(_spread)
    out["finland"] = finland["value"]
    out["finland_period"] = finland["period"]
    out["rank"] = [_rank(wide[m], code) for m in out.index]
    out["n_peers"] = wide.notna().sum()
    everyone = ranks(year)
    everyone = everyone[everyone["code"] == code].set_index("measure")
    out["rank_all"] = everyone["rank_all"]
    out["n_all"] = everyone["n_all"]
    has = out["value"].notna() & out["class_median"].notna()
    out["above_median"] = pd.Series(out["value"] > out["class_median"], dtype=object).where(has, None)
    out["distance"] = (out["value"] - out["class_median"]) / out["spread"]
    out.index.name = "measure"
    row = peers.set_index("code").loc[code]
    out.attrs.update(code=code, year=year, class_index=int(row["class_index"]),
                     class_lo=row["class_lo"], class_hi=row["class_hi"],
                     n_class=len(peers))
    return out


GROUP_COLUMNS = {"class": ("above_median", "distance"),
                 "similar": ("above_similar", "distance_similar")}
"""Peer group -> its columns in a comparison (the similar municipalities':
:func:`analysis.analyses.similar.add_group`)."""


def above_median_summary(comparison: pd.DataFrame, group: str = "class") -> dict:
    """``n`` measures above the ``group``'s median (``class``: the size class; ``similar``:
    the similar municipalities) of the ``m`` the city has a value for (and a median
    exists); ``standout``: the measure whose value lies farthest from the median in units
    of the class peers' spread (None if no measure qualifies), ``standout_above`` its side,
    ``missing``: the measures without a value."""
    above, distance = GROUP_COLUMNS[group]
    held = comparison[comparison[above].notna()]
    far = held[distance].abs().dropna()
    standout = far.idxmax() if len(far) else None
    return {"n": int(held[above].astype(bool).sum()), "m": len(held),
            "standout": standout,
            "standout_above": bool(held.at[standout, above]) if standout else None,
            "missing": [m for m in comparison.index if pd.isna(comparison.at[m, "value"])]}


def peer_values(city, year=None) -> pd.DataFrame:
    """code × measure of the class peers (the figure's dots), with ``is_self``."""
    code = check_municipality(city).code
    year = check_year(year)
    peers = class_peers(code, year)
    wide = wide_values(comparison_indicators(year)).loc[peers["code"]]
    wide["is_self"] = wide.index == code
    return wide


# ------------------------------------------------------------------ partnerships
def partnership_groups(partnership, year=None, cities_only: bool = False) -> dict:
    """{'members': codes, 'others': codes, 'class_indexes': [...]}: the partnership's
    members, and the municipalities (cities only with ``cities_only``) that are not
    members in the standard class holding the most members in ``year`` (all such classes
    on a tie). One member outside the partnership's class (Kajaani, below 40 000, among
    the growth cities) therefore does not bring a whole other class into the comparison."""
    pid = check_partnership(partnership)
    year = check_year(year)
    ms = data.memberships()
    members = sorted(ms.loc[ms["partnership_id"] == pid, "code"])
    classes = sizeclass.classify(year, bounds=None, cities_only=False)
    counts = classes.loc[classes["code"].isin(members), "class_index"].value_counts()
    indexes = sorted(counts.index[counts == counts.max()]) if len(counts) else []
    scope = classes[classes["class_index"].isin(indexes) & ~classes["code"].isin(members)]
    if cities_only:
        scope = scope[scope["is_city"]]
    return {"members": members, "others": sorted(scope["code"]),
            "class_indexes": [int(i) for i in indexes]}


def partnership_comparison(partnership, year=None, cities_only: bool = False) -> pd.DataFrame:
    """One row per measure: unit, period, source_table; the members' median and how many
    members hold a value, the same for the other municipalities of the members' class
    (:func:`partnership_groups`),
    the spread (IQR) of both together, Finland, and ``distance``: (members' median −
    others' median) / spread; the members' best and worst rank among all municipalities
    (``members_rank_best``, ``members_rank_worst`` of ``n_all``; 1 = the highest value).
    With no members every median and rank is NaN and both counts 0."""
    pid = check_partnership(partnership)
    year = check_year(year)
    groups = partnership_groups(pid, year, cities_only)
    frame = comparison_indicators(year)
    wide = wide_values(frame)
    meta = frame.drop_duplicates("measure").set_index("measure")[["unit", "period",
                                                                  "source_table"]]
    out = meta.loc[list(MEASURES)].copy()
    out["direction"] = [MEASURES[m].direction for m in out.index]
    for key, codes in (("members", groups["members"]), ("others", groups["others"])):
        part = wide.loc[codes]
        out[f"{key}_median"] = part.median() if len(part) else np.nan
        out[f"n_{key}"] = part.notna().sum() if len(part) else 0
    out["spread"] = wide.loc[groups["members"] + groups["others"]].apply(_spread)
    everyone = ranks(year)
    held = everyone[everyone["code"].isin(groups["members"]) & everyone["rank_all"].notna()]
    by_measure = held.groupby("measure")["rank_all"]
    out["members_rank_best"] = by_measure.min()
    out["members_rank_worst"] = by_measure.max()
    out["n_all"] = everyone.groupby("measure")["n_all"].first()
    out["finland"] = finland_values(year)["value"]
    out["distance"] = (out["members_median"] - out["others_median"]) / out["spread"]
    out.index.name = "measure"
    out.attrs.update(partnership=pid, year=year, **groups)
    return out


def partnership_summary(comparison: pd.DataFrame) -> dict:
    """``n`` measures where the members' median is above the others' of the ``m`` where
    both exist; ``standout`` the measure whose medians lie farthest apart in units of the
    classes' spread (IQR of members and others together), ``standout_above`` its side."""
    held = comparison[comparison["members_median"].notna()
                      & comparison["others_median"].notna()]
    distance = held["distance"].abs().dropna()
    standout = distance.idxmax() if len(distance) else None
    above = held["members_median"] > held["others_median"]
    return {"n": int(above.sum()), "m": len(held), "standout": standout,
            "standout_above": bool(above[standout]) if standout else None}


def group_values(partnership, year=None, cities_only: bool = False) -> pd.DataFrame:
    """code × measure of members and others (the figure's dots), with ``is_member``."""
    groups = partnership_groups(partnership, year, cities_only)
    wide = wide_values(comparison_indicators(year))
    out = wide.loc[groups["members"] + groups["others"]].copy()
    out["is_member"] = out.index.isin(groups["members"])
    return out


# ------------------------------------------------------------------ size classes
def class_medians(year=None) -> pd.DataFrame:
    """The median of each measure in each standard size class (rows: measure; columns:
    class_index), and ``n`` the municipalities per class (attrs ``n`` and ``bounds``: class
    index -> (lower edge, upper edge or None))."""
    year = check_year(year)
    classes = sizeclass.classify(year, bounds=None, cities_only=False).set_index("code")
    wide = wide_values(comparison_indicators(year))
    index = classes["class_index"].reindex(wide.index)
    out = wide.groupby(index).median().T
    out.index.name = "measure"
    summary = sizeclass.class_summary(year, None, cities_only=False).set_index("class_index")
    out.attrs.update(year=year, n=summary["municipalities"].to_dict(),
                     bounds={i: (int(lo), None if pd.isna(hi) else int(hi)) for i, lo, hi in
                             zip(summary.index, summary["class_lo"], summary["class_hi"])})
    return out


def population_years_read(year: int) -> list[int]:
    """Every population year the comparison reads for all municipalities (the render
    cache keys on these): the profile year, the change bases, the indicators' and jobs'
    years."""
    years = {year, int(data.jobs()["year"].max())}
    years |= {year - m.span for m in MEASURES.values() if m.kind == "change"}
    indicators = data.indicators()
    for m in MEASURES.values():
        if m.kind == "per_1000":
            years.add(int(_latest_period(indicators, m.indicator)["year"].iloc[0]))
    return sorted(y for y in years if y in data.population_years())
