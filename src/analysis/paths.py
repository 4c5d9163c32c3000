"""Every path the project uses, built from the project root in one place."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# src/analysis -> src -> project root (an editable install keeps this layout).
PROJECT_ROOT = Path(os.environ.get("ANALYSIS_PROJECT_ROOT", PACKAGE_DIR.parent.parent)).resolve()

DATA_DIR = Path(os.environ.get("ANALYSIS_DATA_DIR", PROJECT_ROOT / "data")).resolve()
CURATED_DIR = PROJECT_ROOT / "data" / "curated"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"

# The official reference files and source documents sit beside the checkout.
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
}
BOUNDARIES_FILE = "boundaries.gpkg"
DATAPACKAGE_FILE = "datapackage.json"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The snapshot folder: an explicit override, else ``ANALYSIS_DATA_DIR``, else ``data/``."""
    if override is not None:
        return Path(override).resolve()
    return Path(os.environ.get("ANALYSIS_DATA_DIR", DATA_DIR)).resolve()
