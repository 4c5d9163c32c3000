"""Rebuild the committed data snapshot (``data/``) from the official reference files.

The reference files come on two municipal divisions (2025: 308 municipalities; 2021–2024:
309). The only difference is the merger of Pertunmaa (588) into Mäntyharju (507) on
1 January 2025, so the build harmonises everything to 2025 by summing Pertunmaa into
Mäntyharju (counts and areas) and dissolving the two polygons. Every such step is counted
and written into ``datapackage.json`` so that a reader can see what was done to the data.

The output is deterministic: running the build twice gives byte-identical files.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from . import DIVISION_YEAR, EXPECTED_MUNICIPALITIES, __version__
from .names import FORMER_MUNICIPALITIES
from .paths import BOUNDARIES_FILE, CURATED_DIR, DATAPACKAGE_FILE, TABLE_FILES

# Mergers between the reference files' divisions (2021–2024) and the 2025 division:
# absorbed code -> (successor code, year the merger took effect). Older mergers' codes
# (Honkajoki, Tarvasjoki) appear only as stale rows, which the build drops.
MERGERS_INTO_2025 = {code: (successor, year)
                     for code, (_name, successor, year) in FORMER_MUNICIPALITIES.items()
                     if year == DIVISION_YEAR}


class BuildError(RuntimeError):
    """The reference files do not look as the build expects (a new quirk): stop, don't guess."""


@dataclass
class BuildLog:
    """What the build did to each table, for datapackage.json."""

    steps: dict[str, list[str]] = field(default_factory=dict)

    def add(self, table: str, text: str) -> None:
        self.steps.setdefault(table, []).append(text)


# --------------------------------------------------------------------------- reading
def _read_reference_csv(path: Path, code_columns=("code",)) -> pd.DataFrame:
    """Read a reference CSV as text (codes keep their zeros), strictly UTF-8."""
    if not path.exists():
        raise BuildError(f"{path}: reference file missing")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BuildError(f"{path}: not valid UTF-8 ({exc})") from exc
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


def _harmonise_counts(frame: pd.DataFrame, values: list[str], table: str, log: BuildLog,
                      keys=("code", "year")) -> pd.DataFrame:
    """Sum absorbed municipalities into their 2025 successor (per year where there is one)."""
    frame = frame.copy()
    for old, (new, year) in MERGERS_INTO_2025.items():
        rows = frame["code"] == old
        if rows.any():
            years = ""
            if "year" in frame:
                years = f", years {frame.loc[rows, 'year'].min()}–{frame.loc[rows, 'year'].max()}"
            log.add(table, f"summed {int(rows.sum())} row(s) of {old} into {new} "
                           f"(merger of 1 Jan {year}){years}")
            frame.loc[rows, "code"] = new
    group_keys = [k for k in keys if k in frame]
    return frame.groupby(group_keys, as_index=False, sort=True)[values].sum()


# --------------------------------------------------------------------------- tables
def read_key_table(ref: Path, log: BuildLog) -> pd.DataFrame:
    """The 2025 municipality key table: the division every other input is checked against."""
    key = _strip_whitespace(_read_reference_csv(ref / "municipalities_2025.csv"),
                            "municipalities", log)
    if len(key) != EXPECTED_MUNICIPALITIES or key["code"].duplicated().any():
        raise BuildError(f"municipalities_2025.csv: expected {EXPECTED_MUNICIPALITIES} "
                         f"unique codes, found {key['code'].nunique()} in {len(key)} rows")
    return key


def build_municipalities(ref: Path, log: BuildLog, key: pd.DataFrame, boundaries) -> pd.DataFrame:
    key = key.copy()
    codes = set(key["code"])

    cities = _read_reference_csv(ref / "cities_2023.csv")
    unknown = sorted(set(cities["code"]) - codes)
    if unknown:
        raise BuildError(f"cities_2023.csv: codes not in the 2025 division: {unknown}")
    key["is_city"] = key["code"].isin(cities["code"])
    adopted = cities.set_index("code")["title_adopted"].replace("", pd.NA)
    key["city_title_adopted"] = key["code"].map(adopted)
    log.add("municipalities", f"is_city from cities_2023.csv ({len(cities)} cities; secondary "
                              "source), assumed unchanged 2023–2025")

    area = _read_reference_csv(ref / "area_km2.csv")
    area_columns = ["land_area_km2", "total_area_km2"]
    area = area.astype({c: float for c in area_columns})
    area = _harmonise_counts(area, area_columns, "municipalities", log, keys=("code",))
    area[area_columns] = area[area_columns].round(2)
    if set(area["code"]) != codes:
        raise BuildError("area_km2.csv: codes differ from the 2025 division after harmonising")
    log.add("municipalities", "land and total area from area_km2.csv (NLS figures via a "
                              "secondary source)")
    key = key.merge(area, on="code", how="left", validate="1:1")

    localities = _read_reference_csv(ref / "central_localities.csv")
    stale = localities[~localities["code"].isin(codes)]
    if len(stale):
        log.add("municipalities", "central_localities.csv: dropped rows of municipalities not in "
                                  "the 2025 division: " + ", ".join(
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


def build_population(ref: Path, log: BuildLog, codes: set[str]) -> pd.DataFrame:
    old = _read_reference_csv(ref / "population_2000_2022.csv")
    new = _read_reference_csv(ref / "population_2024_division2025.csv")
    frames = []
    for name, frame in (("population_2000_2022.csv", old), ("population_2024_division2025.csv", new)):
        frame = frame.astype({"year": int, "population": int})
        if frame.duplicated(["code", "year"]).any():
            raise BuildError(f"{name}: duplicate (code, year) rows")
        frames.append(frame)
    old = _harmonise_counts(frames[0], ["population"], "population", log)
    population = pd.concat([old, frames[1]], ignore_index=True)
    stray = sorted(set(population["code"]) - codes)
    if stray:
        raise BuildError(f"population: codes not in the 2025 division after harmonising: {stray}")
    log.add("population", "2000–2022 (Sotkanet, 2021–2024 division) and 2024 (2025 division) "
                          "joined; 2023 is not in the inputs and is not filled")
    return population.sort_values(["code", "year"]).reset_index(drop=True)


def build_jobs(ref: Path, log: BuildLog, codes: set[str]) -> pd.DataFrame:
    jobs = _read_reference_csv(ref / "jobs_2020.csv").astype({"year": int, "jobs": int})
    jobs = _harmonise_counts(jobs, ["jobs"], "jobs", log)
    if set(jobs["code"]) != codes:
        raise BuildError("jobs_2020.csv: codes differ from the 2025 division after harmonising")
    return jobs.sort_values(["code", "year"]).reset_index(drop=True)


def build_boundaries(ref: Path, log: BuildLog, codes: set[str]):
    import geopandas as gpd

    path = ref / "geo" / "municipalities_2021_4500k.topo.json"
    if not path.exists():
        raise BuildError(f"{path}: reference file missing")
    shapes = gpd.read_file(path, layer="munis")
    # TopoJSON carries no CRS; the publisher's README states WGS84 longitude/latitude.
    shapes = shapes.set_crs("EPSG:4326", allow_override=True)
    shapes = shapes.rename(columns={"id": "code"})[["code", "geometry"]]
    for old, (new, year) in MERGERS_INTO_2025.items():
        if (shapes["code"] == old).any():
            log.add("boundaries", f"dissolved polygon of {old} into {new} (merger of 1 Jan {year})")
            shapes.loc[shapes["code"] == old, "code"] = new
    shapes = shapes.dissolve(by="code", as_index=False, sort=True)
    if set(shapes["code"]) != codes:
        raise BuildError("boundaries: codes differ from the 2025 division after dissolving")
    shapes["geometry"] = shapes.geometry.make_valid()
    return shapes.sort_values("code").reset_index(drop=True)


def build_partnerships(curated: Path, sources_dir: Path | None, municipalities: pd.DataFrame,
                       log: BuildLog):
    """Turn the curated YAML into three tables, resolving names and checking evidence."""
    spec = yaml.safe_load(curated.read_text(encoding="utf-8"))
    by_name = {n: c for c, n in zip(municipalities["code"], municipalities["name_fi"])}
    sources = pd.DataFrame(spec["sources"])
    texts = {}
    for row in sources.itertuples():
        doc = sources_dir / row.file if sources_dir else None
        texts[row.source_id] = doc.read_text(encoding="utf-8") if doc and doc.exists() else None

    partnership_rows, membership_rows = [], []
    for item in spec["partnerships"]:
        pid = item["partnership_id"]
        if item["source_id"] not in texts:
            raise BuildError(f"{curated}: partnership {pid} cites unknown source {item['source_id']}")
        host = item.get("host")
        partnership_rows.append({
            "partnership_id": pid, "name_fi": item["name_fi"], "name_en": item["name_en"],
            "kind": item["kind"], "host_code": by_name[host] if host else None,
            "date_stated": item.get("date_stated"), "date_note": item.get("date_note"),
            "source_id": item["source_id"],
            "description_fi": item["description_fi"], "description_en": item["description_en"],
        })
        for member in item["members"]:
            if member["name"] not in by_name:
                raise BuildError(f"{curated}: {pid}: {member['name']!r} is not a 2025 municipality")
            text = texts[item["source_id"]]
            if text is not None and member["evidence"] not in text:
                raise BuildError(f"{curated}: {pid}: evidence {member['evidence']!r} not found in "
                                 f"source {item['source_id']}")
            membership_rows.append({
                "partnership_id": pid, "code": by_name[member["name"]], "role": member["role"],
                "status": member["status"], "status_date": member.get("status_date"),
                "source_id": item["source_id"], "evidence": member["evidence"],
            })
        if not item["members"]:
            log.add("memberships", f"{pid}: the source names no members; the partnership is kept "
                                   "with zero memberships")
    checked = [s for s, t in texts.items() if t is not None]
    log.add("memberships", "every membership's evidence string was "
            + (f"found verbatim in its source document ({', '.join(checked)})" if checked
               else "NOT checked (source documents not available at build time)"))
    partnerships = pd.DataFrame(partnership_rows)
    memberships = pd.DataFrame(membership_rows).sort_values(["partnership_id", "code"])
    return sources, partnerships, memberships.reset_index(drop=True)


# --------------------------------------------------------------------------- writing
def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    # Fixed line ending and float format: the file is byte-identical between runs.
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", float_format="%.6g")


def _write_gpkg(shapes, path: Path) -> None:
    # GeoPackage stores a "last change" time stamp; pin it so the file is reproducible.
    import pyogrio

    if path.exists():
        path.unlink()
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2025-01-01T00:00:00Z"})
    try:
        shapes.to_file(path, driver="GPKG", layer="municipalities", engine="pyogrio",
                       SPATIAL_INDEX="NO")
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})


def build_snapshot(source: Path, output: Path, sources_dir: Path | None = None,
                   curated: Path | None = None) -> dict:
    """Rebuild every table of the snapshot from ``source`` into ``output``; return the package."""
    from .provenance import datapackage

    source, output = Path(source), Path(output)
    curated = Path(curated) if curated else CURATED_DIR / "partnerships.yaml"
    if sources_dir is None:
        guess = source.parent / "sources"
        sources_dir = guess if guess.exists() else None
    log = BuildLog()
    key = read_key_table(source, log)
    boundaries = build_boundaries(source, log, set(key["code"]))
    municipalities = build_municipalities(source, log, key, boundaries)
    codes = set(municipalities["code"])
    population = build_population(source, log, codes)
    jobs = build_jobs(source, log, codes)
    sources, partnerships, memberships = build_partnerships(curated, sources_dir, municipalities, log)

    output.mkdir(parents=True, exist_ok=True)
    tables = {"municipalities": municipalities, "population": population, "jobs": jobs,
              "sources": sources, "partnerships": partnerships, "memberships": memberships}
    # Write into a temporary folder first, then move: a failed build leaves data/ untouched.
    with tempfile.TemporaryDirectory(dir=output) as tmp:
        tmp = Path(tmp)
        for name, frame in tables.items():
            _write_csv(frame, tmp / TABLE_FILES[name])
        _write_gpkg(boundaries, tmp / BOUNDARIES_FILE)
        package = datapackage(tables, log.steps, builder_version=__version__,
                              division_year=DIVISION_YEAR)
        (tmp / DATAPACKAGE_FILE).write_text(
            json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        for item in tmp.iterdir():
            os.replace(item, output / item.name)
    return package
