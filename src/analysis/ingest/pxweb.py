"""Read Statistics Finland's PxWeb API v1 responses (``json`` format) into tidy frames.

A response holds ``columns`` (each a dimension ``d``, the time ``t`` or a value ``c``),
``data`` rows of ``key`` (one value per ``d``/``t`` column, in column order) and ``values``
(one string per ``c`` column), and ``metadata`` (the table's own ``updated`` time and its
producer). Numbers come as strings; a missing value is one of the markers below, never an
empty cell. One response mixes area kinds, told apart by the code prefix (``SSS`` the whole
country, ``KU`` + three digits a municipality, ``MK``/``SK``/``HV``… larger areas).

The catalogue (:data:`analysis.data.catalogue.TABLES`) says, for every table the project
uses, which columns it must have: a new, missing or renamed column is an error naming the
table and the variable.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.core.errors import AnalysisError
from analysis.data.catalogue import (  # noqa: F401
    COUNTRY,
    MISSING_MARKERS,
    PSEUDO_MUNICIPALITIES,
    TABLES,
    OfficialTable,
)

_MUNICIPALITY = re.compile(r"KU(\d{3})")
_AREA_VARIABLE = re.compile(r"alue(_\d+_(\d{4})(\d{2})(\d{2}))?", re.IGNORECASE)
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
PUBLISHERS = {
    "Tilastokeskus": "Statistics Finland (Tilastokeskus)",
    "KEHA-keskus": "KEHA Centre (KEHA-keskus), published in Statistics Finland's StatFin",
}


class PxWebFormatError(AnalysisError, ValueError):
    """A response does not have the shape the project knows: table and variable named."""


@dataclass(frozen=True)
class Response:
    """One parsed response: its metadata and a long frame (area, period, variable, text)."""

    path: Path
    table_id: str
    label: str
    source: str
    updated: str
    division: int | None
    area_variable: str
    time_variable: str
    layout: OfficialTable  # the catalogue's layout the response has (the table's own or a variant)
    frame: pd.DataFrame  # area, period, <other dims>, variable, text

    @property
    def periods(self) -> list[str]:
        return sorted(self.frame["period"].unique().tolist())

    @property
    def publisher(self) -> str:
        head = self.source.split(",")[0].strip()
        return PUBLISHERS.get(head, head)


def is_known_value(text: str) -> bool:
    """A number as the API writes it, or one of Statistics Finland's missing-value markers."""
    return text in MISSING_MARKERS or bool(_NUMBER.fullmatch(text))


def table_id_of(path: Path) -> str:
    """``11re_2025.json`` -> ``11re`` (the file name starts with the table id)."""
    return Path(path).name.split("_")[0].split(".")[0]


def _fail(table: str, path: Path, message: str) -> PxWebFormatError:
    return PxWebFormatError(f"{path}: table {table}: {message}")


def _layout_problem(layout: OfficialTable, time: str, other: list[str],
                    values: list[str]) -> str | None:
    """What does not match between a response's columns and one layout (None: it matches)."""
    if time != layout.time:
        return f"time variable {time!r}, expected {layout.time!r}"
    if tuple(other) != layout.other_dims:
        return f"dimensions {other} differ from the expected {list(layout.other_dims)}"
    if tuple(values) != layout.values:
        new = [v for v in values if v not in layout.values]
        gone = [v for v in layout.values if v not in values]
        return "; ".join(filter(None, [f"new variable(s) {new}" if new else "",
                                       f"missing variable(s) {gone}" if gone else "",
                                       "columns in another order" if not new and not gone
                                       else ""]))
    return None


def read_response(path: Path, table_id: str | None = None) -> Response:
    """Parse one response file, checking its columns against the catalogue: the table's own
    layout or one of its variants (:attr:`analysis.data.catalogue.OfficialTable.layouts`:
    115p asked in its commuting parts, 12r5 recorded with the codes before June 2026)."""
    path = Path(path)
    table_id = table_id or table_id_of(path)
    try:
        doc = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(table_id, path, f"not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or not {"columns", "data", "metadata"} <= set(doc):
        raise _fail(table_id, path, "not a PxWeb json response (needs columns, data, metadata)")
    columns = doc["columns"]
    dims = [c["code"] for c in columns if c.get("type") in ("d", "t")]
    values = [c["code"] for c in columns if c.get("type") == "c"]
    area = [c for c in dims if _AREA_VARIABLE.fullmatch(c)]
    times = [c["code"] for c in columns if c.get("type") == "t"]  # PxWeb marks time "t"
    if len(area) != 1:
        raise _fail(table_id, path, f"no single area variable among {dims}")
    if len(times) != 1:
        raise _fail(table_id, path, f"no single time variable among {dims}")
    spec = TABLES.get(table_id)
    if spec is None:
        raise _fail(table_id, path, f"unknown table (known: {', '.join(TABLES)})")
    other = [d for d in dims if d not in (area[0], times[0])]
    problems = [_layout_problem(layout, times[0], other, values)
                for layout in spec.layouts]
    if all(problems):
        raise _fail(table_id, path, problems[0])  # named against the table's own layout
    layout = spec.layouts[problems.index(None)]

    rows = []
    for number, row in enumerate(doc["data"]):
        key, vals = row.get("key"), row.get("values")
        if not isinstance(key, list) or not isinstance(vals, list) or len(key) != len(dims) \
                or len(vals) != len(values):
            raise _fail(table_id, path, f"data row {number}: key/values do not match the columns")
        keyed = dict(zip(dims, key))
        for code, text in zip(values, vals):
            if not isinstance(text, str):
                raise _fail(table_id, path, f"data row {number}, variable {code}: "
                                            f"value {text!r} is not a string")
            if not is_known_value(text):
                raise _fail(table_id, path, f"data row {number} ({keyed[area[0]]}), variable "
                                            f"{code}: unknown value or missing-value marker "
                                            f"{text!r}")
            rows.append({**keyed, "variable": code, "text": text})
    frame = pd.DataFrame(rows, columns=dims + ["variable", "text"]).rename(
        columns={area[0]: "area", times[0]: "period"})
    for dim, kept in layout.keep.items():
        frame = frame[frame[dim] == kept].drop(columns=dim)
    meta = doc["metadata"][0] if doc["metadata"] else {}
    match = _AREA_VARIABLE.fullmatch(area[0])
    division = int(match.group(2)) if match and match.group(2) else None
    updated = str(meta.get("updated", ""))
    updated = re.sub(r"T(\d\d)\.(\d\d)\.(\d\d)", r"T\1:\2:\3", updated)  # 05.00.00 -> 05:00:00
    return Response(path=path, table_id=table_id, label=str(meta.get("label", "")),
                    source=str(meta.get("source", "")), updated=updated, division=division,
                    area_variable=area[0], time_variable=times[0], layout=layout,
                    frame=frame.reset_index(drop=True))


def split_areas(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """{'country': rows of SSS, 'municipality': rows of KU### (with ``code``), 'other': rest}."""
    code = frame["area"].str.extract(_MUNICIPALITY.pattern.join("^$"), expand=False)
    municipal = code.notna()
    return {"country": frame[frame["area"] == COUNTRY].copy(),
            "municipality": frame[municipal].assign(code=code[municipal]),
            "other": frame[~municipal & (frame["area"] != COUNTRY)].copy()}


def numeric(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(values as float with NaN for markers, the marker's reason or None)."""
    reason = text.map(MISSING_MARKERS)
    value = pd.to_numeric(text.where(reason.isna()), errors="raise")
    return value, reason.where(reason.notna(), None)


def period_year(period: str) -> int:
    """'2025' -> 2025, '2026M06' -> 2026."""
    return int(str(period)[:4])
