"""Figures of places side by side (``notebooks/compare.ipynb`` and the explorer): each
place's rank among all municipalities on every indicator, their population, jobs and
unemployment rate over the years (one line per place), and a map locating them.

Every place keeps one colour and one marker in every figure (:func:`place_styles`; up to
ten: seven Okabe–Ito colours and three of Paul Tol's muted ones, the last three also
dashed, each with its own marker, so that no two places look alike in colour or in grey
print). Each figure
carries its alt text and the numbers it plots (:func:`analysis.present.style.finish`).

Months are drawn at their place in the year (2007M01 at 2007.0); a month no source holds
breaks every line (NaN), the gap is shaded, and a month standing alone between gaps is
drawn as a dot.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from analysis.core.text import format_years, month_number
from analysis.data.names import name_column
from analysis.present import style
from analysis.present.figures.trends import missing_runs, month_x
from analysis.present.i18n import fmt_float, fmt_int, t
from analysis.present.text import compare as text
from analysis.present.text import peers as peers_text
from analysis.present.text.common import names_list, thousands

# Okabe–Ito's seven colours that read on white, then three of Paul Tol's "muted" set
# (wine, olive, indigo), also safe for the common colour-vision deficiencies: ten places,
# ten colours. Places 8–10 also get dashed lines, and every place its own marker.
COLOURS = [*(style.OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "purple",
                                           "sky_blue", "black")), "#882255", "#999933", "#332288"]
SOLID = 7
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "<", ">"]
GAP_COLOUR = "#EFEFEF"
LOG_RATIO = 10  # a history spanning more than this factor is drawn on a log axis


def place_styles(codes) -> dict[str, dict]:
    """code -> {color, marker, ls}: one look per place, in the order given."""
    return {code: {"color": COLOURS[i % len(COLOURS)], "marker": MARKERS[i % len(MARKERS)],
                   "ls": "-" if i < SOLID else "--"}
            for i, code in enumerate(codes)}


def _labels(pl: pd.DataFrame, lang: str) -> dict[str, str]:
    return dict(zip(pl["code"], pl[name_column(lang)]))


LEGEND_COLUMNS = 5
LINE_IN = 0.112  # one line of the source text (6.5 pt), inches
LEGEND_ROW_IN = 0.2


def _finish(fig, ax, pl: pd.DataFrame, lang: str, styles: dict, *, line: bool = True,
            subtitle: str | None = None, **finish) -> None:
    """The house title, subtitle, labels and source line (:func:`style.finish`), the places'
    legend as one block between the axes and the source line, and the axes laid out in
    what is left (tight layout inside that rectangle)."""
    style.finish(fig, ax, subtitle=subtitle, layout=False, **finish)
    height = fig.get_figheight()
    lines = style.wrap_source(finish["source"], 0.98 * fig.get_figwidth()).count("\n") + 1
    legend_at = 0.06 + lines * LINE_IN + 0.1
    rows = -(-len(pl) // LEGEND_COLUMNS)
    handles = [Line2D([], [], color=s["color"], marker=s["marker"], ms=5,
                      ls=s["ls"] if line else "none", lw=1.6, label=name)
               for name, s in zip(_labels(pl, lang).values(), styles.values())]
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, legend_at / height),
               ncol=LEGEND_COLUMNS, fontsize=7.5, frameon=False, handletextpad=0.4,
               columnspacing=1.2)
    bottom = legend_at + rows * LEGEND_ROW_IN + 0.05
    top = 0.52 if subtitle else 0.32
    fig.tight_layout(rect=(0, bottom / height, 1, 1 - top / height))


# ------------------------------------------------------------------ ranks
def ranks_figure(sbs: pd.DataFrame, pl: pd.DataFrame, lang: str):
    """One row per indicator; each place's rank among all municipalities (1 = the highest
    value, at the right), so a row reads like the values do: higher to the right."""
    meta = sbs.drop_duplicates("measure").set_index("measure")
    measures = list(meta.index)
    codes = list(pl["code"])
    styles = place_styles(codes)
    n_all = int(sbs["n_all"].max())
    fig, ax = style.figure(height=0.3 * len(measures) + 1.9 + 0.2 * -(-len(codes) // 5))
    offsets = np.linspace(-0.22, 0.22, len(codes)) if len(codes) > 1 else [0.0]
    for offset, code in zip(offsets, codes):
        rows = sbs[sbs["code"] == code].set_index("measure").loc[measures]
        y = np.arange(len(measures)) + offset
        s = styles[code]
        ax.plot(rows["rank_all"], y, ls="none", marker=s["marker"], color=s["color"], ms=6,
                mec="white", mew=0.5, zorder=3)
    ax.set_yticks(range(len(measures)))
    ax.set_yticklabels([peers_text.measure_label(m, lang) for m in measures], fontsize=7.5)
    ax.set_ylim(len(measures) - 0.5, -0.5)
    ax.set_xlim(n_all + 6, -5)
    ticks = [1, *(r for r in range(50, n_all, 50) if n_all - r >= 25), n_all]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_int(v, lang)))
    ax.grid(axis="y", visible=False)
    for i in range(len(measures)):
        ax.axhline(i, color="#E5E5E5", lw=0.6, zorder=0.5)
    wide = sbs.pivot(index="measure", columns="code", values="rank_all").loc[measures, codes]
    data = wide.rename(columns=_labels(pl, lang)).astype("Int64")  # ranks are whole numbers
    data.insert(0, "n_all", meta.loc[measures, "n_all"])
    data.index = [peers_text.measure_label(m, lang) for m in measures]
    data.index.name = t("peers.col.measure", lang)
    data = data.reset_index().rename(columns={"n_all": t("compare.col.n_all", lang)})
    _finish(fig, ax, pl, lang, styles, line=False, title=t("compare.fig.ranks", lang),
            subtitle=t("compare.fig.ranks_sub", lang, n_all=n_all),
            xlabel=t("compare.axis.rank", lang, n_all=n_all),
            source=style.source_text(lang, *peers_text.source_parts(sbs, lang)),
            alt=_ranks_alt(sbs, pl, lang, n_all), data=data)
    return fig


def _ranks_alt(sbs, pl, lang, n_all) -> str:
    lines = []
    for code, name in _labels(pl, lang).items():
        rows = sbs[(sbs["code"] == code) & sbs["rank_all"].notna()].set_index("measure")
        top = rows["rank_all"].idxmin()
        lines.append(t("compare.alt.ranks_place", lang, name=name,
                       measure=peers_text.measure_label(top, lang).lower(),
                       rank=int(rows.at[top, "rank_all"]), n=int(rows.at[top, "n_all"])))
    return t("compare.alt.ranks", lang, places=names_list(list(_labels(pl, lang).values()), lang),
             n=sbs["measure"].nunique(), n_all=n_all) + " " + " ".join(lines)


# ------------------------------------------------------------------ histories
def _yearly(frame: pd.DataFrame, pl: pd.DataFrame, lang: str, *, title: str, ylabel: str,
            log_label: str, source: str, alt_key: str):
    styles = place_styles(list(frame.columns))
    fig, ax = style.figure(height=3.9 + 0.2 * -(-len(pl) // LEGEND_COLUMNS))
    for code in frame.columns:
        s = styles[code]
        series = frame[code]
        ax.plot(series.index, series.to_numpy(dtype=float), color=s["color"], ls=s["ls"],
                lw=1.6, marker=s["marker"], ms=3.5, markevery=5)
    held = frame.stack().dropna()
    log = held.min() > 0 and held.max() / held.min() > LOG_RATIO
    if log:
        ax.set_yscale("log")
    else:
        ax.set_ylim(0, held.max() * 1.08)
    ax.yaxis.set_major_formatter(thousands(lang))
    first, last = int(frame.index.min()), int(frame.index.max())
    labels = _labels(pl, lang)
    data = frame.rename(columns=labels).rename_axis(t("axis.year", lang)).reset_index()
    start, end = frame.loc[first], frame.loc[last]
    parts = [t("compare.alt.change", lang, name=labels[c], first=first, last=last,
               start=fmt_int(start[c], lang), end=fmt_int(end[c], lang))
             for c in frame.columns if pd.notna(start[c]) and pd.notna(end[c])]
    _finish(fig, ax, pl, lang, styles, title=title, xlabel=t("axis.year", lang),
            ylabel=log_label if log else ylabel, source=source,
            alt=t(alt_key, lang, places=names_list(list(labels.values()), lang),
                  first=first, last=last) + " " + " ".join(parts), data=data)
    return fig


def population_figure(frame: pd.DataFrame, pl: pd.DataFrame, lang: str):
    """Population on 31 December, every year held, one line per place."""
    years = [int(y) for y in frame.index]
    return _yearly(frame, pl, lang,
                   title=t("compare.fig.population", lang, first=years[0], last=years[-1]),
                   ylabel=t("axis.population", lang), log_label=t("axis.population_log", lang),
                   source=style.source_text(lang, t("source.population_years", lang,
                                                    years=format_years(years))),
                   alt_key="compare.alt.population")


def jobs_figure(frame: pd.DataFrame, pl: pd.DataFrame, lang: str):
    """Jobs located in each place (by workplace), every year held, one line per place."""
    years = [int(y) for y in frame.index]
    return _yearly(frame, pl, lang,
                   title=t("compare.fig.jobs", lang, first=years[0], last=years[-1]),
                   ylabel=t("compare.axis.jobs", lang), log_label=t("compare.axis.jobs_log", lang),
                   source=style.source_text(lang, t("source.jobs", lang,
                                                    year=format_years(years))),
                   alt_key="compare.alt.jobs")


def unemployment_figure(frame: pd.DataFrame, pl: pd.DataFrame, lang: str):
    """The unemployment rate at the end of every month, one line per place; the lines break
    where no source holds a month, and that gap is shaded."""
    styles = place_styles(list(frame.columns))
    fig, ax = style.figure(height=3.9 + 0.2 * -(-len(pl) // LEGEND_COLUMNS))
    x = month_x(frame.index)
    for first, last in missing_runs(frame.isna().all(axis=1)):  # no place has the month
        ax.axvspan(month_number(first) / 12, (month_number(last) + 1) / 12, color=GAP_COLOUR,
                   lw=0, zorder=0)
    for code in frame.columns:
        s = styles[code]
        values = frame[code].to_numpy(dtype=float)
        ax.plot(x, values, color=s["color"], ls=s["ls"], lw=1.1)
        held = ~np.isnan(values)
        alone = held & ~np.r_[False, held[:-1]] & ~np.r_[held[1:], False]
        ax.plot(x[alone], values[alone], ls="none", marker=s["marker"], color=s["color"], ms=5)
    ax.set_ylim(0, np.nanmax(frame.to_numpy(dtype=float)) * 1.1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_int(v, lang)))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{int(v)}"))
    labels = _labels(pl, lang)
    data = frame.rename(columns=labels).rename_axis(t("peers.col.period", lang)).reset_index()
    latest = frame.dropna(how="all").index[-1]
    parts = [t("compare.alt.rate", lang, name=labels[c], rate=fmt_float(frame.at[latest, c], lang, 1))
             for c in frame.columns if pd.notna(frame.at[latest, c])]
    gap = text.gap_text(frame, lang)
    _finish(fig, ax, pl, lang, styles,
            title=t("compare.fig.unemployment", lang,
                    first=peers_text.period_label(frame.index[0], lang),
                    last=peers_text.period_label(frame.index[-1], lang)),
            subtitle=gap, xlabel=t("axis.year", lang), ylabel=t("compare.axis.rate", lang),
            source=style.source_text(lang, text.unemployment_source(lang)),
            alt=t("compare.alt.unemployment", lang,
                  places=names_list(list(labels.values()), lang),
                  month=peers_text.period_label(latest, lang)) + ";".join(parts)
            + "." + (" " + gap if gap else ""), data=data)
    return fig


# ------------------------------------------------------------------ map
def map_figure(pl: pd.DataFrame, lang: str):
    """Finland (EPSG:3067) with each place filled in its colour and named."""
    from analysis.present.figures import maps

    codes = list(pl["code"])
    styles = place_styles(codes)
    labels = _labels(pl, lang)
    fig, ax = style.figure(width=4.6, height=6.2)
    shapes = maps.finland(ax, fill={c: styles[c]["color"] for c in codes}, outline=set(codes))
    points = shapes.set_index("code").loc[codes].geometry.representative_point()
    for code, point in points.items():
        s = styles[code]
        ax.plot([point.x], [point.y], marker=s["marker"], color="white", mec=s["color"], ms=5,
                mew=1.2, ls="none", zorder=4)
        ax.annotate(labels[code], (point.x, point.y), xytext=(7, 4), textcoords="offset points",
                    fontsize=7.5, fontweight="bold", zorder=5,
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 0.5})
    ax.legend(handles=maps.legend_patches({labels[c]: styles[c]["color"] for c in codes}),
              loc="upper left", fontsize=7)
    data = pl[["code", name_column(lang), name_column(lang, "region")]].copy()
    data["x_epsg3067"], data["y_epsg3067"] = points.x.to_numpy(), points.y.to_numpy()
    style.finish(fig, None, title=t("compare.fig.map", lang),
                 source=style.source_text(lang, t("source.boundaries", lang)),
                 alt=t("compare.alt.map", lang, places="; ".join(
                     f"{labels[c]} ({r})" for c, r in zip(codes, pl[name_column(lang, 'region')]))),
                 data=data)
    return fig
