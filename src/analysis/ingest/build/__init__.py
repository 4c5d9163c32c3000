"""Rebuild the committed data snapshot (``data/``) from the raw inputs inside the project.

Everything the build reads lives in the repository: the official files in ``data/raw/``
(each with a sidecar giving publisher, table, periods, division, route, update date,
licence and sha256; see :mod:`analysis.ingest.raw`) and the hand-curated facts in
``data/curated/`` (partnerships and memberships, and the table of merged municipalities).
On a fresh clone ``analysis data build`` therefore reproduces ``data/`` byte for byte.

The inputs come on several municipal divisions; the snapshot holds everything on the
division of the municipality key table (its sidecar names it). A merger is harmonised by
summing the absorbed municipality's counts and areas into its successor for the years
before it, and by dissolving the polygons; the curated merger table says which codes merged
into which and when. Every step is counted and written into ``datapackage.json``.

One module per table (:mod:`.municipalities`, :mod:`.population`, :mod:`.jobs` (jobs and
commuting), :mod:`.unemployment`, :mod:`.indicators`, :mod:`.boundaries`,
:mod:`.partnerships`, :mod:`.claims`, and last :mod:`.similar`, which derives the similar
municipalities from the tables just built), what they share in :mod:`.common`, the
descriptor in :mod:`.package`.

Nothing is written unless everything passes: the tables go to a temporary folder inside
the output, which is validated with the same checks ``analysis data check`` runs
(:func:`analysis.data.validation.validate_folder`) before its files replace the old ones.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from pathlib import Path

from analysis import __version__
from analysis.core.paths import (
    BOUNDARIES_FILE,
    CLAIMS_FILE,
    DATAPACKAGE_FILE,
    MERGERS_FILE,
    RAW_DIR,
    SOURCES_DIR,
    TABLE_FILES,
)
from analysis.data import catalogue
from analysis.data.names import NameIndex
from analysis.data.validation import DataValidationError, validate_folder
from analysis.ingest import pxweb, raw
from analysis.ingest.build.boundaries import build_boundaries
from analysis.ingest.build.claims import build_claims
from analysis.ingest.build.common import (
    BuildError,
    BuildLog,
    Harmoniser,
    Inputs,
    check_mergers,
    read_mergers,
    write_csv,
    write_gpkg,
)
from analysis.ingest.build.indicators import build_indicators
from analysis.ingest.build.jobs import build_jobs
from analysis.ingest.build.municipalities import build_municipalities, read_key_table
from analysis.ingest.build.package import datapackage
from analysis.ingest.build.partnerships import build_partnerships
from analysis.ingest.build.population import build_population
from analysis.ingest.build.similar import build_similar
from analysis.ingest.build.unemployment import build_unemployment

__all__ = ["BuildError", "build_snapshot", "known_codes", "remove_leftovers"]

# Raw CSV inputs of older divisions and the column holding their municipality codes.
_CODE_COLUMNS = {catalogue.POPULATION_11RE: "kunta", catalogue.POPULATION_THL: "code",
                 catalogue.AREAS: "code", catalogue.JOBS_KEY_FIGURES: "code",
                 catalogue.CENTRAL_LOCALITIES: "code", catalogue.POPULATION_LAYER: "code"}


# The tables built from a curated file: a message about one names the file to edit.
CURATED_FROM = {"sources": "partnerships.yaml", "partnerships": "partnerships.yaml",
                "memberships": "partnerships.yaml", "claims": CLAIMS_FILE, "mergers": MERGERS_FILE}
TEMPORARY_PREFIX = ".build-"  # the build's own folder inside the output, until it is swapped in


def remove_leftovers(output: Path) -> None:
    """Remove what a build killed before its end (SIGKILL, a power cut) left in ``output``:
    its temporary folders, each a copy of the tables. Called under the data folder's lock,
    so no other build is using one."""
    import shutil

    for folder in Path(output).glob(TEMPORARY_PREFIX + "*"):
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)


def known_codes(inputs: Inputs, key) -> set[str]:
    """Every municipality code the inputs know: the key table's and those of the raw files
    of older divisions (a merged municipality appears in them under its own code)."""
    codes = set(key["code"])
    for name, column in _CODE_COLUMNS.items():
        if name in inputs.meta:
            with open(inputs.path(name), encoding="utf-8", newline="") as handle:
                codes |= {row.get(column) or "" for row in csv.DictReader(handle)}
    return {c for c in codes if len(c) == 3 and c.isdigit()}


def build_snapshot(raw_dir: Path | None = None, output: Path | None = None,
                   sources_dir: Path | None = None, curated: Path | None = None) -> dict:
    """Rebuild every table of the snapshot from ``raw_dir`` into ``output``; return the package.

    ``raw_dir`` defaults to ``output/raw`` and ``curated`` to ``output/curated`` (or, with
    neither output nor raw given, the project's ``data/``). The source documents, where
    ``sources_dir`` (default: ``../shared/sources`` beside the project) exists, are used to
    check the memberships' evidence; the output does not depend on whether they exist.
    """
    if output is None:
        output = Path(raw_dir).parent if raw_dir is not None else RAW_DIR.parent
    output = Path(output)
    raw_dir = Path(raw_dir) if raw_dir is not None else output / "raw"
    curated = Path(curated) if curated is not None else output / "curated"
    sources_dir = SOURCES_DIR if sources_dir is None else Path(sources_dir)
    try:
        meta = {p.relative_to(raw_dir).as_posix(): m for p, m in raw.inventory(raw_dir).items()}
    except raw.RawInputError as exc:
        raise BuildError(str(exc)) from None
    inputs = Inputs(raw=raw_dir, curated=curated, meta=meta)
    log = BuildLog()
    try:
        key, division_year = read_key_table(inputs, log)
        mergers = read_mergers(curated)
        check_mergers(mergers, key, dict.fromkeys(known_codes(inputs, key), ""),
                      curated / MERGERS_FILE, division_year)
        harmoniser = Harmoniser(mergers, division_year, set(key["code"]))
        boundaries = build_boundaries(inputs, log, harmoniser)
        municipalities = build_municipalities(inputs, log, key, boundaries, harmoniser)
        population = build_population(inputs, log, harmoniser)
        names = NameIndex(municipalities, mergers, division_year)
        jobs, commuting = build_jobs(inputs, log, harmoniser, names)
        indicators, country = build_indicators(inputs, log, harmoniser)
        unemployment = build_unemployment(inputs, log, harmoniser, indicators)
    except pxweb.PxWebFormatError as exc:
        raise BuildError(str(exc)) from None
    sources, partnerships, memberships = build_partnerships(curated, names, log, sources_dir)
    claims = build_claims(curated, sources, log, partnerships)
    tables = {"municipalities": municipalities, "population": population, "jobs": jobs,
              "commuting": commuting, "unemployment": unemployment,
              "sources": sources, "partnerships": partnerships, "memberships": memberships,
              "indicators": indicators, "country_indicators": country, "mergers": mergers,
              "claims": claims}
    key_period = inputs.sidecar(catalogue.KEY_TABLE)["periods"][-1]
    tables["similarity_measures"], tables["similar"] = build_similar(tables, curated,
                                                                     key_period, log)

    output.mkdir(parents=True, exist_ok=True)
    # Write into a temporary folder first, validate it as `analysis data check` would, then
    # move: a failed build leaves the output untouched.
    with tempfile.TemporaryDirectory(dir=output, prefix=TEMPORARY_PREFIX) as tmp:
        tmp = Path(tmp)
        for name, frame in tables.items():
            write_csv(frame, tmp / TABLE_FILES[name])
        write_gpkg(boundaries, tmp / BOUNDARIES_FILE, stamp=f"{division_year}-01-01T00:00:00Z")
        package = datapackage(tables, log, inputs, tmp, builder_version=__version__,
                              division_year=division_year)
        (tmp / DATAPACKAGE_FILE).write_text(
            json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        try:
            validate_folder(tmp)
        except DataValidationError as exc:
            first = str(exc).splitlines()[0]
            source = next((f" (built from {curated / name})" for table, name in CURATED_FROM.items()
                           if first.startswith(str(tmp / TABLE_FILES[table]))), "")
            raise BuildError(f"the built snapshot would not pass `analysis data check`, nothing "
                             f"was written: {first.replace(str(tmp), str(output))}{source}") from None
        for item in tmp.iterdir():
            os.replace(item, output / item.name)
    return package
