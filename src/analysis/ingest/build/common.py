"""What every step of the build shares: the inputs and their sidecars, the log of what
was done, strict CSV reading, the curated merger table and the harmoniser that puts older
divisions' codes on the snapshot's division, and the writers of reproducible files."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.core.errors import AnalysisError
from analysis.core.paths import MERGERS_FILE
from analysis.data import catalogue
from analysis.data.schemas import is_iso_date


class BuildError(AnalysisError, RuntimeError):
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


def read_csv(path: Path, code_columns=("code",)) -> pd.DataFrame:
    """Read an input CSV as text (codes keep their zeros), strictly UTF-8, every row with
    as many fields as the header; one-line :class:`BuildError` naming the line otherwise."""
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BuildError(f"{path}: not valid UTF-8 ({exc})") from None
    try:
        rows = [r for r in csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""),
                                      strict=True) if r]
    except csv.Error as exc:
        raise BuildError(f"{path}: cannot be read as CSV ({exc}); check its quotes") from None
    if not rows:
        raise BuildError(f"{path}: empty file")
    header = rows[0]
    for number, fields in enumerate(rows[1:], start=2):
        if len(fields) != len(header):
            raise BuildError(f"{path}: line {number} has {len(fields)} fields where the header "
                             f"has {len(header)} (an unbalanced quote or a stray comma?)")
    frame = pd.DataFrame(rows[1:], columns=header, dtype=str)
    for column in code_columns:
        if column not in frame:
            raise BuildError(f"{path}: column {column!r} missing")
        bad = frame.index[~frame[column].str.fullmatch(r"\d{3}")]
        if len(bad):
            row = bad[0]
            raise BuildError(
                f"{path}: row {row + 1} (line {row + 2}), column '{column}': "
                f"code {frame.at[row, column]!r} is not three digits")
    return frame


def strip_whitespace(frame: pd.DataFrame, table: str, log: BuildLog) -> pd.DataFrame:
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
    """The curated table of merged municipalities: code, name, successor, date (ISO), as
    written; :func:`check_mergers` checks it against the division."""
    path = curated / MERGERS_FILE
    if not path.exists():
        raise BuildError(f"{path}: curated merger table missing")
    frame = read_csv(path, code_columns=("code", "successor"))
    if list(frame.columns) != ["code", "name", "successor", "date"]:
        raise BuildError(f"{path}: columns must be code, name, successor, date")
    bad = ~frame["date"].map(lambda value: is_iso_date(value, precise=True))
    if bad.any():
        row = int(bad.idxmax())
        raise BuildError(f"{path}: row {row + 1} (line {row + 2}), column 'date': "
                         f"{frame.at[row, 'date']!r} is not a date (YYYY-MM-DD)")
    if frame["code"].duplicated().any():
        code = frame.loc[frame["code"].duplicated(), "code"].iloc[0]
        raise BuildError(f"{path}: code {code} is listed twice")
    return frame.sort_values(["date", "code"], ascending=[False, True]).reset_index(drop=True)


def check_mergers(mergers: pd.DataFrame, key: pd.DataFrame, known: dict[str, str],
                  path: Path, division_year: int | None = None) -> None:
    """Every row of the merger table must describe a real merger on the snapshot's division:

    - the merged code is not a municipality of the key table (``609,Pori,905`` would send
      every name of Pori to Vaasa);
    - the code is one the raw inputs know (``known``: code -> name, from the inputs of
      older divisions), so a typo or an invented code cannot create a new name;
    - the successor is a municipality of the key table, or itself merged into one, and
      following successors ends in the division (``099 -> 588 -> 099`` never does);
    - the merger took effect by the division's date (``division_year``): the key table
      no longer lists the code, so it was merged by then.
    """
    current = dict(zip(key["code"], key["name_fi"]))
    merged = set(mergers["code"])
    successor = dict(zip(mergers["code"], mergers["successor"]))
    for row in mergers.itertuples():
        chain = [row.code]
        while chain[-1] in successor and chain[-1] not in current:
            chain.append(successor[chain[-1]])
            if chain[-1] in chain[:-1]:
                raise BuildError(f"{path}: the rows for {' -> '.join(chain)} go round in a "
                                 "circle; each merger must end in a municipality of the division")
        if division_year is not None and row.date > f"{division_year}-01-01":
            raise BuildError(f"{path}: row for {row.code} {row.name!r}: date {row.date} is after "
                             f"the {division_year} division, which no longer lists {row.code}: "
                             f"the merger took effect by {division_year}-01-01")
    for row in mergers.itertuples():
        where = f"{path}: row for {row.code} {row.name!r}"
        if row.code in current:
            raise BuildError(f"{where}: {row.code} is {current[row.code]}, a municipality of the "
                             "division; only a municipality that no longer exists can be merged")
        if row.code not in known:
            raise BuildError(f"{where}: code {row.code} appears in no raw input (neither the key "
                             "table nor any older division's file): not a known municipality")
        if row.successor not in current and row.successor not in merged:
            raise BuildError(f"{where}: successor {row.successor} is not a municipality of the "
                             "division (nor merged into one)")


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


def check_division_codes(path: Path, table_id: str, found: set[str], harmoniser: Harmoniser,
                          log: BuildLog, table: str = "indicators") -> set[str]:
    """Municipality codes of a response against the division; returns the codes to drop.

    A pseudo-code of the classification (199 "municipality unknown", 200 "abroad") is
    dropped and reported; any other code outside the division, or a division municipality
    missing, means the response is on another division: stop and name the codes.
    """
    unknown = sorted(found - harmoniser.codes)
    pseudo = [c for c in unknown if c in catalogue.PSEUDO_MUNICIPALITIES]
    foreign = [c for c in unknown if c not in catalogue.PSEUDO_MUNICIPALITIES]
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
        log.add(table, f"{path.parent.name}/{path.name}: left out code(s) that name no municipality: "
                + ", ".join(f"KU{c} ({catalogue.PSEUDO_MUNICIPALITIES[c]})" for c in pseudo))
    return set(pseudo)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    # Fixed line ending and float format: the file is byte-identical between runs.
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", float_format="%.6g")


def write_gpkg(shapes, path: Path, stamp: str) -> None:
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
