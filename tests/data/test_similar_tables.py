"""similar.csv and similarity_measures.csv are validated like every table: a corrupt copy
(resealed, so the checksums pass and the checks themselves must catch it) fails naming
the file, and the row and column where there is one."""

import pytest

from analysis import data
from analysis.data import DataValidationError, provenance


def _edit(folder, name, old, new):
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    provenance.reseal(folder)  # an edit on purpose: only the table checks stand in the way


def _error(folder) -> str:
    with pytest.raises(DataValidationError) as info:
        data.load(folder)
    return str(info.value)


def test_the_committed_tables_load():
    assert len(data.similar()) == 308 * 9 and len(data.similarity_measures()) == 308 * 11


@pytest.mark.parametrize("old, new, expected", [
    ("\n005,1,233,", "\n005,1,005,", "similar.csv: row 0 (line 2), column 'code': value '005' "
                                     "fails a municipality is not its own neighbour"),
    ("\n005,1,233,", "\n005,1,999,", "similar.csv: row 0 (line 2), column 'similar_code': '999' "
                                     "does not exist in municipalities.code"),
    ("\n005,2,232,", "\n005,1,232,", "the key (code, rank) must be unique"),
    ("\n005,2,232,1.047", "\n005,2,232,0.5", "similar.csv: row 1 (line 3), column 'distance': "
                                             "distances must not fall as the rank rises"),
    ("\n005,2,232,", "\n005,2,233,",
     "similar.csv: row 1 (line 3), column 'similar_code': 005 lists 233 twice"),
    ("\n005,1,233,0.9296", "\n005,1,233,-0.9296", "column 'distance'"),
])
def test_corrupt_neighbours_fail(snapshot_copy, old, new, expected):
    _edit(snapshot_copy, "similar.csv", old, new)
    message = _error(snapshot_copy)
    assert expected in message and "similar.csv" in message, message


def test_a_municipality_without_all_its_neighbours_fails(snapshot_copy):
    path = snapshot_copy / "similar.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("005,9,")),
                    encoding="utf-8")
    provenance.reseal(snapshot_copy)
    assert "similar.csv: municipalities without 9 neighbours ranked 1–9: 005" in _error(snapshot_copy)


def test_corrupt_measures_fail(snapshot_copy):
    _edit(snapshot_copy, "similarity_measures.csv", "\n005,population,8982,2025,population,2,",
          "\n005,population,8982,2025,population,3,")
    assert "measure population has more than one weight" in _error(snapshot_copy)


def test_imputed_must_match_a_missing_value(snapshot_copy):
    _edit(snapshot_copy, "similarity_measures.csv", "\n005,population,8982,2025,population,2,0.2711,False",
          "\n005,population,8982,2025,population,2,0.2711,True")
    message = _error(snapshot_copy)
    assert "similarity_measures.csv" in message and "imputed exactly where the value is missing" in message


def test_hand_edit_without_reseal_is_refused(snapshot_copy):
    path = snapshot_copy / "similar.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("\n005,1,233,0.9296", "\n005,1,233,0.9297", 1),
                    encoding="utf-8")
    assert "sha256 differs from the one datapackage.json records" in _error(snapshot_copy)
