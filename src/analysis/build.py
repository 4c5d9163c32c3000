"""Rebuild the committed data snapshot (``data/``) from the raw inputs inside the project.

Everything the build reads lives in the repository: the official files in ``data/raw/``
(each with a sidecar giving publisher, table, periods, division, route, update date,
licence and sha256; see :mod:`analysis.raw`) and the hand-curated facts in
``data/curated/`` (partnerships and memberships, and the table of merged municipalities).
On a fresh clone ``analysis data build`` therefore reproduces ``data/`` byte for byte.

The inputs come on several municipal divisions; the snapshot holds everything on the
division of the municipality key table (its sidecar names it). A merger is harmonised by
summing the absorbed municipality's counts and areas into its successor for the years
before it, and by dissolving the polygons; the curated merger table says which codes merged
into which and when. Every step is counted and written into ``datapackage.json``.

Where two sources give the same municipality-year, Statistics Finland's own table wins
over a copy from another route; every difference between them is counted and recorded.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from . import __version__, pxweb, raw
from .i18n import format_years
from .paths import (BOUNDARIES_FILE, DATAPACKAGE_FILE, MERGERS_FILE, RAW_DIR, SOURCES_DIR,
                    TABLE_FILES)

KEY_TABLE = "municipalities_2025.csv"  # the file name the publisher's route gave it
POPULATION_11RE = "population_1972_2023_division2024.csv"
POPULATION_LAYER = "population_2024_division2025.csv"
POPULATION_THL = "population_2000_2022.csv"
JOBS_FILE = "jobs_2020.csv"
BOUNDARIES_TOPO = "geo/municipalities_2021_4500k.topo.json"


class BuildError(RuntimeError):
    """The inputs do not look as the build expects (a new quirk): stop, don't guess."""


@dataclass
class BuildLog:
    """What the build did to each table, for datapackage.json."""

    steps: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, dict] = field(default_factory=dict)  # structured facts per table

    def add(self, table: str, text: str) -> None:
        self.steps.setdefault(table, []).append(text)


@dataclass
class Inputs:
    """The raw folder, its verified sidecars, and the curated folder."""

    raw: Path
    curated: Path
    meta: dict[str, dict]  # path relative to raw (posix) -> sidecar

    def path(self, name: str) -> Path:
        if name not in self.meta:
            raise BuildError(f"{self.raw / name}: raw input missing (or without sidecar)")
        return self.raw / name

    def sidecar(self, name: str) -> dict:
        self.path(name)
        return self.meta[name]

    def pxweb_files(self, table_id: str) -> list[Path]:
        return [self.raw / name for name, meta in sorted(self.meta.items())
                if name.startswith("pxweb/") and meta["table_id"] == table_id]


# --------------------------------------------------------------------------- reading
def _read_csv(path: Path, code_columns=("code",)) -> pd.DataFrame:
    """Read an input CSV as text (codes keep their zeros), strictly UTF-8."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BuildError(f"{path}: not valid UTF-8 ({exc})") from None
    for column in code_columns:
        bad = frame.index[~frame[column].str.fullmatch(r"\d{3}")]
        if len(bad):
            row = bad[0]
            raise BuildError(
                f"{path}: row {row + 1} (line {row + 2}), column '{column}': "
                f"code {frame.at[row, column]!r} is not three digits")
    return frame


def _strip_whitespace(frame: pd.DataFrame, table: str, log: BuildLog) -> pd.DataFrame:
    for column in frame.columns:
        stripped = frame[column].str.strip()
        changed = frame[column] != stripped
        if changed.any():
            examples = ", ".join(repr(v) for v in frame.loc[changed, column].unique()[:3])
            log.add(table, f"stripped leading/trailing white space from {int(changed.sum())} "
                           f"value(s) of column {column} (e.g. {examples})")
            frame[column] = stripped
    return frame


def read_mergers(curated: Path) -> pd.DataFrame:
    """The curated table of merged municipalities: code, name, successor, date (ISO)."""
    path = curated / MERGERS_FILE
    if not path.exists():
        raise BuildError(f"{path}: curated merger table missing")
    frame = _read_csv(path, code_columns=("code", "successor"))
    if list(frame.columns) != ["code", "name", "successor", "date"]:
        raise BuildError(f"{path}: columns must be code, name, successor, date")
    bad = ~frame["date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    if bad.any():
        row = int(bad.idxmax())
        raise BuildError(f"{path}: row {row + 1} (line {row + 2}), column 'date': "
                         f"{frame.at[row, 'date']!r} is not an ISO date")
    if frame["code"].duplicated().any():
        raise BuildError(f"{path}: a code is listed twice")
    return frame.sort_values(["date", "code"], ascending=[False, True]).reset_index(drop=True)


class Harmoniser:
    """Maps codes of older divisions onto the snapshot's division through the merger table."""

    def __init__(self, mergers: pd.DataFrame, division_year: int, codes: set[str]):
        self.codes = codes
        self.division_year = division_year
        effective = mergers[mergers["date"] <= f"{division_year}-01-01"]
        self.successor = dict(zip(effective["code"], effective["successor"]))
        self.date = dict(zip(effective["code"], effective["date"]))

    def target(self, code: str) -> str:
        seen = set()
        while code in self.successor and code not in seen:
            seen.add(code)
            code = self.successor[code]
        return code

    def counts(self, frame: pd.DataFrame, values: list[str], table: str, log: BuildLog,
               source: str, keys=("code", "year")) -> pd.DataFrame:
        """Sum absorbed municipalities into their successor; fail on any other unknown code."""
        frame = frame.copy()
        for old in sorted(set(frame["code"]) - self.codes):
            new = self.target(old)
            if new == old:
                continue
            rows = frame["code"] == old
            years = ""
            if "year" in frame:
                years = f", years {frame.loc[rows, 'year'].min()}–{frame.loc[rows, 'year'].max()}"
            log.add(table, f"{source}: summed {int(rows.sum())} row(s) of {old} into {new} "
                           f"(merger of {self.date[old]}){years}")
            frame.loc[rows, "code"] = new
        stray = sorted(set(frame["code"]) - self.codes)
        if stray:
            raise BuildError(f"{source}: codes not in the {self.division_year} division and not in "
                             f"the curated merger table (data/curated/{MERGERS_FILE}): {stray}")
        group_keys = [k for k in keys if k in frame]
        return frame.groupby(group_keys, as_index=False, sort=True)[values].sum()


# --------------------------------------------------------------------------- tables
def read_key_table(inputs: Inputs, log: BuildLog) -> tuple[pd.DataFrame, int]:
    """The municipality key table and the year of its division (from its sidecar)."""
    key = _strip_whitespace(_read_csv(inputs.path(KEY_TABLE)), "municipalities", log)
    division = inputs.sidecar(KEY_TABLE)["municipal_division"]
    if key["code"].duplicated().any():
        raise BuildError(f"{KEY_TABLE}: duplicate codes {sorted(key.loc[key['code'].duplicated(), 'code'])}")
    return key, int(division)


def build_municipalities(inputs: Inputs, log: BuildLog, key: pd.DataFrame, boundaries,
                         harmoniser: Harmoniser) -> pd.DataFrame:
    key = key.copy()
    codes = set(key["code"])

    cities = _read_csv(inputs.path("cities_2023.csv"))
    unknown = sorted(set(cities["code"]) - codes)
    if unknown:
        raise BuildError(f"cities_2023.csv: codes not in the division: {unknown}")
    key["is_city"] = key["code"].isin(cities["code"])
    adopted = cities.set_index("code")["title_adopted"].replace("", pd.NA)
    key["city_title_adopted"] = key["code"].map(adopted)
    city_meta = inputs.sidecar("cities_2023.csv")
    log.add("municipalities", f"is_city from cities_2023.csv ({len(cities)} cities, "
                              f"{city_meta['periods'][0]}; secondary source), assumed unchanged "
                              f"since: no later adoption of the title is known")

    area_columns = ["land_area_km2", "total_area_km2"]
    area = _read_csv(inputs.path("area_km2.csv")).astype({c: float for c in area_columns})
    area = harmoniser.counts(area, area_columns, "municipalities", log, "area_km2.csv",
                             keys=("code",))
    area[area_columns] = area[area_columns].round(2)
    if set(area["code"]) != codes:
        raise BuildError("area_km2.csv: codes differ from the division after harmonising")
    log.add("municipalities", "land and total area from area_km2.csv (NLS figures via a "
                              "secondary source)")
    key = key.merge(area, on="code", how="left", validate="1:1")

    localities = _read_csv(inputs.path("central_localities.csv"))
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
    path = inputs.path(POPULATION_11RE)
    wide = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    year_columns = [c for c in wide.columns if c.isdigit()]
    country = wide[wide["alue_code"] == pxweb.COUNTRY]
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
    _country_check(POPULATION_11RE, long, totals, log)
    return harmoniser.counts(long, ["population"], "population", log, POPULATION_11RE)


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
        _check_division_codes(path, "11re", set(municipal["code"]), harmoniser, log)
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
    layer = _read_csv(inputs.path(POPULATION_LAYER)).astype({"year": int, "population": int})
    layer = harmoniser.counts(layer, ["population"], "population", log, POPULATION_LAYER)
    thl = _read_csv(inputs.path(POPULATION_THL)).astype({"year": int, "population": int})
    if thl.duplicated(["code", "year"]).any():
        raise BuildError(f"{POPULATION_THL}: duplicate (code, year) rows")
    thl = harmoniser.counts(thl, ["population"], "population", log, POPULATION_THL)

    ranked = [(f"pxweb/{f}", g[["code", "year", "population"]])
              for f, g in stat_api.groupby("file", sort=True)] + [
        (POPULATION_11RE, stat_csv), (POPULATION_LAYER, layer), (POPULATION_THL, thl)]
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
    note = {"compared": f"{POPULATION_THL} vs {POPULATION_11RE}",
            "municipality_years_compared": int(len(compared)),
            "municipality_years_differing": int(len(differing)),
            "years_with_differences": sorted(int(y) for y in differing["year"].unique()),
            "winner": POPULATION_11RE}
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
                          f"between {POPULATION_THL} (THL copy) and {POPULATION_11RE} "
                          "(Statistics Finland's own table); the latter is used"
            + (f"; largest: {largest['code']} {int(largest['year'])}, "
               f"{int(largest['population_thl'])} vs {int(largest['population_11re'])}"
               if largest is not None else ""))
    return population.sort_values(["code", "year"]).reset_index(drop=True)


def _check_division_codes(path: Path, table_id: str, found: set[str], harmoniser: Harmoniser,
                          log: BuildLog) -> set[str]:
    """Municipality codes of a response against the division; returns the codes to drop.

    A pseudo-code of the classification (199 "municipality unknown", 200 "abroad") is
    dropped and reported; any other code outside the division, or a division municipality
    missing, means the response is on another division: stop and name the codes.
    """
    unknown = sorted(found - harmoniser.codes)
    pseudo = [c for c in unknown if c in pxweb.PSEUDO_MUNICIPALITIES]
    foreign = [c for c in unknown if c not in pxweb.PSEUDO_MUNICIPALITIES]
    gone = sorted(harmoniser.codes - found)
    if foreign or gone:
        parts = []
        if foreign:
            parts.append(f"codes not in the {harmoniser.division_year} division: {foreign}")
        if gone:
            parts.append(f"division municipalities missing: {gone}")
        raise BuildError(f"{path}: table {table_id} is on another municipal division ("
                         + "; ".join(parts) + f"); add the mergers to data/curated/{MERGERS_FILE} "
                         "and rebuild")
    if pseudo:
        log.add("indicators", f"pxweb/{path.name}: left out code(s) that name no municipality: "
                + ", ".join(f"KU{c} ({pxweb.PSEUDO_MUNICIPALITIES[c]})" for c in pseudo))
    return set(pseudo)


def build_indicators(inputs: Inputs, log: BuildLog, harmoniser: Harmoniser
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tidy indicators table (municipalities) and the whole country's values."""
    by_table: dict[str, list] = {}
    for indicator in pxweb.INDICATORS.values():
        by_table.setdefault(indicator.table_id, []).append(indicator)
    municipal_rows, country_rows = [], []
    for table_id, indicators in sorted(by_table.items()):
        files = inputs.pxweb_files(table_id)
        if not files:
            raise BuildError(f"no raw PxWeb response for table {table_id} in {inputs.raw / 'pxweb'}")
        for path in files:
            response = pxweb.read_response(path)
            areas = pxweb.split_areas(response.frame)
            dropped_kinds = areas["other"]["area"].str.extract(r"^([A-Z]+)", expand=False)
            if len(dropped_kinds):
                counts = dropped_kinds.value_counts().sort_index()
                log.add("indicators", f"pxweb/{path.name}: kept municipalities (KU) and the whole "
                        "country (SSS); left out " + ", ".join(
                            f"{n // len(response.frame['variable'].unique())} {k}"
                            for k, n in counts.items()) + " rows of other area kinds")
            municipal = areas["municipality"]
            drop = _check_division_codes(path, table_id, set(municipal["code"]), harmoniser,
                                         log)
            municipal = municipal[~municipal["code"].isin(drop)]
            for indicator in indicators:
                for kind, frame in (("municipality", municipal), ("country", areas["country"])):
                    rows = frame[frame["variable"] == indicator.column]
                    value, reason = pxweb.numeric(rows["text"])
                    out = pd.DataFrame({
                        "indicator": indicator.name, "period": rows["period"].astype(str),
                        "year": rows["period"].map(pxweb.period_year), "value": value,
                        "unit": indicator.unit, "source_table": table_id,
                        "missing_reason": reason, "updated": response.updated,
                        "file": path.name})
                    if kind == "municipality":
                        out.insert(0, "code", rows["code"].to_numpy())
                        municipal_rows.append(out)
                    else:
                        country_rows.append(out)
    keys = ["code", "indicator", "period"]
    indicators = (pd.concat(municipal_rows, ignore_index=True).sort_values(["updated", "file"])
                  .drop_duplicates(keys, keep="last").drop(columns=["updated", "file"])
                  .sort_values(keys).reset_index(drop=True))
    country = (pd.concat(country_rows, ignore_index=True).sort_values(["updated", "file"])
               .drop_duplicates(keys[1:], keep="last").drop(columns=["updated", "file"])
               .sort_values(keys[1:]).reset_index(drop=True))
    missing = indicators[indicators["value"].isna()]
    if len(missing):
        summary = missing.groupby(["indicator", "missing_reason"]).size()
        log.add("indicators", "values the source does not give, kept as missing with the "
                "source's reason: " + "; ".join(f"{ind} {n}× ({why})"
                                                for (ind, why), n in summary.items()))
    per = indicators.groupby("code").size()
    log.add("indicators", f"{len(pxweb.INDICATORS)} indicators from tables "
            f"{', '.join(sorted(by_table))}; {per.min()}–{per.max()} rows per municipality")
    return indicators, country


def build_jobs(inputs: Inputs, log: BuildLog, harmoniser: Harmoniser) -> pd.DataFrame:
    jobs = _read_csv(inputs.path(JOBS_FILE)).astype({"year": int, "jobs": int})
    jobs = harmoniser.counts(jobs, ["jobs"], "jobs", log, JOBS_FILE)
    if set(jobs["code"]) != harmoniser.codes:
        raise BuildError(f"{JOBS_FILE}: codes differ from the division after harmonising")
    frames = []
    for path in inputs.pxweb_files("115p"):  # newer years, fetched by `analysis data refresh`
        response = pxweb.read_response(path)
        areas = pxweb.split_areas(response.frame)
        municipal = areas["municipality"]
        drop = _check_division_codes(path, "115p", set(municipal["code"]), harmoniser, log)
        municipal = municipal[~municipal["code"].isin(drop)]
        values, reasons = pxweb.numeric(municipal["text"])
        if reasons.notna().any():
            raise BuildError(f"{path}: table 115p: jobs missing for "
                             f"{sorted(municipal.loc[reasons.notna(), 'code'])}")
        frame = pd.DataFrame({"code": municipal["code"], "year": municipal["period"].astype(int),
                              "jobs": values.astype(int)})
        country = areas["country"].set_index(areas["country"]["period"].astype(int))["text"]
        for year_value, total in country.astype(int).items():
            found = int(frame.loc[frame["year"] == year_value, "jobs"].sum())
            if found != total:
                raise BuildError(f"{path}: year {year_value}: municipalities sum to {found}, "
                                 f"the table's whole-country row says {total}")
        frame["file"], frame["updated"] = path.name, response.updated
        frames.append(frame)
        log.add("jobs", f"pxweb/{path.name}: years {format_years(frame['year'].unique())} "
                        "(table 115p); municipalities sum to the whole-country row")
    if frames:
        api = (pd.concat(frames).sort_values(["updated", "file"])
               .drop_duplicates(["code", "year"], keep="last"))
        jobs = pd.concat([jobs[~jobs["year"].isin(set(api["year"]))],
                          api[["code", "year", "jobs"]]], ignore_index=True)
    return jobs.sort_values(["code", "year"]).reset_index(drop=True)


def build_boundaries(inputs: Inputs, log: BuildLog, harmoniser: Harmoniser):
    import geopandas as gpd

    path = inputs.path(BOUNDARIES_TOPO)
    shapes = gpd.read_file(path, layer="munis")
    # TopoJSON carries no CRS; the publisher's README states WGS84 longitude/latitude.
    shapes = shapes.set_crs("EPSG:4326", allow_override=True)
    shapes = shapes.rename(columns={"id": "code"})[["code", "geometry"]]
    for old in sorted(set(shapes["code"]) - harmoniser.codes):
        new = harmoniser.target(old)
        if new != old:
            log.add("boundaries", f"dissolved polygon of {old} into {new} "
                                  f"(merger of {harmoniser.date[old]})")
            shapes.loc[shapes["code"] == old, "code"] = new
    shapes = shapes.dissolve(by="code", as_index=False, sort=True)
    if set(shapes["code"]) != harmoniser.codes:
        raise BuildError(f"{BOUNDARIES_TOPO}: codes differ from the division after dissolving")
    shapes["geometry"] = shapes.geometry.make_valid()
    return shapes.sort_values("code").reset_index(drop=True)


def _line_range(text: str) -> tuple[int, int]:
    first, _, last = str(text).partition("-")
    return int(first), int(last or first)


def check_evidence(spec: dict, sources_dir: Path, curated: Path) -> list[str]:
    """Check every membership against its source document; return the documents checked.

    Within the partnership's ``source_lines`` of the document, the partnership's
    ``named_in_source`` and each member's ``evidence`` must both occur. The documents'
    sentences are never copied into the project: only line numbers and names are kept.
    """
    files = {s["source_id"]: s["file"] for s in spec["sources"]}
    checked = set()
    for item in spec["partnerships"]:
        pid, doc = item["partnership_id"], Path(sources_dir) / files[item["source_id"]]
        if not doc.exists():
            raise BuildError(f"{doc}: source document missing (needed to check {pid})")
        lines = doc.read_text(encoding="utf-8").splitlines()
        first, last = _line_range(item["source_lines"])
        if not 1 <= first <= last <= len(lines):
            raise BuildError(f"{curated}: {pid}: source_lines {item['source_lines']} outside "
                             f"{doc.name} (1–{len(lines)})")
        window = "\n".join(lines[first - 1:last])
        if item["named_in_source"] not in window:
            raise BuildError(f"{curated}: {pid}: {item['named_in_source']!r} not found in "
                             f"{doc.name} lines {first}–{last}")
        for member in item["members"]:
            if member["evidence"] not in window:
                raise BuildError(f"{curated}: {pid}: evidence {member['evidence']!r} for "
                                 f"{member['name']} not found in {doc.name} lines {first}–{last}")
        checked.add(doc.name)
    return sorted(checked)


def build_partnerships(curated: Path, municipalities: pd.DataFrame, log: BuildLog,
                       sources_dir: Path | None = None):
    """Turn the curated YAML into three tables, resolving names (and checking evidence)."""
    path = curated / "partnerships.yaml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    by_name = {n: c for c, n in zip(municipalities["code"], municipalities["name_fi"])}
    sources = pd.DataFrame(spec["sources"])
    known_sources = set(sources["source_id"])

    partnership_rows, membership_rows = [], []
    for item in spec["partnerships"]:
        pid = item["partnership_id"]
        if item["source_id"] not in known_sources:
            raise BuildError(f"{path}: partnership {pid} cites unknown source {item['source_id']}")
        for key in ("source_lines", "named_in_source"):
            if not item.get(key):
                raise BuildError(f"{path}: partnership {pid} lacks {key}")
        host = item.get("host")
        partnership_rows.append({
            "partnership_id": pid, "name_fi": item["name_fi"], "name_en": item["name_en"],
            **{f"{form}_{lang}": item[f"{form}_{lang}"] for form in ("short", "abbr")
               for lang in ("fi", "en")},
            "kind": item["kind"], "host_code": by_name[host] if host else None,
            "date_stated": item.get("date_stated"), "date_note": item.get("date_note"),
            "source_id": item["source_id"],
            "description_fi": item["description_fi"], "description_en": item["description_en"],
        })
        for member in item["members"]:
            if member["name"] not in by_name:
                raise BuildError(f"{path}: {pid}: {member['name']!r} is not a municipality of "
                                 "the division")
            membership_rows.append({
                "partnership_id": pid, "code": by_name[member["name"]], "role": member["role"],
                "status": member["status"], "status_date": member.get("status_date"),
                "source_id": item["source_id"], "evidence": member["evidence"],
                "source_lines": str(item["source_lines"]),
            })
        if not item["members"]:
            log.add("memberships", f"{pid}: the source names no members; the partnership is kept "
                                   "with zero memberships")
    if sources_dir is not None and Path(sources_dir).exists():
        check_evidence(spec, Path(sources_dir), path)
    # The same words whether or not the documents were at hand: the snapshot must not
    # depend on where it was built. `analysis data check --sources DIR` and the tests verify.
    log.add("memberships", "each membership names the document lines (source_lines) where the "
                           "partnership and the city are named together; the build checks them "
                           "against the documents wherever these are present")
    partnerships = pd.DataFrame(partnership_rows)
    memberships = pd.DataFrame(membership_rows).sort_values(["partnership_id", "code"])
    return sources, partnerships, memberships.reset_index(drop=True)


# --------------------------------------------------------------------------- writing
def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    # Fixed line ending and float format: the file is byte-identical between runs.
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", float_format="%.6g")


def _write_gpkg(shapes, path: Path, stamp: str) -> None:
    # GeoPackage stores a "last change" time stamp; pin it so the file is reproducible.
    import pyogrio

    if path.exists():
        path.unlink()
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": stamp})
    try:
        shapes.to_file(path, driver="GPKG", layer="municipalities", engine="pyogrio",
                       SPATIAL_INDEX="NO")
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})


def build_snapshot(raw_dir: Path | None = None, output: Path | None = None,
                   sources_dir: Path | None = None, curated: Path | None = None) -> dict:
    """Rebuild every table of the snapshot from ``raw_dir`` into ``output``; return the package.

    ``raw_dir`` defaults to ``output/raw`` and ``curated`` to ``output/curated`` (or, with
    neither output nor raw given, the project's ``data/``). The source documents, where
    ``sources_dir`` (default: ``../shared/sources`` beside the project) exists, are used to
    check the memberships' evidence; the output does not depend on whether they exist.
    """
    from .provenance import datapackage

    if output is None:
        output = Path(raw_dir).parent if raw_dir is not None else RAW_DIR.parent
    output = Path(output)
    raw_dir = Path(raw_dir) if raw_dir is not None else output / "raw"
    curated = Path(curated) if curated is not None else output / "curated"
    sources_dir = SOURCES_DIR if sources_dir is None else Path(sources_dir)
    try:
        meta = {p.relative_to(raw_dir).as_posix(): m for p, m in raw.inventory(raw_dir).items()}
    except raw.RawInputError as exc:
        raise BuildError(str(exc)) from None
    inputs = Inputs(raw=raw_dir, curated=curated, meta=meta)
    log = BuildLog()
    try:
        key, division_year = read_key_table(inputs, log)
        mergers = read_mergers(curated)
        harmoniser = Harmoniser(mergers, division_year, set(key["code"]))
        boundaries = build_boundaries(inputs, log, harmoniser)
        municipalities = build_municipalities(inputs, log, key, boundaries, harmoniser)
        population = build_population(inputs, log, harmoniser)
        jobs = build_jobs(inputs, log, harmoniser)
        indicators, country = build_indicators(inputs, log, harmoniser)
    except pxweb.PxWebFormatError as exc:
        raise BuildError(str(exc)) from None
    sources, partnerships, memberships = build_partnerships(curated, municipalities, log,
                                                            sources_dir)
    tables = {"municipalities": municipalities, "population": population, "jobs": jobs,
              "sources": sources, "partnerships": partnerships, "memberships": memberships,
              "indicators": indicators, "country_indicators": country, "mergers": mergers}

    output.mkdir(parents=True, exist_ok=True)
    # Write into a temporary folder first, then move: a failed build leaves data/ untouched.
    with tempfile.TemporaryDirectory(dir=output) as tmp:
        tmp = Path(tmp)
        for name, frame in tables.items():
            _write_csv(frame, tmp / TABLE_FILES[name])
        _write_gpkg(boundaries, tmp / BOUNDARIES_FILE, stamp=f"{division_year}-01-01T00:00:00Z")
        package = datapackage(tables, log, inputs, tmp, builder_version=__version__,
                              division_year=division_year)
        (tmp / DATAPACKAGE_FILE).write_text(
            json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        for item in tmp.iterdir():
            os.replace(item, output / item.name)
    return package
