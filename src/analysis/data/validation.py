"""Validation of the snapshot's tables: one set of checks for ``analysis data check``, for
every load of the data, and for ``analysis data build`` before it writes anything.

Every table is read as text, converted column by column to the declared type (a value
that does not convert is an error, never a silent NaN), then validated against its
pandera schema (:mod:`analysis.data.schemas`) and against the other tables (foreign keys,
the division's number of municipalities, every municipality in every year, the row counts
``datapackage.json`` declares) and, last, the checksums. A violation raises
:class:`DataValidationError` naming the file, the row (and its line in the file) and the
column.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from analysis.core.errors import AnalysisError
from analysis.core.files import frictionless_hash
from analysis.core.paths import BOUNDARIES_FILE, DATAPACKAGE_FILE, TABLE_FILES
from analysis.data import provenance
from analysis.data.schemas import FOREIGN_KEYS, SCHEMAS


class DataValidationError(AnalysisError, ValueError):
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
        if dtype.lower().startswith(("int", "float")):
            converted = pd.to_numeric(values.where(~empty), errors="coerce")
            bad = converted.isna() & ~empty
            if dtype.lower().startswith("int"):
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
        if dtype == "Int64":  # a nullable count
            converted = converted.astype("Int64")
        elif dtype.startswith("int") and not empty.any():
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
        digest = frictionless_hash(path)
        if digest != item["hash"]:
            rows = provenance.csv_rows(path) if file.endswith(".csv") else None
            detail = (f"; it has {rows} rows, datapackage.json declares {item['rows']}"
                      if rows is not None and rows != item["rows"] else "")
            raise DataValidationError(
                f"{path}: sha256 differs from the one datapackage.json records{detail}: the "
                "file changed after the build (edit data/raw or data/curated and run "
                "`analysis data build` instead)")
    return package


def check_relations(tables: dict[str, pd.DataFrame], folder: Path, package: dict) -> None:
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
    mergers = tables["mergers"]
    merged = set(mergers["code"])
    for row, (code, successor) in enumerate(zip(mergers["code"], mergers["successor"])):
        if code in codes:
            raise DataValidationError(_problem(
                folder / TABLE_FILES["mergers"], row, "code", f"{code!r} is a municipality of "
                "the division; only a municipality that no longer exists can be merged"))
        if successor not in codes and successor not in merged:
            raise DataValidationError(_problem(
                folder / TABLE_FILES["mergers"], row, "successor", f"{successor!r} is not a "
                "municipality of the division (nor merged into one)"))
    for table, column in (("population", "year"), ("jobs", "year"), ("commuting", "year"),
                          ("unemployment", "period")):
        frame = tables[table]
        for value, group in frame.groupby(column):
            missing = sorted(codes - set(group["code"]))
            if missing:
                raise DataValidationError(
                    f"{folder / TABLE_FILES[table]}: {column} {value} lacks municipalities "
                    f"{', '.join(missing[:10])}" + (" …" if len(missing) > 10 else ""))
    check_commuting(tables["commuting"], tables["jobs"], folder)
    check_similar(tables["similarity_measures"], tables["similar"], codes, folder)
    for name, frame in tables.items():
        declared = next((r["rows"] for r in package["resources"] if r["name"] == name), None)
        if len(frame) != declared:
            raise DataValidationError(f"{folder / TABLE_FILES[name]}: {len(frame)} rows, "
                                      f"datapackage.json declares {declared}")


def check_commuting(commuting: pd.DataFrame, jobs: pd.DataFrame, folder: Path) -> None:
    """Every year of ``commuting.csv`` is in ``jobs.csv``, and its two parts sum to the jobs."""
    merged = commuting.reset_index().merge(jobs, on=["code", "year"], how="left")
    absent = merged["jobs"].isna()
    if absent.any():
        row = int(merged.loc[absent, "index"].iloc[0])
        raise DataValidationError(_problem(
            folder / TABLE_FILES["commuting"], row, "year",
            f"{merged.at[int(absent.idxmax()), 'code']} {int(merged.loc[absent, 'year'].iloc[0])}"
            " has no jobs in jobs.csv"))
    wrong = merged["local_workers"] + merged["in_commuters"] != merged["jobs"]
    if wrong.any():
        at = merged[wrong].iloc[0]
        raise DataValidationError(_problem(
            folder / TABLE_FILES["commuting"], int(at["index"]), "in_commuters",
            f"{at['code']} {int(at['year'])}: local_workers + in_commuters = "
            f"{int(at['local_workers'] + at['in_commuters'])}, jobs.csv says {int(at['jobs'])}"))


def check_similar(measures: pd.DataFrame, similar: pd.DataFrame, codes: set[str],
                  folder: Path) -> None:
    """Every municipality has every measure (one weight each) and the same number of
    neighbours, ranked 1 … k, each once, at distances that do not fall with the rank."""
    path = folder / TABLE_FILES["similarity_measures"]
    names = list(dict.fromkeys(measures["measure"]))
    for name, rows in measures.groupby("measure", sort=False):
        missing = sorted(codes - set(rows["code"]))
        if missing:
            raise DataValidationError(f"{path}: measure {name} lacks municipalities "
                                      f"{', '.join(missing[:10])}")
        if rows["weight"].nunique() != 1:
            row = int(rows.index[rows["weight"] != rows["weight"].iloc[0]][0])
            raise DataValidationError(_problem(path, row, "weight",
                                               f"measure {name} has more than one weight"))
    path = folder / TABLE_FILES["similar"]
    if not names:
        raise DataValidationError(f"{folder / TABLE_FILES['similarity_measures']}: no measures")
    k = int(similar["rank"].max())
    counts = similar.groupby("code")["rank"].agg(["count", "max"])
    short = sorted(codes - set(counts.index[(counts["count"] == k) & (counts["max"] == k)]))
    if short:
        raise DataValidationError(f"{path}: municipalities without {k} neighbours ranked 1–{k}: "
                                  f"{', '.join(short[:10])}")
    twice = similar.duplicated(["code", "similar_code"])
    if twice.any():
        row = int(twice.idxmax())
        raise DataValidationError(_problem(path, row, "similar_code", f"{similar.at[row, 'code']} "
                                           f"lists {similar.at[row, 'similar_code']} twice"))
    ordered = similar.sort_values(["code", "rank"])
    falls = ordered["distance"].diff().lt(0) & ordered["code"].eq(ordered["code"].shift())
    if falls.any():
        row = int(falls.idxmax())
        raise DataValidationError(_problem(path, row, "distance", "distances must not fall "
                                           "as the rank rises"))


def validate_folder(folder: Path) -> dict[str, pd.DataFrame]:
    """Every table of the snapshot in ``folder`` read, typed and validated, together with
    the checksums its ``datapackage.json`` records; returns the tables."""
    try:
        package = provenance.load_datapackage(folder)
    except provenance.ProvenanceError as exc:
        raise DataValidationError(str(exc)) from None
    # Schemas first: their messages name the row and column. The checksums then catch
    # what a schema cannot see (a value cut short that is still a valid number).
    tables = {name: read_table(name, folder / file) for name, file in TABLE_FILES.items()}
    check_relations(tables, folder, package)
    check_integrity(folder)
    return tables
