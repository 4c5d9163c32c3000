"""The comparison figure ("Vertailu / How it compares"): one row per measure, each on its
own scale, the comparison group as grey dots, the city (or the partnership's members)
highlighted, medians as ticks and Finland as a diamond. Each row names its unit, its own
period and source table; the source line names publishers, tables and periods from the
data package. A row is marked "better →" only where the indicator's direction says so;
rows without an obvious direction (mean age, share 65+) carry no such reading.

    fig = city_figure(peers.city_comparison("Seinäjoki"), peers.peer_values("Seinäjoki"), "fi")
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import matplotlib as mpl
from matplotlib.lines import Line2D
from matplotlib.markers import TICKDOWN
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import offset_copy

from .. import peers, style
from ..i18n import t
from ..names import resolve
from ..present.peers import (class_labels, fmt_number, fmt_value, measure_label, period_label,
                            reason_label, source_parts, source_table_label, unit_label)

ROW_IN = 0.62  # height of one measure's row, inches (title, dots, tick labels)
DOT_GREY = "#9A9A9A"
MEDIAN_MARK = {"marker": "|", "ms": 15, "mew": 2.4, "ls": "none"}
TICK_LABEL_PAD = 1  # points between tick mark and label
FINLAND_MARK = {"marker": "D", "ms": 6, "mfc": "white", "mec": "black", "mew": 1.2, "ls": "none"}


def _jitter(n: int) -> np.ndarray:
    """Deterministic vertical offsets so that equal values stay visible."""
    return ((np.arange(n) % 5) - 2) * 0.16


def _row_title(ax, measure: str, meta: pd.Series, lang: str) -> None:
    ax.set_title(measure_label(measure, lang), loc="left", fontsize=8, fontweight="bold", pad=3)
    parts = [unit_label(meta["unit"], lang), period_label(meta["period"], lang),
             source_table_label(meta["source_table"], lang)]
    direction = peers.MEASURES[measure].direction
    text = t("peers.row_meta", lang, unit=parts[0], period=parts[1], table=parts[2])
    if direction:
        text += "  " + t("peers.better.up" if direction > 0 else "peers.better.down", lang)
    ax.set_title(text, loc="right", fontsize=7, fontweight="normal", color="#555555", pad=3)


def _row_axis(ax, values: list, lang: str) -> None:
    finite = np.array([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    lo, hi = (finite.min(), finite.max()) if len(finite) else (0.0, 1.0)
    pad = (hi - lo) * 0.06 or max(abs(hi) * 0.05, 0.5)
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_ylim(-1, 2)  # the dots sit low in the row: the value label above stays inside
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.grid(visible=False)
    _row_ticks(ax, lang)


def _row_ticks(ax, lang: str) -> None:
    """The row's scale as matplotlib would draw it (MaxNLocator, 6 bins: grid line, tick
    mark and label at each value), drawn as three plain artists instead of Tick objects:
    eleven axes of ticks made this figure cost as much as the other three of a profile
    together, laid out three times over (tight box, PNG, SVG)."""
    rc = mpl.rcParams
    lo, hi = ax.get_xlim()
    ticks = [v for v in MaxNLocator(nbins=6).tick_values(lo, hi) if lo <= v <= hi]
    ax.set_xticks([])
    along = ax.get_xaxis_transform()  # x in data, y in axes fractions (0: the bottom spine)
    ax.vlines(ticks, 0, 1, transform=along, colors=rc["grid.color"],
              linewidths=rc["grid.linewidth"], zorder=0.5)
    size = rc["xtick.major.size"]
    ax.plot(ticks, [0] * len(ticks), transform=along, ls="none", marker=TICKDOWN, ms=size,
            mew=rc["xtick.major.width"], color=rc["xtick.color"], clip_on=False)
    below = offset_copy(along, fig=ax.figure, y=-(size + TICK_LABEL_PAD), units="points")
    for v in ticks:
        ax.text(v, 0, fmt_number(round(v, 2), lang), transform=below, ha="center", va="top",
                fontsize=7, color=rc["xtick.labelcolor"] if rc["xtick.labelcolor"] != "inherit"
                else rc["xtick.color"])


def _missing_note(ax, name: str, reason, lang: str) -> None:
    ax.text(0.5, 0.05, f"{name}: " + t("peers.missing", lang, reason=reason_label(reason, lang)),
            transform=ax.transAxes, ha="center", va="center", fontsize=7, style="italic",
            color=style.HIGHLIGHT, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})


LEGEND_ROW_IN = 0.2
SUBTITLE_TOP_IN = 0.58  # where style.finish puts the subtitle, from the top (tall figures)
SUBTITLE_LINE_IN = 0.135
SUBTITLE_CHARS = 100  # characters of 8-pt text in the figure's width


def _legend_columns(n_handles: int) -> int:
    """Four entries fit one line at print size; more go on two."""
    return n_handles if n_handles <= 4 else -(-n_handles // 2)


def _header(subtitle: str, n_handles: int) -> tuple[float, float, int]:
    """(where the legend starts, where the first row's title starts) in inches from the
    top, and the legend's columns."""
    lines = textwrap.fill(subtitle, SUBTITLE_CHARS).count("\n") + 1
    ncol = _legend_columns(n_handles)
    legend = SUBTITLE_TOP_IN + lines * SUBTITLE_LINE_IN + 0.05
    return legend, legend + LEGEND_ROW_IN * -(-n_handles // ncol) + 0.3, ncol


def _figure(n_rows: int, subtitle: str, n_handles: int):
    top = _header(subtitle, n_handles)[1]
    fig, axes = style.figure(height=ROW_IN * n_rows + top + 0.85, nrows=n_rows)
    return fig, np.atleast_1d(axes)


def _finish(fig, title: str, subtitle: str, source: str, handles) -> None:
    """House title, subtitle and source line; then room at the top for the legend and at
    the bottom for the (wrapped) source line."""
    # No tight layout: subplots_adjust below sets every margin and the row spacing (one
    # column), so it would be computed for nothing (about a third of building the figure).
    style.finish(fig, None, title=title, subtitle=textwrap.fill(subtitle, SUBTITLE_CHARS),
                 source=source, layout=False)
    height = fig.get_figheight()
    legend, top, ncol = _header(subtitle, len(handles))
    lines = style.wrap_source(source, 0.98 * fig.get_figwidth()).count("\n") + 1
    bottom = (0.30 + lines * style.SOURCE_FONTSIZE * 1.35 / 72) / height
    fig.subplots_adjust(left=0.03, right=0.97, top=1 - top / height, bottom=bottom, hspace=1.25)
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.01, 1 - legend / height),
               ncol=ncol, fontsize=7, handletextpad=0.3, columnspacing=1.2)
    style.fixed_layout(fig)


def _meta(comp: pd.DataFrame) -> pd.DataFrame:
    return comp[["unit", "period", "source_table"]]


def city_figure(comp: pd.DataFrame, values: pd.DataFrame, lang: str):
    """``comp`` from :func:`analysis.peers.city_comparison`, ``values`` from
    :func:`analysis.peers.peer_values` (same city and year)."""
    a = comp.attrs
    name = resolve(a["code"]).name(lang)
    subtitle = t("peers.fig.city_sub", lang, year=a["year"], size_class=a[f"class_label_{lang}"])
    fig, axes = _figure(len(comp), subtitle, 4)
    others = values[~values["is_self"]]
    for ax, measure in zip(axes, comp.index):
        row = comp.loc[measure]
        background = others[measure].dropna().sort_values()
        ax.plot(background.to_numpy(), _jitter(len(background)), "o", ms=3.6, color=DOT_GREY,
                alpha=0.85, mew=0, zorder=2)
        ax.plot([row["class_median"]], [0], color="black", zorder=3, **MEDIAN_MARK)
        ax.plot([row["finland"]], [0], zorder=3, **FINLAND_MARK)
        if pd.notna(row["value"]):
            ax.plot([row["value"]], [0], "o", ms=7.5, color=style.HIGHLIGHT, mec="white",
                    mew=0.8, zorder=4)
            ax.annotate(fmt_value(row["value"], measure, lang), (row["value"], 0),
                        xytext=(0, 4.5), textcoords="offset points", ha="center", va="bottom",
                        fontsize=7, color=style.HIGHLIGHT, fontweight="bold", zorder=5)
        else:
            _missing_note(ax, name, row["missing_reason"], lang)
        _row_axis(ax, [*background, row["class_median"], row["finland"], row["value"]], lang)
        _row_title(ax, measure, _meta(comp).loc[measure], lang)
    handles = [
        Line2D([], [], marker="o", ls="none", ms=7, color=style.HIGHLIGHT, label=name),
        Line2D([], [], marker="o", ls="none", ms=4, color=DOT_GREY,
               label=t("peers.legend.peers", lang)),
        Line2D([], [], color="black", label=t("peers.legend.median", lang), **MEDIAN_MARK),
        Line2D([], [], label=t("peers.legend.finland", lang), **FINLAND_MARK)]
    source = style.source_text(lang, *source_parts(comp, lang))
    _finish(fig, t("peers.fig.city", lang, name=name),
            subtitle, source, handles)
    return fig


def partnership_figure(comp: pd.DataFrame, values: pd.DataFrame, lang: str):
    """``comp`` from :func:`analysis.peers.partnership_comparison`, ``values`` from
    :func:`analysis.peers.group_values`; only for a partnership with members. The title
    uses the partnership's short name (the full names do not fit the width)."""
    from ..names import partnership_name

    a = comp.attrs
    colour = style.partnership_color(a["partnership"])
    subtitle = t("peers.fig.partnership_sub", lang, year=a["year"],
                 classes=class_labels(a["class_indexes"], lang))
    fig, axes = _figure(len(comp), subtitle, 5)
    members, others = values[values["is_member"]], values[~values["is_member"]]
    for ax, measure in zip(axes, comp.index):
        row = comp.loc[measure]
        back = others[measure].dropna().sort_values()
        front = members[measure].dropna().sort_values()
        ax.plot(back.to_numpy(), _jitter(len(back)), "o", ms=3.6, color=DOT_GREY, alpha=0.85,
                mew=0, zorder=2)
        ax.plot(front.to_numpy(), _jitter(len(front)) * 0.8, "o", ms=5.2, color=colour,
                mec="black", mew=0.4, zorder=3)
        ax.plot([row["others_median"]], [0], color="black", zorder=4, **MEDIAN_MARK)
        ax.plot([row["members_median"]], [0], color=colour, zorder=4,
                **{**MEDIAN_MARK, "mew": 3.2})
        ax.plot([row["finland"]], [0], zorder=5, **FINLAND_MARK)
        _row_axis(ax, [*back, *front, row["finland"]], lang)
        _row_title(ax, measure, _meta(comp).loc[measure], lang)
    handles = [
        Line2D([], [], marker="o", ls="none", ms=5, color=colour, mec="black", mew=0.4,
               label=t("peers.legend.members", lang)),
        Line2D([], [], color=colour, label=t("peers.legend.members_median", lang),
               **{**MEDIAN_MARK, "mew": 3.2}),
        Line2D([], [], marker="o", ls="none", ms=4, color=DOT_GREY,
               label=t("peers.legend.others", lang)),
        Line2D([], [], color="black", label=t("peers.legend.others_median", lang), **MEDIAN_MARK),
        Line2D([], [], label=t("peers.legend.finland", lang), **FINLAND_MARK)]
    source = style.source_text(lang, *source_parts(comp, lang))
    name = partnership_name(a["partnership"], lang)
    _finish(fig, t("peers.fig.partnership", lang, name=name), subtitle, source, handles)
    return fig
