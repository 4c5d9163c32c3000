"""Every path the project uses, built from the project root in one place."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import AnalysisError

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/analysis


class DataNotFoundError(AnalysisError, FileNotFoundError):
    """No data folder: neither ``ANALYSIS_DATA_DIR`` nor a checkout holding ``data/``."""


def checkout_root(package_dir: Path = PACKAGE_DIR) -> Path | None:
    """The project checkout the package runs from (an editable install keeps the layout
    <root>/src/analysis), or None for a wheel installed into site-packages, which carries
    no data."""
    root = package_dir.parent.parent
    in_checkout = package_dir.parent.name == "src" and (root / "pyproject.toml").is_file()
    return root if in_checkout else None


# Outside a checkout the working folder stands in for the project (notebooks/, reports/);
# the data is never looked for there (see data_dir).
PROJECT_ROOT = Path(os.environ.get("ANALYSIS_PROJECT_ROOT")
                    or checkout_root() or Path.cwd()).resolve()
_HAS_ROOT = bool(os.environ.get("ANALYSIS_PROJECT_ROOT")) or checkout_root() is not None

# An empty ANALYSIS_DATA_DIR (``export ANALYSIS_DATA_DIR=``) is unset, as everywhere below;
# Path("") would be the current folder.
DATA_DIR = Path(os.environ.get("ANALYSIS_DATA_DIR") or PROJECT_ROOT / "data").resolve()
CURATED_DIR = PROJECT_ROOT / "data" / "curated"
RAW_DIR = PROJECT_ROOT / "data" / "raw"
MERGERS_FILE = "mergers.csv"
CLAIMS_FILE = "claims.yaml"
SIMILARITY_FILE = "similarity.yaml"
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
    "commuting": "commuting.csv",
    "unemployment": "unemployment.csv",
    "sources": "sources.csv",
    "partnerships": "partnerships.csv",
    "memberships": "memberships.csv",
    "indicators": "indicators.csv",
    "country_indicators": "country_indicators.csv",
    "mergers": "mergers.csv",
    "claims": "claims.csv",
    "similarity_measures": "similarity_measures.csv",
    "similar": "similar.csv",
}
BOUNDARIES_FILE = "boundaries.gpkg"
DATAPACKAGE_FILE = "datapackage.json"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The snapshot folder: an explicit override, else ``ANALYSIS_DATA_DIR``, else the
    checkout's ``data/``; :class:`DataNotFoundError` (one line) when there is none."""
    if override is not None:
        return Path(override).resolve()
    if os.environ.get("ANALYSIS_DATA_DIR"):
        folder = Path(os.environ["ANALYSIS_DATA_DIR"]).resolve()
        if not folder.is_dir():
            what = "is a file, not a folder" if folder.exists() else "no such folder"
            raise DataNotFoundError(f"ANALYSIS_DATA_DIR={folder}: {what}; point it at "
                                    "the folder holding datapackage.json")
        return folder
    # In a checkout a missing data/ is left to the readers, whose messages say to run
    # `analysis data build`; outside one there is nothing to build from.
    if not _HAS_ROOT:
        raise DataNotFoundError(f"no data folder: analysis is installed at {PACKAGE_DIR}, "
                                "outside a project checkout; set ANALYSIS_DATA_DIR to the "
                                "folder holding datapackage.json")
    return DATA_DIR
