"""`analysis data build` reproduces the committed snapshot byte for byte."""

import filecmp

import pytest

from analysis import paths
from analysis.build import build_snapshot
from conftest import needs_reference

SNAPSHOT_FILES = [*paths.TABLE_FILES.values(), paths.BOUNDARIES_FILE, paths.DATAPACKAGE_FILE]


@needs_reference
def test_rebuild_matches_committed_snapshot(tmp_path):
    build_snapshot(paths.REFERENCE_DIR, tmp_path / "a")
    build_snapshot(paths.REFERENCE_DIR, tmp_path / "b")
    for name in SNAPSHOT_FILES:
        assert filecmp.cmp(tmp_path / "a" / name, tmp_path / "b" / name, shallow=False), \
            f"{name} differs between two builds"
        assert filecmp.cmp(tmp_path / "a" / name, paths.DATA_DIR / name, shallow=False), \
            f"{name}: committed data/ is stale; run `make data`"


@needs_reference
def test_build_stops_on_a_new_quirk(tmp_path):
    import shutil

    from analysis.build import BuildError

    ref = tmp_path / "reference"
    shutil.copytree(paths.REFERENCE_DIR, ref)
    path = ref / "jobs_2020.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("\n005,", "\n5,", 1), encoding="utf-8")
    with pytest.raises(BuildError, match=r"jobs_2020.csv: row 1 \(line 2\), column 'code'"):
        build_snapshot(ref, tmp_path / "out")
    assert not (tmp_path / "out" / "jobs.csv").exists()
