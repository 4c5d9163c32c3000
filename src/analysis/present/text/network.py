"""Sentences and tables of ``notebooks/partnership_network.ipynb``: what
:mod:`analysis.analyses.network` computes, in Finnish, English or Swedish."""

from __future__ import annotations

import pandas as pd

from analysis.analyses.network import (
    city_measures,
    city_name,
    partnership_id,
    partnership_node,
    partnership_nodes,
    partnership_projection,
    partnership_summary,
    short_name,
)
from analysis.data.names import name_column
from analysis.present.i18n import band_labels, bounds_label, fmt_float, fmt_int, fmt_pct, t
from analysis.present.text.common import names_list, source_line


def _names(codes_or_names, lang: str) -> str:
    return names_list(list(codes_or_names), lang)


def figure_source(lang: str, year: int, with_boundaries: bool = False) -> str:
    """The source line of the network figures (partnerships, population year, boundaries)."""
    parts = [t("source.partnerships", lang), t("source.population", lang, year=year)]
    if with_boundaries:
        parts.append(t("source.boundaries", lang))
    return source_line(lang, *parts)


def intro_text(graph, lang: str) -> str:
    """Counts of the graph and the cities in several groupings, in ``lang``."""
    measures = city_measures(graph)
    several = measures[measures["groupings"] > 1]
    empty = [short_name(p, lang) for p in partnership_summary(graph).query("isolated")
             ["partnership_id"]]
    text = t("net.text.intro", lang, cities=fmt_int(len(measures), lang),
             partnerships=fmt_int(len(partnership_nodes(graph)), lang),
             edges=fmt_int(graph.number_of_edges(), lang), several=fmt_int(len(several), lang),
             names=_names(several[name_column(lang)], lang) or t("none", lang))
    if empty:
        text += " " + t("net.text.no_members", lang, names=_names(empty, lang))
    return text


def roles_text(graph, lang: str) -> str:
    """Per partnership with invited members: how many are only invited, who has joined."""
    sentences = []
    for row in partnership_summary(graph).itertuples():
        if row.invited:
            node = partnership_node(row.partnership_id)
            confirmed = [city_name(graph, c, lang) for c in sorted(graph[node])
                         if graph.edges[c, node]["role"] != "invited"]
            sentences.append(t("net.text.invited", lang, name=short_name(row.partnership_id, lang),
                               invited=fmt_int(row.invited, lang),
                               members=fmt_int(row.members, lang),
                               confirmed=_names(confirmed, lang) or t("none", lang)))
    return " ".join(sentences)


def projection_text(graph, lang: str) -> str:
    """Components of the city projection and the cities with the highest betweenness."""
    measures = city_measures(graph)
    if measures.empty:
        return ""
    n_groups = int(measures["component"].max())
    top = measures["betweenness"].max()
    text = t("net.text.components", lang, groups=fmt_int(n_groups, lang))
    if top > 0:
        brokers = measures.loc[measures["betweenness"] == top, name_column(lang)]
        text += " " + t("net.text.brokers", lang, names=_names(brokers, lang),
                        value=fmt_float(top, lang, 3))
    else:
        text += " " + t("net.text.no_brokers", lang)
    return text


def overlap_text(graph, lang: str) -> str:
    """The most overlapping pair of partnerships and how many pairs share nobody."""
    projected = partnership_projection(graph)
    pairs = sorted(projected.edges(data=True), key=lambda e: (-e[2]["jaccard"], e[0], e[1]))
    n = len(partnership_nodes(graph))
    disjoint = n * (n - 1) // 2 - len(pairs)
    if not pairs:
        return t("net.text.no_overlap", lang)
    a, b, attrs = pairs[0]
    return t("net.text.overlap", lang, a=short_name(partnership_id(a), lang),
             b=short_name(partnership_id(b), lang), shared=fmt_int(attrs["weight"], lang),
             jaccard=fmt_float(attrs["jaccard"], lang, 2), disjoint=fmt_int(disjoint, lang),
             pairs=fmt_int(n * (n - 1) // 2, lang))


def coverage_text(cov: dict, lang: str) -> str:
    """Population coverage and the two gap lists, in sentences."""
    classes = cov["classes"]
    in_class = classes[classes["is_size_class"]]
    outside = cov["class_outside_partnerships"]
    beyond = cov["members_outside_class"].drop_duplicates("code")
    return " ".join([
        t("net.text.coverage", lang, share=fmt_pct(cov["share_covered"], lang),
          covered=fmt_int(cov["population_covered"], lang),
          total=fmt_int(cov["population"], lang),
          municipalities=fmt_int(cov["municipalities_covered"], lang), year=cov["year"]),
        t("net.text.class_coverage", lang, bounds=bounds_label(cov["bounds"], lang),
          cities=fmt_int(int(in_class["cities"].sum()), lang),
          covered=fmt_int(int(in_class["cities_covered"].sum()), lang),
          names=_names(outside[name_column(lang)], lang) or t("none", lang)),
        t("net.text.beyond_class", lang, count=fmt_int(len(beyond), lang),
          names=_names(beyond[name_column(lang)], lang) or t("none", lang)),
    ])


def highlight_text(graph, code: str | None, lang: str) -> str:
    """Which groupings the highlighted city belongs to (or that it belongs to none)."""
    from analysis.data.names import display_name

    if not code:
        return ""
    name = display_name(code, lang)
    if code not in graph:
        return t("net.text.highlight_none", lang, name=name)
    groups = [short_name(partnership_id(p), lang) for p in sorted(graph[code])]
    return t("net.text.highlight", lang, name=name, groups=_names(groups, lang))


def measures_table(graph, lang: str) -> pd.DataFrame:
    """City measures with translated headers, for the report."""
    m = city_measures(graph)
    return pd.DataFrame({
        t("col.municipality", lang): m[name_column(lang)],
        t("col.region", lang): m[name_column(lang, "region")],
        t("col.population", lang): m["population"],
        t("net.col.groupings", lang): m["groupings"],
        t("net.col.partners", lang): m["partners"],
        t("net.col.weighted_degree", lang): m["weighted_degree"],
        t("net.col.betweenness", lang): m["betweenness"].round(3),
        t("net.col.component", lang): m["component"],
    })


def coverage_table(cov: dict, lang: str) -> pd.DataFrame:
    """Coverage per size band plus a row for all of Finland, translated headers."""
    c = cov["classes"]
    labels = band_labels(cov["bounds"], lang)
    rows = pd.concat([c, pd.DataFrame([{k: c[k].sum() for k in (
        "municipalities", "cities", "municipalities_covered", "cities_covered", "population",
        "population_covered")}])], ignore_index=True)
    rows["share_covered"] = rows["population_covered"] / rows["population"]
    names = [labels[int(b)] for b in c["size_band"]] + [t("net.col.finland", lang)]
    return pd.DataFrame({
        t("col.size_class", lang): names,
        t("net.col.municipalities", lang): rows["municipalities"].astype(int),
        t("net.col.cities", lang): rows["cities"].astype(int),
        t("net.col.cities_covered", lang): rows["cities_covered"].astype(int),
        t("col.population", lang): rows["population"].astype(int),
        t("net.col.population_covered", lang): rows["population_covered"].astype(int),
        t("net.col.share_covered", lang): rows["share_covered"],
    })


def gap_tables(cov: dict, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(class cities in no partnership, partnership members outside the class)."""
    out = cov["class_outside_partnerships"]
    first = pd.DataFrame({
        t("col.municipality", lang): out[name_column(lang)],
        t("col.region", lang): out[name_column(lang, "region")],
        t("col.population", lang): out["population"].astype(int),
    })
    beyond = cov["members_outside_class"]
    second = pd.DataFrame({
        t("col.partnership", lang): [short_name(p, lang) for p in beyond["partnership_id"]],
        t("col.municipality", lang): beyond[name_column(lang)],
        t("col.role", lang): [t(f"role.{r}", lang) for r in beyond["role"]],
        t("col.population", lang): beyond["population"].astype(int),
        t("net.col.position", lang): [t(f"net.position.{p.replace(' ', '_')}", lang)
                                      for p in beyond["position"]],
    })
    return first, second


def labelled(graph):
    """The graph with each municipality's size band named in every report language
    (``size_class_fi``, ``size_class_en``, ``size_class_sv``), for exports read outside
    this tool."""
    bounds = tuple(int(b) for b in str(graph.graph["bounds"]).split(","))
    labels = band_labels(bounds)
    for node, band in graph.nodes(data="size_band"):
        if band is not None:
            for lang, names in labels.items():
                graph.nodes[node][f"size_class_{lang}"] = names[band]
    return graph
