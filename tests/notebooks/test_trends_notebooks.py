"""The trends sections in executed reports: a city profile's direction in numbers with its
two figures (alt text on the image, the plotted numbers beside it) and its 5/10-year table,
a partnership's members' trends. Each run starts a kernel (slow)."""

import pandas as pd
import pytest

pytestmark = pytest.mark.slow


def test_city_profile_shows_where_the_city_is_heading(run_notebook):
    run = run_notebook("city_profile", export=True, city="Kajaani", lang="en")
    text, export = run.text, run.export
    assert not run.errors
    assert "## Where it is heading: jobs and unemployment" in text
    assert "In 2021 the municipality had 15,653 jobs; 18.4% of them were filled by in-commuters" in text
    assert "The data hold no figures for February 2025–May 2026" in text
    assert "not the Labour Force Survey's unemployment rate" in text
    assert run.images == 5  # population, distribution, map, trends, comparison
    alts = [o.get("metadata", {}).get("image/png", {}).get("alt", "") for o in run.outputs
            if "image/png" in o.get("data", {})]
    trend = next(a for a in alts if a.startswith("Stacked area chart: jobs 1987–2021"))
    assert "Line chart: the unemployment rate at the end of each month" in trend
    for suffix in (".png", ".svg", "_data.csv", "_data.xlsx"):
        assert (export / f"trends{suffix}").stat().st_size > 500, suffix
    numbers = pd.read_csv(export / "trends_data.csv", dtype={"period": str})
    assert numbers["period"].iloc[0] == "1987" and numbers["period"].iloc[-1] == "2026M06"
    assert "2025M06" in set(numbers["period"])
    assert numbers.loc[numbers["period"] == "2025M06", "Kajaani"].isna().all()  # a gap
    table = pd.read_csv(export / "trends_table.csv")
    assert len(table) == 8


def test_partnership_profile_shows_the_members_trends(run_notebook):
    run = run_notebook("partnership_profile", export=True, partnership="growth-cities", lang="fi")
    assert not run.errors
    assert "## Jäsenten suunta: työpaikat ja työttömyys" in run.text
    members = pd.read_csv(run.export / "members_trends.csv")
    assert len(members) == 15 and members["Työpaikat 2021"].sum() == 395_404
    assert (run.export / "members_trends_figure.png").exists()
    assert (run.export / "members_trends_figure_data.csv").exists()
