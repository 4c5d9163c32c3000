"""Figures of an indicator page: the choropleth of Finland (EPSG:3067) with a group
outlined, the ranking of every municipality, the distribution, and the series over the
periods the data hold. Each takes :func:`analysis.analyses.indicators.values` (and
``history``) and returns a finished figure with its alt text and plotted numbers.

    frame = indicators.values("births")
    fig = choropleth(frame, "fi")
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.colors import to_hex
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analysis.analyses import indicators
from analysis.present import style
from analysis.present.figures import maps
from analysis.present.i18n import fmt_int, t
from analysis.present.text.indicator import (
    fmt_shown,
    group_label,
    indicator_name,
    names,
    period_text,
    source_line,
    unit_text,
    with_unit,
)

N_CLASSES = 6
MAP_HEIGHT_IN = 7.0
NO_DATA = "#FFFFFF"
NO_DATA_HATCH = "////"
OTHERS = "#B8B8B8"


def group_colour(outline) -> str:
    """The outlined group's colour: its partnership's, or the size class's."""
    if outline.kind == "partnership":
        return style.partnership_color(outline.partnership)
    if outline.kind == "class":
        return style.class_color(outline.bounds[0], outline.bounds[-1])
    return style.HIGHLIGHT


def _round_to(value: float, digits: int) -> float:
    return float(np.round(value, digits))


def class_breaks(values: pd.Series, digits: int) -> list[float]:
    """Edges of up to six classes holding about a sixth of the municipalities each
    (quantiles, rounded to the digits shown), from the minimum to the maximum; where the
    values span zero, zero is an edge, so that the colours can tell loss from gain."""
    values = values.dropna()
    lo, hi = float(values.min()), float(values.max())
    if lo < 0 < hi:
        neg, pos = values[values < 0], values[values > 0]
        inner = ([_round_to(neg.quantile(q), digits) for q in (1 / 3, 2 / 3)] + [0.0]
                 + [_round_to(pos.quantile(q), digits) for q in (1 / 3, 2 / 3)])
    else:
        inner = [_round_to(values.quantile(i / N_CLASSES), digits) for i in range(1, N_CLASSES)]
    edges = sorted({e for e in inner if lo < e < hi})
    return [lo, *edges, hi]


def class_colours(edges: list[float]) -> list[str]:
    """One colour per class: light to dark viridis; brown to teal (BrBG, colour-blind
    safe) around zero where the edges span it."""
    import matplotlib as mpl

    n = len(edges) - 1
    if edges[0] < 0 < edges[-1]:
        cmap = mpl.colormaps["BrBG"]
        zero = edges.index(0.0)
        below = [cmap(0.05 + 0.4 * i / max(zero - 1, 1)) for i in range(zero)]
        above = [cmap(0.6 + 0.35 * i / max(n - zero - 1, 1)) for i in range(n - zero)]
        return [to_hex(c) for c in below + above]
    cmap = mpl.colormaps["viridis_r"]
    return [to_hex(cmap(0.08 + 0.84 * i / max(n - 1, 1))) for i in range(n)]


def classify(values: pd.Series, edges: list[float]) -> pd.Series:
    """Each value's class index (lower edge included, the last class closed); -1 when missing."""
    index = np.searchsorted(np.asarray(edges[1:-1]), values.to_numpy(dtype=float), side="right")
    return pd.Series(np.where(values.isna(), -1, index), index=values.index)


def _class_labels(edges: list[float], frame: pd.DataFrame, lang: str) -> list[str]:
    return [f"{fmt_shown(a, frame, lang)} – {fmt_shown(b, frame, lang)}"
            for a, b in zip(edges, edges[1:])]


TITLE_CHARS = 62  # characters of a bold title in the figure's width


def _title(text: str) -> str:
    """A title wrapped to the figure's width (the indicators' names are long)."""
    return textwrap.fill(text, TITLE_CHARS, break_long_words=False)


def _numbers(lang: str):
    """Axis labels the way the page writes numbers (decimal comma in fi and sv)."""
    from matplotlib.ticker import FuncFormatter

    from analysis.present.text.peers import fmt_number

    return FuncFormatter(lambda v, _pos: fmt_number(v, lang))


def _name(frame: pd.DataFrame, lang: str) -> str:
    return indicator_name(frame.attrs["indicator"], lang)


def _unit(frame: pd.DataFrame, lang: str) -> str:
    return unit_text(frame.attrs["shown_unit"], lang)


def _top_bottom(frame: pd.DataFrame, lang: str) -> tuple[str, str]:
    s = indicators.summary(frame)
    shown = frame.set_index("code")["shown"]
    top, bottom = s["top"][0], s["bottom"][0]
    return (f"{names([top], lang)[0]} {with_unit(shown[top], frame, lang)}",
            f"{names([bottom], lang)[0]} {with_unit(shown[bottom], frame, lang)}")


def choropleth(frame: pd.DataFrame, lang: str):
    """Finland's municipalities coloured by the compared value in about six equal-count
    classes, missing ones hatched, the outlined group edged in black."""
    a = frame.attrs
    digits = {"EUR": 0}.get(a["shown_unit"], 1)
    edges = class_breaks(frame["shown"], digits)
    colours = class_colours(edges)
    classes = classify(frame["shown"], edges)
    fill = {code: colours[i] for code, i in zip(frame["code"], classes) if i >= 0}
    outline = a["outline"]
    fig, ax = style.figure(width=style.WIDTH_IN, height=MAP_HEIGHT_IN)
    shapes = maps.finland(ax, fill=fill, outline=set(outline.codes) or None, linewidth=0.1,
                          outline_width=0.8)
    missing = set(frame.loc[frame["shown"].isna(), "code"])
    if missing:
        ax.add_collection(maps.polygons(shapes.geometry[shapes["code"].isin(missing)],
                                        facecolor=NO_DATA, edgecolor="#777777", hatch=NO_DATA_HATCH,
                                        linewidth=0.2))
    counts = [int((classes == i).sum()) for i in range(len(colours))]
    labels = [f"{label} ({fmt_int(n, lang)})" for label, n in
              zip(_class_labels(edges, frame, lang), counts)]
    handles = [Patch(facecolor=c, edgecolor="none", label=label)
               for c, label in zip(colours, labels)][::-1]
    if missing:
        handles.append(Patch(facecolor=NO_DATA, edgecolor="#777777", hatch=NO_DATA_HATCH,
                             label=t("indicator.legend.no_data", lang, n=len(missing))))
    if outline.codes:
        handles.append(Patch(facecolor="none", edgecolor="black", lw=1.2,
                             label=textwrap.fill(group_label(outline, lang), 34)))
    ax.set_anchor("NE")  # the map against its legend, whatever width the aspect leaves
    zero = edges[0] < 0 < edges[-1]
    note = t("indicator.fig.classes_zero" if zero else "indicator.fig.classes", lang)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.03, 1.0), fontsize=7,
              title=_unit(frame, lang) + "\n" + textwrap.fill(note, 34), title_fontsize=7,
              alignment="left")
    top, bottom = _top_bottom(frame, lang)
    outline_alt = (t("indicator.alt.map_outline", lang, group=group_label(outline, lang),
                     n=len(outline.codes)) if outline.codes else "")
    alt = t("indicator.alt.map", lang, n=fmt_int(len(frame), lang), name=_name(frame, lang),
            colours=t("indicator.alt.colours_zero" if zero else "indicator.alt.colours", lang),
            period=period_text(frame, lang), low=fmt_shown(edges[0], frame, lang),
            high=fmt_shown(edges[-1], frame, lang), unit=_unit(frame, lang), top=top,
            bottom=bottom, outline=outline_alt).strip()
    class_names = _class_labels(edges, frame, lang)
    plotted = pd.DataFrame({
        "code": frame["code"], "name": names(frame["code"], lang),
        "value": frame["shown"], "class": [class_names[i] if i >= 0 else "" for i in classes],
        "outlined": frame["in_outline"]})
    style.finish(fig, None, title=_title(t("indicator.fig.map", lang, name=_name(frame, lang),
                                           period=period_text(frame, lang))),
                 source=style.source_text(lang, source_line(frame, lang),
                                          t("source.boundaries", lang)),
                 alt=alt, data=plotted, layout=False)
    # Every margin set here: the map fills the left, the legend the right, the title and
    # the source line their own strips (a tight layout would shrink the map to the legend).
    fig.subplots_adjust(left=0.01, right=0.55, top=1 - 0.75 / MAP_HEIGHT_IN,
                        bottom=0.45 / MAP_HEIGHT_IN)
    style.fixed_layout(fig)
    return fig


def ranking(frame: pd.DataFrame, lang: str):
    """Every municipality as a bar, highest first; the outlined group in its colour,
    Finland and the median as lines."""
    a = frame.attrs
    have = frame[frame["shown"].notna()].sort_values(["rank", "code"])
    outline = a["outline"]
    colour = group_colour(outline)
    s = indicators.summary(frame)
    fig, ax = style.figure(height=3.6)
    x = np.arange(1, len(have) + 1)
    colours = [colour if g else OTHERS for g in have["in_outline"]]
    ax.bar(x, have["shown"], width=1.0, color=colours, linewidth=0)
    handles = [Patch(facecolor=OTHERS, label=t("indicator.legend.others", lang))]
    if outline.codes:
        handles.insert(0, Patch(facecolor=colour, label=group_label(outline, lang)))
    handles += _reference_lines(ax.axhline, s, lang)
    ax.set_xlim(0, len(have) + 1)
    ax.yaxis.set_major_formatter(_numbers(lang))
    ax.grid(axis="x", visible=False)
    ax.legend(handles=handles, loc="upper right", fontsize=7)
    top, bottom = _top_bottom(frame, lang)
    group = have[have["in_outline"]]
    outline_alt = ""
    if len(group):
        outline_alt = t("indicator.alt.ranking_outline", lang, group=group_label(outline, lang),
                        best=int(group["rank"].min()), worst=int(group["rank"].max()))
    alt = t("indicator.alt.ranking", lang, n=fmt_int(len(have), lang), name=_name(frame, lang),
            top=top, bottom=bottom, median=with_unit(s["q50"], frame, lang),
            country=with_unit(s["country"], frame, lang), outline=outline_alt).strip()
    plotted = pd.DataFrame({"rank": have["rank"].astype(int), "code": have["code"],
                            "name": names(have["code"], lang), "value": have["shown"],
                            "outlined": have["in_outline"]})
    style.finish(fig, ax, title=_title(t("indicator.fig.ranking", lang, name=_name(frame, lang),
                                         period=period_text(frame, lang))),
                 xlabel=t("indicator.axis.rank", lang), ylabel=_unit(frame, lang),
                 source=style.source_text(lang, source_line(frame, lang)), alt=alt, data=plotted)
    return fig


# The median of all municipalities and Finland's value, as lines across a figure.
REFERENCE_LINES = (("q50", "indicator.legend.median", {"color": "#333333", "lw": 0.9, "ls": ":"}),
                   ("country", "indicator.legend.country", {"color": "black", "lw": 1.0, "ls": "--"}))


def _reference_lines(draw_line, s, lang: str) -> list:
    """Draw the median and (where held) Finland with ``draw_line`` (``ax.axhline`` or
    ``ax.axvline``); return their legend handles."""
    handles = []
    for key, label, look in REFERENCE_LINES:
        if pd.notna(s[key]):
            draw_line(s[key], **look)
            handles.append(Line2D([], [], label=t(label, lang), **look))
    return handles


def distribution(frame: pd.DataFrame, lang: str):
    """Histogram of the compared values; the outlined group as marks above the axis,
    Finland and the median as lines."""
    a = frame.attrs
    shown = frame["shown"].dropna()
    s = indicators.summary(frame)
    outline = a["outline"]
    colour = group_colour(outline)
    fig, ax = style.figure(height=3.4)
    counts, bins, _ = ax.hist(shown, bins=30, color=OTHERS, edgecolor="white", lw=0.5)
    group = frame.loc[frame["in_outline"], "shown"].dropna()
    handles = []
    if len(group):
        ax.plot(group, np.full(len(group), 0.04), ls="none", marker="|", ms=9, mew=1.6,
                color=colour, transform=ax.get_xaxis_transform(), zorder=4)
        handles.append(Line2D([], [], ls="none", marker="|", ms=9, mew=1.6, color=colour,
                              label=group_label(outline, lang)))
    handles += _reference_lines(ax.axvline, s, lang)
    ax.legend(handles=handles, loc="upper right", fontsize=7)
    ax.xaxis.set_major_formatter(_numbers(lang))
    q = {k: fmt_shown(s[k], frame, lang) for k in ("q10", "q25", "q75", "q90")}
    outline_alt = ""
    if len(group):
        outline_alt = t("indicator.alt.distribution_outline", lang, group=group_label(outline, lang),
                        n=len(group), median=with_unit(s["group_median"], frame, lang))
    alt = t("indicator.alt.distribution", lang, name=_name(frame, lang), n=fmt_int(len(shown), lang),
            median=with_unit(s["q50"], frame, lang), country=with_unit(s["country"], frame, lang),
            outline=outline_alt, **q).strip()
    plotted = pd.DataFrame({"bin_from": bins[:-1], "bin_to": bins[1:],
                            "municipalities": counts.astype(int)})
    style.finish(fig, ax, title=_title(t("indicator.fig.distribution", lang, name=_name(frame, lang),
                                         period=period_text(frame, lang))),
                 xlabel=_unit(frame, lang), ylabel=t("axis.municipalities", lang),
                 source=style.source_text(lang, source_line(frame, lang)), alt=alt, data=plotted)
    return fig


def _period_index(periods: pd.Series) -> pd.PeriodIndex:
    """'2025' -> yearly, '2026M06' -> monthly periods (one frequency per indicator)."""
    text = periods.astype(str).str.replace("M", "-", regex=False)
    freq = "M" if text.str.contains("-").any() else "Y"
    return pd.PeriodIndex(text, freq=freq)


def history(hist: pd.DataFrame, frame: pd.DataFrame, lang: str):
    """The median and the 10th–90th percentile band of the municipalities, Finland and the
    outlined group's median over every period held (two or more); a period missing inside
    the range breaks the lines rather than being bridged."""
    index = _period_index(hist["period"])
    full = pd.period_range(index.min(), index.max(), freq=index.freq)
    series = hist.set_index(index).reindex(full)
    x = full.to_timestamp()
    outline = frame.attrs["outline"]
    fig, ax = style.figure(height=3.4)
    ax.fill_between(x, series["q10"], series["q90"], color=OTHERS, alpha=0.45, lw=0,
                    label=t("indicator.legend.band", lang))
    ax.plot(x, series["q50"], color="#333333", lw=1.6, marker="o", ms=3,
            label=t("indicator.legend.median", lang))
    ax.plot(x, series["country"], color="black", lw=1.2, ls="--", label=t("indicator.legend.country", lang))
    if outline.codes:
        ax.plot(x, series["group_median"], color=group_colour(outline), lw=1.6, marker="o", ms=3,
                label=t("indicator.legend.group_median", lang))
    ax.legend(loc="best", fontsize=7)
    ax.yaxis.set_major_formatter(_numbers(lang))
    first, last = hist.iloc[0], hist.iloc[-1]
    from analysis.present.text.peers import period_label

    alt = t("indicator.alt.history", lang, name=_name(frame, lang),
            first=period_label(first["period"], lang), last=period_label(last["period"], lang),
            first_median=with_unit(first["q50"], frame, lang),
            last_median=with_unit(last["q50"], frame, lang),
            first_country=with_unit(first["country"], frame, lang),
            last_country=with_unit(last["country"], frame, lang))
    style.finish(fig, ax, title=_title(t("indicator.fig.history", lang, name=_name(frame, lang))),
                 xlabel=t("indicator.axis.period", lang), ylabel=_unit(frame, lang),
                 source=style.source_text(lang, source_line(frame, lang)), alt=alt, data=hist)
    return fig
