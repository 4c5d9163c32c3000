"""The comparison section in executed profiles: a municipality with a missing indicator
and a partnership without members both render it. Each run starts a kernel (slow)."""

import csv

import pandas as pd
import pytest

from analysis.core import paths

pytestmark = pytest.mark.slow


def test_city_with_a_missing_indicator_renders_the_comparison(run_notebook):
    with open(paths.DATA_DIR / "indicators.csv", encoding="utf-8", newline="") as f:
        code = next(r["code"] for r in csv.DictReader(f)
                    if r["indicator"] == "unemployment_rate" and r["value"] == "")
    run = run_notebook("city_profile", export=True, city=code, lang="en")
    text, images, export = run.text, run.images, run.export
    assert not run.errors
    assert "## How it compares" in text
    assert "of the 10 indicators it has a value for" in text
    assert "missing: confidential (data protection)" in text
    assert images == 5  # population, distribution, map, trends, comparison
    for name in ("comparison.png", "comparison.svg", "comparison.csv", "comparison.xlsx"):
        assert (export / name).stat().st_size > 500
    table = pd.read_csv(export / "comparison.csv")
    assert len(table) == 11 and table["Rank in class"].eq("–").sum() == 1


def test_partnership_without_members_renders_the_comparison(run_notebook):
    run = run_notebook("partnership_profile", export=True, partnership="regional-towns", lang="fi")
    text, images, export = run.text, run.images, run.export
    assert not run.errors
    assert "## Vertailu: jäsenet ja muut saman kokoluokan kunnat" in text
    assert "Kumppanuudella ei ole lähteessä nimettyjä jäseniä" in text
    assert images == 0 and not (export / "comparison.png").exists()
    table = pd.read_csv(export / "comparison.csv")
    assert len(table) == 11 and table["Koko maa"].notna().all()
    assert (table["Jäseniä, joilla tieto"] == 0).all()


def test_size_classes_show_the_medians_of_every_standard_class(run_notebook):
    run = run_notebook("size_classes", export=True, lang="en")
    text, export = run.text, run.export
    assert "## Indicators by size class" in text
    assert "The column of the selected class 40,000–100,000 residents is marked ►." in text
    medians = pd.read_csv(export / "class_medians.csv")
    assert len(medians) == 11 and "Finland" in medians
    marked = [c for c in medians if c.startswith("► ")]
    assert len(marked) == 1 and marked[0].startswith("► 40,000–100,000 (")
    assert (export / "class_medians.xlsx").exists()
