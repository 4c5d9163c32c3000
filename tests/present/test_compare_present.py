"""The comparison's words and figures (analysis.present.text.compare, .similar and
analysis.present.figures.compare): every figure says what it shows and carries its
numbers, lines break at the unemployment gap, ten places look different, and the
profiles' tables give ranks among all municipalities."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.colors import to_hex

from analysis.analyses import compare, peers, similar
from analysis.present.figures import compare as plots
from analysis.present.text import compare as text
from analysis.present.text import peers as peers_text
from analysis.present.text import similar as similar_text

EXAMPLE = ["272", "743", "905"]


@pytest.fixture(scope="module")
def example():
    pl = compare.places(EXAMPLE)
    return pl, compare.side_by_side(EXAMPLE), compare.histories(EXAMPLE)


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_every_figure_has_alt_text_and_its_numbers(example, lang):
    import matplotlib.pyplot as plt

    pl, sbs, hist = example
    figures = [plots.ranks_figure(sbs, pl, lang), plots.population_figure(hist["population"], pl, lang),
               plots.jobs_figure(hist["jobs"], pl, lang),
               plots.unemployment_figure(hist["unemployment"], pl, lang), plots.map_figure(pl, lang)]
    for fig in figures:
        alt, title = fig._analysis_alt, fig._analysis_title
        assert alt and title not in alt and "Seinäjoki" in alt and len(alt) > 80
        assert fig._analysis_data is not None and len(fig._analysis_data) >= 3
        plt.close(fig)
    ranks = figures[0]._analysis_data
    assert ranks.iloc[-1, list(ranks.columns).index("Seinäjoki")] == 12  # jobs per resident


def test_unemployment_lines_break_at_the_gap(example):
    import matplotlib.pyplot as plt

    pl, _, hist = example
    fig = plots.unemployment_figure(hist["unemployment"], pl, "en")
    ax = fig.axes[0]
    gap = plots.month_x(["2025M02", "2026M05"])
    lines = [line for line in ax.get_lines() if line.get_linestyle() != "None"]
    assert len(lines) == 3
    for line in lines:
        x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
        inside = (x >= gap[0]) & (x <= gap[1])
        assert inside.sum() == 16 and np.isnan(y[inside]).all()  # no segment crosses the gap
    dots = [line for line in ax.get_lines() if line.get_linestyle() == "None"]
    assert all(len(d.get_xdata()) == 1 for d in dots) and len(dots) == 3  # 2026M06 alone
    assert "February 2025 – May 2026" in fig._analysis_alt
    plt.close(fig)


def test_ten_places_look_different():
    styles = plots.place_styles([f"{i:03d}" for i in range(10)])
    assert len({to_hex(s["color"]) for s in styles.values()}) == 10
    assert len({s["marker"] for s in styles.values()}) == 10


def test_places_from_the_largest_log_scale_when_sizes_differ():
    import matplotlib.pyplot as plt

    codes = compare.check_places("Helsinki, Sottunga")
    pl = compare.places(codes)
    fig = plots.population_figure(compare.histories(codes)["population"], pl, "en")
    assert fig.axes[0].get_yscale() == "log" and "log scale" in fig.axes[0].get_ylabel()
    plt.close(fig)


def test_tables_and_sentences(example):
    pl, sbs, hist = example
    assert text.title(pl, "en") == "# Comparison: Vaasa, Seinäjoki and Kokkola"
    frame, formats = text.values_table(sbs, pl, "en")
    assert list(frame.columns)[2:] == ["Vaasa", "Seinäjoki", "Kokkola", "Finland"]
    row = list(frame.iloc[:, 0]).index("Median disposable income per consumption unit (EUR)")
    assert formats["Seinäjoki"][row] == "29,989" and frame.at[row, "Seinäjoki"] == 29989
    ranks = text.ranks_table(sbs, pl, "en")
    assert ranks.iloc[-1]["Seinäjoki"] == "12/308\u00a0(2/19)"
    assert "**Seinäjoki**: highest in jobs per resident (12/308)" in text.highlights(sbs, pl, "en")
    assert text.gap_text(hist["unemployment"], "fi") == (
        "Kuukausilta helmikuu 2025 – toukokuu 2026 ei ole tietoa; viivat katkeavat niiden "
        "kohdalla (varjostettu).")


def test_profile_tables_rank_among_all_municipalities():
    comp = similar.add_group(peers.city_comparison("Seinäjoki"))
    frame, formats = peers_text.city_table(comp, "en")
    assert list(frame.columns)[4:] == ["Seinäjoki", "Class median", "Median of similar municipalities",
                                       "Finland", "Rank in class", "Rank in Finland"]
    assert frame["Rank in Finland"].iloc[-1] == "12/308"
    assert "Rank in Finland: the rank among all 308 municipalities" in peers_text.city_caption(comp, "en")
    plain = peers_text.city_table(peers.city_comparison("Seinäjoki"), "en")[0]
    assert "Median of similar municipalities" not in plain and "Rank in Finland" in plain
    part = peers.partnership_comparison("growth-cities")
    table = peers_text.partnership_table(part, "fi")[0]
    best = part.at["median_income", "members_rank_best"]
    worst = part.at["median_income", "members_rank_worst"]
    row = list(table.iloc[:, 0]).index(peers_text.measure_label("median_income", "fi"))
    assert table["Jäsenten sijat koko maassa"].iloc[row] == f"{int(best)}–{int(worst)}/308"


def test_similar_section_words():
    explained = similar.explain("Seinäjoki")
    intro = similar_text.intro_text(explained, "fi")
    assert intro.startswith("Kunnan Seinäjoki rakenteeltaan samankaltaisimmat 9 kuntaa ovat "
                            "(suluissa etäisyys) Vaasa (1,36), Kuopio (1,70)")
    assert "tunnusluvussa työpaikkoja asukasta kohden: 0,50 työpaikkaa asukasta kohden" in intro
    frame, formats = similar_text.measures_table(explained, "en")
    assert frame["Weight"].tolist()[:4] == [2.0, 1.0, 1.0, 0.5]
    assert formats["Seinäjoki"][0] == "67,283 residents" and formats["Seinäjoki"][-1] == "urban municipality"
    assert list(frame["Period"])[2] == "2015–2025"
    method = similar_text.method_text("en")
    assert "11 measures" in method and "z-score" in method
    assert "Kumlinge, Kökar, Lumparland and Sottunga" in method  # imputed, named
    assert similar_text.link_text("743", similar.group("743"), None, "en").startswith(
        "The comparison page of Seinäjoki and its similar municipalities is rendered with "
        "`analysis render compare -p places \"Seinäjoki, Vaasa, ")
