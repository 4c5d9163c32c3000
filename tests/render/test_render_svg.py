"""Whole-country renders write SVG files only when asked (``--svg``); the default set
always does, and whether a page has them is part of its key."""

import pytest

from analysis import render
from analysis.render.jobs import ALL_MUNICIPALITIES


def test_only_the_profiles_all_municipalities_adds_go_without_svg():
    jobs = render.default_jobs(["fi"], all_municipalities=True)
    added = [j for j in jobs if j.reason == ALL_MUNICIPALITIES]
    assert len(added) == 308 - 27 and not any(j.svg for j in added)
    assert all(j.svg for j in jobs if j.reason != ALL_MUNICIPALITIES)
    assert all(j.svg for j in render.default_jobs(["fi"], all_municipalities=True, svg=True))
    assert all(j.svg for j in render.default_jobs(["fi"]))


def test_svg_or_not_is_part_of_the_key(tmp_path):
    [job] = render.make_jobs("city_profile", {"city": "Utsjoki"}, ["fi"])
    ctx = render.Context.now()
    with_svg = render.base_key(job, ctx, ["fi"])
    job.svg = False
    assert render.base_key(job, ctx, ["fi"]) != with_svg


@pytest.mark.slow
def test_a_profile_without_svg_has_every_other_file(tmp_path):
    jobs = render.make_jobs("city_profile", {"city": "Utsjoki"}, ["fi"])
    jobs[0].svg = False
    summary = render.run(jobs, tmp_path, n_workers=1, progress=False, default_set=None)
    assert summary.exit_code == 0, render.summary_table(summary)
    folder = tmp_path / "figures" / "cities" / "utsjoki-890"
    names = {p.name for p in folder.iterdir()}
    assert not any(n.endswith(".svg") for n in names)
    assert {"population.png", "trends.png", "trends_data.csv"} <= names
    page = (tmp_path / "cities" / "utsjoki-890.html").read_text(encoding="utf-8")
    assert "population.png" in page and "population.svg" not in page
    jobs = render.make_jobs("city_profile", {"city": "Utsjoki"}, ["fi"])  # svg: the default
    render.run(jobs, tmp_path, n_workers=1, progress=False, default_set=None)
    assert (folder / "population.svg").exists()  # a new key: rendered again, with SVG
