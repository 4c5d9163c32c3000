"""The explorer (analysis.explore, notebooks/explore.ipynb): the selection is checked like
every notebook parameter, the class table holds real numbers, a control change redraws the
views in place, and under papermill the notebook shows static output of its defaults."""

import json

import pandas as pd
import papermill as pm
import pytest

from analysis import data
from analysis.core import paths
from analysis.core.errors import ParameterError
from analysis.present import explore

NOTEBOOK = paths.NOTEBOOKS_DIR / "explore.ipynb"


def _latest_population(code, year):
    pop = data.population()
    return pop[(pop["code"] == code) & (pop["year"] == year)]["population"].item()


def test_selection_is_checked_with_one_line_errors():
    sel = explore.check_selection(city=743)
    assert (sel.city, sel.year, sel.bounds) == ("743", data.population_years()[-1], (40000, 100000))
    for bad in ({"year": 1900}, {"bounds": "100000, 40000"}, {"city": "Seinäjoik"},
                {"highlight": "growth"}, {"cities_only": "yes"}, {"lang": "de"},
                {"places": "Vaasa"}, {"places": "Vaasa, Vasa"}, {"places": "Vaasa, Seinäjoik"}):
        with pytest.raises(ParameterError) as info:
            explore.check_selection(**bad)
        assert "\n" not in str(info.value)


def test_members_are_numbers_with_year_in_headers():
    sel = explore.check_selection(year=2015, bounds=[40000, 100000], cities_only=False)
    frame = explore.members(sel)
    col = "Väkiluku 2015"
    assert pd.api.types.is_integer_dtype(frame[col])
    pop = data.population()
    expected = pop[(pop["year"] == 2015) & pop["population"].between(40000, 99999)]
    assert sorted(frame["Kuntanumero"]) == sorted(expected["code"])
    assert frame[col].is_monotonic_decreasing
    by_name = explore.members(sel, sort="name", descending=False)
    assert by_name["Kunta"].tolist() == sorted(by_name["Kunta"])
    row = frame[frame["Kuntanumero"] == "743"].iloc[0]
    assert row[col] == _latest_population("743", 2015)
    assert row["Muutos 5 v (2010–)"] == row[col] - _latest_population("743", 2010)


def test_city_partnerships_of_seinajoki():
    sel = explore.check_selection(city="Seinäjoki", lang="en")
    table = explore.city_partnerships(sel)
    members = data.memberships()
    assert len(table) == (members["code"] == "743").sum() > 0
    assert "Network of growth cities" in set(table["Partnership"])


class _Handle:
    def __init__(self):
        self.updates = []

    def update(self, view):
        self.updates.append(view)


MAIN_VIEWS = ("summary", "members_heading", "members", "distribution", "history",
              "city_heading", "city_population", "city_partnerships", "city_trends",
              "city_trends_figure")
COMPARE_VIEWS = ("compare_heading", "compare_places", "compare_map", "compare_highlights",
                 "compare_values", "compare_ranks", "compare_rank_table", "compare_population",
                 "compare_jobs", "compare_unemployment")


def test_control_change_redraws_in_place_and_bad_bounds_keep_the_views(monkeypatch):
    ui = explore.Explorer(city="Pori")
    handles = {name: _Handle() for name in MAIN_VIEWS + COMPARE_VIEWS}
    ui._handles = handles
    ui.w_year.value = 2010  # as the slider would: every view, the comparison's ranks too
    assert ui.year == 2010 and all(len(h.updates) == 1 for h in handles.values())
    html = handles["members"].updates[-1].to_html()
    assert "Väkiluku 2010" in html
    ui.w_bounds.value = "100000, 40000"
    assert "edges must increase" in ui._status.value and ui.bounds == [40000, 100000]
    assert all(len(h.updates) == 1 for h in handles.values())  # nothing redrawn
    ui.w_bounds.value = "20 000; 40 000"
    assert ui.bounds == [20000, 40000] and ui._status.value == ""
    assert all(len(handles[n].updates) == 1 for n in COMPARE_VIEWS)  # the comparison stays
    ui.w_city.value = "Björneborg"  # Pori's Swedish name
    assert ui.city == "609"


def test_places_change_redraws_only_the_comparison():
    ui = explore.Explorer()
    handles = {name: _Handle() for name in MAIN_VIEWS + COMPARE_VIEWS}
    ui._handles = handles
    ui.w_places.value = ["Björneborg", "Raumo", "Pori"]  # Pori twice: two places
    assert ui.places == ["609", "684"] and ui._status.value == ""
    assert all(len(handles[n].updates) == 1 for n in COMPARE_VIEWS)
    assert all(not handles[n].updates for n in MAIN_VIEWS)
    assert "Pori" in handles["compare_heading"].updates[-1].data
    values = handles["compare_values"].updates[-1].to_html()
    assert "Pori" in values and "Rauma" in values and "Koko maa" in values
    ui.w_places.value = ["Pori"]  # one place: refused in one line, the views stay
    assert "2 to 10" in ui._status.value and ui.places == ["609", "684"]
    assert all(len(handles[n].updates) == 1 for n in COMPARE_VIEWS)
    frame = ui.comparison()
    assert set(frame["code"]) == {"609", "684"} and frame["rank_all"].min() >= 1


def test_explorer_is_not_a_report():
    from analysis import render

    assert all(job.notebook.stem != "explore" for job in render.default_jobs(langs=["fi"]))


@pytest.mark.slow
def test_notebook_runs_under_papermill_with_static_output(tmp_path):
    out = tmp_path / "explore.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), kernel_name="python3", cwd=str(tmp_path),
                        progress_bar=False)
    nb = json.loads(out.read_text(encoding="utf-8"))
    html, images, errors = [], 0, []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            found = output.get("data", {})
            images += "image/png" in found
            html.append("".join(found.get("text/html", "")) + "".join(found.get("text/markdown", "")))
            errors += [output] if output["output_type"] == "error" else []
    text = "\n".join(html)
    assert not errors
    # distribution, class history, the municipality's population and trends; the comparison's
    # map, ranks, population, jobs and unemployment
    assert images == 9
    latest = data.population_years()[-1]
    population = f"{_latest_population('743', latest):,}".replace(",", "\u00a0")
    assert f"Väkiluku {latest}" in text and "Hämeenlinna" in text and population in text
    assert "Seinäjoki (743)" in text and "Kasvukaupunkien verkosto" in text
    assert "<table" in text.split("Seinäjoki (743)")[-1]  # its partnerships table
    assert "Vertailu: Vaasa, Seinäjoki ja Kokkola" in text  # the places, largest first


@pytest.mark.slow
def test_control_change_in_a_kernel_replaces_the_views(tmp_path):
    """The notebook plus one cell that moves controls as a user would: the explorer cell's
    outputs are replaced in place (update_display_data), not appended."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('ui.w_year.value = 2010\nui.w_city.value = "Pori"'))
    NotebookClient(nb, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    shown = next(c for c in nb.cells if "ui.show()" in c.source)
    text = "\n".join("".join(o.get("data", {}).get("text/html", ""))
                     + "".join(o.get("data", {}).get("text/markdown", "")) for o in shown.outputs)
    assert len(shown.outputs) == 21  # the controls and ten + ten views, no more
    assert "Väkiluku 2010" in text and "Pori (609)" in text
    assert f"Väkiluku {data.population_years()[-1]}" not in text and "Seinäjoki (743)" not in text
