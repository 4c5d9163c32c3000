"""``population.csv``: population on 31 December for every year any input holds, one
source per year, every year on the snapshot's division."""

from __future__ import annotations

import pandas as pd

from analysis.core.text import format_years
from analysis.data import catalogue
from analysis.ingest import pxweb
from analysis.ingest.build.common import (
    BuildError,
    BuildLog,
    Harmoniser,
    Inputs,
    check_division_codes,
    read_csv,
)


def _country_check(source: str, municipal: pd.DataFrame, country: pd.Series, log: BuildLog) -> None:
    """Each year's municipalities must sum to the same table's whole-country figure."""
    sums = municipal.groupby("year")["population"].sum()
    for year_value, total in country.items():
        if int(sums.get(year_value, -1)) != int(total):
            raise BuildError(f"{source}: year {year_value}: municipalities sum to "
                             f"{int(sums.get(year_value, 0))}, the table's whole-country row "
                             f"says {int(total)}")
    log.add("population", f"{source}: every year's municipalities sum to the table's own "
                          f"whole-country row ({len(country)} years checked)")


def _read_11re_csv(inputs: Inputs, log: BuildLog, harmoniser: Harmoniser) -> pd.DataFrame:
    path = inputs.path(catalogue.POPULATION_11RE)
    wide = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    year_columns = [c for c in wide.columns if c.isdigit()]
    country = wide[wide["alue_code"] == catalogue.COUNTRY]
    municipal = wide[wide["alue_code"].str.fullmatch(r"KU\d{3}")]
    other = sorted(set(wide["alue_code"]) - set(country["alue_code"]) - set(municipal["alue_code"]))
    if other or len(country) != 1:
        raise BuildError(f"{path}: unexpected area codes {other} (or no single whole-country row)")
    if (municipal["alue_code"].str[2:] != municipal["kunta"]).any():
        raise BuildError(f"{path}: column kunta does not match alue_code")
    long = municipal.melt(id_vars=["kunta"], value_vars=year_columns, var_name="year",
                          value_name="population").rename(columns={"kunta": "code"})
    bad = ~long["population"].str.fullmatch(r"\d+")
    if bad.any():
        row = long[bad].iloc[0]
        raise BuildError(f"{path}: code {row['code']}, year {row['year']}: "
                         f"{row['population']!r} is not a count")
    long = long.astype({"year": int, "population": int})
    totals = country[year_columns].iloc[0].astype(int)
    totals.index = totals.index.astype(int)
    _country_check(catalogue.POPULATION_11RE, long, totals, log)
    return harmoniser.counts(long, ["population"], "population", log, catalogue.POPULATION_11RE)


def _read_11re_pxweb(inputs: Inputs, log: BuildLog, harmoniser: Harmoniser) -> pd.DataFrame:
    frames = []
    for path in inputs.pxweb_files("11re"):
        response = pxweb.read_response(path)
        areas = pxweb.split_areas(response.frame)
        values, reasons = pxweb.numeric(areas["municipality"]["text"])
        if reasons.notna().any():
            raise BuildError(f"{path}: table 11re: population missing for "
                             f"{sorted(areas['municipality'].loc[reasons.notna(), 'code'])}")
        municipal = pd.DataFrame({"code": areas["municipality"]["code"],
                                  "year": areas["municipality"]["period"].astype(int),
                                  "population": values.astype(int)})
        country = areas["country"].set_index(areas["country"]["period"].astype(int))["text"]
        _country_check(f"pxweb/{path.name}", municipal, country.astype(int), log)
        check_division_codes(path, "11re", set(municipal["code"]), harmoniser, log)
        municipal["file"] = path.name
        municipal["updated"] = response.updated
        frames.append(municipal)
    if not frames:
        return pd.DataFrame(columns=["code", "year", "population", "file", "updated"])
    # The same year in two responses (a revision): the more recently updated table wins.
    out = pd.concat(frames).sort_values(["updated", "file"])
    return out.drop_duplicates(["code", "year"], keep="last")


def build_population(inputs: Inputs, log: BuildLog, harmoniser: Harmoniser) -> pd.DataFrame:
    """Population on 31 December for every year any input holds, one source per year.

    Precedence per year: Statistics Finland's PxWeb table 11re (newest response first), its
    table 11re as converted to CSV, the map-service layer, and last the THL Sotkanet copy
    (used only for a year no Statistics Finland table gives). Differences between 11re and
    the THL copy are counted and recorded, never silently averaged.
    """
    codes = harmoniser.codes
    stat_csv = _read_11re_csv(inputs, log, harmoniser)
    stat_api = _read_11re_pxweb(inputs, log, harmoniser)
    layer = read_csv(inputs.path(catalogue.POPULATION_LAYER)).astype({"year": int, "population": int})
    layer = harmoniser.counts(layer, ["population"], "population", log, catalogue.POPULATION_LAYER)
    thl = read_csv(inputs.path(catalogue.POPULATION_THL)).astype({"year": int, "population": int})
    if thl.duplicated(["code", "year"]).any():
        raise BuildError(f"{catalogue.POPULATION_THL}: duplicate (code, year) rows")
    thl = harmoniser.counts(thl, ["population"], "population", log, catalogue.POPULATION_THL)

    ranked = [(f"pxweb/{f}", g[["code", "year", "population"]])
              for f, g in stat_api.groupby("file", sort=True)] + [
        (catalogue.POPULATION_11RE, stat_csv), (catalogue.POPULATION_LAYER, layer),
        (catalogue.POPULATION_THL, thl)]
    chosen, year_source = [], {}
    for source, frame in ranked:
        for year_value, group in frame.groupby("year"):
            if year_value in year_source:
                continue
            if set(group["code"]) != codes:
                raise BuildError(f"{source}: year {year_value} lacks "
                                 f"{sorted(codes - set(group['code']))[:10]}")
            year_source[int(year_value)] = source
            chosen.append(group)
    population = pd.concat(chosen, ignore_index=True)
    spans: dict[str, list[int]] = {}
    for y, source in sorted(year_source.items()):
        spans.setdefault(source, []).append(y)
    for source, years in spans.items():
        log.add("population", f"years {format_years(years)} from {source}")

    compared = thl.merge(stat_csv, on=["code", "year"], suffixes=("_thl", "_11re"))
    compared["difference"] = compared["population_thl"] - compared["population_11re"]
    differing = compared[compared["difference"] != 0]
    largest = differing.loc[differing["difference"].abs().idxmax()] if len(differing) else None
    note = {"compared": f"{catalogue.POPULATION_THL} vs {catalogue.POPULATION_11RE}",
            "municipality_years_compared": int(len(compared)),
            "municipality_years_differing": int(len(differing)),
            "years_with_differences": sorted(int(y) for y in differing["year"].unique()),
            "winner": catalogue.POPULATION_11RE}
    if largest is not None:
        note["largest_difference"] = {
            "code": largest["code"], "year": int(largest["year"]),
            "thl": int(largest["population_thl"]), "11re": int(largest["population_11re"]),
            "difference": int(largest["difference"])}
        note["differences"] = [
            [r.code, int(r.year), int(r.population_thl), int(r.population_11re)]
            for r in differing.sort_values(["year", "code"]).itertuples()]
    log.notes["population"] = {"year_sources": {str(k): v for k, v in sorted(year_source.items())},
                               "source_differences": note}
    log.add("population", f"{note['municipality_years_differing']} of "
                          f"{note['municipality_years_compared']} municipality-years differ "
                          f"between {catalogue.POPULATION_THL} (THL copy) and {catalogue.POPULATION_11RE} "
                          "(Statistics Finland's own table); the latter is used"
            + (f"; largest: {largest['code']} {int(largest['year'])}, "
               f"{int(largest['population_thl'])} vs {int(largest['population_11re'])}"
               if largest is not None else ""))
    return population.sort_values(["code", "year"]).reset_index(drop=True)
