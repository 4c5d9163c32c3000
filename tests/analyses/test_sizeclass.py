"""Size classes: bounds, classification, history, partnerships, figures.

The expected cities and totals were checked against the snapshot's population table
(Statistics Finland, 31 Dec, 2025 division) and jobs table (115p, latest year 2021)."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import data  # noqa: E402
from analysis.analyses import sizeclass as sc  # noqa: E402
from analysis.analyses.params import SizeClassesParams  # noqa: E402
from analysis.core.errors import ParameterError  # noqa: E402
from analysis.present.i18n import NBSP, class_label  # noqa: E402
from analysis.present.text import size_classes as view  # noqa: E402

MID_SIZED_CITIES = {"Hyvinkää", "Hämeenlinna", "Joensuu", "Järvenpää", "Kokkola", "Kotka",
                    "Kouvola", "Lappeenranta", "Lohja", "Mikkeli", "Pori", "Porvoo", "Rovaniemi",
                    "Salo", "Seinäjoki", "Vaasa"}
NOT_CITIES_IN_CLASS = {"Kirkkonummi", "Nurmijärvi", "Tuusula"}


# -- bounds --------------------------------------------------------------------------------
@pytest.mark.parametrize("given", [[40000, 100000], (40000, 100000), "40000,100000",
                                   "40 000; 100 000", "40\u00a0000,100\u00a0000",
                                   [40000.0, 100000.0], ["40000", "100000"]])
def test_check_bounds_accepts_lists_and_text(given):
    assert sc.check_bounds(given) == (40000, 100000)


def test_check_bounds_none_is_the_standard_scheme():
    assert sc.check_bounds(None) == sc.STANDARD_EDGES
    assert sc.STANDARD_EDGES[0] == 0 and list(sc.STANDARD_EDGES) == sorted(sc.STANDARD_EDGES)


@pytest.mark.parametrize("given, message", [
    ([], "at least two edges"), ("", "at least two edges"), ([40000], "at least two edges"),
    ([100000, 40000], "must increase, but 40000 follows 100000"),
    ([40000, 40000], "must increase"), ([-5, 100], "-5 is negative"),
    ("40000,abc", "'abc' is not a whole number"), ([40000.5, 100000], "not a whole number"),
    ([True, 5], "not a number"), (40000, "at least two edges"),
])
def test_check_bounds_rejects_bad_bounds(given, message):
    with pytest.raises(sc.BoundsError, match=message):
        sc.check_bounds(given)
    assert issubclass(sc.BoundsError, ParameterError)


def test_class_label():
    assert class_label(40000, 100000, "fi") == f"40{NBSP}000–100{NBSP}000"
    assert class_label(40000, 100000, "en") == "40,000–100,000"
    assert class_label(100000, None, "fi") == f"100{NBSP}000+"


def test_analyses_return_numbers_not_words():
    frame = sc.classify(2024)
    assert not [c for c in frame.columns if "label" in c]  # words are the presentation's
    assert not [c for c in sc.class_summary(2024).columns if "label" in c]


# -- classification ------------------------------------------------------------------------
@pytest.mark.parametrize("year, residents", [(2022, 969_692), (2024, 977_549)])
def test_mid_sized_cities_are_the_sixteen(year, residents):
    frame = sc.members(year)
    assert set(frame["name_fi"]) == MID_SIZED_CITIES
    assert frame["population"].sum() == residents
    assert frame["population"].is_monotonic_decreasing
    assert frame["name_fi"].iat[0] == "Pori"


def test_without_city_filter_three_more_qualify():
    frame = sc.members(2022, cities_only=False)
    assert set(frame["name_fi"]) == MID_SIZED_CITIES | NOT_CITIES_IN_CLASS
    assert frame["population"].sum() == 1_095_256
    assert not frame.loc[frame["name_fi"].isin(NOT_CITIES_IN_CLASS), "is_city"].any()


def test_lower_bound_included_upper_bound_excluded():
    jarvenpaa = sc.members(2022).set_index("name_fi").at["Järvenpää", "population"]
    assert "Järvenpää" in set(sc.members(2022, bounds=[jarvenpaa, 100000])["name_fi"])
    assert "Järvenpää" not in set(sc.members(2022, bounds=[40000, jarvenpaa])["name_fi"])
    assert "Järvenpää" in set(sc.members(2022, bounds=[40000, jarvenpaa + 1])["name_fi"])


def test_empty_class():
    assert sc.members(2024, bounds=[1_000_000, 2_000_000]).empty
    assert sc.member_table(2024, bounds=[1_000_000, 2_000_000]).empty
    assert not sc.class_history([1_000_000, 2_000_000]).any().any()
    assert sc.class_changes([1_000_000, 2_000_000]).empty
    vs = sc.class_vs_partnerships(2024, [1_000_000, 2_000_000])
    assert vs["class_outside_partnerships"].empty
    assert len(vs["members_outside_class"]) == len(sc.data.memberships())  # everyone is below
    assert "yhtään kuntaa" in view.totals_text(2024, [1_000_000, 2_000_000], True, "fi")


def test_one_class_covering_everyone():
    frame = sc.classify(2024, bounds=[0, 10_000_000], cities_only=False)
    assert len(frame) == 308 and (frame["class_index"] == 0).all()


def test_standard_scheme_classifies_every_municipality_with_open_top_class():
    frame = sc.classify(2024)
    assert len(frame) == 308 and (frame["class_index"] >= 0).all()
    helsinki = frame.set_index("name_fi").loc["Helsinki"]
    assert helsinki["class_index"] == len(sc.STANDARD_EDGES) - 1
    assert pd.isna(helsinki["class_hi"]) and helsinki["class_lo"] == 100_000
    summary = sc.class_summary(2024)
    assert summary["municipalities"].tolist() == [52, 91, 68, 43, 26, 19, 9]
    assert summary["population"].sum() == frame["population"].sum()


def test_explicit_bounds_leave_municipalities_outside():
    frame = sc.classify(2024, bounds=[40000, 100000], cities_only=False).set_index("name_fi")
    assert frame.at["Helsinki", "class_index"] == -1 and pd.isna(frame.at["Helsinki", "class_lo"])
    assert (frame.at["Pori", "class_lo"], frame.at["Pori", "class_hi"]) == (40_000, 100_000)
    assert len(sc.classify(2024, bounds=[40000, 100000], cities_only=True)) == 108


@pytest.mark.parametrize("year", [1971, "latest-ish", 2999])
def test_year_not_in_data_lists_available_years(year):
    years = data.population_years()
    with pytest.raises(ParameterError, match=f"{years[0]}–{years[-1]}"):
        sc.classify(year)


def test_every_year_from_first_to_latest_is_held():
    years = data.population_years()
    assert years == list(range(years[0], years[-1] + 1))  # no gap (2023 included)
    assert sc.classify(2023)["population"].sum() == 5_603_851  # Finland, 31 Dec 2023


def test_size_class_parameters():
    p = SizeClassesParams.check()
    assert (p.year, p.bounds, p.cities_only, p.highlight) == (
        data.population_years()[-1], (40000, 100000), True, None)
    with pytest.raises(ParameterError, match="cities_only='yes' must be True or False"):
        SizeClassesParams.check(cities_only="yes")
    with pytest.raises(ParameterError, match="did you mean 'growth-cities'"):
        SizeClassesParams.check(highlight="growth-city")


def test_member_table_changes_jobs_and_partnerships():
    frame = sc.member_table(2022).set_index("name_fi")
    assert frame.at["Pori", "change_5y"] == 83205 - sc.population_wide().at["609", 2017]
    assert frame["jobs"].sum() == 409_242 and (frame["jobs_year"] == 2021).all()
    assert frame.at["Järvenpää", "partnerships"] == []
    assert frame.at["Joensuu", "partnerships"] == ["growth-cities", "joensuu-lappeenranta-imatra"]
    # ten years before the first year held is not in the data: missing, not zero
    first = data.population_years()[0]
    assert sc.member_table(first + 3)["change_10y"].isna().all()


# -- history ---------------------------------------------------------------------------------
def test_class_history_covers_every_data_year_and_no_other():
    history = sc.class_history()
    assert list(history.columns) == data.population_years()
    assert history.sum().to_dict()[2022] == 16 and history.sum().to_dict()[2010] == 15
    assert not history.at["186", 2013] and history.at["186", 2014]  # Järvenpää
    assert history.at["684", 2007] and not history.at["684", 2008]  # Rauma


def test_class_changes():
    changes = sc.class_changes()
    changes = changes[changes["year"] >= 2001]
    got = set(zip(changes["name_fi"], changes["year"], changes["change"], changes["direction"]))
    assert got == {("Rauma", 2008, "left", "down"), ("Järvenpää", 2014, "entered", "up")}


def test_change_is_dated_between_consecutive_years():
    changes = sc.class_changes([20000, 40000], cities_only=False).set_index("name_fi")
    assert changes.at["Naantali", "year"] == 2024 and changes.at["Naantali", "from_year"] == 2023
    assert "2024: Naantali" in view.changes_text([20000, 40000], False, "fi")


# -- partnerships ------------------------------------------------------------------------------
def test_class_vs_partnerships():
    vs = sc.class_vs_partnerships(2022)
    assert set(vs["class_outside_partnerships"]["name_fi"]) == {"Järvenpää", "Lohja"}
    beyond = vs["members_outside_class"]
    below = set(beyond.loc[beyond["position"] == "below", "name_fi"])
    above = set(beyond.loc[beyond["position"] == "above", "name_fi"])
    assert below == {"Kajaani", "Imatra"}
    assert above == {"Helsinki", "Espoo", "Tampere", "Vantaa", "Oulu", "Turku", "Jyväskylä",
                     "Kuopio", "Lahti"}


def test_partnership_overlap_keeps_partnerships_without_members():
    overlap = sc.partnership_overlap(2022).set_index("partnership_id")
    assert overlap.at["regional-towns", "members"] == 0
    assert overlap.at["growth-cities", "members"] == 15
    assert overlap.at["growth-cities", "in_class"] == 14 and overlap.at["growth-cities", "below"] == 1
    assert overlap.at["c6", "above"] == 6
    assert "Seutukaupunkiohjelma" in view.vs_partnerships_text(2022, sc.MID_SIZE_BOUNDS, True, "fi")


def test_report_tables_keep_numbers_numeric():
    frame, formatters = view.member_report_table(2024, sc.MID_SIZE_BOUNDS, True, "fi")
    assert frame["Väkiluku 2024"].sum() == 977_549
    assert formatters["Väkiluku 2024"](977549) == f"977{NBSP}549"


# -- figures -----------------------------------------------------------------------------------
def _texts(fig):
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text)]


def test_distribution_figure_labels_members_and_has_source():
    from analysis.present.figures import sizeclass as plots

    fig = plots.distribution(2022, sc.MID_SIZE_BOUNDS, True, "en", "growth-cities")
    texts = _texts(fig)
    assert any(t.startswith("Municipal populations 2022") for t in texts)
    assert MID_SIZED_CITIES | {"Kajaani"} <= set(texts)  # Kajaani: partner outside the class
    assert any(t.startswith("Source: Statistics Finland") for t in texts)
    assert "Population (residents, log scale)" in texts


def test_history_heatmap_covers_every_year_without_gap():
    from matplotlib.patches import Rectangle

    from analysis.present.figures import sizeclass as plots

    fig = plots.history_heatmap(sc.MID_SIZE_BOUNDS, True, "fi", "growth-cities")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    years = data.population_years()
    assert str(years[-1]) in labels
    hatched = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_hatch()]
    assert not hatched  # no year is missing
    assert MID_SIZED_CITIES | {"Rauma"} <= {t.get_text() for t in ax.get_yticklabels()}
