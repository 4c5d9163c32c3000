"""Where each place is heading: jobs by workplace since 1987 with the share of them filled
by in-commuters, the unemployment rate at the end of every month since 2007, the direction
of both over 5 and 10 years, and a municipality against its size class (median and range)
and Finland. Numbers only: the words are :mod:`analysis.present.text.trends`, the figures
:mod:`analysis.present.figures.trends`.

    jobs_series("Seinäjoki")             # year -> jobs
    in_commuter_share()                  # code -> share of jobs filled by in-commuters (latest year)
    unemployment_series("Kajaani")       # period -> rate, every month first to last (gaps NaN)
    unemployment_annual()                # code -> mean of the 12 months of the latest complete year
    unemployment_vs_class("Pori")        # per month: Pori, its class's median, min, max; Finland
    trend_table("Pori")                  # the direction over 5 and 10 years, with class and Finland

The size class is the municipality's standard size class
(:data:`~analysis.analyses.sizeclass.STANDARD_EDGES`, all municipalities) in the profile
year, traced back in time: today's peers, not the class as it was each year (the size-class
report's :func:`class_jobs` shows both). Its median includes the municipality itself.

The unemployment rate is 12r5's: unemployed job seekers as a share of the labour force of
about two years earlier, not the Labour Force Survey's rate. An annual figure is the mean
of a year's twelve month-end rates, computed here, and given only where all twelve are held.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import data
from analysis.analyses import sizeclass
from analysis.core.errors import ParameterError
from analysis.core.text import format_years, month_number, month_period, months_between
from analysis.data import memo, readset
from analysis.data.checks import check_municipality, check_year

SPANS = (5, 10)  # years back for the direction
MONTHS = 12
ANNUAL = "annual_mean"  # attrs["computed"] of an annual figure: the mean of 12 months, here


# ------------------------------------------------------------------ one municipality
def _code(code) -> str:
    return check_municipality(code).code


def jobs_series(code) -> pd.Series:
    """Jobs by workplace, year -> jobs, every year from the first to the last held (a year
    missing inside would be NaN)."""
    code = _code(code)
    with readset.rows("jobs", "code", [code]):
        jobs = data.jobs()
    series = jobs[jobs["code"] == code].set_index("year")["jobs"].sort_index()
    series = series.reindex(range(int(series.index.min()), int(series.index.max()) + 1))
    series.index.name, series.name = "year", "jobs"
    return series


def commuting_series(code) -> pd.DataFrame:
    """Year -> local_workers, in_commuters, jobs (their sum) and in_commuter_share (0..1)."""
    code = _code(code)
    with readset.rows("commuting", "code", [code]):
        frame = data.commuting()
    frame = frame[frame["code"] == code].set_index("year").sort_index()
    frame = frame.reindex(range(int(frame.index.min()), int(frame.index.max()) + 1))
    frame["jobs"] = frame["local_workers"] + frame["in_commuters"]
    frame["in_commuter_share"] = frame["in_commuters"] / frame["jobs"]
    frame.index.name = "year"
    return frame[["local_workers", "in_commuters", "jobs", "in_commuter_share"]]


def in_commuter_share(year=None) -> pd.Series:
    """Code -> the share of the municipality's jobs filled by in-commuters (0..1) in
    ``year`` (default: the latest year of ``commuting.csv``); ``attrs["year"]``."""
    year = check_year(year, "commuting")
    share = _shares_all().loc[year].rename("in_commuter_share")
    share.index.name = "code"
    share.attrs["year"] = year
    return share


def _full_months(series: pd.Series) -> pd.Series:
    """Reindexed to every month from the first to the last: a month no source holds is NaN,
    so a line drawn from it breaks there."""
    if series.empty:
        return series
    periods = sorted(series.index, key=month_number)
    out = series.reindex(months_between(periods[0], periods[-1]))
    out.index.name = "period"
    return out


def unemployment_series(code) -> pd.Series:
    """Period ('2007M01') -> unemployment rate (%), every month from the first to the last
    held: months no source holds and values the source withholds (``...``) are NaN."""
    code = _code(code)
    with readset.rows("unemployment", "code", [code]):
        frame = data.unemployment()
    series = _full_months(frame[frame["code"] == code].set_index("period")["value"])
    series.name = "unemployment_rate"
    return series


def complete_years() -> list[int]:
    """Years whose twelve months are all in the unemployment table (whatever the values)."""
    return [int(y) for y in _annual_all().index]


def unemployment_annual(year=None) -> pd.Series:
    """Code -> the mean of the year's twelve month-end rates, only where all twelve are held
    (NaN otherwise); ``year`` defaults to the latest complete year. ``attrs``: year,
    computed (:data:`ANNUAL`: computed here, not published)."""
    years = complete_years()
    if year is None or year == "latest":
        year = years[-1]
    if isinstance(year, bool) or not str(year).isdigit() or int(year) not in years:
        raise ParameterError(f"year {year!r} has not every month of the unemployment rate; "
                             f"complete years: {format_years(years)}")
    mean = _annual_all().loc[int(year)].rename("unemployment_rate")
    mean.index.name = "code"
    mean.attrs.update(year=int(year), computed=ANNUAL)
    return mean


def gap_months(frame: pd.DataFrame, column: str = "median") -> list[str]:
    """The months inside a monthly frame (:func:`unemployment_vs_class`, a group's band)
    that no source holds: ``column`` missing for them."""
    return list(frame.index[frame[column].isna()])


@memo.remembered
def finland_unemployment() -> pd.Series:
    """Finland's rate per period where a source gives it (the whole-country rows of
    ``country_indicators.csv``; the history 2007M01–2025M01 has none)."""
    country = data.country_indicators()
    rows = country[country["indicator"] == "unemployment_rate"]
    return rows.set_index("period")["value"].rename("finland")


# ------------------------------------------------------------------ every municipality at once
# Each profile compares one municipality with its class: the whole tables are pivoted once
# per process and data snapshot (memo.remembered replays the reads, so every report's read
# set still names the tables it used).
@memo.remembered
def _rates_all() -> pd.DataFrame:
    """Period (every month from the first to the last held; months no source holds NaN) ×
    code: the unemployment rate."""
    frame = data.unemployment()
    wide = frame.pivot(index="period", columns="code", values="value")
    periods = sorted(wide.index, key=month_number)
    wide = wide.reindex(months_between(periods[0], periods[-1]))
    wide.index.name = "period"
    return wide


@memo.remembered
def _jobs_all() -> pd.DataFrame:
    """Year × code: jobs."""
    return data.jobs().pivot(index="year", columns="code", values="jobs").sort_index()


@memo.remembered
def _shares_all() -> pd.DataFrame:
    """Year × code: the share of jobs filled by in-commuters (0..1)."""
    frame = data.commuting()
    frame["share"] = frame["in_commuters"] / (frame["local_workers"] + frame["in_commuters"])
    return frame.pivot(index="year", columns="code", values="share").sort_index()


def annual_means(rates: pd.DataFrame, held) -> pd.DataFrame:
    """Complete year × code from ``rates`` (month ``YYYYMmm`` × code): the mean of the twelve
    months, NaN unless all twelve are held for that code; only years whose twelve months
    are all among ``held`` (the months a source holds). The one rule for an annual figure,
    used by the reports and by the build's similarity measures."""
    years = rates.index.str[:4].astype(int)
    grouped = rates.groupby(years)
    mean = grouped.mean().where(grouped.count() == MONTHS)
    held = pd.Series(pd.unique(pd.Series(held)))
    complete = held.groupby(held.str[:4].astype(int)).size()
    return mean.loc[[y for y in complete.index[complete == MONTHS] if y in mean.index]]


@memo.remembered
def _annual_all() -> pd.DataFrame:
    """Complete year × code: the mean of the twelve months, NaN unless all twelve are held."""
    return annual_means(_rates_all(), data.unemployment()["period"])


def _unemployment_wide(codes) -> pd.DataFrame:
    """Period (every month first to last) × code: the rates of ``codes``."""
    return _rates_all()[list(codes)]


def _jobs_wide(codes) -> pd.DataFrame:
    return _jobs_all()[list(codes)]


# ------------------------------------------------------------------ against the size class
@memo.remembered
def _classes(year: int) -> pd.DataFrame:
    """Every municipality's standard size class in ``year`` (once per process and year)."""
    return sizeclass.classify(year, bounds=None, cities_only=False)


@memo.remembered
def _class_members(code: str, year: int) -> pd.DataFrame:
    """``code``'s class in ``year``, itself included, largest first (as
    :func:`analysis.analyses.peers.class_peers`, from the classification made once)."""
    classes = _classes(year)
    index = classes.loc[classes["code"] == code, "class_index"].iloc[0]
    peers = classes[classes["class_index"] == index]
    return peers.sort_values(["population", "code"], ascending=[False, True]).reset_index(drop=True)


def class_codes(code, year=None) -> list[str]:
    """The municipalities of ``code``'s standard size class in ``year`` (itself included)."""
    return list(_class_members(_code(code), check_year(year))["code"])


def _class_attrs(code: str, year: int) -> dict:
    peers = _class_members(code, year)
    row = peers.set_index("code").loc[code]
    return {"code": code, "year": year, "class_lo": row["class_lo"], "class_hi": row["class_hi"],
            "n_class": len(peers)}


def band(wide: pd.DataFrame) -> pd.DataFrame:
    """Per row of ``wide``: median, low (min), high (max) and n (values held) over columns."""
    return pd.DataFrame({"median": wide.median(axis=1), "low": wide.min(axis=1),
                         "high": wide.max(axis=1), "n": wide.notna().sum(axis=1)})


def unemployment_vs_class(code, year=None) -> pd.DataFrame:
    """Per month (every month from the first to the last held; the gap NaN): ``value`` (the
    municipality), the class's ``median``, ``low`` and ``high`` (its range) and ``n``, and
    ``finland`` where held. ``attrs``: code, year (the class's year), class_lo, class_hi,
    n_class."""
    return _unemployment_vs_class(_code(code), check_year(year))


@memo.remembered
def _unemployment_vs_class(code: str, year: int) -> pd.DataFrame:
    codes = list(_class_members(code, year)["code"])
    wide = _unemployment_wide(codes)
    out = band(wide)
    out.insert(0, "value", wide[code])
    out["finland"] = finland_unemployment().reindex(out.index)
    out.attrs.update(_class_attrs(code, year))
    return out


def _finland_jobs() -> pd.Series:
    """Year -> the sum of every municipality's jobs."""
    return _jobs_all().sum(axis=1)


def _change(wide: pd.DataFrame, start, end, relative: bool) -> pd.Series:
    """Each column's change from row ``start`` to row ``end`` (share of the start where
    ``relative``; a difference otherwise); NaN where either is missing."""
    if start not in wide.index or end not in wide.index:
        return pd.Series(np.nan, index=wide.columns)
    diff = wide.loc[end] - wide.loc[start]
    return diff / wide.loc[start] if relative else diff


def trend_table(code, year=None) -> pd.DataFrame:
    """The direction over :data:`SPANS` years (see :func:`_trend_table`)."""
    return _trend_table(_code(code), check_year(year))


@memo.remembered
def _trend_table(code: str, year: int) -> pd.DataFrame:
    """The direction over :data:`SPANS` years, one row per measure and span:

    - ``jobs`` (years; change as a count, ``change_pct`` its share of the start),
    - ``in_commuter_share`` (years; change in percentage points),
    - ``unemployment_month`` (the latest month held against the same month ``span`` years
      earlier; change in percentage points),
    - ``unemployment_annual`` (the latest complete year's mean of 12 months, computed here,
      against the mean ``span`` years earlier).

    Columns: measure, span, start_period, end_period, start, end, change, change_pct (jobs
    only), class_change (the median of the class members' own changes), finland_change
    (jobs: of the sum over all municipalities; the unemployment rate where Finland's is
    held for both periods), n_class (members with both values). A span the data does not
    reach is left out. ``attrs`` as :func:`unemployment_vs_class`.
    """
    codes = list(_class_members(code, year)["code"])
    rows = []

    def add(measure, span, start, end, wide, relative, finland=None, scale=1.0):
        if start not in wide.index or end not in wide.index:
            return
        change = _change(wide, start, end, relative) * scale
        absolute = (wide.loc[end] - wide.loc[start]) * scale
        held = change.dropna()
        finland_change = np.nan
        if finland is not None and start in finland.index and end in finland.index:
            finland_change = ((finland[end] - finland[start]) / finland[start] if relative
                              else (finland[end] - finland[start]) * scale)
        rows.append({"measure": measure, "span": span, "start_period": str(start),
                     "end_period": str(end), "start": wide.at[start, code] * scale,
                     "end": wide.at[end, code] * scale, "change": absolute[code],
                     "change_pct": change[code] if relative else np.nan,
                     "class_change": held.median() if len(held) else np.nan,
                     "finland_change": finland_change, "n_class": len(held)})

    jobs = _jobs_wide(codes)
    last = int(jobs.index.max())
    for span in SPANS:
        add("jobs", span, last - span, last, jobs, True, _finland_jobs())
    share = _shares_all()[codes]
    last_share = int(share.index.max())
    for span in SPANS:
        add("in_commuter_share", span, last_share - span, last_share, share, False, scale=100)
    rates = _unemployment_wide(codes)
    finland = finland_unemployment()
    held = rates[code].dropna()
    if len(held):
        latest = max(held.index, key=month_number)
        for span in SPANS:
            add("unemployment_month", span, month_period(month_number(latest) - MONTHS * span),
                latest, rates, False, finland)
    annual = _annual_all()[codes]
    if len(annual):
        last_year = int(annual.index.max())
        for span in SPANS:
            add("unemployment_annual", span, last_year - span, last_year, annual, False)
    out = pd.DataFrame(rows, columns=["measure", "span", "start_period", "end_period", "start",
                                      "end", "change", "change_pct", "class_change",
                                      "finland_change", "n_class"])
    out.attrs.update(_class_attrs(code, year), computed=ANNUAL)
    return out


# ------------------------------------------------------------------ groups
def member_trends(codes, year=None) -> pd.DataFrame:
    """One row per municipality of ``codes`` (index code): jobs in the latest year and its
    change over :data:`SPANS` years (share), the in-commuters' share now and ``max(SPANS)``
    years earlier, the latest month's unemployment rate and its change in percentage points
    over the spans (same month), and the latest complete year's mean (computed here).
    ``attrs``: jobs_year, share_year, month, annual_year."""
    codes = list(codes)
    jobs = _jobs_wide(codes)
    last = int(jobs.index.max())
    out = pd.DataFrame(index=pd.Index(codes, name="code"))
    out["jobs"] = jobs.loc[last].reindex(codes)
    for span in SPANS:
        out[f"jobs_change_{span}y"] = _change(jobs, last - span, last, True).reindex(codes)
    share = _shares_all()[codes]
    share_year = int(share.index.max())
    back = share_year - max(SPANS)
    out["share"] = share.loc[share_year].reindex(codes)
    out["share_before"] = share.loc[back].reindex(codes) if back in share.index else np.nan
    rates = _unemployment_wide(codes)
    latest = next((p for p in reversed(rates.index) if rates.loc[p].notna().any()), None)
    out["rate"] = rates.loc[latest].reindex(codes) if latest else np.nan
    for span in SPANS:
        before = month_period(month_number(latest) - MONTHS * span) if latest else None
        out[f"rate_change_{span}y"] = (_change(rates, before, latest, False).reindex(codes)
                                       if latest else np.nan)
    annual = _annual_all()
    annual_year = int(annual.index.max()) if len(annual) else None
    out["annual"] = annual.loc[annual_year].reindex(codes) if annual_year else np.nan
    out.attrs.update(jobs_year=last, share_year=share_year, share_before_year=back,
                     month=latest, annual_year=annual_year, computed=ANNUAL)
    return out


def group_trends(codes) -> dict[str, pd.DataFrame]:
    """The members of a group (a partnership) together: ``jobs`` per year (the members'
    sum, Finland's sum, both as an index with the first year = 100) and ``unemployment``
    per month (the members' median, min, max and n; Finland where held)."""
    codes = list(codes)
    jobs = _jobs_wide(codes)
    total = jobs.sum(axis=1)
    finland = _finland_jobs().reindex(total.index)
    first = total.index.min()
    jobs_frame = pd.DataFrame({"members": total, "finland": finland,
                               "members_index": total / total[first] * 100,
                               "finland_index": finland / finland[first] * 100})
    jobs_frame.index.name = "year"
    rates = band(_unemployment_wide(codes))
    rates["finland"] = finland_unemployment().reindex(rates.index)
    return {"jobs": jobs_frame, "unemployment": rates}


def class_jobs(year=None, bounds=sizeclass.MID_SIZE_BOUNDS, cities_only: bool = True
               ) -> pd.DataFrame:
    """A size class's jobs over every jobs year (see :func:`_class_jobs`; once per process,
    data snapshot and class)."""
    return _class_jobs(check_year(year), sizeclass.check_bounds(bounds),
                       sizeclass.check_cities_only(cities_only))


@memo.remembered
def _class_jobs(year: int, bounds: tuple, cities_only: bool) -> pd.DataFrame:
    """The jobs of a size class over every jobs year: ``members`` (the municipalities in the
    class in ``year``, traced back), ``each_year`` (those in the class by that year's own
    population), ``n_each_year`` and ``finland`` (all municipalities); ``share`` columns are
    of Finland's jobs. ``attrs``: year, bounds, cities_only, codes (today's members)."""
    members = sizeclass.members(year, bounds, cities_only)
    wide = _jobs_all()
    years = [int(y) for y in wide.index]
    with readset.rows("population", "year", years):
        history = sizeclass.class_history(bounds, cities_only)
    history = history.reindex(columns=years)
    finland = wide.sum(axis=1)
    today = wide[list(members["code"])].sum(axis=1)
    in_class = history.T.reindex(columns=wide.columns, fill_value=False).astype(bool)
    each = (wide.where(in_class.reindex(wide.index).fillna(False))).sum(axis=1)
    out = pd.DataFrame({"members": today, "each_year": each,
                        "n_each_year": in_class.reindex(wide.index).sum(axis=1),
                        "finland": finland})
    out["members_share"] = out["members"] / out["finland"]
    out["each_year_share"] = out["each_year"] / out["finland"]
    out.index.name = "year"
    out.attrs.update(year=year, bounds=members.attrs["bounds"], cities_only=cities_only,
                     codes=list(members["code"]))
    return out


__all__ = ["ANNUAL", "SPANS", "band", "class_codes", "class_jobs", "commuting_series",
           "complete_years", "finland_unemployment", "gap_months", "group_trends", "in_commuter_share",
           "jobs_series", "member_trends", "trend_table", "unemployment_annual",
           "unemployment_series", "unemployment_vs_class"]
