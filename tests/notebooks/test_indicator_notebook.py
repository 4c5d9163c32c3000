"""The indicator page executed (slow): its words in the language asked, three figures with
their data files, the ranking of every municipality as a table."""

import pandas as pd
import pytest

pytestmark = pytest.mark.slow


def test_indicator_page_in_swedish_with_a_partnership_outlined(run_notebook):
    run = run_notebook("indicator", export=True, indicator="net_migration_internal",
                       outline="growth-cities", lang="sv")
    assert not run.errors
    text = run.text
    assert "# Nettoflyttning mellan kommuner, 2025" in text
    assert "per 1 000 invånare" in text and "Markerade: Tillväxtstädernas nätverk, 15 medlemmar" in text
    assert "Data har en tidpunkt för detta nyckeltal (2025)" in text
    assert run.images == 3  # map, ranking, distribution (one period: no series)
    for name in ("map", "ranking", "distribution"):
        for suffix in (".png", ".svg", "_data.csv", "_data.xlsx"):
            assert (run.export / f"{name}{suffix}").stat().st_size > 200, name + suffix
    ranking = pd.read_csv(run.export / "ranking.csv", encoding="utf-8-sig")
    assert len(ranking) == 308 and ranking["Placering"].iloc[0] == 1
    assert ranking["Markerad"].eq("●").sum() == 15
