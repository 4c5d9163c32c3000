"""House style of every figure: fonts readable at print size, a colour-blind-safe palette
(Okabe & Ito), one fixed colour per partnership and per size class across all reports,
and a title plus a source line on the figure itself.

    fig, ax = style.figure()
    ...
    style.finish(fig, ax, title=..., xlabel=..., ylabel=..., source=style.source_text(...))
"""

from __future__ import annotations

import textwrap

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.colors import to_hex

from .i18n import t

# Okabe & Ito (2008), safe for the common colour-vision deficiencies.
OKABE_ITO = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000",
    "grey": "#999999",
}

PARTNERSHIP_COLORS = {
    "growth-cities": OKABE_ITO["orange"],
    "c6": OKABE_ITO["blue"],
    "vitality": OKABE_ITO["green"],
    "mid-sized-growth-cities": OKABE_ITO["vermillion"],
    "joensuu-lappeenranta-imatra": OKABE_ITO["purple"],
    "regional-towns": OKABE_ITO["grey"],
}
NEUTRAL = "#BBBBBB"  # municipalities in no grouping, background shapes
HIGHLIGHT = OKABE_ITO["vermillion"]
CLASS_BAND = OKABE_ITO["sky_blue"]

SOURCE_FONTSIZE = 6.5
AVERAGE_CHAR_EM = 0.56  # DejaVu Sans: mean advance of a character, in ems
NBSP = "\u00a0"

# Print size: a brief's text column is ~16 cm; figures are drawn at that size.
WIDTH_IN = 6.3
DPI_EXPORT = 300

RC = {
    "figure.figsize": (WIDTH_IN, 4.2),
    "figure.dpi": 110,
    "savefig.dpi": DPI_EXPORT,
    "savefig.bbox": "tight",
    "font.family": "DejaVu Sans",  # ships with matplotlib: å, ä, ö render everywhere
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#E5E5E5",
    "grid.linewidth": 0.6,
    "axes.prop_cycle": mpl.cycler(color=[OKABE_ITO[k] for k in
                                         ("blue", "orange", "green", "vermillion", "purple",
                                          "sky_blue", "yellow", "black")]),
    "svg.fonttype": "none",  # text stays text in SVG: searchable and editable in a brief
}


def apply() -> None:
    """Set the house style for this process (idempotent)."""
    mpl.rcParams.update(RC)


def partnership_color(partnership_id: str) -> str:
    return PARTNERSHIP_COLORS.get(partnership_id, OKABE_ITO["black"])


def class_colors(n: int) -> list[str]:
    """``n`` colours for ordered size classes, light (small) to dark (large). Viridis is
    colour-blind safe, prints in grey scale, and (unlike cividis) has no grey middle that a
    reader could take for "no data"."""
    cmap = mpl.colormaps["viridis_r"]
    if n == 1:
        return [to_hex(cmap(0.5))]
    return [to_hex(cmap(0.08 + 0.84 * i / (n - 1))) for i in range(n)]


def source_text(lang: str, *parts: str) -> str:
    """'Source: <part>; <part>; analysis: this project' (the last phrase never splits)."""
    body = "; ".join(p for p in parts if p)
    return f"{t('source.prefix', lang)}: {body}; {t('source.analysis', lang).replace(' ', NBSP)}"


def wrap_source(source: str, width_in: float, fontsize: float = SOURCE_FONTSIZE) -> str:
    """Break the source line to the figure's width. Done here with textwrap because
    matplotlib's own ``wrap=True`` lays the text out word by word on every draw, which
    made each figure export about a third slower."""
    chars = max(40, int(width_in * 72 / (fontsize * AVERAGE_CHAR_EM)))
    return "\n".join(textwrap.fill(line, chars, break_long_words=False, break_on_hyphens=False)
                     for line in source.splitlines())


def figure(width: float = WIDTH_IN, height: float = 4.2, **kw):
    apply()
    return plt.subplots(figsize=(width, height), **kw)


def finish(fig, ax=None, *, title: str, source: str, xlabel: str | None = None,
           ylabel: str | None = None, subtitle: str | None = None, layout: bool = True):
    """Title, axis labels and the source line on the figure itself; then a tight layout,
    unless ``layout=False``: a caller that places its axes itself (``subplots_adjust`` with
    every margin) would only throw the tight layout away, and on a figure of many axes it
    is the most expensive step of building it."""
    if ax is not None:
        if xlabel is not None:
            ax.set_xlabel(xlabel)
        if ylabel is not None:
            ax.set_ylabel(ylabel)
    fig.suptitle(title, x=0.01, ha="left", fontsize=RC["axes.titlesize"], fontweight="bold")
    if subtitle:
        fig.text(0.01, 0.935, subtitle, ha="left", va="top", fontsize=8, color="#444444")
    fig.text(0.01, 0.005, wrap_source(source, 0.98 * fig.get_figwidth()), ha="left",
             va="bottom", fontsize=SOURCE_FONTSIZE, color="#555555", gid="source-line")
    if layout:
        fig.tight_layout(rect=(0, 0.04, 1, 0.95 if not subtitle else 0.91))
    return fig
