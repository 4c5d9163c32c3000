"""City and partnership profiles: the data behind ``notebooks/city_profile.ipynb`` and
``notebooks/partnership_profile.ipynb`` (their sentences, tables and figures are in
:mod:`analysis.present.city_profile` and :mod:`analysis.present.partnership_profile`).

    prof = city_profile("Pori", year=None)          # any name, Swedish name or code
    prof.population, prof.rank, prof.class_members

    part = partnership_profile("growth-cities")
    part.members, part.totals, part.overlap

Size classes are those of :mod:`analysis.analyses.sizeclass`: the standard all-Finland scheme
(:data:`~analysis.analyses.sizeclass.STANDARD_EDGES`, lower edge included, upper excluded).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import data
from analysis.analyses import sizeclass
from analysis.core.errors import ParameterError
from analysis.data import readset
from analysis.data.checks import check_municipality, check_partnership, check_year
from analysis.data.names import name_column

PEERS_SHOWN = 15  # the class peers nearest in population; a small-town class holds ~80
CHANGE_SPAN = 10  # years back for the "change" columns


def peer_years(year: int) -> list[int]:
    """The years whose population of *every* municipality a city profile reads: the profile
    year (distribution, class, peers), ``CHANGE_SPAN`` years earlier when the data holds
    it (the peers' change), and the years the comparison section divides by
    (:func:`analysis.analyses.peers.population_years_read`). The render cache hashes exactly these
    slices."""
    from analysis.analyses.peers import population_years_read

    years = data.population_years()
    own = [y for y in (year, year - CHANGE_SPAN) if y in years]
    return own + [y for y in population_years_read(year) if y not in own]


def memberships_named() -> pd.DataFrame:
    members = data.memberships().merge(
        data.partnerships()[["partnership_id", "name_fi", "name_en", "name_sv", "kind"]],
        on="partnership_id")
    return members.merge(data.municipalities()[["code", "name_fi", "name_en", "name_sv"]],
                         on="code", suffixes=("_p", ""))


# ====================================================================== city profile
@dataclass
class CityProfile:
    code: str
    name_fi: str
    name_sv: str
    name_en: str
    note: str | None
    year: int
    latest: int
    series: pd.Series  # year -> population
    classes: pd.DataFrame  # sizeclass.classify(year) for all municipalities
    row: pd.Series  # this municipality's row of `classes`
    rank: int
    n_municipalities: int
    city_rank: int | None
    n_cities: int
    class_members: pd.DataFrame  # same class, sorted by population desc
    memberships: pd.DataFrame  # this city's partnerships
    jobs: float | None
    jobs_year: int
    jobs_rank: int | None
    is_city: bool

    def name(self, lang: str) -> str:
        return getattr(self, name_column(lang))

    @property
    def population(self) -> int:
        return int(self.row["population"])


def city_profile(city, year=None) -> CityProfile:
    muni = check_municipality(city)
    year = check_year(year)
    code = muni.code
    with readset.rows("population", "code", [code]):
        wide = sizeclass.population_wide()
    series = wide.loc[code].dropna().astype(int)
    classes = sizeclass.classify(year, bounds=None, cities_only=False)
    classes = classes.sort_values("population", ascending=False).reset_index(drop=True)
    classes["rank"] = np.arange(1, len(classes) + 1)
    row = classes.set_index("code").loc[code]
    cities = classes[classes["is_city"]].reset_index(drop=True)
    city_rank = (int(cities.index[cities["code"] == code][0]) + 1) if row["is_city"] else None
    same = classes[classes["class_index"] == row["class_index"]].copy()
    named = memberships_named()
    jobs = data.jobs()
    jobs_year = int(jobs["year"].max())
    jobs_year_rows = jobs[jobs["year"] == jobs_year].sort_values("jobs", ascending=False)
    jobs_year_rows = jobs_year_rows.reset_index(drop=True)
    own_jobs = jobs_year_rows.loc[jobs_year_rows["code"] == code, "jobs"]
    return CityProfile(
        code=code, name_fi=muni.name_fi, name_sv=muni.name_sv, name_en=muni.name_en,
        note=muni.note, year=year, latest=int(series.index.max()), series=series,
        classes=classes, row=row, rank=int(row["rank"]), n_municipalities=len(classes),
        city_rank=city_rank, n_cities=len(cities), class_members=same,
        memberships=named[named["code"] == code].reset_index(drop=True),
        jobs=float(own_jobs.iloc[0]) if len(own_jobs) else None, jobs_year=jobs_year,
        jobs_rank=int(own_jobs.index[0]) + 1 if len(own_jobs) else None,
        is_city=bool(row["is_city"]))


def nearest_peers(prof: CityProfile) -> pd.DataFrame:
    """The ``PEERS_SHOWN`` class peers nearest in population (log scale; the city itself
    included), largest first: the classify columns plus ``change`` (share over
    ``CHANGE_SPAN`` years, left out when the data lacks the earlier year), ``jobs`` and
    ``n_partnerships``."""
    peers = prof.class_members.copy()
    peers["distance"] = (np.log(peers["population"]) - np.log(prof.population)).abs()
    peers = peers.nsmallest(PEERS_SHOWN, "distance").sort_values("population", ascending=False)
    with readset.rows("population", "year", peer_years(prof.year)):  # only these years' columns
        wide = sizeclass.population_wide()
    before_year = prof.year - CHANGE_SPAN
    if before_year in wide.columns:
        before = wide.loc[peers["code"], before_year].to_numpy()
        peers["change"] = (peers["population"].to_numpy() - before) / before
    jobs = data.jobs()
    jobs = jobs[jobs["year"] == prof.jobs_year].set_index("code")["jobs"]
    memberships = data.memberships().groupby("code")["partnership_id"].nunique()
    peers["jobs"] = jobs.reindex(peers["code"]).to_numpy()
    peers["n_partnerships"] = memberships.reindex(peers["code"]).fillna(0).astype(int).to_numpy()
    return peers.drop(columns="distance").reset_index(drop=True)


# ====================================================================== partnership profile
@dataclass
class PartnershipProfile:
    pid: str
    info: pd.Series  # row of partnerships.csv
    source: pd.Series  # row of sources.csv
    year: int
    members: pd.DataFrame  # code, names, role, status, population, class labels, jobs
    totals: dict
    overlap: pd.DataFrame  # other partnership -> shared members
    series: pd.Series  # combined population of the members by year

    @property
    def has_members(self) -> bool:
        return not self.members.empty

    def name(self, lang: str) -> str:
        return self.info[name_column(lang)]


def partnership_profile(partnership, year=None) -> PartnershipProfile:
    pid = check_partnership(partnership)
    year = check_year(year)
    info = data.partnerships().set_index("partnership_id").loc[pid]
    source = data.sources().set_index("source_id").loc[info["source_id"]]
    classes = sizeclass.classify(year, bounds=None, cities_only=False).set_index("code")
    memberships = data.memberships()
    mine = memberships[memberships["partnership_id"] == pid]
    jobs = data.jobs()
    jobs_year = int(jobs["year"].max())
    jobs = jobs[jobs["year"] == jobs_year].set_index("code")["jobs"]
    members = mine[["code", "role", "status", "status_date"]].join(classes, on="code")
    members["jobs"] = members["code"].map(jobs)
    members = members.sort_values("population", ascending=False).reset_index(drop=True)
    with readset.rows("population", "code", members["code"]):  # the members' series only
        wide = sizeclass.population_wide()
    series = wide.loc[members["code"]].sum() if len(members) else pd.Series(dtype=float)
    finland_pop = int(classes["population"].sum())
    totals = {"n": len(members), "population": int(members["population"].sum()),
              "population_share": members["population"].sum() / finland_pop,
              "jobs": int(members["jobs"].sum()), "jobs_share": members["jobs"].sum() / jobs.sum(),
              "jobs_year": jobs_year, "finland": finland_pop,
              "cities": int(members["is_city"].sum()) if len(members) else 0}
    overlap = []
    for other, group in memberships[memberships["partnership_id"] != pid].groupby("partnership_id"):
        shared = sorted(set(group["code"]) & set(members["code"]))
        overlap.append({"partnership_id": other, "shared": shared, "n_other": len(group)})
    overlap = pd.DataFrame(overlap, columns=["partnership_id", "shared", "n_other"])
    return PartnershipProfile(pid, info, source, year, members, totals, overlap,
                              series[series > 0].astype(int) if len(series) else series)


__all__ = ["CityProfile", "PartnershipProfile", "ParameterError", "city_profile",
           "partnership_profile", "peer_years"]
