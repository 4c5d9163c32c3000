"""Provenance of the snapshot: a Frictionless Data Package descriptor (``data/datapackage.json``).

For every table: its columns (from the declared schema), where each input came from
(publisher, original table, data year, route, licence, primary or secondary), and what the
build did to it (the build log). Reports read the data vintage from here.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .paths import BOUNDARIES_FILE, DATAPACKAGE_FILE, TABLE_FILES, data_dir
from .schemas import FOREIGN_KEYS, PRIMARY_KEYS, SCHEMAS, frictionless_type

CC_BY = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
         "path": "https://creativecommons.org/licenses/by/4.0/"}

STATFIN = "Statistics Finland (Tilastokeskus)"
NLS = "National Land Survey of Finland (Maanmittauslaitos)"

# Inputs of each table. "secondary": the figure is official but reached us through a
# secondary source (an encyclopaedia list, a copy in a public repository).
TABLE_SOURCES = {
    "municipalities": [
        {"title": "Municipality key table, 2025 division (codes, names, region, sub-region, "
                  "urban–rural grouping, language status, wellbeing services county)",
         "publisher": STATFIN, "original_table": "Classification service: municipalities 2025 "
         "and their correspondence classifications", "data_year": 2025,
         "route": "municipality key table of the geofi R package (rOpenGov)",
         "file": "municipalities_2025.csv", "secondary": False},
        {"title": "Municipalities with the title kaupunki (city), start of 2023; Lieto from July 2022",
         "publisher": "the municipalities' own decisions", "original_table": None,
         "data_year": 2023, "route": "Finnish Wikipedia lists (Jan–Feb 2023), cross-checked; "
         "Lieto from its own announcement", "file": "cities_2023.csv", "secondary": True},
        {"title": "Land and total area by municipality", "publisher": NLS,
         "original_table": "Areas by municipality (pinta-alat kunnittain)", "data_year": 2022,
         "route": "Finnish Wikipedia municipality list, which cites NLS",
         "file": "area_km2.csv", "secondary": True},
        {"title": "Central locality label points", "publisher": NLS,
         "original_table": "Topographic Database (April 2025)", "data_year": 2025,
         "route": "geofi R package data", "file": "central_localities.csv", "secondary": False},
    ],
    "population": [
        {"title": "Population on 31 December, 2000–2022 (2021–2024 division)",
         "publisher": STATFIN, "original_table": "THL Sotkanet indicator 127 (population)",
         "data_year": "2000–2022", "route": "geofi R package data",
         "file": "population_2000_2022.csv", "secondary": False},
        {"title": "Population on 31 December 2024 (2025 division)", "publisher": STATFIN,
         "original_table": "map service layer kunta_vaki2024", "data_year": 2024,
         "route": "copy of the layer in a public repository (retrieved Sept 2025)",
         "file": "population_2024_division2025.csv", "secondary": False},
    ],
    "jobs": [
        {"title": "Jobs located in the municipality (workplaces), 2020", "publisher": STATFIN,
         "original_table": "Kuntien avainluvut (municipal key figures), 2021 edition",
         "data_year": 2020, "route": "copy in a public repository; names matched to codes",
         "file": "jobs_2020.csv", "secondary": True},
    ],
    "sources": [
        {"title": "The project's source documents", "publisher": "see the rows",
         "original_table": None, "data_year": "2023–2024", "route": "shared/sources",
         "file": "data/curated/partnerships.yaml", "secondary": False},
    ],
    "partnerships": [
        {"title": "Partnerships named in the source documents", "publisher": "see sources.csv",
         "original_table": None, "data_year": "2023–2024",
         "route": "curated by hand in data/curated/partnerships.yaml",
         "file": "data/curated/partnerships.yaml", "secondary": False},
    ],
    "memberships": [
        {"title": "Member cities named in the source documents", "publisher": "see sources.csv",
         "original_table": None, "data_year": "2023–2024",
         "route": "curated by hand in data/curated/partnerships.yaml; each row's evidence "
                  "string checked against the document", "file": "data/curated/partnerships.yaml",
         "secondary": False},
    ],
    "boundaries": [
        {"title": "Municipal division 1:4.5 million, 2021–2024 division", "publisher": STATFIN,
         "original_table": "Municipal division 1:4 500 000 (kunnat 1:4.5M)", "data_year": 2021,
         "route": "converted to TopoJSON by Yle (Finnish public broadcaster)",
         "file": "geo/municipalities_2021_4500k.topo.json", "secondary": True},
    ],
}


def _fields(schema) -> list[dict]:
    return [{"name": name, "type": frictionless_type(col), "description": col.description or ""}
            for name, col in schema.columns.items()]


def datapackage(tables: dict, steps: dict[str, list[str]], builder_version: str,
                division_year: int) -> dict:
    """The descriptor for the tables just built (row counts, years and build steps included)."""
    resources = []
    for name, frame in tables.items():
        schema = {"fields": _fields(SCHEMAS[name]), "primaryKey": PRIMARY_KEYS[name]}
        if name in FOREIGN_KEYS:
            schema["foreignKeys"] = [
                {"fields": col, "reference": {"resource": ref, "fields": ref_col}}
                for col, ref, ref_col in FOREIGN_KEYS[name]]
        resource = {
            "name": name, "path": TABLE_FILES[name], "format": "csv", "encoding": "utf-8",
            "profile": "tabular-data-resource", "rows": int(len(frame)), "schema": schema,
            "sources": TABLE_SOURCES[name], "licenses": [CC_BY],
            "transformations": steps.get(name, []),
        }
        if "year" in frame:
            resource["years"] = sorted(int(y) for y in frame["year"].unique())
        resources.append(resource)
    resources.append({
        "name": "boundaries", "path": BOUNDARIES_FILE, "format": "gpkg",
        "mediatype": "application/geopackage+sqlite3", "layer": "municipalities",
        "crs": "EPSG:4326", "crs_note": "source CRS (WGS84 longitude/latitude) kept; "
        "reproject to EPSG:3067 (ETRS-TM35FIN) for maps", "rows": int(len(tables["municipalities"])),
        "schema": {"fields": [{"name": "code", "type": "string"},
                              {"name": "geometry", "type": "geojson"}], "primaryKey": ["code"]},
        "sources": TABLE_SOURCES["boundaries"], "licenses": [CC_BY],
        "transformations": steps.get("boundaries", []),
    })
    return {
        "profile": "tabular-data-package",
        "name": "finnish-urban-policy-snapshot",
        "title": "Finnish municipalities, population, jobs and urban-policy partnerships",
        "description": (f"All tables on the {division_year} municipal division (308 "
                        "municipalities). Built by `analysis data build` from official open "
                        "data; years before a merger are summed into the successor."),
        "municipal_division": division_year,
        "licenses": [CC_BY],
        "contributors": [{"title": STATFIN, "role": "publisher"}, {"title": NLS, "role": "publisher"},
                         {"title": "Finnish Institute for Health and Welfare (THL), Sotkanet",
                          "role": "distributor"}],
        "builder": f"analysis {builder_version}",
        "resources": resources,
    }


@lru_cache(maxsize=4)
def _read_package(path: Path, mtime_ns: int) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def load_datapackage(directory=None) -> dict:
    path = data_dir(directory) / DATAPACKAGE_FILE
    return _read_package(path, path.stat().st_mtime_ns)


def resource(name: str, directory=None) -> dict:
    for item in load_datapackage(directory)["resources"]:
        if item["name"] == name:
            return item
    raise KeyError(name)

