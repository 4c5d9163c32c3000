"""The city–partnership network, checked against counts taken by hand from
data/memberships.csv: 40 memberships, 25 distinct municipalities, 6 partnerships
(growth-cities 15, c6 6, vitality 3, mid-sized-growth-cities 13,
joensuu-lappeenranta-imatra 3, regional-towns 0)."""

import itertools
import json
import os
import subprocess
import sys

import networkx as nx
import pandas as pd
import pytest
from typer.testing import CliRunner

from analysis import data
from analysis.analyses import network
from analysis.analyses.params import NetworkParams
from analysis.core import paths
from analysis.core.errors import ParameterError
from analysis.present.figures import network as network_plots
from analysis.present.text import network as view

HAMEENLINNA, SEINAJOKI, JOENSUU, LAPPEENRANTA, IMATRA = "109", "743", "167", "405", "153"
GROWTH, MID, JLI = "p:growth-cities", "p:mid-sized-growth-cities", "p:joensuu-lappeenranta-imatra"


@pytest.fixture(scope="module")
def graph():
    return network.bipartite_graph(year=2024)


def test_counts_from_the_sources(graph):
    assert len(network.city_nodes(graph)) == 25
    assert len(network.partnership_nodes(graph)) == 6
    assert graph.number_of_edges() == 40
    assert nx.is_bipartite(graph)
    sizes = {network.partnership_id(n): graph.degree(n) for n in network.partnership_nodes(graph)}
    assert sizes == {"growth-cities": 15, "c6": 6, "vitality": 3, "mid-sized-growth-cities": 13,
                     "joensuu-lappeenranta-imatra": 3, "regional-towns": 0}


def test_regional_towns_stays_as_isolated_node(graph):
    assert "p:regional-towns" in graph and graph.degree("p:regional-towns") == 0
    summary = network.partnership_summary(graph).set_index("partnership_id")
    assert summary.loc["regional-towns", "isolated"]
    assert summary.loc["regional-towns", "name_fi"] == "Seutukaupunkiohjelma"


def test_node_and_edge_attributes(graph):
    node = graph.nodes[SEINAJOKI]
    assert node["kind"] == "municipality" and node["bipartite"] == 0
    assert node["name_fi"] == "Seinäjoki" and node["region_fi"] == "Etelä-Pohjanmaa"
    pop = data.population().query("code == @SEINAJOKI and year == 2024")["population"].item()
    assert node["population"] == pop and node["in_size_class"] and node["groupings"] == 2
    assert graph.nodes[GROWTH]["kind"] == "partnership" and graph.nodes[GROWTH]["bipartite"] == 1
    assert graph.nodes[GROWTH]["host_code"] == HAMEENLINNA
    assert graph.edges[HAMEENLINNA, GROWTH]["role"] == "host"
    edge = graph.edges[SEINAJOKI, GROWTH]
    assert (edge["role"], edge["status_date"], edge["source_id"]) == ("member", "2023-10-09",
                                                                      "seinajoki-2023")


def test_hameenlinna_and_seinajoki_in_both_growth_groupings(graph):
    for city in (HAMEENLINNA, SEINAJOKI):
        assert set(graph[city]) == {GROWTH, MID}


def test_joensuu_and_lappeenranta_with_imatra_not_mid_sized(graph):
    for city in (JOENSUU, LAPPEENRANTA):
        assert set(graph[city]) == {GROWTH, JLI}
        assert not graph.has_edge(city, MID)
    assert set(graph[IMATRA]) == {JLI}


def test_c6_and_mid_sized_share_no_city(graph):
    shared = network.overlap_matrix(graph, "shared")
    assert shared.loc["c6", "mid-sized-growth-cities"] == 0
    assert shared.loc["growth-cities", "mid-sized-growth-cities"] == 13
    assert shared.loc["growth-cities", "joensuu-lappeenranta-imatra"] == 2
    assert shared.loc["c6", "c6"] == 6
    jaccard = network.overlap_matrix(graph, "jaccard")
    assert jaccard.loc["growth-cities", "mid-sized-growth-cities"] == pytest.approx(13 / 15)
    assert jaccard.loc["c6", "mid-sized-growth-cities"] == 0
    assert pd.isna(jaccard.loc["regional-towns", "regional-towns"])


def test_partnership_projection(graph):
    projected = network.partnership_projection(graph)
    assert sorted(projected.edges()) == sorted([(GROWTH, MID), (GROWTH, JLI)])
    assert projected.edges[GROWTH, JLI]["jaccard"] == pytest.approx(2 / 16)
    assert "p:regional-towns" in projected and projected.degree("p:regional-towns") == 0


def test_city_projection_and_measures(graph):
    cities = network.city_projection(graph)
    assert cities.number_of_nodes() == 25
    assert cities.edges[HAMEENLINNA, SEINAJOKI]["weight"] == 2
    assert cities.edges[JOENSUU, LAPPEENRANTA]["weight"] == 2
    assert cities.edges[JOENSUU, HAMEENLINNA]["weight"] == 1
    assert not cities.has_edge(IMATRA, HAMEENLINNA)
    measures = network.city_measures(graph).set_index("code")
    assert measures["component"].nunique() == 3
    # Imatra reaches the other growth cities only through Joensuu or Lappeenranta.
    brokers = set(measures.index[measures["betweenness"] > 0])
    assert brokers == {JOENSUU, LAPPEENRANTA}
    assert measures.loc[SEINAJOKI, "groupings"] == 2
    assert measures.loc[SEINAJOKI, "weighted_degree"] == 12 * 2 + 2 * 1
    assert measures.loc["091", "partners"] == 5


def test_partnership_summary_totals(graph):
    summary = network.partnership_summary(graph).set_index("partnership_id")
    pop = data.population().query("year == 2024").set_index("code")["population"]
    c6 = ["049", "091", "092", "564", "837", "853"]
    assert summary.loc["c6", "population"] == pop[c6].sum()
    assert summary.loc["growth-cities", "invited"] == 13
    assert summary["members"].sum() == 40


def test_membership_matrix_blocks(graph):
    matrix = network.membership_matrix(graph)
    assert matrix.shape == (25, 6) and matrix.to_numpy().sum() == 40
    assert list(matrix.columns[:3]) == ["growth-cities", "mid-sized-growth-cities",
                                        "joensuu-lappeenranta-imatra"]
    assert matrix.columns[-1] == "regional-towns"
    for pid in matrix.columns[:-1]:  # each grouping's members are one unbroken run of rows
        rows = [i for i, v in enumerate(matrix[pid]) if v]
        if pid != "joensuu-lappeenranta-imatra":  # its block continues the growth block
            assert rows == list(range(rows[0], rows[0] + len(rows))), pid


def test_coverage_2024():
    cov = network.coverage(2024)
    pop = data.population().query("year == 2024").set_index("code")["population"]
    covered = data.memberships()["code"].unique()
    assert cov["population"] == pop.sum()
    assert cov["population_covered"] == pop[covered].sum() == 3_280_968
    assert cov["municipalities_covered"] == 25
    assert cov["share_covered"] == pytest.approx(3_280_968 / pop.sum())
    assert sorted(cov["class_outside_partnerships"]["name_fi"]) == ["Järvenpää", "Lohja"]
    beyond = set(cov["members_outside_class"]["name_fi"])
    assert {"Kajaani", "Imatra", "Helsinki"} <= beyond and "Seinäjoki" not in beyond
    classes = cov["classes"].set_index("size_band")
    assert classes.loc[1, "cities"] == 16 and classes.loc[1, "cities_covered"] == 14
    assert classes["population"].sum() == pop.sum()
    assert cov["partnerships_without_members"] == ["regional-towns"]


def test_subset_of_partnerships():
    sub = network.bipartite_graph(partnerships="c6,vitality")
    assert (len(network.city_nodes(sub)), len(network.partnership_nodes(sub)),
            sub.number_of_edges()) == (9, 2, 9)
    cov = network.coverage(2024, partnerships=["c6", "vitality"])
    # no class city is in C6 or vitality, so all 16 are gaps for this subset
    assert len(cov["class_outside_partnerships"]) == 16
    assert set(cov["members_outside_class"]["partnership_id"]) == {"c6", "vitality"}


def test_graphml_round_trip(graph, tmp_path):
    [path] = network.export(graph, tmp_path / "net.graphml")
    back = network.read_graphml(path)
    assert set(back.nodes) == set(graph.nodes)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in graph.edges}
    for node, attrs in graph.nodes(data=True):
        assert back.nodes[node] == attrs, node
    for a, b, attrs in graph.edges(data=True):
        assert back.edges[a, b] == attrs
    assert back.graph["year"] == 2024


def test_gexf_and_csv_export(graph, tmp_path):
    [gexf] = network.export(graph, tmp_path / "net.gexf")
    back = nx.read_gexf(gexf)
    assert back.number_of_nodes() == 31 and back.number_of_edges() == 40
    nodes_csv, edges_csv = network.export(graph, tmp_path / "net.csv")
    nodes = pd.read_csv(nodes_csv, dtype={"id": str, "code": str})
    edges = pd.read_csv(edges_csv, dtype=str)
    assert len(nodes) == 31 and len(edges) == 40
    assert "005" not in set(nodes["id"]) and "091" in set(nodes["id"])  # codes keep zeros
    assert nodes.set_index("id").loc["p:c6", "members"] == 6
    with pytest.raises(ParameterError, match=r"\.graphml, \.gexf, \.csv"):
        network.export(graph, tmp_path / "net.json")


def test_cli_export(tmp_path):
    from analysis.cli import app

    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(app, ["network", "export", *args])

    result = invoke(str(tmp_path / "n.graphml"), "--year", "2022")
    assert result.exit_code == 0, result.output
    back = network.read_graphml(tmp_path / "n.graphml")
    assert back.nodes[SEINAJOKI]["population_year"] == 2022
    assert back.nodes[SEINAJOKI]["population"] == data.population().query(
        "code == @SEINAJOKI and year == 2022")["population"].item()
    bad = invoke(str(tmp_path / "n.graphml"), "--year", "1900")
    assert bad.exit_code == 2 and "available years: 1972–" in bad.output
    bad = invoke(str(tmp_path / "n.txt"))
    assert bad.exit_code == 2 and ".graphml" in bad.output


@pytest.mark.parametrize("kwargs, message", [
    ({"partnerships": "c7"}, "valid ids: growth-cities, c6"),
    ({"partnerships": ["c6", "vitalty"]}, "did you mean 'vitality'"),
    ({"highlight_city": "Seinäjokki"}, "did you mean Seinäjoki 743"),
    ({"year": 1900}, "available years: 1972–"),
    ({"size_bounds": [100000, 40000]}, "must increase"),
    ({"layout_seed": -1}, "non-negative integer"),
    ({"lang": "de"}, "use one of: fi, en, sv"),
])
def test_bad_parameters_fail_with_one_line(kwargs, message):
    with pytest.raises(ParameterError, match=message) as info:
        NetworkParams.check(**kwargs)
    assert "\n" not in str(info.value)


def test_parameters_cleaned():
    p = NetworkParams.check(year="2022", partnerships="vitality, c6, c6",
                            size_bounds="20000,40000", highlight_city="vasa")
    assert p.year == 2022 and p.partnerships == ("c6", "vitality")  # table order, each once
    assert p.size_bounds == (20000, 40000) and p.highlight_city == "905"


# -- layouts and figures -----------------------------------------------------------------------
def _positions_json(seed: int) -> str:
    g = network.bipartite_graph(year=2024)
    both = {**network_plots.bipartite_positions(g),
            **network_plots.projection_positions(network.city_projection(g), seed)}
    return json.dumps({k: [round(float(v), 6) for v in xy] for k, xy in sorted(both.items())})


def test_layout_deterministic_across_processes():
    here = _positions_json(1)
    code = "from tests.analyses.test_network import _positions_json; print(_positions_json(1))"
    env = {**os.environ, "PYTHONHASHSEED": "4321"}
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=env, check=True, cwd=str(paths.PROJECT_ROOT))
    assert other.stdout.strip() == here
    assert _positions_json(2) != here  # the seed does change the drawing


def _label_boxes(fig, names):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return {text.get_text(): text.get_window_extent(renderer)
            for ax in fig.axes for text in ax.texts if text.get_text() in names}


@pytest.mark.parametrize("draw", ["draw_bipartite", "draw_city_projection"])
@pytest.mark.parametrize("lang", ["fi", "en"])
def test_city_labels_do_not_overlap(graph, draw, lang):
    names = {network.city_name(graph, c, lang) for c in network.city_nodes(graph)}
    fig = getattr(network_plots, draw)(graph, lang, source="source")
    boxes = _label_boxes(fig, names)
    assert set(boxes) == names  # every city is labelled
    for (a, box_a), (b, box_b) in itertools.combinations(boxes.items(), 2):
        assert not box_a.overlaps(box_b), f"labels {a!r} and {b!r} overlap"
    fig_texts = " ".join(t.get_text() for t in fig.texts)
    assert "source" in fig_texts


def test_figures_have_title_source_and_every_partnership(graph):
    src = view.figure_source("en", 2024, with_boundaries=True)
    figs = {
        "bipartite": network_plots.draw_bipartite(graph, "en", source=src),
        "overlap": network_plots.draw_overlap(graph, "en", source=src),
        "matrix": network_plots.draw_membership_matrix(graph, "en", source=src),
        "maps": network_plots.draw_maps(graph, outline={"186"}, lang="en", source=src),
    }
    for name, fig in figs.items():
        texts = [t.get_text() for t in fig.texts]
        for ax in fig.axes:
            texts += [t.get_text() for t in ax.texts] + [ax.get_title(loc="left")]
            texts += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        joined = " ".join(texts)
        assert "Statistics Finland" in joined, name
        assert "Regional towns" in joined, name  # the member-less programme is named
    assert len([ax for ax in figs["maps"].axes if ax.collections]) == 6


def test_texts_give_the_numbers(graph):
    cov = network.coverage(2024)
    text = view.coverage_text(cov, "en")
    assert "58.2%" in text and "3,280,968" in text and "Järvenpää and Lohja" in text
    assert "Joensuu and Lappeenranta" in view.projection_text(graph, "en")
    fi = view.intro_text(graph, "fi")
    assert "25 jäsenkuntaa" in fi and "40 jäsenyyttä" in fi and "Seutukaupunkiohjelma" in fi
