"""Places side by side: the numbers of ``notebooks/compare.ipynb`` and of the explorer's
comparison. Two to ten municipalities, given by any name, Swedish name or code; every
comparison measure (:data:`analysis.analyses.peers.MEASURES`) with each place's rank among
all municipalities and within its own standard size class; their histories (population,
jobs, unemployment rate) one column per place. Numbers only: the words are
:mod:`analysis.present.text.compare`, the figures :mod:`analysis.present.figures.compare`.

    codes = check_places("Seinäjoki, Vasa, 272")     # ['272', '743', '905']
    places(codes)                                     # who they are, largest first
    side_by_side(codes)                               # measure × place: value and ranks
    histories(codes)["unemployment"]                  # period × code, the gap kept as NaN
"""

from __future__ import annotations

import pandas as pd

from analysis import data
from analysis.analyses import peers, sizeclass, trends
from analysis.core.errors import ParameterError, echo
from analysis.data import readset
from analysis.data.checks import check_municipality, check_year

MIN_PLACES, MAX_PLACES = 2, 10


def check_places(places) -> list[str]:
    """The municipalities named, as codes sorted (so that every spelling and order of the
    same places is one comparison): a list, or text separated by commas; each any name,
    Swedish name or code; a place named twice counts once. 2 to 10 places, else a one-line
    :class:`ParameterError`."""
    if isinstance(places, (int, str)) and not isinstance(places, bool):
        items = [part.strip() for part in str(places).split(",")]
    elif isinstance(places, (list, tuple)):
        items = [part.strip() if isinstance(part, str) else part for part in places]
    else:
        raise ParameterError(f"places={echo(places)}: give {MIN_PLACES} to {MAX_PLACES} "
                             "municipalities as a list or as text separated by commas, e.g. "
                             "'Seinäjoki, Vasa, 272'")
    items = [item for item in items if item not in ("", None)]
    codes = []
    for item in items:
        try:
            code = check_municipality(item).code
        except ParameterError as exc:
            raise ParameterError(f"places: {exc}") from None
        if code not in codes:
            codes.append(code)
    if not MIN_PLACES <= len(codes) <= MAX_PLACES:
        named = ", ".join(str(check_municipality(c)) for c in codes[:4])
        named += " …" if len(codes) > 4 else ""
        raise ParameterError(
            f"places: {len(codes)} municipalit{'y' if len(codes) == 1 else 'ies'} "
            f"({named or 'none'}); a comparison takes {MIN_PLACES} to {MAX_PLACES}"
            + (" (a place named twice counts once)" if len(items) > len(codes) else ""))
    return sorted(codes)


def places(codes, year=None) -> pd.DataFrame:
    """One row per place, largest population first (the order of every table and figure):
    code, names fi/sv/en, region fi/sv/en, is_city, language_code, urban_rural_code (the
    statistical grouping: 1 urban, 2 semi-urban, 3 rural), population in ``year``,
    its standard size class (class_index, class_lo, class_hi), and its rank in population
    among all municipalities (``population_rank``). ``attrs``: year, n (municipalities)."""
    codes = list(codes)
    year = check_year(year)
    classes = sizeclass.classify(year, bounds=None, cities_only=False)
    classes["population_rank"] = classes["population"].rank(ascending=False, method="min"
                                                            ).astype("int64")
    munis = data.municipalities().set_index("code")
    out = classes[classes["code"].isin(set(codes))].set_index("code")
    for column in ("region_sv", "language_code", "urban_rural_code"):
        out[column] = munis[column].reindex(out.index)
    out = out.reset_index().sort_values(["population", "code"], ascending=[False, True])
    out.attrs.update(year=year, n=len(classes))
    return out.reset_index(drop=True)


def side_by_side(codes, year=None) -> pd.DataFrame:
    """Every comparison measure for every place, tidy: measure, code, value, rank_all,
    n_all, rank_class, n_class (1 = the highest value), class_index, and the measure's
    unit, period, source_table, missing_reason; Finland's value in ``finland``. Measures
    in the order of :data:`~analysis.analyses.peers.MEASURES`, places largest first."""
    year = check_year(year)
    order = list(places(codes, year)["code"])
    ranked = peers.ranks(year)
    ranked = ranked[ranked["code"].isin(set(order))]
    meta = peers.comparison_indicators(year)
    meta = meta[meta["code"].isin(set(order))][["code", "measure", "unit", "period",
                                                "source_table", "missing_reason"]]
    out = ranked.merge(meta, on=["code", "measure"], how="left")
    out["finland"] = out["measure"].map(peers.finland_values(year)["value"])
    out["measure"] = pd.Categorical(out["measure"], list(peers.MEASURES), ordered=True)
    out["code"] = pd.Categorical(out["code"], order, ordered=True)
    out = out.sort_values(["measure", "code"]).reset_index(drop=True)
    out["measure"], out["code"] = out["measure"].astype(str), out["code"].astype(str)
    out.attrs.update(year=year, codes=order)
    return out


def histories(codes) -> dict[str, pd.DataFrame]:
    """One column per place (largest first), every period the data hold from the first to
    the last: ``population`` (year), ``jobs`` (year), ``unemployment`` (month, ``2007M01``;
    months no source holds and values withheld are NaN, so a line breaks there)."""
    order = list(places(codes)["code"])
    with readset.rows("population", "code", order):
        wide = sizeclass.population_wide()
    population = wide.loc[order].T.sort_index()
    population.index.name = "year"
    jobs = pd.concat({code: trends.jobs_series(code) for code in order}, axis=1)
    unemployment = pd.concat({code: trends.unemployment_series(code) for code in order}, axis=1)
    return {"population": population, "jobs": jobs, "unemployment": unemployment}


__all__ = ["MAX_PLACES", "MIN_PLACES", "check_places", "histories", "places", "side_by_side"]
