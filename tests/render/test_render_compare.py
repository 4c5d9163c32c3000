"""``analysis render compare``: bad places are one line before any kernel starts, every
spelling of the same places is one page, and a city profile brings the comparison with
its similar municipalities along so that its link resolves."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from analysis import render
from analysis.analyses import similar
from analysis.cli import app

EXAMPLE_STEM = "comparisons/kokkola-272--seinajoki-743--vaasa-905"


@pytest.mark.parametrize("args, message", [
    (["-p", "places", "Seinäjoki"], "places: 1 municipality (Seinäjoki (743)); a comparison takes 2 to 10"),
    (["-p", "places", "272"], "places: 1 municipality (Kokkola (272))"),
    (["-p", "places", "Seinäjoki, Vasa, Kokola"], "places: unknown municipality 'Kokola'; did you mean"),
    (["-p", "places", ", ".join(["Pori", "Rauma", "Turku", "Salo", "Oulu", "Kemi", "Lahti",
                                  "Espoo", "Vantaa", "Kotka", "Imatra"])],
     "places: 11 municipalities (Pori (609), Rauma (684), Turku (853), Salo (734) …); "
     "a comparison takes 2 to 10"),
    (["-p", "places", "[Vaasa, Vasa]"], "(a place named twice counts once)"),
    (["-p", "places", "True"], "places=True is True or False; compare expects"),
    (["-p", "paces", "Pori, Rauma"], "compare has no parameter 'paces'; did you mean 'places'?"),
])
def test_bad_places_fail_before_any_kernel_and_write_nothing(tmp_path, no_kernel, args, message):
    out = tmp_path / "reports"
    result = CliRunner().invoke(app, ["render", "compare", *args, "--output", str(out)])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1  # one line, no traceback
    assert not out.exists()


@pytest.mark.parametrize("places", ["Seinäjoki, Vasa, 272", "272, Vaasa, 743",
                                    ["Karleby", "SEINÄJOKI", "Vasa", "Vaasa"]])
def test_one_page_for_every_spelling_and_order(places):
    fi, en = render.make_jobs("compare", {"places": places}, ["fi", "en"])
    assert fi.rel == f"{EXAMPLE_STEM}.html" and en.rel == f"en/{EXAMPLE_STEM}.html"
    assert fi.params["places"] == ["272", "743", "905"] and fi.group == "comparisons"


def test_the_list_names_the_page(tmp_path):
    result = CliRunner().invoke(app, ["render", "compare", "-p", "places", "Seinäjoki, Vasa, 272",
                                      "--list", "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert f"{EXAMPLE_STEM}.html" in result.output


def test_a_city_profile_brings_its_comparison_and_links_to_it():
    jobs = render.with_linked(render.make_jobs("city_profile", {"city": "Seinäjoki"}, ["fi", "en"]))
    group = similar.group("743")
    assert [j.group for j in jobs] == ["cities", "cities", "comparisons", "comparisons"]
    linked = jobs[2]
    assert linked.params["places"] == sorted(group) and linked.lang == "fi"
    assert linked.reason == "linked from cities/seinajoki-743"
    assert jobs[3].rel == f"en/{linked.rel}"
    assert render.linked_href("city_profile", {"city": "Seinäjoki"}, "compare") == f"../{linked.rel}"
    assert render.with_linked(jobs) == jobs  # each page once


def test_a_profile_outside_the_default_set_links_to_no_page():
    jobs = render.with_linked(render.make_jobs("city_profile", {"city": "Alajärvi"}, ["fi"]))
    assert [j.rel for j in jobs] == ["cities/alajarvi-005.html"]
    assert render.linked_href("city_profile", {"city": "005"}, "compare") is None
    everyone = render.default_jobs(["fi"], all_municipalities=True)
    assert sum(j.group == "cities" for j in everyone) == 308
    assert sum(j.group == "comparisons" for j in everyone) == 27  # the default set's only


def test_the_default_set_holds_each_profiles_comparison():
    jobs = render.default_jobs(["fi"])
    profiles = [j for j in jobs if j.group == "cities"]
    comparisons = {j.rel for j in jobs if j.group == "comparisons"}
    assert len(profiles) == 27 and len(comparisons) == 27
    for job in profiles:
        code = job.rel.rsplit("-", 1)[1].removesuffix(".html")
        expected = render.make_jobs("compare", {"places": similar.group(code)}, ["fi"])[0].rel
        assert expected in comparisons
