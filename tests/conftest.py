import os
import shutil
from pathlib import Path

import pytest

# Figures must render to images in notebooks even when CI exports MPLBACKEND=Agg globally;
# the library code itself never depends on the backend.
os.environ.setdefault("MPLBACKEND", "Agg")

from analysis import paths  # noqa: E402

REFERENCE = paths.REFERENCE_DIR


@pytest.fixture
def snapshot_copy(tmp_path) -> Path:
    """A writable copy of the committed snapshot, for corrupting."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, target, ignore=shutil.ignore_patterns("curated"))
    return target


needs_reference = pytest.mark.skipif(not REFERENCE.exists(),
                                     reason="../shared/reference is not beside the checkout")
