import os
import shutil
from pathlib import Path

import pytest

# Figures must render to images in notebooks even when CI exports MPLBACKEND=Agg globally;
# the library code itself never depends on the backend.
os.environ.setdefault("MPLBACKEND", "Agg")

from analysis import paths  # noqa: E402


@pytest.fixture
def snapshot_copy(tmp_path) -> Path:
    """A writable copy of the committed snapshot, for corrupting."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, target, ignore=shutil.ignore_patterns("curated", "raw"))
    return target

