"""One look across reports: a size class and a partnership have one colour in every figure."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from analysis import data
from analysis.present import style  # noqa: E402

MID = (40_000, 100_000)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_a_class_colour_depends_on_its_bounds_only():
    alone = style.class_colors(MID)
    among = style.class_colors((0, 2_000, 5_000, 10_000, 20_000, 40_000, 100_000), open_ended=True)
    assert alone == [style.class_color(*MID)] == [among[5]]
    assert len(set(among)) == len(among)  # every standard class its own colour


def test_class_history_and_partnership_members_draw_the_class_alike():
    from analysis.analyses import profiles
    from analysis.present.figures import sizeclass as plots
    from analysis.present.text import partnership_profile as view

    heatmap = plots.history_heatmap(MID, True, "en", "")
    mesh = heatmap.axes[0].collections[0]
    class_colour = to_hex(mesh.cmap(mesh.norm(1)))  # position 0 (the class) is drawn as 1
    part = profiles.partnership_profile("growth-cities")
    chart = view.plot_members(part, "en")
    mid = part.members[part.members["class_lo"] == MID[0]]
    assert len(mid)
    colours = {to_hex(p.get_facecolor()) for p in chart.axes[0].patches
               if p.get_width() in set(mid["population"].astype(float))}
    assert colours == {class_colour} == {style.class_color(*MID)}


def test_network_bands_use_the_class_colours():
    from analysis.analyses import network
    from analysis.present.figures import network as network_plots

    graph = network.bipartite_graph(None, None, MID)
    below, inside, above = network_plots.band_colours(graph)
    assert inside == style.class_color(*MID)
    assert below == style.class_color(0, MID[0]) and above == style.class_color(MID[1], None)


def test_a_partnership_has_its_colour_from_the_order_of_the_data():
    ids = list(data.partnerships()["partnership_id"])
    colours = [style.partnership_color(pid) for pid in ids]
    assert colours == list(style.PARTNERSHIP_PALETTE[:len(ids)])
    assert style.partnership_color("no-such-partnership") == style.OKABE_ITO["black"]


def test_partnership_profile_and_network_draw_a_partnership_alike():
    from analysis.analyses import network, profiles
    from analysis.present.figures import network as network_plots
    from analysis.present.text import partnership_profile as view

    part = profiles.partnership_profile("c6")
    line = view.plot_combined(part, "en").axes[0].lines[0]
    graph = network.bipartite_graph(None, None, MID)
    fig = network_plots.draw_bipartite(graph, "en", source="s")
    drawn = {to_hex(lg.get_color()) for ax in fig.axes for lg in ax.lines}
    assert to_hex(line.get_color()) == to_hex(style.partnership_color("c6"))
    assert to_hex(style.partnership_color("c6")) in drawn
