"""The comparison section in executed profiles: a municipality with a missing indicator
and a partnership without members both render it. Each run starts a kernel (slow)."""

import csv
import json

import pandas as pd
import papermill as pm
import pytest

from analysis import paths

pytestmark = pytest.mark.slow


def _run(tmp_path, notebook: str, **parameters):
    out = tmp_path / "out.ipynb"
    export = tmp_path / "figures"
    pm.execute_notebook(str(paths.NOTEBOOKS_DIR / notebook), str(out), kernel_name="python3",
                        parameters={**parameters, "export_dir": str(export),
                                    "export_href": "figures"},
                        cwd=str(tmp_path), progress_bar=False)
    nb = json.loads(out.read_text(encoding="utf-8"))
    texts, images = [], 0
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", output
            data = output.get("data", {})
            images += "image/png" in data
            texts += ["".join(data[m]) for m in ("text/markdown", "text/html") if m in data]
    return "\n".join(texts), images, export


def test_city_with_a_missing_indicator_renders_the_comparison(tmp_path):
    with open(paths.DATA_DIR / "indicators.csv", encoding="utf-8", newline="") as f:
        code = next(r["code"] for r in csv.DictReader(f)
                    if r["indicator"] == "unemployment_rate" and r["value"] == "")
    text, images, export = _run(tmp_path, "city_profile.ipynb", city=code, lang="en")
    assert "## How it compares" in text
    assert "of the 10 indicators it has a value for" in text
    assert "missing: confidential (data protection)" in text
    assert images == 4  # population, distribution, map, comparison
    for name in ("comparison.png", "comparison.svg", "comparison.csv", "comparison.xlsx"):
        assert (export / name).stat().st_size > 500
    table = pd.read_csv(export / "comparison.csv")
    assert len(table) == 11 and table["Rank in class"].eq("–").sum() == 1


def test_partnership_without_members_renders_the_comparison(tmp_path):
    text, images, export = _run(tmp_path, "partnership_profile.ipynb",
                                partnership="regional-towns", lang="fi")
    assert "## Vertailu: jäsenet ja muut saman kokoluokan kunnat" in text
    assert "Kumppanuudella ei ole lähteessä nimettyjä jäseniä" in text
    assert images == 0 and not (export / "comparison.png").exists()
    table = pd.read_csv(export / "comparison.csv")
    assert len(table) == 11 and table["Koko maa"].notna().all()
    assert (table["Jäseniä, joilla tieto"] == 0).all()


def test_size_classes_show_the_medians_of_every_standard_class(tmp_path):
    text, _, export = _run(tmp_path, "size_classes.ipynb", lang="en")
    assert "## Indicators by size class" in text
    assert "The column of the selected class 40,000–100,000 residents is marked ►." in text
    medians = pd.read_csv(export / "class_medians.csv")
    assert len(medians) == 11 and "Finland" in medians
    marked = [c for c in medians if c.startswith("► ")]
    assert len(marked) == 1 and marked[0].startswith("► 40,000–100,000 (")
    assert (export / "class_medians.xlsx").exists()
