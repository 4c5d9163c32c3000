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

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from . import DIVISION_YEAR, EXPECTED_MUNICIPALITIES, readset
from .i18n import format_years
from .paths import BOUNDARIES_FILE, TABLE_FILES, data_dir
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


def read_table(name: str, path: Path) -> pd.DataFrame:
    """Read and validate one CSV table of the snapshot (no cross-table checks)."""
    if not path.exists():
        raise DataValidationError(f"{path}: table '{name}' missing; run `analysis data build`")
    text = _decode(path)
    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return validate_table(name, _convert(raw, SCHEMAS[name], path), path)


def _check_relations(tables: dict[str, pd.DataFrame], folder: Path) -> None:
    municipalities = tables["municipalities"]
    if len(municipalities) != EXPECTED_MUNICIPALITIES:
        raise DataValidationError(
            f"{folder / TABLE_FILES['municipalities']}: {len(municipalities)} municipalities, "
            f"expected {EXPECTED_MUNICIPALITIES} (the {DIVISION_YEAR} division)")
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


@dataclass(frozen=True)
class Snapshot:
    municipalities: pd.DataFrame
    population: pd.DataFrame
    jobs: pd.DataFrame
    sources: pd.DataFrame
    partnerships: pd.DataFrame
    memberships: pd.DataFrame
    folder: Path


def _fingerprint(folder: Path) -> tuple:
    stats = []
    for file in sorted(TABLE_FILES.values()):
        path = folder / file
        st = path.stat() if path.exists() else None
        stats.append((file, st.st_size if st else -1, st.st_mtime_ns if st else -1))
    return tuple(stats)


@lru_cache(maxsize=4)
def _load(folder: Path, fingerprint: tuple) -> Snapshot:
    tables = {name: read_table(name, folder / file) for name, file in TABLE_FILES.items()}
    _check_relations(tables, folder)
    return Snapshot(folder=folder, **tables)


def load(directory=None) -> Snapshot:
    """All tables, validated together. Cached; every DataFrame returned is a fresh copy."""
    readset.note("table", "*")  # every table (the renderer expands "*"); accessors note their own
    folder = data_dir(directory)
    cached = _load(folder, _fingerprint(folder))
    return Snapshot(folder=folder, **{name: getattr(cached, name).copy() for name in TABLE_FILES})


def municipalities(directory=None) -> pd.DataFrame:
    with readset.table("municipalities"):
        return load(directory).municipalities


def population(directory=None) -> pd.DataFrame:
    with readset.table("population"):
        return load(directory).population


def jobs(directory=None) -> pd.DataFrame:
    with readset.table("jobs"):
        return load(directory).jobs


def partnerships(directory=None) -> pd.DataFrame:
    with readset.table("partnerships"):
        return load(directory).partnerships


def memberships(directory=None) -> pd.DataFrame:
    with readset.table("memberships"):
        return load(directory).memberships


def sources(directory=None) -> pd.DataFrame:
    with readset.table("sources"):
        return load(directory).sources


def population_years(directory=None) -> list[int]:
    with readset.reading("column", "population", "year"):
        return sorted(int(y) for y in load(directory).population["year"].unique())


@lru_cache(maxsize=4)
def _boundaries(path: Path, mtime_ns: int):
    import geopandas as gpd

    shapes = gpd.read_file(path, layer="municipalities", engine="pyogrio")
    if shapes.crs is None:
        raise DataValidationError(f"{path}: no CRS recorded")
    if shapes["code"].duplicated().any() or len(shapes) != EXPECTED_MUNICIPALITIES:
        raise DataValidationError(f"{path}: expected {EXPECTED_MUNICIPALITIES} unique codes, "
                                  f"found {shapes['code'].nunique()} in {len(shapes)} rows")
    return shapes


def boundaries(directory=None, crs: str | None = "EPSG:3067"):
    """Municipal polygons (2025 division) as a GeoDataFrame, by default in EPSG:3067."""
    readset.note("file", BOUNDARIES_FILE)
    folder = data_dir(directory)
    path = folder / BOUNDARIES_FILE
    if not path.exists():
        raise DataValidationError(f"{path}: boundaries missing; run `analysis data build`")
    shapes = _boundaries(path, path.stat().st_mtime_ns).copy()
    codes = set(_load(folder, _fingerprint(folder)).municipalities["code"])  # cached, no copy
    unknown = sorted(set(shapes["code"]) - codes)
    if unknown:
        raise DataValidationError(f"{path}: codes not in municipalities: {unknown}")
    return shapes.to_crs(crs) if crs else shapes


def check(directory=None) -> dict:
    """Validate everything and return a short summary (for ``analysis data check``)."""
    snap = load(directory)
    shapes = boundaries(directory, crs=None)
    years = population_years(directory)
    return {
        "folder": str(snap.folder),
        "division": DIVISION_YEAR,
        "municipalities": len(snap.municipalities),
        "cities": int(snap.municipalities["is_city"].sum()),
        "population rows": len(snap.population),
        "population years": format_years(years),
        "jobs rows": len(snap.jobs),
        "jobs years": format_years(snap.jobs["year"].unique()),
        "partnerships": len(snap.partnerships),
        "memberships": len(snap.memberships),
        "boundary polygons": len(shapes),
        "boundaries CRS": shapes.crs.to_string(),
    }
