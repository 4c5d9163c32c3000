"""Figures of the size-class report: the population distribution with the class band, and
class membership over the years. Each function computes its own data through
:mod:`analysis.analyses.sizeclass` and returns a finished figure (title, axis labels, source line)."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

from analysis import data
from analysis.analyses import sizeclass
from analysis.analyses.params import SizeClassesParams
from analysis.core.text import format_years
from analysis.present import style
from analysis.present.i18n import bounds_label, class_label, fmt_int, name_column, t

MAX_LABELLED = 36  # more member rows than this would not be legible at print size
BELOW_COLOR = "#E4E4E4"
ABOVE_COLOR = "#8C8C8C"
NO_DATA_HATCH = "////"


def _ticks(lo: float, hi: float, edges=(), min_gap: float = 0.14) -> list[float]:
    """Tick values for a log axis from lo to hi: the class edges first, then round numbers
    (1, then 2 and 5, then the other digits × 10^k), skipping any closer to a chosen tick
    than ``min_gap`` of the axis width, so that no two labels overlap."""
    span = np.log10(hi / lo)
    powers = [10.0 ** k for k in range(int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi))) + 1)]
    candidates = [e for e in edges if lo <= e <= hi]
    for digits in ((1,), (2, 5), (3, 4, 6, 7, 8, 9)):
        candidates += [d * p for p in powers for d in digits if lo <= d * p <= hi]
    chosen: list[float] = []
    for value in candidates:
        if all(abs(np.log10(value / c)) >= min_gap * span for c in chosen):
            chosen.append(value)
    return sorted(chosen)


def _population_axis(ax, lang: str, lo: float, hi: float, edges=()) -> None:
    """Log x axis labelled with plain numbers ("40 000"), not powers of ten."""
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(FixedLocator(_ticks(lo, hi, [e for e in edges if e > 0])))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_int(v, lang)))
    ax.xaxis.set_minor_formatter(NullFormatter())


def _shade_classes(ax, edges, colors, alpha=0.3, label_lang=None, counts=None) -> list[Patch]:
    handles = []
    for i, (lo, hi) in enumerate(zip(edges, edges[1:])):
        ax.axvspan(max(lo, 1), hi, color=colors[i], alpha=alpha, lw=0, zorder=0)
        if label_lang:
            label = class_label(lo, hi, label_lang)
            if counts is not None:
                label += f" ({fmt_int(counts[i], label_lang)})"
            handles.append(Patch(facecolor=colors[i], alpha=alpha, label=label))
    return handles


def _sources(lang: str, year=None, years=None, cities_only=False, partnerships=False) -> str:
    parts = [t("source.population", lang, year=year) if year is not None
             else t("source.population_years", lang, years=format_years(years))]
    if cities_only:
        parts.append(t("source.cities", lang))
    if partnerships:
        parts.append(t("source.partnerships", lang))
    return style.source_text(lang, *parts)


def _partner_codes(highlight: str | None) -> set[str]:
    if not highlight:
        return set()
    ms = data.memberships()
    return set(ms.loc[ms["partnership_id"] == highlight, "code"])


def _partnership_name(pid: str, lang: str) -> str:
    from analysis.data.names import partnership_name

    return partnership_name(pid, lang)


def distribution(year=None, bounds=sizeclass.MID_SIZE_BOUNDS, cities_only: bool = True,
                 lang: str = "fi", highlight: str | None = None):
    """Top: histogram of all 308 municipal populations (log axis), the class band shaded.
    Bottom: the class members (and the highlighted partnership's members) by name."""
    p = SizeClassesParams.check(year=year, bounds=bounds, cities_only=cities_only,
                                highlight=highlight or "", lang=lang)
    year, edges, highlight = p.year, p.bounds, p.highlight
    everyone = sizeclass.classify(year, edges, cities_only=False, open_ended=False)
    in_scope = everyone["is_city"] if cities_only else np.ones(len(everyone), bool)
    in_class = (everyone["class_index"] >= 0) & in_scope
    partners = _partner_codes(highlight)
    rows = everyone[in_class | everyone["code"].isin(partners)]
    rows = rows.sort_values("population", ascending=True)
    label_rows = 0 < len(rows) <= MAX_LABELLED
    colors = style.class_colors(edges)

    top_h = 2.3
    bottom_h = 0.55 + 0.15 * len(rows) if label_rows else 0
    fig, axes = style.figure(style.WIDTH_IN, 1.3 + top_h + bottom_h, nrows=2 if label_rows else 1,
                             gridspec_kw={"height_ratios": [top_h, bottom_h]} if label_rows else {})
    ax = axes[0] if label_rows else axes
    pops = everyone["population"]
    bins = np.logspace(np.log10(pops.min() * 0.95), np.log10(pops.max() * 1.05), 36)
    scope_label = t("size.legend.cities" if cities_only else "size.legend.municipalities", lang)
    stacks = [pops[in_scope]]
    labels = [scope_label]
    hist_colors = [style.OKABE_ITO["blue"]]
    if cities_only:
        stacks.append(pops[~everyone["is_city"]])
        labels.append(t("size.legend.other_municipalities", lang))
        hist_colors.append(style.NEUTRAL)
    ax.hist(stacks, bins=bins, stacked=True, color=hist_colors, label=labels, zorder=2)
    n_classes = len(edges) - 1
    counts = [int((in_class & (everyone["class_index"] == i)).sum()) for i in range(n_classes)]
    handles = _shade_classes(ax, edges, colors, label_lang=lang,
                             counts=counts if n_classes > 1 else None)
    _population_axis(ax, lang, bins[0], bins[-1], edges)
    ax.set_xlim(bins[0], bins[-1])
    ax.set_ylabel(t("axis.municipalities", lang))
    ax.set_xlabel(t("axis.population_log", lang))
    if n_classes == 1:
        ax.text(np.sqrt(max(edges[0], bins[0]) * edges[-1]), 0.97,
                t("size.fig.in_class", lang, n=fmt_int(int(in_class.sum()), lang)),
                transform=ax.get_xaxis_transform(), ha="center", va="top", fontsize=8,
                fontweight="bold", color="#222222")
    hist_handles, _ = ax.get_legend_handles_labels()
    ax.legend(handles=hist_handles + handles, loc="lower left", bbox_to_anchor=(0, 1.0),
              ncol=3, fontsize=7, borderaxespad=0.2)

    subtitle = t("size.fig.rule", lang, bounds=bounds_label(edges, lang))
    if label_rows:
        _member_strip(axes[1], rows, edges, colors, partners, highlight, lang)
    elif len(rows):
        subtitle += " " + t("size.fig.too_many", lang, n=fmt_int(len(rows), lang))
    n_in = int(in_class.sum())
    alt = t("alt.size.distribution", lang, n=fmt_int(len(everyone), lang), year=year,
            smallest=fmt_int(pops.min(), lang), largest=fmt_int(pops.max(), lang),
            bounds=bounds_label(edges, lang), k=fmt_int(n_in, lang),
            units=_units(n_in, cities_only, lang))
    members = rows[rows["class_index"] >= 0]
    if label_rows and len(members):
        alt += " " + t("alt.size.distribution_members", lang,
                       largest_name=members.iloc[-1][name_column(lang)],
                       largest_pop=fmt_int(members.iloc[-1]["population"], lang),
                       smallest_name=members.iloc[0][name_column(lang)],
                       smallest_pop=fmt_int(members.iloc[0]["population"], lang))
    plotted = everyone[["code", name_column(lang), "population", "is_city"]].rename(
        columns={name_column(lang): "name"}).assign(
        in_class=in_class.to_numpy(), highlighted=everyone["code"].isin(partners).to_numpy())
    style.finish(fig, None, subtitle=subtitle,
                 title=t("size.fig.distribution.title", lang, year=year,
                         bounds=bounds_label(edges, lang)),
                 source=_sources(lang, year=year, cities_only=cities_only,
                                 partnerships=bool(highlight)),
                 alt=alt, data=plotted.sort_values("population", ascending=False))
    return fig


def _units(n: int, cities_only: bool, lang: str) -> str:
    kind = "cities" if cities_only else "municipalities"
    return t(f"size.unit.{kind}.one" if n == 1 else f"size.unit.{kind}", lang)


def _member_strip(ax, rows, edges, colors, partners, highlight, lang):
    y = np.arange(len(rows))
    inside = rows["class_index"].to_numpy() >= 0
    fill = [colors[i] if i >= 0 else "white" for i in rows["class_index"]]
    ax.scatter(rows["population"], y, s=28, c=fill, edgecolors="#333333", linewidths=0.6,
               zorder=3)
    marked = rows["code"].isin(partners).to_numpy()
    if marked.any():
        ax.scatter(rows["population"][marked], y[marked], s=95, facecolors="none",
                   edgecolors=style.partnership_color(highlight), linewidths=1.6, zorder=4)
    _shade_classes(ax, edges, colors)
    ax.set_yticks(y, rows[name_column(lang)])
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.grid(axis="y", visible=False)
    lo = min(rows["population"].min(), edges[0] if edges[0] > 0 else rows["population"].min())
    hi = max(rows["population"].max(), edges[-1])
    ax.set_xlim(lo / 1.12, hi * 1.12)
    _population_axis(ax, lang, lo / 1.12, hi * 1.12, edges)
    ax.set_xlabel(t("axis.population_log", lang))
    handles = [Patch(facecolor=colors[0], edgecolor="#333333", label=t("size.legend.member", lang))]
    if (~inside).any():
        handles.append(Patch(facecolor="white", edgecolor="#333333",
                             label=t("size.legend.outside", lang)))
    if marked.any():
        from matplotlib.lines import Line2D
        handles.append(Line2D([], [], marker="o", ls="", markersize=8, markerfacecolor="none",
                              markeredgecolor=style.partnership_color(highlight),
                              markeredgewidth=1.6, label=_partnership_name(highlight, lang)))
    ax.legend(handles=handles, loc="lower right", fontsize=7, framealpha=0.9, frameon=True)


def history_heatmap(bounds=sizeclass.MID_SIZE_BOUNDS, cities_only: bool = True,
                    lang: str = "fi", highlight: str | None = None):
    """Municipality × year: below, in (each class its colour), above; a year missing inside
    the range (none today) is drawn as a hatched gap."""
    edges = sizeclass.check_bounds(bounds)
    highlight = sizeclass.check_highlight(highlight)
    positions = sizeclass.class_positions(edges, cities_only)
    n = len(edges) - 1
    ever = positions.index[((positions >= 0) & (positions < n)).any(axis=1)]
    data_years = list(positions.columns)
    years = list(range(data_years[0], data_years[-1] + 1))
    gaps = [y for y in years if y not in data_years]
    pops = sizeclass.population_wide()
    last = data_years[-1]
    munis = data.municipalities().set_index("code")
    grid = positions.loc[ever].reindex(columns=years).astype(float)
    order = sorted(ever, key=lambda c: (not 0 <= positions.at[c, last] < n, -pops.at[c, last]))
    grid = grid.loc[order]

    height = 1.9 + 0.18 * max(len(order), 3)
    fig, ax = style.figure(style.WIDTH_IN, height)
    colors = [BELOW_COLOR, *style.class_colors(edges), ABOVE_COLOR]
    cmap = ListedColormap(colors)
    values = np.ma.masked_invalid(grid.to_numpy() + 1)  # -1..n -> 0..n+1
    ax.pcolormesh(np.arange(len(years) + 1) - 0.5, np.arange(len(order) + 1) - 0.5, values,
                  cmap=cmap, vmin=-0.5, vmax=n + 1.5, edgecolors="white", linewidth=0.5)
    for gap in gaps:
        ax.add_patch(Rectangle((years.index(gap) - 0.5, -0.5), 1, max(len(order), 1),
                               facecolor="white", edgecolor="#888888", hatch=NO_DATA_HATCH,
                               linewidth=0.0, zorder=3))
    ax.set_xlim(-0.5, len(years) - 0.5)
    ax.set_ylim(max(len(order), 1) - 0.5, -0.5)
    ticks = [i for i, y in enumerate(years) if y % 2 == 0 or y == years[-1]]
    ax.set_xticks(ticks, [str(years[i]) for i in ticks], rotation=90)
    ax.set_yticks(range(len(order)), [munis.at[c, name_column(lang)] for c in order])
    partners = _partner_codes(highlight)
    for label, code in zip(ax.get_yticklabels(), order):
        if code in partners:
            label.set_fontweight("bold")
    ax.tick_params(length=0)
    ax.grid(False)
    ax.spines[["left", "bottom"]].set_visible(False)

    handles = [Patch(facecolor=BELOW_COLOR, label=t("size.legend.below", lang,
                                                    edge=fmt_int(edges[0], lang)))]
    handles += [Patch(facecolor=c, label=class_label(lo, hi, lang))
                for c, lo, hi in zip(colors[1:-1], edges, edges[1:])]
    handles.append(Patch(facecolor=ABOVE_COLOR, label=t("size.legend.above", lang,
                                                        edge=fmt_int(edges[-1], lang))))
    if gaps:
        handles.append(Patch(facecolor="white", edgecolor="#888888", hatch=NO_DATA_HATCH,
                             label=t("size.legend.no_data", lang, years=format_years(gaps))))
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=4, fontsize=7,
              borderaxespad=0.2)
    subtitle = t("size.fig.rule", lang, bounds=bounds_label(edges, lang))
    if partners & set(order):
        subtitle += " " + t("size.fig.bold_partners", lang, partnership=_partnership_name(highlight, lang))
    if not len(order):
        ax.text(0.5, 0.5, t("size.fig.empty", lang), transform=ax.transAxes, ha="center")
    now_in = int(((positions[last] >= 0) & (positions[last] < n)).sum())
    steps = positions.loc[ever].reindex(columns=data_years)
    inside = (steps >= 0) & (steps < n)
    moves = inside.astype(int).diff(axis=1).iloc[:, 1:]
    alt = t("alt.size.history", lang, n=len(order), first=data_years[0], last=last,
            bounds=bounds_label(edges, lang), k=now_in, entered=int((moves > 0).sum().sum()),
            left=int((moves < 0).sum().sum()))
    plotted = grid.rename_axis(index="code", columns="year").stack(future_stack=True).rename(
        "position").reset_index()
    plotted.insert(1, "name", [munis.at[c, name_column(lang)] for c in plotted["code"]])
    style.describe(fig, alt=alt, data=plotted)
    style.finish(fig, ax, subtitle=subtitle,
                 title=t("size.fig.history.title", lang, bounds=bounds_label(edges, lang),
                         scope=t("size.scope.cities" if cities_only else "size.scope.municipalities",
                                 lang)),
                 xlabel=t("axis.year", lang), ylabel=None,
                 source=_sources(lang, years=data_years, cities_only=cities_only,
                                 partnerships=bool(partners & set(order))))
    return fig
