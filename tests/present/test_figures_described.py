"""Every figure a report shows says what it shows (alt text with its numbers, not only its
title) and carries the numbers it plots (written beside the PNG as CSV and XLSX), in
every language."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.analyses import indicators, network, peers, profiles
from analysis.present import explore
from analysis.present.figures import indicators as indicator_plots
from analysis.present.figures import network as network_plots
from analysis.present.figures import peers as peer_plots
from analysis.present.figures import sizeclass as size_plots
from analysis.present.text import city_profile, partnership_profile


def _figures(lang: str):
    graph = network.bipartite_graph(None, None, (40000, 100000))
    city = profiles.city_profile("Vaasa")
    part = profiles.partnership_profile("growth-cities")
    frame = indicators.values("net_migration_internal")
    return {
        "size.distribution": lambda: size_plots.distribution(lang=lang, highlight="growth-cities"),
        "size.history": lambda: size_plots.history_heatmap(lang=lang, highlight="growth-cities"),
        "net.bipartite": lambda: network_plots.draw_bipartite(graph, lang),
        "net.projection": lambda: network_plots.draw_city_projection(graph, lang),
        "net.overlap": lambda: network_plots.draw_overlap(graph, lang),
        "net.matrix": lambda: network_plots.draw_membership_matrix(graph, lang),
        "net.maps": lambda: network_plots.draw_maps(graph, outline={"905", "609"}, lang=lang),
        "peers.city": lambda: peer_plots.city_figure(peers.city_comparison("Vaasa"),
                                                     peers.peer_values("Vaasa"), lang),
        "peers.partnership": lambda: peer_plots.partnership_figure(
            peers.partnership_comparison("c6"), peers.group_values("c6"), lang),
        "city.population": lambda: city_profile.plot_population(city, lang),
        "city.distribution": lambda: city_profile.plot_distribution(city, lang),
        "city.locator": lambda: city_profile.plot_locator(city, lang),
        "partner.members": lambda: partnership_profile.plot_members(part, lang),
        "partner.combined": lambda: partnership_profile.plot_combined(part, lang),
        "partner.map": lambda: partnership_profile.plot_map(part, lang),
        "explore.city": lambda: explore.city_figure(explore.check_selection(city="Vasa", lang=lang)),
        "indicator.map": lambda: indicator_plots.choropleth(frame, lang),
        "indicator.ranking": lambda: indicator_plots.ranking(frame, lang),
        "indicator.distribution": lambda: indicator_plots.distribution(frame, lang),
    }


@pytest.mark.parametrize("lang", ["fi", "en", "sv"])
def test_every_figure_has_alt_text_with_numbers_and_its_data(lang):
    for name, make in _figures(lang).items():
        fig = make()
        alt, title = getattr(fig, "_analysis_alt", ""), getattr(fig, "_analysis_title", "")
        data = getattr(fig, "_analysis_data", None)
        plt.close(fig)
        assert alt and alt != title and len(alt) > len(title), f"{name} ({lang}): {alt!r}"
        assert re.search(r"\d", alt), f"{name} ({lang}): no number in {alt!r}"
        assert "{" not in alt and not re.search(r"\bnan\b", alt.lower()), f"{name} ({lang}): {alt!r}"
        assert isinstance(data, pd.DataFrame) and len(data) > 0, f"{name} ({lang}): no data"


def test_alt_texts_name_what_stands_out():
    figures = _figures("en")
    fig = figures["city.distribution"]()
    assert "Vaasa, 71,209 residents, number 14 in size" in fig._analysis_alt
    fig = figures["net.overlap"]()
    assert ("Growth-cities network and Mid-sized growth cities: 13 shared members (Jaccard 0.87)"
            in fig._analysis_alt)
    fig = figures["indicator.map"]()
    assert "Highest: Pelkosenniemi 31.1 per 1,000 residents" in fig._analysis_alt
    assert fig._analysis_data["value"].notna().sum() == 308
    plt.close("all")


def test_swedish_figures_use_swedish_names():
    fig = _figures("sv")["city.locator"]()
    assert fig._analysis_alt.startswith("Karta över Finland där Vasa är markerad")
    assert "Björneborg" in fig._analysis_alt and "Pori" not in fig._analysis_alt
    plt.close("all")


def test_a_longer_series_is_drawn_with_its_gaps_unbridged():
    """The data hold one period per indicator today; a longer series (a refresh, or the
    monthly unemployment table) draws as lines that break at a missing period."""
    import numpy as np

    frame = indicators.values("unemployment_rate")
    hist = pd.DataFrame({"period": ["2026M03", "2026M04", "2026M06"], "year": 2026, "n": 304,
                         "q10": [7.0, 6.9, 6.9], "q25": [8.8, 8.7, 8.7], "q50": [10.6, 10.4, 10.5],
                         "q75": [12.8, 12.6, 12.7], "q90": [14.8, 14.5, 14.6],
                         "country": [13.0, 12.7, 12.8], "group_median": [12.4, 12.1, 12.4]})
    fig = indicator_plots.history(hist, frame, "en")
    median = fig.axes[0].get_lines()[0].get_ydata()
    assert len(median) == 4 and np.isnan(median[2])  # May 2026 is missing: no line across it
    assert "from March 2026 to June 2026" in fig._analysis_alt
    assert "median 10.6% → 10.5%" in fig._analysis_alt
    plt.close(fig)
