"""``analysis data refresh``: newer official figures from Statistics Finland's PxWeb API, safely.

For every table the snapshot uses (the catalogue, :data:`analysis.data.catalogue.TABLES`):

1. read which periods ``data/raw/pxweb/*.meta.json`` already hold;
2. GET the table's metadata and compute the periods that are newer (with ``--history``:
   every period the table offers that is not held), and for 115p whether it offers the
   two commuting parts (asked for then) or only the total;
3. POST queries for them (split so that no call asks for more than the API's ``maxValues``
   cells), checking each response: the variables and columns asked for, only the known
   missing-value markers (``.`` and ``...``), and the municipal division (every
   municipality of ``data/municipalities.csv`` present, no unknown municipality code);
4. write each response byte-for-byte with its sidecar into a staging copy of ``data/``,
   rebuild the snapshot there and validate it, and only then swap the staging copy in.

Any failure (HTTP error after the retries, malformed JSON, a validation error, Ctrl-C, no
network) leaves ``data/`` exactly as it was and removes the staging folder.

The HTTP side (rate limit, retries, timeouts) is :mod:`analysis.ingest.client`.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from analysis.core.files import lock
from analysis.data.catalogue import MISSING_MARKERS, PSEUDO_MUNICIPALITIES, TABLES, OfficialTable
from analysis.ingest.client import (  # noqa: F401
    DEFAULT_BASE_URL,
    NoNetworkError,
    PxWebClient,
    RefreshError,
    Response,
)
from analysis.ingest.pxweb import is_known_value

STAGING_NAME, BACKUP_NAME = ".refresh-staging", ".refresh-backup"
DATA_LOCK = None  # the data folder itself is locked: no lock file is left in data/
ROUTE = "Statistics Finland PxWeb API v1, fetched by `analysis data refresh`"
_DIVISION = re.compile(r"alue_\d+_(\d{4})\d{4}")
_FILE_SAFE = re.compile(r"[^0-9A-Za-z_-]")


class DivisionError(RefreshError):
    """A response is on a municipal division the snapshot does not know."""


# ============================================================================ planning
@dataclass
class TablePlan:
    spec: OfficialTable
    held: list[str]
    available: list[str]
    new: list[str]
    variables: dict[str, dict] = field(default_factory=dict)
    area_values: list[str] = field(default_factory=list)
    area_code: str = ""
    content_var: str = ""
    updated: str | None = None
    layout: OfficialTable | None = None  # what is asked: the table's own layout or its parts

    def __post_init__(self):
        if self.layout is None:
            self.layout = self.spec

    @property
    def asked(self) -> str:
        """'parts' when a dimension's parts are asked for (115p's commuting), else 'total'."""
        return "parts" if self.layout.role == "parts" else "total"


def held_periods(raw: Path) -> dict[str, list[str]]:
    """Periods each table's raw PxWeb files hold, from their sidecars."""
    held: dict[str, set[str]] = {}
    for sidecar in sorted((raw / "pxweb").glob("*.meta.json")):
        try:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
            held.setdefault(str(meta["table_id"]), set()).update(map(str, meta["periods"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise RefreshError(f"{sidecar}: not a readable sidecar ({exc})") from None
    return {table: sorted(periods) for table, periods in held.items()}


def _variable(meta: dict, code: str) -> dict | None:
    return next((v for v in meta["variables"] if v.get("code") == code), None)


def choose_layout(spec: OfficialTable, meta: dict) -> OfficialTable:
    """The table's parts layout (115p: local workers and in-commuters) where the metadata
    offers every value it asks for, else the table's own layout (the total)."""
    parts = spec.parts
    if parts is None:
        return spec
    for code, values in parts.fixed:
        var = _variable(meta, code)
        if var is None or not set(values) <= set(var.get("values", [])):
            return spec
    return parts


def plan_table(client: PxWebClient, spec: OfficialTable, held: list[str],
               history: bool = False) -> TablePlan:
    """Read the table's metadata; check it still has the variables asked for; the periods
    to fetch: those newer than the newest held or, with ``history``, every period the table
    offers that ``data/raw/pxweb`` does not hold."""
    meta = client.metadata(spec)
    tid = spec.table_id
    layout = choose_layout(spec, meta)
    area = _variable(meta, spec.area)
    if area is None and _DIVISION.fullmatch(spec.area):  # a new division renames the code
        area = next((v for v in meta["variables"] if _DIVISION.fullmatch(str(v.get("code")))), None)
    if area is None:
        raise RefreshError(f"table {tid}: area variable {spec.area!r} not in the metadata "
                           f"(variables: {_codes(meta)}); renamed?")
    time_var = _variable(meta, spec.time)
    if time_var is None:
        raise RefreshError(f"table {tid}: time variable {spec.time!r} not in the metadata "
                           f"(variables: {_codes(meta)}); renamed?")
    known = {area["code"], spec.time}
    for code, values in layout.fixed:
        var = _variable(meta, code)
        if var is None:
            raise RefreshError(f"table {tid}: variable {code!r} not in the metadata "
                               f"(variables: {_codes(meta)}); renamed?")
        missing = [v for v in values if v not in var.get("values", [])]
        if missing:
            raise RefreshError(f"table {tid}: variable {code!r} no longer offers {missing}")
        known.add(code)
    content = next((v for v in meta["variables"] if v.get("code") not in known
                    and set(spec.values) <= set(v.get("values", []))), None)
    if content is None:
        best = max((v for v in meta["variables"] if v.get("code") not in known),
                   key=lambda v: len(set(spec.values) & set(v.get("values", []))), default=None)
        lacking = [c for c in spec.values if best is None or c not in best.get("values", [])]
        where = f" variable {best.get('code')!r}" if best is not None else ""
        raise RefreshError(f"table {tid}: no variable offers the contents {lacking} "
                           f"(closest:{where or ' none'}); renamed?")
    known.add(content["code"])
    for var in meta["variables"]:
        if var.get("code") not in known and not var.get("elimination", False):
            raise RefreshError(f"table {tid}: unknown variable {var.get('code')!r} "
                               f"({var.get('text', '')}) that cannot be left out; the registry in "
                               "analysis/refresh.py must say which values to ask for")
    available = [str(p) for p in time_var.get("values", [])]
    floor = max(held) if held else None
    if history:
        new = [p for p in available if p not in set(held)]
    elif floor is not None:
        new = [p for p in available if p > floor]
    else:
        new = [p for p in available if spec.since is None or p >= spec.since]
    areas = [c for c in area.get("values", []) if c == "SSS" or c.startswith("KU")]
    return TablePlan(spec=spec, held=held, available=available, new=sorted(new),
                     variables={v["code"]: v for v in meta["variables"]}, area_values=areas,
                     area_code=area["code"], content_var=content["code"],
                     updated=meta.get("updated"), layout=layout)


def _codes(meta: dict) -> str:
    return ", ".join(str(v.get("code")) for v in meta["variables"])


def query_bodies(plan: TablePlan, max_values: int) -> list[tuple[list[str], list[str], dict]]:
    """Split the request so that no call asks for more than ``max_values`` cells.

    Periods are packed into one call while they fit. A call never splits one period (the
    build reads each response file as a whole table for its periods: every municipality,
    every column); a period too large for one call is an error. Returns (periods, areas,
    body) per call.
    """
    spec = plan.layout
    per_period = len(spec.values) * len(plan.area_values)
    for _code, values in spec.fixed:
        per_period *= len(values)
    if per_period > max_values:
        raise RefreshError(f"table {spec.table_id}: one period needs {per_period} cells, more "
                           f"than the API's maxValues={max_values}; nothing was fetched")
    step = max(1, max_values // per_period)
    out = []
    for i in range(0, len(plan.new), step):
        periods, areas = plan.new[i:i + step], plan.area_values
        selections = [(plan.area_code, areas), (spec.time, periods)]
        selections += [(code, list(values)) for code, values in spec.fixed]
        selections.append((plan.content_var, list(spec.values)))
        body = {"query": [{"code": code, "selection": {"filter": "item", "values": list(values)}}
                          for code, values in selections],
                "response": {"format": "json"}}
        out.append((periods, areas, body))
    return out


# ============================================================================ checking
def municipality_codes(data_dir: Path) -> set[str]:
    with open(data_dir / "municipalities.csv", encoding="utf-8", newline="") as handle:
        return {row["code"] for row in csv.DictReader(handle)}


def check_response(plan: TablePlan, body: bytes, url: str, periods: list[str],
                   areas: list[str], municipalities: set[str]) -> dict:
    """Parse and check one response; return it parsed. Raises :class:`RefreshError`."""
    spec, tid = plan.layout, plan.spec.table_id
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RefreshError(f"table {tid}: malformed JSON from {url} ({exc})") from None
    if not isinstance(doc, dict) or not all(k in doc for k in ("columns", "data")):
        raise RefreshError(f"table {tid}: the response from {url} is not PxWeb json "
                           "(no 'columns'/'data')")
    try:
        columns = [(c["code"], c["type"]) for c in doc["columns"]]
        dims = [code for code, kind in columns if kind in ("d", "t")]
        contents = [code for code, kind in columns if kind == "c"]
        expected_dims = {plan.area_code, spec.time} | {code for code, _ in spec.fixed}
        for code in dims:
            if code not in expected_dims:
                raise RefreshError(f"table {tid}: unknown variable {code!r} in the response")
        for code in expected_dims - set(dims):
            raise RefreshError(f"table {tid}: variable {code!r} missing from the response; renamed?")
        for code in contents:
            if code not in spec.values:
                raise RefreshError(f"table {tid}: unknown column {code!r} in the response")
        for code in spec.values:
            if code not in contents:
                raise RefreshError(f"table {tid}: column {code!r} missing from the response; renamed?")
        area_i, time_i = dims.index(plan.area_code), dims.index(spec.time)
        seen_areas, seen_periods = set(), set()
        for row in doc["data"]:
            key, values = row["key"], row["values"]
            if len(key) != len(dims) or len(values) != len(contents):
                raise RefreshError(f"table {tid}: a data row does not match the columns: {row}")
            seen_areas.add(key[area_i])
            seen_periods.add(key[time_i])
            for code, value in zip(contents, values):
                if not is_known_value(value):
                    raise RefreshError(
                        f"table {tid}, variable {code!r}: unknown value {value!r} for "
                        f"{key[area_i]} {key[time_i]} (known missing-value markers: "
                        f"{' '.join(sorted(MISSING_MARKERS))})")
    except (KeyError, TypeError, AttributeError) as exc:
        raise RefreshError(f"table {tid}: the response from {url} is not PxWeb json ({exc!r})") from None
    stray = sorted(seen_periods - set(periods))
    if stray:
        raise RefreshError(f"table {tid}: the response holds periods not asked for: {stray}")
    lacking = sorted(set(periods) - seen_periods)
    if lacking:
        raise RefreshError(f"table {tid}: the response lacks the periods {lacking}")
    municipal = {c[2:] for c in seen_areas if re.fullmatch(r"KU\d{3}", c)}
    if set(areas) == set(plan.area_values):  # the whole list was asked: all must be there
        expected = municipalities
    else:
        expected = {c[2:] for c in areas if c.startswith("KU")} & municipalities
    check_division(plan, municipal, municipalities, expected)
    return doc


def check_division(plan: TablePlan, codes: set[str], municipalities: set[str],
                   expected: set[str] | None = None) -> None:
    """Stop when ``codes`` (3-digit) hold a code the snapshot does not know or lack one."""
    spec = plan.spec
    unknown = sorted(codes - municipalities - set(PSEUDO_MUNICIPALITIES))
    gone = sorted((municipalities if expected is None else expected) - codes)
    if unknown or gone:
        parts = []
        if unknown:
            parts.append("codes not in data/municipalities.csv: " + ", ".join(unknown))
        if gone:
            parts.append("municipalities missing: " + ", ".join(gone))
        raise DivisionError(
            f"table {spec.table_id} ({plan.area_code}) is on a municipal division the snapshot "
            f"does not know ({'; '.join(parts)}); record the merger in data/curated/mergers.csv "
            "and rebuild before refreshing")


# ============================================================================ refresh
@dataclass
class TableResult:
    table_id: str
    held: list[str]
    new: list[str]
    files: list[str] = field(default_factory=list)
    asked: str = "total"  # 'parts' where a dimension's parts were asked for (115p)


@dataclass
class RefreshResult:
    tables: list[TableResult]
    dry_run: bool
    changed: bool = False
    stale_reports: list[str] | None = None
    calls: int = 0


def _file_stem(spec: OfficialTable, periods: list[str]) -> str:
    label = periods[0] if len(periods) == 1 else f"{periods[0]}-{periods[-1]}"
    return _FILE_SAFE.sub("_", f"{spec.table_id}_{label}")


def _write_sidecar(plan: TablePlan, path: Path, response: Response, retrieved: str) -> dict:
    """The sidecar, derived from the response by the build's own parser (``analysis.ingest.raw``)."""
    from analysis.ingest.pxweb import PxWebFormatError
    from analysis.ingest.raw import pxweb_sidecar

    try:
        meta = pxweb_sidecar(path, ROUTE, url=response.url, request=response.request,
                             retrieved=retrieved, asked=plan.asked)
    except PxWebFormatError as exc:
        raise RefreshError(str(exc).splitlines()[0]) from None
    if meta["table_id"] != plan.spec.table_id:
        raise RefreshError(f"{path.name}: read as table {meta['table_id']}, expected "
                           f"{plan.spec.table_id}")
    return meta


def _default_build(raw: Path, output: Path) -> None:
    from analysis.ingest.build import build_snapshot

    build_snapshot(raw, output)


def _default_check(folder: Path) -> None:
    from analysis.data import check

    check(folder)


def refresh(data_dir: Path, client: PxWebClient, tables: Iterable[str] | None = None,
            dry_run: bool = False, build: Callable[[Path, Path], None] | None = None,
            check: Callable[[Path], None] | None = None,
            echo: Callable[[str], None] = lambda _line: None,
            history: bool = False) -> RefreshResult:
    """Refresh ``data_dir`` from the API behind ``client``; all or nothing. With
    ``history``, every period each table offers that ``data/raw/pxweb`` does not hold (the
    single-period indicators gain their series), split to fit the API's cell limit. Holds the
    data folder's lock (:data:`DATA_LOCK`) throughout: a second refresh or a build into the
    same folder says it is busy instead of sharing the staging folder."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise RefreshError(f"{data_dir}: no such data folder")
    with lock(data_dir, DATA_LOCK, "analysis data refresh or build"):
        return _refresh(data_dir, client, tables, dry_run, build, check, echo, history)


def _refresh(data_dir, client, tables, dry_run, build, check, echo, history) -> RefreshResult:
    raw = data_dir / "raw"
    if not (raw / "pxweb").is_dir():
        raise RefreshError(f"{raw / 'pxweb'} does not exist: the snapshot holds no raw PxWeb "
                           "inputs to refresh")
    ids = list(tables) if tables else list(TABLES)
    unknown = [t for t in ids if t not in TABLES]
    if unknown:
        raise RefreshError(f"unknown table id(s) {unknown}; known: {', '.join(TABLES)}")
    held = held_periods(raw)
    municipalities = municipality_codes(data_dir)

    client.configure()
    plans = [plan_table(client, TABLES[t], held.get(t, []), history) for t in ids]
    results = [TableResult(p.spec.table_id, p.held, list(p.new), asked=p.asked) for p in plans]
    for plan in plans:  # before fetching anything: is the table on the snapshot's division?
        if plan.new:
            check_division(plan, {c[2:] for c in plan.area_values
                                  if re.fullmatch(r"KU\d{3}", c)}, municipalities)
    if dry_run or not any(p.new for p in plans):
        return RefreshResult(results, dry_run=dry_run, calls=client.calls)

    staging, backup = data_dir / STAGING_NAME, data_dir / BACKUP_NAME
    if backup.exists():  # only a killed swap leaves this: a person must look at data/
        raise RefreshError(f"{backup} exists (a refresh was killed while swapping files in); "
                           "check data/ against it and remove it first")
    if staging.exists():  # a killed refresh before the swap: data/ itself was not touched
        shutil.rmtree(staging)
    try:
        shutil.copytree(data_dir, staging, symlinks=True, ignore=shutil.ignore_patterns(
            STAGING_NAME, BACKUP_NAME, ".build-*"))  # a killed build's leftovers
        target = staging / "raw" / "pxweb"
        for plan, result in zip(plans, results):
            if not plan.new:
                continue
            calls = query_bodies(plan, client.max_values)
            for index, (periods, areas, body) in enumerate(calls, start=1):
                echo(f"{plan.spec.table_id}: fetching {_periods_text(periods)}"
                     + (f" (part {index} of {len(calls)})" if len(calls) > 1 else ""))
                response = client.query(plan.spec, body)
                retrieved = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                check_response(plan, response.body, response.url, periods, areas,
                                     municipalities)
                path = target / f"{_file_stem(plan.spec, periods)}.json"
                if path.exists():
                    raise RefreshError(f"{path.name} already exists in data/raw/pxweb")
                path.write_bytes(response.body)
                _write_sidecar(plan, path, response, retrieved)
                result.files.append(f"raw/pxweb/{path.name}")
        echo("rebuilding the snapshot in the staging folder")
        (build or _default_build)(staging / "raw", staging)
        echo("checking the rebuilt snapshot")
        (check or _default_check)(staging)
        _swap(staging, data_dir, backup)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, (RefreshError, KeyboardInterrupt)):
            raise
        from analysis.data import DataValidationError
        from analysis.ingest.build import BuildError
        if isinstance(exc, (BuildError, DataValidationError)):
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise RefreshError(f"the refreshed snapshot does not pass the build/check, "
                               f"nothing was changed: {first}") from exc
        raise
    return RefreshResult(results, dry_run=False, changed=True, calls=client.calls)


def _swap(staging: Path, data_dir: Path, backup: Path) -> None:
    """Move every top-level entry of ``staging`` into ``data_dir`` (renames only).

    The previous entries go to ``backup`` first; if anything fails (or Ctrl-C) they are
    put back, so ``data_dir`` ends either wholly old or wholly new.
    """
    names = sorted(p.name for p in staging.iterdir())
    moved: list[tuple[str, bool]] = []
    backup.mkdir()
    try:
        for name in names:
            had = (data_dir / name).exists() or (data_dir / name).is_symlink()
            if had:
                (data_dir / name).rename(backup / name)
            moved.append((name, had))
            (staging / name).rename(data_dir / name)
    except BaseException:
        for name, had in reversed(moved):
            if (data_dir / name).exists() and not (staging / name).exists():
                (data_dir / name).rename(staging / name)
            if had and (backup / name).exists():
                (backup / name).rename(data_dir / name)
        shutil.rmtree(backup, ignore_errors=True)
        raise
    shutil.rmtree(backup, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)


def _periods_text(periods: list[str]) -> str:
    """'2026' / '2026, 2027' / a long run shortened: '2007M01–2025M01 (217 periods)'."""
    if len(periods) <= 3:
        return ", ".join(periods)
    return f"{periods[0]}–{periods[-1]} ({len(periods)} periods)"


def summary(result: RefreshResult) -> str:
    lines = []
    for table in result.tables:
        spec = TABLES[table.table_id]
        held = f"held {table.held[-1]}" if table.held else "none held"
        if table.new:
            verb = "newer" if result.dry_run else "added"
            asked = ""
            if spec.parts is not None:  # say which the API offered: the total or the parts
                asked = (" (asked in parts: local workers and in-commuters)"
                         if table.asked == "parts" else " (asked as the total: jobs only)")
            lines.append(f"{table.table_id:<5} {spec.title[:40]:<40} {held:<13} {verb}: "
                         f"{_periods_text(table.new)}{asked}")
        else:
            lines.append(f"{table.table_id:<5} {spec.title[:40]:<40} {held:<13} up to date")
    if result.dry_run:
        lines.append("dry run: nothing fetched beyond metadata, data/ unchanged")
    elif not result.changed:
        lines.append("nothing newer; data/ unchanged")
    else:
        if result.stale_reports is None:
            lines.append("reports now stale: run `analysis render` (it re-renders what changed)")
        elif result.stale_reports:
            lines.append(f"reports stale or not yet rendered ({len(result.stale_reports)}); "
                         "run `analysis render`:")
            lines += [f"    {rel}" for rel in result.stale_reports[:20]]
            if len(result.stale_reports) > 20:
                lines.append(f"    … and {len(result.stale_reports) - 20} more")
        else:
            lines.append("no rendered report reads the changed rows")
    lines.append(f"{result.calls} API calls")
    return "\n".join(lines)
