"""Every path the project uses, built from the project root in one place."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# src/analysis -> src -> project root (an editable install keeps this layout).
PROJECT_ROOT = Path(os.environ.get("ANALYSIS_PROJECT_ROOT", PACKAGE_DIR.parent.parent)).resolve()

DATA_DIR = Path(os.environ.get("ANALYSIS_DATA_DIR", PROJECT_ROOT / "data")).resolve()
CURATED_DIR = PROJECT_ROOT / "data" / "curated"
RAW_DIR = PROJECT_ROOT / "data" / "raw"
MERGERS_FILE = "mergers.csv"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"

# The source documents (and the reference files the raw inputs were first copied from)
# sit beside the checkout; the build itself reads only data/raw and data/curated.
SHARED_DIR = PROJECT_ROOT.parent / "shared"
REFERENCE_DIR = SHARED_DIR / "reference"
SOURCES_DIR = SHARED_DIR / "sources"

TABLE_FILES = {
    "municipalities": "municipalities.csv",
    "population": "population.csv",
    "jobs": "jobs.csv",
    "sources": "sources.csv",
    "partnerships": "partnerships.csv",
    "memberships": "memberships.csv",
    "indicators": "indicators.csv",
    "country_indicators": "country_indicators.csv",
    "mergers": "mergers.csv",
}
BOUNDARIES_FILE = "boundaries.gpkg"
DATAPACKAGE_FILE = "datapackage.json"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The snapshot folder: an explicit override, else ``ANALYSIS_DATA_DIR``, else ``data/``."""
    if override is not None:
        return Path(override).resolve()
    return Path(os.environ.get("ANALYSIS_DATA_DIR", DATA_DIR)).resolve()
