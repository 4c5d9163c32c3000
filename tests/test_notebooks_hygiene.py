"""Notebooks are thin, parameterised, bilingual through the translation table, and
committed without outputs."""

import json

import pytest

from analysis import paths

NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))


def _cells(nb_path):
    return json.loads(nb_path.read_text(encoding="utf-8"))["cells"]


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no notebook"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(nb_path):
    for cell in _cells(nb_path):
        if cell["cell_type"] == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None, nb_path.name


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_with_common_parameters(nb_path):
    cells = _cells(nb_path)
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    source = "".join(tagged[0]["source"])
    for name in ("lang", "export_dir", "export_href"):
        assert f"{name} =" in source, f"{nb_path.name}: parameter {name} missing"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_thin_cells_and_no_one_language_prose(nb_path):
    for cell in _cells(nb_path):
        lines = [l for l in "".join(cell["source"]).splitlines() if l.strip()]
        # Narrative comes from the translation table, so a Markdown cell would be one language.
        assert cell["cell_type"] != "markdown", f"{nb_path.name}: Markdown cell; use rep.md(t(...))"
        assert len(lines) <= 18, f"{nb_path.name}: a {len(lines)}-line cell belongs in src/analysis"
