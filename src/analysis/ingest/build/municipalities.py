"""``municipalities.csv``: the key table (codes, names, region, sub-region, urban–rural
class, language status…), the city titles, land areas and the central localities'
coordinates, on the key table's division."""

from __future__ import annotations

import pandas as pd

from analysis.data import catalogue
from analysis.ingest.build.common import (
    BuildError,
    BuildLog,
    Harmoniser,
    Inputs,
    read_csv,
    strip_whitespace,
)


def read_key_table(inputs: Inputs, log: BuildLog) -> tuple[pd.DataFrame, int]:
    """The municipality key table and the year of its division (from its sidecar)."""
    key = strip_whitespace(read_csv(inputs.path(catalogue.KEY_TABLE)), "municipalities", log)
    division = inputs.sidecar(catalogue.KEY_TABLE)["municipal_division"]
    if key["code"].duplicated().any():
        twice = sorted(key.loc[key["code"].duplicated(), "code"])
        raise BuildError(f"{catalogue.KEY_TABLE}: duplicate codes {twice}")
    return key, int(division)


def build_municipalities(inputs: Inputs, log: BuildLog, key: pd.DataFrame, boundaries,
                         harmoniser: Harmoniser) -> pd.DataFrame:
    key = key.copy()
    codes = set(key["code"])

    cities = read_csv(inputs.path(catalogue.CITIES))
    unknown = sorted(set(cities["code"]) - codes)
    if unknown:
        raise BuildError(f"cities_2023.csv: codes not in the division: {unknown}")
    key["is_city"] = key["code"].isin(cities["code"])
    adopted = cities.set_index("code")["title_adopted"].replace("", pd.NA)
    key["city_title_adopted"] = key["code"].map(adopted)
    city_meta = inputs.sidecar(catalogue.CITIES)
    log.add("municipalities", f"is_city from cities_2023.csv ({len(cities)} cities, "
                              f"{city_meta['periods'][0]}; secondary source), assumed unchanged "
                              f"since: no later adoption of the title is known")

    area_columns = ["land_area_km2", "total_area_km2"]
    area = read_csv(inputs.path(catalogue.AREAS)).astype({c: float for c in area_columns})
    area = harmoniser.counts(area, area_columns, "municipalities", log, catalogue.AREAS,
                             keys=("code",))
    area[area_columns] = area[area_columns].round(2)
    if set(area["code"]) != codes:
        raise BuildError("area_km2.csv: codes differ from the division after harmonising")
    log.add("municipalities", "land and total area from area_km2.csv (NLS figures via a "
                              "secondary source)")
    key = key.merge(area, on="code", how="left", validate="1:1")

    localities = read_csv(inputs.path(catalogue.CENTRAL_LOCALITIES))
    stale = localities[~localities["code"].isin(codes)]
    if len(stale):
        log.add("municipalities", "central_localities.csv: dropped rows of municipalities not in "
                                  "the division: " + ", ".join(
                                      f"{c} {n.title()}" for c, n in zip(stale["code"], stale["label"])))
    localities = localities[localities["code"].isin(codes)].copy()
    localities["lon"] = localities["lon"].astype(float)
    localities["lat"] = localities["lat"].astype(float)
    localities["location_source"] = "NLS central locality"
    missing = sorted(codes - set(localities["code"]))
    if missing:
        points = boundaries.set_index("code").loc[missing].geometry.representative_point()
        filled = pd.DataFrame({"code": missing, "lon": points.x.round(6).to_numpy(),
                               "lat": points.y.round(6).to_numpy(),
                               "location_source": "representative point of boundary polygon"})
        localities = pd.concat([localities, filled], ignore_index=True)
        log.add("municipalities", "central_localities.csv lacks " + ", ".join(missing)
                + ": lon/lat filled with a representative point inside the municipality's polygon")
    key = key.merge(localities[["code", "lon", "lat", "location_source"]], on="code",
                    how="left", validate="1:1")
    return key.sort_values("code").reset_index(drop=True)
