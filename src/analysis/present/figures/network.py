"""Figures of the city–partnership network, drawn for a 16 cm print column.

Layouts avoid piles of labels by construction rather than by luck:

- the bipartite drawing puts partnerships in a column in the middle and the cities in two
  columns either side, ordered so that each grouping's members sit together;
- the city projection puts each connected group of cities on its own circle, names outside
  the circle; ``seed`` decides the order round the circle (a seeded spring layout, read off
  by angle), so the drawing is the same for the same seed in any process.

Every function returns a finished figure (title, legend, source line) for ``Report.figure``.
"""

from __future__ import annotations

import math
import random
import textwrap

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analysis.analyses import network
from analysis.present import style
from analysis.present.figures import maps
from analysis.present.i18n import band_labels, bounds_label, fmt_int, number_format, t
from analysis.present.style import partnership_color
from analysis.present.text.common import names_list

ROLE_STYLE = {  # edge style per membership role: listed / host solid, invited dashed
    "member": {"linestyle": "-", "linewidth": 1.2},
    "host": {"linestyle": "-", "linewidth": 2.4},
    "invited": {"linestyle": (0, (3, 2)), "linewidth": 1.0},
}
MAX_CITY_AREA = 170.0  # marker area (pt²) of the largest city; rows are ~14 pt apart
MIN_CITY_AREA = 14.0


def lighten(colour: str, amount: float = 0.55):
    """The colour mixed with white (for invited, not yet confirmed members)."""
    r, g, b = to_rgb(colour)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def band_colours(graph) -> list[str]:
    """Colours of the size bands (below, classes…, above), light = small to dark = large."""
    bounds = _bounds(graph)
    return style.band_colors(bounds)


def _bounds(graph) -> tuple[int, ...]:
    return tuple(int(b) for b in str(graph.graph["bounds"]).split(","))


def city_areas(graph, codes) -> np.ndarray:
    """Marker areas proportional to population (area, not radius, carries the number)."""
    top = max((graph.nodes[c]["population"] for c in network.city_nodes(graph)), default=1)
    pops = np.array([graph.nodes[c]["population"] for c in codes], dtype=float)
    return MIN_CITY_AREA + (MAX_CITY_AREA - MIN_CITY_AREA) * pops / max(top, 1)


def _size_legend(graph, lang: str):
    """Three reference circles for the population scale."""
    top = max((graph.nodes[c]["population"] for c in network.city_nodes(graph)), default=0)
    handles = []
    for value in _nice_steps(top):
        area = MIN_CITY_AREA + (MAX_CITY_AREA - MIN_CITY_AREA) * value / max(top, 1)
        handles.append(Line2D([], [], linestyle="", marker="o", markersize=math.sqrt(area),
                              markerfacecolor="white", markeredgecolor="#444444",
                              label=fmt_int(value, lang)))
    return handles


def _nice_steps(top: float) -> list[int]:
    if top <= 0:
        return []
    candidates = [25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000]
    steps = [c for c in candidates if c <= top]
    return steps[-3:] if len(steps) >= 3 else steps or [int(top)]


def _band_legend(graph, lang: str, present: set[int]):
    labels = band_labels(_bounds(graph), lang)
    colours = band_colours(graph)
    return [Line2D([], [], linestyle="", marker="o", markersize=7, markerfacecolor=colours[b],
                   markeredgecolor="#444444", markeredgewidth=0.4, label=labels[b])
            for b in sorted(present)]


def _city_label(graph, code: str, lang: str) -> str:
    return network.city_name(graph, code, lang)


# -- 1. bipartite drawing -------------------------------------------------------------------
def bipartite_positions(graph) -> dict[str, tuple[float, float]]:
    """Partnerships in a middle column, cities in a left and a right column.

    Cities follow the membership matrix order (grouped by partnership); the first half of
    that order goes left, the rest right, each column evenly spaced top to bottom. Each
    partnership sits at the mean height of its members (partnerships without members at
    the bottom), then nudged apart so their boxes never overlap.
    """
    order = list(network.membership_matrix(graph).index)
    half = math.ceil(len(order) / 2)
    columns = [order[:half], order[half:]]
    rows = max(len(columns[0]), 1)
    pos = {}
    for x, column in zip((-1.0, 1.0), columns):
        for i, code in enumerate(column):
            pos[code] = (x, 1 - (i + 0.5) / rows)
    pids = network.partnership_order(graph)
    wanted = []
    for pid in pids:
        node = network.partnership_node(pid)
        ys = [pos[c][1] for c in graph[node]]
        wanted.append(float(np.mean(ys)) if ys else -1.0)
    # keep the order of the wanted heights, at least `gap` apart, inside [0, 1]
    gap = min(0.16, 0.95 / max(len(pids), 1))
    order_idx = sorted(range(len(pids)), key=lambda i: (-wanted[i], i))
    ys = [0.0] * len(pids)
    previous = 1.0 + gap * 0.3
    for i in order_idx:
        y = min(wanted[i] if wanted[i] >= 0 else 0.0, previous - gap)
        ys[i] = y
        previous = y
    lowest = min(ys) if ys else 0.0
    if lowest < 0.03:  # shift everything up when the stack ran off the bottom
        shift = 0.03 - lowest
        ys = [y + shift for y in ys]
    for pid, y in zip(pids, ys):
        pos[network.partnership_node(pid)] = (0.0, y)
    return pos


def draw_bipartite(graph, lang: str = "fi", highlight: str | None = None, source: str = ""):
    """Partnerships (boxes, their colour) joined to member cities (dots sized by population,
    coloured by size class); dashed lines mark cities invited but not yet confirmed."""
    pos = bipartite_positions(graph)
    cities = network.city_nodes(graph)
    n_rows = math.ceil(len(cities) / 2)
    fig, ax, legend_ax = _figure_with_legend(max(4.2, 2.6 + 0.24 * n_rows))
    for code, pnode, attrs in sorted(graph.edges(data=True)):
        if graph.nodes[code]["kind"] != "municipality":
            code, pnode = pnode, code
        pid = network.partnership_id(pnode)
        (x0, y0), (x1, y1) = pos[pnode], pos[code]
        ax.plot([x0, x1 * 0.97], [y0, y1], color=partnership_color(pid), alpha=0.85,
                zorder=1, solid_capstyle="round", **ROLE_STYLE.get(attrs["role"], {}))
    colours = band_colours(graph)
    xs = [pos[c][0] for c in cities]
    ys = [pos[c][1] for c in cities]
    fills = [colours[graph.nodes[c]["size_band"]] for c in cities]
    edge_w = [2.0 if c == highlight else 0.5 for c in cities]
    ax.scatter(xs, ys, s=city_areas(graph, cities), c=fills, edgecolors="#222222",
               linewidths=edge_w, zorder=3)
    for code in cities:
        x, y = pos[code]
        ax.annotate(_city_label(graph, code, lang), (x, y), xytext=(-8 if x < 0 else 8, 0),
                    textcoords="offset points", ha="right" if x < 0 else "left", va="center",
                    fontsize=7.5, fontweight="bold" if code == highlight else "normal")
    for pnode in network.partnership_nodes(graph):
        pid = network.partnership_id(pnode)
        x, y = pos[pnode]
        members = graph.nodes[pnode]["members"]
        text = f"{network.short_name(pid, lang)} ({members})"
        if members == 0:
            text = f"{network.short_name(pid, lang)}\n({t('net.no_members', lang)})"
        colour = partnership_color(pid)
        ax.text(x, y, text, ha="center", va="center", fontsize=7, zorder=4,
                color="white" if pid not in ("regional-towns",) else "#222222",
                bbox={"boxstyle": "round,pad=0.35", "facecolor": colour, "edgecolor": colour})
    ax.set_xlim(-1.75, 1.75)
    ax.set_ylim(-0.02, 1.02)
    ax.set_axis_off()
    roles = sorted({a["role"] for _, _, a in graph.edges(data=True)},
                   key=lambda r: list(ROLE_STYLE).index(r) if r in ROLE_STYLE else 9)
    role_handles = [Line2D([], [], color="#444444", label=t(f"role.{r}", lang),
                           **ROLE_STYLE.get(r, {})) for r in roles]
    _city_legends(legend_ax, graph, cities, lang, (t("net.legend.role", lang), role_handles))
    several = [c for c in cities if graph.degree(c) > 1]
    alt = t("alt.net.bipartite", lang, p=len(network.partnership_nodes(graph)), c=len(cities),
            several=len(several),
            names=names_list(sorted(_city_label(graph, c, lang) for c in several), lang))
    style.finish(fig, None, title=t("net.fig.bipartite.title", lang), source=source, alt=alt,
                 data=_memberships(graph, lang))
    return fig


def _memberships(graph, lang: str):
    """One row per membership drawn: partnership, city, role, population and size band."""
    import pandas as pd

    rows = []
    for pnode in network.partnership_nodes(graph):
        for code in sorted(graph[pnode]):
            node = graph.nodes[code]
            rows.append({"partnership_id": network.partnership_id(pnode),
                         "partnership": network.short_name(network.partnership_id(pnode), lang),
                         "code": code, "name": _city_label(graph, code, lang),
                         "role": graph.edges[code, pnode]["role"],
                         "population": node["population"], "size_band": node["size_band"]})
    return pd.DataFrame(rows, columns=["partnership_id", "partnership", "code", "name", "role",
                                       "population", "size_band"])


def _city_legends(legend_ax, graph, cities, lang: str, first: tuple) -> None:
    """The legend strip of the city drawings: ``first`` (edges), then size class and
    population of the cities drawn."""
    present = {graph.nodes[c]["size_band"] for c in cities}
    _legend_row(legend_ax, [
        first,
        (t("net.legend.size_class", lang, year=graph.graph["year"]),
         _band_legend(graph, lang, present)),
        (t("net.legend.population", lang), _size_legend(graph, lang)),
    ])


def _figure_with_legend(height: float, legend_height: float = 1.0):
    """A figure with the drawing on top and a strip below it for legends side by side
    (a real axes, so the layout engine leaves room for it)."""
    style.apply()
    fig = plt.figure(figsize=(style.WIDTH_IN, height))
    grid = fig.add_gridspec(2, 1, height_ratios=[height - legend_height, legend_height])
    ax, legend_ax = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
    ax.grid(False)
    legend_ax.set_axis_off()
    return fig, ax, legend_ax


def _legend_row(legend_ax, groups):
    """Legends side by side in ``legend_ax`` (each a titled column of handles)."""
    groups = [(title, handles) for title, handles in groups if handles]
    for i, (title, handles) in enumerate(groups):
        # Legend objects added as artists: legend_ax.legend() would replace the previous
        # one, and adding its result as an artist too would draw it twice.
        legend_ax.add_artist(Legend(legend_ax, handles, [h.get_label() for h in handles],
                                    title=title, loc="upper left",
                                    bbox_to_anchor=(i / len(groups), 1.0), fontsize=7,
                                    title_fontsize=7.5, alignment="left", handlelength=2.2,
                                    borderaxespad=0, frameon=False))


# -- 2. city projection -------------------------------------------------------------------
def projection_positions(cities_graph, seed: int = 1) -> dict[str, np.ndarray]:
    """Each connected component on a circle, the largest on the left, the others stacked
    on the right. Order round a circle: see :func:`circle_order`."""
    components = sorted((sorted(c) for c in nx.connected_components(cities_graph)),
                        key=lambda c: (-len(c), c[0]))
    radii = [0.0 if len(c) == 1 else max(0.28, 0.065 * len(c)) for c in components]
    pos: dict[str, np.ndarray] = {}
    if not components:
        return pos
    layouts = [circle_order(cities_graph.subgraph(comp), seed) for comp in components]
    big_r = radii[0]
    pos.update(_circle(layouts[0], (0.0, 0.0), big_r))
    rest = list(zip(layouts[1:], radii[1:]))
    if rest:
        x = big_r + 0.95 + max(r for _, r in rest)
        y = sum(2 * r + 0.55 for _, r in rest) / 2
        for nodes, r in rest:
            y -= r + 0.275
            pos.update(_circle(nodes, (x, y), r))
            y -= r + 0.275
    return pos


def circle_order(component, seed: int = 1) -> list[str]:
    """Nodes of one component in an order round a circle that keeps ties short.

    Cities with the same ties to every other city (e.g. the thirteen members of both
    growth-city groupings) form one block; blocks follow the Fiedler vector of the weighted
    Laplacian (spectral ordering: strongly tied blocks end up side by side). Inside a block
    the order is a shuffle drawn from ``seed`` (the cities are interchangeable there), so
    one seed always gives the same drawing, whatever the process or PYTHONHASHSEED.
    """
    nodes = sorted(component)
    if len(nodes) < 3:
        return nodes
    weights = nx.to_numpy_array(component, nodelist=nodes, weight="weight")
    laplacian = np.diag(weights.sum(axis=1)) - weights
    fiedler = np.linalg.eigh(laplacian)[1][:, 1]
    blocks: list[list[int]] = []
    for i in range(len(nodes)):
        for block in blocks:
            j = block[0]
            others = [k for k in range(len(nodes)) if k not in (i, j)]
            if np.allclose(weights[i, others], weights[j, others]):
                block.append(i)
                break
        else:
            blocks.append([i])
    rng = random.Random(seed)
    ordered = []
    for block in sorted(blocks, key=lambda b: (round(float(np.mean(fiedler[b])), 9), b[0])):
        names = [nodes[i] for i in block]
        rng.shuffle(names)
        ordered += names
    return ordered


def _circle(nodes, centre, radius):
    if len(nodes) == 1:
        return {nodes[0]: np.array(centre, dtype=float)}
    start = math.pi / 2 + math.pi / len(nodes)  # nobody exactly at the top or bottom
    return {n: np.array([centre[0] + radius * math.cos(start - 2 * math.pi * i / len(nodes)),
                         centre[1] + radius * math.sin(start - 2 * math.pi * i / len(nodes))])
            for i, n in enumerate(nodes)}


def draw_city_projection(graph, lang: str = "fi", seed: int = 1, highlight: str | None = None,
                         source: str = ""):
    """Cities joined where they share a partnership; line width = partnerships shared."""
    cities_graph = network.city_projection(graph)
    pos = projection_positions(cities_graph, seed)
    fig, ax, legend_ax = _figure_with_legend(4.9, 0.95)
    weights = sorted({w for _, _, w in cities_graph.edges(data="weight")})
    for a, b, w in sorted(cities_graph.edges(data="weight")):
        ax.plot(*zip(pos[a], pos[b]), color="#555555" if w > 1 else "#AAAAAA",
                linewidth=0.5 + 1.1 * (w - 1), alpha=0.8 if w > 1 else 0.6, zorder=1)
    nodes = network.city_nodes(graph)
    colours = band_colours(graph)
    ax.scatter([pos[c][0] for c in nodes], [pos[c][1] for c in nodes],
               s=city_areas(graph, nodes), c=[colours[graph.nodes[c]["size_band"]] for c in nodes],
               edgecolors="#222222", linewidths=[2.0 if c == highlight else 0.5 for c in nodes],
               zorder=3)
    centres = _component_centres(cities_graph, pos)
    for code in nodes:
        cx, cy = centres[code]
        dx, dy = pos[code][0] - cx, pos[code][1] - cy
        norm = math.hypot(dx, dy) or 1.0
        ux, uy = (dx / norm, dy / norm) if math.hypot(dx, dy) else (1.0, 0.0)
        ax.annotate(_city_label(graph, code, lang), pos[code], xytext=(8 * ux, 8 * uy),
                    textcoords="offset points", ha="left" if ux > 0.05 else "right" if ux < -0.05
                    else "center", va="bottom" if uy > 0.5 else "top" if uy < -0.5 else "center",
                    fontsize=7.5, fontweight="bold" if code == highlight else "normal")
    ax.set_aspect("equal")
    ax.margins(0.16, 0.08)
    ax.set_axis_off()
    width_handles = [Line2D([], [], color="#555555" if w > 1 else "#AAAAAA",
                            linewidth=0.5 + 1.1 * (w - 1), label=fmt_int(w, lang))
                     for w in weights]
    _city_legends(legend_ax, graph, nodes, lang, (t("net.legend.shared", lang), width_handles))
    import pandas as pd

    ties = pd.DataFrame([(a, b, w) for a, b, w in sorted(cities_graph.edges(data="weight"))],
                        columns=["code_a", "code_b", "partnerships_shared"])
    ties.insert(1, "name_a", [_city_label(graph, c, lang) for c in ties["code_a"]])
    ties.insert(3, "name_b", [_city_label(graph, c, lang) for c in ties["code_b"]])
    top = max(weights, default=0)
    widest = ties[ties["partnerships_shared"] == top]
    joined = sorted(set(widest["name_a"]) | set(widest["name_b"]))
    alt = t("alt.net.projection", lang, n=len(nodes), e=len(ties), w=top, k=len(joined),
            groups=nx.number_connected_components(cities_graph) if len(nodes) else 0,
            names=names_list(joined, lang))
    style.finish(fig, None, title=t("net.fig.projection.title", lang), source=source, alt=alt,
                 data=ties)
    return fig


def _component_centres(cities_graph, pos):
    centres = {}
    for comp in nx.connected_components(cities_graph):
        centre = np.mean([pos[n] for n in comp], axis=0)
        for n in comp:
            centres[n] = centre
    return centres


# -- 3. overlap heatmaps ----------------------------------------------------------------------
def draw_overlap(graph, lang: str = "fi", source: str = ""):
    """Two heatmaps of the partnerships: shared members (diagonal: size) and Jaccard."""
    order = network.partnership_order(graph)
    shared = network.overlap_matrix(graph, "shared").loc[order, order]
    jaccard = network.overlap_matrix(graph, "jaccard").loc[order, order]
    names = [network.short_name(pid, lang, very_short=True) for pid in order]
    fig, axes = style.figure(style.WIDTH_IN, 3.9, ncols=2, sharey=True)
    panels = [(shared, "Oranges", lambda v: fmt_int(v, lang), t("net.fig.overlap.shared", lang)),
              (jaccard, "Blues", lambda v: _share_text(v, lang), t("net.fig.overlap.jaccard", lang))]
    for ax, (frame, cmap, fmt, title) in zip(axes, panels):
        values = frame.to_numpy(dtype=float)
        top = np.nanmax(values) if np.isfinite(values).any() else 1
        ax.imshow(np.nan_to_num(values, nan=0.0), cmap=cmap, vmin=0, vmax=top or 1)
        for i in range(len(order)):
            for j in range(len(order)):
                v = values[i, j]
                dark = v == v and top and v / top > 0.55
                ax.text(j, i, fmt(v), ha="center", va="center", fontsize=7,
                        color="white" if dark else "#222222",
                        fontstyle="italic" if i == j else "normal")
        ax.set_xticks(range(len(order)), names, rotation=40, ha="right", fontsize=7)
        ax.set_yticks(range(len(order)), names, fontsize=7)
        ax.set_title(title, fontsize=8.5, loc="left")
        ax.tick_params(length=0)
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
    import pandas as pd

    pairs = pd.DataFrame([(order[i], order[j], shared.iat[i, j], jaccard.iat[i, j])
                          for i in range(len(order)) for j in range(i + 1, len(order))],
                         columns=["partnership_a", "partnership_b", "shared", "jaccard"])
    overlapping = pairs[pairs["shared"] > 0].sort_values(["jaccard", "shared"], ascending=False)
    if len(overlapping):
        best = overlapping.iloc[0]
        alt = t("alt.net.overlap", lang, p=len(order),
                a=network.short_name(best["partnership_a"], lang),
                b=network.short_name(best["partnership_b"], lang),
                shared=fmt_int(best["shared"], lang), jaccard=_share_text(best["jaccard"], lang),
                disjoint=len(pairs) - len(overlapping), pairs=len(pairs))
    else:
        alt = t("alt.net.overlap_none", lang, p=len(order))
    style.finish(fig, None, title=t("net.fig.overlap.title", lang),
                 subtitle=t("net.fig.overlap.subtitle", lang), source=source, alt=alt,
                 data=pairs)
    # square cells leave tight_layout too little room for the rotated names: set it here
    fig.subplots_adjust(left=0.2, right=0.99, bottom=0.27, top=0.84, wspace=0.08)
    return fig


def _share_text(value: float, lang: str) -> str:
    """'0,87' / '0.87'; exact 0 as '0' and no value as '–' to keep the grid quiet."""
    if value != value:
        return "–"
    if value == 0:
        return "0"
    return f"{value:.2f}".replace(".", number_format(lang).decimal)


# -- 4. membership matrix -----------------------------------------------------------------------
def draw_membership_matrix(graph, lang: str = "fi", source: str = ""):
    """Cities × partnerships: filled = listed member or host (H), hatched = invited; the
    strip on the left gives the city's size class."""
    roles = network.roles_matrix(graph)
    order = list(roles.columns)
    codes = list(roles.index)
    colours = band_colours(graph)
    fig, ax = style.figure(style.WIDTH_IN, max(3.6, 2.0 + 0.2 * len(codes)))
    ax.grid(False)
    for i, code in enumerate(codes):
        ax.add_patch(plt.Rectangle((-1.0, i - 0.45), 0.5, 0.9,
                                   facecolor=colours[graph.nodes[code]["size_band"]],
                                   edgecolor="#444444", linewidth=0.3))
        for j, pid in enumerate(order):
            role = roles.at[code, pid]
            colour = partnership_color(pid)
            if not role:
                ax.add_patch(plt.Rectangle((j - 0.45, i - 0.45), 0.9, 0.9, facecolor="#F4F4F4",
                                           edgecolor="none"))
                continue
            ax.add_patch(plt.Rectangle(
                (j - 0.45, i - 0.45), 0.9, 0.9,
                facecolor=lighten(colour, 0.6) if role == "invited" else colour,
                edgecolor=colour, hatch="////" if role == "invited" else None, linewidth=0.8))
            if role == "host":
                ax.text(j, i, "H", ha="center", va="center", fontsize=7, color="white",
                        fontweight="bold")
    ax.set_xlim(-1.1, len(order) - 0.5)
    ax.set_ylim(len(codes) - 0.5, -0.5)
    ax.set_xticks([-0.75] + list(range(len(order))),
                  [t("col.size_class", lang)] + [
                      f"{network.short_name(p, lang, very_short=True)} ({int(roles[p].ne('').sum())})"
                      for p in order], rotation=35, ha="right", fontsize=7)
    ax.xaxis.tick_top()
    plt.setp(ax.get_xticklabels(), rotation=35, ha="left")
    ax.set_yticks(range(len(codes)), [_city_label(graph, c, lang) for c in codes], fontsize=7.5)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    role_handles = [
        Patch(facecolor="#444444", edgecolor="#444444", label=t("role.member", lang)),
        Patch(facecolor=lighten("#444444", 0.6), edgecolor="#444444", hatch="////",
              label=t("role.invited", lang)),
        Line2D([], [], linestyle="", marker="$H$", markersize=7, color="#444444",
               label=t("role.host", lang)),
    ]
    present = {graph.nodes[c]["size_band"] for c in codes}
    band_handles = [Patch(facecolor=colours[b], edgecolor="#444444", label=label)
                    for b, label in enumerate(band_labels(_bounds(graph), lang))
                    if b in present]
    for y, title, handles in ((1.0, t("net.legend.role", lang), role_handles),
                              (0.72, t("net.legend.size_class", lang, year=graph.graph["year"]),
                               band_handles)):
        ax.add_artist(Legend(ax, handles, [h.get_label() for h in handles], loc="upper left",
                             bbox_to_anchor=(1.02, y), fontsize=7, title=title,
                             title_fontsize=7.5, alignment="left", frameon=False))
    counts = roles.ne("").sum(axis=1)
    most = counts[counts == counts.max()].index if len(counts) else []
    alt = t("alt.net.matrix", lang, c=len(codes), p=len(order), k=int(counts.max()) if len(counts) else 0,
            names=names_list(sorted(_city_label(graph, c, lang) for c in most), lang))
    tidy = roles.rename_axis(index="code", columns="partnership_id").stack().rename("role")
    tidy = tidy[tidy != ""].reset_index()
    tidy.insert(1, "name", [_city_label(graph, c, lang) for c in tidy["code"]])
    style.finish(fig, None, title=t("net.fig.matrix.title", lang), source=source, alt=alt,
                 data=tidy)
    return fig


# -- 5. map small multiples ----------------------------------------------------------------------
def draw_maps(graph, outline=(), lang: str = "fi", source: str = "", shapes=None):
    """One map of Finland (EPSG:3067) per partnership: members filled in its colour
    (invited ones lighter), ``outline`` codes (the size-class cities) edged in black."""
    from analysis import data

    shapes = data.boundaries(crs=maps.MAP_CRS) if shapes is None else shapes
    pnodes = network.partnership_nodes(graph)
    ncols = min(3, max(len(pnodes), 1))
    nrows = math.ceil(len(pnodes) / ncols) if pnodes else 1
    fig, axes = style.figure(style.WIDTH_IN, 0.6 + 3.55 * nrows, nrows=nrows, ncols=ncols,
                             squeeze=False)
    outline = set(outline)
    for ax, pnode in zip(axes.flat, pnodes):
        pid = network.partnership_id(pnode)
        colour = partnership_color(pid)
        fill = {code: (lighten(colour, 0.5) if graph.edges[code, pnode]["role"] == "invited"
                       else colour) for code in graph[pnode]}
        with plt.ioff():  # geopandas redraws the whole figure per layer when interactive
            maps.finland(ax, fill=fill, outline=outline, shapes=shapes, linewidth=0.1,
                         outline_width=0.7)
        members = graph.nodes[pnode]["members"]
        title = textwrap.fill(f"{network.short_name(pid, lang)} ({members})", 26,
                              break_long_words=False)
        ax.set_title(title, fontsize=8, loc="left", color="#222222", fontweight="bold")
        if members == 0:
            ax.text(0.5, 0.5, t("net.no_members", lang), transform=ax.transAxes, ha="center",
                    va="center", fontsize=7.5,
                    bbox={"facecolor": "white", "edgecolor": colour, "boxstyle": "round"})
    for ax in list(axes.flat)[len(pnodes):]:
        ax.set_axis_off()
    handles = [Patch(facecolor="#777777", label=t("net.legend.map_member", lang)),
               Patch(facecolor=lighten("#777777", 0.5), label=t("net.legend.map_invited", lang)),
               Patch(facecolor="white", edgecolor="black",
                     label=t("net.legend.map_class", lang, bounds=_bounds_text(graph, lang),
                             year=graph.graph["year"]))]
    height = fig.get_figheight()  # fixed margins in inches, whatever the number of rows
    fig.legend(handles=handles, loc="lower center", ncols=3, fontsize=7,
               bbox_to_anchor=(0.5, 0.4 / height), frameon=False)
    items = "; ".join(f"{network.short_name(network.partnership_id(p), lang)} "
                      f"({graph.nodes[p]['members']})" for p in pnodes)
    alt = t("alt.net.maps", lang, p=len(pnodes), items=items, bounds=_bounds_text(graph, lang),
            k=len(outline))
    data = _memberships(graph, lang).drop(columns=["population", "size_band"])
    data["outlined"] = data["code"].isin(outline)
    style.finish(fig, None, title=t("net.fig.maps.title", lang), source=source, alt=alt,
                 data=data)
    fig.subplots_adjust(bottom=0.7 / height, top=1 - 0.75 / height, wspace=0.05, hspace=0.12)
    return fig


def _bounds_text(graph, lang: str) -> str:
    return bounds_label(_bounds(graph), lang)
