"""Provenance of the snapshot, read from its Frictionless Data Package descriptor
(``data/datapackage.json``; written by the build, :mod:`analysis.ingest.build.package`).

For every table: its columns (from the declared schema), row count, byte size and sha256
(so that a changed or truncated file is caught), the raw inputs it was built from (each
with publisher, table id, periods, municipal division, route, the table's own update date,
licence and checksum, copied from the raw file's sidecar), and what the build did to it.

Reports read every vintage they print from here — the division, the number of
municipalities, each table's years, each indicator's period, the source documents' dates —
so no year is typed into code or translations.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from analysis.core.errors import AnalysisError
from analysis.core.files import frictionless_hash
from analysis.core.paths import DATAPACKAGE_FILE, data_dir


class ProvenanceError(AnalysisError, ValueError):
    """datapackage.json is missing, unreadable or of the wrong shape."""


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
        item["hash"] = frictionless_hash(file)
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
