"""Similar municipalities: for every municipality the ones most like it in structure, by a
weighted distance over standardised measures (the method of CIPFA's nearest-neighbour
model, which English councils benchmark with).

What is measured, how much each measure weighs, how values are standardised, how many
neighbours each municipality gets and how ties are broken is curated in
``data/curated/similarity.yaml`` (:func:`read_config`): a new measure or weight is a data
change. ``analysis data build`` computes the tables once per snapshot from the tables it
is building (:mod:`analysis.ingest.build.similar`), with the pure functions here:

1. :func:`measure_values`: each measure's value for every municipality, with its period
   and source table (the comparison measures of :mod:`analysis.analyses.peers` from the
   same code the profiles use, plus population, density, the in-commuters' share of jobs,
   the annual unemployment rate and the urban–rural grouping);
2. :func:`scores`: each value transformed where the configuration says so (log10 for the
   sizes, which span three orders of magnitude), a missing value replaced by the median of
   all municipalities (kept visible: ``imputed``), then standardised over all
   municipalities (``zscore``: (x − mean) / standard deviation; ``robust``: (x − median) /
   interquartile range), rounded to 4 decimals;
3. :func:`distances`: between two municipalities, sqrt(Σ weight × (score_a − score_b)²),
   from the rounded scores, so anyone can recompute it from ``similarity_measures.csv``;
4. :func:`nearest`: each municipality's ``neighbours`` nearest (rounded to 4 decimals;
   equal distances: the lower code first).

The urban–rural grouping (Statistics Finland's statistical grouping: urban, semi-urban,
rural) is ordinal: it enters as its position in the configured order (1, 2, 3) and is then
standardised like every other measure, so urban and rural are two steps apart and
semi-urban is one step from each.

Read side (from the snapshot): :func:`similar_to`, :func:`explain` (what makes them alike,
where the place differs most), :func:`add_group` (the similar municipalities as a second
peer group of the profile's comparison). Numbers only; the words are
:mod:`analysis.present.text.similar`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core import yamlio
from analysis.core.errors import AnalysisError
from analysis.core.paths import SIMILARITY_FILE as CONFIG_FILE

DIGITS = 4  # decimals of scores and distances as written
STANDARDISERS = ("zscore", "robust")
TRANSFORMS = (None, "log10")


class SimilarityConfigError(AnalysisError, ValueError):
    """``data/curated/similarity.yaml`` is not a usable configuration (one line: what and where)."""


@dataclass(frozen=True)
class Source:
    """Where a measure comes from: ``kind`` (how it is computed), its unit and decimals."""

    kind: str
    unit: str
    digits: int


def _known() -> dict[str, Source]:
    from analysis.analyses.peers import MEASURES

    known = {"population": Source("population", "residents", 0),
             "population_density": Source("density", "per_km2", 1)}
    known |= {m.name: Source("comparison", m.unit, m.digits) for m in MEASURES.values()}
    known |= {"in_commuter_share": Source("commuting", "%", 1),
              "unemployment_rate_annual": Source("unemployment_annual", "%", 1),
              "urban_rural": Source("urban_rural", "class", 0)}
    return known


KNOWN: dict[str, Source] = _known()
"""Every measure the configuration may name."""


# ------------------------------------------------------------------ configuration
@dataclass(frozen=True)
class MeasureSpec:
    name: str
    weight: float
    transform: str | None = None
    order: tuple[str, ...] = ()  # the ordinal's codes, first to last (urban_rural)


@dataclass(frozen=True)
class Config:
    neighbours: int
    standardise: str
    measures: tuple[MeasureSpec, ...]

    @property
    def weights(self) -> dict[str, float]:
        return {m.name: m.weight for m in self.measures}


def check_config(spec, source="similarity.yaml") -> Config:
    """The configuration read from YAML, checked; :class:`SimilarityConfigError` naming the
    file and the entry otherwise."""
    def fail(message):
        raise SimilarityConfigError(f"{source}: {message}")

    if not isinstance(spec, dict):
        fail("expected a mapping with neighbours, standardise, missing, tie_break and measures")
    unknown = sorted(set(spec) - {"neighbours", "standardise", "missing", "tie_break", "measures"})
    if unknown:
        fail(f"unknown key {unknown[0]!r}")
    k = spec.get("neighbours")
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= 50:
        fail(f"neighbours: {k!r} is not a whole number from 1 to 50")
    if spec.get("standardise") not in STANDARDISERS:
        fail(f"standardise: {spec.get('standardise')!r}; use one of {', '.join(STANDARDISERS)}")
    if spec.get("missing") != "median":
        fail(f"missing: {spec.get('missing')!r}; the only rule is 'median' (a missing value "
             "is replaced by the median of all municipalities)")
    if spec.get("tie_break") != "code":
        fail(f"tie_break: {spec.get('tie_break')!r}; the only rule is 'code' (equal "
             "distances: the lower municipality code first)")
    items = spec.get("measures")
    if not isinstance(items, dict) or not items:
        fail("measures: expected a mapping of measure names to {weight: …}")
    measures = []
    for name, item in items.items():
        where = f"measures.{name}"
        if name not in KNOWN:
            fail(f"{where}: unknown measure; known: {', '.join(KNOWN)}")
        if not isinstance(item, dict) or set(item) - {"weight", "transform", "order", "source"}:
            fail(f"{where}: expected weight, source and optionally transform or order")
        weight = item.get("weight")
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not (
                math.isfinite(weight) and weight > 0):
            fail(f"{where}: weight {weight!r} is not a positive number")
        transform = item.get("transform")
        if transform not in TRANSFORMS:
            fail(f"{where}: transform {transform!r}; use log10 or leave it out")
        order = item.get("order", [])
        if (KNOWN[name].kind == "urban_rural") != bool(order) or not isinstance(order, list) \
                or len(set(map(str, order))) != len(order):
            fail(f"{where}: an ordinal measure (urban_rural), and only it, lists its codes in "
                 "order, each once: order: ['1', '2', '3']")
        measures.append(MeasureSpec(str(name), float(weight), transform,
                                    tuple(str(c) for c in order)))
    return Config(neighbours=k, standardise=spec["standardise"], measures=tuple(measures))


def read_config(curated: Path) -> Config:
    """``curated/similarity.yaml`` read strictly (duplicate keys refused) and checked."""
    path = Path(curated) / CONFIG_FILE
    if not path.exists():
        raise SimilarityConfigError(f"{path}: the similarity configuration is missing")
    return check_config(yamlio.load_file(path), path)


# ------------------------------------------------------------------ the measures
def measure_values(tables: Mapping[str, pd.DataFrame], config: Config,
                   key_period: str = "") -> pd.DataFrame:
    """Every municipality's value of every configured measure, from ``tables`` (the
    snapshot's municipalities, population, indicators, jobs, commuting and unemployment,
    as built or as loaded): code, measure, value, period, source_table. ``key_period`` is
    the year of the municipality key table (the urban–rural grouping's period).

    The year is the latest population year: it ends the population changes and gives the
    population and density; every other measure keeps its own latest period.
    """
    from analysis.analyses.peers import measure_values as comparison_values
    from analysis.analyses.trends import annual_means  # the annual mean of 12 months, one rule

    municipalities = tables["municipalities"].set_index("code")
    codes = municipalities.index
    population = tables["population"]
    wide = population.pivot(index="code", columns="year", values="population").reindex(codes)
    wide.columns = [int(c) for c in wide.columns]
    year = int(max(wide.columns))
    comparison = None
    parts = []

    def add(name, values, period, source):
        parts.append(pd.DataFrame({"code": codes, "measure": name,
                                   "value": pd.Series(values, dtype=float).reindex(codes).to_numpy(),
                                   "period": str(period), "source_table": source}))

    for spec in config.measures:
        kind = KNOWN[spec.name].kind
        if kind == "population":
            add(spec.name, wide[year], year, "population")
        elif kind == "density":
            add(spec.name, wide[year] / municipalities["land_area_km2"], year,
                "population, municipalities")
        elif kind == "comparison":
            if comparison is None:
                comparison = comparison_values(wide, tables["indicators"], tables["jobs"], year)
            rows = comparison[comparison["measure"] == spec.name].set_index("code")
            add(spec.name, rows["value"], rows["period"].iloc[0], rows["source_table"].iloc[0])
        elif kind == "commuting":
            commuting = tables["commuting"]
            last = int(commuting["year"].max())
            rows = commuting[commuting["year"] == last].set_index("code")
            add(spec.name, rows["in_commuters"] / (rows["local_workers"] + rows["in_commuters"])
                * 100, last, "commuting")
        elif kind == "unemployment_annual":
            frame = tables["unemployment"]
            annual = annual_means(frame.pivot(index="period", columns="code", values="value"),
                                  frame["period"])
            last = int(annual.index.max()) if len(annual) else None
            add(spec.name, annual.loc[last] if last else np.nan, last or "", "unemployment")
        elif kind == "urban_rural":
            position = {code: i + 1 for i, code in enumerate(spec.order)}
            grouping = municipalities["urban_rural_code"].astype(str)
            unknown = sorted(set(grouping) - set(position))
            if unknown:
                raise SimilarityConfigError(
                    f"{CONFIG_FILE}: measures.{spec.name}: order lacks the code(s) "
                    f"{', '.join(unknown)} the municipalities table holds")
            add(spec.name, grouping.map(position), key_period, "municipalities")
    out = pd.concat(parts, ignore_index=True)
    out.attrs["year"] = year
    return out


def _standardise(x: pd.Series, how: str, name: str) -> pd.Series:
    if how == "zscore":
        centre, scale = x.mean(), x.std(ddof=0)
    else:
        centre, scale = x.median(), x.quantile(0.75) - x.quantile(0.25)
    if not scale > 0:
        raise SimilarityConfigError(f"{CONFIG_FILE}: measures.{name}: every municipality has "
                                    "the same value; it cannot tell them apart")
    return (x - centre) / scale


def scores(values: pd.DataFrame, config: Config) -> pd.DataFrame:
    """:func:`measure_values` with each value's ``score`` (transformed, a missing value
    replaced by the median of all municipalities, standardised; 4 decimals), ``imputed``
    (True where the value was missing) and the measure's ``weight``."""
    parts = []
    for spec in config.measures:
        rows = values[values["measure"] == spec.name].copy()
        x = rows["value"].astype(float)
        if spec.transform == "log10":
            if (x.dropna() <= 0).any():
                bad = rows.loc[x <= 0, "code"].iloc[0]
                raise SimilarityConfigError(f"{CONFIG_FILE}: measures.{spec.name}: log10 of a "
                                            f"value not above 0 (municipality {bad})")
            x = np.log10(x)
        rows["imputed"] = x.isna()
        if x.notna().sum() < 2:
            raise SimilarityConfigError(f"{CONFIG_FILE}: measures.{spec.name}: fewer than two "
                                        "municipalities have a value")
        x = x.fillna(x.median())
        rows["score"] = _standardise(x, config.standardise, spec.name).round(DIGITS)
        rows["weight"] = spec.weight
        parts.append(rows)
    out = pd.concat(parts, ignore_index=True)
    out.attrs.update(values.attrs)
    return out[["code", "measure", "value", "period", "source_table", "weight", "score",
                "imputed"]]


def score_matrix(scored: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """(code × measure scores in the measures' order, their weights)."""
    order = list(dict.fromkeys(scored["measure"]))
    matrix = scored.pivot(index="code", columns="measure", values="score")[order].sort_index()
    weights = scored.drop_duplicates("measure").set_index("measure")["weight"].reindex(order)
    return matrix, weights.to_numpy(dtype=float)


def distances(scored: pd.DataFrame) -> pd.DataFrame:
    """code × code: sqrt(Σ weight × (score_a − score_b)²), rounded to 4 decimals."""
    matrix, weights = score_matrix(scored)
    values = matrix.to_numpy(dtype=float)
    diff = values[:, None, :] - values[None, :, :]
    dist = np.sqrt((weights * diff ** 2).sum(axis=2)).round(DIGITS)
    return pd.DataFrame(dist, index=matrix.index, columns=matrix.index)


def nearest(scored: pd.DataFrame, k: int) -> pd.DataFrame:
    """Each municipality's ``k`` nearest others: code, rank (1 = most similar),
    similar_code, distance; equal distances: the lower code first."""
    dist = distances(scored)
    codes = dist.index.to_numpy()
    position = np.arange(len(codes))  # codes are sorted: position order is code order
    rows = []
    for i, code in enumerate(codes):
        row = dist.iloc[i].to_numpy()
        others = position[position != i]
        order = others[np.lexsort((others, row[others]))][:k]
        rows += [(code, rank, codes[j], row[j]) for rank, j in enumerate(order, start=1)]
    return pd.DataFrame(rows, columns=["code", "rank", "similar_code", "distance"])


def similarity_tables(tables: Mapping[str, pd.DataFrame], config: Config,
                      key_period: str = "") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(similarity_measures, similar): the two snapshot tables, from ``tables``."""
    scored = scores(measure_values(tables, config, key_period), config)
    return scored, nearest(scored, config.neighbours)


# ------------------------------------------------------------------ read side
def _code(place) -> str:
    from analysis.data.checks import check_municipality

    return check_municipality(place).code


def similar_to(place) -> pd.DataFrame:
    """The municipality's similar municipalities from the snapshot: rank, similar_code,
    distance (most similar first)."""
    from analysis import data
    from analysis.data import readset

    code = _code(place)
    with readset.rows("similar", "code", [code]):
        table = data.similar()
    out = table[table["code"] == code].sort_values("rank")
    return out[["rank", "similar_code", "distance"]].reset_index(drop=True)


def group(place) -> list[str]:
    """The place and its similar municipalities, most similar first: what its comparison
    page compares."""
    code = _code(place)
    return [code, *similar_to(code)["similar_code"]]


def measures_of(codes) -> pd.DataFrame:
    """The rows of ``similarity_measures.csv`` of ``codes`` (in the configured order)."""
    from analysis import data
    from analysis.data import readset

    codes = list(codes)
    with readset.rows("similarity_measures", "code", codes):
        table = data.similarity_measures()
    return table[table["code"].isin(set(codes))].reset_index(drop=True)


def explain(place) -> pd.DataFrame:
    """What makes the place like its similar municipalities, one row per measure in the
    configured order: weight, period, source_table, the place's ``value`` and ``score``,
    the similar municipalities' ``median`` value and ``median_score``, ``gap`` (score −
    median score: how many standard deviations (or IQRs) the place lies above them),
    ``mean_difference`` (the mean of |score − their score|: small = alike) and
    ``share`` (the measure's part of the squared distances to them, weights included).
    ``attrs``: code, similar (codes), distances (code -> distance)."""
    code = _code(place)
    near = similar_to(code)
    others = list(near["similar_code"])
    rows = measures_of([code, *others])
    own = rows[rows["code"] == code].set_index("measure")
    theirs = rows[rows["code"].isin(others)]
    score = theirs.pivot(index="code", columns="measure", values="score")
    value = theirs.pivot(index="code", columns="measure", values="value")
    order = list(own.index)
    out = own[["weight", "period", "source_table", "value", "score", "imputed"]].copy()
    out["median"] = value.median().reindex(order)
    out["median_score"] = score.median().reindex(order)
    out["gap"] = out["score"] - out["median_score"]
    difference = score.sub(own["score"], axis=1)
    out["mean_difference"] = difference.abs().mean().reindex(order)
    squared = (difference ** 2).mul(own["weight"], axis=1).sum()
    out["share"] = (squared / squared.sum()).reindex(order) if squared.sum() > 0 else 0.0
    out.index.name = "measure"
    out.attrs.update(code=code, similar=others,
                     distances=dict(zip(near["similar_code"], near["distance"])))
    return out


def alike_and_apart(explained: pd.DataFrame, n: int = 3) -> dict:
    """``alike``: the ``n`` measures in which the place and its similar municipalities are
    closest (smallest mean difference of scores); ``apart``: the measure where the place
    lies farthest from their median (largest |gap|), ``above`` its side."""
    alike = list(explained["mean_difference"].sort_values(kind="stable").index[:n])
    gap = explained["gap"].abs()
    apart = gap.idxmax() if len(gap.dropna()) else None
    return {"alike": alike, "apart": apart,
            "above": bool(explained.at[apart, "gap"] > 0) if apart else None}


def add_group(comparison: pd.DataFrame) -> pd.DataFrame:
    """The profile's comparison (:func:`analysis.analyses.peers.city_comparison`) with the
    similar municipalities as a second peer group: ``similar_median`` (their median, the
    place itself not included), ``n_similar`` (how many hold a value),
    ``above_similar`` (None where either is missing) and ``distance_similar`` ((value −
    median) / the class peers' spread, the scale :func:`above_median_summary` compares).
    ``attrs["similar"]``: their codes."""
    from analysis.analyses import peers

    a = comparison.attrs
    others = list(similar_to(a["code"])["similar_code"])
    wide = peers.wide_values(peers.comparison_indicators(a["year"])).loc[others]
    out = comparison.copy()
    out["similar_median"] = wide.median().reindex(out.index)
    out["n_similar"] = wide.notna().sum().reindex(out.index)
    has = out["value"].notna() & out["similar_median"].notna()
    out["above_similar"] = pd.Series(out["value"] > out["similar_median"],
                                     dtype=object).where(has, None)
    out["distance_similar"] = (out["value"] - out["similar_median"]) / out["spread"]
    out.attrs.update(a, similar=others)
    return out


__all__ = ["CONFIG_FILE", "KNOWN", "Config", "MeasureSpec", "SimilarityConfigError",
           "add_group", "alike_and_apart", "check_config", "distances", "explain", "group",
           "measure_values", "measures_of", "nearest", "read_config", "score_matrix",
           "scores", "similar_to", "similarity_tables"]
