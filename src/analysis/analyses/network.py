"""The city–partnership network: a bipartite graph of municipalities and the partnerships
they belong to, its two projections, centrality and overlap measures, population coverage
and export for Gephi / Cytoscape users.

    graph = bipartite_graph(year=2024)
    city_measures(graph)          # who belongs to several groupings, who is central
    overlap_matrix(graph)         # which groupings share members
    coverage(2024)                # who is left outside

Node ids are strings: a municipality is its 3-character code (``"743"``), a partnership its
id prefixed with ``p:`` (``"p:growth-cities"``), so the two kinds never collide. Every node
carries ``kind`` (``municipality`` / ``partnership``) and networkx's ``bipartite`` (0 / 1).
Partnerships without listed members (the regional towns programme) stay in the graph as
isolated nodes, so every output can name them.

Size classes come from :mod:`analysis.analyses.sizeclass`; this module never classifies by itself.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd
from networkx.algorithms import bipartite as nxb

from analysis import data
from analysis.analyses.sizeclass import MID_SIZE_BOUNDS, check_bounds
from analysis.core.errors import ParameterError
from analysis.data.checks import check_partnerships, check_year
from analysis.data.names import name_column

PARTNERSHIP_PREFIX = "p:"
EXPORT_FORMATS = (".graphml", ".gexf", ".csv")


# -- node ids ------------------------------------------------------------------------------
def partnership_node(partnership_id: str) -> str:
    """``"growth-cities"`` -> ``"p:growth-cities"``."""
    return PARTNERSHIP_PREFIX + partnership_id


def partnership_id(node: str) -> str:
    """``"p:growth-cities"`` -> ``"growth-cities"``."""
    return node[len(PARTNERSHIP_PREFIX):] if node.startswith(PARTNERSHIP_PREFIX) else node


def city_nodes(graph) -> list[str]:
    return sorted(n for n, kind in graph.nodes(data="kind") if kind == "municipality")


def partnership_nodes(graph) -> list[str]:
    """Partnership nodes in the graph's insertion order (the order of partnerships.csv)."""
    return [n for n, kind in graph.nodes(data="kind") if kind == "partnership"]


# -- the graph -------------------------------------------------------------------------------
def _size_bands(year: int, bounds: tuple[int, ...]) -> pd.DataFrame:
    """Per municipality: the band of the population scale it falls in, for colouring and
    export: :func:`analysis.analyses.sizeclass.class_position` + 1, so band 0 is below the first
    edge, bands 1..k the size classes of ``bounds``, band k+1 at or above the last edge."""
    from analysis.analyses import sizeclass

    classes = sizeclass.classify(year=year, bounds=bounds, cities_only=False)
    classes = classes.set_index("code")
    position = sizeclass.class_position(classes["population"], bounds)
    band = pd.Series(position + 1, index=classes.index)
    inside = (band > 0) & (band < len(bounds))
    return pd.DataFrame({"size_band": band, "in_size_class": inside})


def _native(value):
    """GraphML and GEXF writers take only Python scalars; NaN/None become ''."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def bipartite_graph(year=None, partnerships=None, bounds=MID_SIZE_BOUNDS) -> nx.Graph:
    """Municipalities and partnerships, one edge per membership.

    Node ids: municipality code (``"743"``) and partnership id prefixed ``p:``
    (``"p:growth-cities"``). Municipality nodes (``kind="municipality"``, ``bipartite=0``):
    names fi/sv/en, region, ``is_city``, ``population`` in ``year`` (default latest),
    ``jobs`` with ``jobs_year``, size class for ``bounds`` (``size_band``, ``size_class_fi/_en``,
    ``in_size_class``) and ``groupings`` (number of partnerships). Partnership nodes
    (``kind="partnership"``, ``bipartite=1``): names, ``partnership_kind``, ``host_code``,
    ``members`` and the members' combined ``population`` and ``jobs`` (``jobs_year``). Edges carry
    ``role``, ``status``, ``status_date`` and ``source_id``. Only member municipalities are
    nodes; partnerships without members stay as isolated nodes.
    """
    year = check_year(year)
    ids = check_partnerships(partnerships)
    bounds = check_bounds(bounds)
    snap = data.load()
    munis = snap.municipalities.set_index("code")
    pop = snap.population[snap.population["year"] == year].set_index("code")["population"]
    jobs_year = int(snap.jobs["year"].max())  # the latest year the jobs table holds
    jobs = snap.jobs[snap.jobs["year"] == jobs_year].set_index("code")["jobs"]
    bands = _size_bands(year, bounds)
    links = snap.memberships[snap.memberships["partnership_id"].isin(ids)]
    links = links.sort_values(["partnership_id", "code"])

    graph = nx.Graph(year=year, bounds=",".join(str(b) for b in bounds),
                     partnerships=",".join(ids), jobs_year=jobs_year)
    parts = snap.partnerships.set_index("partnership_id")
    for pid in ids:  # partnerships first, in the order of partnerships.csv
        row = parts.loc[pid]
        codes = sorted(links.loc[links["partnership_id"] == pid, "code"])
        graph.add_node(partnership_node(pid), kind="partnership", bipartite=1,
                       partnership_id=pid, label=row["name_fi"], name_fi=row["name_fi"],
                       name_sv=row["name_sv"], name_en=row["name_en"],
                       partnership_kind=row["kind"],
                       host_code=_native(row["host_code"]), members=len(codes),
                       population=int(pop.reindex(codes).sum()),
                       jobs=int(jobs.reindex(codes).sum()), jobs_year=jobs_year,
                       population_year=year)
    for code in sorted(links["code"].unique()):  # sorted: layouts do not depend on hashing
        m, band = munis.loc[code], bands.loc[code]
        graph.add_node(code, kind="municipality", bipartite=0, code=code, label=m["name_fi"],
                       name_fi=m["name_fi"], name_sv=m["name_sv"], name_en=m["name_en"],
                       region_code=m["region_code"], region_fi=m["region_fi"],
                       region_sv=m["region_sv"], region_en=m["region_en"],
                       is_city=bool(m["is_city"]),
                       population=int(pop[code]), population_year=year,
                       jobs=int(jobs[code]), jobs_year=jobs_year, size_band=int(band["size_band"]),
                       in_size_class=bool(band["in_size_class"]))
    for link in links.itertuples():
        graph.add_edge(link.code, partnership_node(link.partnership_id), role=link.role,
                       status=link.status, status_date=_native(link.status_date),
                       source_id=link.source_id)
    for code in city_nodes(graph):
        graph.nodes[code]["groupings"] = graph.degree(code)
    return graph


# -- projections -------------------------------------------------------------------------------
def city_projection(graph) -> nx.Graph:
    """City–city graph: an edge where two municipalities share a partnership, ``weight`` =
    number of shared partnerships. Node attributes are those of the bipartite graph."""
    return nxb.weighted_projected_graph(graph, city_nodes(graph))


def partnership_projection(graph) -> nx.Graph:
    """Partnership–partnership graph: ``weight`` = shared members, ``jaccard`` = shared /
    members of either. Partnerships sharing nobody (or with no members) are isolated."""
    nodes = partnership_nodes(graph)
    projected = nxb.weighted_projected_graph(graph, nodes)
    for a, b, attrs in projected.edges(data=True):
        union = set(graph[a]) | set(graph[b])
        attrs["jaccard"] = attrs["weight"] / len(union)
    return projected


# -- measures ------------------------------------------------------------------------------
def _components(graph) -> dict[str, int]:
    """Component number per node, 1 = the largest (ties: the one holding the first code)."""
    parts = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    return {node: i for i, comp in enumerate(parts, start=1) for node in comp}


def city_measures(graph) -> pd.DataFrame:
    """One row per municipality, most connected first: ``groupings`` (partnerships it
    belongs to), ``partners`` (distinct co-member cities), ``weighted_degree`` (sum of shared
    partnerships with every other city), ``betweenness`` (normalised, on the unweighted city
    projection: how often the city lies on the shortest path between two others) and
    ``component`` (1 = the largest group of cities linked through shared partnerships)."""
    cities = city_projection(graph)
    between = nx.betweenness_centrality(cities, normalized=True)
    component = _components(cities)
    rows = []
    for code in city_nodes(graph):
        node = graph.nodes[code]
        rows.append({
            "code": code, "name_fi": node["name_fi"], "name_sv": node["name_sv"],
            "name_en": node["name_en"], "region_fi": node["region_fi"],
            "region_sv": node["region_sv"], "region_en": node["region_en"],
            "population": node["population"],
            "in_size_class": node["in_size_class"],
            "groupings": graph.degree(code),
            "partnerships": ",".join(sorted(partnership_id(p) for p in graph[code])),
            "partners": cities.degree(code),
            "weighted_degree": int(cities.degree(code, weight="weight")),
            "betweenness": float(between[code]),
            "component": component[code],
        })
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    return frame.sort_values(["groupings", "weighted_degree", "population"],
                             ascending=False, ignore_index=True)


def partnership_summary(graph) -> pd.DataFrame:
    """One row per partnership (also those without members): id, names, kind, host,
    ``members``, ``hosts``/``invited`` counts, ``population`` (combined, the graph's year),
    ``jobs``, ``jobs_year`` and ``isolated`` (True where the source lists no member)."""
    rows = []
    for node in partnership_nodes(graph):
        attrs = graph.nodes[node]
        roles = [graph.edges[node, code]["role"] for code in graph[node]]
        rows.append({
            "partnership_id": attrs["partnership_id"], "name_fi": attrs["name_fi"],
            "name_sv": attrs["name_sv"], "name_en": attrs["name_en"],
            "kind": attrs["partnership_kind"],
            "host_code": attrs["host_code"], "members": attrs["members"],
            "invited": roles.count("invited"), "population": attrs["population"],
            "population_year": attrs["population_year"], "jobs": attrs["jobs"],
            "jobs_year": attrs["jobs_year"],
            "isolated": attrs["members"] == 0,
        })
    return pd.DataFrame(rows)


def overlap_matrix(graph, measure: str = "shared") -> pd.DataFrame:
    """Partnership × partnership: ``shared`` members (diagonal = the partnership's size) or
    ``jaccard`` overlap (shared / members of either; diagonal 1, NaN without members)."""
    if measure not in ("shared", "jaccard"):
        raise ValueError(f"measure={measure!r}; use 'shared' or 'jaccard'")
    nodes = partnership_nodes(graph)
    ids = [partnership_id(n) for n in nodes]
    members = {n: set(graph[n]) for n in nodes}
    values = []
    for a in nodes:
        row = []
        for b in nodes:
            shared = len(members[a] & members[b])
            if measure == "shared":
                row.append(shared)
            else:
                union = len(members[a] | members[b])
                row.append(shared / union if union else float("nan"))
        values.append(row)
    return pd.DataFrame(values, index=pd.Index(ids, name="partnership_id"),
                        columns=pd.Index(ids, name="partnership_id"))


def partnership_order(graph) -> list[str]:
    """Partnership ids grouped so overlapping ones sit together: by component (largest
    first), within a component by size; partnerships without members last."""
    component = _components(graph)
    nodes = partnership_nodes(graph)
    position = {n: i for i, n in enumerate(nodes)}
    size = {n: graph.degree(n) for n in nodes}
    ordered = sorted(nodes, key=lambda n: (size[n] == 0, component[n], -size[n], position[n]))
    return [partnership_id(n) for n in ordered]


def membership_matrix(graph) -> pd.DataFrame:
    """Cities × partnerships, 1 where the city is listed (0 otherwise), index = code.

    Columns follow :func:`partnership_order`; rows are sorted by their membership pattern
    over those columns, then by population, so each group of cities forms a visible block.
    """
    order = partnership_order(graph)
    codes = city_nodes(graph)
    matrix = pd.DataFrame(
        [[int(graph.has_edge(code, partnership_node(pid))) for pid in order] for code in codes],
        index=pd.Index(codes, name="code"), columns=pd.Index(order, name="partnership_id"))
    population = pd.Series({c: graph.nodes[c]["population"] for c in codes})
    keys = [matrix[pid] for pid in order] + [population.reindex(matrix.index)]
    ranked = pd.DataFrame({i: k for i, k in enumerate(keys)}, index=matrix.index)
    ranked = ranked.sort_values(list(ranked.columns), ascending=False, kind="stable")
    return matrix.loc[ranked.index]


def roles_matrix(graph) -> pd.DataFrame:
    """Like :func:`membership_matrix`, with the role (host, member, invited) or ''."""
    matrix = membership_matrix(graph)
    return pd.DataFrame(
        [[graph.edges[code, partnership_node(pid)]["role"] if matrix.at[code, pid] else ""
          for pid in matrix.columns] for code in matrix.index],
        index=matrix.index, columns=matrix.columns)


# -- coverage -----------------------------------------------------------------------------------
def coverage(year=None, bounds=MID_SIZE_BOUNDS, partnerships=None) -> dict:
    """How much of Finland the partnerships reach, and who is left outside.

    Returns ``year``, ``bounds``, ``population``/``municipalities`` (Finland),
    ``population_covered``, ``municipalities_covered``, ``share_covered`` (population share
    in at least one partnership), ``classes`` (one row per band of the population scale:
    municipalities, cities, covered counts, population, covered population and share),
    the gap lists ``class_outside_partnerships`` and ``members_outside_class`` (from
    :func:`analysis.analyses.sizeclass.class_vs_partnerships`, cities only) and
    ``partnerships_without_members`` (ids). ``partnerships`` (default all) narrows the
    partnerships counted; the gap lists are then narrowed the same way.
    """
    from analysis.analyses import sizeclass

    year = check_year(year)
    bounds = check_bounds(bounds)
    ids = check_partnerships(partnerships)
    snap = data.load()
    links = snap.memberships[snap.memberships["partnership_id"].isin(ids)]
    covered = set(links["code"])
    munis = snap.municipalities.set_index("code")
    pop = snap.population[snap.population["year"] == year].set_index("code")["population"]
    bands = _size_bands(year, bounds)
    frame = pd.DataFrame({"population": pop, "is_city": munis["is_city"],
                          "covered": munis.index.isin(covered)}, index=munis.index)
    frame = frame.join(bands)
    rows = []
    for band, group in frame.groupby("size_band"):
        rows.append({
            "size_band": int(band), "is_size_class": 0 < band < len(bounds),
            "municipalities": len(group), "cities": int(group["is_city"].sum()),
            "municipalities_covered": int(group["covered"].sum()),
            "cities_covered": int((group["covered"] & group["is_city"]).sum()),
            "population": int(group["population"].sum()),
            "population_covered": int(group.loc[group["covered"], "population"].sum()),
        })
    classes = pd.DataFrame(rows)
    classes["share_covered"] = classes["population_covered"] / classes["population"]

    gaps = sizeclass.class_vs_partnerships(year=year, bounds=bounds, cities_only=True)
    outside = gaps["class_outside_partnerships"]
    members_outside = gaps["members_outside_class"]
    if set(ids) != set(check_partnerships(None)):
        # A subset of partnerships: class cities outside the subset are gaps too, and members
        # of the other partnerships drop out of the second list.
        outside = sizeclass.members(year=year, bounds=bounds, cities_only=True)
        outside = outside[~outside["code"].isin(covered)]
        if "partnership_id" in members_outside:
            members_outside = members_outside[members_outside["partnership_id"].isin(ids)]
        else:
            members_outside = members_outside[members_outside["code"].isin(covered)]
    counts = links.groupby("partnership_id").size()
    return {
        "year": year, "bounds": bounds, "partnerships": ids,
        "population": int(frame["population"].sum()),
        "municipalities": len(frame),
        "population_covered": int(frame.loc[frame["covered"], "population"].sum()),
        "municipalities_covered": int(frame["covered"].sum()),
        "cities_covered": int((frame["covered"] & frame["is_city"]).sum()),
        "share_covered": float(frame.loc[frame["covered"], "population"].sum()
                               / frame["population"].sum()),
        "classes": classes,
        "class_outside_partnerships": outside.reset_index(drop=True),
        "members_outside_class": members_outside.reset_index(drop=True),
        "partnerships_without_members": [p for p in ids if counts.get(p, 0) == 0],
    }


# -- export ---------------------------------------------------------------------------------------
def export(graph, path) -> list[Path]:
    """Write the graph with all its attributes; the format follows the suffix: ``.graphml``,
    ``.gexf`` (Gephi, Cytoscape) or ``.csv`` (``<stem>_nodes.csv`` and ``<stem>_edges.csv``).
    Returns the files written."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXPORT_FORMATS:
        raise ParameterError(f"cannot export to {path.name!r}; the file name must end in "
                             f"{', '.join(EXPORT_FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".graphml":
        nx.write_graphml(graph, path)
        return [path]
    if suffix == ".gexf":
        nx.write_gexf(graph, path)
        return [path]
    nodes = pd.DataFrame([{"id": n, **attrs} for n, attrs in graph.nodes(data=True)])
    edges = pd.DataFrame([{"source": a, "target": b, **attrs}
                          for a, b, attrs in graph.edges(data=True)])
    node_path = path.with_name(f"{path.stem}_nodes.csv")
    edge_path = path.with_name(f"{path.stem}_edges.csv")
    # nullable dtypes: a count missing on the other kind of node stays "15", not "15.0"
    nodes.convert_dtypes().to_csv(node_path, index=False, encoding="utf-8")
    edges.convert_dtypes().to_csv(edge_path, index=False, encoding="utf-8")
    return [node_path, edge_path]


def read_graphml(path) -> nx.Graph:
    """Read an exported GraphML file back (node ids stay strings such as ``"005"``)."""
    return nx.read_graphml(path)


# -- labels for reports ------------------------------------------------------------------------
def short_name(pid: str, lang: str = "fi", very_short: bool = False) -> str:
    """The partnership's short name (``very_short``: its abbreviation for crowded axes),
    the same one every report uses (see :func:`analysis.names.partnership_name`)."""
    from analysis.data.names import partnership_name

    return partnership_name(pid, lang, "abbr" if very_short else "short")


def city_name(graph, code: str, lang: str = "fi") -> str:
    return graph.nodes[code][name_column(lang)]


