"""Figures of where a place is heading: the unemployment rate every month against a group's
median and range (a size class, a partnership's members) and Finland where held; jobs since
1987 split into local workers and in-commuters; a size class's
jobs over time. A place's jobs and unemployment rate are the two panels of one figure
(:func:`two_panels`), a partnership's members' unemployment rate one panel
(:func:`one_panel`); each figure is returned finished, with its alt text and the numbers
it plots (:func:`analysis.present.style.finish`).

Months are drawn at their place in the year (2007M01 at 2007.0, 2007M12 at 2007.92). A month
no source holds is a gap: the lines break there, the gap is shaded and named, and a value
standing alone between gaps is drawn as a dot, never joined to its neighbours.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from analysis.analyses.trends import gap_months
from analysis.core.text import month_number
from analysis.present import style
from analysis.present.i18n import fmt_float, fmt_int, fmt_pct, t
from analysis.present.text.common import thousands
from analysis.present.text.peers import months_text, period_label

RATE_COLOR = style.OKABE_ITO["blue"]
MEDIAN_COLOR = "#444444"
LOCAL_COLOR = style.OKABE_ITO["sky_blue"]
IN_COLOR = style.OKABE_ITO["orange"]
GAP_COLOR = "#F2F2F2"


def month_x(periods) -> np.ndarray:
    """'2007M01' -> 2007.0, '2007M07' -> 2007.5: months placed in their year."""
    return np.array([month_number(p) / 12 for p in periods])


def missing_runs(missing: pd.Series) -> list[tuple[str, str]]:
    """(first, last) period of every run of True in ``missing``."""
    runs, start, previous = [], None, None
    for period, gone in missing.items():
        if gone and start is None:
            start = period
        if not gone and start is not None:
            runs.append((start, previous))
            start = None
        previous = period
    if start is not None:
        runs.append((start, previous))
    return runs


def _isolated(series: pd.Series) -> pd.Series:
    """Values whose neighbours are both missing: a line through one point draws nothing."""
    held = series.notna()
    return held & ~held.shift(1, fill_value=False) & ~held.shift(-1, fill_value=False)


def _place(fig, subtitle: bool, left: float = 0.085, legend: bool = False, rows: int = 2) -> None:
    """Margins set here (title, subtitle, a legend of ``rows`` above the axes, axis labels
    and a two-line source line inside the figure): :func:`analysis.present.style.fixed_margins`."""
    top = (0.62 if subtitle else 0.45) + (0.05 + 0.165 * rows if legend else 0)  # inches
    style.fixed_margins(fig, left=left, top=top)


def _year_axis(ax, first: float, last: float) -> None:
    ax.set_xlim(first - 0.3, last + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=10))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{int(v)}"))


def _pct_value(value, lang: str) -> str:
    """A rate already in per cent: 9.5 -> '9,5 %' / '9.5%'."""
    return fmt_pct(value / 100, lang) if pd.notna(value) else "–"


def _legend_above(ax, handles, labels, ncol: int) -> None:
    ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=ncol, fontsize=7,
              borderaxespad=0.2)


def draw_rate(ax, frame: pd.DataFrame, name: str, lang: str, *, median_label: str,
              range_label: str) -> tuple[str, pd.DataFrame]:
    """The unemployment rate on ``ax``: per month (every month first to last, gaps NaN) the
    group's ``median`` and its range ``low``–``high``, ``finland`` where held and, for one
    municipality, its ``value``. Returns the alt text and the numbers drawn."""
    x = month_x(frame.index)
    gaps = missing_runs(frame[["median"]].isna().all(axis=1))
    extra = []
    for start, end in gaps:
        ax.axvspan(month_number(start) / 12 - 1 / 24, month_number(end) / 12 + 1 / 24,
                   color=GAP_COLOR, lw=0, zorder=0)
    if gaps:
        extra.append(Patch(facecolor=GAP_COLOR, edgecolor="#CCCCCC", lw=0.5,
                           label=t("trends.legend.no_data", lang)))
    ax.fill_between(x, frame["low"], frame["high"], color=style.CLASS_BAND, alpha=0.28, lw=0,
                    label=range_label)
    alone = _isolated(frame["median"])
    if alone.any():  # a month alone between gaps: its range as a bar, its values as dots
        ax.vlines(x[alone.to_numpy()], frame.loc[alone, "low"], frame.loc[alone, "high"],
                  color=style.CLASS_BAND, alpha=0.6, lw=5)
    ax.plot(x, frame["median"], color=MEDIAN_COLOR, lw=1.1, ls="--", label=median_label)
    ax.plot(x[alone.to_numpy()], frame.loc[alone, "median"], "_", color=MEDIAN_COLOR, ms=9, mew=1.4)
    if "value" in frame:
        ax.plot(x, frame["value"], color=RATE_COLOR, lw=1.6, label=name)
        single = _isolated(frame["value"])
        ax.plot(x[single.to_numpy()], frame.loc[single, "value"], "o", color=RATE_COLOR, ms=4)
    finland = frame["finland"].dropna()
    if len(finland):
        ax.plot(month_x(finland.index), finland.to_numpy(), "D", color=style.OKABE_ITO["black"],
                ms=4, label=t("trends.legend.finland", lang))
    _year_axis(ax, x[0], x[-1])
    top = np.nanmax(frame[["high", "finland"] + (["value"] if "value" in frame else [])]
                    .to_numpy(dtype=float))
    ax.set_ylim(0, top * 1.08)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_float(v, lang, 0)))
    ax.set_ylabel(t("trends.axis.rate", lang))
    lines, labels = ax.get_legend_handles_labels()
    _legend_above(ax, lines + extra, labels + [h.get_label() for h in extra], ncol=3)
    periods = frame.index[frame["median"].notna()]
    first, last = period_label(periods[0], lang), period_label(periods[-1], lang)
    gap_text = (" " + t("trends.rate.gap", lang, months=months_text(gap_months(frame), lang))
                if gaps else "")
    if "value" in frame:
        held = frame["value"].dropna()
        alt = t("trends.alt.rate", lang, name=name, first=first, last=last,
                start=_pct_value(held.iloc[0], lang) if len(held) else "–",
                end=_pct_value(held.iloc[-1], lang) if len(held) else "–",
                median_end=_pct_value(frame.at[periods[-1], "median"], lang), gap=gap_text)
    else:
        alt = t("trends.alt.group_rate", lang, name=name, first=first, last=last,
                n=int(frame["n"].max()), start=_pct_value(frame.at[periods[0], "median"], lang),
                end=_pct_value(frame.at[periods[-1], "median"], lang), gap=gap_text)
    numbers = frame.reset_index().rename(columns={
        "value": name, "median": median_label, "low": f"{range_label} (min)",
        "high": f"{range_label} (max)", "finland": t("trends.legend.finland", lang)})
    return alt, numbers


def draw_jobs(ax, commuting: pd.DataFrame, lang: str) -> tuple[str, pd.DataFrame]:
    """Jobs on ``ax`` as two stacked areas, working in the home municipality and commuting
    in, the in-commuters' share written at the first, the last and the years 5 and 10
    before it. ``commuting``: per year local_workers, in_commuters, in_commuter_share."""
    frame = commuting.dropna(subset=["local_workers", "in_commuters"])
    years = frame.index.to_numpy(dtype=float)
    local_label, in_label = t("trends.legend.local", lang), t("trends.legend.in_commuters", lang)
    ax.stackplot(years, frame["local_workers"], frame["in_commuters"],
                 colors=[LOCAL_COLOR, IN_COLOR], alpha=0.85, lw=0, labels=[local_label, in_label])
    total = frame["local_workers"] + frame["in_commuters"]
    first, last = int(frame.index.min()), int(frame.index.max())
    for year in sorted({first, last - 10, last - 5, last} & set(frame.index)):
        align = "left" if year == first else "right" if year == last else "center"
        ax.annotate(fmt_pct(frame.at[year, "in_commuter_share"], lang, 0),
                    (year, total[year]), xytext=(0, 3), textcoords="offset points",
                    ha=align, va="bottom", fontsize=7, color="#7A4F00")
    ax.set_axisbelow(True)  # the grid behind the areas
    ax.set_xlim(first - 0.5, last + 0.5)
    ax.set_ylim(0, total.max() * 1.15)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=10))
    ax.yaxis.set_major_formatter(thousands(lang))
    ax.set_ylabel(t("trends.axis.jobs", lang))
    _legend_above(ax, *ax.get_legend_handles_labels(), ncol=2)
    alt = t("trends.alt.jobs", lang, first=first, last=last, start=fmt_int(total[first], lang),
            end=fmt_int(total[last], lang),
            share_start=fmt_pct(frame.at[first, "in_commuter_share"], lang),
            share_end=fmt_pct(frame.at[last, "in_commuter_share"], lang))
    numbers = pd.DataFrame({"period": frame.index.astype(str), local_label: frame["local_workers"],
                            in_label: frame["in_commuters"],
                            t("trends.measure.jobs", lang): total,
                            t("trends.measure.in_commuter_share", lang):
                                (100 * frame["in_commuter_share"]).round(2)})
    return alt, numbers


# Two panels, one above the other, placed in inches: (top, panel title + legend above the
# axes, the axes, the room below them) for each, then the source line.
PANEL_HEIGHT = 1.95
TITLE_IN = 0.45


def two_panels(lang: str, *, title: str, source: str, top: tuple, bottom: tuple):
    """A figure of two panels: ``top`` and ``bottom`` are (panel title, legend rows, draw)
    where ``draw(ax)`` draws a panel and returns (alt text, numbers). One drawing, one
    source line, one alt text and one table of numbers (the panels' rows one after the
    other, keyed by ``period``) instead of two figures: a figure's fixed cost is paid once."""
    above = [0.22 + 0.165 * rows for _title, rows, _draw in (top, bottom)]
    below = (0.28, 0.86)  # tick labels; tick labels, axis label and a 3-line source line
    height = TITLE_IN + above[0] + PANEL_HEIGHT + below[0] + above[1] + PANEL_HEIGHT + below[1]
    fig, axes = style.figure(height=height, nrows=2)
    left, right = 0.125, 0.985
    y = height - TITLE_IN
    alts, tables = [], []
    for ax, (panel_title, rows, draw), room_above, room_below in zip(axes, (top, bottom), above,
                                                                     below):
        y -= room_above + PANEL_HEIGHT
        ax.set_position([left, y / height, right - left, PANEL_HEIGHT / height])
        # from the figure's left edge (as the figure's title), above the panel's legend
        ax.set_title(panel_title, loc="left", fontsize=9, fontweight="normal",
                     pad=6 + 11.9 * rows, x=-(left - 0.012) / (right - left))
        y -= room_below
        alt, numbers = draw(ax)
        alts.append(alt)
        tables.append(numbers)
    axes[1].set_xlabel(t("axis.year", lang))
    style.fixed_layout(fig)
    numbers = pd.concat(tables, ignore_index=True).rename(
        columns={"period": t("trends.data.period", lang)})
    style.finish(fig, None, title=title, source=source, alt=" ".join(alts), data=numbers,
                 layout=False)
    return fig


def one_panel(lang: str, *, title: str, subtitle: str, source: str, rows: int, draw):
    """A figure of one panel: ``draw(ax)`` draws it and returns (alt text, numbers)."""
    fig, ax = style.figure(height=3.7)
    alt, numbers = draw(ax)
    _place(fig, subtitle=True, left=0.07, legend=True, rows=rows)
    numbers = numbers.rename(columns={"period": t("trends.data.period", lang)})
    style.finish(fig, ax, title=title, subtitle=subtitle, xlabel=t("axis.year", lang),
                 source=source, alt=alt, data=numbers, layout=False)
    return fig


def class_jobs_figure(frame: pd.DataFrame, bounds: str, lang: str, *, source: str):
    """``frame``: per year ``members`` (today's members traced back) and ``each_year``."""
    fig, ax = style.figure(height=3.3)
    first, last = int(frame.index.min()), int(frame.index.max())
    year, n = frame.attrs["year"], len(frame.attrs["codes"])
    today = t("trends.legend.class_today", lang, year=year, n=n)
    each = t("trends.legend.class_each", lang)
    ax.plot(frame.index, frame["members"], color=style.class_color(40_000, 100_000), lw=1.9,
            label=today)
    ax.plot(frame.index, frame["each_year"], color=MEDIAN_COLOR, lw=1.1, ls="--", label=each)
    ax.set_xlim(first - 0.5, last + 0.5)
    ax.set_ylim(0, max(frame["members"].max(), frame["each_year"].max()) * 1.12)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=10))
    ax.yaxis.set_major_formatter(thousands(lang))
    ax.legend(loc="lower right", fontsize=7)
    _place(fig, subtitle=False, left=0.125)
    alt = t("trends.alt.class_jobs", lang, bounds=bounds, first=first, last=last, year=year,
            start=fmt_int(frame.at[first, "members"], lang),
            end=fmt_int(frame.at[last, "members"], lang),
            each_start=fmt_int(frame.at[first, "each_year"], lang),
            each_end=fmt_int(frame.at[last, "each_year"], lang))
    numbers = pd.DataFrame({t("axis.year", lang): frame.index, today: frame["members"],
                            each: frame["each_year"].astype("int64"),
                            t("trends.legend.finland", lang): frame["finland"]})
    style.finish(fig, ax, title=t("trends.fig.class_jobs", lang, bounds=bounds, first=first,
                                  last=last),
                 xlabel=t("axis.year", lang), ylabel=t("trends.axis.jobs", lang), source=source,
                 alt=alt, data=numbers, layout=False)
    return fig
