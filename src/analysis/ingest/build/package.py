"""The snapshot's Frictionless Data Package descriptor (``datapackage.json``), written by
the build: for every table its fields (from the declared schema), keys, rows, bytes and
sha256, the raw inputs it was built from (their sidecars' facts), its licence and what the
build did to it. :mod:`analysis.data.provenance` reads it."""

from __future__ import annotations

from pathlib import Path

from analysis.core.files import frictionless_hash
from analysis.core.paths import BOUNDARIES_FILE, TABLE_FILES
from analysis.core.text import format_months
from analysis.data import catalogue
from analysis.data.schemas import FOREIGN_KEYS, PRIMARY_KEYS, SCHEMAS, frictionless_type

CC_BY = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
         "path": "https://creativecommons.org/licenses/by/4.0/"}
CURATED = "curated/partnerships.yaml"


def _span(values) -> str:
    values = sorted(str(v) for v in values)
    if not values:
        return ""
    return values[0] if len(values) == 1 else f"{values[0]}–{values[-1]}"


# Raw inputs a table lists among its sources without building from them.
ROLES = {
    ("jobs", catalogue.JOBS_KEY_FIGURES): "compared only: the key figures' count of its year "
    "against 115p's (see reconciliation); 115p is used",
    ("unemployment", catalogue.UNEMPLOYMENT_HISTORY_R): "the original R data file; the build "
    f"reads its json transcription ({catalogue.UNEMPLOYMENT_HISTORY}), a test proves them equal",
}


def _raw_source(name: str, meta: dict, table: str = "") -> dict:
    role = ROLES.get((table, name))
    return ({"role": role} if role else {}) | {
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
    indicator_tables = {i.table_id for i in catalogue.INDICATORS.values()}
    api_population = [n for n, m in inputs.meta.items()
                      if n.startswith("pxweb/") and m["table_id"] == "11re"]
    api_jobs = [n for n, m in inputs.meta.items()  # newer jobs years, from the refresh
                if n.startswith("pxweb/") and m["table_id"] == "115p"]
    api_indicators = [n for n, m in inputs.meta.items()
                      if n.startswith("pxweb/") and m["table_id"] in indicator_tables]
    api_unemployment = [n for n, m in inputs.meta.items()
                        if n.startswith("pxweb/") and m["table_id"] == "12r5"]
    exports = [catalogue.JOBS_LOCAL_WORKERS, catalogue.JOBS_IN_COMMUTERS]
    return {
        "municipalities": [catalogue.KEY_TABLE, catalogue.CITIES, catalogue.AREAS,
                           catalogue.CENTRAL_LOCALITIES],
        "population": sorted(api_population) + [catalogue.POPULATION_11RE,
                                                catalogue.POPULATION_LAYER,
                                                catalogue.POPULATION_THL],
        "jobs": sorted(api_jobs, reverse=True) + exports + [catalogue.JOBS_KEY_FIGURES],
        "commuting": sorted(api_jobs, reverse=True) + exports,
        "unemployment": sorted(api_unemployment, reverse=True) + [
            catalogue.UNEMPLOYMENT_HISTORY, catalogue.UNEMPLOYMENT_HISTORY_R],
        "indicators": sorted(api_indicators),
        "country_indicators": sorted(api_indicators),
        "boundaries": [catalogue.BOUNDARIES_TOPO],
    }


# Tables the build derives from other tables of the snapshot: their inputs.
DERIVED_FROM = ("municipalities", "population", "indicators", "jobs", "commuting",
                "unemployment")
SIMILARITY = {"title": "Similar municipalities: measures, weights, standardisation, "
                       "number of neighbours (curated configuration)",
              "publisher": "this project", "original_table": None, "data_year": "",
              "route": "computed by `analysis data build` (analysis.analyses.similar) from "
                       "this snapshot's " + ", ".join(DERIVED_FROM) + " tables, as "
                       "data/curated/similarity.yaml configures",
              "file": "curated/similarity.yaml", "secondary": False}


def _derived_sources(resources: list[dict]) -> list[dict]:
    """The configuration, then each table of the snapshot the similarity is derived from
    (its publishers and years; its raw inputs are listed under its own resource)."""
    built = {r["name"]: r for r in resources}
    out = [SIMILARITY]
    for name in DERIVED_FROM:
        item = built[name]
        years = item.get("vintage") or _span(item.get("years") or [
            p for periods in item.get("periods", {}).values() for p in periods]) or ", ".join(
            sorted({str(s["data_year"]) for s in item["sources"] if s.get("data_year")}))
        out.append({"title": f"{name}.csv of this snapshot", "publisher": "; ".join(
                        sorted({s["publisher"] for s in item["sources"]})),
                    "original_table": None, "data_year": years or "",
                    "route": "a table of this snapshot (its sources: its own resource)",
                    "file": TABLE_FILES[name], "secondary": False})
    return out


def _curated_sources(tables: dict) -> list[dict]:
    docs = tables["sources"]
    return [{"title": f"{row.title_en} ({row.title_fi})", "publisher": row.publisher,
             "original_table": None, "data_year": row.date, "route": f"curated by hand in "
             f"data/{CURATED} from the document {row.file} (kept outside the project)",
             "file": CURATED, "secondary": False} for row in docs.itertuples()]


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
            sources = [_raw_source(n, inputs.meta[n], name) for n in sources_of[name]]
        elif name in ("similar", "similarity_measures"):
            sources = _derived_sources(resources)
        elif name == "claims":
            sources = [{"title": "Published claims checked by the reports",
                        "publisher": "this project, from the source documents",
                        "original_table": None, "data_year": "",
                        "route": "curated by hand in data/curated/claims.yaml",
                        "file": "curated/claims.yaml", "secondary": False}]
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
            "bytes": path.stat().st_size, "hash": frictionless_hash(path), "schema": schema,
            "sources": sources, "licenses": [CC_BY],
            "transformations": log.steps.get(name, []),
        }
        if name == "unemployment":  # months: a year with one month held is not that year
            resource["periods"] = sorted(frame["period"].unique().tolist())
            resource["vintage"] = format_months(resource["periods"])
        elif "year" in frame and name != "indicators" and name != "country_indicators":
            resource["years"] = sorted(int(y) for y in frame["year"].unique())
        if name == "similarity_measures":  # each measure keeps its own period
            resource["vintage"] = ", ".join(sorted(frame["period"].unique()))
        if name == "similar":
            resource["vintage"] = ", ".join(sorted(tables["similarity_measures"]["period"].unique()))
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
        "bytes": gpkg.stat().st_size, "hash": frictionless_hash(gpkg),
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
        "title": "Finnish municipalities, population, jobs, commuting, unemployment, "
                 "indicators, similar municipalities and urban-policy partnerships",
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
