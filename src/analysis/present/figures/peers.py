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

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import offset_copy

from analysis.analyses import peers
from analysis.data.names import resolve
from analysis.present import style
from analysis.present.i18n import class_label, t
from analysis.present.text.peers import (
    class_labels,
    fmt_number,
    fmt_value,
    fmt_with_unit,
    measure_label,
    period_label,
    reason_label,
    source_parts,
    source_table_label,
    unit_label,
)

ROW_IN = 0.62  # height of one measure's row, inches (title, dots, tick labels)
DOT_GREY = "#9A9A9A"
MEDIAN_MARK = {"marker": "|", "ms": 15, "mew": 2.4, "ls": "none"}
TICK_LABEL_PAD = 1  # points between tick mark and label
FINLAND_MARK = {"marker": "D", "ms": 6, "mfc": "white", "mec": "black", "mew": 1.2, "ls": "none"}


def _jitter(n: int) -> np.ndarray:
    """Deterministic vertical offsets so that equal values stay visible."""
    return ((np.arange(n) % 5) - 2) * 0.16


class _Rows:
    """One row per measure, all drawn on one hidden axes: each row maps its own scale
    (its values' range, padded) onto 0..1 across the width. Eleven axes with their ticks
    made this figure cost as much as the other three figures of a profile together; here
    each kind of mark is one artist for all rows (all grey dots, all medians, all grid
    lines, all tick marks), and only the texts are one artist each.

    In y, a row's band is one unit tall (as its own axes used to be, from -1 at the bottom
    line to 2) and rows are ``PITCH`` units apart, the band plus the gap that holds its
    tick labels and the next row's title."""

    PITCH = 2.25

    def __init__(self, ax, n: int):
        self.ax, self.n = ax, n
        self.scales: list[tuple[float, float]] = []
        self.marks: dict[str, tuple[list, list, dict]] = {}
        ax.set_xlim(0, 1)
        ax.set_ylim(0, n * self.PITCH - (self.PITCH - 1))
        ax.axis("off")

    def bottom(self, i: int) -> float:
        return (self.n - 1 - i) * self.PITCH

    def y(self, i: int, v) -> np.ndarray:
        """Row ``i``'s height ``v`` on the old per-row scale (-1 bottom line … 2 top)."""
        return self.bottom(i) + (np.asarray(v, dtype=float) + 1) / 3

    def x(self, i: int, values) -> np.ndarray:
        lo, hi = self.scales[i]
        return (np.asarray(values, dtype=float) - lo) / (hi - lo)

    def scale(self, values: list) -> None:
        """The next row's scale: its values' range with 6 % on each side."""
        finite = np.array([v for v in values if v is not None and np.isfinite(v)], dtype=float)
        lo, hi = (finite.min(), finite.max()) if len(finite) else (0.0, 1.0)
        pad = (hi - lo) * 0.06 or max(abs(hi) * 0.05, 0.5)
        self.scales.append((lo - pad, hi + pad))

    def mark(self, kind: str, i: int, values, heights, **style_kw) -> None:
        """Add points to the artist ``kind`` (drawn once for all rows by :meth:`draw`)."""
        xs, ys, _ = self.marks.setdefault(kind, ([], [], style_kw))
        xs.extend(self.x(i, values))
        ys.extend(self.y(i, heights))

    def title(self, i: int, measure: str, meta: pd.Series, lang: str) -> None:
        top = offset_copy(self.ax.transData, fig=self.ax.figure, y=3, units="points")
        self.ax.text(0, self.bottom(i) + 1, measure_label(measure, lang), transform=top,
                     ha="left", va="baseline", fontsize=8, fontweight="bold")
        parts = [unit_label(meta["unit"], lang), period_label(meta["period"], lang),
                 source_table_label(meta["source_table"], lang)]
        direction = peers.MEASURES[measure].direction
        text = t("peers.row_meta", lang, unit=parts[0], period=parts[1], table=parts[2])
        if direction:
            text += "  " + t("peers.better.up" if direction > 0 else "peers.better.down", lang)
        self.ax.text(1, self.bottom(i) + 1, text, transform=top, ha="right", va="baseline",
                     fontsize=7, color="#555555")

    def label(self, i: int, value: float, text: str) -> None:
        """The highlighted value, above its dot."""
        self.ax.annotate(text, (float(self.x(i, value)), float(self.y(i, 0))), xytext=(0, 4.5),
                         textcoords="offset points", ha="center", va="bottom", fontsize=7,
                         color=style.HIGHLIGHT, fontweight="bold", zorder=5)

    def note(self, i: int, text: str) -> None:
        """A note low in the row, across its middle (a missing value and why)."""
        self.ax.text(0.5, self.bottom(i) + 0.05, text, ha="center", va="center", fontsize=7,
                     style="italic", color=style.HIGHLIGHT, zorder=6,
                     bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})

    def draw(self, lang: str) -> None:
        """Each row's scale (matplotlib's MaxNLocator, 6 bins: grid line, tick mark and
        label at each value, the bottom line), then the collected marks."""
        rc, ax = mpl.rcParams, self.ax
        grid_x, grid_lo, tick_x, tick_y = [], [], [], []
        size = rc["xtick.major.size"]
        below = offset_copy(ax.transData, fig=ax.figure, y=-(size + TICK_LABEL_PAD),
                            units="points")
        colour = rc["xtick.color"] if rc["xtick.labelcolor"] == "inherit" \
            else rc["xtick.labelcolor"]
        for i, (lo, hi) in enumerate(self.scales):
            ticks = [v for v in MaxNLocator(nbins=6).tick_values(lo, hi) if lo <= v <= hi]
            where = self.x(i, ticks)
            grid_x.extend(where)
            grid_lo.extend([self.bottom(i)] * len(ticks))
            tick_x.extend(where)
            tick_y.extend([self.bottom(i)] * len(ticks))
            for x, v in zip(where, ticks):
                ax.text(x, self.bottom(i), fmt_number(round(v, 2), lang), transform=below,
                        ha="center", va="top", fontsize=7, color=colour)
        ax.vlines(grid_x, grid_lo, np.add(grid_lo, 1), colors=rc["grid.color"],
                  linewidths=rc["grid.linewidth"], zorder=0.5)
        ax.hlines([self.bottom(i) for i in range(self.n)], 0, 1, colors=rc["axes.edgecolor"],
                  linewidths=rc["axes.linewidth"], zorder=2.5)
        style.tick_marks(ax, tick_x, tick_y)
        for xs, ys, style_kw in self.marks.values():
            ax.plot(xs, ys, clip_on=False, **style_kw)


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
    fig, ax = style.figure(height=ROW_IN * n_rows + top + 0.85)
    return fig, _Rows(ax, n_rows)


def _finish(fig, title: str, subtitle: str, source: str, handles) -> None:
    """House title, subtitle and source line; then room at the top for the legend and at
    the bottom for the (wrapped) source line."""
    # No tight layout: subplots_adjust below sets every margin, so it would be computed
    # for nothing.
    style.finish(fig, None, title=title, subtitle=textwrap.fill(subtitle, SUBTITLE_CHARS),
                 source=source, layout=False)
    height = fig.get_figheight()
    legend, top, ncol = _header(subtitle, len(handles))
    lines = style.wrap_source(source, 0.98 * fig.get_figwidth()).count("\n") + 1
    bottom = (0.30 + lines * style.SOURCE_FONTSIZE * 1.35 / 72) / height
    fig.subplots_adjust(left=0.03, right=0.97, top=1 - top / height, bottom=bottom)
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.01, 1 - legend / height),
               ncol=ncol, fontsize=7, handletextpad=0.3, columnspacing=1.2)
    style.fixed_layout(fig)


def _meta(comp: pd.DataFrame) -> pd.DataFrame:
    return comp[["unit", "period", "source_table"]]


def city_figure(comp: pd.DataFrame, values: pd.DataFrame, lang: str):
    """``comp`` from :func:`analysis.analyses.peers.city_comparison`, ``values`` from
    :func:`analysis.analyses.peers.peer_values` (same city and year)."""
    a = comp.attrs
    name = resolve(a["code"]).name(lang)
    subtitle = t("peers.fig.city_sub", lang, year=a["year"],
                 size_class=class_label(a["class_lo"], a["class_hi"], lang))
    fig, rows = _figure(len(comp), subtitle, 4)
    others = values[~values["is_self"]]
    for i, measure in enumerate(comp.index):
        row = comp.loc[measure]
        background = others[measure].dropna().sort_values()
        rows.scale([*background, row["class_median"], row["finland"], row["value"]])
        rows.mark("peers", i, background, _jitter(len(background)), ls="none", marker="o",
                  ms=3.6, color=DOT_GREY, alpha=0.85, mew=0, zorder=2)
        rows.mark("median", i, [row["class_median"]], [0], color="black", zorder=3,
                  **MEDIAN_MARK)
        rows.mark("finland", i, [row["finland"]], [0], zorder=3, **FINLAND_MARK)
        if pd.notna(row["value"]):
            rows.mark("self", i, [row["value"]], [0], ls="none", marker="o", ms=7.5,
                      color=style.HIGHLIGHT, mec="white", mew=0.8, zorder=4)
            rows.label(i, row["value"], fmt_value(row["value"], measure, lang))
        else:
            rows.note(i, f"{name}: " + t("peers.missing", lang,
                                          reason=reason_label(row["missing_reason"], lang)))
        rows.title(i, measure, _meta(comp).loc[measure], lang)
    rows.draw(lang)
    handles = [
        Line2D([], [], marker="o", ls="none", ms=7, color=style.HIGHLIGHT, label=name),
        Line2D([], [], marker="o", ls="none", ms=4, color=DOT_GREY,
               label=t("peers.legend.peers", lang)),
        Line2D([], [], color="black", label=t("peers.legend.median", lang), **MEDIAN_MARK),
        Line2D([], [], label=t("peers.legend.finland", lang), **FINLAND_MARK)]
    source = style.source_text(lang, *source_parts(comp, lang))
    _finish(fig, t("peers.fig.city", lang, name=name),
            subtitle, source, handles)
    summary = peers.above_median_summary(comp)
    standout = summary["standout"]
    alt = t("alt.peers.city", lang, m=len(comp), name=name, n=len(others),
            above=summary["n"], held=summary["m"],
            measure=measure_label(standout, lang).lower() if standout else "–",
            value=fmt_with_unit(comp.at[standout, "value"], standout, lang) if standout else "–",
            median=fmt_with_unit(comp.at[standout, "class_median"], standout, lang)
            if standout else "–")
    style.describe(fig, alt=alt, data=_plotted(comp, values, "is_self", "class_median"))
    return fig


def _plotted(comp: pd.DataFrame, values: pd.DataFrame, flag: str, *medians: str) -> pd.DataFrame:
    """The figure's numbers, long: one row per measure and municipality (``flag`` marks the
    highlighted ones), then the medians and Finland of each measure."""
    measures = list(comp.index)
    long = values[measures + [flag]].reset_index().melt(
        id_vars=["code", flag], value_vars=measures, var_name="measure", value_name="value")
    rows = [long.rename(columns={flag: "highlighted"}).assign(kind="municipality")]
    for column in (*medians, "finland"):
        rows.append(pd.DataFrame({"code": "", "highlighted": False, "measure": measures,
                                  "value": comp[column].to_numpy(), "kind": column}))
    out = pd.concat(rows, ignore_index=True)
    out["unit"] = out["measure"].map(comp["unit"])
    out["period"] = out["measure"].map(comp["period"])
    return out[["measure", "unit", "period", "kind", "code", "highlighted", "value"]]


def partnership_figure(comp: pd.DataFrame, values: pd.DataFrame, lang: str):
    """``comp`` from :func:`analysis.analyses.peers.partnership_comparison`, ``values`` from
    :func:`analysis.analyses.peers.group_values`; only for a partnership with members. The title
    uses the partnership's short name (the full names do not fit the width)."""
    from analysis.data.names import partnership_name

    a = comp.attrs
    colour = style.partnership_color(a["partnership"])
    subtitle = t("peers.fig.partnership_sub", lang, year=a["year"],
                 classes=class_labels(a["class_indexes"], lang))
    fig, rows = _figure(len(comp), subtitle, 5)
    members, others = values[values["is_member"]], values[~values["is_member"]]
    for i, measure in enumerate(comp.index):
        row = comp.loc[measure]
        back = others[measure].dropna().sort_values()
        front = members[measure].dropna().sort_values()
        rows.scale([*back, *front, row["finland"]])
        rows.mark("others", i, back, _jitter(len(back)), ls="none", marker="o", ms=3.6,
                  color=DOT_GREY, alpha=0.85, mew=0, zorder=2)
        rows.mark("members", i, front, _jitter(len(front)) * 0.8, ls="none", marker="o",
                  ms=5.2, color=colour, mec="black", mew=0.4, zorder=3)
        rows.mark("others_median", i, [row["others_median"]], [0], color="black", zorder=4,
                  **MEDIAN_MARK)
        rows.mark("members_median", i, [row["members_median"]], [0], color=colour, zorder=4,
                  **{**MEDIAN_MARK, "mew": 3.2})
        rows.mark("finland", i, [row["finland"]], [0], zorder=5, **FINLAND_MARK)
        rows.title(i, measure, _meta(comp).loc[measure], lang)
    rows.draw(lang)
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
    held = comp[comp["members_median"].notna() & comp["others_median"].notna()]
    alt = t("alt.peers.partnership", lang, m=len(comp), n_members=len(members),
            n_others=len(others), held=len(held),
            above=int((held["members_median"] > held["others_median"]).sum()))
    style.describe(fig, alt=alt, data=_plotted(comp, values, "is_member", "members_median",
                                               "others_median"))
    return fig
