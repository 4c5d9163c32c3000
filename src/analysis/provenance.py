"""Provenance of the snapshot: a Frictionless Data Package descriptor (``data/datapackage.json``).

For every table: its columns (from the declared schema), row count, byte size and sha256
(so that a changed or truncated file is caught), the raw inputs it was built from (each
with publisher, table id, periods, municipal division, route, the table's own update date,
licence and checksum, copied from the raw file's sidecar), and what the build did to it.

Reports read every vintage they print from here — the division, the number of
municipalities, each table's years, each indicator's period, the source documents' dates —
so no year is typed into code or translations.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from .paths import BOUNDARIES_FILE, DATAPACKAGE_FILE, TABLE_FILES, data_dir
from .schemas import FOREIGN_KEYS, PRIMARY_KEYS, SCHEMAS, frictionless_type

CC_BY = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
         "path": "https://creativecommons.org/licenses/by/4.0/"}
CURATED = "curated/partnerships.yaml"


class ProvenanceError(ValueError):
    """datapackage.json is missing, unreadable or of the wrong shape."""


def _span(values) -> str:
    values = sorted(str(v) for v in values)
    if not values:
        return ""
    return values[0] if len(values) == 1 else f"{values[0]}–{values[-1]}"


def _raw_source(name: str, meta: dict) -> dict:
    return {
        "title": meta["title"], "publisher": meta["publisher"],
        "original_table": meta.get("original_table") or meta["table_id"],
        "table_id": meta["table_id"], "data_year": _span(meta["periods"]),
        "periods": meta["periods"], "municipal_division": meta["municipal_division"],
        "route": meta["route"], "updated": meta["updated"], "retrieved": meta.get("retrieved"),
        "file": f"raw/{name}", "sha256": meta["sha256"], "licence": meta["licence"],
        "secondary": bool(meta.get("secondary", False)),
    }


def table_inputs(inputs) -> dict[str, list[str]]:
    """Which raw files each table is built from (paths relative to ``data/raw``)."""
    from . import build, pxweb

    indicator_tables = {i.table_id for i in pxweb.INDICATORS.values()}
    api_population = [n for n, m in inputs.meta.items()
                      if n.startswith("pxweb/") and m["table_id"] == "11re"]
    api_jobs = [n for n, m in inputs.meta.items()  # newer jobs years, from the refresh
                if n.startswith("pxweb/") and m["table_id"] == "115p"]
    api_indicators = [n for n, m in inputs.meta.items()
                      if n.startswith("pxweb/") and m["table_id"] in indicator_tables]
    return {
        "municipalities": [build.KEY_TABLE, "cities_2023.csv", "area_km2.csv",
                           "central_localities.csv"],
        "population": sorted(api_population) + [build.POPULATION_11RE, build.POPULATION_LAYER,
                                                build.POPULATION_THL],
        "jobs": sorted(api_jobs, reverse=True) + [build.JOBS_FILE],
        "indicators": sorted(api_indicators),
        "country_indicators": sorted(api_indicators),
        "boundaries": [build.BOUNDARIES_TOPO],
    }


def _curated_sources(tables: dict) -> list[dict]:
    docs = tables["sources"]
    return [{"title": f"{row.title_en} ({row.title_fi})", "publisher": row.publisher,
             "original_table": None, "data_year": row.date, "route": f"curated by hand in "
             f"data/{CURATED} from the document {row.file} (kept outside the project)",
             "file": CURATED, "secondary": False} for row in docs.itertuples()]


def file_digest(path: Path) -> str:
    return "sha256:" + hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _fields(schema) -> list[dict]:
    return [{"name": name, "type": frictionless_type(col), "description": col.description or ""}
            for name, col in schema.columns.items()]


def datapackage(tables: dict, log, inputs, folder: Path, builder_version: str,
                division_year: int) -> dict:
    """The descriptor for the tables just written to ``folder``."""
    sources_of = table_inputs(inputs)
    curated = _curated_sources(tables)
    resources = []
    for name, frame in tables.items():
        schema = {"fields": _fields(SCHEMAS[name]), "primaryKey": PRIMARY_KEYS[name]}
        if name in FOREIGN_KEYS:
            schema["foreignKeys"] = [
                {"fields": col, "reference": {"resource": ref, "fields": ref_col}}
                for col, ref, ref_col in FOREIGN_KEYS[name]]
        if name in sources_of:
            sources = [_raw_source(n, inputs.meta[n]) for n in sources_of[name]]
        elif name == "mergers":
            sources = [{"title": "Municipal mergers (code, successor, date)",
                        "publisher": "this project, from Statistics Finland's classification "
                        "of municipalities", "original_table": None, "data_year": "",
                        "route": "curated by hand in data/curated/mergers.csv",
                        "file": "curated/mergers.csv", "secondary": False}]
        else:
            sources = curated
        path = folder / TABLE_FILES[name]
        resource = {
            "name": name, "path": TABLE_FILES[name], "format": "csv", "encoding": "utf-8",
            "profile": "tabular-data-resource", "rows": int(len(frame)),
            "bytes": path.stat().st_size, "hash": file_digest(path), "schema": schema,
            "sources": sources, "licenses": [CC_BY],
            "transformations": log.steps.get(name, []),
        }
        if "year" in frame and name != "indicators" and name != "country_indicators":
            resource["years"] = sorted(int(y) for y in frame["year"].unique())
        if name in ("indicators", "country_indicators"):
            resource["periods"] = {ind: sorted(group["period"].unique().tolist())
                                   for ind, group in frame.groupby("indicator")}
        resource.update(log.notes.get(name, {}))
        resources.append(resource)
    gpkg = folder / BOUNDARIES_FILE
    resources.append({
        "name": "boundaries", "path": BOUNDARIES_FILE, "format": "gpkg",
        "mediatype": "application/geopackage+sqlite3", "layer": "municipalities",
        "crs": "EPSG:4326", "crs_note": "source CRS (WGS84 longitude/latitude) kept; "
        "reproject to EPSG:3067 (ETRS-TM35FIN) for maps", "rows": int(len(tables["municipalities"])),
        "bytes": gpkg.stat().st_size, "hash": file_digest(gpkg),
        "schema": {"fields": [{"name": "code", "type": "string"},
                              {"name": "geometry", "type": "geojson"}], "primaryKey": ["code"]},
        "sources": [_raw_source(n, inputs.meta[n]) for n in sources_of["boundaries"]],
        "licenses": [CC_BY], "transformations": log.steps.get("boundaries", []),
    })
    publishers = sorted({s["publisher"] for r in resources for s in r["sources"]
                         if s.get("file", "").startswith("raw/")})
    n_municipalities = int(len(tables["municipalities"]))
    return {
        "profile": "tabular-data-package",
        "name": "finnish-urban-policy-snapshot",
        "title": "Finnish municipalities, population, jobs, indicators and urban-policy "
                 "partnerships",
        "description": (f"All tables on the municipal division of 1 January {division_year} "
                        f"({n_municipalities} municipalities). Built by `analysis data build` "
                        "from the raw inputs in raw/ (official open data, each with a sidecar) "
                        "and the curated facts in curated/; figures of merged municipalities "
                        "are summed into their successor for the years before the merger."),
        "municipal_division": division_year,
        "municipalities": n_municipalities,
        "licenses": [CC_BY],
        "contributors": [{"title": p, "role": "publisher"} for p in publishers],
        "builder": f"analysis {builder_version}",
        "resources": resources,
    }


def csv_rows(path: Path) -> int:
    """Data rows of a CSV the build wrote (one line each, after the header)."""
    return max(Path(path).read_bytes().count(b"\n") - 1, 0)


def reseal(directory) -> dict:
    """Record the current bytes, hash and rows of every file in ``directory``'s package.

    Only for a *copy* of the snapshot edited on purpose (tests, benchmarks): the data check
    otherwise refuses a file that changed after the build. Analysts edit data/raw or
    data/curated and run ``analysis data build`` instead.
    """
    folder = Path(directory)
    path = folder / DATAPACKAGE_FILE
    package = json.loads(path.read_text(encoding="utf-8"))
    for item in package["resources"]:
        file = folder / item["path"]
        item["bytes"] = file.stat().st_size
        item["hash"] = file_digest(file)
        if item["path"].endswith(".csv"):
            item["rows"] = csv_rows(file)
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return package


# --------------------------------------------------------------------------- reading
@lru_cache(maxsize=4)
def _read_package(path: Path, mtime_ns: int, size: int) -> dict:
    try:
        package = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProvenanceError(f"{path}: not valid JSON ({exc}); run `analysis data build`") from None
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list) \
            or "municipal_division" not in package or "municipalities" not in package:
        raise ProvenanceError(f"{path}: not this project's data package (needs resources, "
                              "municipal_division, municipalities); run `analysis data build`")
    for item in package["resources"]:
        if not isinstance(item, dict) or not {"name", "path", "rows", "hash"} <= set(item):
            raise ProvenanceError(f"{path}: a resource lacks name, path, rows or hash")
    return package


def load_datapackage(directory=None) -> dict:
    path = data_dir(directory) / DATAPACKAGE_FILE
    if not path.exists():
        raise ProvenanceError(f"{path}: missing; run `analysis data build`")
    st = path.stat()
    return _read_package(path, st.st_mtime_ns, st.st_size)


def resource(name: str, directory=None) -> dict:
    for item in load_datapackage(directory)["resources"]:
        if item["name"] == name:
            return item
    raise ProvenanceError(f"{data_dir(directory) / DATAPACKAGE_FILE}: no resource {name!r}")


def division(directory=None) -> int:
    """The municipal division every table is on (year of its 1 January)."""
    return int(load_datapackage(directory)["municipal_division"])


def municipality_count(directory=None) -> int:
    return int(load_datapackage(directory)["municipalities"])


def indicator_periods(directory=None) -> dict[str, list[str]]:
    return dict(resource("indicators", directory).get("periods", {}))


def table_source(table_id: str, directory=None) -> dict:
    """The raw-input source entry of a Statistics Finland table id (publisher, updated…)."""
    for item in load_datapackage(directory)["resources"]:
        for src in item.get("sources", []):
            if src.get("table_id") == table_id:
                return src
    raise ProvenanceError(f"no input of table {table_id!r} in the data package")
