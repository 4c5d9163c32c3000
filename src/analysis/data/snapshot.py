"""Load the snapshot's tables as typed, validated DataFrames: the only door to the data.

Every table is validated on load (:mod:`analysis.data.validation`: schemas, relations
between the tables, checksums); a violation raises :class:`DataValidationError` naming the
file, the row (and its line in the file) and the column.

Loaded tables are cached per process, keyed by file path, size and modification time,
so a warm report worker reads each file once; callers always get a copy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.core.paths import BOUNDARIES_FILE, DATAPACKAGE_FILE, TABLE_FILES, data_dir
from analysis.core.text import format_months, format_years
from analysis.data import evidence, provenance, readset
from analysis.data.validation import DataValidationError, validate_folder  # noqa: F401


@dataclass(frozen=True)
class Snapshot:
    municipalities: pd.DataFrame
    population: pd.DataFrame
    jobs: pd.DataFrame
    commuting: pd.DataFrame
    unemployment: pd.DataFrame
    sources: pd.DataFrame
    partnerships: pd.DataFrame
    memberships: pd.DataFrame
    indicators: pd.DataFrame
    country_indicators: pd.DataFrame
    mergers: pd.DataFrame
    claims: pd.DataFrame
    similarity_measures: pd.DataFrame
    similar: pd.DataFrame
    folder: Path


def fingerprint(folder: Path) -> tuple:
    stats = []
    for file in sorted([*TABLE_FILES.values(), BOUNDARIES_FILE, DATAPACKAGE_FILE]):
        path = folder / file
        st = path.stat() if path.exists() else None
        stats.append((file, st.st_size if st else -1, st.st_mtime_ns if st else -1))
    return tuple(stats)


def snapshot_token(directory=None) -> tuple:
    """Names the data snapshot in use (folder and its files' sizes and times): what a
    result computed from the data is cached under."""
    folder = data_dir(directory)
    return folder, fingerprint(folder)


@lru_cache(maxsize=4)
def _load(folder: Path, fingerprint: tuple) -> Snapshot:
    return Snapshot(folder=folder, **validate_folder(folder))


def _cached(directory=None) -> Snapshot:
    """The validated snapshot shared by this process (callers copy what they hand out)."""
    folder = data_dir(directory)
    return _load(folder, fingerprint(folder))


def load(directory=None) -> Snapshot:
    """All tables, validated together. Cached; every DataFrame returned is a fresh copy."""
    readset.note("table", "*")  # every table (the renderer expands "*"); accessors note their own
    folder = data_dir(directory)
    cached = _load(folder, fingerprint(folder))
    return Snapshot(folder=folder, **{name: getattr(cached, name).copy() for name in TABLE_FILES})


def _accessor(name: str, doc: str = "") -> Callable[..., pd.DataFrame]:
    """``name(directory=None)``: one table of the snapshot (validated with all the others,
    a fresh copy), noted in the read set of the report reading it."""
    def read(directory=None) -> pd.DataFrame:
        with readset.table(name):
            return getattr(_cached(directory), name).copy()  # this table only, not all of them

    read.__name__ = read.__qualname__ = name
    read.__doc__ = doc or f"The {name} table (validated; a fresh copy)."
    return read


municipalities = _accessor("municipalities")
population = _accessor("population")
jobs = _accessor("jobs", "Jobs by workplace municipality: code, year, jobs (115p, every year "
                 "the data holds).")
commuting = _accessor("commuting", "Jobs by workplace municipality in two parts: code, year, "
                      "local_workers (working in their home municipality), in_commuters "
                      "(commuting in); local_workers + in_commuters = jobs.")
unemployment = _accessor("unemployment", "Unemployment rate at the end of each month held: "
                         "code, period (2007M01), year, month, value (%), missing_reason. "
                         "Months no source holds are not rows.")
partnerships = _accessor("partnerships")
memberships = _accessor("memberships")
sources = _accessor("sources")
indicators = _accessor("indicators", "Tidy indicators: code, indicator, period, year, value, "
                       "unit, source_table, missing_reason.")
country_indicators = _accessor("country_indicators", "The whole country's value of each "
                               "indicator and period (the tables' own SSS rows).")
claims = _accessor("claims", "Published claims the reports check: one row per claimed "
                   "figure (the curated data/curated/claims.yaml).")
mergers = _accessor("mergers", "Merged municipalities: code, name, successor, date (the "
                    "curated merger table).")

similarity_measures = _accessor(
    "similarity_measures", "The measures similar municipalities are found by: code, measure, "
    "value, period, source_table, weight, score (standardised), imputed "
    "(data/curated/similarity.yaml; see analysis.analyses.similar).")
similar = _accessor("similar", "Each municipality's most similar municipalities: code, rank "
                    "(1 = the most similar), similar_code, distance.")


def population_years(directory=None) -> list[int]:
    with readset.reading("column", "population", "year"):
        return sorted(int(y) for y in _cached(directory).population["year"].unique())


@lru_cache(maxsize=4)
def _boundaries(path: Path, mtime_ns: int):
    import geopandas as gpd

    try:
        shapes = gpd.read_file(path, layer="municipalities", engine="pyogrio")
    except Exception as exc:  # pyogrio raises its own DataSourceError/DataLayerError types
        raise DataValidationError(f"{path}: cannot be read as a GeoPackage "
                                  f"({str(exc).splitlines()[0]})") from None
    if shapes.crs is None:
        raise DataValidationError(f"{path}: no CRS recorded")
    expected = provenance.municipality_count(path.parent)
    if shapes["code"].duplicated().any() or len(shapes) != expected:
        raise DataValidationError(f"{path}: expected {expected} unique codes, "
                                  f"found {shapes['code'].nunique()} in {len(shapes)} rows")
    return shapes


def boundaries(directory=None, crs: str | None = "EPSG:3067"):
    """Municipal polygons (the snapshot's division) as a GeoDataFrame, by default in EPSG:3067."""
    readset.note("file", BOUNDARIES_FILE)
    folder = data_dir(directory)
    path = folder / BOUNDARIES_FILE
    if not path.exists():
        raise DataValidationError(f"{path}: boundaries missing; run `analysis data build`")
    shapes = _boundaries_in(path, path.stat().st_mtime_ns, crs)
    codes = set(_cached(directory).municipalities["code"])  # no copy needed
    unknown = sorted(set(shapes["code"]) - codes)
    if unknown:
        raise DataValidationError(f"{path}: codes not in municipalities: {unknown}")
    return shapes.copy()


@lru_cache(maxsize=4)
def _boundaries_in(path: Path, mtime_ns: int, crs: str | None):
    """The polygons projected once per process and CRS (every map of a warm worker reuses them)."""
    shapes = _boundaries(path, mtime_ns)
    return shapes.to_crs(crs) if crs else shapes


def check(directory=None, sources_dir=None) -> dict:
    """Validate everything and return a short summary (for ``analysis data check``).

    With ``sources_dir``, also check every membership's evidence against the documents.
    """
    snap = load(directory)
    shapes = boundaries(directory, crs=None)
    years = population_years(directory)
    if sources_dir is not None:
        evidence.check_snapshot(snap.folder, snap.memberships, Path(sources_dir))
    periods = provenance.indicator_periods(directory)
    per_municipality = snap.indicators.groupby("code")["indicator"].nunique()
    return {
        "folder": str(snap.folder),
        "division": provenance.division(directory),
        "municipalities": len(snap.municipalities),
        "cities": int(snap.municipalities["is_city"].sum()),
        "population rows": len(snap.population),
        "population years": format_years(years),
        "jobs rows": len(snap.jobs),
        "jobs years": format_years(snap.jobs["year"].unique()),
        "commuting years": format_years(snap.commuting["year"].unique()),
        "unemployment months": f"{format_months(snap.unemployment['period'].unique())} "
                               f"({int(snap.unemployment['value'].notna().sum())} municipality-"
                               f"months held, {int(snap.unemployment['value'].isna().sum())} "
                               "missing with reason)",
        "indicators": f"{len(periods)} ({', '.join(f'{k} {v[-1]}' for k, v in sorted(periods.items()))})",
        "indicator rows": f"{len(snap.indicators)} ({int(snap.indicators['value'].isna().sum())} "
                          f"missing with reason; {per_municipality.min()}–{per_municipality.max()} "
                          "indicators per municipality)",
        "similar municipalities": f"{int(snap.similar['rank'].max())} per municipality over "
                                  f"{snap.similarity_measures['measure'].nunique()} measures "
                                  f"({int(snap.similarity_measures['imputed'].sum())} values "
                                  "imputed)",
        "partnerships": len(snap.partnerships),
        "memberships": len(snap.memberships),
        "mergers": len(snap.mergers),
        "boundary polygons": len(shapes),
        "boundaries CRS": shapes.crs.to_string(),
        "evidence": "checked against " + str(sources_dir) if sources_dir else "not checked "
                    "(give --sources)",
    }
