"""Notebooks are thin, parameterised, bilingual through the translation table, and
committed without outputs."""

import json

import pytest

from analysis.core import paths

NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))
# Interactive notebooks, not reports: `analysis render` does not render them, so they write
# no export files and take no export_dir/export_href (tests/test_explore.py runs them).
EXPLORERS = {"explore.ipynb"}


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
    common = ("lang",) if nb_path.name in EXPLORERS else ("lang", "export_dir", "export_href")
    for name in common:
        assert f"{name} =" in source, f"{nb_path.name}: parameter {name} missing"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_cell_says_what_the_report_is_and_its_parameters(nb_path):
    """One Markdown cell, the first, for JupyterLab readers: a title and every parameter of
    the parameters cell (the rendered HTML leaves it out; the report's words are outputs)."""
    import re

    cells = _cells(nb_path)
    assert cells[0]["cell_type"] == "markdown", f"{nb_path.name}: first cell is not Markdown"
    about = "".join(cells[0]["source"])
    assert about.startswith("# "), f"{nb_path.name}: the first cell starts with a # title"
    tagged = next(c for c in cells if "parameters" in c.get("metadata", {}).get("tags", []))
    names = re.findall(r"^(\w+) =", "".join(tagged["source"]), flags=re.M)
    missing = [n for n in names if f"`{n}`" not in about]
    assert not missing, f"{nb_path.name}: the first cell does not name {missing}"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_thin_cells_and_no_one_language_prose(nb_path):
    for i, cell in enumerate(_cells(nb_path)):
        lines = [lg for lg in "".join(cell["source"]).splitlines() if lg.strip()]
        # Narrative comes from the translation table, so a Markdown cell would be one
        # language; only the first cell (what the report is, its parameters) is Markdown.
        assert cell["cell_type"] != "markdown" or i == 0, \
            f"{nb_path.name}: Markdown cell; use rep.md(t(...))"
        if cell["cell_type"] == "markdown":
            continue
        assert len(lines) <= 18, f"{nb_path.name}: a {len(lines)}-line cell belongs in src/analysis"


def _string_literals(nb_path):
    import ast

    for cell in _cells(nb_path):
        if cell["cell_type"] != "code":
            continue
        source = "\n".join(line for line in "".join(cell["source"]).splitlines()
                           if not line.lstrip().startswith(("%", "!")))  # IPython magics
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield node.value


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_prose_in_notebook_code(nb_path):
    """Strings in a notebook are identifiers, keys and place names, never a sentence or a
    label of one language: those come from the translation table."""
    import re

    from analysis.present.i18n import translations

    prose = [s for s in _string_literals(nb_path) if re.search(r"[^\W\d_]{2,}\s+[^\W\d_]{2,}", s)]
    assert not prose, f"{nb_path.name}: text of one language in code: {prose}"
    keys = translations()
    dotted = [s for s in _string_literals(nb_path)
              if re.fullmatch(r"(size|net|city|partner|index)\.[a-z_.]+[a-z_]", s)]
    assert all(k in keys for k in dotted), [k for k in dotted if k not in keys]


def test_translation_keys_are_plain_strings():
    import yaml

    from analysis.present.i18n import TRANSLATIONS_DIR

    for path in TRANSLATIONS_DIR.glob("*.yaml"):
        for key in yaml.safe_load(path.read_text(encoding="utf-8")):
            assert isinstance(key, str), f"{path.name}: key {key!r} is read as {type(key).__name__}"
