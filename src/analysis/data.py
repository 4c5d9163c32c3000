"""Load the snapshot's tables as typed, validated DataFrames: the only door to the data.

Every table is read as text, converted column by column to the declared type (a value
that does not convert is an error, never a silent NaN), then validated against its
pandera schema and against the other tables (foreign keys, 308 municipalities, every
municipality present in every year). A violation raises :class:`DataValidationError`
naming the file, the row (and its line in the file) and the column.

Loaded tables are cached per process, keyed by file path, size and modification time,
so a warm report worker reads each file once; callers always get a copy.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from . import provenance, readset
from .i18n import format_years
from .paths import BOUNDARIES_FILE, DATAPACKAGE_FILE, TABLE_FILES, data_dir
from .schemas import FOREIGN_KEYS, SCHEMAS


class DataValidationError(ValueError):
    """A table in the snapshot breaks its declared schema."""


def _line_of(row: int) -> int:
    return row + 2  # one header line, rows counted from 0


def _problem(path: Path, row, column, message: str) -> str:
    where = f"{path}"
    if row is not None:
        where += f": row {row} (line {_line_of(row)})"
    if column is not None:
        where += f", column '{column}'"
    return f"{where}: {message}"


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line_no = raw.count(b"\n", 0, exc.start) + 1
        header = raw.split(b"\n", 1)[0].decode("utf-8", "replace").split(",")
        field_no = raw[line_start:exc.start].count(b",")
        column = header[field_no] if field_no < len(header) else f"#{field_no + 1}"
        raise DataValidationError(
            f"{path}: row {line_no - 2} (line {line_no}), column '{column}': not valid UTF-8 "
            f"(byte {raw[exc.start]:#04x}); save the file as UTF-8") from None


def _convert(frame: pd.DataFrame, schema: pa.DataFrameSchema, path: Path) -> pd.DataFrame:
    """Cast text columns to the schema's types, failing on the first value that won't convert."""
    out = {}
    for name, column in schema.columns.items():
        if name not in frame:
            raise DataValidationError(_problem(path, None, name, "column missing"))
        values = frame[name]
        empty = values == ""
        dtype = str(column.dtype)
        if dtype.startswith(("int", "float")):
            converted = pd.to_numeric(values.where(~empty), errors="coerce")
            bad = converted.isna() & ~empty
            if dtype.startswith("int"):
                bad |= converted.notna() & (converted % 1 != 0)
        elif dtype == "bool":
            converted = values.map({"True": True, "False": False, "true": True, "false": False})
            bad = converted.isna() & ~empty
        else:
            converted, bad = values.where(~empty), pd.Series(False, index=values.index)
        if bad.any():
            row = int(bad.idxmax())
            raise DataValidationError(_problem(path, row, name,
                                               f"{values[row]!r} is not a valid {dtype}"))
        if empty.any() and not column.nullable:
            row = int(empty.idxmax())
            raise DataValidationError(_problem(path, row, name, "empty value in a required column"))
        if dtype.startswith("int") and not empty.any():
            converted = converted.astype("int64")
        elif dtype == "bool" and not empty.any():
            converted = converted.astype(bool)
        elif dtype == "str":
            converted = converted.astype(object)
        out[name] = converted
    extra = [c for c in frame.columns if c not in schema.columns]
    if extra:
        raise DataValidationError(_problem(path, None, extra[0], "column not in the declared schema"))
    return pd.DataFrame(out, index=frame.index)


def _schema_message(errors: SchemaErrors, path: Path, limit: int = 5) -> str:
    cases = errors.failure_cases
    lines = []
    for case in cases.head(limit).itertuples():
        row = None if pd.isna(case.index) else int(case.index)
        column = None if pd.isna(case.column) else case.column
        check = case.check
        if check == "multiple_fields_uniqueness":
            check = "the key (" + ", ".join(errors.schema.unique or []) + ") must be unique"
        lines.append(_problem(path, row, column, f"value {case.failure_case!r} fails {check}"))
    more = len(cases) - limit
    return "\n".join(lines) + (f"\n… and {more} more" if more > 0 else "")


def validate_table(name: str, frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Validate one typed table against its declared schema."""
    try:
        return SCHEMAS[name].validate(frame, lazy=True)
    except SchemaErrors as exc:
        raise DataValidationError(_schema_message(exc, path)) from None


def _check_shape(path: Path, text: str) -> None:
    """Empty file, header only, or a row with more or fewer fields than the header."""
    if not text.strip():
        raise DataValidationError(f"{path}: empty file (no header, no rows)")
    rows = csv.reader(io.StringIO(text))
    header = next(rows)
    n_rows = 0
    for n_rows, fields in enumerate(rows, start=1):
        if len(fields) != len(header):
            extra = len(fields) > len(header)
            column = f"#{len(header) + 1}" if extra else header[len(fields)]
            raise DataValidationError(_problem(
                path, n_rows - 1, column, f"{len(fields)} fields where the header has "
                f"{len(header)}" + (" (an extra field)" if extra else " (a field missing)")))
    if n_rows == 0:
        raise DataValidationError(f"{path}: header only, no data rows")


def read_table(name: str, path: Path) -> pd.DataFrame:
    """Read and validate one CSV table of the snapshot (no cross-table checks)."""
    if not path.exists():
        raise DataValidationError(f"{path}: table '{name}' missing; run `analysis data build`")
    text = _decode(path)
    _check_shape(path, text)
    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return validate_table(name, _convert(raw, SCHEMAS[name], path), path)


def check_integrity(folder: Path) -> dict:
    """Every file datapackage.json declares exists with the declared bytes, hash and rows.

    This is what catches a value cut short (``17740`` saved as ``177``): the row still
    passes its schema, but the file's sha256 no longer matches the one the build recorded.
    """
    try:
        package = provenance.load_datapackage(folder)
    except provenance.ProvenanceError as exc:
        raise DataValidationError(str(exc)) from None
    declared = {item["name"]: item for item in package["resources"]}
    for name, file in {**TABLE_FILES, "boundaries": BOUNDARIES_FILE}.items():
        path = folder / file
        item = declared.get(name)
        if item is None:
            raise DataValidationError(f"{folder / DATAPACKAGE_FILE}: declares no resource "
                                      f"{name!r} ({file}); run `analysis data build`")
        if not path.exists():
            raise DataValidationError(f"{path}: table '{name}' missing; run `analysis data build`")
        if path.stat().st_size == 0:
            raise DataValidationError(f"{path}: empty file (no header, no rows)")
        digest = provenance.file_digest(path)
        if digest != item["hash"]:
            rows = provenance.csv_rows(path) if file.endswith(".csv") else None
            detail = (f"; it has {rows} rows, datapackage.json declares {item['rows']}"
                      if rows is not None and rows != item["rows"] else "")
            raise DataValidationError(
                f"{path}: sha256 differs from the one datapackage.json records{detail}: the "
                "file changed after the build (edit data/raw or data/curated and run "
                "`analysis data build` instead)")
    return package


def _check_relations(tables: dict[str, pd.DataFrame], folder: Path, package: dict) -> None:
    municipalities = tables["municipalities"]
    if len(municipalities) != package["municipalities"]:
        raise DataValidationError(
            f"{folder / TABLE_FILES['municipalities']}: {len(municipalities)} municipalities, "
            f"expected {package['municipalities']} (the {package['municipal_division']} division)")
    for table, keys in FOREIGN_KEYS.items():
        frame = tables[table]
        for column, ref_table, ref_column in keys:
            known = set(tables[ref_table][ref_column])
            bad = frame[column].notna() & ~frame[column].isin(known)
            if bad.any():
                row = int(bad.idxmax())
                raise DataValidationError(_problem(
                    folder / TABLE_FILES[table], row, column,
                    f"{frame.at[row, column]!r} does not exist in {ref_table}.{ref_column}"))
    codes = set(municipalities["code"])
    for table in ("population", "jobs"):
        frame = tables[table]
        for year_value, group in frame.groupby("year"):
            missing = sorted(codes - set(group["code"]))
            if missing:
                raise DataValidationError(
                    f"{folder / TABLE_FILES[table]}: year {year_value} lacks municipalities "
                    f"{', '.join(missing[:10])}" + (" …" if len(missing) > 10 else ""))
    for name, frame in tables.items():
        declared = next((r["rows"] for r in package["resources"] if r["name"] == name), None)
        if len(frame) != declared:
            raise DataValidationError(f"{folder / TABLE_FILES[name]}: {len(frame)} rows, "
                                      f"datapackage.json declares {declared}")


@dataclass(frozen=True)
class Snapshot:
    municipalities: pd.DataFrame
    population: pd.DataFrame
    jobs: pd.DataFrame
    sources: pd.DataFrame
    partnerships: pd.DataFrame
    memberships: pd.DataFrame
    indicators: pd.DataFrame
    country_indicators: pd.DataFrame
    mergers: pd.DataFrame
    folder: Path


def _fingerprint(folder: Path) -> tuple:
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
    return folder, _fingerprint(folder)


@lru_cache(maxsize=4)
def _load(folder: Path, fingerprint: tuple) -> Snapshot:
    try:
        package = provenance.load_datapackage(folder)
    except provenance.ProvenanceError as exc:
        raise DataValidationError(str(exc)) from None
    # Schemas first: their messages name the row and column. The checksums then catch
    # what a schema cannot see (a value cut short that is still a valid number).
    tables = {name: read_table(name, folder / file) for name, file in TABLE_FILES.items()}
    _check_relations(tables, folder, package)
    check_integrity(folder)
    return Snapshot(folder=folder, **tables)


def _cached(directory=None) -> Snapshot:
    """The validated snapshot shared by this process (callers copy what they hand out)."""
    folder = data_dir(directory)
    return _load(folder, _fingerprint(folder))


def load(directory=None) -> Snapshot:
    """All tables, validated together. Cached; every DataFrame returned is a fresh copy."""
    readset.note("table", "*")  # every table (the renderer expands "*"); accessors note their own
    folder = data_dir(directory)
    cached = _load(folder, _fingerprint(folder))
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
jobs = _accessor("jobs")
partnerships = _accessor("partnerships")
memberships = _accessor("memberships")
sources = _accessor("sources")
indicators = _accessor("indicators", "Tidy indicators: code, indicator, period, year, value, "
                       "unit, source_table, missing_reason.")
country_indicators = _accessor("country_indicators", "The whole country's value of each "
                               "indicator and period (the tables' own SSS rows).")
mergers = _accessor("mergers", "Merged municipalities: code, name, successor, date (the "
                    "curated merger table).")


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
        _check_evidence(snap, Path(sources_dir))
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
        "indicators": f"{len(periods)} ({', '.join(f'{k} {v[-1]}' for k, v in sorted(periods.items()))})",
        "indicator rows": f"{len(snap.indicators)} ({int(snap.indicators['value'].isna().sum())} "
                          f"missing with reason; {per_municipality.min()}–{per_municipality.max()} "
                          "indicators per municipality)",
        "partnerships": len(snap.partnerships),
        "memberships": len(snap.memberships),
        "mergers": len(snap.mergers),
        "boundary polygons": len(shapes),
        "boundaries CRS": shapes.crs.to_string(),
        "evidence": "checked against " + str(sources_dir) if sources_dir else "not checked "
                    "(give --sources)",
    }


def _check_evidence(snap: Snapshot, sources_dir: Path) -> None:
    """The memberships table against the documents (the same check the build makes)."""
    import yaml

    from .build import BuildError, check_evidence
    from .paths import CURATED_DIR

    curated = snap.folder / "curated" / "partnerships.yaml"
    if not curated.exists():
        curated = CURATED_DIR / "partnerships.yaml"
    spec = yaml.safe_load(curated.read_text(encoding="utf-8"))
    try:
        check_evidence(spec, sources_dir, curated)
    except BuildError as exc:
        raise DataValidationError(str(exc)) from None
    declared = {(i["partnership_id"], m["evidence"], str(i["source_lines"]))
                for i in spec["partnerships"] for m in i["members"]}
    held = set(zip(snap.memberships["partnership_id"], snap.memberships["evidence"],
                   snap.memberships["source_lines"]))
    if declared != held:
        raise DataValidationError(f"{snap.folder / TABLE_FILES['memberships']}: differs from "
                                  f"{curated}; run `analysis data build`")
