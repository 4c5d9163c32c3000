"""Population size classes of Finnish municipalities: classification for any bounds and
year, who is in a class over time, and checks of published claims about a class.

Bounds are a list of increasing edges. A class includes its lower edge and excludes its
upper edge: with bounds ``(40_000, 100_000)`` a city of exactly 40 000 residents is in the
class and one of exactly 100 000 is not. Only the standard all-Finland scheme
(:data:`STANDARD_EDGES`) has an open-ended last class.

``cities_only`` keeps the municipalities that use the title *kaupunki* (city). The title
is taken from the list the data holds for every year, so the class history of "cities"
follows today's cities back in time (all tables are on one municipal division).

    >>> members(2022)["name_fi"].tolist()[:3]
    ['Pori', 'Kouvola', 'Joensuu']
"""

from __future__ import annotations

import math
import re
from numbers import Integral, Real

import numpy as np
import pandas as pd

from analysis import data
from analysis.core.errors import ParameterError
from analysis.data import readset
from analysis.data.checks import check_partnership, check_year

MID_SIZE_BOUNDS: tuple[int, ...] = (40_000, 100_000)
"""The mid-size class of the policy documents: 40 000 ≤ population < 100 000."""

STANDARD_EDGES: tuple[int, ...] = (0, 2_000, 5_000, 10_000, 20_000, 40_000, 100_000)
"""This project's scheme for all of Finland (the last class, 100 000+, is open-ended).

Not an official classification: Statistics Finland's population-structure tables use
finer edges (…, 20 000–49 999, 50 000–99 999, 100 000–) that would split the mid-size
class of the policy debate in two. The edges here are chosen so that

- 40 000–100 000, the class the urban-policy documents speak of, is one class;
- 100 000+ holds the largest cities (the C6 and vitality-partnership cities);
- below 40 000 the edges roughly double (2 000, 5 000, 10 000, 20 000), so that each
  class holds a few dozen municipalities and the many small ones are not one lump;
- 0 as the first edge makes every municipality fall in some class.
"""

YEAR_COLUMNS = ["code", "name_fi", "name_sv", "name_en", "region_fi", "region_sv", "region_en",
                "subregion_code", "subregion_fi", "subregion_sv", "subregion_en", "is_city"]



class BoundsError(ParameterError):
    """Size-class bounds that are not a usable list of increasing, non-negative edges."""


# ------------------------------------------------------------------------ parameters
_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f_]")


def _edge(value, bounds) -> int:
    if isinstance(value, str):
        text = _NUMBER_SPACES.sub("", value)
        if not re.fullmatch(r"[+-]?\d+(\.0*)?", text):
            raise BoundsError(f"bounds={bounds!r}: {value!r} is not a whole number of residents")
        value = int(float(text))
    if isinstance(value, bool) or not isinstance(value, Real):
        raise BoundsError(f"bounds={bounds!r}: {value!r} is not a number of residents")
    if isinstance(value, Integral):
        return int(value)
    if not math.isfinite(value) or not float(value).is_integer():
        raise BoundsError(f"bounds={bounds!r}: {value!r} is not a whole number of residents")
    return int(value)


# Far beyond any real classification; keeps file names and figures sane.
MAX_EDGES = 20
MAX_EDGE = 10_000_000


def check_bounds(bounds) -> tuple[int, ...]:
    """Class edges as a tuple of ints: a list or tuple of numbers, or text such as
    ``"40000,100000"`` or ``"40 000; 100 000"``. ``None`` means :data:`STANDARD_EDGES`.

    At least two edges, none negative, strictly increasing; otherwise :class:`BoundsError`.
    """
    if bounds is None:
        return STANDARD_EDGES
    original = bounds
    if isinstance(bounds, str):
        # papermill's -p passes "[20000, 40000]" as text: the brackets are only decoration.
        text = bounds.strip().removeprefix("[").removesuffix("]").removeprefix("(").removesuffix(")")
        bounds = [part for part in re.split(r"[,;]", text) if part.strip()]
    elif isinstance(bounds, (Real, bool)):
        raise BoundsError(f"bounds={original!r}: give at least two edges, e.g. [40000, 100000]")
    try:
        edges = tuple(_edge(v, original) for v in bounds)
    except TypeError:
        raise BoundsError(f"bounds={original!r}: give a list of edges, e.g. [40000, 100000]") from None
    if len(edges) < 2:
        raise BoundsError(f"bounds={original!r}: give at least two edges (a lower and an upper "
                          "bound), e.g. [40000, 100000]")
    if len(edges) > MAX_EDGES:
        raise BoundsError(f"bounds: {len(edges)} edges; give at most {MAX_EDGES}")
    if max(edges) > MAX_EDGE:
        raise BoundsError(f"bounds: {max(edges)} is more than the population of Finland "
                          f"could reach; give edges up to {MAX_EDGE}")
    negative = [e for e in edges if e < 0]
    if negative:
        raise BoundsError(f"bounds={original!r}: {negative[0]} is negative; populations start at 0")
    for lower, upper in zip(edges, edges[1:]):
        if upper <= lower:
            raise BoundsError(f"bounds={original!r}: edges must increase, but {upper} follows "
                              f"{lower}")
    return edges


def check_cities_only(value) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    # papermill's -p passes "false"/"true" through as text (it reads only True/False).
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ParameterError(f"cities_only={value!r} must be True or False")


def check_highlight(value) -> str | None:
    """A partnership id whose members are marked, or ``""``/``None`` for none."""
    if value is None or value == "":
        return None
    return check_partnership(value)


# ------------------------------------------------------------------------ classification
def population_wide() -> pd.DataFrame:
    """Population by municipality (index code) × year (columns, ints)."""
    pop = data.population()
    wide = pop.pivot(index="code", columns="year", values="population")
    wide.columns = [int(c) for c in wide.columns]
    return wide


def _scope(cities_only: bool) -> pd.DataFrame:
    munis = data.municipalities()[YEAR_COLUMNS]
    if cities_only:
        munis = munis[munis["is_city"]]
    return munis.reset_index(drop=True)


def class_position(population, edges) -> np.ndarray:
    """Where each population sits relative to the classes of ``edges`` — the one encoding
    every module uses: -1 below the first edge, 0 … n-1 the class (lower edge included,
    upper excluded), n (= number of classes) at or above the last edge.

        >>> class_position([39_999, 40_000, 99_999, 100_000], (40_000, 100_000)).tolist()
        [-1, 0, 0, 1]
    """
    values = np.asarray(population)
    index = np.searchsorted(np.asarray(edges), values, side="right") - 1
    return np.where(values < edges[0], -1, np.minimum(index, len(edges) - 1))


def _class_index(population: pd.Series, edges: tuple[int, ...], open_ended: bool) -> np.ndarray:
    """Index of the class each population falls in (-1 outside every class); with
    ``open_ended`` the last edge starts one more class."""
    position = class_position(population.to_numpy(), edges)
    if not open_ended:
        position = np.where(position == len(edges) - 1, -1, position)
    return position


def classify(year=None, bounds=None, cities_only: bool = False,
             open_ended: bool | None = None) -> pd.DataFrame:
    """One row per municipality in scope with its population in ``year`` and its class.

    ``bounds`` None means :data:`STANDARD_EDGES`, whose last class is open-ended; explicit
    bounds classify from the first to the last edge unless ``open_ended=True``.
    ``class_index`` is -1 (and ``class_lo``/``class_hi`` empty) outside every class; the
    presentation names a class from ``class_lo`` and ``class_hi``
    (:func:`analysis.present.i18n.class_label`).
    """
    year = check_year(year)
    edges = check_bounds(bounds)
    cities_only = check_cities_only(cities_only)
    open_ended = (bounds is None) if open_ended is None else bool(open_ended)
    frame = _scope(cities_only)
    with readset.rows("population", "year", [year]):
        pop = data.population()
    pop = pop[pop["year"] == year].set_index("code")["population"]
    frame["population"] = frame["code"].map(pop).astype("int64")
    index = _class_index(frame["population"], edges, open_ended)
    frame["class_index"] = index.astype("int64")
    lows = [edges[i] for i in range(len(edges) - (0 if open_ended else 1))]
    highs = [edges[i + 1] if i + 1 < len(edges) else None for i in range(len(lows))]
    inside = index >= 0
    frame["class_lo"] = pd.array([lows[i] if ok else None for i, ok in zip(index, inside)],
                                 dtype="Int64")
    frame["class_hi"] = pd.array([highs[i] if ok else None for i, ok in zip(index, inside)],
                                 dtype="Int64")
    frame.attrs.update(year=year, bounds=edges, cities_only=cities_only, open_ended=open_ended)
    return frame


def members(year=None, bounds=MID_SIZE_BOUNDS, cities_only: bool = True) -> pd.DataFrame:
    """Municipalities with first edge ≤ population < last edge, largest first."""
    frame = classify(year, bounds, cities_only, open_ended=False)
    out = frame[frame["class_index"] >= 0].sort_values(["population", "code"],
                                                       ascending=[False, True])
    out = out.reset_index(drop=True)
    out.attrs.update(frame.attrs)
    return out


def class_summary(year=None, bounds=None, cities_only: bool = False) -> pd.DataFrame:
    """Per class: municipalities, cities, residents and their share of the scope's residents.
    Empty classes are kept (a zero is a finding)."""
    frame = classify(year, bounds, cities_only)
    edges, open_ended = frame.attrs["bounds"], frame.attrs["open_ended"]
    n = len(edges) - (0 if open_ended else 1)
    total = frame["population"].sum()
    rows = []
    for i in range(n):
        inside = frame[frame["class_index"] == i]
        hi = edges[i + 1] if i + 1 < len(edges) else None
        rows.append({"class_index": i, "class_lo": edges[i], "class_hi": hi,
                     "municipalities": len(inside), "cities": int(inside["is_city"].sum()),
                     "population": int(inside["population"].sum()),
                     "population_share": inside["population"].sum() / total if total else np.nan})
    out = pd.DataFrame(rows)
    out["class_hi"] = out["class_hi"].astype("Int64")
    out.attrs.update(frame.attrs)
    return out


# ------------------------------------------------------------------------ the class table
def _memberships_by_code() -> pd.Series:
    ms = data.memberships()
    order = {pid: i for i, pid in enumerate(data.partnerships()["partnership_id"])}
    ms = ms.assign(order=ms["partnership_id"].map(order)).sort_values(["order", "code"])
    return ms.groupby("code")["partnership_id"].agg(list)


def member_table(year=None, bounds=MID_SIZE_BOUNDS, cities_only: bool = True) -> pd.DataFrame:
    """The class members with population change over 5 and 10 years, jobs (latest jobs year) and the
    partnerships each belongs to (a list of ids, empty when none).

    A change is missing (NaN) when the data lacks the earlier year (before its first year).
    """
    frame = members(year, bounds, cities_only)
    year = frame.attrs["year"]
    wide = population_wide()
    for span in (5, 10):
        before = year - span
        if before in wide.columns:
            earlier = frame["code"].map(wide[before])
            frame[f"change_{span}y"] = frame["population"] - earlier
            frame[f"change_{span}y_pct"] = frame[f"change_{span}y"] / earlier
        else:
            frame[f"change_{span}y"] = np.nan
            frame[f"change_{span}y_pct"] = np.nan
    jobs = data.jobs()
    jobs_year = int(jobs["year"].max())  # the latest jobs year held
    frame["jobs"] = frame["code"].map(jobs[jobs["year"] == jobs_year].set_index("code")["jobs"])
    frame["jobs_year"] = jobs_year
    by_code = _memberships_by_code()
    frame["partnerships"] = [list(by_code.get(code, [])) for code in frame["code"]]
    return frame


# ------------------------------------------------------------------------ history
def class_positions(bounds=MID_SIZE_BOUNDS, cities_only: bool = True) -> pd.DataFrame:
    """For every municipality in scope and every year in the data: -1 below the class,
    0 … n-1 the class index, n (= number of classes) above it. Index code, columns years."""
    edges = check_bounds(bounds)
    codes = _scope(check_cities_only(cities_only))["code"]
    wide = population_wide().loc[codes]
    out = pd.DataFrame(class_position(wide.to_numpy(), edges), index=wide.index,
                       columns=wide.columns)
    out.attrs.update(bounds=edges, cities_only=cities_only)
    return out


def class_history(bounds=MID_SIZE_BOUNDS, cities_only: bool = True) -> pd.DataFrame:
    """True where the municipality (index code) is in the class (first ≤ pop < last edge)
    in the year (columns: every year the data holds)."""
    positions = class_positions(bounds, cities_only)
    n = len(positions.attrs["bounds"]) - 1
    out = (positions >= 0) & (positions < n)
    out.attrs.update(positions.attrs)
    return out


def class_changes(bounds=MID_SIZE_BOUNDS, cities_only: bool = True) -> pd.DataFrame:
    """Entries to and exits from the class between consecutive years of the data.

    ``year`` is the first year the new state is seen; ``from_year`` the previous year in
    the data (were a year missing, the change could have happened in any year of the gap).
    ``direction`` says whether the municipality crossed the upper or the lower edge.
    """
    history = class_history(bounds, cities_only)
    edges = history.attrs["bounds"]
    years = list(history.columns)
    munis = data.municipalities().set_index("code")
    wide = population_wide()
    rows = []
    for previous, year in zip(years, years[1:]):
        moved = history[year] != history[previous]
        for code in history.index[moved]:
            entered = bool(history.at[code, year])
            pop_now, pop_before = int(wide.at[code, year]), int(wide.at[code, previous])
            crossed = edges[0] if min(pop_now, pop_before) < edges[0] else edges[-1]
            rows.append({"code": code, "name_fi": munis.at[code, "name_fi"],
                         "name_sv": munis.at[code, "name_sv"],
                         "name_en": munis.at[code, "name_en"], "year": year,
                         "from_year": previous, "change": "entered" if entered else "left",
                         "population": pop_now, "population_before": pop_before,
                         "edge": crossed,
                         "direction": "up" if pop_now > pop_before else "down"})
    columns = ["code", "name_fi", "name_sv", "name_en", "year", "from_year", "change", "population",
               "population_before", "edge", "direction"]
    out = pd.DataFrame(rows, columns=columns).sort_values(["year", "change", "name_fi"])
    out = out.reset_index(drop=True)
    out.attrs.update(history.attrs)
    return out


# ------------------------------------------------------------------------ vs partnerships
def class_vs_partnerships(year=None, bounds=MID_SIZE_BOUNDS,
                          cities_only: bool = True) -> dict[str, pd.DataFrame]:
    """Where the class and the partnerships disagree.

    ``class_outside_partnerships``: class members in no partnership at all.
    ``members_outside_class``: one row per partnership membership of a municipality that
    is not in the class (whatever its title), with ``position`` 'below' or 'above' and,
    when ``cities_only`` and it lacks the title, 'not a city'.
    """
    year = check_year(year)
    edges = check_bounds(bounds)
    cities_only = check_cities_only(cities_only)
    in_class = members(year, edges, cities_only)
    by_code = _memberships_by_code()
    outside = in_class[~in_class["code"].isin(by_code.index)]
    outside = outside[["code", "name_fi", "name_sv", "name_en", "region_fi", "region_sv",
                       "region_en", "is_city", "population"]].reset_index(drop=True)

    everyone = classify(year, edges, cities_only=False, open_ended=False).set_index("code")
    ms = data.memberships()
    ms = ms[~ms["code"].isin(set(in_class["code"]))]
    rows = []
    for row in ms.itertuples():
        muni = everyone.loc[row.code]
        at = int(class_position(muni["population"], edges))
        # inside the band but not in the class: out of scope (cities_only)
        position = "below" if at < 0 else "above" if at == len(edges) - 1 else "not a city"
        rows.append({"partnership_id": row.partnership_id, "code": row.code,
                     "name_fi": muni["name_fi"], "name_sv": muni["name_sv"],
                     "name_en": muni["name_en"], "role": row.role, "is_city": bool(muni["is_city"]),
                     "population": int(muni["population"]), "position": position})
    columns = ["partnership_id", "code", "name_fi", "name_sv", "name_en", "role", "is_city",
               "population", "position"]
    beyond = pd.DataFrame(rows, columns=columns)
    order = {pid: i for i, pid in enumerate(data.partnerships()["partnership_id"])}
    beyond = (beyond.assign(order=beyond["partnership_id"].map(order))
              .sort_values(["order", "population"], ascending=[True, False])
              .drop(columns="order"))
    result = {"class_outside_partnerships": outside,
              "members_outside_class": beyond.reset_index(drop=True)}
    for frame in result.values():
        frame.attrs.update(year=year, bounds=edges, cities_only=cities_only)
    return result


def partnership_overlap(year=None, bounds=MID_SIZE_BOUNDS, cities_only: bool = True) -> pd.DataFrame:
    """Per partnership (all of them, including those with no listed members): members,
    how many are in the class, below it, above it."""
    year = check_year(year)
    edges = check_bounds(bounds)
    in_class = set(members(year, edges, cities_only)["code"])
    pop = classify(year, edges, cities_only=False, open_ended=False).set_index("code")["population"]
    position = pd.Series(class_position(pop, edges), index=pop.index)
    ms = data.memberships()
    rows = []
    for p in data.partnerships().itertuples():
        codes = ms.loc[ms["partnership_id"] == p.partnership_id, "code"]
        rows.append({"partnership_id": p.partnership_id, "name_fi": p.name_fi,
                     "name_sv": p.name_sv, "name_en": p.name_en, "members": len(codes),
                     "in_class": int(codes.isin(in_class).sum()),
                     "below": int((position[codes] < 0).sum()),
                     "above": int((position[codes] == len(edges) - 1).sum())})
    out = pd.DataFrame(rows)
    out["other"] = out["members"] - out["in_class"] - out["below"] - out["above"]
    return out


# ------------------------------------------------------------------------ figures the reports quote
def finland_population(year: int) -> int:
    pop = data.population()
    return int(pop.loc[pop["year"] == year, "population"].sum())


def city_title_year() -> int:
    """The year of the city titles (``is_city``), from the snapshot's provenance."""
    from analysis.data.provenance import resource

    for source in resource("municipalities")["sources"]:
        if "kaupunki" in source["title"]:
            return int(source["data_year"])
    raise LookupError("datapackage.json names no source for the city titles")
