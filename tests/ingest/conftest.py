"""Fixtures of the ingest tests: a scratch copy of the data folder and the PxWeb
look-alike on 127.0.0.1 (tests/pxweb_server.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pxweb_server import FakePxWeb

from analysis.core import paths
from analysis.ingest import refresh as rf


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """The snapshot copied (without a refresh's leftovers), raw PxWeb sidecars included."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, target, ignore=shutil.ignore_patterns(
        rf.STAGING_NAME, rf.BACKUP_NAME))
    assert any((target / "raw" / "pxweb").glob("*.meta.json"))
    return target


@pytest.fixture
def inputs_only(tmp_path) -> Path:
    """A data folder holding only what a clone has as inputs: raw/ and curated/."""
    folder = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR / "raw", folder / "raw")
    shutil.copytree(paths.DATA_DIR / "curated", folder / "curated")
    return folder


@pytest.fixture
def server():
    fake = FakePxWeb(timeout_sleep=1.0).start()
    yield fake
    fake.stop()
