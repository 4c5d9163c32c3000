"""`analysis data build` computes the similar municipalities from the tables it builds:
a weight changed in data/curated/similarity.yaml changes similar.csv (and nothing else but
the descriptor), a broken configuration stops the build with one line and writes nothing,
and datapackage.json records the method."""

import filecmp

import pytest

from analysis.core import paths
from analysis.data.provenance import load_datapackage
from analysis.ingest.build import BuildError, build_snapshot


def _set(folder, old: str, new: str) -> None:
    path = folder / "curated" / "similarity.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_weight_changed_in_the_configuration_changes_the_neighbours(inputs_only, tmp_path):
    _set(inputs_only, "    transform: log10\n    weight: 2\n", "    transform: log10\n    weight: 8\n")
    build_snapshot(output=inputs_only, sources_dir=tmp_path / "no-documents")
    for name in paths.TABLE_FILES.values():
        same = filecmp.cmp(inputs_only / name, paths.DATA_DIR / name, shallow=False)
        assert same == (name not in ("similar.csv", "similarity_measures.csv")), name
    method = next(r for r in load_datapackage(inputs_only)["resources"]
                  if r["name"] == "similar")["method"]
    assert method["measures"][0] == {"measure": "population", "weight": 8.0, "transform": "log10",
                                     "period": "2025", "source_table": "population", "imputed": []}
    assert method["neighbours"] == 9 and method["standardise"] == "zscore"


@pytest.mark.parametrize("old, new, message", [
    ("neighbours: 9", "neighbours: nine", "neighbours: 'nine' is not a whole number from 1 to 50"),
    ("  median_income:\n", "  median_incomes:\n", "measures.median_incomes: unknown measure"),
    ("neighbours: 9", "neighbours: 9\nneighbours: 10", "the key 'neighbours' is given twice"),
])
def test_a_broken_configuration_stops_the_build_and_writes_nothing(inputs_only, tmp_path, old,
                                                                   new, message):
    _set(inputs_only, old, new)
    with pytest.raises(BuildError) as info:
        build_snapshot(output=inputs_only, sources_dir=tmp_path / "no-documents")
    assert message in str(info.value) and "similarity.yaml" in str(info.value)
    assert "\n" not in str(info.value).strip()
    assert not (inputs_only / "similar.csv").exists() and not (inputs_only / "datapackage.json").exists()
