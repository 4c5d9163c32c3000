"""The official input files the build reads, kept inside the project in ``data/raw/``.

Every raw file ``X.ext`` has a sidecar ``X.meta.json`` beside it that says what the file is
and where it came from: publisher, table id, what it holds, the periods it covers, the
municipal division it is on, the route by which it reached us, the table's own update date,
the licence and the file's sha256. The build refuses a raw file whose bytes do not match
its sidecar, so a file edited by accident (or truncated) is caught, not silently built on.

A PxWeb response's sidecar is derived from the response itself (:func:`pxweb_sidecar`):
table id from the file name, periods from the time variable, division from the area
variable's code, update time from the response's metadata.
"""

from __future__ import annotations

import json
from pathlib import Path

from analysis.core.errors import AnalysisError
from analysis.core.files import sha256_file

SIDECAR_SUFFIX = ".meta.json"
LICENCE = "CC-BY-4.0"
REQUIRED_KEYS = ("file", "publisher", "table_id", "title", "periods", "municipal_division",
                 "route", "updated", "licence", "sha256")


class RawInputError(AnalysisError, RuntimeError):
    """A raw input or its sidecar is missing, malformed or does not match."""


def sidecar_path(path: Path) -> Path:
    """``data/raw/pxweb/11re_2025.json`` -> ``data/raw/pxweb/11re_2025.meta.json``."""
    path = Path(path)
    name = path.name
    stem = name[: name.index(".")] if "." in name else name
    return path.with_name(stem + SIDECAR_SUFFIX)


def is_sidecar(path: Path) -> bool:
    return Path(path).name.endswith(SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> dict:
    """The sidecar of raw file ``path``, checked for its required keys."""
    meta_path = sidecar_path(path)
    if not meta_path.exists():
        raise RawInputError(f"{path}: raw file has no sidecar {meta_path.name}")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RawInputError(f"{meta_path}: not a valid JSON sidecar ({exc})") from None
    if not isinstance(meta, dict):
        raise RawInputError(f"{meta_path}: sidecar must be a JSON object")
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        raise RawInputError(f"{meta_path}: sidecar lacks {', '.join(missing)}")
    if meta["file"] != Path(path).name:
        if (Path(path).parent / str(meta["file"])).is_file():  # a copy beside the described file
            raise RawInputError(f"{path}: raw file without a sidecar of its own ({meta_path.name} "
                                f"describes {meta['file']}); a copy or backup? move it out of "
                                "data/raw")
        raise RawInputError(f"{meta_path}: names file {meta['file']!r}, not {Path(path).name!r}")
    return meta


def write_sidecar(path: Path, meta: dict) -> dict:
    """Write the sidecar of ``path`` (sha256 and file name filled in); return it."""
    path = Path(path)
    meta = {**meta, "file": path.name, "sha256": sha256_file(path)}
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        raise RawInputError(f"{path}: sidecar would lack {', '.join(missing)}")
    ordered = {k: meta[k] for k in REQUIRED_KEYS} | {k: v for k, v in meta.items()
                                                   if k not in REQUIRED_KEYS}
    sidecar_path(path).write_text(json.dumps(ordered, ensure_ascii=False, indent=2) + "\n",
                                  encoding="utf-8")
    return ordered


def inventory(raw_dir: Path) -> dict[Path, dict]:
    """Every raw file under ``raw_dir`` with its verified sidecar, sorted by path.

    Fails on a file without sidecar, a sidecar without file, or a checksum mismatch.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise RawInputError(f"{raw_dir}: raw input folder missing")
    files = sorted(p for p in raw_dir.rglob("*") if p.is_file() and not is_sidecar(p)
                   and not p.name.startswith("."))
    out = {}
    for path in files:
        meta = read_sidecar(path)
        actual = sha256_file(path)
        if actual != meta["sha256"]:
            raise RawInputError(f"{path}: sha256 {actual[:12]}… differs from its sidecar "
                                f"({meta['sha256'][:12]}…): the file changed since it was "
                                "recorded")
        out[path] = meta
    for meta_path in sorted(raw_dir.rglob("*" + SIDECAR_SUFFIX)):
        stem = meta_path.name[: -len(SIDECAR_SUFFIX)]
        if not any(p.parent == meta_path.parent and sidecar_path(p) == meta_path for p in files):
            raise RawInputError(f"{meta_path}: sidecar without its raw file ({stem}.*)")
    return out


def pxweb_sidecar(path: Path, route: str, url: str | None = None, request=None,
                  retrieved: str | None = None, asked: str | None = None) -> dict:
    """Write the sidecar of a PxWeb response from what the response says about itself
    (``asked``: 'total' or 'parts', where the table could be asked either way)."""
    from analysis.data.catalogue import TABLES
    from analysis.ingest import pxweb

    response = pxweb.read_response(path)
    spec = TABLES.get(response.table_id)
    extra = {"asked": asked} if asked and spec is not None and spec.parts is not None else {}
    return write_sidecar(path, {
        "publisher": response.publisher,
        "table_id": response.table_id,
        "title": response.label,
        "periods": response.periods,
        "municipal_division": response.division,
        "route": route,
        "updated": response.updated,
        "licence": LICENCE,
        "retrieved": retrieved,
        "url": url,
        "request": request,
        "source": response.source,
    } | extra)
